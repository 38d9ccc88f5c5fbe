/* lua_host: one sandboxed lua_State per routine, its memory cap and
 * instruction budget, loading the file and resuming run().
 *
 * Everything the Lua side needs hangs off the rb_routine, which the state
 * finds through its extra space (copied into every new thread), so there
 * is no global state. The API globals live in lua_api.c. */
#include "lua_host_internal.h"
#include "sentry.h"

#include <errno.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The count hook fires every LH_HOOK_STEP instructions: often enough to
 * stop a runaway loop within milliseconds of its budget, rare enough to
 * cost nothing measurable. */
#define LH_HOOK_STEP 1000
/* What a routine can make the host do between two steps, and print. */
#define LH_QUICK_CALLS 2000        /* show, record, print, lookups */
#define LH_PRINT_LINE 1024         /* bytes of one print() line */
#define LH_PRINT_BYTES (64 * 1024) /* print() output in a session */
/* Allocations this big also look at the clock, so a loop of expensive C
 * calls (string.rep of megabytes) is caught between two hook counts. */
#define LH_BIG_ALLOC ((size_t)64 << 10)
/* Hook calls further apart than this (each instruction calls C that takes
 * long: a print of a megabyte) make the step smaller, so the budget is
 * seen within milliseconds of its end on a slow machine too. */
#define LH_HOOK_SLOW_MS 10.0
#define LH_TRACE_FRAMES 8

static void lh_hook(lua_State *L, lua_Debug *ar);

/* --- time and budget ----------------------------------------------------- */

static double lh_diff_ms(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) * 1e3 +
         (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

double lh_elapsed_ms(const rb_routine *r) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  /* the caller's hooks count too: the budget is what the patient waits */
  return lh_diff_ms(&r->t0, &now);
}

void lh_hooks_enter(rb_routine *r) {
  /* where a host function blocked, should it never come back */
  if (r->running)
    atomic_store_explicit(&r->seen_line, lh_caller_line(r->running, 0),
                          memory_order_relaxed);
  r->quick_calls++;
}

void lh_hooks_leave(void) {
  rb_sentry_pass(); /* given up on while held in it: go no further */
}

/* Caps the routine's memory. Shrinking never fails, so Lua can always
 * free its way out of a refused allocation. */
static void *lh_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  rb_routine *r = ud;
  size_t old = ptr ? osize : 0;
  void *p;
  if (nsize == 0) {
    free(ptr);
    r->mem_used -= old;
    return NULL;
  }
  if (nsize > old && nsize - old > r->limits.memory_bytes - r->mem_used) {
    r->mem_refused = true;
    return NULL;
  }
  if (nsize >= LH_BIG_ALLOC && r->running && !r->killed &&
      lh_elapsed_ms(r) > r->limits.wall_ms) {
    /* Over time inside a C function: make the very next instruction run
     * the hook, which kills the routine. */
    r->hook_step = 1;
    lua_sethook(r->running, lh_hook, LUA_MASKCOUNT, 1);
  }
  p = realloc(ptr, nsize);
  if (!p)
    return NULL;
  r->mem_used = r->mem_used - old + nsize;
  return p;
}

/* The budget. Once over, the routine is killed for good: yielding from a
 * count hook unwinds past any pcall. Where a yield is impossible (a Lua
 * callback under a C function such as string.gsub), raise an error and
 * keep firing on every instruction, so each pcall that catches it fails
 * again at its next instruction until a yieldable point is reached. */
static void lh_hook(lua_State *L, lua_Debug *ar) {
  rb_routine *r = lh_get(L);
  if (!r->killed) {
    int line = 0;
    bool chatty, stopping;
    double now_ms = lh_elapsed_ms(r);
    r->instructions += r->hook_step;
    if (now_ms - r->last_hook_ms > LH_HOOK_SLOW_MS && r->hook_step > 1) {
      r->hook_step = r->hook_step > 8 ? r->hook_step / 8 : 1;
      lua_sethook(L, lh_hook, LUA_MASKCOUNT, r->hook_step);
    }
    r->last_hook_ms = now_ms;
    if (lua_getinfo(L, "l", ar))
      line = ar->currentline;
    if (line > 0)
      atomic_store_explicit(&r->seen_line, line, memory_order_relaxed);
    chatty = r->quick_calls > LH_QUICK_CALLS;
    stopping = rb_sentry_stop_asked();
    if (r->instructions <= r->limits.instructions &&
        now_ms <= r->limits.wall_ms && !chatty && !stopping)
      return;
    if (line <= 0)
      line = lh_caller_line(L, 0);
    r->killed = true;
    if (stopping)
      snprintf(r->kill_msg, sizeof r->kill_msg,
               "%s:%d: routine stopped: the coach is stopping", r->meta.path,
               line > 0 ? line : 1);
    else if (chatty) /* each call is kept or written: a loop would fill memory
                      */
      snprintf(r->kill_msg, sizeof r->kill_msg,
               "%s:%d: routine made more than %d show, record or print "
               "calls without a step (a loop without a pause?)",
               r->meta.path, line > 0 ? line : 1, LH_QUICK_CALLS);
    else
      snprintf(r->kill_msg, sizeof r->kill_msg,
               "%s:%d: routine ran too long without a pause (runaway loop?)",
               r->meta.path, line > 0 ? line : 1);
    r->hook_step = 1;
    lua_sethook(L, lh_hook, LUA_MASKCOUNT, 1);
  }
  if (lua_isyieldable(L)) {
    lua_yield(L, 0);
    return;
  }
  lua_pushstring(L, r->kill_msg);
  lua_error(L);
}

/* --- positions and errors ------------------------------------------------ */

int lh_caller_line(lua_State *L, int level) {
  lua_Debug ar;
  for (; lua_getstack(L, level, &ar); level++)
    if (lua_getinfo(L, "l", &ar) && ar.currentline > 0)
      return ar.currentline;
  return 0;
}

void lh_where_fmt(lua_State *L, char *out, size_t n, const char *fmt,
                  va_list ap) {
  rb_routine *r = lh_get(L);
  const char *file = r->meta.path;
  int line = 0, k;
  lua_Debug ar;
  /* the file of the calling code: the routine, or a helper it use()s */
  for (int level = 1; lua_getstack(L, level, &ar); level++)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      line = ar.currentline;
      if (ar.source && ar.source[0] == '@')
        file = ar.source + 1;
      break;
    }
  if (line <= 0)
    line = r->meta.line > 0 ? r->meta.line : 1;
  k = snprintf(out, n, "%s:%d: ", file, line);
  if (k < 0 || (size_t)k >= n)
    return;
  vsnprintf(out + k, n - (size_t)k, fmt, ap);
}

int lh_fail(lua_State *L, const char *fmt, ...) {
  char msg[RB_ERROR_MAX];
  va_list ap;
  va_start(ap, fmt);
  lh_where_fmt(L, msg, sizeof msg, fmt, ap);
  va_end(ap);
  lua_pushstring(L, msg);
  return lua_error(L);
}

static bool lh_has_position(const char *m, const char *prefix) {
  size_t n = strlen(prefix);
  return n > 0 && strncmp(m, prefix, n) == 0 && m[n] == ':' &&
         m[n + 1] >= '0' && m[n + 1] <= '9';
}

/* Lua abbreviates long paths in its messages to "...tail:LINE:"; returns
 * where ":LINE:" starts when the tail is the end of path, else NULL. */
static const char *lh_abbreviated(const char *m, const char *path) {
  size_t pl = strlen(path);
  if (strncmp(m, "...", 3) != 0)
    return NULL;
  for (const char *c = strchr(m + 3, ':'); c; c = strchr(c + 1, ':')) {
    size_t tl = (size_t)(c - (m + 3));
    if (c[1] >= '0' && c[1] <= '9' && tl > 0 && tl <= pl &&
        strncmp(path + pl - tl, m + 3, tl) == 0)
      return c;
  }
  return NULL;
}

/* Gives a message the routine's "PATH:LINE: " prefix: keeps Lua's own,
 * expands Lua's abbreviation of long paths, or adds the line given. */
static void lh_positioned(const rb_routine *r, const char *m, int line,
                          char *out, size_t n) {
  const char *rest, *slash = strrchr(r->meta.path, '/');
  char lib[RB_TEXT_MAX + 8];
  /* a helper's own position (lib/NAME.lua beside the routine, use()) */
  snprintf(lib, sizeof lib, "%.*slib/",
           slash ? (int)(slash - r->meta.path + 1) : 0, r->meta.path);
  if (lh_has_position(m, r->meta.path) ||
      (strncmp(m, lib, strlen(lib)) == 0 && strstr(m, ".lua:")))
    snprintf(out, n, "%s", m);
  else if ((rest = lh_abbreviated(m, r->meta.path)) != NULL)
    snprintf(out, n, "%s%s", r->meta.path, rest);
  else
    snprintf(out, n, "%s:%d: %s", r->meta.path, line > 0 ? line : 1, m);
}

/* One line per Lua frame of the thread, innermost first. */
static void lh_traceback(const rb_routine *r, lua_State *T, char *out,
                         size_t n) {
  lua_Debug ar;
  size_t len = 0;
  int frames = 0;
  out[0] = '\0';
  for (int level = 0; frames < LH_TRACE_FRAMES && lua_getstack(T, level, &ar);
       level++) {
    int k;
    const char *file;
    if (!lua_getinfo(T, "Sln", &ar) || ar.currentline <= 0)
      continue;
    file = ar.source && ar.source[0] == '@' ? ar.source + 1 : r->meta.path;
    if (*ar.what == 'm')
      k = snprintf(out + len, n - len, "%s  %s:%d: in the file's top level",
                   frames ? "\n" : "", file, ar.currentline);
    else if (ar.name)
      k = snprintf(out + len, n - len, "%s  %s:%d: in function '%s'",
                   frames ? "\n" : "", file, ar.currentline, ar.name);
    else
      k = snprintf(out + len, n - len, "%s  %s:%d: in the function at line %d",
                   frames ? "\n" : "", file, ar.currentline, ar.linedefined);
    if (k < 0 || (size_t)k >= n - len)
      break;
    len += (size_t)k;
    frames++;
  }
}

/* Fills out as RB_REQ_ERROR from the error object on top of S (status is
 * what Lua returned) and the stack of frames (NULL when no Lua ran).
 * Allocates nothing from Lua, so it is safe after a memory error. */
static void lh_set_error(rb_routine *r, lua_State *S, int status,
                         lua_State *frames, rb_request *out) {
  char msg[RB_ERROR_MAX];
  int line = frames ? lh_caller_line(frames, 0) : 0;
  if (line <= 0)
    line = r->meta.line;
  out->kind = RB_REQ_ERROR;
  out->line = line;
  if (r->killed) {
    snprintf(out->error, sizeof out->error, "%s", r->kill_msg);
  } else if (status == LUA_ERRMEM) {
    if (r->mem_refused)
      snprintf(msg, sizeof msg,
               "routine used more than its %g MiB of memory (is a table or a "
               "string growing forever?)",
               (double)r->limits.memory_bytes / (1024.0 * 1024.0));
    else
      snprintf(msg, sizeof msg, "not enough memory");
    lh_positioned(r, msg, line, out->error, sizeof out->error);
  } else {
    switch (lua_type(S, -1)) {
    case LUA_TSTRING:
      snprintf(msg, sizeof msg, "%s", lua_tostring(S, -1));
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(S, -1))
        snprintf(msg, sizeof msg, "%lld", (long long)lua_tointeger(S, -1));
      else
        snprintf(msg, sizeof msg, "%.14g", (double)lua_tonumber(S, -1));
      break;
    case LUA_TNONE:
    case LUA_TNIL:
      snprintf(msg, sizeof msg, "error with no message");
      break;
    default:
      snprintf(msg, sizeof msg, "error with a %s value instead of a message",
               luaL_typename(S, -1));
      break;
    }
    lh_positioned(r, msg, line, out->error, sizeof out->error);
  }
  if (frames)
    lh_traceback(r, frames, out->traceback, sizeof out->traceback);
}

static void lh_set_errorf(rb_routine *r, rb_request *out, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lh_set_errorf(rb_routine *r, rb_request *out, const char *fmt,
                          ...) {
  va_list ap;
  (void)r;
  memset(out, 0, sizeof *out);
  out->kind = RB_REQ_ERROR;
  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
}

/* Ends the routine for good; later resumes repeat this request. */
static rb_req_kind lh_end(rb_routine *r, rb_request *out) {
  r->phase = LH_ENDED;
  out->assess_opts = NULL;
  r->last = *out;
  if (r->L)
    lua_settop(r->L, 0);
  return out->kind;
}

/* --- the sandbox --------------------------------------------------------- */

/* print goes to the caller's hook with the routine's FILE:LINE. */
static int lh_print(lua_State *L) {
  rb_routine *r = lh_get(L);
  int n = lua_gettop(L);
  char where[RB_TEXT_MAX + 16];
  luaL_Buffer b;
  if (!r->hooks.print)
    return 0;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    if (i > 1)
      luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  snprintf(where, sizeof where, "%s:%d", r->meta.path, lh_caller_line(L, 1));
  {
    /* print() is for the author: a line is cut at 1 KiB and a session
     * prints at most 64 KiB, so a loop cannot fill the disk with log */
    size_t len;
    const char *msg = lua_tolstring(L, -1, &len);
    char line[LH_PRINT_LINE + 32];
    if (r->print_bytes >= LH_PRINT_BYTES) {
      if (!r->print_dropped) {
        r->print_dropped = true;
        lh_hooks_enter(r);
        r->hooks.print(r->hooks.ud, where,
                       "(print: 64 KiB printed; the rest of this session's "
                       "print() output is dropped)");
        lh_hooks_leave();
      }
      return 0;
    }
    snprintf(line, sizeof line, "%.*s%s",
             (int)(len > LH_PRINT_LINE ? LH_PRINT_LINE : len), msg,
             len > LH_PRINT_LINE ? " (cut)" : "");
    r->print_bytes += strlen(line) + 1;
    lh_hooks_enter(r);
    r->hooks.print(r->hooks.ud, where, line);
    lh_hooks_leave();
  }
  return 0;
}

/* Only "count": a routine must not steer the collector. */
static int lh_collectgarbage(lua_State *L) {
  if (lua_type(L, 1) != LUA_TSTRING || strcmp(lua_tostring(L, 1), "count"))
    return lh_fail(L, "collectgarbage: only collectgarbage(\"count\") is "
                      "allowed in a routine");
  lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
                        (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
  return 1;
}

/* setmetatable without __gc: a finalizer would run routine code at
 * arbitrary moments (even inside lua_close), outside any budget. */
static int lh_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return lh_fail(L, "setmetatable: __gc is not allowed in a routine");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return lh_fail(L, "setmetatable: cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/* pairs in a fixed order: numbers ascending, then strings bytewise, then
 * other keys. Lua's own order follows a per-state random hash seed, so a
 * routine looping over a table with pairs would not replay the same way
 * twice (simulate timelines, the session's preview). next is untouched. */
typedef struct {
  lua_Number v;
  lua_Integer i;
  int isint;
} lh_nkey;

typedef struct {
  const char *s;
  size_t len;
} lh_skey;

static int lh_cmp_nkey(const void *a, const void *b) {
  const lh_nkey *x = a, *y = b;
  if (x->v != y->v)
    return x->v < y->v ? -1 : 1;
  return y->isint - x->isint;
}

static int lh_cmp_skey(const void *a, const void *b) {
  const lh_skey *x = a, *y = b;
  int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int lh_pairs_next(lua_State *L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
  for (;;) {
    i++;
    if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL)
      return 1;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
      break;
    lua_pop(L, 2); /* removed while iterating: skip it */
  }
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(3));
  return 2;
}

static int lh_pairs(lua_State *L) {
  size_t nnum = 0, nstr = 0, inum = 0, istr = 0;
  lua_Integer pos;
  lh_nkey *nums;
  lh_skey *strs;
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    nnum += lua_type(L, -1) == LUA_TNUMBER;
    nstr += lua_type(L, -1) == LUA_TSTRING;
  }
  nums = lua_newuserdatauv(L, nnum * sizeof *nums + 1, 0); /* 2 */
  strs = lua_newuserdatauv(L, nstr * sizeof *strs + 1, 0); /* 3 */
  lua_newtable(L);                                         /* 4: keys */
  pos = (lua_Integer)(nnum + nstr);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TNUMBER && inum < nnum) {
      nums[inum].isint = lua_isinteger(L, -1);
      nums[inum].i = lua_tointeger(L, -1);
      nums[inum++].v = lua_tonumber(L, -1);
    } else if (lua_type(L, -1) == LUA_TSTRING && istr < nstr) {
      /* the key string stays alive: t holds it and nothing changes t */
      strs[istr].s = lua_tolstring(L, -1, &strs[istr].len);
      istr++;
    } else {
      lua_pushvalue(L, -1);
      lua_rawseti(L, 4, ++pos);
    }
  }
  qsort(nums, inum, sizeof *nums, lh_cmp_nkey);
  qsort(strs, istr, sizeof *strs, lh_cmp_skey);
  for (size_t i = 0; i < inum; i++) {
    if (nums[i].isint)
      lua_pushinteger(L, nums[i].i);
    else
      lua_pushnumber(L, nums[i].v);
    lua_rawseti(L, 4, (lua_Integer)i + 1);
  }
  for (size_t i = 0; i < istr; i++) {
    lua_pushlstring(L, strs[i].s, strs[i].len);
    lua_rawseti(L, 4, (lua_Integer)(inum + i) + 1);
  }
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 4);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, lh_pairs_next, 3);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

static const char *const lh_forbidden[] = {
    "io",       "os",      "require", "package",   "load",
    "loadfile", "dofile",  "debug",   "coroutine", "loadstring",
    "module",   "setfenv", "getfenv", "_G",        NULL};

static void lh_consider(const char *name, const char *cand, char *best,
                        size_t n, int *bestd) {
  int d;
  if (!cand || cand[0] == '(' || strcmp(name, cand) == 0)
    return;
  d = lh_api_distance(name, cand);
  if (d < *bestd) {
    *bestd = d;
    snprintf(best, n, "%s", cand);
  }
}

/* Reading a global nobody set is almost always a typo in a routine, so it
 * is an error (as Redis does for scripts), with a suggestion. */
static int lh_unknown_global(lua_State *L) {
  char best[64] = "";
  int bestd = 3;
  const char *name;
  lua_Debug ar;
  if (lua_type(L, 2) != LUA_TSTRING) {
    lua_pushnil(L);
    return 1;
  }
  name = lua_tostring(L, 2);
  for (int i = 0; lh_forbidden[i]; i++)
    if (strcmp(name, lh_forbidden[i]) == 0)
      return lh_fail(L, "'%s' is not available in routines", name);
  /* the caller's locals and upvalues first: they win a tie */
  if (lua_getstack(L, 1, &ar)) {
    const char *nm;
    for (int i = 1; (nm = lua_getlocal(L, &ar, i)) != NULL; i++) {
      lh_consider(name, nm, best, sizeof best, &bestd);
      lua_pop(L, 1);
    }
    if (lua_getinfo(L, "f", &ar)) {
      for (int i = 1; (nm = lua_getupvalue(L, -1, i)) != NULL; i++) {
        lh_consider(name, nm, best, sizeof best, &bestd);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING)
      lh_consider(name, lua_tostring(L, -1), best, sizeof best, &bestd);
  }
  if (best[0] && bestd < (int)strlen(name))
    return lh_fail(L, "unknown name '%s' (did you mean '%s'?)", name, best);
  return lh_fail(L,
                 "unknown name '%s' (a typo, or a variable used before it is "
                 "set?)",
                 name);
}

/* Leaves a shallow copy of the global library `name`, without the names
 * in skip, on top of the stack and stores it in env. */
static void lh_copy_lib(lua_State *L, int env, const char *name,
                        const char *skip) {
  int lib, copy;
  lua_getglobal(L, name);
  lib = lua_gettop(L);
  lua_newtable(L);
  copy = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, lib)) {
    if (skip && lua_type(L, -2) == LUA_TSTRING &&
        strcmp(lua_tostring(L, -2), skip) == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, copy);
  }
  lua_pushvalue(L, copy);
  lua_setfield(L, env, name);
  lua_remove(L, lib);
}

/* Builds the sandbox and loads the file into a fresh thread (r->co).
 * Runs protected: any allocation here may fail. */
static int lh_setup(lua_State *L) {
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},        {LUA_MATHLIBNAME, luaopen_math},
      {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
      {LUA_UTF8LIBNAME, luaopen_utf8},  {NULL, NULL}};
  static const char *const base[] = {
      "assert", "error",    "ipairs",       "next", "pcall",    "xpcall",
      "select", "tonumber", "tostring",     "type", "rawequal", "rawget",
      "rawlen", "rawset",   "getmetatable", NULL};
  static const luaL_Reg wrapped[] = {{"print", lh_print},
                                     {"collectgarbage", lh_collectgarbage},
                                     {"setmetatable", lh_setmetatable},
                                     {"pairs", lh_pairs},
                                     {NULL, NULL}};
  rb_routine *r = lh_get(L);
  lua_State *co;
  int env, status;

  for (int i = 0; libs[i].name; i++) {
    luaL_requiref(L, libs[i].name, libs[i].func, 1);
    lua_pop(L, 1);
  }
  /* Seed the generator the copied math.random shares, so a session
   * replays identically; randomseed itself is left out of the sandbox. */
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, (lua_Integer)r->seed);
  lua_call(L, 1, 0);
  lua_pop(L, 1);

  lua_newtable(L);
  env = lua_gettop(L);
  for (int i = 0; base[i]; i++) {
    lua_getglobal(L, base[i]);
    lua_setfield(L, env, base[i]);
  }
  lua_pushvalue(L, env);
  luaL_setfuncs(L, wrapped, 0);
  lua_pop(L, 1);
  lh_copy_lib(L, env, LUA_MATHLIBNAME, "randomseed");
  lua_pop(L, 1);
  lh_copy_lib(L, env, LUA_TABLIBNAME, NULL);
  lua_pop(L, 1);
  lh_copy_lib(L, env, LUA_UTF8LIBNAME, NULL);
  lua_pop(L, 1);
  lh_copy_lib(L, env, LUA_STRLIBNAME, "dump");
  /* ("").dump must not find the real string library through the string
   * metatable, and getmetatable("") must not hand that metatable out. */
  lua_pushliteral(L, "");
  if (!lua_getmetatable(L, -1))
    return luaL_error(L, "string metatable missing");
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 3);

  lh_api_open(L, env);
  lh_guard_libs(L, env);

  lua_newtable(L);
  lua_pushcfunction(L, lh_unknown_global);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, env);

  lua_pushvalue(L, env);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_ENV);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_MADE);

  /* Text only: a precompiled chunk can crash the VM. */
  status = luaL_loadfilex(L, r->meta.path, "t");
  if (status == LUA_ERRSYNTAX && lua_isstring(L, -1) &&
      !strstr(lua_tostring(L, -1), "(to close")) {
    /* where Lua gave up is often far from the block that lacks its end */
    const char *m = lua_tostring(L, -1), *c = strstr(m, ".lua:");
    char hint[128];
    if (c && lh_block_hint(r->meta.path, atoi(c + 5), hint, sizeof hint)) {
      lua_pushfstring(L, "%s (%s)", m, hint);
      lua_remove(L, -2);
    }
  }
  if (status != LUA_OK)
    return lua_error(L);
  lua_pushvalue(L, env);
  if (!lua_setupvalue(L, -2, 1))
    lua_pop(L, 1);

  co = lua_newthread(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_CO);
  lua_xmove(L, co, 1);
  r->co = co;
  return 0;
}

/* Takes the file's first result, which must be a table routine{} made. */
static int lh_take_routine(lua_State *L) {
  rb_routine *r = lh_get(L);
  rb_meta *m = NULL;
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_getfield(L, LUA_REGISTRYINDEX, LH_REG_MADE);
    lua_pushvalue(L, 1);
    lua_rawget(L, -2);
    m = lua_touserdata(L, -1);
  }
  if (!m) {
    if (r->routine_line > 0)
      lua_pushfstring(L,
                      "%s:%d: the file must return routine{...} (write "
                      "'return routine { ... }')",
                      r->meta.path, r->routine_line);
    else
      lua_pushfstring(L, "%s:1: the file must return routine{...}",
                      r->meta.path);
    return lua_error(L);
  }
  memcpy(&r->meta, m, sizeof r->meta);
  lua_getiuservalue(L, -1, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_RUN);
  /* The top-level thread is done; let it be collected. */
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_CO);
  r->co = NULL;
  return 0;
}

/* A fresh thread for run(). */
static int lh_start_run(lua_State *L) {
  rb_routine *r = lh_get(L);
  lua_State *co = lua_newthread(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_CO);
  lua_getfield(L, LUA_REGISTRYINDEX, LH_REG_RUN);
  lua_xmove(L, co, 1);
  r->co = co;
  return 0;
}

static int lh_push_reply(lua_State *L) {
  const cJSON *reply = lua_touserdata(L, 1);
  lua_settop(L, 0);
  return lh_api_push_json(L, reply, 0);
}

/* Calls f(args...) on the main thread in protected mode. */
static int lh_protect(rb_routine *r, lua_CFunction f, int nargs, int nresults) {
  lua_pushcfunction(r->L, f);
  lua_insert(r->L, -(nargs + 1));
  return lua_pcall(r->L, nargs, nresults, 0);
}

static int lh_seen_line(void *ud) {
  rb_routine *r = ud;
  return atomic_load_explicit(&r->seen_line, memory_order_relaxed);
}

/* One resume of co under a fresh budget. */
static int lh_run(rb_routine *r, lua_State *co, int nargs, int *nres) {
  int status;
  clock_gettime(CLOCK_MONOTONIC, &r->t0);
  r->last_hook_ms = 0;
  r->instructions = 0;
  r->quick_calls = 0;
  r->mem_refused = false;
  r->hook_step = r->limits.instructions < LH_HOOK_STEP
                     ? (int)r->limits.instructions
                     : LH_HOOK_STEP;
  lua_sethook(co, lh_hook, LUA_MASKCOUNT, r->hook_step);
  r->running = co;
  atomic_store(&r->seen_line, 0);
  /* the stop from outside, should a C call never come back */
  rb_sentry_enter(&(rb_sentry_watch){.file = r->meta.path,
                                     .budget_ms = r->limits.wall_ms,
                                     .ud = r,
                                     .line = lh_seen_line});
  status = lua_resume(co, r->L, nargs, nres);
  rb_sentry_leave();
  r->running = NULL;
  return status;
}

/* Loads and runs the top level. Never NULL unless out of memory; on
 * failure the routine has ended with the error in r->last. */
static rb_routine *lh_open(const char *path, const rb_limits *limits,
                           unsigned seed) {
  rb_routine *r = calloc(1, sizeof *r);
  FILE *f;
  int status, nres = 0;
  if (!r)
    return NULL;
  if (limits)
    r->limits = *limits;
  if (r->limits.memory_bytes == 0)
    r->limits.memory_bytes = RB_LIMIT_MEMORY_DEFAULT;
  if (r->limits.instructions <= 0)
    r->limits.instructions = RB_LIMIT_INSTRUCTIONS_DEFAULT;
  if (r->limits.wall_ms <= 0)
    r->limits.wall_ms = RB_LIMIT_WALL_MS_DEFAULT;
  r->seed = seed;
  r->phase = LH_LOADING;
  snprintf(r->meta.path, sizeof r->meta.path, "%s", path);
  if (strlen(path) >= sizeof r->meta.path) {
    lh_set_errorf(r, &r->last, "%s: the path is too long", r->meta.path);
    goto fail;
  }
  {
    /* only a regular file: a FIFO named NAME.lua would block the open */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
      lh_set_errorf(r, &r->last, "%s: not a regular file", path);
      goto fail;
    }
  }
  f = fopen(path, "r");
  if (!f) {
    lh_set_errorf(r, &r->last, "%s: cannot read the file: %s", path,
                  strerror(errno));
    goto fail;
  }
  fclose(f);

  r->L = lua_newstate(lh_alloc, r);
  if (!r->L) {
    lh_set_errorf(r, &r->last, "%s:1: not enough memory to load the routine",
                  path);
    goto fail;
  }
  *(rb_routine **)lua_getextraspace(r->L) = r;
  /* New threads copy the main thread's hook. */
  lua_sethook(r->L, lh_hook, LUA_MASKCOUNT, LH_HOOK_STEP);

  status = lh_protect(r, lh_setup, 0, 0);
  if (status != LUA_OK) {
    lh_set_error(r, r->L, status, NULL, &r->last);
    goto fail;
  }
  status = lh_run(r, r->co, 0, &nres);
  if (r->killed || status != LUA_OK) {
    if (status == LUA_YIELD && !r->killed) {
      lua_pushliteral(r->co, "the file's top level paused (unexpected)");
      status = LUA_ERRRUN;
    }
    lh_set_error(r, r->co, status, r->co, &r->last);
    goto fail;
  }
  /* Keep the first result only and take it to the main thread. */
  if (nres == 0)
    lua_pushnil(r->co);
  else
    lua_pop(r->co, nres - 1);
  if (!lua_checkstack(r->L, 2)) {
    lh_set_errorf(r, &r->last, "%s:1: not enough memory", path);
    goto fail;
  }
  lua_xmove(r->co, r->L, 1);
  status = lh_protect(r, lh_take_routine, 1, 0);
  if (status != LUA_OK) {
    lh_set_error(r, r->L, status, NULL, &r->last);
    goto fail;
  }
  r->phase = LH_READY;
  return r;
fail:
  lh_end(r, &r->last);
  return r;
}

/* --- the interface ------------------------------------------------------- */

rb_routine *rb_routine_load(const char *path, const rb_limits *limits,
                            unsigned seed, char *err, size_t errlen) {
  rb_routine *r = lh_open(path, limits, seed);
  if (!r) {
    if (errlen)
      snprintf(err, errlen, "%s:1: not enough memory to load the routine",
               path);
    return NULL;
  }
  if (r->phase == LH_ENDED) {
    if (errlen)
      snprintf(err, errlen, "%s", r->last.error);
    rb_routine_free(r);
    return NULL;
  }
  if (errlen)
    err[0] = '\0';
  return r;
}

void rb_routine_free(rb_routine *r) {
  if (!r)
    return;
  if (r->L) {
    lua_sethook(r->L, NULL, 0, 0);
    lua_close(r->L);
  }
  cJSON_Delete(r->assess_opts);
  free(r);
}

const rb_meta *rb_routine_meta(const rb_routine *r) { return &r->meta; }

void rb_routine_set_language(rb_routine *r, const char *lang) {
  if (r)
    snprintf(r->lang, sizeof r->lang, "%s", lang ? lang : "");
}

void rb_routine_set_hooks(rb_routine *r, const rb_routine_hooks *hooks) {
  if (hooks)
    r->hooks = *hooks;
  else
    memset(&r->hooks, 0, sizeof r->hooks);
}

rb_req_kind rb_routine_resume(rb_routine *r, const cJSON *reply,
                              rb_request *out) {
  int status, nres = 0, nargs = 0;
  memset(out, 0, sizeof *out);
  cJSON_Delete(r->assess_opts);
  r->assess_opts = NULL;
  if (r->phase == LH_ENDED) {
    *out = r->last;
    return out->kind;
  }
  if (r->phase == LH_READY) {
    status = lh_protect(r, lh_start_run, 0, 0);
    if (status != LUA_OK) {
      lh_set_error(r, r->L, status, NULL, out);
      return lh_end(r, out);
    }
    r->phase = LH_RUNNING;
  } else {
    /* The yielded token goes; the reply becomes the call's result. */
    lua_pop(r->co, r->nyielded);
    r->nyielded = 0;
    if (reply) {
      int top = lua_gettop(r->L);
      lua_pushlightuserdata(r->L, (void *)reply);
      status = lh_protect(r, lh_push_reply, 1, LUA_MULTRET);
      if (status != LUA_OK) {
        lh_set_error(r, r->L, status, r->co, out);
        return lh_end(r, out);
      }
      nargs = lua_gettop(r->L) - top;
      if (!lua_checkstack(r->co, nargs + 1)) {
        lh_set_errorf(r, out, "%s:%d: not enough memory", r->meta.path,
                      lh_caller_line(r->co, 0));
        return lh_end(r, out);
      }
      lua_xmove(r->L, r->co, nargs);
    }
  }
  memset(&r->req, 0, sizeof r->req);
  status = lh_run(r, r->co, nargs, &nres);
  if (r->killed) {
    lh_set_error(r, r->co, status, r->co, out);
    return lh_end(r, out);
  }
  switch (status) {
  case LUA_YIELD:
    if (nres == 1 && lua_touserdata(r->co, -1) == r) {
      r->nyielded = nres;
      *out = r->req;
      out->assess_opts = r->assess_opts;
      return out->kind;
    }
    lua_settop(r->co, 0);
    lh_set_errorf(r, out, "%s:%d: the routine paused in an unexpected way",
                  r->meta.path, lh_caller_line(r->co, 0));
    return lh_end(r, out);
  case LUA_OK:
    lua_settop(r->co, 0);
    out->kind = RB_REQ_DONE;
    return lh_end(r, out);
  default:
    lh_set_error(r, r->co, status, r->co, out);
    return lh_end(r, out);
  }
}

int rb_routine_check(const char *path, const rb_limits *limits, FILE *out) {
  rb_routine *r = lh_open(path, limits, 0);
  int n = 0;
  if (!r) {
    fprintf(out, "%s:1: not enough memory to load the routine\n", path);
    return 1;
  }
  if (r->phase == LH_ENDED) {
    /* routine{} reports every field problem at once, not just the first */
    if (r->nproblems > 0 && strcmp(r->problems[0], r->last.error) == 0) {
      for (n = 0; n < r->nproblems; n++)
        fprintf(out, "%s\n", r->problems[n]);
    } else {
      fprintf(out, "%s\n", r->last.error);
      n = 1;
    }
  }
  rb_routine_free(r);
  return n;
}

void rb_routine_meta_of_file(const char *path, rb_meta *out) {
  const char *base = strrchr(path, '/');
  char *dot;
  memset(out, 0, sizeof *out);
  snprintf(out->path, sizeof out->path, "%s", path);
  snprintf(out->id, sizeof out->id, "%s", base ? base + 1 : path);
  dot = strrchr(out->id, '.');
  if (dot)
    *dot = '\0';
}
