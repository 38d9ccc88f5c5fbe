/* outcome: how a session ended, in the patient's words: the headline,
 * what to tell the therapist, how long it took and what was recorded,
 * with records named for people ("Knee to wall left (cm)", not
 * "knee_to_wall_cm.left"). The summary screen and the terminal coach
 * say the same. */
#ifndef RB_OUTCOME_H
#define RB_OUTCOME_H

#include "view.h"

#include <stdbool.h>
#include <stddef.h>

/* From this pain on (0-10) the patient is asked to tell the therapist. */
#define RB_OUTCOME_PAIN_TELL 7

/* A record key for people: "pain_after" -> "Pain after",
 * "knee_to_wall_cm.left" -> "Knee to wall left (cm)". */
void rb_outcome_label(const char *key, char *out, size_t outlen);
/* "Well done", "Stopped" or "Your pain went up" (no praise after a stop
 * or a rise of 2 points, CLINICAL.md). */
const char *rb_outcome_headline(const rb_view *v, const char *lang);
/* What to tell the therapist, when there is something (pain of
 * RB_OUTCOME_PAIN_TELL or more, or a rise): true with the words in out. */
bool rb_outcome_tell(const rb_view *v, const char *lang, char *out,
                     size_t outlen);
/* "45 s", "1 minute", "12 minutes"; "" when unknown (s < 0). */
void rb_outcome_duration(const char *lang, double s, char *out, size_t outlen);
/* What was recorded, one "Name: value" a line: pain first (before,
 * after, at STOP, any other pain), then the rest in the routine's order. */
void rb_outcome_records(const rb_view *v, const char *lang, char *list,
                        size_t size);

#endif
