/* sentry: a second thread that watches routine code from outside.
 *
 * Routine code runs on the main thread, and the budget (lua_host's count
 * hook) stops it from inside: every library call the sandbox offers is
 * bounded, and the hook counts the time spent in them. What a hook cannot
 * reach is a C call that does not come back: a library call nobody
 * thought of, a host function blocked (a log line written to a stderr
 * nobody reads). The sentry is the stop from outside:
 *
 *  - held past its budget and lost_ms, the main thread is lost: lost()
 *    runs on the sentry's thread (the app writes the session's end to its
 *    sinks and lets the store finish) and the process ends with status
 *    RB_SENTRY_EXIT; systemd starts the coach again. Should the held call
 *    come back meanwhile, the main thread stops at its next report to the
 *    sentry (rb_sentry_enter, rb_sentry_leave, rb_sentry_pass) and waits
 *    for the end: the end is written once, by the sentry.
 *  - SIGTERM or SIGINT: signalled() runs on the sentry's thread (the app
 *    pushes SDL_QUIT) and routine code is asked to stop (the count hook
 *    ends it: rb_sentry_stop_asked); held 1 s after the signal, lost().
 *
 * The sentry watches the thread that started it; lua_host reports to the
 * sentry of the thread it runs on (none: nothing happens), so routines
 * loaded by commands without a sentry (check, simulate) work unchanged.
 * Only one sentry at a time: the signal handlers are the process's. */
#ifndef RB_SENTRY_H
#define RB_SENTRY_H

#include <stdbool.h>
#include <stddef.h>

/* The process's exit status when the main thread was lost (EX_SOFTWARE). */
#define RB_SENTRY_EXIT 70

typedef struct rb_sentry rb_sentry;

/* What lost() is told. */
typedef struct {
  const char *file;  /* the routine file held */
  const char *where; /* "FILE:LINE", or FILE */
  const char *why;   /* a sentence to show and log */
  bool by_signal;    /* after SIGTERM or SIGINT, not by time alone */
} rb_sentry_loss;

typedef struct {
  int lost_ms; /* past the budget: lost (0: 2000) */
  void *ud;
  /* On the sentry's thread, once per signal: SIGTERM or SIGINT came. */
  void (*signalled)(void *ud, int sig);
  /* On the sentry's thread: the main thread is held in routine code.
   * Must take no lock the main thread may hold. The process ends after
   * it returns, unless exit_on_lost is false (tests). */
  void (*lost)(void *ud, const rb_sentry_loss *loss);
  bool exit_on_lost;
} rb_sentry_opts;

/* Starts the thread and takes SIGTERM and SIGINT where nobody has (as
 * SDL would: call it before SDL_Init, which then leaves them alone).
 * NULL with errno when the thread cannot start. */
rb_sentry *rb_sentry_start(const rb_sentry_opts *o);
/* Stops the thread and gives the signals back their previous handlers. */
void rb_sentry_stop(rb_sentry *s);

/* --- for the code that runs routines (lua_host) -------------------------- */

typedef struct {
  const char *file; /* copied */
  int budget_ms;    /* the routine's own limit for this run */
  void *ud;
  /* On the sentry's thread: the line running now, or 0. Reads only
   * what is safe to read from another thread (an atomic). */
  int (*line)(void *ud);
} rb_sentry_watch;

/* Routine code starts or stops running on this thread. Nothing when the
 * thread has no sentry. */
void rb_sentry_enter(const rb_sentry_watch *w);
void rb_sentry_leave(void);
/* A host function called by routine code returns: should the sentry have
 * given the thread up meanwhile, it waits here for the process's end. */
void rb_sentry_pass(void);
/* True once a signal asked the coach to stop (this thread's sentry). */
bool rb_sentry_stop_asked(void);

/* --- what is remembered across the restart -------------------------------
 *
 * A file held while the routines load (the catalog's dry run, the plan of
 * a session) would be held again at the next start: the app appends it to
 * a list in the state directory, and the catalog leaves it off while it
 * is unchanged (same size and modification time). Saving it again, or
 * removing the list, takes it off. */

/* Appends file to list: open, one write, close (safe on the sentry's
 * thread while the main thread is held). False when it cannot. */
bool rb_sentry_remember(const char *list, const char *file);
/* True when file is on list as it is now. */
bool rb_sentry_remembered(const char *list, const char *file);

#endif
