/* phrases: what the engine itself says, per language. English and German
 * to start; an unknown language falls back to English. */
#ifndef RB_PHRASES_H
#define RB_PHRASES_H

#include <stdbool.h>

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
  RB_PHRASE_COUNT
} rb_phrase;

/* lang "de", "de-DE", "en-gb" ... matched on its first two letters. */
const char *rb_phrase_text(const char *lang, rb_phrase p);
/* True when the language has its own table (not the English fallback). */
bool rb_phrase_has_language(const char *lang);

#endif
