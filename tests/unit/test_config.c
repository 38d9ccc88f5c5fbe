/* config: keys, sections, bad values and unknown keys with FILE:LINE. */
#include "config.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static int load(rb_config *c, const char *text, char *out, size_t n) {
  FILE *f, *problems = fmemopen(out, n, "w");
  int count;
  snprintf(path, sizeof path, "/tmp/rb-config-%d.conf", (int)getpid());
  f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  memset(out, 0, n);
  rb_config_defaults(c);
  count = rb_config_load(c, path, true, problems);
  fclose(problems);
  return count;
}

int main(void) {
  rb_config c;
  char out[2048], want[256];
  int n;

  rb_config_defaults(&c);
  ok(c.fullscreen && c.rate == 140 && c.gpio_debounce_ms == 30 &&
         c.gpio_active_low,
     "defaults");
  n = load(&c,
           "# clinic settings\n"
           "rotate = 180\n"
           "fullscreen = no\n"
           "font = /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n"
           "rate = 120\n"
           "mute = yes\n"
           "gpio.next = GPIO27\n"
           "gpio.stop.active_low = no\n"
           "[gpio]\n"
           "stop = GPIO22\n"
           "debounce_ms = 50\n",
           out, sizeof out);
  is_int(n, 0, "a good file has no problems (%s)", out);
  is_int(c.rotate, 180, "rotate");
  ok(!c.fullscreen, "fullscreen = no");
  is_str(c.font, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "font");
  is_int(c.rate, 120, "rate");
  ok(c.mute, "mute = yes");
  is_str(c.gpio_next, "GPIO27", "dotted key");
  is_str(c.gpio_stop, "GPIO22", "[gpio] section key");
  is_int(c.gpio_debounce_ms, 50, "number in a section");
  is_int(c.gpio_line_active_low[3], 0, "a per-line setting (stop)");
  is_int(c.gpio_line_active_low[1], -1, "unset lines follow the common one");

  /* text_scale: a decimal (either point) or a percentage, 1.0 to 1.5 */
  is_int(c.text_scale, 100, "text_scale defaults to 1.0");
  {
    static const struct {
      const char *text;
      int want;
    } good[] = {{"1.25", 125}, {"1,5", 150}, {"1", 100},
                {"130%", 130}, {"1.2", 120}, {"1.0", 100}};
    static const char *const bad[] = {"2",    "0.8", "big",   "",
                                      "1.2x", "%",   "1.25.", "151%"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
      char text[64];
      snprintf(text, sizeof text, "text_scale = %s\n", good[i].text);
      n = load(&c, text, out, sizeof out);
      ok(n == 0 && c.text_scale == good[i].want, "text_scale = %s is %d%%",
         good[i].text, c.text_scale);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      char text[64];
      snprintf(text, sizeof text, "\ntext_scale = %s\n", bad[i]);
      n = load(&c, text, out, sizeof out);
      snprintf(want, sizeof want,
               "%s:2: text_scale: expected a number from 1.0 to 1.5", path);
      ok(n == 1 && c.text_scale == 100 && strstr(out, want),
         "text_scale = '%s' is refused with FILE:LINE, 1.0 kept", bad[i]);
    }
  }

  n = load(&c,
           "rate = fast\n"
           "rotaet = 90\n"
           "rotate = 45\n"
           "mute = maybe\n"
           "volume = 150\n"
           "this line has no equals sign\n",
           out, sizeof out);
  is_int(n, 6, "six problems reported, not just the first");
  snprintf(want, sizeof want,
           "%s:1: rate: expected a whole number from 80 to 450", path);
  like(out, want, "bad number: FILE:LINE and the range");
  snprintf(want, sizeof want, "%s:2: unknown key 'rotaet'", path);
  like(out, want, "typo: FILE:LINE and the key");
  snprintf(want, sizeof want, "%s:3: rotate: expected 0, 90, 180 or 270", path);
  like(out, want, "bad rotation");
  snprintf(want, sizeof want, "%s:4: mute: expected yes or no", path);
  like(out, want, "bad yes/no");
  snprintf(want, sizeof want, "%s:6: expected 'key = value'", path);
  like(out, want, "a line that is not key = value");
  is_int(c.rate, 140, "a bad value keeps the default");
  is_int(c.rotate, 0, "a bad rotation keeps the default");
  is_int(c.volume, 80, "out of range keeps the default");

  /* the kiosk's settings are in effect: nothing is said of them */
  rb_config_defaults(&c);
  n = load(&c,
           "admin_pin = 1234\nidle_timeout_s = 60\nstate = /tmp/x\n"
           "brightness = 80\ndim_brightness = 5\nbacklight = off\n",
           out, sizeof out);
  is_int(n, 0, "the kiosk's settings are no problems");
  ok(!strstr(out, "does nothing"), "and none says it does nothing");
  is_int(c.idle_timeout_s, 60, "idle_timeout_s is read");
  ok(c.brightness == 80 && c.dim_brightness == 5 &&
         strcmp(c.backlight, "off") == 0,
     "brightness, dim_brightness and backlight are read");
  is_str(c.state, "/tmp/x", "state is read");
  is_str(c.admin_pin, "1234", "the value is still kept");
  rb_config_defaults(&c);
  n = load(&c, "admin_pin = 12\n", out, sizeof out);
  ok(n == 1 && strstr(out, ":1: admin_pin: 4 to 8 digits") &&
         c.admin_pin[0] == '\0',
     "an admin_pin the PIN pad cannot type is refused with FILE:LINE");
  rb_config_defaults(&c);
  n = load(&c, "admin_pin = 12345678901\n", out, sizeof out);
  ok(n == 1 && c.admin_pin[0] == '\0', "so is one too long");

  {
    FILE *problems = fmemopen(out, sizeof out, "w");
    memset(out, 0, sizeof out);
    n = rb_config_load(&c, "/nonexistent/rebalance.conf", true, problems);
    fclose(problems);
    is_int(n, -1, "a missing file");
    like(out, "/nonexistent/rebalance.conf: No such file", "is named");
    problems = fmemopen(out, sizeof out, "w");
    memset(out, 0, sizeof out);
    n = rb_config_load(&c, "/nonexistent/rebalance.conf", false, problems);
    fclose(problems);
    ok(n == -1 && out[0] == '\0', "a missing default file is fine and quiet");
  }
  unlink(path);
  return tap_done();
}
