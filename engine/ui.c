#include "ui.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEJAVU_DIR "/usr/share/fonts/truetype/dejavu/"
/* Bounds of the text cache: entries and texture bytes (a Pi has little
 * memory to spare; a 1080p countdown glyph alone is ~1 MB). */
#define TEXT_CACHE_MAX 256
#define TEXT_CACHE_BYTES (48u * 1024u * 1024u)
#define LAYOUT_CACHE_MAX 64
#define LAYOUT_LINES_MAX 64
#define ELLIPSIS "\xe2\x80\xa6"

typedef struct {
  SDL_Texture *tex;
  int w, h;
  rb_font font;
  int px;
  Uint32 rgba;
  uint32_t hash;
  char *text;
  uint64_t used;
} text_entry;

typedef struct {
  rb_font font;
  int max_px, min_px, w, h;
  bool wrap; /* false: one line, shrunk then cut to fit */
  uint32_t hash;
  char *text;
  int px, nlines, height;
  int asked_px; /* max_px before text_scale */
  bool broke;   /* a word wider than the box was broken in two */
  bool cut;     /* it did not fit: its last line ends in an ellipsis */
  char **lines;
} layout_entry;

struct rb_ui {
  SDL_Renderer *r;
  int w, h;
  float scale;
  float text_scale; /* 1 to 1.5, times the panel's own scale */
  bool unscaled;    /* text_scale set aside for now */
  TTF_Font *fonts[RB_FONT_COUNT];
  int font_px[RB_FONT_COUNT];
  bool ttf_inited;
  text_entry texts[TEXT_CACHE_MAX];
  int ntexts;
  size_t text_bytes;
  uint64_t tick;
  unsigned epoch; /* textures lost or size changed this many times */
  layout_entry layouts[LAYOUT_CACHE_MAX];
  int nlayouts;
  float digit_ink, digit_top; /* '0' ink height, ascent above it, per px */
  int min_px_drawn;           /* for tests: 0 when nothing drawn */
  int grown;                  /* for tests: texts text_scale made larger */
  bool primary;               /* what is drawn now is a primary word */
  int min_primary_px;         /* for tests: the smallest primary word */
  int cuts;                   /* for tests: texts drawn cut short */
};

static void set_err(char *err, size_t errlen, const char *fmt, const char *a,
                    const char *b) {
  if (err && errlen)
    snprintf(err, errlen, fmt, a, b);
}

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static bool file_exists(const char *path) { return access(path, R_OK) == 0; }

/* "X.ttf" -> "X-Bold.ttf" if there is one. */
static bool bold_sibling(const char *path, char *out, size_t outlen) {
  const char *dot = strrchr(path, '.');
  if (!dot || (size_t)(dot - path) + 12 > outlen)
    return false;
  snprintf(out, outlen, "%.*s-Bold%s", (int)(dot - path), path, dot);
  return file_exists(out);
}

rb_ui *rb_ui_new(SDL_Renderer *r, const char *font_path, char *err,
                 size_t errlen) {
  rb_ui *ui = calloc(1, sizeof *ui);
  char bold[1024];
  const char *regular_path =
      font_path ? font_path : DEJAVU_DIR "DejaVuSans.ttf";
  const char *bold_path = DEJAVU_DIR "DejaVuSans-Bold.ttf";
  bool fake_bold = false;
  int w = 800, h = 480;

  if (!ui) {
    set_err(err, errlen, "%s%s", "out of memory", "");
    goto fail;
  }
  ui->r = r;
  if (TTF_Init() != 0) {
    set_err(err, errlen, "SDL_ttf: %s%s", TTF_GetError(), "");
    goto fail;
  }
  ui->ttf_inited = true;
  if (font_path) {
    if (bold_sibling(font_path, bold, sizeof bold))
      bold_path = bold;
    else {
      bold_path = font_path;
      fake_bold = true;
    }
  }
  ui->fonts[RB_FONT_REGULAR] = TTF_OpenFont(regular_path, 30);
  if (!ui->fonts[RB_FONT_REGULAR]) {
    set_err(err, errlen, "cannot open font %s: %s", regular_path,
            TTF_GetError());
    goto fail;
  }
  ui->fonts[RB_FONT_BOLD] = TTF_OpenFont(bold_path, 30);
  if (!ui->fonts[RB_FONT_BOLD]) {
    set_err(err, errlen, "cannot open font %s: %s", bold_path, TTF_GetError());
    goto fail;
  }
  if (fake_bold)
    TTF_SetFontStyle(ui->fonts[RB_FONT_BOLD], TTF_STYLE_BOLD);
  for (int i = 0; i < RB_FONT_COUNT; i++)
    ui->font_px[i] = 30;
  if (r && SDL_GetRendererOutputSize(r, &w, &h) != 0) {
    w = 800;
    h = 480;
  }
  SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
  rb_ui_resize(ui, w, h);
  return ui;
fail:
  rb_ui_free(ui);
  return NULL;
}

static void layouts_clear(rb_ui *ui) {
  for (int i = 0; i < ui->nlayouts; i++) {
    layout_entry *e = &ui->layouts[i];
    for (int j = 0; j < e->nlines; j++)
      free(e->lines[j]);
    free(e->lines);
    free(e->text);
  }
  ui->nlayouts = 0;
}

void rb_ui_textures_lost(rb_ui *ui) {
  for (int i = 0; i < ui->ntexts; i++) {
    SDL_DestroyTexture(ui->texts[i].tex);
    free(ui->texts[i].text);
  }
  ui->ntexts = 0;
  ui->text_bytes = 0;
  ui->epoch++;
}

unsigned rb_ui_epoch(const rb_ui *ui) { return ui->epoch; }

void rb_ui_free(rb_ui *ui) {
  if (!ui)
    return;
  rb_ui_textures_lost(ui);
  layouts_clear(ui);
  for (int i = 0; i < RB_FONT_COUNT; i++)
    if (ui->fonts[i])
      TTF_CloseFont(ui->fonts[i]);
  if (ui->ttf_inited)
    TTF_Quit();
  free(ui);
}

void rb_ui_resize(rb_ui *ui, int w, int h) {
  float bw = w >= h ? 800.0f : 480.0f, bh = w >= h ? 480.0f : 800.0f;
  float s;
  ui->w = w > 0 ? w : 1;
  ui->h = h > 0 ? h : 1;
  s = fminf(ui->w / bw, ui->h / bh);
  ui->scale = s < 0.5f ? 0.5f : s;
  /* Sizes changed: wrapped layouts are stale (textures stay valid). */
  layouts_clear(ui);
  ui->epoch++;
}

SDL_Renderer *rb_ui_renderer(rb_ui *ui) { return ui->r; }
int rb_ui_width(const rb_ui *ui) { return ui->w; }
int rb_ui_height(const rb_ui *ui) { return ui->h; }
bool rb_ui_portrait(const rb_ui *ui) { return ui->h > ui->w; }
float rb_ui_scale(const rb_ui *ui) { return ui->scale; }

void rb_ui_text_unscaled(rb_ui *ui, bool on) { ui->unscaled = on; }

void rb_ui_set_text_scale(rb_ui *ui, float k) {
  ui->text_scale = k < 1.0f ? 1.0f : k > 1.5f ? 1.5f : k;
  layouts_clear(ui);
}
int rb_ui_px(const rb_ui *ui, float base) {
  return (int)lroundf(base * ui->scale);
}

bool rb_ui_screenshot(rb_ui *ui, const char *path, char *err, size_t errlen) {
  int w = 0, h = 0;
  bool ok = false;
  SDL_Surface *s = NULL;
  SDL_Texture *target;

  /* the canvas being drawn: a rotated display draws into a texture */
  target = SDL_GetRenderTarget(ui->r);
  if ((target ? SDL_QueryTexture(target, NULL, NULL, &w, &h)
              : SDL_GetRendererOutputSize(ui->r, &w, &h)) != 0) {
    set_err(err, errlen, "screenshot: %s%s", SDL_GetError(), "");
    goto done;
  }
  /* No alpha channel: the PNG is opaque whatever the renderer keeps. */
  s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
  if (!s) {
    set_err(err, errlen, "screenshot: %s%s", SDL_GetError(), "");
    goto done;
  }
  if (SDL_RenderReadPixels(ui->r, NULL, SDL_PIXELFORMAT_RGB888, s->pixels,
                           s->pitch) != 0) {
    set_err(err, errlen, "screenshot: %s%s", SDL_GetError(), "");
    goto done;
  }
  if (IMG_SavePNG(s, path) != 0) {
    set_err(err, errlen, "%s: %s", path, IMG_GetError());
    goto done;
  }
  ok = true;
done:
  SDL_FreeSurface(s);
  return ok;
}

/* --- shapes --- */

static void set_color(rb_ui *ui, SDL_Color c) {
  SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
}

void rb_ui_clear(rb_ui *ui, SDL_Color c) {
  set_color(ui, c);
  SDL_RenderClear(ui->r);
}

void rb_ui_fill_rect(rb_ui *ui, SDL_Rect r, SDL_Color c) {
  SDL_BlendMode old = SDL_BLENDMODE_BLEND;
  set_color(ui, c);
  if (c.a == 255) { /* a plain fill, not a blend per pixel */
    SDL_GetRenderDrawBlendMode(ui->r, &old);
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
  }
  SDL_RenderFillRect(ui->r, &r);
  if (c.a == 255)
    SDL_SetRenderDrawBlendMode(ui->r, old);
}

void rb_ui_dim(rb_ui *ui, Uint8 alpha) {
  SDL_Rect all = {0, 0, ui->w, ui->h};
  SDL_Color c = {0, 0, 0, alpha};
  rb_ui_fill_rect(ui, all, c);
}

static int corner_segments(int radius) {
  int n = radius / 3;
  return n < 4 ? 4 : n > 24 ? 24 : n;
}

/* Points around a rounded rect, clockwise from the top-left corner's
 * left end; (4 * (seg + 1)) of them. */
static int round_rect_path(SDL_FRect r, float radius, int seg,
                           SDL_FPoint *out) {
  const float cx[4] = {r.x + radius, r.x + r.w - radius, r.x + r.w - radius,
                       r.x + radius};
  const float cy[4] = {r.y + radius, r.y + radius, r.y + r.h - radius,
                       r.y + r.h - radius};
  int n = 0;
  for (int c = 0; c < 4; c++) {
    double a0 = M_PI + c * M_PI / 2;
    for (int i = 0; i <= seg; i++) {
      double a = a0 + (M_PI / 2) * i / seg;
      out[n].x = cx[c] + radius * (float)cos(a);
      out[n].y = cy[c] + radius * (float)sin(a);
      n++;
    }
  }
  return n;
}

/* Shapes in one opaque colour are drawn without blending: the software
 * renderer blends a triangle through a scratch surface of its bounding
 * box, allocated and freed for each one (a panel's fan cost a page fault
 * per pixel row), and writes an opaque one straight to the frame. */
static void geometry(rb_ui *ui, const SDL_Vertex *v, int nv, const int *idx,
                     int ni) {
  SDL_BlendMode old = SDL_BLENDMODE_BLEND;
  bool opaque = true;
  for (int i = 0; i < nv && opaque; i++)
    opaque = v[i].color.a == 255;
  if (opaque) {
    SDL_GetRenderDrawBlendMode(ui->r, &old);
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
  }
  SDL_RenderGeometry(ui->r, NULL, v, nv, idx, ni);
  if (opaque)
    SDL_SetRenderDrawBlendMode(ui->r, old);
}

static SDL_Vertex vert(float x, float y, SDL_Color c) {
  SDL_Vertex v = {{x, y}, c, {0, 0}};
  return v;
}

void rb_ui_fill_round_rect(rb_ui *ui, SDL_Rect r, int radius, SDL_Color c) {
  SDL_FPoint pts[4 * 25];
  SDL_Vertex v[4 * 26 + 1];
  int idx[3 * 4 * 25];
  int seg, n, ni = 0;
  SDL_FRect fr = {(float)r.x, (float)r.y, (float)r.w, (float)r.h};

  if (r.w <= 0 || r.h <= 0)
    return;
  if (radius * 2 > r.w)
    radius = r.w / 2;
  if (radius * 2 > r.h)
    radius = r.h / 2;
  if (radius <= 1) {
    rb_ui_fill_rect(ui, r, c);
    return;
  }
  seg = corner_segments(radius);
  n = round_rect_path(fr, (float)radius, seg, pts);
  if (c.a == 255) {
    /* Three plain rectangles and a fan in each corner: the software
     * renderer fills a triangle by walking its bounding box, so a fan
     * from the centre walks the panel's area twice over. */
    SDL_Rect mid = {r.x + radius, r.y, r.w - 2 * radius, r.h};
    SDL_Rect lft = {r.x, r.y + radius, radius, r.h - 2 * radius};
    SDL_Rect rgt = {r.x + r.w - radius, r.y + radius, radius, r.h - 2 * radius};
    const float ccx[4] = {fr.x + radius, fr.x + fr.w - radius,
                          fr.x + fr.w - radius, fr.x + radius};
    const float ccy[4] = {fr.y + radius, fr.y + radius, fr.y + fr.h - radius,
                          fr.y + fr.h - radius};
    int nv = 0;
    rb_ui_fill_rect(ui, mid, c);
    rb_ui_fill_rect(ui, lft, c);
    rb_ui_fill_rect(ui, rgt, c);
    for (int k = 0; k < 4; k++) {
      int centre = nv;
      v[nv++] = vert(ccx[k], ccy[k], c);
      for (int i = 0; i <= seg; i++)
        v[nv++] = vert(pts[k * (seg + 1) + i].x, pts[k * (seg + 1) + i].y, c);
      for (int i = 0; i < seg; i++) {
        idx[ni++] = centre;
        idx[ni++] = centre + 1 + i;
        idx[ni++] = centre + 2 + i;
      }
    }
    geometry(ui, v, nv, idx, ni);
    return;
  }
  /* A rounded rect is convex: a fan from its centre covers it. */
  v[0] = vert(fr.x + fr.w / 2, fr.y + fr.h / 2, c);
  for (int i = 0; i < n; i++)
    v[i + 1] = vert(pts[i].x, pts[i].y, c);
  for (int i = 0; i < n; i++) {
    idx[ni++] = 0;
    idx[ni++] = 1 + i;
    idx[ni++] = 1 + (i + 1) % n;
  }
  geometry(ui, v, n + 1, idx, ni);
}

void rb_ui_round_rect_outline(rb_ui *ui, SDL_Rect r, int radius, int thickness,
                              SDL_Color c) {
  SDL_FPoint outer[4 * 25], inner[4 * 25];
  SDL_Vertex v[8 * 25];
  int idx[6 * 4 * 25];
  int seg, n, ni = 0;
  float t = (float)thickness, rad;
  SDL_FRect fo = {(float)r.x, (float)r.y, (float)r.w, (float)r.h};
  SDL_FRect fi = {fo.x + t, fo.y + t, fo.w - 2 * t, fo.h - 2 * t};

  if (fi.w <= 0 || fi.h <= 0) {
    rb_ui_fill_round_rect(ui, r, radius, c);
    return;
  }
  if (radius * 2 > r.w)
    radius = r.w / 2;
  if (radius * 2 > r.h)
    radius = r.h / 2;
  rad = radius < thickness + 1 ? t + 1 : (float)radius;
  seg = corner_segments((int)rad);
  n = round_rect_path(fo, rad, seg, outer);
  round_rect_path(fi, rad - t, seg, inner);
  for (int i = 0; i < n; i++) {
    v[2 * i] = vert(outer[i].x, outer[i].y, c);
    v[2 * i + 1] = vert(inner[i].x, inner[i].y, c);
  }
  for (int i = 0; i < n; i++) {
    int a = 2 * i, b = 2 * ((i + 1) % n);
    idx[ni++] = a;
    idx[ni++] = b;
    idx[ni++] = a + 1;
    idx[ni++] = a + 1;
    idx[ni++] = b;
    idx[ni++] = b + 1;
  }
  geometry(ui, v, 2 * n, idx, ni);
}

void rb_ui_fill_circle(rb_ui *ui, int cx, int cy, int radius, SDL_Color c) {
  SDL_Rect r = {cx - radius, cy - radius, 2 * radius, 2 * radius};
  rb_ui_fill_round_rect(ui, r, radius, c);
}

void rb_ui_line(rb_ui *ui, float x0, float y0, float x1, float y1, float width,
                SDL_Color c) {
  float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
  float nx, ny;
  SDL_Vertex v[4];
  static const int idx[6] = {0, 1, 2, 2, 1, 3};
  if (len <= 0)
    return;
  /* a quad across the line, width wide */
  nx = -dy / len * width / 2;
  ny = dx / len * width / 2;
  v[0] = vert(x0 + nx, y0 + ny, c);
  v[1] = vert(x0 - nx, y0 - ny, c);
  v[2] = vert(x1 + nx, y1 + ny, c);
  v[3] = vert(x1 - nx, y1 - ny, c);
  geometry(ui, v, 4, idx, 6);
}

#define RING_SEGMENTS 180

/* The band between two circles from angle a0 to a1 (radians, 0 = up,
 * clockwise). */
static void arc(rb_ui *ui, float cx, float cy, float ro, float ri, double a0,
                double a1, SDL_Color c) {
  SDL_Vertex v[2 * (RING_SEGMENTS + 1)];
  int idx[6 * RING_SEGMENTS];
  int n = (int)ceil((a1 - a0) / (2 * M_PI) * RING_SEGMENTS), ni = 0;

  if (n < 1)
    return;
  if (n > RING_SEGMENTS)
    n = RING_SEGMENTS;
  for (int i = 0; i <= n; i++) {
    double a = a0 + (a1 - a0) * i / n;
    float sx = (float)sin(a), cy_ = (float)-cos(a);
    v[2 * i] = vert(cx + ro * sx, cy + ro * cy_, c);
    v[2 * i + 1] = vert(cx + ri * sx, cy + ri * cy_, c);
  }
  for (int i = 0; i < n; i++) {
    int a = 2 * i, b = 2 * (i + 1);
    idx[ni++] = a;
    idx[ni++] = b;
    idx[ni++] = a + 1;
    idx[ni++] = a + 1;
    idx[ni++] = b;
    idx[ni++] = b + 1;
  }
  geometry(ui, v, 2 * (n + 1), idx, ni);
}

void rb_ui_ring(rb_ui *ui, int cx, int cy, int radius, int thickness,
                double fraction, SDL_Color fg, SDL_Color track) {
  float ro = (float)radius, ri = (float)(radius - thickness);
  float mid = (ro + ri) / 2;
  int cap = thickness / 2;
  double end;

  if (!(fraction > 0))
    fraction = 0;
  if (fraction > 1)
    fraction = 1;
  arc(ui, (float)cx, (float)cy, ro, ri, 0, 2 * M_PI, track);
  if (fraction <= 0)
    return;
  end = 2 * M_PI * fraction;
  arc(ui, (float)cx, (float)cy, ro, ri, 0, end, fg);
  if (fraction < 1) {
    rb_ui_fill_circle(ui, cx, (int)lroundf(cy - mid), cap, fg);
    rb_ui_fill_circle(ui, (int)lroundf(cx + mid * (float)sin(end)),
                      (int)lroundf(cy - mid * (float)cos(end)), cap, fg);
  }
}

/* --- fonts and the text cache --- */

static TTF_Font *font_at(rb_ui *ui, rb_font f, int px) {
  if (px < 4)
    px = 4;
  if (ui->font_px[f] != px && TTF_SetFontSize(ui->fonts[f], px) == 0)
    ui->font_px[f] = px;
  return ui->fonts[f];
}

static Uint32 pack(SDL_Color c) {
  return ((Uint32)c.r << 24) | ((Uint32)c.g << 16) | ((Uint32)c.b << 8) | c.a;
}

static void text_evict(rb_ui *ui, int i) {
  text_entry *e = &ui->texts[i];
  ui->text_bytes -= (size_t)e->w * (size_t)e->h * 4;
  SDL_DestroyTexture(e->tex);
  free(e->text);
  ui->texts[i] = ui->texts[--ui->ntexts];
}

static void text_evict_lru(rb_ui *ui) {
  int lru = 0;
  for (int i = 1; i < ui->ntexts; i++)
    if (ui->texts[i].used < ui->texts[lru].used)
      lru = i;
  text_evict(ui, lru);
}

SDL_Texture *rb_ui_text_texture(rb_ui *ui, rb_font f, int px, SDL_Color c,
                                const char *text, int *w, int *h) {
  uint32_t hash;
  Uint32 rgba = pack(c);
  SDL_Surface *surf = NULL;
  SDL_Texture *tex = NULL;
  text_entry *e;
  size_t bytes;
  char *copy = NULL;

  if (w)
    *w = 0;
  if (h)
    *h = 0;
  if (!text || !*text)
    return NULL;
  if (ui->min_px_drawn == 0 || px < ui->min_px_drawn)
    ui->min_px_drawn = px;
  if (ui->primary && (ui->min_primary_px == 0 || px < ui->min_primary_px))
    ui->min_primary_px = px;
  hash = hash_str(text);
  for (int i = 0; i < ui->ntexts; i++) {
    e = &ui->texts[i];
    if (e->hash == hash && e->font == f && e->px == px && e->rgba == rgba &&
        strcmp(e->text, text) == 0) {
      e->used = ++ui->tick;
      if (w)
        *w = e->w;
      if (h)
        *h = e->h;
      return e->tex;
    }
  }
  surf = TTF_RenderUTF8_Blended(font_at(ui, f, px), text, c);
  if (!surf)
    goto fail;
  tex = SDL_CreateTextureFromSurface(ui->r, surf);
  copy = strdup(text);
  if (!tex || !copy)
    goto fail;
  bytes = (size_t)surf->w * (size_t)surf->h * 4;
  while (ui->ntexts > 0 && (ui->ntexts >= TEXT_CACHE_MAX ||
                            ui->text_bytes + bytes > TEXT_CACHE_BYTES))
    text_evict_lru(ui);
  e = &ui->texts[ui->ntexts++];
  e->tex = tex;
  e->w = surf->w;
  e->h = surf->h;
  e->font = f;
  e->px = px;
  e->rgba = rgba;
  e->hash = hash;
  e->text = copy;
  e->used = ++ui->tick;
  ui->text_bytes += bytes;
  if (w)
    *w = e->w;
  if (h)
    *h = e->h;
  SDL_FreeSurface(surf);
  return tex;
fail:
  free(copy);
  if (tex)
    SDL_DestroyTexture(tex);
  SDL_FreeSurface(surf);
  return NULL;
}

void rb_ui_text_size(rb_ui *ui, rb_font f, int px, const char *text, int *w,
                     int *h) {
  int tw = 0, th = 0;
  TTF_Font *font;
  uint32_t hash = text ? hash_str(text) : 0;
  /* A rendered texture has the measured size: no FreeType work. */
  for (int i = 0; text && *text && i < ui->ntexts; i++) {
    const text_entry *e = &ui->texts[i];
    if (e->hash == hash && e->font == f && e->px == px &&
        strcmp(e->text, text) == 0) {
      if (w)
        *w = e->w;
      if (h)
        *h = e->h;
      return;
    }
  }
  font = font_at(ui, f, px);
  if (text && *text)
    TTF_SizeUTF8(font, text, &tw, &th);
  else
    th = TTF_FontHeight(font);
  if (w)
    *w = tw;
  if (h)
    *h = th;
}

int rb_ui_text(rb_ui *ui, rb_font f, int px, SDL_Color c, const char *text,
               int x, int y, rb_align align) {
  int w, h;
  SDL_Texture *t = rb_ui_text_texture(ui, f, px, c, text, &w, &h);
  SDL_Rect dst;
  if (!t)
    return 0;
  dst.x = align == RB_ALIGN_CENTER  ? x - w / 2
          : align == RB_ALIGN_RIGHT ? x - w
                                    : x;
  dst.y = y;
  dst.w = w;
  dst.h = h;
  SDL_RenderCopy(ui->r, t, NULL, &dst);
  return w;
}

static int align_x(SDL_Rect box, int w, rb_align align) {
  return align == RB_ALIGN_CENTER  ? box.x + (box.w - w) / 2
         : align == RB_ALIGN_RIGHT ? box.x + box.w - w
                                   : box.x;
}

static int align_y(SDL_Rect box, int h, rb_valign valign) {
  return valign == RB_VALIGN_MIDDLE   ? box.y + (box.h - h) / 2
         : valign == RB_VALIGN_BOTTOM ? box.y + box.h - h
                                      : box.y;
}

static int size_step(int px) { return px > 40 ? px / 20 : 1; }

static layout_entry *layout(rb_ui *ui, rb_font f, int max_px, int min_px,
                            const char *text, int w, int h, bool wrap_lines);
static int draw_layout(rb_ui *ui, rb_font f, SDL_Color c, const layout_entry *e,
                       SDL_Rect box, rb_align align, rb_valign valign);

int rb_ui_text_fit(rb_ui *ui, rb_font f, int max_px, int min_px, SDL_Color c,
                   const char *text, SDL_Rect box, rb_align align,
                   rb_valign valign) {
  /* Laid out once and cached: a frame measures nothing it measured
   * before (a Pi re-measures slowly after each font size change). */
  layout_entry *e;
  if (!text || !*text)
    return max_px;
  e = layout(ui, f, max_px, min_px, text, box.w, box.h, false);
  return e ? draw_layout(ui, f, c, e, box, align, valign) : min_px;
}

/* --- wrapping --- */

static int measure(TTF_Font *font, const char *s, size_t n, char *buf) {
  int w = 0;
  memcpy(buf, s, n);
  buf[n] = '\0';
  if (n)
    TTF_SizeUTF8(font, buf, &w, NULL);
  return w;
}

static size_t utf8_next(const char *s, size_t i, size_t n) {
  i++;
  while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
    i++;
  return i;
}

typedef struct {
  size_t start[LAYOUT_LINES_MAX + 1], len[LAYOUT_LINES_MAX + 1];
  int n;
  bool overflow; /* more lines than LAYOUT_LINES_MAX */
  bool broke;    /* a word wider than the box was broken */
} line_set;

static void add_line(line_set *ls, const char *text, size_t start, size_t end) {
  while (end > start && text[end - 1] == ' ')
    end--;
  if (ls->n >= LAYOUT_LINES_MAX) {
    ls->overflow = true;
    return;
  }
  ls->start[ls->n] = start;
  ls->len[ls->n] = end - start;
  ls->n++;
}

/* Where to end a line that starts with a word wider than the box: after
 * the last '/' that fits (a path reads "dir/" then "file.lua:6"), else
 * after the last character that fits; always at least one character. */
static size_t break_word(TTF_Font *font, const char *text, size_t line,
                         size_t pend, int width, char *buf) {
  size_t k = utf8_next(text, line, pend), fit = k, slash = 0;
  /* Here [line, k) fits: it is one character or was measured. */
  while (k < pend && text[k] != ' ') {
    if (text[k - 1] == '/' && k - line > 1)
      slash = k;
    k = utf8_next(text, k, pend);
    if (measure(font, text + line, k - line, buf) > width)
      return slash > line ? slash : fit;
    fit = k;
  }
  return fit; /* the whole word fits (not when called from wrap) */
}

/* Greedy word wrap of text at the font's current size. */
static void wrap(TTF_Font *font, const char *text, int width, char *buf,
                 line_set *ls) {
  size_t n = strlen(text), para = 0;
  ls->n = 0;
  ls->overflow = false;
  ls->broke = false;
  while (para <= n) {
    size_t pend = para;
    size_t line = para;
    while (pend < n && text[pend] != '\n')
      pend++;
    if (pend == para)
      add_line(ls, text, para, para);
    while (line < pend) {
      size_t fit = line, i = line;
      while (line < pend && text[line] == ' ')
        line++;
      fit = line;
      i = line;
      /* Extend word by word while the line still fits. */
      while (i < pend) {
        size_t j = i;
        while (j < pend && text[j] == ' ')
          j++;
        while (j < pend && text[j] != ' ')
          j++;
        if (measure(font, text + line, j - line, buf) > width)
          break;
        fit = j;
        i = j;
      }
      if (fit == line) {
        fit = break_word(font, text, line, pend, width, buf);
        ls->broke = true;
      }
      if (line < pend)
        add_line(ls, text, line, fit);
      line = fit;
    }
    para = pend + 1;
  }
}

static layout_entry *layout(rb_ui *ui, rb_font f, int max_px, int min_px,
                            const char *text, int w, int h, bool wrap_lines) {
  uint32_t hash = hash_str(text);
  layout_entry *e;
  line_set *ls = NULL;
  char *buf = NULL;
  size_t n = strlen(text);
  int px, skip = 0, fitn;
  bool too_wide = false;
  int asked_px = max_px;

  /* A clinic's text_scale: every text as much larger as its box allows,
   * never smaller than asked. */
  if (ui->text_scale > 1.0f && !ui->unscaled)
    max_px = (int)lroundf((float)max_px * ui->text_scale);
  if (min_px > max_px)
    min_px = max_px;
  for (int i = 0; i < ui->nlayouts; i++) {
    e = &ui->layouts[i];
    if (e->hash == hash && e->font == f && e->max_px == max_px &&
        e->min_px == min_px && e->w == w && e->h == h &&
        e->wrap == wrap_lines && strcmp(e->text, text) == 0)
      return e;
  }
  if (ui->nlayouts >= LAYOUT_CACHE_MAX)
    layouts_clear(ui);
  ls = malloc(sizeof *ls);
  buf = malloc(n + sizeof ELLIPSIS + 1);
  if (!ls || !buf)
    goto fail;
  e = &ui->layouts[ui->nlayouts];
  memset(e, 0, sizeof *e);
  px = max_px;
  for (;;) {
    TTF_Font *font = font_at(ui, f, px);
    skip = TTF_FontLineSkip(font);
    if (wrap_lines) {
      wrap(font, text, w, buf, ls);
    } else {
      ls->n = 1;
      ls->overflow = false;
      ls->broke = false;
      ls->start[0] = 0;
      ls->len[0] = n;
      too_wide = measure(font, text, n, buf) > w;
    }
    /* a smaller size that keeps every word whole is better than a word
     * broken in two; at the smallest size a long word (a path) breaks */
    if ((!ls->overflow && !too_wide && !ls->broke && ls->n * skip <= h) ||
        px <= min_px)
      break;
    px -= size_step(px);
    if (px < min_px)
      px = min_px;
  }
  fitn = skip > 0 ? h / skip : ls->n;
  if (fitn < 1)
    fitn = 1;
  if (fitn > ls->n)
    fitn = ls->n;
  e->lines = calloc((size_t)(fitn > 0 ? fitn : 1), sizeof *e->lines);
  e->text = strdup(text);
  if (!e->lines || !e->text)
    goto fail_entry;
  for (int i = 0; i < fitn; i++) {
    size_t len = ls->len[i];
    bool cut = i == fitn - 1 && (fitn < ls->n || ls->overflow || too_wide);
    memcpy(buf, text + ls->start[i], len);
    buf[len] = '\0';
    if (cut) {
      TTF_Font *font = font_at(ui, f, px);
      e->cut = true;
      int tw = 0;
      /* Drop characters until "line..." fits. */
      for (;;) {
        snprintf(buf + len, sizeof ELLIPSIS, "%s", ELLIPSIS);
        TTF_SizeUTF8(font, buf, &tw, NULL);
        if (tw <= w || len == 0)
          break;
        do
          len--;
        while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80);
      }
    }
    e->lines[i] = strdup(buf);
    if (!e->lines[i])
      goto fail_entry;
    e->nlines = i + 1;
  }
  e->font = f;
  e->wrap = wrap_lines;
  e->max_px = max_px;
  e->asked_px = asked_px;
  e->min_px = min_px;
  e->w = w;
  e->h = h;
  e->hash = hash;
  e->px = px;
  e->broke = ls->broke;
  e->height = fitn * skip;
  ui->nlayouts++;
  free(buf);
  free(ls);
  return e;
fail_entry:
  for (int i = 0; i < e->nlines; i++)
    free(e->lines[i]);
  free(e->lines);
  free(e->text);
  memset(e, 0, sizeof *e);
fail:
  free(buf);
  free(ls);
  return NULL;
}

int rb_ui_text_box_measure(rb_ui *ui, rb_font f, int max_px, int min_px,
                           const char *text, int w, int h, int *nlines,
                           int *height) {
  layout_entry *e = layout(ui, f, max_px, min_px, text ? text : "", w, h, true);
  if (nlines)
    *nlines = e ? e->nlines : 0;
  if (height)
    *height = e ? e->height : 0;
  return e ? e->px : min_px;
}

bool rb_ui_text_box_fits(rb_ui *ui, rb_font f, int max_px, int min_px,
                         const char *text, int w, int h) {
  layout_entry *e = layout(ui, f, max_px, min_px, text ? text : "", w, h, true);
  return e && !e->cut && !e->broke;
}

static int draw_layout(rb_ui *ui, rb_font f, SDL_Color c, const layout_entry *e,
                       SDL_Rect box, rb_align align, rb_valign valign) {
  int skip = e->nlines ? e->height / e->nlines : 0;
  if (e->cut)
    ui->cuts++;
  if (e->px > e->asked_px)
    ui->grown++;
  int y = align_y(box, e->height, valign);
  for (int i = 0; i < e->nlines; i++) {
    int w = 0, h = 0;
    SDL_Texture *t = rb_ui_text_texture(ui, f, e->px, c, e->lines[i], &w, &h);
    if (t) {
      SDL_Rect dst = {align_x(box, w, align), y, w, h};
      SDL_RenderCopy(ui->r, t, NULL, &dst);
    }
    y += skip;
  }
  return e->px;
}

int rb_ui_text_box(rb_ui *ui, rb_font f, int max_px, int min_px, SDL_Color c,
                   const char *text, SDL_Rect box, rb_align align,
                   rb_valign valign) {
  layout_entry *e;
  if (!text || !*text)
    return max_px;
  e = layout(ui, f, max_px, min_px, text, box.w, box.h, true);
  return e ? draw_layout(ui, f, c, e, box, align, valign) : min_px;
}

/* --- numerals --- */

/* Digit metrics as fractions of the font size, measured once. */
static bool digit_metrics(rb_ui *ui) {
  const int ref = 200;
  int miny = 0, maxy = 0;
  TTF_Font *font;
  if (ui->digit_ink > 0)
    return true;
  font = font_at(ui, RB_FONT_BOLD, ref);
  if (TTF_GlyphMetrics32(font, '0', NULL, NULL, &miny, &maxy, NULL) != 0 ||
      maxy <= miny)
    return false;
  ui->digit_ink = (float)(maxy - miny) / ref;
  ui->digit_top = (float)(TTF_FontAscent(font) - maxy) / ref;
  return true;
}

static int chars_width(rb_ui *ui, int px, const char *s, size_t n) {
  char one[8];
  int total = 0;
  for (size_t i = 0; i < n;) {
    size_t j = utf8_next(s, i, n);
    int w = 0;
    if (j - i >= sizeof one)
      break;
    memcpy(one, s + i, j - i);
    one[j - i] = '\0';
    rb_ui_text_size(ui, RB_FONT_BOLD, px, one, &w, NULL);
    total += w;
    i = j;
  }
  return total;
}

int rb_ui_numeral(rb_ui *ui, const char *digits, SDL_Color c, SDL_Rect box,
                  rb_align align) {
  size_t n = strlen(digits);
  int px, total, x, ink_h, ink_top;
  char one[8];

  if (!n || box.h <= 0 || !digit_metrics(ui))
    return 0;
  px = (int)(box.h / ui->digit_ink);
  total = chars_width(ui, px, digits, n);
  if (total > box.w && total > 0) {
    px = (int)((long)px * box.w / total);
    total = chars_width(ui, px, digits, n);
  }
  if (px < 8)
    return 0;
  ink_h = (int)lroundf(px * ui->digit_ink);
  ink_top = box.y + (box.h - ink_h) / 2;
  x = align_x(box, total, align);
  for (size_t i = 0; i < n;) {
    size_t j = utf8_next(digits, i, n);
    int w = 0, h = 0;
    SDL_Texture *t;
    if (j - i >= sizeof one)
      break;
    memcpy(one, digits + i, j - i);
    one[j - i] = '\0';
    t = rb_ui_text_texture(ui, RB_FONT_BOLD, px, c, one, &w, &h);
    if (t) {
      SDL_Rect dst = {x, ink_top - (int)lroundf(px * ui->digit_top), w, h};
      SDL_RenderCopy(ui->r, t, NULL, &dst);
    } else {
      rb_ui_text_size(ui, RB_FONT_BOLD, px, one, &w, NULL); /* a space */
    }
    x += w;
    i = j;
  }
  return total;
}

/* --- widgets --- */

/* WCAG 2 relative luminance of an sRGB colour. */
static double luminance(SDL_Color c) {
  const Uint8 ch[3] = {c.r, c.g, c.b};
  const double w[3] = {0.2126, 0.7152, 0.0722};
  double l = 0;
  for (int i = 0; i < 3; i++) {
    double v = ch[i] / 255.0;
    v = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    l += w[i] * v;
  }
  return l;
}

double rb_ui_contrast(SDL_Color a, SDL_Color b) {
  double la = luminance(a), lb = luminance(b);
  return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

SDL_Color rb_ui_text_on(SDL_Color fill) {
  /* whichever of black and white stands out more: on any fill that is at
   * least 4.58:1 (WCAG asks 4.5:1) */
  return rb_ui_contrast(fill, RB_COL_DARK) > rb_ui_contrast(fill, RB_COL_TEXT)
             ? RB_COL_DARK
             : RB_COL_TEXT;
}

static SDL_Color shade(SDL_Color c, double k) {
  SDL_Color o = {(Uint8)(c.r * k), (Uint8)(c.g * k), (Uint8)(c.b * k), c.a};
  return o;
}

/* Where a button's label goes and the sizes it may take: big buttons get
 * big labels. */
static SDL_Rect button_label(rb_ui *ui, SDL_Rect r, int *max_px, int *min_px) {
  int pad = rb_ui_px(ui, 8);
  SDL_Rect in = {r.x + pad, r.y + pad / 2, r.w - 2 * pad, r.h - pad};
  int big = in.h * 3 / 5 < rb_ui_px(ui, 56) ? in.h * 3 / 5 : rb_ui_px(ui, 56);
  *max_px = rb_ui_px(ui, RB_TEXT_BUTTON);
  if (big > *max_px)
    *max_px = big;
  if (*max_px > in.h * 3 / 4)
    *max_px = in.h * 3 / 4;
  *min_px = rb_ui_px(ui, RB_TEXT_MIN);
  if (*min_px > *max_px)
    *min_px = *max_px;
  return in;
}

int rb_ui_button_label_px(rb_ui *ui, SDL_Rect r, const char *label) {
  int max_px, min_px, n = 0, h = 0;
  SDL_Rect in = button_label(ui, r, &max_px, &min_px);
  if (!label || !*label || in.w <= 0 || in.h <= 0)
    return 0;
  return rb_ui_text_box_measure(ui, RB_FONT_BOLD, max_px, min_px, label, in.w,
                                in.h, &n, &h);
}

void rb_ui_button(rb_ui *ui, SDL_Rect r, const char *label, SDL_Color fill,
                  SDL_Color text, int flags) {
  int radius = rb_ui_px(ui, 14), max_px, min_px;
  SDL_Rect in;

  if (flags & RB_BTN_SELECTED) {
    int f = rb_ui_px(ui, 6);
    SDL_Rect o = {r.x - f, r.y - f, r.w + 2 * f, r.h + 2 * f};
    rb_ui_round_rect_outline(ui, o, radius + f, f, RB_COL_FOCUS);
  }
  if (flags & RB_BTN_DISABLED) {
    fill = RB_COL_PANEL;
    text = RB_RGB(0x8a, 0x93, 0x9c);
  } else if (flags & RB_BTN_PRESSED) {
    fill = shade(fill, 0.65);
    r.x += rb_ui_px(ui, 2);
    r.y += rb_ui_px(ui, 3);
  }
  rb_ui_fill_round_rect(ui, r, radius, fill);
  in = button_label(ui, r, &max_px, &min_px);
  if (label && *label && in.w > 0 && in.h > 0)
    rb_ui_text_box(ui, RB_FONT_BOLD, max_px, min_px, text, label, in,
                   RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
}

static bool is_side(const char *side, const char *name) {
  return side && SDL_strcasecmp(side, name) == 0;
}

SDL_Color rb_ui_side_color(const char *side) {
  if (is_side(side, "left"))
    return RB_COL_LEFT;
  if (is_side(side, "right"))
    return RB_COL_RIGHT;
  return RB_COL_ACCENT;
}

void rb_ui_side_badge(rb_ui *ui, SDL_Rect r, const char *side,
                      const char *label) {
  SDL_Color fill = rb_ui_side_color(side);
  SDL_Rect in = {r.x + r.h / 6, r.y + r.h / 10, r.w - r.h / 3, r.h - r.h / 5};
  if (!label || !*label || !(is_side(side, "left") || is_side(side, "right")))
    return;
  int px = in.h * 9 / 10, most = rb_ui_px(ui, 48);
  rb_ui_fill_round_rect(ui, r, rb_ui_px(ui, 12), fill);
  /* The block carries it; the word stays below a step's title. */
  rb_ui_text_fit(ui, RB_FONT_BOLD, px < most ? px : most,
                 rb_ui_px(ui, RB_TEXT_MIN), rb_ui_text_on(fill), label, in,
                 RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
}

SDL_Color rb_ui_scale_color(double t) {
  /* green -> yellow -> red, all strong enough to carry black text on
   * the first half and white on the last. */
  static const SDL_Color stops[] = {{0x1f, 0xb8, 0x4c, 255},
                                    {0x9c, 0xcc, 0x2a, 255},
                                    {0xff, 0xd0, 0x2a, 255},
                                    {0xff, 0x8a, 0x1c, 255},
                                    {0xd7, 0x1f, 0x1f, 255}};
  double p;
  int i;
  SDL_Color a, b, o;
  if (!(t > 0))
    t = 0;
  if (t > 1)
    t = 1;
  p = t * 4;
  i = (int)p;
  if (i >= 4)
    return stops[4];
  p -= i;
  a = stops[i];
  b = stops[i + 1];
  o.r = (Uint8)(a.r + (b.r - a.r) * p);
  o.g = (Uint8)(a.g + (b.g - a.g) * p);
  o.b = (Uint8)(a.b + (b.b - a.b) * p);
  o.a = 255;
  return o;
}

int rb_ui_text_cache_count(const rb_ui *ui) { return ui->ntexts; }
size_t rb_ui_text_cache_bytes(const rb_ui *ui) { return ui->text_bytes; }
void rb_ui_text_stats_reset(rb_ui *ui) {
  ui->min_px_drawn = ui->min_primary_px = ui->cuts = 0;
  ui->grown = 0;
}
int rb_ui_text_min_px(const rb_ui *ui) { return ui->min_px_drawn; }
int rb_ui_text_grown(const rb_ui *ui) { return ui->grown; }
int rb_ui_text_min_primary_px(const rb_ui *ui) { return ui->min_primary_px; }
int rb_ui_text_cuts(const rb_ui *ui) { return ui->cuts; }
void rb_ui_primary(rb_ui *ui, bool on) { ui->primary = on; }

bool rb_ui_glyph_missing(rb_ui *ui, const char *text, Uint32 *cp) {
  const unsigned char *p = (const unsigned char *)text;
  while (*p) {
    Uint32 c;
    int n;
    if (*p < 0x80) {
      c = *p;
      n = 1;
    } else if ((*p & 0xe0) == 0xc0 && p[1]) {
      c = (Uint32)(*p & 0x1f) << 6 | (p[1] & 0x3f);
      n = 2;
    } else if ((*p & 0xf0) == 0xe0 && p[1] && p[2]) {
      c = (Uint32)(*p & 0x0f) << 12 | (Uint32)(p[1] & 0x3f) << 6 |
          (p[2] & 0x3f);
      n = 3;
    } else if ((*p & 0xf8) == 0xf0 && p[1] && p[2] && p[3]) {
      c = (Uint32)(*p & 0x07) << 18 | (Uint32)(p[1] & 0x3f) << 12 |
          (Uint32)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
      n = 4;
    } else {
      return false; /* not UTF-8: the API refuses it before it gets here */
    }
    /* a line break or tab is not drawn as a glyph */
    if (c >= 0x20 && !TTF_GlyphIsProvided32(ui->fonts[RB_FONT_REGULAR], c)) {
      *cp = c;
      return true;
    }
    p += n;
  }
  return false;
}
