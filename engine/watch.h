/* watch: folders whose routines, figures or plugins changed, so the app
 * reloads them without a restart (inotify, Linux).
 *
 * Only names that end in ".lua" or ".so" and do not start with '.' count
 * (what the catalog and the plugin loader read): an editor's temp and
 * backup files (.x.lua.swp, x.lua~, .#x.lua, 4913, #x.lua#), a download's
 * x.lua.part and a package's x.so.dpkg-new are ignored; their rename to
 * the real name is what counts. A file counts when it is closed after
 * writing, moved in, moved out or deleted; a symlink when it is made. A
 * file merely created does not: a half-written plugin must not be loaded.
 *
 * Changes are debounced: rb_watch_changed returns true once, when no
 * event has come for RB_WATCH_SETTLE_MS (an editor's save, or a USB copy
 * of 50 files, is one reload). Time is the caller's (rb_clock_raw, or a
 * virtual clock in tests). The fd is non-blocking: poll it for POLLIN and
 * sleep no longer than rb_watch_due, then call rb_watch_changed.
 *
 * A folder that does not exist yet is watched for through its parent and
 * taken up when it is made (that is a change); a watched folder that is
 * removed or renamed away is a change and is watched for again the same
 * way. Only when its parent goes too is it lost (rb_watch_error says so).
 * IN_Q_OVERFLOW (the kernel dropped events) is a change, and every folder
 * is looked up again. */
#ifndef RB_WATCH_H
#define RB_WATCH_H

#include "clock.h"

#include <stdbool.h>

#define RB_WATCH_SETTLE_MS 300

typedef struct rb_watch rb_watch;

/* NULL when inotify cannot be had (errno says why: EMFILE is
 * fs.inotify.max_user_instances) or out of memory. */
rb_watch *rb_watch_new(void);
void rb_watch_free(rb_watch *w);

/* Watches dir (not its subfolders). A dir that does not exist yet is
 * waited for through its parent. false, with rb_watch_error saying why,
 * when neither dir nor its parent can be watched (dir is a file, the
 * parent is missing too, too many watches: fs.inotify.max_user_watches).
 * Adding a dir twice is harmless. */
bool rb_watch_add(rb_watch *w, const char *dir);

/* For poll(): readable when events wait. */
int rb_watch_fd(const rb_watch *w);

/* Reads what events wait (never blocks) and returns true once when
 * changes have settled: `now` is RB_WATCH_SETTLE_MS past the last
 * relevant event read. Call it when the fd is readable and at
 * rb_watch_due. */
bool rb_watch_changed(rb_watch *w, rb_ms now);
/* When rb_watch_changed may next return true: RB_MS_NEVER when nothing is
 * pending. Events read later push it back. */
rb_ms rb_watch_due(const rb_watch *w);

/* How long a burst must be quiet (default RB_WATCH_SETTLE_MS, >= 0). */
void rb_watch_set_settle(rb_watch *w, rb_ms ms);

/* The last problem ("/x/routines: no such folder, and /x: No such file
 * or directory: no longer watched"), "" when none. Cleared when every
 * folder is watched (for) again after one was lost. */
const char *rb_watch_error(const rb_watch *w);

#endif
