/* tts: espeak-ng on one worker thread, results cached by (language, text).
 *
 * espeak-ng keeps all its state in globals, so this file has the only
 * process-wide state of the subsystem (rb_tts_global below): whether an
 * rb_tts exists (one per process) and whether espeak-ng is initialized.
 * Only the worker thread of the live rb_tts calls the library, so calls
 * never overlap.
 *
 * espeak-ng is initialized by the first rb_tts and never terminated:
 * espeak-ng 1.51 cannot be terminated twice in one process (its fifo.c
 * leaves my_command_is_running set when its thread ends, so the second
 * espeak_ng_Terminate waits forever for a thread that waits for work).
 * Its memory stays reachable from its globals, so LSan does not report it,
 * and a later rb_tts reuses it.
 *
 * Cache: an entry is created by prepare or speak_now and never moves or
 * changes once done, so rb_speech pointers stay valid until rb_tts_free
 * (or rb_tts_forget). Memory is bounded by refusing new entries beyond
 * RB_TTS_MAX_ENTRIES entries or RB_TTS_MAX_BYTES of samples. */
#include "tts.h"

#include "log.h"

#include <ctype.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  RB_TTS_BUCKETS = 1024,
  RB_TTS_MAX_ENTRIES = 2048,
  RB_TTS_DEFAULT_RATE = 140,
  RB_TTS_MIN_RATE = 80, /* espeak-ng's own limits for espeakRATE */
  RB_TTS_MAX_RATE = 450,
  RB_TTS_KEEP_MS = 20,     /* silence kept around trimmed speech */
  RB_TTS_SILENCE = 64,     /* |sample| at or below this is silence (-54 dBFS) */
  RB_TTS_MAX_SECONDS = 180 /* one text longer than this is a mistake */
};
#define RB_TTS_MAX_BYTES ((size_t)32 << 20) /* about 12 min at 22050 Hz */

typedef enum {
  RB_TTS_QUEUED,
  RB_TTS_WORKING,
  RB_TTS_DONE,
  RB_TTS_FAILED
} rb_tts_state;

typedef struct rb_tts_entry {
  struct rb_tts_entry *hnext; /* hash chain */
  struct rb_tts_entry *qnext; /* queue, while QUEUED */
  unsigned hash;
  rb_tts_state state;
  int waiters; /* speak_now callers waiting: rb_tts_forget keeps it */
  char *lang;  /* the request's language or the options' voice */
  char *text;
  int16_t *pcm; /* owned samples, NULL when empty */
  rb_speech speech;
} rb_tts_entry;

/* Worker only: which espeak-ng voice speaks a requested language. */
typedef struct rb_tts_voice {
  struct rb_tts_voice *next;
  char *lang;
  char *voice; /* NULL: the default voice */
} rb_tts_voice;

struct rb_tts {
  pthread_mutex_t mu;
  pthread_cond_t work; /* worker: queue not empty or stop */
  pthread_cond_t done; /* entries finished, worker started */
  pthread_t thread;
  int started; /* worker: 0 starting, 1 ready, -1 failed */
  bool stop;
  char err[256]; /* worker's start-up failure */
  rb_tts_entry *buckets[RB_TTS_BUCKETS];
  rb_tts_entry *qhead, *qtail;
  size_t n_entries, n_bytes;
  bool full_warned;
  void (*notify)(void *ud);
  void *notify_ud;

  /* Set before rb_tts_new returns, then read-only. */
  char *voice_opt; /* the options' voice, the key of lang NULL */
  int rate;
  int sample_rate;

  /* Worker only. */
  char *default_voice; /* espeak-ng voice for the options' voice */
  const char *cur;     /* requested language now set, NULL: none */
  rb_tts_voice *voices;
  int16_t *buf; /* synthesis in progress */
  size_t len, cap, max_len;
  bool overflow;
};

static struct {
  pthread_mutex_t mu;
  bool live;         /* an rb_tts exists */
  bool espeak_ready; /* espeak-ng initialized (never terminated) */
} rb_tts_global = {PTHREAD_MUTEX_INITIALIZER, false, false};

/* Non-NULL pcm for empty speech, so memcpy(dst, pcm, 0) stays defined. */
static const int16_t rb_tts_no_samples[1];

static char *rb_tts_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

static unsigned rb_tts_hash(const char *lang, const char *text) {
  unsigned h = 2166136261u; /* FNV-1a over lang, NUL, text */
  for (const char *p = lang;; p++) {
    h = (h ^ (unsigned char)*p) * 16777619u;
    if (!*p)
      break;
  }
  for (const char *p = text; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  return h;
}

/* The cache key's language: NULL and "" mean the options' voice. */
static const char *rb_tts_key_lang(const rb_tts *t, const char *lang) {
  return lang && *lang ? lang : t->voice_opt;
}

/* Caller holds mu. */
static rb_tts_entry *rb_tts_find(rb_tts *t, const char *lang, const char *text,
                                 unsigned hash) {
  for (rb_tts_entry *e = t->buckets[hash % RB_TTS_BUCKETS]; e; e = e->hnext)
    if (e->hash == hash && strcmp(e->lang, lang) == 0 &&
        strcmp(e->text, text) == 0)
      return e;
  return NULL;
}

static void rb_tts_entry_free(rb_tts_entry *e) {
  if (!e)
    return;
  free(e->lang);
  free(e->text);
  free(e->pcm);
  free(e);
}

/* A new QUEUED entry in the table (not yet in the queue), or NULL when the
 * cache is full or memory ran out. Caller holds mu. */
static rb_tts_entry *rb_tts_add(rb_tts *t, const char *lang, const char *text,
                                unsigned hash) {
  rb_tts_entry *e = NULL;
  if (t->n_entries >= RB_TTS_MAX_ENTRIES || t->n_bytes >= RB_TTS_MAX_BYTES) {
    if (!t->full_warned)
      rb_log_warn("tts: speech cache full (%zu texts, %zu KiB): new texts "
                  "are not spoken",
                  t->n_entries, t->n_bytes / 1024);
    t->full_warned = true;
    return NULL;
  }
  e = calloc(1, sizeof *e);
  if (!e)
    goto fail;
  e->lang = rb_tts_strdup(lang);
  e->text = rb_tts_strdup(text);
  if (!e->lang || !e->text)
    goto fail;
  e->hash = hash;
  e->state = RB_TTS_QUEUED;
  e->hnext = t->buckets[hash % RB_TTS_BUCKETS];
  t->buckets[hash % RB_TTS_BUCKETS] = e;
  t->n_entries++;
  return e;
fail:
  rb_log_error("tts: out of memory for '%s'", text);
  rb_tts_entry_free(e);
  return NULL;
}

/* Caller holds mu. */
static void rb_tts_enqueue(rb_tts *t, rb_tts_entry *e, bool front) {
  if (front) {
    e->qnext = t->qhead;
    t->qhead = e;
    if (!t->qtail)
      t->qtail = e;
  } else {
    e->qnext = NULL;
    if (t->qtail)
      t->qtail->qnext = e;
    else
      t->qhead = e;
    t->qtail = e;
  }
  pthread_cond_signal(&t->work);
}

/* Caller holds mu. */
static void rb_tts_unqueue(rb_tts *t, rb_tts_entry *e) {
  rb_tts_entry *prev = NULL;
  for (rb_tts_entry *q = t->qhead; q; prev = q, q = q->qnext) {
    if (q != e)
      continue;
    if (prev)
      prev->qnext = q->qnext;
    else
      t->qhead = q->qnext;
    if (t->qtail == q)
      t->qtail = prev;
    q->qnext = NULL;
    return;
  }
}

/* ---- worker: everything below calls espeak-ng ---- */

static int rb_tts_on_samples(short *wav, int n, espeak_EVENT *events) {
  rb_tts *t = events ? events->user_data : NULL;
  size_t need;
  if (!t || !wav || n <= 0)
    return 0;
  need = t->len + (size_t)n;
  if (need > t->max_len) {
    t->overflow = true;
    return 1; /* stop synthesis */
  }
  if (need > t->cap) {
    size_t cap = t->cap ? t->cap : (size_t)t->sample_rate;
    int16_t *b;
    while (cap < need)
      cap *= 2;
    b = realloc(t->buf, cap * sizeof *b);
    if (!b) {
      t->overflow = true;
      return 1;
    }
    t->buf = b;
    t->cap = cap;
  }
  memcpy(t->buf + t->len, wav, (size_t)n * sizeof *wav);
  t->len = need;
  return 0;
}

/* Cuts the silence espeak-ng puts around speech down to RB_TTS_KEEP_MS,
 * so a cue starts when it is played. Returns the new length. */
static size_t rb_tts_trim(int16_t *pcm, size_t n, int rate) {
  size_t keep = (size_t)rate * RB_TTS_KEEP_MS / 1000, first = 0, end = n;
  while (first < n && abs(pcm[first]) <= RB_TTS_SILENCE)
    first++;
  if (first == n)
    return 0;
  while (end > first && abs(pcm[end - 1]) <= RB_TTS_SILENCE)
    end--;
  first = first > keep ? first - keep : 0;
  end = n - end > keep ? end + keep : n;
  memmove(pcm, pcm + first, (end - first) * sizeof *pcm);
  return end - first;
}

/* "de_DE.UTF-8" -> "de-de" in out (at most outlen bytes). */
static void rb_tts_normalize(const char *lang, char *out, size_t outlen) {
  size_t i = 0;
  for (; lang[i] && lang[i] != '.' && lang[i] != '@' && i + 1 < outlen; i++)
    out[i] = lang[i] == '_' ? '-' : (char)tolower((unsigned char)lang[i]);
  out[i] = '\0';
}

/* The best espeak-ng voice for a language tag, skipping MBROLA voices
 * (their data is a separate package) and variants; NULL if none. */
static char *rb_tts_voice_for(const char *lang) {
  espeak_VOICE spec;
  const espeak_VOICE **list;
  memset(&spec, 0, sizeof spec);
  spec.languages = lang;
  list = espeak_ListVoices(&spec);
  for (size_t i = 0; list && list[i]; i++) {
    const char *id = list[i]->identifier;
    if (id && strncmp(id, "mb/", 3) != 0 && strncmp(id, "!v/", 3) != 0)
      return rb_tts_strdup(id);
  }
  return NULL;
}

/* Finds a voice for lang: a voice name ("en", "en-US", "German"), else a
 * voice whose language is lang ("en-gb", "de_DE"), else one for its first
 * part ("de" for "de-AT"). NULL when there is none. */
static char *rb_tts_resolve(const char *lang) {
  char norm[64];
  char *voice = NULL;
  /* A name is a file under espeak-ng-data/voices: no way out of it. */
  if (lang[0] != '/' && !strstr(lang, "..") &&
      espeak_ng_SetVoiceByName(lang) == ENS_OK)
    return rb_tts_strdup(lang);
  rb_tts_normalize(lang, norm, sizeof norm);
  if (!norm[0])
    return NULL;
  voice = rb_tts_voice_for(norm);
  if (!voice && strchr(norm, '-')) {
    *strchr(norm, '-') = '\0';
    voice = rb_tts_voice_for(norm);
  }
  return voice;
}

/* Sets the voice for a request's language (cached per language); an
 * unknown language gets the default voice and one warning. */
static bool rb_tts_select(rb_tts *t, const char *lang) {
  rb_tts_voice *v = t->voices;
  if (t->cur && strcmp(t->cur, lang) == 0)
    return true;
  while (v && strcmp(v->lang, lang) != 0)
    v = v->next;
  if (!v) {
    v = calloc(1, sizeof *v);
    if (!v || !(v->lang = rb_tts_strdup(lang))) {
      free(v);
      return false;
    }
    v->voice = rb_tts_resolve(lang);
    if (!v->voice)
      rb_log_warn("tts: no espeak-ng voice for language '%s', using '%s'", lang,
                  t->default_voice);
    v->next = t->voices;
    t->voices = v;
  }
  t->cur = NULL;
  if (espeak_ng_SetVoiceByName(v->voice ? v->voice : t->default_voice) !=
      ENS_OK)
    return false;
  /* Set the rate after each voice change so it never depends on what a
   * voice file resets. */
  if (espeak_ng_SetParameter(espeakRATE, t->rate, 0) != ENS_OK)
    return false;
  t->cur = v->lang;
  return true;
}

/* Synthesizes e on the worker; fills e->pcm and e->speech. */
static bool rb_tts_synth(rb_tts *t, rb_tts_entry *e) {
  bool ok = false;
  espeak_ERROR err;
  t->buf = NULL;
  t->len = t->cap = 0;
  t->overflow = false;
  if (!rb_tts_select(t, e->lang)) {
    rb_log_error("tts: cannot set an espeak-ng voice for '%s'", e->lang);
    goto fail;
  }
  err = espeak_Synth(e->text, strlen(e->text) + 1, 0, POS_CHARACTER, 0,
                     espeakCHARS_UTF8, NULL, t);
  if (err != EE_OK || t->overflow) {
    rb_log_error("tts: espeak-ng could not speak '%.60s'%s", e->text,
                 t->overflow ? " (too long or out of memory)" : "");
    goto fail;
  }
  t->len = rb_tts_trim(t->buf, t->len, t->sample_rate);
  if (t->len) {
    int16_t *fit = realloc(t->buf, t->len * sizeof *fit);
    e->pcm = fit ? fit : t->buf; /* a failed shrink keeps the block */
    t->buf = NULL;
  }
  e->speech.pcm = e->pcm ? e->pcm : rb_tts_no_samples;
  e->speech.n = t->len;
  ok = true;
fail:
  free(t->buf);
  t->buf = NULL;
  return ok;
}

/* espeak-ng's error with the file it concerns, into t->err. */
static void rb_tts_espeak_error(rb_tts *t, espeak_ng_STATUS st,
                                espeak_ng_ERROR_CONTEXT ctx) {
  char *msg = NULL;
  size_t len = 0;
  const char *path = NULL;
  FILE *f = open_memstream(&msg, &len);
  if (f) {
    espeak_ng_PrintStatusCodeMessage(st, f, ctx);
    fclose(f);
  }
  while (msg && len && (msg[len - 1] == '\n' || msg[len - 1] == '.'))
    msg[--len] = '\0';
  espeak_Info(&path);
  if (msg && *msg)
    snprintf(t->err, sizeof t->err, "espeak-ng: %s (data: %s)", msg,
             path ? path : "?");
  else {
    char m[128];
    espeak_ng_GetStatusCodeMessage(st, m, sizeof m);
    snprintf(t->err, sizeof t->err, "espeak-ng: %s (data: %s)", m,
             path ? path : "?");
  }
  free(msg);
}

static bool rb_tts_espeak_start(rb_tts *t) {
  bool ready;
  espeak_ng_STATUS st;
  espeak_ng_ERROR_CONTEXT ctx = NULL;
  pthread_mutex_lock(&rb_tts_global.mu);
  ready = rb_tts_global.espeak_ready;
  pthread_mutex_unlock(&rb_tts_global.mu);
  if (!ready) {
    /* ESPEAK_DATA_PATH, else the packaged data. Note: espeak-ng sets
     * LC_CTYPE to C.UTF-8 for the whole process here. */
    espeak_ng_InitializePath(NULL);
    st = espeak_ng_Initialize(&ctx);
    if (st != ENS_OK) {
      rb_tts_espeak_error(t, st, ctx);
      espeak_ng_ClearErrorContext(&ctx);
      return false;
    }
    st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
    if (st != ENS_OK) {
      rb_tts_espeak_error(t, st, NULL);
      return false;
    }
    pthread_mutex_lock(&rb_tts_global.mu);
    rb_tts_global.espeak_ready = true;
    pthread_mutex_unlock(&rb_tts_global.mu);
  }
  espeak_SetSynthCallback(rb_tts_on_samples);
  t->sample_rate = espeak_ng_GetSampleRate();
  if (t->sample_rate <= 0) {
    snprintf(t->err, sizeof t->err, "espeak-ng: no sample rate");
    return false;
  }
  t->max_len = (size_t)t->sample_rate * RB_TTS_MAX_SECONDS;
  t->default_voice = rb_tts_resolve(t->voice_opt);
  if (!t->default_voice && strcmp(t->voice_opt, "en") != 0) {
    rb_log_warn("tts: no espeak-ng voice '%s', using 'en'", t->voice_opt);
    t->default_voice = rb_tts_resolve("en");
  }
  if (!t->default_voice || !rb_tts_select(t, t->voice_opt)) {
    snprintf(t->err, sizeof t->err,
             "espeak-ng: no voice '%s' nor 'en' (is espeak-ng-data complete?)",
             t->voice_opt);
    return false;
  }
  return true;
}

static void *rb_tts_worker(void *arg) {
  rb_tts *t = arg;
  bool ok = rb_tts_espeak_start(t);
  pthread_mutex_lock(&t->mu);
  t->started = ok ? 1 : -1;
  pthread_cond_broadcast(&t->done);
  while (ok) {
    rb_tts_entry *e;
    void (*notify)(void *);
    void *ud;
    while (!t->stop && !t->qhead)
      pthread_cond_wait(&t->work, &t->mu);
    if (t->stop)
      break;
    e = t->qhead;
    rb_tts_unqueue(t, e);
    e->state = RB_TTS_WORKING;
    pthread_mutex_unlock(&t->mu);
    ok = rb_tts_synth(t, e);
    pthread_mutex_lock(&t->mu);
    e->state = ok ? RB_TTS_DONE : RB_TTS_FAILED;
    t->n_bytes += e->speech.n * sizeof(int16_t);
    pthread_cond_broadcast(&t->done);
    notify = t->notify;
    ud = t->notify_ud;
    pthread_mutex_unlock(&t->mu);
    /* Outside the lock: the callback may call rb_tts_take. */
    if (notify)
      notify(ud);
    ok = true;
    pthread_mutex_lock(&t->mu);
  }
  /* Stopping: what is still queued will never be spoken. */
  while (t->qhead) {
    rb_tts_entry *e = t->qhead;
    rb_tts_unqueue(t, e);
    e->state = RB_TTS_FAILED;
  }
  pthread_cond_broadcast(&t->done);
  pthread_mutex_unlock(&t->mu);
  return NULL;
}

/* ---- public ---- */

static void rb_tts_destroy(rb_tts *t) {
  for (size_t i = 0; i < RB_TTS_BUCKETS; i++) {
    rb_tts_entry *e = t->buckets[i];
    while (e) {
      rb_tts_entry *next = e->hnext;
      rb_tts_entry_free(e);
      e = next;
    }
  }
  while (t->voices) {
    rb_tts_voice *v = t->voices;
    t->voices = v->next;
    free(v->lang);
    free(v->voice);
    free(v);
  }
  pthread_cond_destroy(&t->done);
  pthread_cond_destroy(&t->work);
  pthread_mutex_destroy(&t->mu);
  free(t->default_voice);
  free(t->voice_opt);
  free(t);
}

/* An rb_tts with its lock and conditions, or NULL. */
static rb_tts *rb_tts_alloc(void) {
  rb_tts *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  if (pthread_mutex_init(&t->mu, NULL) != 0)
    goto fail;
  if (pthread_cond_init(&t->work, NULL) != 0)
    goto fail_mu;
  if (pthread_cond_init(&t->done, NULL) != 0)
    goto fail_work;
  return t;
fail_work:
  pthread_cond_destroy(&t->work);
fail_mu:
  pthread_mutex_destroy(&t->mu);
fail:
  free(t);
  return NULL;
}

rb_tts *rb_tts_new(const rb_tts_opts *opts, char *err, size_t errlen) {
  rb_tts *t = NULL;
  bool claimed;
  const char *voice = opts && opts->voice && *opts->voice ? opts->voice : "en";
  int rate = opts && opts->rate > 0 ? opts->rate : RB_TTS_DEFAULT_RATE;
  char why[256] = "tts: out of memory";

  pthread_mutex_lock(&rb_tts_global.mu);
  claimed = !rb_tts_global.live;
  rb_tts_global.live = true;
  pthread_mutex_unlock(&rb_tts_global.mu);
  if (!claimed) {
    snprintf(why, sizeof why,
             "tts: one speech engine per process (espeak-ng has global "
             "state); free the other first");
    goto fail;
  }
  t = rb_tts_alloc();
  if (!t)
    goto fail;
  t->rate = rate < RB_TTS_MIN_RATE   ? RB_TTS_MIN_RATE
            : rate > RB_TTS_MAX_RATE ? RB_TTS_MAX_RATE
                                     : rate;
  t->voice_opt = rb_tts_strdup(voice);
  if (!t->voice_opt)
    goto fail;
  if (pthread_create(&t->thread, NULL, rb_tts_worker, t) != 0) {
    snprintf(why, sizeof why, "tts: cannot start the speech thread");
    goto fail;
  }
  /* espeak-ng starts on the worker, the only thread that calls it. */
  pthread_mutex_lock(&t->mu);
  while (t->started == 0)
    pthread_cond_wait(&t->done, &t->mu);
  pthread_mutex_unlock(&t->mu);
  if (t->started < 0) {
    pthread_join(t->thread, NULL);
    snprintf(why, sizeof why, "%s", t->err);
    goto fail;
  }
  return t;

fail:
  if (t)
    rb_tts_destroy(t);
  if (claimed) {
    pthread_mutex_lock(&rb_tts_global.mu);
    rb_tts_global.live = false;
    pthread_mutex_unlock(&rb_tts_global.mu);
  }
  if (err && errlen)
    snprintf(err, errlen, "%s", why);
  return NULL;
}

void rb_tts_free(rb_tts *t) {
  if (!t)
    return;
  pthread_mutex_lock(&t->mu);
  t->stop = true;
  pthread_cond_signal(&t->work);
  pthread_mutex_unlock(&t->mu);
  pthread_join(t->thread, NULL);
  rb_tts_destroy(t);
  pthread_mutex_lock(&rb_tts_global.mu);
  rb_tts_global.live = false;
  pthread_mutex_unlock(&rb_tts_global.mu);
}

int rb_tts_sample_rate(const rb_tts *t) { return t ? t->sample_rate : 0; }

void rb_tts_set_notify(rb_tts *t, void (*notify)(void *ud), void *ud) {
  if (!t)
    return;
  pthread_mutex_lock(&t->mu);
  t->notify = notify;
  t->notify_ud = ud;
  pthread_mutex_unlock(&t->mu);
}

void rb_tts_prepare(rb_tts *t, const char *text, const char *lang) {
  const char *key;
  unsigned h;
  if (!t || !text)
    return;
  key = rb_tts_key_lang(t, lang);
  h = rb_tts_hash(key, text);
  pthread_mutex_lock(&t->mu);
  if (!rb_tts_find(t, key, text, h)) {
    rb_tts_entry *e = rb_tts_add(t, key, text, h);
    if (e)
      rb_tts_enqueue(t, e, false);
  }
  pthread_mutex_unlock(&t->mu);
}

const rb_speech *rb_tts_take(rb_tts *t, const char *text, const char *lang) {
  const rb_speech *s = NULL;
  const rb_tts_entry *e;
  const char *key;
  unsigned h;
  if (!t || !text)
    return NULL;
  key = rb_tts_key_lang(t, lang);
  h = rb_tts_hash(key, text);
  pthread_mutex_lock(&t->mu);
  e = rb_tts_find(t, key, text, h);
  if (e && e->state == RB_TTS_DONE)
    s = &e->speech;
  pthread_mutex_unlock(&t->mu);
  return s;
}

bool rb_tts_pending(rb_tts *t, const char *text, const char *lang) {
  bool pending = false;
  const rb_tts_entry *e;
  const char *key;
  unsigned h;
  if (!t || !text)
    return false;
  key = rb_tts_key_lang(t, lang);
  h = rb_tts_hash(key, text);
  pthread_mutex_lock(&t->mu);
  e = rb_tts_find(t, key, text, h);
  pending = e && (e->state == RB_TTS_QUEUED || e->state == RB_TTS_WORKING);
  pthread_mutex_unlock(&t->mu);
  return pending;
}

const rb_speech *rb_tts_speak_now(rb_tts *t, const char *text,
                                  const char *lang) {
  const rb_speech *s = NULL;
  rb_tts_entry *e;
  const char *key;
  unsigned h;
  if (!t || !text)
    return NULL;
  key = rb_tts_key_lang(t, lang);
  h = rb_tts_hash(key, text);
  pthread_mutex_lock(&t->mu);
  e = rb_tts_find(t, key, text, h);
  if ((!e || e->state == RB_TTS_QUEUED || e->state == RB_TTS_WORKING) &&
      pthread_equal(pthread_self(), t->thread)) {
    /* From the notify callback: waiting for ourselves would hang. */
    rb_log_error("tts: rb_tts_speak_now called on the speech thread");
    goto out;
  }
  if (!e) {
    e = rb_tts_add(t, key, text, h);
    if (!e)
      goto out;
    rb_tts_enqueue(t, e, true); /* someone waits: before prepared ones */
  } else if (e->state == RB_TTS_QUEUED) {
    rb_tts_unqueue(t, e);
    rb_tts_enqueue(t, e, true);
  }
  e->waiters++;
  while (e->state == RB_TTS_QUEUED || e->state == RB_TTS_WORKING)
    pthread_cond_wait(&t->done, &t->mu);
  e->waiters--;
  if (e->state == RB_TTS_DONE)
    s = &e->speech;
out:
  pthread_mutex_unlock(&t->mu);
  return s;
}

void rb_tts_forget(rb_tts *t) {
  if (!t)
    return;
  pthread_mutex_lock(&t->mu);
  for (size_t i = 0; i < RB_TTS_BUCKETS; i++) {
    rb_tts_entry **link = &t->buckets[i];
    while (*link) {
      rb_tts_entry *e = *link;
      if ((e->state == RB_TTS_DONE || e->state == RB_TTS_FAILED) &&
          e->waiters == 0) {
        *link = e->hnext;
        t->n_entries--;
        t->n_bytes -= e->speech.n * sizeof(int16_t);
        rb_tts_entry_free(e);
      } else {
        link = &e->hnext;
      }
    }
  }
  t->full_warned = false;
  pthread_mutex_unlock(&t->mu);
}
