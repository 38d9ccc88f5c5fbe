/* sentry: the stop from outside (sentry.h).
 *
 * The thread sleeps in poll() on a pipe: the signal handler writes the
 * signal's number to it (write() is async-signal-safe), rb_sentry_stop a
 * zero. Between wake-ups it looks every TICK_MS at what the watched
 * thread is running and since when, behind a mutex that enter and leave
 * take for a moment. It never touches the routine's Lua state: nothing
 * of Lua's may be called from another thread (lua_sethook only from a
 * signal handler on the thread itself); the count hook, which counts the
 * time spent in C calls, stops a call that comes back. */
#define _GNU_SOURCE /* pipe2 */
#include "sentry.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 50
#define LOST_MS_DEFAULT 2000
/* after SIGTERM or SIGINT: held this long more, the thread is lost */
#define SIGNAL_MS 1000
#define FILE_MAX 512
#define WHY_MAX 512

struct rb_sentry {
  rb_sentry_opts o;
  pthread_t thread;
  int pipe[2];
  struct sigaction old_term, old_int;
  bool took_term, took_int;
  atomic_bool stop_asked;
  atomic_bool lost; /* given up: the process is ending */

  pthread_mutex_t mu;  /* guards what follows */
  bool in;             /* routine code runs on the watched thread */
  long long since;     /* ms: when it started */
  long long signal_at; /* ms: the first signal, 0 when none */
  rb_sentry_watch w;
  char file[FILE_MAX];
};

/* The signal handler's only way to the sentry: globals, as signals have
 * no user data. signal_fd is -1 when no sentry runs; in_handler counts
 * handlers between reading it and writing, so rb_sentry_stop closes the
 * pipe only once none can write to it (or to a file given its number). */
static atomic_int signal_fd = -1;
static atomic_int in_handler;
/* The watched thread's sentry: lua_host finds it without being handed
 * one through every caller that loads a routine. */
static _Thread_local rb_sentry *here;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_signal(int sig) {
  int saved = errno, fd;
  unsigned char b = (unsigned char)sig;
  atomic_fetch_add(&in_handler, 1);
  fd = atomic_load(&signal_fd);
  if (fd >= 0 && write(fd, &b, 1) < 0) {
    /* the pipe is full: a signal is pending there already */
  }
  atomic_fetch_sub(&in_handler, 1);
  errno = saved;
}

static void took_signal(rb_sentry *s, int sig) {
  atomic_store(&s->stop_asked, true);
  pthread_mutex_lock(&s->mu);
  if (!s->signal_at)
    s->signal_at = now_ms();
  pthread_mutex_unlock(&s->mu);
  if (s->o.signalled)
    s->o.signalled(s->o.ud, sig);
}

/* Looks at the watched thread; true when it was found lost (the caller
 * ends the thread, or the process). */
static bool look(rb_sentry *s) {
  char file[FILE_MAX], where[FILE_MAX + 16], why[WHY_MAX];
  long long now = now_ms(), held;
  bool lost = false, by_signal = false;
  pthread_mutex_lock(&s->mu);
  if (s->in && !atomic_load(&s->lost)) {
    held = now - s->since;
    if (held > s->w.budget_ms + s->o.lost_ms) {
      lost = true;
      snprintf(why, sizeof why,
               "the routine held the coach %.1f s inside a library call or "
               "a host function, out of its budget's reach: stopped from "
               "outside, the coach starts again",
               (double)held / 1000.0);
    } else if (s->signal_at &&
               now - (s->signal_at > s->since ? s->signal_at : s->since) >
                   SIGNAL_MS) {
      lost = by_signal = true;
      snprintf(why, sizeof why,
               "the routine held the coach inside a library call or a host "
               "function when it was asked to stop: stopped from outside");
    }
    if (lost) {
      int line = s->w.line ? s->w.line(s->w.ud) : 0;
      /* copies: the thread may come back and enter another file */
      snprintf(file, sizeof file, "%s", s->file);
      if (line > 0)
        snprintf(where, sizeof where, "%s:%d", s->file, line);
      else
        snprintf(where, sizeof where, "%s", s->file);
      atomic_store(&s->lost, true);
    }
  }
  pthread_mutex_unlock(&s->mu);
  if (!lost)
    return false;
  /* should lost() itself be held (a sink's file blocked), SIGALRM's
   * default action ends the process all the same */
  if (s->o.exit_on_lost)
    alarm(5);
  if (s->o.lost)
    s->o.lost(s->o.ud, &(rb_sentry_loss){.file = file,
                                         .where = where,
                                         .why = why,
                                         .by_signal = by_signal});
  if (s->o.exit_on_lost)
    _exit(RB_SENTRY_EXIT);
  return true;
}

static void *run(void *arg) {
  rb_sentry *s = arg;
  for (;;) {
    struct pollfd pfd = {.fd = s->pipe[0], .events = POLLIN};
    int rc = poll(&pfd, 1, TICK_MS);
    if (rc > 0) {
      unsigned char b[16];
      ssize_t n = read(s->pipe[0], b, sizeof b);
      for (ssize_t i = 0; i < n; i++) {
        if (b[i] == 0)
          return NULL; /* rb_sentry_stop */
        took_signal(s, b[i]);
      }
    }
    look(s);
  }
}

/* Takes sig when nobody has (SIG_DFL), as SDL does: a signal ignored by
 * whoever started us (nohup, a script's background job) stays ignored. */
static bool take(int sig, struct sigaction *old) {
  struct sigaction sa;
  if (sigaction(sig, NULL, old) != 0 || old->sa_handler != SIG_DFL)
    return false;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* as SDL's handler: a blocked call sees EINTR */
  return sigaction(sig, &sa, NULL) == 0;
}

rb_sentry *rb_sentry_start(const rb_sentry_opts *o) {
  rb_sentry *s = calloc(1, sizeof *s);
  int err;
  if (!s)
    return NULL;
  s->pipe[0] = s->pipe[1] = -1;
  if (o)
    s->o = *o;
  if (s->o.lost_ms <= 0)
    s->o.lost_ms = LOST_MS_DEFAULT;
  atomic_init(&s->stop_asked, false);
  atomic_init(&s->lost, false);
  if (pipe2(s->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
    goto fail;
  if ((err = pthread_mutex_init(&s->mu, NULL)) != 0) {
    errno = err;
    goto fail;
  }
  if ((err = pthread_create(&s->thread, NULL, run, s)) != 0) {
    pthread_mutex_destroy(&s->mu);
    errno = err;
    goto fail;
  }
  atomic_store(&signal_fd, s->pipe[1]);
  s->took_term = take(SIGTERM, &s->old_term);
  s->took_int = take(SIGINT, &s->old_int);
  here = s;
  return s;
fail:
  err = errno;
  if (s->pipe[0] >= 0)
    close(s->pipe[0]);
  if (s->pipe[1] >= 0)
    close(s->pipe[1]);
  free(s);
  errno = err;
  return NULL;
}

void rb_sentry_stop(rb_sentry *s) {
  unsigned char zero = 0;
  if (!s)
    return;
  if (s->took_term)
    sigaction(SIGTERM, &s->old_term, NULL);
  if (s->took_int)
    sigaction(SIGINT, &s->old_int, NULL);
  atomic_store(&signal_fd, -1);
  while (atomic_load(&in_handler) > 0)
    sched_yield(); /* a handler that read the old number writes now */
  /* the pipe is non-blocking: wait for room should it be full */
  while (write(s->pipe[1], &zero, 1) < 0 && errno == EAGAIN)
    usleep(1000);
  pthread_join(s->thread, NULL);
  if (here == s)
    here = NULL;
  pthread_mutex_destroy(&s->mu);
  close(s->pipe[0]);
  close(s->pipe[1]);
  free(s);
}

void rb_sentry_pass(void) {
  rb_sentry *s = here;
  if (s && s->o.exit_on_lost && atomic_load(&s->lost))
    for (;;)
      pause(); /* the sentry writes the end and ends the process */
}

void rb_sentry_enter(const rb_sentry_watch *w) {
  rb_sentry *s = here;
  if (!s || !w)
    return;
  rb_sentry_pass();
  pthread_mutex_lock(&s->mu);
  s->w = *w;
  snprintf(s->file, sizeof s->file, "%s", w->file ? w->file : "");
  s->w.file = s->file;
  s->in = true;
  s->since = now_ms();
  if (!s->o.exit_on_lost)
    atomic_store(&s->lost, false); /* tests: watched again */
  pthread_mutex_unlock(&s->mu);
}

void rb_sentry_leave(void) {
  rb_sentry *s = here;
  if (!s)
    return;
  pthread_mutex_lock(&s->mu);
  s->in = false;
  s->w = (rb_sentry_watch){0};
  pthread_mutex_unlock(&s->mu);
  rb_sentry_pass();
}

bool rb_sentry_stop_asked(void) {
  rb_sentry *s = here;
  return s && atomic_load(&s->stop_asked);
}

/* One line of the list: "SIZE MTIME_SEC MTIME_NSEC PATH". */
static int list_line(const char *file, char *out, size_t n) {
  struct stat st;
  if (stat(file, &st) != 0)
    return -1;
  return snprintf(out, n, "%lld %lld %ld %s\n", (long long)st.st_size,
                  (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec, file);
}

bool rb_sentry_remember(const char *list, const char *file) {
  char line[FILE_MAX + 64];
  int n, fd;
  bool ok;
  if (!list || !*list || !file || !*file)
    return false;
  n = list_line(file, line, sizeof line);
  if (n <= 0 || (size_t)n >= sizeof line)
    return false;
  fd = open(list, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return false;
  ok = write(fd, line, (size_t)n) == n;
  close(fd);
  return ok;
}

bool rb_sentry_remembered(const char *list, const char *file) {
  char want[FILE_MAX + 64], got[FILE_MAX + 64];
  bool found = false;
  FILE *f;
  if (!list || !*list || !file || list_line(file, want, sizeof want) <= 0)
    return false;
  f = fopen(list, "r");
  if (!f)
    return false;
  while (!found && fgets(got, sizeof got, f))
    found = strcmp(got, want) == 0;
  fclose(f);
  return found;
}
