/* bad_field: a number field whose min is above its max. */
#include <rebalance/plugin.h>

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "angle_deg",
     .label = "Angle",
     .kind = RBP_FIELD_NUMBER,
     .unit = "deg",
     .min = 90,
     .max = 0,
     .step = 1},
};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  (void)user;
  host->set_score(e, 1);
  return 0;
}

static int init(const rbp_host *host, rbp_context *ctx) {
  static const rbp_assessment a = {.size = sizeof a,
                                   .id = "bad_field",
                                   .title = "Bad field",
                                   .fields = fields,
                                   .nfields = 1,
                                   .evaluate = evaluate};
  return host->register_assessment(ctx, &a);
}

RBP_PLUGIN("bad_field", "1.0.0", init)
