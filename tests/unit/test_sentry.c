/* sentry: the stop from outside. Routine code held past its budget is
 * found lost, naming FILE:LINE, and a short run is not; SIGTERM asks the
 * stop (for this thread only) and, still held, ends in lost() saying it
 * came by the signal; the handlers go back when it stops, and a signal
 * somebody ignored stays ignored. Nothing here times the machine: the
 * waits only stop a test that hangs. */
#include "../tap.h"
#include "sentry.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  atomic_int lost_at; /* 1 once lost() ran */
  bool by_signal;
  atomic_int signalled_sig; /* the signal signalled() was given */
  char where[600], why[600];
} seen;

static int on_line(void *ud) {
  (void)ud;
  return 7;
}

static void on_lost(void *ud, const rb_sentry_loss *loss) {
  seen *s = ud;
  snprintf(s->where, sizeof s->where, "%s", loss->where);
  snprintf(s->why, sizeof s->why, "%s", loss->why);
  s->by_signal = loss->by_signal;
  atomic_store(&s->lost_at, 1);
}

static void on_signalled(void *ud, int sig) {
  seen *s = ud;
  atomic_store(&s->signalled_sig, sig);
}

/* Waits (up to a minute: only a hang takes that long) for *flag. */
static bool wait_for(atomic_int *flag) {
  for (int i = 0; i < 6000 && !atomic_load(flag); i++)
    usleep(10000);
  return atomic_load(flag) != 0;
}

static void *other_thread(void *arg) {
  (void)arg;
  rb_sentry_enter(&(rb_sentry_watch){.file = "elsewhere.lua", .budget_ms = 1});
  usleep(1000);
  rb_sentry_leave();
  return (void *)(long)rb_sentry_stop_asked();
}

/* The list of files that held the coach: a file on it as it is now, not
 * once it changed. */
static void test_remember(void) {
  char dir[] = "/tmp/rb-sentry-XXXXXX", list[128], file[128], other[128];
  FILE *f;
  if (!mkdtemp(dir)) {
    ok(0, "a temporary folder");
    return;
  }
  snprintf(list, sizeof list, "%s/held-routines", dir);
  snprintf(file, sizeof file, "%s/held.lua", dir);
  snprintf(other, sizeof other, "%s/fine.lua", dir);
  f = fopen(file, "w");
  fputs("return routine {}\n", f);
  fclose(f);
  f = fopen(other, "w");
  fputs("return routine {}\n", f);
  fclose(f);
  ok(!rb_sentry_remembered(list, file), "remember: nothing on a missing list");
  ok(rb_sentry_remember(list, file), "remember: a file goes on the list");
  ok(rb_sentry_remembered(list, file), "remember: and is on it");
  ok(!rb_sentry_remembered(list, other), "remember: another file is not");
  ok(!rb_sentry_remember(list, "/nonexistent/x.lua"),
     "remember: a file that is not there is not listed");
  f = fopen(file, "a");
  fputs("-- fixed\n", f);
  fclose(f);
  ok(!rb_sentry_remembered(list, file),
     "remember: saved again (changed), it is off the list");
  ok(!rb_sentry_remember(NULL, file) && !rb_sentry_remembered(NULL, file),
     "remember: no list, nothing remembered");
  unlink(list);
  unlink(file);
  unlink(other);
  rmdir(dir);
}

int main(void) {
  seen s;
  rb_sentry *sn;
  struct sigaction before, after, ign = {.sa_handler = SIG_IGN}, was;
  memset(&s, 0, sizeof s);

  sigaction(SIGTERM, NULL, &before);
  /* SIGINT ignored by whoever started us stays ignored */
  sigemptyset(&ign.sa_mask);
  sigaction(SIGINT, &ign, &was);
  sn = rb_sentry_start(&(rb_sentry_opts){.lost_ms = 200,
                                         .ud = &s,
                                         .signalled = on_signalled,
                                         .lost = on_lost,
                                         .exit_on_lost = false});
  ok(sn != NULL, "the sentry starts");
  {
    struct sigaction now;
    sigaction(SIGINT, NULL, &now);
    ok(now.sa_handler == SIG_IGN, "an ignored SIGINT is left ignored");
    sigaction(SIGTERM, NULL, &now);
    ok(now.sa_handler != SIG_DFL, "SIGTERM is taken");
  }

  /* short runs are left alone */
  rb_sentry_enter(&(rb_sentry_watch){
      .file = "quick.lua", .budget_ms = 60000, .ud = &s, .line = on_line});
  rb_sentry_leave();
  ok(atomic_load(&s.lost_at) == 0, "a run within its budget is not lost");

  /* held: lost */
  rb_sentry_enter(&(rb_sentry_watch){
      .file = "held.lua", .budget_ms = 100, .ud = &s, .line = on_line});
  ok(wait_for(&s.lost_at), "held past the budget: found lost");
  rb_sentry_leave();
  is_str(s.where, "held.lua:7", "lost names FILE:LINE");
  like(s.why, "held the coach", "and says what happened");
  like(s.why, "stopped from outside", "and what was done");
  ok(!s.by_signal, "by time, not by a signal");

  /* SIGTERM while routine code runs: the stop asked, then lost */
  memset(&s, 0, sizeof s);
  rb_sentry_enter(&(rb_sentry_watch){
      .file = "busy.lua", .budget_ms = 60000, .ud = &s, .line = on_line});
  ok(!rb_sentry_stop_asked(), "no stop asked before a signal");
  raise(SIGTERM);
  ok(wait_for(&s.signalled_sig), "SIGTERM: signalled() runs");
  is_int(atomic_load(&s.signalled_sig), SIGTERM, "with the signal");
  ok(rb_sentry_stop_asked(), "the stop is asked (the hook ends the routine)");
  {
    pthread_t t;
    void *asked = (void *)1;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, &asked);
    ok(asked == NULL, "another thread has no sentry: nothing asked there");
  }
  ok(wait_for(&s.lost_at), "still held after the signal: lost");
  like(s.why, "asked to stop", "lost says it was asked to stop");
  ok(s.by_signal, "and that it came by the signal");
  rb_sentry_leave();

  rb_sentry_stop(sn);
  sigaction(SIGTERM, NULL, &after);
  ok(after.sa_handler == before.sa_handler,
     "stopped: SIGTERM's handler is the one before");
  ok(!rb_sentry_stop_asked(), "stopped: nothing is watched any more");
  sigaction(SIGINT, &was, NULL);
  rb_sentry_stop(NULL);
  test_remember();
  return tap_done();
}
