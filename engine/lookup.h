/* lookup: what a routine may read of its patient's past (API 1.1:
 * history, last_session, param). The results store provides one
 * (rb_store_lookup); without a store a routine sees no history, no last
 * session and its own defaults. */
#ifndef RB_LOOKUP_H
#define RB_LOOKUP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  void *ud;
  /* The last n (1-100) values of key from earlier sessions, newest first:
   * a new array of { value, date, days_ago } the caller frees. */
  cJSON *(*history)(void *ud, const char *key, int n);
  /* { date, days_ago, status } of the last earlier session (of routine,
   * when not ""), a new object the caller frees; NULL when none. */
  cJSON *(*last_session)(void *ud, const char *routine);
  /* The therapist's value of the routine's parameter name into out;
   * false when none was set. */
  bool (*param)(void *ud, const char *routine, const char *name, char *out,
                size_t n);
} rb_lookup;

#endif
