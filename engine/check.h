/* check: what `rebalance check` says about a routine beyond loading it.
 *
 * It runs the routine along its branches (explore.h) and reports each
 * distinct error with the answers that led to it; then, as warnings
 * ("FILE:LINE: warning: ...", not counted as problems): a session longer
 * than the minutes it announces or than 20 minutes, a question text asked
 * twice, a title, instruction or question that does not fit the 800x480
 * screen at the sizes a patient reads from 2-3 m, and characters the
 * screen's font cannot draw (emoji show as empty boxes). */
#ifndef RB_CHECK_H
#define RB_CHECK_H

#include <stdio.h>

struct rb_plugins;

/* Checks the routine at path (which loaded); prints to out. Returns the
 * errors found (0: ok) and the routine-clock length of the run with the
 * default answers in *seconds. */
int rb_check_routine(const char *path, const struct rb_plugins *plugins,
                     double *seconds, FILE *out);

#endif
