/* The plugin jail: a plugin that crashes, aborts, calls exit() or loops
 * in init() is refused at load, named, and the loader goes on; one that
 * does so in evaluate() fails that evaluation with its name and is
 * refused until restart; garbage it sends back stays harmless; and in
 * its jail it cannot open a file. */
#include "plugins.h"
#include "tap.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Whether this kernel takes seccomp filters (qemu-user does not): tried
 * in a child, with a filter that allows everything. */
static bool seccomp_works(void) {
  struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {.len = 1, .filter = &allow};
  int status = 0;
  pid_t pid = fork();
  if (pid == 0)
    _exit(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                  prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0
              ? 0
              : 1);
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static rb_plugins *load(const char *name) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/tests/faulty/%s", RB_BUILD_DIR, name);
  return rb_plugins_load(dir);
}

static void init_fault(const char *name, const char *why) {
  rb_plugins *p = load(name);
  char problem[1024] = "";
  ok(p != NULL, "%s: the loader survives", name);
  if (!p)
    return;
  is_int(rb_plugins_loaded(p), 0, "%s: not loaded", name);
  is_int(rb_plugins_refused(p), 1, "%s: refused", name);
  rb_plugins_problem(p, 0, problem, sizeof problem);
  ok(strstr(problem, name) && strstr(problem, why), "%s: named, and why (%s)",
     name, problem);
  rb_plugins_free(p);
}

static cJSON *values(double reach) {
  cJSON *v = cJSON_CreateObject();
  cJSON_AddNumberToObject(v, "reach_cm", reach);
  return v;
}

static void eval_fault(const char *name, const char *why) {
  rb_plugins *p = load(name);
  char err[1024] = "";
  cJSON *v = values(12), *r;
  ok(p && rb_plugins_loaded(p) == 1, "%s: loads (its init is fine)", name);
  if (!p) {
    cJSON_Delete(v);
    return;
  }
  r = rb_plugins_evaluate(p, name, v, err, sizeof err);
  ok(r == NULL && strstr(err, name) && strstr(err, why) && strstr(err, ".so"),
     "%s: the evaluation fails, naming the plugin and why (%s)", name, err);
  cJSON_Delete(r);
  r = rb_plugins_evaluate(p, name, v, err, sizeof err);
  ok(r == NULL && strstr(err, "refused until the coach restarts"),
     "%s: and it is refused from then on (%s)", name, err);
  cJSON_Delete(r);
  cJSON_Delete(v);
  rb_plugins_free(p);
}

int main(void) {
  /* under AddressSanitizer a crash is an exit with its report */
  init_fault("crash_init", SANITIZED ? "ended the process" : "crashed");
  init_fault("abort_init", "crashed");
  init_fault("exit_init", "ended the process");
  init_fault("loop_init", "did not finish");
  eval_fault("crash_eval", SANITIZED ? "ended the process" : "crashed");
  eval_fault("abort_eval", "crashed");
  eval_fault("exit_eval", "ended the process");
  eval_fault("loop_eval", "did not finish");
  {
    rb_plugins *p = load("garbage_eval");
    char err[1024] = "";
    cJSON *v = values(5);
    cJSON *r =
        p ? rb_plugins_evaluate(p, "garbage_eval", v, err, sizeof err) : NULL;
    const cJSON *s = cJSON_GetObjectItem(r, "summary");
    ok(r != NULL || err[0], "garbage: an answer or a reason (%s)", err);
    ok(!r || (cJSON_IsString(s) && strlen(s->valuestring) <= 4000),
       "garbage: a 300 kB summary of junk is cut to size");
    cJSON_Delete(r);
    cJSON_Delete(v);
    rb_plugins_free(p);
  }
  {
    rb_plugins *p = load("snoop_eval");
    char err[1024] = "";
    cJSON *v = values(5);
    cJSON *r =
        p ? rb_plugins_evaluate(p, "snoop_eval", v, err, sizeof err) : NULL;
    const cJSON *s = cJSON_GetObjectItem(r, "summary");
    if (seccomp_works())
      ok(r && cJSON_IsString(s) &&
             strcmp(s->valuestring, "no file for a plugin") == 0,
         "snoop: in its jail a plugin cannot open a file (%s)",
         cJSON_IsString(s) ? s->valuestring : err);
    else
      ok(r != NULL, "snoop: no seccomp here (qemu-user?): it still answers "
                    "from its child");
    cJSON_Delete(r);
    cJSON_Delete(v);
    rb_plugins_free(p);
  }
  return tap_done();
}
