/* term: the coach in a terminal, for a machine with no display at all
 * (an SSH session, a Pi before its screen is fitted). Lists the routines,
 * runs one on the same session engine, prints each step as it comes and
 * reads keys: Enter next, Space pause, s stop, digits and Enter answer. */
#ifndef RB_TERM_H
#define RB_TERM_H

#include "app.h"

/* Same options as the app; returns the same exit codes. */
int rb_term_run(const rb_app_opts *opts);

#endif
