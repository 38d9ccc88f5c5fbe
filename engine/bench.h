/* bench: performance figures as JSON (`rebalance bench`). Timing goals
 * are measured here, never in timed tests: these machines are shared. */
#ifndef RB_BENCH_H
#define RB_BENCH_H

#include "app.h"

#include <stdio.h>

/* Runs a real 60 s hold on the monotonic clock for `seconds` of it (0:
 * 10), drawing every frame a display would show, and prints CPU share,
 * peak memory, frames, start-up and simulate times, and the results
 * store's commit time per event (in state_dir, or a folder of its own
 * when NULL).
 *
 * Then the deployed path (`deployed`): the coach as the kiosk runs it, in
 * a real window of app->size (800x480 when NULL) through each renderer
 * SDL has, one child process each (this program again), and Chromium
 * showing bench/hold.html when it is installed: PSS, CPU share while a
 * hold counts down (with the display server's), frames, each for
 * `seconds` (0: 4) after the first frame. Without a display that part
 * says so; the rest is measured all the same. See docs/performance.md.
 *
 * `app` is the command line's and the settings' (font, rotate,
 * text_scale, routines, plugins). Returns the exit code. */
int rb_bench_run(const rb_app_opts *app, const char *state_dir, int seconds,
                 FILE *out);

#endif
