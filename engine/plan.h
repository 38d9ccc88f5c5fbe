/* plan: what a routine will do, from a dry run on the virtual clock with
 * default answers: its exercise steps (each hold{} and reps{} call, in
 * order), when each starts, and how long it all takes. The screens show
 * "3 of 7, about 6 min left" from it. Answers and branches may make the
 * real run differ: the numbers are an estimate, and said so ("about"). */
#ifndef RB_PLAN_H
#define RB_PLAN_H

#include "lua_host.h"

struct rb_plugins;
typedef struct rb_plan rb_plan;

/* NULL when the dry run does not complete (the routine will say why when
 * it runs) or out of memory. */
rb_plan *rb_plan_make(const char *path, const struct rb_plugins *plugins);
void rb_plan_free(rb_plan *p);

/* Exercise steps in the dry run. */
int rb_plan_steps(const rb_plan *p);
/* Seconds from the start of exercise step i (0-based) to the end; from
 * the last one's start when i is past the plan. */
double rb_plan_seconds_left(const rb_plan *p, int i);

#endif
