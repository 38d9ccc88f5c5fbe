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
  SDL_Rect header, page, cards, up, down;
  SDL_Rect progress; /* "My progress", w 0 when not offered */
  SDL_Rect other;    /* "Not Ann?", w 0 when nobody else may take over */
} home_layout;

static int clampi(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static int per_page(const home_layout *l) { return l->cols * l->rows; }

/* Landscape: the title, the page ("1 / 2") and the page arrows across the
 * top, cards two by two. Portrait: four cards stacked, the arrows along
 * the bottom. Load problems are the therapist's: the log (and later the
 * admin screen), never the patient's home. */
static void home_lay_out(rb_ui *ui, bool paged, bool progress, bool other,
                         home_layout *l) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);
  int hh = rb_ui_px(ui, 60), pw = paged ? rb_ui_px(ui, 84) : 0;
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
    l->page = (SDL_Rect){W - mg - pw, mg, pw, hh};
  } else {
    int aw = rb_ui_px(ui, 100);
    l->cols = 2;
    l->rows = 2;
    l->down = (SDL_Rect){W - mg - aw, mg, aw, hh};
    l->up = (SDL_Rect){l->down.x - gap - aw, mg, aw, hh};
    l->page = (SDL_Rect){l->up.x - gap - pw, mg, pw, hh};
  }
  l->header = (SDL_Rect){mg, mg, l->page.x - (paged ? gap : 0) - mg, hh};
  l->cards = (SDL_Rect){mg, mg + hh + gap, W - 2 * mg, 0};
  l->progress = (SDL_Rect){0, 0, 0, 0};
  l->other = l->progress;
  if (progress || other) {
    /* the patient's progress: a wide bar under the cards; on a shared
     * kiosk "Not Ann?" beside it, for whoever stands there instead */
    int ph = rb_ui_px(ui, 72), row = W - 2 * mg;
    int ow = other ? (progress ? (row - gap) * 2 / 5 : row) : 0;
    if (progress)
      l->progress =
          (SDL_Rect){mg, bottom - ph, row - (other ? ow + gap : 0), ph};
    if (other)
      l->other = (SDL_Rect){mg + row - ow, bottom - ph, ow, ph};
    bottom = bottom - ph - gap;
  }
  l->cards.h = bottom - l->cards.y;
}

/* A card's parts: the title on top, then the minutes and areas, then
 * what it needs (wrapped to two lines before it is cut). */
typedef struct {
  SDL_Rect r, title, l1, l2;
  int index; /* in the catalog */
  char line[RB_TEXT_MAX * 2], need[RB_TEXT_MAX + 16];
} card;

static bool lay_out_card(const rb_screen *s, rb_ui *ui, SDL_Rect r, int i,
                         card *c) {
  const rb_catalog *cat = rb_screen_env(s)->catalog;
  const rb_meta *m = rb_catalog_meta(cat, i);
  int pad = rb_ui_px(ui, 12), h1, h2;
  char mins[64], areas[RB_TEXT_MAX], equip[RB_TEXT_MAX];
  double mn;
  long k;
  if (!m)
    return false;
  mn = rb_catalog_minutes(cat, i);
  k = lround(mn);
  if (!(mn > 0))
    mins[0] = '\0';
  else if (k < 1)
    snprintf(mins, sizeof mins, "%s", rb_screen_word(s, RB_PHRASE_UNDER_MIN));
  else
    rb_screen_words(s, RB_PHRASE_MIN, mins, sizeof mins, k);
  rb_screen_join(m->areas, m->nareas, areas, sizeof areas);
  rb_screen_join(m->equipment, m->nequipment, equip, sizeof equip);
  rb_screen_words(s, RB_PHRASE_YOU_NEED, c->need, sizeof c->need,
                  *equip ? equip : rb_screen_word(s, RB_PHRASE_NOTHING));
  /* Minutes in the accent, then what it is for. */
  if (*mins && *areas)
    snprintf(c->line, sizeof c->line, "%s \xc2\xb7 %s", mins, areas);
  else
    snprintf(c->line, sizeof c->line, "%s%s", mins, areas);
  c->r = r;
  c->index = i;
  c->title = (SDL_Rect){r.x + pad, r.y + pad, r.w - 2 * pad, 0};
  /* both lines whole, at the readable size: they wrap, never cut */
  h2 = rb_screen_text_height(ui, RB_FONT_REGULAR, RB_TEXT_MIN, c->need,
                             c->title.w);
  h1 =
      rb_screen_text_height(ui, RB_FONT_BOLD, RB_TEXT_MIN, c->line, c->title.w);
  /* what it needs is on the intro too: left off a card too small for it */
  if (rb_screen_text_height(ui, RB_FONT_BOLD, RB_TEXT_MIN, m->title,
                            c->title.w) +
          h1 + h2 >
      r.h - 2 * pad) {
    h2 = 0;
    c->need[0] = '\0';
  }
  /* and the minutes and areas too (the intro has them) when even without
   * what it needs the title would not be whole */
  if (rb_screen_text_height(ui, RB_FONT_BOLD, RB_TEXT_MIN, m->title,
                            c->title.w) +
          h1 + h2 >
      r.h - 2 * pad) {
    h1 = 0;
    c->line[0] = '\0';
  }
  c->l2 = (SDL_Rect){c->title.x, r.y + r.h - pad - h2, c->title.w, h2};
  c->l1 = (SDL_Rect){c->title.x, c->l2.y - h1, c->title.w, h1};
  c->title.h = c->l1.y - c->title.y;
  return true;
}

/* The size a card's title would take on its own. */
static int title_px(const rb_screen *s, rb_ui *ui, const card *c, int i) {
  const rb_meta *m = rb_catalog_meta(rb_screen_env(s)->catalog, i);
  return rb_ui_text_box_measure(ui, RB_FONT_BOLD, rb_ui_px(ui, 40),
                                rb_ui_px(ui, RB_TEXT_MIN), m->title, c->title.w,
                                c->title.h, NULL, NULL);
}

/* Whether the card's title is whole at px in the room it has. */
static bool title_fits(const rb_screen *s, rb_ui *ui, const card *c, int px) {
  const rb_meta *m = rb_catalog_meta(rb_screen_env(s)->catalog, c->index);
  return rb_ui_text_box_fits(ui, RB_FONT_BOLD, px, px, m->title, c->title.w,
                             c->title.h);
}

static void draw_card(rb_screen *s, rb_ui *ui, const card *c, int i, int tpx,
                      bool selected) {
  const rb_meta *m = rb_catalog_meta(rb_screen_env(s)->catalog, i);
  int radius = rb_ui_px(ui, 16), px = rb_ui_px(ui, RB_TEXT_MIN);
  char value[16];
  if (selected) {
    int f = rb_ui_px(ui, 6);
    SDL_Rect o = {c->r.x - f, c->r.y - f, c->r.w + 2 * f, c->r.h + 2 * f};
    rb_ui_round_rect_outline(ui, o, radius + f, f, RB_COL_FOCUS);
  }
  rb_ui_fill_round_rect(ui, c->r, radius,
                        selected ? RB_COL_PANEL_HI : RB_COL_PANEL);
  rb_ui_text_box(ui, RB_FONT_BOLD, tpx, tpx, RB_COL_TEXT, m->title, c->title,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_ui_text_box(ui, RB_FONT_BOLD, px, px, RB_COL_ACCENT, c->line, c->l1,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_ui_text_box(ui, RB_FONT_REGULAR, px, px, RB_COL_TEXT_DIM, c->need, c->l2,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  snprintf(value, sizeof value, "%d", i);
  rb_screen_add_button(s, c->r, RB_ACTION_PRIMARY, value);
}

/* "My progress" is offered once someone is exercising and results are
 * kept. */
static bool offers_progress(const rb_screen *s) {
  const rb_patients_port *p = &rb_screen_env(s)->patients;
  return p->progress && p->current && p->current(p->ud)[0];
}

/* The patient's program first: the routines their therapist assigned, in
 * the catalog's order, then the rest. at() is the catalog index shown at a
 * position; position_of() the way back. */
static bool in_plan(const rb_screen *s, int i) {
  const rb_env *env = rb_screen_env(s);
  const rb_patients_port *p = &env->patients;
  const rb_meta *m = rb_catalog_meta(env->catalog, i);
  return p->plan_days && m && p->plan_days(p->ud, m->id) > 0;
}

static int at(const rb_screen *s, int pos) {
  int n = rb_catalog_count(rb_screen_env(s)->catalog), k = 0;
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < n; i++)
      if (in_plan(s, i) == (pass == 0) && k++ == pos)
        return i;
  return pos;
}

static int position_of(const rb_screen *s, int index) {
  int n = rb_catalog_count(rb_screen_env(s)->catalog);
  for (int pos = 0; pos < n; pos++)
    if (at(s, pos) == index)
      return pos;
  return index;
}

/* "Not Ann?" once someone has been chosen on a kiosk shared by several. */
static bool offers_other(const rb_screen *s) {
  const rb_patients_port *p = &rb_screen_env(s)->patients;
  return p->can_switch && p->current && p->current(p->ud)[0] &&
         p->can_switch(p->ud);
}

static void draw_list(rb_screen *s, rb_ui *ui, home_data *d) {
  bool progress = offers_progress(s), other = offers_other(s);
  const rb_catalog *cat = rb_screen_env(s)->catalog;
  int n = rb_catalog_count(cat);
  home_layout l;
  int gap = rb_ui_px(ui, 16), pp, page, pages, first, tpx = rb_ui_px(ui, 40);
  card cards[8];
  int ncards = 0;
  char buf[32];

  home_lay_out(ui, false, progress, other, &l);
  pp = per_page(&l);
  pages = (n + pp - 1) / pp;
  if (pages > 1)
    home_lay_out(ui, true, progress, other, &l);
  d->selected = clampi(d->selected, 0, n > 0 ? n - 1 : 0);
  page = d->selected / pp;
  first = page * pp;

  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, 40), rb_ui_px(ui, RB_TEXT_MIN),
                 RB_COL_TEXT, rb_screen_word(s, RB_PHRASE_CHOOSE), l.header,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  if (progress)
    rb_screen_button(s, ui, l.progress,
                     rb_screen_word(s, RB_PHRASE_MY_PROGRESS), RB_COL_PANEL_HI,
                     0, RB_ACTION_PRIMARY, "progress");
  if (other) {
    const rb_patients_port *p = &rb_screen_env(s)->patients;
    char words[RB_SHORT_MAX + 16];
    rb_screen_words(s, RB_PHRASE_NOT_ME, words, sizeof words,
                    p->current(p->ud));
    rb_screen_button(s, ui, l.other, words, RB_COL_PANEL_HI, 0,
                     RB_ACTION_PRIMARY, "other");
  }

  if (pages > 1) {
    /* Where we are, and touch paging; the highlight follows the page so
     * keys and touch agree. */
    rb_screen_words(s, RB_PHRASE_PAGE_OF, buf, sizeof buf, page + 1, pages);
    rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, 32),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, buf, l.page,
                   RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
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
  for (int k = 0; k < pp && first + k < n && ncards < 8; k++) {
    int cw = (l.cards.w - (l.cols - 1) * gap) / l.cols;
    int ch = (l.cards.h - (l.rows - 1) * gap) / l.rows;
    int c = k % l.cols, rrow = k / l.cols;
    SDL_Rect r = {l.cards.x + c * (cw + gap), l.cards.y + rrow * (ch + gap), cw,
                  ch};
    if (lay_out_card(s, ui, r, at(s, first + k), &cards[ncards]))
      ncards++;
  }
  /* every title on the page at one size: the one the longest needs */
  for (int k = 0; k < ncards; k++) {
    int px = title_px(s, ui, &cards[k], cards[k].index);
    if (px < tpx)
      tpx = px;
  }
  /* A clinic's larger text (text_scale) where the page has room for it:
   * else the cards as they are without it, every title whole. */
  for (int k = 0; k < ncards; k++)
    if (!title_fits(s, ui, &cards[k], tpx)) {
      rb_ui_text_unscaled(ui, true);
      tpx = rb_ui_px(ui, 40);
      for (int j = 0; j < ncards; j++)
        lay_out_card(s, ui, cards[j].r, cards[j].index, &cards[j]);
      for (int j = 0; j < ncards; j++)
        tpx = SDL_min(tpx, title_px(s, ui, &cards[j], cards[j].index));
      break;
    }
  for (int k = 0; k < ncards; k++)
    draw_card(s, ui, &cards[k], cards[k].index, tpx,
              cards[k].index == at(s, d->selected));
  rb_ui_text_unscaled(ui, false);
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
    int i = at(s, d->selected);
    if (strcmp(a->value, "progress") == 0) {
      rb_nav_push(env->nav, rb_screen_progress_new(env));
      return true;
    }
    if (strcmp(a->value, "other") == 0) {
      /* someone else: home asks who at its next update */
      if (env->patients.leave)
        env->patients.leave(env->patients.ud);
      return true;
    }
    if (a->value[0]) {
      char *end;
      long v = strtol(a->value, &end, 10);
      if (*end)
        return false;
      i = (int)v;
    }
    if (i < 0 || i >= n)
      return false;
    d->selected = position_of(s, i);
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
  const rb_patients_port *p = &env->patients;
  if (!d->start[0]) {
    /* a kiosk shared by several: who is exercising, before anything */
    if (p->count && p->current && p->count(p->ud) >= 2 && !p->current(p->ud)[0])
      rb_nav_push(env->nav, rb_screen_who_new(env));
    return;
  }
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
