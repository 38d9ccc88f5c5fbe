/* The figure loader: any bytes as a figure file (assets/figures). */
#include "figure.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  char err[4096];
  const char *path = fuzz_file(data, n, "lua");
  if (!path)
    return 0;
  rb_figure_check(path, err, sizeof err);
  unlink(path);
  return 0;
}
