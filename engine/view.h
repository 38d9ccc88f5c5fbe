/* view: what the patient should see now, as a session describes it to the
 * screens and the terminal.
 *
 * A tagged view: the parts every step has come first (the routine, what
 * show{} set, the caption, what comes next, the timer), then one struct
 * per kind of step, of which only the one named by `kind` is valid.
 * Strings are never NULL ("" when empty); times are on the routine
 * clock. Every word in it is in the routine's language. */
#ifndef RB_VIEW_H
#define RB_VIEW_H

#include "clock.h"
#include "lua_host.h"
#include "sink.h"

#include <cjson/cJSON.h>

typedef enum {
  RB_VIEW_STARTING = 0, /* before the first step */
  RB_VIEW_INFO,         /* show, say, wait_next, an assessment's steps */
  RB_VIEW_COUNTDOWN,
  RB_VIEW_HOLD,
  RB_VIEW_REPS,
  RB_VIEW_REST, /* rest(), and the rests inside hold{} and reps{} */
  RB_VIEW_ASK,
  RB_VIEW_SCALE,
  RB_VIEW_MEASURE,
  RB_VIEW_RESULT, /* an assessment's result: rows, flags, summary */
  RB_VIEW_ENDED
} rb_view_kind;

typedef enum {
  RB_TEMPO_NONE = 0,
  RB_TEMPO_UP,
  RB_TEMPO_HOLD,
  RB_TEMPO_DOWN
} rb_tempo_phase;

#define RB_RECORDS_MAX 32
#define RB_RESULT_ROWS_MAX 8
#define RB_RESULT_FLAGS_MAX 8
#define RB_SUMMARY_MAX 2048 /* plugins write a few sentences */

/* A question as it is asked: the routine's ask, ask_scale or measure, an
 * assessment's field, or the pain question after STOP. */
typedef enum {
  RB_QUESTION_CHOICE, /* ask: one of the choices */
  RB_QUESTION_SCALE,  /* ask_scale: a whole number from min to max */
  RB_QUESTION_NUMBER  /* measure: a number from min to max, in steps */
} rb_question_kind;

typedef struct {
  rb_question_kind kind;
  char text[RB_TEXT_MAX]; /* the question, or a measurement's name */
  char side[8];           /* asked for one side: "left", "right"; or "" */
  char choices[RB_CHOICES_MAX][RB_SHORT_MAX];
  int nchoices;
  bool yesno; /* the choices are yes, no (in that order) */
  double min, max, step;
  char unit[32];
  int line; /* the routine's line that asked it; 0 for an assessment's */
} rb_question;

/* One line of an assessment result: a field with its left and right
 * values side by side where it is per side. */
typedef struct {
  char label[RB_SHORT_MAX];
  char unit[16];
  bool per_side;
  bool numeric;              /* numbers can be drawn as bars from min to max */
  double min, max;           /* numeric: the field's range */
  double left, right, value; /* numeric values */
  char text_left[64], text_right[64], text[64]; /* as words: "12.5", "Yes" */
} rb_result_row;

/* INFO: text to read; waiting for NEXT when `waiting`. */
typedef struct {
  bool waiting;
  char prompt[RB_TEXT_MAX]; /* the button: "I'm ready", "Start the test" */
  char side[8]; /* a side for this screen alone (an assessment's turn),
                   else "": show{}'s side applies */
} rb_view_info;

/* HOLD: repetition rep of reps. */
typedef struct {
  int rep, reps;
} rb_view_hold;

/* REPS: one set of counted repetitions. */
typedef struct {
  int done, count; /* repetitions done in this set, and asked for */
  int set, sets;
  bool self_paced;      /* no tempo: NEXT counts each one */
  rb_tempo_phase tempo; /* with tempo: where in the repetition */
  rb_ms tempo_start;    /* when that part began (the figure moves */
  rb_ms tempo_end;      /* from one to the other), when it ends */
  /* the routine's words for up, hold, down (tempo.words); "" for the
   * engine's */
  char words[3][RB_SHORT_MAX];
} rb_view_reps;

/* REST: rest(), or a rest between the repetitions or sets of a step. */
typedef struct {
  bool between;
} rb_view_rest;

/* ASK, SCALE, MEASURE. */
typedef struct {
  rb_question q;
  double initial;     /* where a scale or number starts */
  bool stop_question; /* the pain question after STOP */
} rb_view_question;

/* A result's flag: the plugin's word, in plain words, and the side it is
 * about ("" for both or none). */
typedef struct {
  char flag[RB_SHORT_MAX];
  char words[RB_SHORT_MAX];
  char side[8];
} rb_result_flag;

/* RESULT: an assessment's result, until NEXT. */
typedef struct {
  rb_result_row rows[RB_RESULT_ROWS_MAX];
  int nrows;
  rb_result_flag flags[RB_RESULT_FLAGS_MAX];
  int nflags;
  char summary[RB_SUMMARY_MAX];
  char prompt[RB_SHORT_MAX]; /* the OK button */
} rb_view_result;

/* ENDED: how it ended and what was recorded. */
typedef struct {
  rb_end_status status;
  char reason[32]; /* stopped: "patient" ... */
  /* stopped by the routine (stop(), the pain rule): what the patient is
   * told, "" when nothing */
  char message[RB_TEXT_MAX];
  double duration_s;
  char error[RB_ERROR_MAX];
  int pain_at_stop; /* -1 when not asked */
  int nrecords;
  char record_keys[RB_RECORDS_MAX][RB_SHORT_MAX];
  char record_values[RB_RECORDS_MAX][RB_TEXT_MAX];
} rb_view_ended;

typedef struct {
  rb_view_kind kind;
  const rb_meta *meta;
  /* show{} state, kept across steps until the next show */
  char title[RB_SHORT_MAX];
  char text[RB_TEXT_MAX];
  char side[8]; /* "left", "right" or "" */
  char figure[RB_SHORT_MAX];
  char caption[RB_TEXT_MAX];      /* the last words said */
  char next[RB_TEXT_MAX];         /* what comes next; "" when unknown */
  char next_side[8];              /* the side of what comes next, "" none */
  char next_figure[RB_SHORT_MAX]; /* its figure (a rest shows it) */
  /* where the session is: exercise step `step` (each hold{} and reps{}
   * call) of about `steps`, about `left_s` seconds left from its start;
   * 0 when not known */
  int step, steps;
  double left_s;
  /* the timer of a timed step; RB_MS_NEVER when there is none */
  rb_ms phase_start, phase_end;
  bool paused; /* follows the routine clock (set with it, never alone) */
  union {
    rb_view_info info;
    rb_view_hold hold;
    rb_view_reps reps;
    rb_view_rest rest;
    rb_view_question question;
    rb_view_result result;
    rb_view_ended ended;
  };
} rb_view;

/* True for ASK, SCALE and MEASURE. */
bool rb_view_is_question(const rb_view *v);
/* The pain rose by 2 points or more (CLINICAL.md: a meaningful change)
 * from the recorded pain_before to pain_after (or the pain at STOP);
 * before and after (may be NULL) get the two numbers. */
bool rb_view_ended_pain_rose(const rb_view_ended *e, double *before,
                             double *after);
/* Keeps a record() for the summary: plain values as they read, an
 * assessment's result as its summary; other tables are not listed. */
void rb_view_ended_record(rb_view_ended *e, const char *key,
                          const cJSON *value);

#endif
