/* report: the one-page PDF progress report, from six weeks of generated
 * sessions: written, a PDF, and (where poppler-utils is installed)
 * rendered to a PNG that people look at (REBALANCE_SCREENSHOTS or
 * screens-out/report.png). With three and with six assessments every one
 * is charted: its title in the PDF's text, ink in its box on the page,
 * the boxes inside the page and apart; more than fit are counted on it.
 * The file is written beside and renamed into place: nothing is left
 * beside it, and a place it cannot go leaves nothing either. */
#include "progress_data.h"
#include "report.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_W 595
#define PAGE_H 842

static bool have_poppler;

/* The PDF's text (pdftotext), or "" without poppler; the caller frees. */
static char *text_of(const char *pdf) {
  char cmd[1024], *buf = calloc(1, 65536);
  size_t n = 0;
  FILE *f;
  if (!buf || !have_poppler)
    return buf;
  snprintf(cmd, sizeof cmd, "pdftotext -q '%s' - 2>/dev/null", pdf);
  f = popen(cmd, "r");
  if (!f)
    return buf;
  n = fread(buf, 1, 65535, f);
  buf[n] = '\0';
  if (pclose(f) != 0)
    buf[0] = '\0';
  return buf;
}

/* The page in grey at 72 dpi (a pixel a point), from pdftoppm's PGM. */
typedef struct {
  int w, h;
  unsigned char *px;
} grey;

static bool render_grey(const char *pdf, const char *dir, grey *g) {
  char cmd[1024], path[512], magic[3] = "";
  int maxval = 0;
  FILE *f;
  g->px = NULL;
  snprintf(cmd, sizeof cmd,
           "pdftoppm -gray -r 72 -singlefile '%s' '%s/page' 2>&1", pdf, dir);
  if (system(cmd) != 0)
    return false;
  snprintf(path, sizeof path, "%s/page.pgm", dir);
  f = fopen(path, "rb");
  if (!f)
    return false;
  if (fscanf(f, "%2s %d %d %d", magic, &g->w, &g->h, &maxval) != 4 ||
      strcmp(magic, "P5") != 0 || maxval != 255 || g->w <= 0 || g->h <= 0 ||
      g->w > 4000 || g->h > 4000 || fgetc(f) == EOF ||
      !(g->px = malloc((size_t)g->w * g->h)) ||
      fread(g->px, 1, (size_t)g->w * g->h, f) != (size_t)g->w * g->h) {
    free(g->px);
    g->px = NULL;
  }
  fclose(f);
  unlink(path);
  return g->px != NULL;
}

/* Pixels darker than paper in a box (points). */
static int ink_in(const grey *g, double x, double y, double w, double h) {
  int n = 0;
  for (int j = (int)y; j < (int)(y + h) && j < g->h; j++)
    for (int i = (int)x; i < (int)(x + w) && i < g->w; i++)
      if (j >= 0 && i >= 0 && g->px[(size_t)j * g->w + i] < 160)
        n++;
  return n;
}

static const char *const TITLES[] = {
    "Knee-to-wall ankle test", "Single-leg balance",
    "Shoulder height",         "Hip flexion",
    "Sit and reach",           "Calf raises"};

/* Ann's progress with n assessments: the real knee-to-wall one, and
 * copies of it under other names, values and units. */
static void with_series(rb_progress *pr, int n) {
  static const char *const units[] = {"cm", "s", "cm", "deg", "cm", "reps"};
  for (int k = 1; k < n && k < RB_PROGRESS_SERIES; k++) {
    rb_progress_series *s = &pr->series[k];
    *s = pr->series[0];
    snprintf(s->id, sizeof s->id, "test_%d", k);
    snprintf(s->title, sizeof s->title, "%s", TITLES[k]);
    snprintf(s->label, sizeof s->label, "What did you measure (%s)?", units[k]);
    snprintf(s->unit, sizeof s->unit, "%s", units[k]);
    s->sided = k % 2 == 0;
    for (int i = 0; i < s->nleft; i++)
      s->left[i].value = 10.0 * k + i * (k % 3);
    for (int i = 0; i < s->nright; i++)
      s->right[i].value = 10.0 * k + 1 - i * 0.2;
    if (!s->sided)
      s->nright = 0; /* one line */
    s->first_left = s->left[0];
    s->first_right = s->right[0];
    s->norm_lo = 10.0 * k + 2;
    s->norm_hi = 10.0 * k + 6;
    s->mdc = k % 3 == 0 ? 0 : 1.5;
  }
  pr->nseries = n;
}

/* Every chart drawn: counted, its title in the text, ink in its box,
 * boxes on the page and apart. */
static void every_chart(const char *what, const char *pdf, const char *dir,
                        const rb_report_info *info, int n) {
  char *text = text_of(pdf);
  grey g = {0};
  is_int(info->charts, n, "%s: %d assessment charts drawn", what, n);
  is_int(info->left_off, 0, "%s: none left off", what);
  ok(info->bottom <= PAGE_H - 40 - 10, "%s: all above the footer (%.0f)", what,
     info->bottom);
  ok(info->chart_h >= 110 && info->chart_w >= 240,
     "%s: charts of a readable size (%.0f x %.0f pt, %d column%s)", what,
     info->chart_w, info->chart_h, info->columns,
     info->columns == 1 ? "" : "s");
  {
    bool inside = true, apart = true;
    for (int i = 0; i < info->charts; i++) {
      double x = info->boxes[i].x, y = info->boxes[i].y;
      double w = info->boxes[i].w, h = info->boxes[i].h;
      inside = inside && x >= 39 && y >= 39 && x + w <= PAGE_W - 39 &&
               y + h <= PAGE_H - 40 - 10;
      for (int j = 0; j < i; j++) {
        double x2 = info->boxes[j].x, y2 = info->boxes[j].y;
        if (x < x2 + info->boxes[j].w && x2 < x + w &&
            y < y2 + info->boxes[j].h && y2 < y + h)
          apart = false;
      }
    }
    ok(inside && apart, "%s: the chart boxes are on the page and apart", what);
  }
  if (!have_poppler) {
    printf("ok %d # skip pdftotext/pdftoppm not installed\n", ++tap_n);
    free(text);
    return;
  }
  for (int k = 0; k < n; k++)
    like(text, TITLES[k], "%s: '%s' is on the page", what, TITLES[k]);
  if (render_grey(pdf, dir, &g)) {
    int blank = 0;
    for (int i = 0; i < info->charts; i++) {
      /* the chart itself, under its title and question */
      int ink = ink_in(&g, info->boxes[i].x, info->boxes[i].y + 32,
                       info->boxes[i].w, info->boxes[i].h - 32);
      if (ink < 400) {
        printf("#   chart %d: %d dark pixels\n", i, ink);
        blank++;
      }
    }
    is_int(blank, 0, "%s: every chart box has a chart in it", what);
    free(g.px);
  } else {
    ok(0, "%s: pdftoppm renders a grey page", what);
  }
  free(text);
}

int main(int argc, char **argv) {
  char dir[] = "/tmp/rb-report-XXXXXX", pdf[256], err[256] = "", cmd[1024];
  char part[300];
  const char *out = argc > 1 ? argv[1] : "screens-out";
  rb_plugins *plugins = NULL;
  long long patient = 0;
  time_t now;
  rb_store *st;
  rb_patient p;
  rb_progress *pr = calloc(1, sizeof *pr);
  rb_report_info info;
  FILE *f;
  char head[5] = "", *text;
  struct stat sb;
  if (!mkdtemp(dir) || !pr) {
    printf("Bail out! mkdtemp\n");
    return 1;
  }
  have_poppler = system("command -v pdftoppm >/dev/null 2>&1 && "
                        "command -v pdftotext >/dev/null 2>&1") == 0;
  st = pd_store(dir, &plugins, &patient, &now);
  ok(st != NULL, "a store with six weeks of sessions");
  if (!st)
    return tap_done();
  rb_store_patient_find(st, "Ann", &p);
  snprintf(pdf, sizeof pdf, "%s/report.pdf", dir);
  snprintf(part, sizeof part, "%s.part", pdf);
  ok(rb_report_write(st, &p, plugins, now, 8, pdf, err, sizeof err),
     "the report is written (%s)", err);
  f = fopen(pdf, "rb");
  if (f) {
    if (fread(head, 1, 4, f) != 4)
      head[0] = '\0';
    fclose(f);
  }
  is_str(head, "%PDF", "it is a PDF");
  ok(stat(pdf, &sb) == 0 && sb.st_size > 4000, "with something on it (%ld)",
     (long)sb.st_size);
  ok(access(part, F_OK) != 0, "nothing is left beside it");
  text = text_of(pdf);
  if (have_poppler) {
    like(text, "Progress report: Ann", "the header names the patient");
    like(text, "16 sessions", "and the sessions");
    like(text, "plan: 3 days a week", "and the plan");
  }
  free(text);
  ok(!rb_report_write(st, &p, plugins, now, 8, "/proc/no/such/dir/r.pdf", err,
                      sizeof err) &&
         err[0],
     "a place it cannot be written: said (%s)", err);
  {
    /* the .part can be made but the rename fails: a directory is there */
    char isdir[300], isdir_part[310];
    snprintf(isdir, sizeof isdir, "%s/taken.pdf", dir);
    snprintf(isdir_part, sizeof isdir_part, "%s.part", isdir);
    mkdir(isdir, 0755);
    err[0] = '\0';
    ok(!rb_report_write(st, &p, plugins, now, 8, isdir, err, sizeof err) &&
           err[0],
       "a directory in the way: said (%s)", err);
    ok(access(isdir_part, F_OK) != 0, "and nothing is left beside it");
    rmdir(isdir);
  }
  err[0] = '\0';
  ok(rb_report_write(st, &p, plugins, now, 8, pdf, err, sizeof err) &&
         stat(pdf, &sb) == 0 && sb.st_size > 4000,
     "a report written over the last one (%s)", err);

  /* one assessment, from the store */
  ok(rb_progress_load(st, patient, plugins, now, 8, pr),
     "Ann's progress loads");
  ok(rb_report_write_progress(pr, &p, "test", pdf, &info, err, sizeof err),
     "with one assessment (%s)", err);
  is_int(info.charts, 1, "one: charted");
  is_int(info.columns, 1, "one: full width");
  text = text_of(pdf);
  if (have_poppler)
    like(text, "rebalance " RB_VERSION, "the footer says what made it");
  free(text);

  if (have_poppler) {
    mkdir(out, 0755);
    snprintf(cmd, sizeof cmd,
             "pdftoppm -png -r 80 -singlefile '%s' '%s/report' 2>&1", pdf, out);
    ok(system(cmd) == 0, "pdftoppm renders it: %s/report.png", out);
    snprintf(cmd, sizeof cmd, "%s/report.png", out);
    ok(stat(cmd, &sb) == 0 && sb.st_size > 10000, "a picture of it (%ld)",
       (long)sb.st_size);
  } else {
    printf("ok %d # skip pdftoppm is not installed (poppler-utils)\n", ++tap_n);
  }

  /* three and six assessments: every one on the page */
  for (int n = 2; n <= RB_PROGRESS_SERIES; n++) {
    char what[32];
    rb_progress_load(st, patient, plugins, now, 8, pr);
    with_series(pr, n);
    snprintf(what, sizeof what, "%d tests", n);
    err[0] = '\0';
    ok(rb_report_write_progress(pr, &p, "test", pdf, &info, err, sizeof err),
       "%s: written (%s)", what, err);
    every_chart(what, pdf, dir, &info, n);
    if (have_poppler && (n == 3 || n == RB_PROGRESS_SERIES)) {
      snprintf(cmd, sizeof cmd,
               "pdftoppm -png -r 80 -singlefile '%s' '%s/report-%d' 2>&1", pdf,
               out, n);
      ok(system(cmd) == 0, "%s: a picture, %s/report-%d.png", what, out, n);
    }
  }

  /* more than progress holds: counted on the page */
  rb_progress_load(st, patient, plugins, now, 8, pr);
  with_series(pr, RB_PROGRESS_SERIES);
  pr->series_left_off = 2;
  err[0] = '\0';
  ok(rb_report_write_progress(pr, &p, "test", pdf, &info, err, sizeof err),
     "six tests and two more: written (%s)", err);
  is_int(info.charts, RB_PROGRESS_SERIES, "six charted");
  is_int(info.left_off, 2, "two counted as left off");
  text = text_of(pdf);
  if (have_poppler)
    like(text, "2 more assessments", "and said on the page");
  free(text);

  /* no sessions at all */
  memset(pr, 0, sizeof *pr);
  pr->now = now;
  pr->since = now - 8 * 7 * 86400;
  pr->cal.today = 6 + 7 * 3;
  err[0] = '\0';
  ok(rb_report_write_progress(pr, &p, "test", pdf, &info, err, sizeof err) &&
         info.charts == 0 && info.left_off == 0,
     "nothing yet: a report all the same (%s)", err);
  text = text_of(pdf);
  if (have_poppler)
    like(text, "No sessions in this period", "that says so");
  free(text);

  free(pr);
  rb_store_close(st);
  rb_plugins_free(plugins);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", dir);
  return tap_done();
}
