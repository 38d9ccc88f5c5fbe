#include "progress.h"

#include "phrases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- days ---------------------------------------------------------------- */

/* Local midnight of the day t falls on. */
static time_t midnight(time_t t) {
  struct tm tm;
  if (!localtime_r(&t, &tm))
    return t;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return mktime(&tm);
}

/* Local midnight n days after day d (days, not 86400 s: daylight saving). */
static time_t add_days(time_t d, int n) {
  struct tm tm;
  if (!localtime_r(&d, &tm))
    return d;
  tm.tm_mday += n;
  tm.tm_hour = 12; /* noon: never on a daylight-saving edge */
  tm.tm_isdst = -1;
  return midnight(mktime(&tm));
}

/* The local calendar day t falls on, as a day count (days since 1970-01-01
 * of the proleptic Gregorian calendar): days apart are a subtraction, with
 * no daylight-saving edge in the way. False when t has no local date. */
static bool day_number(time_t t, long *out) {
  struct tm tm;
  long y, m, era, yoe, doy, doe;
  if (!localtime_r(&t, &tm))
    return false;
  y = tm.tm_year + 1900L;
  m = tm.tm_mon + 1;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + tm.tm_mday - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  *out = era * 146097 + doe - 719468;
  return true;
}

/* Days from day `from` to the day t falls on; -1 when t has no date or
 * is before it. */
static long days_since(long from, time_t t) {
  long d;
  if (!day_number(t, &d) || d < from)
    return -1;
  return d - from;
}

/* --- loading ------------------------------------------------------------- */

#define LEFT_OFF_MAX 32

typedef struct {
  rb_store *st;
  const rb_plugins *plugins;
  rb_progress *p;
  const rb_session_row *s;
  rb_pain_point *pain; /* this session's, once it has some */
  long first_day;      /* day number of p->since */
  int ndays;           /* days loaded: 7 * weeks */
  bool failed;         /* a session's values could not be read */
  bool done[7 * RB_PROGRESS_WEEKS_MAX];
  char left_off[LEFT_OFF_MAX][130]; /* "id.field" not kept in series[] */
} loader;

/* An assessment field with values when series[] is full: counted once. */
static void leave_off(loader *l, const char *id, const char *field) {
  char key[130];
  rb_progress *p = l->p;
  snprintf(key, sizeof key, "%s.%s", id, field);
  for (int i = 0; i < p->series_left_off; i++)
    if (strcmp(l->left_off[i], key) == 0)
      return;
  if (p->series_left_off < LEFT_OFF_MAX)
    memcpy(l->left_off[p->series_left_off++], key, sizeof key);
}

static rb_progress_series *series_of(loader *l, const char *id,
                                     const char *field) {
  rb_progress *p = l->p;
  double lo, hi, mdc;
  const char *label, *unit;
  const rbp_assessment *a;
  for (int i = 0; i < p->nseries; i++)
    if (strcmp(p->series[i].id, id) == 0 &&
        strcmp(p->series[i].field, field) == 0)
      return &p->series[i];
  if (!rb_plugins_field_norms(l->plugins, id, field, &lo, &hi, &mdc, &label,
                              &unit))
    return NULL; /* no plugin knows it: nothing to chart it with */
  if (p->nseries == RB_PROGRESS_SERIES) {
    leave_off(l, id, field);
    return NULL;
  }
  a = rb_plugins_find(l->plugins, id);
  rb_progress_series *s = &p->series[p->nseries++];
  memset(s, 0, sizeof *s);
  snprintf(s->id, sizeof s->id, "%s", id);
  snprintf(s->field, sizeof s->field, "%s", field);
  snprintf(s->label, sizeof s->label, "%s", label ? label : field);
  snprintf(s->title, sizeof s->title, "%s", a && a->title ? a->title : id);
  snprintf(s->unit, sizeof s->unit, "%s", unit ? unit : "");
  s->norm_lo = lo;
  s->norm_hi = hi;
  s->mdc = mdc;
  return s;
}

/* Keeps the newest RB_PROGRESS_POINTS: when full, the oldest is shifted
 * out (and counted in *older); the first of the period stays in *first.
 * Points come oldest first (the store's order). */
static void add_point(rb_progress_point *pts, int *n, int *older,
                      rb_progress_point *first, time_t when, double v) {
  rb_progress_point pt = {when, v};
  if (*n + *older == 0)
    *first = pt;
  if (*n == RB_PROGRESS_POINTS) {
    memmove(pts, pts + 1, (RB_PROGRESS_POINTS - 1) * sizeof *pts);
    (*n)--;
    (*older)++;
  }
  pts[(*n)++] = pt;
}

/* "knee_to_wall.distance_cm.left" -> id, field, side ("" without one). */
static bool split_key(const char *key, char *id, char *field, char *side) {
  const char *a = strchr(key, '.'), *b;
  if (!a || a == key)
    return false;
  b = strchr(a + 1, '.');
  snprintf(id, 64, "%.*s", (int)(a - key), key);
  if (b) {
    snprintf(field, 64, "%.*s", (int)(b - a - 1), a + 1);
    snprintf(side, 8, "%s", b + 1);
  } else {
    snprintf(field, 64, "%s", a + 1);
    side[0] = '\0';
  }
  return field[0] &&
         (!side[0] || strcmp(side, "left") == 0 || strcmp(side, "right") == 0);
}

static bool each_value(void *ud, const rb_value_row *v) {
  loader *l = ud;
  rb_progress *p = l->p;
  char id[64], field[64], side[8];
  bool before = strcmp(v->key, "pain_before") == 0;
  bool after =
      strcmp(v->key, "pain_after") == 0 || strcmp(v->key, "pain_at_stop") == 0;
  double x;
  if (!cJSON_IsNumber(v->value) || !isfinite(v->value->valuedouble))
    return true; /* nothing a chart can place, or words can say */
  x = v->value->valuedouble;
  if (before || after) {
    if (x < 0 || x > 10)
      return true; /* not an answer on the 0-10 scale */
    if (!l->pain) {
      if (p->npain == RB_PROGRESS_PAIN_POINTS) {
        /* the newest are kept: the oldest is shifted out */
        memmove(p->pain, p->pain + 1,
                (RB_PROGRESS_PAIN_POINTS - 1) * sizeof *p->pain);
        p->npain--;
        p->older_pain++;
      }
      l->pain = &p->pain[p->npain++];
      *l->pain = (rb_pain_point){l->s->started, NAN, NAN};
    }
    if (before)
      l->pain->before = x;
    else
      l->pain->after = x;
    return true;
  }
  if (split_key(v->key, id, field, side)) {
    rb_progress_series *s = series_of(l, id, field);
    if (!s)
      return true;
    if (strcmp(side, "right") == 0) {
      s->sided = true;
      add_point(s->right, &s->nright, &s->older_right, &s->first_right,
                l->s->started, x);
    } else {
      s->sided = s->sided || side[0];
      add_point(s->left, &s->nleft, &s->older_left, &s->first_left,
                l->s->started, x);
    }
  }
  return true;
}

static bool each_session(void *ud, const rb_session_row *s) {
  loader *l = ud;
  rb_progress *p = l->p;
  long day;
  l->s = s;
  l->pain = NULL;
  p->sessions++;
  if (rb_store_each_value(l->st, s->id, each_value, l) < 0) {
    l->failed = true; /* a read error: said, not a short chart */
    return false;
  }
  /* a session that ran counts as a day exercised; one that failed to
   * start (an error) does not */
  if (strcmp(s->status, "error") != 0 &&
      (day = days_since(l->first_day, s->started)) >= 0 && day < l->ndays)
    l->done[day] = true;
  return true;
}

static void calendar(rb_store *st, long long patient, rb_progress *p) {
  rb_progress_calendar *c = &p->cal;
  rb_plan_item plan[32];
  int n = rb_store_plan(st, patient, plan, 32);
  struct tm tm;
  time_t today = midnight(p->now);
  long first, now;
  if (!localtime_r(&today, &tm))
    memset(&tm, 0, sizeof tm);
  /* weeks start on Monday: this week and the three before */
  c->first_day =
      add_days(today, -((tm.tm_wday + 6) % 7) - 7 * (RB_PROGRESS_WEEKS - 1));
  c->today = day_number(c->first_day, &first) && day_number(today, &now)
                 ? (int)(now - first)
                 : 7 * RB_PROGRESS_WEEKS - 1;
  for (int i = 0; i < n; i++)
    if (plan[i].days_per_week > c->days_per_week)
      c->days_per_week = plan[i].days_per_week;
}

/* The calendar's four weeks from the days loaded, and the streak over all
 * the weeks loaded: this week once it is on plan, and the weeks before
 * it, in a row. */
static void weeks_and_streak(const loader *l, rb_progress_calendar *c) {
  int weeks = l->ndays / 7, shown = l->ndays - 7 * RB_PROGRESS_WEEKS;
  c->weeks = weeks;
  for (int i = 0; i < 7 * RB_PROGRESS_WEEKS; i++)
    c->done[i] = l->done[shown + i];
  for (int w = 0; w < RB_PROGRESS_WEEKS; w++) {
    c->week_days[w] = 0;
    for (int d = 0; d < 7; d++)
      c->week_days[w] += c->done[7 * w + d];
  }
  c->streak = 0;
  if (c->days_per_week <= 0)
    return;
  for (int w = weeks - 1; w >= 0; w--) {
    int days = 0;
    for (int d = 0; d < 7; d++)
      days += l->done[7 * w + d];
    if (days >= c->days_per_week)
      c->streak++;
    else if (w < weeks - 1)
      break; /* a week before this one off plan: the run ends there */
  }
}

bool rb_progress_load(rb_store *st, long long patient,
                      const rb_plugins *plugins, time_t now, int weeks,
                      rb_progress *out) {
  loader *l = calloc(1, sizeof *l);
  bool ok = false;
  memset(out, 0, sizeof *out);
  if (!l)
    goto done;
  l->st = st;
  l->plugins = plugins;
  l->p = out;
  out->now = now;
  if (weeks < RB_PROGRESS_WEEKS)
    weeks = RB_PROGRESS_WEEKS;
  if (weeks > RB_PROGRESS_WEEKS_MAX)
    weeks = RB_PROGRESS_WEEKS_MAX;
  l->ndays = 7 * weeks;
  calendar(st, patient, out);
  out->since = add_days(out->cal.first_day, -7 * (weeks - RB_PROGRESS_WEEKS));
  if (!day_number(out->since, &l->first_day))
    goto done;
  if (rb_store_each_session(st, patient, out->since, each_session, l) < 0 ||
      l->failed)
    goto done;
  weeks_and_streak(l, &out->cal);
  ok = true;
done:
  free(l);
  return ok;
}

bool rb_progress_worth_showing(const rb_progress *p) {
  if (p->npain >= 2)
    return true;
  for (int i = 0; i < p->nseries; i++)
    if (p->series[i].nleft >= 2 || p->series[i].nright >= 2)
      return true;
  return false;
}

int rb_progress_tests(const rb_progress_series *s, bool right) {
  return right ? s->nright + s->older_right : s->nleft + s->older_left;
}

void rb_progress_number(double v, int decimals, char *out, size_t n) {
  if (!isfinite(v))
    snprintf(out, n, "?");
  else if (fabs(v) < 1e9)
    snprintf(out, n, "%.*f", decimals, v);
  else
    snprintf(out, n, "%.3g", v);
}

bool rb_progress_change(const rb_progress_series *s, bool right,
                        const char *lang, char *out, size_t n) {
  const rb_progress_point *pts = right ? s->right : s->left;
  int np = right ? s->nright : s->nleft;
  char a[32], b[32], words[160];
  double first, last, shown;
  rb_phrase which;
  if (np < 1 || rb_progress_tests(s, right) < 2)
    return false;
  first = (right ? s->first_right : s->first_left).value;
  last = pts[np - 1].value;
  rb_progress_number(first, 1, a, sizeof a);
  rb_progress_number(last, 1, b, sizeof b);
  /* judged on the numbers as written, so that the words add up for
   * whoever reads them: 10.0 to 11.9 with an error of 1.9 is a real
   * change, never "within" it */
  shown = fabs(last) < 1e9 && fabs(first) < 1e9
              ? fabs(round(last * 10) - round(first * 10)) / 10
              : fabs(last - first);
  which = s->mdc <= 0              ? RB_PHRASE_CHANGE_PLAIN
          : shown >= s->mdc - 1e-9 ? RB_PHRASE_CHANGE_REAL
                                   : RB_PHRASE_CHANGE_NOISE;
  rb_phrase_format(lang, which, words, sizeof words, a, b, s->unit);
  if (s->sided)
    rb_phrase_format(lang, right ? RB_PHRASE_CHIP_RIGHT : RB_PHRASE_CHIP_LEFT,
                     out, n, words);
  else
    snprintf(out, n, "%s", words);
  return true;
}
