#include "timeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct rb_timeline {
  FILE *out;
  bool owns_out;
};

rb_timeline *rb_timeline_open(const char *path, char *err, size_t errlen) {
  rb_timeline *tl = calloc(1, sizeof *tl);
  if (!tl) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (!path || strcmp(path, "-") == 0) {
    tl->out = stdout;
    return tl;
  }
  tl->out = fopen(path, "w");
  if (!tl->out) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    free(tl);
    return NULL;
  }
  tl->owns_out = true;
  return tl;
}

void rb_timeline_close(rb_timeline *tl) {
  if (!tl)
    return;
  if (tl->owns_out)
    fclose(tl->out);
  free(tl);
}

void rb_timeline_event(rb_timeline *tl, rb_ms t, const char *event,
                       const cJSON *fields) {
  cJSON *line = cJSON_CreateObject();
  const cJSON *item;
  char *text;
  if (!line)
    return;
  cJSON_AddNumberToObject(line, "t", (double)t);
  cJSON_AddStringToObject(line, "event", event);
  /* references: the fields stay the caller's */
  cJSON_ArrayForEach(item, fields) {
    if (item->string)
      cJSON_AddItemReferenceToObject(line, item->string, (cJSON *)item);
  }
  text = cJSON_PrintUnformatted(line);
  if (text) {
    fprintf(tl->out, "%s\n", text);
    fflush(tl->out);
    free(text);
  }
  cJSON_Delete(line);
}

static void sink_event(void *ud, rb_ms t, const char *event,
                       const cJSON *fields) {
  rb_timeline_event(ud, t, event, fields);
}

rb_sink rb_timeline_sink(rb_timeline *tl) {
  return (rb_sink){.ud = tl, .event = sink_event};
}
