#include "buttons.h"

#include "log.h"

#if defined(RB_HAVE_GPIO) && RB_HAVE_GPIO
#include "../hw/gpio.h"
#define HAVE_GPIO 1
#else
#define HAVE_GPIO 0
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The buttons, as the GPIO layer numbers them (hw/gpio.h rb_button). */
enum { BUTTON_PRIMARY, BUTTON_NEXT, BUTTON_BACK, BUTTON_STOP, BUTTONS };
static const rb_action_kind button_action[BUTTONS] = {
    [BUTTON_PRIMARY] = RB_ACTION_PRIMARY,
    [BUTTON_NEXT] = RB_ACTION_NEXT,
    [BUTTON_BACK] = RB_ACTION_BACK,
    [BUTTON_STOP] = RB_ACTION_STOP};

struct rb_buttons {
  rb_wait *wait;
  Uint32 event; /* code = button (+256: long); 0: none */
  rb_button_stats stats;
#if HAVE_GPIO
  rb_gpio *gpio;
  rb_led leds[RB_BUTTONS];
#endif
  SDL_Thread *presser; /* bench */
  SDL_atomic_t presser_stop;
  int bench_presses;
};

static int64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* On the GPIO thread: hands a press to the main thread. */
static void press_from_thread(rb_buttons *b, int button, bool long_press,
                              int64_t edge_ns) {
  SDL_Event ev = {.type = b->event};
  ev.user.code = button + (long_press ? 256 : 0);
  /* the edge time in two halves: pointers are 32 bits on armhf */
  ev.user.data1 = (void *)(uintptr_t)(uint32_t)((uint64_t)edge_ns >> 32);
  ev.user.data2 = (void *)(uintptr_t)(uint32_t)edge_ns;
  SDL_PushEvent(&ev);
  rb_wait_wake(b->wait);
}

/* bench: BACK presses through the same path, from another thread. */
static int presser(void *ud) {
  rb_buttons *b = ud;
  for (int i = 0; i < b->bench_presses && !SDL_AtomicGet(&b->presser_stop);
       i++) {
    SDL_Delay(200);
    press_from_thread(b, BUTTON_BACK, false, monotonic_ns());
  }
  return 0;
}

bool rb_buttons_event(rb_buttons *b, const SDL_Event *ev, rb_action *out) {
  int button;
  bool long_press;
  int64_t edge;
  double late;
  if (!b || !b->event || ev->type != b->event)
    return false;
  button = ev->user.code & 255;
  long_press = ev->user.code >= 256;
  edge = (int64_t)(((uint64_t)(uintptr_t)ev->user.data1 << 32) |
                   (uint32_t)(uintptr_t)ev->user.data2);
  late = (double)(monotonic_ns() - edge) / 1e6;
  *out = (rb_action){.button = true};
  if (button < 0 || button >= BUTTONS)
    return true;
  out->kind = button_action[button];
  if (long_press) /* a long press comes long_press_ms after its edge */
    out->kind = button == BUTTON_BACK   ? RB_ACTION_BACK_LONG
                : button == BUTTON_STOP ? RB_ACTION_STOP_LONG
                                        : RB_ACTION_NONE;
  else {
    b->stats.presses++;
    b->stats.late_ms_sum += late;
    if (late > b->stats.late_ms_max)
      b->stats.late_ms_max = late;
  }
  return true;
}

rb_button_stats rb_buttons_stats(const rb_buttons *b) {
  return b ? b->stats : (rb_button_stats){0};
}

#if HAVE_GPIO
static void gpio_press(void *ud, const rb_gpio_press *p) {
  press_from_thread(ud, (int)p->button, p->long_press, p->edge_ns);
}

static void open_gpio(rb_buttons *b, const rb_config *cfg) {
  rb_gpio_config gc;
  char problems[1024] = "";
  const char *lines[RB_BUTTONS], *leds[RB_BUTTONS];
  bool any = false;
  rb_gpio_config_defaults(&gc);
  lines[RB_BUTTON_PRIMARY] = cfg->gpio_primary;
  lines[RB_BUTTON_NEXT] = cfg->gpio_next;
  lines[RB_BUTTON_BACK] = cfg->gpio_back;
  lines[RB_BUTTON_STOP] = cfg->gpio_stop;
  leds[RB_BUTTON_PRIMARY] = cfg->gpio_led_primary;
  leds[RB_BUTTON_NEXT] = cfg->gpio_led_next;
  leds[RB_BUTTON_BACK] = cfg->gpio_led_back;
  leds[RB_BUTTON_STOP] = cfg->gpio_led_stop;
  for (int i = 0; i < RB_BUTTONS; i++) {
    gc.line[i] = lines[i];
    gc.led[i] = leds[i];
    gc.line_active_low[i] = cfg->gpio_line_active_low[i];
    gc.line_pull_up[i] = cfg->gpio_line_pull_up[i];
    any = any || lines[i][0];
  }
  if (!any) {
    rb_log_info("no GPIO buttons set (gpio.* in the settings): touch and "
                "keys only");
    return;
  }
  gc.chip = cfg->gpio_chip;
  gc.active_low = cfg->gpio_active_low;
  gc.pull_up = cfg->gpio_pull_up;
  gc.debounce_ms = cfg->gpio_debounce_ms;
  gc.long_press_ms = cfg->gpio_long_press_ms;
  b->gpio = rb_gpio_open(&gc, gpio_press, b, problems, sizeof problems);
  for (char *line = strtok(problems, "\n"); line; line = strtok(NULL, "\n"))
    rb_log_warn("GPIO: %s", line);
  if (!b->gpio)
    rb_log_warn("no GPIO button could be opened: touch and keys still work");
}

void rb_buttons_leds(rb_buttons *b, const rb_screen *top) {
  rb_led leds[RB_BUTTONS];
  if (!b || !b->gpio)
    return;
  for (int i = 0; i < RB_BUTTONS; i++)
    leds[i] = rb_screen_blinks(top, button_action[i])   ? RB_LED_BLINK
              : rb_screen_offers(top, button_action[i]) ? RB_LED_ON
                                                        : RB_LED_OFF;
  if (memcmp(leds, b->leds, sizeof leds) != 0) {
    memcpy(b->leds, leds, sizeof leds);
    rb_gpio_set_leds(b->gpio, leds);
  }
}
#else
static void open_gpio(rb_buttons *b, const rb_config *cfg) {
  (void)b;
  if (cfg->gpio_primary[0] || cfg->gpio_next[0] || cfg->gpio_back[0] ||
      cfg->gpio_stop[0])
    rb_log_warn("gpio.* is set, but this build has no GPIO support "
                "(REBALANCE_GPIO=OFF or no libgpiod): touch and keys only");
  else
    rb_log_info("built without GPIO buttons (REBALANCE_GPIO=OFF or no "
                "libgpiod): touch and keys only");
}

void rb_buttons_leds(rb_buttons *b, const rb_screen *top) {
  (void)b;
  (void)top;
}
#endif

rb_buttons *rb_buttons_open(const rb_config *cfg, rb_wait *wait,
                            int bench_presses) {
  rb_buttons *b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  b->wait = wait;
  b->event = SDL_RegisterEvents(1);
  if (b->event == (Uint32)-1) {
    b->event = 0;
    return b;
  }
  if (cfg)
    open_gpio(b, cfg);
  if (bench_presses > 0) {
    b->bench_presses = bench_presses;
    b->presser = SDL_CreateThread(presser, "presser", b);
  }
  return b;
}

void rb_buttons_close(rb_buttons *b) {
  if (!b)
    return;
#if HAVE_GPIO
  rb_gpio_close(b->gpio); /* first: its thread pushes events */
#endif
  if (b->presser) {
    SDL_AtomicSet(&b->presser_stop, 1);
    SDL_WaitThread(b->presser, NULL);
  }
  free(b);
}
