/* clock: one time source for every timer, monotonic or virtual.
 *
 * Raw time counts milliseconds since the clock was made and never pauses;
 * scripted input (--input) is timed on it. Routine time starts at
 * rb_clock_start(), freezes while paused and is what the timeline records.
 * Timers are absolute deadlines on routine time; rb_clock_raw_at() says
 * when, in raw time, such a deadline falls, so the main loop can sleep. */
#ifndef RB_CLOCK_H
#define RB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t rb_ms;
#define RB_MS_NEVER INT64_MAX

typedef struct rb_clock rb_clock;

rb_clock *rb_clock_new(bool virtual_mode);
void rb_clock_free(rb_clock *c);
bool rb_clock_is_virtual(const rb_clock *c);

/* Raw time: ms since rb_clock_new. */
rb_ms rb_clock_raw(const rb_clock *c);
/* Virtual mode only: moves raw time forward to t (never backwards).
 * Returns false on a monotonic clock or when t is in the past. */
bool rb_clock_set(rb_clock *c, rb_ms t);

/* Routine time. */
void rb_clock_start(rb_clock *c); /* routine time 0 is now, not paused */
rb_ms rb_clock_now(const rb_clock *c);
void rb_clock_pause(rb_clock *c);
void rb_clock_resume(rb_clock *c);
bool rb_clock_paused(const rb_clock *c);
/* Raw time at which routine time reaches t; RB_MS_NEVER while paused or
 * for t == RB_MS_NEVER. */
rb_ms rb_clock_raw_at(const rb_clock *c, rb_ms t);

#endif
