/* editor: help for the therapist's editor, and a routine to start from.
 *
 * `rebalance editor [DIR]` writes, from the engine's API table
 * (api_spec.h): types/rebalance.lua, a LuaLS ---@meta file with every
 * global and option table (completion, hover, type checks in VS Code,
 * Neovim, ...); .luarc.json, which points LuaLS at it and switches off
 * the libraries a routine cannot use; .luacheckrc, a luacheck standard of
 * exactly a routine's globals. `rebalance new ID` writes ID.lua, a
 * commented routine to start from, never over an existing file. */
#ifndef RB_EDITOR_H
#define RB_EDITOR_H

#include <stddef.h>

/* Writes the three files into dir (made if missing). Returns how many,
 * or -1 with err. */
int rb_editor_write(const char *dir, char *err, size_t errlen);

/* Writes dir/ID.lua from the template; its path in path. 0, or -1 with
 * err (a bad id, the file exists). */
int rb_editor_new_routine(const char *dir, const char *id, char *path,
                          size_t pathlen, char *err, size_t errlen);

#endif
