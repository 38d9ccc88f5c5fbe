/* progress: "My progress" for the patient, from home or after a session:
 * a page each for pain before and after, each assessment over time (the
 * usual range shaded, measurement error shown, what changed in words),
 * and the days exercised against the plan. More/Back (DOWN/UP) page,
 * Done (or BACK on the first page) goes back. */
#include "chart.h"
#include "progress.h"
#include "screen_parts.h"

#include <stdlib.h>
#include <string.h>

enum { PAGE_PAIN = -1, PAGE_DAYS = -2, PAGE_NOTHING = -3 };
#define PAGES_MAX (RB_PROGRESS_SERIES + 3)

typedef struct {
  rb_progress *pr;      /* NULL when it could not be read */
  int pages[PAGES_MAX]; /* PAGE_* or a series index */
  int npages, page;
} progress_data;

/* --- the screen's painter ------------------------------------------------ */

static SDL_Color col(rb_paint_color c) { return RB_RGB(c.r, c.g, c.b); }

static void p_rect(void *ud, double x, double y, double w, double h,
                   rb_paint_color c) {
  rb_ui_fill_rect(
      ud, (SDL_Rect){(int)x, (int)y, (int)(w + 0.5), (int)(h + 0.5)}, col(c));
}

static void p_line(void *ud, double x0, double y0, double x1, double y1,
                   double width, rb_paint_color c) {
  rb_ui_line(ud, (float)x0, (float)y0, (float)x1, (float)y1, (float)width,
             col(c));
}

static void p_dot(void *ud, double x, double y, double r, rb_paint_color c) {
  rb_ui_fill_circle(ud, (int)x, (int)y, (int)r, col(c));
}

static void p_text(void *ud, double x, double y, double w, double h,
                   const char *s, double px, bool bold, rb_paint_color c,
                   rb_paint_align align) {
  rb_ui *ui = ud;
  SDL_Rect r = {(int)x, (int)y, (int)w, (int)h};
  int lo = rb_ui_px(ui, RB_TEXT_MIN), hi = (int)px < lo ? lo : (int)px;
  rb_font f = bold ? RB_FONT_BOLD : RB_FONT_REGULAR;
  /* whole or not at all */
  if (r.w <= 0 || r.h <= 0 || !rb_ui_text_box_fits(ui, f, hi, lo, s, r.w, r.h))
    return;
  rb_ui_text_box(ui, f, hi, lo, col(c), s, r,
                 align == RB_PAINT_LEFT    ? RB_ALIGN_LEFT
                 : align == RB_PAINT_RIGHT ? RB_ALIGN_RIGHT
                                           : RB_ALIGN_CENTER,
                 RB_VALIGN_MIDDLE);
}

static double p_measure(void *ud, const char *s, double px, bool bold,
                        double w) {
  rb_ui *ui = ud;
  int lo = rb_ui_px(ui, RB_TEXT_MIN), hi = (int)px < lo ? lo : (int)px, h = 0;
  rb_ui_text_box_measure(ui, bold ? RB_FONT_BOLD : RB_FONT_REGULAR, hi, hi, s,
                         (int)w, 1 << 20, NULL, &h);
  return h;
}

static rb_paint_color pc(SDL_Color c) {
  return (rb_paint_color){c.r, c.g, c.b};
}

static rb_painter screen_painter(rb_ui *ui) {
  return (rb_painter){.ud = ui,
                      .unit = rb_ui_scale(ui),
                      .rect = p_rect,
                      .line = p_line,
                      .dot = p_dot,
                      .text = p_text,
                      .measure = p_measure,
                      .bg = pc(RB_COL_BG),
                      .panel = pc(RB_COL_PANEL),
                      .grid = pc(RB_COL_PANEL_HI),
                      .ink = pc(RB_COL_TEXT),
                      .dim = pc(RB_COL_TEXT_DIM),
                      .accent = pc(RB_COL_ACCENT),
                      .left = pc(RB_COL_LEFT),
                      .right = pc(RB_COL_RIGHT),
                      .band = {0x1c, 0x3a, 0x2a},
                      .before = pc(RB_COL_WARN)};
}

/* --- pages -----------------------------------------------------------------
 */

static void paginate(progress_data *d) {
  const rb_progress *pr = d->pr;
  d->npages = 0;
  if (pr && pr->npain > 0)
    d->pages[d->npages++] = PAGE_PAIN;
  for (int i = 0; pr && i < pr->nseries; i++)
    if (pr->series[i].nleft + pr->series[i].nright > 0)
      d->pages[d->npages++] = i;
  if (d->npages == 0)
    d->pages[d->npages++] = PAGE_NOTHING;
  d->pages[d->npages++] = PAGE_DAYS;
}

static const char *lang_of(const rb_screen *s) {
  return rb_screen_env(s)->lang;
}

static void progress_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  progress_data *d = rb_screen_data(s);
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);
  int bh = rb_ui_px(ui, 88), th = rb_ui_px(ui, 64);
  bool portrait = rb_ui_portrait(ui);
  int kind = d->pages[d->page];
  rb_painter p = screen_painter(ui);
  const char *title;
  char head[RB_SHORT_MAX * 2 + 8];
  SDL_Rect top, bar = {mg, H - mg - bh, W - 2 * mg, bh}, back, more, done;
  rb_box body;
  (void)now;

  if (kind == PAGE_PAIN)
    title = rb_screen_word(s, RB_PHRASE_PAIN_CHART);
  else if (kind == PAGE_DAYS)
    title = rb_screen_word(s, RB_PHRASE_DAYS_TITLE);
  else if (kind == PAGE_NOTHING)
    title = rb_screen_word(s, RB_PHRASE_MY_PROGRESS);
  else {
    snprintf(head, sizeof head, "%s", d->pr->series[kind].title);
    title = head;
  }
  top = (SDL_Rect){mg, mg, W - 2 * mg, portrait ? 2 * th : th};
  if (portrait) {
    /* Done across the foot, Back and More over it */
    int half = (bar.w - gap) / 2;
    done = bar;
    bar.y -= bh + gap;
    back = (SDL_Rect){bar.x, bar.y, half, bh};
    more = (SDL_Rect){bar.x + half + gap, bar.y, half, bh};
  } else {
    /* three buttons across the foot: Back, More, Done */
    int third = (bar.w - 2 * gap) / 3;
    back = (SDL_Rect){bar.x, bar.y, third, bh};
    more = (SDL_Rect){bar.x + third + gap, bar.y, third, bh};
    done = (SDL_Rect){bar.x + bar.w - third, bar.y, third, bh};
  }
  body = (rb_box){mg, top.y + top.h + gap, W - 2 * mg,
                  bar.y - gap - (top.y + top.h + gap)};
  rb_ui_clear(ui, RB_COL_BG);
  rb_screen_primary(ui, top, RB_FONT_BOLD, 52, RB_COL_TEXT, title,
                    RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  if (kind == PAGE_PAIN)
    rb_chart_pain(&p, body, d->pr, lang_of(s));
  else if (kind == PAGE_DAYS && d->pr)
    rb_chart_calendar(&p, body, d->pr, lang_of(s));
  else if (kind >= 0)
    rb_chart_series(&p, body, d->pr, &d->pr->series[kind], lang_of(s));
  else
    rb_ui_text_box(
        ui, RB_FONT_BOLD, rb_ui_px(ui, 40), rb_ui_px(ui, RB_TEXT_MIN),
        RB_COL_TEXT_DIM, rb_screen_word(s, RB_PHRASE_NOTHING_YET),
        (SDL_Rect){(int)body.x, (int)body.y, (int)body.w, (int)body.h},
        RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  if (d->page > 0)
    rb_screen_button(s, ui, back, rb_screen_word(s, RB_PHRASE_PAGE_BACK),
                     RB_COL_PANEL_HI, 0, RB_ACTION_UP, "page");
  if (d->page + 1 < d->npages)
    rb_screen_button(s, ui, more, rb_screen_word(s, RB_PHRASE_MORE),
                     RB_COL_PANEL_HI, 0, RB_ACTION_DOWN, "page");
  rb_ui_primary(ui, true);
  rb_screen_button(s, ui, done, rb_screen_word(s, RB_PHRASE_DONE_BUTTON),
                   RB_COL_ACCENT, 0, RB_ACTION_BACK, "done");
  rb_ui_primary(ui, false);
}

static bool progress_action(rb_screen *s, const rb_action *a) {
  progress_data *d = rb_screen_data(s);
  switch (a->kind) {
  case RB_ACTION_DOWN:
  case RB_ACTION_NEXT:
  case RB_ACTION_PRIMARY:
    if (d->page + 1 < d->npages) {
      d->page++;
      return true;
    }
    if (a->kind == RB_ACTION_DOWN)
      return true;
    break; /* NEXT or PRIMARY on the last page: done */
  case RB_ACTION_UP:
    if (d->page > 0)
      d->page--;
    return true;
  case RB_ACTION_BACK:
    if (d->page > 0 && strcmp(a->value, "done") != 0) {
      d->page--;
      return true;
    }
    break;
  default:
    return false;
  }
  rb_nav_pop(rb_screen_env(s)->nav);
  return true;
}

static void progress_destroy(rb_screen *s) {
  progress_data *d = rb_screen_data(s);
  free(d->pr);
}

static const rb_screen_ops progress_ops = {.name = "progress",
                                           .action = progress_action,
                                           .render = progress_render,
                                           .destroy = progress_destroy};

rb_screen *rb_screen_progress_new(const rb_env *env) {
  rb_screen *s = rb_screen_alloc(env, &progress_ops, sizeof(progress_data));
  progress_data *d;
  if (!s)
    return NULL;
  d = rb_screen_data(s);
  d->pr = calloc(1, sizeof *d->pr);
  if (d->pr && (!env->patients.progress ||
                !env->patients.progress(env->patients.ud, d->pr))) {
    free(d->pr);
    d->pr = NULL;
  }
  paginate(d);
  return s;
}
