/* clock: virtual and monotonic raw time, routine time, pause. */
#include "clock.h"
#include "tap.h"

#include <time.h>

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int main(void) {
  rb_clock *v = rb_clock_new(true), *m = rb_clock_new(false);
  rb_ms a, b;

  /* virtual */
  ok(rb_clock_is_virtual(v), "virtual clock says so");
  is_int(rb_clock_raw(v), 0, "virtual raw time starts at 0");
  ok(rb_clock_set(v, 1500), "virtual clock moves forward");
  is_int(rb_clock_raw(v), 1500, "to the time set");
  ok(!rb_clock_set(v, 1000), "never backwards");
  is_int(rb_clock_raw(v), 1500, "time unchanged after a refused move");
  rb_clock_start(v);
  is_int(rb_clock_now(v), 0, "routine time starts at 0");
  rb_clock_set(v, 4500);
  is_int(rb_clock_now(v), 3000, "routine time follows raw time");
  is_int(rb_clock_raw_at(v, 10000), 11500, "deadline 10 s falls at raw 11.5 s");
  rb_clock_pause(v);
  ok(rb_clock_paused(v), "paused");
  rb_clock_set(v, 9500);
  is_int(rb_clock_now(v), 3000, "routine time frozen while paused");
  ok(rb_clock_raw_at(v, 10000) == RB_MS_NEVER, "no deadline while paused");
  rb_clock_pause(v); /* twice is harmless */
  rb_clock_resume(v);
  ok(!rb_clock_paused(v), "resumed");
  is_int(rb_clock_now(v), 3000, "routine time goes on from where it froze");
  is_int(rb_clock_raw_at(v, 10000), 16500, "deadline moved by the pause");
  rb_clock_set(v, 16500);
  is_int(rb_clock_now(v), 10000, "deadline reached exactly");
  rb_clock_resume(v); /* not paused: no effect */
  is_int(rb_clock_now(v), 10000, "resume without pause changes nothing");
  rb_clock_start(v);
  is_int(rb_clock_now(v), 0, "a new start resets routine time");
  ok(rb_clock_raw_at(v, RB_MS_NEVER) == RB_MS_NEVER, "never stays never");

  /* monotonic */
  ok(!rb_clock_is_virtual(m), "monotonic clock is not virtual");
  ok(!rb_clock_set(m, 100000), "a monotonic clock cannot be set");
  a = rb_clock_raw(m);
  sleep_ms(30);
  b = rb_clock_raw(m);
  ok(b - a >= 25, "monotonic time advances with real time (%lld ms)",
     (long long)(b - a));
  rb_clock_start(m);
  rb_clock_pause(m);
  a = rb_clock_now(m);
  sleep_ms(30);
  is_int(rb_clock_now(m), a, "monotonic routine time frozen while paused");
  rb_clock_resume(m);
  sleep_ms(20);
  ok(rb_clock_now(m) - a >= 15 && rb_clock_now(m) - a < 1000,
     "and runs again after resume, without the paused time");

  rb_clock_free(v);
  rb_clock_free(m);
  return tap_done();
}
