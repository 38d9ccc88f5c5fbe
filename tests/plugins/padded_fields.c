/* padded_fields: fields laid out with a larger stride than this host's
 * sizeof(rbp_field) (each carries its own size), as a plugin's array
 * would be if its rbp_field had more members than the host knows. The
 * host must step through them by that size and copy what it knows. */
#include <rebalance/plugin.h>

typedef struct {
  rbp_field f;
  double later[3]; /* members this host does not know */
} wide_field;

static const char *const colours[] = {"red", "green", NULL};

static const wide_field fields[] = {
    {{.size = sizeof(wide_field),
      .name = "count",
      .label = "How many?",
      .kind = RBP_FIELD_NUMBER,
      .min = 0,
      .max = 10,
      .step = 1},
     {1, 2, 3}},
    {{.size = sizeof(wide_field),
      .name = "colour",
      .label = "Which colour?",
      .kind = RBP_FIELD_CHOICE,
      .per_side = 1,
      .choices = colours},
     {4, 5, 6}},
};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  double count;
  const char *left, *right;
  (void)user;
  if (host->number(e, "count", NULL, &count) != 0 ||
      host->choice(e, "colour", "left", &left) != 0 ||
      host->choice(e, "colour", "right", &right) != 0)
    return -1;
  host->set_score(e, count);
  host->set_summary(e, left == right ? "same colour" : "different colours");
  return 0;
}

static int init(const rbp_host *host, rbp_context *ctx) {
  static const rbp_assessment a = {.size = sizeof a,
                                   .id = "padded",
                                   .title = "Padded fields",
                                   .fields = &fields[0].f,
                                   .nfields = 2,
                                   .evaluate = evaluate};
  return host->register_assessment(ctx, &a);
}

RBP_PLUGIN("padded_fields", "0.1.0", init)
