#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
  rb_config *c;
  const char *path;
  FILE *file;
  FILE *problems;
  int count;
  int line; /* lines read so far: Debian's inih passes no line number */
} reader;

/* inih's stream reader: fgets that counts lines. */
static void problem(reader *r, const char *fmt, const char *a, const char *b);

/* inih reads a line into a buffer of its own size and would take the
 * rest of a longer one as a line of its own (a long comment could set a
 * key): a line that does not fit is read to its end, said, and handed
 * on blank. */
static char *read_line(char *str, int num, void *stream) {
  reader *r = stream;
  char *got = fgets(str, num, r->file);
  size_t n;
  int c;
  if (!got)
    return NULL;
  r->line++;
  n = strlen(str);
  if (n == 0 || str[n - 1] == '\n' || feof(r->file))
    return got;
  while ((c = fgetc(r->file)) != EOF && c != '\n')
    ;
  {
    char most[16];
    snprintf(most, sizeof most, "%d", num - 2);
    problem(r, "line too long (at most %s bytes): ignored%s", most, "");
  }
  snprintf(str, (size_t)num, "\n");
  return str;
}

static void problem(reader *r, const char *fmt, const char *a, const char *b) {
  fprintf(r->problems, "%s:%d: ", r->path, r->line);
  fprintf(r->problems, fmt, a, b);
  fputc('\n', r->problems);
  r->count++;
}

static bool parse_int(const char *v, int lo, int hi, int *out) {
  char *end;
  long n;
  errno = 0;
  n = strtol(v, &end, 10);
  if (end == v || *end || errno || n < lo || n > hi)
    return false;
  *out = (int)n;
  return true;
}

/* "1.25" (or "125%") as 125, without the locale's decimal point. */
static bool parse_percent(const char *v, int lo, int hi, int *out) {
  int whole = 0, frac = 0, digits = 0;
  const char *p = v;
  if (!*v)
    return false;
  while (*p >= '0' && *p <= '9' && whole < 1000)
    whole = whole * 10 + (*p++ - '0');
  if (p == v)
    return false;
  if (*p == '%') {
    if (p[1])
      return false;
    *out = whole;
    return whole >= lo && whole <= hi;
  }
  if (*p == '.' || *p == ',')
    for (p++; *p >= '0' && *p <= '9'; p++, digits++)
      if (digits < 2)
        frac = frac * 10 + (*p - '0');
  if (*p)
    return false;
  if (digits == 1)
    frac *= 10;
  *out = whole * 100 + frac;
  return *out >= lo && *out <= hi;
}

static bool parse_bool(const char *v, bool *out) {
  static const char *const yes[] = {"1", "yes", "true", "on"};
  static const char *const no[] = {"0", "no", "false", "off"};
  for (size_t i = 0; i < 4; i++) {
    if (strcasecmp(v, yes[i]) == 0) {
      *out = true;
      return true;
    }
    if (strcasecmp(v, no[i]) == 0) {
      *out = false;
      return true;
    }
  }
  return false;
}

static bool set_text(char *dst, size_t n, const char *v) {
  if (strlen(v) >= n)
    return false;
  memcpy(dst, v, strlen(v) + 1);
  return true;
}

/* The keys as data: name, kind, where, and the range of numbers. */
typedef enum { K_INT, K_BOOL, K_TEXT, K_ROTATE, K_TRI, K_PERCENT } kind;
typedef struct {
  const char *name;
  kind k;
  size_t offset, size;
  int lo, hi;
} key;

#define INT(n, f, lo, hi)                                                      \
  { n, K_INT, offsetof(rb_config, f), 0, lo, hi }
#define BOOL(n, f)                                                             \
  { n, K_BOOL, offsetof(rb_config, f), 0, 0, 0 }
#define TRI(n, f)                                                              \
  { n, K_TRI, offsetof(rb_config, f), 0, 0, 0 }
#define TEXT(n, f)                                                             \
  { n, K_TEXT, offsetof(rb_config, f), sizeof(((rb_config *)0)->f), 0, 0 }

static const key keys[] = {
    {"rotate", K_ROTATE, offsetof(rb_config, rotate), 0, 0, 0},
    BOOL("fullscreen", fullscreen),
    TEXT("font", font),
    {"text_scale", K_PERCENT, offsetof(rb_config, text_scale), 0, 100, 150},
    TEXT("voice", voice),
    INT("rate", rate, 80, 450),
    INT("volume", volume, 0, 100),
    BOOL("mute", mute),
    TEXT("gpio.chip", gpio_chip),
    TEXT("gpio.primary", gpio_primary),
    TEXT("gpio.next", gpio_next),
    TEXT("gpio.back", gpio_back),
    TEXT("gpio.stop", gpio_stop),
    TEXT("gpio.led.primary", gpio_led_primary),
    TEXT("gpio.led.next", gpio_led_next),
    TEXT("gpio.led.back", gpio_led_back),
    TEXT("gpio.led.stop", gpio_led_stop),
    BOOL("gpio.active_low", gpio_active_low),
    BOOL("gpio.pull_up", gpio_pull_up),
    INT("gpio.debounce_ms", gpio_debounce_ms, 0, 1000),
    INT("gpio.long_press_ms", gpio_long_press_ms, 0, 10000),
    TRI("gpio.primary.active_low", gpio_line_active_low[0]),
    TRI("gpio.next.active_low", gpio_line_active_low[1]),
    TRI("gpio.back.active_low", gpio_line_active_low[2]),
    TRI("gpio.stop.active_low", gpio_line_active_low[3]),
    TRI("gpio.primary.pull_up", gpio_line_pull_up[0]),
    TRI("gpio.next.pull_up", gpio_line_pull_up[1]),
    TRI("gpio.back.pull_up", gpio_line_pull_up[2]),
    TRI("gpio.stop.pull_up", gpio_line_pull_up[3]),
    INT("idle_timeout_s", idle_timeout_s, 0, 86400),
    INT("brightness", brightness, 10, 100),
    INT("dim_brightness", dim_brightness, 0, 100),
    TEXT("backlight", backlight),
    TEXT("admin_pin", admin_pin),
    TEXT("routines", routines),
    TEXT("plugins", plugins),
    TEXT("state", state),
    BOOL("export_names", export_names),
};

/* Keys that are read but do nothing yet, and why: said once, when set,
 * so nobody believes a setting works that does not. */
static const struct {
  const char *name, *why;
} pending[] = {
    {"", ""}, /* none now; kept for the next setting built in steps */
};

static void say_pending(reader *r, const char *full) {
  for (size_t i = 0; i < sizeof pending / sizeof pending[0]; i++)
    if (strcmp(pending[i].name, full) == 0)
      fprintf(r->problems, "%s:%d: %s: %s; the setting does nothing for now\n",
              r->path, r->line, full, pending[i].why);
}

static int on_value(void *user, const char *section, const char *name,
                    const char *value) {
  reader *r = user;
  char full[128];
  char *base = (char *)r->c;
  /* "[gpio]\nnext = GPIO27" and "gpio.next = GPIO27" mean the same */
  snprintf(full, sizeof full, "%s%s%s", section, *section ? "." : "", name);
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const key *k = &keys[i];
    bool b;
    int n;
    if (strcmp(k->name, full) != 0)
      continue;
    switch (k->k) {
    case K_INT:
      if (!parse_int(value, k->lo, k->hi, &n)) {
        char range[64];
        snprintf(range, sizeof range, "a whole number from %d to %d", k->lo,
                 k->hi);
        problem(r, "%s: expected %s; using the default", full, range);
      } else {
        *(int *)(base + k->offset) = n;
      }
      break;
    case K_ROTATE:
      if (!parse_int(value, 0, 270, &n) || n % 90 != 0)
        problem(r, "%s: expected 0, 90, 180 or 270 (got '%s')", full, value);
      else
        r->c->rotate = n;
      break;
    case K_PERCENT:
      if (!parse_percent(value, k->lo, k->hi, &n))
        problem(r, "%s: expected a number from 1.0 to 1.5 (got '%s'); ignored",
                full, value);
      else
        *(int *)(base + k->offset) = n;
      break;
    case K_BOOL:
      if (!parse_bool(value, &b))
        problem(r, "%s: expected yes or no (got '%s')", full, value);
      else
        *(bool *)(base + k->offset) = b;
      break;
    case K_TRI: /* a per-line yes/no; unset lines follow the common one */
      if (!parse_bool(value, &b))
        problem(r, "%s: expected yes or no (got '%s')", full, value);
      else
        *(signed char *)(base + k->offset) = b ? 1 : 0;
      break;
    case K_TEXT:
      if (strcmp(k->name, "admin_pin") == 0 &&
          (strlen(value) < 4 || strlen(value) > 8 ||
           strspn(value, "0123456789") != strlen(value))) {
        /* the PIN pad types 4 to 8 digits: any other PIN would lock the
         * clinic out of its own admin screen */
        problem(r, "%s: 4 to 8 digits%s; the admin screen stays closed", full,
                "");
        ((rb_config *)base)->admin_pin[0] = '\0';
      } else if (!set_text(base + k->offset, k->size, value))
        problem(r, "%s: too long%s", full, "");
      break;
    }
    say_pending(r, full);
    return 1;
  }
  problem(r, "unknown key '%s'%s; ignored", full, "");
  return 1; /* go on: report every problem, not just the first */
}

void rb_config_defaults(rb_config *c) {
  memset(c, 0, sizeof *c);
  c->fullscreen = true;
  c->text_scale = 100;
  c->rate = 140; /* slower than espeak's 175, for older patients */
  c->volume = 80;
  c->gpio_active_low = true;
  c->gpio_debounce_ms = 30;
  c->gpio_pull_up = true;
  c->gpio_long_press_ms = 1500;
  for (int i = 0; i < 4; i++)
    c->gpio_line_active_low[i] = c->gpio_line_pull_up[i] = -1;
  c->idle_timeout_s = 300;
  c->brightness = 100;
  c->dim_brightness = 10;
}

int rb_config_load(rb_config *c, const char *path, bool required,
                   FILE *problems) {
  reader r = {.c = c, .path = path, .problems = problems};
  int rc;
  r.file = fopen(path, "r");
  if (!r.file) {
    if (required)
      fprintf(problems, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  rc = ini_parse_stream(read_line, &r, on_value, &r);
  fclose(r.file);
  if (rc > 0) { /* a line inih could not read at all */
    r.line = rc;
    problem(&r, "expected 'key = value'%s%s", "", "");
  }
  return r.count;
}
