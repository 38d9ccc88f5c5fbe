/* explore: `rebalance check` runs a routine along its branches.
 *
 * A misspelled call in a branch the default answers never take is only
 * found by taking it. The explorer simulates the routine once with the
 * default answers, noting every question asked; then again with each
 * other answer to each question (every choice; the ends and the middle of
 * a scale or a measurement), the questions before it answered as in the
 * run it branches from and those after it by default, and so on, breadth
 * first, up to a budget of runs. It does all of that twice: with no
 * history on record and with some (history(), last_session()). Every
 * distinct error is reported once, with the answers that led to it.
 *
 * On the way it gathers what the warnings need: the longest session, the
 * texts the patient reads (the text checks are ui's, see check.c), and
 * the question texts asked twice in one run. */
#include "explore.h"

#include "answers.h"
#include "drive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPLORE_Q_MAX 48   /* questions per run the explorer varies */
#define EXPLORE_ANSWER 128 /* an answer's text */

typedef struct {
  char answers[EXPLORE_Q_MAX][EXPLORE_ANSWER];
  int n; /* the first n questions get these answers */
} script;

typedef struct {
  const script *sc;
  /* what this run asked and answered */
  rb_question q[EXPLORE_Q_MAX];
  char used[EXPLORE_Q_MAX][EXPLORE_ANSWER];
  int nq;
  rb_explore *ex;
} run;

static void format_number(char *out, size_t n, double v) {
  snprintf(out, n, "%.10g", v);
}

static const char *pick(void *ud, int n, const rb_question *q) {
  run *r = ud;
  if (n >= EXPLORE_Q_MAX)
    return NULL;
  if (n == r->nq) {
    r->q[n] = *q;
    if (n < r->sc->n)
      snprintf(r->used[n], EXPLORE_ANSWER, "%s", r->sc->answers[n]);
    else
      rb_answer_default(q, r->used[n], EXPLORE_ANSWER);
    r->nq++;
    /* a question text asked twice in one run: --answer cannot tell the
     * two apart */
    for (int i = 0; i < n && q->line > 0; i++)
      if (r->q[i].line > 0 && r->q[i].line != q->line &&
          strcmp(r->q[i].text, q->text) == 0 &&
          strcmp(r->q[i].side, q->side) == 0 && !r->ex->dup_line) {
        r->ex->dup_line = q->line;
        r->ex->dup_first = r->q[i].line;
        snprintf(r->ex->dup_text, sizeof r->ex->dup_text, "%s", q->text);
      }
  }
  return n < r->sc->n ? r->sc->answers[n] : NULL;
}

/* The other answers worth trying for q, besides used. */
static int alternatives(const rb_question *q, const char *used,
                        char out[][EXPLORE_ANSWER], int max) {
  int n = 0;
  char cand[RB_CHOICES_MAX + 3][EXPLORE_ANSWER];
  int nc = 0;
  if (q->kind == RB_QUESTION_CHOICE) {
    for (int i = 0; i < q->nchoices && nc < RB_CHOICES_MAX; i++)
      snprintf(cand[nc++], EXPLORE_ANSWER, "%s", q->choices[i]);
  } else {
    double mid = (q->min + q->max) / 2, step = q->step > 0 ? q->step : 1;
    if (q->kind == RB_QUESTION_SCALE)
      mid = floor(mid + 0.5);
    else
      mid = q->min + floor((mid - q->min) / step + 0.5) * step;
    format_number(cand[nc++], EXPLORE_ANSWER, q->min);
    format_number(cand[nc++], EXPLORE_ANSWER, mid);
    format_number(cand[nc++], EXPLORE_ANSWER, q->max);
  }
  for (int i = 0; i < nc && n < max; i++) {
    bool seen = strcmp(cand[i], used) == 0;
    for (int j = 0; j < n && !seen; j++)
      seen = strcmp(out[j], cand[i]) == 0;
    if (!seen)
      memcpy(out[n++], cand[i], EXPLORE_ANSWER); /* rows of one size */
  }
  return n;
}

/* --- a past on record, for the second round ---------------------------- */

static cJSON *fake_history(void *ud, const char *key, int n) {
  cJSON *a = cJSON_CreateArray();
  (void)ud;
  (void)key;
  for (int i = 0; i < n && i < 3; i++) {
    cJSON *e = cJSON_CreateObject();
    char date[16];
    snprintf(date, sizeof date, "2026-01-%02d", 21 - 7 * i);
    cJSON_AddNumberToObject(e, "value", 10 - i);
    cJSON_AddStringToObject(e, "date", date);
    cJSON_AddNumberToObject(e, "days_ago", 7 * (i + 1));
    cJSON_AddItemToArray(a, e);
  }
  return a;
}

static cJSON *fake_last(void *ud, const char *routine) {
  cJSON *o = cJSON_CreateObject();
  (void)ud;
  (void)routine;
  cJSON_AddStringToObject(o, "date", "2026-01-21");
  cJSON_AddNumberToObject(o, "days_ago", 7);
  cJSON_AddStringToObject(o, "status", "completed");
  return o;
}

/* --- the walk ------------------------------------------------------------- */

static void describe(const run *r, bool history, char *out, size_t n) {
  size_t len = 0;
  int k;
  out[0] = '\0';
  for (int i = 0; i < r->sc->n && i < r->nq; i++) {
    k = snprintf(out + len, n - len, "%s%s=%s", len ? ", " : "", r->q[i].text,
                 r->used[i]);
    if (k < 0 || (size_t)k >= n - len)
      return;
    len += (size_t)k;
  }
  if (history)
    snprintf(out + len, n - len, "%shistory on record", len ? "; " : "");
}

static void note_error(rb_explore *ex, const char *err, const run *r,
                       bool history) {
  char how[RB_ERROR_MAX];
  for (int i = 0; i < ex->nerrors; i++)
    if (strcmp(ex->errors[i], err) == 0)
      return;
  if (ex->nerrors >= RB_EXPLORE_ERRORS_MAX)
    return;
  describe(r, history, how, sizeof how);
  snprintf(ex->errors[ex->nerrors], sizeof ex->errors[0], "%s", err);
  snprintf(ex->how[ex->nerrors], sizeof ex->how[0], "%s", how);
  ex->nerrors++;
}

static void walk(const char *path, const rb_session_opts *base, bool history,
                 int budget, rb_explore *ex) {
  script *queue = calloc((size_t)budget, sizeof *queue);
  run *r = calloc(1, sizeof *r);
  char(*alt)[EXPLORE_ANSWER] = calloc(RB_CHOICES_MAX + 3, EXPLORE_ANSWER);
  rb_lookup past = {.history = fake_history, .last_session = fake_last};
  int head = 0, tail = 1;
  if (!queue || !r || !alt)
    goto done;
  /* queue[0]: all defaults */
  while (head < tail && ex->runs < ex->budget) {
    rb_session_opts o = *base;
    char err[RB_ERROR_MAX];
    double seconds;
    rb_end_status st;
    memset(r, 0, sizeof *r);
    r->sc = &queue[head];
    r->ex = ex;
    o.pick = pick;
    o.pick_ud = r;
    if (history)
      o.lookup = &past;
    st = rb_drive_simulate(path, &o, &seconds, err, sizeof err);
    if (ex->runs == 0)
      ex->default_s = seconds;
    ex->runs++;
    if (st == RB_END_ERROR)
      note_error(ex, err, r, history);
    if (seconds > ex->longest_s) {
      ex->longest_s = seconds;
      describe(r, history, ex->longest_how, sizeof ex->longest_how);
    }
    /* its branches: another answer at each question after the fixed ones */
    for (int i = queue[head].n; i < r->nq; i++) {
      int na = alternatives(&r->q[i], r->used[i], alt, RB_CHOICES_MAX + 3);
      for (int a = 0; a < na; a++) {
        script *s;
        if (tail >= budget) {
          ex->complete = false;
          goto next;
        }
        s = &queue[tail++];
        s->n = i + 1;
        for (int j = 0; j < i; j++)
          snprintf(s->answers[j], EXPLORE_ANSWER, "%s", r->used[j]);
        snprintf(s->answers[i], EXPLORE_ANSWER, "%s", alt[a]);
      }
    }
  next:
    head++;
  }
  if (head < tail)
    ex->complete = false;
done:
  free(queue);
  free(r);
  free(alt);
}

void rb_explore_run(const char *path, const rb_session_opts *base, int max_runs,
                    rb_explore *ex) {
  rb_session_opts o = base ? *base : (rb_session_opts){0};
  memset(ex, 0, sizeof *ex);
  ex->complete = true;
  ex->budget = max_runs > 1 ? max_runs : 2;
  o.answers = NULL;
  o.nanswers = 0;
  /* half the budget without a past, half with one */
  walk(path, &o, false, ex->budget / 2, ex);
  walk(path, &o, true, ex->budget - ex->runs, ex);
}
