/* lua_guard: bounds on the library calls that can run for minutes inside
 * C, where the instruction budget's count hook never fires.
 *
 * string.rep("", math.maxinteger) loops without allocating; a pattern
 * with a few repeats (".-") backtracks for hours over a long text;
 * table.move, insert and remove shift as many elements as a lying __len
 * says. A routine's copies of the string and table libraries get guarded
 * versions of these: each checks the work its arguments ask for and
 * refuses, with the routine's FILE:LINE, what no routine needs, then
 * calls the original (its upvalue). */
#include "lua_host_internal.h"

#include <lualib.h>

#include <math.h>
#include <string.h>

#define GUARD_SHIFT 4000000   /* elements one table call may touch */
#define GUARD_MATCH_STEPS 5e7 /* a pattern's worst case, see below */

/* Calls the original function (upvalue 1) with this call's arguments. */
static int call_original(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

static int guard_rep(lua_State *L) {
  size_t l, lsep = 0;
  luaL_checklstring(L, 1, &l);
  luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  /* nothing repeated is nothing, whatever the count: Lua's own loop
   * would copy zero bytes math.maxinteger times (a longer result meets
   * the memory cap instead) */
  if (l + lsep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  return call_original(L);
}

/* The repeats (*, +, -) in a Lua pattern: each can make the matcher try
 * every length of what is left of the text. */
static int repeats(const char *p, size_t n) {
  int q = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '%') {
      i++; /* an escaped character or a class */
      if (i < n && (p[i] == 'b'))
        i += 2;
      continue;
    }
    if (p[i] == '[') { /* a set: skip to its end */
      i++;
      if (i < n && p[i] == '^')
        i++;
      if (i < n && p[i] == ']')
        i++;
      while (i < n && p[i] != ']')
        i += p[i] == '%' ? 2 : 1;
      continue;
    }
    if ((p[i] == '*' || p[i] == '+' || p[i] == '-') && i > 0)
      q++;
  }
  return q;
}

/* find, match, gmatch, gsub: a match is tried at every start of the text,
 * and each repeat can try every length of the rest: n^(repeats + 1) steps
 * at worst (a pattern anchored with ^ starts once). */
static int guard_pattern(lua_State *L) {
  size_t n, pn;
  const char *name = lua_tostring(L, lua_upvalueindex(2));
  int q;
  double steps;
  luaL_checklstring(L, 1, &n);
  const char *pat = luaL_checklstring(L, 2, &pn);
  if (strcmp(name, "find") == 0 && lua_toboolean(L, 4))
    return call_original(L); /* a plain search */
  q = repeats(pat, pn) + (pn > 0 && pat[0] == '^' ? 0 : 1);
  steps = pow((double)n, (double)q);
  if (q >= 2 && steps > GUARD_MATCH_STEPS)
    return lh_fail(L,
                   "string.%s: a pattern with %d repeats (* + -) over %zu "
                   "bytes of text could run for hours: shorten the text or "
                   "the pattern",
                   name, q - 1, n);
  return call_original(L);
}

/* table.move(a1, f, e, t [, a2]) */
static int guard_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (e >= f && (lua_Unsigned)e - (lua_Unsigned)f >= GUARD_SHIFT)
    return lh_fail(L,
                   "table.move: %llu elements is more than a routine may "
                   "move at once (%d)",
                   (unsigned long long)((lua_Unsigned)e - (lua_Unsigned)f + 1),
                   GUARD_SHIFT);
  return call_original(L);
}

/* table.insert(t, pos, v), table.remove(t, pos), table.sort(t): the
 * elements they shift or compare, as long as #t says (a __len may lie). */
static int guard_shift(lua_State *L) {
  const char *name = lua_tostring(L, lua_upvalueindex(2));
  lua_Integer len, pos, touch;
  luaL_checktype(L, 1, LUA_TTABLE);
  len = luaL_len(L, 1);
  if (strcmp(name, "sort") == 0)
    touch = len * 4; /* n log n compares: a quarter of the shifts */
  else if (strcmp(name, "insert") == 0)
    touch = lua_gettop(L) >= 3 ? len - luaL_checkinteger(L, 2) : 0;
  else { /* remove */
    pos = lua_isnoneornil(L, 2) ? len : luaL_checkinteger(L, 2);
    touch = len - pos;
  }
  if (touch > GUARD_SHIFT || len < 0)
    return lh_fail(L,
                   "table.%s: the table says it has %lld elements, more than "
                   "a routine may shift or sort at once (%d)",
                   name, (long long)len, GUARD_SHIFT);
  return call_original(L);
}

static void guard(lua_State *L, int lib, const char *name, lua_CFunction fn) {
  lua_getfield(L, lib, name);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushstring(L, name);
  lua_pushcclosure(L, fn, 2);
  lua_setfield(L, lib, name);
}

void lh_guard_libs(lua_State *L, int env) {
  static const char *const patterns[] = {"find", "match", "gmatch", "gsub",
                                         NULL};
  static const char *const shifts[] = {"insert", "remove", "sort", NULL};
  int lib;
  env = lua_absindex(L, env);
  lua_getfield(L, env, LUA_STRLIBNAME);
  lib = lua_gettop(L);
  guard(L, lib, "rep", guard_rep);
  for (int i = 0; patterns[i]; i++)
    guard(L, lib, patterns[i], guard_pattern);
  lua_pop(L, 1);
  lua_getfield(L, env, LUA_TABLIBNAME);
  lib = lua_gettop(L);
  guard(L, lib, "move", guard_move);
  for (int i = 0; shifts[i]; i++)
    guard(L, lib, shifts[i], guard_shift);
  lua_pop(L, 1);
}
