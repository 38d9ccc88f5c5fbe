/* explore: a routine run along its branches, for `rebalance check`.
 *
 * Each question's other answers (every choice; a scale's or
 * measurement's ends and middle) are tried, breadth first, within a
 * budget of simulated runs, without a past on record and with one. */
#ifndef RB_EXPLORE_H
#define RB_EXPLORE_H

#include "session.h"

#include <stdbool.h>

#define RB_EXPLORE_ERRORS_MAX 16

typedef struct {
  int budget;    /* runs allowed */
  int runs;      /* runs made */
  bool complete; /* every branch was tried within the budget */
  /* distinct errors ("FILE:LINE: message") and the answers that led to
   * each ("Which knee?=Right; history on record"; "" for the defaults) */
  char errors[RB_EXPLORE_ERRORS_MAX][RB_ERROR_MAX];
  char how[RB_EXPLORE_ERRORS_MAX][RB_ERROR_MAX];
  int nerrors;
  double default_s; /* the run with the default answers */
  /* the longest run on the routine clock, and its answers */
  double longest_s;
  char longest_how[RB_ERROR_MAX];
  /* a question text asked twice in one run: its lines, 0 when none */
  int dup_line, dup_first;
  char dup_text[RB_TEXT_MAX];
} rb_explore;

/* Runs the routine at path along its branches, at most max_runs times,
 * with base's options (its --answer pairs are ignored) and fills *ex. */
void rb_explore_run(const char *path, const rb_session_opts *base, int max_runs,
                    rb_explore *ex);

#endif
