/* gpio: arcade buttons and their LEDs through libgpiod 1.6 (v1 API).
 *
 * One thread polls the buttons' event fds and an eventfd (stop, LED
 * changes). Edges are debounced on the kernel's timestamps, so a burst of
 * events read late is judged by when the edges happened, not when they
 * were read. Button state belongs to the thread; the LEDs, the blink phase
 * and the stop flag are shared under `mu`. Callbacks run without `mu`
 * held, so they may call rb_gpio_set_leds. */
#include "gpio.h"

#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define RB_GPIO_CONSUMER "rebalance"
#define NS_PER_MS INT64_C(1000000)
#define BLINK_NS (250 * NS_PER_MS) /* 2 Hz: 250 ms lit, 250 ms dark */
/* An edge timestamp further than this from the monotonic clock is on
 * another clock (kernels before 5.7 used CLOCK_REALTIME): long presses are
 * then timed from when the press was read. */
#define CLOCK_SLACK_NS (10000 * NS_PER_MS)
/* No edge yet: long ago, yet differences from it cannot overflow. */
#define LONG_AGO (INT64_MIN / 4)

static const char *const button_names[RB_BUTTONS] = {"PRIMARY", "NEXT", "BACK",
                                                     "STOP"};

typedef struct {
  struct gpiod_line *line; /* NULL: not wired or could not be opened */
  bool own_chip;           /* found by name on any chip: closed with it */
} rb_gpio_pin;

typedef struct {
  rb_gpio_pin pin;
  int fd;               /* event fd, -1 without a line */
  bool pressed;         /* debounced state */
  bool high;            /* the last edge seen rose (logical level) */
  int64_t accepted_ns;  /* the last edge that changed `pressed` */
  int64_t fall_ns;      /* the last falling edge, bounce or not */
  bool long_pending;    /* STOP/BACK pressed, long press not given yet */
  int64_t press_ns;     /* the press edge (event clock) */
  int64_t long_ev_ns;   /* press + long_press_ms, event clock */
  int64_t long_mono_ns; /* the same deadline on CLOCK_MONOTONIC */
} rb_gpio_button;

typedef struct {
  rb_gpio_pin pin;
  rb_led mode; /* under mu */
} rb_gpio_led;

struct rb_gpio {
  struct gpiod_chip *chip; /* opened by label, shared by its lines */
  rb_gpio_button btn[RB_BUTTONS];
  rb_gpio_led led[RB_BUTTONS];
  int64_t debounce_ns;
  int64_t long_ns; /* 0: no long presses */
  void (*on_press)(void *ud, const rb_gpio_press *p);
  void *ud;
  int wake_fd;
  pthread_mutex_t mu;
  bool mu_ok;
  bool thread_ok;
  pthread_t thread;
  bool stop;             /* under mu */
  bool blink_lit;        /* under mu */
  int64_t blink_next_ns; /* under mu: the next toggle */
};

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void rb_gpio_config_defaults(rb_gpio_config *c) {
  memset(c, 0, sizeof *c);
  c->chip = "";
  c->active_low = true;
  c->pull_up = true;
  for (int b = 0; b < RB_BUTTONS; b++)
    c->line_active_low[b] = c->line_pull_up[b] = -1;
  c->debounce_ms = 30;
  c->long_press_ms = 1500;
}

static void add_problem(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_problem(char *buf, size_t len, const char *fmt, ...) {
  size_t used;
  va_list ap;
  if (!buf || len == 0)
    return;
  used = strnlen(buf, len);
  if (used >= len - 1)
    return;
  va_start(ap, fmt);
  vsnprintf(buf + used, len - used, fmt, ap);
  va_end(ap);
}

static bool is_offset(const char *s, unsigned *off) {
  unsigned long v = 0;
  const char *p;
  for (p = s; *p; p++) {
    if (*p < '0' || *p > '9' || v > 100000)
      return false;
    v = v * 10 + (unsigned long)(*p - '0');
  }
  *off = (unsigned)v;
  return p != s;
}

typedef enum { FAIL_CHIP, FAIL_LINE, FAIL_REQUEST, FAIL_NEEDS_CHIP } rb_fail;

static void describe(char *out, size_t len, rb_fail why, int err,
                     const char *label) {
  if (err == EACCES || err == EPERM)
    snprintf(out, len, "permission denied (add the user to the gpio group)");
  else if (why == FAIL_NEEDS_CHIP)
    snprintf(out, len,
             "a line offset needs gpio.chip (or name the line, as GPIO17)");
  else if (why == FAIL_CHIP && err == ENOENT)
    snprintf(out, len, "no GPIO chip labelled \"%s\" (see gpiodetect)", label);
  else if (why == FAIL_LINE && (err == ENOENT || err == EINVAL))
    snprintf(out, len, "no such line%s%s (see gpioinfo)",
             label[0] ? " on " : "", label);
  else if (why == FAIL_REQUEST && err == EBUSY)
    snprintf(out, len, "used by another program (see gpioinfo)");
  else
    snprintf(out, len, "%s", strerror(err));
}

/* Finds `spec` (a line name, or an offset on the labelled chip) and
 * requests it as an output (LEDs) or for both edges' events (buttons).
 * chip_err: the errno of opening the labelled chip, 0 when it opened. */
static bool pin_open(rb_gpio *g, const char *label, int chip_err,
                     const char *spec, const char *what, int flags, bool output,
                     rb_gpio_pin *pin, char *problems, size_t problems_len) {
  struct gpiod_line *line = NULL;
  bool own = false;
  rb_fail why = FAIL_LINE;
  int err = 0;
  unsigned off = 0;
  char reason[160];

  if (label[0] && !g->chip) {
    why = FAIL_CHIP;
    err = chip_err;
  } else if (label[0]) {
    line = is_offset(spec, &off) ? gpiod_chip_get_line(g->chip, off)
                                 : gpiod_chip_find_line(g->chip, spec);
    err = line ? 0 : errno;
  } else if (is_offset(spec, &off)) {
    why = FAIL_NEEDS_CHIP;
  } else {
    line = gpiod_line_find(spec);
    err = line ? 0 : errno;
    own = line != NULL;
  }
  if (line && (output ? gpiod_line_request_output(line, RB_GPIO_CONSUMER, 0)
                      : gpiod_line_request_both_edges_events_flags(
                            line, RB_GPIO_CONSUMER, flags)) < 0) {
    why = FAIL_REQUEST;
    err = errno;
    if (own)
      gpiod_line_close_chip(line);
    line = NULL;
  }
  if (line) {
    pin->line = line;
    pin->own_chip = own;
  } else {
    describe(reason, sizeof reason, why, err, label);
    add_problem(problems, problems_len, "%s (%s): %s\n", spec, what, reason);
  }
  return line != NULL;
}

static void pin_close(rb_gpio_pin *pin) {
  if (!pin->line)
    return;
  gpiod_line_release(pin->line);
  if (pin->own_chip)
    gpiod_line_close_chip(pin->line);
  pin->line = NULL;
}

static void wake(rb_gpio *g) {
  uint64_t one = 1;
  ssize_t n = write(g->wake_fd, &one, sizeof one);
  (void)n; /* EAGAIN: the counter is already non-zero, a wake is pending */
}

static bool any_blink(const rb_gpio *g) {
  for (int b = 0; b < RB_BUTTONS; b++)
    if (g->led[b].pin.line && g->led[b].mode == RB_LED_BLINK)
      return true;
  return false;
}

/* Under mu: toggles the blinking LEDs when due; returns the next toggle,
 * or -1 when nothing blinks. */
static int64_t blink_step(rb_gpio *g, int64_t now) {
  if (!any_blink(g))
    return -1;
  if (now >= g->blink_next_ns) {
    g->blink_lit = !g->blink_lit;
    g->blink_next_ns += BLINK_NS;
    if (g->blink_next_ns <= now)
      g->blink_next_ns = now + BLINK_NS;
    for (int b = 0; b < RB_BUTTONS; b++)
      if (g->led[b].pin.line && g->led[b].mode == RB_LED_BLINK)
        gpiod_line_set_value(g->led[b].pin.line, g->blink_lit);
  }
  return g->blink_next_ns;
}

void rb_gpio_set_leds(rb_gpio *g, const rb_led leds[RB_BUTTONS]) {
  bool changed = false;
  int64_t now = now_ns();
  if (!g || !leds)
    return;
  pthread_mutex_lock(&g->mu);
  if (!any_blink(g)) { /* a new blink starts lit, in one phase for all */
    g->blink_lit = true;
    g->blink_next_ns = now + BLINK_NS;
  }
  for (int b = 0; b < RB_BUTTONS; b++) {
    rb_gpio_led *l = &g->led[b];
    if (!l->pin.line || l->mode == leds[b])
      continue;
    l->mode = leds[b];
    gpiod_line_set_value(l->pin.line,
                         l->mode == RB_LED_ON ||
                             (l->mode == RB_LED_BLINK && g->blink_lit));
    changed = true;
  }
  pthread_mutex_unlock(&g->mu);
  if (changed)
    wake(g); /* the thread times the next toggle */
}

static void report(rb_gpio *g, rb_button b, bool long_press, int64_t edge) {
  rb_gpio_press p = {.button = b, .long_press = long_press, .edge_ns = edge};
  if (g->on_press)
    g->on_press(g->ud, &p);
}

/* Gives a pending long press if the button was still held at the
 * deadline; `at` is on the event clock (ev) or the monotonic one. */
static void long_due(rb_gpio *g, rb_button b, int64_t at, bool ev) {
  rb_gpio_button *s = &g->btn[b];
  if (!s->long_pending || at < (ev ? s->long_ev_ns : s->long_mono_ns))
    return;
  s->long_pending = false;
  if (s->pressed && s->high)
    report(g, b, true, s->press_ns);
}

static void on_edge(rb_gpio *g, rb_button b, int64_t ts, bool rising) {
  rb_gpio_button *s = &g->btn[b];
  bool was_high = s->high;
  int64_t now;

  long_due(g, b, ts, true); /* held past the deadline before this edge */
  s->high = rising;
  if (!rising)
    s->fall_ns = ts;
  if (ts - s->accepted_ns < g->debounce_ns)
    return; /* a bounce of the last accepted edge */
  if (!rising) {
    if (s->pressed) {
      s->pressed = false;
      s->accepted_ns = ts;
      s->long_pending = false;
    }
    return;
  }
  /* a press once released for debounce_ms; while pressed, only when the
   * line fell since (a tap so short its release was taken for a bounce) */
  if ((s->pressed && (was_high || s->fall_ns < s->accepted_ns)) ||
      ts - s->fall_ns < g->debounce_ns)
    return;
  s->pressed = true;
  s->accepted_ns = ts;
  s->press_ns = ts;
  if (g->long_ns > 0 && (b == RB_BUTTON_STOP || b == RB_BUTTON_BACK)) {
    now = now_ns();
    s->long_pending = true;
    s->long_ev_ns = ts + g->long_ns;
    s->long_mono_ns =
        (ts <= now && now - ts < CLOCK_SLACK_NS ? ts : now) + g->long_ns;
  }
  report(g, b, false, ts);
}

/* Milliseconds until `deadline` (rounded up), merged into *timeout. */
static void timeout_until(int *timeout, int64_t now, int64_t deadline) {
  int64_t ms =
      deadline <= now ? 0 : (deadline - now + NS_PER_MS - 1) / NS_PER_MS;
  if (ms > 60000)
    ms = 60000;
  if (*timeout < 0 || ms < *timeout)
    *timeout = (int)ms;
}

static int64_t event_ns(const struct gpiod_line_event *ev) {
  return (int64_t)ev->ts.tv_sec * 1000000000 + ev->ts.tv_nsec;
}

/* The thread. Each round reads at most one event per line into `head`
 * and handles the earliest of the heads, so the edges queued on several
 * lines (during a slow callback) are handled in the order they happened. */
static void *run(void *arg) {
  rb_gpio *g = arg;
  struct pollfd pfd[1 + RB_BUTTONS];
  rb_button which[1 + RB_BUTTONS];
  struct gpiod_line_event head[1 + RB_BUTTONS];
  bool have[1 + RB_BUTTONS] = {false};
  nfds_t n = 1;
  bool drained = true; /* nothing read or held in the last round */

  pfd[0] = (struct pollfd){.fd = g->wake_fd, .events = POLLIN};
  for (int b = 0; b < RB_BUTTONS; b++)
    if (g->btn[b].fd >= 0) {
      which[n] = (rb_button)b;
      pfd[n++] = (struct pollfd){.fd = g->btn[b].fd, .events = POLLIN};
    }
  for (;;) {
    int64_t now = now_ns(), blink;
    int timeout = -1;
    nfds_t first = 0;
    bool stop;

    pthread_mutex_lock(&g->mu);
    stop = g->stop;
    blink = blink_step(g, now);
    pthread_mutex_unlock(&g->mu);
    if (stop)
      break;
    /* long presses are timed once every queued edge is handled, so a
     * release waiting in the queue counts before the deadline does */
    if (drained)
      for (int b = 0; b < RB_BUTTONS; b++) {
        long_due(g, (rb_button)b, now, false);
        if (g->btn[b].long_pending)
          timeout_until(&timeout, now, g->btn[b].long_mono_ns);
      }
    if (blink >= 0)
      timeout_until(&timeout, now, blink);
    if (!drained)
      timeout = 0;
    if (poll(pfd, n, timeout) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (pfd[0].revents & POLLIN) {
      uint64_t v;
      ssize_t r = read(g->wake_fd, &v, sizeof v);
      (void)r;
    }
    for (nfds_t i = 1; i < n; i++) {
      if (have[i] || !pfd[i].revents)
        continue;
      if (!(pfd[i].revents & POLLIN) ||
          gpiod_line_event_read(g->btn[which[i]].pin.line, &head[i]) < 0)
        pfd[i].fd = -1; /* a broken line: poll ignores it from now on */
      else
        have[i] = true;
    }
    for (nfds_t i = 1; i < n; i++)
      if (have[i] && (!first || event_ns(&head[i]) < event_ns(&head[first])))
        first = i;
    drained = !first;
    if (first) {
      have[first] = false;
      on_edge(g, which[first], event_ns(&head[first]),
              head[first].event_type == GPIOD_LINE_EVENT_RISING_EDGE);
    }
  }
  return NULL;
}

/* The request flags of button b's input: its own setting, or the
 * common one. */
static int line_flags(const rb_gpio_config *c, rb_button b) {
  bool pull_up = c->line_pull_up[b] >= 0 ? c->line_pull_up[b] != 0 : c->pull_up;
  bool active_low =
      c->line_active_low[b] >= 0 ? c->line_active_low[b] != 0 : c->active_low;
  return (pull_up ? GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP : 0) |
         (active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0);
}

rb_gpio *rb_gpio_open(const rb_gpio_config *c,
                      void (*on_press)(void *ud, const rb_gpio_press *p),
                      void *ud, char *problems, size_t problems_len) {
  rb_gpio *g = calloc(1, sizeof *g);
  const char *label = c->chip ? c->chip : "";
  const char *used[2 * RB_BUTTONS]; /* specs opened so far, and by what */
  char what[2 * RB_BUTTONS][16];
  int nused = 0, chip_err = 0, buttons = 0;

  if (!g) {
    add_problem(problems, problems_len, "GPIO: out of memory\n");
    return NULL;
  }
  g->wake_fd = -1;
  for (int b = 0; b < RB_BUTTONS; b++) {
    g->btn[b].fd = -1;
    g->btn[b].accepted_ns = g->btn[b].fall_ns = LONG_AGO;
  }
  g->debounce_ns = (c->debounce_ms > 0 ? c->debounce_ms : 0) * NS_PER_MS;
  g->long_ns = (c->long_press_ms > 0 ? c->long_press_ms : 0) * NS_PER_MS;
  g->on_press = on_press;
  g->ud = ud;
  g->mu_ok = pthread_mutex_init(&g->mu, NULL) == 0;
  g->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (label[0]) {
    g->chip = gpiod_chip_open_by_label(label);
    chip_err = g->chip ? 0 : errno;
  }

  for (int i = 0; i < 2 * RB_BUTTONS; i++) {
    int b = i % RB_BUTTONS;
    bool led = i >= RB_BUTTONS;
    const char *spec = led ? c->led[b] : c->line[b];
    rb_gpio_pin *pin = led ? &g->led[b].pin : &g->btn[b].pin;
    int dup = -1;
    if (!spec || !spec[0])
      continue;
    snprintf(what[nused], sizeof what[nused], "%s%s", button_names[b],
             led ? " LED" : "");
    for (int k = 0; k < nused; k++)
      if (strcmp(used[k], spec) == 0)
        dup = k;
    if (dup >= 0)
      add_problem(problems, problems_len, "%s (%s): already used for %s\n",
                  spec, what[nused], what[dup]);
    else if (pin_open(g, label, chip_err, spec, what[nused],
                      line_flags(c, (rb_button)b), led, pin, problems,
                      problems_len))
      used[nused++] = spec;
  }
  for (int b = 0; b < RB_BUTTONS; b++)
    if (g->btn[b].pin.line) {
      g->btn[b].fd = gpiod_line_event_get_fd(g->btn[b].pin.line);
      if (g->btn[b].fd >= 0)
        buttons++;
      else
        pin_close(&g->btn[b].pin);
    }

  if (buttons > 0 && (!g->mu_ok || g->wake_fd < 0)) {
    add_problem(problems, problems_len, "GPIO: %s\n", strerror(errno));
    buttons = 0;
  }
  if (buttons > 0) {
    g->thread_ok = pthread_create(&g->thread, NULL, run, g) == 0;
    if (!g->thread_ok) {
      add_problem(problems, problems_len, "GPIO: cannot start its thread\n");
      buttons = 0;
    }
  }
  if (buttons == 0) {
    rb_gpio_close(g);
    g = NULL;
  }
  return g;
}

void rb_gpio_close(rb_gpio *g) {
  if (!g)
    return;
  if (g->thread_ok) {
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_mutex_unlock(&g->mu);
    wake(g);
    pthread_join(g->thread, NULL);
  }
  for (int b = 0; b < RB_BUTTONS; b++) {
    if (g->led[b].pin.line)
      gpiod_line_set_value(g->led[b].pin.line, 0); /* dark when we quit */
    pin_close(&g->led[b].pin);
    pin_close(&g->btn[b].pin);
  }
  if (g->chip)
    gpiod_chip_close(g->chip);
  if (g->wake_fd >= 0)
    close(g->wake_fd);
  if (g->mu_ok)
    pthread_mutex_destroy(&g->mu);
  free(g);
}

bool rb_gpio_has(const rb_gpio *g, rb_button b) {
  return g && (int)b >= 0 && (int)b < RB_BUTTONS && g->btn[b].pin.line != NULL;
}
