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
         [RB_PHRASE_NEXT_LAST] = "Finished",
         [RB_PHRASE_NEXT_QUESTION] = "A question",
         [RB_PHRASE_START_TEST] = "Start the test",
         [RB_PHRASE_OK] = "OK",
         [RB_PHRASE_YES] = "Yes",
         [RB_PHRASE_NO] = "No",
         [RB_PHRASE_BADGE_LEFT] = "\xe2\x97\x80 LEFT",
         [RB_PHRASE_BADGE_RIGHT] = "RIGHT \xe2\x96\xb6",
         [RB_PHRASE_TAG_LEFT] = "LEFT",
         [RB_PHRASE_TAG_RIGHT] = "RIGHT",
         [RB_PHRASE_CHIP_LEFT] = "Left: %s",
         [RB_PHRASE_CHIP_RIGHT] = "Right: %s",
         [RB_PHRASE_STOP_BUTTON] = "Stop \xe2\x80\x93 it hurts",
         [RB_PHRASE_PAUSED_BANNER] =
             "Paused \xe2\x80\x93 tap here or press Start/Pause to go on",
         [RB_PHRASE_TAP_TO_PAUSE] = "Tap to pause",
         [RB_PHRASE_READY_BUTTON] = "I'm ready",
         [RB_PHRASE_NEXT_LABEL] = "Next: %s",
         [RB_PHRASE_NEXT_LABEL_LINES] = "Next:\n%s",
         [RB_PHRASE_REP_OF] = "Rep %d of %d",
         [RB_PHRASE_DONE_OF] = "%d done of %d",
         [RB_PHRASE_DONE_ONE] = "Done one",
         [RB_PHRASE_TIMES] = "%d times",
         [RB_PHRASE_FINISHED] = "Finished",
         [RB_PHRASE_GETTING_READY] = "Getting ready",
         [RB_PHRASE_CHOOSE] = "Choose an exercise",
         [RB_PHRASE_NO_EXERCISES] =
             "No exercises yet.\nPlease ask your therapist.",
         [RB_PHRASE_NOT_LOADED] = "%d could not be loaded: %s",
         [RB_PHRASE_UNDER_MIN] = "Under 1 min",
         [RB_PHRASE_MIN] = "%ld min",
         [RB_PHRASE_UNDER_MINUTE] = "Under 1 minute",
         [RB_PHRASE_ABOUT_MINUTE] = "About 1 minute",
         [RB_PHRASE_ABOUT_MINUTES] = "About %ld minutes",
         [RB_PHRASE_YOU_NEED] = "You need: %s",
         [RB_PHRASE_NOTHING] = "nothing",
         [RB_PHRASE_FOR] = "For: %s",
         [RB_PHRASE_BACK_BUTTON] = "\xe2\x97\x80 Back",
         [RB_PHRASE_START_BUTTON] = "Start \xe2\x96\xb6",
         [RB_PHRASE_PROBLEM_TITLE] = "This exercise cannot run",
         [RB_PHRASE_UNKNOWN_ERROR] = "Unknown error",
         [RB_PHRASE_TELL_THERAPIST] =
             "It is not your fault. Please tell your therapist.",
         [RB_PHRASE_STOPPED] = "Stopped",
         [RB_PHRASE_SECONDS] = "%ld seconds",
         [RB_PHRASE_ONE_MINUTE] = "1 minute",
         [RB_PHRASE_MINUTES] = "%ld minutes",
         [RB_PHRASE_PAIN_AT_STOP] = "Pain at stop",
         [RB_PHRASE_TELL_PAIN] = "Please tell your therapist about this pain.",
         [RB_PHRASE_DONE_BUTTON] = "Done",
         [RB_PHRASE_PAIN_NOW] = "How much pain now?",
         [RB_PHRASE_RANGE] = "%s to %s %s",
         [RB_PHRASE_RANGE_PLEASE] = "Please enter %s to %s %s",
         [RB_PHRASE_CONFIRM] = "OK \xe2\x9c\x93",
         [RB_PHRASE_MORE] = "More \xe2\x96\xbc",
         [RB_PHRASE_PAGE_BACK] = "\xe2\x96\xb2 Back",
         [RB_PHRASE_TEMPO_UP] = "\xe2\x96\xb2 UP",
         [RB_PHRASE_TEMPO_HOLD] = "HOLD",
         [RB_PHRASE_TEMPO_DOWN] = "\xe2\x96\xbc DOWN",
         [RB_PHRASE_REST_AFTER] = "Rest",
         [RB_PHRASE_NO_PAIN] = "%d = no pain",
         [RB_PHRASE_WORST_PAIN] = "%d = worst pain",
         [RB_PHRASE_FOR_THERAPIST] = "For your therapist: %s",
         [RB_PHRASE_PAGE_OF] = "%d / %d",
         [RB_PHRASE_PAIN_ROSE] = "Your pain went up",
         [RB_PHRASE_PROGRESS] = "%d of %d \xc2\xb7 %ld min left",
         [RB_PHRASE_PROGRESS_END] = "%d of %d",
         [RB_PHRASE_ANSWER_SAVING] = "Saving %s. Touch another to change it.",
         [RB_PHRASE_WHO] = "Who is exercising?",
         [RB_PHRASE_PIN_FOR] = "PIN for %s",
         [RB_PHRASE_PIN_WRONG] = "That PIN is not right. Try again.",
         [RB_PHRASE_MY_PROGRESS] = "My progress",
         [RB_PHRASE_PAIN_CHART] = "Pain before and after",
         [RB_PHRASE_BEFORE] = "Before",
         [RB_PHRASE_AFTER] = "After",
         [RB_PHRASE_WEEKS_AGO] = "%d weeks ago",
         [RB_PHRASE_TODAY] = "Today",
         [RB_PHRASE_CHANGE_REAL] = "%s to %s %s, a real change",
         [RB_PHRASE_CHANGE_NOISE] = "%s to %s %s, within measurement error",
         [RB_PHRASE_CHANGE_PLAIN] = "%s to %s %s",
         [RB_PHRASE_USUAL_RANGE] = "Usual range",
         [RB_PHRASE_DAYS_TITLE] = "Days you exercised",
         [RB_PHRASE_PLAN_DAYS] = "Plan: %d days a week",
         [RB_PHRASE_STREAK] = "On plan %d weeks in a row",
         [RB_PHRASE_WEEKDAYS] = "M,T,W,T,F,S,S",
         [RB_PHRASE_NOTHING_YET] =
             "Nothing to show yet. Your results appear here after a few "
             "sessions.",
         [RB_PHRASE_NOT_ME] = "Not %s?",
         [RB_PHRASE_PIN_WAIT] = "Too many tries. Wait %d seconds.",
         [RB_PHRASE_PLAN_DAY_ONE] = "Plan: 1 day a week",
         [RB_PHRASE_STREAK_ONE] = "On plan this week",
         [RB_PHRASE_PAIN_Q_BEFORE] =
             "Before we start: how much pain do you have right now?",
         [RB_PHRASE_PAIN_Q_DURING] = "How much pain do you have now?",
         [RB_PHRASE_PAIN_Q_AFTER] = "Now that you are done: how much pain do "
                                    "you have?",
         [RB_PHRASE_PAIN_BEFORE] = "Pain before",
         [RB_PHRASE_PAIN_DURING] = "Pain during",
         [RB_PHRASE_PAIN_AFTER] = "Pain after",
         [RB_PHRASE_REST_TODAY] =
             "Your pain is high today. Please rest today and do not do these "
             "exercises. Tell your therapist.",
         [RB_PHRASE_STOP_PAIN_ROSE] =
             "Your pain went up. We stop here for today. Please tell your "
             "therapist.",
         [RB_PHRASE_PAIN_ROSE_TELL] = "From %g to %g. Please tell your "
                                      "therapist before you do this again.",
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
         [RB_PHRASE_NEXT_LAST] = "Fertig",
         [RB_PHRASE_NEXT_QUESTION] = "Eine Frage",
         [RB_PHRASE_START_TEST] = "Test beginnen",
         [RB_PHRASE_OK] = "Weiter",
         [RB_PHRASE_YES] = "Ja",
         [RB_PHRASE_NO] = "Nein",
         [RB_PHRASE_BADGE_LEFT] = "\xe2\x97\x80 LINKS",
         [RB_PHRASE_BADGE_RIGHT] = "RECHTS \xe2\x96\xb6",
         [RB_PHRASE_TAG_LEFT] = "LINKS",
         [RB_PHRASE_TAG_RIGHT] = "RECHTS",
         [RB_PHRASE_CHIP_LEFT] = "Links: %s",
         [RB_PHRASE_CHIP_RIGHT] = "Rechts: %s",
         [RB_PHRASE_STOP_BUTTON] = "Stopp \xe2\x80\x93 es tut weh",
         [RB_PHRASE_PAUSED_BANNER] =
             "Angehalten \xe2\x80\x93 hier tippen oder Start/Pause "
             "drücken",
         [RB_PHRASE_TAP_TO_PAUSE] = "Antippen zum Anhalten",
         [RB_PHRASE_READY_BUTTON] = "Ich bin bereit",
         [RB_PHRASE_NEXT_LABEL] = "Danach: %s",
         [RB_PHRASE_NEXT_LABEL_LINES] = "Danach:\n%s",
         [RB_PHRASE_REP_OF] = "Wiederholung %d von %d",
         [RB_PHRASE_DONE_OF] = "%d von %d geschafft",
         [RB_PHRASE_DONE_ONE] = "Eine geschafft",
         [RB_PHRASE_TIMES] = "%d Mal",
         [RB_PHRASE_FINISHED] = "Fertig",
         [RB_PHRASE_GETTING_READY] = "Einen Moment",
         [RB_PHRASE_CHOOSE] = "\xc3\x9c"
                              "bung w\xc3\xa4hlen",
         [RB_PHRASE_NO_EXERCISES] =
             "Noch keine \xc3\x9c"
             "bungen.\nBitte fragen Sie in Ihrer Praxis.",
         [RB_PHRASE_NOT_LOADED] = "%d nicht geladen: %s",
         [RB_PHRASE_UNDER_MIN] = "Unter 1 Min.",
         [RB_PHRASE_MIN] = "%ld Min.",
         [RB_PHRASE_UNDER_MINUTE] = "Unter 1 Minute",
         [RB_PHRASE_ABOUT_MINUTE] = "Etwa 1 Minute",
         [RB_PHRASE_ABOUT_MINUTES] = "Etwa %ld Minuten",
         [RB_PHRASE_YOU_NEED] = "Sie brauchen: %s",
         [RB_PHRASE_NOTHING] = "nichts",
         [RB_PHRASE_FOR] = "F\xc3\xbcr: %s",
         [RB_PHRASE_BACK_BUTTON] = "\xe2\x97\x80 Zur\xc3\xbc"
                                   "ck",
         [RB_PHRASE_START_BUTTON] = "Beginnen \xe2\x96\xb6",
         [RB_PHRASE_PROBLEM_TITLE] = "Diese Übung kann nicht laufen",
         [RB_PHRASE_UNKNOWN_ERROR] = "Unbekannter Fehler",
         [RB_PHRASE_TELL_THERAPIST] =
             "Das liegt nicht an Ihnen. Bitte sagen Sie es Ihrer Praxis.",
         [RB_PHRASE_STOPPED] = "Abgebrochen",
         [RB_PHRASE_SECONDS] = "%ld Sekunden",
         [RB_PHRASE_ONE_MINUTE] = "1 Minute",
         [RB_PHRASE_MINUTES] = "%ld Minuten",
         [RB_PHRASE_PAIN_AT_STOP] = "Schmerz beim Stopp",
         [RB_PHRASE_TELL_PAIN] =
             "Bitte erz\xc3\xa4hlen Sie Ihrer Praxis von diesen Schmerzen.",
         [RB_PHRASE_DONE_BUTTON] = "Fertig",
         [RB_PHRASE_PAIN_NOW] = "Wie stark sind die Schmerzen jetzt?",
         [RB_PHRASE_RANGE] = "%s bis %s %s",
         [RB_PHRASE_RANGE_PLEASE] = "Bitte %s bis %s %s eingeben",
         [RB_PHRASE_CONFIRM] = "Weiter \xe2\x9c\x93",
         [RB_PHRASE_MORE] = "Mehr \xe2\x96\xbc",
         [RB_PHRASE_PAGE_BACK] = "\xe2\x96\xb2 Zur\xc3\xbc"
                                 "ck",
         [RB_PHRASE_TEMPO_UP] = "\xe2\x96\xb2 HOCH",
         [RB_PHRASE_TEMPO_HOLD] = "HALTEN",
         [RB_PHRASE_TEMPO_DOWN] = "\xe2\x96\xbc RUNTER",
         [RB_PHRASE_REST_AFTER] = "Pause",
         [RB_PHRASE_NO_PAIN] = "%d = keine Schmerzen",
         [RB_PHRASE_WORST_PAIN] = "%d = stärkste Schmerzen",
         [RB_PHRASE_FOR_THERAPIST] = "Für Ihre Praxis: %s",
         [RB_PHRASE_PAGE_OF] = "%d von %d",
         [RB_PHRASE_PAIN_ROSE] = "Ihre Schmerzen sind gestiegen",
         [RB_PHRASE_PROGRESS] = "%d von %d \xc2\xb7 noch %ld Min.",
         [RB_PHRASE_PROGRESS_END] = "%d von %d",
         [RB_PHRASE_ANSWER_SAVING] =
             "%s wird gespeichert. Zum \xc3\x84ndern eine andere antippen.",
         [RB_PHRASE_WHO] = "Wer \xc3\xbc"
                           "bt jetzt?",
         [RB_PHRASE_PIN_FOR] = "PIN f\xc3\xbcr %s",
         [RB_PHRASE_PIN_WRONG] = "Diese PIN stimmt nicht. Bitte noch einmal.",
         [RB_PHRASE_MY_PROGRESS] = "Mein Fortschritt",
         [RB_PHRASE_PAIN_CHART] = "Schmerzen vorher und nachher",
         [RB_PHRASE_BEFORE] = "Vorher",
         [RB_PHRASE_AFTER] = "Nachher",
         [RB_PHRASE_WEEKS_AGO] = "vor %d Wochen",
         [RB_PHRASE_TODAY] = "Heute",
         [RB_PHRASE_CHANGE_REAL] = "%s bis %s %s, eine echte \xc3\x84nderung",
         [RB_PHRASE_CHANGE_NOISE] =
             "%s bis %s %s, innerhalb der Messungenauigkeit",
         [RB_PHRASE_CHANGE_PLAIN] = "%s bis %s %s",
         [RB_PHRASE_USUAL_RANGE] = "\xc3\x9c"
                                   "blicher Bereich",
         [RB_PHRASE_DAYS_TITLE] = "Tage mit \xc3\x9c"
                                  "bungen",
         [RB_PHRASE_PLAN_DAYS] = "Plan: %d Tage pro Woche",
         [RB_PHRASE_STREAK] = "%d Wochen in Folge im Plan",
         [RB_PHRASE_WEEKDAYS] = "M,D,M,D,F,S,S",
         [RB_PHRASE_NOTHING_YET] =
             "Noch nichts zu zeigen. Ihre Ergebnisse erscheinen hier nach "
             "einigen Einheiten.",
         [RB_PHRASE_NOT_ME] = "Nicht %s?",
         [RB_PHRASE_PIN_WAIT] = "Zu viele Versuche. Bitte %d Sekunden warten.",
         [RB_PHRASE_PLAN_DAY_ONE] = "Plan: 1 Tag pro Woche",
         [RB_PHRASE_STREAK_ONE] = "Diese Woche im Plan",
         [RB_PHRASE_PAIN_Q_BEFORE] =
             "Bevor wir beginnen: Wie stark sind Ihre Schmerzen gerade?",
         [RB_PHRASE_PAIN_Q_DURING] = "Wie stark sind Ihre Schmerzen jetzt?",
         [RB_PHRASE_PAIN_Q_AFTER] =
             "Sie sind fertig: Wie stark sind Ihre Schmerzen jetzt?",
         [RB_PHRASE_PAIN_BEFORE] = "Schmerzen vorher",
         [RB_PHRASE_PAIN_DURING] = "Schmerzen während",
         [RB_PHRASE_PAIN_AFTER] = "Schmerzen nachher",
         [RB_PHRASE_REST_TODAY] =
             "Ihre Schmerzen sind heute stark. Bitte ruhen Sie sich heute aus "
             "und machen Sie diese Übungen nicht. Sagen Sie es Ihrer "
             "Therapeutin oder Ihrem Therapeuten.",
         [RB_PHRASE_STOP_PAIN_ROSE] =
             "Ihre Schmerzen sind stärker geworden. Wir hören für heute auf. "
             "Bitte sagen Sie es Ihrer Therapeutin oder Ihrem Therapeuten.",
         [RB_PHRASE_PAIN_ROSE_TELL] =
             "Von %g auf %g. Bitte sagen Sie es Ihrer Praxis, bevor Sie "
             "das wieder machen.",
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
