/* intro: what a routine is, how long it takes, what it needs; START. */
#include "screen_parts.h"

#include "figure.h"

#include <math.h>
#include <string.h>

typedef struct {
  rb_meta meta; /* a copy: the catalog may be reloaded */
  double minutes;
  char figure[RB_SHORT_MAX]; /* the routine's first, "" none */
} intro_data;

void rb_screen_format_minutes(const rb_screen *s, double minutes, char *out,
                              size_t outlen) {
  long m = lround(minutes);
  if (!(minutes > 0))
    snprintf(out, outlen, "%s", "");
  else if (m < 1)
    snprintf(out, outlen, "%s", rb_screen_word(s, RB_PHRASE_UNDER_MINUTE));
  else if (m == 1)
    snprintf(out, outlen, "%s", rb_screen_word(s, RB_PHRASE_ABOUT_MINUTE));
  else
    rb_screen_words(s, RB_PHRASE_ABOUT_MINUTES, out, outlen, m);
}

void rb_screen_join(const char list[][RB_SHORT_MAX], int n, char *out,
                    size_t outlen) {
  size_t len = 0;
  if (outlen)
    out[0] = '\0';
  for (int i = 0; i < n && len + 1 < outlen; i++) {
    int k = snprintf(out + len, outlen - len, "%s%s", i ? ", " : "", list[i]);
    if (k < 0)
      break;
    len += (size_t)k;
  }
}

/* Height of text wrapped at px in width w. */
static int wrapped_height(rb_ui *ui, rb_font f, int px, const char *text,
                          int w) {
  int h = 0;
  rb_ui_text_box_measure(ui, f, px, px, text, w, 1 << 20, NULL, &h);
  return h;
}

static void draw_intro(rb_screen *s, rb_ui *ui, const rb_meta *m,
                       double minutes, const char *figure) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 20), gap = rb_ui_px(ui, 14);
  bool portrait = rb_ui_portrait(ui);
  char line[3][RB_TEXT_MAX + 32], buf[RB_TEXT_MAX];
  int nl = 0, fact_px = rb_ui_px(ui, RB_TEXT_BODY), fh[3], total = 0, y;
  SDL_Rect title, summary, facts, start, back;
  bool drawn_figure = false;

  rb_screen_format_minutes(s, minutes, buf, sizeof buf);
  if (*buf)
    snprintf(line[nl++], sizeof line[0], "%s", buf);
  rb_screen_join(m->areas, m->nareas, buf, sizeof buf);
  if (*buf)
    rb_screen_words(s, RB_PHRASE_FOR, line[nl++], sizeof line[0], buf);
  rb_screen_join(m->equipment, m->nequipment, buf, sizeof buf);
  rb_screen_words(s, RB_PHRASE_YOU_NEED, line[nl++], sizeof line[0],
                  *buf ? buf : rb_screen_word(s, RB_PHRASE_NOTHING));

  if (portrait) {
    int bh = rb_ui_px(ui, 110);
    back =
        (SDL_Rect){mg, H - mg - rb_ui_px(ui, 90), W - 2 * mg, rb_ui_px(ui, 90)};
    start = (SDL_Rect){mg, back.y - gap - bh, W - 2 * mg, bh};
    title = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, 150)};
  } else {
    int bh = rb_ui_px(ui, 100);
    back = (SDL_Rect){mg, H - mg - bh, rb_ui_px(ui, 220), bh};
    start = (SDL_Rect){back.x + back.w + gap, back.y, W - 2 * mg - back.w - gap,
                       bh};
    title = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, 64)};
  }
  /* The facts wrap (a long equipment list takes two lines or more) and
   * take the room they need; the summary has what is left. */
  for (int i = 0; i < nl; i++) {
    fh[i] = wrapped_height(ui, RB_FONT_BOLD, fact_px, line[i], W - 2 * mg);
    total += fh[i];
  }
  y = title.y + title.h + gap;
  if (total > start.y - gap - y)
    total = start.y - gap - y;
  facts = (SDL_Rect){mg, start.y - (portrait ? 2 : 1) * gap - total, W - 2 * mg,
                     total};
  summary = (SDL_Rect){mg, y, W - 2 * mg, 0};
  summary.h = facts.y - gap - summary.y;
  {
    /* the movement beside the summary (under it, upright), when the
     * summary still fits whole beside it */
    const struct rb_figures *figs = rb_screen_env(s)->figures;
    SDL_Rect fig = summary, words = summary;
    if (portrait) {
      fig.h = summary.h * 3 / 5;
      fig.y = summary.y + summary.h - fig.h;
      words.h = summary.h - fig.h - gap;
    } else {
      fig.w = summary.w * 2 / 5;
      fig.x = summary.x + summary.w - fig.w;
      words.w = summary.w - fig.w - gap;
    }
    if (figs && figure[0] && rb_figures_has(figs, figure) && words.h > 0 &&
        (!m->summary[0] ||
         rb_ui_text_box_fits(ui, RB_FONT_REGULAR, rb_ui_px(ui, 34),
                             rb_ui_px(ui, RB_TEXT_BODY), m->summary, words.w,
                             words.h))) {
      rb_ui_clear(ui, RB_COL_BG);
      rb_ui_fill_round_rect(ui, fig, rb_ui_px(ui, 16), RB_COL_PANEL);
      rb_figure_draw(ui, figs, figure, fig, 0, 0, "");
      summary = words;
      drawn_figure = true;
    }
  }

  if (!drawn_figure)
    rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE),
                 rb_ui_px(ui, 32), RB_COL_TEXT, m->title, title, RB_ALIGN_LEFT,
                 portrait ? RB_VALIGN_BOTTOM : RB_VALIGN_TOP);
  if (summary.h > fact_px)
    rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, 34),
                   rb_ui_px(ui, RB_TEXT_BODY), RB_COL_TEXT_DIM, m->summary,
                   summary, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  y = facts.y;
  for (int i = 0; i < nl; i++) {
    SDL_Rect r = {facts.x, y, facts.w, fh[i]};
    if (r.y + r.h > facts.y + facts.h)
      r.h = facts.y + facts.h - r.y;
    if (r.h > 0)
      rb_ui_text_box(ui, RB_FONT_BOLD, fact_px, rb_ui_px(ui, RB_TEXT_MIN),
                     RB_COL_TEXT, line[i], r, RB_ALIGN_LEFT, RB_VALIGN_TOP);
    y += fh[i];
  }
  rb_screen_button(s, ui, back, rb_screen_word(s, RB_PHRASE_BACK_BUTTON),
                   RB_COL_PANEL_HI, 0, RB_ACTION_BACK, "");
  rb_screen_button(s, ui, start, rb_screen_word(s, RB_PHRASE_START_BUTTON),
                   RB_COL_ACCENT, 0, RB_ACTION_PRIMARY, "start");
}

static bool intro_action(rb_screen *s, const rb_action *a) {
  intro_data *d = rb_screen_data(s);
  const rb_env *env = rb_screen_env(s);
  switch (a->kind) {
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
    if (!env->session.start(env->session.ud, d->meta.path))
      return false;
    rb_nav_replace(env->nav, rb_screen_run_new(env));
    return true;
  case RB_ACTION_BACK:
    rb_nav_pop(env->nav);
    return true;
  default:
    return false;
  }
}

static void intro_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  intro_data *d = rb_screen_data(s);
  (void)now;
  draw_intro(s, ui, &d->meta, d->minutes, d->figure);
}

static const rb_screen_ops intro_ops = {
    .name = "intro", .action = intro_action, .render = intro_render};

rb_screen *rb_screen_intro_new(const rb_env *env, int routine) {
  const rb_meta *meta = rb_catalog_meta(env->catalog, routine);
  rb_screen *s;
  intro_data *d;
  if (!meta)
    return NULL;
  s = rb_screen_alloc(env, &intro_ops, sizeof(intro_data));
  if (!s)
    return NULL;
  d = rb_screen_data(s);
  d->meta = *meta;
  d->minutes = rb_catalog_minutes(env->catalog, routine);
  rb_figures_first_in(meta->path, d->figure, sizeof d->figure);
  return s;
}
