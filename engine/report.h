/* report: a one-page progress report for the patient's file (PDF, A4),
 * drawn with cairo from the same charts as the patient's progress screen:
 * the patient and the period, sessions and days against the plan, pain
 * before and after, each assessment over time (usual range, measurement
 * error, what changed), and the last four weeks' days.
 *
 * Every assessment the progress holds is charted: with one, pain, the
 * test and the days run down the page at full width; with more, pain and
 * the days sit side by side at the top and the tests below, in one column
 * or two, the charts smaller (never below a readable size, text never
 * below 8 pt). Any that still do not fit, and any fields progress itself
 * had no room for, are counted on the page. */
#ifndef RB_REPORT_H
#define RB_REPORT_H

#include "plugins.h"
#include "progress.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What went on the page. */
typedef struct {
  int charts;   /* assessment charts drawn */
  int left_off; /* assessments with results not charted (said on the page) */
  int columns;  /* of assessment charts: 1 or 2 */
  double chart_h, chart_w; /* an assessment chart's box, in points */
  struct {
    double x, y, w, h;         /* points from the top left of the page */
  } boxes[RB_PROGRESS_SERIES]; /* each chart drawn, title and all */
  double bottom;               /* the lowest point drawn above the footer */
} rb_report_info;

/* Writes the report of patient's last `weeks` weeks up to now to path:
 * beside it first (path.part), synced, then renamed into place and the
 * directory synced, so path is never half a report. False with why in
 * err (and nothing left beside path). */
bool rb_report_write(rb_store *st, const rb_patient *patient,
                     const rb_plugins *plugins, time_t now, int weeks,
                     const char *path, char *err, size_t errlen);

/* The same from a progress already loaded; `source` is named in the
 * footer (the store's path). info, when not NULL, says what went on the
 * page. */
bool rb_report_write_progress(const rb_progress *pr, const rb_patient *patient,
                              const char *source, const char *path,
                              rb_report_info *info, char *err, size_t errlen);

#endif
