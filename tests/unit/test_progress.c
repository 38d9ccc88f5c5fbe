/* progress: what the progress screen and the report are drawn from, on
 * hostile patients in a real results store, in a time zone with a
 * daylight-saving change inside the weeks loaded (Europe/Berlin, 25 Oct
 * 2026):
 *  - 500 sessions: the newest 64 points of each line are kept, in order,
 *    and the first test of the period still says what changed and anchors
 *    the measurement-error band, which the chart draws around it;
 *  - a streak of weeks on plan longer than the calendar's four, counted
 *    over every week loaded, broken by a week off plan;
 *  - no sessions, one session, values too large to write out, pain off
 *    the 0-10 scale, more assessment fields than progress holds;
 *  - every chart drawn through a painter that checks each coordinate is
 *    a number inside the chart's box, and a report written for each. */
#include "chart.h"
#include "progress.h"
#include "progress_data.h"
#include "report.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAY 86400

static rb_store *st;
static rb_plugins *plugins;
static time_t now, since;

/* --- a store of generated sessions ----------------------------------------
 */

/* One session of patient at t: pain before and after (not recorded when
 * NAN), and an assessment's values (JSON, NULL for none). */
static void session(long long patient, time_t t, double before, double after,
                    const char *assess) {
  char json[512], uuid[37];
  rb_sink k;
  pd_now_value = t;
  k = rb_store_sink(st, patient, uuid);
  pd_emit(&k, "start", "{\"routine\":\"ankle-wall-test\",\"title\":\"Ankle\"}");
  if (!isnan(before)) {
    snprintf(json, sizeof json, "{\"key\":\"pain_before\",\"value\":%.17g}",
             before);
    pd_emit(&k, "record", json);
  }
  if (assess)
    pd_emit(&k, "assess", assess);
  if (!isnan(after)) {
    snprintf(json, sizeof json, "{\"key\":\"pain_after\",\"value\":%.17g}",
             after);
    pd_emit(&k, "record", json);
  }
  k.ended(k.ud, &(rb_session_end){.routine = "ankle-wall-test",
                                  .status = RB_END_COMPLETED,
                                  .reason = "",
                                  .error = "",
                                  .duration_s = 300,
                                  .pain_at_stop = -1});
}

static void knee(char *out, size_t n, double left, double right) {
  snprintf(out, n,
           "{\"id\":\"knee_to_wall\",\"result\":{\"values\":{"
           "\"distance_cm.left\":%.17g,\"distance_cm.right\":%.17g}}}",
           left, right);
}

static long long patient(const char *name, int days_a_week) {
  char err[256], days[16];
  rb_patient p;
  rb_store_patient_add(st, name, NULL, err, sizeof err);
  if (days_a_week > 0) {
    snprintf(days, sizeof days, "%d", days_a_week);
    rb_store_patient_set(st, name, "ankle-wall-test.days", days, err,
                         sizeof err);
  }
  return rb_store_patient_find(st, name, &p) ? p.id : -1;
}

/* Local 18:00 on the day `day` days after the Monday that starts the
 * weeks loaded (8 of them). */
static time_t evening(int day) {
  struct tm tm;
  localtime_r(&since, &tm);
  tm.tm_mday += day;
  tm.tm_hour = 18;
  tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return mktime(&tm);
}

/* --- a painter that checks what it is given ------------------------------
 */

typedef struct {
  rb_box box;
  double slack;
  int calls, outside;
  char first_bad[128];
  /* what the series chart drew, for the band and the first test */
  rb_box band[2];
  int nband[2];
  double dot_x[2][RB_PROGRESS_POINTS + 2], dot_y[2][RB_PROGRESS_POINTS + 2];
  int ndots[2];
} checker;

static const rb_paint_color BG = {0, 0, 0}, LEFT = {200, 0, 0},
                            RIGHT = {0, 200, 0}, BAND_LEFT = {44, 0, 0},
                            BAND_RIGHT = {0, 44, 0};

static bool same(rb_paint_color a, rb_paint_color b) {
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void check(checker *c, const char *what, double x, double y, double w,
                  double h) {
  rb_box b = c->box;
  double s = c->slack;
  c->calls++;
  if (isfinite(x) && isfinite(y) && isfinite(w) && isfinite(h) && w >= 0 &&
      h >= 0 && x >= b.x - s && y >= b.y - s && x + w <= b.x + b.w + s &&
      y + h <= b.y + b.h + s)
    return;
  if (!c->outside++)
    snprintf(c->first_bad, sizeof c->first_bad, "%s at %g,%g %gx%g", what, x, y,
             w, h);
}

static void k_rect(void *ud, double x, double y, double w, double h,
                   rb_paint_color col) {
  checker *c = ud;
  check(c, "rect", x, y, w, h);
  for (int side = 0; side < 2; side++)
    if (same(col, side ? BAND_RIGHT : BAND_LEFT) && c->nband[side]++ == 0)
      c->band[side] = (rb_box){x, y, w, h};
}

static void k_line(void *ud, double x0, double y0, double x1, double y1,
                   double width, rb_paint_color col) {
  (void)col;
  check(ud, "line", fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0));
  check(ud, "line width", x0, y0, width, 0);
}

static void k_dot(void *ud, double x, double y, double r, rb_paint_color col) {
  checker *c = ud;
  check(c, "dot", x - r, y - r, 2 * r, 2 * r);
  for (int side = 0; side < 2; side++)
    if (same(col, side ? RIGHT : LEFT) &&
        c->ndots[side] < RB_PROGRESS_POINTS + 2) {
      c->dot_x[side][c->ndots[side]] = x;
      c->dot_y[side][c->ndots[side]++] = y;
    }
}

static void k_text(void *ud, double x, double y, double w, double h,
                   const char *s, double px, bool bold, rb_paint_color col,
                   rb_paint_align align) {
  (void)bold, (void)col, (void)align;
  check(ud, s, x, y, w, h);
  if (!isfinite(px) || px <= 0)
    check(ud, "text size", NAN, 0, 0, 0);
}

static double k_measure(void *ud, const char *s, double px, bool bold,
                        double w) {
  (void)ud, (void)bold;
  /* a line per 20 characters at most, as a font might */
  double per = fmax(1, w / (px * 0.6));
  return ceil((double)strlen(s) / per) * px * 1.25;
}

static checker checked;

static rb_painter painter(rb_box box) {
  memset(&checked, 0, sizeof checked);
  checked.box = box;
  checked.slack = 24; /* axis labels sit half a line over the plot's top */
  return (rb_painter){.ud = &checked,
                      .unit = 1,
                      .rect = k_rect,
                      .line = k_line,
                      .dot = k_dot,
                      .text = k_text,
                      .measure = k_measure,
                      .bg = BG,
                      .panel = {10, 10, 10},
                      .grid = {20, 20, 20},
                      .ink = {255, 255, 255},
                      .dim = {128, 128, 128},
                      .accent = {0, 0, 200},
                      .left = LEFT,
                      .right = RIGHT,
                      .band = {0, 30, 30},
                      .before = {200, 200, 0}};
}

/* Every chart of pr, at the screen's size and in a column's, inside its
 * box. */
static void charts_inside(const char *who, const rb_progress *pr) {
  static const rb_box boxes[] = {{16, 92, 768, 272}, {0, 0, 420, 200}};
  int bad = 0;
  char first[160] = "";
  for (size_t b = 0; b < sizeof boxes / sizeof *boxes; b++) {
    rb_painter p = painter(boxes[b]);
    rb_chart_pain(&p, boxes[b], pr, NULL);
    rb_chart_calendar(&p, boxes[b], pr, NULL);
    for (int i = 0; i < pr->nseries; i++)
      rb_chart_series(&p, boxes[b], pr, &pr->series[i], NULL);
    if (checked.outside && !bad)
      snprintf(first, sizeof first, "%s", checked.first_bad);
    bad += checked.outside;
  }
  ok(bad == 0, "%s: every chart is drawn inside its box %s", who, first);
}

static void report_of(const char *who, const char *dir, const char *out,
                      bool picture) {
  char pdf[512], err[256] = "", cmd[1024];
  rb_patient p;
  bool found = rb_store_patient_find(st, who, &p);
  snprintf(pdf, sizeof pdf, "%s/%s.pdf", dir, who);
  ok(found && rb_report_write(st, &p, plugins, now, 8, pdf, err, sizeof err),
     "%s: the report is written %s", who, err);
  if (picture && system("command -v pdftoppm >/dev/null 2>&1") == 0) {
    mkdir(out, 0755);
    snprintf(cmd, sizeof cmd,
             "pdftoppm -png -r 80 -singlefile '%s' '%s/report-%s' 2>&1", pdf,
             out, who);
    ok(system(cmd) == 0, "%s: a picture of it, %s/report-%s.png", who, out,
       who);
  }
}

/* --- the cases --------------------------------------------------------------
 */

static void many(long long id) {
  rb_progress *pr = calloc(1, sizeof *pr);
  const rb_progress_series *s;
  char words[256];
  time_t first_t = evening(0) - 17 * 3600; /* Monday 01:00 */
  bool ordered = true;
  double span = difftime(now - 3600, first_t);
  if (!pr)
    return;
  for (int i = 0; i < 500; i++) {
    char json[256];
    knee(json, sizeof json, 5.0 + 0.01 * i, 10.0);
    session(id, first_t + (time_t)(span * i / 499), i % 11, (i + 3) % 11, json);
  }
  rb_store_flush(st);
  ok(rb_progress_load(st, id, plugins, now, 8, pr), "500: loads");
  is_int(pr->sessions, 500, "500: every session counted");
  s = &pr->series[0];
  is_int(pr->nseries, 1, "500: one field");
  is_int(s->nleft, RB_PROGRESS_POINTS, "500: 64 points kept on the left");
  is_int(s->nright, RB_PROGRESS_POINTS, "500: and on the right");
  is_int(s->older_left, 500 - RB_PROGRESS_POINTS, "500: 436 older shifted out");
  is_int(rb_progress_tests(s, false), 500, "500: 500 tests a side in all");
  ok(fabs(s->left[RB_PROGRESS_POINTS - 1].value - 9.99) < 1e-9 &&
         fabs(s->left[0].value - (5.0 + 0.01 * 436)) < 1e-9,
     "500: the newest kept, 9.36 to 9.99 (%.2f to %.2f)", s->left[0].value,
     s->left[RB_PROGRESS_POINTS - 1].value);
  for (int i = 1; i < s->nleft; i++)
    ordered = ordered && s->left[i].when > s->left[i - 1].when;
  ok(ordered, "500: oldest first");
  ok(fabs(s->first_left.value - 5.0) < 1e-9 && s->first_left.when == first_t,
     "500: the first test of the period kept (%.2f)", s->first_left.value);
  ok(rb_progress_change(s, false, NULL, words, sizeof words) &&
         strstr(words, "5.0 to 10.0 cm, a real change"),
     "500: what changed is from the first test: %s", words);
  ok(rb_progress_change(s, true, NULL, words, sizeof words) &&
         strstr(words, "10.0 to 10.0 cm, within measurement error"),
     "500: right: %s", words);
  is_int(pr->npain, RB_PROGRESS_PAIN_POINTS, "500: 168 pain points kept");
  is_int(pr->older_pain, 500 - RB_PROGRESS_PAIN_POINTS,
         "500: the older counted");
  ok(pr->pain[RB_PROGRESS_PAIN_POINTS - 1].when == now - 3600 &&
         pr->pain[RB_PROGRESS_PAIN_POINTS - 1].before == 499 % 11 &&
         pr->pain[RB_PROGRESS_PAIN_POINTS - 1].after == (499 + 3) % 11 &&
         pr->pain[0].before == (500 - RB_PROGRESS_PAIN_POINTS) % 11,
     "500: the newest pain kept, the last session's last");
  is_int(pr->cal.weeks, 8, "500: eight weeks loaded");
  is_int(pr->cal.streak, 8, "500: on plan all eight weeks in a row");
  charts_inside("500", pr);
  {
    /* the band around the first test, the first test's dot at its middle,
     * left of every point kept */
    rb_box box = {16, 92, 768, 272};
    rb_painter p = painter(box);
    bool centred = false, leftmost = true;
    rb_chart_series(&p, box, pr, s, NULL);
    for (int i = 0; i < checked.ndots[0]; i++) {
      if (fabs(checked.dot_x[0][i] - checked.band[0].x) < 1 &&
          fabs(checked.dot_y[0][i] -
               (checked.band[0].y + checked.band[0].h / 2)) < 1)
        centred = true;
      else if (checked.dot_x[0][i] <= checked.band[0].x)
        leftmost = false;
    }
    is_int(checked.nband[0], 1, "500: one measurement-error band on the left");
    ok(centred && leftmost,
       "500: drawn around the first test, whose dot is left of the newest");
    is_int(checked.ndots[0], RB_PROGRESS_POINTS + 1,
           "500: 64 points and the first test drawn");
  }
  free(pr);
}

/* 65 tests: one shifted out, the first still known. */
static void sixty_five(long long id) {
  rb_progress *pr = calloc(1, sizeof *pr);
  char words[256];
  if (!pr)
    return;
  for (int i = 0; i < 65; i++) {
    char json[256];
    knee(json, sizeof json, i == 0 ? 3.0 : 12.0, 12.0);
    session(id, evening(0) - 17 * 3600 + (time_t)i * 19 * 3600, NAN, NAN, json);
  }
  rb_store_flush(st);
  ok(rb_progress_load(st, id, plugins, now, 8, pr), "65: loads");
  ok(pr->series[0].nleft == 64 && pr->series[0].older_left == 1 &&
         pr->series[0].first_left.value == 3.0 &&
         pr->series[0].left[0].value == 12.0,
     "65: 64 kept, the first (3.0) shifted out but known");
  ok(rb_progress_change(&pr->series[0], false, NULL, words, sizeof words) &&
         strstr(words, "3.0 to 12.0 cm, a real change"),
     "65: %s", words);
  is_int(pr->npain, 0, "65: no pain recorded, none shown");
  charts_inside("65", pr);
  free(pr);
}

static void streaks(long long broken, long long steady) {
  rb_progress *pr = calloc(1, sizeof *pr);
  if (!pr)
    return;
  /* broken: Monday, Wednesday, Friday for eight weeks, but only Monday in
   * the second week and (so far) in this one */
  for (int w = 0; w < 8; w++)
    for (int d = 0; d <= 4; d += 2)
      if (!((w == 1 || w == 7) && d > 0))
        session(broken, evening(7 * w + d), 3, 2, NULL);
  /* steady: the same, every week, and twice on some days */
  for (int w = 0; w < 8; w++)
    for (int d = 0; d <= 4; d += 2) {
      session(steady, evening(7 * w + d), 3, 2, NULL);
      if (d == 2)
        session(steady, evening(7 * w + d) - 7200, NAN, NAN, NULL);
    }
  rb_store_flush(st);
  ok(rb_progress_load(st, broken, plugins, now, 8, pr), "streak: loads");
  is_int(pr->cal.streak, 5,
         "streak: five weeks in a row on plan before this one, counted past "
         "the calendar's four");
  ok(pr->cal.week_days[0] == 3 && pr->cal.week_days[3] == 1 &&
         pr->cal.done[7 * 3] && !pr->cal.done[7 * 3 + 2],
     "streak: the calendar's weeks (%d %d %d %d)", pr->cal.week_days[0],
     pr->cal.week_days[1], pr->cal.week_days[2], pr->cal.week_days[3]);
  is_int(pr->cal.today, 7 * 3 + 4, "streak: today is the last week's Friday");
  ok(rb_progress_load(st, steady, plugins, now, 8, pr) && pr->cal.streak == 8,
     "streak: eight of eight weeks (%d)", pr->cal.streak);
  is_int(pr->sessions, 32, "streak: 32 sessions, 24 days");
  ok(rb_progress_load(st, steady, plugins, now, 12, pr) &&
         pr->cal.streak == 8 && pr->cal.weeks == 12,
     "streak: twelve weeks loaded, eight of them on plan (%d)", pr->cal.streak);
  ok(rb_progress_load(st, steady, plugins, now, 4, pr) && pr->cal.streak == 4,
     "streak: four weeks loaded: four (%d)", pr->cal.streak);
  ok(rb_progress_load(st, steady, plugins, now, 1000, pr) &&
         pr->cal.weeks == RB_PROGRESS_WEEKS_MAX && pr->cal.streak == 8,
     "streak: a thousand weeks asked for: %d loaded, 8 on plan", pr->cal.weeks);
  charts_inside("streak", pr);
  free(pr);
}

static void none_and_one(long long none, long long one) {
  rb_progress *pr = calloc(1, sizeof *pr);
  char words[256], json[256];
  if (!pr)
    return;
  ok(rb_progress_load(st, none, plugins, now, 8, pr), "none: loads");
  ok(pr->sessions == 0 && pr->npain == 0 && pr->nseries == 0 &&
         pr->cal.streak == 0 && pr->cal.today == 7 * 3 + 4,
     "none: nothing, today on the calendar");
  ok(!rb_progress_worth_showing(pr), "none: nothing worth showing");
  charts_inside("none", pr);
  knee(json, sizeof json, 9.0, 11.0);
  session(one, evening(50), 4, 3, json);
  rb_store_flush(st);
  ok(rb_progress_load(st, one, plugins, now, 8, pr), "one: loads");
  ok(pr->npain == 1 && pr->nseries == 1 && pr->series[0].nleft == 1 &&
         pr->series[0].first_left.value == 9.0,
     "one: a point each");
  ok(!rb_progress_change(&pr->series[0], false, NULL, words, sizeof words),
     "one: no change to speak of");
  ok(!rb_progress_worth_showing(pr), "one: not yet worth showing");
  charts_inside("one", pr);
  free(pr);
}

static void hostile(long long id) {
  rb_progress *pr = calloc(1, sizeof *pr);
  char words[256], json[512];
  if (!pr)
    return;
  knee(json, sizeof json, 9.0, 11.0);
  session(id, evening(40), 4, 3, json);
  /* too large to write with digits; and pain off the scale */
  knee(json, sizeof json, 1e300, -1e300);
  session(id, evening(41), 11, -1, json);
  /* not a number at all (JSON has no NaN; 1e999 reads as infinity) */
  session(id, evening(42), NAN, NAN,
          "{\"id\":\"knee_to_wall\",\"result\":{\"values\":{"
          "\"distance_cm.left\":1e999,\"distance_cm.right\":\"12\"}}}");
  /* seven fields of three assessments: one more than progress holds */
  session(id, evening(43), 2, 1,
          "{\"id\":\"doorway_leg_raise\",\"result\":{\"values\":{"
          "\"reached_90.left\":1,\"knee_bent.left\":0,"
          "\"other_foot_turned_out.left\":1}}}");
  session(id, evening(44), 1e300, 1,
          "{\"id\":\"posture_mirror\",\"result\":{\"values\":{"
          "\"higher_shoulder\":1,\"higher_hip\":2,\"head_forward\":0,"
          "\"no_such_field\":5}}}");
  rb_store_flush(st);
  ok(rb_progress_load(st, id, plugins, now, 8, pr), "hostile: loads");
  ok(pr->series[0].nleft == 2 && pr->series[0].nright == 2,
     "hostile: infinity and a string left out (%d, %d)", pr->series[0].nleft,
     pr->series[0].nright);
  ok(rb_progress_change(&pr->series[0], false, NULL, words, sizeof words) &&
         strstr(words, "9.0 to 1e+300 cm"),
     "hostile: a huge value written as it is: %s", words);
  ok(pr->npain == 3 && pr->pain[1].before == 2 && pr->pain[1].after == 1 &&
         isnan(pr->pain[2].before) && pr->pain[2].after == 1,
     "hostile: pain off the 0-10 scale left out (%d)", pr->npain);
  is_int(pr->nseries, RB_PROGRESS_SERIES, "hostile: six fields kept");
  is_int(pr->series_left_off, 1, "hostile: one counted as left off");
  charts_inside("hostile", pr);
  free(pr);
}

int main(int argc, char **argv) {
  char dir[] = "/tmp/rb-progress-t-XXXXXX", err[256], cmd[512];
  const char *out = argc > 1 ? argv[1] : "screens-out";
  struct tm tm = {.tm_year = 2026 - 1900,
                  .tm_mon = 10,
                  .tm_mday = 27,
                  .tm_hour = 18,
                  .tm_isdst = -1};
  long long many_id, sixty_id, broken, steady, none, one, bad;
  /* a daylight-saving change (25 Oct 2026) inside the weeks loaded */
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  if (!mkdtemp(dir)) {
    printf("Bail out! mkdtemp\n");
    return 1;
  }
  now = mktime(&tm); /* a Friday */
  /* the Monday seven weeks before this week's */
  tm.tm_mday = 27 - 4 - 49;
  tm.tm_hour = 0;
  tm.tm_isdst = -1;
  since = mktime(&tm);
  st = rb_store_open(dir, err, sizeof err);
  ok(st != NULL, "a store (%s)", st ? "" : err);
  if (!st)
    return tap_done();
  rb_store_set_clock(st, pd_now, NULL);
  plugins = rb_plugins_load(RB_BUILD_PLUGIN_DIR);
  many_id = patient("Many", 5);
  sixty_id = patient("Sixty", 0);
  broken = patient("Broken", 3);
  steady = patient("Steady", 3);
  none = patient("None", 3);
  one = patient("One", 3);
  bad = patient("Hostile", 2);

  many(many_id);
  sixty_five(sixty_id);
  streaks(broken, steady);
  none_and_one(none, one);
  hostile(bad);

  pd_now_value = now;
  report_of("Many", dir, out, true);
  report_of("None", dir, out, true);
  report_of("One", dir, out, false);
  report_of("Hostile", dir, out, true);

  rb_store_close(st);
  rb_plugins_free(plugins);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", dir);
  return tap_done();
}
