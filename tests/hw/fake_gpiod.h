/* fake_gpiod: a test double of the libgpiod 1.6 calls hw/gpio.c makes,
 * linked in place of the library (tests/unit/test_gpio.c).
 *
 * One chip labelled "pinctrl-fake" (name "gpiochip0") with 28 lines named
 * GPIO0 .. GPIO27 at offsets 0 .. 27. GPIO5 is held by "another-program",
 * so requesting it fails with EBUSY as a real busy line does.
 *
 * Edges are pushed by the test as the pin sees them (physical level) and
 * reported as the kernel reports them: a line requested active-low gets
 * them inverted (the pin falling is a rising edge of the logical value).
 * Each requested event line has a pipe whose read end is the event fd: it
 * is readable while events are queued, one byte per event.
 *
 * All calls are thread-safe (one lock), as the library's are for
 * different lines.
 *
 * Script mode (rebalance_fakegpio, tests/e2e/buttons.t): when the
 * environment variable REBALANCE_FAKE_GPIO names a file of lines
 * "T_MS LINE press|release" (LINE "GPIO17" or "17"; '#' comments), a
 * thread started on the first successful line request pushes each edge
 * T_MS after that request, timestamped at that planned time
 * (CLOCK_MONOTONIC). Buttons are wired active low: a press is the pin
 * falling, a release the pin rising. Edges that cannot be delivered are
 * reported on stderr. */
#ifndef RB_FAKE_GPIOD_H
#define RB_FAKE_GPIOD_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_GPIOD_LABEL "pinctrl-fake"
#define FAKE_GPIOD_LINES 28
#define FAKE_GPIOD_BUSY 5 /* GPIO5, held by another program */

/* Releases every line, forgets queued events and errors, marks GPIO5 busy
 * again. Only while nothing uses the fake. */
void fake_gpiod_reset(void);
/* The next chip opens (by label, or any search by line name) fail with
 * this errno (EACCES: no permission on /dev/gpiochip*); 0: they work. */
void fake_gpiod_set_open_error(int err);
/* Queues an edge on a line requested for events: rising when the pin goes
 * high, at the kernel timestamp `timestamp_ns` (CLOCK_MONOTONIC). Returns
 * false when the line is not requested for events. */
bool fake_gpiod_push_edge(unsigned line_offset, bool rising,
                          int64_t timestamp_ns);
/* Events pushed on the line and not read yet. */
int fake_gpiod_pending(unsigned line_offset);
/* The value last set on an output line (its default after the request);
 * -1 when the line is not requested as an output. */
int fake_gpiod_output_value(unsigned line_offset);
/* The GPIOD_LINE_REQUEST_FLAG_* of the current request; -1 when the line
 * is not requested (by us: GPIO5's holder does not count). */
int fake_gpiod_requested_flags(unsigned line_offset);
/* The request's consumer, "" when not requested. Valid until the next
 * request or release of that line. */
const char *fake_gpiod_consumer(unsigned line_offset);
/* Whether the line is requested for both edges' events. */
bool fake_gpiod_is_event_line(unsigned line_offset);
/* Chips opened and not closed yet (leak check). */
int fake_gpiod_open_chips(void);

#endif
