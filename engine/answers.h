/* answers: what counts as an answer to a question, and the answers given
 * ahead with --answer KEY=VALUE (simulate, tests, a scripted run).
 *
 * One rule for every way an answer arrives (a tap, a key, a GPIO button,
 * --answer, the terminal): a scale takes a whole number in its range, a
 * measurement any number in its range, a choice its text in any case or
 * its number ("2" picks the second), a yes/no question also "yes"/"no". */
#ifndef RB_ANSWERS_H
#define RB_ANSWERS_H

#include "lua_host.h"
#include "view.h"

#include <cjson/cJSON.h>

/* The question a routine's ask, ask_scale or measure asks, and the
 * --answer keys that answer it: "NAME.SIDE" for a measurement of one side
 * (else ""), then the question's text. */
void rb_question_from_request(const rb_request *rq, rb_question *q,
                              char keys[2][RB_TEXT_MAX + 16]);

/* The first --answer under keys (empty keys skipped) that fits q; one
 * that does not fit is logged (the autopilot then uses the default, a
 * patient is asked) and skipped. NULL when none. */
const char *rb_answers_given(const char *const *answers, int n,
                             const rb_question *q, const char *const *keys,
                             int nkeys, bool autopilot);

/* The timeline event of an answer: "ask", "ask_scale" or "measure" in
 * *event, and its fields (a new object). */
cJSON *rb_answer_event(const rb_question *q, const cJSON *reply,
                       const char **event);

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
