#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rb_view_is_question(const rb_view *v) {
  return v->kind == RB_VIEW_ASK || v->kind == RB_VIEW_SCALE ||
         v->kind == RB_VIEW_MEASURE;
}

/* A recorded number, or NAN. */
static double recorded(const rb_view_ended *e, const char *key) {
  for (int i = 0; i < e->nrecords && i < RB_RECORDS_MAX; i++)
    if (strcmp(e->record_keys[i], key) == 0) {
      char *end;
      double x = strtod(e->record_values[i], &end);
      return end != e->record_values[i] && !*end ? x : NAN;
    }
  return NAN;
}

bool rb_view_ended_pain_rose(const rb_view_ended *e, double *before,
                             double *after) {
  double b = recorded(e, "pain_before"), a = recorded(e, "pain_after");
  if (e->pain_at_stop >= 0)
    a = e->pain_at_stop;
  if (before)
    *before = b;
  if (after)
    *after = a;
  return isfinite(a) && isfinite(b) && a - b >= 2;
}

/* An assessment's summary is said whole on its result screen; the list of
 * what was recorded keeps its first sentence, whole. */
static void first_sentence(char *text) {
  for (char *p = text; *p; p++)
    if ((*p == '.' || *p == '!' || *p == '?') && p[1] == ' ') {
      p[1] = '\0';
      return;
    }
}

void rb_view_ended_record(rb_view_ended *e, const char *key,
                          const cJSON *value) {
  const cJSON *summary = cJSON_GetObjectItem(value, "summary");
  char *text;
  /* plain values are listed; an assessment's result by its summary;
   * other tables are kept in the timeline only */
  if (e->nrecords >= RB_RECORDS_MAX || cJSON_IsArray(value) ||
      (cJSON_IsObject(value) && !cJSON_IsString(summary)))
    return;
  text = cJSON_IsString(value) || cJSON_IsObject(value)
             ? NULL
             : cJSON_PrintUnformatted(value);
  snprintf(e->record_keys[e->nrecords], RB_SHORT_MAX, "%s", key);
  snprintf(e->record_values[e->nrecords], RB_TEXT_MAX, "%s",
           cJSON_IsString(value)   ? value->valuestring
           : cJSON_IsObject(value) ? summary->valuestring
           : text                  ? text
                                   : "");
  if (cJSON_IsObject(value))
    first_sentence(e->record_values[e->nrecords]);
  e->nrecords++;
  free(text);
}
