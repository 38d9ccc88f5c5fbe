/* The settings parser: any bytes as rebalance.conf. */
#include "config.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  const char *path = fuzz_file(data, n, "conf");
  FILE *null = fopen("/dev/null", "w");
  rb_config c;
  if (path && null) {
    rb_config_defaults(&c);
    rb_config_load(&c, path, true, null);
  }
  if (null)
    fclose(null);
  if (path)
    unlink(path);
  return 0;
}
