/* cmd_store: the therapist's commands on the results store.
 *
 *   rebalance patients                     list them, with their plans
 *   rebalance patients add NAME
 *   rebalance patients remove NAME         (their sessions are kept)
 *   rebalance patients set NAME KEY=VALUE...
 *       language=de, pin=1234, ROUTINE_ID.days=3 (0 unassigns),
 *       ROUTINE_ID.NAME=VALUE (a parameter for param())
 *
 *   rebalance export --format csv|fhir [--since DATE] [--patient NAME]
 *                    [--out FILE]    (stdout without --out)
 *   rebalance report --patient NAME --out FILE.pdf
 *
 * Exit codes: 0 done, 1 refused (said why), 2 a usage mistake. */
#ifndef RB_CMD_STORE_H
#define RB_CMD_STORE_H

#include "plugins.h"
#include "store.h"

#include <stdio.h>

int rb_cmd_patients(rb_store *st, int argc, const char *const *argv, FILE *out);

typedef struct {
  const char *format;  /* csv or fhir */
  const char *since;   /* YYYY-MM-DD (local) or NULL */
  const char *patient; /* a name or NULL for everyone */
  const char *out;     /* a file or NULL for stdout */
  bool names;          /* FHIR: names too (the export_names setting) */
} rb_export_args;

int rb_cmd_export(rb_store *st, const rb_export_args *a);

/* rebalance report --patient NAME --out FILE.pdf [--weeks N] */
int rb_cmd_report(rb_store *st, const rb_plugins *plugins, const char *patient,
                  const char *out);

#endif
