/* display: the window or the panel, and the upright canvas the screens
 * draw on.
 *
 * Fullscreen on the kiosk (made at the panel's own size), a desktop
 * window, or headless in memory. A panel mounted turned (rotate = 90, 180,
 * 270) gets an upright canvas that is turned onto it at each frame, and
 * touches are turned back; the screens never know. */
#ifndef RB_DISPLAY_H
#define RB_DISPLAY_H

#include "ui.h"

#include <SDL.h>

typedef struct {
  const char *size; /* "WxH", NULL: 800x480 (ignored fullscreen) */
  bool window;      /* a desktop window */
  bool headless;    /* in memory: SDL's offscreen driver */
  int rotate;       /* 0, 90, 180, 270 */
  const char *font; /* a TrueType file, NULL: DejaVu Sans */
  int text_scale;   /* percent, 100-150 (0: 100) */
} rb_display_opts;

typedef struct rb_display rb_display;

/* After SDL_Init. NULL (logged) when the window, the renderer, the font or
 * the canvas cannot be made. */
rb_display *rb_display_open(const rb_display_opts *opts);
void rb_display_close(rb_display *d);

/* What the screens draw with (laid out for the upright canvas). */
rb_ui *rb_display_ui(rb_display *d);
/* Before drawing a frame: drawing goes to the canvas. */
void rb_display_begin(rb_display *d);
/* Before drawing only part of a frame over the last one: false when the
 * last frame is not kept (a GPU renderer's back buffer, a window just
 * shown or resized), and the whole frame must be drawn after begin. */
bool rb_display_begin_part(rb_display *d);
/* Shows the frame drawn since begin, turned for the panel. */
void rb_display_present(rb_display *d);
/* Shows a frame of which only r (canvas pixels) was drawn since the
 * last, after rb_display_begin_part. */
void rb_display_present_part(rb_display *d, SDL_Rect r);
/* A touch at window pixels (x, y) to canvas pixels. */
void rb_display_to_canvas(const rb_display *d, int *x, int *y);
/* The window's size in pixels (touch events are scaled by it). */
void rb_display_size(const rb_display *d, int *w, int *h);

/* SDL_WINDOWEVENT_SIZE_CHANGED, SDL_RENDER_TARGETS_RESET or _DEVICE_RESET:
 * the canvas and the text textures are made again. */
void rb_display_handle(rb_display *d, const SDL_Event *ev);

#endif
