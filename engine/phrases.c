/* phrases: the engine's own words, a table indexed by language and phrase.
 * Short and plain, for older patients who hear them mid-stretch; German
 * uses the polite "Sie". */
#include "phrases.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *code; /* two letters, lower case */
  const char *text[RB_PHRASE_COUNT];
} rb_phrase_table;

static const rb_phrase_table rb_phrase_tables[] = {
    {"en",
     {
         [RB_PHRASE_LEFT_SIDE] = "Left side",
         [RB_PHRASE_RIGHT_SIDE] = "Right side",
         [RB_PHRASE_HALFWAY] = "Halfway",
         [RB_PHRASE_SWITCH_SIDES] = "Switch sides",
         [RB_PHRASE_LAST_ONE] = "Last one",
         [RB_PHRASE_REST] = "Rest",
         [RB_PHRASE_WELL_DONE] = "Well done",
         [RB_PHRASE_UP] = "Up",
         [RB_PHRASE_HOLD] = "Hold",
         [RB_PHRASE_DOWN] = "Down",
         [RB_PHRASE_GET_READY] = "Get ready",
         [RB_PHRASE_PAUSED] = "Paused",
         [RB_PHRASE_STOP_PAIN] = "You pressed stop. How much does it hurt now?",
         [RB_PHRASE_NEXT_REST] = "Rest %g s",
         [RB_PHRASE_NEXT_HOLD_OF] = "Hold %d of %d",
         [RB_PHRASE_NEXT_SET_OF] = "Set %d of %d",
         [RB_PHRASE_NEXT_LEFT] = "Left side: %s",
         [RB_PHRASE_NEXT_RIGHT] = "Right side: %s",
         [RB_PHRASE_NEXT_HOLD] = "%s, hold %g s",
         [RB_PHRASE_NEXT_HOLDS] = "%s, hold %g s x %d",
         [RB_PHRASE_NEXT_REPS] = "%s, %d times",
         [RB_PHRASE_NEXT_SETS] = "%s, %d x %d",
         [RB_PHRASE_NEXT_LAST] = "Last step",
         [RB_PHRASE_NEXT_QUESTION] = "A question",
         [RB_PHRASE_START_TEST] = "Start the test",
         [RB_PHRASE_OK] = "OK",
         [RB_PHRASE_YES] = "Yes",
         [RB_PHRASE_NO] = "No",
     }},
    {"de",
     {
         [RB_PHRASE_LEFT_SIDE] = "Linke Seite",
         [RB_PHRASE_RIGHT_SIDE] = "Rechte Seite",
         [RB_PHRASE_HALFWAY] = "Halbzeit",
         [RB_PHRASE_SWITCH_SIDES] = "Seite wechseln",
         /* A nominalized adjective: capital L. */
         [RB_PHRASE_LAST_ONE] = "Die Letzte",
         [RB_PHRASE_REST] = "Pause",
         [RB_PHRASE_WELL_DONE] = "Gut gemacht",
         [RB_PHRASE_UP] = "Hoch",
         [RB_PHRASE_HOLD] = "Halten",
         [RB_PHRASE_DOWN] = "Runter",
         /* "Bereit machen" lacks its "sich"; polite and whole instead. */
         [RB_PHRASE_GET_READY] = "Machen Sie sich bereit",
         [RB_PHRASE_PAUSED] = "Angehalten",
         [RB_PHRASE_STOP_PAIN] =
             "Sie haben Stopp gedrückt. Wie stark sind die Schmerzen jetzt?",
         [RB_PHRASE_NEXT_REST] = "Pause %g s",
         [RB_PHRASE_NEXT_HOLD_OF] = "Halten %d von %d",
         [RB_PHRASE_NEXT_SET_OF] = "Satz %d von %d",
         [RB_PHRASE_NEXT_LEFT] = "Linke Seite: %s",
         [RB_PHRASE_NEXT_RIGHT] = "Rechte Seite: %s",
         [RB_PHRASE_NEXT_HOLD] = "%s, %g s halten",
         [RB_PHRASE_NEXT_HOLDS] = "%s, %g s halten x %d",
         [RB_PHRASE_NEXT_REPS] = "%s, %d Mal",
         [RB_PHRASE_NEXT_SETS] = "%s, %d x %d Mal",
         [RB_PHRASE_NEXT_LAST] = "Letzter Schritt",
         [RB_PHRASE_NEXT_QUESTION] = "Eine Frage",
         [RB_PHRASE_START_TEST] = "Test beginnen",
         [RB_PHRASE_OK] = "Weiter",
         [RB_PHRASE_YES] = "Ja",
         [RB_PHRASE_NO] = "Nein",
     }},
};

enum {
  RB_PHRASE_TABLES = sizeof rb_phrase_tables / sizeof rb_phrase_tables[0]
};

/* The table for lang ("de", "de-DE", "DE_at": its first two letters), or
 * NULL. */
static const rb_phrase_table *rb_phrase_find(const char *lang) {
  int a, b;
  if (!lang || !isalpha((unsigned char)lang[0]) ||
      !isalpha((unsigned char)lang[1]))
    return NULL;
  a = tolower((unsigned char)lang[0]);
  b = tolower((unsigned char)lang[1]);
  for (size_t i = 0; i < RB_PHRASE_TABLES; i++)
    if (rb_phrase_tables[i].code[0] == a && rb_phrase_tables[i].code[1] == b)
      return &rb_phrase_tables[i];
  return NULL;
}

const char *rb_phrase_text(const char *lang, rb_phrase p) {
  const rb_phrase_table *t = rb_phrase_find(lang);
  if ((unsigned)p >= RB_PHRASE_COUNT)
    return "";
  if (!t || !t->text[p])
    t = &rb_phrase_tables[0];
  return t->text[p] ? t->text[p] : "";
}

bool rb_phrase_has_language(const char *lang) {
  return rb_phrase_find(lang) != NULL;
}

const char *rb_phrase_format(const char *lang, rb_phrase p, char *out,
                             size_t outlen, ...) {
  va_list ap;
  const char *fmt = rb_phrase_text(lang, p);
  if (outlen == 0)
    return out;
  out[0] = '\0';
  if (p < RB_PHRASE_SPOKEN_COUNT || !strchr(fmt, '%'))
    return strncat(out, fmt, outlen - 1);
  va_start(ap, outlen);
  /* the formats are the table's own, checked by test_phrases */
  vsnprintf(out, outlen, fmt, ap); /* NOLINT */
  va_end(ap);
  return out;
}
