#include "bench.h"

#include "app.h"
#include "catalog.h"
#include "drive.h"
#include "log.h"
#include "session.h"
#include "store.h"
#include "tts.h"

#include <SDL.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The reference: the same screen as a web page in Chromium,
 * quoted when Chromium is not here to be measured. */
#define CHROMIUM_RSS_MIB 400.0
#define CHROMIUM_CPU_PERCENT 14.0

#define HOLD_SECONDS 10  /* the headless hold, without --seconds */
#define WINDOW_SECONDS 4 /* each deployed configuration, without --seconds */
#define WINDOW_SIZE "800x480" /* the 7" panel */
#define WARMUP_S 1.0          /* after the first frame, before measuring */
#define CHROMIUM_WARMUP_S 2.0 /* after the page's first frame */
#define READY_TIMEOUT_S 30.0
#define CHROMIUM_READY_TIMEOUT_S 60.0
/* screen_run.c's RING_STEP_MS: the page draws as many frames as the coach */
#define PAGE_STEP_MS 250
/* set in a child: the bench's folder; the child runs one window and says
 * what it drew */
#define CHILD_ENV "REBALANCE_BENCH_CHILD"
#define PROCS_MAX 8192

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double max_rss_mib(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
}

static bool write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  bool ok = f && fputs(text, f) >= 0;
  if (f && fclose(f) != 0)
    ok = false;
  return ok;
}

/* Synthesis of typical cues: the first time and from the cache. */
static void bench_tts(cJSON *j) {
  static const char *const texts[] = {"Halfway",
                                      "Left side. Turn gently. Breathe slowly.",
                                      "Slowly turn your chest through the "
                                      "door, until you feel a stretch."};
  char err[256];
  double t0 = now_s();
  rb_tts *tts = rb_tts_new(&(rb_tts_opts){0}, err, sizeof err);
  cJSON *o = cJSON_AddObjectToObject(j, "speech"), *list;
  if (!tts) {
    cJSON_AddStringToObject(o, "error", err);
    return;
  }
  cJSON_AddNumberToObject(o, "start_ms", (now_s() - t0) * 1000);
  list = cJSON_AddArrayToObject(o, "cues");
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    cJSON *c = cJSON_CreateObject();
    const rb_speech *sp;
    t0 = now_s();
    sp = rb_tts_speak_now(tts, texts[i], NULL);
    cJSON_AddStringToObject(c, "text", texts[i]);
    cJSON_AddNumberToObject(c, "synthesis_ms", (now_s() - t0) * 1000);
    t0 = now_s();
    rb_tts_speak_now(tts, texts[i], NULL);
    cJSON_AddNumberToObject(c, "cached_ms", (now_s() - t0) * 1000);
    cJSON_AddNumberToObject(c, "spoken_ms",
                            sp ? (double)sp->n * 1000 / rb_tts_sample_rate(tts)
                               : 0);
    cJSON_AddItemToArray(list, c);
  }
  rb_tts_free(tts);
}

/* Reads a WAV this program wrote (44-byte header, mono 16-bit). */
static int16_t *read_wav(const char *path, size_t *n, int *rate) {
  FILE *f = fopen(path, "rb");
  unsigned char h[44];
  int16_t *pcm = NULL;
  long size;
  if (!f || fread(h, 1, 44, f) != 44 || fseek(f, 0, SEEK_END) != 0 ||
      (size = ftell(f)) < 44 || fseek(f, 44, SEEK_SET) != 0)
    goto done;
  *rate = h[24] | h[25] << 8 | h[26] << 16 | h[27] << 24;
  *n = (size_t)(size - 44) / 2;
  pcm = malloc(*n * sizeof *pcm + 1);
  if (pcm && fread(pcm, 2, *n, f) != *n) {
    free(pcm);
    pcm = NULL;
  }
done:
  if (f)
    fclose(f);
  return pcm;
}

/* Cue latency: a real-clock run whose WAV is written on the routine
 * clock, so a beep's first loud sample minus its timeline time is how
 * late the engine started it; the sound card adds its buffer on top. */
static void bench_cues(cJSON *j, const char *dir, const char *routines_dir) {
  char routine[128], wav[128], tl[128], input[128];
  rb_app_opts o = {0};
  cJSON *c = cJSON_AddObjectToObject(j, "cues");
  FILE *f;
  char line[1024];
  size_t n = 0;
  int rate = 0, count = 0;
  double worst = 0, sum = 0;
  int16_t *pcm;
  snprintf(routine, sizeof routine, "%s/cues.lua", dir);
  snprintf(wav, sizeof wav, "%s/cues.wav", dir);
  snprintf(tl, sizeof tl, "%s/cues.jsonl", dir);
  snprintf(input, sizeof input, "%s/cues.txt", dir);
  if (!write_file(routine,
                  "return routine { id = 'bench-cues', title = 'Cues',\n"
                  "  run = function()\n"
                  "    hold { seconds = 5, reps = 2, side = 'left',\n"
                  "           cue = 'Breathe slowly.' }\n"
                  "  end }\n") ||
      !write_file(input, "# the hold ends by itself\n"))
    return;
  o.headless = true;
  o.routine = routine;
  o.routines_dir = routines_dir;
  o.input = input;
  o.timeline = tl;
  o.audio_out = wav;
  o.volume = 100;
  if (rb_app_run(&o) != 0) {
    cJSON_AddStringToObject(c, "error", "the cue run failed");
    goto done;
  }
  pcm = read_wav(wav, &n, &rate);
  f = fopen(tl, "r");
  while (pcm && f && fgets(line, sizeof line, f)) {
    cJSON *e = cJSON_Parse(line);
    const cJSON *kind = cJSON_GetObjectItem(e, "kind");
    if (cJSON_IsString(kind) && (strcmp(kind->valuestring, "beep") == 0 ||
                                 strcmp(kind->valuestring, "chime") == 0)) {
      double t = cJSON_GetObjectItem(e, "t")->valuedouble;
      size_t from = (size_t)(t * rate / 1000), i;
      for (i = from; i < n && i < from + (size_t)rate; i++)
        if (abs(pcm[i]) > 1000)
          break;
      if (i < n && i < from + (size_t)rate) {
        double late = (double)(i - from) * 1000 / rate;
        sum += late;
        worst = late > worst ? late : worst;
        count++;
      }
    }
    cJSON_Delete(e);
  }
  if (f)
    fclose(f);
  free(pcm);
  cJSON_AddNumberToObject(c, "measured", count);
  cJSON_AddNumberToObject(c, "late_ms_mean", count ? sum / count : 0);
  cJSON_AddNumberToObject(c, "late_ms_max", worst);
  /* the first samples of a beep fade in for 10 ms: part of every figure */
  cJSON_AddNumberToObject(c, "device_buffer_ms", 23);
  cJSON_AddNumberToObject(c, "goal_ms", 50);
done:
  unlink(routine);
  unlink(wav);
  unlink(tl);
  unlink(input);
}

/* The results store: what a session event costs the main loop (handing
 * it to the writer) and what the writer's commit takes (an fsync: tens of
 * ms on an SD card), one event at a time, as during a routine. Measured
 * where the store lives (--state), else in the bench's own folder. */
static void bench_store(cJSON *j, const char *where) {
  char dir[PATH_MAX], err[512], uuid[37];
  rb_store *st;
  rb_patient p;
  rb_sink k;
  rb_store_timing t;
  double main_ms = 0, main_max = 0;
  cJSON *o = cJSON_AddObjectToObject(j, "store");
  const int n = 100;
  snprintf(dir, sizeof dir, "%s/bench-store-%d", where, (int)getpid());
  st = rb_store_open(dir, err, sizeof err);
  if (!st || !rb_store_patient_default(st, &p)) {
    cJSON_AddStringToObject(o, "error", st ? rb_store_problem(st) : err);
    rb_store_close(st);
    return;
  }
  k = rb_store_sink(st, p.id, uuid);
  for (int i = 0; i < n; i++) {
    cJSON *f = cJSON_CreateObject();
    double t0, ms;
    cJSON_AddStringToObject(f, "routine", "bench");
    cJSON_AddNumberToObject(f, "rep", i);
    t0 = now_s();
    k.event(k.ud, i * 100, i == 0 ? "start" : "hold", f);
    ms = (now_s() - t0) * 1000;
    cJSON_Delete(f);
    main_ms += ms;
    if (ms > main_max)
      main_max = ms;
    rb_store_flush(st); /* one event a commit: the worst case */
  }
  k.ended(k.ud, &(rb_session_end){.routine = "bench",
                                  .status = RB_END_COMPLETED,
                                  .reason = "",
                                  .error = "",
                                  .pain_at_stop = -1});
  rb_store_flush(st);
  rb_store_stats(st, &t);
  cJSON_AddStringToObject(o, "path", rb_store_path(st));
  cJSON_AddNumberToObject(o, "events", n);
  cJSON_AddNumberToObject(o, "main_thread_ms_per_event", main_ms / n);
  cJSON_AddNumberToObject(o, "main_thread_ms_max", main_max);
  cJSON_AddNumberToObject(o, "commit_ms_per_event",
                          t.batches ? t.commit_ms / (double)t.batches : 0);
  cJSON_AddNumberToObject(o, "commit_ms_max", t.commit_ms_max);
  rb_store_close(st);
  {
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
      rb_log_warn("bench: could not remove %s", dir);
  }
}

/* --- the deployed path ------------------------------------------------------
 * The coach again, as the kiosk runs it: a real window, the renderer SDL
 * really uses. Each configuration is a child process, this program again
 * (exec, not fork: a forked child shares the parent's pages, and its PSS
 * would carry them), told by CHILD_ENV to open one window on a long hold.
 * The parent measures it from outside as a profiler would: PSS from
 * /proc/PID/smaps_rollup, CPU from its threads' schedstat (and the display
 * server's: under X it copies every frame to the screen), from the first
 * frame (READY=1 on a notify socket of the bench's own) plus a warm-up.
 * Chromium showing bench/hold.html is measured the same way, all its
 * processes together. */

/* "Created renderer: NAME" from SDL, in the child: the renderers made, in
 * order (a software renderer presented through a GL texture makes that
 * one first). */
static char created[4][32];
static int ncreated;
static SDL_LogOutputFunction sdl_log_next;
static void *sdl_log_next_ud;

static void note_renderer(void *ud, int category, SDL_LogPriority priority,
                          const char *message) {
  static const char prefix[] = "Created renderer: ";
  (void)ud;
  if (category == SDL_LOG_CATEGORY_RENDER &&
      strncmp(message, prefix, sizeof prefix - 1) == 0) {
    if (ncreated < (int)(sizeof created / sizeof created[0]))
      snprintf(created[ncreated++], sizeof created[0], "%s",
               message + sizeof prefix - 1);
    return;
  }
  if (sdl_log_next)
    sdl_log_next(sdl_log_next_ud, category, priority, message);
}

/* Under X or Wayland: a window; else the screen itself (the kiosk). */
static bool on_desktop(void) {
  return getenv("DISPLAY") || getenv("WAYLAND_DISPLAY");
}

/* In the child: the window on the hold, until the parent stops it
 * (SIGTERM, which SDL turns into a quit) or the script's QUIT. Prints what
 * it drew as JSON. */
static int bench_child(const rb_app_opts *app, const char *dir, FILE *out) {
  char routine[PATH_MAX], input[PATH_MAX], *text;
  rb_app_opts o = *app;
  cJSON *j = cJSON_CreateObject(), *list;
  int rc;
  if (!j)
    return 1;
  snprintf(routine, sizeof routine, "%s/window.lua", dir);
  snprintf(input, sizeof input, "%s/window.txt", dir);
  o.headless = false;
  if (on_desktop()) { /* a window of the panel's pixels */
    o.window = true;
    o.size = app->size ? app->size : WINDOW_SIZE;
  } /* else the kiosk's screen: fullscreen, as the coach */
  o.draw_offscreen = false;
  o.routine = routine;
  o.input = input;
  o.timeline = NULL;
  o.screenshot_dir = NULL;
  o.audio_out = NULL;
  o.mute = true; /* the same work, nobody startled */
  o.virtual_clock = false;
  o.store = NULL;
  o.patient = 0;
  o.bench_presses = 0;
  SDL_LogGetOutputFunction(&sdl_log_next, &sdl_log_next_ud);
  SDL_LogSetOutputFunction(note_renderer, NULL);
  SDL_LogSetPriority(SDL_LOG_CATEGORY_RENDER, SDL_LOG_PRIORITY_INFO);
  rc = rb_app_run(&o);
  cJSON_AddNumberToObject(j, "exit", rc);
  cJSON_AddNumberToObject(j, "frames", o.frames);
  cJSON_AddNumberToObject(j, "part_frames", o.part_frames);
  list = cJSON_AddArrayToObject(j, "created");
  for (int i = 0; list && i < ncreated; i++)
    cJSON_AddItemToArray(list, cJSON_CreateString(created[i]));
  text = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  if (!text)
    return 1;
  fprintf(out, "%s\n", text);
  free(text);
  return 0;
}

typedef struct {
  double rss, pss, anon, file; /* MiB */
} bench_mem;

/* Adds a process's memory from smaps_rollup; false when it is gone. */
static bool add_mem(pid_t pid, bench_mem *m) {
  char path[64], line[256];
  FILE *f;
  long kib;
  snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
  f = fopen(path, "r");
  if (!f)
    return false;
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "Rss: %ld", &kib) == 1)
      m->rss += kib / 1024.0;
    else if (sscanf(line, "Pss: %ld", &kib) == 1)
      m->pss += kib / 1024.0;
    else if (sscanf(line, "Pss_Anon: %ld", &kib) == 1)
      m->anon += kib / 1024.0;
    else if (sscanf(line, "Pss_File: %ld", &kib) == 1)
      m->file += kib / 1024.0;
  }
  fclose(f);
  return true;
}

/* The CPU time of a process's threads (schedstat: nanoseconds; the
 * kernel's ticks when there is none), in seconds; -1 when it is gone. */
static double proc_cpu_s(pid_t pid) {
  char path[64], line[256];
  DIR *d;
  const struct dirent *e;
  double sum = 0;
  FILE *f;
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  d = opendir(path);
  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL) {
    unsigned long long ns;
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof path, "/proc/%d/task/%.16s/schedstat", (int)pid,
             e->d_name);
    f = fopen(path, "r");
    if (!f)
      continue;
    if (fgets(line, sizeof line, f) && sscanf(line, "%llu", &ns) == 1)
      sum += (double)ns / 1e9;
    fclose(f);
  }
  closedir(d);
  if (sum > 0)
    return sum;
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  f = fopen(path, "r");
  if (f && fgets(line, sizeof line, f)) {
    const char *r = strrchr(line, ')');
    unsigned long ut, st;
    if (r &&
        sscanf(r + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
               &ut, &st) == 2)
      sum = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
  }
  if (f)
    fclose(f);
  return sum;
}

typedef struct {
  pid_t pid, ppid, sid;
} bench_proc;

static int list_procs(bench_proc *p, int max) {
  DIR *d = opendir("/proc");
  const struct dirent *e;
  int n = 0;
  if (!d)
    return 0;
  while (n < max && (e = readdir(d)) != NULL) {
    char path[64], line[512];
    const char *r;
    FILE *f;
    int ppid, sid;
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof path, "/proc/%.16s/stat", e->d_name);
    f = fopen(path, "r");
    if (!f)
      continue;
    if (fgets(line, sizeof line, f) && (r = strrchr(line, ')')) != NULL &&
        sscanf(r + 1, " %*c %d %*d %d", &ppid, &sid) == 2)
      p[n++] = (bench_proc){(pid_t)atoi(e->d_name), (pid_t)ppid, (pid_t)sid};
    fclose(f);
  }
  closedir(d);
  return n;
}

/* root and its descendants, and with `session` whoever is in root's
 * session (a process whose parent left is still Chromium's). */
static int group_of(pid_t root, bool session, pid_t *out, int max) {
  bench_proc *p = malloc(PROCS_MAX * sizeof *p);
  int n, count = 0;
  bool grew = true;
  if (!p)
    return 0;
  n = list_procs(p, PROCS_MAX);
  for (int i = 0; i < n; i++)
    if (p[i].pid == root && count < max)
      out[count++] = root;
  while (grew) {
    grew = false;
    for (int i = 0; i < n && count < max; i++) {
      bool in = false, joins = session && p[i].sid == root;
      for (int k = 0; k < count && !in; k++)
        in = out[k] == p[i].pid;
      for (int k = 0; k < count && !in && !joins; k++)
        joins = out[k] == p[i].ppid;
      if (!in && joins) {
        out[count++] = p[i].pid;
        grew = true;
      }
    }
  }
  free(p);
  return count;
}

typedef struct {
  double t, cpu, server; /* server: -1 when unknown */
  bench_mem mem;
  int procs;
} bench_point;

static void sample(pid_t root, bool session, pid_t server, bench_point *s) {
  pid_t pids[512];
  int n = group_of(root, session, pids, 512);
  *s = (bench_point){.t = now_s(), .server = -1};
  for (int i = 0; i < n; i++) {
    double c = proc_cpu_s(pids[i]);
    if (c >= 0 && add_mem(pids[i], &s->mem)) {
      s->cpu += c;
      s->procs++;
    }
  }
  if (server > 0)
    s->server = proc_cpu_s(server);
}

/* Sleeps, reading what the child says on the notify socket (a full
 * socket would block it). */
static void pause_s(int sock, double seconds) {
  double end = now_s() + seconds;
  for (double left = seconds; left > 0; left = end - now_s()) {
    struct pollfd pf = {.fd = sock, .events = POLLIN};
    char buf[256];
    if (sock < 0) {
      struct timespec ts = {(time_t)left, (long)((left - (time_t)left) * 1e9)};
      nanosleep(&ts, NULL);
      return;
    }
    if (poll(&pf, 1, (int)(left * 1000) + 1) > 0)
      while (recv(sock, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;
  }
}

/* Measures the group for `seconds`: CPU over it, memory at its end and
 * at its fullest (sampled four times a second). */
static void measure(pid_t root, bool session, pid_t server, int sock,
                    double seconds, bench_point *a, bench_point *b,
                    bench_mem *peak) {
  double end;
  sample(root, session, server, a);
  *peak = a->mem;
  end = a->t + seconds;
  do {
    pause_s(sock, end - now_s() < 0.25 ? end - now_s() : 0.25);
    sample(root, session, server, b);
    if (b->mem.pss > peak->pss)
      *peak = b->mem;
  } while (now_s() < end);
}

static void add_mem_json(cJSON *o, const bench_mem *m, const bench_mem *peak) {
  cJSON_AddNumberToObject(o, "pss_mib", m->pss);
  cJSON_AddNumberToObject(o, "pss_anon_mib", m->anon);
  cJSON_AddNumberToObject(o, "pss_file_mib", m->file);
  cJSON_AddNumberToObject(o, "rss_mib", m->rss);
  cJSON_AddNumberToObject(o, "pss_mib_max", peak->pss);
}

static void add_cpu_json(cJSON *o, const bench_point *a, const bench_point *b) {
  double wall = b->t - a->t;
  cJSON_AddNumberToObject(o, "cpu_percent_of_one_core",
                          wall > 0 ? (b->cpu - a->cpu) / wall * 100 : 0);
  if (a->server >= 0 && b->server >= 0)
    cJSON_AddNumberToObject(o, "display_server_cpu_percent",
                            wall > 0 ? (b->server - a->server) / wall * 100
                                     : 0);
  else
    cJSON_AddNullToObject(o, "display_server_cpu_percent");
}

/* The X server showing DISPLAY (Xvfb, Xorg), whose CPU is part of every
 * frame; 0 when there is none or it cannot be told. */
static pid_t display_server(char *name, size_t n) {
  const char *display = getenv("DISPLAY"), *colon;
  char want[32];
  DIR *d;
  const struct dirent *e;
  pid_t found = 0;
  if (!display || !(colon = strchr(display, ':')))
    return 0;
  snprintf(want, sizeof want, ":%d", atoi(colon + 1));
  d = opendir("/proc");
  if (!d)
    return 0;
  while (!found && (e = readdir(d)) != NULL) {
    char path[64], comm[32] = "", args[4096];
    FILE *f;
    size_t len;
    if (e->d_name[0] < '0' || e->d_name[0] > '9')
      continue;
    snprintf(path, sizeof path, "/proc/%.16s/comm", e->d_name);
    f = fopen(path, "r");
    if (!f)
      continue;
    if (!fgets(comm, sizeof comm, f))
      comm[0] = '\0';
    fclose(f);
    comm[strcspn(comm, "\n")] = '\0';
    if (strcmp(comm, "Xvfb") != 0 && strcmp(comm, "Xorg") != 0 &&
        strcmp(comm, "X") != 0 && strcmp(comm, "Xvnc") != 0 &&
        strcmp(comm, "Xwayland") != 0)
      continue;
    snprintf(path, sizeof path, "/proc/%.16s/cmdline", e->d_name);
    f = fopen(path, "rb");
    if (!f)
      continue;
    len = fread(args, 1, sizeof args - 1, f);
    fclose(f);
    args[len] = '\0';
    for (size_t i = 0; i < len; i += strlen(args + i) + 1)
      if (strcmp(args + i, want) == 0) {
        found = (pid_t)atoi(e->d_name);
        snprintf(name, n, "%s %s", comm, want);
      }
  }
  closedir(d);
  return found;
}

/* True when Mesa's driver (and so a GL stack) is in the process. */
static bool mesa_loaded(pid_t pid) {
  char path[64], line[512];
  FILE *f;
  bool found = false;
  snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
  f = fopen(path, "r");
  while (f && !found && fgets(line, sizeof line, f))
    found = strstr(line, "_dri.so") || strstr(line, "libgallium") ||
            strstr(line, "libLLVM");
  if (f)
    fclose(f);
  return found;
}

/* Starts path with argv and the environment, less the entries drop names
 * ("KEY=") and plus add; stdout and stderr go to files. In a session of
 * its own with `session`. -1 when it cannot. */
static pid_t spawn(const char *path, char *const argv[],
                   const char *const *drop, const char *const *add,
                   const char *out, const char *err, bool session) {
  size_t n = 0, k = 0;
  char **env;
  int fo, fe;
  pid_t pid = -1;
  while (environ[n])
    n++;
  for (size_t i = 0; add[i]; i++)
    n++;
  env = malloc((n + 1) * sizeof *env);
  fo = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  fe = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (!env || fo < 0 || fe < 0)
    goto done;
  for (size_t i = 0; environ[i]; i++) {
    bool keep = true;
    for (size_t m = 0; drop[m] && keep; m++)
      keep = strncmp(environ[i], drop[m], strlen(drop[m])) != 0;
    if (keep)
      env[k++] = environ[i];
  }
  for (size_t i = 0; add[i]; i++)
    env[k++] = (char *)add[i];
  env[k] = NULL;
  fflush(NULL);
  pid = fork();
  if (pid == 0) {
    if (session)
      setsid();
    if (dup2(fo, STDOUT_FILENO) < 0 || dup2(fe, STDERR_FILENO) < 0)
      _exit(127);
    execve(path, argv, env);
    _exit(127);
  }
done:
  if (fo >= 0)
    close(fo);
  if (fe >= 0)
    close(fe);
  free(env);
  return pid;
}

/* SIGTERM, then SIGKILL after 10 s; to the whole session with `session`
 * (and whoever of it is left once its leader has gone). */
static void stop(pid_t pid, bool session) {
  double t0 = now_s();
  int status;
  pid_t left[8];
  kill(session ? -pid : pid, SIGTERM);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    struct timespec ts = {0, 20000000};
    if (now_s() - t0 > 10) {
      kill(session ? -pid : pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    nanosleep(&ts, NULL);
  }
  while (session && group_of(pid, true, left, 8) > 0 && now_s() - t0 < 15) {
    struct timespec ts = {0, 50000000};
    nanosleep(&ts, NULL);
  }
  if (session)
    kill(-pid, SIGKILL); /* ESRCH when all have gone */
}

/* The last line of a file that says what went wrong. */
static void last_error(const char *path, char *buf, size_t n) {
  FILE *f = fopen(path, "r");
  char line[512];
  buf[0] = '\0';
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] && (!buf[0] || strstr(line, "error") || strstr(line, "cannot")))
      snprintf(buf, n, "%s", line);
  }
  if (f)
    fclose(f);
  if (!buf[0])
    snprintf(buf, n, "it said nothing");
}

static cJSON *read_json(const char *path) {
  FILE *f = fopen(path, "r");
  char buf[4096];
  size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f)
    fclose(f);
  buf[len] = '\0';
  return cJSON_Parse(buf);
}

/* This program's own command line, to run it again as a child. */
static int self_argv(char *buf, size_t n, char **argv, int max) {
  FILE *f = fopen("/proc/self/cmdline", "rb");
  size_t len;
  int argc = 0;
  if (!f)
    return 0;
  len = fread(buf, 1, n - 1, f);
  fclose(f);
  buf[len] = '\0';
  for (size_t i = 0; i < len && argc < max - 1; i += strlen(buf + i) + 1)
    argv[argc++] = buf + i;
  argv[argc] = NULL;
  return argc;
}

typedef struct {
  const char *name;   /* the JSON key */
  const char *driver; /* SDL_RENDER_DRIVER; NULL: as display.c chooses */
  /* SDL_FRAMEBUFFER_ACCELERATION: how a software renderer's frames reach
   * the window: "1" through a GL texture, "0" as they are (X11 only) */
  const char *fb;
} bench_config;

typedef struct {
  const char *dir;
  char **argv;
  int sock; /* the notify socket the children say READY=1 on */
  char notify[PATH_MAX];
  pid_t server;
  double seconds;
} bench_deploy;

/* Waits for READY=1 (the first frame) from pid; false when it ended or
 * did not come in time. */
static bool wait_ready(int sock, pid_t pid, bool *ended) {
  double t0 = now_s();
  int status;
  *ended = false;
  while (now_s() - t0 < READY_TIMEOUT_S) {
    struct pollfd pf = {.fd = sock, .events = POLLIN};
    char buf[512];
    ssize_t len;
    if (poll(&pf, 1, 100) > 0 &&
        (len = recv(sock, buf, sizeof buf - 1, MSG_DONTWAIT)) > 0) {
      buf[len] = '\0';
      if (strstr(buf, "READY=1"))
        return true;
    }
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *ended = true;
      return false;
    }
  }
  return false;
}

/* One configuration in a child; false when there was no window at all. */
static bool bench_window(const bench_deploy *d, const bench_config *c,
                         cJSON *o) {
  static const char *const drop_default[] = {
      "NOTIFY_SOCKET=", "WATCHDOG_USEC=", "WATCHDOG_PID=", CHILD_ENV "=", NULL};
  static const char *const drop_set[] = {
      "NOTIFY_SOCKET=",       "WATCHDOG_USEC=",
      "WATCHDOG_PID=",        CHILD_ENV "=",
      "SDL_RENDER_DRIVER=",   "SDL_FRAMEBUFFER_ACCELERATION=",
      "SDL_RENDER_BATCHING=", NULL};
  char env_notify[PATH_MAX + 16], env_child[PATH_MAX + 32], env_driver[64];
  char env_fb[64];
  char out[PATH_MAX], err[PATH_MAX], why[512];
  const char *add[8];
  int nadd = 0;
  bool ended, window = true;
  double t0 = now_s(), started;
  bench_point a, b;
  bench_mem peak;
  cJSON *child = NULL, *frames, *list;
  pid_t pid;
  snprintf(env_notify, sizeof env_notify, "NOTIFY_SOCKET=%s", d->notify);
  snprintf(env_child, sizeof env_child, CHILD_ENV "=%s", d->dir);
  add[nadd++] = env_notify;
  add[nadd++] = env_child;
  if (c->driver) {
    snprintf(env_driver, sizeof env_driver, "SDL_RENDER_DRIVER=%s", c->driver);
    add[nadd++] = env_driver;
    /* what SDL does unasked; naming a driver would turn it off */
    add[nadd++] = "SDL_RENDER_BATCHING=1";
    if (c->fb) {
      snprintf(env_fb, sizeof env_fb, "SDL_FRAMEBUFFER_ACCELERATION=%s", c->fb);
      add[nadd++] = env_fb;
    }
  }
  add[nadd] = NULL;
  {
    char line[256] = "";
    for (int i = 2; i < nadd; i++)
      snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s",
               line[0] ? " " : "", add[i]);
    cJSON_AddStringToObject(o, "env", line);
  }
  snprintf(out, sizeof out, "%s/%s.json", d->dir, c->name);
  snprintf(err, sizeof err, "%s/%s.err", d->dir, c->name);
  pid = spawn("/proc/self/exe", d->argv, c->driver ? drop_set : drop_default,
              add, out, err, false);
  if (pid < 0) {
    cJSON_AddStringToObject(o, "error", strerror(errno));
    goto done;
  }
  if (!wait_ready(d->sock, pid, &ended)) {
    if (!ended)
      stop(pid, false);
    child = read_json(out);
    window = !(cJSON_GetObjectItem(child, "exit") &&
               cJSON_GetObjectItem(child, "exit")->valueint == -1);
    last_error(err, why, sizeof why);
    cJSON_AddStringToObject(o, "error", window ? why : "no display");
    goto done;
  }
  started = now_s();
  cJSON_AddNumberToObject(o, "startup_ms", (started - t0) * 1000);
  pause_s(d->sock, WARMUP_S);
  measure(pid, false, d->server, d->sock, d->seconds, &a, &b, &peak);
  cJSON_AddBoolToObject(o, "mesa_loaded", mesa_loaded(pid));
  stop(pid, false);
  child = read_json(out);
  frames = cJSON_GetObjectItem(child, "frames");
  list = cJSON_GetObjectItem(child, "created");
  if (!cJSON_IsNumber(frames) || cJSON_GetArraySize(list) < 1) {
    last_error(err, why, sizeof why);
    cJSON_AddStringToObject(o, "error", why);
    goto done;
  }
  {
    int n = cJSON_GetArraySize(list);
    double fps = (frames->valuedouble - 1) / (now_s() - started);
    cJSON *pres = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "renderer",
                            cJSON_GetArrayItem(list, n - 1)->valuestring);
    /* made before it: what SDL presents the software renderer's frames
     * through (a GL texture), none when it writes to the window itself */
    for (int i = 0; pres && i < n - 1; i++)
      cJSON_AddItemToArray(
          pres, cJSON_CreateString(cJSON_GetArrayItem(list, i)->valuestring));
    cJSON_AddItemToObject(o, "presented_through", pres);
    add_mem_json(o, &b.mem, &peak);
    add_cpu_json(o, &a, &b);
    cJSON_AddNumberToObject(o, "frames_per_second", fps);
    {
      /* of them, frames that drew only a moving figure's box */
      cJSON *pf = cJSON_GetObjectItem(child, "part_frames");
      cJSON_AddNumberToObject(o, "part_frame_share",
                              cJSON_IsNumber(pf) && frames->valuedouble > 0
                                  ? pf->valuedouble / frames->valuedouble
                                  : 0);
    }
    cJSON_AddNumberToObject(
        o, "cpu_ms_per_frame",
        fps > 0 ? (b.cpu - a.cpu) * 1000 / ((b.t - a.t) * fps) : 0);
    if (a.server >= 0 && b.server >= 0)
      cJSON_AddNumberToObject(
          o, "display_server_ms_per_frame",
          fps > 0 ? (b.server - a.server) * 1000 / ((b.t - a.t) * fps) : 0);
  }
done:
  cJSON_Delete(child);
  unlink(out);
  unlink(err);
  return window;
}

static const char *chromium_path(void) {
  static const char *const paths[] = {"/usr/bin/chromium",
                                      "/usr/bin/chromium-browser"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
    if (access(paths[i], X_OK) == 0)
      return paths[i];
  return NULL;
}

/* bench/hold.html: the source tree's, or the installed one. */
static bool find_page(char *buf, size_t n) {
  static const char *const dirs[] = {RB_SOURCE_DIR, RB_DATA_DIR};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    snprintf(buf, n, "%s/bench/hold.html", dirs[i]);
    if (access(buf, R_OK) == 0)
      return true;
  }
  return false;
}

static bool file_has(const char *path, const char *text) {
  FILE *f = fopen(path, "r");
  char line[1024];
  bool found = false;
  while (f && !found && fgets(line, sizeof line, f))
    found = strstr(line, text) != NULL;
  if (f)
    fclose(f);
  return found;
}

/* Chromium showing the same screen, a window of the same size. */
static void bench_chromium(const bench_deploy *d, int w, int h, cJSON *j) {
  static const char *const drop[] = {"NOTIFY_SOCKET=", CHILD_ENV "=", NULL};
  static const char *const add[] = {NULL};
  const char *path = chromium_path();
  char page[PATH_MAX], url[PATH_MAX + 64], size[64], profile[PATH_MAX + 32];
  char out[PATH_MAX], err[PATH_MAX], why[512], version[128] = "";
  double t0, started;
  bench_point a, b;
  bench_mem peak;
  cJSON *o;
  pid_t pid;
  FILE *v;
  if (!path) {
    cJSON_AddStringToObject(j, "chromium", "not installed");
    return;
  }
  o = cJSON_AddObjectToObject(j, "chromium");
  if (!on_desktop()) {
    cJSON_AddStringToObject(o, "error", "needs an X or Wayland display");
    return;
  }
  if (!find_page(page, sizeof page)) {
    cJSON_AddStringToObject(o, "error", "bench/hold.html not found");
    return;
  }
  snprintf(url, sizeof url, "--app=file://%s?ms=%d", page, PAGE_STEP_MS);
  snprintf(size, sizeof size, "--window-size=%d,%d", w, h);
  snprintf(profile, sizeof profile, "--user-data-dir=%s/chromium", d->dir);
  snprintf(out, sizeof out, "%s/chromium.out", d->dir);
  snprintf(err, sizeof err, "%s/chromium.err", d->dir);
  snprintf(why, sizeof why, "'%s' --version 2>/dev/null", path);
  v = popen(why, "r");
  if (v) {
    if (!fgets(version, sizeof version, v))
      version[0] = '\0';
    pclose(v);
    version[strcspn(version, "\n")] = '\0';
  }
  cJSON_AddStringToObject(o, "version", version);
  {
    /* a kiosk's flags; as root (a test machine) without its sandbox */
    char *argv[] = {(char *)path,
                    url,
                    size,
                    "--window-position=0,0",
                    profile,
                    "--no-first-run",
                    "--noerrdialogs",
                    "--disable-infobars",
                    "--disable-session-crashed-bubble",
                    "--disable-component-update",
                    "--password-store=basic",
                    "--enable-logging=stderr",
                    geteuid() == 0 ? "--no-sandbox" : NULL,
                    NULL};
    t0 = now_s();
    pid = spawn(path, argv, drop, add, out, err, true);
  }
  if (pid < 0) {
    cJSON_AddStringToObject(o, "error", strerror(errno));
    goto done;
  }
  /* the page says so on the console once its first frame is up */
  while (!file_has(err, "rebalance-bench: ready")) {
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid ||
        now_s() - t0 > CHROMIUM_READY_TIMEOUT_S) {
      stop(pid, true);
      last_error(err, why, sizeof why);
      cJSON_AddStringToObject(o, "error", why);
      goto done;
    }
    pause_s(-1, 0.1);
  }
  started = now_s();
  cJSON_AddNumberToObject(o, "startup_ms", (started - t0) * 1000);
  cJSON_AddNumberToObject(o, "update_ms", PAGE_STEP_MS);
  pause_s(-1, CHROMIUM_WARMUP_S);
  measure(pid, true, d->server, -1, d->seconds, &a, &b, &peak);
  stop(pid, true);
  cJSON_AddNumberToObject(o, "processes", b.procs);
  add_mem_json(o, &b.mem, &peak);
  add_cpu_json(o, &a, &b);
done:
  unlink(out);
  unlink(err);
  {
    char cmd[PATH_MAX + 32];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/chromium'", d->dir);
    if (system(cmd) != 0)
      rb_log_warn("bench: could not remove %s/chromium", d->dir);
  }
}

/* The deployed path: each renderer SDL has in a window, then Chromium. */

/* The figure's cost, in the default renderer: a hold with a figure
 * (breathing), a 60 s set with tempo and a figure moving with it, and the
 * same set without one. */
static void bench_figures(bench_deploy *d, const bench_config *def,
                          const char *routine, cJSON *o) {
  static const struct {
    const char *name, *lua;
  } runs[] = {
      {"hold_with_figure",
       "return routine { id = 'bench-window', title = 'Bench',\n"
       "  run = function()\n"
       "    show { title = 'Calf stretch', side = 'left', figure = "
       "'calf_stretch' }\n"
       "    hold { seconds = 3600, side = 'left' }\n"
       "  end }\n"},
      {"tempo_with_figure",
       "return routine { id = 'bench-window', title = 'Bench',\n"
       "  run = function()\n"
       "    show { title = 'Bridge', figure = 'glute_bridge' }\n"
       "    reps { count = 720, tempo = { up = 2, hold = 1, down = 2 } }\n"
       "  end }\n"},
      {"tempo_without_figure",
       "return routine { id = 'bench-window', title = 'Bench',\n"
       "  run = function()\n"
       "    show { title = 'Bridge' }\n"
       "    reps { count = 720, tempo = { up = 2, hold = 1, down = 2 } }\n"
       "  end }\n"},
  };
  cJSON *f = cJSON_AddObjectToObject(o, "figure");
  for (size_t i = 0; f && i < sizeof runs / sizeof runs[0]; i++) {
    cJSON *one = cJSON_AddObjectToObject(f, runs[i].name);
    if (!write_file(routine, runs[i].lua) || !bench_window(d, def, one))
      break;
  }
}

static void bench_deployed(cJSON *j, const char *dir, const rb_app_opts *app,
                           int seconds) {
  static const bench_config configs[] = {
      {"default", NULL, NULL},
      {"software", "software", "1"},
      {"software_no_gl", "software", "0"},
      {"opengles2", "opengles2", NULL},
      {"opengl", "opengl", NULL},
  };
  char args[65536], *argv[256], server[64] = "", routine[PATH_MAX];
  char input[PATH_MAX], script[64];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  bench_deploy d = {.dir = dir, .argv = argv, .sock = -1, .seconds = seconds};
  cJSON *o = cJSON_AddObjectToObject(j, "deployed"), *list, *r;
  const char *size = app->size ? app->size : WINDOW_SIZE;
  const char *def = NULL; /* the renderer the default chose */
  bool def_gl_fb = false; /* and it was shown through a GL texture */
  int w = 800, h = 480;
  if (!o)
    return;
  if (sscanf(size, "%dx%d", &w, &h) != 2) {
    cJSON_AddStringToObject(o, "error", "--size: expected WIDTHxHEIGHT");
    return;
  }
  snprintf(routine, sizeof routine, "%s/window.lua", dir);
  snprintf(input, sizeof input, "%s/window.txt", dir);
  /* the child quits by itself should the bench be gone */
  snprintf(script, sizeof script, "%d QUIT\n",
           (int)(READY_TIMEOUT_S + WARMUP_S + seconds + 30) * 1000);
  snprintf(d.notify, sizeof d.notify, "%s/notify", dir);
  if (self_argv(args, sizeof args, argv, 256) < 2 ||
      strlen(d.notify) >= sizeof addr.sun_path ||
      !write_file(routine,
                  "return routine { id = 'bench-window', title = 'Bench',\n"
                  "  run = function()\n"
                  "    show { title = 'Calf stretch', side = 'left',\n"
                  "           text = 'Heel down, lean into the wall.' }\n"
                  "    hold { seconds = 3600, side = 'left',\n"
                  "           cue = 'Breathe slowly.' }\n"
                  "  end }\n") ||
      !write_file(input, script)) {
    cJSON_AddStringToObject(o, "error", "cannot set the children up");
    goto done;
  }
  memcpy(addr.sun_path, d.notify, strlen(d.notify) + 1);
  d.sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (d.sock < 0 ||
      bind(d.sock, (const struct sockaddr *)&addr, sizeof addr) != 0) {
    cJSON_AddStringToObject(o, "error", strerror(errno));
    goto done;
  }
  d.server = display_server(server, sizeof server);
  cJSON_AddStringToObject(o, "size", on_desktop() ? size : "fullscreen");
  cJSON_AddNumberToObject(o, "seconds", seconds);
  if (d.server > 0)
    cJSON_AddStringToObject(o, "display_server", server);
  else
    cJSON_AddNullToObject(o, "display_server");
  list = cJSON_AddArrayToObject(o, "renderers_in_sdl");
  for (int i = 0; list && i < SDL_GetNumRenderDrivers(); i++) {
    SDL_RendererInfo info;
    if (SDL_GetRenderDriverInfo(i, &info) == 0)
      cJSON_AddItemToArray(list, cJSON_CreateString(info.name));
  }
  r = cJSON_AddObjectToObject(o, "renderers");
  for (size_t i = 0; r && i < sizeof configs / sizeof configs[0]; i++) {
    const bench_config *c = &configs[i];
    cJSON *one = cJSON_AddObjectToObject(r, c->name);
    bool in_sdl = !c->driver;
    for (int k = 0; !in_sdl && k < SDL_GetNumRenderDrivers(); k++) {
      SDL_RendererInfo info;
      in_sdl = SDL_GetRenderDriverInfo(k, &info) == 0 &&
               strcmp(info.name, c->driver) == 0;
    }
    if (!in_sdl) {
      cJSON_AddStringToObject(one, "error", "not in this SDL");
      continue;
    }
    if (def && c->driver && strcmp(def, c->driver) == 0 &&
        (!c->fb || def_gl_fb == (strcmp(c->fb, "1") == 0))) {
      /* what the default chose already: measured once */
      cJSON_AddStringToObject(one, "same_as", "default");
      continue;
    }
    if (!bench_window(&d, c, one) && !c->driver) {
      rb_log_warn("bench: no display for the deployed path; run it on the "
                  "kiosk's screen or under X (xvfb-run -a -s '-screen 0 "
                  "800x480x24' rebalance bench)");
      break;
    }
    if (!c->driver && cJSON_IsString(cJSON_GetObjectItem(one, "renderer"))) {
      def = cJSON_GetObjectItem(one, "renderer")->valuestring;
      def_gl_fb =
          cJSON_GetArraySize(cJSON_GetObjectItem(one, "presented_through")) > 0;
    }
  }
  bench_chromium(&d, w, h, o);
  bench_figures(&d, configs, routine, o);
done:
  if (d.sock >= 0)
    close(d.sock);
  unlink(d.notify);
  unlink(routine);
  unlink(input);
}

int rb_bench_run(const rb_app_opts *app, const char *state_dir, int seconds,
                 FILE *out) {
  const char *routines_dir = app->routines_dir, *font = app->font;
  const struct rb_plugins *plugins = app->plugins;
  char dir[] = "/tmp/rebalance-bench-XXXXXX", routine[64], input[64];
  char script[128];
  rb_app_opts o = {0};
  cJSON *j = cJSON_CreateObject(), *hold, *ref, *lighter, *sim;
  double t0, c0, wall, cpu, cpu_percent, rss;
  int code = 1, n;
  rb_catalog *cat;
  char *text;

  if (getenv(CHILD_ENV)) {
    cJSON_Delete(j);
    return bench_child(app, getenv(CHILD_ENV), out);
  }
  if (!j || !mkdtemp(dir))
    goto done;
  snprintf(routine, sizeof routine, "%s/hold.lua", dir);
  snprintf(input, sizeof input, "%s/input.txt", dir);
  snprintf(script, sizeof script, "%d STOP\n%d ANSWER 0\n",
           (seconds ? seconds : HOLD_SECONDS) * 1000,
           (seconds ? seconds : HOLD_SECONDS) * 1000 + 100);
  if (!write_file(routine,
                  "return routine { id = 'bench', title = 'Bench hold',\n"
                  "  run = function()\n"
                  "    show { title = 'Calf stretch', side = 'left',\n"
                  "           text = 'Heel down, lean into the wall.' }\n"
                  "    hold { seconds = 60, side = 'left',\n"
                  "           cue = 'Breathe slowly.' }\n"
                  "  end }\n") ||
      !write_file(input, script))
    goto done;

  bench_tts(j);
  bench_cues(j, dir, routines_dir);
  bench_store(j, state_dir ? state_dir : dir);

  /* start-up: loading and estimating the bundled routines */
  t0 = now_s();
  cat = rb_catalog_load(routines_dir, plugins);
  cJSON_AddNumberToObject(j, "catalog_load_ms", (now_s() - t0) * 1000);
  cJSON_AddNumberToObject(j, "routines", cat ? rb_catalog_count(cat) : 0);

  /* simulate: a therapist's laptop check of each routine */
  sim = cJSON_AddObjectToObject(j, "simulate_ms");
  for (int i = 0; cat && i < rb_catalog_count(cat); i++) {
    char err[RB_ERROR_MAX];
    double secs;
    t0 = now_s();
    rb_drive_simulate(rb_catalog_meta(cat, i)->path,
                      &(rb_session_opts){.plugins = plugins}, &secs, err,
                      sizeof err);
    cJSON_AddNumberToObject(sim, rb_catalog_meta(cat, i)->id,
                            (now_s() - t0) * 1000);
  }
  rb_catalog_free(cat);

  /* the hold, on the real clock, drawn as on the panel; a first run that
   * stops at once measures start-up and shut-down, taken off the second */
  o.headless = true;
  o.draw_offscreen = true;
  o.routine = routine;
  o.routines_dir = routines_dir;
  o.input = input;
  o.font = font;
  {
    double fixed_wall, fixed_cpu;
    int fixed_frames;
    if (!write_file(input, "0 STOP\n1 ANSWER 0\n"))
      goto done;
    t0 = now_s();
    c0 = cpu_s();
    n = rb_app_run(&o);
    fixed_wall = now_s() - t0;
    fixed_cpu = cpu_s() - c0;
    fixed_frames = o.frames;
    cJSON_AddNumberToObject(j, "startup_ms", fixed_wall * 1000);
    if (n != 2 || !write_file(input, script))
      goto done;
    t0 = now_s();
    c0 = cpu_s();
    /* every 200 ms of the hold */
    o.bench_presses = (seconds ? seconds : HOLD_SECONDS) * 5 - 2;
    n = rb_app_run(&o);
    wall = now_s() - t0 - fixed_wall;
    cpu = cpu_s() - c0 - fixed_cpu;
    o.frames -= fixed_frames;
  }
  rss = max_rss_mib();
  if (n != 2) { /* the script stops the hold */
    rb_log_error("bench: the hold did not run (exit %d)", n);
    goto done;
  }
  cpu_percent = wall > 0 ? cpu / wall * 100 : 0;
  hold = cJSON_AddObjectToObject(j, "hold");
  cJSON_AddNumberToObject(hold, "seconds", wall);
  cJSON_AddNumberToObject(hold, "cpu_seconds", cpu);
  cJSON_AddNumberToObject(hold, "cpu_percent_of_one_core", cpu_percent);
  cJSON_AddNumberToObject(hold, "frames", o.frames);
  cJSON_AddNumberToObject(hold, "frames_per_second",
                          wall > 0 ? o.frames / wall : 0);
  {
    cJSON *g = cJSON_AddObjectToObject(j, "gpio_press_to_action");
    cJSON_AddNumberToObject(g, "presses", o.gpio_stats.presses);
    cJSON_AddNumberToObject(g, "late_ms_mean",
                            o.gpio_stats.presses ? o.gpio_stats.late_ms_sum /
                                                       o.gpio_stats.presses
                                                 : 0);
    cJSON_AddNumberToObject(g, "late_ms_max", o.gpio_stats.late_ms_max);
    cJSON_AddStringToObject(
        g, "path",
        "button thread callback, SDL event, wake, "
        "action handled (the kernel edge adds microseconds)");
    cJSON_AddNumberToObject(g, "goal_ms", 16);
  }
  cJSON_AddNumberToObject(j, "max_rss_mib", rss);
  bench_deployed(j, dir, app, seconds ? seconds : WINDOW_SECONDS);
  ref = cJSON_AddObjectToObject(j, "chromium_reference");
  cJSON_AddNumberToObject(ref, "rss_mib", CHROMIUM_RSS_MIB);
  cJSON_AddNumberToObject(ref, "cpu_percent", CHROMIUM_CPU_PERCENT);
  lighter = cJSON_AddObjectToObject(j, "times_lighter");
  {
    /* measured when Chromium and the default window were; else the
     * quoted figures against the headless hold */
    const cJSON *dep = cJSON_GetObjectItem(j, "deployed");
    const cJSON *ours =
        cJSON_GetObjectItem(cJSON_GetObjectItem(dep, "renderers"), "default");
    const cJSON *theirs = cJSON_GetObjectItem(dep, "chromium");
    const cJSON *op = cJSON_GetObjectItem(ours, "pss_mib");
    const cJSON *tp = cJSON_GetObjectItem(theirs, "pss_mib");
    const cJSON *oc = cJSON_GetObjectItem(ours, "cpu_percent_of_one_core");
    const cJSON *tc = cJSON_GetObjectItem(theirs, "cpu_percent_of_one_core");
    if (cJSON_IsNumber(op) && cJSON_IsNumber(tp) && cJSON_IsNumber(oc) &&
        cJSON_IsNumber(tc)) {
      cJSON_AddNumberToObject(
          lighter, "memory",
          op->valuedouble > 0 ? tp->valuedouble / op->valuedouble : 0);
      cJSON_AddNumberToObject(
          lighter, "cpu",
          oc->valuedouble > 0 ? tc->valuedouble / oc->valuedouble : 0);
      cJSON_AddStringToObject(lighter, "basis",
                              "measured: Chromium's PSS and CPU over the "
                              "default renderer's (deployed)");
    } else {
      cJSON_AddNumberToObject(lighter, "memory",
                              rss > 0 ? CHROMIUM_RSS_MIB / rss : 0);
      cJSON_AddNumberToObject(
          lighter, "cpu",
          cpu_percent > 0 ? CHROMIUM_CPU_PERCENT / cpu_percent : 0);
      cJSON_AddStringToObject(lighter, "basis",
                              "chromium_reference over the headless hold");
    }
  }
#if defined(__SANITIZE_ADDRESS__)
  cJSON_AddStringToObject(j, "build", "sanitized (figures are pessimistic)");
#else
  cJSON_AddStringToObject(j, "build", "release");
#endif
  text = cJSON_Print(j);
  if (text) {
    fprintf(out, "%s\n", text);
    free(text);
    code = 0;
  }
done:
  unlink(routine);
  unlink(input);
  rmdir(dir);
  cJSON_Delete(j);
  return code;
}
