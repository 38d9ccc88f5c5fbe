/* buttons: the GPIO buttons and their LEDs as the app uses them.
 *
 * The GPIO thread (hw/gpio.c) hands each press to the main thread as an
 * SDL event, which becomes the usual action (a held BACK or STOP its own)
 * marked as coming from a button; each LED lights where the screen on top
 * offers its button's action and blinks where the screen says so. Built
 * without GPIO, or with no buttons set, it says so once and does
 * nothing. For `rebalance bench` it can also press BACK from a thread. */
#ifndef RB_BUTTONS_H
#define RB_BUTTONS_H

#include "action.h"
#include "config.h"
#include "screen.h"
#include "wait.h"

/* Presses handled since start, and how long each took from its edge to
 * its action, in ms (bench). */
typedef struct {
  int presses;
  double late_ms_max, late_ms_sum;
} rb_button_stats;

typedef struct rb_buttons rb_buttons;

/* cfg NULL: no buttons. bench_presses > 0: that many BACK presses, one
 * every 200 ms, through the same path. NULL only when out of memory. */
rb_buttons *rb_buttons_open(const rb_config *cfg, rb_wait *wait,
                            int bench_presses);
void rb_buttons_close(rb_buttons *b);

/* True when ev is a press; *out is then its action (RB_ACTION_NONE for a
 * long press that means nothing). */
bool rb_buttons_event(rb_buttons *b, const SDL_Event *ev, rb_action *out);
/* Lights the LEDs for the screen on top (may be NULL). */
void rb_buttons_leds(rb_buttons *b, const rb_screen *top);
rb_button_stats rb_buttons_stats(const rb_buttons *b);

#endif
