/* progress_data: six weeks of generated sessions in a real results store,
 * for the progress screen's and the report's tests. */
#ifndef RB_PROGRESS_DATA_H
#define RB_PROGRESS_DATA_H

#include "plugins.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static time_t pd_now_value;
static time_t pd_now(void *ud) {
  (void)ud;
  return pd_now_value;
}

static void pd_emit(rb_sink *k, const char *event, const char *json) {
  cJSON *f = cJSON_Parse(json);
  k->event(k->ud, 0, event, f);
  cJSON_Delete(f);
}

/* A store in dir with Ann (ankle-wall-test 3 days a week): Monday,
 * Wednesday and Friday for six weeks up to Friday 27 Nov 2026 18:00, less
 * two days missed in the first weeks; pain easing, the stiff left ankle
 * loosening (8.5 to 12.0 cm), the right one steady. *now is that Friday. */
static inline rb_store *pd_store(const char *dir, rb_plugins **plugins,
                                 long long *patient, time_t *now) {
  char err[256], json[256], uuid[37];
  struct tm tm = {.tm_year = 2026 - 1900,
                  .tm_mon = 10,
                  .tm_mday = 27,
                  .tm_hour = 18,
                  .tm_isdst = -1};
  time_t end = mktime(&tm);
  rb_patient p;
  rb_store *st = rb_store_open(dir, err, sizeof err);
  if (!st)
    return NULL;
  rb_store_set_clock(st, pd_now, NULL);
  *plugins = rb_plugins_load(RB_BUILD_PLUGIN_DIR);
  rb_store_patient_add(st, "Ann", NULL, err, sizeof err);
  rb_store_patient_set(st, "Ann", "ankle-wall-test.days", "3", err, sizeof err);
  rb_store_patient_find(st, "Ann", &p);
  *patient = p.id;
  for (int day = 0; day < 42; day++) {
    int dow = day % 7, n = day / 7;
    rb_sink k;
    if ((dow != 0 && dow != 2 && dow != 4) || day == 9 || day == 16)
      continue;
    pd_now_value = end - (time_t)(39 - day) * 86400 - 8 * 3600;
    k = rb_store_sink(st, p.id, uuid);
    pd_emit(&k, "start",
            "{\"routine\":\"ankle-wall-test\",\"title\":\"Ankle\"}");
    snprintf(json, sizeof json, "{\"key\":\"pain_before\",\"value\":%d}",
             5 - n / 2);
    pd_emit(&k, "record", json);
    if (dow == 0) {
      snprintf(json, sizeof json,
               "{\"id\":\"knee_to_wall\",\"result\":{\"values\":{"
               "\"distance_cm.left\":%.1f,\"distance_cm.right\":%.1f}}}",
               8.5 + 0.7 * n, 11.5 + 0.1 * (n % 2));
      pd_emit(&k, "assess", json);
    }
    snprintf(json, sizeof json, "{\"key\":\"pain_after\",\"value\":%d}",
             4 - n / 2 - (dow == 4));
    pd_emit(&k, "record", json);
    k.ended(k.ud, &(rb_session_end){.routine = "ankle-wall-test",
                                    .status = RB_END_COMPLETED,
                                    .reason = "",
                                    .error = "",
                                    .duration_s = 300,
                                    .pain_at_stop = -1});
  }
  rb_store_flush(st);
  *now = pd_now_value = end;
  return st;
}

#endif
