/* watch: inotify on a few folders, debounced on the caller's clock.
 *
 * Every watch uses the same mask, so a folder that is both watched and
 * the parent of a missing one (routines/ and routines/figures/) is one
 * inotify watch, shared: the kernel hands back the same wd for the same
 * inode, and a wd is removed only when no folder uses it any more. Any
 * event that may mean a folder came, went or moved (its own
 * DELETE_SELF/MOVE_SELF/IGNORED/UNMOUNT, its name made in a watched
 * parent, an overflow) looks every folder up again; a folder whose wd
 * changed in that is a change. */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_MASK                                                             \
  (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |      \
   IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
/* Events the watched folder itself is gone or moved by. */
#define GONE_MASK (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED)
/* Reads per rb_watch_changed: more waiting keeps the fd readable. */
#define MAX_READS 64

typedef struct {
  char *path;   /* as given, without trailing slashes */
  char *parent; /* its folder ("." or "/" at the top) */
  char *base;   /* its last component */
  int wd;       /* the folder's watch, -1 while it is missing */
  int pwd;      /* the parent's watch while the folder is missing, or -1 */
} rb_watch_dir;

struct rb_watch {
  int fd;
  rb_watch_dir *dirs;
  size_t ndirs;
  bool pending; /* a change was seen, not yet reported */
  rb_ms last;   /* when the last relevant event was read */
  rb_ms settle;
  char error[PATH_MAX + 128];
};

rb_watch *rb_watch_new(void) {
  rb_watch *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->settle = RB_WATCH_SETTLE_MS;
  w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->fd < 0) {
    int saved = errno;
    free(w);
    errno = saved;
    return NULL;
  }
  return w;
}

static void free_dir(rb_watch_dir *e) {
  free(e->path);
  free(e->parent);
  free(e->base);
}

void rb_watch_free(rb_watch *w) {
  if (!w)
    return;
  for (size_t i = 0; i < w->ndirs; i++)
    free_dir(&w->dirs[i]);
  free(w->dirs);
  if (w->fd >= 0)
    (void)close(w->fd); /* drops every watch */
  free(w);
}

int rb_watch_fd(const rb_watch *w) { return w ? w->fd : -1; }

void rb_watch_set_settle(rb_watch *w, rb_ms ms) {
  if (w)
    w->settle = ms < 0 ? 0 : ms;
}

const char *rb_watch_error(const rb_watch *w) {
  return w ? w->error : "no watch";
}

rb_ms rb_watch_due(const rb_watch *w) {
  if (!w || !w->pending)
    return RB_MS_NEVER;
  return w->last > RB_MS_NEVER - w->settle ? RB_MS_NEVER : w->last + w->settle;
}

/* Names the catalog and the plugin loader read: *.lua and *.so, not
 * hidden. That leaves out .x.lua.swp, .#x.lua, x.lua~, 4913, #x.lua#,
 * x.lua.part and x.so.dpkg-new without naming them. */
static bool counts(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || name[0] == '.')
    return false;
  return (n > 4 && strcmp(name + n - 4, ".lua") == 0) ||
         (n > 3 && strcmp(name + n - 3, ".so") == 0);
}

/* dir/name is a symlink (made whole, so no CLOSE_WRITE follows). */
static bool is_link(const char *dir, const char *name) {
  char path[PATH_MAX];
  struct stat st;
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
    return false;
  return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Drops watch `wd` unless some folder still uses it. */
static void release(rb_watch *w, int wd) {
  if (wd < 0)
    return;
  for (size_t i = 0; i < w->ndirs; i++)
    if (w->dirs[i].wd == wd || w->dirs[i].pwd == wd)
      return;
  /* EINVAL: the kernel dropped it already (the folder went) */
  if (inotify_rm_watch(w->fd, wd) != 0 && errno != EINVAL)
    snprintf(w->error, sizeof w->error, "inotify_rm_watch: %s",
             strerror(errno));
}

static void set_wds(rb_watch *w, rb_watch_dir *e, int wd, int pwd) {
  int old = e->wd, oldp = e->pwd;
  e->wd = wd;
  e->pwd = pwd;
  if (old != wd && old != pwd)
    release(w, old);
  if (oldp != wd && oldp != pwd && oldp != old)
    release(w, oldp);
}

static const char *why(int err) {
  switch (err) {
  case ENOSPC:
    return "too many inotify watches (fs.inotify.max_user_watches)";
  case ENOTDIR:
    return "not a folder";
  default:
    return strerror(err);
  }
}

/* Watches e's folder, or its parent while the folder is missing. strict
 * (rb_watch_add): a path that is not a folder is an error; later, a file
 * in its place is waited out like a missing folder. false: neither could
 * be watched (e is then lost until the next look-up). */
static bool arm(rb_watch *w, rb_watch_dir *e, bool strict) {
  int wd = inotify_add_watch(w->fd, e->path, WATCH_MASK), pwd, err;
  if (wd >= 0) {
    set_wds(w, e, wd, -1);
    return true;
  }
  err = errno;
  if (err != ENOENT && !(err == ENOTDIR && !strict)) {
    snprintf(w->error, sizeof w->error, "%s: %s: not watched", e->path,
             why(err));
    set_wds(w, e, -1, -1);
    return false;
  }
  pwd = inotify_add_watch(w->fd, e->parent, WATCH_MASK);
  if (pwd < 0) {
    err = errno;
    snprintf(w->error, sizeof w->error, "%s: no such folder, and %s: %s: %s",
             e->path, e->parent, why(err),
             strict ? "not watched" : "no longer watched");
    set_wds(w, e, -1, -1);
    return false;
  }
  set_wds(w, e, -1, pwd);
  /* made between the two calls: its creation event came before the
   * parent's watch */
  wd = inotify_add_watch(w->fd, e->path, WATCH_MASK);
  if (wd >= 0)
    set_wds(w, e, wd, -1);
  return true;
}

/* Looks every folder up again; a folder that came, went or is another
 * one now is a change. */
static void rearm_all(rb_watch *w, bool *hit) {
  bool lost = false;
  for (size_t i = 0; i < w->ndirs; i++) {
    int before = w->dirs[i].wd;
    if (!arm(w, &w->dirs[i], false)) /* it says so in error */
      lost = true;
    if (w->dirs[i].wd != before)
      *hit = true;
  }
  if (!lost) /* a folder lost before is watched (for) again */
    w->error[0] = '\0';
}

static void handle(rb_watch *w, const struct inotify_event *ev, bool *hit) {
  const char *name = ev->len > 0 ? ev->name : "";
  bool gone = (ev->mask & GONE_MASK) != 0, look = false;
  if (ev->mask & IN_Q_OVERFLOW) {
    *hit = true; /* events were lost: anything may have changed */
    rearm_all(w, hit);
    return;
  }
  for (size_t i = 0; i < w->ndirs; i++) {
    const rb_watch_dir *e = &w->dirs[i];
    if (e->wd >= 0 && e->wd == ev->wd) {
      if (gone)
        look = true;
      else if (counts(name) &&
               ((ev->mask &
                 (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) ||
                ((ev->mask & IN_CREATE) &&
                 ((ev->mask & IN_ISDIR) || is_link(e->path, name)))))
        *hit = true;
    } else if (e->pwd >= 0 && e->pwd == ev->wd) {
      if (gone || ((ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
                   strcmp(name, e->base) == 0))
        look = true;
    }
  }
  if (look)
    rearm_all(w, hit);
}

/* Reads every waiting event; true when one was a change. */
static bool drain(rb_watch *w) {
  _Alignas(struct inotify_event) char buf[8192];
  bool hit = false;
  for (int reads = 0; reads < MAX_READS; reads++) {
    ssize_t n = read(w->fd, buf, sizeof buf);
    size_t at = 0;
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        snprintf(w->error, sizeof w->error, "inotify: %s", strerror(errno));
      break;
    }
    if (n == 0)
      break;
    while ((size_t)n - at >= sizeof(struct inotify_event)) {
      const struct inotify_event *ev = (const struct inotify_event *)(buf + at);
      if (ev->len > (size_t)n - at - sizeof *ev)
        break; /* the kernel never splits an event; be safe anyway */
      handle(w, ev, &hit);
      at += sizeof *ev + ev->len;
    }
  }
  return hit;
}

bool rb_watch_changed(rb_watch *w, rb_ms now) {
  if (!w)
    return false;
  if (drain(w)) {
    w->pending = true;
    w->last = now;
  }
  if (!w->pending || now < rb_watch_due(w))
    return false;
  w->pending = false;
  return true;
}

/* path without trailing slashes, its parent and its last component */
static bool split(const char *dir, rb_watch_dir *e) {
  size_t n = strlen(dir);
  const char *slash;
  while (n > 1 && dir[n - 1] == '/')
    n--;
  e->path = strndup(dir, n);
  if (!e->path)
    return false;
  slash = strrchr(e->path, '/');
  if (!slash) {
    e->parent = strdup(".");
    e->base = strdup(e->path);
  } else {
    e->parent = slash == e->path ? strdup("/")
                                 : strndup(e->path, (size_t)(slash - e->path));
    e->base = strdup(slash + 1);
  }
  return e->parent && e->base;
}

bool rb_watch_add(rb_watch *w, const char *dir) {
  rb_watch_dir e = {NULL, NULL, NULL, -1, -1}, *grown;
  if (!w)
    return false;
  if (!dir || !*dir) {
    snprintf(w->error, sizeof w->error, "watch: no folder given");
    return false;
  }
  if (!split(dir, &e)) {
    snprintf(w->error, sizeof w->error, "watch: out of memory");
    goto fail;
  }
  for (size_t i = 0; i < w->ndirs; i++)
    if (strcmp(w->dirs[i].path, e.path) == 0) {
      free_dir(&e);
      /* watched already; a lost one is looked up again */
      return w->dirs[i].wd >= 0 || w->dirs[i].pwd >= 0 ||
             arm(w, &w->dirs[i], true);
    }
  grown = realloc(w->dirs, (w->ndirs + 1) * sizeof *w->dirs);
  if (!grown) {
    snprintf(w->error, sizeof w->error, "watch: out of memory");
    goto fail;
  }
  w->dirs = grown;
  w->dirs[w->ndirs] = e;
  w->ndirs++;
  if (!arm(w, &w->dirs[w->ndirs - 1], true)) {
    w->ndirs--;
    goto fail;
  }
  return true;
fail:
  free_dir(&e);
  return false;
}
