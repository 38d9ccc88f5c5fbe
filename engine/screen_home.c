/* home: big routine cards; a card opens the routine's intro screen.
 *
 * Touch users tap a card or the page arrows; keyboard/GPIO users move a
 * highlight with UP/DOWN and open it with PRIMARY/NEXT, so every card is
 * reachable either way. */
#include "screen_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int selected;            /* highlighted card */
  char start[RB_TEXT_MAX]; /* a routine to start at once, or "" */
} home_data;

typedef struct {
  int cols, rows;
  SDL_Rect header, cards, notice, up, down;
} home_layout;

static int clampi(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static int per_page(const home_layout *l) { return l->cols * l->rows; }

static void home_lay_out(rb_ui *ui, bool notice, bool paged, home_layout *l) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);
  int hh = rb_ui_px(ui, 60);
  int nh = notice ? rb_ui_px(ui, rb_ui_portrait(ui) ? 64 : 36) : 0;
  int bottom = H - mg;

  if (rb_ui_portrait(ui)) {
    /* Page buttons along the bottom, wide enough for a fist. */
    int bh = rb_ui_px(ui, 80), bw = (W - 2 * mg - gap) / 2;
    l->cols = 1;
    l->rows = 4;
    l->down = (SDL_Rect){mg + bw + gap, H - mg - bh, bw, bh};
    l->up = (SDL_Rect){mg, l->down.y, bw, bh};
    if (paged)
      bottom = l->up.y - gap;
    l->header = (SDL_Rect){mg, mg, W - 2 * mg, hh};
  } else {
    int aw = rb_ui_px(ui, 100);
    l->cols = 2;
    l->rows = 2;
    l->down = (SDL_Rect){W - mg - aw, mg, aw, hh};
    l->up = (SDL_Rect){l->down.x - gap - aw, mg, aw, hh};
    l->header = (SDL_Rect){mg, mg, l->up.x - gap - mg, hh};
  }
  l->notice = (SDL_Rect){mg, bottom - nh, W - 2 * mg, nh};
  l->cards = (SDL_Rect){mg, mg + hh + gap, W - 2 * mg, 0};
  l->cards.h = (notice ? l->notice.y - gap / 2 : bottom) - l->cards.y;
}

static int count_lines(const char *s) {
  int n = 0;
  bool in_line = false;
  for (; s && *s; s++) {
    if (*s == '\n')
      in_line = false;
    else if (!in_line) {
      in_line = true;
      n++;
    }
  }
  return n;
}

/* Height of n lines of f at px. */
static int lines_height(rb_ui *ui, rb_font f, int px, int n) {
  int h = 0;
  rb_ui_text_box_measure(ui, f, px, px, "X", 1 << 20, 1 << 20, NULL, &h);
  return h * n;
}

static void draw_card(rb_screen *s, rb_ui *ui, SDL_Rect r, int i,
                      bool selected) {
  const rb_catalog *cat = rb_screen_env(s)->catalog;
  const rb_meta *m = rb_catalog_meta(cat, i);
  int pad = rb_ui_px(ui, 12), radius = rb_ui_px(ui, 16);
  char mins[64], areas[RB_TEXT_MAX], equip[RB_TEXT_MAX], line[RB_TEXT_MAX * 2];
  char need[RB_TEXT_MAX + 16];
  char value[16];
  int px = rb_ui_px(ui, 26), min_px = rb_ui_px(ui, RB_TEXT_MIN), nlines = 0;
  int h1, h2;
  SDL_Rect title = {r.x + pad, r.y + pad, r.w - 2 * pad, 0};
  SDL_Rect l1, l2;

  if (!m)
    return;
  {
    double mn = rb_catalog_minutes(cat, i);
    long k = lround(mn);
    if (!(mn > 0))
      mins[0] = '\0';
    else if (k < 1)
      snprintf(mins, sizeof mins, "%s", rb_screen_word(s, RB_PHRASE_UNDER_MIN));
    else
      rb_screen_words(s, RB_PHRASE_MIN, mins, sizeof mins, k);
  }
  rb_screen_join(m->areas, m->nareas, areas, sizeof areas);
  rb_screen_join(m->equipment, m->nequipment, equip, sizeof equip);
  rb_screen_words(s, RB_PHRASE_YOU_NEED, need, sizeof need,
                  *equip ? equip : rb_screen_word(s, RB_PHRASE_NOTHING));
  /* What it needs wraps to a second line before it is cut. */
  rb_ui_text_box_measure(ui, RB_FONT_REGULAR, px, px, need, title.w, 1 << 20,
                         &nlines, NULL);
  h2 = lines_height(ui, RB_FONT_REGULAR, px, nlines > 1 ? 2 : 1);
  h1 = lines_height(ui, RB_FONT_BOLD, px, 1);
  l2 = (SDL_Rect){title.x, r.y + r.h - pad - h2, title.w, h2};
  l1 = (SDL_Rect){title.x, l2.y - h1, title.w, h1};
  title.h = l1.y - title.y;

  if (selected) {
    int f = rb_ui_px(ui, 6);
    SDL_Rect o = {r.x - f, r.y - f, r.w + 2 * f, r.h + 2 * f};
    rb_ui_round_rect_outline(ui, o, radius + f, f, RB_COL_FOCUS);
  }
  rb_ui_fill_round_rect(ui, r, radius,
                        selected ? RB_COL_PANEL_HI : RB_COL_PANEL);
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, 38), rb_ui_px(ui, 26),
                 RB_COL_TEXT, m->title, title, RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  /* Minutes in the accent, then what it is for. */
  if (*mins && *areas)
    snprintf(line, sizeof line, "%s \xc2\xb7 %s", mins, areas);
  else
    snprintf(line, sizeof line, "%s%s", mins, areas);
  rb_ui_text_fit(ui, RB_FONT_BOLD, px, min_px, RB_COL_ACCENT, line, l1,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_ui_text_box(ui, RB_FONT_REGULAR, px, min_px, RB_COL_TEXT_DIM, need, l2,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  snprintf(value, sizeof value, "%d", i);
  rb_screen_add_button(s, r, RB_ACTION_PRIMARY, value);
}

static void draw_list(rb_screen *s, rb_ui *ui, home_data *d) {
  const rb_catalog *cat = rb_screen_env(s)->catalog;
  int n = rb_catalog_count(cat);
  const char *problems = rb_catalog_problems(cat);
  int nprob = count_lines(problems);
  home_layout l;
  int gap = rb_ui_px(ui, 16), pp, page, pages, first;
  char buf[RB_TEXT_MAX];

  home_lay_out(ui, nprob > 0, false, &l);
  pp = per_page(&l);
  pages = (n + pp - 1) / pp;
  if (pages > 1)
    home_lay_out(ui, nprob > 0, true, &l);
  d->selected = clampi(d->selected, 0, n > 0 ? n - 1 : 0);
  page = d->selected / pp;
  first = page * pp;

  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, 40), rb_ui_px(ui, 28),
                 RB_COL_TEXT, rb_screen_word(s, RB_PHRASE_CHOOSE), l.header,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  if (pages > 1) {
    /* Touch paging; the highlight follows so keys and touch agree. */
    rb_screen_button(s, ui, l.up, "\xe2\x96\xb2", RB_COL_PANEL_HI,
                     page > 0 ? 0 : RB_BTN_DISABLED, RB_ACTION_UP, "page");
    rb_screen_button(s, ui, l.down, "\xe2\x96\xbc", RB_COL_PANEL_HI,
                     page < pages - 1 ? 0 : RB_BTN_DISABLED, RB_ACTION_DOWN,
                     "page");
  }
  if (n == 0) {
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE),
                   rb_ui_px(ui, RB_TEXT_BODY), RB_COL_TEXT_DIM,
                   rb_screen_word(s, RB_PHRASE_NO_EXERCISES), l.cards,
                   RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  }
  for (int k = 0; k < pp && first + k < n; k++) {
    int cw = (l.cards.w - (l.cols - 1) * gap) / l.cols;
    int ch = (l.cards.h - (l.rows - 1) * gap) / l.rows;
    int c = k % l.cols, rrow = k / l.cols;
    SDL_Rect r = {l.cards.x + c * (cw + gap), l.cards.y + rrow * (ch + gap), cw,
                  ch};
    draw_card(s, ui, r, first + k, first + k == d->selected);
  }
  if (nprob > 0) {
    const char *nl = strchr(problems, '\n');
    int len = nl ? (int)(nl - problems) : (int)strlen(problems);
    char one[RB_TEXT_MAX];
    snprintf(one, sizeof one, "%.*s", len, problems);
    rb_screen_words(s, RB_PHRASE_NOT_LOADED, buf, sizeof buf, nprob, one);
    /* For the therapist: small, but FILE:LINE must be whole. */
    rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, RB_TEXT_SMALL),
                   rb_ui_px(ui, 16), RB_COL_WARN, buf, l.notice, RB_ALIGN_LEFT,
                   RB_VALIGN_MIDDLE);
  }
}

static bool home_action(rb_screen *s, const rb_action *a) {
  home_data *d = rb_screen_data(s);
  const rb_env *env = rb_screen_env(s);
  int n = rb_catalog_count(env->catalog);
  /* Page size as laid out in landscape; portrait shows 4 as well. */
  const int pp = 4;

  switch (a->kind) {
  case RB_ACTION_UP:
  case RB_ACTION_DOWN: {
    int step = strcmp(a->value, "page") == 0 ? pp : 1;
    int sel = d->selected + (a->kind == RB_ACTION_UP ? -step : step);
    if (strcmp(a->value, "page") == 0)
      sel = sel / pp * pp;
    sel = clampi(sel, 0, n > 0 ? n - 1 : 0);
    if (sel == d->selected)
      return false;
    d->selected = sel;
    return true;
  }
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT: {
    int i = d->selected;
    if (a->value[0]) {
      char *end;
      long v = strtol(a->value, &end, 10);
      if (*end)
        return false;
      i = (int)v;
    }
    if (i < 0 || i >= n)
      return false;
    d->selected = i;
    rb_nav_push(env->nav, rb_screen_intro_new(env, i));
    return true;
  }
  default:
    return false;
  }
}

static void home_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  (void)now;
  draw_list(s, ui, rb_screen_data(s));
}

/* --routine: the routine starts at once, over the home screen. */
static void home_update(rb_screen *s) {
  home_data *d = rb_screen_data(s);
  const rb_env *env = rb_screen_env(s);
  if (!d->start[0])
    return;
  if (env->session.start(env->session.ud, d->start))
    rb_nav_push(env->nav, rb_screen_run_new(env));
  d->start[0] = '\0';
}

static const rb_screen_ops home_ops = {.name = "home",
                                       .action = home_action,
                                       .update = home_update,
                                       .render = home_render};

rb_screen *rb_screen_home_new(const rb_env *env, const char *start_path) {
  rb_screen *s = rb_screen_alloc(env, &home_ops, sizeof(home_data));
  if (s && start_path)
    snprintf(((home_data *)rb_screen_data(s))->start, RB_TEXT_MAX, "%s",
             start_path);
  return s;
}
