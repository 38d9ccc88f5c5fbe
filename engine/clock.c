#include "clock.h"

#include <stdlib.h>
#include <time.h>

struct rb_clock {
  bool virtual_mode;
  rb_ms origin;       /* monotonic ms at creation */
  rb_ms virtual_now;  /* raw time in virtual mode */
  rb_ms start;        /* raw time of routine time 0 */
  rb_ms paused_total; /* raw ms spent paused since start */
  rb_ms paused_at;    /* raw time of the current pause */
  bool paused;
};

static rb_ms monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (rb_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

rb_clock *rb_clock_new(bool virtual_mode) {
  rb_clock *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->virtual_mode = virtual_mode;
  c->origin = virtual_mode ? 0 : monotonic_ms();
  return c;
}

void rb_clock_free(rb_clock *c) { free(c); }

bool rb_clock_is_virtual(const rb_clock *c) { return c->virtual_mode; }

rb_ms rb_clock_raw(const rb_clock *c) {
  return c->virtual_mode ? c->virtual_now : monotonic_ms() - c->origin;
}

bool rb_clock_set(rb_clock *c, rb_ms t) {
  if (!c->virtual_mode || t < c->virtual_now)
    return false;
  c->virtual_now = t;
  return true;
}

void rb_clock_start(rb_clock *c) {
  c->start = rb_clock_raw(c);
  c->paused_total = 0;
  c->paused = false;
}

rb_ms rb_clock_now(const rb_clock *c) {
  rb_ms raw = c->paused ? c->paused_at : rb_clock_raw(c);
  return raw - c->start - c->paused_total;
}

void rb_clock_pause(rb_clock *c) {
  if (c->paused)
    return;
  c->paused_at = rb_clock_raw(c);
  c->paused = true;
}

void rb_clock_resume(rb_clock *c) {
  if (!c->paused)
    return;
  c->paused_total += rb_clock_raw(c) - c->paused_at;
  c->paused = false;
}

bool rb_clock_paused(const rb_clock *c) { return c->paused; }

rb_ms rb_clock_raw_at(const rb_clock *c, rb_ms t) {
  if (c->paused || t == RB_MS_NEVER)
    return RB_MS_NEVER;
  return t + c->start + c->paused_total;
}
