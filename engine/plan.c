#include "plan.h"

#include "drive.h"

#include <stdlib.h>
#include <string.h>

#define STEPS_MAX 512

struct rb_plan {
  int n;
  double start_s[STEPS_MAX]; /* routine seconds at each exercise step */
  double total_s;
};

/* The dry run's events: a hold's first repetition or a reps' first set
 * starts an exercise step. */
static void on_event(void *ud, rb_ms t, const char *event,
                     const cJSON *fields) {
  rb_plan *p = ud;
  const char *first = strcmp(event, "hold") == 0   ? "rep"
                      : strcmp(event, "reps") == 0 ? "set"
                                                   : NULL;
  const cJSON *k = first ? cJSON_GetObjectItem(fields, first) : NULL;
  if (cJSON_IsNumber(k) && k->valuedouble == 1 && p->n < STEPS_MAX)
    p->start_s[p->n++] = (double)t / 1000.0;
}

rb_plan *rb_plan_make(const char *path, const struct rb_plugins *plugins) {
  rb_plan *p = calloc(1, sizeof *p);
  rb_session_opts so = {.plugins = plugins};
  char err[RB_ERROR_MAX];
  if (!p)
    return NULL;
  so.sinks[so.nsinks++] = (rb_sink){.ud = p, .event = on_event};
  if (rb_drive_simulate(path, &so, &p->total_s, err, sizeof err) !=
      RB_END_COMPLETED) {
    free(p);
    return NULL;
  }
  return p;
}

void rb_plan_free(rb_plan *p) { free(p); }

int rb_plan_steps(const rb_plan *p) { return p ? p->n : 0; }

double rb_plan_seconds_left(const rb_plan *p, int i) {
  double left;
  if (!p || p->n == 0)
    return 0;
  if (i >= p->n)
    i = p->n - 1;
  if (i < 0)
    i = 0;
  left = p->total_s - p->start_s[i];
  return left > 0 ? left : 0;
}
