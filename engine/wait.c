#include "wait.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define FDS_MAX 64
#define INPUT_DIR "/dev/input"

struct rb_wait {
  bool native;
  int wake_fd;  /* eventfd rung by other threads */
  int watch_fd; /* inotify on /dev/input, -1 when none */
  int inputs[FDS_MAX];
  int ninputs;
};

static void close_inputs(rb_wait *w) {
  for (int i = 0; i < w->ninputs; i++)
    close(w->inputs[i]);
  w->ninputs = 0;
}

/* Opens our own handle on every input device we may read. */
static void scan_inputs(rb_wait *w) {
  DIR *d = opendir(INPUT_DIR);
  struct dirent *de;
  close_inputs(w);
  if (!d)
    return;
  while ((de = readdir(d)) != NULL && w->ninputs < FDS_MAX - 2) {
    char path[300];
    int fd;
    if (strncmp(de->d_name, "event", 5) != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", INPUT_DIR, de->d_name);
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0)
      w->inputs[w->ninputs++] = fd;
  }
  closedir(d);
}

static void drain(int fd) {
  char buf[1024];
  while (read(fd, buf, sizeof buf) > 0)
    ;
}

rb_wait *rb_wait_new(void) {
  rb_wait *w = calloc(1, sizeof *w);
  const char *driver = SDL_GetCurrentVideoDriver();
  if (!w)
    return NULL;
  w->watch_fd = -1;
  w->native =
      driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
  w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (w->wake_fd < 0)
    rb_log_warn("eventfd: %s", strerror(errno));
  /* offscreen and dummy have no input devices */
  if (!w->native && driver && strcmp(driver, "offscreen") != 0 &&
      strcmp(driver, "dummy") != 0) {
    w->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->watch_fd >= 0 &&
        inotify_add_watch(w->watch_fd, INPUT_DIR,
                          IN_CREATE | IN_DELETE | IN_ATTRIB) < 0) {
      close(w->watch_fd);
      w->watch_fd = -1;
    }
    scan_inputs(w);
  }
  return w;
}

void rb_wait_free(rb_wait *w) {
  if (!w)
    return;
  close_inputs(w);
  if (w->watch_fd >= 0)
    close(w->watch_fd);
  if (w->wake_fd >= 0)
    close(w->wake_fd);
  free(w);
}

bool rb_wait_native(const rb_wait *w) { return w->native; }

static Uint64 now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (Uint64)ts.tv_sec * 1000 + (Uint64)ts.tv_nsec / 1000000;
}

bool rb_wait_event(rb_wait *w, SDL_Event *ev, int timeout_ms) {
  Uint64 end = timeout_ms < 0 ? UINT64_MAX : now_ms() + (Uint64)timeout_ms;
  if (timeout_ms == 0) /* SDL 2.26 on X11 would block on a 0 timeout */
    return SDL_PollEvent(ev) == 1;
  if (w->native)
    return timeout_ms < 0 ? SDL_WaitEvent(ev) == 1
                          : SDL_WaitEventTimeout(ev, timeout_ms) == 1;
  for (;;) {
    struct pollfd fds[FDS_MAX];
    int n = 0, left, ready;
    Uint64 now;
    if (SDL_PollEvent(ev))
      return true;
    now = now_ms();
    if (now >= end)
      return false;
    left = end == UINT64_MAX       ? -1
           : end - now > INT32_MAX ? INT32_MAX
                                   : (int)(end - now);
    if (w->wake_fd >= 0)
      fds[n++] = (struct pollfd){.fd = w->wake_fd, .events = POLLIN};
    if (w->watch_fd >= 0)
      fds[n++] = (struct pollfd){.fd = w->watch_fd, .events = POLLIN};
    for (int i = 0; i < w->ninputs; i++)
      fds[n++] = (struct pollfd){.fd = w->inputs[i], .events = POLLIN};
    ready = poll(fds, (nfds_t)n, left);
    if (ready < 0 && errno != EINTR) {
      SDL_Delay(10); /* never spin if poll itself fails */
      continue;
    }
    for (int i = 0; ready > 0 && i < n; i++) {
      if (!(fds[i].revents & (POLLIN | POLLERR | POLLHUP)))
        continue;
      if (fds[i].fd == w->watch_fd) {
        drain(w->watch_fd);
        scan_inputs(w); /* a device came or went */
        break;          /* our fds changed: poll again */
      }
      if (fds[i].revents & (POLLERR | POLLHUP)) {
        scan_inputs(w); /* an unplugged device */
        break;
      }
      drain(fds[i].fd); /* ours only: SDL has its own handle */
    }
  }
}

void rb_wait_wake(rb_wait *w) {
  uint64_t one = 1;
  if (w && w->wake_fd >= 0 && write(w->wake_fd, &one, sizeof one) < 0)
    rb_log_debug("wake: %s", strerror(errno));
}
