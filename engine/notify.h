/* notify: telling systemd how the coach is (sd_notify, Type=notify).
 *
 * Under systemd (NOTIFY_SOCKET set) the coach says READY=1 once its first
 * frame has been drawn, feeds the watchdog (WATCHDOG=1) from the main loop
 * at least every half of WatchdogSec while the loop is alive, so a hung
 * loop is killed and restarted, and says STOPPING=1 when it stops. The
 * watchdog is on only when WATCHDOG_USEC is set and WATCHDOG_PID, if set,
 * is this process. Without NOTIFY_SOCKET every call does nothing.
 *
 * The watchdog runs on real time (CLOCK_MONOTONIC), also when the coach
 * runs on the virtual clock. Main thread only. */
#ifndef RB_NOTIFY_H
#define RB_NOTIFY_H

#include <stdbool.h>

/* Reads the environment again (it is read at the first call anyway);
 * true when there is a socket to tell. For tests, and main at start. */
bool rb_notify_init(void);

/* READY=1, the first time only. */
void rb_notify_ready(void);
/* STATUS=text, one line shown by systemctl status (newlines become
 * spaces). */
void rb_notify_status(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* WATCHDOG=1 when half the watchdog interval has passed since the last
 * one, or none was sent yet; nothing otherwise. Call it from the main
 * loop at every turn. */
void rb_notify_alive(void);
/* timeout_ms (-1: none) shortened so that a wait ends when the watchdog
 * is next due: 0 when it is due now. */
int rb_notify_timeout(int timeout_ms);
/* STOPPING=1, the first time only. */
void rb_notify_stopping(void);

/* The watchdog's interval in ms (WATCHDOG_USEC), 0 when it is off. */
long long rb_notify_watchdog_ms(void);

#endif
