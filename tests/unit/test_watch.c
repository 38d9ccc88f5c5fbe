/* watch: files written, renamed and deleted in a temp dir are one change
 * once they settle; editor temp files are none; folders that do not exist
 * yet, go away, come back or are replaced; an overflowing queue.
 *
 * Time is virtual: the test passes `now` and never sleeps to let a
 * debounce run out. inotify queues an event before the write, close,
 * rename or unlink that made it returns, so the test only waits (poll,
 * bounded by a generous timeout) to be sure of what is queued. */
#include "tap.h"
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAIT_MS 5000 /* for events already queued: generous */

static char tmp[64] = "/tmp/rb-watch-XXXXXX";

static const char *at(const char *name) {
  static char path[4][256];
  static int i;
  i = (i + 1) % 4;
  snprintf(path[i], sizeof path[i], "%s/%s", tmp, name);
  return path[i];
}

static void put(const char *name, const char *text) {
  FILE *f = fopen(at(name), "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0)
    printf("# write %s: %s\n", name, strerror(errno));
}

static void gone(const char *name) {
  if (unlink(at(name)) != 0)
    printf("# unlink %s: %s\n", name, strerror(errno));
}

static void mv(const char *from, const char *to) {
  if (rename(at(from), at(to)) != 0)
    printf("# rename %s %s: %s\n", from, to, strerror(errno));
}

static void md(const char *name) {
  if (mkdir(at(name), 0755) != 0)
    printf("# mkdir %s: %s\n", name, strerror(errno));
}

static void rm_rf(const char *path) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0)
    printf("# %s failed\n", cmd);
}

static bool readable(const rb_watch *w, int timeout_ms) {
  struct pollfd p = {rb_watch_fd(w), POLLIN, 0};
  int r;
  do
    r = poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  return r > 0 && (p.revents & POLLIN);
}

/* Events are queued: reads them all at `now`. Returns how many times
 * rb_watch_changed said true meanwhile (0 unless a change was due). */
static int pump(rb_watch *w, rb_ms now) {
  int n = 0;
  if (!readable(w, WAIT_MS))
    printf("# no events within %d ms\n", WAIT_MS);
  do
    n += rb_watch_changed(w, now);
  while (readable(w, 0));
  return n;
}

/* Calls rb_watch_changed every 10 ms of virtual time from `from` to
 * `to`; how often it said true, and when first (*when). */
static int run(rb_watch *w, rb_ms from, rb_ms to, rb_ms *when) {
  int n = 0;
  if (when)
    *when = -1;
  for (rb_ms t = from; t <= to; t += 10)
    if (rb_watch_changed(w, t)) {
      if (when && n == 0)
        *when = t;
      n++;
    }
  return n;
}

/* Something happened at `t` (already queued): one change, at t + 300. */
static void one_change(rb_watch *w, rb_ms t, const char *what) {
  rb_ms when;
  int early = pump(w, t);
  is_int(rb_watch_due(w), t + RB_WATCH_SETTLE_MS, "%s: due %d ms later", what,
         RB_WATCH_SETTLE_MS);
  is_int(early + run(w, t, t + 2000, &when), 1, "%s: one change", what);
  is_int(when, t + RB_WATCH_SETTLE_MS, "%s: once settled", what);
  is_int(rb_watch_due(w), RB_MS_NEVER, "%s: nothing pending after", what);
}

/* Events happened (queued) that are no change. */
static void no_change(rb_watch *w, rb_ms t, const char *what) {
  int n = pump(w, t);
  is_int(rb_watch_due(w), RB_MS_NEVER, "%s: nothing pending", what);
  is_int(n + run(w, t, t + 2000, NULL), 0, "%s: no change", what);
}

/* Something happened where nothing is watched: not even an event. */
static void unseen(rb_watch *w, rb_ms t, const char *what) {
  int n;
  ok(!readable(w, 0), "%s: no event", what);
  n = rb_watch_changed(w, t);
  is_int(rb_watch_due(w), RB_MS_NEVER, "%s: nothing pending", what);
  is_int(n + run(w, t, t + 2000, NULL), 0, "%s: no change", what);
}

static void basics(void) {
  rb_watch *w = rb_watch_new();
  int fd;
  ok(w != NULL, "rb_watch_new");
  if (!w)
    return;
  ok(rb_watch_fd(w) >= 0, "an fd to poll");
  fd = fcntl(rb_watch_fd(w), F_GETFL);
  ok(fd >= 0 && (fd & O_NONBLOCK), "non-blocking");
  ok(rb_watch_add(w, tmp), "watch %s", tmp);
  is_str(rb_watch_error(w), "", "no error");
  ok(!readable(w, 0), "no events: nothing to read");
  is_int(run(w, 0, 5000, NULL), 0, "no events: no change");
  is_int(rb_watch_due(w), RB_MS_NEVER, "nothing due");

  put("a.lua", "return 1\n");
  one_change(w, 10000, "a.lua written");

  /* vim's :w with backupcopy=auto: its swap file, the 4913 probe, the old
   * file renamed to a backup, the new one written, the backup deleted */
  put(".a.lua.swp", "swap");
  put("4913", "");
  gone("4913");
  mv("a.lua", "a.lua~");
  put("a.lua", "return 2\n");
  gone("a.lua~");
  gone(".a.lua.swp");
  one_change(w, 20000, "vim's save");

  /* the same burst read in three goes, 100 ms apart: the debounce runs
   * from the last */
  put("b.lua", "return 1\n");
  is_int(pump(w, 30000), 0, "b.lua at 30000: not yet");
  is_int(rb_watch_due(w), 30300, "due at 30300");
  put("b.lua", "return 2\n");
  is_int(pump(w, 30100), 0, "again at 30100: not yet");
  mv("b.lua", "c.lua");
  is_int(pump(w, 30200), 0, "renamed at 30200: not yet");
  is_int(rb_watch_due(w), 30500, "due at 30500");
  ok(!rb_watch_changed(w, 30499), "not at 30499");
  ok(rb_watch_changed(w, 30500), "at 30500");
  ok(!rb_watch_changed(w, 30510), "and only once");

  /* a USB copy of 50 files, one read every 20 ms: one change */
  {
    int during = 0;
    rb_ms t = 40000, when;
    for (int i = 0; i < 50; i++) {
      char name[32];
      snprintf(name, sizeof name, "copy%02d.lua", i);
      put(name, "return routine{}\n");
      t += 20;
      during += pump(w, t);
    }
    is_int(during, 0, "50 files copied: no change while they come");
    is_int(run(w, t, t + 2000, &when), 1, "one change after");
    is_int(when, t + RB_WATCH_SETTLE_MS, "300 ms after the last");
  }

  /* temp and other files: events, but no change */
  put(".x.lua.swp", "swap");
  put("x.lua~", "backup");
  if (symlink("user@host.1234:1", at(".#x.lua")) != 0) /* emacs's lock */
    printf("# symlink: %s\n", strerror(errno));
  put("#x.lua#", "autosave");
  put("4913", "");
  put("notes.txt", "text");
  put("x.lua.part", "half");
  mv("x.lua.part", "x.lua.old");
  put("plugin.so.dpkg-new", "ELF");
  gone("4913");
  gone(".x.lua.swp");
  gone(".#x.lua");
  put(".hidden.lua", "return 1\n");
  no_change(w, 50000, "editor temp files, .txt, .part, .dpkg-new");

  /* the rename of a temp file to its real name is the change */
  mv("plugin.so.dpkg-new", "plugin.so");
  one_change(w, 60000, "dpkg's rename to plugin.so");

  /* a plugin being written: created, not closed yet, is no change */
  fd = open(at("slow.so"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  ok(fd >= 0, "slow.so opened");
  if (fd >= 0 && write(fd, "ELF", 3) != 3)
    printf("# write: %s\n", strerror(errno));
  no_change(w, 70000, "slow.so created, still open");
  if (fd >= 0 && close(fd) != 0)
    printf("# close: %s\n", strerror(errno));
  one_change(w, 71000, "slow.so closed");

  gone("c.lua");
  one_change(w, 80000, "c.lua deleted");
  md("elsewhere");
  mv("copy00.lua", "elsewhere/copy00.lua");
  one_change(w, 81000, "copy00.lua moved out");
  mv("elsewhere/copy00.lua", "copy00.lua");
  one_change(w, 82000, "copy00.lua moved in");
  put("elsewhere/deep.lua", "return 1\n");
  unseen(w, 83000, "a subfolder's file");
  if (symlink("/nowhere/linked.lua", at("linked.lua")) != 0)
    printf("# symlink: %s\n", strerror(errno));
  one_change(w, 84000, "a symlink made");

  ok(rb_watch_add(w, tmp), "adding it again is fine");
  put("twice.lua", "return 1\n");
  one_change(w, 85000, "still one change");

  rb_watch_set_settle(w, 50);
  put("quick.lua", "return 1\n");
  is_int(pump(w, 90000), 0, "settle 50 ms: not at once");
  is_int(rb_watch_due(w), 90050, "due 50 ms later");
  rb_watch_free(w);
}

static void folders(void) {
  rb_watch *w = rb_watch_new();
  char want[256];
  if (!w) {
    ok(0, "rb_watch_new");
    return;
  }
  /* bad adds */
  ok(!rb_watch_add(w, ""), "an empty path is refused");
  ok(!rb_watch_add(w, at("no/such/place")), "a folder without a parent: false");
  snprintf(want, sizeof want,
           "%s: no such folder, and %s: ", at("no/such/place"), at("no/such"));
  like(rb_watch_error(w), want, "says so: %s", rb_watch_error(w));
  put("file.lua", "return 1\n");
  ok(!rb_watch_add(w, at("file.lua")), "a file: false");
  like(rb_watch_error(w), "file.lua: not a folder", "says so: %s",
       rb_watch_error(w));

  /* a folder that is not there yet, added with a trailing slash */
  {
    char later[256];
    snprintf(later, sizeof later, "%s/", at("later"));
    ok(rb_watch_add(w, later), "a missing folder with a parent: watched for");
  }
  put("noise.lua", "return 1\n");
  no_change(w, 1000, "a file in its parent");
  md("later");
  one_change(w, 2000, "the folder made");
  put("later/x.lua", "return 1\n");
  one_change(w, 3000, "a file in it");

  /* removed, then made again */
  gone("later/x.lua");
  if (rmdir(at("later")) != 0)
    printf("# rmdir: %s\n", strerror(errno));
  one_change(w, 4000, "emptied and removed");
  put("later", "a file where the folder was");
  no_change(w, 5000, "a file in its place");
  gone("later");
  md("later");
  one_change(w, 6000, "made again");
  put("later/y.lua", "return 1\n");
  one_change(w, 7000, "its files are seen again");

  /* renamed away, the old one no longer counts */
  mv("later", "later.old");
  one_change(w, 8000, "renamed away");
  put("later.old/z.lua", "return 1\n");
  unseen(w, 9000, "the renamed one's files");
  md("later");
  one_change(w, 10000, "a new one in its place");
  put("later/z.lua", "return 1\n");
  one_change(w, 11000, "its files are seen");

  /* replaced by a rename over it (an empty folder can be) */
  gone("later/z.lua");
  pump(w, 12000);
  (void)run(w, 12000, 13000, NULL);
  md("fresh");
  put("fresh/f.lua", "return 1\n");
  mv("fresh", "later");
  one_change(w, 14000, "replaced by a rename");
  put("later/g.lua", "return 1\n");
  one_change(w, 15000, "the new one's files are seen");

  /* nested: a watched folder is the parent of a missing one */
  ok(rb_watch_add(w, at("later/figures")), "later/figures, not there yet");
  md("later/figures");
  one_change(w, 16000, "later/figures made");
  put("later/figures/arm.lua", "return 1\n");
  one_change(w, 17000, "a figure");
  put("later/h.lua", "return 1\n");
  one_change(w, 18000, "a routine beside it");

  /* the whole tree removed: no crash, both watched for again */
  rm_rf(at("later"));
  one_change(w, 19000, "the tree removed");
  md("later");
  md("later/figures");
  one_change(w, 20000, "made again");
  put("later/figures/leg.lua", "return 1\n");
  one_change(w, 21000, "a figure in the new one");

  /* a missing folder whose parent goes too: lost, said, no crash */
  md("p");
  md("p/q");
  ok(rb_watch_add(w, at("p/q/r")), "p/q/r, missing, watched for");
  rm_rf(at("p"));
  pump(w, 22000);
  (void)run(w, 22000, 23000, NULL);
  like(rb_watch_error(w), "p/q/r: no such folder", "lost, and said: %s",
       rb_watch_error(w));
  put("later/i.lua", "return 1\n");
  one_change(w, 24000, "the others still work");
  rb_watch_free(w);
}

static void overflow(void) {
  FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
  long max = 0;
  rb_watch *w;
  int n;
  if (!f || fscanf(f, "%ld", &max) != 1)
    max = 0;
  if (f)
    fclose(f);
  if (max <= 0 || max > 100000) {
    ok(1, "# SKIP max_queued_events is %ld", max);
    return;
  }
  md("flood");
  w = rb_watch_new();
  if (!w || !rb_watch_add(w, at("flood"))) {
    ok(0, "watch flood: %s", w ? rb_watch_error(w) : strerror(errno));
    rb_watch_free(w);
    return;
  }
  /* two events a file (create, close-write): more than the queue holds */
  for (long i = 0; i < max / 2 + 64; i++) {
    char name[64];
    int fd;
    snprintf(name, sizeof name, "flood/f%06ld.txt", i);
    fd = open(at(name), O_CREAT | O_WRONLY, 0644);
    if (fd < 0 || close(fd) != 0) {
      printf("# %s: %s\n", name, strerror(errno));
      break;
    }
  }
  n = pump(w, 1000);
  is_int(n, 0, "an overflow of .txt files: not at once");
  is_int(rb_watch_due(w), 1300, "but a change (events were lost)");
  is_int(run(w, 1000, 3000, NULL), 1, "one");
  put("flood/after.lua", "return 1\n");
  one_change(w, 4000, "watched still");
  rb_watch_free(w);
}

int main(void) {
  if (!mkdtemp(tmp)) {
    printf("Bail out! mkdtemp: %s\n", strerror(errno));
    return 1;
  }
  basics();
  folders();
  overflow();
  /* NULL is harmless */
  rb_watch_free(NULL);
  ok(!rb_watch_changed(NULL, 0), "changed(NULL) is false");
  is_int(rb_watch_fd(NULL), -1, "fd(NULL) is -1");
  is_int(rb_watch_due(NULL), RB_MS_NEVER, "due(NULL) is never");
  ok(!rb_watch_add(NULL, "/tmp"), "add(NULL) is false");
  rm_rf(tmp);
  return tap_done();
}
