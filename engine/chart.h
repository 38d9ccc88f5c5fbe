/* chart: the progress charts, drawn once for the screen (through rb_ui)
 * and for the therapist's PDF report (through cairo): the same layout on
 * both, only the painter differs.
 *
 * Sizes are in base pixels (an 800x480 panel) times the painter's unit;
 * text is never drawn below the painter's smallest size, and a label that
 * does not fit is left off, never cut. */
#ifndef RB_CHART_H
#define RB_CHART_H

#include "progress.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint8_t r, g, b;
} rb_paint_color;

typedef enum { RB_PAINT_LEFT, RB_PAINT_CENTER, RB_PAINT_RIGHT } rb_paint_align;

typedef struct {
  void *ud;
  double unit; /* painter units per base pixel */
  void (*rect)(void *ud, double x, double y, double w, double h,
               rb_paint_color c);
  void (*line)(void *ud, double x0, double y0, double x1, double y1,
               double width, rb_paint_color c);
  void (*dot)(void *ud, double x, double y, double r, rb_paint_color c);
  /* Text in the box, as large as fits up to px and not below the
   * painter's smallest; left off when it cannot fit whole. */
  void (*text)(void *ud, double x, double y, double w, double h, const char *s,
               double px, bool bold, rb_paint_color c, rb_paint_align align);
  /* The height text takes wrapped in w at px (at least the smallest). */
  double (*measure)(void *ud, const char *s, double px, bool bold, double w);
  /* the colours: the screen's dark ones, or paper's */
  rb_paint_color bg, panel, grid, ink, dim, accent, left, right, band, before;
} rb_painter;

typedef struct {
  double x, y, w, h;
} rb_box;

/* Pain before and after each session over the period, 0-10. */
void rb_chart_pain(const rb_painter *p, rb_box b, const rb_progress *pr,
                   const char *lang);
/* One assessment field over the period: a line per side (the newest
 * points kept), the usual range shaded, the measurement error as a band
 * around each side's first test of the period, and what changed in words
 * beside or under it. The band and the words use the same first test
 * (first_left / first_right), so "within measurement error" is said
 * exactly when the last dot sits inside the band (to the written tenth).
 * When that first test is older than the points kept, its dot is drawn
 * alone at its time, the line broken up to the newest points. Words
 * that do not fit at the smallest size are left off, never cut. */
void rb_chart_series(const rb_painter *p, rb_box b, const rb_progress *pr,
                     const rb_progress_series *s, const char *lang);
/* Four weeks of days exercised, against the plan, with the streak (of
 * all the weeks loaded). */
void rb_chart_calendar(const rb_painter *p, rb_box b, const rb_progress *pr,
                       const char *lang);

#endif
