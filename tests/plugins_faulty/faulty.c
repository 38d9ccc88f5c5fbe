/* faulty: one test plugin, built once per fault (tests/plugins_faulty,
 * -DFAULT=...): it crashes, aborts, calls exit() or loops forever in
 * init() or in evaluate(), sends garbage back, or tries to read a file
 * it has no business with. The coach and `rebalance plugins` must
 * survive each and name it (tests/e2e/plugins_faulty.t, test_jail). */
#include <rebalance/plugin.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define F_NONE 0
#define F_CRASH_INIT 1
#define F_ABORT_INIT 2
#define F_EXIT_INIT 3
#define F_LOOP_INIT 4
#define F_CRASH_EVAL 5
#define F_ABORT_EVAL 6
#define F_EXIT_EVAL 7
#define F_LOOP_EVAL 8
#define F_GARBAGE_EVAL 9
#define F_SNOOP_EVAL 10

#ifndef FAULT
#define FAULT F_NONE
#endif
#ifndef ID
#define ID "faulty"
#endif

static void fault(int when) {
  volatile int *nothing = NULL;
  if (FAULT != when)
    return;
  switch (when) {
  case F_CRASH_INIT:
  case F_CRASH_EVAL:
    *nothing = 1;
    break;
  case F_ABORT_INIT:
  case F_ABORT_EVAL:
    abort();
  case F_EXIT_INIT:
  case F_EXIT_EVAL:
    exit(3);
  case F_LOOP_INIT:
  case F_LOOP_EVAL:
    for (volatile unsigned long i = 0;; i++)
      ;
  default:
    break;
  }
}

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "reach_cm",
     .label = "How far?",
     .kind = RBP_FIELD_NUMBER,
     .unit = "cm",
     .min = 0,
     .max = 30,
     .step = 1},
};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  double d = 0;
  (void)user;
  fault(F_CRASH_EVAL);
  fault(F_ABORT_EVAL);
  fault(F_EXIT_EVAL);
  fault(F_LOOP_EVAL);
  host->number(e, "reach_cm", NULL, &d);
  host->set_score(e, d);
  if (FAULT == F_GARBAGE_EVAL) {
    static char junk[300000];
    memset(junk, 0xff, sizeof junk - 1);
    host->set_summary(e, junk);
    host->add_flag(e, "\xff\xfe bad");
    return 0;
  }
  if (FAULT == F_SNOOP_EVAL) {
    /* the jail leaves no file to open: the summary says what it saw */
    int fd = open("/etc/hostname", O_RDONLY);
    host->set_summary(e, fd >= 0 ? "read a file" : "no file for a plugin");
    if (fd >= 0)
      close(fd);
    return 0;
  }
  host->set_summary(e, "Measured.");
  return 0;
}

static const rbp_assessment assessment = {
    .size = sizeof(rbp_assessment),
    .id = ID,
    .title = "Faulty test",
    .instructions = "Reach.",
    .fields = fields,
    .nfields = 1,
    .evaluate = evaluate,
};

static int init(const rbp_host *host, rbp_context *ctx) {
  fault(F_CRASH_INIT);
  fault(F_ABORT_INIT);
  fault(F_EXIT_INIT);
  fault(F_LOOP_INIT);
  return host->register_assessment(ctx, &assessment);
}

RBP_PLUGIN(ID, "1.0.0", init)
