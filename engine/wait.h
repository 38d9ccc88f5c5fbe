/* wait: sleeping until the next event or deadline.
 *
 * SDL 2.26 waits in the kernel only with the x11 and wayland drivers;
 * with the others (kmsdrm on the kiosk, offscreen in tests and bench)
 * SDL_WaitEventTimeout wakes every millisecond to poll. There we poll()
 * ourselves: on the input devices SDL reads (our own handles, so draining
 * them takes nothing from SDL), on /dev/input for hot-plugged devices and
 * on an eventfd that other threads ring after SDL_PushEvent. */
#ifndef RB_WAIT_H
#define RB_WAIT_H

#include <SDL.h>
#include <stdbool.h>

typedef struct rb_wait rb_wait;

/* Call after SDL_Init(SDL_INIT_VIDEO). NULL only when out of memory. */
rb_wait *rb_wait_new(void);
void rb_wait_free(rb_wait *w);
/* True when SDL itself sleeps in the kernel for this video driver. */
bool rb_wait_native(const rb_wait *w);

/* Waits up to timeout_ms (-1: no limit) for an SDL event. Returns true
 * with *ev filled, false when the time ran out. */
bool rb_wait_event(rb_wait *w, SDL_Event *ev, int timeout_ms);

/* Thread-safe: wakes rb_wait_event (call after SDL_PushEvent). */
void rb_wait_wake(rb_wait *w);

#endif
