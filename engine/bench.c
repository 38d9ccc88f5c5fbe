#include "bench.h"

#include "app.h"
#include "catalog.h"
#include "drive.h"
#include "log.h"
#include "session.h"
#include "store.h"
#include "tts.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* The reference: the same screen as a web page in Chromium. */
#define CHROMIUM_RSS_MIB 400.0
#define CHROMIUM_CPU_PERCENT 14.0

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

int rb_bench_run(const char *routines_dir, const struct rb_plugins *plugins,
                 const char *font, const char *state_dir, int seconds,
                 FILE *out) {
  char dir[] = "/tmp/rebalance-bench-XXXXXX", routine[64], input[64];
  char script[128];
  rb_app_opts o = {0};
  cJSON *j = cJSON_CreateObject(), *hold, *ref, *lighter, *sim;
  double t0, c0, wall, cpu, cpu_percent, rss;
  int code = 1, n;
  rb_catalog *cat;
  char *text;

  if (!j || !mkdtemp(dir))
    goto done;
  snprintf(routine, sizeof routine, "%s/hold.lua", dir);
  snprintf(input, sizeof input, "%s/input.txt", dir);
  snprintf(script, sizeof script, "%d STOP\n%d ANSWER 0\n", seconds * 1000,
           seconds * 1000 + 100);
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
    o.bench_presses = seconds * 5 - 2; /* every 200 ms of the hold */
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
  ref = cJSON_AddObjectToObject(j, "chromium_reference");
  cJSON_AddNumberToObject(ref, "rss_mib", CHROMIUM_RSS_MIB);
  cJSON_AddNumberToObject(ref, "cpu_percent", CHROMIUM_CPU_PERCENT);
  lighter = cJSON_AddObjectToObject(j, "times_lighter");
  cJSON_AddNumberToObject(lighter, "memory",
                          rss > 0 ? CHROMIUM_RSS_MIB / rss : 0);
  cJSON_AddNumberToObject(
      lighter, "cpu", cpu_percent > 0 ? CHROMIUM_CPU_PERCENT / cpu_percent : 0);
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
