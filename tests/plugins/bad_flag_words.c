/* bad_flag_words: flag_words (ABI 1.1) with a flag that has no words: the
 * list is refused, and with it the plugin. */
#include <rebalance/plugin.h>

#include <stddef.h>

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "ok",
     .label = "Did it go well?",
     .kind = RBP_FIELD_YESNO},
};

/* an odd list: "pain" has no words before the end */
static const char *const flag_words[] = {"asymmetry", "Sides differ", "pain",
                                         NULL};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  (void)host;
  (void)e;
  (void)user;
  return 0;
}

static int init(const rbp_host *host, rbp_context *ctx) {
  const rbp_assessment a = {.size = sizeof a,
                            .id = "bad_flag_words",
                            .title = "Bad flag words",
                            .fields = fields,
                            .nfields = 1,
                            .evaluate = evaluate,
                            .flag_words = flag_words};
  return host->register_assessment(ctx, &a);
}

RBP_PLUGIN("bad_flag_words", "1.0.0", init)
