#include "report.h"

#include "chart.h"
#include "phrases.h"
#include "progress.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A4 in points, and the margin. */
#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 40.0
#define FONT "DejaVu Sans"
/* The smallest print: 8 pt. */
#define MIN_PT 8.0

/* --- the cairo painter --------------------------------------------------- */

static void set(cairo_t *cr, rb_paint_color c) {
  cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static void c_rect(void *ud, double x, double y, double w, double h,
                   rb_paint_color c) {
  cairo_t *cr = ud;
  set(cr, c);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
}

static void c_line(void *ud, double x0, double y0, double x1, double y1,
                   double width, rb_paint_color c) {
  cairo_t *cr = ud;
  set(cr, c);
  cairo_new_path(cr);
  cairo_set_line_width(cr, width);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

static void c_dot(void *ud, double x, double y, double r, rb_paint_color c) {
  cairo_t *cr = ud;
  set(cr, c);
  cairo_new_path(cr); /* not joined to where the last text ended */
  cairo_arc(cr, x, y, r, 0, 6.283185307179586);
  cairo_fill(cr);
}

static double width_of(cairo_t *cr, const char *s, size_t n) {
  char buf[512];
  cairo_text_extents_t e;
  if (n >= sizeof buf)
    n = sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  cairo_text_extents(cr, buf, &e);
  return e.x_advance;
}

/* Word-wraps s into w at the current font: line starts and lengths (up to
 * max); returns the number of lines, or -1 when a word is wider than w. */
static int wrap(cairo_t *cr, const char *s, double w, size_t *start,
                size_t *len, int max) {
  int n = 0;
  size_t i = 0, total = strlen(s);
  while (i < total && n < max) {
    size_t end = i, fit = i;
    while (s[i] == ' ')
      i++;
    end = i;
    while (end < total) {
      size_t next = end;
      while (next < total && s[next] == ' ')
        next++;
      while (next < total && s[next] != ' ')
        next++;
      if (width_of(cr, s + i, next - i) > w)
        break;
      fit = end = next;
    }
    if (fit == i)
      return -1; /* a word wider than the line */
    start[n] = i;
    len[n] = fit - i;
    n++;
    i = fit;
  }
  return i < total ? -1 : n;
}

static void font(cairo_t *cr, double px, bool bold) {
  cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD
                              : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, px);
}

/* The largest size from px down to MIN_PT at which s fits w x h whole;
 * 0 when none. */
static double fitting(cairo_t *cr, const char *s, double px, bool bold,
                      double w, double h, size_t *start, size_t *len,
                      int *lines) {
  for (; px >= MIN_PT; px -= 0.5) {
    int n;
    font(cr, px, bold);
    n = wrap(cr, s, w, start, len, 16);
    if (n > 0 && n * px * 1.25 <= h + 0.01) {
      *lines = n;
      return px;
    }
  }
  return 0;
}

static void c_text(void *ud, double x, double y, double w, double h,
                   const char *s, double px, bool bold, rb_paint_color c,
                   rb_paint_align align) {
  cairo_t *cr = ud;
  size_t start[16], len[16];
  int n = 0;
  double size = fitting(cr, s, px, bold, w, h, start, len, &n), top;
  if (size <= 0)
    return; /* whole or not at all */
  set(cr, c);
  top = y + (h - n * size * 1.25) / 2;
  for (int i = 0; i < n; i++) {
    char buf[512];
    double lw;
    size_t l = len[i] < sizeof buf - 1 ? len[i] : sizeof buf - 1;
    memcpy(buf, s + start[i], l);
    buf[l] = '\0';
    lw = width_of(cr, buf, l);
    cairo_move_to(cr,
                  align == RB_PAINT_LEFT    ? x
                  : align == RB_PAINT_RIGHT ? x + w - lw
                                            : x + (w - lw) / 2,
                  top + i * size * 1.25 + size);
    cairo_show_text(cr, buf);
  }
}

static double c_measure(void *ud, const char *s, double px, bool bold,
                        double w) {
  cairo_t *cr = ud;
  size_t start[16], len[16];
  int n;
  if (px < MIN_PT)
    px = MIN_PT;
  font(cr, px, bold);
  n = wrap(cr, s, w, start, len, 16);
  return (n > 0 ? n : 16) * px * 1.25;
}

static rb_painter paper(cairo_t *cr, double unit) {
  return (rb_painter){.ud = cr,
                      .unit = unit,
                      .rect = c_rect,
                      .line = c_line,
                      .dot = c_dot,
                      .text = c_text,
                      .measure = c_measure,
                      .bg = {0xff, 0xff, 0xff},
                      .panel = {0xe4, 0xe7, 0xea},
                      .grid = {0xc8, 0xcd, 0xd2},
                      .ink = {0x10, 0x12, 0x14},
                      .dim = {0x50, 0x57, 0x5e},
                      .accent = {0x1a, 0x8f, 0x47},
                      .left = {0x1f, 0x5f, 0xd0},
                      .right = {0xd0, 0x6a, 0x00},
                      .band = {0xdc, 0xf1, 0xe3},
                      .before = {0xb8, 0x86, 0x00}};
}

/* --- the page ------------------------------------------------------------ */

static void heading(cairo_t *cr, double x, double y, double size,
                    const char *s) {
  font(cr, size, true);
  cairo_set_source_rgb(cr, 0.06, 0.07, 0.08);
  cairo_move_to(cr, x, y + size);
  cairo_show_text(cr, s);
}

static void line_of_text(cairo_t *cr, double x, double y, double size,
                         const char *s) {
  font(cr, size, false);
  cairo_set_source_rgb(cr, 0.2, 0.22, 0.24);
  cairo_move_to(cr, x, y + size);
  cairo_show_text(cr, s);
}

static void date_of(time_t t, char *out, size_t n) {
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, n, "%Y-%m-%d", &tm);
}

bool rb_report_write(rb_store *st, const rb_patient *patient,
                     const rb_plugins *plugins, time_t now, int weeks,
                     const char *path, char *err, size_t errlen) {
  rb_progress *pr = calloc(1, sizeof *pr);
  cairo_surface_t *pdf = NULL;
  cairo_t *cr = NULL;
  const char *lang = patient->language[0] ? patient->language : NULL;
  char line[512], from[16], to[16];
  double y = MARGIN, w = PAGE_W - 2 * MARGIN, unit;
  rb_painter p;
  bool ok = false;
  int days = 0;

  if (!pr) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  if (!rb_progress_load(st, patient->id, plugins, now, weeks, pr)) {
    snprintf(err, errlen, "%s cannot be read", rb_store_path(st));
    goto done;
  }
  pdf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
  if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: %s", path,
             cairo_status_to_string(cairo_surface_status(pdf)));
    goto done;
  }
  cr = cairo_create(pdf);
  /* the charts are laid out for an 800-pixel panel: scaled to the page */
  unit = w / 800.0 * 0.95;
  p = paper(cr, unit);

  snprintf(line, sizeof line, "%s: %s",
           rb_phrase_text(lang, RB_PHRASE_MY_PROGRESS), patient->name);
  heading(cr, MARGIN, y, 20, line);
  y += 30;
  date_of(pr->since, from, sizeof from);
  date_of(now, to, sizeof to);
  for (int i = 0; i < 7 * RB_PROGRESS_WEEKS; i++)
    days += pr->cal.done[i];
  snprintf(line, sizeof line,
           "%s to %s  |  %d sessions  |  %d days exercised in the last 4 "
           "weeks%s",
           from, to, pr->sessions, days,
           pr->cal.days_per_week > 0 ? "  |  plan: " : "");
  if (pr->cal.days_per_week > 0) {
    char plan[64];
    snprintf(plan, sizeof plan, "%d days a week", pr->cal.days_per_week);
    strncat(line, plan, sizeof line - strlen(line) - 1);
  }
  line_of_text(cr, MARGIN, y, 9.5, line);
  y += 24;

  if (pr->npain > 0) {
    heading(cr, MARGIN, y, 13, rb_phrase_text(lang, RB_PHRASE_PAIN_CHART));
    y += 18;
    rb_chart_pain(&p, (rb_box){MARGIN, y, w, 175}, pr, lang);
    y += 185;
  }
  for (int i = 0; i < pr->nseries && y < PAGE_H - 330; i++) {
    const rb_progress_series *s = &pr->series[i];
    if (s->nleft + s->nright == 0)
      continue;
    snprintf(line, sizeof line, "%s: %s", s->title, s->label);
    heading(cr, MARGIN, y, 13, s->title);
    y += 18;
    line_of_text(cr, MARGIN, y, 9, s->label);
    y += 14;
    rb_chart_series(&p, (rb_box){MARGIN, y, w, 190}, pr, s, lang);
    y += 200;
  }
  heading(cr, MARGIN, y, 13, rb_phrase_text(lang, RB_PHRASE_DAYS_TITLE));
  y += 18;
  rb_chart_calendar(&p, (rb_box){MARGIN, y, w * 0.7, PAGE_H - MARGIN - 20 - y},
                    pr, lang);
  snprintf(line, sizeof line, "rebalance %s  |  %s", RB_VERSION,
           rb_store_path(st));
  line_of_text(cr, MARGIN, PAGE_H - MARGIN, 7.5, line);

  cairo_show_page(cr);
  cairo_surface_finish(pdf);
  if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: %s", path,
             cairo_status_to_string(cairo_surface_status(pdf)));
    goto done;
  }
  ok = true;
done:
  if (cr)
    cairo_destroy(cr);
  if (pdf)
    cairo_surface_destroy(pdf);
  free(pr);
  return ok;
}
