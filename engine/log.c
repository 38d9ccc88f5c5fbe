#include "log.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The log is the process's one channel to the people running it, written
 * from the main thread and the store's and speech's workers: its level
 * and the ring of recent lines (for the admin screen) are process-wide,
 * the ring behind a spin lock (SDL's: no allocation, no init order). */
static rb_log_level min_level = RB_LOG_INFO; /* set once from main */
static SDL_SpinLock ring_lock;
static char ring[RB_LOG_KEEP][RB_LOG_LINE_MAX];
static unsigned ring_next; /* lines ever kept */

void rb_log_set_level(rb_log_level min) { min_level = min; }

void rb_log(rb_log_level level, const char *fmt, ...) {
  static const char *const names[] = {"debug", "info", "warning", "error"};
  char line[RB_LOG_LINE_MAX];
  int k;
  va_list ap;
  if (level < min_level)
    return;
  k = snprintf(line, sizeof line, "%s: ", names[level]);
  va_start(ap, fmt);
  {
    /* one write per line, so the writer thread's lines never land inside
     * another's; a line longer than the buffer goes whole to stderr */
    va_list again;
    int len = -1;
    char *whole = NULL;
    va_copy(again, ap);
    if (k > 0 && (size_t)k < sizeof line)
      len = vsnprintf(line + k, sizeof line - (size_t)k, fmt, ap);
    if (len >= (int)(sizeof line - (size_t)k) &&
        (whole = malloc((size_t)len + 1)) != NULL)
      vsnprintf(whole, (size_t)len + 1, fmt, again);
    va_end(again);
    if (whole)
      fprintf(stderr, "rebalance: %s: %s\n", names[level], whole);
    else
      fprintf(stderr, "rebalance: %s\n", line);
    free(whole);
  }
  va_end(ap);
  SDL_AtomicLock(&ring_lock);
  memcpy(ring[ring_next % RB_LOG_KEEP], line, sizeof line);
  ring_next++;
  SDL_AtomicUnlock(&ring_lock);
}

bool rb_log_recent(int i, char *out, size_t n) {
  bool ok = false;
  if (i < 0 || n == 0)
    return false;
  SDL_AtomicLock(&ring_lock);
  if ((unsigned)i < ring_next && i < RB_LOG_KEEP) {
    snprintf(out, n, "%s", ring[(ring_next - 1 - (unsigned)i) % RB_LOG_KEEP]);
    ok = true;
  }
  SDL_AtomicUnlock(&ring_lock);
  return ok;
}
