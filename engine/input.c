#include "input.h"

#include "log.h"
#include "notify.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* STALL's limit: long enough for any watchdog test, short enough that a
 * typo cannot hang a test run for long */
#define STALL_MAX_MS 60000

typedef struct {
  rb_ms t;
  rb_action action;
  int stall_ms;  /* > 0: "T STALL MS", not an action */
  char wait[16]; /* "T WAIT EVENT": the lines after wait for it */
} input_line;

struct rb_input {
  input_line *lines;
  size_t n, cap, next;
  bool released; /* the WAIT line at next has seen its event */
};

static char *trim(char *s) {
  char *e;
  while (isspace((unsigned char)*s))
    s++;
  e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1]))
    *--e = '\0';
  return s;
}

/* Parses "T ACTION [VALUE]" into *out; returns NULL or an error text. */
static const char *parse_line(char *s, rb_ms prev, input_line *out) {
  char *end, *name, *rest;
  long long t;
  errno = 0;
  t = strtoll(s, &end, 10);
  if (end == s || errno || t < 0)
    return "expected a time in milliseconds first";
  /* a day is more than any session: larger is a typo, and near
   * RB_MS_NEVER it would read as "never" */
  if (t > 24LL * 3600 * 1000)
    return "a time past 24 hours (86400000 ms): a typo?";
  if (t < prev)
    return "times must not go backwards";
  name = trim(end);
  rest = name;
  while (*rest && !isspace((unsigned char)*rest))
    rest++;
  if (*rest)
    *rest++ = '\0';
  rest = trim(rest);
  *out = (input_line){.t = t};
  if (strcasecmp(name, "WAIT") == 0) {
    if (strcmp(rest, "reload") != 0 && strcmp(rest, "export") != 0)
      return "WAIT needs what to wait for: WAIT reload or WAIT export";
    snprintf(out->wait, sizeof out->wait, "%s", rest);
    return NULL;
  }
  if (strcasecmp(name, "STALL") == 0) {
    int ms;
    char extra;
    if (sscanf(rest, "%d %c", &ms, &extra) != 1 || ms < 1 || ms > STALL_MAX_MS)
      return "STALL needs a time in milliseconds, 1 to 60000: STALL MS";
    out->stall_ms = ms;
    return NULL;
  }
  out->action.kind = rb_action_parse_name(name);
  switch (out->action.kind) {
  case RB_ACTION_NONE:
    return "unknown action (PRIMARY NEXT BACK STOP UP DOWN DIGIT ANSWER TAP "
           "RELEASE SCREENSHOT QUIT STALL WAIT)";
  case RB_ACTION_TAP:
  case RB_ACTION_RELEASE: {
    int x, y;
    char extra;
    if (sscanf(rest, "%d %d %c", &x, &y, &extra) != 2 || x < 0 || y < 0)
      return "TAP needs two coordinates: TAP X Y";
    out->action.x = x;
    out->action.y = y;
    return NULL;
  }
  case RB_ACTION_ANSWER:
  case RB_ACTION_SCREENSHOT:
  case RB_ACTION_DIGIT:
    if (!*rest)
      return "this action needs a value";
    if (strlen(rest) >= sizeof out->action.value)
      return "value too long";
    if (out->action.kind == RB_ACTION_SCREENSHOT && strchr(rest, '/'))
      return "a screenshot name must not contain '/'";
    strcpy(out->action.value, rest);
    return NULL;
  default:
    if (*rest)
      return "this action takes no value";
    return NULL;
  }
}

rb_input *rb_input_parse(const char *name, const char *text, char *err,
                         size_t errlen) {
  rb_input *in = calloc(1, sizeof *in);
  char *copy = strdup(text ? text : "");
  char *line, *save = NULL;
  int lineno = 0;
  rb_ms prev = 0;
  if (!in || !copy) {
    snprintf(err, errlen, "%s: out of memory", name);
    goto fail;
  }
  /* strtok_r would skip empty lines and lose the line count */
  for (line = copy; line; line = save) {
    char *s;
    const char *msg;
    input_line parsed;
    save = strchr(line, '\n');
    if (save)
      *save++ = '\0';
    lineno++;
    s = trim(line);
    if (!*s || *s == '#')
      continue;
    msg = parse_line(s, prev, &parsed);
    if (msg) {
      snprintf(err, errlen, "%s:%d: %s", name, lineno, msg);
      goto fail;
    }
    if (in->n == in->cap) {
      size_t cap = in->cap ? in->cap * 2 : 32;
      input_line *grown = realloc(in->lines, cap * sizeof *grown);
      if (!grown) {
        snprintf(err, errlen, "%s: out of memory", name);
        goto fail;
      }
      in->lines = grown;
      in->cap = cap;
    }
    in->lines[in->n++] = parsed;
    prev = parsed.t;
  }
  free(copy);
  return in;
fail:
  free(copy);
  rb_input_free(in);
  return NULL;
}

rb_input *rb_input_load(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  char *text = NULL;
  long size;
  rb_input *in = NULL;
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) {
    snprintf(err, errlen, "%s: cannot read", path);
    goto done;
  }
  text = malloc((size_t)size + 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
    snprintf(err, errlen, "%s: cannot read", path);
    goto done;
  }
  text[size] = '\0';
  in = rb_input_parse(path, text, err, errlen);
done:
  free(text);
  fclose(f);
  return in;
}

void rb_input_free(rb_input *in) {
  if (!in)
    return;
  free(in->lines);
  free(in);
}

rb_ms rb_input_next_time(const rb_input *in) {
  if (in->next >= in->n || (in->lines[in->next].wait[0] && !in->released))
    return RB_MS_NEVER; /* waiting for an event, not a time */
  return in->lines[in->next].t;
}

void rb_input_event(rb_input *in, const char *event) {
  if (in && in->next < in->n && strcmp(in->lines[in->next].wait, event) == 0)
    in->released = true;
}

/* "T STALL MS": blocks the caller, the main loop, for MS ms of real time,
 * as a hung loop would (the systemd watchdog test); systemd is told when
 * the stall starts and ends, so a test can tell that window. */
static void stall(int ms) {
  struct timespec end;
  rb_log_warn("--input: STALL: the main loop stops for %d ms", ms);
  rb_notify_status("stalling the main loop for %d ms (--input STALL)", ms);
  clock_gettime(CLOCK_MONOTONIC, &end);
  end.tv_sec += ms / 1000;
  end.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (end.tv_nsec >= 1000000000L) {
    end.tv_sec++;
    end.tv_nsec -= 1000000000L;
  }
  /* the whole time, whatever signal arrives meanwhile */
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL) == EINTR)
    ;
  rb_notify_status("the main loop goes on after a %d ms stall", ms);
}

bool rb_input_pop(rb_input *in, rb_ms now, rb_action *out) {
  while (in->next < in->n && in->lines[in->next].t <= now) {
    const input_line *line = &in->lines[in->next];
    if (line->wait[0]) {
      if (!in->released)
        return false;
      in->released = false;
      in->next++;
      continue;
    }
    in->next++;
    if (line->stall_ms > 0) {
      stall(line->stall_ms);
      continue;
    }
    *out = line->action;
    return true;
  }
  return false;
}

bool rb_input_done(const rb_input *in) { return in->next >= in->n; }
