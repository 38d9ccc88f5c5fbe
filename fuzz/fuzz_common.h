/* fuzz_common: what the libFuzzer targets share: the input written to a
 * file of its own (the parsers read files), and the routine budget kept
 * small so a slow input cannot stall the fuzzer. */
#ifndef RB_FUZZ_COMMON_H
#define RB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to a temporary file named *.ext; returns its path (static
 * buffer) or NULL. */
static inline const char *fuzz_file(const uint8_t *data, size_t n,
                                    const char *ext) {
  static char path[64];
  int fd;
  FILE *f;
  snprintf(path, sizeof path, "/tmp/rb-fuzz-%d-XXXXXX.%s", (int)getpid(), ext);
  fd = mkstemps(path, (int)(1 + snprintf(NULL, 0, "%s", ext)));
  if (fd < 0)
    return NULL;
  f = fdopen(fd, "wb");
  if (!f) {
    close(fd);
    unlink(path);
    return NULL;
  }
  if (n && fwrite(data, 1, n, f) != n) {
    fclose(f);
    unlink(path);
    return NULL;
  }
  fclose(f);
  return path;
}

#endif
