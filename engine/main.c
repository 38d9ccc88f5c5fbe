/* rebalance: the command line. Parses options, finds the bundled files and
 * hands over to the app (a window or the kiosk), the terminal, or one of
 * the therapist's commands (check, simulate). */
#include "api_spec.h"
#include "app.h"
#include "bench.h"
#include "catalog.h"
#include "check.h"
#include "cmd_store.h"
#include "config.h"
#include "drive.h"
#include "editor.h"
#include "figure.h"
#include "log.h"
#include "paths.h"
#include "plugins.h"
#include "session.h"
#include "store.h"
#include "term.h"
#include "timeline.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ANSWERS_MAX 64
#define PARAMS_MAX 64

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
  const char *state_dir; /* --state DIR, or the settings' */
  const char *patient;   /* --patient NAME */
  const char *format;    /* export --format */
  const char *since;     /* export --since */
  const char *out;       /* export/report --out */
  const char *params[PARAMS_MAX];
  int nparams;
  rb_store *store; /* the results store, NULL when none */
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
        "       rebalance patients [add NAME | remove NAME | set NAME "
        "KEY=VALUE...]\n"
        "                                       the patients, their routines "
        "and settings\n"
        "       rebalance export --format csv|fhir [--since DATE] [--patient "
        "NAME] [--out FILE]\n"
        "                                       the results, for the clinic's "
        "records\n"
        "       rebalance report --patient NAME --out FILE.pdf\n"
        "                                       a one-page progress report\n"
        "       rebalance figures [--out DIR]   list the movement figures; "
        "render each\n"
        "                                       key pose to DIR/NAME-POSE.png\n"
        "       rebalance new ID [--out DIR]    write ID.lua, a routine to "
        "start from\n"
        "       rebalance editor [DIR]          write LuaLS and luacheck "
        "files for the\n"
        "                                       routine API into DIR "
        "(default .)\n"
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
        "  --state DIR           the results store's folder (default "
        "/var/lib/rebalance;\n"
        "                        headless runs, check and simulate keep "
        "nothing without it)\n"
        "  --patient NAME        who is exercising\n"
        "  --param KEY=VALUE     a routine parameter for param() "
        "(repeatable)\n"
        "exit status with --headless --routine and for simulate: 0 completed, "
        "1 error, 2 stopped\n",
        out);
}

static bool is_size(const char *s) {
  int w, h;
  char extra;
  return s && sscanf(s, "%dx%d%c", &w, &h, &extra) == 2;
}

/* The results store's folder: --state, the settings', or, where results
 * are kept by default (the coach, the store's commands), the build
 * tree's state/ or /var/lib/rebalance. NULL: keep nothing. */
static const char *state_dir(const cli *c, bool by_default) {
  static char buf[PATH_MAX];
  if (c->state_dir)
    return c->state_dir;
  if (!by_default)
    return NULL;
  if (rb_paths_in_build_tree()) {
    snprintf(buf, sizeof buf, "%s/state", RB_BUILD_DIR);
    return buf;
  }
  return "/var/lib/rebalance";
}

/* Opens the store (NULL when none or it cannot be had: said, and the
 * coach goes on without it). */
static rb_store *open_store(const char *dir) {
  char err[PATH_MAX + 128];
  rb_store *st;
  if (!dir)
    return NULL;
  st = rb_store_open(dir, err, sizeof err);
  if (!st)
    rb_log_error("results store: %s; results are not kept", err);
  return st;
}

/* Who exercises: --patient (who must exist), else the only patient (made
 * when there is none). 0 when there are several (the coach asks); -1 when
 * --patient names nobody. */
static long long pick_patient(const cli *c) {
  rb_patient p;
  if (!c->store)
    return 0;
  if (c->patient) {
    if (rb_store_patient_find(c->store, c->patient, &p))
      return p.id;
    fprintf(stderr,
            "rebalance: --patient %s: no such patient (rebalance patients "
            "add NAME)\n",
            c->patient);
    return -1;
  }
  return rb_store_patient_default(c->store, &p) ? p.id : 0;
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
      {"--state", &c->state_dir},
      {"--patient", &c->patient},
      {"--format", &c->format},
      {"--since", &c->since},
      {"--out", &c->out},
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
    } else if (strcmp(a, "--param") == 0) {
      NEED_VALUE();
      if (!strchr(next, '=') || next[0] == '=') {
        fprintf(stderr, "rebalance: --param %s: expected NAME=VALUE\n", next);
        return 2;
      }
      if (c->nparams == PARAMS_MAX) {
        fprintf(stderr, "rebalance: too many --param options\n");
        return 2;
      }
      c->params[c->nparams++] = next;
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
  c->app.params = c->params;
  return 0;
}

/* rebalance check FILE...: static checks, then a dry run with default
 * answers that catches what only running shows (hold{seconds=-5}). */
#define CHECK_FILES_MAX 512

/* Two files given to check with one id: on a kiosk only one of them
 * would be on the list. True (and said, naming both) when path's id was
 * seen before; else it is remembered. */
static bool duplicate_id(const char *path, char (*ids)[RB_SHORT_MAX],
                         int *lines, const char **paths, int *n) {
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
  bool dup = false;
  if (!r)
    return false;
  for (int i = 0; i < *n && !dup; i++)
    if (strcmp(ids[i], rb_routine_meta(r)->id) == 0) {
      printf("%s:%d: the id '%s' is used by %s:%d too: give each routine "
             "its own id (results are kept under it; a kiosk would list "
             "only one of them)\n",
             path, rb_routine_meta(r)->line, ids[i], paths[i], lines[i]);
      dup = true;
    }
  if (!dup && *n < CHECK_FILES_MAX) {
    snprintf(ids[*n], RB_SHORT_MAX, "%s", rb_routine_meta(r)->id);
    lines[*n] = rb_routine_meta(r)->line;
    paths[(*n)++] = path;
  }
  rb_routine_free(r);
  return dup;
}

static int cmd_check(const cli *c) {
  int problems = 0, nids = 0;
  static char ids[CHECK_FILES_MAX][RB_SHORT_MAX];
  int lines[CHECK_FILES_MAX];
  const char *paths[CHECK_FILES_MAX];
  if (c->nfiles == 0) {
    fprintf(stderr, "usage: rebalance check FILE...\n");
    return 2;
  }
  for (int i = 0; i < c->nfiles; i++) {
    const char *path = c->files[i];
    double seconds;
    int n;
    if (rb_figure_file_is(path)) { /* a figure file (assets/figures) */
      char ferr[RB_ERROR_MAX * 4];
      if (rb_figure_check(path, ferr, sizeof ferr)) {
        printf("%s: ok, a figure\n", path);
      } else {
        printf("%s\n", ferr);
        problems++;
      }
      continue;
    }
    n = rb_routine_check(path, NULL, stdout);
    problems += n;
    if (n > 0)
      continue;
    n = rb_check_routine(path, c->app.plugins, &seconds, stdout);
    n += duplicate_id(path, ids, lines, paths, &nids);
    problems += n;
    if (n == 0) {
      rb_figures_check_routine(path, stdout); /* warnings: exit 0 */
      printf("%s: ok, %d min %02d s with default answers\n", path,
             (int)seconds / 60, (int)seconds % 60);
    }
  }
  return problems ? 1 : 0;
}

static int cmd_simulate(const cli *c) {
  rb_store_reader reader = {0};
  rb_lookup lookup;
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
  if (c->app.timeline && strcmp(c->app.timeline, "-") != 0) {
    tl = rb_timeline_open(c->app.timeline, err, sizeof err);
  } else {
    /* stdout is the timeline's alone: anything else printed there (a
     * plugin's printf, a library) goes to stderr and cannot forge a line */
    int out = dup(STDOUT_FILENO);
    fflush(stdout);
    if (out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
      fprintf(stderr, "rebalance: stdout: %s\n", strerror(errno));
      return 1;
    }
    tl = rb_timeline_open_fd(out, err, sizeof err);
  }
  if (!tl) {
    fprintf(stderr, "rebalance: %s\n", err);
    return 1;
  }
  so.sinks[so.nsinks++] = rb_timeline_sink(tl);
  so.params = c->params;
  so.nparams = c->nparams;
  if (c->store) {
    /* with --state, history is read and the session kept there */
    long long patient = pick_patient(c);
    if (patient <= 0) {
      if (patient == 0)
        fprintf(stderr, "rebalance: simulate: there are several patients: "
                        "say which with --patient NAME\n");
      rb_timeline_close(tl);
      return 2;
    }
    reader.st = c->store;
    reader.patient = patient;
    so.sinks[so.nsinks++] = rb_store_sink(c->store, patient, reader.session);
    lookup = rb_store_lookup(&reader);
    so.lookup = &lookup;
  }
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
  if (!c->state_dir && cfg->state[0])
    c->state_dir = cfg->state;
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

/* rebalance editor [DIR]: the editor files for the routine API. */
static int cmd_editor(const cli *c) {
  char err[4200];
  const char *dir = c->nfiles > 0 ? c->files[0] : ".";
  int n = rb_editor_write(dir, err, sizeof err);
  if (n < 0) {
    fprintf(stderr, "rebalance: editor: %s\n", err);
    return 1;
  }
  printf("%s/types/rebalance.lua, %s/.luarc.json and %s/.luacheckrc: the "
         "routine API %s for LuaLS and luacheck\n",
         dir, dir, dir, RB_API_VERSION);
  return 0;
}

/* rebalance new ID [--out DIR]: a routine to start from. */
static int cmd_new(const cli *c) {
  char err[4200], path[4200];
  if (c->nfiles != 1) {
    fprintf(stderr, "usage: rebalance new ID [--out DIR]\n");
    return 2;
  }
  if (rb_editor_new_routine(c->out ? c->out : ".", c->files[0], path,
                            sizeof path, err, sizeof err) != 0) {
    fprintf(stderr, "rebalance: new: %s\n", err);
    return 1;
  }
  printf("%s: written; try it with `rebalance check %s`\n", path, path);
  return 0;
}

/* Everything but `plugins` (which lists its own load). */
static int run(cli *c) {
  int rc;
  if (c->command && strcmp(c->command, "check") == 0)
    return cmd_check(c);
  if (c->command && strcmp(c->command, "simulate") == 0)
    return cmd_simulate(c);
  if (c->command && strcmp(c->command, "patients") == 0)
    return rb_cmd_patients(c->store, c->nfiles, c->files, stdout);
  if (c->command && strcmp(c->command, "report") == 0)
    return rb_cmd_report(c->store, c->app.plugins, c->patient, c->out);
  if (c->command && strcmp(c->command, "export") == 0)
    return rb_cmd_export(
        c->store, &(rb_export_args){.format = c->format,
                                    .since = c->since,
                                    .patient = c->patient,
                                    .out = c->out,
                                    .names = c->app.config &&
                                             c->app.config->export_names});
  if (c->command && strcmp(c->command, "figures") == 0)
    return rb_figures_command(c->app.routines_dir, c->out, c->app.font,
                              c->app.size, stdout, stderr);
  if (c->command && strcmp(c->command, "editor") == 0)
    return cmd_editor(c);
  if (c->command && strcmp(c->command, "new") == 0)
    return cmd_new(c);
  if (c->command && strcmp(c->command, "bench") == 0)
    return rb_bench_run(&c->app, c->state_dir, c->bench_seconds, stdout);
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
  c->app.store = c->store;
  c->app.patient = pick_patient(c);
  c->app.nparams = c->nparams;
  if (c->app.patient < 0)
    return 2;
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
    c.app.routines_dir = rb_paths_routines(routines, sizeof routines);
  if (!c.plugins_dir)
    c.plugins_dir = rb_paths_plugins(plugins, sizeof plugins);
  if (c.command && strcmp(c.command, "plugins") == 0)
    return cmd_plugins(&c);
  if (c.command &&
      (strcmp(c.command, "patients") == 0 || strcmp(c.command, "export") == 0 ||
       strcmp(c.command, "check") == 0))
    rb_log_set_level(RB_LOG_WARN); /* the command says what it did */
  /* assessments for assess(): refused files are logged, the rest load;
   * the commands that write files or draw figures have no use for them
   * (nor for their log lines) */
  if (c.command &&
      (strcmp(c.command, "new") == 0 || strcmp(c.command, "editor") == 0 ||
       strcmp(c.command, "figures") == 0))
    loaded = rb_plugins_load(NULL);
  else
    loaded = rb_plugins_load(c.plugins_dir);
  c.app.plugins = loaded;
  c.app.plugins_dir = c.plugins_dir;
  {
    /* results are kept by the coach (a headless test run and simulate
     * only with --state; check never) and read by the store's commands */
    bool coach = !c.command && !c.app.headless;
    bool store_cmd = c.command && (strcmp(c.command, "patients") == 0 ||
                                   strcmp(c.command, "export") == 0 ||
                                   strcmp(c.command, "report") == 0);
    bool simulate = c.command && strcmp(c.command, "simulate") == 0;
    bool check = c.command && strcmp(c.command, "check") == 0;
    if (coach || store_cmd || simulate || (c.state_dir && !check))
      c.store = open_store(state_dir(&c, coach || store_cmd));
    if (store_cmd && !c.store) {
      rb_plugins_free(loaded);
      return 1;
    }
  }
  rc = run(&c);
  rb_store_close(c.store);
  rb_plugins_free(loaded);
  return rc;
}
