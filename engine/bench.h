/* bench: performance figures as JSON (`rebalance bench`). Timing goals
 * are measured here, never in timed tests: these machines are shared. */
#ifndef RB_BENCH_H
#define RB_BENCH_H

#include <stdio.h>

/* Runs a real 60 s hold on the monotonic clock for `seconds` of it,
 * drawing every frame a display would show, and prints CPU share, peak
 * memory, frames, start-up and simulate times, and the results store's
 * commit time per event (in state_dir, or a folder of its own when NULL).
 * Returns the exit code. */
struct rb_plugins;
int rb_bench_run(const char *routines_dir, const struct rb_plugins *plugins,
                 const char *font, const char *state_dir, int seconds,
                 FILE *out);

#endif
