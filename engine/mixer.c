/* mixer: a bounded set of playing sources summed into mono int16.
 *
 * All levels are floats in int16 units until the last step. Every change
 * the ear could hear as a click is ramped over RB_MIXER_FADE_MS: stopping
 * a sound, pausing, resuming and volume changes while something plays. */
#include "mixer.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RB_MIXER_MAX 16       /* sources at once; a coach rarely has 3 */
#define RB_MIXER_FADE_MS 5    /* stop, pause, resume, volume ramps */
#define RB_MIXER_CHUNK 256    /* samples rendered per limiter pass */
#define RB_MIXER_MAX_MS 10000 /* longest tone: bounds the allocation */
#define RB_FULL 32767.0f
/* Limiter: unity up to the knee, then a tanh curve that approaches the
 * ceiling, so even many full-scale sources stay 0.4 dB under clipping. */
#define RB_KNEE (0.80f * RB_FULL)
#define RB_CEIL (0.95f * RB_FULL)
#define RB_RELEASE_MS 150.0f /* slow recovery: little gain ripple on speech */

static const float rb_pi = 3.14159265358979f;

typedef struct {
  int id;
  int16_t *pcm;
  size_t n, pos;
  float gain;
  int fade; /* > 0: stopped, samples of fade-out left */
} rb_source;

struct rb_mixer {
  pthread_mutex_t lock;
  int rate;
  int next_id;
  int fade_n;   /* samples of a ramp */
  float volume; /* target master volume */
  float level;  /* master gain now, ramps to volume (or 0 when paused) */
  bool paused;
  float env;     /* limiter peak envelope, int16 units */
  float release; /* per-sample envelope decay */
  rb_source src[RB_MIXER_MAX];
  int count;
};

static float rb_clamp01(float v) {
  if (!(v > 0.0f)) /* also NaN */
    return 0.0f;
  return v > 1.0f ? 1.0f : v;
}

rb_mixer *rb_mixer_new(int sample_rate) {
  rb_mixer *m;
  if (sample_rate < 1000 || sample_rate > 192000)
    return NULL;
  m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  if (pthread_mutex_init(&m->lock, NULL) != 0) {
    free(m);
    return NULL;
  }
  m->rate = sample_rate;
  m->next_id = 1;
  m->fade_n = sample_rate * RB_MIXER_FADE_MS / 1000;
  m->volume = 1.0f;
  m->level = 1.0f;
  m->release = expf(-1000.0f / (RB_RELEASE_MS * (float)sample_rate));
  return m;
}

void rb_mixer_free(rb_mixer *m) {
  if (!m)
    return;
  for (int i = 0; i < m->count; i++)
    free(m->src[i].pcm);
  pthread_mutex_destroy(&m->lock);
  free(m);
}

int rb_mixer_rate(const rb_mixer *m) { return m->rate; }

/* The master gain jumps when nothing would be heard ramping; otherwise
 * render ramps it. Lock held. */
static void rb_mixer_retarget(rb_mixer *m) {
  if (m->count == 0)
    m->level = m->paused ? 0.0f : m->volume;
}

void rb_mixer_set_volume(rb_mixer *m, float volume) {
  pthread_mutex_lock(&m->lock);
  m->volume = rb_clamp01(volume);
  rb_mixer_retarget(m);
  pthread_mutex_unlock(&m->lock);
}

/* Takes ownership of pcm (freed on failure). Returns the id or 0. */
static int rb_mixer_add(rb_mixer *m, int16_t *pcm, size_t n, float gain) {
  int id = 0;
  pthread_mutex_lock(&m->lock);
  if (m->count == RB_MIXER_MAX || m->next_id == INT_MAX)
    goto done; /* full: 0, like out of memory */
  id = m->next_id++;
  if (n == 0) /* nothing to play: a valid id that is already finished */
    goto done;
  m->src[m->count++] = (rb_source){id, pcm, n, 0, rb_clamp01(gain), 0};
  pcm = NULL;
  rb_mixer_retarget(m);
done:
  pthread_mutex_unlock(&m->lock);
  free(pcm);
  return id;
}

int rb_mixer_play(rb_mixer *m, const int16_t *pcm, size_t n, float gain) {
  int16_t *copy = NULL;
  if (n > 0) {
    /* copy outside the lock so the audio thread never waits on malloc */
    if (!pcm || n > SIZE_MAX / sizeof *copy)
      return 0;
    copy = malloc(n * sizeof *copy);
    if (!copy)
      return 0;
    memcpy(copy, pcm, n * sizeof *copy);
  }
  return rb_mixer_add(m, copy, n, gain);
}

static float rb_tone_default_freq(rb_tone_kind kind) {
  switch (kind) {
  case RB_TONE_CHIME:
    return 660.0f;
  case RB_TONE_TICK:
    return 1500.0f;
  case RB_TONE_BEEP:
  default:
    return 880.0f;
  }
}

static int rb_tone_default_ms(rb_tone_kind kind) {
  switch (kind) {
  case RB_TONE_CHIME:
    return 700;
  case RB_TONE_TICK:
    return 30;
  case RB_TONE_BEEP:
  default:
    return 150;
  }
}

size_t rb_mixer_tone_samples(const rb_mixer *m, rb_tone_kind kind, int ms) {
  if (ms <= 0)
    ms = rb_tone_default_ms(kind);
  if (ms > RB_MIXER_MAX_MS)
    ms = RB_MIXER_MAX_MS;
  return (size_t)((long long)ms * m->rate / 1000);
}

/* Raised-cosine edge: 0 at i == 0, 1 at i == len. */
static float rb_edge(size_t i, size_t len) {
  if (len == 0 || i >= len)
    return 1.0f;
  return 0.5f - 0.5f * cosf(rb_pi * (float)i / (float)len);
}

/* Fills w[0..n) with the tone at peak 1.0. */
static void rb_tone_fill(float *w, size_t n, rb_tone_kind kind, float freq,
                         int rate) {
  /* partials of the chime: frequency ratio, amplitude, decay (s) */
  static const float chime[][3] = {
      {1.0f, 1.0f, 0.20f}, {2.0f, 0.5f, 0.12f}, {3.0f, 0.3f, 0.08f}};
  const float nyquist = 0.5f * (float)rate;
  size_t attack, release;
  float peak = 0.0f;

  switch (kind) {
  case RB_TONE_CHIME:
    attack = (size_t)rate * 3 / 1000; /* a struck bell: fast attack */
    release = (size_t)rate * 20 / 1000;
    break;
  case RB_TONE_TICK:
    attack = (size_t)rate / 1000;
    release = (size_t)rate * 5 / 1000;
    break;
  case RB_TONE_BEEP:
  default:
    attack = release = (size_t)rate * 10 / 1000;
    break;
  }
  if (attack > n / 2)
    attack = n / 2;
  if (release > n / 2)
    release = n / 2;

  for (size_t i = 0; i < n; i++) {
    float t = (float)i / (float)rate, v = 0.0f;
    switch (kind) {
    case RB_TONE_CHIME:
      for (size_t p = 0; p < sizeof chime / sizeof chime[0]; p++) {
        float f = freq * chime[p][0];
        if (f < nyquist) /* a partial above Nyquist would alias */
          v += chime[p][1] * expf(-t / chime[p][2]) * sinf(2 * rb_pi * f * t);
      }
      break;
    case RB_TONE_TICK:
      v = expf(-t / 0.005f) * sinf(2 * rb_pi * freq * t);
      break;
    case RB_TONE_BEEP:
    default:
      v = sinf(2 * rb_pi * freq * t);
      break;
    }
    /* soft edges: no step at the start, none at the end */
    w[i] = v * rb_edge(i, attack) * rb_edge(n - i, release + 1);
    if (fabsf(w[i]) > peak)
      peak = fabsf(w[i]);
  }
  /* the sum of partials peaks above 1: bring every tone to full scale */
  if (peak > 0.0f)
    for (size_t i = 0; i < n; i++)
      w[i] /= peak;
}

int rb_mixer_tone(rb_mixer *m, rb_tone_kind kind, float freq, int ms,
                  float gain) {
  size_t n = rb_mixer_tone_samples(m, kind, ms);
  float *w = NULL;
  int16_t *pcm = NULL;
  int id = 0;

  if (!(freq > 0.0f) || !isfinite(freq))
    freq = rb_tone_default_freq(kind);
  if (freq > 0.45f * (float)m->rate)
    freq = 0.45f * (float)m->rate;
  if (n > 0) {
    w = malloc(n * sizeof *w);
    pcm = malloc(n * sizeof *pcm);
    if (!w || !pcm)
      goto fail;
    rb_tone_fill(w, n, kind, freq, m->rate);
    for (size_t i = 0; i < n; i++)
      pcm[i] = (int16_t)lrintf(w[i] * RB_FULL);
  }
  id = rb_mixer_add(m, pcm, n, gain);
  pcm = NULL; /* owned by rb_mixer_add */
fail:
  free(w);
  free(pcm);
  return id;
}

/* Lock held. NULL when id is not a source. */
static rb_source *rb_mixer_find(rb_mixer *m, int id) {
  for (int i = 0; i < m->count; i++)
    if (m->src[i].id == id)
      return &m->src[i];
  return NULL;
}

static bool rb_source_playing(const rb_source *s) {
  return s->fade == 0 && s->pos < s->n;
}

bool rb_mixer_playing(rb_mixer *m, int id) {
  bool playing;
  pthread_mutex_lock(&m->lock);
  const rb_source *s = rb_mixer_find(m, id);
  playing = s && rb_source_playing(s);
  pthread_mutex_unlock(&m->lock);
  return playing;
}

bool rb_mixer_busy(rb_mixer *m) {
  bool busy = false;
  pthread_mutex_lock(&m->lock);
  for (int i = 0; i < m->count && !busy; i++)
    busy = rb_source_playing(&m->src[i]);
  pthread_mutex_unlock(&m->lock);
  return busy;
}

/* Lock held. Removes finished sources, keeping the order of the rest. */
static void rb_mixer_sweep(rb_mixer *m) {
  int kept = 0;
  for (int i = 0; i < m->count; i++) {
    rb_source *s = &m->src[i];
    bool done = s->pos >= s->n || s->fade == 1 ||
                (s->fade > 0 && m->paused && m->level == 0.0f);
    if (done)
      free(s->pcm);
    else
      m->src[kept++] = *s;
  }
  m->count = kept;
}

/* Lock held. A stopped sound fades out instead of ending on a step; when
 * nothing is heard (paused), it goes at once. */
static void rb_source_stop(rb_source *s, int fade_n) {
  if (s->fade == 0)
    s->fade = fade_n + 1;
}

void rb_mixer_stop(rb_mixer *m, int id) {
  pthread_mutex_lock(&m->lock);
  rb_source *s = rb_mixer_find(m, id);
  if (s)
    rb_source_stop(s, m->fade_n);
  rb_mixer_sweep(m);
  pthread_mutex_unlock(&m->lock);
}

void rb_mixer_stop_all(rb_mixer *m) {
  pthread_mutex_lock(&m->lock);
  for (int i = 0; i < m->count; i++)
    rb_source_stop(&m->src[i], m->fade_n);
  rb_mixer_sweep(m);
  pthread_mutex_unlock(&m->lock);
}

void rb_mixer_pause(rb_mixer *m, bool paused) {
  pthread_mutex_lock(&m->lock);
  m->paused = paused;
  rb_mixer_retarget(m);
  pthread_mutex_unlock(&m->lock);
}

/* Soft limiter on one sample (int16 units). The envelope rises at once
 * with the signal and falls slowly, so the gain follows the loudest
 * recent peak rather than each sample: no waveshaping, only a smooth
 * gain, and |output| <= curve(env) < RB_CEIL. */
static float rb_mixer_limit(rb_mixer *m, float x) {
  float a = fabsf(x), e;
  m->env = a > m->env * m->release ? a : m->env * m->release;
  e = m->env;
  if (e <= RB_KNEE)
    return x;
  return x *
         (RB_KNEE +
          (RB_CEIL - RB_KNEE) * tanhf((e - RB_KNEE) / (RB_CEIL - RB_KNEE))) /
         e;
}

/* Lock held. Renders up to n samples; returns how many, fewer only when
 * the pause fade has reached silence. */
static size_t rb_mixer_render_chunk(rb_mixer *m, int16_t *out, size_t n) {
  const float target = m->paused ? 0.0f : m->volume;
  const float step = 1.0f / (float)(m->fade_n > 0 ? m->fade_n : 1);
  size_t i;

  for (i = 0; i < n; i++) {
    float x = 0.0f, y;
    if (m->paused && m->level == 0.0f)
      break; /* frozen: positions stay */
    for (int j = 0; j < m->count; j++) {
      rb_source *s = &m->src[j];
      float v;
      if (s->pos >= s->n || s->fade == 1)
        continue;
      v = (float)s->pcm[s->pos++] * s->gain;
      if (s->fade > 1)
        v *= (float)(--s->fade) / (float)(m->fade_n + 1);
      x += v;
    }
    y = rb_mixer_limit(m, x * m->level);
    if (y > RB_FULL)
      y = RB_FULL;
    else if (y < -RB_FULL)
      y = -RB_FULL;
    out[i] = (int16_t)lrintf(y);
    /* ramp the master gain one step towards its target */
    if (m->level < target)
      m->level = fminf(target, m->level + step);
    else if (m->level > target)
      m->level = fmaxf(target, m->level - step);
  }
  return i;
}

void rb_mixer_render(rb_mixer *m, int16_t *out, size_t n) {
  size_t done = 0;
  pthread_mutex_lock(&m->lock);
  while (done < n) {
    size_t want = n - done < RB_MIXER_CHUNK ? n - done : RB_MIXER_CHUNK;
    size_t got = rb_mixer_render_chunk(m, out + done, want);
    done += got;
    rb_mixer_sweep(m);
    rb_mixer_retarget(m);
    if (got < want) {
      memset(out + done, 0, (n - done) * sizeof *out);
      break;
    }
  }
  pthread_mutex_unlock(&m->lock);
}
