/* assessment: one assess(id [, opts]) call of a routine.
 *
 * The plugin's instructions, then each field it declares asked as a
 * question (per side where it says so), skipping the values the routine
 * measured itself (opts.values), then the plugin's evaluation, shown as a
 * result and returned to the routine. The session drives it step by step;
 * it knows no clock, screen or timeline. */
#ifndef RB_ASSESSMENT_H
#define RB_ASSESSMENT_H

#include "view.h"

#include <cjson/cJSON.h>

struct rb_plugins;
typedef struct rb_assessment rb_assessment;

/* Starts assessment id with assess()'s options (may be NULL); words in
 * lang. NULL with the reason in err when there is no such assessment or
 * opts.values does not fit its fields ("assess(\"x\"): values: ..."). */
rb_assessment *rb_assessment_new(const struct rb_plugins *plugins,
                                 const char *id, const cJSON *opts,
                                 const char *lang, char *err, size_t errlen);
void rb_assessment_free(rb_assessment *a);

const char *rb_assessment_title(const rb_assessment *a);
const char *rb_assessment_instructions(const rb_assessment *a);
/* "left" when the test is done side by side (it has per-side fields):
 * the first side; else "". */
const char *rb_assessment_first_side(const rb_assessment *a);
/* True when the routine gave some values itself: no instructions then. */
bool rb_assessment_prefilled(const rb_assessment *a);

/* What comes next: a question, the right side's turn (the patient does
 * the test on that side before its questions), or nothing left to ask. */
typedef enum {
  RB_ASSESS_ASK,
  RB_ASSESS_RIGHT_SIDE,
  RB_ASSESS_DONE
} rb_assess_next;

/* The next field (and side) still without a value. Fields are asked side
 * by side, so a side's answers come right after that side was tested:
 * every field for the left side (and those without sides), then, after
 * RB_ASSESS_RIGHT_SIDE once, the per-side fields for the right. For
 * RB_ASSESS_ASK, q is the question and keys the --answer keys that answer
 * it ("ID.FIELD.SIDE" and "ID.FIELD", or one key and ""). */
rb_assess_next rb_assessment_question(rb_assessment *a, rb_question *q,
                                      char keys[2][RB_TEXT_MAX]);
/* The reply to the last question (a number or the choice's text). */
void rb_assessment_answer(rb_assessment *a, const cJSON *reply);

/* Evaluates the values; false with the plugin's reason in err. */
bool rb_assessment_evaluate(rb_assessment *a, char *err, size_t errlen);
/* After evaluation: the result as the timeline and assess() have it
 * (owned by a). */
const cJSON *rb_assessment_result(const rb_assessment *a);
/* After evaluation: the result screen's rows, flags and summary. */
void rb_assessment_view(const rb_assessment *a, rb_view_result *out);

#endif
