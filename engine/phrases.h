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
  RB_PHRASE_NEXT_LAST,                          /* "Finished" */
  RB_PHRASE_NEXT_QUESTION,                      /* "A question" */
  RB_PHRASE_START_TEST,                         /* an assessment's button */
  RB_PHRASE_OK,                                 /* a result's button */
  RB_PHRASE_YES,
  RB_PHRASE_NO,
  /* the screens' words */
  RB_PHRASE_BADGE_LEFT,
  RB_PHRASE_BADGE_RIGHT,
  RB_PHRASE_TAG_LEFT,
  RB_PHRASE_TAG_RIGHT,
  RB_PHRASE_CHIP_LEFT,
  RB_PHRASE_CHIP_RIGHT,
  RB_PHRASE_STOP_BUTTON,
  RB_PHRASE_PAUSED_BANNER,
  RB_PHRASE_TAP_TO_PAUSE,
  RB_PHRASE_READY_BUTTON,
  RB_PHRASE_NEXT_LABEL,
  RB_PHRASE_NEXT_LABEL_LINES,
  RB_PHRASE_REP_OF,
  RB_PHRASE_DONE_OF,
  RB_PHRASE_DONE_ONE,
  RB_PHRASE_TIMES,
  RB_PHRASE_FINISHED,
  RB_PHRASE_GETTING_READY,
  RB_PHRASE_CHOOSE,
  RB_PHRASE_NO_EXERCISES,
  RB_PHRASE_NOT_LOADED,
  RB_PHRASE_UNDER_MIN,
  RB_PHRASE_MIN,
  RB_PHRASE_UNDER_MINUTE,
  RB_PHRASE_ABOUT_MINUTE,
  RB_PHRASE_ABOUT_MINUTES,
  RB_PHRASE_YOU_NEED,
  RB_PHRASE_NOTHING,
  RB_PHRASE_FOR,
  RB_PHRASE_BACK_BUTTON,
  RB_PHRASE_START_BUTTON,
  RB_PHRASE_PROBLEM_TITLE,
  RB_PHRASE_UNKNOWN_ERROR,
  RB_PHRASE_TELL_THERAPIST,
  RB_PHRASE_STOPPED,
  RB_PHRASE_SECONDS,
  RB_PHRASE_ONE_MINUTE,
  RB_PHRASE_MINUTES,
  RB_PHRASE_PAIN_AT_STOP,
  RB_PHRASE_TELL_PAIN,
  RB_PHRASE_DONE_BUTTON,
  RB_PHRASE_PAIN_NOW,
  RB_PHRASE_RANGE,
  RB_PHRASE_RANGE_PLEASE,
  RB_PHRASE_CONFIRM,
  RB_PHRASE_MORE,
  RB_PHRASE_PAGE_BACK,
  RB_PHRASE_TEMPO_UP,
  RB_PHRASE_TEMPO_HOLD,
  RB_PHRASE_TEMPO_DOWN,
  RB_PHRASE_REST_AFTER,
  RB_PHRASE_NO_PAIN,
  RB_PHRASE_WORST_PAIN,
  RB_PHRASE_FOR_THERAPIST,  /* "For your therapist: %s" */
  RB_PHRASE_PAGE_OF,        /* "%d / %d" */
  RB_PHRASE_PAIN_ROSE,      /* the summary's title when pain went up */
  RB_PHRASE_PAIN_ROSE_TELL, /* "From %g to %g. Please tell ..." */
  RB_PHRASE_PROGRESS,       /* "%d of %d \xc2\xb7 %ld min left" */
  RB_PHRASE_PROGRESS_END,   /* "%d of %d" */
  RB_PHRASE_ANSWER_SAVING,  /* "Saving %s. Touch another to change it." */
  RB_PHRASE_WHO,            /* "Who is exercising?" */
  RB_PHRASE_PIN_FOR,        /* "PIN for %s" */
  RB_PHRASE_PIN_WRONG,      /* "That PIN is not right." */
  RB_PHRASE_MY_PROGRESS,    /* "My progress" */
  RB_PHRASE_PAIN_CHART,     /* "Pain before and after" */
  RB_PHRASE_BEFORE,         /* "Before" */
  RB_PHRASE_AFTER,          /* "After" */
  RB_PHRASE_WEEKS_AGO,      /* "%d weeks ago" */
  RB_PHRASE_TODAY,          /* "Today" */
  RB_PHRASE_CHANGE_REAL,    /* "%s to %s %s, a real change" */
  RB_PHRASE_CHANGE_NOISE,   /* "%s to %s %s, within measurement error" */
  RB_PHRASE_CHANGE_PLAIN,   /* "%s to %s %s" */
  RB_PHRASE_USUAL_RANGE,    /* "Usual range" */
  RB_PHRASE_DAYS_TITLE,     /* "Days you exercised" */
  RB_PHRASE_PLAN_DAYS,      /* "Plan: %d days a week" */
  RB_PHRASE_STREAK,         /* "On plan %d weeks in a row" */
  RB_PHRASE_WEEKDAYS,       /* "M,T,W,T,F,S,S": Monday first */
  RB_PHRASE_NOTHING_YET,    /* nothing to show yet */
  RB_PHRASE_NOT_ME,         /* "Not %s?": home, to choose again */
  RB_PHRASE_PIN_WAIT,       /* "Too many tries. Wait %d seconds." */
  RB_PHRASE_PLAN_DAY_ONE,   /* "Plan: 1 day a week" */
  RB_PHRASE_STREAK_ONE,     /* "On plan this week" */
  /* API 1.1 pain_check(when): the standard questions, what is recorded,
   * and the engine's words for a routine stopped by the clinic rule */
  RB_PHRASE_PAIN_Q_BEFORE,  /* "How much pain do you have right now?" */
  RB_PHRASE_PAIN_Q_DURING,  /* "How much pain do you have now?" */
  RB_PHRASE_PAIN_Q_AFTER,   /* "How much pain do you have now, after..." */
  RB_PHRASE_PAIN_BEFORE,    /* "Pain before" (a record's label) */
  RB_PHRASE_PAIN_DURING,    /* "Pain during" */
  RB_PHRASE_PAIN_AFTER,     /* "Pain after" */
  RB_PHRASE_REST_TODAY,     /* the pain is too high to start: rest today */
  RB_PHRASE_STOP_PAIN_ROSE, /* the pain went up: stop here */
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
