/* voice: speaks and sounds the session's cues now (rb_session_voice).
 *
 * Speech waits for speech: an utterance starts when the one before it has
 * been spoken, so nothing is cut off mid-word, and one that cannot start
 * within a short time of its cue is dropped rather than played late. A
 * tick yields to speech. Speech is synthesized ahead (prepare) on the tts
 * worker; with a virtual clock it is synthesized on the spot, so a run is
 * repeatable. Times are routine-clock milliseconds, which the sound
 * follows: the WAV is written on it, the device plays in real time, and a
 * pause stops both. */
#ifndef RB_VOICE_H
#define RB_VOICE_H

#include "mixer.h"
#include "session.h"
#include "tts.h"

/* A cue that cannot start this long after it was due is dropped. */
#define RB_VOICE_STALE_SPEECH_MS 1500

typedef struct rb_voice rb_voice;

typedef struct {
  rb_mixer *mixer; /* NULL: nothing is heard (timing stays the same) */
  rb_tts *tts;     /* NULL: no speech; say() takes no time */
  bool sync;       /* virtual clock: synthesize when needed, never wait */
} rb_voice_opts;

typedef struct {
  int spoken, dropped, tones; /* cues played and dropped */
  double late_ms_max;         /* routine ms from due to start, worst */
} rb_voice_stats;

rb_voice *rb_voice_new(const rb_voice_opts *opts);
void rb_voice_free(rb_voice *v);
/* The callbacks to hand to rb_session_opts.voice. */
const rb_session_voice *rb_voice_for_session(rb_voice *v);

/* Starts queued speech whose turn came or whose synthesis finished; call
 * when the clock moved or the tts said a result is ready. */
void rb_voice_update(rb_voice *v, rb_ms now);
/* Routine time at which queued speech may start, RB_MS_NEVER if none. */
rb_ms rb_voice_deadline(const rb_voice *v);
/* Routine time at which everything started so far has been spoken. */
rb_ms rb_voice_quiet_at(const rb_voice *v);
rb_voice_stats rb_voice_get_stats(const rb_voice *v);

#endif
