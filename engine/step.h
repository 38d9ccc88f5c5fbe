/* step: one timed step of a routine, on the routine clock.
 *
 * countdown(), hold{} with its repetitions and the rests between them,
 * reps{} with its sets, tempo and rests, rest(), and a say() waiting for
 * its words to be spoken. A step knows its parts and their ends, plans
 * their cues (cues.h: halfway, the last beeps, the chime) and tempo words,
 * writes their events and fills the view; the session starts it, fires
 * it when it is due, and goes on with the routine when it is over. Every
 * part happens at its own time, never when the program woke up, so a late
 * wake-up adds no time. */
#ifndef RB_STEP_H
#define RB_STEP_H

#include "announce.h"
#include "lua_host.h"
#include "view.h"

struct rb_preview;

typedef enum {
  RB_PART_NONE = 0,
  RB_PART_SAY,
  RB_PART_COUNTDOWN,
  RB_PART_HOLD,      /* one repetition of hold{} */
  RB_PART_HOLD_REST, /* the rest after it */
  RB_PART_SET,       /* one set of reps{} */
  RB_PART_SET_REST,  /* the rest after it */
  RB_PART_REST       /* rest() */
} rb_step_part;

typedef struct {
  /* set by the session once */
  rb_announcer *ann;
  rb_view *view;
  struct rb_preview *preview; /* what comes after the last part; NULL */
  const char *lang;
  /* the step */
  const rb_request *rq; /* the routine's request, valid until it is over */
  rb_step_part part;
  rb_ms start, end; /* the part's, routine time; end RB_MS_NEVER: none */
  int rep, set, done;
  rb_cues cues;
} rb_step;

/* Starts a countdown, hold, reps or rest request at routine time t. */
void rb_step_start(rb_step *st, const rb_request *rq, rb_ms t);
/* A say() that lasts `duration` ms from t (RB_MS_NEVER: not known yet,
 * rb_step_say_ends tells it later). */
void rb_step_say(rb_step *st, rb_ms t, rb_ms duration);
void rb_step_say_ends(rb_step *st, rb_ms end);

/* Routine time of the next thing due (a cue, a tempo word, the end of a
 * part), RB_MS_NEVER when the patient must act (self-paced reps). */
rb_ms rb_step_due(const rb_step *st);
/* Does what is due at t (its time, which is never after now). True when
 * the whole step is over. */
bool rb_step_fire(rb_step *st, rb_ms t);
/* NEXT: the current part ends now (one repetition, a rest, a set), not
 * the whole step. True when the whole step is over. */
bool rb_step_skip(rb_step *st, rb_ms t);
/* Self-paced reps: NEXT counts one (delta 1), BACK takes one back (-1).
 * True when the set's last one made the whole step over. */
bool rb_step_count(rb_step *st, rb_ms t, int delta);
/* Brings the view's tempo part up to routine time now. */
void rb_step_update(rb_step *st, rb_ms now);

bool rb_step_running(const rb_step *st);
/* Self-paced reps: nothing happens until the patient counts. */
bool rb_step_self_paced(const rb_step *st);
/* Self-paced reps done in this set (BACK can take one back). */
int rb_step_done(const rb_step *st);
/* Forgets the step (STOP, the end): nothing more is due. */
void rb_step_clear(rb_step *st);

#endif
