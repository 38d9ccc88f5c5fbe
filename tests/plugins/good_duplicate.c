/* good_duplicate: registers "good_test", the id good.so registered first
 * (good.so sorts before good_duplicate.so). It must be refused, naming
 * both files, and its other assessment must not stay registered. */
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
  rbp_assessment a = {.size = sizeof a,
                      .id = "duplicate_first",
                      .title = "Registered before the duplicate",
                      .fields = fields,
                      .nfields = 1,
                      .evaluate = evaluate};
  int rc = host->register_assessment(ctx, &a);
  a.id = "good_test";
  a.title = "Good test again";
  return rc | host->register_assessment(ctx, &a);
}

RBP_PLUGIN("good_duplicate", "1.0.0", init)
