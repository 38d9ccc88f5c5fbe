/* phrases: the engine's own words, a table indexed by language and phrase.
 * Short and plain, for older patients who hear them mid-stretch; German
 * uses the polite "Sie". */
#include "phrases.h"

#include <ctype.h>
#include <stddef.h>

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
