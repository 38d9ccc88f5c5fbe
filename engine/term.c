#include "term.h"

#include "catalog.h"
#include "input.h"
#include "log.h"
#include "session.h"
#include "timeline.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct {
  rb_session *s;
  rb_clock *clock;
  bool raw; /* stdin is a terminal in non-canonical mode */
  struct termios saved;
  char typed[32]; /* digits typed for an answer */
  size_t ntyped;
  char lines[4096]; /* without a terminal: lines not yet used */
  size_t nlines;
  rb_view last; /* what was printed last, to print only changes */
  int last_second;
  bool eof;
} term;

static void print_view(term *t) {
  const rb_view *v = rb_session_view(t->s);
  rb_ms now = rb_clock_now(t->clock);
  bool changed = v->kind != t->last.kind || v->rep != t->last.rep ||
                 v->set != t->last.set || v->paused != t->last.paused ||
                 strcmp(v->title, t->last.title) != 0 ||
                 strcmp(v->caption, t->last.caption) != 0 ||
                 strcmp(v->question, t->last.question) != 0 ||
                 v->phase_start != t->last.phase_start;
  int left = v->phase_end == RB_MS_NEVER
                 ? -1
                 : (int)((v->phase_end - now + 999) / 1000);
  const char *side = strcmp(v->side, "left") == 0    ? "  [LEFT SIDE]"
                     : strcmp(v->side, "right") == 0 ? "  [RIGHT SIDE]"
                                                     : "";
  if (changed) {
    if (strcmp(v->caption, t->last.caption) != 0 && v->caption[0])
      printf("\n  \"%s\"\n", v->caption);
    switch (v->kind) {
    case RB_VIEW_INFO:
      printf("\n== %s%s\n   %s\n", v->title, side, v->text);
      if (v->waiting_next)
        printf("   %s  [Enter when ready]\n",
               v->prompt[0] ? v->prompt : "Ready?");
      break;
    case RB_VIEW_COUNTDOWN:
      printf("\nGet ready...\n");
      break;
    case RB_VIEW_HOLD:
      printf("\n>> HOLD %d of %d%s  %s  [Space pause, Enter skip, s stop]\n",
             v->rep, v->reps, side, v->title);
      break;
    case RB_VIEW_REPS:
      printf("\n>> %s%s: %d reps, set %d of %d  %s\n", v->title, side, v->reps,
             v->set, v->sets, v->self_paced ? "[Enter after each one]" : "");
      break;
    case RB_VIEW_REST:
      printf("\n.. Rest.  Next: %s\n", v->next[0] ? v->next : "-");
      break;
    case RB_VIEW_ASK:
      printf("\n?? %s\n", v->question);
      for (int i = 0; i < v->nchoices; i++)
        printf("   %d) %s\n", i + 1, v->choices[i]);
      printf("   [number and Enter]\n");
      break;
    case RB_VIEW_SCALE:
      printf("\n?? %s  (%g = none ... %g = worst)  [number and Enter]\n",
             v->question, v->min, v->max);
      break;
    case RB_VIEW_MEASURE:
      printf("\n?? %s%s in %s (%g to %g)  [number and Enter]\n", v->question,
             side, v->unit, v->min, v->max);
      break;
    case RB_VIEW_RESULT:
      printf("\n== %s\n", v->assess_title);
      for (int i = 0; i < v->nrows; i++) {
        const rb_result_row *r = &v->rows[i];
        if (r->per_side)
          printf("   %s: left %s, right %s %s\n", r->label, r->text_left,
                 r->text_right, r->unit);
        else
          printf("   %s: %s %s\n", r->label, r->text, r->unit);
      }
      printf("   %s\n   [Enter]\n", v->summary);
      break;
    default:
      break;
    }
    if (v->paused)
      printf("   PAUSED - Space to continue\n");
    t->last = *v;
    t->last_second = -1;
  }
  if (left >= 0 && !v->paused && left != t->last_second &&
      (v->kind == RB_VIEW_HOLD || v->kind == RB_VIEW_REST ||
       v->kind == RB_VIEW_COUNTDOWN || v->kind == RB_VIEW_REPS)) {
    if (v->kind == RB_VIEW_REPS && !v->self_paced)
      printf("\r   %-5s rep %d  %3d s ",
             v->tempo_phase == RB_TEMPO_UP     ? "UP"
             : v->tempo_phase == RB_TEMPO_HOLD ? "HOLD"
                                               : "DOWN",
             v->rep + 1, left);
    else if (v->kind != RB_VIEW_REPS)
      printf("\r   %3d s ", left);
    fflush(stdout);
    t->last_second = left;
  }
  fflush(stdout);
}

/* Turns one key (or line, without a terminal) into an action. */
static bool key_action(term *t, int ch, rb_action *a) {
  const rb_view *v = rb_session_view(t->s);
  bool question = v->kind == RB_VIEW_ASK || v->kind == RB_VIEW_SCALE ||
                  v->kind == RB_VIEW_MEASURE;
  *a = (rb_action){0};
  if ((ch >= '0' && ch <= '9') || ch == '.') {
    if (t->ntyped + 1 < sizeof t->typed)
      t->typed[t->ntyped++] = (char)ch;
    if (t->raw) {
      putchar(ch);
      fflush(stdout);
    }
    return false;
  }
  if (ch == '\n' || ch == '\r') {
    if (question && t->ntyped) {
      t->typed[t->ntyped] = '\0';
      a->kind = RB_ACTION_ANSWER;
      snprintf(a->value, sizeof a->value, "%s", t->typed);
      t->ntyped = 0;
      return true;
    }
    a->kind = RB_ACTION_NEXT;
    return true;
  }
  t->ntyped = 0;
  switch (ch) {
  case ' ':
  case 'p':
    a->kind = RB_ACTION_PRIMARY;
    return true;
  case 's':
  case 27: /* Escape */
    a->kind = RB_ACTION_STOP;
    return true;
  case 'b':
  case 127:
    a->kind = RB_ACTION_BACK;
    return true;
  case 'q':
    a->kind = RB_ACTION_QUIT;
    return true;
  default:
    return false;
  }
}

/* Without a terminal each line is one answer or key, given where the
 * routine next waits for the patient: "" next, a number answers, "s"
 * stops, "p" pauses. Returns false when no whole line is buffered. */
static bool line_action(term *t, rb_action *a) {
  char *nl = memchr(t->lines, '\n', t->nlines), line[64];
  size_t len;
  if (!nl)
    return false;
  len = (size_t)(nl - t->lines);
  snprintf(line, sizeof line, "%.*s", (int)(len < 63 ? len : 63), t->lines);
  memmove(t->lines, nl + 1, t->nlines - len - 1);
  t->nlines -= len + 1;
  *a = (rb_action){0};
  if (line[0] == '\0' || strcmp(line, "next") == 0)
    a->kind = RB_ACTION_NEXT;
  else if (strcmp(line, "s") == 0 || strcmp(line, "stop") == 0)
    a->kind = RB_ACTION_STOP;
  else if (strcmp(line, "p") == 0 || strcmp(line, "pause") == 0)
    a->kind = RB_ACTION_PRIMARY;
  else if (strcmp(line, "b") == 0 || strcmp(line, "back") == 0)
    a->kind = RB_ACTION_BACK;
  else {
    a->kind = RB_ACTION_ANSWER;
    snprintf(a->value, sizeof a->value, "%s", line);
  }
  return true;
}

static void raw_mode(term *t) {
  struct termios tio;
  if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t->saved) != 0)
    return;
  tio = t->saved;
  tio.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
    t->raw = true;
}

static void restore_mode(term *t) {
  if (t->raw)
    tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
}

/* Reads one line from stdin without stdio's buffer, which would swallow
 * the lines meant for the routine when input comes from a pipe. */
static bool read_line(char *buf, size_t n) {
  size_t len = 0;
  char ch;
  ssize_t got;
  while ((got = read(STDIN_FILENO, &ch, 1)) == 1 && ch != '\n')
    if (len + 1 < n)
      buf[len++] = ch;
  buf[len] = '\0';
  return got == 1 || len > 0;
}

/* Lets the user pick a routine by number; returns false to quit. */
static bool choose(const rb_catalog *cat, char *path, size_t n) {
  char line[64];
  int count = rb_catalog_count(cat);
  if (count == 0) {
    fprintf(stderr, "rebalance: no routines in %s\n%s", rb_catalog_dir(cat),
            rb_catalog_problems(cat));
    return false;
  }
  printf("Routines:\n");
  for (int i = 0; i < count; i++) {
    const rb_meta *m = rb_catalog_meta(cat, i);
    printf("  %d) %s  (about %.0f min)\n", i + 1, m->title,
           rb_catalog_minutes(cat, i) < 1 ? 1 : rb_catalog_minutes(cat, i));
  }
  for (;;) {
    long k;
    char *end;
    printf("Which one? [1-%d, q to quit] ", count);
    fflush(stdout);
    if (!read_line(line, sizeof line) || line[0] == 'q')
      return false;
    k = strtol(line, &end, 10);
    if (end != line && k >= 1 && k <= count) {
      snprintf(path, n, "%s", rb_catalog_meta(cat, (int)k - 1)->path);
      return true;
    }
  }
}

int rb_term_run(const rb_app_opts *opts) {
  term t = {.last_second = -1};
  rb_catalog *cat = rb_catalog_load(opts->routines_dir, opts->plugins);
  rb_timeline *tl = NULL;
  rb_session_opts so = {.answers = opts->answers,
                        .nanswers = opts->nanswers,
                        .preview = true,
                        .plugins = opts->plugins,
                        .seed = (unsigned)getpid()};
  char path[RB_TEXT_MAX], err[RB_ERROR_MAX];
  int code = 1;
  if (!cat)
    return 1;
  if (opts->routine) {
    if (!rb_catalog_resolve(cat, opts->routine, path, sizeof path)) {
      fprintf(stderr, "rebalance: --routine %s: no such routine\n",
              opts->routine);
      goto done;
    }
  } else if (!choose(cat, path, sizeof path)) {
    code = 0;
    goto done;
  }
  tl = rb_timeline_open(opts->timeline, err, sizeof err);
  t.clock = rb_clock_new(opts->virtual_clock);
  if (!tl || !t.clock)
    goto done;
  t.s = rb_session_new(path, t.clock, tl, &so);
  if (!t.s)
    goto done;
  printf("Keys: Enter = next / ready, Space = pause, s = stop (it hurts), "
         "q = quit\n");
  raw_mode(&t);
  rb_session_start(t.s);
  while (!rb_session_ended(t.s)) {
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    rb_ms now, due;
    int timeout, ready;
    while (rb_session_autoplay(t.s))
      ;
    print_view(&t);
    if (rb_session_ended(t.s))
      break;
    now = rb_clock_raw(t.clock);
    due = rb_session_deadline(t.s);
    /* wake each second to update the countdown */
    timeout = due == RB_MS_NEVER ? (t.eof ? -1 : 1000)
              : due <= now       ? 0
              : due - now > 250  ? 250
                                 : (int)(due - now);
    if (t.eof && due == RB_MS_NEVER && !memchr(t.lines, '\n', t.nlines)) {
      rb_session_abort(t.s, "the input ended while the routine waits");
      break;
    }
    if (rb_clock_is_virtual(t.clock) && due != RB_MS_NEVER) {
      rb_clock_set(t.clock, due);
      timeout = 0;
    }
    if (t.eof) {
      /* nothing more to read: just wait for the next timer */
      if (timeout > 0)
        usleep((useconds_t)timeout * 1000);
      ready = 0;
    } else {
      ready = poll(&pfd, 1, timeout);
    }
    if (ready > 0) {
      char buf[64];
      ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
      if (got <= 0)
        t.eof = true;
      for (ssize_t i = 0; i < got && t.raw; i++) {
        rb_action a;
        if (!key_action(&t, buf[i], &a))
          continue;
        if (a.kind == RB_ACTION_QUIT)
          a.kind = RB_ACTION_STOP;
        rb_session_act(t.s, &a);
      }
      if (got > 0 && !t.raw) {
        size_t n = (size_t)got;
        if (n > sizeof t.lines - t.nlines)
          n = sizeof t.lines - t.nlines;
        memcpy(t.lines + t.nlines, buf, n);
        t.nlines += n;
      }
    }
    if (t.eof && t.nlines && !memchr(t.lines, '\n', t.nlines) &&
        t.nlines < sizeof t.lines)
      t.lines[t.nlines++] = '\n'; /* a last line without its newline */
    if (!t.raw && rb_session_waiting(t.s)) {
      rb_action a;
      if (line_action(&t, &a))
        rb_session_act(t.s, &a);
    }
    rb_session_tick(t.s);
  }
  restore_mode(&t);
  {
    const rb_view *v = rb_session_view(t.s);
    printf("\n\n%s after %d min %02d s.\n",
           v->status == RB_END_COMPLETED ? "Well done! Finished"
           : v->status == RB_END_STOPPED ? "Stopped"
                                         : "The routine ended with an error",
           (int)v->duration_s / 60, (int)v->duration_s % 60);
    if (v->status == RB_END_ERROR)
      printf("%s\nPlease tell your therapist.\n", v->error);
    for (int i = 0; i < v->nrecords; i++)
      printf("  %s: %s\n", v->record_keys[i], v->record_values[i]);
    code = v->status == RB_END_ERROR ? 1 : v->status == RB_END_STOPPED ? 2 : 0;
  }
done:
  rb_session_free(t.s);
  rb_clock_free(t.clock);
  rb_timeline_close(tl);
  rb_catalog_free(cat);
  return code;
}
