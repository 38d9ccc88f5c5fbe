#include "timeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct rb_timeline {
  FILE *out; /* NULL: memory only */
  bool owns_out;
  cJSON *events;
};

rb_timeline *rb_timeline_open(const char *path, char *err, size_t errlen) {
  rb_timeline *tl = calloc(1, sizeof *tl);
  if (!tl)
    goto oom;
  tl->events = cJSON_CreateArray();
  if (!tl->events)
    goto oom;
  if (path && strcmp(path, "-") == 0) {
    tl->out = stdout;
  } else if (path) {
    tl->out = fopen(path, "w");
    if (!tl->out) {
      snprintf(err, errlen, "%s: %s", path, strerror(errno));
      goto fail;
    }
    tl->owns_out = true;
  }
  return tl;
oom:
  snprintf(err, errlen, "out of memory");
fail:
  rb_timeline_close(tl);
  return NULL;
}

void rb_timeline_close(rb_timeline *tl) {
  if (!tl)
    return;
  if (tl->owns_out)
    fclose(tl->out);
  cJSON_Delete(tl->events);
  free(tl);
}

void rb_timeline_event(rb_timeline *tl, rb_ms t, const char *event,
                       cJSON *fields) {
  cJSON *line = cJSON_CreateObject();
  char *text;
  if (!line) {
    cJSON_Delete(fields);
    return;
  }
  cJSON_AddNumberToObject(line, "t", (double)t);
  cJSON_AddStringToObject(line, "event", event);
  if (fields) {
    /* move the items so "t" and "event" come first on the line */
    cJSON *item;
    while ((item = fields->child) != NULL) {
      cJSON_DetachItemViaPointer(fields, item);
      cJSON_AddItemToObject(line, item->string, item);
    }
    cJSON_Delete(fields);
  }
  if (tl->out) {
    text = cJSON_PrintUnformatted(line);
    if (text) {
      fprintf(tl->out, "%s\n", text);
      fflush(tl->out);
      free(text);
    }
  }
  cJSON_AddItemToArray(tl->events, line);
}

const cJSON *rb_timeline_events(const rb_timeline *tl) { return tl->events; }
