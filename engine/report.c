#include "report.h"

#include "chart.h"
#include "phrases.h"
#include "progress.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The screen the charts are laid out for: an 800-pixel-wide panel whose
 * chart area is about 272 pixels high. On paper a chart's unit is what
 * fits its box that way, not below UNIT_MIN (its labels at 8.4 pt) and
 * not above the full-width one. */
#define SCREEN_W 800.0
#define SCREEN_CHART_H 272.0
#define UNIT_MIN 0.28
#define UNIT_MAX ((PAGE_W - 2 * MARGIN) / SCREEN_W * 0.95)

/* Heights, in points. */
#define FOOT 14.0        /* the footer line, under the content */
#define SECTION 18.0     /* a section's heading */
#define SERIES_HEAD 32.0 /* an assessment's title and question */
#define GAP 10.0         /* under each block */
#define COL_GAP 16.0     /* between two columns */
#define PAIN_H 175.0     /* pain at full width */
#define CAL_MIN 150.0    /* the days at 70 % width, at least */
#define CAL_MAX 300.0    /* and at most: the weeks stay together */
#define TOP_ROW_H 170.0  /* pain and the days side by side */
#define CHART_MAX 190.0
#define CHART_MIN_1 120.0 /* an assessment at full width, at least */
#define CHART_MIN_2 110.0 /* in a column, at least */
#define NOTE_H 16.0       /* the line saying what was left off */

static double unit_for(double w, double h) {
  double k = fmin(w / SCREEN_W, h / SCREEN_CHART_H) * 0.95;
  return fmax(UNIT_MIN, fmin(UNIT_MAX, k));
}

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

/* Text in a box, as large as fits up to px and down to MIN_PT, wrapped;
 * left off when it cannot fit whole. */
static void boxed(cairo_t *cr, double x, double y, double w, double h,
                  const char *s, double px, bool bold, rb_paint_color c) {
  c_text(cr, x, y, w, h, s, px, bold, c, RB_PAINT_LEFT);
}

static const rb_paint_color INK = {0x10, 0x12, 0x14}, DIM = {0x50, 0x57, 0x5e};

static void date_of(time_t t, char *out, size_t n) {
  struct tm tm;
  if (!localtime_r(&t, &tm) || strftime(out, n, "%Y-%m-%d", &tm) == 0)
    snprintf(out, n, "?");
}

static const char *s_if(int n) { return n == 1 ? "" : "s"; }

/* Where the assessments go. */
typedef struct {
  bool compact;      /* pain and the days side by side at the top */
  int columns, rows; /* of assessment charts */
  int shown;         /* how many fit */
  double chart_h;
} layout;

/* n assessment charts in avail points of height (under the header); a
 * line under them when note. */
static layout plan_layout(int n, bool note, double avail) {
  layout l = {.columns = 1};
  double rest;
  if (n <= 1) {
    /* the page as the screen shows it: all at full width, down the page */
    l.rows = l.shown = n;
    l.chart_h = CHART_MAX;
    return l;
  }
  l.compact = true;
  rest = avail - (SECTION + TOP_ROW_H + GAP) - (note ? NOTE_H : 0);
  for (int cols = 1; cols <= 2; cols++) {
    int rows = (n + cols - 1) / cols;
    double h = fmin(CHART_MAX, rest / rows - SERIES_HEAD - GAP);
    if (h >= (cols == 1 ? CHART_MIN_1 : CHART_MIN_2)) {
      l.columns = cols;
      l.rows = rows;
      l.shown = n;
      l.chart_h = h;
      return l;
    }
  }
  /* truly too many: as many rows of two as fit, and a line saying so */
  if (!note)
    rest -= NOTE_H;
  l.columns = 2;
  l.rows = (int)(rest / (SERIES_HEAD + CHART_MIN_2 + GAP));
  if (l.rows < 1)
    l.rows = 1;
  l.shown = 2 * l.rows < n ? 2 * l.rows : n;
  l.chart_h = fmin(CHART_MAX, rest / l.rows - SERIES_HEAD - GAP);
  return l;
}

static void days_section(cairo_t *cr, const rb_progress *pr, const char *lang,
                         rb_box b, double unit_w) {
  rb_painter p = paper(cr, unit_for(unit_w, b.h));
  heading(cr, b.x, b.y, 13, rb_phrase_text(lang, RB_PHRASE_DAYS_TITLE));
  b.y += SECTION;
  b.h -= SECTION;
  rb_chart_calendar(&p, b, pr, lang);
}

static void pain_section(cairo_t *cr, const rb_progress *pr, const char *lang,
                         rb_box b) {
  rb_painter p = paper(cr, unit_for(b.w, b.h - SECTION));
  heading(cr, b.x, b.y, 13, rb_phrase_text(lang, RB_PHRASE_PAIN_CHART));
  b.y += SECTION;
  b.h -= SECTION;
  rb_chart_pain(&p, b, pr, lang);
}

/* An assessment: its title and question over its chart. */
static void series_block(cairo_t *cr, const rb_progress *pr,
                         const rb_progress_series *s, const char *lang,
                         rb_box b, rb_report_info *info, int k) {
  rb_painter p;
  if (info && k < RB_PROGRESS_SERIES) {
    info->boxes[k].x = b.x;
    info->boxes[k].y = b.y;
    info->boxes[k].w = b.w;
    info->boxes[k].h = b.h;
  }
  boxed(cr, b.x, b.y, b.w, 18, s->title, 13, true, INK);
  boxed(cr, b.x, b.y + 18, b.w, SERIES_HEAD - 18, s->label, 9, false, DIM);
  b.y += SERIES_HEAD;
  b.h -= SERIES_HEAD;
  p = paper(cr, unit_for(b.w, b.h));
  rb_chart_series(&p, b, pr, s, lang);
}

static void draw_page(cairo_t *cr, const rb_progress *pr,
                      const rb_patient *patient, const char *source,
                      rb_report_info *info) {
  const char *lang = patient->language[0] ? patient->language : NULL;
  char line[512], part[128], from[16], to[16];
  double y = MARGIN, w = PAGE_W - 2 * MARGIN, bottom = PAGE_H - MARGIN - FOOT;
  int visible[RB_PROGRESS_SERIES], n = 0, days = 0, weeks, left_off;
  bool pain = pr->npain > 0;
  layout lay;

  /* the header, in English: for the therapist's file */
  snprintf(line, sizeof line, "Progress report: %s", patient->name);
  boxed(cr, MARGIN, y, w, 26, line, 20, true, INK);
  y += 30;
  date_of(pr->since, from, sizeof from);
  date_of(pr->now, to, sizeof to);
  weeks = pr->cal.weeks > 0 ? pr->cal.weeks : RB_PROGRESS_WEEKS;
  for (int i = 0; i < 7 * RB_PROGRESS_WEEKS; i++)
    days += pr->cal.done[i];
  snprintf(line, sizeof line,
           "%s to %s (%d week%s)  |  %d session%s  |  %d day%s exercised in "
           "the last %d weeks",
           from, to, weeks, s_if(weeks), pr->sessions, s_if(pr->sessions), days,
           s_if(days), RB_PROGRESS_WEEKS);
  if (pr->cal.days_per_week > 0) {
    snprintf(part, sizeof part, "  |  plan: %d day%s a week",
             pr->cal.days_per_week, s_if(pr->cal.days_per_week));
    strncat(line, part, sizeof line - strlen(line) - 1);
  }
  boxed(cr, MARGIN, y, w, 14, line, 9.5, false, DIM);
  y += 24;

  for (int i = 0; i < pr->nseries; i++)
    if (rb_progress_tests(&pr->series[i], false) +
            rb_progress_tests(&pr->series[i], true) >
        0)
      visible[n++] = i;
  lay = plan_layout(n, pr->series_left_off > 0, bottom - y);
  left_off = (n - lay.shown) + pr->series_left_off;

  if (!lay.compact) {
    if (pain) {
      pain_section(cr, pr, lang, (rb_box){MARGIN, y, w, SECTION + PAIN_H});
      y += SECTION + PAIN_H + GAP;
    }
    if (n == 1) {
      series_block(cr, pr, &pr->series[visible[0]], lang,
                   (rb_box){MARGIN, y, w, SERIES_HEAD + lay.chart_h}, info, 0);
      y += SERIES_HEAD + lay.chart_h + GAP;
    }
    if (pr->sessions == 0) {
      line_of_text(cr, MARGIN, y, 11, "No sessions in this period.");
      y += 24;
    }
    /* the days: the rest of the page (less the note), CAL_MIN to CAL_MAX */
    double h =
        fmax(SECTION + CAL_MIN,
             fmin(SECTION + CAL_MAX, bottom - y - (left_off ? NOTE_H : 0)));
    days_section(cr, pr, lang, (rb_box){MARGIN, y, w * 0.7, h}, w);
    y += h;
  } else {
    /* pain and the days side by side, the assessments under them */
    double pw = pain ? w * 0.58 - COL_GAP / 2 : 0;
    double cx = pain ? MARGIN + pw + COL_GAP : MARGIN;
    double cw = w * 0.42 - (pain ? COL_GAP / 2 : 0);
    double colw = (w - (lay.columns - 1) * COL_GAP) / lay.columns;
    if (pain)
      pain_section(cr, pr, lang, (rb_box){MARGIN, y, pw, SECTION + TOP_ROW_H});
    days_section(cr, pr, lang, (rb_box){cx, y, cw, SECTION + TOP_ROW_H},
                 cw / 0.7);
    y += SECTION + TOP_ROW_H + GAP;
    for (int k = 0; k < lay.shown; k++) {
      int row = k / lay.columns, col = k % lay.columns;
      rb_box b = {MARGIN + col * (colw + COL_GAP),
                  y + row * (SERIES_HEAD + lay.chart_h + GAP), colw,
                  SERIES_HEAD + lay.chart_h};
      series_block(cr, pr, &pr->series[visible[k]], lang, b, info, k);
    }
    y += lay.rows * (SERIES_HEAD + lay.chart_h + GAP);
  }
  if (left_off > 0) {
    snprintf(line, sizeof line,
             "%d more assessment%s with results not charted here; the CSV "
             "and FHIR exports hold every value.",
             left_off, s_if(left_off));
    boxed(cr, MARGIN, fmin(y, bottom - NOTE_H), w, NOTE_H, line, 10, true, INK);
    y = fmax(y, fmin(y, bottom - NOTE_H) + NOTE_H);
  }
  snprintf(line, sizeof line, "rebalance %s  |  %s", RB_VERSION, source);
  boxed(cr, MARGIN, PAGE_H - MARGIN - 2, w, 11, line, MIN_PT, false, DIM);
  if (info) {
    info->charts = lay.shown; /* boxes[] filled as each was drawn */
    info->left_off = left_off;
    info->columns = lay.columns;
    info->chart_h = lay.chart_h;
    info->chart_w =
        lay.compact ? (w - (lay.columns - 1) * COL_GAP) / lay.columns : w;
    info->bottom = y;
  }
}

/* --- the file --------------------------------------------------------------
 */

typedef struct {
  int fd;
  int err; /* errno of the first write that failed */
} fd_sink;

static cairo_status_t put(void *closure, const unsigned char *data,
                          unsigned int length) {
  fd_sink *o = closure;
  while (length > 0) {
    ssize_t n = write(o->fd, data, length);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (!o->err)
        o->err = n < 0 ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
    data += n;
    length -= (unsigned int)n;
  }
  return CAIRO_STATUS_SUCCESS;
}

/* Syncs the directory path is in, so its new name survives a power cut. */
static bool sync_dir(const char *path, char *err, size_t errlen) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                    : strdup(".");
  int fd = -1;
  bool ok = false;
  if (!dir) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  /* a file system that cannot sync a directory says EINVAL: the name is
   * as safe there as it gets */
  if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL && errno != EOPNOTSUPP)) {
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
    goto done;
  }
  ok = true;
done:
  if (fd >= 0 && close(fd) != 0 && ok) {
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
    ok = false;
  }
  free(dir);
  return ok;
}

bool rb_report_write_progress(const rb_progress *pr, const rb_patient *patient,
                              const char *source, const char *path,
                              rb_report_info *info, char *err, size_t errlen) {
  cairo_surface_t *pdf = NULL;
  cairo_t *cr = NULL;
  fd_sink out = {.fd = -1};
  char *tmp = malloc(strlen(path) + sizeof ".part");
  bool ok = false, placed = false;
  int fd;

  if (info)
    memset(info, 0, sizeof *info);
  if (!tmp) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  /* written beside it, then put in place: never half a file */
  sprintf(tmp, "%s.part", path);
  out.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (out.fd < 0) {
    snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    goto done;
  }
  pdf = cairo_pdf_surface_create_for_stream(put, &out, PAGE_W, PAGE_H);
  if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: %s", tmp,
             cairo_status_to_string(cairo_surface_status(pdf)));
    goto done;
  }
  cr = cairo_create(pdf);
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: %s", tmp,
             cairo_status_to_string(cairo_status(cr)));
    goto done;
  }
  draw_page(cr, pr, patient, source, info);
  cairo_show_page(cr);
  cairo_surface_finish(pdf);
  if (out.err || cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: %s", tmp,
             out.err ? strerror(out.err)
                     : cairo_status_to_string(cairo_surface_status(pdf)));
    goto done;
  }
  if (fsync(out.fd) != 0) {
    snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    goto done;
  }
  fd = out.fd;
  out.fd = -1;
  if (close(fd) != 0) {
    snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    goto done;
  }
  if (rename(tmp, path) != 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    goto done;
  }
  placed = true;
  if (!sync_dir(path, err, errlen))
    goto done;
  ok = true;
done:
  if (cr)
    cairo_destroy(cr);
  if (pdf)
    cairo_surface_destroy(pdf);
  if (out.fd >= 0)
    close(out.fd); /* already failing: its error adds nothing */
  if (!ok && tmp && !placed)
    unlink(tmp);
  free(tmp);
  return ok;
}

bool rb_report_write(rb_store *st, const rb_patient *patient,
                     const rb_plugins *plugins, time_t now, int weeks,
                     const char *path, char *err, size_t errlen) {
  rb_progress *pr = calloc(1, sizeof *pr);
  bool ok = false;
  if (!pr) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  if (!rb_progress_load(st, patient->id, plugins, now, weeks, pr)) {
    snprintf(err, errlen, "%s cannot be read", rb_store_path(st));
    goto done;
  }
  ok = rb_report_write_progress(pr, patient, rb_store_path(st), path, NULL, err,
                                errlen);
done:
  free(pr);
  return ok;
}
