#include "term.h"

#include "answers.h"
#include "catalog.h"
#include "drive.h"
#include "log.h"
#include "outcome.h"
#include "phrases.h"
#include "session.h"
#include "sound.h"
#include "store.h"
#include "timeline.h"

#include <SDL.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define WIDTH_DEFAULT 80

typedef struct {
  rb_session *s;
  rb_clock *clock;
  rb_sound *sound; /* the voice, when a sound device (or --audio-out) is */
  bool raw;        /* stdin is a terminal in non-canonical mode */
  struct termios saved;
  char typed[32]; /* what was typed for the question on show */
  size_t ntyped;
  char lines[4096]; /* without a terminal: lines not yet used */
  size_t nlines;
  rb_view last; /* what was printed last, to print only changes */
  int last_second;
  bool counting; /* a "\r 12 s" line is open */
  bool eof;
  int width;     /* columns to wrap at */
  bool tty;      /* stdout is a terminal (the seconds count down in place) */
  bool after_cr; /* the last key was '\r' */
  long long patient; /* who exercises (0: nobody kept) */
  rb_store_reader reader;
  bool interrupted; /* Ctrl-C, SIGTERM or SIGHUP came */
} term;

/* Set by the signal handler: the one thing a handler may do. */
static volatile sig_atomic_t g_signalled;

static void on_signal(int sig) {
  (void)sig;
  g_signalled = 1;
}

/* Ctrl-C, SIGTERM and SIGHUP end the routine (as stopped by the program)
 * and leave the terminal as it was. */
static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* --- printing ---------------------------------------------------------- */

static int columns(void) {
  struct winsize ws;
  const char *env = getenv("COLUMNS");
  int w = 0;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
    w = ws.ws_col;
  else if (env)
    w = atoi(env);
  if (w < 20 || w > 500)
    w = WIDTH_DEFAULT;
  return w;
}

/* Characters (UTF-8 code points) in s[0..n). */
static int chars(const char *s, size_t n) {
  int k = 0;
  for (size_t i = 0; i < n; i++)
    k += ((unsigned char)s[i] & 0xc0) != 0x80;
  return k;
}

/* Ends an open countdown line before anything else is printed. */
static void end_count(term *t) {
  if (t->counting)
    putchar('\n');
  t->counting = false;
}

/* Prints text after `lead` (its first line) wrapped at the terminal's
 * width, later lines indented as far as lead; words are never broken (a
 * word longer than a line stands alone on its line). '\n' starts a new
 * line. */
static void put(term *t, const char *lead, const char *text) {
  int indent = chars(lead, strlen(lead)), col;
  const char *p = text;
  end_count(t);
  fputs(lead, stdout);
  col = indent;
  while (*p) {
    size_t sp = strspn(p, " "), wl;
    if (*p == '\n') {
      printf("\n%*s", indent, "");
      col = indent;
      p++;
      continue;
    }
    p += sp;
    wl = strcspn(p, " \n");
    if (wl == 0)
      continue;
    if (col > indent && col + 1 + chars(p, wl) > t->width - 1) {
      printf("\n%*s", indent, "");
      col = indent;
    } else if (col > indent) {
      putchar(' ');
      col++;
    }
    fwrite(p, 1, wl, stdout);
    col += chars(p, wl);
    p += wl;
  }
  putchar('\n');
}

static const char *lang_of(const rb_view *v) {
  return v->meta && v->meta->language[0] ? v->meta->language : NULL;
}

static const char *side_tag(const char *side) {
  return strcmp(side, "left") == 0    ? "  [LEFT SIDE]"
         : strcmp(side, "right") == 0 ? "  [RIGHT SIDE]"
                                      : "";
}

/* What to type for a question, and its range. */
static void prompt_for(const rb_view *v, char *out, size_t n) {
  const rb_question *q = &v->question.q;
  switch (v->kind) {
  case RB_VIEW_ASK:
    snprintf(out, n,
             "Type a number from 1 to %d and press Enter:", q->nchoices);
    break;
  case RB_VIEW_SCALE:
    snprintf(out, n,
             "Type a whole number from %g to %g and press Enter:", q->min,
             q->max);
    break;
  default:
    snprintf(out, n, "Type a number from %g to %g%s%s and press Enter:", q->min,
             q->max, q->unit[0] ? " " : "", q->unit);
    break;
  }
}

static void print_prompt(term *t, const rb_view *v) {
  char p[160];
  prompt_for(v, p, sizeof p);
  put(t, "   ", p);
  if (t->raw) {
    fputs("   > ", stdout);
    t->counting = true; /* the typed answer stays on this line */
  }
}

static void print_question(term *t, const rb_view *v) {
  const rb_question *q = &v->question.q;
  char head[RB_TEXT_MAX + 64];
  const char *lang = lang_of(v);
  snprintf(head, sizeof head, "%s%s", q->text[0] ? q->text : "?",
           side_tag(q->side));
  putchar('\n');
  put(t, "?? ", head);
  if (v->kind == RB_VIEW_ASK) {
    for (int i = 0; i < q->nchoices; i++) {
      char lead[16];
      snprintf(lead, sizeof lead, "   %d) ", i + 1);
      put(t, lead, q->choices[i]);
    }
  } else if (v->kind == RB_VIEW_SCALE && q->min == 0 && q->max == 10) {
    char a[64], b[64], line[160];
    rb_phrase_format(lang, RB_PHRASE_NO_PAIN, a, sizeof a, 0);
    rb_phrase_format(lang, RB_PHRASE_WORST_PAIN, b, sizeof b, 10);
    snprintf(line, sizeof line, "%s ... %s", a, b);
    put(t, "   ", line);
  }
  print_prompt(t, v);
}

static void print_result(term *t, const rb_view *v) {
  putchar('\n');
  put(t, "== ", v->title);
  for (int i = 0; i < v->result.nrows; i++) {
    const rb_result_row *r = &v->result.rows[i];
    char line[RB_TEXT_MAX * 2];
    if (r->per_side)
      snprintf(line, sizeof line, "%s: left %s, right %s%s%s", r->label,
               r->text_left, r->text_right, r->unit[0] ? " " : "", r->unit);
    else
      snprintf(line, sizeof line, "%s: %s%s%s", r->label, r->text,
               r->unit[0] ? " " : "", r->unit);
    put(t, " - ", line);
  }
  for (int i = 0; i < v->result.nflags; i++)
    put(t, " ! ", v->result.flags[i].words);
  if (v->result.summary[0])
    put(t, "   ", v->result.summary);
  put(t, "   ", "[Enter]");
}

/* Said before each timed exercise: how to stop. */
static void print_safety(term *t) {
  put(t, "   ",
      t->raw ? "If it hurts, press s to stop."
             : "If it hurts, type s to stop.");
}

static bool view_changed(const rb_view *v, const rb_view *l) {
  int rep = v->kind == RB_VIEW_HOLD ? v->hold.rep : 0;
  int set = v->kind == RB_VIEW_REPS ? v->reps.set : 0;
  return v->kind != l->kind || v->paused != l->paused ||
         rep != (l->kind == RB_VIEW_HOLD ? l->hold.rep : 0) ||
         set != (l->kind == RB_VIEW_REPS ? l->reps.set : 0) ||
         strcmp(v->title, l->title) != 0 ||
         strcmp(v->caption, l->caption) != 0 ||
         (rb_view_is_question(v) && rb_view_is_question(l) &&
          (strcmp(v->question.q.text, l->question.q.text) != 0 ||
           strcmp(v->question.q.side, l->question.q.side) != 0)) ||
         v->phase_start != l->phase_start;
}

/* A question came: nothing typed before it may answer it. */
static void fresh_question(term *t) {
  char buf[64];
  t->ntyped = 0;
  if (!t->raw)
    return;
  /* keys already waiting: dropped, but for a stop */
  for (;;) {
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    ssize_t got;
    if (poll(&pfd, 1, 0) <= 0)
      return;
    got = read(STDIN_FILENO, buf, sizeof buf);
    if (got <= 0)
      return;
    for (ssize_t i = 0; i < got; i++)
      if (buf[i] == 's' || buf[i] == 'q' || (buf[i] == 27 && i + 1 == got)) {
        rb_action a = {.kind = RB_ACTION_STOP};
        rb_session_act(t->s, &a);
        return;
      }
  }
}

static void print_step(term *t, const rb_view *v) {
  const char *sv =
      v->kind == RB_VIEW_INFO && v->info.side[0] ? v->info.side : v->side;
  const char *side = side_tag(sv);
  char line[RB_TEXT_MAX + 160];
  switch (v->kind) {
  case RB_VIEW_INFO:
    snprintf(line, sizeof line, "%s%s", v->title, side);
    putchar('\n');
    put(t, "== ", line);
    if (v->text[0])
      put(t, "   ", v->text);
    if (v->info.waiting) {
      snprintf(line, sizeof line, "%s  [Enter when ready]",
               v->info.prompt[0] ? v->info.prompt : "Ready?");
      put(t, "   ", line);
    }
    break;
  case RB_VIEW_COUNTDOWN:
    putchar('\n');
    put(t, "", "Get ready...");
    break;
  case RB_VIEW_HOLD:
    snprintf(line, sizeof line, "HOLD %d of %d%s  %s", v->hold.rep,
             v->hold.reps, side, v->title);
    putchar('\n');
    put(t, ">> ", line);
    print_safety(t);
    put(t, "   ", "[Space pause, Enter skip, s stop]");
    break;
  case RB_VIEW_REPS:
    snprintf(line, sizeof line, "%s%s: %d reps, set %d of %d  %s", v->title,
             side, v->reps.count, v->reps.set, v->reps.sets,
             v->reps.self_paced ? "[Enter after each one]" : "");
    putchar('\n');
    put(t, ">> ", line);
    print_safety(t);
    break;
  case RB_VIEW_REST:
    snprintf(line, sizeof line, "Rest.  Next: %s", v->next[0] ? v->next : "-");
    putchar('\n');
    put(t, ".. ", line);
    break;
  case RB_VIEW_ASK:
  case RB_VIEW_SCALE:
  case RB_VIEW_MEASURE:
    fresh_question(t);
    print_question(t, v);
    break;
  case RB_VIEW_RESULT:
    print_result(t, v);
    break;
  default:
    break;
  }
}

/* Prints what changed since the last call: a new step, a new caption, the
 * seconds left of a timer. */
static void print_view(term *t) {
  const rb_view *v = rb_session_view(t->s);
  const rb_view *l = &t->last;
  rb_ms now = rb_clock_now(t->clock);
  int left = v->phase_end == RB_MS_NEVER
                 ? -1
                 : (int)((v->phase_end - now + 999) / 1000);
  if (view_changed(v, l)) {
    if (strcmp(v->caption, l->caption) != 0 && v->caption[0]) {
      char said[RB_TEXT_MAX + 4];
      snprintf(said, sizeof said, "\"%s\"", v->caption);
      putchar('\n');
      put(t, "  ", said);
    }
    print_step(t, v);
    if (v->paused)
      put(t, "   ", "PAUSED - Space to continue");
    t->last = *v;
    t->last_second = -1;
  }
  /* seconds tick on a terminal; a log or a pipe gets the steps only */
  if (t->tty && left >= 0 && !v->paused && left != t->last_second &&
      (v->kind == RB_VIEW_HOLD || v->kind == RB_VIEW_REST ||
       v->kind == RB_VIEW_COUNTDOWN || v->kind == RB_VIEW_REPS)) {
    if (v->kind == RB_VIEW_REPS && !v->reps.self_paced)
      printf("\r   %-5s rep %d  %3d s ",
             v->reps.tempo == RB_TEMPO_UP     ? "UP"
             : v->reps.tempo == RB_TEMPO_HOLD ? "HOLD"
                                              : "DOWN",
             v->reps.done + 1, left);
    else if (v->kind != RB_VIEW_REPS)
      printf("\r   %3d s ", left);
    t->counting = v->kind != RB_VIEW_REPS || !v->reps.self_paced;
    t->last_second = left;
  }
  fflush(stdout);
}

/* --- answers ----------------------------------------------------------- */

/* Gives typed text to the question on show when it answers it; else says
 * why not and asks again. "8,5" is 8.5 for a number. */
static void give_answer(term *t, const char *typed) {
  const rb_view *v = rb_session_view(t->s);
  char text[RB_SHORT_MAX], why[RB_SHORT_MAX + 64];
  rb_action a = {.kind = RB_ACTION_ANSWER};
  cJSON *fits;
  snprintf(text, sizeof text, "%s", typed);
  if (v->kind == RB_VIEW_ASK) {
    /* the number in the list, even when the choices are numbers too */
    char *end;
    long k = strtol(text, &end, 10);
    if (end != text && !*end && k >= 1 && k <= v->question.q.nchoices)
      snprintf(text, sizeof text, "%s", v->question.q.choices[k - 1]);
  }
  fits = rb_answer_parse(&v->question.q, text);
  if (!fits && v->kind != RB_VIEW_ASK) {
    char *comma = strchr(text, ',');
    if (comma && !strchr(text, '.') && !strchr(comma + 1, ','))
      *comma = '.';
    fits = rb_answer_parse(&v->question.q, text);
  }
  if (!fits) {
    if (text[0])
      snprintf(why, sizeof why, "\"%s\" is not one of the answers.", text);
    else
      snprintf(why, sizeof why, "Nothing was typed.");
    end_count(t);
    put(t, "   ", why);
    print_prompt(t, v);
    fflush(stdout);
    return;
  }
  cJSON_Delete(fits);
  end_count(t);
  snprintf(a.value, sizeof a.value, "%s", text);
  rb_session_act(t->s, &a);
}

/* One key on a terminal. Typing goes to a question on show; the other
 * keys act at once. */
static void key(term *t, int ch) {
  const rb_view *v = rb_session_view(t->s);
  bool question = rb_view_is_question(v);
  rb_action a = {0};
  if (question && (ch == '\n' || ch == '\r')) {
    t->typed[t->ntyped] = '\0';
    t->ntyped = 0;
    give_answer(t, t->typed);
    return;
  }
  if (question && ((ch >= '0' && ch <= '9') || ch == '.' || ch == ',' ||
                   (ch == '-' && t->ntyped == 0))) {
    if (t->ntyped + 1 < sizeof t->typed) {
      t->typed[t->ntyped++] = (char)ch;
      putchar(ch);
      fflush(stdout);
    }
    return;
  }
  if (question && (ch == 127 || ch == 8) && t->ntyped > 0) {
    t->ntyped--;
    fputs("\b \b", stdout);
    fflush(stdout);
    return;
  }
  switch (ch) {
  case '\n':
  case '\r':
    a.kind = RB_ACTION_NEXT;
    break;
  case ' ':
  case 'p':
    a.kind = RB_ACTION_PRIMARY;
    break;
  case 's':
  case 'q':
  case 27: /* Escape */
    a.kind = RB_ACTION_STOP;
    break;
  case 'b':
  case 127:
    a.kind = RB_ACTION_BACK;
    break;
  default:
    return; /* digits between questions are not kept for the next one */
  }
  rb_session_act(t->s, &a);
}

/* The first buffered line (without its '\r' and any NUL), without taking
 * it; false when no whole line is buffered. */
static bool peek_line(const term *t, char *line, size_t n, size_t *used) {
  const char *nl = memchr(t->lines, '\n', t->nlines);
  size_t len, k = 0;
  if (!nl)
    return false;
  len = (size_t)(nl - t->lines);
  for (size_t i = 0; i < len && k + 1 < n; i++)
    if (t->lines[i] != '\0' && t->lines[i] != '\r')
      line[k++] = t->lines[i];
  line[k] = '\0';
  *used = len + 1;
  return true;
}

static void drop_line(term *t, size_t used) {
  memmove(t->lines, t->lines + used, t->nlines - used);
  t->nlines -= used;
}

/* A line that acts at once, whatever the routine is doing: s (stop) and
 * p (pause) are for the middle of a hold. */
static bool urgent(const char *line, rb_action *a) {
  *a = (rb_action){0};
  if (strcmp(line, "s") == 0 || strcmp(line, "stop") == 0)
    a->kind = RB_ACTION_STOP;
  else if (strcmp(line, "p") == 0 || strcmp(line, "pause") == 0)
    a->kind = RB_ACTION_PRIMARY;
  return a->kind != RB_ACTION_NONE;
}

/* Without a terminal each line is one answer or key: s (stop) and p
 * (pause) act at once; the others wait for where the routine next waits
 * for the patient: "" next, b back, anything else answers the question
 * on show. Returns false when no line was used. */
static bool next_line(term *t) {
  char line[64];
  size_t used;
  rb_action a = {0};
  if (!peek_line(t, line, sizeof line, &used))
    return false;
  if (urgent(line, &a)) {
    drop_line(t, used);
    rb_session_act(t->s, &a);
    return true;
  }
  if (!rb_session_waiting(t->s))
    return false; /* its turn comes */
  drop_line(t, used);
  if (strcmp(line, "b") == 0 || strcmp(line, "back") == 0)
    a.kind = RB_ACTION_BACK;
  else if (rb_view_is_question(rb_session_view(t->s))) {
    put(t, "   > ", line);
    give_answer(t, line);
    return true;
  } else
    a.kind = RB_ACTION_NEXT;
  rb_session_act(t->s, &a);
  return true;
}

/* --- the terminal ------------------------------------------------------ */

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
  t->raw = false;
}

/* Reads one line from stdin without stdio's buffer, which would swallow
 * the lines meant for the routine when input comes from a pipe; lines a
 * routine left unread (a pipe) come first. */
static bool read_line(term *t, char *buf, size_t n) {
  size_t len = 0;
  char ch;
  ssize_t got = 1;
  char *nl = memchr(t->lines, '\n', t->nlines);
  if (nl) {
    size_t l = (size_t)(nl - t->lines);
    snprintf(buf, n, "%.*s", (int)(l < n ? l : n - 1), t->lines);
    memmove(t->lines, nl + 1, t->nlines - l - 1);
    t->nlines -= l + 1;
    return true;
  }
  while ((got = read(STDIN_FILENO, &ch, 1)) == 1 && ch != '\n')
    if (len + 1 < n)
      buf[len++] = ch;
  buf[len] = '\0';
  return got == 1 || len > 0;
}

/* Lets the user pick a routine by number; returns false to quit. */
static bool choose(term *t, const rb_catalog *cat, char *path, size_t n) {
  char line[64];
  int count = rb_catalog_count(cat);
  if (count == 0) {
    fprintf(stderr, "rebalance: no routines in %s\n%s", rb_catalog_dir(cat),
            rb_catalog_problems(cat));
    return false;
  }
  printf("\nRoutines:\n");
  for (int i = 0; i < count; i++) {
    const rb_meta *m = rb_catalog_meta(cat, i);
    char lead[16], item[RB_SHORT_MAX + 32];
    snprintf(lead, sizeof lead, "  %d) ", i + 1);
    snprintf(item, sizeof item, "%s  (about %.0f min)", m->title,
             rb_catalog_minutes(cat, i) < 1 ? 1 : rb_catalog_minutes(cat, i));
    put(t, lead, item);
  }
  for (;;) {
    long k;
    char *end;
    printf("Which one? [1-%d, q to quit] ", count);
    fflush(stdout);
    if (!read_line(t, line, sizeof line) || line[0] == 'q')
      return false;
    k = strtol(line, &end, 10);
    if (end != line && k >= 1 && k <= count) {
      snprintf(path, n, "%s", rb_catalog_meta(cat, (int)k - 1)->path);
      return true;
    }
    put(t, "", "Please type one of the numbers above, or q.");
  }
}

static bool pin_ok(term *t, const char *pin) {
  char line[64];
  printf("PIN: ");
  fflush(stdout);
  if (read_line(t, line, sizeof line) && strcmp(line, pin) == 0)
    return true;
  put(t, "", "That is not the PIN.");
  return false;
}

/* Several patients and none named: who is exercising? False to quit. */
static bool who(term *t, rb_store *st) {
  rb_patient p[64];
  int n = rb_store_patients(st, p, 64);
  char line[64];
  if (n > 64)
    n = 64;
  if (n <= 0)
    return true;
  printf("\nWho is exercising?\n");
  for (int i = 0; i < n; i++) {
    char lead[16];
    snprintf(lead, sizeof lead, "  %d) ", i + 1);
    put(t, lead, p[i].name);
  }
  for (;;) {
    char *end;
    long k;
    printf("Which one? [1-%d, q to quit] ", n);
    fflush(stdout);
    if (!read_line(t, line, sizeof line) || line[0] == 'q')
      return false;
    k = strtol(line, &end, 10);
    if (end != line && k >= 1 && k <= n) {
      if (p[k - 1].pin[0] && !pin_ok(t, p[k - 1].pin))
        continue;
      t->patient = p[k - 1].id;
      return true;
    }
    put(t, "", "Please type one of the numbers above, or q.");
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
    if (buf[i] == 27 && i + 1 < got &&
        (buf[i + 1] == '[' || buf[i + 1] == 'O')) {
      /* an arrow or function key, not Escape: → next, ← back */
      i += 2;
      while (i < got && !(buf[i] >= 0x40 && buf[i] <= 0x7e))
        i++;
      if (i < got && (buf[i] == 'C' || buf[i] == 'D'))
        key(t, buf[i] == 'C' ? '\n' : 'b');
      continue;
    }
    if (buf[i] == '\n' && t->after_cr) {
      t->after_cr = false; /* "\r\n" is one Enter */
      continue;
    }
    t->after_cr = buf[i] == '\r';
    key(t, buf[i]);
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

/* Speech that finished synthesizing may start; the voice catches up. */
static void sound_events(term *t) {
  SDL_Event ev;
  if (!t->sound)
    return;
  while (SDL_PollEvent(&ev))
    if (rb_sound_ready_event(t->sound, &ev))
      rb_session_voice_ready(t->s);
  rb_sound_catch_up(t->sound, rb_clock_now(t->clock),
                    rb_clock_paused(t->clock));
}

static rb_ms term_deadline(void *ud) {
  term *t = ud;
  return rb_clock_raw_at(t->clock, rb_sound_deadline(t->sound));
}

/* The drive loop's wait: prints what changed, then waits for a key or
 * line, waking each quarter second to count the seconds down. */
/* A signal came: the routine ends here, kept as stopped by the program. */
static bool stop_now(term *t) {
  if (!rb_session_ended(t->s))
    rb_session_abort(t->s, "the program was stopped during the routine");
  return false;
}

static bool term_wait(void *ud, rb_ms until) {
  term *t = ud;
  rb_ms now = rb_clock_raw(t->clock);
  int timeout;
  if (g_signalled)
    t->interrupted = true;
  if (t->interrupted)
    return stop_now(t);
  print_view(t);
  if (t->eof && until == RB_MS_NEVER && !has_line(t)) {
    rb_session_abort(t->s, "the input ended while the routine waits");
    return false;
  }
  if (rb_drive_idle(t->clock, until))
    timeout = 0;
  else
    timeout = until == RB_MS_NEVER ? (t->eof ? -1 : 250)
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
  sound_events(t);
  if (!t->raw)
    next_line(t);
  if (g_signalled)
    t->interrupted = true;
  return !t->interrupted || stop_now(t);
}

static void print_end(term *t, const rb_view *v) {
  const rb_view_ended *e = &v->ended;
  const char *lang = lang_of(v);
  char line[RB_ERROR_MAX + 64], dur[64];
  char list[RB_RECORDS_MAX * (RB_SHORT_MAX + RB_TEXT_MAX + 24) + 64];
  rb_outcome_duration(lang, e->duration_s, dur, sizeof dur);
  snprintf(line, sizeof line, "%s%s%s", rb_outcome_headline(v, lang),
           dur[0] ? " \xc2\xb7 " : "", dur);
  putchar('\n');
  put(t, "** ", line);
  if (e->status == RB_END_ERROR) {
    put(t, "   ", e->error);
    put(t, "   ", rb_phrase_text(lang, RB_PHRASE_TELL_THERAPIST));
  }
  if (rb_outcome_tell(v, lang, line, sizeof line))
    put(t, " ! ", line);
  rb_outcome_records(v, lang, list, sizeof list);
  if (list[0])
    put(t, "   ", list);
  fflush(stdout);
}

/* Runs one routine to its end: its exit code. */
static int run_one(term *t, const rb_app_opts *opts, const char *path,
                   rb_session_opts so) {
  int code = 1;
  rb_sink kept = {0};
  rb_lookup lookup;
  t->last = (rb_view){0};
  t->last_second = -1;
  t->ntyped = 0;
  if (opts->store && t->patient > 0 && so.nsinks < RB_SINKS_MAX) {
    /* kept as it happens; the routine reads this patient's past */
    t->reader = (rb_store_reader){.st = opts->store, .patient = t->patient};
    kept = rb_store_sink(opts->store, t->patient, t->reader.session);
    so.sinks[so.nsinks++] = kept;
    lookup = rb_store_lookup(&t->reader);
    so.lookup = &lookup;
  }
  t->s = rb_session_new(path, t->clock, &so);
  if (!t->s) {
    rb_store_sink_free(&kept);
    return 1;
  }
  put(t, "", "Keys: Enter = next / ready, Space = pause, s = stop (it hurts)");
  raw_mode(t);
  rb_session_start(t->s);
  rb_drive(
      t->s, t->clock,
      &(rb_drive_host){.ud = t, .deadline = term_deadline, .wait = term_wait});
  restore_mode(t);
  print_view(t);
  print_end(t, rb_session_view(t->s));
  code = rb_drive_exit_code(rb_session_status(t->s));
  rb_session_free(t->s);
  t->s = NULL;
  return code;
}

/* The voice, when there is something to speak through: a sound device or
 * --audio-out (else NULL, quietly: the words are on the screen). */
static rb_sound *open_sound(const rb_app_opts *opts) {
  /* Ctrl-C is ours (catch_signals), not an SDL_QUIT nobody reads */
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (SDL_InitSubSystem(SDL_INIT_EVENTS) != 0) {
    rb_log_warn("no voice: %s", SDL_GetError());
    return NULL;
  }
  return rb_sound_open(&(rb_sound_opts){.voice = opts->voice,
                                        .rate = opts->rate,
                                        .volume = opts->volume,
                                        .mute = opts->mute,
                                        .audio_out = opts->audio_out,
                                        .virtual_clock = opts->virtual_clock},
                       NULL);
}

int rb_term_run(const rb_app_opts *opts) {
  term t = {
      .last_second = -1, .width = columns(), .tty = isatty(STDOUT_FILENO) != 0};
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
  catch_signals();
  if (opts->routine &&
      !rb_catalog_resolve(cat, opts->routine, path, sizeof path)) {
    fprintf(stderr, "rebalance: --routine %s: no such routine\n",
            opts->routine);
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
  t.sound = open_sound(opts);
  if (rb_sound_voice(t.sound))
    so.voice = rb_voice_for_session(rb_sound_voice(t.sound));
  so.params = opts->params;
  so.nparams = opts->nparams;
  t.patient = opts->patient;
  if (opts->store && t.patient == 0 && !who(&t, opts->store))
    goto done;
  if (opts->routine) {
    code = run_one(&t, opts, path, so);
    goto done;
  }
  /* the menu, and back to it after each routine, until q */
  code = 0;
  while (!g_signalled && choose(&t, cat, path, sizeof path))
    code = run_one(&t, opts, path, so);
done:
  rb_sound_close(t.sound, t.clock ? rb_clock_now(t.clock) : RB_MS_NEVER);
  rb_clock_free(t.clock);
  rb_timeline_close(tl);
  rb_catalog_free(cat);
  return code;
}
