/* phrases: the engine's own words, spoken and shown, per language.
 * English and German to start; an unknown language falls back to
 * English. The session and the screens take every word a patient hears
 * or reads from here, never from a string literal, so each can be
 * translated. */
#ifndef RB_PHRASES_H
#define RB_PHRASES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  RB_PHRASE_LEFT_SIDE,
  RB_PHRASE_RIGHT_SIDE,
  RB_PHRASE_HALFWAY,
  RB_PHRASE_SWITCH_SIDES,
  RB_PHRASE_LAST_ONE,
  RB_PHRASE_REST,
  RB_PHRASE_WELL_DONE,
  RB_PHRASE_UP,
  RB_PHRASE_HOLD,
  RB_PHRASE_DOWN,
  RB_PHRASE_GET_READY,
  RB_PHRASE_PAUSED,
  RB_PHRASE_STOP_PAIN, /* the pain question after STOP */
  /* the phrases above are spoken (and synthesized ahead); those below
   * are only shown. A "%" phrase is a format for rb_phrase_format, with
   * the same conversions in the same order in every language. */
  RB_PHRASE_SPOKEN_COUNT,
  RB_PHRASE_NEXT_REST = RB_PHRASE_SPOKEN_COUNT, /* "Rest %g s" */
  RB_PHRASE_NEXT_HOLD_OF,                       /* "Hold %d of %d" */
  RB_PHRASE_NEXT_SET_OF,                        /* "Set %d of %d" */
  RB_PHRASE_NEXT_LEFT,                          /* "Left side: %s" */
  RB_PHRASE_NEXT_RIGHT,                         /* "Right side: %s" */
  RB_PHRASE_NEXT_HOLD,                          /* "%s, hold %g s" */
  RB_PHRASE_NEXT_HOLDS,                         /* "%s, hold %g s x %d" */
  RB_PHRASE_NEXT_REPS,                          /* "%s, %d times" */
  RB_PHRASE_NEXT_SETS,                          /* "%s, %d x %d" */
  RB_PHRASE_NEXT_LAST,                          /* "Last step" */
  RB_PHRASE_NEXT_QUESTION,                      /* "A question" */
  RB_PHRASE_START_TEST,                         /* an assessment's button */
  RB_PHRASE_OK,                                 /* a result's button */
  RB_PHRASE_YES,
  RB_PHRASE_NO,
  RB_PHRASE_COUNT
} rb_phrase;

/* lang "de", "de-DE", "en-gb" ... matched on its first two letters. */
const char *rb_phrase_text(const char *lang, rb_phrase p);
/* Formats phrase p (a format, see above) into out; "" when it is not
 * one. Returns out. */
const char *rb_phrase_format(const char *lang, rb_phrase p, char *out,
                             size_t outlen, ...);
/* True when the language has its own table (not the English fallback). */
bool rb_phrase_has_language(const char *lang);

#endif
