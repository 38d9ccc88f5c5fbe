/* The question views of the run screen: ASK (choices), SCALE (0-10 pain)
 * and MEASURE (a number with a keypad). A touched answer is saved a
 * moment later (RB_ANSWER_GRACE_MS) so a slip can be put right without
 * an extra touch in the normal case: touching another answer moves it,
 * touching it again saves it at once. Keyboard and GPIO users move a
 * highlight with UP/DOWN and confirm with PRIMARY,
 * so a patient with only the big buttons can answer too. ASK and SCALE
 * start with nothing highlighted: PRIMARY then does nothing, so a blind
 * press (the pain question right after STOP) records no answer. */
#include "screen_parts.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SCALE_MAX_CELLS 21

static int clampi(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Whole-number range of a scale, 0..10 when the view's makes no sense. */
static void scale_range(const rb_view *v, int *lo, int *hi) {
  int a = (int)lround(v->question.q.min), b = (int)lround(v->question.q.max);
  if (!isfinite(v->question.q.min) || !isfinite(v->question.q.max) || b <= a ||
      b - a + 1 > SCALE_MAX_CELLS) {
    a = 0;
    b = 10;
  }
  *lo = a;
  *hi = b;
}

static bool is_pain_scale(const rb_view *v) {
  int lo, hi;
  const char *q = v->question.q.text;
  scale_range(v, &lo, &hi);
  if (v->question.stop_question || (lo == 0 && hi == 10))
    return true;
  for (; *q; q++)
    if (strncasecmp(q, "pain", 4) == 0)
      return true;
  return false;
}

/* Decimals that show the step exactly (0.5 -> 1, 0.25 -> 2). */
static int step_decimals(double step) {
  int d = 0;
  double k = 1;
  if (!(step > 0) || !isfinite(step))
    return 1;
  while (d < 3 && fabs(step * k - round(step * k)) > 1e-9) {
    d++;
    k *= 10;
  }
  return d;
}

static double clampd(double x, double lo, double hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

static void format_value(const rb_view *v, double x, char *out, size_t n) {
  snprintf(out, n, "%.*f", step_decimals(v->question.q.step), x);
}

void rb_question_sync(rb_question_state *q, const rb_view *v) {
  char key[sizeof q->key];
  snprintf(key, sizeof key, "%d|%s|%s|%g|%g|%g|%d", (int)v->kind,
           v->question.q.text, v->question.q.side, v->question.q.min,
           v->question.q.max, v->question.q.step, v->question.q.nchoices);
  if (q->valid && strcmp(key, q->key) == 0)
    return;
  memset(q, 0, sizeof *q);
  q->valid = true;
  snprintf(q->key, sizeof q->key, "%s", key);
  if (v->kind == RB_VIEW_MEASURE) {
    double x =
        isfinite(v->question.initial) ? v->question.initial : v->question.q.min;
    q->value = v->question.q.max >= v->question.q.min
                   ? clampd(x, v->question.q.min, v->question.q.max)
                   : x;
    /* empty, not a plausible number a tired patient might just confirm;
     * the first + or - starts from that number */
    q->empty = true;
  }
}

/* --- actions --- */

static void answer(rb_action *send, const char *value) {
  memset(send, 0, sizeof *send);
  send->kind = RB_ACTION_ANSWER;
  snprintf(send->value, sizeof send->value, "%s", value);
}

static bool measure_current(const rb_question_state *q, double *x) {
  char *end;
  if (!q->typing && q->empty)
    return false;
  if (!q->typing) {
    *x = q->value;
    return true;
  }
  if (!q->entry[0] || strcmp(q->entry, ".") == 0)
    return false;
  *x = strtod(q->entry, &end);
  return *end == '\0' && isfinite(*x);
}

static bool measure_action(rb_question_state *q, const rb_view *v,
                           const rb_action *a, rb_action *send) {
  double x;
  size_t len = strlen(q->entry);
  char buf[64];

  switch (a->kind) {
  case RB_ACTION_DIGIT: {
    char c = a->value[0];
    if (!(isdigit((unsigned char)c) || c == '.') || a->value[1])
      return false;
    if (!q->typing) {
      q->typing = true;
      q->empty = false;
      q->entry[0] = '\0';
      len = 0;
    }
    if ((c == '.' && strchr(q->entry, '.')) || len + 1 >= 10)
      return true; /* ignored, but it was a key for this screen */
    q->entry[len] = c;
    q->entry[len + 1] = '\0';
    q->out_of_range = false;
    return true;
  }
  case RB_ACTION_BACK:
    if (!q->typing)
      return false; /* nothing typed: the session decides */
    if (len > 0)
      q->entry[len - 1] = '\0';
    if (!q->entry[0]) {
      q->typing = false;
      q->empty = true; /* all typed away: empty again */
    }
    q->out_of_range = false;
    return true;
  case RB_ACTION_UP:
  case RB_ACTION_DOWN: {
    double step = v->question.q.step > 0 && isfinite(v->question.q.step)
                      ? v->question.q.step
                      : 1;
    if (q->empty && !q->typing)
      x = q->value; /* the first press shows where it starts */
    else {
      if (!measure_current(q, &x))
        x = q->value;
      x += a->kind == RB_ACTION_UP ? step : -step;
    }
    q->empty = false;
    /* Land on the step grid, not on 0.30000000000000004. */
    x = round(x / step) * step;
    if (v->question.q.max >= v->question.q.min)
      x = clampd(x, v->question.q.min, v->question.q.max);
    q->value = x;
    q->typing = false;
    q->entry[0] = '\0';
    q->out_of_range = false;
    return true;
  }
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
    if (!measure_current(q, &x) ||
        (v->question.q.max >= v->question.q.min &&
         (x < v->question.q.min || x > v->question.q.max))) {
      q->out_of_range = true;
      return true;
    }
    snprintf(buf, sizeof buf, "%.10g", x);
    answer(send, buf);
    return true;
  default:
    return false;
  }
}

/* A touch on an answer: held for a moment, highlighted, so a slip of the
 * finger (7 for 4) can be put right before it ends or changes anything;
 * the same answer touched again is saved at once. */
static bool touched(rb_question_state *q, const rb_view *v, const rb_action *a,
                    rb_ms now, rb_action *send) {
  if (q->pending && strcmp(q->pending_value, a->value) == 0) {
    if (now - q->pending_since >= RB_ANSWER_BOUNCE_MS)
      answer(send, a->value);
    return true;
  }
  q->pending = true;
  snprintf(q->pending_value, sizeof q->pending_value, "%s", a->value);
  q->pending_at = now + RB_ANSWER_GRACE_MS;
  q->pending_since = now;
  q->highlighted = true;
  if (v->kind == RB_VIEW_SCALE) {
    q->selected = atoi(a->value);
  } else {
    for (int i = 0; i < v->question.q.nchoices; i++)
      if (strcmp(v->question.q.choices[i], a->value) == 0)
        q->selected = i;
  }
  return true;
}

static bool question_action(rb_question_state *q, const rb_view *v,
                            const rb_action *a, rb_action *send) {
  int lo, hi;
  char buf[32];

  switch (v->kind) {
  case RB_VIEW_ASK:
    if (v->question.q.nchoices <= 0)
      return false;
    if (a->kind == RB_ACTION_UP || a->kind == RB_ACTION_DOWN) {
      /* The first press shows the highlight on the first choice. */
      q->selected =
          !q->highlighted
              ? 0
              : clampi(q->selected + (a->kind == RB_ACTION_UP ? -1 : 1), 0,
                       v->question.q.nchoices - 1);
      q->highlighted = true;
      return true;
    }
    if (a->kind == RB_ACTION_PRIMARY || a->kind == RB_ACTION_NEXT) {
      if (q->highlighted)
        answer(send, v->question.q.choices[clampi(q->selected, 0,
                                                  v->question.q.nchoices - 1)]);
      return true; /* nothing highlighted: nothing to confirm */
    }
    return false;
  case RB_VIEW_SCALE:
    scale_range(v, &lo, &hi);
    if (a->kind == RB_ACTION_UP || a->kind == RB_ACTION_DOWN) {
      /* The first press shows the highlight at the scale's start (0, no
       * pain), where UP then counts up from. */
      q->selected =
          !q->highlighted
              ? lo
              : clampi(q->selected + (a->kind == RB_ACTION_UP ? 1 : -1), lo,
                       hi);
      q->highlighted = true;
      return true;
    }
    if (a->kind == RB_ACTION_DIGIT && isdigit((unsigned char)a->value[0]) &&
        !a->value[1]) {
      int d = a->value[0] - '0';
      if (d < lo || d > hi)
        return true;
      snprintf(buf, sizeof buf, "%d", d);
      answer(send, buf);
      return true;
    }
    if (a->kind == RB_ACTION_PRIMARY || a->kind == RB_ACTION_NEXT) {
      if (q->highlighted) {
        snprintf(buf, sizeof buf, "%d", clampi(q->selected, lo, hi));
        answer(send, buf);
      }
      return true; /* nothing highlighted: nothing to confirm */
    }
    return false;
  case RB_VIEW_MEASURE:
    return measure_action(q, v, a, send);
  default:
    return false;
  }
}

bool rb_question_action(rb_question_state *q, const rb_view *v,
                        const rb_action *a, rb_ms now, rb_action *send) {
  bool used;
  memset(send, 0, sizeof *send);
  if (a->kind == RB_ACTION_ANSWER && a->touch &&
      (v->kind == RB_VIEW_ASK || v->kind == RB_VIEW_SCALE))
    used = touched(q, v, a, now, send);
  else
    used = question_action(q, v, a, send);
  if (send->kind == RB_ACTION_ANSWER)
    q->pending = false; /* saved */
  else if (q->pending && q->highlighted &&
           (a->kind == RB_ACTION_UP || a->kind == RB_ACTION_DOWN)) {
    /* the keys move a touched answer: it waits again, from there */
    if (v->kind == RB_VIEW_SCALE)
      snprintf(q->pending_value, sizeof q->pending_value, "%d", q->selected);
    else if (q->selected >= 0 && q->selected < v->question.q.nchoices)
      snprintf(q->pending_value, sizeof q->pending_value, "%s",
               v->question.q.choices[q->selected]);
    q->pending_at = now + RB_ANSWER_GRACE_MS;
    q->pending_since = now;
  }
  return used;
}

bool rb_question_due(rb_question_state *q, rb_ms now, rb_action *send) {
  if (!q->pending || now < q->pending_at)
    return false;
  q->pending = false;
  answer(send, q->pending_value);
  return true;
}

rb_ms rb_question_deadline(const rb_question_state *q) {
  return q->pending ? q->pending_at : RB_MS_NEVER;
}

/* --- drawing --- */

static SDL_Rect question_box(rb_ui *ui, int height_base) {
  int mg = rb_ui_px(ui, 16);
  return (SDL_Rect){mg, mg, rb_ui_width(ui) - 2 * mg,
                    rb_ui_px(ui, height_base)};
}

/* The question is what the patient reads: a primary word. */
static void draw_question(rb_ui *ui, SDL_Rect r, const char *q) {
  rb_screen_primary(ui, r, RB_FONT_BOLD, 52, RB_COL_TEXT, q, RB_ALIGN_LEFT,
                    RB_VALIGN_MIDDLE);
}

static bool for_one_side(const rb_view *v) {
  return SDL_strcasecmp(v->question.q.side, "left") == 0 ||
         SDL_strcasecmp(v->question.q.side, "right") == 0;
}

/* The question, with the LEFT/RIGHT badge when it is asked for one side:
 * beside it in landscape, over it in portrait. */
static void draw_sided_question(const rb_screen *s, rb_ui *ui, SDL_Rect qb,
                                const rb_view *v, const char *text) {
  const char *side = v->question.q.side;
  if (for_one_side(v)) {
    int gap = rb_ui_px(ui, 12);
    SDL_Rect badge;
    if (rb_ui_portrait(ui)) {
      badge = (SDL_Rect){qb.x, qb.y, qb.w, rb_ui_px(ui, 64)};
      qb.y += badge.h + gap;
      qb.h -= badge.h + gap;
    } else {
      int bh = rb_ui_px(ui, 64);
      badge = (SDL_Rect){qb.x + qb.w - rb_ui_px(ui, 230),
                         qb.y + (qb.h > bh ? (qb.h - bh) / 2 : 0),
                         rb_ui_px(ui, 230), bh};
      qb.w -= badge.w + gap;
    }
    rb_ui_side_badge(ui, badge, side,
                     rb_screen_word(s, SDL_strcasecmp(side, "left") == 0
                                           ? RB_PHRASE_BADGE_LEFT
                                           : RB_PHRASE_BADGE_RIGHT));
  }
  draw_question(ui, qb, text);
}

/* STOP on a question of a running routine (not on the pain question it
 * asks itself): drawn, and the bottom of what is above it. */
static int stop_and_bottom(rb_screen *s, rb_ui *ui, const rb_view *v, int gap) {
  SDL_Rect stop = rb_screen_stop_rect(ui);
  if (v->question.stop_question)
    return rb_ui_height(ui) - rb_ui_px(ui, 16);
  rb_screen_stop_button(s, ui, stop);
  return stop.y - gap;
}

/* The size of the smallest answer when the choices stand in COLS columns
 * of AREA. */
static int smallest_choice_px(rb_ui *ui, const rb_view *v, SDL_Rect area,
                              int gap, int cols) {
  int n = v->question.q.nchoices, rows = (n + cols - 1) / cols;
  int bw = (area.w - (cols - 1) * gap) / cols;
  int bh = (area.h - (rows - 1) * gap) / rows, least = 1 << 20;
  if (bh > rb_ui_px(ui, 150))
    bh = rb_ui_px(ui, 150);
  for (int i = 0; i < n; i++) {
    int px = rb_ui_button_label_px(ui, (SDL_Rect){0, 0, bw, bh},
                                   v->question.q.choices[i]);
    if (px < least)
      least = px;
  }
  return least;
}

/* The answers are read from the mat: the usual columns, unless another
 * number of columns keeps a long answer ("About the same") at the size of
 * a step's words where the usual one cannot. */
static int choice_columns(rb_ui *ui, const rb_view *v, SDL_Rect area, int gap,
                          int usual) {
  int n = v->question.q.nchoices, want = rb_ui_px(ui, RB_TEXT_PRIMARY);
  int best = usual, best_px = smallest_choice_px(ui, v, area, gap, usual);
  for (int cols = 1; best_px < want && cols <= n && cols <= 4; cols++) {
    int px = smallest_choice_px(ui, v, area, gap, cols);
    if (px > best_px) {
      best = cols;
      best_px = px;
    }
  }
  return best;
}

/* While a touched answer waits to be saved, the question's place says
 * so, with a bar that runs out when it is saved. */
static const char *shown_question(const rb_screen *s,
                                  const rb_question_state *q,
                                  const char *question, char *buf, size_t n) {
  if (!q->pending)
    return question;
  rb_screen_words(s, RB_PHRASE_ANSWER_SAVING, buf, n, q->pending_value);
  return buf;
}

/* The bar under the words: the question box loses its height. */
static SDL_Rect grace_text_box(rb_ui *ui, SDL_Rect qb,
                               const rb_question_state *q) {
  if (q->pending)
    qb.h -= rb_ui_px(ui, 14);
  return qb;
}

static void draw_grace_bar(rb_ui *ui, SDL_Rect qb, const rb_question_state *q,
                           rb_ms now) {
  rb_ms left = q->pending_at - now;
  int h = rb_ui_px(ui, 8);
  SDL_Rect bar = {qb.x, qb.y + qb.h - h, qb.w, h};
  if (!q->pending)
    return;
  if (left < 0)
    left = 0;
  if (left > RB_ANSWER_GRACE_MS)
    left = RB_ANSWER_GRACE_MS;
  rb_ui_fill_round_rect(ui, bar, h / 2, RB_COL_PANEL);
  bar.w = (int)((long)bar.w * left / RB_ANSWER_GRACE_MS);
  if (bar.w > 0)
    rb_ui_fill_round_rect(ui, bar, h / 2, RB_COL_ACCENT);
}

static void render_ask(rb_screen *s, rb_ui *ui, const rb_view *v,
                       rb_question_state *q, rb_ms now) {
  bool portrait = rb_ui_portrait(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 16);
  SDL_Rect qb = question_box(ui, portrait ? 220 : 130);
  SDL_Rect area = {mg, qb.y + qb.h + gap, rb_ui_width(ui) - 2 * mg, 0};
  int n = v->question.q.nchoices, cols, rows, bw, bh;

  char said[RB_TEXT_MAX + 96];

  area.h = stop_and_bottom(s, ui, v, gap) - area.y;
  draw_sided_question(
      s, ui, grace_text_box(ui, qb, q), v,
      shown_question(s, q, v->question.q.text, said, sizeof said));
  draw_grace_bar(ui, qb, q, now);
  if (n <= 0)
    return;
  if (portrait)
    cols = n <= 5 ? 1 : 2;
  else
    cols = n <= 3 ? n : n == 4 ? 2 : n <= 6 ? 3 : 4;
  cols = choice_columns(ui, v, area, gap, cols);
  rows = (n + cols - 1) / cols;
  bw = (area.w - (cols - 1) * gap) / cols;
  bh = (area.h - (rows - 1) * gap) / rows;
  if (bh > rb_ui_px(ui, 150))
    bh = rb_ui_px(ui, 150);
  for (int i = 0; i < n; i++) {
    SDL_Rect r = {area.x + (i % cols) * (bw + gap),
                  area.y + (i / cols) * (bh + gap), bw, bh};
    rb_ui_primary(ui, true); /* an answer */
    rb_screen_button(s, ui, r, v->question.q.choices[i], RB_COL_PANEL_HI,
                     q->highlighted && i == q->selected ? RB_BTN_SELECTED : 0,
                     RB_ACTION_ANSWER, v->question.q.choices[i]);
    rb_ui_primary(ui, false);
  }
}

static void draw_scale_cell(rb_screen *s, rb_ui *ui, SDL_Rect r, int value,
                            double t, bool selected) {
  SDL_Color fill = rb_ui_scale_color(t), fg = rb_ui_text_on(fill);
  char num[16];
  int radius = rb_ui_px(ui, 12);
  int px = r.h * 3 / 5 < rb_ui_px(ui, 60) ? r.h * 3 / 5 : rb_ui_px(ui, 60);

  snprintf(num, sizeof num, "%d", value);
  if (selected) {
    int f = rb_ui_px(ui, 6);
    SDL_Rect o = {r.x - f, r.y - f, r.w + 2 * f, r.h + 2 * f};
    rb_ui_round_rect_outline(ui, o, radius + f, f, RB_COL_FOCUS);
  }
  rb_ui_fill_round_rect(ui, r, radius, fill);
  rb_ui_primary(ui, true); /* an answer */
  rb_ui_text_fit(ui, RB_FONT_BOLD, px, rb_ui_px(ui, RB_TEXT_MIN), fg, num, r,
                 RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  rb_ui_primary(ui, false);
  rb_screen_add_button(s, r, RB_ACTION_ANSWER, num);
}

static void render_scale(rb_screen *s, rb_ui *ui, const rb_view *v,
                         rb_question_state *q, rb_ms now) {
  bool portrait = rb_ui_portrait(ui), pain = is_pain_scale(v);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 10);
  int W = rb_ui_width(ui);
  int lo, hi, n, per, rows, cw, ch, legend = rb_ui_px(ui, 48);
  bool stacked; /* the two ends each on their own line */
  SDL_Rect qb = question_box(ui, portrait ? 200 : 120);
  SDL_Rect area = {mg, qb.y + qb.h + gap, W - 2 * mg, 0};
  char a[32], b[32], said[RB_TEXT_MAX + 96];

  scale_range(v, &lo, &hi);
  n = hi - lo + 1;
  if (pain) {
    rb_screen_words(s, RB_PHRASE_NO_PAIN, a, sizeof a, lo);
    rb_screen_words(s, RB_PHRASE_WORST_PAIN, b, sizeof b, hi);
  } else {
    snprintf(a, sizeof a, "%d", lo);
    snprintf(b, sizeof b, "%d", hi);
  }
  {
    int wa = 0, wb = 0;
    rb_ui_text_size(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_MIN), a, &wa, NULL);
    rb_ui_text_size(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_MIN), b, &wb, NULL);
    stacked = wa > (W - 2 * mg) / 2 - gap || wb > (W - 2 * mg) / 2 - gap;
    if (stacked)
      legend *= 2;
  }
  /* Rows of big cells in reading order, green to red; one row when
   * the cells stay wide enough for a fist. */
  per = portrait ? 4 : n <= 6 ? n : (n + 1) / 2;
  rows = (n + per - 1) / per;
  area.h = stop_and_bottom(s, ui, v, gap) - legend - area.y;
  cw = (area.w - (per - 1) * gap) / per;
  ch = (area.h - (rows - 1) * gap) / rows;
  if (ch > rb_ui_px(ui, 170))
    ch = rb_ui_px(ui, 170);
  draw_sided_question(
      s, ui, grace_text_box(ui, qb, q), v,
      shown_question(s, q,
                     v->question.q.text[0]
                         ? v->question.q.text
                         : rb_screen_word(s, RB_PHRASE_PAIN_NOW),
                     said, sizeof said));
  draw_grace_bar(ui, qb, q, now);
  for (int i = 0; i < n; i++) {
    SDL_Rect r = {area.x + (i % per) * (cw + gap),
                  area.y + (i / per) * (ch + gap), cw, ch};
    draw_scale_cell(s, ui, r, lo + i, (double)i / (n - 1),
                    q->highlighted && lo + i == q->selected);
  }
  {
    int y = area.y + rows * ch + (rows - 1) * gap + gap / 2;
    int half = (W - 2 * mg) / 2, lh = stacked ? legend / 2 : legend;
    /* the two ends side by side, or (too long for that) one under the
     * other, each whole, at one size */
    SDL_Rect lr = {mg, y, stacked ? W - 2 * mg : half, lh};
    SDL_Rect rr = {stacked ? mg : mg + half, stacked ? y + lh : y,
                   stacked ? W - 2 * mg : half, lh};
    int px = rb_ui_px(ui, RB_TEXT_MIN);
    rb_ui_text_box(ui, RB_FONT_BOLD, px, px, RB_COL_TEXT, b, rr, RB_ALIGN_RIGHT,
                   RB_VALIGN_MIDDLE);
    rb_ui_text_box(ui, RB_FONT_BOLD, px, px, RB_COL_TEXT, a, lr, RB_ALIGN_LEFT,
                   RB_VALIGN_MIDDLE);
  }
}

static void draw_value(const rb_screen *s, rb_ui *ui, const rb_view *v,
                       rb_question_state *q, SDL_Rect r) {
  char val[64], hint[128], lo[32], hi[32];
  /* a range error is said large enough to be read from the mat */
  int pad = rb_ui_px(ui, 12), hh;
  int upx = rb_ui_px(ui, 40), uw = 0;
  SDL_Rect num, unit, hr;

  if (q->typing)
    snprintf(val, sizeof val, "%s", q->entry);
  else if (q->empty)
    snprintf(val, sizeof val, "?");
  else
    format_value(v, q->value, val, sizeof val);
  if (v->question.q.max >= v->question.q.min) {
    format_value(v, v->question.q.min, lo, sizeof lo);
    format_value(v, v->question.q.max, hi, sizeof hi);
    rb_screen_words(s,
                    q->out_of_range ? RB_PHRASE_RANGE_PLEASE : RB_PHRASE_RANGE,
                    hint, sizeof hint, lo, hi, v->question.q.unit);
  } else {
    hint[0] = '\0';
  }
  /* the range, whole (a refused entry in large bold, on two lines if it
   * needs them) */
  hh = rb_screen_text_height(
      ui, q->out_of_range ? RB_FONT_BOLD : RB_FONT_REGULAR,
      q->out_of_range ? 36 : RB_TEXT_MIN, hint, r.w - 2 * pad);
  rb_ui_fill_round_rect(ui, r, rb_ui_px(ui, 14), RB_COL_PANEL);
  if (v->question.q.unit[0])
    rb_ui_text_size(ui, RB_FONT_BOLD, upx, v->question.q.unit, &uw, NULL);
  hr = (SDL_Rect){r.x + pad, r.y + r.h - pad / 2 - hh, r.w - 2 * pad, hh};
  num = (SDL_Rect){r.x + pad, r.y + pad, r.w - 3 * pad - uw,
                   hr.y - r.y - 2 * pad};
  {
    int w = rb_ui_numeral(
        ui, val,
        q->typing  ? RB_COL_WARN
        : q->empty ? RB_COL_TEXT_DIM
                   : RB_COL_TEXT,
        (SDL_Rect){num.x, num.y + num.h / 8, num.w, num.h * 3 / 4},
        RB_ALIGN_CENTER);
    int x = num.x + (num.w + w) / 2 + pad;
    unit = (SDL_Rect){x, num.y, uw, num.h};
  }
  if (v->question.q.unit[0])
    rb_ui_text_fit(ui, RB_FONT_BOLD, upx, rb_ui_px(ui, RB_TEXT_MIN),
                   RB_COL_TEXT, v->question.q.unit, unit, RB_ALIGN_LEFT,
                   RB_VALIGN_MIDDLE);
  if (hint[0]) {
    int px = rb_ui_px(ui, q->out_of_range ? 36 : RB_TEXT_MIN);
    rb_ui_text_box(ui, q->out_of_range ? RB_FONT_BOLD : RB_FONT_REGULAR, px, px,
                   q->out_of_range ? RB_COL_WARN : RB_COL_TEXT_DIM, hint, hr,
                   RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  }
}

/* 1-9, ".", 0, delete in three columns; with plus_minus a fourth column
 * holds "+" over "-", each two keys tall (portrait). */
static void draw_keypad(rb_screen *s, rb_ui *ui, const rb_view *v, SDL_Rect r,
                        bool plus_minus) {
  static const char *const keys[12] = {"1", "2", "3", "4", "5", "6",
                                       "7", "8", "9", ".", "0", "del"};
  int gap = rb_ui_px(ui, 10), cols = plus_minus ? 4 : 3;
  int kw = (r.w - (cols - 1) * gap) / cols, kh = (r.h - 3 * gap) / 4;
  bool decimals = step_decimals(v->question.q.step) > 0 ||
                  v->question.q.min != floor(v->question.q.min);

  for (int i = 0; i < 12; i++) {
    SDL_Rect k = {r.x + (i % 3) * (kw + gap), r.y + (i / 3) * (kh + gap), kw,
                  kh};
    if (i == 11)
      rb_screen_button(s, ui, k, "\xe2\x8c\xab", RB_COL_PANEL_HI, 0,
                       RB_ACTION_BACK, "");
    else
      rb_screen_button(s, ui, k, keys[i], RB_COL_PANEL_HI,
                       i == 9 && !decimals ? RB_BTN_DISABLED : 0,
                       RB_ACTION_DIGIT, keys[i]);
  }
  if (plus_minus) {
    SDL_Rect p = {r.x + 3 * (kw + gap), r.y, kw, 2 * kh + gap};
    SDL_Rect m = {p.x, p.y + p.h + gap, kw, p.h};
    rb_screen_button(s, ui, p, "+", RB_COL_PANEL_HI, 0, RB_ACTION_UP, "");
    rb_screen_button(s, ui, m, "\xe2\x88\x92", RB_COL_PANEL_HI, 0,
                     RB_ACTION_DOWN, "");
  }
}

static void render_measure(rb_screen *s, rb_ui *ui, const rb_view *v,
                           rb_question_state *q) {
  bool portrait = rb_ui_portrait(ui);
  bool side = for_one_side(v);
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 10);
  int bh = rb_ui_px(ui, portrait ? 96 : 88);
  SDL_Rect name, badge, value, minus = {0, 0, 0, 0}, plus = minus, ok, pad;

  if (portrait) {
    int w = W - 2 * mg;
    name = (SDL_Rect){mg, mg, w, rb_ui_px(ui, 90)};
    badge =
        (SDL_Rect){mg, name.y + name.h + gap, w, side ? rb_ui_px(ui, 70) : 0};
    value = (SDL_Rect){mg, badge.y + badge.h + (side ? gap : 0), w,
                       rb_ui_px(ui, 150)};
    ok = (SDL_Rect){mg, stop_and_bottom(s, ui, v, gap) - bh, w, bh};
    pad = (SDL_Rect){mg, value.y + value.h + gap, w, 0};
    pad.h = ok.y - gap - pad.y;
  } else {
    int lw = (W - 2 * mg - gap) * 11 / 20, half = (lw - gap) / 2;
    int bw = side ? rb_ui_px(ui, 230) : 0;
    name = (SDL_Rect){mg, mg, W - 2 * mg - bw - (side ? gap : 0),
                      rb_ui_px(ui, 72)};
    badge = (SDL_Rect){W - mg - bw, mg, bw, rb_ui_px(ui, 72)};
    ok = (SDL_Rect){mg, H - mg - bh, lw, bh};
    minus = (SDL_Rect){mg, ok.y - gap - bh, half, bh};
    plus = (SDL_Rect){mg + half + gap, minus.y, half, bh};
    value = (SDL_Rect){mg, name.y + name.h + gap, lw, 0};
    value.h = minus.y - gap - value.y;
    pad = (SDL_Rect){mg + lw + gap, value.y, W - 2 * mg - lw - gap, 0};
    pad.h = stop_and_bottom(s, ui, v, gap) - pad.y;
  }
  draw_question(ui, name, v->question.q.text);
  if (side)
    rb_ui_side_badge(
        ui, badge, v->question.q.side,
        rb_screen_word(s, SDL_strcasecmp(v->question.q.side, "left") == 0
                              ? RB_PHRASE_BADGE_LEFT
                              : RB_PHRASE_BADGE_RIGHT));
  draw_value(s, ui, v, q, value);
  if (!portrait) {
    rb_screen_button(s, ui, minus, "\xe2\x88\x92", RB_COL_PANEL_HI, 0,
                     RB_ACTION_DOWN, "");
    rb_screen_button(s, ui, plus, "+", RB_COL_PANEL_HI, 0, RB_ACTION_UP, "");
  }
  draw_keypad(s, ui, v, pad, portrait);
  rb_ui_primary(ui, true);
  rb_screen_button(s, ui, ok, rb_screen_word(s, RB_PHRASE_CONFIRM),
                   RB_COL_ACCENT, 0, RB_ACTION_PRIMARY, "");
  rb_ui_primary(ui, false);
}

void rb_question_render(rb_screen *s, rb_ui *ui, const rb_view *v,
                        rb_question_state *q, rb_ms now) {
  rb_ui_clear(ui, RB_COL_BG);
  switch (v->kind) {
  case RB_VIEW_ASK:
    render_ask(s, ui, v, q, now);
    break;
  case RB_VIEW_SCALE:
    render_scale(s, ui, v, q, now);
    break;
  case RB_VIEW_MEASURE:
    render_measure(s, ui, v, q);
    break;
  default:
    break;
  }
}
