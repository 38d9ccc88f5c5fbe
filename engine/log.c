#include "log.h"

#include <stdio.h>

static rb_log_level min_level = RB_LOG_INFO; /* set once from main */

void rb_log_set_level(rb_log_level min) { min_level = min; }

void rb_log(rb_log_level level, const char *fmt, ...) {
  static const char *const names[] = {"debug", "info", "warning", "error"};
  va_list ap;
  if (level < min_level)
    return;
  fprintf(stderr, "rebalance: %s: ", names[level]);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}
