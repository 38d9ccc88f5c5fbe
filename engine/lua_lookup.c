/* lua_lookup: API 1.1's reads of the patient's past. history(key [, n]),
 * last_session([routine_id]) and param(name, default) take no time and
 * answer from the routine's lookup hooks (the results store); without
 * them a routine sees no history, no last session and its defaults, so
 * `check` and `simulate` run every routine the same. */
#include "lua_host_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static rb_routine *running(lua_State *L, const char *fn) {
  rb_routine *r = lh_get(L);
  if (r->phase != LH_RUNNING)
    lh_fail(L, "%s() can only be used inside run()", fn);
  return r;
}

static void text_arg(lua_State *L, int idx, const char *fn, const char *what,
                     char *out, size_t n) {
  size_t len;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING)
    lh_fail(L, "%s: %s must be a string (got %s)", fn, what,
            luaL_typename(L, idx));
  s = lua_tolstring(L, idx, &len);
  if (len == 0 || len >= n || memchr(s, '\0', len))
    lh_fail(L, "%s: %s must be 1 to %zu bytes of text", fn, what, n - 1);
  memcpy(out, s, len + 1);
}

int lh_lookup_history(lua_State *L) {
  rb_routine *r = running(L, "history");
  char key[RB_SHORT_MAX];
  lua_Integer n = 10;
  cJSON *list = NULL;
  if (lua_gettop(L) > 2)
    lh_fail(L, "history: takes a key and how many (got %d values)",
            lua_gettop(L));
  text_arg(L, 1, "history", "the key", key, sizeof key);
  if (!lua_isnoneornil(L, 2)) {
    lua_Number x;
    if (lua_type(L, 2) != LUA_TNUMBER)
      lh_fail(L, "history: how many must be a number (got %s)",
              luaL_typename(L, 2));
    /* a count out of range is clamped, not an error: asking for 0 or
     * 1000 past values has an obvious meaning */
    x = lua_tonumber(L, 2);
    n = !(x >= 1) ? 1 : x > 100 ? 100 : (lua_Integer)x;
  }
  if (r->hooks.history) {
    lh_hooks_enter(r);
    list = r->hooks.history(r->hooks.ud, key, (int)n);
    lh_hooks_leave();
  }
  if (!list || !lh_api_push_json(L, list, 0))
    lua_newtable(L);
  cJSON_Delete(list);
  return 1;
}

int lh_lookup_last_session(lua_State *L) {
  rb_routine *r = running(L, "last_session");
  char id[RB_SHORT_MAX] = "";
  cJSON *o = NULL;
  if (lua_gettop(L) > 1)
    lh_fail(L, "last_session: takes a routine id or nothing (got %d values)",
            lua_gettop(L));
  if (!lua_isnoneornil(L, 1))
    text_arg(L, 1, "last_session", "the routine id", id, sizeof id);
  if (r->hooks.last_session) {
    lh_hooks_enter(r);
    o = r->hooks.last_session(r->hooks.ud, id);
    lh_hooks_leave();
  }
  if (!o || !lh_api_push_json(L, o, 0))
    lua_pushnil(L);
  cJSON_Delete(o);
  return 1;
}

static bool yes_no(const char *s, bool *out) {
  static const char *const yes[] = {"yes", "true", "on", "1"};
  static const char *const no[] = {"no", "false", "off", "0"};
  for (size_t i = 0; i < 4; i++) {
    if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
      *out = strcasecmp(s, yes[i]) == 0;
      return true;
    }
  }
  return false;
}

/* param(name, default): the therapist's value in the type of default; a
 * value that is not of that type is said in the log, and the default
 * used (a typo of the therapist's never stops a patient's routine). */
int lh_lookup_param(lua_State *L) {
  rb_routine *r = running(L, "param");
  char name[RB_SHORT_MAX], value[RB_TEXT_MAX];
  int type;
  bool found = false;
  if (lua_gettop(L) != 2)
    lh_fail(L,
            "param: takes a name and a default, like param(\"hold_s\", "
            "30) (got %d values)",
            lua_gettop(L));
  text_arg(L, 1, "param", "the name", name, sizeof name);
  type = lua_type(L, 2);
  if (type != LUA_TNUMBER && type != LUA_TSTRING && type != LUA_TBOOLEAN)
    lh_fail(L,
            "param: the default must be a number, a string or a boolean "
            "(got %s)",
            luaL_typename(L, 2));
  if (r->hooks.param) {
    lh_hooks_enter(r);
    found = r->hooks.param(r->hooks.ud, name, value, sizeof value);
    lh_hooks_leave();
  }
  lua_settop(L, 2);
  if (!found)
    return 1; /* the default */
  if (type == LUA_TSTRING) {
    lua_pushstring(L, value);
    return 1;
  }
  if (type == LUA_TBOOLEAN) {
    bool b;
    if (yes_no(value, &b)) {
      lua_pushboolean(L, b);
      return 1;
    }
  } else {
    char *end;
    double x = strtod(value, &end);
    while (isspace((unsigned char)*end))
      end++;
    bool whole = x == floor(x) && fabs(x) < 1e15;
    /* an integer default wants a count: 7.5 reps is a typo, not 7 */
    if (end != value && !*end && isfinite(x) &&
        (whole || !lua_isinteger(L, 2))) {
      if (whole && lua_isinteger(L, 2))
        lua_pushinteger(L, (lua_Integer)x);
      else
        lua_pushnumber(L, x);
      return 1;
    }
  }
  if (r->hooks.print) {
    char where[RB_TEXT_MAX + 16], msg[RB_SHORT_MAX + RB_TEXT_MAX + 160];
    int line = lh_caller_line(L, 1);
    snprintf(where, sizeof where, "%s:%d", r->meta.path, line > 0 ? line : 1);
    snprintf(msg, sizeof msg,
             "param(\"%s\"): the value set, '%s', is not a %s; the default "
             "is used",
             name, value,
             type == LUA_TBOOLEAN  ? "yes or no"
             : lua_isinteger(L, 2) ? "whole number"
                                   : "number");
    lh_hooks_enter(r);
    r->hooks.print(r->hooks.ud, where, msg);
    lh_hooks_leave();
  }
  return 1;
}
