/* answers: what counts as an answer to a question, and the answers given
 * ahead with --answer KEY=VALUE (simulate, tests, a scripted run).
 *
 * One rule for every way an answer arrives (a tap, a key, a GPIO button,
 * --answer, the terminal): a scale takes a whole number in its range, a
 * measurement any number in its range, a choice its text in any case or
 * its number ("2" picks the second), a yes/no question also "yes"/"no". */
#ifndef RB_ANSWERS_H
#define RB_ANSWERS_H

#include "view.h"

#include <cjson/cJSON.h>

/* The value of the first "KEY=VALUE" whose KEY is key, or NULL. The value
 * is whatever follows the last '=' (a key may hold '='). */
const char *rb_answers_find(const char *const *answers, int n, const char *key);

/* The reply to q for typed text: a number, or the choice's own text.
 * NULL when the text does not fit. */
cJSON *rb_answer_parse(const rb_question *q, const char *text);

/* What simulate answers: the first choice, the scale's minimum, the
 * measurement's midpoint (on its step). */
void rb_answer_default(const rb_question *q, char *out, size_t n);

#endif
