/* idle: after idle_timeout_s without input outside a running routine the
 * kiosk goes home and dims (the backlight, else the picture); the next
 * touch or press wakes it and does nothing else. */
#ifndef RB_IDLE_H
#define RB_IDLE_H

#include "backlight.h"
#include "clock.h"

#include <stdbool.h>

typedef struct rb_idle rb_idle;

typedef struct {
  int timeout_s;           /* 0: never idle */
  int brightness;          /* 10-100, in use */
  int dim_brightness;      /* 0-100, while idle */
  rb_backlight *backlight; /* NULL: the picture is darkened instead */
} rb_idle_opts;

/* NULL only when out of memory. Sets the backlight to brightness. */
rb_idle *rb_idle_new(const rb_idle_opts *o, rb_ms now);
void rb_idle_free(rb_idle *d);

/* Input at now: true when it woke the kiosk (the input does nothing
 * else). */
bool rb_idle_input(rb_idle *d, rb_ms now);
/* When the kiosk goes idle unless input comes (RB_MS_NEVER: never; busy:
 * a routine runs, which keeps it awake and starts the wait again). */
rb_ms rb_idle_due(rb_idle *d, bool busy, rb_ms now);
/* True once, at the moment it goes idle (the caller goes home). */
bool rb_idle_check(rb_idle *d, rb_ms now, bool busy);
bool rb_idle_dimmed(const rb_idle *d);
/* The level in use from now on (the admin's brightness). */
void rb_idle_set_brightness(rb_idle *d, int percent);

#endif
