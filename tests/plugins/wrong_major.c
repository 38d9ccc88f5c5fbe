/* wrong_major: a descriptor for plugin ABI 2.0, which this host must
 * refuse without calling init. */
#include <rebalance/plugin.h>

#include <stdlib.h>

static int init(const rbp_host *host, rbp_context *ctx) {
  (void)host;
  (void)ctx;
  abort(); /* never called */
}

__attribute__((visibility("default"))) const rbp_plugin *
rebalance_plugin_entry(void) {
  static const rbp_plugin plugin = {
      RBP_ABI_MAJOR + 1, 0, sizeof(rbp_plugin), "wrong_major", "1.0.0", init};
  return &plugin;
}
