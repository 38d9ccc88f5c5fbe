/* catalog: the routines in a directory, as the home screen lists them.
 *
 * Loads every *.lua file's metadata (in name order), estimates each one's
 * minutes by a dry run on the virtual clock unless it says `minutes`, and
 * collects the problems of files that do not load, so a broken routine is
 * visible to the therapist instead of silently missing. */
#ifndef RB_CATALOG_H
#define RB_CATALOG_H

#include "lua_host.h"

typedef struct rb_catalog rb_catalog;
struct rb_plugins;

/* Never fails for a missing directory (the catalog is empty and says so
 * in its problems); NULL only when out of memory. */
rb_catalog *rb_catalog_load(const char *dir, const struct rb_plugins *plugins);
/* The same, leaving off the files on the sentry's list `held` (NULL:
 * none) that held the coach at an earlier start (sentry.h): named in the
 * problems until they change. */
rb_catalog *rb_catalog_load_except(const char *dir,
                                   const struct rb_plugins *plugins,
                                   const char *held);
void rb_catalog_free(rb_catalog *c);

const char *rb_catalog_dir(const rb_catalog *c);
int rb_catalog_count(const rb_catalog *c);
const rb_meta *rb_catalog_meta(const rb_catalog *c, int i);
double rb_catalog_minutes(const rb_catalog *c, int i);
/* "FILE:LINE: message" lines, "" when every file loaded. */
const char *rb_catalog_problems(const rb_catalog *c);

/* Finds a routine by file path (anything with a '/' or ending in .lua
 * that exists) or by id in the catalog. */
bool rb_catalog_resolve(const rb_catalog *c, const char *id_or_file, char *path,
                        size_t n);

#endif
