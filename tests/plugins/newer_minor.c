/* newer_minor: a descriptor for a newer minor of this host's ABI (it may
 * need host functions this host lacks), which must be refused without
 * calling init. Its descriptor is larger, as a newer one would be. */
#include <rebalance/plugin.h>

#include <stdlib.h>

typedef struct {
  rbp_plugin v1;
  void (*added_later)(void);
} newer_plugin;

static int init(const rbp_host *host, rbp_context *ctx) {
  (void)host;
  (void)ctx;
  abort(); /* never called */
}

__attribute__((visibility("default"))) const rbp_plugin *
rebalance_plugin_entry(void) {
  static const newer_plugin plugin = {{RBP_ABI_MAJOR, RBP_ABI_MINOR + 1,
                                       sizeof(newer_plugin), "newer_minor",
                                       "2.0.0", init},
                                      NULL};
  return &plugin.v1;
}
