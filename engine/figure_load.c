/* figure_load: one figure file, run in a sandbox of its own and checked.
 *
 * The file is text only and at most FIG_FILE_MAX bytes; it runs in a fresh
 * lua_State with a capped allocator, a count hook (an instruction budget
 * and a wall-clock limit that no pcall can catch: there is no pcall) and a
 * line hook that remembers where it is for memory errors. Its environment
 * is an allow-list (figure, math without random, pairs, ipairs, next,
 * select, type, tostring, tonumber, error, assert); any other name is an
 * error naming it. Nothing the file made runs after its top level: the
 * result is read with raw gets only, and no table can have a metatable.
 *
 * Lua keeps no line numbers for table fields, so the loader scans the
 * source for `key =` and positional items and keeps where each sits
 * ("poses.start.knee_l" -> line 7); a problem names the line of the field
 * it is about, else the closest enclosing one, else the figure{} call. */
#include "figure_internal.h"

#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define FL_REG_MADE "rebalance.figures"
#define FL_KEYS_MAX 512
#define FL_KEYPATH_MAX 96
#define FL_DEPTH_MAX 16

/* --- names ---------------------------------------------------------------- */

static const char *const joint_names[FJ_COUNT] = {
    "pelvis",         "trunk",          "neck",        "head",
    "shoulder_l",     "shoulder_r",     "elbow_l",     "elbow_r",
    "wrist_l",        "wrist_r",        "hip_l",       "hip_r",
    "knee_l",         "knee_r",         "ankle_l",     "ankle_r",
    "shoulder_l_out", "shoulder_r_out", "elbow_l_out", "elbow_r_out",
    "hip_l_out",      "hip_r_out",      "knee_l_out",  "knee_r_out"};

/* A pair's shorthand ("knee" for knee_l and knee_r, "hip_out"), NULL for
 * a joint that has no pair. */
static const char *const pair_names[FJ_COUNT] = {[FJ_SHOULDER_L] = "shoulder",
                                                 [FJ_ELBOW_L] = "elbow",
                                                 [FJ_WRIST_L] = "wrist",
                                                 [FJ_HIP_L] = "hip",
                                                 [FJ_KNEE_L] = "knee",
                                                 [FJ_ANKLE_L] = "ankle",
                                                 [FJ_SHOULDER_L_OUT] =
                                                     "shoulder_out",
                                                 [FJ_ELBOW_L_OUT] = "elbow_out",
                                                 [FJ_HIP_L_OUT] = "hip_out",
                                                 [FJ_KNEE_L_OUT] = "knee_out"};

const char *fig_joint_name(fig_joint j) {
  return j < FJ_COUNT ? joint_names[j] : "?";
}

/* A joint's human range, as the joint is seen in each view, and the words
 * for it. Positive is flexion (side view: toward the front) or, from the
 * front, away from the body's middle. */
typedef struct {
  const char *what;
  double side_min, side_max, front_min, front_max;
} joint_range;

static const joint_range ranges[FJ_COUNT] = {
    [FJ_PELVIS] = {"pelvis", -180, 180, -180, 180},
    [FJ_TRUNK] = {"trunk", -35, 90, -40, 40},
    [FJ_NECK] = {"neck", -60, 60, -45, 45},
    [FJ_HEAD] = {"head", -30, 30, -25, 25},
    [FJ_SHOULDER_L] = {"shoulder", -90, 180, -45, 180},
    [FJ_SHOULDER_R] = {"shoulder", -90, 180, -45, 180},
    [FJ_ELBOW_L] = {"elbow", -150, 150, -150, 150},
    [FJ_ELBOW_R] = {"elbow", -150, 150, -150, 150},
    [FJ_WRIST_L] = {"wrist", -90, 90, -90, 90},
    [FJ_WRIST_R] = {"wrist", -90, 90, -90, 90},
    [FJ_HIP_L] = {"hip", -35, 130, -60, 90},
    [FJ_HIP_R] = {"hip", -35, 130, -60, 90},
    [FJ_KNEE_L] = {"knee", 0, 160, -160, 160},
    [FJ_KNEE_R] = {"knee", 0, 160, -160, 160},
    [FJ_ANKLE_L] = {"ankle", -50, 45, -40, 40},
    [FJ_ANKLE_R] = {"ankle", -50, 45, -40, 40},
    [FJ_SHOULDER_L_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_SHOULDER_R_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_ELBOW_L_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_ELBOW_R_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_HIP_L_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_HIP_R_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_KNEE_L_OUT] = {"turn out of the picture", 0, 85, 0, 85},
    [FJ_KNEE_R_OUT] = {"turn out of the picture", 0, 85, 0, 85},
};

/* Names a writer may reach for that are bones, not joints. */
static const struct {
  const char *bone, *joint;
} bones[] = {
    {"upper_arm", "shoulder"}, {"arm", "shoulder"},
    {"forearm", "elbow"},      {"lower_arm", "elbow"},
    {"hand", "wrist"},         {"upper_leg", "hip"},
    {"thigh", "hip"},          {"leg", "hip"},
    {"lower_leg", "knee"},     {"shin", "knee"},
    {"foot", "ankle"},         {"spine", "trunk"},
    {"back", "trunk"},         {"chest", "trunk"},
    {"body", "pelvis"},        {"root", "pelvis"},
    {"hips", "hip"},           {"knees", "knee"},
    {"elbows", "elbow"},       {"shoulders", "shoulder"},
};

static const char *const prop_names[FIG_PROP_KINDS] = {
    "floor", "mat", "wall", "door_frame", "step", "chair", "mirror"};

const char *fig_prop_name(fig_prop_kind k) {
  return k < FIG_PROP_KINDS ? prop_names[k] : "?";
}

static const char *const point_names[FP_COUNT] = {
    "hip",        "hip_l",   "hip_r",   "waist",   "neck",    "shoulder_l",
    "shoulder_r", "elbow_l", "elbow_r", "wrist_l", "wrist_r", "hand_l",
    "hand_r",     "knee_l",  "knee_r",  "ankle_l", "ankle_r", "heel_l",
    "heel_r",     "toe_l",   "toe_r",   "head"};

bool fig_place_find(const char *name, fig_place *out) {
  char both[FIG_NAME_MAX];
  for (int i = 0; i < FP_COUNT; i++)
    if (strcmp(name, point_names[i]) == 0) {
      out->a = out->b = (signed char)i;
      return true;
    }
  /* "knee" is the middle of knee_l and knee_r */
  for (int i = 0; i < FP_COUNT; i++) {
    size_t n = strlen(point_names[i]);
    if (n > 2 && strcmp(point_names[i] + n - 2, "_l") == 0 &&
        n - 2 < sizeof both) {
      memcpy(both, point_names[i], n - 2);
      both[n - 2] = '\0';
      if (strcmp(name, both) == 0 && i + 1 < FP_COUNT) {
        out->a = (signed char)i;
        out->b = (signed char)(i + 1);
        return true;
      }
    }
  }
  if (strcmp(name, "shoulder") == 0) {
    out->a = FP_SHOULDER_L;
    out->b = FP_SHOULDER_R;
    return true;
  }
  return false;
}

int fig_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  int row[FIG_NAME_MAX + 1];
  if (la > FIG_NAME_MAX || lb > FIG_NAME_MAX)
    return 9;
  for (size_t j = 0; j <= lb; j++)
    row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int diag = row[0], best;
    row[0] = (int)i;
    best = row[0];
    for (size_t j = 1; j <= lb; j++) {
      int up = row[j], cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = diag + cost;
      if (up + 1 < v)
        v = up + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      diag = up;
      row[j] = v;
      if (v < best)
        best = v;
    }
    if (best > 8)
      return 9;
  }
  return row[lb] > 9 ? 9 : row[lb];
}

/* --- the file's keys and their lines ------------------------------------- */

typedef struct {
  char path[FL_KEYPATH_MAX];
  int line;
} fl_key;

typedef struct {
  fl_key keys[FL_KEYS_MAX];
  int n;
} fl_lines;

typedef struct {
  const char *s, *end;
  int line;
} fl_lex;

typedef enum {
  TK_END = 0,
  TK_NAME,
  TK_STRING,
  TK_NUMBER,
  TK_PUNCT, /* one character in c */
  TK_EQ     /* '==' and other operators that are not '=' */
} fl_tok_kind;

typedef struct {
  fl_tok_kind kind;
  char c;
  int line;
  char text[FL_KEYPATH_MAX]; /* names and short strings */
} fl_tok;

/* The level of a long bracket at s ("[[" 0, "[==[" 2), -1 when none. */
static int long_level(const char *s, const char *end) {
  int level = 0;
  if (s >= end || *s != '[')
    return -1;
  s++;
  while (s < end && *s == '=') {
    level++;
    s++;
  }
  return s < end && *s == '[' ? level : -1;
}

static void skip_long(fl_lex *x, int level) {
  x->s += level + 2;
  while (x->s < x->end) {
    if (*x->s == '\n')
      x->line++;
    if (*x->s == ']') {
      const char *p = x->s + 1;
      int l = 0;
      while (p < x->end && *p == '=') {
        l++;
        p++;
      }
      if (l == level && p < x->end && *p == ']') {
        x->s = p + 1;
        return;
      }
    }
    x->s++;
  }
}

static void lex_next(fl_lex *x, fl_tok *t) {
  t->text[0] = '\0';
  for (;;) {
    while (x->s < x->end && strchr(" \t\r\n\f\v", *x->s)) {
      if (*x->s == '\n')
        x->line++;
      x->s++;
    }
    if (x->end - x->s >= 2 && x->s[0] == '-' && x->s[1] == '-') {
      int level;
      x->s += 2;
      level = long_level(x->s, x->end);
      if (level >= 0) {
        skip_long(x, level);
      } else {
        while (x->s < x->end && *x->s != '\n')
          x->s++;
      }
      continue;
    }
    break;
  }
  t->line = x->line;
  if (x->s >= x->end) {
    t->kind = TK_END;
    return;
  }
  if (*x->s == '_' || (*x->s >= 'a' && *x->s <= 'z') ||
      (*x->s >= 'A' && *x->s <= 'Z')) {
    size_t n = 0;
    t->kind = TK_NAME;
    while (x->s < x->end &&
           (*x->s == '_' || (*x->s >= 'a' && *x->s <= 'z') ||
            (*x->s >= 'A' && *x->s <= 'Z') || (*x->s >= '0' && *x->s <= '9'))) {
      if (n + 1 < sizeof t->text)
        t->text[n++] = *x->s;
      x->s++;
    }
    t->text[n] = '\0';
    return;
  }
  if (*x->s >= '0' && *x->s <= '9') {
    t->kind = TK_NUMBER;
    while (x->s < x->end && (strchr("0123456789abcdefABCDEFxXpP.", *x->s) ||
                             ((*x->s == '+' || *x->s == '-') &&
                              strchr("eEpP", x->s[-1]) != NULL)))
      x->s++;
    return;
  }
  if (*x->s == '"' || *x->s == '\'') {
    char q = *x->s++;
    size_t n = 0;
    t->kind = TK_STRING;
    while (x->s < x->end && *x->s != q && *x->s != '\n') {
      if (*x->s == '\\' && x->s + 1 < x->end) {
        x->s++;
        if (*x->s == '\n')
          x->line++;
      } else if (n + 1 < sizeof t->text) {
        t->text[n++] = *x->s;
      }
      x->s++;
    }
    t->text[n] = '\0';
    if (x->s < x->end && *x->s == q)
      x->s++;
    return;
  }
  if (*x->s == '[') {
    int level = long_level(x->s, x->end);
    if (level >= 0) {
      t->kind = TK_STRING;
      skip_long(x, level);
      return;
    }
  }
  if (*x->s == '=' && x->s + 1 < x->end && x->s[1] == '=') {
    t->kind = TK_EQ;
    x->s += 2;
    return;
  }
  if (strchr("<>~", *x->s) && x->s + 1 < x->end && x->s[1] == '=') {
    t->kind = TK_EQ;
    x->s += 2;
    return;
  }
  t->kind = TK_PUNCT;
  t->c = *x->s++;
}

typedef struct {
  char path[FL_KEYPATH_MAX];
  int index;  /* positional items so far */
  int parens; /* ( and [ open inside this table */
  bool item_start;
} fl_frame;

static void add_key(fl_lines *ln, const char *parent, const char *key,
                    int line) {
  fl_key *k;
  if (ln->n >= FL_KEYS_MAX)
    return;
  k = &ln->keys[ln->n++];
  if (parent[0])
    snprintf(k->path, sizeof k->path, "%.40s.%.40s", parent, key);
  else
    snprintf(k->path, sizeof k->path, "%.40s", key);
  k->line = line;
}

/* Scans the source for table fields: "a.b.c" -> the line of c. A table
 * assigned to a name outside any table (`local start = { ... }`) is
 * scanned under that name. */
static void scan_lines(const char *src, size_t len, fl_lines *ln) {
  fl_lex x = {src, src + len, 1};
  fl_frame st[FL_DEPTH_MAX];
  int depth = 0, overflow = 0;
  fl_tok t, prev = {0}, prev2 = {0};
  char pending[FL_KEYPATH_MAX] = ""; /* the key whose value comes next */
  ln->n = 0;
  lex_next(&x, &t);
  while (t.kind != TK_END) {
    fl_tok next;
    lex_next(&x, &next);
    if (depth == 0) {
      /* NAME = { at the top level */
      if (t.kind == TK_PUNCT && t.c == '{') {
        bool named =
            prev.kind == TK_PUNCT && prev.c == '=' && prev2.kind == TK_NAME;
        st[0].index = 0;
        st[0].parens = 0;
        st[0].item_start = true;
        snprintf(st[0].path, sizeof st[0].path, "%s", named ? prev2.text : "");
        depth = 1;
      }
    } else {
      fl_frame *f = &st[depth - 1];
      if (t.kind == TK_PUNCT && (t.c == '(' || t.c == '[') &&
          !(f->item_start && t.c == '[')) {
        f->parens++;
      } else if (t.kind == TK_PUNCT && (t.c == ')' || t.c == ']') &&
                 f->parens > 0) {
        f->parens--;
      } else if (t.kind == TK_PUNCT && t.c == '}') {
        if (overflow > 0)
          overflow--;
        else
          depth--;
        pending[0] = '\0';
      } else if (t.kind == TK_PUNCT && (t.c == ',' || t.c == ';') &&
                 f->parens == 0) {
        f->item_start = true;
        pending[0] = '\0';
        prev2 = prev;
        prev = t;
        t = next;
        continue;
      } else if (t.kind == TK_PUNCT && t.c == '{' &&
                 (depth == FL_DEPTH_MAX || overflow > 0 || f->parens > 0)) {
        overflow++; /* a table inside a call, or too deep: not followed */
      } else if (t.kind == TK_PUNCT && t.c == '{') {
        fl_frame *c = &st[depth];
        char key[24];
        if (f->item_start) { /* a positional table */
          snprintf(key, sizeof key, "%d", ++f->index);
          add_key(ln, f->path, key, t.line);
          snprintf(pending, sizeof pending, "%s", key);
        }
        f->item_start = false;
        {
          char path[FL_KEYPATH_MAX];
          snprintf(path, sizeof path, "%.40s%s%.40s", f->path,
                   f->path[0] && pending[0] ? "." : "", pending);
          memcpy(c->path, path, sizeof path);
        }
        c->index = 0;
        c->parens = 0;
        c->item_start = true;
        depth++;
        pending[0] = '\0';
      } else if (f->item_start && f->parens == 0) {
        f->item_start = false;
        if (t.kind == TK_NAME && next.kind == TK_PUNCT && next.c == '=') {
          add_key(ln, f->path, t.text, t.line);
          snprintf(pending, sizeof pending, "%s", t.text);
        } else if (t.kind == TK_PUNCT && t.c == '[' && next.kind == TK_STRING) {
          add_key(ln, f->path, next.text, t.line);
          snprintf(pending, sizeof pending, "%s", next.text);
        } else {
          char key[24];
          snprintf(key, sizeof key, "%d", ++f->index);
          add_key(ln, f->path, key, t.line);
          pending[0] = '\0';
        }
      }
    }
    prev2 = prev;
    prev = t;
    t = next;
  }
}

/* The line of the field at path ("poses.start.knee_l"): the field itself,
 * else the same field under a name it was built in (a local table), else
 * its enclosing field's; 0 when none is known. */
static int line_of(const fl_lines *ln, const char *path) {
  char p[FL_KEYPATH_MAX];
  snprintf(p, sizeof p, "%s", path);
  while (p[0]) {
    const char *q = p;
    int parts = 1;
    for (const char *c = p; *c; c++)
      parts += *c == '.';
    /* p itself, then its suffixes of two parts or more */
    while (q) {
      size_t ql = strlen(q);
      for (int i = 0; i < ln->n; i++) {
        size_t kl = strlen(ln->keys[i].path);
        if (kl >= ql && strcmp(ln->keys[i].path + kl - ql, q) == 0 &&
            (kl == ql || ln->keys[i].path[kl - ql - 1] == '.'))
          return ln->keys[i].line;
      }
      if (--parts < 2)
        break;
      q = strchr(q, '.');
      if (q)
        q++;
    }
    {
      char *dot = strrchr(p, '.');
      if (!dot)
        break;
      *dot = '\0';
    }
  }
  return 0;
}

/* --- the sandbox ---------------------------------------------------------- */

typedef struct {
  const char *path;
  size_t mem_used;
  bool mem_refused;
  long instructions;
  int line; /* the last line the file reached */
  struct timespec t0;
  bool killed;
} fl_state;

static fl_state *fl_get(lua_State *L) {
  return *(fl_state **)lua_getextraspace(L);
}

static void *fl_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  fl_state *st = ud;
  size_t old = ptr ? osize : 0;
  void *p;
  if (nsize == 0) {
    free(ptr);
    st->mem_used -= old;
    return NULL;
  }
  if (nsize > old && nsize - old > FIG_MEMORY_MAX - st->mem_used) {
    st->mem_refused = true;
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (!p)
    return NULL;
  st->mem_used = st->mem_used - old + nsize;
  return p;
}

static double fl_elapsed_ms(const fl_state *st) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - st->t0.tv_sec) * 1e3 +
         (double)(now.tv_nsec - st->t0.tv_nsec) / 1e6;
}

#define FL_HOOK_STEP 1000

/* The budget, and where the file is. There is no pcall in the sandbox,
 * so the error ends the file's top level. */
static void fl_hook(lua_State *L, lua_Debug *ar) {
  fl_state *st = fl_get(L);
  if (ar->event == LUA_HOOKLINE) {
    st->line = ar->currentline;
    return;
  }
  st->instructions += FL_HOOK_STEP;
  if (st->instructions <= FIG_INSTRUCTIONS_MAX &&
      fl_elapsed_ms(st) <= FIG_WALL_MS_MAX)
    return;
  st->killed = true;
  if (lua_getinfo(L, "l", ar) && ar->currentline > 0)
    st->line = ar->currentline;
  luaL_error(L,
             "%s:%d: the figure file ran too long (a loop that never "
             "ends?); a figure file holds data only",
             st->path, st->line > 0 ? st->line : 1);
}

static int fl_unknown_global(lua_State *L) {
  fl_state *st = fl_get(L);
  const char *name = lua_tostring(L, 2);
  lua_Debug ar;
  int line = st->line;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar) && ar.currentline > 0)
    line = ar.currentline;
  return luaL_error(L,
                    "%s:%d: '%s' is not available in figure files (they "
                    "hold data only: figure{...}, numbers, strings, "
                    "tables, math)",
                    st->path, line > 0 ? line : 1, name ? name : "?");
}

/* figure{...}: marks the table as the file's figure and remembers the
 * line of the call. */
static int fl_figure(lua_State *L) {
  lua_Debug ar;
  int line = 0;
  if (lua_type(L, 1) != LUA_TTABLE || lua_gettop(L) != 1)
    return luaL_error(L, "figure{...} takes one table");
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar))
    line = ar.currentline;
  lua_getfield(L, LUA_REGISTRYINDEX, FL_REG_MADE);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, line > 0 ? line : 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  lua_settop(L, 1);
  return 1;
}

/* Builds the environment and loads the chunk (source at upvalue-less
 * light userdata 1, its length at 2). Leaves the function on the stack. */
static int fl_setup(lua_State *L) {
  static const char *const base[] = {"assert", "error",  "ipairs",   "next",
                                     "pairs",  "select", "tonumber", "tostring",
                                     "type",   NULL};
  fl_state *st = fl_get(L);
  const char *src = lua_touserdata(L, 1);
  size_t len = (size_t)lua_tointeger(L, 2);
  char chunk[FIG_PATH_MAX + 2];
  int env, status;
  lua_settop(L, 0);
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  lua_pop(L, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  lua_pop(L, 1);
  lua_newtable(L);
  env = lua_gettop(L);
  for (int i = 0; base[i]; i++) {
    lua_getglobal(L, base[i]);
    lua_setfield(L, env, base[i]);
  }
  lua_newtable(L); /* math, without random and randomseed */
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING &&
        strncmp(lua_tostring(L, -2), "random", 6) == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -5);
  }
  lua_pop(L, 1);
  lua_setfield(L, env, LUA_MATHLIBNAME);
  lua_pushcfunction(L, fl_figure);
  lua_setfield(L, env, "figure");
  lua_newtable(L);
  lua_pushcfunction(L, fl_unknown_global);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, env);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, FL_REG_MADE);

  snprintf(chunk, sizeof chunk, "@%s", st->path);
  status = luaL_loadbufferx(L, src, len, chunk, "t");
  if (status != LUA_OK)
    return lua_error(L);
  lua_pushvalue(L, env);
  if (!lua_setupvalue(L, -2, 1))
    lua_pop(L, 1);
  lua_remove(L, env);
  return 1;
}

/* --- checking the figure table -------------------------------------------- */

typedef struct {
  fl_state *st;
  const fl_lines *lines;
  fig_figure *fig;
  fig_problems *probs;
  int call_line;
} fl_check;

static void problem(fl_check *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(fl_check *c, const char *path, const char *fmt, ...) {
  va_list ap;
  int line = path ? line_of(c->lines, path) : 0;
  char *out;
  int k;
  if (c->probs->n >= FIG_PROBLEMS_MAX)
    return;
  out = c->probs->line[c->probs->n++];
  if (line <= 0)
    line = c->call_line > 0 ? c->call_line : 1;
  k = snprintf(out, FIG_PROBLEM_LEN, "%s:%d: ", c->st->path, line);
  if (k < 0 || k >= FIG_PROBLEM_LEN)
    return;
  va_start(ap, fmt);
  vsnprintf(out + k, FIG_PROBLEM_LEN - (size_t)k, fmt, ap);
  va_end(ap);
}

/* " (did you mean 'x'?)" for the closest of names, or "". */
static void suggest(const char *name, const char *const *names, int n,
                    char *out, size_t len) {
  int best = strlen(name) >= 7 ? 4 : 3, at = -1;
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    int d = fig_distance(name, names[i]);
    if (d < best) {
      best = d;
      at = i;
    }
  }
  if (at >= 0 && best < (int)strlen(name))
    snprintf(out, len, " (did you mean '%s'?)", names[at]);
}

static bool good_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= FIG_NAME_MAX)
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
          *s == '-'))
      return false;
  return true;
}

/* The string at the top of the stack into out, or false. */
static bool top_string(lua_State *L, char *out, size_t n) {
  size_t len;
  const char *s;
  if (lua_type(L, -1) != LUA_TSTRING)
    return false;
  s = lua_tolstring(L, -1, &len);
  if (len >= n || strlen(s) != len)
    return false;
  memcpy(out, s, len + 1);
  return true;
}

static const char *type_name(lua_State *L, int idx) {
  return lua_typename(L, lua_type(L, idx));
}

/* Joints a key sets: one, or both of a pair ("knee"). */
static int joints_of(const char *key, fig_joint out[2]) {
  for (int j = 0; j < FJ_COUNT; j++)
    if (strcmp(key, joint_names[j]) == 0) {
      out[0] = (fig_joint)j;
      return 1;
    }
  for (int j = 0; j < FJ_COUNT; j++)
    if (pair_names[j] && strcmp(key, pair_names[j]) == 0) {
      out[0] = (fig_joint)j;
      out[1] = (fig_joint)(j + 1);
      return 2;
    }
  return 0;
}

static void unknown_joint(fl_check *c, const char *path, const char *pose,
                          const char *key) {
  const char *all[2 * FJ_COUNT];
  int nall = 0;
  char hint[96];
  char base[FIG_NAME_MAX];
  size_t n = strlen(key);
  snprintf(base, sizeof base, "%s", key);
  if (n > 2 &&
      (strcmp(key + n - 2, "_l") == 0 || strcmp(key + n - 2, "_r") == 0))
    base[n - 2] = '\0';
  for (size_t i = 0; i < sizeof bones / sizeof bones[0]; i++)
    if (strcmp(base, bones[i].bone) == 0) {
      problem(c, path,
              "pose '%s': '%s' is not a joint: the %s is moved by '%s%s'", pose,
              key, bones[i].bone, bones[i].joint,
              strcmp(base, key) ? key + n - 2 : "");
      return;
    }
  for (int j = 0; j < FJ_COUNT; j++) {
    all[nall++] = joint_names[j];
    if (pair_names[j])
      all[nall++] = pair_names[j];
  }
  suggest(key, all, nall, hint, sizeof hint);
  problem(c, path, "pose '%s': unknown joint '%s'%s", pose, key, hint);
}

/* One pose table (at the top of the stack) into angles. */
static void check_pose(fl_check *c, lua_State *L, const char *pose,
                       double *angles) {
  char path[FL_KEYPATH_MAX];
  int t = lua_gettop(L);
  for (int j = 0; j < FJ_COUNT; j++)
    angles[j] = 0;
  /* shorthands ("knee") first, so that "knee_l" wins whatever the order */
  for (int pass = 0; pass < 2; pass++) {
    lua_pushnil(L);
    while (lua_next(L, t)) {
      char key[FIG_NAME_MAX];
      fig_joint js[2];
      int nj;
      double v;
      lua_pushvalue(L, -2);
      if (!top_string(L, key, sizeof key)) {
        if (pass == 0)
          problem(c, NULL, "pose '%s': a %s where a joint name belongs", pose,
                  type_name(L, -1));
        lua_pop(L, 2);
        continue;
      }
      lua_pop(L, 1);
      snprintf(path, sizeof path, "poses.%.40s.%.40s", pose, key);
      nj = joints_of(key, js);
      if (nj == 0) {
        if (pass == 0)
          unknown_joint(c, path, pose, key);
        lua_pop(L, 1);
        continue;
      }
      if ((pass == 0) != (nj == 2)) {
        lua_pop(L, 1);
        continue;
      }
      if (lua_type(L, -1) != LUA_TNUMBER) {
        problem(c, path, "%s: a number of degrees, not a %s", key,
                type_name(L, -1));
        lua_pop(L, 1);
        continue;
      }
      v = lua_tonumber(L, -1);
      lua_pop(L, 1);
      {
        const joint_range *r = &ranges[js[0]];
        double lo = c->fig->view == FIG_VIEW_FRONT ? r->front_min : r->side_min;
        double hi = c->fig->view == FIG_VIEW_FRONT ? r->front_max : r->side_max;
        if (!isfinite(v)) {
          problem(c, path, "%s: %g is not a number of degrees", key, v);
          continue;
        }
        if (v < lo || v > hi) {
          problem(c, path,
                  "%s: %g degrees is past the %s's range (%g to %g%s) in "
                  "pose '%s'",
                  key, v, r->what, lo, hi,
                  c->fig->view == FIG_VIEW_FRONT ? ", seen from the front" : "",
                  pose);
          continue;
        }
      }
      for (int i = 0; i < nj; i++)
        angles[js[i]] = v;
    }
  }
}

static int pose_index(const fig_figure *f, const char *name) {
  for (int i = 0; i < f->nposes; i++)
    if (strcmp(f->pose_names[i], name) == 0)
      return i;
  return -1;
}

static void pose_list(const fig_figure *f, char *out, size_t n) {
  size_t len = 0;
  out[0] = '\0';
  for (int i = 0; i < f->nposes && len + 2 < n; i++) {
    int k =
        snprintf(out + len, n - len, "%s'%s'", i ? ", " : "", f->pose_names[i]);
    if (k < 0)
      break;
    len += (size_t)k;
  }
}

static void check_poses(fl_check *c, lua_State *L) {
  fig_figure *f = c->fig;
  int t;
  lua_getfield(L, 1, "poses");
  t = lua_gettop(L);
  if (lua_type(L, t) != LUA_TTABLE) {
    problem(c, "poses",
            lua_isnil(L, t) ? "figure{} needs poses = { NAME = { joint = "
                              "degrees, ... }, ... }"
                            : "poses must be a table of poses");
    lua_pop(L, 1);
    return;
  }
  /* names first, in a fixed order (pairs has none) */
  {
    char names[FIG_POSES_MAX][FIG_NAME_MAX];
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
      char name[FIG_NAME_MAX];
      lua_pushvalue(L, -2);
      if (!top_string(L, name, sizeof name) || !good_name(name)) {
        problem(c, "poses",
                "poses: a pose's name is a short word (letters, digits, _), "
                "not %s",
                lua_type(L, -1) == LUA_TSTRING ? "that" : type_name(L, -1));
      } else if (lua_type(L, -2) != LUA_TTABLE) {
        char path[FL_KEYPATH_MAX];
        snprintf(path, sizeof path, "poses.%s", name);
        problem(c, path, "pose '%s' must be a table of joint = degrees", name);
      } else if (n == FIG_POSES_MAX) {
        problem(c, "poses", "more than %d poses", FIG_POSES_MAX);
      } else {
        snprintf(names[n++], FIG_NAME_MAX, "%s", name);
      }
      lua_pop(L, 2);
    }
    /* sorted: the order of the problems must not depend on hashing */
    for (int i = 1; i < n; i++)
      for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
        char tmp[FIG_NAME_MAX];
        memcpy(tmp, names[j], sizeof tmp);
        memcpy(names[j], names[j - 1], sizeof tmp);
        memcpy(names[j - 1], tmp, sizeof tmp);
      }
    for (int i = 0; i < n; i++) {
      if (snprintf(f->pose_names[i], FIG_NAME_MAX, "%s", names[i]) >=
          FIG_NAME_MAX)
        f->pose_names[i][FIG_NAME_MAX - 1] = '\0'; /* names are checked */
      lua_getfield(L, t, names[i]);
      check_pose(c, L, names[i], f->poses[i]);
      lua_pop(L, 1);
    }
    f->nposes = n;
    if (n == 0 && c->probs->n == 0)
      problem(c, "poses", "poses is empty: a figure needs at least one pose");
  }
  lua_pop(L, 1);
}

static void check_sequence(fl_check *c, lua_State *L) {
  fig_figure *f = c->fig;
  char list[256];
  lua_Integer n;
  lua_getfield(L, 1, "sequence");
  pose_list(f, list, sizeof list);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (f->nposes == 1) {
      f->nseq = 1;
      f->seq[0] = 0;
    } else if (f->nposes > 1) {
      problem(c, "poses",
              "sequence is missing: say the order the movement goes "
              "through the poses, e.g. sequence = { \"%s\", \"%s\" }",
              f->pose_names[0], f->pose_names[1]);
    }
    return;
  }
  if (lua_type(L, -1) != LUA_TTABLE) {
    problem(c, "sequence", "sequence must be a list of pose names, not a %s",
            type_name(L, -1));
    lua_pop(L, 1);
    return;
  }
  n = (lua_Integer)lua_rawlen(L, -1);
  if (n < 1) {
    problem(c, "sequence",
            "sequence needs at least one pose (the poses are %s)", list);
  } else if (n > FIG_SEQ_MAX) {
    problem(c, "sequence", "sequence has %lld poses; at most %d", (long long)n,
            FIG_SEQ_MAX);
  } else {
    for (lua_Integer i = 1; i <= n; i++) {
      char name[FIG_NAME_MAX], path[FL_KEYPATH_MAX];
      int at;
      snprintf(path, sizeof path, "sequence.%lld", (long long)i);
      lua_rawgeti(L, -1, i);
      if (!top_string(L, name, sizeof name)) {
        problem(c, path, "sequence: item %lld is a %s, not a pose name",
                (long long)i, type_name(L, -1));
        lua_pop(L, 1);
        continue;
      }
      lua_pop(L, 1);
      at = pose_index(f, name);
      if (at < 0) {
        if (f->nposes > 0)
          problem(c, path, "sequence: no pose named '%s' (the poses are %s)",
                  name, list);
        continue;
      }
      f->seq[f->nseq++] = at;
    }
  }
  lua_pop(L, 1);
}

/* A place name field (anchor, ground, at, under) at the top of the
 * stack; false (and a problem) when it is no place. */
static bool check_place(fl_check *c, lua_State *L, const char *path,
                        const char *what, fig_place *out) {
  char name[FIG_NAME_MAX], hint[96];
  /* the feet first: they are what rests on the floor most */
  static const char *const all[] = {
      "heel",     "heel_l",     "heel_r",     "toe",   "toe_l",   "toe_r",
      "ankle",    "ankle_l",    "ankle_r",    "knee",  "knee_l",  "knee_r",
      "hip",      "hip_l",      "hip_r",      "waist", "neck",    "head",
      "shoulder", "shoulder_l", "shoulder_r", "elbow", "elbow_l", "elbow_r",
      "wrist",    "wrist_l",    "wrist_r",    "hand",  "hand_l",  "hand_r"};
  if (!top_string(L, name, sizeof name)) {
    problem(c, path,
            "%s must name a place on the body (\"heel_l\", "
            "\"hip\", \"hand\" ...), not a %s",
            what, type_name(L, -1));
    return false;
  }
  if (fig_place_find(name, out))
    return true;
  suggest(name, all, (int)(sizeof all / sizeof all[0]), hint, sizeof hint);
  problem(c, path,
          "%s: no place on the body called '%s'%s (places: hip, waist, "
          "neck, head, and shoulder, elbow, wrist, hand, knee, ankle, heel, "
          "toe, each with _l or _r or for both)",
          what, name, hint);
  return false;
}

static void check_props(fl_check *c, lua_State *L) {
  fig_figure *f = c->fig;
  lua_Integer n;
  lua_getfield(L, 1, "props");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  if (lua_type(L, -1) != LUA_TTABLE) {
    problem(c, "props", "props must be a list (props = { \"mat\" }), not a %s",
            type_name(L, -1));
    lua_pop(L, 1);
    return;
  }
  n = (lua_Integer)lua_rawlen(L, -1);
  {
    /* keys that are not list items are mistakes (props = { mat = true }) */
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
          lua_tointeger(L, -1) > n) {
        char key[FIG_NAME_MAX] = "?";
        lua_pushvalue(L, -1);
        top_string(L, key, sizeof key);
        lua_pop(L, 1);
        problem(c, "props",
                "props is a list: write { \"%s\" } or { { \"%s\", ... } }, "
                "not %s = ...",
                key, key, key);
      }
    }
  }
  for (lua_Integer i = 1; i <= n; i++) {
    char path[FL_KEYPATH_MAX], kind[FIG_NAME_MAX], hint[96];
    fig_prop p = {0};
    int k;
    bool is_table;
    snprintf(path, sizeof path, "props.%lld", (long long)i);
    lua_rawgeti(L, -1, i);
    is_table = lua_type(L, -1) == LUA_TTABLE;
    if (is_table)
      lua_rawgeti(L, -1, 1);
    else
      lua_pushvalue(L, -1);
    if (!top_string(L, kind, sizeof kind)) {
      problem(c, path,
              "props: each is a name (\"mat\") or a table with the name "
              "first ({ \"wall\", at = \"toe_l\" })");
      lua_pop(L, 2);
      continue;
    }
    lua_pop(L, 1);
    for (k = 0; k < FIG_PROP_KINDS; k++)
      if (strcmp(kind, prop_names[k]) == 0)
        break;
    if (k == FIG_PROP_KINDS) {
      suggest(kind, prop_names, FIG_PROP_KINDS, hint, sizeof hint);
      problem(c, path,
              "props: no prop called '%s'%s (props: floor, mat, wall, "
              "door_frame, step, chair, mirror)",
              kind, hint);
      lua_pop(L, 1);
      continue;
    }
    p.kind = (fig_prop_kind)k;
    p.pose = f->nseq > 0 ? f->seq[0] : 0;
    if (is_table) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        char key[FIG_NAME_MAX], kpath[FL_KEYPATH_MAX];
        lua_pushvalue(L, -2);
        if (lua_isinteger(L, -1) && lua_tointeger(L, -1) == 1) {
          lua_pop(L, 2);
          continue;
        }
        if (!top_string(L, key, sizeof key)) {
          problem(c, path, "props: %s: options are named (at = ...)", kind);
          lua_pop(L, 2);
          continue;
        }
        lua_pop(L, 1);
        snprintf(kpath, sizeof kpath, "%.40s.%.40s", path, key);
        if (strcmp(key, "at") == 0 || strcmp(key, "under") == 0) {
          bool under = strcmp(key, "under") == 0;
          bool wants_under =
              p.kind == FIG_PROP_STEP || p.kind == FIG_PROP_CHAIR;
          bool wants_at =
              p.kind == FIG_PROP_WALL || p.kind == FIG_PROP_DOOR_FRAME;
          if ((under && !wants_under) || (!under && !wants_at)) {
            problem(c, kpath, "props: a %s takes %s", kind,
                    wants_under ? "under = PLACE (what rests on it)"
                    : wants_at  ? "at = PLACE (what touches it)"
                                : "no place");
          } else if (check_place(c, L, kpath, key, &p.at)) {
            p.has_at = true;
          }
        } else if (strcmp(key, "pose") == 0) {
          char pname[FIG_NAME_MAX];
          int at;
          if (!top_string(L, pname, sizeof pname) ||
              (at = pose_index(f, pname)) < 0) {
            char list[256];
            pose_list(f, list, sizeof list);
            problem(c, kpath, "props: %s: pose must name a pose (%s)", kind,
                    list);
          } else {
            p.pose = at;
          }
        } else if (strcmp(key, "height") == 0 && p.kind == FIG_PROP_STEP) {
          double h = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : -1;
          if (!(h >= 5 && h <= 60))
            problem(c, kpath, "props: step: height is in cm, 5 to 60");
          else
            p.height = h;
        } else if (strcmp(key, "behind") == 0 &&
                   (p.kind == FIG_PROP_WALL || p.kind == FIG_PROP_DOOR_FRAME)) {
          if (lua_type(L, -1) != LUA_TBOOLEAN)
            problem(c, kpath, "props: %s: behind is true or false", kind);
          else
            p.behind = lua_toboolean(L, -1);
        } else {
          problem(c, kpath, "props: %s has no option '%s'", kind, key);
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
    if (f->nprops == FIG_PROPS_MAX) {
      problem(c, path, "props: at most %d", FIG_PROPS_MAX);
      continue;
    }
    f->props[f->nprops++] = p;
  }
  lua_pop(L, 1);
}

static void check_string_field(fl_check *c, lua_State *L, const char *key,
                               const char *const *choices, char *out,
                               size_t n) {
  lua_getfield(L, 1, key);
  if (!lua_isnil(L, -1)) {
    bool fine = top_string(L, out, n);
    if (fine && choices) {
      fine = false;
      for (int i = 0; choices[i]; i++)
        fine = fine || strcmp(out, choices[i]) == 0;
    }
    if (!fine) {
      if (choices)
        problem(c, key, "%s must be \"%s\" or \"%s\"", key, choices[0],
                choices[1]);
      else
        problem(c, key, "%s must be a short text", key);
      out[0] = '\0';
    }
  }
  lua_pop(L, 1);
}

/* limbs = { "arm_l", "leg_r" }: the working limbs of a crossed exercise
 * (a bird-dog), drawn in the side's colour instead of all of `side`'s. */
static void check_limbs(fl_check *c, lua_State *L) {
  static const char *const names[] = {"arm_l", "arm_r", "leg_l", "leg_r"};
  lua_Integer n;
  unsigned mask = 0;
  lua_getfield(L, 1, "limbs");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  if (c->fig->side == FIG_SIDE_NONE)
    problem(c, "limbs",
            "limbs needs side = \"left\" or \"right\": they are "
            "the working limbs of that side's exercise");
  if (lua_type(L, -1) != LUA_TTABLE ||
      (n = (lua_Integer)lua_rawlen(L, -1)) < 1) {
    problem(c, "limbs", "limbs is a list of limbs: { \"arm_l\", \"leg_r\" }");
    lua_pop(L, 1);
    return;
  }
  for (lua_Integer i = 1; i <= n && i <= 4; i++) {
    char name[FIG_NAME_MAX], path[FL_KEYPATH_MAX], hint[96];
    int k;
    snprintf(path, sizeof path, "limbs.%lld", (long long)i);
    lua_rawgeti(L, -1, i);
    name[0] = '\0';
    top_string(L, name, sizeof name);
    lua_pop(L, 1);
    for (k = 0; k < 4; k++)
      if (strcmp(name, names[k]) == 0)
        break;
    if (k == 4) {
      suggest(name, names, 4, hint, sizeof hint);
      problem(c, path,
              "limbs: no limb called '%s'%s (arm_l, arm_r, leg_l, "
              "leg_r)",
              name, hint);
      continue;
    }
    mask |= 1u << k;
  }
  lua_pop(L, 1);
  if (mask)
    c->fig->limbs = mask;
}

/* Checks the table at index 1 into c->fig. Runs protected. */
static int fl_check_table(lua_State *L) {
  static const char *const fields[] = {"view",  "side",     "title",  "props",
                                       "poses", "sequence", "anchor", "ground",
                                       "limbs", NULL};
  static const char *const views[] = {"side", "front", NULL};
  static const char *const sides[] = {"left", "right", NULL};
  fl_check *c = lua_touserdata(L, 2);
  fig_figure *f = c->fig;
  char s[FIG_TITLE_MAX];
  lua_settop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    char key[FIG_NAME_MAX], hint[96];
    bool known = false;
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    if (!top_string(L, key, sizeof key)) {
      problem(c, NULL, "figure{}: a %s where a field name belongs",
              type_name(L, -1));
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    for (int i = 0; fields[i]; i++)
      known = known || strcmp(key, fields[i]) == 0;
    if (!known) {
      suggest(key, fields, 9, hint, sizeof hint);
      problem(c, key,
              "figure{} has no field '%s'%s (fields: view, side, limbs, "
              "title, props, poses, sequence, anchor, ground)",
              key, hint);
    }
  }
  s[0] = '\0';
  check_string_field(c, L, "view", views, s, sizeof s);
  f->view = strcmp(s, "front") == 0 ? FIG_VIEW_FRONT : FIG_VIEW_SIDE;
  s[0] = '\0';
  check_string_field(c, L, "side", sides, s, sizeof s);
  f->side = strcmp(s, "left") == 0    ? FIG_SIDE_LEFT
            : strcmp(s, "right") == 0 ? FIG_SIDE_RIGHT
                                      : FIG_SIDE_NONE;
  f->limbs = f->side == FIG_SIDE_LEFT    ? FIG_LIMB_ARM_L | FIG_LIMB_LEG_L
             : f->side == FIG_SIDE_RIGHT ? FIG_LIMB_ARM_R | FIG_LIMB_LEG_R
                                         : 0;
  check_limbs(c, L);
  check_string_field(c, L, "title", NULL, f->title, sizeof f->title);
  check_poses(c, L);
  check_sequence(c, L);
  f->anchor.a = f->anchor.b = FP_HIP;
  lua_getfield(L, 1, "anchor");
  if (!lua_isnil(L, -1))
    check_place(c, L, "anchor", "anchor", &f->anchor);
  lua_pop(L, 1);
  lua_getfield(L, 1, "ground");
  if (!lua_isnil(L, -1))
    f->has_ground = check_place(c, L, "ground", "ground", &f->ground);
  lua_pop(L, 1);
  check_props(c, L);
  return 0;
}

/* --- one file ------------------------------------------------------------- */

static void add_problem(fig_problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_problem(fig_problems *p, const char *fmt, ...) {
  va_list ap;
  if (p->n >= FIG_PROBLEMS_MAX)
    return;
  va_start(ap, fmt);
  vsnprintf(p->line[p->n++], FIG_PROBLEM_LEN, fmt, ap);
  va_end(ap);
}

/* Reads the whole file (at most FIG_FILE_MAX bytes) into a new buffer. */
static char *read_source(const char *path, size_t *len, fig_problems *probs) {
  struct stat sb;
  FILE *fp = NULL;
  char *buf = NULL;
  size_t got;
  /* a FIFO named NAME.lua would block the open itself */
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    add_problem(probs, "%s: not a regular file", path);
    return NULL;
  }
  fp = fopen(path, "rb");
  if (!fp) {
    add_problem(probs, "%s: cannot read the file: %s", path, strerror(errno));
    return NULL;
  }
  if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
    add_problem(probs, "%s: not a file", path);
    goto done;
  }
  if ((size_t)sb.st_size > FIG_FILE_MAX) {
    add_problem(probs,
                "%s:1: the file is too big for a figure (%lld KiB; a figure "
                "file holds data only, at most %zu KiB)",
                path, (long long)(sb.st_size >> 10), FIG_FILE_MAX >> 10);
    goto done;
  }
  buf = malloc(FIG_FILE_MAX + 1);
  if (!buf) {
    add_problem(probs, "%s:1: not enough memory", path);
    goto done;
  }
  got = fread(buf, 1, FIG_FILE_MAX + 1, fp);
  if (got > FIG_FILE_MAX) {
    add_problem(probs,
                "%s:1: the file is too big for a figure (at most %zu "
                "KiB)",
                path, FIG_FILE_MAX >> 10);
    free(buf);
    buf = NULL;
    goto done;
  }
  if (ferror(fp)) {
    add_problem(probs, "%s: cannot read the file: %s", path, strerror(errno));
    free(buf);
    buf = NULL;
    goto done;
  }
  buf[got] = '\0';
  *len = got;
done:
  fclose(fp);
  return buf;
}

/* The error on top of L as a problem, positioned. */
static void lua_problem(lua_State *L, const fl_state *st, int status,
                        fig_problems *probs) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  size_t pl = strlen(st->path);
  if (status == LUA_ERRMEM || (st->mem_refused && !st->killed)) {
    add_problem(probs,
                "%s:%d: the figure file used more than its %zu MiB of memory "
                "(a figure file holds data only)",
                st->path, st->line > 0 ? st->line : 1, FIG_MEMORY_MAX >> 20);
  } else if (!msg) {
    add_problem(probs, "%s:%d: error with no message", st->path,
                st->line > 0 ? st->line : 1);
  } else if (strncmp(msg, st->path, pl) == 0 && msg[pl] == ':') {
    add_problem(probs, "%s", msg);
  } else {
    add_problem(probs, "%s:%d: %s", st->path, st->line > 0 ? st->line : 1, msg);
  }
}

/* "NAME" of "/x/y/NAME.lua". */
static void name_of(const char *path, char *out, size_t n) {
  const char *base = strrchr(path, '/');
  const char *dot;
  size_t len;
  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  len = dot && dot > base ? (size_t)(dot - base) : strlen(base);
  if (len >= n)
    len = n - 1;
  memcpy(out, base, len);
  out[len] = '\0';
}

bool fig_load_file(const char *path, fig_figure *out, fig_problems *probs) {
  fl_state st = {0};
  fl_lines *lines = NULL;
  fl_check chk;
  lua_State *L = NULL;
  char *src;
  size_t len = 0;
  int status, before = probs->n;

  memset(out, 0, sizeof *out);
  name_of(path, out->name, sizeof out->name);
  if (strlen(path) >= sizeof out->path) {
    add_problem(probs, "%s: the path is too long", path);
    return false;
  }
  snprintf(out->path, sizeof out->path, "%s", path);
  st.path = out->path;
  if (!good_name(out->name)) {
    add_problem(probs,
                "%s:1: a figure's file name is its name: letters, digits, _ "
                "and - only (%s)",
                path, out->name);
    return false;
  }
  src = read_source(path, &len, probs);
  if (!src)
    return false;
  lines = malloc(sizeof *lines);
  if (!lines) {
    add_problem(probs, "%s:1: not enough memory", path);
    goto done;
  }
  scan_lines(src, len, lines);

  L = lua_newstate(fl_alloc, &st);
  if (!L) {
    add_problem(probs, "%s:1: not enough memory", path);
    goto done;
  }
  *(fl_state **)lua_getextraspace(L) = &st;
  lua_pushcfunction(L, fl_setup);
  lua_pushlightuserdata(L, src);
  lua_pushinteger(L, (lua_Integer)len);
  status = lua_pcall(L, 2, 1, 0);
  if (status != LUA_OK) {
    lua_problem(L, &st, status, probs);
    goto done;
  }
  clock_gettime(CLOCK_MONOTONIC, &st.t0);
  lua_sethook(L, fl_hook, LUA_MASKCOUNT | LUA_MASKLINE, FL_HOOK_STEP);
  status = lua_pcall(L, 0, 1, 0);
  lua_sethook(L, NULL, 0, 0);
  if (status != LUA_OK) {
    lua_problem(L, &st, status, probs);
    goto done;
  }
  /* the result must be a table figure{} made */
  chk.st = &st;
  chk.lines = lines;
  chk.fig = out;
  chk.probs = probs;
  chk.call_line = 0;
  lua_getfield(L, LUA_REGISTRYINDEX, FL_REG_MADE);
  if (lua_type(L, -2) == LUA_TTABLE) {
    lua_pushvalue(L, -2);
    lua_rawget(L, -2);
    chk.call_line = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
  }
  if (chk.call_line <= 0) {
    int any = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) { /* was figure{} called at all? */
      any = (int)lua_tointeger(L, -1);
      lua_pop(L, 2);
      break;
    }
    add_problem(probs,
                "%s:%d: the file must return figure{...} (write 'return "
                "figure { ... }')",
                path, any > 0 ? any : 1);
    goto done;
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, fl_check_table);
  lua_insert(L, -2);
  lua_pushlightuserdata(L, &chk);
  status = lua_pcall(L, 2, 0, 0);
  if (status != LUA_OK)
    lua_problem(L, &st, status, probs);
done:
  if (L)
    lua_close(L);
  free(lines);
  free(src);
  if (probs->n > before)
    return false;
  fig_prepare(out);
  return true;
}
