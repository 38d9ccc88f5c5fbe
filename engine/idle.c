#include "idle.h"

#include "log.h"

#include <stdlib.h>

struct rb_idle {
  rb_idle_opts o;
  rb_ms last; /* raw time of the last input (or of the end of a routine) */
  bool dimmed;
  bool said; /* a backlight that refused a level: said once */
};

static void level(rb_idle *d, int percent) {
  if (!d->o.backlight)
    return;
  if (!rb_backlight_set(d->o.backlight, percent) && !d->said) {
    d->said = true;
    rb_log_warn("backlight: %s", rb_backlight_error(d->o.backlight));
  }
}

rb_idle *rb_idle_new(const rb_idle_opts *o, rb_ms now) {
  rb_idle *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->o = *o;
  d->last = now;
  /* a coach restarted while dim finds the panel dim: light it */
  level(d, d->o.brightness);
  return d;
}

void rb_idle_free(rb_idle *d) { free(d); }

bool rb_idle_input(rb_idle *d, rb_ms now) {
  bool woke = d->dimmed;
  d->last = now;
  if (woke) {
    d->dimmed = false;
    level(d, d->o.brightness);
    rb_log_info("idle: woken");
  }
  return woke;
}

rb_ms rb_idle_due(rb_idle *d, bool busy, rb_ms now) {
  if (busy)
    d->last = now; /* a routine running is not idleness */
  if (d->o.timeout_s <= 0 || d->dimmed || busy)
    return RB_MS_NEVER;
  return d->last + (rb_ms)d->o.timeout_s * 1000;
}

bool rb_idle_check(rb_idle *d, rb_ms now, bool busy) {
  if (rb_idle_due(d, busy, now) > now)
    return false;
  d->dimmed = true;
  level(d, d->o.dim_brightness);
  rb_log_info("idle: %d s without input: home, dimmed", d->o.timeout_s);
  return true;
}

bool rb_idle_dimmed(const rb_idle *d) { return d && d->dimmed; }

void rb_idle_set_brightness(rb_idle *d, int percent) {
  d->o.brightness = percent;
  if (!d->dimmed)
    level(d, percent);
}
