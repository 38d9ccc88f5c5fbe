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
  p->text(p->ud, a.x, y, a.w / 2, h, left, u(p, LABEL), false, p->dim,
          RB_PAINT_LEFT);
  p->text(p->ud, a.x + a.w / 2, y, a.w / 2, h,
          rb_phrase_text(lang, RB_PHRASE_TODAY), u(p, LABEL), false, p->dim,
          RB_PAINT_RIGHT);
}

/* Horizontal grid lines with their values at lo, the middle and hi. */
static void value_axis(const rb_painter *p, rb_box b, rb_box a, double lo,
                       double hi, int decimals) {
  for (int i = 0; i <= 2; i++) {
    double v = lo + (hi - lo) * i / 2, y = a.y + a.h - (a.h * i) / 2;
    char num[32];
    snprintf(num, sizeof num, "%.*f", decimals, v);
    if (i > 0)
      p->line(p->ud, a.x, y, a.x + a.w, y, u(p, 1), p->grid);
    p->text(p->ud, b.x, y - u(p, 20), u(p, AXIS_W - 10), u(p, 40), num,
            u(p, LABEL), false, p->dim, RB_PAINT_RIGHT);
  }
}

static double y_of(rb_box a, double lo, double hi, double v) {
  double k = hi > lo ? (v - lo) / (hi - lo) : 0.5;
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
  double xs[RB_PROGRESS_POINTS], ys[RB_PROGRESS_POINTS];
  int n;
  /* the legend across the top */
  legend(p, b.x + u(p, AXIS_W), b.y, u(p, 220),
         rb_phrase_text(lang, RB_PHRASE_BEFORE), p->before);
  legend(p, b.x + u(p, AXIS_W + 240), b.y, u(p, 220),
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

static void range_of(const rb_progress_series *s, double *lo, double *hi) {
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int side = 0; side < 2; side++) {
    const rb_progress_point *pts = side ? s->right : s->left;
    int n = side ? s->nright : s->nleft;
    for (int i = 0; i < n; i++) {
      double m = i == 0 ? s->mdc : 0; /* the first test's band shows */
      if (pts[i].value - m < *lo)
        *lo = pts[i].value - m;
      if (pts[i].value + m > *hi)
        *hi = pts[i].value + m;
    }
  }
  if (s->norm_lo < s->norm_hi) {
    *lo = fmin(*lo, s->norm_lo);
    *hi = fmax(*hi, s->norm_hi);
  }
  if (!isfinite(*lo)) {
    *lo = 0;
    *hi = 1;
  }
  /* a little room, on round numbers */
  {
    double pad = (*hi - *lo) * 0.1 + 0.5;
    *lo = floor(*lo - pad);
    *hi = ceil(*hi + pad);
    if (*lo < 0 && s->norm_lo >= 0)
      *lo = 0;
  }
}

static rb_paint_color darker(rb_paint_color c, rb_paint_color bg, double k) {
  return (rb_paint_color){(uint8_t)(bg.r + (c.r - bg.r) * k),
                          (uint8_t)(bg.g + (c.g - bg.g) * k),
                          (uint8_t)(bg.b + (c.b - bg.b) * k)};
}

void rb_chart_series(const rb_painter *p, rb_box b, const rb_progress *pr,
                     const rb_progress_series *s, const char *lang) {
  double lo, hi, xs[RB_PROGRESS_POINTS], ys[RB_PROGRESS_POINTS];
  int lines = s->sided ? 2 : 1;
  bool wide = b.w > 1.6 * b.h;
  rb_box a, words;
  if (wide) {
    /* what changed in a column beside the chart */
    words = (rb_box){b.x + b.w * 0.64, b.y, b.w * 0.36, b.h};
    b.w *= 0.62;
  } else {
    double text_h = u(p, 2 * 44);
    words = (rb_box){b.x, b.y + b.h - lines * text_h, b.w, lines * text_h};
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
    /* measurement error around each side's first test: inside it is no
     * real change (both bands first, so no line is hidden) */
    const rb_progress_point *pts = side ? s->right : s->left;
    int n = side ? s->nright : s->nleft;
    rb_paint_color c = !s->sided ? p->accent : side ? p->right : p->left;
    double x0, y0, y1;
    if (n == 0)
      continue;
    x0 = x_of(a, pr, pts[0].when);
    y0 = y_of(a, lo, hi, pts[0].value + s->mdc);
    y1 = y_of(a, lo, hi, pts[0].value - s->mdc);
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
    int n = side ? s->nright : s->nleft;
    for (int i = 0; i < n; i++) {
      xs[i] = x_of(a, pr, pts[i].when);
      ys[i] = y_of(a, lo, hi, pts[i].value);
    }
    polyline(p, xs, ys, n, !s->sided ? p->accent : side ? p->right : p->left);
  }
  {
    /* each side's change, one under the other, as large as both fit */
    char line[2][256];
    double px = u(p, 34), y = words.y;
    bool have[2] = {false, false};
    for (int side = 0; side < lines; side++)
      have[side] =
          rb_progress_change(s, side == 1, lang, line[side], sizeof line[side]);
    for (; px > u(p, LABEL); px -= u(p, 2)) {
      double need = 0;
      for (int side = 0; side < lines; side++)
        if (have[side])
          need += p->measure(p->ud, line[side], px, true, words.w) + u(p, 12);
      if (need <= words.h)
        break;
    }
    for (int side = 0; side < lines; side++) {
      double h;
      if (!have[side])
        continue;
      h = p->measure(p->ud, line[side], px, true, words.w);
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
    rb_phrase_format(lang, RB_PHRASE_PLAN_DAYS, line, sizeof line,
                     c->days_per_week);
    p->text(p->ud, b.x, y, b.w, foot / 2 - gap / 2, line, u(p, 34), true,
            p->ink, RB_PAINT_LEFT);
    if (c->streak > 0) {
      rb_phrase_format(lang, RB_PHRASE_STREAK, line, sizeof line, c->streak);
      p->text(p->ud, b.x, y + foot / 2, b.w, foot / 2 - gap / 2, line, u(p, 34),
              true, p->accent, RB_PAINT_LEFT);
    }
  }
}
