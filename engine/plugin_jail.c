/* plugin_jail: a plugin's code runs in a child process first.
 *
 * A plugin is code the clinic installs. Its init() (when it loads) and
 * its evaluate() (when a patient finishes a test) run in a fork of the
 * coach, under a time limit and a seccomp filter that leaves it memory,
 * time and the pipe back, nothing else (no files, sockets or programs):
 * a crash, abort(), exit() or endless loop there ends the child, never
 * the coach, and the plugin is named and refused until the coach
 * restarts. glibc makes fork safe for malloc and stdio in a threaded
 * program; the child touches nothing else of the parent's before it
 * writes its answer and leaves with _exit(). */
#include "plugin_jail.h"

#include "log.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define JAIL_ANSWER_MAX (1 << 20) /* bytes a child may send back */

#if defined(__x86_64__)
#define JAIL_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define JAIL_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define JAIL_ARCH AUDIT_ARCH_ARM
#elif defined(__i386__)
#define JAIL_ARCH AUDIT_ARCH_I386
#else
#error "plugin_jail: the seccomp filter needs this architecture's AUDIT_ARCH"
#endif

static long ms_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The child: memory, time, writing its answer, leaving. Everything else
 * fails with EPERM (open, socket, execve ...), so a plugin cannot reach
 * the patients' data or the network even if it tries. */
static void lock_down(void) {
#define ALLOW(nr)                                                              \
  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),                             \
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
  struct sock_filter f[] = {
      /* this architecture's system calls only: on x86_64, int 0x80 would
       * reach the i386 table, where the numbers mean other calls */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, JAIL_ARCH, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      ALLOW(SYS_write),
      ALLOW(SYS_writev),
      ALLOW(SYS_read),
      ALLOW(SYS_close),
      ALLOW(SYS_exit),
      ALLOW(SYS_exit_group),
      ALLOW(SYS_brk),
      ALLOW(SYS_mmap),
      ALLOW(SYS_munmap),
      ALLOW(SYS_mremap),
      ALLOW(SYS_mprotect),
      ALLOW(SYS_madvise),
      ALLOW(SYS_futex),
      ALLOW(SYS_rt_sigreturn),
      ALLOW(SYS_rt_sigprocmask),
      ALLOW(SYS_rt_sigaction),
      ALLOW(SYS_clock_gettime),
      ALLOW(SYS_gettid),
      ALLOW(SYS_getpid),
      ALLOW(SYS_tgkill), /* abort() */
      ALLOW(SYS_fstat),
      ALLOW(SYS_newfstatat),
      ALLOW(SYS_lseek),
      ALLOW(SYS_sched_yield),
      ALLOW(SYS_getrandom),
      ALLOW(SYS_sigaltstack), /* the sanitizers' signal stack */
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
  };
#undef ALLOW
  struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    _exit(97); /* no jail, no plugin code */
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0 &&
      errno != EINVAL && errno != ENOSYS)
    _exit(97);
  /* EINVAL/ENOSYS: a kernel (or qemu-user) without seccomp filters: the
   * child still contains a crash, an exit() and a loop */
}

static void write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    s += w;
    n -= (size_t)w;
  }
}

/* The CPU time the child has used, in ms (-1 when unknown). */
static long child_cpu_ms(pid_t pid) {
  char path[64], buf[1024], *p;
  unsigned long ut = 0, st = 0;
  FILE *f;
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  f = fopen(path, "r");
  if (!f)
    return -1;
  p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
  fclose(f);
  /* after "(comm)": state, then fields 4..13, then utime and stime */
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                   &ut, &st) != 2)
    return -1;
  return (long)((ut + st) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
}

static bool jail_once(const char *what, int timeout_ms, bool filter,
                      rb_jail_prepare_fn prepare, rb_jail_fn fn, void *ud,
                      char **answer, char *why, size_t whylen, bool *stuck) {
  int fds[2], status = 0;
  pid_t pid;
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  long deadline = ms_now() + timeout_ms;
  bool ok = false, timed_out = false;
  *answer = NULL;
  if (!buf || pipe(fds) != 0) {
    snprintf(why, whylen, "%s: cannot start its process: %s", what,
             strerror(errno));
    free(buf);
    return false;
  }
  fflush(NULL); /* nothing buffered is written twice */
  pid = fork();
  if (pid < 0) {
    snprintf(why, whylen, "%s: cannot start its process: %s", what,
             strerror(errno));
    close(fds[0]);
    close(fds[1]);
    free(buf);
    return false;
  }
  if (pid == 0) {
    char *out = NULL;
    close(fds[0]);
    if (prepare && !prepare(ud))
      _exit(96);
    if (filter)
      lock_down();
    out = fn(ud);
    if (out) {
      write_all(fds[1], out, strlen(out));
      write_all(fds[1], "\n", 1); /* the end: an answer is whole */
    }
    _exit(out ? 0 : 98);
  }
  close(fds[1]);
  for (;;) {
    long left = deadline - ms_now();
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    ssize_t r;
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (poll(&pfd, 1, (int)left) <= 0)
      continue;
    if (len + 1 >= cap) {
      char *bigger;
      if (cap >= JAIL_ANSWER_MAX)
        break;
      bigger = realloc(buf, cap * 2);
      if (!bigger)
        break;
      buf = bigger;
      cap *= 2;
    }
    r = read(fds[0], buf + len, cap - len - 1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    len += (size_t)r;
  }
  close(fds[0]);
  if (timed_out) {
    /* a child that timed out without working was blocked, not busy */
    long cpu = child_cpu_ms(pid);
    *stuck = cpu >= 0 && cpu < timeout_ms / 10;
    kill(pid, SIGKILL);
  }
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  buf[len] = '\0';
  if (timed_out)
    snprintf(why, whylen, "%s did not finish within %d s", what,
             timeout_ms / 1000);
  else if (WIFSIGNALED(status))
    snprintf(why, whylen, "%s crashed (%s)", what, strsignal(WTERMSIG(status)));
  else if (WIFEXITED(status) && WEXITSTATUS(status) == 97)
    snprintf(why, whylen, "%s: the plugin jail could not be set up", what);
  else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || len == 0 ||
           buf[len - 1] != '\n')
    snprintf(why, whylen, "%s ended the process (exit %d) before it answered",
             what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  else
    ok = true;
  if (ok) {
    buf[len - 1] = '\0';
    *answer = buf;
  } else {
    free(buf);
  }
  return ok;
}

/* AddressSanitizer's allocator (GCC 12's libasan) is not fork-safe: a
 * child forked while another thread (the results store's writer) holds
 * its lock blocks on its first malloc. In such a build a child that timed
 * out blocked, not busy, is tried again; glibc's malloc, in the builds a
 * clinic runs, is fork-safe and never needs it. */
#if defined(__SANITIZE_ADDRESS__)
#define JAIL_TRIES 3
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JAIL_TRIES 3
#endif
#endif
#ifndef JAIL_TRIES
#define JAIL_TRIES 1
#endif

bool rb_jail_run(const char *what, int timeout_ms, bool filter,
                 rb_jail_prepare_fn prepare, rb_jail_fn fn, void *ud,
                 char **answer, char *why, size_t whylen) {
  bool ok = false, stuck = true;
  for (int i = 0; i < JAIL_TRIES && !ok && stuck; i++) {
    stuck = false;
    ok = jail_once(what, timeout_ms, filter, prepare, fn, ud, answer, why,
                   whylen, &stuck);
  }
  return ok;
}
