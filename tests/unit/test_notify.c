/* notify: what systemd is told (READY, WATCHDOG, STATUS, STOPPING) through
 * a fake NOTIFY_SOCKET, when the watchdog is due, and the --input STALL
 * hook that stalls the main loop. */
#include "input.h"
#include "notify.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int sock = -1;

/* The next datagram, "" when none is waiting. */
static const char *next_message(void) {
  static char buf[512];
  ssize_t n = recv(sock, buf, sizeof buf - 1, MSG_DONTWAIT);
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

static void env(const char *socket_path, const char *usec, long pid) {
  char p[32];
  if (socket_path)
    setenv("NOTIFY_SOCKET", socket_path, 1);
  else
    unsetenv("NOTIFY_SOCKET");
  if (usec)
    setenv("WATCHDOG_USEC", usec, 1);
  else
    unsetenv("WATCHDOG_USEC");
  snprintf(p, sizeof p, "%ld", pid);
  if (pid)
    setenv("WATCHDOG_PID", p, 1);
  else
    unsetenv("WATCHDOG_PID");
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

int main(void) {
  char dir[] = "/tmp/rb_notify_XXXXXX", path[64];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  char err[256];
  rb_input *in;
  rb_action a;
  long long t0;
  int timeout;

  if (!mkdtemp(dir)) {
    printf("Bail out! mkdtemp: %s\n", strerror(errno));
    return 1;
  }
  snprintf(path, sizeof path, "%s/notify", dir);
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
  sock = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    printf("Bail out! socket %s: %s\n", path, strerror(errno));
    return 1;
  }

  /* --- no systemd: nothing at all --- */
  env(NULL, "1000000", getpid());
  ok(!rb_notify_init(), "no NOTIFY_SOCKET: off");
  rb_notify_ready();
  rb_notify_alive();
  rb_notify_status("hello");
  is_str(next_message(), "", "no NOTIFY_SOCKET: nothing sent");
  is_int(rb_notify_timeout(-1), -1, "no NOTIFY_SOCKET: waits are not cut");
  is_int(rb_notify_timeout(70), 70, "no NOTIFY_SOCKET: timeouts kept");
  is_int(rb_notify_watchdog_ms(), 0, "no NOTIFY_SOCKET: no watchdog");

  /* --- a watchdog of an hour: feeds are due every half hour --- */
  env(path, "3600000000", getpid());
  ok(rb_notify_init(), "NOTIFY_SOCKET: on");
  is_int(rb_notify_watchdog_ms(), 3600000, "WATCHDOG_USEC read");
  is_int(rb_notify_timeout(-1), 0, "the first feed is due at once");
  rb_notify_alive();
  is_str(next_message(), "WATCHDOG=1", "the first turn feeds the watchdog");
  rb_notify_alive();
  is_str(next_message(), "", "not again before half the interval");
  timeout = rb_notify_timeout(-1);
  ok(timeout > 0 && timeout <= 1800000,
     "an endless wait ends when the next feed is due (%d ms)", timeout);
  is_int(rb_notify_timeout(250), 250, "a shorter wait is kept");
  is_int(rb_notify_timeout(0), 0, "no wait stays no wait");
  rb_notify_ready();
  is_str(next_message(), "READY=1", "READY=1");
  rb_notify_ready();
  is_str(next_message(), "", "READY=1 once only");
  rb_notify_status("line one\nline %d", 2);
  is_str(next_message(), "STATUS=line one line 2", "STATUS= on one line");
  rb_notify_stopping();
  rb_notify_stopping();
  is_str(next_message(), "STOPPING=1", "STOPPING=1");
  is_str(next_message(), "", "STOPPING=1 once only");

  /* --- a short watchdog: fed again once half of it has passed --- */
  env(path, "20000", getpid());
  rb_notify_init();
  rb_notify_alive();
  is_str(next_message(), "WATCHDOG=1", "20 ms watchdog: fed");
  sleep_ms(15);
  is_int(rb_notify_timeout(-1), 0, "due again after 10 ms");
  rb_notify_alive();
  is_str(next_message(), "WATCHDOG=1", "and fed again");

  /* --- the watchdog is another process's (WATCHDOG_PID) or not set --- */
  env(path, "1000000", (long)getppid());
  rb_notify_init();
  is_int(rb_notify_watchdog_ms(), 0, "WATCHDOG_PID of another process: off");
  rb_notify_alive();
  is_str(next_message(), "", "and nothing fed");
  is_int(rb_notify_timeout(-1), -1, "nor any wait cut");
  rb_notify_ready();
  is_str(next_message(), "READY=1", "READY=1 all the same");
  env(path, NULL, 0);
  rb_notify_init();
  is_int(rb_notify_watchdog_ms(), 0, "no WATCHDOG_USEC: no watchdog");

  /* --- --input STALL blocks the caller, said before and after --- */
  in = rb_input_parse("stall.txt", "0 STALL 50\n0 NEXT\n100 STALL 20\n", err,
                      sizeof err);
  ok(in != NULL, "STALL parses (%s)", in ? "" : err);
  t0 = now_ms();
  ok(in && rb_input_pop(in, 0, &a) && a.kind == RB_ACTION_NEXT,
     "a STALL is carried out on the way to the next action");
  ok(now_ms() - t0 >= 50, "it blocked 50 ms or more (%lld)", now_ms() - t0);
  like(next_message(), "STATUS=stalling the main loop for 50 ms",
       "systemd is told when the stall starts");
  like(next_message(), "after a 50 ms stall", "and when it ends");
  ok(in && !rb_input_pop(in, 100, &a), "a STALL last: nothing to pop");
  ok(in && rb_input_done(in), "and the script is done");
  rb_input_free(in);
  {
    const char *bad[] = {"0 STALL\n", "0 STALL 0\n", "0 STALL 60001\n",
                         "0 STALL 5 s\n", "0 STALL x\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      in = rb_input_parse("stall.txt", bad[i], err, sizeof err);
      ok(in == NULL, "bad STALL %zu refused", i);
      like(err, "stall.txt:1: STALL needs a time", "with file:line");
      rb_input_free(in);
    }
  }

  close(sock);
  unlink(path);
  rmdir(dir);
  return tap_done();
}
