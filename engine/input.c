#include "input.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  rb_ms t;
  rb_action action;
} input_line;

struct rb_input {
  input_line *lines;
  size_t n, cap, next;
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
  out->action.kind = rb_action_parse_name(name);
  switch (out->action.kind) {
  case RB_ACTION_NONE:
    return "unknown action (PRIMARY NEXT BACK STOP UP DOWN DIGIT ANSWER TAP "
           "SCREENSHOT QUIT)";
  case RB_ACTION_TAP: {
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
  return in->next < in->n ? in->lines[in->next].t : RB_MS_NEVER;
}

bool rb_input_pop(rb_input *in, rb_ms now, rb_action *out) {
  if (in->next >= in->n || in->lines[in->next].t > now)
    return false;
  *out = in->lines[in->next++].action;
  return true;
}

bool rb_input_done(const rb_input *in) { return in->next >= in->n; }
