/* timeline: the record of a run, one JSON object per line.
 *
 * Every line has "t" (ms on the routine clock) and "event"; see
 * DESIGN.md "Timeline" for the keys of each event. */
#ifndef RB_TIMELINE_H
#define RB_TIMELINE_H

#include "clock.h"
#include <cjson/cJSON.h>
#include <stdio.h>

typedef struct rb_timeline rb_timeline;

/* path "-" writes to stdout; NULL keeps the events in memory only. */
rb_timeline *rb_timeline_open(const char *path, char *err, size_t errlen);
void rb_timeline_close(rb_timeline *tl);

/* Writes one event. fields (may be NULL) is an object whose items are
 * added after "t" and "event"; the timeline takes ownership of it.
 * Each line is flushed at once so nothing recorded is lost. */
void rb_timeline_event(rb_timeline *tl, rb_ms t, const char *event,
                       cJSON *fields);

/* Events written so far (for tests and the summary screen), oldest first;
 * an array owned by the timeline. */
const cJSON *rb_timeline_events(const rb_timeline *tl);

#endif
