/* backlight: hw/backlight.c against a fake sysfs tree in a temp dir, laid
 * out as the kernel does it: class/NAME is a symlink to the device's
 * directory under devices/. Percent mapping and its floor, the first
 * device or a named one, hostile values (0, garbage, huge, negative,
 * empty, a FIFO), missing files, a device that goes away, a brightness
 * file that may not be written. */
#include "backlight.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[64] = "/tmp/rb-backlight-XXXXXX";
static char root[128]; /* TMP/class */

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    printf("# %s: %s\n", path, strerror(errno));
    return;
  }
  fputs(text, f);
  if (fclose(f) != 0)
    printf("# %s: %s\n", path, strerror(errno));
}

static void slurp(const char *path, char *out, size_t len) {
  FILE *f = fopen(path, "r");
  size_t n = 0;
  out[0] = '\0';
  if (!f)
    return;
  n = fread(out, 1, len - 1, f);
  out[n] = '\0';
  fclose(f);
}

/* devices/DEV with those files (NULL: no such file) and class/NAME -> it */
static void device(const char *name, const char *max, const char *level) {
  char dir[256], path[320], link[256];
  snprintf(dir, sizeof dir, "%s/devices/%s", tmp, name);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST)
    printf("# mkdir %s: %s\n", dir, strerror(errno));
  if (max) {
    snprintf(path, sizeof path, "%s/max_brightness", dir);
    put(path, max);
  }
  if (level) {
    snprintf(path, sizeof path, "%s/brightness", dir);
    put(path, level);
  }
  snprintf(link, sizeof link, "%s/%s", root, name);
  snprintf(path, sizeof path, "../devices/%s", name);
  if (symlink(path, link) != 0 && errno != EEXIST)
    printf("# symlink %s: %s\n", link, strerror(errno));
}

static void file_of(const char *name, const char *file, char *out, size_t len) {
  snprintf(out, len, "%s/devices/%s/%s", tmp, name, file);
}

static void rm_rf(const char *path) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0)
    printf("# %s failed\n", cmd);
}

/* Opening a tree with one device made of these values: NULL and the
 * message, or the device. */
static rb_backlight *one(const char *name, const char *max, const char *level,
                         char *err, size_t errlen) {
  device(name, max, level);
  return rb_backlight_open(root, name, err, errlen);
}

static void hostile(void) {
  char err[512];
  rb_backlight *b;
  struct {
    const char *name, *max, *level, *want;
  } cases[] = {
      {"zero", "0\n", "0\n", "max_brightness: 0, the device has no levels"},
      {"garbage", "abc\n", "1\n", "max_brightness: not a number (\"abc?\")"},
      {"trailing", "12abc\n", "1\n", "max_brightness: not a number"},
      {"negative", "-1\n", "1\n", "max_brightness: not a number"},
      {"empty", "", "1\n", "max_brightness: empty"},
      {"blank", " \n", "1\n", "max_brightness: empty"},
      {"huge", "99999999999999999999\n", "1\n", "max_brightness: out of range"},
      {"over", "2147483648\n", "1\n", "max_brightness: out of range"},
      {"long", "0000000000000000000000000000000000000000001\n", "1\n",
       "max_brightness: not a number"},
      {"nomax", NULL, "1\n", "max_brightness: No such file or directory"},
      {"nolevel", "255\n", NULL, "brightness: No such file or directory"},
      {"badlevel", "255\n", "x\n", "brightness: not a number (\"x?\")"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    err[0] = '\0';
    b = one(cases[i].name, cases[i].max, cases[i].level, err, sizeof err);
    ok(b == NULL, "%s: not opened", cases[i].name);
    like(err, cases[i].want, "%s: says so", cases[i].name);
    like(err, ": dimming is off", "%s: and that dimming is off", cases[i].name);
    rb_backlight_close(b);
  }
  /* a NUL inside the value */
  {
    char path[256];
    FILE *f;
    device("nul", NULL, "1\n");
    file_of("nul", "max_brightness", path, sizeof path);
    f = fopen(path, "w");
    if (!f || fwrite("25\0005\n", 1, 5, f) != 5 || fclose(f) != 0)
      printf("# %s: %s\n", path, strerror(errno));
    b = rb_backlight_open(root, "nul", err, sizeof err);
    ok(b == NULL, "a NUL in max_brightness: not opened");
    like(err, "max_brightness: not a number (\"25?5?\")", "says so: %s", err);
  }
  /* the largest accepted, and arithmetic that must not overflow there */
  b = one("intmax", "2147483647\n", "7\n", err, sizeof err);
  ok(b != NULL, "max_brightness INT_MAX opens: %s", err);
  if (b) {
    char path[256], got[64];
    is_int(rb_backlight_max(b), INT_MAX, "max is INT_MAX");
    is_int(rb_backlight_raw(b, 100), INT_MAX, "100%% is INT_MAX");
    ok(rb_backlight_raw(b, 99) < INT_MAX && rb_backlight_raw(b, 99) > 0,
       "99%% is below it: %d", rb_backlight_raw(b, 99));
    ok(rb_backlight_set(b, 50), "50%% written");
    file_of("intmax", "brightness", path, sizeof path);
    slurp(path, got, sizeof got);
    is_int(atoll(got), rb_backlight_raw(b, 50), "as %lld", atoll(got));
    is_int(rb_backlight_get(b), 50, "and read back as 50%%");
  }
  rb_backlight_close(b);
  /* a FIFO in place of a value file: no hang, an error */
  {
    char path[256];
    device("fifo", NULL, "1\n");
    file_of("fifo", "max_brightness", path, sizeof path);
    if (mkfifo(path, 0644) != 0)
      printf("# mkfifo %s: %s\n", path, strerror(errno));
    b = rb_backlight_open(root, "fifo", err, sizeof err);
    ok(b == NULL, "a FIFO as max_brightness: no hang, not opened");
    like(err, "max_brightness: empty", "says it is empty");
    rb_backlight_close(b);
  }
  /* a device entry that is a file, not a directory */
  {
    char path[256];
    snprintf(path, sizeof path, "%s/plainfile", root);
    put(path, "255\n");
    b = rb_backlight_open(root, "plainfile", err, sizeof err);
    ok(b == NULL, "a file as the device: not opened");
    like(err, "plainfile: not a directory", "says so");
    if (unlink(path) != 0)
      printf("# unlink %s: %s\n", path, strerror(errno));
  }
  /* names that would leave the tree */
  b = rb_backlight_open(root, "../devices/zero", err, sizeof err);
  ok(b == NULL, "a device name with a '/' is refused");
  like(err, "not a device name", "says so: %s", err);
  b = rb_backlight_open(root, "..", err, sizeof err);
  ok(b == NULL, "\"..\" is refused");
  b = rb_backlight_open(root, "nope", err, sizeof err);
  ok(b == NULL, "a named device that is not there");
  like(err, "/nope: No such file or directory: dimming is off", "says so");
  /* no room for the message, or none wanted: no crash */
  b = rb_backlight_open(root, "nope", NULL, 0);
  ok(b == NULL, "err NULL is fine");
  b = rb_backlight_open(root, "nope", err, 1);
  ok(b == NULL && err[0] == '\0', "errlen 1: an empty message");
}

static void mapping(rb_backlight *b) {
  bool rises = true, back = true;
  int prev = 0;
  is_int(rb_backlight_raw(b, 0), 0, "0%% is off");
  is_int(rb_backlight_raw(b, 1), 13, "1%% is the floor, 5%% of 255 (13)");
  is_int(rb_backlight_raw(b, 100), 255, "100%% is max_brightness");
  is_int(rb_backlight_raw(b, -7), 0, "below 0 is off");
  is_int(rb_backlight_raw(b, 250), 255, "above 100 is max");
  for (int p = 1; p <= 100; p++) {
    int raw = rb_backlight_raw(b, p);
    if (raw <= prev)
      rises = false;
    prev = raw;
  }
  ok(rises, "every percent is a brighter level than the one below");
  for (int p = 0; p <= 100; p++) {
    char path[256], got[32];
    if (!rb_backlight_set(b, p)) {
      back = false;
      printf("# set %d: %s\n", p, rb_backlight_error(b));
      break;
    }
    file_of("panel", "brightness", path, sizeof path);
    slurp(path, got, sizeof got);
    if (atoi(got) != rb_backlight_raw(b, p) || rb_backlight_get(b) != p) {
      back = false;
      printf("# %d%%: wrote '%s', read back %d%%\n", p, got,
             rb_backlight_get(b));
      break;
    }
  }
  ok(back, "0-100%% written as their raw levels and read back the same");
}

/* The brightness file may not be written: as root, in a child that has
 * dropped to nobody (root writes through any mode bits). */
static void read_only(rb_backlight *b) {
  char path[256], msg[600] = "";
  int fds[2];
  pid_t pid;
  file_of("panel", "brightness", path, sizeof path);
  if (chmod(path, 0444) != 0)
    printf("# chmod %s: %s\n", path, strerror(errno));
  if (geteuid() != 0) {
    ok(!rb_backlight_set(b, 40), "a read-only brightness: set fails");
    like(rb_backlight_error(b), "Permission denied", "says why: %s",
         rb_backlight_error(b));
    like(rb_backlight_error(b), "video group", "and what to do");
    is_int(rb_backlight_get(b), 100, "get still reads it");
    goto done;
  }
  if (pipe(fds) != 0) {
    ok(0, "pipe: %s", strerror(errno));
    goto done;
  }
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    char out[600];
    (void)close(fds[0]);
    if (setgid(65534) != 0 || setuid(65534) != 0) {
      snprintf(out, sizeof out, "skip: cannot drop to nobody");
    } else {
      bool set = rb_backlight_set(b, 40);
      snprintf(out, sizeof out, "%s|%s|", set ? "set" : "refused",
               rb_backlight_error(b));
      snprintf(out + strlen(out), sizeof out - strlen(out), "%d",
               rb_backlight_get(b));
    }
    if (write(fds[1], out, strlen(out)) < 0)
      _exit(2);
    _exit(0);
  }
  (void)close(fds[1]);
  if (pid > 0) {
    ssize_t n, got = 0;
    int status = 0;
    while ((n = read(fds[0], msg + got, sizeof msg - 1 - (size_t)got)) > 0)
      got += n;
    msg[got > 0 ? got : 0] = '\0';
    (void)waitpid(pid, &status, 0);
  }
  (void)close(fds[0]);
  if (strncmp(msg, "skip", 4) == 0) {
    ok(1, "# SKIP %s", msg);
  } else {
    like(msg, "refused|", "a read-only brightness (as nobody): set fails");
    like(msg, "Permission denied (this user may not write it", "says why: %s",
         msg);
    like(msg, "|100", "get still reads it");
  }
done:
  if (chmod(path, 0644) != 0)
    printf("# chmod %s: %s\n", path, strerror(errno));
}

static void goes_away(rb_backlight *b) {
  char path[256], dir[256];
  file_of("panel", "brightness", path, sizeof path);
  snprintf(dir, sizeof dir, "%s/devices/panel", tmp);
  if (unlink(path) != 0)
    printf("# unlink %s: %s\n", path, strerror(errno));
  ok(!rb_backlight_set(b, 30), "brightness gone: set fails");
  like(rb_backlight_error(b), "brightness: No such file or directory",
       "says why: %s", rb_backlight_error(b));
  like(rb_backlight_error(b), "the device is gone", "in words");
  if (access(path, F_OK) == 0)
    ok(0, "set made the file it should not");
  else
    ok(1, "set did not make the file");
  is_int(rb_backlight_get(b), -1, "get: -1");
  like(rb_backlight_error(b), "No such file", "with its reason");
  rm_rf(dir);
  ok(!rb_backlight_set(b, 30), "the device's directory gone: set fails");
  ok(!rb_backlight_set(b, 0), "again, no crash");
  device("panel", "255\n", "2\n");
  ok(rb_backlight_set(b, 100), "back again: set works");
  is_str(rb_backlight_error(b), "", "and the error is cleared");
  is_int(rb_backlight_get(b), 100, "100%%");
  /* a directory in place of brightness (fails for root too) */
  if (unlink(path) != 0 || mkdir(path, 0755) != 0)
    printf("# mkdir %s: %s\n", path, strerror(errno));
  ok(!rb_backlight_set(b, 10), "brightness a directory: set fails");
  like(rb_backlight_error(b), "Is a directory", "says why: %s",
       rb_backlight_error(b));
  if (rmdir(path) != 0)
    printf("# rmdir %s: %s\n", path, strerror(errno));
  put(path, "9999\n");
  is_int(rb_backlight_get(b), 100, "a level above max reads as 100%%");
  put(path, "garbage");
  is_int(rb_backlight_get(b), -1, "garbage reads as -1");
  like(rb_backlight_error(b), "not a number", "says so");
}

int main(void) {
  char path[256], err[512];
  rb_backlight *b;

  if (!mkdtemp(tmp)) {
    printf("Bail out! mkdtemp: %s\n", strerror(errno));
    return 1;
  }
  /* nobody must reach the tree for the read-only check */
  if (chmod(tmp, 0755) != 0)
    printf("# chmod %s: %s\n", tmp, strerror(errno));
  snprintf(root, sizeof root, "%s/class", tmp);
  snprintf(path, sizeof path, "%s/devices", tmp);

  /* no tree, an empty one */
  b = rb_backlight_open(root, NULL, err, sizeof err);
  ok(b == NULL, "no sysfs root: no backlight");
  {
    char want[256];
    snprintf(want, sizeof want, "no backlight under %s: dimming is off", root);
    is_str(err, want, "no root: the message names where it looked");
    if (mkdir(root, 0755) != 0 || mkdir(path, 0755) != 0)
      printf("Bail out! mkdir: %s\n", strerror(errno));
    b = rb_backlight_open(root, "", err, sizeof err);
    ok(b == NULL, "empty class: no backlight");
    is_str(err, want, "the same message");
  }
  {
    char dot[256];
    snprintf(dot, sizeof dot, "%s/.hidden", root);
    if (mkdir(dot, 0755) != 0)
      printf("# mkdir %s: %s\n", dot, strerror(errno));
    b = rb_backlight_open(root, NULL, err, sizeof err);
    ok(b == NULL, "hidden entries are not devices");
  }

  hostile();

  /* the first usable one, in name order: "garbage", "long" ... fail;
   * "intmax" and "panel" work; make a fresh tree for the choice */
  rm_rf(root);
  rm_rf(path);
  if (mkdir(root, 0755) != 0 || mkdir(path, 0755) != 0)
    printf("Bail out! mkdir: %s\n", strerror(errno));
  device("a-broken", "zz\n", "1\n");
  device("b-broken", "0\n", "0\n");
  b = rb_backlight_open(root, NULL, err, sizeof err);
  ok(b == NULL, "only broken devices: none opened");
  like(err, "a-broken/max_brightness: not a number", "the first one's problem");
  like(err, ": dimming is off", "and what it means");
  device("panel", "255\n", "128\n");
  device("z-other", "100\n", "50\n");
  b = rb_backlight_open(root, NULL, err, sizeof err);
  ok(b != NULL, "the first usable device opens: %s", err);
  if (!b)
    return tap_done();
  is_str(rb_backlight_device(b), "panel", "it is 'panel', through its symlink");
  is_int(rb_backlight_max(b), 255, "max_brightness 255");
  /* (128 - 13) / (255 - 13) of the way from 1 to 100 */
  is_int(rb_backlight_get(b), 48, "brightness 128 is 48%%");
  is_str(rb_backlight_error(b), "", "no error");
  rb_backlight_close(b);
  b = rb_backlight_open(root, "z-other", err, sizeof err);
  ok(b != NULL, "a named device opens");
  is_str(rb_backlight_device(b), "z-other", "the one named");
  is_int(rb_backlight_max(b), 100, "its max_brightness");
  rb_backlight_close(b);
  b = rb_backlight_open(root, "b-broken", err, sizeof err);
  ok(b == NULL, "a named broken device does not open");
  like(err, "b-broken/max_brightness: 0", "says why: %s", err);

  b = rb_backlight_open(root, NULL, err, sizeof err);
  if (!b)
    return tap_done();
  mapping(b);
  ok(rb_backlight_set(b, 100), "100%%");
  read_only(b);
  goes_away(b);
  rb_backlight_close(b);

  /* an on/off backlight: max_brightness 1 */
  b = one("onoff", "1\n", "0\n", err, sizeof err);
  ok(b != NULL, "max_brightness 1 opens");
  is_int(rb_backlight_get(b), 0, "off is 0%%");
  is_int(rb_backlight_raw(b, 1), 1, "1%% is on");
  is_int(rb_backlight_raw(b, 50), 1, "50%% is on");
  ok(rb_backlight_set(b, 20), "set 20%%");
  is_int(rb_backlight_get(b), 100, "reads back as 100%% (on)");
  rb_backlight_close(b);

  /* NULL everywhere */
  rb_backlight_close(NULL);
  ok(!rb_backlight_set(NULL, 50), "set(NULL) is false");
  is_int(rb_backlight_get(NULL), -1, "get(NULL) is -1");
  ok(rb_backlight_error(NULL)[0] != '\0', "error(NULL) says something");
  is_int(rb_backlight_raw(NULL, 50), 0, "raw(NULL) is 0");

  rm_rf(tmp);
  return tap_done();
}
