/* capture: a session sink for tests. It keeps every event as a JSON
 * object with "t" and "event" (as a timeline line would read) and how the
 * session ended. */
#ifndef RB_TEST_CAPTURE_H
#define RB_TEST_CAPTURE_H

#include "sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  cJSON *events; /* array */
  int nended;
  rb_end_status status;
  char reason[64];
} capture;

static void capture_event(void *ud, rb_ms t, const char *event,
                          const cJSON *fields) {
  capture *c = ud;
  cJSON *line = cJSON_CreateObject();
  const cJSON *item;
  cJSON_AddNumberToObject(line, "t", (double)t);
  cJSON_AddStringToObject(line, "event", event);
  cJSON_ArrayForEach(item, fields) {
    cJSON_AddItemToObject(line, item->string, cJSON_Duplicate(item, true));
  }
  cJSON_AddItemToArray(c->events, line);
}

static void capture_ended(void *ud, const rb_session_end *end) {
  capture *c = ud;
  c->nended++;
  c->status = end->status;
  snprintf(c->reason, sizeof c->reason, "%s", end->reason);
}

/* A new, empty capture. */
static capture *capture_new(void) {
  capture *c = calloc(1, sizeof *c);
  c->events = cJSON_CreateArray();
  return c;
}

static void capture_free(capture *c) {
  if (!c)
    return;
  cJSON_Delete(c->events);
  free(c);
}

static rb_sink capture_sink(capture *c) {
  return (rb_sink){.ud = c, .event = capture_event, .ended = capture_ended};
}

#endif
