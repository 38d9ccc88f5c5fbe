/* rebalance: the command line. Parses options, finds the bundled files and
 * hands over to the app (a window or the kiosk), the terminal, or one of
 * the therapist's commands (check, simulate). */
#include "app.h"
#include "bench.h"
#include "catalog.h"
#include "config.h"
#include "drive.h"
#include "log.h"
#include "plugins.h"
#include "session.h"
#include "term.h"
#include "timeline.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ANSWERS_MAX 64

typedef struct {
  const char *command; /* NULL: run the coach */
  const char *files[64];
  int nfiles;
  rb_app_opts app;
  const char *answers[ANSWERS_MAX];
  bool terminal;
  const char *config;
  const char *plugins_dir; /* --plugins DIR, the settings', or the default */
  int bench_seconds;
} cli;

static void usage(FILE *out) {
  fputs("usage: rebalance [OPTIONS]             the coach (fullscreen kiosk)\n"
        "       rebalance check FILE...         validate routines\n"
        "       rebalance simulate FILE         run a routine on the virtual "
        "clock,\n"
        "                                       print its timeline (JSON "
        "lines)\n"
        "       rebalance plugins [--plugins DIR]  list the assessment "
        "plugins, and\n"
        "                                       the files refused and why\n"
        "options:\n"
        "  --window [WxH]        a desktop window instead of fullscreen\n"
        "  --headless            no display (for tests); exits when --routine "
        "ends\n"
        "  --terminal            run a routine in the terminal\n"
        "  --size WxH            window or canvas size (default 800x480; "
        "720x1280 portrait)\n"
        "  --routine ID|FILE     start this routine at once\n"
        "  --routines DIR        where the routines are\n"
        "  --input FILE          scripted actions, one 'T ACTION [VALUE]' a "
        "line\n"
        "  --timeline FILE       write the timeline (JSON lines) here ('-' = "
        "stdout)\n"
        "  --screenshot-dir DIR  where SCREENSHOT actions write PNG files\n"
        "  --virtual-clock       time moves only to the next event\n"
        "  --answer KEY=VALUE    answer a question (repeatable)\n"
        "  --font FILE           a TrueType font instead of DejaVu Sans\n"
        "  --audio-out FILE.wav  write what is heard to a WAV file (on the "
        "routine clock)\n"
        "  --plugins DIR         where the assessment plugins (*.so) are\n"
        "  --config FILE         settings (key = value)\n"
        "exit status with --headless --routine and for simulate: 0 completed, "
        "1 error, 2 stopped\n",
        out);
}

static bool is_size(const char *s) {
  int w, h;
  char extra;
  return s && sscanf(s, "%dx%d%c", &w, &h, &extra) == 2;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Run from its build tree, the program uses its source tree's routines;
 * installed, the shared data directory. */
static const char *default_routines_dir(char *buf, size_t n) {
  char exe[PATH_MAX], build[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    char *slash;
    exe[len] = '\0';
    slash = strrchr(exe, '/');
    if (slash)
      *slash = '\0';
    if (realpath(RB_BUILD_DIR, build) && strcmp(exe, build) == 0) {
      snprintf(buf, n, "%s/scripts/routines", RB_SOURCE_DIR);
      if (is_dir(buf))
        return buf;
    }
  }
  snprintf(buf, n, "%s/routines", RB_DATA_DIR);
  if (is_dir(buf))
    return buf;
  snprintf(buf, n, "%s/scripts/routines", RB_SOURCE_DIR);
  return buf;
}

/* Run from its build tree, the program loads that tree's plugins;
 * installed, PREFIX/lib/rebalance/plugins next to PREFIX/bin/rebalance
 * (also when the tree was installed with another --prefix), else the
 * configured install prefix's. */
static const char *default_plugins_dir(char *buf, size_t n) {
  char exe[PATH_MAX], build[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    char *slash;
    exe[len] = '\0';
    slash = strrchr(exe, '/');
    if (slash)
      *slash = '\0';
    if (realpath(RB_BUILD_DIR, build) && strcmp(exe, build) == 0) {
      snprintf(buf, n, "%s", RB_BUILD_PLUGIN_DIR);
      return buf;
    }
    slash = strrchr(exe, '/');
    if (slash && strcmp(slash, "/bin") == 0) {
      *slash = '\0';
      int len2 = snprintf(buf, n, "%s/%s", exe, RB_PLUGIN_INSTALL_DIR);
      if (len2 > 0 && (size_t)len2 < n && is_dir(buf))
        return buf;
    }
  }
  snprintf(buf, n, "%s", RB_PLUGIN_DIR);
  return buf;
}

/* rebalance plugins: what loaded and what was refused (with the reasons);
 * refusals are not an error. */
static int cmd_plugins(const cli *c) {
  rb_plugins *p;
  rb_log_set_level(RB_LOG_WARN); /* the listing says what loaded */
  p = rb_plugins_load(c->plugins_dir);
  if (!p) {
    fprintf(stderr, "rebalance: out of memory loading plugins\n");
    return 1;
  }
  rb_plugins_print(p, stdout);
  rb_plugins_free(p);
  return 0;
}

/* Options that take one text value, as data: the name and where it goes. */
static const char **string_option(cli *c, const char *name) {
  const struct {
    const char *name;
    const char **dst;
  } opts[] = {
      {"--size", &c->app.size},
      {"--routine", &c->app.routine},
      {"--routines", &c->app.routines_dir},
      {"--input", &c->app.input},
      {"--timeline", &c->app.timeline},
      {"--screenshot-dir", &c->app.screenshot_dir},
      {"--audio-out", &c->app.audio_out},
      {"--font", &c->app.font},
      {"--config", &c->config},
      {"--plugins", &c->plugins_dir},
  };
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
    if (strcmp(name, opts[i].name) == 0)
      return opts[i].dst;
  return NULL;
}

/* Returns 0 on success, or the exit code for a usage error. */
static int parse(int argc, char **argv, cli *c) {
  const char **dst;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE()                                                           \
  do {                                                                         \
    if (!next) {                                                               \
      fprintf(stderr, "rebalance: %s needs a value\n", a);                     \
      return 2;                                                                \
    }                                                                          \
    i++;                                                                       \
  } while (0)
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    } else if (strcmp(a, "--version") == 0) {
      printf("rebalance %s\n", RB_VERSION);
      exit(0);
    } else if (strcmp(a, "--window") == 0) {
      c->app.window = true;
      if (is_size(next)) {
        c->app.size = next;
        i++;
      }
    } else if (strcmp(a, "--headless") == 0) {
      c->app.headless = true;
    } else if (strcmp(a, "--terminal") == 0) {
      c->terminal = true;
    } else if (strcmp(a, "--virtual-clock") == 0) {
      c->app.virtual_clock = true;
    } else if ((dst = string_option(c, a)) != NULL) {
      NEED_VALUE();
      *dst = next;
    } else if (strcmp(a, "--state") == 0) {
      NEED_VALUE();
      fprintf(stderr,
              "rebalance: --state %s: the results store is not built "
              "yet; nothing is kept there for now\n",
              next);
    } else if (strcmp(a, "--seconds") == 0) {
      NEED_VALUE();
      c->bench_seconds = atoi(next);
      if (c->bench_seconds < 1 || c->bench_seconds > 3600) {
        fprintf(stderr, "rebalance: --seconds must be 1 to 3600\n");
        return 2;
      }
    } else if (strcmp(a, "--answer") == 0) {
      NEED_VALUE();
      if (!strchr(next, '=')) {
        fprintf(stderr, "rebalance: --answer %s: expected KEY=VALUE\n", next);
        return 2;
      }
      if (c->app.nanswers == ANSWERS_MAX) {
        fprintf(stderr, "rebalance: too many --answer options\n");
        return 2;
      }
      c->answers[c->app.nanswers++] = next;
    } else if (a[0] == '-') {
      fprintf(stderr, "rebalance: unknown option %s (see --help)\n", a);
      return 2;
    } else if (!c->command && c->nfiles == 0) {
      c->command = a;
    } else if (c->nfiles < (int)(sizeof c->files / sizeof c->files[0])) {
      c->files[c->nfiles++] = a;
    } else {
      fprintf(stderr, "rebalance: too many files\n");
      return 2;
    }
#undef NEED_VALUE
  }
  c->app.answers = c->answers;
  return 0;
}

/* rebalance check FILE...: static checks, then a dry run with default
 * answers that catches what only running shows (hold{seconds=-5}). */
static int cmd_check(const cli *c) {
  int problems = 0;
  if (c->nfiles == 0) {
    fprintf(stderr, "usage: rebalance check FILE...\n");
    return 2;
  }
  for (int i = 0; i < c->nfiles; i++) {
    const char *path = c->files[i];
    char err[RB_ERROR_MAX];
    double seconds;
    int n = rb_routine_check(path, NULL, stdout);
    problems += n;
    if (n > 0)
      continue;
    if (rb_drive_simulate(path, &(rb_session_opts){.plugins = c->app.plugins},
                          &seconds, err, sizeof err) == RB_END_ERROR) {
      printf("%s\n", err);
      problems++;
    } else {
      printf("%s: ok, %d min %02d s with default answers\n", path,
             (int)seconds / 60, (int)seconds % 60);
    }
  }
  return problems ? 1 : 0;
}

static int cmd_simulate(const cli *c) {
  rb_session_opts so = {.answers = c->answers,
                        .nanswers = c->app.nanswers,
                        .plugins = c->app.plugins,
                        .seed = 1};
  char err[RB_ERROR_MAX];
  double seconds;
  rb_timeline *tl;
  rb_end_status st;
  if (c->nfiles != 1) {
    fprintf(stderr, "usage: rebalance simulate FILE [--answer KEY=VALUE]...\n");
    return 2;
  }
  tl = rb_timeline_open(c->app.timeline ? c->app.timeline : "-", err,
                        sizeof err);
  if (!tl) {
    fprintf(stderr, "rebalance: %s\n", err);
    return 1;
  }
  so.sinks[so.nsinks++] = rb_timeline_sink(tl);
  st = rb_drive_simulate(c->files[0], &so, &seconds, err, sizeof err);
  rb_timeline_close(tl);
  if (st == RB_END_ERROR)
    fprintf(stderr, "%s\n", err);
  return rb_drive_exit_code(st);
}

/* Settings from the file fill what the command line left open. */
static void apply_config(cli *c, rb_config *cfg) {
  const char *path = c->config ? c->config : RB_CONFIG_DEFAULT_PATH;
  rb_config_defaults(cfg);
  if (rb_config_load(cfg, path, c->config != NULL, stderr) > 0)
    fprintf(stderr,
            "rebalance: %s: the settings above were ignored; the "
            "rest apply\n",
            path);
  if (!c->app.font && cfg->font[0])
    c->app.font = cfg->font;
  if (!c->app.routines_dir && cfg->routines[0])
    c->app.routines_dir = cfg->routines;
  if (!c->plugins_dir && cfg->plugins[0])
    c->plugins_dir = cfg->plugins;
  if (!cfg->fullscreen && !c->app.headless)
    c->app.window = true;
  c->app.rotate = cfg->rotate;
  c->app.text_scale = cfg->text_scale;
  c->app.config = cfg;
  c->app.voice = cfg->voice[0] ? cfg->voice : NULL;
  c->app.rate = cfg->rate;
  c->app.volume = cfg->volume;
  c->app.mute = cfg->mute;
}

/* Everything but `plugins` (which lists its own load). */
static int run(cli *c) {
  int rc;
  if (c->command && strcmp(c->command, "check") == 0)
    return cmd_check(c);
  if (c->command && strcmp(c->command, "simulate") == 0)
    return cmd_simulate(c);
  if (c->command && strcmp(c->command, "bench") == 0)
    return rb_bench_run(c->app.routines_dir, c->app.plugins, c->app.font,
                        c->bench_seconds ? c->bench_seconds : 10, stdout);
  if (c->command) {
    fprintf(stderr, "rebalance: unknown command '%s' (see --help)\n",
            c->command);
    return 2;
  }
  if (c->app.headless && c->terminal) {
    fprintf(stderr,
            "rebalance: --headless and --terminal exclude each other\n");
    return 2;
  }
  if (!c->terminal) {
    rc = rb_app_run(&c->app);
    if (rc >= 0)
      return rc;
    fprintf(stderr, "rebalance: no display found; running in the terminal "
                    "instead (--window needs X11 or Wayland, the kiosk a "
                    "screen on this machine)\n");
  }
  return rb_term_run(&c->app);
}

int main(int argc, char **argv) {
  cli c = {0};
  rb_config cfg;
  char routines[PATH_MAX], plugins[PATH_MAX];
  rb_plugins *loaded;
  int rc = parse(argc, argv, &c);
  if (rc)
    return rc;
  apply_config(&c, &cfg);
  if (!c.app.routines_dir)
    c.app.routines_dir = default_routines_dir(routines, sizeof routines);
  if (!c.plugins_dir)
    c.plugins_dir = default_plugins_dir(plugins, sizeof plugins);
  if (c.command && strcmp(c.command, "plugins") == 0)
    return cmd_plugins(&c);
  /* assessments for assess(): refused files are logged, the rest load */
  loaded = rb_plugins_load(c.plugins_dir);
  c.app.plugins = loaded;
  rc = run(&c);
  rb_plugins_free(loaded);
  return rc;
}
