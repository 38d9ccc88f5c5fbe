/* mixer: tone shapes, limiter, volume, pause, stop, ids, threads. */
#include "mixer.h"
#include "tap.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define RATE 22050
#define FADE (RATE * 5 / 1000) /* the mixer's click-free ramps */

static int16_t *render(rb_mixer *m, size_t n) {
  int16_t *b = calloc(n ? n : 1, sizeof *b);
  if (!b)
    abort();
  rb_mixer_render(m, b, n);
  return b;
}

static int peak(const int16_t *b, size_t from, size_t to) {
  int p = 0;
  for (size_t i = from; i < to; i++)
    if (abs(b[i]) > p)
      p = abs(b[i]);
  return p;
}

static double rms(const int16_t *b, size_t from, size_t to) {
  double s = 0;
  for (size_t i = from; i < to; i++)
    s += (double)b[i] * b[i];
  return to > from ? sqrt(s / (double)(to - from)) : 0;
}

/* sign changes, skipping exact zeros */
static int crossings(const int16_t *b, size_t from, size_t to) {
  int n = 0, last = 0;
  for (size_t i = from; i < to; i++) {
    int s = b[i] > 0 ? 1 : b[i] < 0 ? -1 : 0;
    if (s && last && s != last)
      n++;
    if (s)
      last = s;
  }
  return n;
}

/* Frequency from the zero crossings: half periods between the first and
 * the last crossing, each placed between its two samples. */
static double pitch_of(const int16_t *b, size_t n) {
  double first = -1, last = -1;
  int count = 0;
  for (size_t i = 1; i < n; i++)
    if ((b[i - 1] < 0 && b[i] >= 0) || (b[i - 1] > 0 && b[i] <= 0)) {
      double at = (double)(i - 1) + (double)b[i - 1] / (b[i - 1] - b[i]);
      if (first < 0)
        first = at;
      last = at;
      count++;
    }
  return count > 2 ? (count - 1) / 2.0 / ((last - first) / RATE) : 0;
}

/* power of the signal at frequency f (Goertzel) */
static double power_at(const int16_t *b, size_t n, double f) {
  double w = 2 * cos(2 * M_PI * f / RATE), s1 = 0, s2 = 0;
  for (size_t i = 0; i < n; i++) {
    double s0 = b[i] + w * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - w * s1 * s2) / ((double)n * n);
}

static size_t last_nonzero(const int16_t *b, size_t n) {
  size_t last = 0;
  for (size_t i = 0; i < n; i++)
    if (b[i])
      last = i;
  return last;
}

static void test_beep(void) {
  rb_mixer *m = rb_mixer_new(RATE);
  size_t n = rb_mixer_tone_samples(m, RB_TONE_BEEP, 0);
  int16_t *b;
  double pitch, want = 0.5 * 0.8 * 32767;
  int id, pk;

  is_int(rb_mixer_rate(m), RATE, "rate");
  is_int(n, RATE * 150 / 1000, "beep: 150 ms by default");
  is_int(rb_mixer_tone_samples(m, RB_TONE_BEEP, 40), RATE * 40 / 1000,
         "beep: length asked for");
  rb_mixer_set_volume(m, 0.8f);
  id = rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 0.5f);
  ok(id > 0, "beep: id %d", id);
  b = render(m, n + 500);
  pitch = pitch_of(b + n / 10, n * 8 / 10); /* away from the edges */
  ok(fabs(pitch - 880) < 5, "beep: pitch %.1f Hz (880)", pitch);
  pk = peak(b, 0, n);
  ok(fabs(pk - want) < 0.02 * want, "beep: peak %d = gain*volume*32767 (%.0f)",
     pk, want);
  ok(abs(b[0]) <= 50 && peak(b, 0, 10) < 300,
     "beep: starts near zero (%d, first 10 <= %d)", b[0], peak(b, 0, 10));
  ok(peak(b, n - 10, n) < 300, "beep: ends near zero (last 10 <= %d)",
     peak(b, n - 10, n));
  ok(last_nonzero(b, n + 500) < n && last_nonzero(b, n + 500) > n - 30,
     "beep: lasts its %zu samples (last non-zero %zu)", n,
     last_nonzero(b, n + 500));
  is_int(peak(b, n, n + 500), 0, "beep: silence after it");
  ok(rms(b, n / 4, n / 2) / rms(b, n / 2, 3 * n / 4) < 1.05,
     "beep: steady level (no decay)");
  ok(!rb_mixer_playing(m, id) && !rb_mixer_busy(m), "beep: finished");
  free(b);

  /* asked-for pitch and length */
  id = rb_mixer_tone(m, RB_TONE_BEEP, 440, 200, 0.5f);
  n = rb_mixer_tone_samples(m, RB_TONE_BEEP, 200);
  b = render(m, n);
  pitch = pitch_of(b + n / 10, n * 8 / 10); /* away from the edges */
  ok(fabs(pitch - 440) < 3, "beep at 440 Hz: %.1f Hz", pitch);
  free(b);
  rb_mixer_free(m);
}

static void test_chime_tick(void) {
  rb_mixer *m = rb_mixer_new(RATE);
  size_t nb = rb_mixer_tone_samples(m, RB_TONE_BEEP, 0);
  size_t nc = rb_mixer_tone_samples(m, RB_TONE_CHIME, 0);
  size_t nt = rb_mixer_tone_samples(m, RB_TONE_TICK, 0);
  const size_t ms = RATE / 1000;
  int16_t *beep, *chime, *tick;
  double harm_c, harm_b;

  ok(nc >= 4 * nb, "chime (%zu) much longer than a beep (%zu)", nc, nb);
  ok(nt <= 30 * RATE / 1000 && nt < nb / 4, "tick is short (%zu samples)", nt);

  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 0.5f);
  beep = render(m, nb);
  rb_mixer_tone(m, RB_TONE_CHIME, 0, 0, 0.5f);
  chime = render(m, nc + 100);
  rb_mixer_tone(m, RB_TONE_TICK, 0, 0, 0.5f);
  tick = render(m, nt + 100);

  /* a bell has overtones; a beep is one sine */
  harm_c = power_at(chime, 100 * ms, 1320) / power_at(chime, 100 * ms, 660);
  harm_b = power_at(beep, nb, 1760) / power_at(beep, nb, 880);
  ok(harm_c > 0.05, "chime: overtone at 2f (%.3f of the fundamental)", harm_c);
  ok(harm_b < 0.001, "beep: no overtone (%.5f)", harm_b);
  ok(rms(chime, 0, 100 * ms) > 8 * rms(chime, 500 * ms, 600 * ms),
     "chime decays (%.0f then %.0f rms)", rms(chime, 0, 100 * ms),
     rms(chime, 500 * ms, 600 * ms));
  ok(peak(chime, 0, 20) < 2000 && peak(chime, nc - 10, nc + 100) < 300,
     "chime: soft edges");
  ok(fabs(peak(chime, 0, nc) - 0.5 * 32767) < 0.03 * 32767,
     "chime: peak %d at gain 0.5", peak(chime, 0, nc));
  ok(last_nonzero(tick, nt + 100) < nt, "tick: ends within %zu samples", nt);
  ok(rms(tick, 0, 10 * ms) > 4 * rms(tick, nt - 10 * ms, nt),
     "tick: fast decay (%.0f then %.0f rms)", rms(tick, 0, 10 * ms),
     rms(tick, nt - 10 * ms, nt));
  ok(peak(tick, 0, 5) < 5000, "tick: no step at its start");
  free(beep);
  free(chime);
  free(tick);
  rb_mixer_free(m);
}

static void test_limiter(void) {
  rb_mixer *m = rb_mixer_new(RATE);
  size_t n = rb_mixer_tone_samples(m, RB_TONE_BEEP, 0);
  size_t nc = rb_mixer_tone_samples(m, RB_TONE_CHIME, 0);
  int16_t *half, *loud, *mix;
  int naive, pk, step = 0, pitch_loud, pitch_half;

  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 0.5f);
  half = render(m, n);
  naive = 4 * peak(half, 0, n); /* two sources at gain 1 */
  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 1.0f);
  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 1.0f);
  loud = render(m, n);
  pk = peak(loud, 0, n);
  for (size_t i = 1; i < n; i++)
    if (abs(loud[i] - loud[i - 1]) > step)
      step = abs(loud[i] - loud[i - 1]);
  ok(naive > 60000, "naive sum of two full-scale beeps peaks at %d", naive);
  ok(pk <= 32767, "limited sum never clips (peak %d)", pk);
  ok(pk < 0.97 * 32767 && pk > 0.85 * 32767,
     "limiter keeps headroom (peak %d = %.1f%% of full scale)", pk,
     100.0 * pk / 32767);
  pitch_loud = crossings(loud, 0, n);
  pitch_half = crossings(half, 0, n);
  ok(abs(pitch_loud - pitch_half) <= 1, "limited beep keeps its pitch");
  ok(step < 32767 * 2 * M_PI * 880 / RATE * 1.1,
     "no sample-to-sample jump beyond the sine's own slope (%d)", step);
  free(loud);

  /* a quiet sound is left alone: the limiter only acts above its knee */
  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 0.7f);
  loud = render(m, n);
  ok(fabs(peak(loud, 0, n) - 0.7 * 32767) < 0.02 * 32767,
     "gain 0.7 is not limited (peak %d)", peak(loud, 0, n));
  free(loud);

  /* speech-like full-scale block under a chime */
  {
    int16_t *sq = malloc(nc * sizeof *sq);
    for (size_t i = 0; i < nc; i++)
      sq[i] = (i / 50) % 2 ? 32767 : -32767;
    rb_mixer_play(m, sq, nc, 1.0f);
    rb_mixer_tone(m, RB_TONE_CHIME, 0, 0, 1.0f);
    mix = render(m, nc);
    ok(peak(mix, 0, nc) < 0.96 * 32767, "full-scale block + chime: peak %d",
       peak(mix, 0, nc));
    free(mix);
    free(sq);
  }
  free(half);
  rb_mixer_free(m);
}

static void test_volume(void) {
  rb_mixer *m = rb_mixer_new(RATE);
  int16_t buf[4000], *b;
  int monotone = 1;

  rb_mixer_set_volume(m, 0.0f);
  rb_mixer_tone(m, RB_TONE_BEEP, 0, 0, 1.0f);
  b = render(m, 4000);
  is_int(peak(b, 0, 4000), 0, "volume 0: silence");
  free(b);

  for (size_t i = 0; i < 4000; i++)
    buf[i] = 4000;
  rb_mixer_set_volume(m, 1.0f);
  rb_mixer_play(m, buf, 4000, 1.0f);
  b = render(m, 100);
  is_int(b[99], 4000, "volume 1: samples as given");
  free(b);
  rb_mixer_set_volume(m, 0.25f);
  b = render(m, 300);
  for (int i = 1; i < 300; i++)
    if (b[i] > b[i - 1])
      monotone = 0;
  ok(monotone && b[0] <= 4000 && b[FADE / 2] > 1000 && b[FADE / 2] < 4000,
     "volume change while playing ramps (%d, %d, ...)", b[0], b[FADE / 2]);
  is_int(b[FADE], 1000, "and reaches the new volume within 5 ms");
  free(b);
  rb_mixer_set_volume(m, 7.0f); /* clamped to 1 */
  b = render(m, 300);
  is_int(b[299], 4000, "volume above 1 counts as 1");
  free(b);
  rb_mixer_free(m);
}

static void test_pause(void) {
  rb_mixer *r = rb_mixer_new(RATE), *m = rb_mixer_new(RATE);
  size_t n = rb_mixer_tone_samples(r, RB_TONE_CHIME, 0), rest;
  int16_t *ref, *a, *p, *q, *c;
  int id, same_start, found = -1;

  rb_mixer_tone(r, RB_TONE_CHIME, 0, 0, 0.5f);
  ref = render(r, n);
  id = rb_mixer_tone(m, RB_TONE_CHIME, 0, 0, 0.5f);
  a = render(m, 1000);
  same_start = memcmp(a, ref, 1000 * sizeof *a) == 0;
  ok(same_start, "before the pause: as without one");
  rb_mixer_pause(m, true);
  p = render(m, 2000);
  ok(abs(p[0]) <= abs(ref[1000]) + 1 && peak(p, FADE + 2, 2000) == 0,
     "paused: fades out within 5 ms (no click), then silence");
  ok(rb_mixer_playing(m, id) && rb_mixer_busy(m), "paused: still playing");
  q = render(m, 5000);
  is_int(peak(q, 0, 5000), 0, "paused: silence however long");
  rb_mixer_pause(m, false);
  rest = n - 1000;
  c = render(m, rest);
  /* the fade-out took about FADE samples; after the fade-in, the sound
   * goes on sample for sample from where it froze */
  for (int d = FADE - 3; d <= FADE + 3 && found < 0; d++)
    if (memcmp(c + 3 * FADE, ref + 1000 + d + 3 * FADE,
               (rest - d - 3 * FADE) * sizeof *c) == 0)
      found = d;
  ok(found >= 0, "resumed where it stopped (%d samples into the fade)", found);
  ok(abs(c[0]) < 300, "resume fades in (%d)", c[0]);
  free(ref);
  free(a);
  free(p);
  free(q);
  free(c);

  /* a sound started while paused waits */
  id = rb_mixer_tone(m, RB_TONE_TICK, 0, 0, 1.0f);
  rb_mixer_stop_all(m);
  c = render(m, 2000);
  rb_mixer_pause(m, true);
  id = rb_mixer_tone(m, RB_TONE_TICK, 0, 0, 1.0f);
  p = render(m, 2000);
  is_int(peak(p, 0, 2000), 0, "a sound started while paused is not heard");
  ok(rb_mixer_playing(m, id), "and keeps its place");
  rb_mixer_stop(m, id);
  ok(!rb_mixer_busy(m), "stopped while paused: gone at once");
  rb_mixer_pause(m, false);
  q = render(m, 2000);
  is_int(peak(q, 0, 2000), 0, "and not heard on resume");
  free(c);
  free(p);
  free(q);
  rb_mixer_free(r);
  rb_mixer_free(m);
}

static void test_playing_copy_ids(void) {
  rb_mixer *m = rb_mixer_new(RATE);
  int16_t buf[1000], *b;
  int ids[40], nids = 0, id, unique = 1, positive = 1, same = 1;

  for (int i = 0; i < 1000; i++)
    buf[i] = (int16_t)(i * 37 % 2000 - 1000);
  id = rb_mixer_play(m, buf, 1000, 1.0f);
  for (int i = 0; i < 1000; i++)
    buf[i] = 0; /* the mixer has its own copy */
  ok(rb_mixer_playing(m, id) && rb_mixer_busy(m), "playing before render");
  b = render(m, 999);
  ok(rb_mixer_playing(m, id), "playing one sample before the end");
  for (int i = 0; i < 999; i++)
    if (b[i] != (int16_t)(i * 37 % 2000 - 1000))
      same = 0;
  ok(same, "play copies: changing the caller's buffer changes nothing");
  free(b);
  b = render(m, 1);
  is_int(b[0], 999 * 37 % 2000 - 1000, "the last sample");
  ok(!rb_mixer_playing(m, id), "not playing right after its last sample");
  ok(!rb_mixer_busy(m), "not busy");
  free(b);

  id = rb_mixer_play(m, buf, 0, 1.0f);
  ok(id > 0 && !rb_mixer_playing(m, id), "empty sound: an id, never playing");
  is_int(rb_mixer_play(m, NULL, 10, 1.0f), 0, "no samples: 0");
  ok(!rb_mixer_playing(m, 0) && !rb_mixer_playing(m, 12345),
     "unknown ids are not playing");
  rb_mixer_stop(m, 12345); /* harmless */

  /* 16 at once, then full; ids never repeat */
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < 16; i++) {
      ids[nids] = rb_mixer_tone(m, RB_TONE_TICK, 0, 0, 0.1f);
      if (ids[nids] <= 0)
        positive = 0;
      nids++;
    }
    ok(rb_mixer_tone(m, RB_TONE_TICK, 0, 0, 0.1f) == 0,
       "17th sound at once: 0 (round %d)", round);
    b = render(m, 2000);
    free(b);
  }
  for (int i = 0; i < nids; i++)
    for (int j = i + 1; j < nids; j++)
      if (ids[i] == ids[j])
        unique = 0;
  ok(positive && unique, "%d ids, all positive and different", nids);
  rb_mixer_free(m);
}

static void test_stop(void) {
  rb_mixer *m = rb_mixer_new(RATE);
  int16_t one[5000], two[5000], *b;
  int a, c, monotone = 1;

  for (int i = 0; i < 5000; i++) {
    one[i] = 1000;
    two[i] = 2000;
  }
  a = rb_mixer_play(m, one, 5000, 1.0f);
  c = rb_mixer_play(m, two, 5000, 1.0f);
  b = render(m, 100);
  is_int(b[50], 3000, "two sounds sum");
  free(b);
  rb_mixer_stop(m, a);
  ok(!rb_mixer_playing(m, a), "stopped sound is not playing");
  ok(rb_mixer_playing(m, c) && rb_mixer_busy(m), "the other one is");
  b = render(m, 300);
  for (int i = 1; i < 300; i++)
    if (b[i] > b[i - 1])
      monotone = 0;
  ok(monotone && b[0] > 2900 && b[0] < 3000,
     "stop fades out (%d ...), no click", b[0]);
  is_int(b[FADE + 1], 2000, "within 5 ms only the other sound is left");
  free(b);
  rb_mixer_stop_all(m);
  ok(!rb_mixer_busy(m) && !rb_mixer_playing(m, c), "stop_all: nothing plays");
  b = render(m, 300);
  ok(b[0] > 0 && b[0] < 2000 && peak(b, FADE + 1, 300) == 0,
     "stop_all fades out then silence");
  free(b);
  rb_mixer_free(m);
}

typedef struct {
  rb_mixer *m;
  atomic_int stop;
  long rendered;
} renderer;

static void *render_thread(void *ud) {
  renderer *r = ud;
  int16_t out[512];
  while (!atomic_load(&r->stop)) {
    rb_mixer_render(r->m, out, 512);
    r->rendered += 512;
  }
  return NULL;
}

static void test_threads(void) {
  renderer r = {rb_mixer_new(RATE), 0, 0};
  atomic_init(&r.stop, 0);
  pthread_t th;
  int16_t speech[2000] = {0};
  int started = 0;

  ok(pthread_create(&th, NULL, render_thread, &r) == 0, "render thread");
  for (int i = 0; i < 3000; i++) {
    int id = i % 3 ? rb_mixer_tone(r.m, (rb_tone_kind)(i % 3), 0, 20, 0.3f)
                   : rb_mixer_play(r.m, speech, 2000, 1.0f);
    started += id > 0;
    if (i % 5 == 0)
      rb_mixer_stop(r.m, id);
    if (i % 7 == 0)
      rb_mixer_pause(r.m, i % 2);
    if (i % 500 == 0)
      rb_mixer_stop_all(r.m);
    (void)rb_mixer_playing(r.m, id);
  }
  atomic_store(&r.stop, 1);
  pthread_join(th, NULL);
  ok(started > 0 && r.rendered > 0,
     "sounds started (%d) while another thread rendered", started);
  rb_mixer_free(r.m);
}

int main(void) {
  ok(rb_mixer_new(0) == NULL, "rate 0 refused");
  test_beep();
  test_chime_tick();
  test_limiter();
  test_volume();
  test_pause();
  test_playing_copy_ids();
  test_stop();
  test_threads();
  return tap_done();
}
