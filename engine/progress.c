#include "progress.h"

#include "phrases.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* --- days ---------------------------------------------------------------- */

/* Local midnight of the day t falls on. */
static time_t midnight(time_t t) {
  struct tm tm;
  localtime_r(&t, &tm);
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return mktime(&tm);
}

/* Local midnight n days after day d (days, not 86400 s: daylight saving). */
static time_t add_days(time_t d, int n) {
  struct tm tm;
  localtime_r(&d, &tm);
  tm.tm_mday += n;
  tm.tm_hour = 12; /* noon: never on a daylight-saving edge */
  tm.tm_isdst = -1;
  return midnight(mktime(&tm));
}

static int day_index(const rb_progress_calendar *c, time_t t) {
  time_t d = midnight(t);
  for (int i = 0; i < 7 * RB_PROGRESS_WEEKS; i++)
    if (add_days(c->first_day, i) == d)
      return i;
  return -1;
}

/* --- loading ------------------------------------------------------------- */

typedef struct {
  rb_store *st;
  const rb_plugins *plugins;
  rb_progress *p;
  const rb_session_row *s;
  rb_pain_point *pain; /* this session's, once it has some */
} loader;

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
  if (p->nseries == RB_PROGRESS_SERIES ||
      !rb_plugins_field_norms(l->plugins, id, field, &lo, &hi, &mdc, &label,
                              &unit))
    return NULL;
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

static void add_point(rb_progress_point *pts, int *n, time_t when, double v) {
  if (*n < RB_PROGRESS_POINTS)
    pts[(*n)++] = (rb_progress_point){when, v};
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
  if (!cJSON_IsNumber(v->value))
    return true;
  if (before || after) {
    if (!l->pain && p->npain < RB_PROGRESS_POINTS) {
      l->pain = &p->pain[p->npain++];
      *l->pain = (rb_pain_point){l->s->started, NAN, NAN};
    }
    if (l->pain) {
      if (before)
        l->pain->before = v->value->valuedouble;
      else
        l->pain->after = v->value->valuedouble;
    }
    return true;
  }
  if (split_key(v->key, id, field, side)) {
    rb_progress_series *s = series_of(l, id, field);
    if (!s)
      return true;
    if (strcmp(side, "right") == 0) {
      s->sided = true;
      add_point(s->right, &s->nright, l->s->started, v->value->valuedouble);
    } else {
      s->sided = s->sided || side[0];
      add_point(s->left, &s->nleft, l->s->started, v->value->valuedouble);
    }
  }
  return true;
}

static bool each_session(void *ud, const rb_session_row *s) {
  loader *l = ud;
  rb_progress *p = l->p;
  int day;
  l->s = s;
  l->pain = NULL;
  p->sessions++;
  rb_store_each_value(l->st, s->id, each_value, l);
  /* a session that ran counts as a day exercised; one that failed to
   * start (an error) does not */
  if (strcmp(s->status, "error") != 0 &&
      (day = day_index(&p->cal, s->started)) >= 0)
    p->cal.done[day] = true;
  return true;
}

static void calendar(rb_store *st, long long patient, rb_progress *p) {
  rb_progress_calendar *c = &p->cal;
  rb_plan_item plan[32];
  int n = rb_store_plan(st, patient, plan, 32);
  struct tm tm;
  time_t today = midnight(p->now);
  localtime_r(&today, &tm);
  /* weeks start on Monday: this week and the three before */
  c->first_day =
      add_days(today, -((tm.tm_wday + 6) % 7) - 7 * (RB_PROGRESS_WEEKS - 1));
  c->today = day_index(c, today);
  for (int i = 0; i < n; i++)
    if (plan[i].days_per_week > c->days_per_week)
      c->days_per_week = plan[i].days_per_week;
}

static void weeks_and_streak(rb_progress_calendar *c) {
  int this_week = RB_PROGRESS_WEEKS - 1;
  for (int w = 0; w < RB_PROGRESS_WEEKS; w++) {
    c->week_days[w] = 0;
    for (int d = 0; d < 7; d++)
      c->week_days[w] += c->done[7 * w + d];
  }
  c->streak = 0;
  if (c->days_per_week <= 0)
    return;
  /* this week counts once it is on plan; the weeks before, in a row */
  if (c->week_days[this_week] >= c->days_per_week)
    c->streak++;
  for (int w = this_week - 1; w >= 0; w--) {
    if (c->week_days[w] < c->days_per_week)
      break;
    c->streak++;
  }
}

bool rb_progress_load(rb_store *st, long long patient,
                      const rb_plugins *plugins, time_t now, int weeks,
                      rb_progress *out) {
  loader l = {.st = st, .plugins = plugins, .p = out};
  memset(out, 0, sizeof *out);
  out->now = now;
  if (weeks < RB_PROGRESS_WEEKS)
    weeks = RB_PROGRESS_WEEKS;
  calendar(st, patient, out);
  out->since = add_days(out->cal.first_day, -7 * (weeks - RB_PROGRESS_WEEKS));
  if (rb_store_each_session(st, patient, out->since, each_session, &l) < 0)
    return false;
  weeks_and_streak(&out->cal);
  return true;
}

bool rb_progress_worth_showing(const rb_progress *p) {
  if (p->npain >= 2)
    return true;
  for (int i = 0; i < p->nseries; i++)
    if (p->series[i].nleft >= 2 || p->series[i].nright >= 2)
      return true;
  return false;
}

bool rb_progress_change(const rb_progress_series *s, bool right,
                        const char *lang, char *out, size_t n) {
  const rb_progress_point *pts = right ? s->right : s->left;
  int np = right ? s->nright : s->nleft;
  char a[32], b[32], words[160];
  double first, last;
  rb_phrase which;
  if (np < 2)
    return false;
  first = pts[0].value;
  last = pts[np - 1].value;
  snprintf(a, sizeof a, "%.1f", first);
  snprintf(b, sizeof b, "%.1f", last);
  which = s->mdc <= 0                    ? RB_PHRASE_CHANGE_PLAIN
          : fabs(last - first) >= s->mdc ? RB_PHRASE_CHANGE_REAL
                                         : RB_PHRASE_CHANGE_NOISE;
  rb_phrase_format(lang, which, words, sizeof words, a, b, s->unit);
  if (s->sided)
    rb_phrase_format(lang, right ? RB_PHRASE_CHIP_RIGHT : RB_PHRASE_CHIP_LEFT,
                     out, n, words);
  else
    snprintf(out, n, "%s", words);
  return true;
}
