#include "chart.h"

#include "phrases.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LABEL 30 /* base px: the smallest text a patient reads */
#define AXIS_W 64
#define AXIS_H 48

static double u(const rb_painter *p, double base) { return base * p->unit; }

/* The plotting area inside b, with room for the axis labels. */
static rb_box plot_area(const rb_painter *p, rb_box b) {
  return (rb_box){b.x + u(p, AXIS_W), b.y + u(p, 8), b.w - u(p, AXIS_W + 8),
                  b.h - u(p, AXIS_H + 8)};
}

static double x_of(rb_box a, const rb_progress *pr, time_t t) {
  double span = difftime(pr->now, pr->since);
  double k = span > 0 ? difftime(t, pr->since) / span : 1;
  if (k < 0)
    k = 0;
  if (k > 1)
    k = 1;
  /* a little in from the ends, so a dot is never cut by the frame */
  return a.x + a.w * 0.03 + k * a.w * 0.94;
}

/* --- time axis ------------------------------------------------------------ */

static void time_axis(const rb_painter *p, rb_box a, const rb_progress *pr,
                      const char *lang) {
  char left[64];
  int weeks = (int)lround(difftime(pr->now, pr->since) / (7 * 86400.0));
  double y = a.y + a.h + u(p, 6), h = u(p, AXIS_H - 8);
  rb_phrase_format(lang, RB_PHRASE_WEEKS_AGO, left, sizeof left, weeks);
  p->line(p->ud, a.x, a.y + a.h, a.x + a.w, a.y + a.h, u(p, 2), p->grid);
  /* "8 weeks ago" is the longer: more of the width, so that a narrow
   * (portrait) chart keeps it */
  p->text(p->ud, a.x, y, a.w * 0.62, h, left, u(p, LABEL), false, p->dim,
          RB_PAINT_LEFT);
  p->text(p->ud, a.x + a.w * 0.62, y, a.w * 0.38, h,
          rb_phrase_text(lang, RB_PHRASE_TODAY), u(p, LABEL), false, p->dim,
          RB_PAINT_RIGHT);
}

/* Horizontal grid lines with their values at lo, the middle and hi. */
static void value_axis(const rb_painter *p, rb_box b, rb_box a, double lo,
                       double hi, int decimals) {
  for (int i = 0; i <= 2; i++) {
    double v = lo + (hi - lo) * i / 2, y = a.y + a.h - (a.h * i) / 2;
    char num[32];
    rb_progress_number(v, decimals, num, sizeof num);
    if (i > 0)
      p->line(p->ud, a.x, y, a.x + a.w, y, u(p, 1), p->grid);
    p->text(p->ud, b.x, y - u(p, 20), u(p, AXIS_W - 10), u(p, 40), num,
            u(p, LABEL), false, p->dim, RB_PAINT_RIGHT);
  }
}

/* Where v goes in a: inside it, whatever v is (a value beyond the range,
 * which range_of never gives, sits on the edge rather than off the
 * chart). */
static double y_of(rb_box a, double lo, double hi, double v) {
  double k = hi > lo && isfinite(v) ? (v - lo) / (hi - lo) : 0.5;
  if (!(k >= 0))
    k = 0;
  if (k > 1)
    k = 1;
  return a.y + a.h - k * a.h;
}

/* A line through the points with a dot on each. */
static void polyline(const rb_painter *p, const double *xs, const double *ys,
                     int n, rb_paint_color c) {
  for (int i = 1; i < n; i++)
    p->line(p->ud, xs[i - 1], ys[i - 1], xs[i], ys[i], u(p, 5), c);
  for (int i = 0; i < n; i++)
    p->dot(p->ud, xs[i], ys[i], u(p, 9), c);
}

/* A swatch and a word, for the legend; returns the width used. */
static double legend(const rb_painter *p, double x, double y, double w,
                     const char *word, rb_paint_color c) {
  p->dot(p->ud, x + u(p, 12), y + u(p, 20), u(p, 10), c);
  p->text(p->ud, x + u(p, 30), y, w - u(p, 30), u(p, 40), word, u(p, LABEL),
          true, p->ink, RB_PAINT_LEFT);
  return w;
}

/* --- pain ------------------------------------------------------------------
 */

void rb_chart_pain(const rb_painter *p, rb_box b, const rb_progress *pr,
                   const char *lang) {
  rb_box a;
  double xs[RB_PROGRESS_PAIN_POINTS] = {0}, ys[RB_PROGRESS_PAIN_POINTS] = {0};
  int n;
  /* the legend across the top, in the box however narrow it is */
  double slot = fmin(u(p, 240), (b.w - u(p, AXIS_W)) / 2);
  legend(p, b.x + u(p, AXIS_W), b.y, slot - u(p, 20),
         rb_phrase_text(lang, RB_PHRASE_BEFORE), p->before);
  legend(p, b.x + u(p, AXIS_W) + slot, b.y, slot - u(p, 20),
         rb_phrase_text(lang, RB_PHRASE_AFTER), p->accent);
  b.y += u(p, 48);
  b.h -= u(p, 48);
  a = plot_area(p, b);
  value_axis(p, b, a, 0, 10, 0);
  time_axis(p, a, pr, lang);
  for (int which = 0; which < 2; which++) {
    n = 0;
    for (int i = 0; i < pr->npain; i++) {
      double v = which ? pr->pain[i].after : pr->pain[i].before;
      if (!isfinite(v))
        continue;
      xs[n] = x_of(a, pr, pr->pain[i].when);
      ys[n] = y_of(a, 0, 10, v);
      n++;
    }
    polyline(p, xs, ys, n, which ? p->accent : p->before);
  }
}

/* --- an assessment ------------------------------------------------------- */

/* Values beyond this are charted at it: the range's arithmetic stays
 * finite (the words still give the value itself). */
#define CHART_BIG 1e300

static void widen(double *lo, double *hi, double v) {
  v = fmax(-CHART_BIG, fmin(CHART_BIG, v));
  *lo = fmin(*lo, v);
  *hi = fmax(*hi, v);
}

/* The value axis: every point kept, each side's first test with its
 * measurement error, and the usual range, on whole numbers with a whole
 * middle (so its label is true). */
static void range_of(const rb_progress_series *s, double *lo, double *hi) {
  double vlo = INFINITY, vhi = -INFINITY; /* the values alone */
  for (int side = 0; side < 2; side++) {
    const rb_progress_point *pts = side ? s->right : s->left;
    const rb_progress_point *first = side ? &s->first_right : &s->first_left;
    int n = side ? s->nright : s->nleft;
    for (int i = 0; i < n; i++)
      widen(&vlo, &vhi, pts[i].value);
    if (rb_progress_tests(s, side == 1) > 0)
      widen(&vlo, &vhi, first->value);
  }
  if (s->norm_lo < s->norm_hi) {
    widen(&vlo, &vhi, s->norm_lo);
    widen(&vlo, &vhi, s->norm_hi);
  }
  if (vlo > vhi) {
    vlo = 0;
    vhi = 1;
  }
  *lo = vlo;
  *hi = vhi;
  for (int side = 0; side < 2 && s->mdc > 0; side++)
    if (rb_progress_tests(s, side == 1) > 0) {
      /* the first test's band shows */
      double v = (side ? s->first_right : s->first_left).value;
      widen(lo, hi, v - s->mdc);
      widen(lo, hi, v + s->mdc);
    }
  /* a little room, on round numbers */
  {
    double pad = (*hi - *lo) * 0.1 + 0.5;
    *lo = floor(*lo - pad);
    *hi = ceil(*hi + pad);
    /* not below zero for what is never below it (a band that would be is
     * cut at the edge) */
    if (*lo < 0 && vlo >= 0 && s->norm_lo >= 0)
      *lo = 0;
    if (fmod(*hi - *lo, 2) != 0)
      *hi += 1; /* an even span: the middle line is a whole number */
  }
}

static rb_paint_color darker(rb_paint_color c, rb_paint_color bg, double k) {
  return (rb_paint_color){(uint8_t)(bg.r + (c.r - bg.r) * k),
                          (uint8_t)(bg.g + (c.g - bg.g) * k),
                          (uint8_t)(bg.b + (c.b - bg.b) * k)};
}

/* The height the change lines take at px in w, a gap under each. */
static double words_need(const rb_painter *p, char line[][256],
                         const bool *have, int lines, double px, double w) {
  double need = 0;
  for (int side = 0; side < lines; side++)
    if (have[side])
      need += p->measure(p->ud, line[side], px, true, w) + u(p, 12);
  return need;
}

void rb_chart_series(const rb_painter *p, rb_box b, const rb_progress *pr,
                     const rb_progress_series *s, const char *lang) {
  double lo, hi, xs[RB_PROGRESS_POINTS] = {0}, ys[RB_PROGRESS_POINTS] = {0};
  int lines = s->sided ? 2 : 1;
  bool wide = b.w > 1.6 * b.h;
  rb_box a, words;
  char line[2][256];
  bool have[2] = {false, false};
  for (int side = 0; side < lines; side++)
    have[side] =
        rb_progress_change(s, side == 1, lang, line[side], sizeof line[side]);
  if (wide) {
    /* what changed in a column beside the chart, wider when large text
     * needs it and then fits (the chart narrower); when it fits in none,
     * the chart keeps its width and what does not fit is left off */
    double frac = 0.36;
    for (double f = 0.36; f < 0.6; f += 0.1)
      if (words_need(p, line, have, lines, u(p, LABEL), b.w * f) <= b.h) {
        frac = f;
        break;
      }
    words = (rb_box){b.x + b.w * (1 - frac), b.y, b.w * frac, b.h};
    b.w *= 0.98 - frac;
  } else {
    /* under the chart: taller when large text needs it and then fits,
     * the chart keeping at least 200 base pixels; when it fits in none,
     * the chart keeps its height and what does not fit is left off */
    double h = lines * u(p, 2 * 44);
    double need = words_need(p, line, have, lines, u(p, LABEL), b.w);
    if (need > h && need <= b.h - u(p, 200))
      h = need;
    words = (rb_box){b.x, b.y + b.h - h, b.w, h};
    b.h -= words.h + u(p, 8);
  }
  range_of(s, &lo, &hi);
  a = plot_area(p, b);
  if (s->norm_lo < s->norm_hi) {
    /* the usual range of healthy adults, shaded */
    double y0 = y_of(a, lo, hi, s->norm_hi), y1 = y_of(a, lo, hi, s->norm_lo);
    p->rect(p->ud, a.x, y0, a.w, y1 - y0, p->band);
  }
  for (int side = 0; side < 2 && s->mdc > 0; side++) {
    /* measurement error around each side's first test of the period,
     * the test the words compare with (even when it is no longer among
     * the points kept): inside it is no real change (both bands first,
     * so no line is hidden) */
    const rb_progress_point *first = side ? &s->first_right : &s->first_left;
    rb_paint_color c = !s->sided ? p->accent : side ? p->right : p->left;
    double x0, y0, y1;
    if (rb_progress_tests(s, side == 1) == 0)
      continue;
    x0 = x_of(a, pr, first->when);
    y0 = y_of(a, lo, hi, first->value + s->mdc);
    y1 = y_of(a, lo, hi, first->value - s->mdc);
    p->rect(p->ud, x0, y0, a.x + a.w - x0, y1 - y0, darker(c, p->bg, 0.22));
  }
  if (s->norm_lo < s->norm_hi) {
    double y0 = y_of(a, lo, hi, s->norm_hi);
    p->text(p->ud, a.x + u(p, 8), y0, a.w - u(p, 16), u(p, 40),
            rb_phrase_text(lang, RB_PHRASE_USUAL_RANGE), u(p, LABEL), false,
            p->dim, RB_PAINT_LEFT);
  }
  value_axis(p, b, a, lo, hi, 0);
  time_axis(p, a, pr, lang);
  for (int side = 0; side < 2; side++) {
    const rb_progress_point *pts = side ? s->right : s->left;
    const rb_progress_point *first = side ? &s->first_right : &s->first_left;
    int n = side ? s->nright : s->nleft;
    rb_paint_color c = !s->sided ? p->accent : side ? p->right : p->left;
    for (int i = 0; i < n; i++) {
      xs[i] = x_of(a, pr, pts[i].when);
      ys[i] = y_of(a, lo, hi, pts[i].value);
    }
    polyline(p, xs, ys, n, c);
    if ((side ? s->older_right : s->older_left) > 0)
      /* the first test, older than the points kept: its dot alone, the
       * line broken where the tests between were left out */
      p->dot(p->ud, x_of(a, pr, first->when), y_of(a, lo, hi, first->value),
             u(p, 9), c);
  }
  {
    /* each side's change, one under the other, as large as both fit */
    double px = u(p, 34), y = words.y;
    for (; px > u(p, LABEL); px -= u(p, 2))
      if (words_need(p, line, have, lines, px, words.w) <= words.h)
        break;
    for (int side = 0; side < lines; side++) {
      double h;
      if (!have[side])
        continue;
      h = p->measure(p->ud, line[side], px, true, words.w);
      if (y + h > words.y + words.h + 0.5)
        break; /* no room even at the smallest size: left off, not cut */
      p->text(p->ud, words.x, y, words.w, h, line[side], px, true,
              !s->sided ? p->ink
              : side    ? p->right
                        : p->left,
              RB_PAINT_LEFT);
      y += h + u(p, 12);
    }
  }
}

/* --- the calendar ----------------------------------------------------------
 */

void rb_chart_calendar(const rb_painter *p, rb_box b, const rb_progress *pr,
                       const char *lang) {
  const rb_progress_calendar *c = &pr->cal;
  char days[64], *tok, *save = NULL, line[128];
  double foot = u(p, c->days_per_week > 0 ? 96 : 8), head = u(p, 44);
  double right = u(p, c->days_per_week > 0 ? 130 : 0);
  double gap = u(p, 8);
  double cw = (b.w - right - 6 * gap) / 7;
  double ch =
      (b.h - head - foot - (RB_PROGRESS_WEEKS - 1) * gap) / RB_PROGRESS_WEEKS;
  double side = fmin(cw, ch);
  snprintf(days, sizeof days, "%s", rb_phrase_text(lang, RB_PHRASE_WEEKDAYS));
  tok = strtok_r(days, ",", &save);
  for (int d = 0; d < 7 && tok; d++, tok = strtok_r(NULL, ",", &save))
    p->text(p->ud, b.x + d * (cw + gap), b.y, cw, head, tok, u(p, LABEL), true,
            p->dim, RB_PAINT_CENTER);
  for (int w = 0; w < RB_PROGRESS_WEEKS; w++) {
    double y = b.y + head + w * (ch + gap);
    for (int d = 0; d < 7; d++) {
      int i = 7 * w + d;
      double x = b.x + d * (cw + gap) + (cw - side) / 2;
      bool future = i > c->today;
      if (i == c->today) /* today: a ring around it */
        p->rect(p->ud, x - u(p, 4), y - u(p, 4) + (ch - side) / 2,
                side + u(p, 8), side + u(p, 8), p->ink);
      p->rect(p->ud, x, y + (ch - side) / 2, side, side,
              c->done[i] ? p->accent
              : future   ? p->bg
                         : p->panel);
      if (c->done[i])
        p->text(p->ud, x, y + (ch - side) / 2, side, side, "\xe2\x9c\x93",
                u(p, 40), true, p->bg, RB_PAINT_CENTER);
    }
    if (c->days_per_week > 0) {
      snprintf(line, sizeof line, "%d / %d", c->week_days[w], c->days_per_week);
      p->text(p->ud, b.x + b.w - right + gap, y, right - gap, ch, line,
              u(p, 36), true,
              c->week_days[w] >= c->days_per_week ? p->accent : p->dim,
              RB_PAINT_RIGHT);
    }
  }
  if (c->days_per_week > 0) {
    double y = b.y + b.h - foot + gap;
    rb_phrase_format(lang,
                     c->days_per_week == 1 ? RB_PHRASE_PLAN_DAY_ONE
                                           : RB_PHRASE_PLAN_DAYS,
                     line, sizeof line, c->days_per_week);
    p->text(p->ud, b.x, y, b.w, foot / 2 - gap / 2, line, u(p, 34), true,
            p->ink, RB_PAINT_LEFT);
    if (c->streak > 0) {
      rb_phrase_format(lang,
                       c->streak == 1 ? RB_PHRASE_STREAK_ONE : RB_PHRASE_STREAK,
                       line, sizeof line, c->streak);
      p->text(p->ud, b.x, y + foot / 2, b.w, foot / 2 - gap / 2, line, u(p, 34),
              true, p->accent, RB_PAINT_LEFT);
    }
  }
}
