/* report: a one-page progress report for the patient's file (PDF, A4),
 * drawn with cairo from the same charts as the patient's progress screen:
 * the patient and the period, sessions and days against the plan, pain
 * before and after, each assessment over time (usual range, measurement
 * error, what changed), and the last four weeks' days. */
#ifndef RB_REPORT_H
#define RB_REPORT_H

#include "plugins.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Writes the report of patient's last `weeks` weeks up to now to path.
 * False with why in err. */
bool rb_report_write(rb_store *st, const rb_patient *patient,
                     const rb_plugins *plugins, time_t now, int weeks,
                     const char *path, char *err, size_t errlen);

#endif
