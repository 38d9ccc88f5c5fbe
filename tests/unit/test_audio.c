/* audio: the WAV writer on the routine clock, and a sound card that may
 * not be there. */
#include "audio.h"
#include "tap.h"

#include <SDL.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RATE 22050

typedef struct {
  uint8_t *bytes;
  size_t len;
} file_data;

static file_data slurp(const char *path) {
  file_data f = {NULL, 0};
  FILE *in = fopen(path, "rb");
  long len;
  if (!in)
    return f;
  if (fseek(in, 0, SEEK_END) == 0 && (len = ftell(in)) >= 0 &&
      fseek(in, 0, SEEK_SET) == 0) {
    f.bytes = malloc((size_t)len + 1);
    if (f.bytes && fread(f.bytes, 1, (size_t)len, in) == (size_t)len)
      f.len = (size_t)len;
  }
  fclose(in);
  return f;
}

static uint32_t le32(const uint8_t *p) {
  return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static unsigned le16(const uint8_t *p) { return p[0] | p[1] << 8; }
static int sample(const file_data *f, size_t i) {
  return (int16_t)le16(f->bytes + 44 + 2 * i);
}

/* Parses the header back; returns the data size in samples or -1. */
static long check_header(const file_data *f, const char *what) {
  const uint8_t *h = f->bytes;
  int good = f->len >= 44 && memcmp(h, "RIFF", 4) == 0 &&
             memcmp(h + 8, "WAVE", 4) == 0 && memcmp(h + 12, "fmt ", 4) == 0 &&
             le32(h + 16) == 16 && memcmp(h + 36, "data", 4) == 0;
  ok(good, "%s: RIFF/WAVE with fmt and data chunks", what);
  if (!good)
    return -1;
  ok(le16(h + 20) == 1 && le16(h + 22) == 1 && le32(h + 24) == RATE &&
         le16(h + 34) == 16 && le16(h + 32) == 2 && le32(h + 28) == RATE * 2,
     "%s: PCM, 1 channel, %d Hz, 16 bits", what, RATE);
  is_int(le32(h + 4), 36 + le32(h + 40), "%s: RIFF size = 36 + data size",
         what);
  return (long)le32(h + 40) / 2;
}

static void test_wav(const char *dir) {
  char path[512], err[512] = "";
  rb_mixer *m = rb_mixer_new(RATE);
  rb_audio *a;
  file_data f;
  long samples;
  size_t first = 0, at = 500 * RATE / 1000;
  int quiet_before = 1;

  snprintf(path, sizeof path, "%s/cues.wav", dir);
  a = rb_audio_open(m, path, err, sizeof err);
  ok(a != NULL, "WAV opened (%s)", err);
  ok(rb_audio_live(a), "a WAV file is live");
  is_int(rb_audio_latency_ms(a), 0, "no device latency in a file");
  is_int(rb_audio_written(a), 0, "nothing written yet");
  f = slurp(path);
  is_int(check_header(&f, "fresh file"), 0, "fresh file: no data");
  free(f.bytes);

  rb_audio_advance(a, 500);
  is_int(rb_audio_written(a), at, "500 ms: %zu samples", at);
  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 0.5f);
  rb_audio_advance(a, 1000);
  is_int(rb_audio_written(a), RATE, "1000 ms: exactly %d samples", RATE);
  f = slurp(path);
  samples = check_header(&f, "unclosed file");
  is_int(samples, RATE, "unclosed file: header already covers the 1st second");
  is_int(f.len, 44 + 2 * RATE, "unclosed file: data on disk");
  free(f.bytes);

  rb_audio_advance(a, 800);
  is_int(rb_audio_written(a), RATE, "advancing backwards is ignored");
  rb_audio_advance(a, -5);
  is_int(rb_audio_written(a), RATE, "negative time is ignored");
  rb_audio_advance(a, 1500);
  is_int(rb_audio_written(a), 1500 * RATE / 1000, "1500 ms");
  rb_audio_close(a);

  f = slurp(path);
  samples = check_header(&f, "closed file");
  is_int(samples, 1500 * RATE / 1000, "closed file: data size = samples*2");
  is_int(f.len, 44 + 2 * samples, "closed file: size matches the header");
  for (size_t i = 0; f.bytes && i < (size_t)samples; i++) {
    if (i < at && sample(&f, i) != 0)
      quiet_before = 0;
    if (abs(sample(&f, i)) > 100) {
      first = i;
      break;
    }
  }
  ok(quiet_before, "silence before the beep");
  ok(first >= at && first < at + RATE / 100,
     "beep played at 500 ms starts at sample %zu (want %zu + attack)", first,
     at);
  free(f.bytes);

  /* many small steps: samples come from t, not from summed increments */
  snprintf(path, sizeof path, "%s/steps.wav", dir);
  a = rb_audio_open(m, path, err, sizeof err);
  for (rb_ms t = 7; t < 10000; t += 7)
    rb_audio_advance(a, t);
  rb_audio_advance(a, 10000);
  is_int(rb_audio_written(a), 10 * RATE, "10 s in 7 ms steps: no drift");
  rb_audio_close(a);
  f = slurp(path);
  is_int(check_header(&f, "stepped file"), 10 * RATE, "stepped file: size");
  free(f.bytes);

  snprintf(path, sizeof path, "%s/no/such/dir/x.wav", dir);
  err[0] = '\0';
  a = rb_audio_open(m, path, err, sizeof err);
  ok(a == NULL, "unwritable WAV path: NULL");
  like(err, path, "the error names the path");
  rb_mixer_free(m);
}

/* Runs rb_audio_open(m, NULL) with stderr captured; returns the log. */
static char *open_device(rb_mixer *m, const char *dir, rb_audio **a,
                         double *secs) {
  char path[512], err[256] = "";
  int saved, fd;
  struct timespec t0, t1;
  file_data f;

  snprintf(path, sizeof path, "%s/stderr.txt", dir);
  fflush(stderr);
  saved = dup(2);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 2);
  close(fd);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  *a = rb_audio_open(m, NULL, err, sizeof err);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  *secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  f = slurp(path);
  if (f.bytes)
    f.bytes[f.len] = '\0';
  return (char *)f.bytes;
}

static int count(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; p && (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

static void test_device(const char *dir) {
  rb_mixer *m = rb_mixer_new(RATE);
  rb_audio *a;
  double secs;
  char *log;

  setenv("SDL_AUDIODRIVER", "nonexistent", 1);
  log = open_device(m, dir, &a, &secs);
  ok(a != NULL, "no such driver: still an rb_audio");
  ok(a && !rb_audio_live(a), "which is silent");
  is_int(count(log, "rebalance:"), 1, "one line logged");
  like(log, "no sound device (", "saying there is no sound device");
  like(log, "cues are shown but not heard", "and what that means");
  rb_audio_advance(a, 5000);
  is_int(rb_audio_written(a), 0, "advance does nothing on a device");
  rb_audio_close(a);
  ok(!SDL_WasInit(SDL_INIT_AUDIO), "audio subsystem closed again");
  free(log);

  setenv("SDL_AUDIODRIVER", "dummy", 1);
  log = open_device(m, dir, &a, &secs);
  ok(a != NULL && secs < 2, "dummy driver: opens in %.3f s", secs);
  ok(a && !rb_audio_live(a), "dummy driver: nobody hears it, not live");
  is_int(count(log, "rebalance:"), 1, "one line logged");
  like(log, "dummy", "naming the driver");
  rb_audio_close(a);
  free(log);

  /* ALSA's "null" PCM is a device that discards what it gets: enough to
   * see the callback pull from the mixer */
  setenv("SDL_AUDIODRIVER", "alsa", 1);
  setenv("AUDIODEV", "null", 1);
  log = open_device(m, dir, &a, &secs);
  if (a && rb_audio_live(a)) {
    int id = rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 0.5f), waited = 0;
    is_int(count(log, "rebalance:"), 0, "ALSA null device: live, no warning");
    is_int(rb_audio_latency_ms(a), 512 * 1000 / RATE,
           "device buffer: 512 samples");
    while (rb_mixer_playing(m, id) && waited < 3000) {
      SDL_Delay(10);
      waited += 10;
    }
    ok(!rb_mixer_playing(m, id), "the device played the beep (%d ms)", waited);
  } else {
    ok(1, "# SKIP no ALSA null device");
    ok(1, "# SKIP no ALSA null device");
    ok(1, "# SKIP no ALSA null device");
  }
  rb_audio_close(a);
  ok(!SDL_WasInit(SDL_INIT_AUDIO), "audio subsystem closed again");
  unsetenv("AUDIODEV");
  free(log);

  /* with SDL video already up (offscreen), audio comes and goes alone */
  setenv("SDL_VIDEODRIVER", "offscreen", 1);
  if (SDL_Init(SDL_INIT_VIDEO) == 0) {
    log = open_device(m, dir, &a, &secs);
    ok(a != NULL && SDL_WasInit(SDL_INIT_VIDEO), "opened beside SDL video");
    rb_audio_close(a);
    ok(SDL_WasInit(SDL_INIT_VIDEO) && !SDL_WasInit(SDL_INIT_AUDIO),
       "closing leaves video up and audio down");
    SDL_Quit();
    free(log);
  } else {
    ok(1, "# SKIP no offscreen video: %s", SDL_GetError());
    ok(1, "# SKIP no offscreen video");
  }

  /* whatever this machine has: must neither crash nor block */
  unsetenv("SDL_AUDIODRIVER");
  log = open_device(m, dir, &a, &secs);
  ok(a != NULL && secs < 5, "default driver: %s in %.3f s",
     a && rb_audio_live(a) ? "live" : "silent", secs);
  if (a && rb_audio_live(a)) {
    int ms = rb_audio_latency_ms(a);
    ok(ms > 0 && ms <= 100, "device buffer latency %d ms", ms);
    rb_mixer_set_volume(m, 0.0f);
    rb_mixer_tone(m, RB_TONE_TICK, 0, 0, 1.0f);
    SDL_Delay(100);
  } else {
    ok(count(log, "no sound device") == 1, "silent: said once");
  }
  rb_audio_close(a);
  ok(!SDL_WasInit(SDL_INIT_AUDIO), "audio subsystem closed again");
  free(log);
  rb_mixer_free(m);
}

int main(void) {
  char dir[] = "/tmp/rb-test-audio-XXXXXX";
  char cmd[600];

  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_wav(dir);
  test_device(dir);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", dir);
  return tap_done();
}
