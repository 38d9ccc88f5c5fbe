/* drive: the one loop that takes a session to its end.
 *
 * Fire what is due, act for the patient where --answer or the autopilot
 * says so, wait for the next deadline or the patient, again, until the
 * session has ended. The app, the terminal and `simulate` run this same
 * loop and differ only in their host: what else they wait for (a window's
 * events, keys, nothing) and what they do when the session moved. A
 * virtual clock jumps to the next deadline when nothing else is waiting. */
#ifndef RB_DRIVE_H
#define RB_DRIVE_H

#include "session.h"

typedef struct {
  void *ud;
  /* The session to drive now, NULL when none (the app's home screen).
   * NULL function: the session given to rb_drive. */
  rb_session *(*session)(void *ud);
  /* Raw time of the host's own next deadline (a redraw, a scripted
   * action), RB_MS_NEVER when none. May be NULL. */
  rb_ms (*deadline)(void *ud);
  /* Waits until raw time `until` (RB_MS_NEVER: until something happens)
   * and handles what comes (it may act on the session). On a virtual
   * clock a host with nothing else to wait for calls rb_drive_idle.
   * Returns false to stop driving. */
  bool (*wait)(void *ud, rb_ms until);
  /* The session moved by itself (a timer, an --answer): redraw. May be
   * NULL. */
  void (*moved)(void *ud);
  /* True when the loop is done. NULL: when the session has ended. */
  bool (*done)(void *ud);
} rb_drive_host;

/* Runs the loop on clock until the host is done or its wait gives up. A
 * session still running then is ended as an error ("the program was
 * stopped during the routine"), so its timeline has its end. */
void rb_drive(rb_session *s, rb_clock *clock, const rb_drive_host *host);

/* For a host's wait: on a virtual clock moves time to `until` and returns
 * true; false when until is RB_MS_NEVER (nothing will ever happen) or
 * the clock is real (wait for real). */
bool rb_drive_idle(rb_clock *clock, rb_ms until);

/* The exit code for how a session ended: 0 completed, 1 error, 2
 * stopped (the command line's contract). */
int rb_drive_exit_code(rb_end_status st);

/* Runs a routine from start to end on a virtual clock with the autopilot
 * (opts->autopilot is forced on): simulate, check and the catalog's dry
 * run. Returns the end status; the routine-clock duration goes to
 * *duration_s and an error ("FILE:LINE: message") to err. */
rb_end_status rb_drive_simulate(const char *path, const rb_session_opts *opts,
                                double *duration_s, char *err, size_t errlen);

#endif
