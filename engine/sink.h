/* sink: where a session reports.
 *
 * A session hands every timeline event to each of its sinks as it
 * happens, then tells them once that it has ended. The timeline file is
 * one sink (timeline.h), tests capture events with another, and the
 * results store is a third. A sink only listens: it never changes the
 * session, and the fields it is handed are borrowed for the call. */
#ifndef RB_SINK_H
#define RB_SINK_H

#include "clock.h"

#include <cjson/cJSON.h>

typedef enum {
  RB_END_NONE = 0,
  RB_END_COMPLETED,
  RB_END_STOPPED,
  RB_END_ERROR
} rb_end_status;

/* How a session ended. Strings are never NULL ("" when none). */
typedef struct {
  const char *routine; /* its id */
  rb_end_status status;
  const char *reason; /* stopped: "patient" (STOP pressed); else "" */
  double duration_s;  /* on the routine clock */
  const char *error;  /* error: "FILE:LINE: message" */
  int pain_at_stop;   /* the answer to the pain question after STOP; -1 */
} rb_session_end;

typedef struct {
  void *ud;
  /* One event at routine time t: "start", "hold", ... (DESIGN.md,
   * Timeline); fields (may be NULL) are the event's other keys. */
  void (*event)(void *ud, rb_ms t, const char *event, const cJSON *fields);
  /* After the "end" event, once. May be NULL. */
  void (*ended)(void *ud, const rb_session_end *end);
} rb_sink;

/* A session reports to at most this many sinks. */
#define RB_SINKS_MAX 4

/* "completed", "stopped", "error" ("none" before the end). */
const char *rb_end_status_name(rb_end_status st);

#endif
