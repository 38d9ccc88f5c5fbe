/* log: messages for people running the program (stderr, or the journal
 * under systemd). One line each, prefixed with the level. */
#ifndef RB_LOG_H
#define RB_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* The last lines are kept for the admin screen (a line longer than this
 * is cut there; stderr has it whole). */
#define RB_LOG_KEEP 200
#define RB_LOG_LINE_MAX 512

typedef enum {
  RB_LOG_DEBUG,
  RB_LOG_INFO,
  RB_LOG_WARN,
  RB_LOG_ERROR
} rb_log_level;

void rb_log_set_level(rb_log_level min);
void rb_log(rb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The i-th most recent line ("warning: ..."), 0 the newest; false past
 * the last kept. Any thread. */
bool rb_log_recent(int i, char *out, size_t n);
#define rb_log_info(...) rb_log(RB_LOG_INFO, __VA_ARGS__)
#define rb_log_warn(...) rb_log(RB_LOG_WARN, __VA_ARGS__)
#define rb_log_error(...) rb_log(RB_LOG_ERROR, __VA_ARGS__)
#define rb_log_debug(...) rb_log(RB_LOG_DEBUG, __VA_ARGS__)

#endif
