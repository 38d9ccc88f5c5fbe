/* mixer: sums speech and generated tones into one mono 16-bit stream.
 *
 * Pure PCM, no SDL: the audio device's callback and the WAV writer both
 * pull samples with rb_mixer_render. Thread-safe: the main thread starts
 * sounds while the audio thread renders. The sum is soft-limited so that
 * speech over a beep never clips. */
#ifndef RB_MIXER_H
#define RB_MIXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rb_mixer rb_mixer;

typedef enum {
  RB_TONE_BEEP,  /* short sine with soft edges: countdown seconds */
  RB_TONE_CHIME, /* bell-like: a few decaying partials, end of a hold */
  RB_TONE_TICK   /* very short click: tempo without voice */
} rb_tone_kind;

rb_mixer *rb_mixer_new(int sample_rate);
void rb_mixer_free(rb_mixer *m);
int rb_mixer_rate(const rb_mixer *m);

/* Master volume 0..1 (settings `volume`/100; 0 when muted). */
void rb_mixer_set_volume(rb_mixer *m, float volume);

/* Plays mono samples at the mixer's rate from the next rendered sample;
 * the mixer copies them. Returns a sound id (> 0), or 0 when out of
 * memory. gain 0..1. Also 0 when 16 sounds already play. */
int rb_mixer_play(rb_mixer *m, const int16_t *pcm, size_t n, float gain);
/* Plays a generated tone; freq 0 picks the kind's usual pitch, ms 0 its
 * usual length. */
int rb_mixer_tone(rb_mixer *m, rb_tone_kind kind, float freq, int ms,
                  float gain);
/* Samples of a tone, for callers that schedule by length (at most
 * 10 s). */
size_t rb_mixer_tone_samples(const rb_mixer *m, rb_tone_kind kind, int ms);

/* True while sound id still has samples to play. */
bool rb_mixer_playing(rb_mixer *m, int id);
/* True while anything plays. */
bool rb_mixer_busy(rb_mixer *m);
/* A stopped sound is no longer playing at once, but fades out over the
 * next 5 ms of output instead of ending with a click. */
void rb_mixer_stop(rb_mixer *m, int id);
void rb_mixer_stop_all(rb_mixer *m);
/* While paused, render gives silence and sounds keep their place (after
 * a 5 ms fade-out; resuming fades back in). */
void rb_mixer_pause(rb_mixer *m, bool paused);

/* Renders n samples into out (mono, signed 16-bit). */
void rb_mixer_render(rb_mixer *m, int16_t *out, size_t n);

#endif
