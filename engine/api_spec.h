/* api_spec: the routine API as data: every global a routine sees, its
 * parameters, what it returns, and the keys of its option tables with
 * their types and one line each.
 *
 * It is the one source of truth for three things: the keys lua_api.c
 * accepts (an unknown key is an error naming the known ones), the editor
 * files `rebalance editor` writes (a LuaLS ---@meta file, .luarc.json and
 * a luacheck standard), and the docs' tables. */
#ifndef RB_API_SPEC_H
#define RB_API_SPEC_H

#define RB_API_VERSION "1.1"
#define RB_API_KEYS_MAX 16 /* keys of one option table, at most */

typedef struct {
  const char *name;
  const char *type; /* as LuaLS writes it; "?" at the end: optional */
  const char *doc;
} rb_api_key;

typedef struct {
  const char *name;       /* the global */
  const char *params;     /* "opts: rebalance.hold", LuaLS style */
  const char *returns;    /* LuaLS type, "" for none */
  const char *doc;        /* one line */
  const char *since;      /* API version: "1.0", "1.1" */
  const char *opts_class; /* its option table's class, or NULL */
  const rb_api_key *keys; /* that table's keys, ending with name NULL */
} rb_api_call;

/* Every call, ending with name NULL. */
const rb_api_call *rb_api_calls(void);
const rb_api_call *rb_api_call_named(const char *name);
/* The keys of an option table ("rebalance.hold", "rebalance.tempo"),
 * ending with name NULL; NULL when there is no such class. */
const rb_api_key *rb_api_class(const char *cls);
/* Lua's own globals a routine keeps, NULL-terminated. */
const char *const *rb_api_lua_globals(void);

#endif
