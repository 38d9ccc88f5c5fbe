/* The --input parser: any text as a script, then every action taken. */
#include "fuzz_common.h"
#include "input.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  char *text = malloc(n + 1), err[256];
  rb_input *in;
  rb_action a;
  if (!text)
    return 0;
  memcpy(text, data, n);
  text[n] = '\0';
  in = rb_input_parse("fuzz.txt", text, err, sizeof err);
  for (int i = 0; in && i < 10000 && !rb_input_done(in); i++) {
    rb_ms t = rb_input_next_time(in);
    if (t == RB_MS_NEVER)
      break;
    rb_input_pop(in, t, &a);
  }
  rb_input_free(in);
  free(text);
  return 0;
}
