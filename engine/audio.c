/* audio: the mixer's output to the sound card (SDL) or to a WAV file.
 *
 * Only SDL's audio subsystem is touched, with its own init/quit pair, so
 * this works whether or not the caller has SDL video up. */
#include "audio.h"
#include "log.h"

#include <SDL.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Device buffer: 512 samples is 23 ms at 22050 Hz, short enough that a
 * beep lands on the second it marks. */
#define RB_AUDIO_DEVICE_SAMPLES 512
#define RB_WAV_HEADER 44
#define RB_WAV_CHUNK 1024
/* The RIFF size (36 + data bytes) must fit 32 bits: ~27 h at 22050 Hz. */
#define RB_WAV_MAX_SAMPLES ((UINT32_MAX - 36u) / 2u)

struct rb_audio {
  rb_mixer *m;
  /* device mode */
  bool sdl_audio; /* our SDL_InitSubSystem(SDL_INIT_AUDIO) succeeded */
  SDL_AudioDeviceID dev;
  int latency_ms;
  /* WAV mode */
  FILE *wav;
  char *path;
  bool failed;    /* a write failed or the file is full: stop writing */
  size_t written; /* samples */
  size_t unsized; /* samples written since the header was last fixed up */
};

static void rb_put_le(uint8_t *p, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

/* Writes the header for the samples so far and returns to the end, so a
 * killed run still leaves a playable file. */
static bool rb_wav_header(rb_audio *a) {
  const uint32_t rate = (uint32_t)rb_mixer_rate(a->m);
  const uint32_t data = (uint32_t)(a->written * 2);
  uint8_t h[RB_WAV_HEADER];

  memcpy(h, "RIFF", 4);
  rb_put_le(h + 4, 36 + data, 4);
  memcpy(h + 8, "WAVEfmt ", 8);
  rb_put_le(h + 16, 16, 4);       /* fmt chunk size */
  rb_put_le(h + 20, 1, 2);        /* PCM */
  rb_put_le(h + 22, 1, 2);        /* mono */
  rb_put_le(h + 24, rate, 4);     /* sample rate */
  rb_put_le(h + 28, rate * 2, 4); /* bytes per second */
  rb_put_le(h + 32, 2, 2);        /* block align */
  rb_put_le(h + 34, 16, 2);       /* bits per sample */
  memcpy(h + 36, "data", 4);
  rb_put_le(h + 40, data, 4);
  /* data first on disk, then the header that claims it */
  if (fflush(a->wav) != 0 || fseek(a->wav, 0, SEEK_SET) != 0 ||
      fwrite(h, sizeof h, 1, a->wav) != 1 || fseek(a->wav, 0, SEEK_END) != 0 ||
      fflush(a->wav) != 0)
    return false;
  a->unsized = 0;
  return true;
}

static void rb_audio_callback(void *ud, Uint8 *stream, int len) {
  /* SDL hands out buffers aligned for any sample format */
  rb_mixer_render(ud, (int16_t *)(void *)stream, (size_t)len / sizeof(int16_t));
}

/* Opens the sound card; without one, logs why once and stays silent. */
static void rb_audio_open_device(rb_audio *a) {
  SDL_AudioSpec want, have;
  const char *driver;
  char why[256];

  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    snprintf(why, sizeof why, "%s", SDL_GetError());
    goto silent;
  }
  a->sdl_audio = true;
  /* these "devices" accept samples that nobody hears */
  driver = SDL_GetCurrentAudioDriver();
  if (!driver || strcmp(driver, "dummy") == 0 || strcmp(driver, "disk") == 0) {
    snprintf(why, sizeof why, "audio driver %s", driver ? driver : "none");
    goto silent;
  }
  SDL_zero(want);
  want.freq = rb_mixer_rate(a->m);
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = RB_AUDIO_DEVICE_SAMPLES;
  want.callback = rb_audio_callback;
  want.userdata = a->m;
  /* no allowed changes: SDL converts to whatever the card wants */
  a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
  if (a->dev == 0) {
    snprintf(why, sizeof why, "%s: %s", driver, SDL_GetError());
    goto silent;
  }
  a->latency_ms = (int)((long long)have.samples * 1000 / have.freq);
  SDL_PauseAudioDevice(a->dev, 0);
  rb_log_debug("audio: %s, %d Hz, %d-sample buffer", driver, have.freq,
               (int)have.samples);
  return;
silent:
  rb_log_warn("no sound device (%s): cues are shown but not heard", why);
  if (a->sdl_audio)
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  a->sdl_audio = false;
}

rb_audio *rb_audio_open(rb_mixer *m, const char *wav_path, char *err,
                        size_t errlen) {
  rb_audio *a = calloc(1, sizeof *a);
  if (!a)
    goto oom;
  a->m = m;
  if (!wav_path) {
    rb_audio_open_device(a);
    return a;
  }
  a->path = strdup(wav_path);
  if (!a->path)
    goto oom;
  a->wav = fopen(wav_path, "wb");
  if (!a->wav || !rb_wav_header(a)) {
    snprintf(err, errlen, "%s: %s", wav_path, strerror(errno));
    goto fail;
  }
  return a;
oom:
  snprintf(err, errlen, "out of memory");
fail:
  rb_audio_close(a);
  return NULL;
}

void rb_audio_close(rb_audio *a) {
  if (!a)
    return;
  if (a->dev != 0)
    SDL_CloseAudioDevice(a->dev); /* waits for the callback to return */
  if (a->sdl_audio)
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  if (a->wav) {
    bool good = a->failed || rb_wav_header(a);
    if (fclose(a->wav) != 0 || !good)
      rb_log_warn("%s: %s", a->path, strerror(errno));
  }
  free(a->path);
  free(a);
}

bool rb_audio_live(const rb_audio *a) {
  return a->dev != 0 || (a->wav && !a->failed);
}

int rb_audio_latency_ms(const rb_audio *a) { return a->latency_ms; }

/* Samples in t ms, from t itself so that no rounding accumulates. */
static size_t rb_audio_samples_at(rb_ms t, int rate) {
  if (t <= 0)
    return 0;
  if (t / 1000 >= (rb_ms)(RB_WAV_MAX_SAMPLES / (unsigned)rate))
    return RB_WAV_MAX_SAMPLES;
  return (size_t)(t / 1000 * rate + t % 1000 * rate / 1000);
}

void rb_audio_advance(rb_audio *a, rb_ms t) {
  const int rate = rb_mixer_rate(a->m);
  size_t target;
  int16_t pcm[RB_WAV_CHUNK];
  uint8_t bytes[RB_WAV_CHUNK * 2];

  if (!a->wav || a->failed)
    return;
  target = rb_audio_samples_at(t, rate);
  if (target > RB_WAV_MAX_SAMPLES)
    target = RB_WAV_MAX_SAMPLES;
  while (a->written < target) {
    size_t n = target - a->written;
    if (n > RB_WAV_CHUNK)
      n = RB_WAV_CHUNK;
    rb_mixer_render(a->m, pcm, n);
    for (size_t i = 0; i < n; i++) /* WAV is little-endian on any host */
      rb_put_le(bytes + 2 * i, (uint16_t)pcm[i], 2);
    if (fwrite(bytes, 2, n, a->wav) != n)
      goto fail;
    a->written += n;
    a->unsized += n;
    if (a->unsized >= (size_t)rate && !rb_wav_header(a))
      goto fail;
  }
  if (a->written == RB_WAV_MAX_SAMPLES) {
    rb_log_warn("%s: WAV size limit reached, no more audio is written",
                a->path);
    if (!rb_wav_header(a))
      goto fail;
    a->failed = true; /* header final: close leaves it alone */
  }
  return;
fail:
  rb_log_warn("%s: %s", a->path, strerror(errno));
  a->failed = true;
}

size_t rb_audio_written(const rb_audio *a) { return a->written; }
