#include "display.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rb_display {
  rb_display_opts opts;
  SDL_Window *win;
  SDL_Renderer *ren;
  rb_ui *ui;
  int w, h;            /* the window's pixels */
  SDL_Texture *canvas; /* rotated displays draw here first, upright */
  int cw, ch;          /* the canvas: w x h, or h x w at 90 and 270 */
  /* The last frame stays where drawing goes (the software renderer's
   * window surface, or the canvas) until something spoils it. */
  bool keeps, kept;
};

static bool parse_size(const char *s, int *w, int *h) {
  int a, b;
  char extra;
  if (!s || sscanf(s, "%dx%d%c", &a, &b, &extra) != 2 || a < 200 || b < 200 ||
      a > 8192 || b > 8192)
    return false;
  *w = a;
  *h = b;
  return true;
}

/* Makes the canvas for a rotated display (none at 0 degrees) and lays
 * the screens out for its upright size. */
static bool setup_canvas(rb_display *d) {
  bool sideways = d->opts.rotate == 90 || d->opts.rotate == 270;
  if (d->canvas)
    SDL_DestroyTexture(d->canvas);
  d->canvas = NULL;
  d->cw = sideways ? d->h : d->w;
  d->ch = sideways ? d->w : d->h;
  if (d->opts.rotate) {
    d->canvas = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_ARGB8888,
                                  SDL_TEXTUREACCESS_TARGET, d->cw, d->ch);
    if (!d->canvas) {
      rb_log_error("rotate = %d: %s", d->opts.rotate, SDL_GetError());
      return false;
    }
  }
  rb_ui_resize(d->ui, d->cw, d->ch);
  return true;
}

/* The renderer, per platform (docs/performance.md). Under X11, SDL's
 * software renderer with its frames handed to X as they are (MIT-SHM): no
 * GL in the process, 11 MiB PSS against 77 through Mesa, and less CPU a
 * frame at the run screen's 4 frames a second. On KMS/DRM (the kiosk) and
 * Wayland, SDL 2 shows a software renderer only through a GL texture,
 * which loads Mesa all the same and adds an upload of every frame: the
 * GPU renderer. Headless, software. SDL_RENDER_DRIVER, when set, chooses
 * (SDL_FRAMEBUFFER_ACCELERATION=1 puts GL back under a software one). */
static SDL_Renderer *make_renderer(const rb_display *d) {
  const char *video = SDL_GetCurrentVideoDriver();
  bool x11 = video && strcmp(video, "x11") == 0;
  SDL_Renderer *ren = NULL;
  /* a driver named by SDL_RENDER_DRIVER would otherwise draw unbatched */
  SDL_SetHint(SDL_HINT_RENDER_BATCHING, "1");
  if (x11)
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if (!d->opts.headless && (!x11 || SDL_GetHint(SDL_HINT_RENDER_DRIVER)))
    ren = SDL_CreateRenderer(
        d->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!ren) /* headless, X11, or no GPU: software draws the same */
    ren = SDL_CreateRenderer(d->win, -1, SDL_RENDERER_SOFTWARE);
  return ren;
}

static bool open_window(rb_display *d) {
  Uint32 flags = SDL_WINDOW_SHOWN;
  int w = 800, h = 480;
  if (d->opts.size && !parse_size(d->opts.size, &w, &h)) {
    rb_log_error("--size %s: expected WIDTHxHEIGHT, for example 800x480",
                 d->opts.size);
    return false;
  }
  if (!d->opts.headless && !d->opts.window) {
    /* Made at the panel's own size: without a window manager (the kiosk
     * under X) a window made smaller is never told it grew, and only a
     * corner of it is drawn. */
    SDL_DisplayMode dm;
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (SDL_GetDesktopDisplayMode(0, &dm) == 0 && dm.w > 0 && dm.h > 0) {
      w = dm.w;
      h = dm.h;
    }
  }
  if (d->opts.window)
    flags |= SDL_WINDOW_RESIZABLE;
  d->win = SDL_CreateWindow("rebalance", SDL_WINDOWPOS_CENTERED,
                            SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (!d->win) {
    rb_log_error("cannot open a window: %s", SDL_GetError());
    return false;
  }
  d->ren = make_renderer(d);
  if (!d->ren) {
    rb_log_error("cannot draw: %s", SDL_GetError());
    return false;
  }
  SDL_GetRendererOutputSize(d->ren, &d->w, &d->h);
  {
    SDL_RendererInfo info;
    d->keeps = SDL_GetRendererInfo(d->ren, &info) == 0 &&
               strcmp(info.name, "software") == 0;
  }
  if (!d->opts.headless && !d->opts.window)
    SDL_ShowCursor(SDL_DISABLE); /* a kiosk has no mouse pointer */
  return true;
}

rb_display *rb_display_open(const rb_display_opts *opts) {
  rb_display *d = calloc(1, sizeof *d);
  char err[512];
  if (!d)
    return NULL;
  d->opts = *opts;
  if (!open_window(d))
    goto fail;
  d->ui = rb_ui_new(d->ren, opts->font, err, sizeof err);
  if (!d->ui) {
    rb_log_error("%s", err);
    goto fail;
  }
  if (opts->text_scale > 100)
    rb_ui_set_text_scale(d->ui, (float)opts->text_scale / 100.0f);
  if (!setup_canvas(d))
    goto fail;
  return d;
fail:
  rb_display_close(d);
  return NULL;
}

void rb_display_close(rb_display *d) {
  if (!d)
    return;
  rb_ui_free(d->ui);
  if (d->canvas)
    SDL_DestroyTexture(d->canvas);
  if (d->ren)
    SDL_DestroyRenderer(d->ren);
  if (d->win)
    SDL_DestroyWindow(d->win);
  free(d);
}

rb_ui *rb_display_ui(rb_display *d) { return d->ui; }

void rb_display_begin(rb_display *d) {
  if (d->canvas)
    SDL_SetRenderTarget(d->ren, d->canvas);
  d->kept = true;
}

bool rb_display_begin_part(rb_display *d) {
  if (!(d->keeps || d->canvas) || !d->kept)
    return false;
  if (d->canvas)
    SDL_SetRenderTarget(d->ren, d->canvas);
  return true;
}

void rb_display_present(rb_display *d) {
  if (d->canvas) {
    SDL_Rect dst = {(d->w - d->cw) / 2, (d->h - d->ch) / 2, d->cw, d->ch};
    SDL_SetRenderTarget(d->ren, NULL);
    SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
    SDL_RenderClear(d->ren);
    SDL_RenderCopyEx(d->ren, d->canvas, NULL, &dst, d->opts.rotate, NULL,
                     SDL_FLIP_NONE);
  }
  SDL_RenderPresent(d->ren);
}

/* Only the rectangle r changed since the last frame: with the software
 * renderer drawing straight into the window's surface, that rectangle
 * alone goes to the screen (a whole frame costs the copy of every
 * pixel to the display server, ten times the figure's drawing). */
void rb_display_present_part(rb_display *d, SDL_Rect r) {
  if (d->canvas || !d->keeps || SDL_RenderFlush(d->ren) != 0 ||
      SDL_UpdateWindowSurfaceRects(d->win, &r, 1) != 0)
    rb_display_present(d);
}

/* The inverse of the rotation the canvas is drawn with (clockwise, like
 * the panel is turned). */
void rb_display_to_canvas(const rb_display *d, int *x, int *y) {
  int wx = *x, wy = *y;
  switch (d->opts.rotate) {
  case 90:
    *x = wy;
    *y = d->w - 1 - wx;
    break;
  case 180:
    *x = d->w - 1 - wx;
    *y = d->h - 1 - wy;
    break;
  case 270:
    *x = d->h - 1 - wy;
    *y = wx;
    break;
  default:
    break;
  }
}

void rb_display_size(const rb_display *d, int *w, int *h) {
  *w = d->w;
  *h = d->h;
}

void rb_display_handle(rb_display *d, const SDL_Event *ev) {
  if (ev->type == SDL_WINDOWEVENT || ev->type == SDL_RENDER_TARGETS_RESET ||
      ev->type == SDL_RENDER_DEVICE_RESET)
    d->kept = false; /* shown, moved, resized, lost: draw it all again */
  if (ev->type == SDL_WINDOWEVENT &&
      ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
    SDL_GetRendererOutputSize(d->ren, &d->w, &d->h);
    setup_canvas(d);
  } else if (ev->type == SDL_RENDER_TARGETS_RESET ||
             ev->type == SDL_RENDER_DEVICE_RESET) {
    rb_ui_textures_lost(d->ui);
    if (ev->type == SDL_RENDER_DEVICE_RESET)
      setup_canvas(d); /* the canvas texture itself is gone */
  }
}
