/* log: messages for people running the program (stderr, or the journal
 * under systemd). One line each, prefixed with the level. */
#ifndef RB_LOG_H
#define RB_LOG_H

#include <stdarg.h>

typedef enum {
  RB_LOG_DEBUG,
  RB_LOG_INFO,
  RB_LOG_WARN,
  RB_LOG_ERROR
} rb_log_level;

void rb_log_set_level(rb_log_level min);
void rb_log(rb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define rb_log_info(...) rb_log(RB_LOG_INFO, __VA_ARGS__)
#define rb_log_warn(...) rb_log(RB_LOG_WARN, __VA_ARGS__)
#define rb_log_error(...) rb_log(RB_LOG_ERROR, __VA_ARGS__)
#define rb_log_debug(...) rb_log(RB_LOG_DEBUG, __VA_ARGS__)

#endif
