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
/* True when the routine gave some values itself: no instructions then. */
bool rb_assessment_prefilled(const rb_assessment *a);

/* The next field (and side) still without a value, as a question, with
 * the --answer keys that answer it ("ID.FIELD.SIDE" and "ID.FIELD", or
 * one key and "" when not per side). False when every field has one. */
bool rb_assessment_question(rb_assessment *a, rb_question *q,
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
