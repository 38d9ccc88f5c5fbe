/* progress: a patient's last weeks, from the results store, as the
 * progress screen and the therapist's report show them: pain before and
 * after each session, each assessment's numbers over time per side (with
 * the usual range and the measurement error the plugin gives, ABI 1.2),
 * and the days exercised against the plan, with a streak of weeks. */
#ifndef RB_PROGRESS_H
#define RB_PROGRESS_H

#include "plugins.h"
#include "store.h"

#include <stdbool.h>
#include <time.h>

#define RB_PROGRESS_POINTS 64
#define RB_PROGRESS_SERIES 6
#define RB_PROGRESS_WEEKS 4

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
  rb_progress_point left[RB_PROGRESS_POINTS], right[RB_PROGRESS_POINTS];
  int nleft, nright;       /* a field without sides uses left */
  double norm_lo, norm_hi; /* 0, 0: not known */
  double mdc;              /* 0: not known */
} rb_progress_series;

typedef struct {
  int days_per_week;                /* the plan; 0: none */
  time_t first_day;                 /* local midnight, a Monday */
  bool done[7 * RB_PROGRESS_WEEKS]; /* a day with a session */
  int today;                        /* index of today in done[] */
  int week_days[RB_PROGRESS_WEEKS]; /* days exercised each week */
  int streak;                       /* weeks in a row on plan */
} rb_progress_calendar;

typedef struct rb_progress {
  time_t now, since;
  rb_pain_point pain[RB_PROGRESS_POINTS];
  int npain;
  rb_progress_series series[RB_PROGRESS_SERIES];
  int nseries;
  rb_progress_calendar cal;
  int sessions; /* in the period */
} rb_progress;

/* The patient's last `weeks` weeks up to now. False when the store
 * cannot be read. */
bool rb_progress_load(rb_store *st, long long patient,
                      const rb_plugins *plugins, time_t now, int weeks,
                      rb_progress *out);

/* Something worth a look after a session: two or more sessions with pain,
 * or an assessment tested twice or more. */
bool rb_progress_worth_showing(const rb_progress *p);

/* "Left: 10.0 to 12.5 cm, a real change" in words, lang's: how the last
 * value of a side compares with the first (no change, better, worse is
 * not said: the direction that is better depends on the test). Returns
 * false when the side has fewer than two values. */
bool rb_progress_change(const rb_progress_series *s, bool right,
                        const char *lang, char *out, size_t n);

#endif
