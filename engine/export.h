/* export: the results store for the clinic's records.
 *
 * csv: one row per recorded value (and one for each session's length),
 *   header patient,session,routine,started,ended,status,reason,key,label,
 *   value,unit; RFC 4180 (CRLF, quotes doubled), UTF-8; a text cell that
 *   starts with = + - @ (or a tab or CR) is written with a leading ' so a
 *   spreadsheet never runs it as a formula (numbers, -1 too, stay numbers).
 * fhir: a FHIR R4 Bundle of type collection: a Patient per patient (a
 *   pseudonymous identifier; the name only when the clinic allows it) and
 *   an Observation per recorded value: pain (pain_before, pain_during,
 *   pain_after, the answer after STOP) as LOINC 72514-3 with valueInteger,
 *   each session's length as LOINC 55411-3, the rest in rebalance's own
 *   code system, left/right as bodySite, effectiveDateTime in UTC. */
#ifndef RB_EXPORT_H
#define RB_EXPORT_H

#include "store.h"

#include <stdio.h>
#include <time.h>

typedef struct {
  long long patient; /* 0: everyone */
  time_t since;      /* 0: everything */
  bool names;        /* FHIR: the display name too (the clinic allows it) */
  time_t now;        /* the Bundle's timestamp; 0: time() */
} rb_export_opts;

/* Write the export to out; false (with why in err) when the store cannot
 * be read. */
bool rb_export_csv(rb_store *st, const rb_export_opts *o, FILE *out, char *err,
                   size_t errlen);
bool rb_export_fhir(rb_store *st, const rb_export_opts *o, FILE *out, char *err,
                    size_t errlen);

/* The code system of rebalance's own result keys. */
#define RB_FHIR_RESULT_SYSTEM "https://rebalance.invalid/fhir/CodeSystem/result"

#endif
