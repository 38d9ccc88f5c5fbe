/* fake_gpiod: the libgpiod 1.6 calls of hw/gpio.c over a scripted chip
 * (see fake_gpiod.h). Only what gpio.c calls is here, with the library's
 * return values and errno. */
#include "fake_gpiod.h"

#include <errno.h>
#include <gpiod.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The kernel (uAPI v1) keeps 16 events per line and drops the rest. */
#define FAKE_QUEUE 16

struct gpiod_line {
  struct gpiod_chip *chip;
  unsigned offset;
  bool mine; /* requested through this object */
};

struct gpiod_chip {
  struct gpiod_line lines[FAKE_GPIOD_LINES];
};

typedef struct {
  bool requested; /* by the code under test */
  bool events;    /* for both edges' events, else an output */
  int flags;
  char consumer[32];
  int value;
  int pipe[2]; /* events: read end = the event fd, one byte per event */
  struct gpiod_line_event queue[FAKE_QUEUE];
  int head, count;
} fake_line;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
/* The program has begun to give its lines back (it is ending): a script's
 * edges after that have nobody to go to, and that is no mistake of the
 * script's (a press that ends the routine, then its release). */
static bool closing;
static fake_line lines[FAKE_GPIOD_LINES];
static int open_chips, open_error;

static void release_locked(unsigned off) {
  fake_line *l = &lines[off];
  if (l->events) {
    close(l->pipe[0]);
    close(l->pipe[1]);
  }
  memset(l, 0, sizeof *l);
}

void fake_gpiod_reset(void) {
  pthread_mutex_lock(&mu);
  for (unsigned i = 0; i < FAKE_GPIOD_LINES; i++)
    if (lines[i].requested)
      release_locked(i);
  open_error = 0;
  closing = false;
  pthread_mutex_unlock(&mu);
}

void fake_gpiod_set_open_error(int err) {
  pthread_mutex_lock(&mu);
  open_error = err;
  pthread_mutex_unlock(&mu);
}

bool fake_gpiod_push_edge(unsigned off, bool rising, int64_t timestamp_ns) {
  bool pushed = false;
  pthread_mutex_lock(&mu);
  if (off < FAKE_GPIOD_LINES && lines[off].events &&
      lines[off].count < FAKE_QUEUE) {
    fake_line *l = &lines[off];
    struct gpiod_line_event *ev =
        &l->queue[(l->head + l->count++) % FAKE_QUEUE];
    bool logical = rising != !!(l->flags & GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
    char byte = 1;
    ev->ts.tv_sec = (time_t)(timestamp_ns / 1000000000);
    ev->ts.tv_nsec = (long)(timestamp_ns % 1000000000);
    ev->event_type =
        logical ? GPIOD_LINE_EVENT_RISING_EDGE : GPIOD_LINE_EVENT_FALLING_EDGE;
    pushed = write(l->pipe[1], &byte, 1) == 1;
  }
  pthread_mutex_unlock(&mu);
  return pushed;
}

int fake_gpiod_pending(unsigned off) {
  int n;
  pthread_mutex_lock(&mu);
  n = off < FAKE_GPIOD_LINES ? lines[off].count : 0;
  pthread_mutex_unlock(&mu);
  return n;
}

int fake_gpiod_output_value(unsigned off) {
  int v = -1;
  pthread_mutex_lock(&mu);
  if (off < FAKE_GPIOD_LINES && lines[off].requested && !lines[off].events)
    v = lines[off].value;
  pthread_mutex_unlock(&mu);
  return v;
}

int fake_gpiod_requested_flags(unsigned off) {
  int f = -1;
  pthread_mutex_lock(&mu);
  if (off < FAKE_GPIOD_LINES && lines[off].requested)
    f = lines[off].flags;
  pthread_mutex_unlock(&mu);
  return f;
}

const char *fake_gpiod_consumer(unsigned off) {
  return off < FAKE_GPIOD_LINES ? lines[off].consumer : "";
}

bool fake_gpiod_is_event_line(unsigned off) {
  bool e;
  pthread_mutex_lock(&mu);
  e = off < FAKE_GPIOD_LINES && lines[off].events;
  pthread_mutex_unlock(&mu);
  return e;
}

int fake_gpiod_open_chips(void) {
  int n;
  pthread_mutex_lock(&mu);
  n = open_chips;
  pthread_mutex_unlock(&mu);
  return n;
}

/* --- script mode ------------------------------------------------------
 * REBALANCE_FAKE_GPIO names a file of lines "T_MS LINE press|release"
 * ('#' starts a comment). A thread started on the first line request
 * pushes each edge T_MS after that request, stamped with that planned
 * time on CLOCK_MONOTONIC (so a bounce scripted 2 ms apart stays 2 ms
 * apart however late the thread wakes). Active low: a press is the pin
 * falling, a release the pin rising. */

typedef struct {
  int64_t at_ms;
  unsigned offset;
  bool press;
  int lineno;
} script_edge;

typedef struct {
  script_edge *edges;
  int n;
  int64_t start_ns;
  char path[256];
} script;

static bool script_started;

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* "GPIO17" or "17": the line's offset, or -1. */
static int script_line(const char *name) {
  const char *p = strncmp(name, "GPIO", 4) == 0 ? name + 4 : name;
  char *end;
  long v;
  if (!*p)
    return -1;
  v = strtol(p, &end, 10);
  return *end || v < 0 || v >= FAKE_GPIOD_LINES ? -1 : (int)v;
}

/* Reads the script; complains on stderr and returns false on a bad line. */
static bool script_load(script *sc, const char *path) {
  FILE *f = fopen(path, "r");
  char buf[256], name[32], what[16];
  int lineno = 0;
  bool ok = true;
  snprintf(sc->path, sizeof sc->path, "%s", path);
  if (!f) {
    fprintf(stderr, "fake_gpiod: %s: %s\n", path, strerror(errno));
    return false;
  }
  while (ok && fgets(buf, sizeof buf, f)) {
    char *hash = strchr(buf, '#');
    long long at;
    int off, got;
    script_edge *grown;
    lineno++;
    if (hash)
      *hash = '\0';
    got = sscanf(buf, "%lld %31s %15s", &at, name, what);
    if (got <= 0)
      continue; /* blank or comment */
    off = got == 3 ? script_line(name) : -1;
    if (got != 3 || at < 0 || off < 0 ||
        (strcmp(what, "press") != 0 && strcmp(what, "release") != 0)) {
      fprintf(stderr,
              "fake_gpiod: %s:%d: expected \"T_MS LINE press|release\"\n", path,
              lineno);
      ok = false;
      break;
    }
    grown = realloc(sc->edges, (size_t)(sc->n + 1) * sizeof *grown);
    if (!grown) {
      ok = false;
      break;
    }
    sc->edges = grown;
    sc->edges[sc->n++] = (script_edge){.at_ms = at,
                                       .offset = (unsigned)off,
                                       .press = strcmp(what, "press") == 0,
                                       .lineno = lineno};
  }
  fclose(f);
  return ok;
}

static void *script_run(void *arg) {
  script *sc = arg;
  for (int i = 0; i < sc->n; i++) {
    const script_edge *e = &sc->edges[i];
    int64_t at = sc->start_ns + e->at_ms * 1000000;
    struct timespec ts = {.tv_sec = (time_t)(at / 1000000000),
                          .tv_nsec = (long)(at % 1000000000)};
    while (mono_ns() < at &&
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
      ;
    bool late;
    if (fake_gpiod_push_edge(e->offset, !e->press, at))
      continue;
    pthread_mutex_lock(&mu);
    late = closing;
    pthread_mutex_unlock(&mu);
    if (!late)
      fprintf(stderr,
              "fake_gpiod: %s:%d: GPIO%u %s not delivered (the line is not "
              "requested for events, or 16 edges are queued)\n",
              sc->path, e->lineno, e->offset, e->press ? "press" : "release");
  }
  free(sc->edges);
  free(sc);
  return NULL;
}

/* Under `mu`, on a line request: the first one starts the script. */
static void script_start_locked(void) {
  const char *path = getenv("REBALANCE_FAKE_GPIO");
  script *sc;
  pthread_t t;
  if (script_started || !path || !*path)
    return;
  script_started = true;
  sc = calloc(1, sizeof *sc);
  if (!sc)
    return;
  sc->start_ns = mono_ns();
  if (!script_load(sc, path) || pthread_create(&t, NULL, script_run, sc) != 0) {
    free(sc->edges);
    free(sc);
    return;
  }
  pthread_detach(t);
}

/* --- the library ------------------------------------------------------ */

static struct gpiod_chip *chip_new(void) {
  struct gpiod_chip *c = NULL;
  pthread_mutex_lock(&mu);
  if (open_error) {
    errno = open_error;
  } else if ((c = calloc(1, sizeof *c)) != NULL) {
    for (unsigned i = 0; i < FAKE_GPIOD_LINES; i++)
      c->lines[i] = (struct gpiod_line){.chip = c, .offset = i};
    open_chips++;
  }
  pthread_mutex_unlock(&mu);
  return c;
}

struct gpiod_chip *gpiod_chip_open_by_label(const char *label) {
  struct gpiod_chip *c = chip_new();
  if (c && strcmp(label, FAKE_GPIOD_LABEL) != 0) {
    gpiod_chip_close(c);
    c = NULL;
    errno = ENOENT;
  }
  return c;
}

void gpiod_chip_close(struct gpiod_chip *chip) {
  pthread_mutex_lock(&mu);
  for (unsigned i = 0; i < FAKE_GPIOD_LINES; i++)
    if (chip->lines[i].mine)
      release_locked(i); /* as the library does */
  open_chips--;
  pthread_mutex_unlock(&mu);
  free(chip);
}

struct gpiod_line *gpiod_chip_get_line(struct gpiod_chip *chip,
                                       unsigned int offset) {
  if (offset >= FAKE_GPIOD_LINES) {
    errno = EINVAL;
    return NULL;
  }
  return &chip->lines[offset];
}

struct gpiod_line *gpiod_chip_find_line(struct gpiod_chip *chip,
                                        const char *name) {
  char n[16];
  for (unsigned i = 0; i < FAKE_GPIOD_LINES; i++) {
    snprintf(n, sizeof n, "GPIO%u", i);
    if (strcmp(n, name) == 0)
      return &chip->lines[i];
  }
  errno = ENOENT;
  return NULL;
}

struct gpiod_line *gpiod_line_find(const char *name) {
  struct gpiod_chip *c = chip_new();
  struct gpiod_line *l = c ? gpiod_chip_find_line(c, name) : NULL;
  if (c && !l) {
    gpiod_chip_close(c);
    errno = ENOENT;
  }
  return l;
}

void gpiod_line_close_chip(struct gpiod_line *line) {
  gpiod_chip_close(line->chip);
}

static int request(struct gpiod_line *line, const char *consumer, int flags,
                   bool events, int value) {
  fake_line *l = &lines[line->offset];
  int rc = -1;
  pthread_mutex_lock(&mu);
  if (line->offset == FAKE_GPIOD_BUSY || l->requested) {
    errno = EBUSY;
  } else if (events && pipe(l->pipe) < 0) {
    /* errno from pipe */
  } else {
    l->requested = true;
    l->events = events;
    l->flags = flags;
    snprintf(l->consumer, sizeof l->consumer, "%s", consumer);
    l->value = value;
    line->mine = true;
    rc = 0;
    script_start_locked();
  }
  pthread_mutex_unlock(&mu);
  return rc;
}

int gpiod_line_request_both_edges_events_flags(struct gpiod_line *line,
                                               const char *consumer,
                                               int flags) {
  return request(line, consumer, flags, true, 0);
}

int gpiod_line_request_output(struct gpiod_line *line, const char *consumer,
                              int default_val) {
  return request(line, consumer, 0, false, default_val != 0);
}

void gpiod_line_release(struct gpiod_line *line) {
  pthread_mutex_lock(&mu);
  closing = true;
  if (line->mine)
    release_locked(line->offset);
  line->mine = false;
  pthread_mutex_unlock(&mu);
}

int gpiod_line_event_get_fd(struct gpiod_line *line) {
  int fd = -1;
  pthread_mutex_lock(&mu);
  if (line->mine && lines[line->offset].events)
    fd = lines[line->offset].pipe[0];
  else
    errno = EPERM;
  pthread_mutex_unlock(&mu);
  return fd;
}

int gpiod_line_event_read(struct gpiod_line *line,
                          struct gpiod_line_event *event) {
  fake_line *l = &lines[line->offset];
  char byte;
  int fd = gpiod_line_event_get_fd(line), rc = -1;
  if (fd < 0 || read(fd, &byte, 1) != 1) /* blocks as the kernel's read */
    return -1;
  pthread_mutex_lock(&mu);
  if (l->count > 0) {
    *event = l->queue[l->head];
    l->head = (l->head + 1) % FAKE_QUEUE;
    l->count--;
    rc = 0;
  } else {
    errno = EIO;
  }
  pthread_mutex_unlock(&mu);
  return rc;
}

int gpiod_line_set_value(struct gpiod_line *line, int value) {
  int rc = -1;
  pthread_mutex_lock(&mu);
  if (line->mine && !lines[line->offset].events) {
    lines[line->offset].value = value != 0;
    rc = 0;
  } else {
    errno = EPERM;
  }
  pthread_mutex_unlock(&mu);
  return rc;
}
