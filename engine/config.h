/* config: the settings file (/etc/rebalance/rebalance.conf or --config),
 * key = value lines read with inih. Unknown keys and bad values are
 * reported as FILE:LINE: message and take their defaults; the kiosk
 * always starts. */
#ifndef RB_CONFIG_H
#define RB_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#define RB_CONFIG_DEFAULT_PATH "/etc/rebalance/rebalance.conf"
#define RB_CONFIG_PATH_MAX 512

typedef struct {
  /* display */
  int rotate; /* 0, 90, 180, 270 */
  bool fullscreen;
  char font[RB_CONFIG_PATH_MAX];
  int text_scale; /* percent, 100-150: every size on screen, larger */
  /* voice (used by the voice subsystem) */
  char voice[64];
  int rate;   /* words per minute */
  int volume; /* 0-100 */
  bool mute;
  /* GPIO (used by hw/) */
  char gpio_chip[64];
  char gpio_primary[32], gpio_next[32], gpio_back[32], gpio_stop[32];
  char gpio_led_primary[32], gpio_led_next[32], gpio_led_back[32],
      gpio_led_stop[32];
  bool gpio_active_low;
  bool gpio_pull_up;
  /* per button (primary, next, back, stop): -1 unset, 0 no, 1 yes */
  signed char gpio_line_active_low[4], gpio_line_pull_up[4];
  int gpio_debounce_ms;
  int gpio_long_press_ms;
  /* kiosk */
  int idle_timeout_s;                 /* 0: never idle */
  int brightness;                     /* 10-100: the backlight while in use */
  int dim_brightness;                 /* 0-100: while idle */
  char backlight[RB_CONFIG_PATH_MAX]; /* "" the first under
                                         /sys/class/backlight, "off", or
                                         a folder holding such devices */
  char admin_pin[16];
  /* paths ("" when not set) */
  char routines[RB_CONFIG_PATH_MAX];
  char plugins[RB_CONFIG_PATH_MAX];
  char state[RB_CONFIG_PATH_MAX];
  bool export_names; /* FHIR exports carry names (the clinic allows it) */
} rb_config;

void rb_config_defaults(rb_config *c);
/* Reads path into c (which holds defaults or earlier values). Problems go
 * to `problems` as "FILE:LINE: message" lines; returns their count, or -1
 * when the file cannot be opened (required says whether that is a
 * problem: --config FILE must exist, the default file need not). */
int rb_config_load(rb_config *c, const char *path, bool required,
                   FILE *problems);

#endif
