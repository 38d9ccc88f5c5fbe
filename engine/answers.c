#include "answers.h"

#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *rb_answers_find(const char *const *answers, int n,
                            const char *key) {
  size_t klen = strlen(key);
  for (int i = 0; i < n; i++) {
    const char *kv = answers[i];
    const char *eq = strchr(kv, '=');
    if (eq && (size_t)(eq - kv) == klen && strncmp(kv, key, klen) == 0)
      return eq + 1;
  }
  return NULL;
}

static bool parse_number(const char *text, double *out) {
  char *end;
  double v = strtod(text, &end);
  while (*end == ' ')
    end++;
  if (end == text || *end || !isfinite(v))
    return false;
  *out = v;
  return true;
}

/* The index of the choice text names, -1 when none. */
static int choice_index(const rb_question *q, const char *text) {
  char *end;
  long idx;
  for (int i = 0; i < q->nchoices; i++)
    if (strcasecmp(text, q->choices[i]) == 0)
      return i;
  if (q->yesno) { /* in any language: --answer KEY=Yes */
    if (strcasecmp(text, "yes") == 0 || strcasecmp(text, "true") == 0)
      return 0;
    if (strcasecmp(text, "no") == 0 || strcasecmp(text, "false") == 0)
      return 1;
  }
  /* "2" picks the second choice, as a keypad would */
  idx = strtol(text, &end, 10);
  if (end == text || *end || idx < 1 || idx > q->nchoices)
    return -1;
  return (int)idx - 1;
}

cJSON *rb_answer_parse(const rb_question *q, const char *text) {
  double v;
  int i;
  switch (q->kind) {
  case RB_QUESTION_SCALE:
    if (!parse_number(text, &v) || v != floor(v) || v < q->min || v > q->max)
      return NULL;
    return cJSON_CreateNumber(v);
  case RB_QUESTION_NUMBER:
    if (!parse_number(text, &v) || v < q->min || v > q->max)
      return NULL;
    return cJSON_CreateNumber(v);
  case RB_QUESTION_CHOICE:
    i = choice_index(q, text);
    return i < 0 ? NULL : cJSON_CreateString(q->choices[i]);
  default:
    return NULL;
  }
}

static void format_number(char *out, size_t n, double v) {
  snprintf(out, n, "%.10g", v);
}

void rb_answer_default(const rb_question *q, char *out, size_t n) {
  double mid;
  switch (q->kind) {
  case RB_QUESTION_CHOICE:
    snprintf(out, n, "%s", q->nchoices > 0 ? q->choices[0] : "");
    break;
  case RB_QUESTION_SCALE:
    format_number(out, n, q->min);
    break;
  case RB_QUESTION_NUMBER:
    mid = (q->min + q->max) / 2;
    if (q->step > 0)
      mid = q->min + floor((mid - q->min) / q->step + 0.5) * q->step;
    format_number(out, n, mid);
    break;
  default:
    snprintf(out, n, "%s", "");
    break;
  }
}

void rb_question_from_request(const rb_request *rq, rb_question *q,
                              char keys[2][RB_TEXT_MAX + 16]) {
  *q =
      (rb_question){.kind = rq->kind == RB_REQ_ASK         ? RB_QUESTION_CHOICE
                            : rq->kind == RB_REQ_ASK_SCALE ? RB_QUESTION_SCALE
                                                           : RB_QUESTION_NUMBER,
                    .nchoices = rq->nchoices,
                    .min = rq->min,
                    .max = rq->max,
                    .step = rq->step};
  snprintf(q->text, sizeof q->text, "%s", rq->text);
  snprintf(q->unit, sizeof q->unit, "%s", rq->unit);
  q->line = rq->line;
  for (int i = 0; i < rq->nchoices && i < RB_CHOICES_MAX; i++)
    snprintf(q->choices[i], RB_SHORT_MAX, "%s", rq->choices[i]);
  keys[0][0] = '\0';
  snprintf(q->side, sizeof q->side, "%s", rq->side);
  if (rq->answer_key[0]) /* pain_check: pain_before */
    snprintf(keys[0], RB_TEXT_MAX + 16, "%s", rq->answer_key);
  else if (rq->kind == RB_REQ_MEASURE && rq->side[0])
    snprintf(keys[0], RB_TEXT_MAX + 16, "%s.%s", rq->text, rq->side);
  snprintf(keys[1], RB_TEXT_MAX + 16, "%s", rq->text);
}

const char *rb_answers_given(const char *const *answers, int n,
                             const rb_question *q, const char *const *keys,
                             int nkeys, bool autopilot) {
  const char *given = NULL;
  cJSON *probe;
  for (int i = 0; i < nkeys && !given; i++)
    if (keys[i] && *keys[i])
      given = rb_answers_find(answers, n, keys[i]);
  if (!given)
    return NULL;
  probe = rb_answer_parse(q, given);
  if (!probe) {
    rb_log_warn("--answer '%s' does not fit \"%s\"; %s", given, q->text,
                autopilot ? "using the default" : "asking instead");
    return NULL;
  }
  cJSON_Delete(probe);
  return given;
}

cJSON *rb_answer_event(const rb_question *q, const cJSON *reply,
                       const char **event) {
  cJSON *f = cJSON_CreateObject();
  *event = q->kind == RB_QUESTION_CHOICE  ? "ask"
           : q->kind == RB_QUESTION_SCALE ? "ask_scale"
                                          : "measure";
  if (q->kind == RB_QUESTION_NUMBER) {
    cJSON_AddStringToObject(f, "name", q->text);
    cJSON_AddStringToObject(f, "unit", q->unit);
    if (q->side[0])
      cJSON_AddStringToObject(f, "side", q->side);
    else
      cJSON_AddNullToObject(f, "side");
  } else {
    cJSON_AddStringToObject(f, "question", q->text);
    if (q->side[0]) /* asked for one side */
      cJSON_AddStringToObject(f, "side", q->side);
  }
  cJSON_AddItemToObject(f, "answer", cJSON_Duplicate(reply, true));
  return f;
}
