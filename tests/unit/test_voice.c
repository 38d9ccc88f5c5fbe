/* voice: the cue scheduler. Speech in turn, a tick yielding to speech,
 * stale cues dropped, say() never dropped, pause silencing the mixer,
 * hush, and the length a say() waits for. Real espeak-ng, synthesized
 * on the spot as in a virtual-clock run. */
#include "tap.h"
#include "voice.h"

#include <stdlib.h>

#define RATE 22050

static rb_ms ms_of(size_t samples) { return (rb_ms)(samples * 1000 / RATE); }

/* Loudest sample among the next n the mixer renders. */
static int peak_of_next(rb_mixer *m, size_t n) {
  int16_t *buf = calloc(n, sizeof *buf);
  int peak = 0;
  rb_mixer_render(m, buf, n);
  for (size_t i = 0; i < n; i++)
    if (abs(buf[i]) > peak)
      peak = abs(buf[i]);
  free(buf);
  return peak;
}

int main(void) {
  char err[256];
  rb_tts *tts = rb_tts_new(&(rb_tts_opts){0}, err, sizeof err);
  rb_mixer *m;
  rb_voice *v;
  const rb_session_voice *cb;
  const rb_speech *halfway, *long_say;
  rb_voice_stats st;
  rb_ms left, len_say, len_half;
  const char *say_text = "Slowly turn your chest through the door until you "
                         "feel a stretch across the chest.";

  ok(tts != NULL, "tts starts (%s)", tts ? "" : err);
  if (!tts)
    return tap_done();
  is_int(rb_tts_sample_rate(tts), RATE, "espeak-ng speaks at %d Hz", RATE);
  m = rb_mixer_new(RATE);
  rb_mixer_set_volume(m, 1.0f);
  v = rb_voice_new(&(rb_voice_opts){.mixer = m, .tts = tts, .sync = true});
  cb = rb_voice_for_session(v);
  halfway = rb_tts_speak_now(tts, "Halfway", NULL);
  long_say = rb_tts_speak_now(tts, say_text, NULL);
  len_half = ms_of(halfway->n);
  len_say = ms_of(long_say->n);
  ok(len_say > 2600, "a long sentence takes %lld ms", (long long)len_say);

  /* a say() is spoken at once and says how long it takes */
  cb->cue(cb->ud, 1000, RB_CUE_SAY, say_text, NULL);
  left = cb->remaining(cb->ud, 1000);
  is_int(left, len_say, "remaining: the say lasts its speech");
  ok(rb_mixer_busy(m), "the mixer plays it");
  is_int(rb_voice_quiet_at(v), 1000 + len_say, "quiet when it ends");

  /* speech waits for speech: queued, not mixed over it */
  cb->cue(cb->ud, 1200, RB_CUE_SAY, "Left side.", NULL);
  is_int(rb_voice_deadline(v), 1000 + len_say,
         "a second utterance waits for the first to end");
  left = cb->remaining(cb->ud, 1200);
  ok(left > len_say - 200, "remaining counts both (%lld ms)", (long long)left);
  st = rb_voice_get_stats(v);
  is_int(st.spoken, 1, "only one spoken so far");

  /* a tick yields to speech; a beep does not */
  cb->cue(cb->ud, 1500, RB_CUE_TICK, "", NULL);
  st = rb_voice_get_stats(v);
  is_int(st.tones, 0, "a tick while speaking is dropped");
  cb->cue(cb->ud, 1500, RB_CUE_BEEP, "", NULL);
  st = rb_voice_get_stats(v);
  is_int(st.tones, 1, "a beep plays over speech");

  /* a timed word that cannot start in time is dropped, not played late */
  cb->cue(cb->ud, 1600, RB_CUE_SPEECH, "Halfway", NULL);
  rb_voice_update(v, 1000 + len_say);
  st = rb_voice_get_stats(v);
  is_int(st.spoken, 2, "the queued say() is spoken when its turn comes");
  ok(rb_voice_deadline(v) > 1000 + len_say, "halfway waits behind it");
  rb_voice_update(v, rb_voice_deadline(v));
  st = rb_voice_get_stats(v);
  /* due at 1.6 s, its turn comes after the sentence and "left side" */
  is_int(st.dropped, 1, "a stale 'halfway' is dropped");
  is_int(st.spoken, 2, "and not spoken");

  /* a say() is never stale, however long it waited */
  cb->hush(cb->ud);
  cb->cue(cb->ud, 100000, RB_CUE_SAY, say_text, NULL);
  cb->cue(cb->ud, 100000, RB_CUE_SAY, "Well done.", NULL);
  st = rb_voice_get_stats(v);
  rb_voice_update(v, 100000 + len_say);
  is_int(rb_voice_get_stats(v).spoken, st.spoken + 1,
         "a say() waiting longer than the stale limit is still spoken");
  is_int(rb_voice_get_stats(v).dropped, st.dropped, "nothing dropped");

  /* hush: silence now, nothing queued */
  cb->cue(cb->ud, 200000, RB_CUE_SAY, say_text, NULL);
  cb->cue(cb->ud, 200000, RB_CUE_SPEECH, "Halfway", NULL);
  cb->hush(cb->ud);
  is_int(rb_voice_deadline(v), RB_MS_NEVER, "hush forgets queued speech");
  is_int(cb->remaining(cb->ud, 200000), 0, "nothing left to say");
  (void)peak_of_next(m, RATE / 50); /* the 5 ms fade-out */
  ok(!rb_mixer_busy(m), "and the mixer falls silent");

  /* pause silences; resume goes on where it stopped */
  cb->cue(cb->ud, 300000, RB_CUE_SPEECH, "Halfway", NULL);
  ok(peak_of_next(m, RATE / 10) > 1000, "speech is heard");
  cb->pause(cb->ud, true);
  (void)peak_of_next(m, RATE / 50); /* the fade */
  is_int(peak_of_next(m, RATE / 5), 0, "paused: silent");
  ok(rb_mixer_busy(m), "paused speech keeps its place");
  cb->pause(cb->ud, false);
  ok(peak_of_next(m, (size_t)RATE * (size_t)len_half / 1000) > 1000,
     "resumed: the rest is heard");

  /* no tts: nothing is queued, a say() takes no time */
  {
    rb_voice *mute = rb_voice_new(&(rb_voice_opts){.mixer = m, .sync = true});
    const rb_session_voice *mc = rb_voice_for_session(mute);
    mc->cue(mc->ud, 0, RB_CUE_SAY, say_text, NULL);
    is_int(mc->remaining(mc->ud, 0), 0, "without speech a say takes no time");
    rb_voice_free(mute);
  }

  /* speech still being made is woken by the tts, not by a deadline in
   * the past (which had the main loop spin until it was ready) */
  {
    rb_voice *a = rb_voice_new(&(rb_voice_opts){.mixer = m, .tts = tts});
    const rb_session_voice *ac = rb_voice_for_session(a);
    rb_ms d;
    ac->cue(ac->ud, 5000, RB_CUE_SAY,
            "A sentence nobody has asked for before, made on the worker.",
            NULL);
    rb_voice_update(a, 5000);
    d = rb_voice_deadline(a);
    ok(d == RB_MS_NEVER || d > 5000,
       "while speech is being made the deadline is not in the past (%lld)",
       (long long)d);
    rb_voice_free(a);
  }

  rb_voice_free(v);
  rb_mixer_free(m);
  rb_tts_free(tts);
  return tap_done();
}
