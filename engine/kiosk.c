/* kiosk: what the admin screen does to the kiosk (rb_admin_port): the
 * patients in the store, the volume and brightness (kept in STATE/
 * admin.conf across restarts, since /etc is read-only to the service),
 * export to a USB stick, problems, the log, restart and power off. */
#include "kiosk.h"

#include "export.h"
#include "log.h"
#include "report.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PATIENTS_MAX 256

/* Wrong admin PINs in a row before the pad rests; the first rest, doubled
 * at each rest after it, up to the longest. */
#define PIN_TRIES 5
#define PIN_REST_MS 30000
#define PIN_REST_MAX_MS (15 * 60000)

struct rb_kiosk {
  rb_kiosk_opts o;
  int wrongs;      /* wrong PINs since the last right one or rest */
  int rests;       /* rests since the last right PIN */
  rb_ms rest_till; /* raw time the pad takes a PIN again */
  /* export to a USB stick: 0 none yet, 1 under way, 2 done, 3 failed */
  SDL_mutex *lock;
  SDL_Thread *export_thread;
  int export_state;
  char export_msg[1024];
  int volume;
  int brightness;       /* -1: no backlight */
  char saved[PATH_MAX]; /* STATE/admin.conf; "" without a store */
};

/* --- kept settings -------------------------------------------------------- */

static void save(rb_kiosk *k) {
  char tmp[PATH_MAX + 8];
  FILE *f;
  int fd;
  if (!k->saved[0])
    return;
  snprintf(tmp, sizeof tmp, "%s.part", k->saved);
  f = fopen(tmp, "w");
  if (!f)
    goto fail;
  fprintf(f,
          "# set on the admin screen; overrides rebalance.conf\n"
          "volume=%d\n",
          k->volume);
  if (k->brightness >= 0)
    fprintf(f, "brightness=%d\n", k->brightness);
  fd = fileno(f);
  if (fflush(f) != 0 || fsync(fd) != 0) {
    fclose(f);
    goto fail;
  }
  if (fclose(f) != 0 || rename(tmp, k->saved) != 0)
    goto fail;
  return;
fail:
  rb_log_warn("%s: %s: the admin's settings are not kept", k->saved,
              strerror(errno));
  unlink(tmp);
}

static void load(rb_kiosk *k) {
  char line[128];
  FILE *f;
  if (!k->saved[0] || !(f = fopen(k->saved, "r")))
    return;
  while (fgets(line, sizeof line, f)) {
    int v;
    if (sscanf(line, "volume=%d", &v) == 1 && v >= 0 && v <= 100)
      k->volume = v;
    else if (sscanf(line, "brightness=%d", &v) == 1 && v >= 0 && v <= 100)
      k->brightness = k->brightness >= 0 ? v : -1;
  }
  fclose(f);
}

rb_kiosk *rb_kiosk_new(const rb_kiosk_opts *o) {
  rb_kiosk *k = calloc(1, sizeof *k);
  if (!k)
    return NULL;
  k->o = *o;
  k->lock = SDL_CreateMutex();
  if (!k->lock) {
    free(k);
    return NULL;
  }
  k->volume = o->volume;
  k->brightness = o->brightness;
  if (o->store) {
    const char *db = rb_store_path(o->store);
    const char *slash = strrchr(db, '/');
    snprintf(k->saved, sizeof k->saved, "%.*s/admin.conf",
             slash ? (int)(slash - db) : 1, slash ? db : ".");
  }
  load(k);
  if (k->o.sound)
    rb_sound_set_volume(k->o.sound, k->volume);
  if (k->o.set_brightness && k->brightness >= 0)
    k->o.set_brightness(k->o.ud, k->brightness);
  return k;
}

void rb_kiosk_free(rb_kiosk *k) {
  if (!k)
    return;
  if (k->export_thread)
    SDL_WaitThread(k->export_thread, NULL); /* the stick gets it whole */
  SDL_DestroyMutex(k->lock);
  free(k);
}

void rb_kiosk_set_plugins(rb_kiosk *k, const rb_plugins *plugins) {
  if (k)
    k->o.plugins = plugins;
}

int rb_kiosk_brightness(const rb_kiosk *k) { return k ? k->brightness : -1; }

/* --- the port ------------------------------------------------------------- */

static const char *pin(void *ud) {
  rb_kiosk *k = ud;
  return k->o.config ? k->o.config->admin_pin : "";
}

static int rest_s(void *ud, rb_ms now) {
  rb_kiosk *k = ud;
  return now < k->rest_till ? (int)((k->rest_till - now + 999) / 1000) : 0;
}

static int try_pin(void *ud, const char *typed, rb_ms now) {
  rb_kiosk *k = ud;
  rb_ms rest = PIN_REST_MS;
  if (rest_s(k, now))
    return rest_s(k, now);
  if (pin(k)[0] && strcmp(typed, pin(k)) == 0) {
    k->wrongs = k->rests = 0;
    rb_log_info("admin screen: opened with the PIN");
    return 0;
  }
  rb_log_warn("admin screen: a wrong PIN (%d in a row)", k->wrongs + 1);
  if (++k->wrongs < PIN_TRIES)
    return -1;
  for (int i = 0; i < k->rests && rest < PIN_REST_MAX_MS; i++)
    rest *= 2;
  k->wrongs = 0;
  k->rests++;
  k->rest_till = now + (rest < PIN_REST_MAX_MS ? rest : PIN_REST_MAX_MS);
  rb_log_warn("admin screen: %d wrong PINs: the pad rests %lld s", PIN_TRIES,
              (long long)(k->rest_till - now) / 1000);
  return rest_s(k, now);
}

static bool no_store(rb_kiosk *k, char *err, size_t n) {
  if (k->o.store)
    return false;
  snprintf(err, n, "Results are not kept here (no results store).");
  return true;
}

static bool changed(rb_kiosk *k, bool ok) {
  if (ok && k->o.changed)
    k->o.changed(k->o.ud);
  return ok;
}

static bool p_add(void *ud, const char *name, char *err, size_t n) {
  rb_kiosk *k = ud;
  return !no_store(k, err, n) &&
         changed(k, rb_store_patient_add(k->o.store, name, NULL, err, n));
}

static bool p_remove(void *ud, const char *name, char *err, size_t n) {
  rb_kiosk *k = ud;
  return !no_store(k, err, n) &&
         changed(k, rb_store_patient_remove(k->o.store, name, err, n));
}

static bool p_set(void *ud, const char *name, const char *key,
                  const char *value, char *err, size_t n) {
  rb_kiosk *k = ud;
  return !no_store(k, err, n) &&
         changed(k, rb_store_patient_set(k->o.store, name, key, value, err, n));
}

static bool p_get(void *ud, const char *name, const char *what, int i,
                  char *out, size_t n) {
  rb_kiosk *k = ud;
  rb_patient p;
  char key[256], value[512];
  out[0] = '\0';
  if (!k->o.store || !rb_store_patient_find(k->o.store, name, &p))
    return false;
  if (strcmp(what, "language") == 0) {
    snprintf(out, n, "%s", p.language);
    return true;
  }
  if (strcmp(what, "pin") == 0) {
    snprintf(out, n, "%s", p.pin[0] ? "set" : "");
    return true;
  }
  if (strcmp(what, "param") == 0 &&
      rb_store_param_at(k->o.store, p.id, i, key, sizeof key, value,
                        sizeof value)) {
    snprintf(out, n, "%s=%s", key, value);
    return true;
  }
  return false;
}

static int p_days(void *ud, const char *name, const char *routine) {
  rb_kiosk *k = ud;
  rb_patient p;
  rb_plan_item plan[64];
  int n;
  if (!k->o.store || !rb_store_patient_find(k->o.store, name, &p))
    return 0;
  n = rb_store_plan(k->o.store, p.id, plan, 64);
  for (int i = 0; i < n; i++)
    if (strcmp(plan[i].routine, routine) == 0)
      return plan[i].days_per_week;
  return 0;
}

static int volume(void *ud) { return ((rb_kiosk *)ud)->volume; }

static void set_volume(void *ud, int v) {
  rb_kiosk *k = ud;
  k->volume = v;
  if (k->o.sound)
    rb_sound_set_volume(k->o.sound, v);
  save(k);
}

static void voice_test(void *ud) {
  rb_kiosk *k = ud;
  if (!k->o.sound ||
      !rb_sound_test(k->o.sound, "This is the coach's voice.", NULL))
    rb_log_info("voice test: no sound card or no voice to hear it");
}

static int brightness(void *ud) { return ((rb_kiosk *)ud)->brightness; }

static void set_brightness(void *ud, int v) {
  rb_kiosk *k = ud;
  if (k->brightness < 0 || !k->o.set_brightness)
    return;
  k->brightness = v;
  k->o.set_brightness(k->o.ud, v);
  save(k);
}

/* --- export to a USB stick ------------------------------------------------ */

/* /proc/self/mounts escapes blanks as \040 */
static void unescape(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] && r[3]) {
      *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
      r += 3;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
}

/* The first writable USB stick (a /dev/sd* mounted under /media, /mnt or
 * /run/media). REBALANCE_MOUNTS names another mounts table, whose /dev/sd*
 * entries are taken wherever they are mounted but at / or /boot (tests). */
static bool find_stick(char *out, size_t n) {
  const char *table = getenv("REBALANCE_MOUNTS");
  if (table && !*table)
    table = NULL;
  char line[PATH_MAX * 2];
  FILE *f;
  bool found = false;
  f = fopen(table ? table : "/proc/self/mounts", "r");
  if (!f)
    return false;
  while (!found && fgets(line, sizeof line, f)) {
    char dev[256], dir[PATH_MAX];
    if (sscanf(line, "%255s %4095s", dev, dir) != 2)
      continue;
    unescape(dir);
    if (strncmp(dev, "/dev/sd", 7) != 0)
      continue;
    /* not the root disk of a Pi that boots from USB: only what is
     * mounted where sticks go (a test's own table is taken as it is) */
    if (strcmp(dir, "/") == 0 || strncmp(dir, "/boot", 5) == 0 ||
        (!table && strncmp(dir, "/media/", 7) != 0 &&
         strncmp(dir, "/mnt/", 5) != 0 && strncmp(dir, "/run/media/", 11) != 0))
      continue;
    if (access(dir, W_OK) == 0) {
      snprintf(out, n, "%s", dir);
      found = true;
    }
  }
  fclose(f);
  return found;
}

/* Writes one export into path, synced; false with why in err. */
static bool write_export(rb_kiosk *k, bool csv, const char *path, char *err,
                         size_t n) {
  rb_export_opts o = {.names = k->o.config && k->o.config->export_names};
  /* a new file, never through a link a stick might hold */
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  bool ok;
  if (!f) {
    if (fd >= 0)
      close(fd);
    snprintf(err, n, "%s: %s", path, strerror(errno));
    return false;
  }
  ok = csv ? rb_export_csv(k->o.store, &o, f, err, n)
           : rb_export_fhir(k->o.store, &o, f, err, n);
  if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
    if (ok)
      snprintf(err, n, "%s: %s", path, strerror(errno));
    ok = false;
  }
  if (fclose(f) != 0 && ok) {
    snprintf(err, n, "%s: %s", path, strerror(errno));
    ok = false;
  }
  return ok;
}

static bool export_now(rb_kiosk *k, char *msg, size_t n) {
  char stick[PATH_MAX], dir[PATH_MAX + 64], path[PATH_MAX + 192];
  char err[512] = "";
  rb_patient *people = NULL;
  int np, reports = 0;
  time_t now = time(NULL);
  struct tm tm;
  bool ok = false;
  if (no_store(k, msg, n))
    return false;
  if (!find_stick(stick, sizeof stick)) {
    snprintf(msg, n,
             "No USB stick found. Put one in and wait a few seconds, then "
             "touch Export again.");
    return false;
  }
  localtime_r(&now, &tm);
  snprintf(dir, sizeof dir, "%s/rebalance-%04d%02d%02d-%02d%02d", stick,
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
  /* a folder of its own: a second export in the same minute gets -2 */
  {
    size_t len = strlen(dir);
    int again = 1;
    while (mkdir(dir, 0755) != 0) {
      if (errno != EEXIST || ++again > 99) {
        snprintf(msg, n, "%s: %s", dir, strerror(errno));
        return false;
      }
      snprintf(dir + len, sizeof dir - len, "-%d", again);
    }
  }
  snprintf(path, sizeof path, "%s/results.csv", dir);
  if (!write_export(k, true, path, err, sizeof err))
    goto fail;
  snprintf(path, sizeof path, "%s/results-fhir.json", dir);
  if (!write_export(k, false, path, err, sizeof err))
    goto fail;
  people = calloc(PATIENTS_MAX, sizeof *people);
  if (!people) {
    snprintf(err, sizeof err, "out of memory");
    goto fail;
  }
  np = rb_store_patients(k->o.store, people, PATIENTS_MAX);
  for (int i = 0; i < np; i++) {
    char file[RB_STORE_NAME_MAX];
    size_t j;
    /* a file name any stick takes: letters and digits */
    for (j = 0; people[i].name[j] && j + 1 < sizeof file; j++) {
      unsigned char c = (unsigned char)people[i].name[j];
      file[j] = (c < 128 && (c == '-' || (c >= '0' && c <= '9') ||
                             ((c | 32) >= 'a' && (c | 32) <= 'z')))
                    ? (char)c
                    : '_';
    }
    file[j] = '\0';
    snprintf(path, sizeof path, "%s/report-%s-%lld.pdf", dir, file,
             people[i].id);
    if (rb_report_write(k->o.store, &people[i], k->o.plugins, now, 8, path, err,
                        sizeof err))
      reports++;
    else
      rb_log_warn("export to USB: %s: %s", people[i].name, err);
  }
  sync(); /* the stick may be pulled as soon as it says so */
  /* the folder's name alone: a whole path is too long for the screen */
  snprintf(msg, n,
           "Saved on the stick in %s: results.csv, results-fhir.json and %d "
           "report%s. The stick can be taken out.",
           strrchr(dir, '/') + 1, reports, reports == 1 ? "" : "s");
  rb_log_info("export to USB: saved in %s", dir);
  ok = true;
  goto done;
fail:
  snprintf(msg, n, "Not saved: %s", err);
  rb_log_error("export to USB: %s", err);
done:
  free(people);
  return ok;
}

/* The export runs on a thread of its own: a year of sessions onto a slow
 * stick takes longer than the watchdog waits for the main loop. */
static int export_worker(void *ud) {
  rb_kiosk *k = ud;
  char msg[sizeof k->export_msg];
  bool ok = export_now(k, msg, sizeof msg);
  SDL_LockMutex(k->lock);
  snprintf(k->export_msg, sizeof k->export_msg, "%s", msg);
  k->export_state = ok ? 2 : 3;
  SDL_UnlockMutex(k->lock);
  return 0;
}

static bool export_usb(void *ud, char *msg, size_t n) {
  rb_kiosk *k = ud;
  int state;
  SDL_LockMutex(k->lock);
  state = k->export_state;
  SDL_UnlockMutex(k->lock);
  if (state == 1) {
    snprintf(msg, n, "An export is under way.");
    return false;
  }
  if (k->export_thread) {
    SDL_WaitThread(k->export_thread, NULL); /* the last one, finished */
    k->export_thread = NULL;
  }
  if (k->o.store)
    rb_store_flush(k->o.store); /* every session so far, on the stick */
  k->export_state = 1;
  k->export_thread = SDL_CreateThread(export_worker, "rb-export", k);
  if (!k->export_thread) {
    k->export_state = 0;
    return export_now(k, msg, n); /* no thread: here, then */
  }
  snprintf(msg, n, "Exporting...");
  return true;
}

static int export_status(void *ud, char *msg, size_t n) {
  rb_kiosk *k = ud;
  int state;
  SDL_LockMutex(k->lock);
  state = k->export_state;
  if (state >= 2)
    snprintf(msg, n, "%s", k->export_msg);
  SDL_UnlockMutex(k->lock);
  return state;
}

/* --- problems, the log ---------------------------------------------------- */

static bool problem(void *ud, int i, char *out, size_t n) {
  rb_kiosk *k = ud;
  const rb_catalog *cat = k->o.catalog ? k->o.catalog(k->o.ud) : NULL;
  const char *text = cat ? rb_catalog_problems(cat) : "";
  /* the store first: results not kept matter most */
  if (k->o.store && rb_store_problem(k->o.store)[0]) {
    if (i-- == 0) {
      snprintf(out, n, "Results: %s", rb_store_problem(k->o.store));
      return true;
    }
  }
  while (text && *text) {
    const char *eol = strchr(text, '\n');
    size_t len = eol ? (size_t)(eol - text) : strlen(text);
    if (len && i-- == 0) {
      snprintf(out, n, "%.*s", (int)len, text);
      return true;
    }
    text = eol ? eol + 1 : text + len;
  }
  return rb_plugins_problem(k->o.plugins, i, out, n);
}

static bool log_line(void *ud, int i, char *out, size_t n) {
  (void)ud;
  return rb_log_recent(i, out, n);
}

/* --- restart, power off --------------------------------------------------- */

static bool restart(void *ud, char *msg, size_t n) {
  rb_kiosk *k = ud;
  if (!getenv("INVOCATION_ID")) {
    snprintf(msg, n,
             "The coach is not run by systemd here: close it and start it "
             "again.");
    return false;
  }
  rb_log_info("admin: restart");
  if (k->o.quit)
    k->o.quit(k->o.ud); /* systemd starts it again (Restart=always) */
  return true;
}

static bool power_off(void *ud, char *msg, size_t n) {
  /* never waiting for a password on the hidden console, never for the
   * shutdown itself */
  char *const argv[] = {"systemctl", "--no-ask-password", "--no-block",
                        "poweroff", NULL};
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int status = 0, rc;
  (void)ud;
  rb_log_info("admin: power off");
  if ((rc = posix_spawn_file_actions_init(&fa)) != 0) {
    snprintf(msg, n, "Could not power off: %s", strerror(rc));
    return false;
  }
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  rc = posix_spawnp(&pid, "systemctl", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    snprintf(msg, n, "Could not power off: %s", strerror(rc));
    return false;
  }
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(msg, n,
             "Could not power off (systemctl poweroff was refused: see "
             "docs/kiosk.md).");
    return false;
  }
  snprintf(msg, n,
           "Powering off. Wait for the green light to stop before "
           "unplugging.");
  return true;
}

rb_admin_port rb_kiosk_port(rb_kiosk *k) {
  return (rb_admin_port){.ud = k,
                         .pin = pin,
                         .try_pin = try_pin,
                         .pin_rest_s = rest_s,
                         .patient_add = p_add,
                         .patient_remove = p_remove,
                         .patient_set = p_set,
                         .plan_days = p_days,
                         .patient_get = p_get,
                         .volume = volume,
                         .set_volume = set_volume,
                         .voice_test = voice_test,
                         .brightness = brightness,
                         .set_brightness = set_brightness,
                         .export_usb = export_usb,
                         .export_status = export_status,
                         .problem = problem,
                         .log_line = log_line,
                         .restart = restart,
                         .power_off = power_off};
}
