/* gpio: buttons and LEDs over the libgpiod test double
 * (tests/hw/fake_gpiod.c): debouncing on the kernel's timestamps, long
 * presses, active-low and active-high wiring, request flags, LEDs, lines
 * that are missing or busy, presses queued behind a slow callback.
 * Built without libgpiod (RB_HAVE_GPIO=0) it only says it skipped. */
#include "tap.h"

#if RB_HAVE_GPIO

#include "fake_gpiod.h"
#include "gpio.h"

#include <errno.h>
#include <gpiod.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define MS INT64_C(1000000)
#define SEC (1000 * MS)

/* The suggested wiring (hw/README.md), with the LEDs moved off GPIO5,
 * which the fake holds busy. */
enum { PRIMARY = 17, NEXT = 27, BACK = 22, STOP = 23 };
enum { LED_PRIMARY = 6, LED_NEXT = 13, LED_BACK = 19, LED_STOP = 26 };

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  rb_gpio_press p[64];
  int64_t at[64]; /* when the callback saw it (monotonic) */
  int n;
  int slow_ms;  /* the first callback takes this long */
  bool in_slow; /* inside that slow callback */
} collector;

static collector col = {.mu = PTHREAD_MUTEX_INITIALIZER,
                        .cv = PTHREAD_COND_INITIALIZER};

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void sleep_until(int64_t when) {
  int64_t left = when - now_ns();
  if (left > 0)
    sleep_ms((long)(left / MS) + 1);
}

static void on_press(void *ud, const rb_gpio_press *p) {
  collector *c = ud;
  int slow;
  pthread_mutex_lock(&c->mu);
  slow = c->n == 0 ? c->slow_ms : 0;
  if (c->n < 64) {
    c->p[c->n] = *p;
    c->at[c->n] = now_ns();
  }
  c->in_slow = slow > 0;
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
  if (slow > 0) {
    sleep_ms(slow); /* a busy app: edges queue up meanwhile */
    pthread_mutex_lock(&c->mu);
    c->in_slow = false;
    pthread_mutex_unlock(&c->mu);
  }
  pthread_mutex_lock(&c->mu);
  c->n++;
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

static void col_reset(int slow_ms) {
  pthread_mutex_lock(&col.mu);
  col.n = 0;
  col.slow_ms = slow_ms;
  col.in_slow = false;
  pthread_mutex_unlock(&col.mu);
}

/* Waits until `n` presses arrived or `ms` passed; returns the count. */
static int wait_presses(int n, long ms) {
  struct timespec dl;
  int got;
  clock_gettime(CLOCK_REALTIME, &dl);
  dl.tv_sec += ms / 1000;
  dl.tv_nsec += (ms % 1000) * 1000000L;
  if (dl.tv_nsec >= 1000000000L) {
    dl.tv_sec++;
    dl.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&col.mu);
  while (col.n < n &&
         pthread_cond_timedwait(&col.cv, &col.mu, &dl) != ETIMEDOUT)
    ;
  got = col.n;
  pthread_mutex_unlock(&col.mu);
  return got;
}

static bool wait_in_slow(long ms) {
  bool in = false;
  for (long t = 0; t < ms && !in; t += 5) {
    pthread_mutex_lock(&col.mu);
    in = col.in_slow;
    pthread_mutex_unlock(&col.mu);
    if (!in)
      sleep_ms(5);
  }
  return in;
}

/* Active-low wiring (the default): pressing pulls the pin low. */
static void down(unsigned off, int64_t ts) {
  fake_gpiod_push_edge(off, false, ts);
}
static void up(unsigned off, int64_t ts) {
  fake_gpiod_push_edge(off, true, ts);
}

/* A PRIMARY press whose callback holds the thread 200 ms: edges pushed
 * meanwhile are all queued when it reads them. */
static void hold_thread(void) {
  col_reset(200);
  down(PRIMARY, now_ns());
  up(PRIMARY, now_ns());
  wait_in_slow(2000);
}

static rb_gpio_press got(int i) {
  rb_gpio_press p;
  pthread_mutex_lock(&col.mu);
  p = col.p[i];
  pthread_mutex_unlock(&col.mu);
  return p;
}

static int count_of(rb_button b, bool long_press) {
  int n = 0;
  pthread_mutex_lock(&col.mu);
  for (int i = 0; i < col.n; i++)
    n += col.p[i].button == b && col.p[i].long_press == long_press;
  pthread_mutex_unlock(&col.mu);
  return n;
}

static int64_t at_of(rb_button b, bool long_press) {
  int64_t at = 0;
  pthread_mutex_lock(&col.mu);
  for (int i = 0; i < col.n; i++)
    if (col.p[i].button == b && col.p[i].long_press == long_press)
      at = col.at[i];
  pthread_mutex_unlock(&col.mu);
  return at;
}

static void wiring(rb_gpio_config *c) {
  rb_gpio_config_defaults(c);
  c->line[RB_BUTTON_PRIMARY] = "GPIO17";
  c->line[RB_BUTTON_NEXT] = "GPIO27";
  c->line[RB_BUTTON_BACK] = "GPIO22";
  c->line[RB_BUTTON_STOP] = "GPIO23";
  c->led[RB_BUTTON_PRIMARY] = "GPIO6";
  c->led[RB_BUTTON_NEXT] = "GPIO13";
  c->led[RB_BUTTON_BACK] = "GPIO19";
  c->led[RB_BUTTON_STOP] = "GPIO26";
}

static rb_gpio *open_with(const rb_gpio_config *c, char *problems, size_t len) {
  fake_gpiod_reset();
  col_reset(0);
  if (problems)
    problems[0] = '\0';
  return rb_gpio_open(c, on_press, &col, problems, len);
}

static int lines_in(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

static void all_released(const char *what) {
  bool none = true;
  for (unsigned i = 0; i < FAKE_GPIOD_LINES; i++)
    none = none && fake_gpiod_requested_flags(i) == -1;
  ok(none, "%s: every line released", what);
  is_int(fake_gpiod_open_chips(), 0, "%s: every chip closed", what);
}

static void test_open(void) {
  rb_gpio_config c;
  char problems[512];
  rb_gpio *g;

  rb_gpio_config_defaults(&c);
  ok(c.active_low && c.pull_up, "defaults: active low with the pull-up");
  is_int(c.debounce_ms, 30, "defaults: 30 ms debounce");
  is_int(c.long_press_ms, 1500, "defaults: 1500 ms long press");

  wiring(&c);
  g = open_with(&c, problems, sizeof problems);
  ok(g != NULL, "opens the suggested wiring by line names");
  is_str(problems, "", "no problems");
  for (int b = 0; b < RB_BUTTONS; b++)
    ok(rb_gpio_has(g, (rb_button)b), "button %d opened", b);
  is_int(fake_gpiod_requested_flags(PRIMARY),
         GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP |
             GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW,
         "button line requested with pull-up and active-low");
  ok(fake_gpiod_is_event_line(STOP), "buttons are requested for edge events");
  is_str(fake_gpiod_consumer(NEXT), "rebalance", "consumer is rebalance");
  is_str(fake_gpiod_consumer(LED_NEXT), "rebalance",
         "LED consumer is rebalance");
  ok(!fake_gpiod_is_event_line(LED_PRIMARY) &&
         fake_gpiod_output_value(LED_PRIMARY) == 0,
     "LEDs are outputs, dark at first");
  rb_gpio_close(g);
  all_released("close");
  rb_gpio_close(NULL); /* harmless */

  c.pull_up = false;
  g = open_with(&c, problems, sizeof problems);
  is_int(fake_gpiod_requested_flags(PRIMARY),
         GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW,
         "pull_up = false: no bias flag, active-low kept");
  rb_gpio_close(g);
  c.active_low = false;
  g = open_with(&c, problems, sizeof problems);
  is_int(fake_gpiod_requested_flags(STOP), 0,
         "active-high without pull-up: no flags");
  rb_gpio_close(g);

  /* one line its own way: STOP active-high with an outside pull-down */
  c.active_low = true;
  c.pull_up = true;
  c.line_active_low[RB_BUTTON_STOP] = 0;
  c.line_pull_up[RB_BUTTON_STOP] = 0;
  g = open_with(&c, problems, sizeof problems);
  is_int(fake_gpiod_requested_flags(STOP), 0,
         "per line: STOP active-high, no bias");
  is_int(fake_gpiod_requested_flags(PRIMARY),
         GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW |
             GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP,
         "per line: the others keep the common setting");
  rb_gpio_close(g);

  rb_gpio_config_defaults(&c);
  ok(c.line_active_low[RB_BUTTON_NEXT] == -1 &&
         c.line_pull_up[RB_BUTTON_BACK] == -1,
     "defaults: no per-line overrides");
  g = open_with(&c, problems, sizeof problems);
  ok(g == NULL, "nothing wired: NULL");
  is_str(problems, "", "and nothing to complain about");
  all_released("nothing wired");
}

static void test_bounce(void) {
  rb_gpio_config c;
  rb_gpio *g;
  const int64_t t = 1000 * SEC;

  wiring(&c);
  g = open_with(&c, NULL, 0);

  /* a press that bounces: 5 edges within 10 ms, then held */
  down(NEXT, t);
  up(NEXT, t + 2 * MS);
  down(NEXT, t + 4 * MS);
  up(NEXT, t + 7 * MS);
  down(NEXT, t + 10 * MS);
  is_int(wait_presses(1, 2000), 1, "a bouncing press gives a press");
  ok(got(0).button == RB_BUTTON_NEXT && !got(0).long_press, "NEXT, not long");
  ok(got(0).edge_ns == t, "reported at its first edge");

  /* released 300 ms later, bouncing again; then a real press 2 s on */
  up(NEXT, t + 300 * MS);
  down(NEXT, t + 302 * MS);
  up(NEXT, t + 305 * MS);
  down(NEXT, t + 307 * MS);
  up(NEXT, t + 309 * MS);
  down(NEXT, t + 2 * SEC);
  up(NEXT, t + 2 * SEC + 150 * MS);
  is_int(wait_presses(2, 2000), 2, "a bouncing release gives nothing");
  ok(got(1).edge_ns == t + 2 * SEC, "the next press is the real one");
  sleep_ms(50);
  is_int(wait_presses(3, 0), 2, "one physical press = one press");

  /* two presses 200 ms apart */
  down(PRIMARY, t + 3 * SEC);
  up(PRIMARY, t + 3 * SEC + 80 * MS);
  down(PRIMARY, t + 3 * SEC + 200 * MS);
  up(PRIMARY, t + 3 * SEC + 290 * MS);
  is_int(wait_presses(4, 2000), 4, "two presses 200 ms apart: two");
  ok(got(2).edge_ns == t + 3 * SEC && got(3).edge_ns == t + 3 * SEC + 200 * MS,
     "at their edges");

  /* a tap so short that its release fell inside the debounce time */
  down(BACK, t + 4 * SEC);
  up(BACK, t + 4 * SEC + 5 * MS);
  down(BACK, t + 4 * SEC + 500 * MS);
  up(BACK, t + 4 * SEC + 600 * MS);
  is_int(wait_presses(6, 2000), 6, "a 5 ms tap, then a press: two presses");
  ok(got(5).edge_ns == t + 4 * SEC + 500 * MS, "the second at its edge");

  /* released, re-pressed after only 20 ms (< 30 ms): a bounce */
  down(PRIMARY, t + 5 * SEC);
  up(PRIMARY, t + 5 * SEC + 100 * MS);
  down(PRIMARY, t + 5 * SEC + 120 * MS);
  up(PRIMARY, t + 5 * SEC + 200 * MS);
  down(PRIMARY, t + 6 * SEC); /* sentinel */
  up(PRIMARY, t + 6 * SEC + 100 * MS);
  is_int(wait_presses(8, 2000), 8, "presses around a 20 ms release");
  ok(got(6).edge_ns == t + 5 * SEC && got(7).edge_ns == t + 6 * SEC,
     "the press 20 ms after a release is a bounce");
  rb_gpio_close(g);
}

static void test_late_burst(void) {
  rb_gpio_config c;
  rb_gpio *g;
  const int64_t t = 2000 * SEC;

  wiring(&c);
  g = open_with(&c, NULL, 0);
  col_reset(300); /* the first callback holds the thread 300 ms */
  down(NEXT, t);
  ok(wait_in_slow(2000), "the thread is in a slow callback");
  /* all read at once, afterwards: only their timestamps tell them apart */
  up(NEXT, t + 100 * MS);
  down(NEXT, t + 103 * MS); /* release bounce */
  up(NEXT, t + 106 * MS);
  down(NEXT, t + 400 * MS); /* press */
  up(NEXT, t + 405 * MS);   /* press bounce */
  down(NEXT, t + 410 * MS);
  up(NEXT, t + 600 * MS);
  down(NEXT, t + 1000 * MS); /* two presses 40 ms apart */
  up(NEXT, t + 1030 * MS);
  down(NEXT, t + 1070 * MS);
  up(NEXT, t + 1150 * MS);
  is_int(fake_gpiod_pending(NEXT), 11, "11 edges queued behind the callback");
  is_int(wait_presses(4, 3000), 4, "a late burst debounces on timestamps");
  ok(got(0).edge_ns == t && got(1).edge_ns == t + 400 * MS &&
         got(2).edge_ns == t + 1000 * MS && got(3).edge_ns == t + 1070 * MS,
     "presses at 0, 400, 1000, 1070 ms");
  sleep_ms(50);
  is_int(wait_presses(5, 0), 4, "and nothing else");
  rb_gpio_close(g);
}

static void test_long_press(void) {
  rb_gpio_config c;
  rb_gpio *g;
  int64_t t0;
  int n;

  wiring(&c);
  g = open_with(&c, NULL, 0);
  t0 = now_ns();
  down(STOP, t0);
  down(PRIMARY, t0);
  down(BACK, t0);
  is_int(wait_presses(3, 2000), 3, "STOP, PRIMARY and BACK pressed");
  ok(count_of(RB_BUTTON_STOP, false) == 1 &&
         count_of(RB_BUTTON_BACK, false) == 1 &&
         count_of(RB_BUTTON_PRIMARY, false) == 1,
     "each reported at once");
  ok(at_of(RB_BUTTON_STOP, false) - t0 < 500 * MS,
     "STOP's press came at once (%lld ms)",
     (long long)((at_of(RB_BUTTON_STOP, false) - t0) / MS));
  sleep_until(t0 + 400 * MS);
  up(BACK, t0 + 400 * MS); /* BACK held 400 ms */
  n = wait_presses(4, 2500);
  is_int(n, 4, "a long press came");
  ok(count_of(RB_BUTTON_STOP, true) == 1, "STOP held 1600 ms: a long press");
  ok(got(3).edge_ns == t0, "its edge is the press edge");
  ok(at_of(RB_BUTTON_STOP, true) - t0 >= 1500 * MS - MS &&
         at_of(RB_BUTTON_STOP, true) - t0 < 2400 * MS,
     "1500 ms after the press (%lld ms)",
     (long long)((at_of(RB_BUTTON_STOP, true) - t0) / MS));
  sleep_until(t0 + 1600 * MS);
  up(STOP, t0 + 1600 * MS);
  up(PRIMARY, t0 + 1600 * MS);
  sleep_ms(300);
  is_int(count_of(RB_BUTTON_BACK, true), 0, "BACK held 400 ms: no long press");
  is_int(count_of(RB_BUTTON_PRIMARY, true), 0, "PRIMARY never long-presses");
  is_int(wait_presses(5, 0), 4, "four presses in all");

  rb_gpio_close(g);

  /* read late: held 1600 ms by the timestamps, both edges queued behind a
   * slow callback and read at once */
  g = open_with(&c, NULL, 0);
  hold_thread();
  t0 = now_ns();
  down(BACK, t0 - 1600 * MS);
  up(BACK, t0);
  is_int(wait_presses(3, 2000), 3, "BACK held 1600 ms, read late");
  ok(!got(1).long_press && got(1).button == RB_BUTTON_BACK &&
         got(2).long_press && got(2).button == RB_BUTTON_BACK &&
         got(2).edge_ns == t0 - 1600 * MS,
     "a press then a long press");
  /* read late: held 400 ms, pressed 2 s ago: its deadline has passed but
   * the release is in the queue */
  hold_thread();
  t0 = now_ns();
  down(STOP, t0 - 2000 * MS);
  up(STOP, t0 - 1600 * MS);
  is_int(wait_presses(2, 2000), 2, "STOP held 400 ms, read late: a press");
  sleep_ms(200);
  is_int(count_of(RB_BUTTON_STOP, true), 0, "and no long press");
  rb_gpio_close(g);

  /* a 5 ms tap, its release inside the debounce time, 1.7 s ago */
  g = open_with(&c, NULL, 0);
  hold_thread();
  t0 = now_ns();
  down(BACK, t0 - 1700 * MS);
  up(BACK, t0 - 1695 * MS);
  is_int(wait_presses(2, 2000), 2, "BACK tapped for 5 ms: a press");
  sleep_ms(200);
  is_int(count_of(RB_BUTTON_BACK, true), 0, "and no long press");
  rb_gpio_close(g);

  c.long_press_ms = 0;
  g = open_with(&c, NULL, 0);
  hold_thread();
  t0 = now_ns();
  down(STOP, t0 - 3000 * MS);
  up(STOP, t0);
  sleep_ms(200);
  is_int(wait_presses(3, 0), 2, "long_press_ms = 0: no long presses");
  rb_gpio_close(g);
}

static void test_polarity(void) {
  rb_gpio_config c;
  rb_gpio *g;
  const int64_t t = 3000 * SEC;

  wiring(&c);
  g = open_with(&c, NULL, 0);
  up(NEXT, t); /* active-low: the pin rising is a release */
  down(NEXT, t + SEC);
  is_int(wait_presses(1, 2000), 1, "active-low: a press");
  ok(got(0).edge_ns == t + SEC, "on the pin falling, not rising");
  rb_gpio_close(g);

  c.active_low = false;
  c.pull_up = false;
  g = open_with(&c, NULL, 0);
  fake_gpiod_push_edge(NEXT, false, t); /* active-high: falling releases */
  fake_gpiod_push_edge(NEXT, true, t + SEC);
  fake_gpiod_push_edge(NEXT, false, t + SEC + 100 * MS);
  is_int(wait_presses(1, 2000), 1, "active-high: a press");
  ok(got(0).edge_ns == t + SEC, "on the pin rising");
  sleep_ms(50);
  is_int(wait_presses(2, 0), 1, "and only that one");
  rb_gpio_close(g);
}

static int count_toggles(unsigned off, int ms, int *first) {
  int toggles = 0, last = fake_gpiod_output_value(off);
  int64_t end = now_ns() + ms * MS;
  *first = last;
  while (now_ns() < end) {
    int v = fake_gpiod_output_value(off);
    toggles += v != last;
    last = v;
    sleep_ms(5);
  }
  return toggles;
}

static void *set_leds_often(void *arg) {
  rb_gpio *g = arg;
  rb_led leds[RB_BUTTONS] = {RB_LED_ON, RB_LED_OFF, RB_LED_ON, RB_LED_OFF};
  for (int i = 0; i < 200; i++) {
    leds[i % RB_BUTTONS] = (rb_led)(i % 3);
    rb_gpio_set_leds(g, leds);
  }
  return NULL;
}

static void test_leds(void) {
  rb_gpio_config c;
  rb_gpio *g;
  rb_led leds[RB_BUTTONS] = {RB_LED_ON, RB_LED_OFF, RB_LED_BLINK, RB_LED_OFF};
  int first, toggles;
  pthread_t th[2];

  wiring(&c);
  g = open_with(&c, NULL, 0);
  rb_gpio_set_leds(g, leds);
  ok(fake_gpiod_output_value(LED_PRIMARY) == 1 &&
         fake_gpiod_output_value(LED_NEXT) == 0 &&
         fake_gpiod_output_value(LED_STOP) == 0,
     "ON and OFF at once");
  is_int(fake_gpiod_output_value(LED_BACK), 1, "BLINK starts lit");
  toggles = count_toggles(LED_BACK, 600, &first);
  ok(toggles >= 2 && toggles <= 3, "BLINK toggles at 2 Hz (%d in 600 ms)",
     toggles);
  is_int(fake_gpiod_output_value(LED_PRIMARY), 1, "ON stays on");

  leds[RB_BUTTON_STOP] = RB_LED_BLINK;
  rb_gpio_set_leds(g, leds);
  sleep_ms(30);
  toggles = 0;
  for (int i = 0; i < 60; i++) {
    toggles +=
        fake_gpiod_output_value(LED_BACK) != fake_gpiod_output_value(LED_STOP);
    sleep_ms(10);
  }
  ok(toggles <= 6, "two blinking LEDs blink together (%d of 60 apart)",
     toggles);

  for (int b = 0; b < RB_BUTTONS; b++)
    leds[b] = RB_LED_OFF;
  rb_gpio_set_leds(g, leds);
  ok(fake_gpiod_output_value(LED_PRIMARY) == 0 &&
         fake_gpiod_output_value(LED_BACK) == 0 &&
         fake_gpiod_output_value(LED_STOP) == 0,
     "OFF at once, blinking too");
  toggles = count_toggles(LED_BACK, 400, &first);
  ok(toggles == 0 && first == 0, "and stays off");

  pthread_create(&th[0], NULL, set_leds_often, g);
  pthread_create(&th[1], NULL, set_leds_often, g);
  pthread_join(th[0], NULL);
  pthread_join(th[1], NULL);
  leds[RB_BUTTON_NEXT] = RB_LED_ON;
  rb_gpio_set_leds(g, leds);
  ok(fake_gpiod_output_value(LED_NEXT) == 1 &&
         fake_gpiod_output_value(LED_PRIMARY) == 0,
     "set from two threads at once, then the last setting holds");
  rb_gpio_set_leds(NULL, leds); /* no GPIO: nothing happens */
  rb_gpio_close(g);
  all_released("LEDs");

  c.led[RB_BUTTON_NEXT] = NULL;
  g = open_with(&c, NULL, 0);
  leds[RB_BUTTON_NEXT] = RB_LED_BLINK;
  rb_gpio_set_leds(g, leds);
  is_int(fake_gpiod_output_value(LED_NEXT), -1, "an LED not wired is left");
  ok(rb_gpio_has(g, RB_BUTTON_NEXT), "its button still works");
  rb_gpio_close(g);
}

static void test_problems(void) {
  rb_gpio_config c;
  char problems[1024], tiny[24];
  rb_gpio *g;
  const int64_t t = 4000 * SEC;

  wiring(&c);
  c.line[RB_BUTTON_NEXT] = "GPIO99";
  c.line[RB_BUTTON_BACK] = "GPIO5";
  c.led[RB_BUTTON_STOP] = "GPIO5";
  g = open_with(&c, problems, sizeof problems);
  ok(g != NULL, "opens with a missing and a busy line");
  like(problems, "GPIO99 (NEXT): no such line", "the missing line by name");
  like(problems, "GPIO5 (BACK): used by another program (see gpioinfo)",
       "the busy line by name");
  like(problems, "GPIO5 (STOP LED): used by another program",
       "the busy LED by name");
  is_int(lines_in(problems), 3, "one line per problem");
  ok(!rb_gpio_has(g, RB_BUTTON_NEXT) && !rb_gpio_has(g, RB_BUTTON_BACK),
     "those buttons are left out");
  ok(rb_gpio_has(g, RB_BUTTON_PRIMARY) && rb_gpio_has(g, RB_BUTTON_STOP),
     "the others are there");
  down(PRIMARY, t);
  is_int(wait_presses(1, 2000), 1, "and work");
  rb_gpio_close(g);
  all_released("missing and busy");

  /* by chip label: offsets and names */
  wiring(&c);
  c.chip = FAKE_GPIOD_LABEL;
  c.line[RB_BUTTON_PRIMARY] = "17";
  c.line[RB_BUTTON_BACK] = "40";
  c.led[RB_BUTTON_PRIMARY] = "6";
  g = open_with(&c, problems, sizeof problems);
  ok(rb_gpio_has(g, RB_BUTTON_PRIMARY) && rb_gpio_has(g, RB_BUTTON_NEXT),
     "chip label with an offset (17) and a name (GPIO27)");
  is_str(problems, "40 (BACK): no such line on pinctrl-fake (see gpioinfo)\n",
         "an offset past the chip's lines");
  ok(fake_gpiod_output_value(LED_PRIMARY) == 0, "an LED by offset");
  down(PRIMARY, t);
  is_int(wait_presses(1, 2000), 1, "the line by offset works");
  rb_gpio_close(g);
  all_released("chip label");

  c.chip = "pinctrl-nope";
  g = open_with(&c, problems, sizeof problems);
  ok(g == NULL, "a chip that is not there: NULL");
  like(problems, "GPIO23 (STOP): no GPIO chip labelled \"pinctrl-nope\"",
       "names the chip, the line and the button");
  is_int(lines_in(problems), 8, "a line for each button and LED");
  all_released("no chip");

  wiring(&c);
  c.line[RB_BUTTON_STOP] = "23";
  g = open_with(&c, problems, sizeof problems);
  like(problems, "23 (STOP): a line offset needs gpio.chip",
       "an offset without a chip");
  ok(g && !rb_gpio_has(g, RB_BUTTON_STOP), "that button is left out");
  rb_gpio_close(g);

  wiring(&c);
  c.line[RB_BUTTON_NEXT] = "GPIO17";
  g = open_with(&c, problems, sizeof problems);
  is_str(problems, "GPIO17 (NEXT): already used for PRIMARY\n",
         "one line for two buttons");
  rb_gpio_close(g);

  wiring(&c);
  fake_gpiod_reset();
  fake_gpiod_set_open_error(EACCES);
  snprintf(problems, sizeof problems, "config: kept\n");
  g = rb_gpio_open(&c, on_press, &col, problems, sizeof problems);
  ok(g == NULL, "no permission: NULL");
  like(problems,
       "GPIO17 (PRIMARY): permission denied (add the user to the gpio group)",
       "says to add the user to the gpio group");
  like(problems, "config: kept\nGPIO17", "appended to what was there");
  c.chip = FAKE_GPIOD_LABEL;
  problems[0] = '\0';
  g = rb_gpio_open(&c, on_press, &col, problems, sizeof problems);
  like(problems, "GPIO27 (NEXT): permission denied",
       "the same when the chip is opened by label");
  rb_gpio_close(g);
  fake_gpiod_set_open_error(0);

  wiring(&c);
  c.line[RB_BUTTON_NEXT] = "GPIO99";
  c.line[RB_BUTTON_BACK] = "GPIO98";
  tiny[0] = '\0';
  g = open_with(&c, NULL, 0);
  ok(g != NULL, "no problems buffer: fine");
  rb_gpio_close(g);
  fake_gpiod_reset();
  g = rb_gpio_open(&c, on_press, &col, tiny, sizeof tiny);
  ok(strlen(tiny) == sizeof tiny - 1, "a small buffer is filled, not overrun");
  rb_gpio_close(g);
  all_released("problems");
}

static void test_slow_callback(void) {
  rb_gpio_config c;
  rb_gpio *g;
  rb_led leds[RB_BUTTONS] = {RB_LED_ON, RB_LED_OFF, RB_LED_OFF, RB_LED_OFF};
  const int64_t t = 5000 * SEC;
  const unsigned order[6] = {NEXT, PRIMARY, NEXT, STOP, PRIMARY, NEXT};
  const rb_button want[6] = {RB_BUTTON_NEXT, RB_BUTTON_PRIMARY, RB_BUTTON_NEXT,
                             RB_BUTTON_STOP, RB_BUTTON_PRIMARY, RB_BUTTON_NEXT};
  bool in_order = true;

  wiring(&c);
  g = open_with(&c, NULL, 0);
  col_reset(400);
  down(NEXT, t);
  up(NEXT, t + 50 * MS);
  ok(wait_in_slow(2000), "the callback is busy");
  for (int i = 1; i < 6; i++) {
    down(order[i], t + i * 100 * MS);
    up(order[i], t + i * 100 * MS + 50 * MS);
  }
  rb_gpio_set_leds(g, leds);
  is_int(fake_gpiod_output_value(LED_PRIMARY), 1,
         "LEDs can be set while a callback runs");
  is_int(wait_presses(6, 3000), 6, "presses queued meanwhile all come");
  for (int i = 0; i < 6; i++)
    in_order = in_order && got(i).button == want[i] &&
               got(i).edge_ns == t + i * 100 * MS;
  ok(in_order, "in the order they happened, across buttons");
  rb_gpio_close(g);
  all_released("slow callback");
}

int main(void) {
  test_open();
  test_bounce();
  test_late_burst();
  test_long_press();
  test_polarity();
  test_leds();
  test_problems();
  test_slow_callback();
  return tap_done();
}

#else

int main(void) {
  printf("1..0 # SKIP built without libgpiod (REBALANCE_GPIO)\n");
  return 0;
}

#endif
