/* backlight: the panel's backlight through sysfs
 * (/sys/class/backlight/DEVICE/{max_brightness,brightness}), for dimming
 * the kiosk when it is idle and for the admin screen's brightness.
 *
 * Levels are percents: 0 is off; 1-100 map linearly onto the device's
 * range from a floor to max_brightness, the floor being 5 % of
 * max_brightness (at least 1), so any percent above 0 stays visible and
 * rb_backlight_get returns what rb_backlight_set was given whenever
 * max_brightness is 105 or more (the 7" panel's is 255). No device, or one
 * that cannot be read, is not an error for the app: rb_backlight_open says
 * why in `err` ("no backlight under /sys/class/backlight: dimming is off")
 * and the coach goes on undimmed. A device that vanishes or a brightness
 * file that may not be written makes rb_backlight_set return false;
 * rb_backlight_error says why. No global state, no thread: call it from
 * one thread. */
#ifndef RB_BACKLIGHT_H
#define RB_BACKLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#define RB_BACKLIGHT_SYSFS "/sys/class/backlight"
/* The lowest level above off, in percent of max_brightness. */
#define RB_BACKLIGHT_FLOOR_PERCENT 5

typedef struct rb_backlight rb_backlight;

/* sysfs_root: NULL for RB_BACKLIGHT_SYSFS (tests pass a fake tree).
 * device: a directory name under it ("10-0045", "rpi_backlight"), or NULL
 * or "" for the first one, in name order, whose max_brightness and
 * brightness can be read (entries may be symlinks, as in sysfs). Reads
 * max_brightness (1 to INT_MAX) and brightness; does not change the
 * level: set the one you want after opening (a restarted coach finds the
 * level its predecessor left). Returns NULL with one line in `err` (when
 * errlen > 0) when there is no usable device. */
rb_backlight *rb_backlight_open(const char *sysfs_root, const char *device,
                                char *err, size_t errlen);
/* Leaves the level as it is. NULL is fine. */
void rb_backlight_close(rb_backlight *b);

/* Sets the level, percent clamped to 0-100. Opens and writes brightness
 * each time (nothing stays open to go stale); false when the file is gone
 * or may not be written, with the reason in rb_backlight_error. */
bool rb_backlight_set(rb_backlight *b, int percent);
/* The level brightness holds now, in percent (0-100; a value above
 * max_brightness counts as 100); -1 when it cannot be read. */
int rb_backlight_get(rb_backlight *b);
/* Why the last rb_backlight_set or rb_backlight_get failed; "" when the
 * last one succeeded. */
const char *rb_backlight_error(const rb_backlight *b);

/* The device's name ("10-0045") and max_brightness, for the log. */
const char *rb_backlight_device(const rb_backlight *b);
int rb_backlight_max(const rb_backlight *b);
/* The raw value a percent becomes (and rb_backlight_set writes). */
int rb_backlight_raw(const rb_backlight *b, int percent);

#endif
