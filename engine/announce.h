/* announce: how a session makes itself known. Every event goes to the
 * session's sinks (sink.h) and every cue to its voice; the words that
 * open a hold repetition or a set ("Switch sides. Left side. Last one.")
 * are put together here, in the routine's language, and logged as the
 * cue events they are. The session decides what happens when; the
 * announcer only tells. */
#ifndef RB_ANNOUNCE_H
#define RB_ANNOUNCE_H

#include "cues.h"
#include "sink.h"

/* The voice, as a session drives it (voice.c implements it; NULL means
 * no voice: say() takes no time). Times are on the routine clock. */
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

typedef struct {
  rb_sink sinks[RB_SINKS_MAX];
  int nsinks;
  const rb_session_voice *voice; /* NULL: none */
  const char *lang;              /* the routine's language, NULL: English */
  char last_side[8];             /* of the last hold or set: "switch sides" */
} rb_announcer;

/* Hands an event to every sink, then frees fields (may be NULL). */
void rb_announce_event(rb_announcer *a, rb_ms t, const char *event,
                       cJSON *fields);
/* The end event at t, then tells the sinks how the session ended. */
void rb_announce_end(rb_announcer *a, rb_ms t, const rb_session_end *end);

/* A cue event, and the cue spoken or sounded. */
void rb_announce_cue(rb_announcer *a, rb_ms t, rb_cue_kind kind,
                     const char *text);
/* Spoken or sounded only (the routine's say has its own event). */
void rb_announce_sound(rb_announcer *a, rb_ms t, rb_cue_kind kind,
                       const char *text);
/* The words that open a hold repetition or a set, as one utterance:
 * "switch sides" when side (may be "") differs from the last one, the
 * side when `first`, "last one" when `last`, the routine's cue (its own
 * say event; may be "") and a first tempo word (may be NULL). */
/* Another exercise begins: its first side is not "switch sides". */
void rb_announce_new_exercise(rb_announcer *a);
void rb_announce_opening(rb_announcer *a, rb_ms t, const char *side, bool first,
                         bool last, const char *cue, const char *tempo_word);

/* A question, spoken: with its side first when it is asked for one
 * ("Left side. Did the knee bend?"); side may be "". */
void rb_announce_question(rb_announcer *a, rb_ms t, const char *side,
                          const char *text);

/* The voice: synthesize ahead, pause, hush. No-ops without a voice. */
void rb_announce_prepare(const rb_announcer *a, const char *text);
void rb_announce_pause(const rb_announcer *a, bool paused);
void rb_announce_hush(const rb_announcer *a);
/* ms until everything said so far has been spoken (see the voice); 0
 * without a voice. */
rb_ms rb_announce_remaining(const rb_announcer *a, rb_ms t);

#endif
