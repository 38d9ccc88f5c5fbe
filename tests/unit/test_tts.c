/* tts: espeak-ng synthesis, its cache, worker, languages and failures. */
#include "tap.h"
#include "tts.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { CACHE_FILL = 2100 }; /* more than the cache's 2048 texts */

static atomic_int notified;
static atomic_bool notified_on_main;
static pthread_t main_thread;

static void on_notify(void *ud) {
  (void)ud;
  if (pthread_equal(pthread_self(), main_thread))
    atomic_store(&notified_on_main, true);
  atomic_fetch_add(&notified, 1);
}

/* Calls speak_now from the notify callback once: it must refuse. */
static rb_tts *reentry_tts;
static atomic_int reentry_state; /* 0 armed, 1 returned NULL, 2 returned */
static void on_notify_reentry(void *ud) {
  (void)ud;
  if (atomic_load(&reentry_state) == 0)
    atomic_store(&reentry_state,
                 rb_tts_speak_now(reentry_tts, "Never", NULL) ? 2 : 1);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static double rms(const rb_speech *s) {
  double sum = 0;
  for (size_t i = 0; i < s->n; i++)
    sum += (double)s->pcm[i] * s->pcm[i];
  return s->n ? sqrt(sum / (double)s->n) : 0;
}

/* Milliseconds before the first sample above 1 % of full scale. */
static double lead_ms(const rb_speech *s, int rate) {
  size_t i = 0;
  while (i < s->n && abs(s->pcm[i]) <= 328)
    i++;
  return i * 1000.0 / rate;
}

/* Lengths within 15 %: espeak-ng varies by a few samples from call to
 * call, and by more after a voice switch. */
static bool near(size_t a, size_t b) {
  return a * 100 <= b * 115 && b * 100 <= a * 115;
}

/* Polls take until the speech is ready, at most 5 s. */
static const rb_speech *wait_take(rb_tts *t, const char *text,
                                  const char *lang) {
  const rb_speech *s = NULL;
  for (int i = 0; i < 500 && !s; i++) {
    s = rb_tts_take(t, text, lang);
    if (!s)
      sleep_ms(10);
  }
  return s;
}

/* Speech length in samples of text at a rate, each in its own rb_tts. */
static size_t length_at_rate(int rate, const char *text) {
  rb_tts_opts o = {"en", rate};
  char err[256] = "";
  size_t n = 0;
  rb_tts *t = rb_tts_new(&o, err, sizeof err);
  const rb_speech *s = t ? rb_tts_speak_now(t, text, NULL) : NULL;
  if (!t)
    printf("# %s\n", err);
  if (s)
    n = s->n;
  rb_tts_free(t);
  return n;
}

static void test_missing_data(void) {
  /* espeak-ng takes ESPEAK_DATA_PATH when it holds an espeak-ng-data
   * directory: an empty one is data that is missing. This must come before
   * the first successful start, which the process keeps. */
  char dir[] = "/tmp/rb_tts_XXXXXX", sub[64], err[256] = "";
  const char *old = getenv("ESPEAK_DATA_PATH");
  char *saved = old ? strdup(old) : NULL;
  rb_tts *t;
  ok(mkdtemp(dir) != NULL, "temp dir for missing data");
  snprintf(sub, sizeof sub, "%s/espeak-ng-data", dir);
  ok(mkdir(sub, 0700) == 0, "empty espeak-ng-data");
  setenv("ESPEAK_DATA_PATH", dir, 1);
  t = rb_tts_new(NULL, err, sizeof err);
  ok(t == NULL, "no data: rb_tts_new fails");
  like(err, "espeak-ng", "with a reason: %s", err);
  like(err, dir, "that names where it looked");
  rb_tts_free(t);
  if (saved)
    setenv("ESPEAK_DATA_PATH", saved, 1);
  else
    unsetenv("ESPEAK_DATA_PATH");
  free(saved);
  rmdir(sub);
  rmdir(dir);
}

int main(void) {
  const char *sentence = "Lift your arm to shoulder height, keep breathing "
                         "and relax your neck while you hold.";
  char err[256] = "";
  rb_tts *t, *t2;
  const rb_speech *s, *s2, *de, *de2, *xx, *longer, *e;
  rb_tts_opts opts = {NULL, 0};
  int rate;
  double t0, cold, cached;
  int before;
  size_t slow, fast;

  main_thread = pthread_self();
  test_missing_data();

  t = rb_tts_new(&opts, err, sizeof err);
  ok(t != NULL, "rb_tts_new with defaults (%s)", t ? "ok" : err);
  if (!t)
    return tap_done();
  rate = rb_tts_sample_rate(t);
  is_int(rate, 22050, "sample rate from espeak-ng");

  err[0] = '\0';
  t2 = rb_tts_new(&opts, err, sizeof err);
  ok(t2 == NULL, "a second rb_tts while one exists is refused");
  like(err, "one speech engine per process", "with a clear reason: %s", err);
  rb_tts_free(t2);

  /* A plausible "Halfway". */
  t0 = now_ms();
  s = rb_tts_speak_now(t, "Halfway", NULL);
  cold = now_ms() - t0;
  ok(s != NULL, "speak_now(\"Halfway\")");
  if (!s)
    return tap_done();
  ok(s->n > (size_t)rate / 5 && s->n < (size_t)rate * 2,
     "Halfway lasts between 0.2 and 2 s (%.3f s)", (double)s->n / rate);
  ok(rms(s) > 1000, "and is not silent (RMS %.0f)", rms(s));
  ok(lead_ms(s, rate) < 60, "and starts promptly (%.1f ms of silence)",
     lead_ms(s, rate));
  t0 = now_ms();
  s2 = rb_tts_speak_now(t, "Halfway", NULL);
  cached = now_ms() - t0;
  ok(s2 == s, "speak_now again: the cached speech");
  printf("# \"Halfway\": %.3f s of speech, cold %.2f ms, cached %.3f ms\n",
         (double)s->n / rate, cold, cached);
  ok(rb_tts_speak_now(t, "Halfway", "en") == s,
     "lang NULL is the options' voice (\"en\")");

  t0 = now_ms();
  longer = rb_tts_speak_now(t, sentence, NULL);
  cold = now_ms() - t0;
  t0 = now_ms();
  s2 = rb_tts_speak_now(t, sentence, NULL);
  cached = now_ms() - t0;
  ok(longer && longer->n > s->n * 3, "a 15-word sentence is much longer");
  ok(s2 == longer, "and cached");
  if (longer)
    printf("# 15 words: %.3f s of speech, cold %.2f ms, cached %.3f ms\n",
           (double)longer->n / rate, cold, cached);

  /* Languages. */
  t0 = now_ms();
  de = rb_tts_speak_now(t, "Halbzeit", "de");
  cold = now_ms() - t0;
  ok(de != NULL, "German \"Halbzeit\"");
  if (de) {
    ok(de->n > (size_t)rate / 5 && de->n < (size_t)rate * 2 && rms(de) > 1000,
       "plausible (%.3f s, RMS %.0f)", (double)de->n / rate, rms(de));
    printf("# \"Halbzeit\" (de, voice switch): %.3f s, cold %.2f ms\n",
           (double)de->n / rate, cold);
  }
  de2 = rb_tts_speak_now(t, "Halbzeit", "de-DE");
  ok(de && de2 && de2 != de && near(de2->n, de->n),
     "\"de-DE\" is a separate entry spoken by the German voice");
  s2 = rb_tts_speak_now(t, "Halbzeit", "en");
  ok(de && s2 && s2 != de, "the same text in English is another entry");
  xx = rb_tts_speak_now(t, "Halfway", "xx");
  ok(xx && near(xx->n, s->n) && rms(xx) > 1000,
     "an unknown language falls back to the default voice and speaks");
  ok(rb_tts_speak_now(t, "Halfway", "xx") == xx, "once (cached)");
  ok(rb_tts_speak_now(t, "Rest", "../../etc") != NULL,
     "a language that looks like a path falls back too");

  /* Empty text. */
  e = rb_tts_speak_now(t, "", NULL);
  ok(e && e->n == 0 && e->pcm, "empty text: empty speech, not NULL");
  e = rb_tts_speak_now(t, "   ", NULL);
  ok(e && e->n == 0, "blank text: empty speech");
  ok(rb_tts_speak_now(t, NULL, NULL) == NULL, "NULL text: NULL");

  /* prepare, take, notify. */
  rb_tts_set_notify(t, on_notify, NULL);
  before = atomic_load(&notified);
  rb_tts_prepare(t, "Switch sides", NULL);
  rb_tts_prepare(t, "Switch sides", NULL); /* queued once */
  rb_tts_prepare(t, "Get ready", NULL);
  s = wait_take(t, "Switch sides", NULL);
  ok(s != NULL, "prepare, then take returns the speech");
  ok(s && rb_tts_speak_now(t, "Switch sides", NULL) == s,
     "the pointer speak_now returns later (cached)");
  ok(wait_take(t, "Get ready", NULL) != NULL, "the next prepared text too");
  is_int(atomic_load(&notified) - before, 2,
         "notify once per finished request (duplicates not queued)");
  ok(!atomic_load(&notified_on_main), "notify runs on the worker thread");
  rb_tts_prepare(t, "Get ready", NULL);
  sleep_ms(50);
  is_int(atomic_load(&notified) - before, 2, "a cached text is not queued");
  ok(rb_tts_take(t, "Never prepared", NULL) == NULL,
     "take of an unknown text: NULL at once");

  /* speak_now goes ahead of prepared texts. */
  for (int i = 0; i < 8; i++) {
    char text[64];
    snprintf(text, sizeof text, "Repetition %d of eight", i + 1);
    rb_tts_prepare(t, text, NULL);
  }
  ok(rb_tts_speak_now(t, "Now", NULL) != NULL,
     "speak_now while prepared texts wait");
  ok(wait_take(t, "Repetition 8 of eight", NULL) != NULL,
     "the prepared texts still come");

  reentry_tts = t;
  rb_tts_set_notify(t, on_notify_reentry, NULL);
  rb_tts_prepare(t, "Reentry", NULL);
  for (int i = 0; i < 500 && atomic_load(&reentry_state) == 0; i++)
    sleep_ms(10);
  is_int(atomic_load(&reentry_state), 1,
         "speak_now from the notify callback refuses (NULL) instead of "
         "hanging");
  rb_tts_set_notify(t, NULL, NULL);

  /* pending */
  rb_tts_prepare(t, sentence, "de");
  ok(rb_tts_pending(t, sentence, "de") || rb_tts_take(t, sentence, "de"),
     "pending after prepare (or already done)");
  ok(wait_take(t, sentence, "de") && !rb_tts_pending(t, sentence, "de"),
     "not pending once ready");
  ok(!rb_tts_pending(t, "Never prepared", NULL), "nor when never prepared");

  /* A full cache refuses new texts and says so through pending. */
  for (int i = 0; i < CACHE_FILL; i++) {
    char text[32];
    snprintf(text, sizeof text, "%d", i);
    rb_tts_prepare(t, text, NULL);
  }
  {
    int refused = 0, waited = 0;
    char text[32];
    for (int i = 0; i < CACHE_FILL; i++) {
      snprintf(text, sizeof text, "%d", i);
      while (rb_tts_pending(t, text, NULL) && waited++ < 3000)
        sleep_ms(10);
      if (!rb_tts_take(t, text, NULL))
        refused++;
    }
    ok(refused > 0 && refused < CACHE_FILL,
       "a full cache refuses new texts (%d of %d)", refused, CACHE_FILL);
    snprintf(text, sizeof text, "%d", CACHE_FILL - 1);
    ok(!rb_tts_pending(t, text, NULL) && !rb_tts_take(t, text, NULL),
       "a refused text is neither pending nor ready");
    ok(rb_tts_speak_now(t, "One more", NULL) == NULL,
       "speak_now of a new text: NULL when full");
    ok(rb_tts_speak_now(t, "Halfway", NULL) != NULL, "cached texts still come");
  }

  /* forget */
  rb_tts_forget(t);
  ok(rb_tts_take(t, "Switch sides", NULL) == NULL, "forget empties the cache");
  s = rb_tts_speak_now(t, "Switch sides", NULL);
  ok(s && s->n > 0, "and speech works after it");

  rb_tts_free(t);

  /* Rate: one rb_tts at a time. */
  slow = length_at_rate(80, sentence);
  fast = length_at_rate(250, sentence);
  ok(slow > 0 && fast > 0 && slow > fast * 2,
     "rate 80 speaks more slowly than 250 (%.2f s vs %.2f s)",
     (double)slow / rate, (double)fast / rate);
  ok(length_at_rate(140, "Halfway") > 0, "a new rb_tts after a free works");
  return tap_done();
}
