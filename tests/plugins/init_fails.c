/* init_fails: registers an assessment, then init returns -1: the file is
 * refused and its assessment must not stay registered. */
#include <rebalance/plugin.h>

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "done",
     .label = "Done?",
     .kind = RBP_FIELD_YESNO},
};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  (void)user;
  host->set_score(e, 1);
  return 0;
}

static int init(const rbp_host *host, rbp_context *ctx) {
  static const rbp_assessment a = {.size = sizeof a,
                                   .id = "init_fails",
                                   .title = "Init fails",
                                   .fields = fields,
                                   .nfields = 1,
                                   .evaluate = evaluate};
  (void)host->register_assessment(ctx, &a);
  host->log(ctx, RBP_LOG_ERROR, "no sensor found");
  return -1;
}

RBP_PLUGIN("init_fails", "1.0.0", init)
