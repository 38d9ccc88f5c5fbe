/* report: the one-page PDF progress report, from six weeks of generated
 * sessions: written, a PDF, and (where poppler-utils is installed)
 * rendered to a PNG that people look at (REBALANCE_SCREENSHOTS or
 * screens-out/report.png). */
#include "progress_data.h"
#include "report.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char dir[] = "/tmp/rb-report-XXXXXX", pdf[256], err[256] = "", cmd[1024];
  const char *out = argc > 1 ? argv[1] : "screens-out";
  rb_plugins *plugins = NULL;
  long long patient = 0;
  time_t now;
  rb_store *st;
  rb_patient p;
  FILE *f;
  char head[5] = "";
  struct stat sb;
  if (!mkdtemp(dir)) {
    printf("Bail out! mkdtemp\n");
    return 1;
  }
  st = pd_store(dir, &plugins, &patient, &now);
  ok(st != NULL, "a store with six weeks of sessions");
  if (!st)
    return tap_done();
  rb_store_patient_find(st, "Ann", &p);
  snprintf(pdf, sizeof pdf, "%s/report.pdf", dir);
  ok(rb_report_write(st, &p, plugins, now, 8, pdf, err, sizeof err),
     "the report is written (%s)", err);
  f = fopen(pdf, "rb");
  if (f) {
    if (fread(head, 1, 4, f) != 4)
      head[0] = '\0';
    fclose(f);
  }
  is_str(head, "%PDF", "it is a PDF");
  ok(stat(pdf, &sb) == 0 && sb.st_size > 4000, "with something on it (%ld)",
     (long)sb.st_size);
  ok(!rb_report_write(st, &p, plugins, now, 8, "/proc/no/such/dir/r.pdf", err,
                      sizeof err) &&
         err[0],
     "a place it cannot be written: said (%s)", err);
  if (system("command -v pdftoppm >/dev/null 2>&1") == 0) {
    mkdir(out, 0755);
    snprintf(cmd, sizeof cmd,
             "pdftoppm -png -r 80 -singlefile '%s' '%s/report' 2>&1", pdf, out);
    ok(system(cmd) == 0, "pdftoppm renders it: %s/report.png", out);
    snprintf(cmd, sizeof cmd, "%s/report.png", out);
    ok(stat(cmd, &sb) == 0 && sb.st_size > 10000, "a picture of it (%ld)",
       (long)sb.st_size);
  } else {
    printf("ok %d # skip pdftoppm is not installed (poppler-utils)\n", ++tap_n);
  }
  rb_store_close(st);
  rb_plugins_free(plugins);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", dir);
  return tap_done();
}
