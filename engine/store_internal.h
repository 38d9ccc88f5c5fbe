/* store_internal: what store.c shares with store_read.c and
 * store_export.c, and nothing else sees. */
#ifndef RB_STORE_INTERNAL_H
#define RB_STORE_INTERNAL_H

#include "store.h"

#include <sqlite3.h>

/* The main thread's connection (reads, patients), NULL without a store. */
sqlite3 *rb_store_db(rb_store *st);
bool rb_store_writable(const rb_store *st);
time_t rb_store_now(const rb_store *st);
/* A random (version 4) UUID. */
void rb_store_new_uuid(char out[37]);
/* Says what went wrong (SQLite's rc) in plain words, once. */
void rb_store_report(rb_store *st, int rc);

#endif
