/* export: the results store for the clinic's records.
 *
 * csv: one row per recorded value (and one for each session's length),
 *   header patient,session,routine,started,ended,status,reason,key,label,
 *   value,unit; RFC 4180 (CRLF, quotes doubled), UTF-8 (a byte that is not
 *   is written as U+FFFD); a text cell that starts with = + - @ (or a tab
 *   or CR) is written with a leading ' so a spreadsheet never runs it as a
 *   formula (numbers, -1 too, stay numbers; numbers read back exactly).
 *   patient is the patient's pseudonymous id (the same as the FHIR
 *   Patient's identifier), the name only when the clinic allows it.
 * fhir: a FHIR R4 Bundle of type collection: a Patient per patient (a
 *   pseudonymous identifier; the name only when the clinic allows it) and
 *   an Observation per recorded value: pain (pain_before, pain_during,
 *   pain_after, the answer after STOP) as LOINC 72514-3 with valueInteger
 *   when it is a whole number 0-10 (another number as a valueQuantity,
 *   text as valueString), each session's length as LOINC 55411-3, the rest
 *   in rebalance's own code system, left/right as bodySite,
 *   effectiveDateTime in UTC. A unit rebalance knows (cm, mm, m, deg, s,
 *   min, kg, %, reps as 1, and their usual spellings) is coded in UCUM,
 *   another only shown. Empty text, NaN and infinities are no value but a
 *   dataAbsentReason. status is final for a session that completed or was
 *   stopped, preliminary for one running, unfinished or ended by an error.
 *   Each Observation's fullUrl and identifier (urn:uuid) are the same in
 *   every export of the same value: the version 5 UUID of
 *   "SESSION/SEQ/KEY" (a session's length: "SESSION/duration") in the
 *   namespace uuid5(URL namespace, RB_FHIR_OBSERVATION_IDS); a Patient's
 *   is the patient's pseudonymous id. */
#ifndef RB_EXPORT_H
#define RB_EXPORT_H

#include "store.h"

#include <stdio.h>
#include <time.h>

typedef struct {
  long long patient; /* 0: everyone */
  time_t since;      /* 0: everything */
  bool names;        /* the name, not only the pseudonymous id (allowed) */
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
/* The URL whose version 5 UUID (in the URL namespace) is the namespace of
 * Observation ids. */
#define RB_FHIR_OBSERVATION_IDS "https://rebalance.invalid/fhir/Observation"

#endif
