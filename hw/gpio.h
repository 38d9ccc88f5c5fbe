/* gpio: big arcade buttons and their LEDs on the Pi's 40-pin header,
 * through libgpiod 1.6 (the v1 API of Debian 12 and Raspberry Pi OS
 * bookworm).
 *
 * Lines are named by line name ("GPIO17") or by chip label and offset,
 * never by chip number (the Pi 5 renumbered its chips). A thread waits on
 * the lines' event fds, debounces on the kernel's edge timestamps (one
 * press is one press however much the contact bounces) and hands presses
 * to a callback, which the app turns into the same actions keys and touch
 * give. STOP and BACK act at once on press; held longer than
 * long_press_ms they also give a long press. The same thread blinks LEDs.
 * A missing chip or line, or a line another program holds, is reported by
 * name and that button is left out: the kiosk carries on with touch. */
#ifndef RB_GPIO_H
#define RB_GPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  RB_BUTTON_PRIMARY,
  RB_BUTTON_NEXT,
  RB_BUTTON_BACK,
  RB_BUTTON_STOP,
  RB_BUTTONS
} rb_button;

typedef struct {
  /* chip label ("pinctrl-bcm2711", "pinctrl-rp1"), or "" to find lines by
   * name on any chip */
  const char *chip;
  /* per button: a line name ("GPIO17"), or an offset ("17") on `chip`;
   * NULL or "" when not wired */
  const char *line[RB_BUTTONS];
  const char *led[RB_BUTTONS]; /* LED outputs, the same way */
  bool active_low;             /* default: pressed pulls the line low */
  bool pull_up;                /* default: the SoC's pull-up, no resistor */
  /* per button: 1 or 0 overrides active_low / pull_up for that line; -1
   * (the default) uses them */
  signed char line_active_low[RB_BUTTONS];
  signed char line_pull_up[RB_BUTTONS];
  int debounce_ms;   /* default 30 */
  int long_press_ms; /* STOP and BACK held this long; 0: off */
} rb_gpio_config;

typedef struct {
  rb_button button;
  bool long_press; /* held past long_press_ms (after the plain press) */
  int64_t edge_ns; /* kernel timestamp of the press edge (monotonic) */
} rb_gpio_press;

typedef enum { RB_LED_OFF, RB_LED_ON, RB_LED_BLINK } rb_led;

typedef struct rb_gpio rb_gpio;

/* Defaults: active low, pull-up, 30 ms debounce, 1500 ms long press. */
void rb_gpio_config_defaults(rb_gpio_config *c);

/* Opens the lines and starts the thread; on_press is called on that
 * thread. Problems go to `problems` as one line each ("GPIO27 (NEXT):
 * no such line"). Returns NULL when no button could be opened. */
rb_gpio *rb_gpio_open(const rb_gpio_config *c,
                      void (*on_press)(void *ud, const rb_gpio_press *p),
                      void *ud, char *problems, size_t problems_len);
void rb_gpio_close(rb_gpio *g);
/* Which buttons opened (tests, `rebalance` log). */
bool rb_gpio_has(const rb_gpio *g, rb_button b);
/* LEDs: lit where the button does something on the current screen,
 * blinking while a hold runs. Thread-safe. */
void rb_gpio_set_leds(rb_gpio *g, const rb_led leds[RB_BUTTONS]);

#endif
