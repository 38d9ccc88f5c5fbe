/* old_v1_0: a plugin built against ABI 1.0, before rbp_assessment had
 * flag_words: its descriptor says minor 0 and its assessment is the 1.0
 * size. It must still load, its flags shown as their words. */
#include <rebalance/plugin.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "ok",
     .label = "Did it go well?",
     .kind = RBP_FIELD_YESNO},
};

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  int yes = 0;
  (void)user;
  if (host->yesno(e, "ok", NULL, &yes) != 0)
    return -1;
  host->add_flag(e, yes ? "went_well" : "went_badly_left");
  host->set_summary(e, yes ? "It went well." : "It did not go well.");
  return 0;
}

static int init(const rbp_host *host, rbp_context *ctx) {
  /* a 1.0 assessment ends at `user`: the bytes after it are not there */
  union {
    rbp_assessment a;
    unsigned char bytes[sizeof(rbp_assessment)];
  } u;
  memset(u.bytes, 0xA5, sizeof u.bytes); /* garbage where 1.1 added more */
  u.a.size = (uint32_t)(offsetof(rbp_assessment, user) + sizeof(void *));
  u.a.id = "old_test";
  u.a.title = "Old test";
  u.a.instructions = "An ABI 1.0 assessment.";
  u.a.fields = fields;
  u.a.nfields = 1;
  u.a.evaluate = evaluate;
  u.a.user = NULL;
  return host->register_assessment(ctx, &u.a);
}

__attribute__((visibility("default"))) const rbp_plugin *
rebalance_plugin_entry(void) {
  static const rbp_plugin plugin = {1,          0,       sizeof(rbp_plugin),
                                    "old_v1_0", "0.9.0", init};
  return &plugin;
}
