#include "cmd_store.h"

#include "export.h"
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <string.h>

#define LIST_MAX 256

static int usage(void) {
  fputs("usage: rebalance patients [add NAME | remove NAME | set NAME "
        "KEY=VALUE...]\n"
        "  KEY: language (en, de ...), pin (digits; empty for none),\n"
        "       ROUTINE_ID.days (days a week, 0 unassigns),\n"
        "       ROUTINE_ID.NAME (a parameter the routine reads with "
        "param())\n",
        stderr);
  return 2;
}

static void list(rb_store *st, FILE *out) {
  rb_patient p[LIST_MAX];
  int n = rb_store_patients(st, p, LIST_MAX);
  if (n <= 0) {
    fprintf(out, "No patients yet (rebalance patients add NAME).\n");
    return;
  }
  for (int i = 0; i < n && i < LIST_MAX; i++) {
    rb_plan_item plan[32];
    int k = rb_store_plan(st, p[i].id, plan, 32);
    fprintf(out, "%s%s%s%s%s\n", p[i].name,
            p[i].language[0] ? "  language " : "", p[i].language,
            p[i].pin[0] ? "  (PIN set)" : "", "");
    for (int j = 0; j < k; j++)
      fprintf(out, "  %s: %d day%s a week\n", plan[j].routine,
              plan[j].days_per_week, plan[j].days_per_week == 1 ? "" : "s");
  }
}

int rb_cmd_patients(rb_store *st, int argc, const char *const *argv,
                    FILE *out) {
  char err[512] = "";
  if (!st)
    return 1;
  if (rb_store_problem(st)[0] && argc > 0)
    fprintf(stderr, "rebalance: %s: %s\n", rb_store_path(st),
            rb_store_problem(st));
  if (argc == 0) {
    list(st, out);
    return 0;
  }
  if (strcmp(argv[0], "add") == 0 && argc == 2) {
    bool renamed = false;
    if (!rb_store_patient_add(st, argv[1], &renamed, err, sizeof err))
      goto refused;
    if (renamed)
      fprintf(out, "Added %s (the kiosk's unused default patient is now %s).\n",
              argv[1], argv[1]);
    else
      fprintf(out, "Added %s.\n", argv[1]);
    return 0;
  }
  if (strcmp(argv[0], "remove") == 0 && argc == 2) {
    if (!rb_store_patient_remove(st, argv[1], err, sizeof err))
      goto refused;
    fprintf(out, "Removed %s (their sessions are kept for export).\n", argv[1]);
    return 0;
  }
  if (strcmp(argv[0], "set") == 0 && argc >= 3) {
    for (int i = 2; i < argc; i++) {
      char key[256];
      const char *eq = strchr(argv[i], '=');
      if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof key) {
        fprintf(stderr, "rebalance: patients set: '%s': expected KEY=VALUE\n",
                argv[i]);
        return 2;
      }
      snprintf(key, sizeof key, "%.*s", (int)(eq - argv[i]), argv[i]);
      if (!rb_store_patient_set(st, argv[1], key, eq + 1, err, sizeof err))
        goto refused;
    }
    fprintf(out, "Set for %s.\n", argv[1]);
    return 0;
  }
  return usage();
refused:
  fprintf(stderr, "rebalance: patients: %s\n", err);
  return 1;
}

/* "2026-11-28" as local midnight; false when it is no such date. */
static bool parse_date(const char *s, time_t *out) {
  struct tm tm = {0};
  int y, m, d;
  char extra;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31 || y < 1970 || y > 9999)
    return false;
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_isdst = -1;
  *out = mktime(&tm);
  return *out != (time_t)-1 && tm.tm_mday == d; /* no 2026-02-31 */
}

int rb_cmd_export(rb_store *st, const rb_export_args *a) {
  rb_export_opts o = {.names = a->names};
  char err[512] = "", tmp[4096];
  FILE *out = stdout;
  bool ok, csv;
  rb_patient p;
  if (!st)
    return 1;
  if (!a->format ||
      (strcmp(a->format, "csv") != 0 && strcmp(a->format, "fhir") != 0)) {
    fputs("usage: rebalance export --format csv|fhir [--since YYYY-MM-DD] "
          "[--patient NAME] [--out FILE]\n",
          stderr);
    return 2;
  }
  csv = strcmp(a->format, "csv") == 0;
  if (a->since && !parse_date(a->since, &o.since)) {
    fprintf(stderr, "rebalance: --since %s: expected a date like 2026-11-28\n",
            a->since);
    return 2;
  }
  if (a->patient) {
    if (!rb_store_patient_find_any(st, a->patient, &p)) {
      fprintf(stderr, "rebalance: export: no patient called '%s'\n",
              a->patient);
      return 1;
    }
    o.patient = p.id;
  }
  if (a->out) {
    /* written beside it, then put in place: never half a file */
    snprintf(tmp, sizeof tmp, "%s.part", a->out);
    out = fopen(tmp, "w");
    if (!out) {
      fprintf(stderr, "rebalance: export: %s: %s\n", tmp, strerror(errno));
      return 1;
    }
  }
  ok = csv ? rb_export_csv(st, &o, out, err, sizeof err)
           : rb_export_fhir(st, &o, out, err, sizeof err);
  if (a->out) {
    ok = fflush(out) == 0 && fsync(fileno(out)) == 0 && ok;
    ok = fclose(out) == 0 && ok;
    if (ok && rename(tmp, a->out) != 0) {
      snprintf(err, sizeof err, "%s: %s", a->out, strerror(errno));
      ok = false;
    }
    if (!ok)
      unlink(tmp);
  }
  if (!ok) {
    fprintf(stderr, "rebalance: export: %s\n",
            err[0] ? err : "could not write the file");
    return 1;
  }
  return 0;
}

int rb_cmd_report(rb_store *st, const rb_plugins *plugins, const char *patient,
                  const char *out) {
  char err[512] = "";
  rb_patient p;
  if (!st)
    return 1;
  if (!patient || !out) {
    fputs("usage: rebalance report --patient NAME --out FILE.pdf\n", stderr);
    return 2;
  }
  if (!rb_store_patient_find_any(st, patient, &p)) {
    fprintf(stderr, "rebalance: report: no patient called '%s'\n", patient);
    return 1;
  }
  /* rb_report_write puts it beside, syncs and renames: never half a file */
  if (!rb_report_write(st, &p, plugins, time(NULL), 8, out, err, sizeof err)) {
    fprintf(stderr, "rebalance: report: %s\n", err);
    return 1;
  }
  return 0;
}
