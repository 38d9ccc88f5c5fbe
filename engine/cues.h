/* cues: what the engine says and sounds inside a timed step, planned on
 * the routine clock: "halfway", the beeps of the last three seconds, the
 * chime that ends a hold. The session plans a phase's cues when it starts
 * and fires each when its time comes; a skip or a STOP drops the rest.
 * Also how the engine joins sentences into one utterance, so an opening
 * ("Switch sides. Left side. Last one.") is spoken without gaps. */
#ifndef RB_CUES_H
#define RB_CUES_H

#include "clock.h"
#include "phrases.h"

#include <stdbool.h>
#include <stddef.h>

/* What the engine says or sounds besides the routine's own words. */
typedef enum {
  RB_CUE_SPEECH, /* timed words ("halfway", "rest", "up"): dropped if late */
  RB_CUE_SAY,    /* words a step waits for (say, a step's opening, a
                    question): always spoken in full, in turn */
  RB_CUE_BEEP,   /* the last 3 seconds of a hold, rest or countdown */
  RB_CUE_CHIME,  /* the end of a hold */
  RB_CUE_TICK    /* tempo without voice */
} rb_cue_kind;

#define RB_CUES_MAX 8
/* A phase this long gets "halfway"; one this long gets the last beeps. */
#define RB_CUES_HALFWAY_MIN_MS 10000
#define RB_CUES_BEEPS_MIN_MS 5000

typedef struct {
  rb_ms due;
  rb_cue_kind kind;
  rb_phrase phrase; /* RB_CUE_SPEECH */
} rb_cue;

/* One phase's cues, in time order. */
typedef struct {
  rb_cue items[RB_CUES_MAX];
  int n, next;
} rb_cues;

void rb_cues_clear(rb_cues *c);
/* Adds a cue; ties keep the order they were added. */
void rb_cues_add(rb_cues *c, rb_ms due, rb_cue_kind kind, rb_phrase p);
/* Beeps on each of the last three seconds of a phase long enough. */
void rb_cues_beeps(rb_cues *c, rb_ms start, rb_ms end);
/* A hold: "halfway" when long enough, the beeps, the chime at its end. */
void rb_cues_hold(rb_cues *c, rb_ms start, rb_ms end);
/* When the next cue is due, RB_MS_NEVER when none is left. */
rb_ms rb_cues_due(const rb_cues *c);
/* Takes the next cue. */
const rb_cue *rb_cues_pop(rb_cues *c);

/* "speech", "beep", "chime", "tick": the cue event's kind. */
const char *rb_cue_kind_name(rb_cue_kind k);

/* Appends a sentence to an utterance: "Left side" + "Turn gently" ->
 * "Left side. Turn gently." (a full stop added where none ends it). */
void rb_utterance_append(char *out, size_t n, const char *sentence);

#endif
