/* The routine loader and `check`: any bytes as a routine file are loaded
 * (syntax, the sandbox, routine{}), checked, and run with the default
 * answers on the virtual clock, within a small budget. */
#include "drive.h"
#include "fuzz_common.h"
#include "log.h"
#include "lua_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  rb_limits lim = {
      .memory_bytes = 16 << 20, .instructions = 2000000, .wall_ms = 200};
  const char *path = fuzz_file(data, n, "lua");
  FILE *null = fopen("/dev/null", "w");
  double seconds;
  char err[RB_ERROR_MAX];
  if (!path || !null) {
    if (null)
      fclose(null);
    return 0;
  }
  if (rb_routine_check(path, &lim, null) == 0)
    rb_drive_simulate(path, &(rb_session_opts){.limits = lim}, &seconds, err,
                      sizeof err);
  fclose(null);
  unlink(path);
  return 0;
}
