/* timeline: a session's events written to a file, one JSON object per
 * line, as a sink (sink.h).
 *
 * Every line has "t" (ms on the routine clock) and "event" first; see
 * DESIGN.md "Timeline" for the keys of each event. Each line is flushed
 * as it is written, so nothing recorded is lost. */
#ifndef RB_TIMELINE_H
#define RB_TIMELINE_H

#include "sink.h"

#include <stdio.h>

typedef struct rb_timeline rb_timeline;

/* path "-" writes to stdout. NULL with a reason in err when the file
 * cannot be opened. */
rb_timeline *rb_timeline_open(const char *path, char *err, size_t errlen);
void rb_timeline_close(rb_timeline *tl);

/* Writes one event; fields (may be NULL) is borrowed, its items follow
 * "t" and "event" on the line. */
void rb_timeline_event(rb_timeline *tl, rb_ms t, const char *event,
                       const cJSON *fields);

/* The timeline as a session's sink (valid while tl is open). */
rb_sink rb_timeline_sink(rb_timeline *tl);

#endif
