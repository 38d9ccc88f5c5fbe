/* session: one run of one routine, from its start event to its end.
 *
 * The step state machine: it resumes the routine's coroutine (lua_host),
 * runs each step it asks for on the routine clock, turns the patient's
 * actions into pauses, skips, answers and a stop, reports every event to
 * its sinks (sink.h) and describes what the patient should see as a view
 * (view.h). Its parts live in their own files: the cues of a timed step
 * (cues.h), what comes next (preview.h), what counts as an answer
 * (answers.h) and assess() (assessment.h). It knows no SDL: the same
 * session runs under the window, the terminal and `simulate`, driven by
 * drive.h. */
#ifndef RB_SESSION_H
#define RB_SESSION_H

#include "action.h"
#include "announce.h"
#include "clock.h"
#include "lookup.h"
#include "lua_host.h"
#include "sink.h"
#include "view.h"

typedef struct {
  rb_limits limits;
  /* --answer KEY=VALUE pairs; a question whose key is here is answered at
   * once (KEY is the question text or the measurement name). */
  const char *const *answers; /* "KEY=VALUE" strings */
  int nanswers;
  /* simulate: act for the patient (NEXT where it waits, default answers) */
  bool autopilot;
  unsigned seed;
  /* fill rb_view.next with the step after the current one (the screens
   * want it; simulate does not) */
  bool preview;
  const rb_session_voice *voice; /* NULL: silent, say() takes no time */
  /* assessments for assess(id); NULL: none (assess ends with an error) */
  const struct rb_plugins *plugins;
  /* what the routine will do (plan.h), for "3 of 7": NULL not known */
  const struct rb_plan *plan;
  /* what the routine reads of its patient's past (API 1.1 history,
   * last_session, param); NULL: none, the routine's defaults */
  const rb_lookup *lookup;
  /* --param NAME=VALUE (or ROUTINE_ID.NAME=VALUE): before the lookup's */
  /* the patient's language ("de"; NULL: none): texts the routine gives
   * per language are picked in it first */
  const char *language;
  /* check's explorer: the n-th question asked (from 0) is answered with
   * what pick returns (a choice's text or a number; valid for the whole
   * run), or the default when it returns NULL. May be NULL. */
  const char *(*pick)(void *ud, int n, const rb_question *q);
  void *pick_ud;
  /* simulate (rb_drive_simulate) gives up after this much real time, in
   * ms: the catalog's start-up dry run, one file at a time; 0: no limit */
  int dry_run_ms;
  const char *const *params;
  int nparams;
  /* where the events go, in this order */
  rb_sink sinks[RB_SINKS_MAX];
  int nsinks;
} rb_session_opts;

typedef struct rb_session rb_session;

/* Loads the routine; on failure still returns a session that will end
 * with RB_END_ERROR (and report start and end) when started, so callers
 * treat every routine the same. Returns NULL only when out of memory. */
rb_session *rb_session_new(const char *routine_path, rb_clock *clock,
                           const rb_session_opts *opts);
/* A session freed before its end reports nothing more; the voice is left
 * unpaused. */
void rb_session_free(rb_session *s);

/* Starts the routine clock and runs the routine to its first step. */
void rb_session_start(rb_session *s);
/* Fires every timer due on the clock now. Call after the clock moved. */
void rb_session_tick(rb_session *s);
/* Raw clock time of the next timer, RB_MS_NEVER when none is pending
 * (waiting for the patient, paused, or ended). */
rb_ms rb_session_deadline(const rb_session *s);
/* PRIMARY, NEXT, BACK, STOP, UP, DOWN, ANSWER. Returns true if it
 * changed anything. */
bool rb_session_act(rb_session *s, const rb_action *a);

/* Acts for the patient where the session waits: gives a question its
 * --answer; with the autopilot (simulate) also presses NEXT and gives
 * default answers (first choice, scale minimum, measurement midpoint).
 * Returns true if it did something; callers loop until it returns false. */
bool rb_session_autoplay(rb_session *s);

const rb_view *rb_session_view(const rb_session *s);
bool rb_session_ended(const rb_session *s);
/* The first --answer (index into opts.answers) whose key no question of
 * this run had, -1 when every one was asked (only the first
 * RB_ANSWERS_SEEN_MAX are followed). */
#define RB_ANSWERS_SEEN_MAX 64
int rb_session_unused_answer(const rb_session *s);
rb_end_status rb_session_status(const rb_session *s);
/* True when nothing will happen until the patient acts. */
bool rb_session_waiting(const rb_session *s);

/* The voice finished synthesizing something: a say() waiting for its
 * length may go on. */
void rb_session_voice_ready(rb_session *s);

/* Ends a running session as an error with reason (for example scripted
 * input that ran out while the routine waits for the patient). */
void rb_session_abort(rb_session *s, const char *reason);
/* From another thread, while the main thread is held inside this
 * session's routine and will not come back (sentry.h): the end, an error
 * with reason, goes to the sinks, and nothing else is touched. The
 * process ends next; the session must not be used again. */
void rb_session_abandon(rb_session *s, const char *reason);
/* Ends a running session as stopped for reason ("idle": nobody was
 * there), asking nothing. */
void rb_session_stop(rb_session *s, const char *reason);

#endif
