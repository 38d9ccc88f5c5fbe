#include "notify.h"

#include "log.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#define STATUS_MAX 256

static struct {
  bool read;     /* the environment has been read */
  bool on;       /* NOTIFY_SOCKET is set */
  uint64_t half; /* µs between watchdog feeds, 0: no watchdog */
  uint64_t last; /* µs (CLOCK_MONOTONIC) of the last feed */
  bool fed;      /* one was sent */
  bool ready, stopping;
  bool said_error; /* a failed send is logged once */
} st;

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool rb_notify_init(void) {
  const char *sock = getenv("NOTIFY_SOCKET");
  uint64_t usec = 0;
  int rc;
  memset(&st, 0, sizeof st);
  st.read = true;
  st.on = sock && *sock;
  if (!st.on)
    return false;
  /* > 0: WATCHDOG_USEC is set and WATCHDOG_PID is unset or this process */
  rc = sd_watchdog_enabled(0, &usec);
  if (rc < 0)
    rb_log_warn("systemd watchdog: %s; not fed", strerror(-rc));
  else if (rc > 0 && usec > 0)
    st.half = usec / 2 ? usec / 2 : 1;
  if (st.half)
    rb_log_info("systemd watchdog: every %llu ms, fed every %llu ms",
                (unsigned long long)(usec / 1000),
                (unsigned long long)(st.half / 1000));
  return true;
}

/* Reads the environment at the first call; true when there is a socket. */
static bool on(void) {
  if (!st.read)
    rb_notify_init();
  return st.on;
}

static void send_state(const char *state) {
  int rc = sd_notify(0, state);
  if (rc < 0 && !st.said_error) {
    st.said_error = true;
    rb_log_warn("cannot tell systemd %.*s: %s", (int)strcspn(state, "\n"),
                state, strerror(-rc));
  }
}

void rb_notify_ready(void) {
  if (!on() || st.ready)
    return;
  st.ready = true;
  send_state("READY=1");
}

void rb_notify_status(const char *fmt, ...) {
  char line[STATUS_MAX];
  va_list ap;
  int len;
  if (!on())
    return;
  len = snprintf(line, sizeof line, "STATUS=");
  va_start(ap, fmt);
  vsnprintf(line + len, sizeof line - (size_t)len, fmt, ap);
  va_end(ap);
  for (char *c = line; *c; c++)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  send_state(line);
}

void rb_notify_alive(void) {
  uint64_t now;
  if (!on() || !st.half)
    return;
  now = now_us();
  if (st.fed && now - st.last < st.half)
    return;
  st.fed = true;
  st.last = now;
  send_state("WATCHDOG=1");
}

int rb_notify_timeout(int timeout_ms) {
  uint64_t now, due, left;
  if (!on() || !st.half)
    return timeout_ms;
  if (!st.fed)
    return 0;
  now = now_us();
  due = st.last + st.half;
  /* rounded up: the wait ends when the feed is due, not just before */
  left = due <= now ? 0 : (due - now + 999) / 1000;
  if (left > INT_MAX)
    left = INT_MAX;
  return timeout_ms < 0 || (int)left < timeout_ms ? (int)left : timeout_ms;
}

void rb_notify_stopping(void) {
  if (!on() || st.stopping)
    return;
  st.stopping = true;
  send_state("STOPPING=1");
}

long long rb_notify_watchdog_ms(void) {
  return on() ? (long long)(st.half * 2 / 1000) : 0;
}
