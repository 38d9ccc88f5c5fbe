/* audio: where the mixer's samples go.
 *
 * Either the sound card through SDL audio (the device pulls from the
 * mixer on its own thread), or a WAV file written on the routine clock
 * (--audio-out FILE.wav): the app calls rb_audio_advance as the clock
 * moves, so a virtual-clock run writes exactly what a patient would have
 * heard when. No sound device is not an error: it is logged once and the
 * program goes on silent. */
#ifndef RB_AUDIO_H
#define RB_AUDIO_H

#include "clock.h"
#include "mixer.h"

#include <stdbool.h>

typedef struct rb_audio rb_audio;

/* wav_path NULL: the sound card (SDL_INIT_AUDIO is done here). Never NULL
 * except out of memory: without a device the audio is silent.
 * A WAV file that cannot be created: NULL, with the path and reason in
 * err. */
rb_audio *rb_audio_open(rb_mixer *m, const char *wav_path, char *err,
                        size_t errlen);
void rb_audio_close(rb_audio *a); /* finishes the WAV header */

/* False when nothing will be heard (no device, and no file). */
bool rb_audio_live(const rb_audio *a);
/* WAV mode: renders the mixer up to time t (ms since the file started,
 * on the routine clock); earlier times are ignored. No effect on a
 * device. */
void rb_audio_advance(rb_audio *a, rb_ms t);
/* Samples written to the WAV so far (tests). */
size_t rb_audio_written(const rb_audio *a);
/* How long a sound started now takes to reach the card's buffer, in ms:
 * the device callback's buffer (23 ms at 22050 Hz); 0 for a WAV file or
 * no device. The card and the sound server add their own on top. */
int rb_audio_latency_ms(const rb_audio *a);

#endif
