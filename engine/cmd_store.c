#include "cmd_store.h"

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
    if (!rb_store_patient_add(st, argv[1], err, sizeof err))
      goto refused;
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
