/* sound: the app's voice. espeak-ng (tts.h) synthesizes off the main
 * thread, the mixer plays speech and tones, and the audio goes to the
 * sound card or, with --audio-out, to a WAV written on the routine clock;
 * the voice (voice.h) speaks the session's cues through them. With no
 * sound card, or no speech, it says so once and the coach goes on: the
 * captions still show, and say() takes no time when nobody hears it. */
#ifndef RB_SOUND_H
#define RB_SOUND_H

#include "clock.h"
#include "voice.h"
#include "wait.h"

typedef struct {
  const char *voice;     /* espeak-ng voice, NULL: "en" */
  int rate;              /* words per minute, 0: the default */
  int volume;            /* 0-100 */
  bool mute;             /* silent, same timing */
  const char *audio_out; /* a WAV instead of the card, or NULL */
  bool headless;         /* without audio_out: nobody hears, no voice */
  bool virtual_clock;    /* synthesize on the spot: repeatable runs */
} rb_sound_opts;

typedef struct rb_sound rb_sound;

/* NULL (logged) only when out of memory or audio_out cannot be written:
 * a missing card or voice is not an error. wait is woken when speech is
 * ready. */
rb_sound *rb_sound_open(const rb_sound_opts *opts, rb_wait *wait);
/* `end`: routine time the session stopped, RB_MS_NEVER when none ran;
 * the last words reach the file or the card before it closes. */
void rb_sound_close(rb_sound *s, rb_ms end);

/* The voice to hand the sessions, NULL when nobody would hear it. */
rb_voice *rb_sound_voice(rb_sound *s);
/* True when ev says speech finished synthesizing (the voice may start it
 * and a waiting say() may go on: see rb_session_voice_ready). */
bool rb_sound_ready_event(const rb_sound *s, const SDL_Event *ev);
/* The routine clock moved to now: the WAV reaches now (unless paused),
 * then queued speech whose time came starts. */
void rb_sound_catch_up(rb_sound *s, rb_ms now, bool paused);
/* Routine time at which queued speech may start, RB_MS_NEVER if none. */
rb_ms rb_sound_deadline(const rb_sound *s);
/* The admin's volume, 0-100, from now on (muted stays muted). */
void rb_sound_set_volume(rb_sound *s, int percent);
int rb_sound_volume(const rb_sound *s);
/* The admin's voice test: a chime, then text spoken at once (outside any
 * routine). False when nobody would hear it (no card, no speech). */
bool rb_sound_test(rb_sound *s, const char *text, const char *lang);

#endif
