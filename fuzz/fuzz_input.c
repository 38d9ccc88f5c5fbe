/* The --input parser: any text as a script. */
#include "fuzz_common.h"
#include "input.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  char *text = malloc(n + 1), err[256];
  rb_input *in;
  if (!text)
    return 0;
  memcpy(text, data, n);
  text[n] = '\0';
  in = rb_input_parse("fuzz.txt", text, err, sizeof err);
  /* parsed, not played: STALL would sleep for real */
  if (in)
    (void)rb_input_next_time(in);
  rb_input_free(in);
  free(text);
  return 0;
}
