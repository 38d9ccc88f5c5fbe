/* backlight: sysfs backlight class, read and written with plain open(2),
 * read(2) and write(2).
 *
 * Every value file is read whole in one read (sysfs hands an attribute
 * over in one go) into a small buffer and parsed strictly: decimal digits
 * with surrounding white space, nothing else, never above INT_MAX. The
 * brightness file is opened anew for each write, without O_CREAT, so a
 * device that went away gives ENOENT or ENODEV instead of a stale fd or a
 * file made in its place. */
#include "backlight.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Longest value file accepted: INT_MAX has 10 digits; white space. */
#define VALUE_MAX 32
#define NAME_LEN 256

struct rb_backlight {
  char name[NAME_LEN];
  char brightness[PATH_MAX]; /* ROOT/DEVICE/brightness */
  int max;                   /* max_brightness, 1..INT_MAX */
  int floor;                 /* the lowest level above off */
  char error[PATH_MAX + 160];
};

static void say(char *out, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *out, size_t len, const char *fmt, ...) {
  va_list ap;
  if (!out || len == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(out, len, fmt, ap);
  va_end(ap);
}

/* A hint after strerror for the failures a kiosk meets. */
static const char *hint(int err) {
  switch (err) {
  case EACCES:
  case EPERM:
    return " (this user may not write it: is it in the video group, and "
           "is 60-rebalance-backlight.rules installed?)";
  case EROFS:
    return " (/sys is read-only here: ProtectKernelTunables= in the "
           "service?)";
  case ENOENT:
  case ENODEV:
  case ENXIO:
    return " (the device is gone)";
  default:
    return "";
  }
}

/* `text` shown safely in a message: at most 16 bytes, anything not
 * printable (a NUL too) as '?'. */
static void shown(const char *text, size_t n, char *out, size_t len) {
  size_t j = 0;
  for (size_t i = 0; i < n && j + 1 < len && i < 16; i++)
    out[j++] = isprint((unsigned char)text[i]) ? text[i] : '?';
  out[j] = '\0';
}

/* Reads the decimal integer in `path` into *out, 0 <= value <= INT_MAX.
 * On failure `why` says what is wrong with which file. */
static bool read_value(const char *path, int *out, char *why, size_t whylen) {
  char buf[VALUE_MAX + 1], seen[20];
  ssize_t n;
  size_t i = 0, len;
  int64_t v = 0;
  int digits = 0;
  /* O_NONBLOCK: a FIFO planted in the tree must not hang the coach. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    say(why, whylen, "%s: %s", path, strerror(errno));
    return false;
  }
  do
    n = read(fd, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    say(why, whylen, "%s: %s", path, strerror(errno));
    (void)close(fd);
    return false;
  }
  (void)close(fd); /* read-only: nothing to lose */
  len = (size_t)n;
  if (len > VALUE_MAX) {
    shown(buf, len, seen, sizeof seen);
    say(why, whylen, "%s: not a number (\"%s...\")", path, seen);
    return false;
  }
  buf[len] = '\0';
  while (i < len && isspace((unsigned char)buf[i]))
    i++;
  for (; i < len && isdigit((unsigned char)buf[i]); i++, digits++) {
    v = v * 10 + (buf[i] - '0');
    if (v > INT_MAX)
      break;
  }
  if (v > INT_MAX) {
    shown(buf, len, seen, sizeof seen);
    say(why, whylen, "%s: out of range (\"%s\", at most %d)", path, seen,
        INT_MAX);
    return false;
  }
  while (i < len && isspace((unsigned char)buf[i]))
    i++;
  if (digits == 0 && i == len) {
    say(why, whylen, "%s: empty", path);
    return false;
  }
  if (digits == 0 || i != len) {
    shown(buf, len, seen, sizeof seen);
    say(why, whylen, "%s: not a number (\"%s\")", path, seen);
    return false;
  }
  *out = (int)v;
  return true;
}

/* A device name as one directory entry: no '/', not "." or "..". */
static bool valid_name(const char *name) {
  size_t n = strlen(name);
  return n > 0 && n < NAME_LEN && !strchr(name, '/') && strcmp(name, ".") &&
         strcmp(name, "..");
}

/* Fills b from ROOT/NAME, or says in `why` what is wrong with it. */
static bool try_device(rb_backlight *b, const char *root, const char *name,
                       char *why, size_t whylen) {
  char dir[PATH_MAX], path[PATH_MAX];
  struct stat st;
  int max, level;
  if (snprintf(dir, sizeof dir, "%s/%s", root, name) >= (int)sizeof dir ||
      snprintf(path, sizeof path, "%s/max_brightness", dir) >=
          (int)sizeof path ||
      snprintf(b->brightness, sizeof b->brightness, "%s/brightness", dir) >=
          (int)sizeof b->brightness) {
    say(why, whylen, "%s/%s: path too long", root, name);
    return false;
  }
  if (stat(dir, &st) != 0) { /* follows sysfs's symlink to the device */
    say(why, whylen, "%s: %s", dir, strerror(errno));
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    say(why, whylen, "%s: not a directory", dir);
    return false;
  }
  if (!read_value(path, &max, why, whylen))
    return false;
  if (max < 1) {
    say(why, whylen, "%s: 0, the device has no levels", path);
    return false;
  }
  if (!read_value(b->brightness, &level, why, whylen))
    return false;
  snprintf(b->name, sizeof b->name, "%s", name);
  b->max = max;
  /* RB_BACKLIGHT_FLOOR_PERCENT of max, rounded up, at least 1 */
  b->floor = (int)(((int64_t)max * RB_BACKLIGHT_FLOOR_PERCENT + 99) / 100);
  if (b->floor < 1)
    b->floor = 1;
  return true;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* The entries of `root` but hidden ones, sorted. false: out of memory or
 * an unreadable directory (errno set). */
static bool list_names(const char *root, char ***names, size_t *count) {
  DIR *d = opendir(root);
  struct dirent *de;
  char **list = NULL;
  size_t n = 0;
  int saved;
  *names = NULL;
  *count = 0;
  if (!d)
    return false;
  while ((de = readdir(d)) != NULL) {
    char **grown;
    if (de->d_name[0] == '.')
      continue;
    grown = realloc(list, (n + 1) * sizeof *list);
    if (!grown)
      goto fail;
    list = grown;
    list[n] = strdup(de->d_name);
    if (!list[n])
      goto fail;
    n++;
  }
  (void)closedir(d);
  if (n > 1)
    qsort(list, n, sizeof *list, by_name);
  *names = list;
  *count = n;
  return true;
fail:
  saved = errno ? errno : ENOMEM;
  (void)closedir(d);
  free_names(list, n);
  errno = saved;
  return false;
}

rb_backlight *rb_backlight_open(const char *sysfs_root, const char *device,
                                char *err, size_t errlen) {
  rb_backlight *b = NULL;
  char **names = NULL;
  size_t n = 0;
  char why[PATH_MAX + 128] = "", other[sizeof why];
  const char *root =
      sysfs_root && *sysfs_root ? sysfs_root : RB_BACKLIGHT_SYSFS;
  say(err, errlen, "%s", "");
  b = calloc(1, sizeof *b);
  if (!b) {
    say(err, errlen, "backlight: out of memory: dimming is off");
    goto fail;
  }
  if (device && *device) {
    if (!valid_name(device)) {
      say(err, errlen, "backlight \"%s\": not a device name: dimming is off",
          device);
      goto fail;
    }
    if (!try_device(b, root, device, why, sizeof why)) {
      say(err, errlen, "%s: dimming is off", why);
      goto fail;
    }
    goto done;
  }
  if (!list_names(root, &names, &n)) {
    if (errno == ENOENT || errno == ENOTDIR)
      say(err, errlen, "no backlight under %s: dimming is off", root);
    else
      say(err, errlen, "%s: %s: dimming is off", root, strerror(errno));
    goto fail;
  }
  if (n == 0) {
    say(err, errlen, "no backlight under %s: dimming is off", root);
    goto fail;
  }
  for (size_t i = 0; i < n; i++) {
    /* the first device's problem is the one reported */
    char *into = i == 0 ? why : other;
    if (try_device(b, root, names[i], into, i == 0 ? sizeof why : sizeof other))
      goto done;
  }
  say(err, errlen, "%s: dimming is off", why);
fail:
  free_names(names, n);
  free(b);
  return NULL;
done:
  free_names(names, n);
  return b;
}

void rb_backlight_close(rb_backlight *b) { free(b); }

int rb_backlight_raw(const rb_backlight *b, int percent) {
  int64_t span;
  if (!b || percent <= 0)
    return 0;
  if (percent >= 100)
    return b->max;
  /* 1..100 onto floor..max, rounded to nearest */
  span = (int64_t)b->max - b->floor;
  return b->floor + (int)(((int64_t)(percent - 1) * span * 2 + 99) / 198);
}

/* The inverse of rb_backlight_raw, for any raw value. */
static int to_percent(const rb_backlight *b, int raw) {
  int64_t span = (int64_t)b->max - b->floor;
  int64_t p;
  if (raw <= 0)
    return 0;
  if (raw >= b->max)
    return 100;
  if (raw <= b->floor || span <= 0)
    return 1;
  p = 1 + (((int64_t)raw - b->floor) * 99 * 2 + span) / (2 * span);
  return p < 1 ? 1 : p > 100 ? 100 : (int)p;
}

static void fail(rb_backlight *b, const char *what, int err) {
  say(b->error, sizeof b->error, "%s: %s%s", what, strerror(err), hint(err));
}

bool rb_backlight_set(rb_backlight *b, int percent) {
  char text[24];
  int fd = -1, len, raw;
  ssize_t w;
  bool ok = false;
  if (!b)
    return false;
  b->error[0] = '\0';
  raw = rb_backlight_raw(b, percent);
  len = snprintf(text, sizeof text, "%d\n", raw);
  /* O_TRUNC as a shell's `echo N > brightness` (sysfs ignores it; a plain
   * file is rewritten whole), never O_CREAT */
  fd = open(b->brightness,
            O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    fail(b, b->brightness, errno);
    goto out;
  }
  do
    w = write(fd, text, (size_t)len);
  while (w < 0 && errno == EINTR);
  if (w < 0) {
    fail(b, b->brightness, errno);
    goto out;
  }
  if (w != len) {
    say(b->error, sizeof b->error, "%s: short write (%zd of %d bytes)",
        b->brightness, w, len);
    goto out;
  }
  {
    int rc = close(fd);
    fd = -1;
    if (rc != 0) {
      fail(b, b->brightness, errno);
      goto out;
    }
  }
  ok = true;
out:
  if (fd >= 0)
    (void)close(fd);
  return ok;
}

int rb_backlight_get(rb_backlight *b) {
  int raw;
  if (!b)
    return -1;
  b->error[0] = '\0';
  if (!read_value(b->brightness, &raw, b->error, sizeof b->error))
    return -1;
  return to_percent(b, raw);
}

const char *rb_backlight_error(const rb_backlight *b) {
  return b ? b->error : "no backlight";
}

const char *rb_backlight_device(const rb_backlight *b) {
  return b ? b->name : "";
}

int rb_backlight_max(const rb_backlight *b) { return b ? b->max : 0; }
