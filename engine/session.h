/* session: one run of one routine, from start to its end event.
 *
 * Drives the routine's coroutine (lua_host) through its steps on the
 * routine clock, turns actions into pauses, skips, answers and stops,
 * writes the timeline, and exposes what the patient should see as an
 * rb_view that screens draw. It knows no SDL: the same session runs
 * under the window, the terminal and `simulate`. */
#ifndef RB_SESSION_H
#define RB_SESSION_H

#include "action.h"
#include "clock.h"
#include "lua_host.h"
#include "timeline.h"

typedef enum {
  RB_VIEW_STARTING = 0, /* before the first step */
  RB_VIEW_INFO,         /* show/say/wait_next: title, text, caption */
  RB_VIEW_COUNTDOWN,
  RB_VIEW_HOLD,
  RB_VIEW_REPS,
  RB_VIEW_REST,
  RB_VIEW_ASK,
  RB_VIEW_SCALE,
  RB_VIEW_MEASURE,
  RB_VIEW_RESULT, /* an assessment's result: rows, flags, summary */
  RB_VIEW_ENDED
} rb_view_kind;

typedef enum {
  RB_END_NONE = 0,
  RB_END_COMPLETED,
  RB_END_STOPPED,
  RB_END_ERROR
} rb_end_status;

typedef enum {
  RB_TEMPO_NONE = 0,
  RB_TEMPO_UP,
  RB_TEMPO_HOLD,
  RB_TEMPO_DOWN
} rb_tempo_phase;

#define RB_RECORDS_MAX 32
#define RB_RESULT_ROWS_MAX 8
#define RB_RESULT_FLAGS_MAX 8

/* One line of an assessment result: a field (or a derived value), with
 * its left and right values side by side where it is per side. */
typedef struct {
  char label[RB_SHORT_MAX];
  char unit[16];
  bool per_side;
  bool numeric;              /* numbers can be drawn as bars from min to max */
  double min, max;           /* numeric: the field's range */
  double left, right, value; /* numeric values */
  char text_left[64], text_right[64], text[64]; /* as words: "12.5", "Yes" */
} rb_result_row;

/* What the engine says or sounds besides the routine's own words. */
typedef enum {
  RB_CUE_SPEECH, /* timed words ("halfway", "rest", "up"): dropped if late */
  RB_CUE_SAY,    /* words a step waits for (say, a step's opening, a
                    question): always spoken in full, in turn */
  RB_CUE_BEEP,   /* the last 3 seconds of a hold, rest or countdown */
  RB_CUE_CHIME,  /* the end of a hold */
  RB_CUE_TICK    /* tempo without voice */
} rb_cue_kind;

/* The voice, as the session drives it (voice.c implements it; NULL in
 * rb_session_opts means no voice: say() takes no time). Times are on the
 * routine clock. */
typedef struct {
  void *ud;
  /* Speak text or sound a tone now, at routine time t. */
  void (*cue)(void *ud, rb_ms t, rb_cue_kind kind, const char *text,
              const char *lang);
  /* Text that will be spoken soon: synthesize it ahead. */
  void (*prepare)(void *ud, const char *text, const char *lang);
  /* ms from t until all speech asked for so far has been spoken, or -1
   * while some of it is still being synthesized (the session asks again
   * after rb_session_voice_ready). */
  rb_ms (*remaining)(void *ud, rb_ms t);
  void (*pause)(void *ud, bool paused);
  /* Stop speaking at once and forget queued speech (STOP, skip). */
  void (*hush)(void *ud);
} rb_session_voice;

/* What the patient should see now. Strings are never NULL ("" when
 * empty). Times are on the routine clock. */
typedef struct {
  rb_view_kind kind;
  const rb_meta *meta;
  /* show{} state, kept across steps until the next show */
  char title[RB_SHORT_MAX];
  char text[RB_TEXT_MAX];
  char side[8]; /* "left", "right" or "" */
  char figure[RB_SHORT_MAX];
  char caption[RB_TEXT_MAX]; /* last say() or cue */
  char prompt[RB_TEXT_MAX];  /* wait_next prompt; "" when not waiting */
  bool waiting_next;         /* INFO: wait_next is pending */
  /* timed steps */
  rb_ms phase_start, phase_end; /* this hold rep, rest, set or countdown */
  bool paused;
  bool resting;  /* a rest between reps or sets of a hold/reps step */
  int rep, reps; /* hold: repetition i of n; reps: repetitions done / count */
  int set, sets;
  bool self_paced;            /* reps without tempo: NEXT counts each */
  rb_tempo_phase tempo_phase; /* with tempo: where in the rep */
  rb_ms tempo_phase_end;
  char next[RB_TEXT_MAX]; /* "Rest 10 s", "Right side: Hold 30 s" ... */
  /* questions */
  char question[RB_TEXT_MAX];
  char choices[RB_CHOICES_MAX][RB_SHORT_MAX];
  int nchoices;
  double min, max, step, initial;
  char unit[32];
  bool stop_question; /* the pain question after STOP */
  /* end */
  rb_end_status status;
  double duration_s;
  char error[RB_ERROR_MAX];
  int nrecords;
  char record_keys[RB_RECORDS_MAX][RB_SHORT_MAX];
  char record_values[RB_RECORDS_MAX][RB_SHORT_MAX];
  int pain_at_stop; /* -1 when not asked */
  /* assessment: the instructions use INFO; the result uses these */
  char assess_title[RB_SHORT_MAX];
  rb_result_row rows[RB_RESULT_ROWS_MAX];
  int nrows;
  char flags[RB_RESULT_FLAGS_MAX][RB_SHORT_MAX];
  int nflags;
  char summary[2048]; /* plugins write a few sentences */
} rb_view;

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
} rb_session_opts;

typedef struct rb_session rb_session;

/* Loads the routine; on failure still returns a session that has ended
 * with RB_END_ERROR (and wrote start/end events), so callers treat every
 * routine the same. Returns NULL only when out of memory. */
rb_session *rb_session_new(const char *routine_path, rb_clock *clock,
                           rb_timeline *tl, const rb_session_opts *opts);
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
rb_end_status rb_session_status(const rb_session *s);
/* True when nothing will happen until the patient acts. */
bool rb_session_waiting(const rb_session *s);

/* The voice finished synthesizing something: a say() waiting for its
 * length may go on. */
void rb_session_voice_ready(rb_session *s);

/* Ends a running session as an error with reason (for example scripted
 * input that ran out while the routine waits for the patient). */
void rb_session_abort(rb_session *s, const char *reason);

/* Runs a routine from start to end on a virtual clock with the autopilot
 * (opts->autopilot is forced on), writing its timeline to tl. Returns the
 * end status; the routine-clock duration goes to *duration_s and an error
 * ("FILE:LINE: message") to err. */
rb_end_status rb_session_simulate(const char *path, rb_timeline *tl,
                                  const rb_session_opts *opts,
                                  double *duration_s, char *err, size_t errlen);

const char *rb_end_status_name(rb_end_status st);

#endif
