/* input: scripted input for tests and demos (--input FILE).
 *
 * One action a line, "T ACTION [VALUE]", T in ms of raw clock time since
 * the program started (with --routine, the routine clock until the first
 * pause). '#' starts a comment line. Lines must be in time order.
 *
 * "T STALL MS" is not an action but a debug hook: rb_input_pop blocks its
 * caller (the main loop) for MS ms of real time, as a hung loop would, and
 * tells systemd (STATUS=) when the stall starts and ends.
 *
 * "T WAIT reload" holds the lines after it until the routines have been
 * loaded again (the folder changed): a test of hot reload writes a file
 * and goes on once the coach has seen it, whatever the machine's speed.
 * "T WAIT export" holds them until an export to a USB stick has ended. */
#ifndef RB_INPUT_H
#define RB_INPUT_H

#include "action.h"
#include "clock.h"

typedef struct rb_input rb_input;

/* On error returns NULL and writes "FILE:LINE: message" into err. */
rb_input *rb_input_load(const char *path, char *err, size_t errlen);
/* Parses from a string; name is used in messages. */
rb_input *rb_input_parse(const char *name, const char *text, char *err,
                         size_t errlen);
void rb_input_free(rb_input *in);

/* Time of the next unread line, RB_MS_NEVER when none is left. */
rb_ms rb_input_next_time(const rb_input *in);
/* Pops the next line if its time is <= now; STALL lines due by now are
 * carried out on the way. */
bool rb_input_pop(rb_input *in, rb_ms now, rb_action *out);
bool rb_input_done(const rb_input *in);
/* event happened ("reload"): a WAIT for it lets the lines after it go. */
void rb_input_event(rb_input *in, const char *event);

#endif
