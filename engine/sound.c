#include "sound.h"

#include "audio.h"
#include "log.h"
#include "mixer.h"
#include "tts.h"

#include <stdlib.h>

struct rb_sound {
  rb_sound_opts opts;
  rb_wait *wait;
  rb_mixer *mixer;
  rb_tts *tts;
  rb_audio *audio;
  rb_voice *voice;
  Uint32 ready_event; /* pushed by the tts worker when speech is ready */
};

/* Called on the tts worker thread: wake the main loop. */
static void tts_ready(void *ud) {
  rb_sound *s = ud;
  SDL_Event ev = {.type = s->ready_event};
  SDL_PushEvent(&ev);
  rb_wait_wake(s->wait);
}

/* Speech, the mixer, the card or file, the voice; false on a hard error. */
static bool open_parts(rb_sound *s) {
  rb_tts_opts to = {.voice = s->opts.voice, .rate = s->opts.rate};
  char err[512];
  int rate = 22050;
  s->tts = rb_tts_new(&to, err, sizeof err);
  if (!s->tts)
    rb_log_warn("no speech: %s; cues are shown and sounded", err);
  else
    rate = rb_tts_sample_rate(s->tts);
  s->mixer = rb_mixer_new(rate);
  if (!s->mixer)
    return false;
  rb_mixer_set_volume(s->mixer,
                      s->opts.mute ? 0.0f : (float)s->opts.volume / 100);
  s->audio = rb_audio_open(s->mixer, s->opts.audio_out, err, sizeof err);
  if (!s->audio) {
    rb_log_error("%s", err);
    return false;
  }
  if (!rb_audio_live(s->audio)) {
    /* no sound device (logged once by audio): nobody hears the voice, so
     * there is none and say() takes no time; captions still show */
    rb_audio_close(s->audio);
    s->audio = NULL;
    return true;
  }
  s->voice = rb_voice_new(&(rb_voice_opts){
      .mixer = s->mixer, .tts = s->tts, .sync = s->opts.virtual_clock});
  if (!s->voice)
    return false;
  if (s->tts) {
    s->ready_event = SDL_RegisterEvents(1);
    if (s->ready_event != (Uint32)-1)
      rb_tts_set_notify(s->tts, tts_ready, s);
    else
      s->ready_event = 0;
  }
  return true;
}

rb_sound *rb_sound_open(const rb_sound_opts *opts, rb_wait *wait) {
  rb_sound *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->opts = *opts;
  s->wait = wait;
  /* a headless run without --audio-out is heard by nobody: no voice, so
   * say() takes no time, as in simulate */
  if (opts->headless && !opts->audio_out)
    return s;
  if (!open_parts(s)) {
    rb_sound_close(s, RB_MS_NEVER);
    return NULL;
  }
  return s;
}

void rb_sound_close(rb_sound *s, rb_ms end) {
  if (!s)
    return;
  if (s->audio && s->voice && end != RB_MS_NEVER) {
    /* let the last words ("well done") into the file */
    if (rb_voice_quiet_at(s->voice) > end)
      end = rb_voice_quiet_at(s->voice);
    rb_audio_advance(s->audio, end + 250);
  }
  if (s->audio && !s->opts.audio_out && rb_audio_live(s->audio)) {
    /* a sound card: let the last words be heard, but never hang */
    for (int i = 0; i < 150 && rb_mixer_busy(s->mixer); i++)
      SDL_Delay(20);
  }
  if (s->tts)
    rb_tts_set_notify(s->tts, NULL, NULL);
  rb_audio_close(s->audio);
  rb_voice_free(s->voice);
  rb_tts_free(s->tts);
  rb_mixer_free(s->mixer);
  free(s);
}

rb_voice *rb_sound_voice(rb_sound *s) { return s ? s->voice : NULL; }

bool rb_sound_ready_event(const rb_sound *s, const SDL_Event *ev) {
  return s && s->ready_event && ev->type == s->ready_event;
}

void rb_sound_catch_up(rb_sound *s, rb_ms now, bool paused) {
  if (!s)
    return;
  if (s->audio && !paused)
    rb_audio_advance(s->audio, now);
  if (s->voice)
    rb_voice_update(s->voice, now);
}

rb_ms rb_sound_deadline(const rb_sound *s) {
  return s && s->voice ? rb_voice_deadline(s->voice) : RB_MS_NEVER;
}

void rb_sound_set_volume(rb_sound *s, int percent) {
  if (!s)
    return;
  s->opts.volume = percent < 0 ? 0 : percent > 100 ? 100 : percent;
  if (s->mixer)
    rb_mixer_set_volume(s->mixer,
                        s->opts.mute ? 0.0f : (float)s->opts.volume / 100);
}

int rb_sound_volume(const rb_sound *s) { return s ? s->opts.volume : 0; }

bool rb_sound_test(rb_sound *s, const char *text, const char *lang) {
  const rb_speech *sp;
  if (!s || !s->mixer || !s->audio)
    return false;
  rb_mixer_tone(s->mixer, RB_TONE_CHIME, 0, 0, 0.8f);
  if (!s->tts)
    return true;
  sp = rb_tts_speak_now(s->tts, text, lang);
  if (sp)
    rb_mixer_play(s->mixer, sp->pcm, sp->n, 1.0f);
  return true;
}
