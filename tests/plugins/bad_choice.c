/* bad_choice: a valid choice field, then a choice field without a label.
 * Refused; the host must free only its own copies of the choice lists. */
#include <rebalance/plugin.h>

static const char *const sides[] = {"left", "right", NULL};

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "first",
     .label = "Which side first?",
     .kind = RBP_FIELD_CHOICE,
     .choices = sides},
    {.size = sizeof(rbp_field),
     .name = "worse",
     .label = NULL,
     .kind = RBP_FIELD_CHOICE,
     .choices = sides},
};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  (void)user;
  host->set_score(e, 1);
  return 0;
}

static int init(const rbp_host *host, rbp_context *ctx) {
  static const rbp_assessment a = {.size = sizeof a,
                                   .id = "bad_choice",
                                   .title = "Bad choice",
                                   .fields = fields,
                                   .nfields = 2,
                                   .evaluate = evaluate};
  return host->register_assessment(ctx, &a);
}

RBP_PLUGIN("bad_choice", "1.0.0", init)
