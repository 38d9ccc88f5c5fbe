/* good: a well-formed test plugin. One assessment, "good_test": a number
 * per side, a yes/no and a choice. evaluate sets a score (the mean
 * reach), flags "asymmetry" when the sides differ by more than 2 cm,
 * adds "difference_cm" and a summary, and fails (-1) when both reaches
 * are 0. It also calls the host with bad input, which must be refused or
 * ignored; "host_refusals" counts the calls that returned -1. */
#include <rebalance/plugin.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const stances[] = {"feet_apart", "feet_together", NULL};

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "reach_cm",
     .label = "How far did you reach?",
     .kind = RBP_FIELD_NUMBER,
     .per_side = 1,
     .unit = "cm",
     .min = 0,
     .max = 30,
     .step = 0.5,
     .help = "Measure from the wall to your fingertips."},
    {.size = sizeof(rbp_field),
     .name = "pain",
     .label = "Did it hurt?",
     .kind = RBP_FIELD_YESNO},
    {.size = sizeof(rbp_field),
     .name = "stance",
     .label = "How did you stand?",
     .kind = RBP_FIELD_CHOICE,
     .choices = stances},
};

/* Bad calls: each must return -1. Returns how many did. */
static int bad_calls(const rbp_host *host, rbp_eval *e) {
  double d = 0;
  int y = 0, n = 0;
  const char *c = NULL;
  n += host->number(e, NULL, "left", &d) == -1;
  n += host->number(e, "nothing", "left", &d) == -1;
  n += host->number(e, "reach_cm", NULL, &d) == -1;
  n += host->number(e, "reach_cm", "middle", &d) == -1;
  n += host->number(e, "reach_cm", "left", NULL) == -1;
  n += host->number(e, "pain", NULL, &d) == -1;
  n += host->number(NULL, "reach_cm", "left", &d) == -1;
  n += host->yesno(e, "pain", "left", &y) == -1;
  n += host->yesno(e, "stance", NULL, &y) == -1;
  n += host->choice(e, "reach_cm", "left", &c) == -1;
  n += host->choice(e, NULL, NULL, &c) == -1;
  /* ignored without harm */
  host->add_flag(e, NULL);
  host->add_flag(e, "two words");
  host->add_value(e, NULL, NULL, 1, NULL);
  host->add_value(e, "x", "middle", 1, NULL);
  host->add_value(e, "x", NULL, NAN, NULL);
  host->set_summary(e, NULL);
  host->set_score(e, NAN);
  host->set_score(NULL, 1);
  host->add_flag(NULL, "x");
  return n;
}

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  double left, right, diff;
  int pain;
  const char *stance;
  char summary[200];
  if (user != (void *)fields)
    return -2; /* user is handed back as registered */
  if (host->number(e, "reach_cm", "left", &left) != 0 ||
      host->number(e, "reach_cm", "right", &right) != 0 ||
      host->yesno(e, "pain", NULL, &pain) != 0 ||
      host->choice(e, "stance", NULL, &stance) != 0)
    return -1;
  if (left == 0 && right == 0)
    return -1;
  diff = fabs(left - right);
  host->add_value(e, "host_refusals", NULL, bad_calls(host, e), NULL);
  host->set_score(e, (left + right) / 2);
  if (diff > 2)
    host->add_flag(e, "asymmetry");
  if (pain)
    host->add_flag(e, "pain");
  if (diff > 2)
    host->add_flag(e, "asymmetry"); /* again: kept once */
  host->add_value(e, "difference_cm", NULL, diff, "cm");
  host->add_value(e, "reach_cm_x2", "left", left * 2, "cm");
  snprintf(summary, sizeof summary,
           "You reached %.1f cm left and %.1f cm right, %s.", left, right,
           strcmp(stance, "feet_apart") == 0 ? "feet apart" : "feet together");
  host->set_summary(e, "an earlier summary");
  host->set_summary(e, summary);
  return 0;
}

/* ABI 1.1: the flags in plain words ("pain" is left to the host) */
static const char *const flag_words[] = {"asymmetry", "The sides differ", NULL};

static int init(const rbp_host *host, rbp_context *ctx) {
  rbp_assessment a = {
      .size = sizeof a,
      .id = "good_test",
      .title = "Good test",
      .instructions = "Reach along the wall, then tell me how it went.",
      .fields = fields,
      .nfields = sizeof fields / sizeof fields[0],
      .evaluate = evaluate,
      .user = (void *)fields,
      .flag_words = flag_words,
  };
  if (host->size < sizeof(rbp_host) || host->abi_major != RBP_ABI_MAJOR)
    return -1;
  host->log(ctx, RBP_LOG_INFO, "good: registering\nits assessment");
  /* registered from a stack copy: the host must copy it */
  return host->register_assessment(ctx, &a);
}

RBP_PLUGIN("good", "1.2.3", init)
