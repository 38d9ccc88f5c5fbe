/* tts: speech synthesis with espeak-ng into 16-bit mono PCM.
 *
 * espeak-ng keeps global state, so a process has one rb_tts and only its
 * worker thread calls the library. Requests are queued and their PCM
 * comes back through rb_tts_take; a notify callback (called on the
 * worker thread) lets the main loop wake up. rb_tts_speak_now waits until
 * the worker has synthesized the text (ahead of prepared ones), for
 * virtual-clock runs where time does not pass while we wait. Results are
 * cached by (language, text): at most 2048 texts and 32 MiB of samples;
 * beyond that new texts are not synthesized (NULL) until rb_tts_forget. */
#ifndef RB_TTS_H
#define RB_TTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rb_tts rb_tts;

typedef struct {
  const char *voice; /* espeak-ng voice name, "" or NULL: "en" */
  int rate;          /* words per minute, default 140 */
} rb_tts_opts;

/* A finished synthesis. Owned by the tts cache: valid until rb_tts_free. */
typedef struct {
  const int16_t *pcm;
  size_t n;
} rb_speech;

/* NULL on failure (espeak-ng data missing ...) with a reason in err. */
rb_tts *rb_tts_new(const rb_tts_opts *opts, char *err, size_t errlen);
void rb_tts_free(rb_tts *t);
int rb_tts_sample_rate(const rb_tts *t);
void rb_tts_set_notify(rb_tts *t, void (*notify)(void *ud), void *ud);

/* lang: an espeak-ng language ("de", "en-gb") for the text, NULL for the
 * voice from the options. */
/* Queues text for synthesis on the worker thread (no-op when cached). */
void rb_tts_prepare(rb_tts *t, const char *text, const char *lang);
/* The speech if it is ready (cached), else NULL. Never blocks. */
const rb_speech *rb_tts_take(rb_tts *t, const char *text, const char *lang);
/* True while the text is queued or being synthesized. When take gives NULL
 * and this is false, the speech will not come (synthesis failed, the cache
 * is full, or it was never prepared): do not wait for it. Never blocks. */
bool rb_tts_pending(rb_tts *t, const char *text, const char *lang);
/* The speech, synthesized now on the worker while this thread waits if
 * it is not cached; NULL when synthesis failed or the cache is full. Never
 * call it from the notify callback (it returns NULL there). */
const rb_speech *rb_tts_speak_now(rb_tts *t, const char *text,
                                  const char *lang);
/* Frees every finished speech: all rb_speech pointers from this tts become
 * invalid, so call it only when nothing plays them (e.g. between
 * routines). Keeps the memory of a long-running kiosk bounded. */
void rb_tts_forget(rb_tts *t);

#endif
