/* sentry: a second thread that watches routine code from outside.
 *
 * Routine code runs on the main thread, and the budget (lua_host's count
 * hook) stops it from inside: every library call the sandbox offers is
 * bounded. What a hook cannot reach is a C call that does not come back:
 * a library call nobody thought of, a host function blocked (a log line
 * written to a stderr nobody reads). The sentry is the stop from outside:
 *
 *  - held past its budget and grace_ms: the routine's nudge() runs (from
 *    the sentry's thread; lua_host sets the count hook to fire at the
 *    next instruction: lua_sethook is Lua's one call made for that);
 *  - held past its budget and lost_ms: the main thread is lost. lost()
 *    runs on the sentry's thread (the app writes the session's end to its
 *    sinks and lets the store finish) and the process ends with status
 *    RB_SENTRY_EXIT; systemd starts the coach again.
 *  - SIGTERM or SIGINT: signalled() runs on the sentry's thread (the app
 *    pushes SDL_QUIT), routine code is nudged at once and its hook stops
 *    it (rb_sentry_stop_asked); held 1 s after the signal, lost().
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

typedef struct {
  int grace_ms; /* past the budget: nudge (0: 500) */
  int lost_ms;  /* past the budget: lost (0: 2000) */
  void *ud;
  /* On the sentry's thread, once per signal: SIGTERM or SIGINT came. */
  void (*signalled)(void *ud, int sig);
  /* On the sentry's thread: the main thread is held in routine code of
   * file. where is "FILE:LINE" (or FILE), why a sentence to show and log.
   * Must take no lock the main thread may hold. The process ends after
   * it returns, unless exit_on_lost is false (tests). */
  void (*lost)(void *ud, const char *file, const char *where, const char *why);
  bool exit_on_lost;
} rb_sentry_opts;

/* Starts the thread and takes SIGTERM and SIGINT (before SDL_Init: SDL
 * keeps its own handlers off signals already taken). NULL with errno when
 * the thread cannot start. */
rb_sentry *rb_sentry_start(const rb_sentry_opts *o);
/* Stops the thread and gives the signals back their previous handlers. */
void rb_sentry_stop(rb_sentry *s);

/* --- for the code that runs routines (lua_host) -------------------------- */

typedef struct {
  const char *file; /* copied */
  int budget_ms;    /* the routine's own limit for this run */
  void *ud;
  /* On the sentry's thread, the mutex held (leave waits): make the
   * routine stop at its next instruction. Async-safe calls only. */
  void (*nudge)(void *ud);
  /* On the sentry's thread: the line running now, or 0. */
  int (*line)(void *ud);
} rb_sentry_watch;

/* Routine code starts or stops running on this thread. Nothing when the
 * thread has no sentry. */
void rb_sentry_enter(const rb_sentry_watch *w);
void rb_sentry_leave(void);
/* True once a signal asked the coach to stop (this thread's sentry). */
bool rb_sentry_stop_asked(void);

/* --- what is remembered across the restart -------------------------------
 *
 * A file that held the main thread would hold it again at the next start
 * (its top level, its dry run): the app appends it to a list in the state
 * directory, and the catalog leaves it off while it is unchanged (same
 * size and modification time). Saving it again takes it off. */

/* Appends file to list: open, one write, close (safe on the sentry's
 * thread while the main thread is held). False when it cannot. */
bool rb_sentry_remember(const char *list, const char *file);
/* True when file is on list as it is now. */
bool rb_sentry_remembered(const char *list, const char *file);

#endif
