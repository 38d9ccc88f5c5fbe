#include "term.h"

#include "catalog.h"
#include "drive.h"
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

static const char *tempo_name(rb_tempo_phase p) {
  return p == RB_TEMPO_UP ? "UP" : p == RB_TEMPO_HOLD ? "HOLD" : "DOWN";
}

static void print_result(const rb_view *v) {
  printf("\n== %s\n", v->title);
  for (int i = 0; i < v->result.nrows; i++) {
    const rb_result_row *r = &v->result.rows[i];
    if (r->per_side)
      printf("   %s: left %s, right %s %s\n", r->label, r->text_left,
             r->text_right, r->unit);
    else
      printf("   %s: %s %s\n", r->label, r->text, r->unit);
  }
  printf("   %s\n   [Enter]\n", v->result.summary);
}

static void print_question(const rb_view *v, const char *side) {
  const rb_question *q = &v->question.q;
  switch (v->kind) {
  case RB_VIEW_ASK:
    printf("\n?? %s%s\n", q->text, side);
    for (int i = 0; i < q->nchoices; i++)
      printf("   %d) %s\n", i + 1, q->choices[i]);
    printf("   [number and Enter]\n");
    break;
  case RB_VIEW_SCALE:
    printf("\n?? %s  (%g = none ... %g = worst)  [number and Enter]\n", q->text,
           q->min, q->max);
    break;
  default:
    printf("\n?? %s%s in %s (%g to %g)  [number and Enter]\n", q->text, side,
           q->unit, q->min, q->max);
    break;
  }
}

/* Prints what changed since the last call: a new step, a new caption, the
 * seconds left of a timer. */
static void print_view(term *t) {
  const rb_view *v = rb_session_view(t->s);
  const rb_view *l = &t->last;
  rb_ms now = rb_clock_now(t->clock);
  int rep = v->kind == RB_VIEW_HOLD ? v->hold.rep : 0;
  int set = v->kind == RB_VIEW_REPS ? v->reps.set : 0;
  bool changed = v->kind != l->kind || v->paused != l->paused ||
                 rep != (l->kind == RB_VIEW_HOLD ? l->hold.rep : 0) ||
                 set != (l->kind == RB_VIEW_REPS ? l->reps.set : 0) ||
                 strcmp(v->title, l->title) != 0 ||
                 strcmp(v->caption, l->caption) != 0 ||
                 (rb_view_is_question(v) && rb_view_is_question(l) &&
                  strcmp(v->question.q.text, l->question.q.text) != 0) ||
                 v->phase_start != l->phase_start;
  int left = v->phase_end == RB_MS_NEVER
                 ? -1
                 : (int)((v->phase_end - now + 999) / 1000);
  /* a question asked for one side names it; else what show{} set */
  const char *sv = rb_view_is_question(v) ? v->question.q.side
                   : v->kind == RB_VIEW_INFO && v->info.side[0] ? v->info.side
                                                                : v->side;
  const char *side = strcmp(sv, "left") == 0    ? "  [LEFT SIDE]"
                     : strcmp(sv, "right") == 0 ? "  [RIGHT SIDE]"
                                                : "";
  if (changed) {
    if (strcmp(v->caption, l->caption) != 0 && v->caption[0])
      printf("\n  \"%s\"\n", v->caption);
    switch (v->kind) {
    case RB_VIEW_INFO:
      printf("\n== %s%s\n   %s\n", v->title, side, v->text);
      if (v->info.waiting)
        printf("   %s  [Enter when ready]\n",
               v->info.prompt[0] ? v->info.prompt : "Ready?");
      break;
    case RB_VIEW_COUNTDOWN:
      printf("\nGet ready...\n");
      break;
    case RB_VIEW_HOLD:
      printf("\n>> HOLD %d of %d%s  %s  [Space pause, Enter skip, s stop]\n",
             v->hold.rep, v->hold.reps, side, v->title);
      break;
    case RB_VIEW_REPS:
      printf("\n>> %s%s: %d reps, set %d of %d  %s\n", v->title, side,
             v->reps.count, v->reps.set, v->reps.sets,
             v->reps.self_paced ? "[Enter after each one]" : "");
      break;
    case RB_VIEW_REST:
      printf("\n.. Rest.  Next: %s\n", v->next[0] ? v->next : "-");
      break;
    case RB_VIEW_ASK:
    case RB_VIEW_SCALE:
    case RB_VIEW_MEASURE:
      print_question(v, side);
      break;
    case RB_VIEW_RESULT:
      print_result(v);
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
    if (v->kind == RB_VIEW_REPS && !v->reps.self_paced)
      printf("\r   %-5s rep %d  %3d s ", tempo_name(v->reps.tempo),
             v->reps.done + 1, left);
    else if (v->kind != RB_VIEW_REPS)
      printf("\r   %3d s ", left);
    t->last_second = left;
  }
  fflush(stdout);
}

/* Turns one key (or line, without a terminal) into an action. */
static bool key_action(term *t, int ch, rb_action *a) {
  bool question = rb_view_is_question(rb_session_view(t->s));
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

/* Without a terminal, lines wait in t->lines; is a whole one there? */
static bool has_line(const term *t) {
  return memchr(t->lines, '\n', t->nlines) != NULL;
}

/* Reads what stdin has: keys act at once, lines wait for their turn. */
static void read_input(term *t) {
  char buf[64];
  ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
  if (got <= 0)
    t->eof = true;
  for (ssize_t i = 0; i < got && t->raw; i++) {
    rb_action a;
    if (!key_action(t, buf[i], &a))
      continue;
    if (a.kind == RB_ACTION_QUIT)
      a.kind = RB_ACTION_STOP;
    rb_session_act(t->s, &a);
  }
  if (got > 0 && !t->raw) {
    size_t n = (size_t)got;
    if (n > sizeof t->lines - t->nlines)
      n = sizeof t->lines - t->nlines;
    memcpy(t->lines + t->nlines, buf, n);
    t->nlines += n;
  }
  if (t->eof && t->nlines && !has_line(t) && t->nlines < sizeof t->lines)
    t->lines[t->nlines++] = '\n'; /* a last line without its newline */
}

/* The drive loop's wait: prints what changed, then waits for a key or
 * line, waking each quarter second to count the seconds down. */
static bool term_wait(void *ud, rb_ms until) {
  term *t = ud;
  rb_ms now = rb_clock_raw(t->clock);
  int timeout;
  rb_action a;
  print_view(t);
  if (t->eof && until == RB_MS_NEVER && !has_line(t)) {
    rb_session_abort(t->s, "the input ended while the routine waits");
    return false;
  }
  if (rb_drive_idle(t->clock, until))
    timeout = 0;
  else
    timeout = until == RB_MS_NEVER ? (t->eof ? -1 : 1000)
              : until <= now       ? 0
              : until - now > 250  ? 250
                                   : (int)(until - now);
  if (t->eof) {
    if (timeout > 0) /* nothing more to read: wait for the next timer */
      usleep((useconds_t)timeout * 1000);
  } else {
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    if (poll(&pfd, 1, timeout) > 0)
      read_input(t);
  }
  if (!t->raw && rb_session_waiting(t->s) && line_action(t, &a))
    rb_session_act(t->s, &a);
  return true;
}

static void print_end(const rb_view *v) {
  const rb_view_ended *e = &v->ended;
  printf("\n\n%s after %d min %02d s.\n",
         e->status == RB_END_COMPLETED ? "Well done! Finished"
         : e->status == RB_END_STOPPED ? "Stopped"
                                       : "The routine ended with an error",
         (int)e->duration_s / 60, (int)e->duration_s % 60);
  if (e->status == RB_END_ERROR)
    printf("%s\nPlease tell your therapist.\n", e->error);
  for (int i = 0; i < e->nrecords; i++)
    printf("  %s: %s\n", e->record_keys[i], e->record_values[i]);
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
  if (opts->timeline) {
    tl = rb_timeline_open(opts->timeline, err, sizeof err);
    if (!tl) {
      fprintf(stderr, "rebalance: --timeline: %s\n", err);
      goto done;
    }
    so.sinks[so.nsinks++] = rb_timeline_sink(tl);
  }
  t.clock = rb_clock_new(opts->virtual_clock);
  if (!t.clock)
    goto done;
  t.s = rb_session_new(path, t.clock, &so);
  if (!t.s)
    goto done;
  printf("Keys: Enter = next / ready, Space = pause, s = stop (it hurts), "
         "q = quit\n");
  raw_mode(&t);
  rb_session_start(t.s);
  rb_drive(t.s, t.clock, &(rb_drive_host){.ud = &t, .wait = term_wait});
  restore_mode(&t);
  print_view(&t);
  print_end(rb_session_view(t.s));
  code = rb_drive_exit_code(rb_session_status(t.s));
done:
  rb_session_free(t.s);
  rb_clock_free(t.clock);
  rb_timeline_close(tl);
  rb_catalog_free(cat);
  return code;
}
