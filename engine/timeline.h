/* timeline: a session's events written to a file, one JSON object per
 * line, as a sink (sink.h).
 *
 * Every line has "t" (ms on the routine clock) and "event" first; see
 * DESIGN.md "Timeline" for the keys of each event. Every line parses: a
 * key appears once, bytes that are not UTF-8 are written as U+FFFD, and
 * the line goes out whole in one write() to a file opened for appending
 * (an existing file is never truncated), so nothing recorded is lost or
 * torn by a kill. */
#ifndef RB_TIMELINE_H
#define RB_TIMELINE_H

#include "sink.h"

#include <stdio.h>

typedef struct rb_timeline rb_timeline;

/* path "-" writes to stdout. NULL with a reason in err when the file
 * cannot be opened. */
rb_timeline *rb_timeline_open(const char *path, char *err, size_t errlen);
/* Writes to fd, which it closes. */
rb_timeline *rb_timeline_open_fd(int fd, char *err, size_t errlen);
void rb_timeline_close(rb_timeline *tl);

/* Writes one event; fields (may be NULL) is borrowed, its items follow
 * "t" and "event" on the line. */
void rb_timeline_event(rb_timeline *tl, rb_ms t, const char *event,
                       const cJSON *fields);

/* The timeline as a session's sink (valid while tl is open). */
rb_sink rb_timeline_sink(rb_timeline *tl);

#endif
