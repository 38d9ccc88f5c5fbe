/* progress: a patient's last weeks, from the results store, as the
 * progress screen and the therapist's report show them: pain before and
 * after each session, each assessment's numbers over time per side (with
 * the usual range and the measurement error the plugin gives, ABI 1.2),
 * and the days exercised against the plan, with a streak of weeks.
 *
 * At most RB_PROGRESS_POINTS points are kept per assessment line, and
 * RB_PROGRESS_PAIN_POINTS sessions' pain: the newest, the older ones
 * shifted out (and counted). Each side still keeps its first test of the
 * period (first_left, first_right): "what changed" compares the last test
 * with it, and the chart draws the measurement error around it, so the
 * words and the band always speak of the same two tests, whether or not
 * the first is among the points kept. */
#ifndef RB_PROGRESS_H
#define RB_PROGRESS_H

#include "plugins.h"
#include "store.h"

#include <stdbool.h>
#include <time.h>

#define RB_PROGRESS_POINTS 64 /* an assessment's, per side */
/* pain: eight weeks of three sessions a day, so a patient who exercises
 * twice a day still sees the whole period */
#define RB_PROGRESS_PAIN_POINTS 168
#define RB_PROGRESS_SERIES 6
#define RB_PROGRESS_WEEKS 4      /* the calendar's */
#define RB_PROGRESS_WEEKS_MAX 52 /* the most weeks loaded */

typedef struct {
  time_t when;
  double value;
} rb_progress_point;

typedef struct {
  time_t when;
  double before, after; /* NAN when not recorded */
} rb_pain_point;

/* One assessment field over time: per side, or one line. */
typedef struct {
  char id[64], field[64]; /* knee_to_wall, distance_cm */
  char label[128];        /* the plugin's, "How far was your big toe..." */
  char title[128];        /* the assessment's, "Knee-to-wall test" */
  char unit[16];
  bool sided;
  /* the newest tests of the period, oldest first */
  rb_progress_point left[RB_PROGRESS_POINTS], right[RB_PROGRESS_POINTS];
  int nleft, nright; /* a field without sides uses left */
  /* the first test of the period, kept when it is shifted out, and how
   * many tests older than left[0] / right[0] were shifted out */
  rb_progress_point first_left, first_right;
  int older_left, older_right;
  double norm_lo, norm_hi; /* 0, 0: not known */
  double mdc;              /* 0: not known */
} rb_progress_series;

typedef struct {
  int days_per_week;                /* the plan; 0: none */
  time_t first_day;                 /* local midnight, a Monday */
  bool done[7 * RB_PROGRESS_WEEKS]; /* a day with a session */
  int today;                        /* index of today in done[] */
  int week_days[RB_PROGRESS_WEEKS]; /* days exercised each week */
  /* weeks in a row on plan, counted over all the weeks loaded (this week
   * once it is on plan); at most `weeks` */
  int streak;
  int weeks; /* weeks loaded, whole weeks from a Monday */
} rb_progress_calendar;

typedef struct rb_progress {
  time_t now, since;
  rb_pain_point pain[RB_PROGRESS_PAIN_POINTS]; /* the newest, oldest first */
  int npain;
  int older_pain; /* sessions with pain older than pain[0], shifted out */
  rb_progress_series series[RB_PROGRESS_SERIES];
  int nseries;
  /* assessment fields with values that did not fit in series[] (counted
   * up to 32) */
  int series_left_off;
  rb_progress_calendar cal;
  int sessions; /* in the period */
} rb_progress;

/* The patient's last `weeks` weeks (4 to RB_PROGRESS_WEEKS_MAX, whole
 * weeks from a Monday) up to now. Values that are not finite numbers, and
 * pain outside 0-10, are left out. False when the store cannot be read. */
bool rb_progress_load(rb_store *st, long long patient,
                      const rb_plugins *plugins, time_t now, int weeks,
                      rb_progress *out);

/* Something worth a look after a session: two or more sessions with pain,
 * or an assessment tested twice or more. */
bool rb_progress_worth_showing(const rb_progress *p);

/* How many tests of the period a side has: the points kept and those
 * shifted out. */
int rb_progress_tests(const rb_progress_series *s, bool right);

/* "Left: 10.0 to 12.5 cm, a real change" in words, lang's: how the last
 * test of a side compares with its first test of the period (no change,
 * better, worse is not said: the direction that is better depends on the
 * test). Returns false when the side has fewer than two tests. */
bool rb_progress_change(const rb_progress_series *s, bool right,
                        const char *lang, char *out, size_t n);

/* A value as the charts and the words write it: "12.5" ("%.*f" with
 * decimals), or "1.2e+15" when so large that digits would mislead. */
void rb_progress_number(double v, int decimals, char *out, size_t n);

#endif
