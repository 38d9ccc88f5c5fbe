#include "voice.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

#define QUEUE_MAX 8
#define TEXT_MAX 1024

typedef struct {
  char text[TEXT_MAX];
  char lang[32];
  rb_ms due;
  bool keep; /* RB_CUE_SAY: never stale */
} utterance;

struct rb_voice {
  rb_voice_opts opts;
  rb_session_voice cb;
  utterance queue[QUEUE_MAX]; /* waiting to be spoken, oldest first */
  int nqueue;
  rb_ms speaking_until; /* routine time the current speech ends */
  bool synthesizing;    /* the next speech is due but not made yet */
  rb_voice_stats stats;
};

static const char *lang_or_null(const char *lang) {
  return lang && *lang ? lang : NULL;
}

static const rb_speech *speech_of(rb_voice *v, const utterance *u) {
  if (!v->opts.tts)
    return NULL;
  if (v->opts.sync)
    return rb_tts_speak_now(v->opts.tts, u->text, lang_or_null(u->lang));
  return rb_tts_take(v->opts.tts, u->text, lang_or_null(u->lang));
}

/* True when u's speech will never come (synthesis failed or refused). */
static bool never(rb_voice *v, const utterance *u) {
  return !v->opts.tts || v->opts.sync ||
         !rb_tts_pending(v->opts.tts, u->text, lang_or_null(u->lang));
}

static rb_ms length_ms(const rb_voice *v, const rb_speech *sp) {
  int rate = rb_tts_sample_rate(v->opts.tts);
  return rate > 0 ? (rb_ms)(sp->n * 1000 / (size_t)rate) : 0;
}

static void pop(rb_voice *v) {
  memmove(&v->queue[0], &v->queue[1],
          (size_t)(v->nqueue - 1) * sizeof v->queue[0]);
  v->nqueue--;
}

void rb_voice_update(rb_voice *v, rb_ms now) {
  v->synthesizing = false;
  while (v->nqueue > 0 && v->speaking_until <= now) {
    utterance *u = &v->queue[0];
    const rb_speech *sp;
    if (!u->keep && now - u->due > RB_VOICE_STALE_SPEECH_MS) {
      rb_log_debug("voice: dropped \"%s\", %lld ms late", u->text,
                   (long long)(now - u->due));
      v->stats.dropped++;
      pop(v);
      continue;
    }
    sp = speech_of(v, u);
    if (!sp && never(v, u)) {
      v->stats.dropped++;
      pop(v);
      continue;
    }
    if (!sp) {
      v->synthesizing = true; /* the tts worker is on it; it will notify */
      break;
    }
    if (sp->n > 0) {
      if (v->opts.mixer)
        rb_mixer_play(v->opts.mixer, sp->pcm, sp->n, 1.0f);
      v->speaking_until = now + length_ms(v, sp);
      v->stats.spoken++;
      if ((double)(now - u->due) > v->stats.late_ms_max)
        v->stats.late_ms_max = (double)(now - u->due);
    }
    pop(v);
  }
}

rb_ms rb_voice_deadline(const rb_voice *v) {
  /* queued speech starts when the current one ends; waiting for the
   * synthesis is woken by the tts notify, not by a deadline (a deadline
   * already past would have the main loop spin until then) */
  return v->nqueue > 0 && !v->synthesizing ? v->speaking_until : RB_MS_NEVER;
}

rb_ms rb_voice_quiet_at(const rb_voice *v) { return v->speaking_until; }

rb_voice_stats rb_voice_get_stats(const rb_voice *v) { return v->stats; }

/* --- the session's callbacks ------------------------------------------- */

static void on_cue(void *ud, rb_ms t, rb_cue_kind kind, const char *text,
                   const char *lang) {
  rb_voice *v = ud;
  utterance *u;
  switch (kind) {
  case RB_CUE_TICK:
    if (v->speaking_until > t || v->nqueue > 0)
      return; /* a tick yields to speech */
    /* fall through */
  case RB_CUE_BEEP:
  case RB_CUE_CHIME:
    if (v->opts.mixer)
      rb_mixer_tone(v->opts.mixer,
                    kind == RB_CUE_BEEP    ? RB_TONE_BEEP
                    : kind == RB_CUE_CHIME ? RB_TONE_CHIME
                                           : RB_TONE_TICK,
                    0, 0, 0.6f);
    v->stats.tones++;
    return;
  case RB_CUE_SPEECH:
  case RB_CUE_SAY:
    if (!v->opts.tts || !text || !*text)
      return;
    if (v->nqueue == QUEUE_MAX) {
      v->stats.dropped++;
      return;
    }
    u = &v->queue[v->nqueue++];
    snprintf(u->text, sizeof u->text, "%s", text);
    snprintf(u->lang, sizeof u->lang, "%s", lang ? lang : "");
    u->due = t;
    u->keep = kind == RB_CUE_SAY;
    if (!v->opts.sync)
      rb_tts_prepare(v->opts.tts, u->text, lang_or_null(u->lang));
    rb_voice_update(v, t);
    return;
  }
}

static void on_prepare(void *ud, const char *text, const char *lang) {
  rb_voice *v = ud;
  /* with a virtual clock synthesis happens when needed: nothing waits */
  if (v->opts.tts && !v->opts.sync)
    rb_tts_prepare(v->opts.tts, text, lang_or_null(lang));
}

static rb_ms on_remaining(void *ud, rb_ms t) {
  rb_voice *v = ud;
  rb_ms end = v->speaking_until > t ? v->speaking_until : t;
  for (int i = 0; i < v->nqueue; i++) {
    const rb_speech *sp = speech_of(v, &v->queue[i]);
    if (!sp && !never(v, &v->queue[i]))
      return -1;
    if (sp)
      end += length_ms(v, sp);
  }
  return end - t;
}

static void on_pause(void *ud, bool paused) {
  rb_voice *v = ud;
  if (v->opts.mixer)
    rb_mixer_pause(v->opts.mixer, paused);
}

static void on_hush(void *ud) {
  rb_voice *v = ud;
  /* STOP or a skip: everything goes quiet, beeps too */
  if (v->opts.mixer)
    rb_mixer_stop_all(v->opts.mixer);
  v->speaking_until = 0;
  v->nqueue = 0;
}

rb_voice *rb_voice_new(const rb_voice_opts *opts) {
  rb_voice *v = calloc(1, sizeof *v);
  if (!v)
    return NULL;
  v->opts = *opts;
  v->cb = (rb_session_voice){.ud = v,
                             .cue = on_cue,
                             .prepare = on_prepare,
                             .remaining = on_remaining,
                             .pause = on_pause,
                             .hush = on_hush};
  return v;
}

void rb_voice_free(rb_voice *v) { free(v); }

const rb_session_voice *rb_voice_for_session(rb_voice *v) { return &v->cb; }
