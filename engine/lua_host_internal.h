/* lua_host_internal: what lua_host.c (state, sandbox, budget, resume) and
 * lua_api.c (the routine API globals) share. Not part of any interface. */
#ifndef RB_LUA_HOST_INTERNAL_H
#define RB_LUA_HOST_INTERNAL_H

#include "lua_host.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>

#define LH_PROBLEMS_MAX 16

typedef enum {
  LH_LOADING = 0, /* running the file's top level */
  LH_READY,       /* loaded; run() not started */
  LH_RUNNING,     /* inside run() */
  LH_ENDED        /* run() returned, failed or was killed */
} lh_phase;

struct rb_routine {
  lua_State *L;       /* main thread: setup and protected helpers only */
  lua_State *co;      /* the thread running run() (or the top level) */
  lua_State *running; /* thread inside lua_resume now, else NULL */
  int nyielded;       /* values the last yield left on co's stack */
  lh_phase phase;
  unsigned seed;
  rb_limits limits;
  rb_meta meta;
  rb_routine_hooks hooks;
  char lang[32]; /* the patient's, for texts given per language */
  /* what a routine makes the host keep or write: calls that take no time
   * in this resume, bytes recorded and printed in the session */
  int quick_calls;
  size_t record_bytes, print_bytes;
  bool print_dropped;
  /* pain_check("before") of this run, for the rule on a rise */
  bool has_pain_before;
  double pain_before;

  /* memory cap */
  size_t mem_used;
  bool mem_refused; /* the cap refused an allocation */

  /* instruction budget of the current resume */
  long instructions;
  int hook_step;
  struct timespec t0;
  double last_hook_ms; /* when the count hook last ran (ms into the run) */
  /* the line the count hook last saw, for the sentry's thread */
  atomic_int seen_line;
  bool killed;
  char kill_msg[RB_ERROR_MAX];

  /* the request being built by an API call, and the final one */
  rb_request req;
  rb_request last;
  cJSON *assess_opts;

  /* show{figure = ...} was said to do nothing yet (once a routine) */

  /* problems found by the last routine{} call (for `check`) */
  char problems[LH_PROBLEMS_MAX][RB_ERROR_MAX];
  int nproblems;
  int routine_line; /* line of the last routine{} call, 0 when none */
};

/* Registry keys (strings, so they cannot clash with luaL_ref integers). */
#define LH_REG_ENV "rebalance.env"
#define LH_REG_MADE "rebalance.made" /* routine{} handle -> meta box */
#define LH_REG_RUN "rebalance.run"
#define LH_REG_CO "rebalance.co"
#define LH_REG_LIBS "rebalance.libs" /* use(): name -> value */
#define LH_REG_JSONBOX "rebalance.jsonbox"

static inline rb_routine *lh_get(lua_State *L) {
  return *(rb_routine **)lua_getextraspace(L);
}

/* lua_host.c */
double lh_elapsed_ms(const rb_routine *r);
/* Line of the innermost Lua frame at or above level; 0 when none. */
/* lua_guard.c: the env's string and table libraries get bounds on the
 * calls that can run long inside C (string.rep, patterns, table.move,
 * insert, remove, sort). */
void lh_guard_libs(lua_State *L, int env);
/* lua_blocks.c: for a syntax error at error_line, the block that
 * probably lacks its `end` ("the 'for' at line 3 has no 'end'"), found
 * by indentation; false when none stands out. */
bool lh_block_hint(const char *path, int error_line, char *out, size_t n);
int lh_caller_line(lua_State *L, int level);
/* Raises "PATH:LINE: message" with the line of the nearest Lua caller. */
int lh_fail(lua_State *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Formats "PATH:LINE: message" for the nearest Lua caller into out. */
void lh_where_fmt(lua_State *L, char *out, size_t n, const char *fmt,
                  va_list ap) __attribute__((format(printf, 4, 0)));
/* Around a call of the caller's hooks (show, record, print, lookups):
 * counts it, notes the routine's line for the sentry, and after it stops
 * should the sentry have given the thread up meanwhile (sentry.h). */
void lh_hooks_enter(rb_routine *r);
void lh_hooks_leave(void);

/* lua_api.c */
/* Puts the API functions (routine, say, hold ...) into the table at env. */
void lh_api_open(lua_State *L, int env);
/* Converts the value at idx into a new cJSON tree (record, assess opts).
 * Raises errors naming fn; never leaks on error. */
cJSON *lh_api_to_json(lua_State *L, int idx, const char *fn);
/* Pushes a reply as a Lua value; returns how many values (0 or 1). */
int lh_api_push_json(lua_State *L, const cJSON *v, int depth);
/* lua_lookup.c: API 1.1 history, last_session and param */
int lh_lookup_history(lua_State *L);
int lh_lookup_last_session(lua_State *L);
int lh_lookup_param(lua_State *L);
/* Closest name to `name` in names (edit distance <= 2), or NULL. */
const char *lh_api_suggest(const char *name, const char *const *names);
/* Edit distance, capped (used for "did you mean"). */
int lh_api_distance(const char *a, const char *b);

#endif
