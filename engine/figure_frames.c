/* figure_frames: the frames a moving figure was drawn in, kept as
 * textures and copied when the figure comes back to the same position
 * (figure.h). */
#include "figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A kept position may be this far (px, in its box) from the one asked
 * for: under half the run screen's 7 px between two frames. */
#define STEP_PX 3.0
/* The movement is sampled this finely to find its fastest part. */
#define SAMPLES 64
/* Fewer steps than this for a whole movement: not worth keeping. */
#define STEPS_MIN 6
#define STEPS_MAX 96
#define NAME_MAX_ 64

typedef struct {
  SDL_Texture *tex;
  const rb_figures *figs;
  char name[NAME_MAX_], side[8];
  int w, h, q;
  size_t bytes;
  unsigned long used; /* when last copied or drawn */
} kept_frame;

struct rb_figure_frames {
  size_t max_bytes, bytes;
  kept_frame *items;
  int n, cap;
  unsigned long clock;
  long copied, drawn;
  /* the ui's epoch the frames were drawn in: lost textures or a new size
   * (line widths, radii) drop them all */
  unsigned epoch;
  /* the steps of the last figure and box asked for */
  const rb_figures *plan_figs;
  char plan_name[NAME_MAX_];
  int plan_w, plan_h, plan_steps;
};

rb_figure_frames *rb_figure_frames_new(size_t max_bytes) {
  rb_figure_frames *c = calloc(1, sizeof *c);
  if (c)
    c->max_bytes = max_bytes;
  return c;
}

static void drop(rb_figure_frames *c, int i) {
  SDL_DestroyTexture(c->items[i].tex);
  c->bytes -= c->items[i].bytes;
  c->items[i] = c->items[--c->n];
}

void rb_figure_frames_free(rb_figure_frames *c) {
  if (!c)
    return;
  while (c->n > 0)
    drop(c, c->n - 1);
  free(c->items);
  free(c);
}

void rb_figure_frames_stats(const rb_figure_frames *c, long *copied,
                            long *drawn) {
  *copied = c ? c->copied : 0;
  *drawn = c ? c->drawn : 0;
}

/* How many steps the movement is kept in for this box: fine enough that
 * its fastest part moves a joint at most STEP_PX a step; 0 when the
 * frames would not fit in max_bytes (a large box) or it does not move. */
static int steps_for(rb_figure_frames *c, const rb_figures *f, const char *name,
                     SDL_Rect box) {
  double fastest = 0;
  size_t frame = (size_t)box.w * (size_t)box.h * 4;
  int steps;
  if (c->plan_figs == f && c->plan_w == box.w && c->plan_h == box.h &&
      strcmp(c->plan_name, name) == 0)
    return c->plan_steps;
  for (int k = 0; k < SAMPLES; k++)
    fastest =
        fmax(fastest, rb_figures_motion_px(f, name, box, (double)k / SAMPLES,
                                           (double)(k + 1) / SAMPLES));
  steps = (int)ceil(fastest * SAMPLES / STEP_PX);
  if (steps < STEPS_MIN)
    steps = fastest > 0 ? STEPS_MIN : 0;
  if (steps > STEPS_MAX || (size_t)(steps + 1) * frame > c->max_bytes)
    steps = 0;
  c->plan_figs = f;
  snprintf(c->plan_name, sizeof c->plan_name, "%s", name);
  c->plan_w = box.w;
  c->plan_h = box.h;
  c->plan_steps = steps;
  return steps;
}

static void draw_direct(rb_ui *ui, const rb_figures *f, const char *name,
                        SDL_Rect box, int radius, SDL_Color panel, double pos,
                        double breath, const char *side, bool *found) {
  rb_ui_fill_round_rect(ui, box, radius, panel);
  *found = rb_figure_draw(ui, f, name, box, pos, breath, side);
}

/* Room for one more frame of `bytes`: the least recently used go. */
static bool make_room(rb_figure_frames *c, size_t bytes) {
  while (c->n > 0 && c->bytes + bytes > c->max_bytes) {
    int old = 0;
    for (int i = 1; i < c->n; i++)
      if (c->items[i].used < c->items[old].used)
        old = i;
    drop(c, old);
  }
  if (c->n == c->cap) {
    int cap = c->cap ? c->cap * 2 : 16;
    kept_frame *more = realloc(c->items, (size_t)cap * sizeof *more);
    if (!more)
      return false;
    c->items = more;
    c->cap = cap;
  }
  return c->bytes + bytes <= c->max_bytes;
}

bool rb_figure_draw_kept(rb_figure_frames *c, rb_ui *ui, const rb_figures *f,
                         const char *name, SDL_Rect box, int radius,
                         SDL_Color panel, SDL_Color bg, double pos,
                         double breath, const char *side) {
  SDL_Renderer *r = rb_ui_renderer(ui);
  SDL_Texture *prev, *tex;
  const char *sd = side ? side : "";
  bool found = false;
  int steps, q;
  kept_frame *k;
  if (!isfinite(pos))
    pos = 0;
  pos = fmin(1, fmax(0, pos));
  if (c && c->epoch != rb_ui_epoch(ui)) {
    while (c->n > 0)
      drop(c, c->n - 1);
    c->plan_figs = NULL;
    c->epoch = rb_ui_epoch(ui);
  }
  steps = c && name && (!isfinite(breath) || breath <= 0 || breath >= 1) &&
                  box.w > 0 && box.h > 0 && rb_figures_has(f, name) &&
                  strlen(name) < NAME_MAX_ && strlen(sd) < sizeof k->side
              ? steps_for(c, f, name, box)
              : 0;
  if (steps == 0) {
    draw_direct(ui, f, name, box, radius, panel, pos, breath, side, &found);
    return found;
  }
  q = (int)lround(pos * steps);
  for (int i = 0; i < c->n; i++) {
    k = &c->items[i];
    if (k->figs == f && k->q == q && k->w == box.w && k->h == box.h &&
        strcmp(k->name, name) == 0 && strcmp(k->side, sd) == 0) {
      k->used = ++c->clock;
      c->copied++;
      SDL_RenderCopy(r, k->tex, NULL, &box);
      return true;
    }
  }
  /* a new frame: the panel and the figure at the kept position, drawn
   * into a texture of the box's size, then copied like the others */
  tex = make_room(c, (size_t)box.w * (size_t)box.h * 4)
            ? SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888,
                                SDL_TEXTUREACCESS_TARGET, box.w, box.h)
            : NULL;
  prev = SDL_GetRenderTarget(r);
  if (!tex || SDL_SetRenderTarget(r, tex) != 0) {
    if (tex) {
      /* SDL may keep tex as the target when the switch failed: put the
       * one before back first (destroying the target would leave the
       * window as the target, not a rotated panel's canvas) */
      SDL_SetRenderTarget(r, prev);
      SDL_DestroyTexture(tex);
    }
    draw_direct(ui, f, name, box, radius, panel, (double)q / steps, 0, side,
                &found);
    return found;
  }
  SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE); /* opaque: a copy */
  SDL_SetRenderDrawColor(r, bg.r, bg.g, bg.b, 255);
  SDL_RenderClear(r);
  draw_direct(ui, f, name, (SDL_Rect){0, 0, box.w, box.h}, radius, panel,
              (double)q / steps, 0, side, &found);
  SDL_SetRenderTarget(r, prev);
  k = &c->items[c->n++];
  *k = (kept_frame){.tex = tex,
                    .figs = f,
                    .w = box.w,
                    .h = box.h,
                    .q = q,
                    .bytes = (size_t)box.w * (size_t)box.h * 4,
                    .used = ++c->clock};
  snprintf(k->name, sizeof k->name, "%s", name);
  snprintf(k->side, sizeof k->side, "%s", sd);
  c->bytes += k->bytes;
  c->drawn++;
  SDL_RenderCopy(r, tex, NULL, &box);
  return found;
}
