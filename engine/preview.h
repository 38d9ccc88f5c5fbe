/* preview: what comes after the step on screen ("Next: Right side:
 * Clamshell, 10 times").
 *
 * A routine is a program, so its next step is only known by running it.
 * Routines are deterministic (no clock, no io, a seeded random), so a
 * shadow copy of the routine, fed the same replies, reaches the same
 * point; the preview runs the shadow one step further, guessing "no
 * reply" for the pending step. The shadow follows the real routine step
 * by step and is rebuilt (the file loaded again and every reply replayed)
 * only when a reply differs from that guess: after an answer, not at
 * every step. The words the shadow will say are synthesized ahead. */
#ifndef RB_PREVIEW_H
#define RB_PREVIEW_H

#include "lua_host.h"

typedef struct rb_preview rb_preview;

/* prepare (may be NULL) is called with text the routine will say soon. */
rb_preview *rb_preview_new(const char *path, const rb_limits *limits,
                           unsigned seed,
                           void (*prepare)(void *ud, const char *text),
                           void *ud);
void rb_preview_free(rb_preview *p);

/* The real routine was resumed with reply (NULL: none): the first call
 * starts it, each later one answers its pending request. */
void rb_preview_follow(rb_preview *p, const cJSON *reply);

/* Describes the step after the pending one, in lang, into out: "Rest
 * 10 s", "Left side: Bridge, hold 30 s x 2", "Finished"; "" when it
 * cannot be known (the routine is too long to replay, or fails). Its side
 * ("left", "right" or "") goes to side (8 bytes; may be NULL). */
void rb_preview_next(rb_preview *p, const char *lang, char *out, size_t n,
                     char *side);

/* The figure of the step rb_preview_next last described ("" none). */
const char *rb_preview_next_figure(const rb_preview *p);

/* The session's lookups (history, last_session, param and their ud): the
 * shadow reads the same past as the routine. */
void rb_preview_set_lookups(rb_preview *p, const rb_routine_hooks *h);

#endif
