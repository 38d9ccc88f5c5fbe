/* figure_cmd: `rebalance figures [--out DIR]`, the list of figures and
 * their key poses rendered to PNG on SDL's offscreen driver (a therapist's
 * preview, the pictures in docs/figures.md). */
#include "figure_internal.h"
#include "paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CELL_DEFAULT 480

typedef struct {
  SDL_Window *win;
  SDL_Renderer *r;
  rb_ui *ui;
  bool sdl;
} canvas;

static bool canvas_open(canvas *c, const char *font, FILE *err) {
  char msg[512] = "";
  memset(c, 0, sizeof *c);
  /* pictures only: never a window on anybody's screen */
  SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "offscreen", SDL_HINT_OVERRIDE);
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    fprintf(err, "rebalance: figures: %s\n", SDL_GetError());
    return false;
  }
  c->sdl = true;
  c->win = SDL_CreateWindow("figures", 0, 0, 64, 64, SDL_WINDOW_HIDDEN);
  c->r = c->win ? SDL_CreateRenderer(c->win, -1,
                                     SDL_RENDERER_SOFTWARE |
                                         SDL_RENDERER_TARGETTEXTURE)
                : NULL;
  c->ui = c->r ? rb_ui_new(c->r, font, msg, sizeof msg) : NULL;
  if (!c->ui) {
    fprintf(err, "rebalance: figures: %s\n", msg[0] ? msg : SDL_GetError());
    return false;
  }
  return true;
}

static void canvas_close(canvas *c) {
  rb_ui_free(c->ui);
  if (c->r)
    SDL_DestroyRenderer(c->r);
  if (c->win)
    SDL_DestroyWindow(c->win);
  if (c->sdl)
    SDL_Quit();
}

typedef struct {
  const char *name;
  const char *side; /* as drawn */
  double pos;
} cell;

/* Draws cells side by side (rows of ncols) into a w x h picture, each with
 * its caption, and saves it. */
static bool picture(canvas *c, const rb_figures *f, const cell *cells, int n,
                    int ncols, int cw, int ch, const char *path, FILE *err) {
  int rows = (n + ncols - 1) / ncols, w = cw * (n < ncols ? n : ncols),
      h = ch * rows;
  SDL_Texture *tex = SDL_CreateTexture(c->r, SDL_PIXELFORMAT_ARGB8888,
                                       SDL_TEXTUREACCESS_TARGET, w, h);
  char msg[512];
  bool ok;
  if (!tex || SDL_SetRenderTarget(c->r, tex) != 0) {
    fprintf(err, "rebalance: figures: %s\n", SDL_GetError());
    if (tex)
      SDL_DestroyTexture(tex);
    return false;
  }
  rb_ui_resize(c->ui, w, h);
  rb_ui_clear(c->ui, RB_COL_BG);
  for (int i = 0; i < n; i++) {
    int col = i % ncols, row = i / ncols, cap = ch / 11;
    SDL_Rect cellr = {col * cw, row * ch, cw, ch};
    SDL_Rect box = {cellr.x + cw / 24, cellr.y + ch / 24, cw - cw / 12,
                    ch - ch / 12 - cap};
    SDL_Rect capr = {cellr.x, cellr.y + ch - cap - ch / 48, cw, cap};
    char text[160];
    int k =
        (int)(cells[i].pos * (rb_figures_poses(f, cells[i].name) - 1) + 0.5);
    const char *pose = rb_figures_pose_name(f, cells[i].name, k);
    rb_ui_fill_round_rect(c->ui,
                          (SDL_Rect){cellr.x + 4, cellr.y + 4, cw - 8, ch - 8},
                          12, RB_COL_PANEL);
    rb_figure_draw(c->ui, f, cells[i].name, box, cells[i].pos, 0,
                   cells[i].side);
    snprintf(text, sizeof text, "%s%s%s", pose ? pose : "",
             cells[i].side[0] ? " - " : "", cells[i].side);
    rb_ui_text_fit(c->ui, RB_FONT_REGULAR, cap * 3 / 4, 8, RB_COL_TEXT_DIM,
                   text, capr, RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  }
  ok = rb_ui_screenshot(c->ui, path, msg, sizeof msg);
  if (!ok)
    fprintf(err, "rebalance: figures: %s\n", msg);
  SDL_SetRenderTarget(c->r, NULL);
  SDL_DestroyTexture(tex);
  return ok;
}

static const char *side_word(fig_side s) {
  return s == FIG_SIDE_LEFT ? "left" : s == FIG_SIDE_RIGHT ? "right" : "";
}

/* The figure behind a name, for the listing: loaded again on its own. */
static void describe(const rb_figures *f, int i, FILE *out) {
  const char *name = rb_figures_name(f, i);
  fig_problems probs;
  fig_figure *fig = malloc(sizeof *fig);
  probs.n = 0;
  if (!fig || !fig_load_file(rb_figures_path(f, name), fig, &probs)) {
    fprintf(out, "%s\n", name);
    free(fig);
    return;
  }
  fprintf(out, "%s: %s view", name,
          fig->view == FIG_VIEW_FRONT ? "front" : "side");
  if (fig->side != FIG_SIDE_NONE) {
    static const char *const limbs[] = {"arm_l", "arm_r", "leg_l", "leg_r"};
    fprintf(out, ", %s side working (", side_word(fig->side));
    for (int l = 0, n = 0; l < 4; l++)
      if (fig->limbs & (1u << l))
        fprintf(out, "%s%s", n++ ? ", " : "", limbs[l]);
    fprintf(out, ")");
  }
  fprintf(out, "; props:");
  if (fig->nprops == 0)
    fprintf(out, " floor");
  for (int p = 0; p < fig->nprops; p++)
    fprintf(out, "%s %s", p ? "," : "", fig_prop_name(fig->props[p].kind));
  fprintf(out, "; poses:");
  for (int s = 0; s < fig->nseq; s++)
    fprintf(out, "%s %s", s ? " ->" : "", fig->pose_names[fig->seq[s]]);
  if (fig->nseq == 1)
    fprintf(out, " (still)");
  fprintf(out, "\n  %s%s%s\n", fig->path, fig->title[0] ? ": " : "",
          fig->title);
  free(fig);
}

static bool render_all(const rb_figures *f, const char *dir, const char *font,
                       int cw, int ch, FILE *err) {
  canvas c;
  bool ok = true;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(err, "rebalance: figures: %s: %s\n", dir, strerror(errno));
    return false;
  }
  if (!canvas_open(&c, font, err)) {
    canvas_close(&c);
    return false;
  }
  for (int i = 0; i < rb_figures_count(f) && ok; i++) {
    const char *name = rb_figures_name(f, i);
    int n = rb_figures_poses(f, name);
    fig_problems probs;
    fig_figure *fig = malloc(sizeof *fig);
    cell cells[2 * FIG_SEQ_MAX];
    int ncells = 0;
    const char *work = "", *other = "";
    char path[FIG_PATH_MAX + FIG_NAME_MAX * 2 + 16];
    probs.n = 0;
    if (fig && fig_load_file(rb_figures_path(f, name), fig, &probs)) {
      work = side_word(fig->side);
      other = fig->side == FIG_SIDE_LEFT    ? "right"
              : fig->side == FIG_SIDE_RIGHT ? "left"
                                            : "";
    }
    free(fig);
    for (int k = 0; k < n && ok; k++) {
      cell one = {name, work, n > 1 ? (double)k / (n - 1) : 0};
      snprintf(path, sizeof path, "%s/%s-%s.png", dir, name,
               rb_figures_pose_name(f, name, k));
      ok = picture(&c, f, &one, 1, 1, cw, ch, path, err);
      cells[ncells++] = one;
    }
    /* the sheet: every key pose, and mirrored for the other side */
    for (int k = 0; k < n && other[0]; k++) {
      cell one = {name, other, n > 1 ? (double)k / (n - 1) : 0};
      cells[ncells++] = one;
    }
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    if (ok)
      ok = picture(&c, f, cells, ncells, n, cw / 2, ch / 2, path, err);
  }
  canvas_close(&c);
  return ok;
}

int rb_figures_command(const char *routines_dir, const char *out_dir,
                       const char *font, const char *size, FILE *out,
                       FILE *err) {
  char bundled[FIG_PATH_MAX], clinic[FIG_PATH_MAX];
  const char *dirs[2] = {bundled, clinic};
  rb_figures *f;
  int cw = CELL_DEFAULT, ch = CELL_DEFAULT, rc = 0;
  if (size && (sscanf(size, "%dx%d", &cw, &ch) != 2 || cw < 64 || ch < 64 ||
               cw > 4096 || ch > 4096)) {
    fprintf(err, "rebalance: figures: --size %s: expected WxH, 64 to 4096\n",
            size);
    return 2;
  }
  rb_paths_figures(bundled, sizeof bundled);
  rb_figures_clinic_dir(routines_dir, clinic, sizeof clinic);
  f = rb_figures_load(dirs, 2);
  if (!f) {
    fprintf(err, "rebalance: figures: out of memory\n");
    return 1;
  }
  fprintf(out, "# figures from %s and %s\n", bundled, clinic);
  for (int i = 0; i < rb_figures_count(f); i++)
    describe(f, i, out);
  if (rb_figures_problems(f)[0]) {
    fputs(rb_figures_problems(f), err);
    rc = 1;
  }
  if (out_dir && !render_all(f, out_dir, font, cw, ch, err))
    rc = 1;
  rb_figures_free(f);
  return rc;
}
