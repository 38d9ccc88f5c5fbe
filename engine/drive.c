#include "drive.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define STOPPED_DURING "the program was stopped during the routine"

void rb_drive(rb_session *s, rb_clock *clock, const rb_drive_host *h) {
  for (;;) {
    rb_session *cur = h->session ? h->session(h->ud) : s;
    rb_ms wake = h->deadline ? h->deadline(h->ud) : RB_MS_NEVER;
    if (cur) {
      bool moved = false;
      while (rb_session_autoplay(cur))
        moved = true;
      if (rb_session_deadline(cur) <= rb_clock_raw(clock)) {
        rb_session_tick(cur);
        moved = true;
        while (rb_session_autoplay(cur)) /* where the step led */
          ;
      }
      if (moved && h->moved)
        h->moved(h->ud);
      if (rb_session_deadline(cur) < wake)
        wake = rb_session_deadline(cur);
      /* the host may have a sooner deadline now */
      if (moved && h->deadline && h->deadline(h->ud) < wake)
        wake = h->deadline(h->ud);
    }
    if (h->done ? h->done(h->ud) : !cur || rb_session_ended(cur))
      break;
    if (!h->wait(h->ud, wake))
      break;
  }
  s = h->session ? h->session(h->ud) : s;
  if (s && !rb_session_ended(s))
    rb_session_abort(s, STOPPED_DURING);
}

bool rb_drive_idle(rb_clock *clock, rb_ms until) {
  if (until == RB_MS_NEVER || !rb_clock_is_virtual(clock))
    return false;
  if (until > rb_clock_raw(clock))
    rb_clock_set(clock, until);
  return true;
}

int rb_drive_exit_code(rb_end_status st) {
  return st == RB_END_ERROR ? 1 : st == RB_END_STOPPED ? 2 : 0;
}

/* simulate's host: time jumps to each deadline; a routine that waits for
 * nothing cannot happen with the autopilot, but never spins if it does */
typedef struct {
  rb_session *s;
  rb_clock *clock;
  struct timespec t0;
  int max_ms; /* real time the run may take; 0: any */
  const char *path;
} sim;

static bool sim_wait(void *ud, rb_ms until) {
  sim *m = ud;
  if (m->max_ms > 0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if ((now.tv_sec - m->t0.tv_sec) * 1000 +
            (now.tv_nsec - m->t0.tv_nsec) / 1000000 >
        m->max_ms) {
      char msg[RB_TEXT_MAX + 128];
      snprintf(msg, sizeof msg,
               "%s: its dry run took more than %d s of real time: give the "
               "routine its `minutes`",
               m->path, m->max_ms / 1000);
      rb_session_abort(m->s, msg);
      return false;
    }
  }
  if (rb_drive_idle(m->clock, until))
    return true;
  rb_session_abort(m->s, "simulate: the routine waits for nothing");
  return false;
}

rb_end_status rb_drive_simulate(const char *path, const rb_session_opts *opts,
                                double *duration_s, char *err, size_t errlen) {
  rb_session_opts o = opts ? *opts : (rb_session_opts){0};
  sim m = {.clock = rb_clock_new(true),
           .max_ms = opts ? opts->dry_run_ms : 0,
           .path = path};
  rb_end_status st = RB_END_ERROR;
  snprintf(err, errlen, "out of memory");
  *duration_s = 0;
  if (!m.clock)
    goto done;
  o.autopilot = true;
  clock_gettime(CLOCK_MONOTONIC, &m.t0);
  m.s = rb_session_new(path, m.clock, &o);
  if (!m.s)
    goto done;
  rb_session_start(m.s);
  rb_drive(m.s, m.clock, &(rb_drive_host){.ud = &m, .wait = sim_wait});
  st = rb_session_status(m.s);
  *duration_s = rb_session_view(m.s)->ended.duration_s;
  snprintf(err, errlen, "%s", rb_session_view(m.s)->ended.error);
  if (st != RB_END_ERROR && rb_session_unused_answer(m.s) >= 0) {
    /* a typo in a key must not pass for a default answer */
    const char *a = o.answers[rb_session_unused_answer(m.s)];
    const char *eq = strchr(a, '=');
    snprintf(err, errlen,
             "--answer %s: no question of this run has the key \"%.*s\" (a "
             "key is a question's text, a measurement's name, pain_before, "
             "or ID.FIELD.SIDE of an assessment)",
             a, eq ? (int)(eq - a) : (int)strlen(a), a);
    st = RB_END_ERROR;
  }
done:
  rb_session_free(m.s);
  rb_clock_free(m.clock);
  return st;
}
