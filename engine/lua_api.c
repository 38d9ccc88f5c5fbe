/* lua_api: the globals a routine calls (DESIGN.md, "Lua routine API,
 * version 1"), their validation, and cJSON <-> Lua conversion.
 *
 * Calls that take time fill r->req and yield a private token (the
 * rb_routine pointer as a light userdata, which routine code never sees);
 * lua_host.c turns that into an rb_request and pushes the reply as the
 * call's result. Every mistake is an error at the caller's FILE:LINE. */
#include "api_spec.h"
#include "lua_host_internal.h"
#include "phrases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LH_JSON_DEPTH 16
#define LH_JSON_NODES 2000
#define LH_JSON_STRING_MAX 4096
#define LH_JSON_KEY_MAX 128        /* a table key in a recorded value */
#define LH_JSON_BYTES (256 * 1024) /* one recorded value, keys included */
#define LH_RECORD_BYTES (4 << 20)  /* everything recorded in a session */
#define LH_REPLY_DEPTH 32

/* --- small helpers ------------------------------------------------------- */

/* Edit distance where swapping two neighbours counts as one edit, the
 * commonest typo ("sied" for "side"). */
int lh_api_distance(const char *a, const char *b) {
  int d[33][33];
  size_t la = strlen(a), lb = strlen(b);
  if (la > 32 || lb > 32)
    return 99;
  for (size_t i = 0; i <= la; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < v)
        v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v)
        v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[la][lb];
}

const char *lh_api_suggest(const char *name, const char *const *names) {
  const char *best = NULL;
  int bestd = 3;
  for (int i = 0; names[i]; i++) {
    int d = lh_api_distance(name, names[i]);
    if (d < bestd && d < (int)strlen(name)) {
      bestd = d;
      best = names[i];
    }
  }
  return best;
}

static void lh_numstr(double v, char *buf, size_t n) {
  if (isnan(v))
    snprintf(buf, n, "nan");
  else if (isinf(v))
    snprintf(buf, n, v > 0 ? "inf" : "-inf");
  else
    snprintf(buf, n, "%.14g", v);
}

/* "string \"abc\"", "table", "nil": what a wrong value was. */
static void lh_describe(lua_State *L, int idx, char *buf, size_t n) {
  if (lua_type(L, idx) == LUA_TSTRING)
    snprintf(buf, n, "string \"%.40s\"", lua_tostring(L, idx));
  else if (lua_type(L, idx) == LUA_TNUMBER) {
    char num[48];
    lh_numstr(lua_tonumber(L, idx), num, sizeof num);
    snprintf(buf, n, "%s", num);
  } else
    snprintf(buf, n, "%s", luaL_typename(L, idx));
}

/* Text goes to the screen and the voice: well-formed UTF-8, no NUL. */
static bool lh_utf8_ok(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    size_t k;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0)
      return false;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      k = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      k = 2;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      k = 3;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    } else
      return false;
    if (i + k >= n)
      return false;
    for (size_t j = 1; j <= k; j++) {
      unsigned char d = (unsigned char)s[i + j];
      if (j == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF))
        return false;
    }
    i += k + 1;
  }
  return true;
}

static rb_routine *lh_need_run(lua_State *L, const char *fn, bool waits) {
  rb_routine *r = lh_get(L);
  if (r->phase != LH_RUNNING)
    lh_fail(L, "%s() can only be used inside run()", fn);
  if (waits && !lua_isyieldable(L))
    lh_fail(L,
            "%s() cannot wait here: it is called from inside a function that "
            "a library calls back (such as string.gsub or table.sort)",
            fn);
  return r;
}

static void lh_max_args(lua_State *L, const char *fn, int max) {
  if (lua_gettop(L) > max)
    lh_fail(L, "%s: takes %s (got %d values)", fn,
            max == 1 ? "one value" : "at most two values", lua_gettop(L));
}

static void lh_begin(lua_State *L, rb_routine *r, rb_req_kind kind) {
  memset(&r->req, 0, sizeof r->req);
  r->req.kind = kind;
  r->req.line = lh_caller_line(L, 1);
}

static int lh_yield(lua_State *L, rb_routine *r) {
  lua_pushlightuserdata(L, r);
  return lua_yield(L, 1);
}

/* --- option tables ------------------------------------------------------- */

/* Pushes t[key] without metamethods, like the key check sees it. */
static int lh_rawfield(lua_State *L, int t, const char *key) {
  lua_pushstring(L, key);
  return lua_rawget(L, t);
}

static void lh_need_table(lua_State *L, int idx, const char *fn,
                          const char *example) {
  if (lua_type(L, idx) != LUA_TTABLE) {
    char got[64];
    lh_describe(L, idx, got, sizeof got);
    lh_fail(L, "%s: expected a table like %s (got %s)", fn, example, got);
  }
}

/* Every key must be a known name: a typo must not pass silently. */
static void lh_check_keys(lua_State *L, int t, const char *fn,
                          const char *prefix, const char *const *known,
                          const char *example) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k, *hint;
    bool found = false;
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      lh_fail(L, "%s: every value needs a name, like %s", fn, example);
    k = lua_tostring(L, -1);
    for (int i = 0; known[i] && !found; i++)
      found = strcmp(k, known[i]) == 0;
    if (found)
      continue;
    hint = lh_api_suggest(k, known);
    if (hint)
      lh_fail(L, "%s: unknown field '%s%s' (did you mean '%s%s'?)", fn, prefix,
              k, prefix, hint);
    else {
      char list[256] = "";
      size_t len = 0;
      for (int i = 0; known[i]; i++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s%s", i ? ", " : "",
                         prefix, known[i]);
        if (w < 0 || (size_t)w >= sizeof list - len)
          break;
        len += (size_t)w;
      }
      lh_fail(L, "%s: unknown field '%s%s' (known fields: %s)", fn, prefix, k,
              list);
    }
  }
}

/* The keys of an option table as api_spec.c lists them, NULL-ended. */
static void lh_class_names(const char *cls,
                           const char *names[RB_API_KEYS_MAX + 1]) {
  const rb_api_key *k = rb_api_class(cls);
  int n = 0;
  for (; k && k[n].name && n < RB_API_KEYS_MAX; n++)
    names[n] = k[n].name;
  names[n] = NULL;
}

static void lh_check_class(lua_State *L, int idx, const char *fn,
                           const char *prefix, const char *cls,
                           const char *example) {
  const char *names[RB_API_KEYS_MAX + 1];
  lh_class_names(cls, names);
  lh_check_keys(L, idx, fn, prefix, names, example);
}

static void lh_check_range(lua_State *L, const char *fn, const char *key,
                           double v, double lo, double hi, bool integer) {
  char got[48];
  if (isfinite(v) && v >= lo && v <= hi && (!integer || v == floor(v)))
    return;
  lh_numstr(v, got, sizeof got);
  lh_fail(L, "%s: %s must be %sbetween %g and %g (got %s)", fn, key,
          integer ? "a whole number " : "", lo, hi, got);
}

/* Checks the number at idx; key names it in messages. */
static double lh_check_number(lua_State *L, int idx, const char *fn,
                              const char *key, double lo, double hi,
                              bool integer) {
  double v;
  if (lua_type(L, idx) != LUA_TNUMBER) {
    char got[64];
    lh_describe(L, idx, got, sizeof got);
    lh_fail(L, "%s: %s must be a number (got %s)", fn, key, got);
  }
  v = (double)lua_tonumber(L, idx);
  lh_check_range(L, fn, key, v, lo, hi, integer);
  return v;
}

/* Reads t[key] as a number; def when absent and not required. */
static double lh_field_number(lua_State *L, int t, const char *fn,
                              const char *key, bool required, double def,
                              double lo, double hi, bool integer) {
  double v = def;
  if (lh_rawfield(L, t, key) == LUA_TNIL) {
    if (required)
      lh_fail(L, "%s: %s is required", fn, key);
  } else
    v = lh_check_number(L, -1, fn, key, lo, hi, integer);
  lua_pop(L, 1);
  return v;
}

/* Checks the string at idx and copies it to buf (size n). */
static void lh_check_string(lua_State *L, int idx, const char *fn,
                            const char *key, char *buf, size_t n,
                            bool nonempty) {
  size_t len;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING) {
    char got[64];
    lh_describe(L, idx, got, sizeof got);
    lh_fail(L, "%s: %s must be a string (got %s)", fn, key, got);
  }
  s = lua_tolstring(L, idx, &len);
  if (nonempty && len == 0)
    lh_fail(L, "%s: %s must not be empty", fn, key);
  if (len >= n)
    lh_fail(L, "%s: %s is too long (%zu bytes, at most %zu)", fn, key, len,
            n - 1);
  if (!lh_utf8_ok(s, len))
    lh_fail(L, "%s: %s is not valid UTF-8 text", fn, key);
  memcpy(buf, s, len + 1);
}

/* Tries lang ("de-AT": then "de") in the language table at idx; pushes
 * the text and returns true when there is one. */
static bool lh_text_in(lua_State *L, int idx, const char *lang) {
  char primary[32];
  size_t n;
  if (!lang || !*lang)
    return false;
  lua_getfield(L, idx, lang);
  if (!lua_isnil(L, -1))
    return true;
  lua_pop(L, 1);
  n = strcspn(lang, "-_");
  if (lang[n] == '\0' || n >= sizeof primary)
    return false;
  memcpy(primary, lang, n);
  primary[n] = '\0';
  lua_getfield(L, idx, primary);
  if (!lua_isnil(L, -1))
    return true;
  lua_pop(L, 1);
  return false;
}

/* API 1.1: a text may be a table of languages, { en = "...", de = "..." },
 * picked in the patient's language, then the routine's, then English.
 * Reads the text at idx into buf as lh_check_string does. */
static void lh_check_text(lua_State *L, int idx, const char *fn,
                          const char *key, char *buf, size_t n, bool nonempty) {
  rb_routine *r = lh_get(L);
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE) {
    lh_check_string(L, idx, fn, key, buf, n, nonempty);
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
      lh_fail(L,
              "%s: %s as a table of languages takes texts by language code, "
              "like { en = \"Breathe out.\", de = \"Ausatmen.\" }",
              fn, key);
    lua_pop(L, 1);
  }
  if (!lh_text_in(L, idx, r->lang) && !lh_text_in(L, idx, r->meta.language) &&
      !lh_text_in(L, idx, "en"))
    lh_fail(L, "%s: %s has no text in English (en)%s%s", fn, key,
            r->lang[0] ? " nor in the patient's language, " : "", r->lang);
  lh_check_string(L, -1, fn, key, buf, n, nonempty);
  lua_pop(L, 1);
}

/* Reads t[key] as a text (a string or a table of languages). */
static bool lh_field_text(lua_State *L, int t, const char *fn, const char *key,
                          bool required, char *buf, size_t n) {
  bool present = lh_rawfield(L, t, key) != LUA_TNIL;
  buf[0] = '\0';
  if (present)
    lh_check_text(L, -1, fn, key, buf, n, required);
  else if (required)
    lh_fail(L, "%s: %s is required", fn, key);
  lua_pop(L, 1);
  return present;
}

/* Reads t[key] as a string into buf; false (buf "") when absent. */
static bool lh_field_string(lua_State *L, int t, const char *fn,
                            const char *key, bool required, char *buf,
                            size_t n) {
  bool present = lh_rawfield(L, t, key) != LUA_TNIL;
  buf[0] = '\0';
  if (present)
    lh_check_string(L, -1, fn, key, buf, n, required);
  else if (required)
    lh_fail(L, "%s: %s is required", fn, key);
  lua_pop(L, 1);
  return present;
}

static void lh_field_side(lua_State *L, int t, const char *fn, char *side) {
  side[0] = '\0';
  if (lh_rawfield(L, t, "side") != LUA_TNIL) {
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (!s || (strcmp(s, "left") && strcmp(s, "right"))) {
      char got[64];
      lh_describe(L, -1, got, sizeof got);
      lh_fail(L, "%s: side must be \"left\" or \"right\" (got %s)", fn, got);
      return; /* not reached: lh_fail raises */
    }
    snprintf(side, 8, "%s", s);
  }
  lua_pop(L, 1);
}

/* A positional number or {seconds = n}: countdown(5), rest{seconds = 5}. */
static double lh_seconds_arg(lua_State *L, const char *fn, double hi) {
  char example[48];
  lh_max_args(L, fn, 1);
  snprintf(example, sizeof example, "%s(10)", fn);
  if (lua_type(L, 1) == LUA_TTABLE) {
    lh_check_class(L, 1, fn, "", "rebalance.seconds", example);
    return lh_field_number(L, 1, fn, "seconds", true, 0, 1, hi, false);
  }
  if (lua_isnone(L, 1))
    lh_fail(L, "%s: seconds are required, like %s", fn, example);
  return lh_check_number(L, 1, fn, "seconds", 1, hi, false);
}

/* --- cJSON <-> Lua ------------------------------------------------------- */

/* While a tree is built it hangs off a userdata whose __gc frees it, so
 * an error half way (a bad value, out of memory) cannot leak it. */
typedef struct {
  cJSON *root;
  int nodes;
  size_t bytes; /* of text, keys included */
} lh_jsonbox;

static int lh_jsonbox_gc(lua_State *L) {
  lh_jsonbox *b = lua_touserdata(L, 1);
  if (b) {
    cJSON_Delete(b->root);
    b->root = NULL;
  }
  return 0;
}

static void lh_json_add(lua_State *L, lh_jsonbox *b, cJSON *parent,
                        const char *key, cJSON *item, const char *fn) {
  cJSON_bool added;
  if (!item)
    lh_fail(L, "%s: not enough memory", fn);
  if (!parent) {
    b->root = item;
    return;
  }
  added = cJSON_IsArray(parent) ? cJSON_AddItemToArray(parent, item)
                                : cJSON_AddItemToObject(parent, key, item);
  if (!added) {
    cJSON_Delete(item);
    lh_fail(L, "%s: not enough memory", fn);
  }
}

static void lh_json_value(lua_State *L, int idx, const char *fn, lh_jsonbox *b,
                          cJSON *parent, const char *key, int depth);

static int lh_key_cmp(const void *a, const void *b) {
  return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

/* Lua walks a table in hash order, which differs from one state to the
 * next: object keys are sorted so a timeline repeats exactly. */
static void lh_json_sort(lua_State *L, cJSON *obj) {
  int n = cJSON_GetArraySize(obj), i = 0;
  cJSON **items, *c;
  if (n < 2)
    return;
  /* a userdata, so a memory error here leaks nothing */
  items = lua_newuserdatauv(L, (size_t)n * sizeof *items, 0);
  for (c = obj->child; c; c = c->next)
    items[i++] = c;
  qsort(items, (size_t)n, sizeof *items, lh_key_cmp);
  for (i = 0; i < n; i++) {
    /* cJSON keeps the tail in the first item's prev */
    items[i]->prev = items[i == 0 ? n - 1 : i - 1];
    items[i]->next = i + 1 < n ? items[i + 1] : NULL;
  }
  obj->child = items[0];
  lua_pop(L, 1);
}

static void lh_json_table(lua_State *L, int idx, const char *fn, lh_jsonbox *b,
                          cJSON *parent, const char *key, int depth) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
  bool array = n > 0;
  cJSON *node;
  if (depth >= LH_JSON_DEPTH)
    lh_fail(L, "%s: value is nested too deeply (or contains itself)", fn);
  luaL_checkstack(L, 4, "value nested too deeply");
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int kt = lua_type(L, -2);
    lua_pop(L, 1);
    count++;
    if (kt != LUA_TSTRING && kt != LUA_TNUMBER)
      lh_fail(L, "%s: table keys must be strings or numbers (got %s)", fn,
              lua_typename(L, kt));
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
        lua_tointeger(L, -1) > n)
      array = false;
  }
  array = array && count == n;
  node = array ? cJSON_CreateArray() : cJSON_CreateObject();
  lh_json_add(L, b, parent, key, node, fn);
  if (array) {
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, i);
      lh_json_value(L, lua_gettop(L), fn, b, node, NULL, depth + 1);
      lua_pop(L, 1);
    }
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    char kbuf[48];
    const char *k;
    if (lua_type(L, -2) == LUA_TSTRING)
      k = lua_tostring(L, -2);
    else if (lua_isinteger(L, -2)) {
      snprintf(kbuf, sizeof kbuf, "%lld", (long long)lua_tointeger(L, -2));
      k = kbuf;
    } else {
      lh_numstr((double)lua_tonumber(L, -2), kbuf, sizeof kbuf);
      k = kbuf;
    }
    lh_json_value(L, lua_gettop(L), fn, b, node, k, depth + 1);
    lua_pop(L, 1);
  }
  lh_json_sort(L, node);
}

static void lh_json_value(lua_State *L, int idx, const char *fn, lh_jsonbox *b,
                          cJSON *parent, const char *key, int depth) {
  if (++b->nodes > LH_JSON_NODES)
    lh_fail(L, "%s: value is too big (more than %d parts)", fn, LH_JSON_NODES);
  /* the keys count too: two thousand keys of one long text would cost
   * gigabytes once copied */
  if (key) {
    size_t kl = strlen(key);
    if (kl > LH_JSON_KEY_MAX)
      lh_fail(L, "%s: a key is too long (%zu bytes, at most %d)", fn, kl,
              LH_JSON_KEY_MAX);
    b->bytes += kl;
  }
  if (lua_type(L, idx) == LUA_TSTRING)
    b->bytes += lua_rawlen(L, idx);
  if (b->bytes > LH_JSON_BYTES)
    lh_fail(L, "%s: value is too big (more than %d KiB of text)", fn,
            LH_JSON_BYTES / 1024);
  switch (lua_type(L, idx)) {
  case LUA_TBOOLEAN:
    lh_json_add(L, b, parent, key, cJSON_CreateBool(lua_toboolean(L, idx)), fn);
    break;
  case LUA_TNUMBER: {
    double v = (double)lua_tonumber(L, idx);
    if (!isfinite(v)) {
      char got[16];
      lh_numstr(v, got, sizeof got);
      lh_fail(L, "%s: numbers must be finite (got %s)", fn, got);
    }
    lh_json_add(L, b, parent, key, cJSON_CreateNumber(v), fn);
    break;
  }
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (len > LH_JSON_STRING_MAX)
      lh_fail(L, "%s: text is too long (%zu bytes, at most %d)", fn, len,
              LH_JSON_STRING_MAX);
    if (!lh_utf8_ok(s, len))
      lh_fail(L, "%s: text is not valid UTF-8", fn);
    lh_json_add(L, b, parent, key, cJSON_CreateString(s), fn);
    break;
  }
  case LUA_TTABLE:
    lh_json_table(L, idx, fn, b, parent, key, depth);
    break;
  default:
    lh_fail(L, "%s: cannot store a %s value", fn, luaL_typename(L, idx));
  }
}

cJSON *lh_api_to_json(lua_State *L, int idx, const char *fn) {
  lh_jsonbox *b;
  cJSON *root;
  idx = lua_absindex(L, idx);
  b = lua_newuserdatauv(L, sizeof *b, 0);
  b->root = NULL;
  b->nodes = 0;
  b->bytes = 0;
  luaL_setmetatable(L, LH_REG_JSONBOX);
  lh_json_value(L, idx, fn, b, NULL, NULL, 0);
  root = b->root;
  b->root = NULL;
  lua_pop(L, 1);
  return root;
}

int lh_api_push_json(lua_State *L, const cJSON *v, int depth) {
  const cJSON *c;
  if (!v)
    return 0;
  if (depth > LH_REPLY_DEPTH)
    return luaL_error(L, "reply nested too deeply");
  luaL_checkstack(L, 4, "reply nested too deeply");
  if (cJSON_IsBool(v))
    lua_pushboolean(L, cJSON_IsTrue(v));
  else if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    /* 3 stays 3, not 3.0, so answers print and compare as typed */
    if (d == floor(d) && fabs(d) < 9007199254740992.0)
      lua_pushinteger(L, (lua_Integer)d);
    else
      lua_pushnumber(L, (lua_Number)d);
  } else if (cJSON_IsString(v))
    lua_pushstring(L, v->valuestring ? v->valuestring : "");
  else if (cJSON_IsArray(v)) {
    lua_Integer i = 1;
    lua_createtable(L, cJSON_GetArraySize(v), 0);
    cJSON_ArrayForEach(c, v) {
      if (lh_api_push_json(L, c, depth + 1))
        lua_rawseti(L, -2, i);
      i++;
    }
  } else if (cJSON_IsObject(v)) {
    lua_newtable(L);
    cJSON_ArrayForEach(c, v) {
      if (!c->string)
        continue;
      lua_pushstring(L, c->string);
      if (lh_api_push_json(L, c, depth + 1))
        lua_rawset(L, -3);
      else
        lua_pop(L, 1);
    }
  } else
    lua_pushnil(L);
  return 1;
}

/* --- routine{} ----------------------------------------------------------- */

static void lh_problem(lua_State *L, rb_routine *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lh_problem(lua_State *L, rb_routine *r, const char *fmt, ...) {
  va_list ap;
  if (r->nproblems >= LH_PROBLEMS_MAX)
    return;
  va_start(ap, fmt);
  lh_where_fmt(L, r->problems[r->nproblems++], RB_ERROR_MAX, fmt, ap);
  va_end(ap);
}

static bool lh_id_ok(const char *s, const char *extra) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
          strchr(extra, *s)))
      return false;
  return true;
}

/* A metadata string: problems are collected, not raised, so `check`
 * reports every one. Returns true when usable. */
static bool lh_meta_string(lua_State *L, rb_routine *r, int t, const char *key,
                           bool required, char *buf, size_t n) {
  size_t len;
  const char *s;
  bool good = false;
  int kind;
  buf[0] = '\0';
  kind = lh_rawfield(L, t, key);
  if (kind == LUA_TTABLE &&
      (strcmp(key, "title") == 0 || strcmp(key, "summary") == 0)) {
    /* API 1.1: a title per language, as the home screen shows it: in the
     * routine's language, else English */
    char lang[32] = "";
    int tt = lua_gettop(L);
    if (lh_rawfield(L, t, "language") == LUA_TSTRING)
      snprintf(lang, sizeof lang, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    if (lh_text_in(L, tt, lang) || lh_text_in(L, tt, "en")) {
      lua_remove(L, tt); /* the text stands where the table was */
      kind = lua_type(L, -1);
    } else {
      lh_problem(L, r, "routine{}: %s has no text in English (en)", key);
      lua_pop(L, 1);
      return false;
    }
  }
  switch (kind) {
  case LUA_TNIL:
    if (required)
      lh_problem(L, r, "routine{}: %s is required", key);
    break;
  case LUA_TSTRING:
    s = lua_tolstring(L, -1, &len);
    if (required && len == 0)
      lh_problem(L, r, "routine{}: %s must not be empty", key);
    else if (len >= n)
      lh_problem(L, r, "routine{}: %s is too long (%zu bytes, at most %zu)",
                 key, len, n - 1);
    else if (!lh_utf8_ok(s, len))
      lh_problem(L, r, "routine{}: %s is not valid UTF-8 text", key);
    else {
      memcpy(buf, s, len + 1);
      good = true;
    }
    break;
  default: {
    char got[64];
    lh_describe(L, -1, got, sizeof got);
    lh_problem(L, r, "routine{}: %s must be a string (got %s)", key, got);
  }
  }
  lua_pop(L, 1);
  return good;
}

static void lh_meta_list(lua_State *L, rb_routine *r, int t, const char *key,
                         char list[][RB_SHORT_MAX], int *count) {
  lua_Integer n, keys = 0;
  int lt;
  *count = 0;
  lt = lh_rawfield(L, t, key);
  if (lt == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (lt != LUA_TTABLE) {
    lh_problem(L, r, "routine{}: %s must be a list like {\"knee\", \"hip\"}",
               key);
    lua_pop(L, 1);
    return;
  }
  n = (lua_Integer)lua_rawlen(L, -1);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    keys++;
  }
  if (keys != n) {
    lh_problem(L, r, "routine{}: %s must be a list like {\"knee\", \"hip\"}",
               key);
  } else if (n > RB_LIST_MAX) {
    lh_problem(L, r, "routine{}: %s has %lld entries (at most %d)", key,
               (long long)n, RB_LIST_MAX);
  } else {
    for (lua_Integer i = 1; i <= n; i++) {
      size_t len;
      const char *s;
      if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
        lh_problem(L, r, "routine{}: %s[%lld] must be a string", key,
                   (long long)i);
      } else {
        s = lua_tolstring(L, -1, &len);
        if (len == 0 || len >= RB_SHORT_MAX || !lh_utf8_ok(s, len))
          lh_problem(L, r, "routine{}: %s[%lld] must be text of 1 to %d bytes",
                     key, (long long)i, RB_SHORT_MAX - 1);
        else
          memcpy(list[(*count)++], s, len + 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

/* routine{...}: checks the metadata, collecting every problem (for
 * `check`) and raising the first, and returns a handle the host
 * recognises as the file's result. */
static int lh_routine(lua_State *L) {
  rb_routine *r = lh_get(L);
  rb_meta m;
  char got[64];
  int rt;
  const char *fields[RB_API_KEYS_MAX + 1];
  lh_class_names("rebalance.routine", fields);
  memset(&m, 0, sizeof m);
  snprintf(m.path, sizeof m.path, "%s", r->meta.path);
  m.line = lh_caller_line(L, 1);
  r->routine_line = m.line;
  r->nproblems = 0;
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TTABLE) {
    lh_problem(L, r,
               "routine: expected a table like routine { id = \"...\", title "
               "= \"...\", run = function() ... end }");
    goto fail;
  }
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      lh_problem(L, r,
                 "routine{}: every value needs a name, like id = \"...\"");
      continue;
    }
    const char *k = lua_tostring(L, -1), *hint;
    bool found = false;
    for (int i = 0; fields[i] && !found; i++)
      found = strcmp(k, fields[i]) == 0;
    if (found)
      continue;
    hint = lh_api_suggest(k, fields);
    if (hint)
      lh_problem(L, r, "unknown field '%s' in routine{} (did you mean '%s'?)",
                 k, hint);
    else
      lh_problem(L, r, "unknown field '%s' in routine{}", k);
  }

  if (lh_meta_string(L, r, 1, "id", true, m.id, sizeof m.id) &&
      !lh_id_ok(m.id, "-"))
    lh_problem(L, r,
               "routine{}: id must use only lowercase letters, digits and "
               "'-' (got \"%s\")",
               m.id);
  lh_meta_string(L, r, 1, "title", true, m.title, sizeof m.title);
  lh_meta_string(L, r, 1, "summary", false, m.summary, sizeof m.summary);
  if (lh_meta_string(L, r, 1, "language", false, m.language,
                     sizeof m.language) &&
      m.language[0] && !lh_id_ok(m.language, "-_ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    lh_problem(L, r,
               "routine{}: language must be a language code like \"en\" "
               "(got \"%s\")",
               m.language);
  lh_meta_list(L, r, 1, "areas", m.areas, &m.nareas);
  lh_meta_list(L, r, 1, "equipment", m.equipment, &m.nequipment);

  if (lh_rawfield(L, 1, "minutes") != LUA_TNIL) {
    double v =
        lua_type(L, -1) == LUA_TNUMBER ? (double)lua_tonumber(L, -1) : NAN;
    if (!isfinite(v) || v <= 0 || v > 600) {
      lh_describe(L, -1, got, sizeof got);
      lh_problem(L, r,
                 "routine{}: minutes must be a number more than 0 and at most "
                 "600 (got %s)",
                 got);
    } else
      m.minutes = v;
  }
  lua_pop(L, 1);

  rt = lh_rawfield(L, 1, "run");
  if (rt == LUA_TNIL)
    lh_problem(L, r, "routine{}: run is required (run = function() ... end)");
  else if (rt != LUA_TFUNCTION || lua_iscfunction(L, -1)) {
    lh_describe(L, -1, got, sizeof got);
    lh_problem(L, r,
               "routine{}: run must be a function written in the routine "
               "(got %s)",
               rt == LUA_TFUNCTION ? "a built-in function" : got);
  }
  lua_pop(L, 1);
  if (r->nproblems > 0)
    goto fail;

  /* The handle: a copy of the fields, so a routine can read R.id. The
   * meta it was checked into lives out of the routine's reach. */
  lua_settop(L, 1);
  lua_createtable(L, 0, 8);
  for (int i = 0; fields[i]; i++) {
    lh_rawfield(L, 1, fields[i]);
    lua_setfield(L, 2, fields[i]);
  }
  memcpy(lua_newuserdatauv(L, sizeof m, 1), &m, sizeof m);
  lh_rawfield(L, 1, "run");
  lua_setiuservalue(L, 3, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LH_REG_MADE);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  lua_settop(L, 2);
  return 1;
fail:
  lua_pushstring(L, r->problems[0]);
  return lua_error(L);
}

/* --- calls that take no time ------------------------------------------- */

static int lh_show(lua_State *L) {
  static const char *example = "show{title = \"...\", text = \"...\"}";
  rb_routine *r = lh_need_run(L, "show", false);
  char title[RB_SHORT_MAX], text[RB_TEXT_MAX], figure[RB_SHORT_MAX], side[8];
  lh_max_args(L, "show", 1);
  lh_need_table(L, 1, "show", example);
  lh_check_class(L, 1, "show", "", "rebalance.show", example);
  lh_field_text(L, 1, "show", "title", false, title, sizeof title);
  lh_field_text(L, 1, "show", "text", false, text, sizeof text);
  lh_field_string(L, 1, "show", "figure", false, figure, sizeof figure);
  lh_field_side(L, 1, "show", side);
  if (r->hooks.show) {
    lh_hooks_enter(r);
    r->hooks.show(r->hooks.ud, title, text, side, figure);
    lh_hooks_leave();
  }
  return 0;
}

static int lh_record(lua_State *L) {
  static const char *example = "record(\"reach\", 12, {label = \"Reach\", "
                               "unit = \"cm\"})";
  rb_routine *r = lh_need_run(L, "record", false);
  char key[RB_SHORT_MAX], label[RB_SHORT_MAX] = "", unit[32] = "";
  cJSON *value;
  if (lua_gettop(L) > 3)
    lh_fail(L,
            "record: takes a key, a value and {label, unit} (got %d "
            "values)",
            lua_gettop(L));
  if (lua_isnone(L, 1))
    lh_fail(L, "record: expected a key and a value, like record(\"pain\", 3)");
  lh_check_string(L, 1, "record", "key", key, sizeof key, true);
  if (lua_isnoneornil(L, 2))
    lh_fail(L, "record: the value for '%s' is missing (nil)", key);
  if (!lua_isnoneornil(L, 3)) {
    /* API 1.1: how screens and exports name it */
    lh_need_table(L, 3, "record", example);
    lh_check_class(L, 3, "record", "", "rebalance.record", example);
    lh_field_string(L, 3, "record", "label", false, label, sizeof label);
    lh_field_string(L, 3, "record", "unit", false, unit, sizeof unit);
  }
  value = lh_api_to_json(L, 2, "record");
  {
    /* a session keeps what it records (screens, the store, exports) */
    char *text = cJSON_PrintUnformatted(value);
    size_t n = (text ? strlen(text) : 0) + strlen(key);
    free(text);
    if (r->record_bytes + n > LH_RECORD_BYTES) {
      cJSON_Delete(value);
      lh_fail(L,
              "record: the session has recorded %d MiB already: record "
              "less, or less often",
              LH_RECORD_BYTES >> 20);
    }
    r->record_bytes += n;
  }
  if (r->hooks.record) {
    lh_hooks_enter(r);
    r->hooks.record(r->hooks.ud, key, value, label, unit);
    lh_hooks_leave();
  } else
    cJSON_Delete(value);
  return 0;
}

static int lh_sides_next(lua_State *L) {
  static const char *const order[2][2] = {{"left", "right"}, {"right", "left"}};
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(1));
  int right = lua_toboolean(L, lua_upvalueindex(2));
  if (i >= 2)
    return 0;
  lua_pushinteger(L, i + 1);
  lua_replace(L, lua_upvalueindex(1));
  lua_pushstring(L, order[right][i]);
  return 1;
}

static int lh_sides(lua_State *L) {
  bool right = false;
  lh_max_args(L, "sides", 1);
  if (!lua_isnoneornil(L, 1)) {
    const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    if (!s || (strcmp(s, "left") && strcmp(s, "right"))) {
      char got[64];
      lh_describe(L, 1, got, sizeof got);
      return lh_fail(L, "sides: first must be \"left\" or \"right\" (got %s)",
                     got);
    }
    right = strcmp(s, "right") == 0;
  }
  lua_pushinteger(L, 0);
  lua_pushboolean(L, right);
  lua_pushcclosure(L, lh_sides_next, 2);
  return 1;
}

/* --- calls that take time ------------------------------------------------ */

static int lh_say(lua_State *L) {
  rb_routine *r = lh_need_run(L, "say", true);
  lh_max_args(L, "say", 1);
  lh_begin(L, r, RB_REQ_SAY);
  if (lua_isnone(L, 1))
    lh_fail(L, "say: expected the text to say, like say(\"Breathe out.\")");
  lh_check_text(L, 1, "say", "text", r->req.text, sizeof r->req.text, true);
  return lh_yield(L, r);
}

static int lh_wait_next(lua_State *L) {
  rb_routine *r = lh_need_run(L, "wait_next", true);
  lh_max_args(L, "wait_next", 1);
  lh_begin(L, r, RB_REQ_WAIT_NEXT);
  if (!lua_isnoneornil(L, 1))
    lh_check_text(L, 1, "wait_next", "prompt", r->req.text, sizeof r->req.text,
                  false);
  return lh_yield(L, r);
}

static int lh_countdown(lua_State *L) {
  rb_routine *r = lh_need_run(L, "countdown", true);
  lh_begin(L, r, RB_REQ_COUNTDOWN);
  r->req.seconds = lh_seconds_arg(L, "countdown", 600);
  return lh_yield(L, r);
}

static int lh_rest(lua_State *L) {
  rb_routine *r = lh_need_run(L, "rest", true);
  lh_begin(L, r, RB_REQ_REST);
  r->req.seconds = lh_seconds_arg(L, "rest", 3600);
  return lh_yield(L, r);
}

/* The start of a call that takes one options table and waits: inside
 * run(), one argument, a table with only the documented keys. */
static rb_routine *lh_table_call(lua_State *L, const char *fn, rb_req_kind kind,
                                 const char *example) {
  rb_routine *r = lh_need_run(L, fn, true);
  char cls[48];
  lh_max_args(L, fn, 1);
  lh_begin(L, r, kind);
  lh_need_table(L, 1, fn, example);
  snprintf(cls, sizeof cls, "rebalance.%s", fn);
  lh_check_class(L, 1, fn, "", cls, example);
  return r;
}

static int lh_hold(lua_State *L) {
  static const char *example = "hold{seconds = 30}";
  rb_routine *r = lh_table_call(L, "hold", RB_REQ_HOLD, example);
  rb_request *q = &r->req;
  q->seconds =
      lh_field_number(L, 1, "hold", "seconds", true, 0, 1, 3600, false);
  q->reps = (int)lh_field_number(L, 1, "hold", "reps", false, 1, 1, 100, true);
  q->rest = lh_field_number(L, 1, "hold", "rest", false, 0, 0, 3600, false);
  lh_field_side(L, 1, "hold", q->side);
  lh_field_text(L, 1, "hold", "cue", false, q->cue, sizeof q->cue);
  return lh_yield(L, r);
}

static int lh_reps(lua_State *L) {
  static const char *example = "reps{count = 10}";
  rb_routine *r = lh_table_call(L, "reps", RB_REQ_REPS, example);
  rb_request *q = &r->req;
  q->count =
      (int)lh_field_number(L, 1, "reps", "count", true, 0, 1, 1000, true);
  q->sets = (int)lh_field_number(L, 1, "reps", "sets", false, 1, 1, 100, true);
  q->rest = lh_field_number(L, 1, "reps", "rest", false, 0, 0, 3600, false);
  lh_field_side(L, 1, "reps", q->side);
  lh_field_text(L, 1, "reps", "cue", false, q->cue, sizeof q->cue);
  if (lh_rawfield(L, 1, "tempo") != LUA_TNIL) {
    static const char *tex = "tempo = {up = 2, hold = 1, down = 2}";
    int t = lua_gettop(L);
    lh_need_table(L, t, "reps: tempo", tex);
    lh_check_class(L, t, "reps", "tempo.", "rebalance.tempo", tex);
    q->has_tempo = true;
    lh_rawfield(L, t, "up");
    if (lua_isnil(L, -1))
      lh_fail(L, "reps: tempo.up is required, like %s", tex);
    q->tempo_up = lh_check_number(L, -1, "reps", "tempo.up", 0.1, 60, false);
    lua_pop(L, 1);
    lh_rawfield(L, t, "down");
    if (lua_isnil(L, -1))
      lh_fail(L, "reps: tempo.down is required, like %s", tex);
    q->tempo_down =
        lh_check_number(L, -1, "reps", "tempo.down", 0.1, 60, false);
    lua_pop(L, 1);
    if (lh_rawfield(L, t, "hold") != LUA_TNIL)
      q->tempo_hold =
          lh_check_number(L, -1, "reps", "tempo.hold", 0, 60, false);
    lua_pop(L, 1);
    /* paced by the voice ("up", "hold", "down") or by tick sounds */
    if (lh_rawfield(L, t, "pace") != LUA_TNIL) {
      char pace[16];
      lh_check_string(L, -1, "reps", "tempo.pace", pace, sizeof pace, false);
      if (strcmp(pace, "ticks") == 0)
        q->tempo_ticks = true;
      else if (strcmp(pace, "voice") != 0)
        lh_fail(L,
                "reps: tempo.pace must be \"voice\" or \"ticks\" (got "
                "\"%s\")",
                pace);
    }
    lua_pop(L, 1);
    /* API 1.1: the routine's own words for up, hold and down */
    if (lh_rawfield(L, t, "words") != LUA_TNIL) {
      static const char *const wk[] = {"up", "hold", "down"};
      static const char *wex =
          "tempo = {up = 2, down = 2, words = {up = \"Lift\", down = "
          "\"Lower\"}}";
      int w = lua_gettop(L);
      lh_need_table(L, w, "reps: tempo.words", wex);
      lh_check_class(L, w, "reps", "tempo.words.", "rebalance.tempo_words",
                     wex);
      for (int i = 0; i < 3; i++) {
        char what[24];
        snprintf(what, sizeof what, "tempo.words.%s", wk[i]);
        if (lh_rawfield(L, w, wk[i]) != LUA_TNIL)
          lh_check_text(L, -1, "reps", what, q->tempo_words[i],
                        sizeof q->tempo_words[i], true);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return lh_yield(L, r);
}

/* The list of choices for ask{}: 2 to RB_CHOICES_MAX distinct strings. */
static void lh_choices(lua_State *L, int t, rb_request *q) {
  static const char *ex = "choices = {\"Yes\", \"No\"}";
  lua_Integer n, keys = 0;
  if (lh_rawfield(L, t, "choices") == LUA_TNIL)
    lh_fail(L, "ask: choices are required, like %s", ex);
  if (lua_type(L, -1) != LUA_TTABLE)
    lh_fail(L, "ask: choices must be a list like %s", ex);
  n = (lua_Integer)lua_rawlen(L, -1);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    keys++;
  }
  if (keys != n)
    lh_fail(L, "ask: choices must be a list like %s", ex);
  if (n < 2 || n > RB_CHOICES_MAX)
    lh_fail(L, "ask: choices must have between 2 and %d entries (got %lld)",
            RB_CHOICES_MAX, (long long)n);
  for (lua_Integer i = 1; i <= n; i++) {
    char what[32];
    snprintf(what, sizeof what, "choices[%lld]", (long long)i);
    lua_rawgeti(L, -1, i);
    lh_check_text(L, -1, "ask", what, q->choices[i - 1], RB_SHORT_MAX, true);
    lua_pop(L, 1);
    for (lua_Integer j = 1; j < i; j++)
      if (strcmp(q->choices[j - 1], q->choices[i - 1]) == 0)
        lh_fail(L, "ask: choice \"%s\" appears twice", q->choices[i - 1]);
  }
  q->nchoices = (int)n;
  lua_pop(L, 1);
}

static int lh_ask(lua_State *L) {
  static const char *example =
      "ask{question = \"...\", choices = {\"Yes\", \"No\"}}";
  rb_routine *r = lh_table_call(L, "ask", RB_REQ_ASK, example);
  lh_field_text(L, 1, "ask", "question", true, r->req.text, sizeof r->req.text);
  lh_choices(L, 1, &r->req);
  lh_field_side(L, 1, "ask", r->req.side);
  return lh_yield(L, r);
}

static int lh_ask_scale(lua_State *L) {
  static const char *example =
      "ask_scale{question = \"How much pain?\", min = 0, max = 10}";
  rb_routine *r = lh_table_call(L, "ask_scale", RB_REQ_ASK_SCALE, example);
  rb_request *q = &r->req;
  lh_field_text(L, 1, "ask_scale", "question", true, q->text, sizeof q->text);
  q->min =
      lh_field_number(L, 1, "ask_scale", "min", false, 0, -1000, 1000, true);
  q->max =
      lh_field_number(L, 1, "ask_scale", "max", false, 10, -1000, 1000, true);
  if (q->min >= q->max)
    lh_fail(L, "ask_scale: min must be less than max (got min %g, max %g)",
            q->min, q->max);
  q->step = 1;
  lh_field_side(L, 1, "ask_scale", q->side);
  return lh_yield(L, r);
}

static int lh_measure(lua_State *L) {
  static const char *example =
      "measure{name = \"Toe to wall\", unit = \"cm\", min = 0, max = 20}";
  rb_routine *r = lh_table_call(L, "measure", RB_REQ_MEASURE, example);
  rb_request *q = &r->req;
  lh_field_text(L, 1, "measure", "name", true, q->text, sizeof q->text);
  lh_field_string(L, 1, "measure", "unit", false, q->unit, sizeof q->unit);
  lh_field_side(L, 1, "measure", q->side);
  q->min = lh_field_number(L, 1, "measure", "min", true, 0, -1e6, 1e6, false);
  q->max = lh_field_number(L, 1, "measure", "max", true, 0, -1e6, 1e6, false);
  if (q->min >= q->max)
    lh_fail(L, "measure: min must be less than max (got min %g, max %g)",
            q->min, q->max);
  q->step = lh_field_number(L, 1, "measure", "step", false, 1, 0, 1e6, false);
  if (q->step <= 0 || q->step > q->max - q->min)
    lh_fail(L,
            "measure: step must be more than 0 and at most max - min (%g) "
            "(got %g)",
            q->max - q->min, q->step);
  return lh_yield(L, r);
}

static int lh_assess(lua_State *L) {
  rb_routine *r = lh_need_run(L, "assess", true);
  rb_request *q = &r->req;
  lh_max_args(L, "assess", 2);
  lh_begin(L, r, RB_REQ_ASSESS);
  if (lua_isnone(L, 1))
    lh_fail(L,
            "assess: expected an assessment id, like assess(\"knee_to_wall\")");
  lh_check_string(L, 1, "assess", "id", q->id, sizeof q->id, true);
  if (!lh_id_ok(q->id, "-_.ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    lh_fail(L,
            "assess: id must use only letters, digits, '_', '-' and '.' "
            "(got \"%s\")",
            q->id);
  snprintf(q->text, sizeof q->text, "%s", q->id);
  if (!lua_isnoneornil(L, 2)) {
    if (lua_type(L, 2) != LUA_TTABLE)
      lh_fail(L, "assess: options must be a table (got %s)",
              luaL_typename(L, 2));
    /* last: nothing may fail between taking the tree and yielding */
    r->assess_opts = lh_api_to_json(L, 2, "assess");
  }
  return lh_yield(L, r);
}

/* --- API 1.1: stop, pain_check, use ------------------------------------ */

/* A stopped routine is never resumed; if it were, it ends here. */
static int lh_stopped_k(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  return lh_fail(L, "the routine was stopped and cannot go on");
}

/* Ends the routine as stopped for reason, with text ("" for the engine's
 * words). */
static int lh_stop_with(lua_State *L, rb_routine *r, const char *reason,
                        const char *text) {
  lh_begin(L, r, RB_REQ_STOP);
  snprintf(r->req.id, sizeof r->req.id, "%s", reason);
  snprintf(r->req.text, sizeof r->req.text, "%s", text);
  lua_pushlightuserdata(L, r);
  return lua_yieldk(L, 1, 0, lh_stopped_k);
}

static int lh_stop(lua_State *L) {
  rb_routine *r = lh_need_run(L, "stop", true);
  char text[RB_TEXT_MAX];
  lh_max_args(L, "stop", 1);
  if (lua_isnone(L, 1))
    lh_fail(L, "stop: expected what to tell the patient, like stop(\"Rest "
               "your knee today.\")");
  lh_check_text(L, 1, "stop", "text", text, sizeof text, true);
  return lh_stop_with(L, r, "routine", text);
}

static const char *const lh_pain_when[] = {"before", "during", "after"};

/* pain_check's answer arrived: record it and apply the clinic's rule.
 * ctx: when (0-2) + 4 * stop_on_rise + 8 * max_before. */
static int lh_pain_check_k(lua_State *L, int status, lua_KContext ctx) {
  static const rb_phrase labels[] = {
      RB_PHRASE_PAIN_BEFORE, RB_PHRASE_PAIN_DURING, RB_PHRASE_PAIN_AFTER};
  rb_routine *r = lh_get(L);
  int when = (int)(ctx & 3);
  bool stop_on_rise = (ctx & 4) != 0;
  double max_before = (double)(ctx >> 3), pain;
  char key[32];
  const char *lang = r->lang[0] ? r->lang : r->meta.language;
  (void)status;
  if (!lua_isnumber(L, -1))
    return lh_fail(L, "pain_check: no answer came back");
  pain = lua_tonumber(L, -1);
  snprintf(key, sizeof key, "pain_%s", lh_pain_when[when]);
  if (r->hooks.record) {
    lh_hooks_enter(r);
    r->hooks.record(r->hooks.ud, key, cJSON_CreateNumber(pain),
                    rb_phrase_text(lang, labels[when]), "");
    lh_hooks_leave();
  }
  if (when == 0) {
    r->has_pain_before = true;
    r->pain_before = pain;
    if (pain >= max_before)
      return lh_stop_with(L, r, "pain_before", "");
  } else if (r->has_pain_before && pain >= r->pain_before + 2) {
    if (stop_on_rise)
      return lh_stop_with(L, r, "pain_rise", "");
    if (r->hooks.record) {
      lh_hooks_enter(r);
      r->hooks.record(r->hooks.ud, "pain_rise",
                      cJSON_CreateNumber(pain - r->pain_before), "", "");
      lh_hooks_leave();
    }
  }
  if (pain == floor(pain) && fabs(pain) < 1e15)
    lua_pushinteger(L, (lua_Integer)pain);
  else
    lua_pushnumber(L, pain);
  return 1;
}

static int lh_pain_check(lua_State *L) {
  static const rb_phrase questions[] = {
      RB_PHRASE_PAIN_Q_BEFORE, RB_PHRASE_PAIN_Q_DURING, RB_PHRASE_PAIN_Q_AFTER};
  static const char *example = "pain_check(\"before\", {max_before = 6})";
  rb_routine *r = lh_need_run(L, "pain_check", true);
  rb_request *q = &r->req;
  char when_s[16];
  int when = -1;
  double max_before = 7;
  bool stop_on_rise = true;
  const char *lang = r->lang[0] ? r->lang : r->meta.language;
  lh_max_args(L, "pain_check", 2);
  lh_begin(L, r, RB_REQ_ASK_SCALE);
  if (lua_isnone(L, 1))
    lh_fail(L, "pain_check: expected when: \"before\", \"during\" or "
               "\"after\", like pain_check(\"before\")");
  lh_check_string(L, 1, "pain_check", "when", when_s, sizeof when_s, true);
  for (int i = 0; i < 3; i++)
    if (strcmp(when_s, lh_pain_when[i]) == 0)
      when = i;
  if (when < 0)
    return lh_fail(
        L,
        "pain_check: when must be \"before\", \"during\" or \"after\" "
        "(got \"%s\")",
        when_s);
  snprintf(q->text, sizeof q->text, "%s",
           rb_phrase_text(lang, questions[when]));
  if (!lua_isnoneornil(L, 2)) {
    lh_need_table(L, 2, "pain_check", example);
    lh_check_class(L, 2, "pain_check", "", "rebalance.pain_check", example);
    lh_field_text(L, 2, "pain_check", "question", false, q->text,
                  sizeof q->text);
    if (!q->text[0])
      snprintf(q->text, sizeof q->text, "%s",
               rb_phrase_text(lang, questions[when]));
    max_before = lh_field_number(L, 2, "pain_check", "max_before", false, 7, 1,
                                 10, true);
    if (lh_rawfield(L, 2, "stop_on_rise") != LUA_TNIL) {
      if (!lua_isboolean(L, -1))
        lh_fail(L, "pain_check: stop_on_rise must be true or false (got %s)",
                luaL_typename(L, -1));
      stop_on_rise = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
  }
  q->min = 0;
  q->max = 10;
  q->step = 1;
  snprintf(q->answer_key, sizeof q->answer_key, "pain_%s", when_s);
  lua_pushlightuserdata(L, r);
  return lua_yieldk(
      L, 1, (lua_KContext)(when + (stop_on_rise ? 4 : 0) + 8 * (int)max_before),
      lh_pain_check_k);
}

/* use(name): lib/NAME.lua beside the routine, run once in its sandbox. */
static int lh_use(lua_State *L) {
  rb_routine *r = lh_get(L);
  char name[64], path[RB_TEXT_MAX + 80];
  const char *slash;
  struct stat st;
  int status;
  lh_max_args(L, "use", 1);
  if (lua_isnone(L, 1))
    lh_fail(L, "use: expected a helper's name, like use(\"dosing\") for "
               "lib/dosing.lua");
  lh_check_string(L, 1, "use", "name", name, sizeof name, true);
  if (!lh_id_ok(name, "-_ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    lh_fail(L,
            "use: a helper's name is letters, digits, '-' and '_' (the file "
            "lib/NAME.lua beside the routine); got \"%s\"",
            name);
  lua_getfield(L, LUA_REGISTRYINDEX, LH_REG_LIBS);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, LH_REG_LIBS);
  }
  lua_getfield(L, -1, name);
  if (lua_islightuserdata(L, -1))
    lh_fail(L, "use: lib/%s.lua uses itself, through the helpers it uses",
            name);
  if (!lua_isnil(L, -1))
    return 1; /* once: the value it gave the first time */
  lua_pop(L, 1);
  slash = strrchr(r->meta.path, '/');
  snprintf(path, sizeof path, "%.*slib/%s.lua",
           slash ? (int)(slash - r->meta.path + 1) : 0, r->meta.path, name);
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    lh_fail(L,
            "use: there is no helper %s (use(\"%s\") loads lib/%s.lua "
            "from the routine's folder)",
            path, name, name);
  lua_pushlightuserdata(L, r); /* loading: a loop back here is an error */
  lua_setfield(L, -2, name);
  status = luaL_loadfilex(L, path, "t");
  if (status != LUA_OK)
    return lua_error(L); /* "lib/NAME.lua:LINE: ..." */
  lua_getfield(L, LUA_REGISTRYINDEX, LH_REG_ENV);
  if (!lua_setupvalue(L, -2, 1))
    lua_pop(L, 1);
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, name);
  return 1;
}

void lh_api_open(lua_State *L, int env) {
  static const luaL_Reg api[] = {{"routine", lh_routine},
                                 {"say", lh_say},
                                 {"show", lh_show},
                                 {"wait_next", lh_wait_next},
                                 {"countdown", lh_countdown},
                                 {"hold", lh_hold},
                                 {"reps", lh_reps},
                                 {"rest", lh_rest},
                                 {"ask", lh_ask},
                                 {"ask_scale", lh_ask_scale},
                                 {"measure", lh_measure},
                                 {"assess", lh_assess},
                                 {"record", lh_record},
                                 {"sides", lh_sides},
                                 {"history", lh_lookup_history},
                                 {"last_session", lh_lookup_last_session},
                                 {"param", lh_lookup_param},
                                 {"pain_check", lh_pain_check},
                                 {"stop", lh_stop},
                                 {"use", lh_use},
                                 {NULL, NULL}};
  env = lua_absindex(L, env);
  luaL_newmetatable(L, LH_REG_JSONBOX);
  lua_pushcfunction(L, lh_jsonbox_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_pushvalue(L, env);
  luaL_setfuncs(L, api, 0);
  lua_pop(L, 1);
}
