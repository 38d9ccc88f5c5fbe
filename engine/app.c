/* app: the SDL program. It owns the window, the clock, the screen stack
 * and the current session, hands the screens their environment (rb_env),
 * and runs the drive loop (drive.h) with a host that draws, sleeps until
 * the next deadline or event, and turns events into actions. It knows only
 * the root screen; the screens navigate themselves. */
#include "app.h"

#include "buttons.h"
#include "catalog.h"
#include "display.h"
#include "drive.h"
#include "figure.h"
#include "idle.h"
#include "input.h"
#include "kiosk.h"
#include "log.h"
#include "notify.h"
#include "paths.h"
#include "plan.h"
#include "progress.h"
#include "screen.h"
#include "sentry.h"
#include "sound.h"
#include "store.h"

#define RB_APP_PATIENTS_MAX 64
#define RB_APP_PLAN_MAX 32
#include "timeline.h"
#include "ui.h"
#include "wait.h"
#include "watch.h"

#include <SDL.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCREENSHOTS_MAX 8
#define ADMIN_HOLD_MS 2000

struct rb_app {
  rb_app_opts opts;
  rb_display *display; /* the window or panel, and its upright canvas */
  rb_ui *ui;
  rb_wait *wait;
  /* for the sentry's thread: the wait to wake, once it is there */
  _Atomic(rb_wait *) wake;
  rb_sentry *sentry; /* the stop from outside (sentry.h) */
  atomic_bool lost;  /* the sentry found the main thread held */
  /* the sentry's list of files that held the coach (STATE/held-routines;
   * "" without a store) */
  char held[RB_TEXT_MAX];
  rb_clock *clock;
  rb_input *input;
  rb_timeline *tl;
  rb_catalog *catalog;
  rb_screen_stack *stack;
  rb_env env; /* what the screens are handed */
  rb_session *session;
  rb_plan *plan;   /* the session's, from a dry run: "3 of 7" */
  rb_sound *sound; /* the voice, to the card or a WAV */
  rb_buttons *buttons;
  bool dirty;
  rb_ms redraw_at;
  int frames, part_frames;
  bool quit;
  rb_kiosk *kiosk;         /* what the admin screen does */
  rb_backlight *backlight; /* NULL: none (the picture dims instead) */
  rb_idle *idle;           /* home and dim when nobody is there */
  rb_watch *watch;         /* the routines and plugins folders */
  rb_plugins *own_plugins; /* loaded again here (main owns the first) */
  rb_figures *figures;     /* bundled, then the clinic's figures/ */
  bool reload;             /* it changed: load when home is on show */
  int export_seen;         /* the export's state as last seen (WAIT) */
  rb_ms corner_at; /* a press held in the top-left corner opens the admin
                      screen at this raw time; RB_MS_NEVER: none */
  /* the results store: what a routine reads of its patient's past */
  rb_store_reader reader;
  rb_lookup lookup;
  /* who exercises: the store's patients, as the screens see them */
  rb_patient people[RB_APP_PATIENTS_MAX];
  int npeople;
  long long patient; /* 0: nobody chosen yet */
  char patient_name[RB_STORE_NAME_MAX];
  char patient_lang[RB_STORE_LANG_MAX];     /* env.lang points here, not into
                                               people[], which count() rewrites */
  bool patient_fixed;                       /* --patient: never asked */
  rb_plan_item plan_items[RB_APP_PLAN_MAX]; /* the patient's program */
  int nplan;
  long long plan_for; /* whose it is (0: nobody's yet) */
  int exit_code;
  char shots[SCREENSHOTS_MAX][RB_ACTION_VALUE_MAX];
  int nshots;
};

/* --- the current session, as the screens see it (rb_session_port) --- */

/* The app's own sink: logs how a session ended; the exit code follows
 * the last one. */
static void session_ended(void *ud, const rb_session_end *end) {
  rb_app *app = ud;
  if (atomic_load(&app->lost))
    return; /* on the sentry's thread: app_lost says it */
  app->exit_code = rb_drive_exit_code(end->status);
  if (end->status == RB_END_ERROR)
    rb_log_error("%s", end->error);
  else
    rb_log_info("%s ended: %s after %.1f s", end->routine,
                rb_end_status_name(end->status), end->duration_s);
}

static void port_drop(void *ud) {
  rb_app *app = ud;
  rb_session_free(app->session);
  app->session = NULL;
  rb_plan_free(app->plan);
  app->plan = NULL;
}

static bool port_start(void *ud, const char *path) {
  rb_app *app = ud;
  rb_session_opts so = {
      .answers = app->opts.answers,
      .nanswers = app->opts.nanswers,
      .preview = true,
      .voice = rb_sound_voice(app->sound)
                   ? rb_voice_for_session(rb_sound_voice(app->sound))
                   : NULL,
      .plugins = app->opts.plugins,
      .seed = (unsigned)SDL_GetPerformanceCounter()};
  rb_sink kept = {0};
  port_drop(app);
  app->plan = rb_plan_make(path, app->opts.plugins);
  so.plan = app->plan;
  so.language = app->patient_lang[0] ? app->patient_lang : NULL;
  so.params = app->opts.params;
  so.nparams = app->opts.nparams;
  if (app->tl)
    so.sinks[so.nsinks++] = rb_timeline_sink(app->tl);
  so.sinks[so.nsinks++] = (rb_sink){.ud = app, .ended = session_ended};
  if (app->opts.store && app->patient > 0) {
    /* kept as it happens; the routine reads this patient's past */
    app->reader =
        (rb_store_reader){.st = app->opts.store, .patient = app->patient};
    kept = rb_store_sink(app->opts.store, app->patient, app->reader.session);
    so.sinks[so.nsinks++] = kept;
    app->lookup = rb_store_lookup(&app->reader);
    so.lookup = &app->lookup;
  }
  app->session = rb_session_new(path, app->clock, &so);
  if (!app->session) {
    rb_store_sink_free(&kept);
    rb_log_error("%s: out of memory", path);
    return false;
  }
  rb_log_info("starting %s", path);
  rb_session_start(app->session);
  return true;
}

/* --- who exercises (rb_patients_port) --- */

static void be(rb_app *app, const rb_patient *p);

static int people_count(void *ud) {
  rb_app *app = ud;
  int n = app->opts.store ? rb_store_patients(app->opts.store, app->people,
                                              RB_APP_PATIENTS_MAX)
                          : 0;
  app->npeople = n < 0 ? 0 : n > RB_APP_PATIENTS_MAX ? RB_APP_PATIENTS_MAX : n;
  if (n >= 0 && app->patient > 0) {
    /* renamed or removed from a shell while the kiosk runs: follow the
     * name and language; a removed patient is nobody (someone chooses
     * again), unless --patient fixed them */
    bool here = false;
    for (int i = 0; i < app->npeople && !here; i++)
      if (app->people[i].id == app->patient) {
        here = true;
        if (strcmp(app->people[i].name, app->patient_name) != 0 ||
            strcmp(app->people[i].language, app->patient_lang) != 0)
          be(app, &app->people[i]);
      }
    if (!here && !app->patient_fixed && n < RB_APP_PATIENTS_MAX)
      be(app, NULL);
  }
  if (app->patient == 0 && app->npeople == 1 && !app->patient_fixed)
    be(app, &app->people[0]); /* one left: nobody needs asking */
  return app->npeople;
}

static bool people_get(void *ud, int i, char *name, size_t n, bool *pin) {
  rb_app *app = ud;
  if (i < 0 || i >= app->npeople)
    return false;
  snprintf(name, n, "%s", app->people[i].name);
  *pin = app->people[i].pin[0] != '\0';
  return true;
}

static void be(rb_app *app, const rb_patient *p) {
  bool same = p && p->id == app->patient;
  app->patient = p ? p->id : 0;
  app->plan_for = 0; /* their program is read again */
  snprintf(app->patient_name, sizeof app->patient_name, "%s", p ? p->name : "");
  snprintf(app->patient_lang, sizeof app->patient_lang, "%s",
           p ? p->language : "");
  /* the screens speak the patient's language, else the kiosk's */
  app->env.lang = app->patient_lang[0] ? app->patient_lang : NULL;
  if (p && !same)
    /* the patient's number, not the name: the log is the system's */
    rb_log_info("patient %lld is exercising", p->id);
}

static bool people_choose(void *ud, int i, const char *pin) {
  rb_app *app = ud;
  if (i < 0 || i >= app->npeople || strcmp(app->people[i].pin, pin) != 0)
    return false;
  be(app, &app->people[i]);
  return true;
}

static const char *people_current(void *ud) {
  return ((rb_app *)ud)->patient_name;
}

static bool people_can_switch(void *ud) {
  rb_app *app = ud;
  return !app->patient_fixed && app->npeople >= 2;
}

static void people_leave(void *ud) {
  rb_app *app = ud;
  app->plan_for = 0; /* read again: the therapist may have changed it */
  if (!app->patient_fixed && people_count(app) >= 2)
    be(app, NULL);
}

static bool people_progress(void *ud, struct rb_progress *out) {
  rb_app *app = ud;
  if (!app->opts.store || app->patient <= 0)
    return false;
  /* the session just seen too, if it is written within a frame or so:
   * the main loop never waits on the disk for long */
  rb_store_flush_for(app->opts.store, 30);
  return rb_progress_load(app->opts.store, app->patient, app->opts.plugins,
                          time(NULL), 8, out);
}

static int people_plan_days(void *ud, const char *routine_id) {
  rb_app *app = ud;
  if (!app->opts.store || app->patient <= 0)
    return 0;
  if (app->plan_for != app->patient) {
    /* read once per patient chosen, not at every frame */
    app->nplan = rb_store_plan(app->opts.store, app->patient, app->plan_items,
                               RB_APP_PLAN_MAX);
    app->plan_for = app->patient;
  }
  for (int i = 0; i < app->nplan; i++)
    if (strcmp(app->plan_items[i].routine, routine_id) == 0)
      return app->plan_items[i].days_per_week;
  return 0;
}

static const rb_view *port_view(void *ud) {
  rb_app *app = ud;
  return app->session ? rb_session_view(app->session) : NULL;
}

static bool port_act(void *ud, const rb_action *a) {
  rb_app *app = ud;
  return app->session && rb_session_act(app->session, a);
}

/* --- drawing ----------------------------------------------------------------
 */

/* Draws the screens onto the canvas (or straight to the window). */
static void draw(rb_app *app, rb_ms now) {
  rb_display_begin(app->display);
  rb_screen_stack_render(app->stack, app->ui, now);
  if (rb_idle_dimmed(app->idle) && !app->backlight)
    rb_ui_dim(app->ui, 190); /* no backlight to dim: the picture */
}

static void render(rb_app *app) {
  rb_ms now = rb_clock_raw(app->clock);
  char path[4096], err[256];
  /* only a figure moved: its box alone, over the frame the window keeps */
  SDL_Rect box;
  bool part = !app->dirty && !app->nshots && !rb_idle_dimmed(app->idle) &&
              rb_display_begin_part(app->display) &&
              rb_screen_stack_render_part(app->stack, app->ui, now, &box);
  if (!part)
    draw(app, now);
  for (int i = 0; i < app->nshots; i++) {
    snprintf(path, sizeof path, "%s/%s.png",
             app->opts.screenshot_dir ? app->opts.screenshot_dir : ".",
             app->shots[i]);
    if (!rb_ui_screenshot(app->ui, path, err, sizeof err))
      rb_log_error("screenshot %s: %s", path, err);
    else
      rb_log_info("screenshot %s", path);
  }
  app->nshots = 0;
  if (part)
    rb_display_present_part(app->display, box);
  else
    rb_display_present(app->display);
  app->frames++;
  app->part_frames += part;
  app->dirty = false;
  app->redraw_at = rb_screen_stack_next_redraw(app->stack, now);
  rb_buttons_leds(app->buttons, rb_screen_top(app->stack));
}

/* --- input ------------------------------------------------------------------
 */

/* The admin screen: over whatever is on show, except a running routine
 * (a patient is exercising) and itself. */
static void open_admin(rb_app *app) {
  const char *top = rb_screen_name(rb_screen_top(app->stack));
  if (strcmp(top, "run") == 0 || strcmp(top, "admin") == 0)
    return;
  rb_log_info("admin screen opened");
  rb_screen_push(app->stack, rb_screen_admin_new(&app->env));
  app->dirty = true;
}

/* The top-left corner, where a two-second press opens the admin screen:
 * out of the way of a patient's buttons, big enough for a finger. */
static bool in_corner(const rb_app *app, const rb_action *a) {
  int side = rb_ui_px(app->ui, 90);
  return a->x < side && a->y < side;
}

static void dispatch(rb_app *app, const rb_action *action) {
  rb_action tap = *action;
  const rb_action *a = action;
  if (a->kind == RB_ACTION_TAP && app->opts.rotate) {
    rb_display_to_canvas(app->display, &tap.x, &tap.y);
    a = &tap;
  }
  switch (a->kind) {
  case RB_ACTION_NONE:
    return;
  case RB_ACTION_QUIT:
    if (app->nshots)
      render(app); /* the screenshots asked for before it */
    app->quit = true;
    return;
  case RB_ACTION_SCREENSHOT:
    /* taken at the next render, which shows everything before it */
    if (app->nshots < SCREENSHOTS_MAX)
      snprintf(app->shots[app->nshots++], RB_ACTION_VALUE_MAX, "%s", a->value);
    app->dirty = true;
    return;
  default:
    /* buttons are laid out while drawing; a headless run draws lazily */
    if (a->kind == RB_ACTION_TAP && app->dirty)
      draw(app, rb_clock_raw(app->clock));
    if (a->kind == RB_ACTION_RELEASE) {
      app->corner_at = RB_MS_NEVER;
      return;
    }
    if (rb_idle_input(app->idle, rb_clock_raw(app->clock))) {
      app->dirty = true; /* the waking touch or press does nothing else */
      return;
    }
    if (a->kind == RB_ACTION_TAP && in_corner(app, a))
      app->corner_at = rb_clock_raw(app->clock) + ADMIN_HOLD_MS;
    if (rb_screen_stack_action(app->stack, a))
      app->dirty = true;
    else if (a->kind == RB_ACTION_BACK_LONG)
      open_admin(app);
    if (rb_screen_stack_update(app->stack))
      app->dirty = true;
    return;
  }
}

static void handle_event(rb_app *app, const SDL_Event *ev) {
  rb_action a;
  int w, h;
  if (ev->type == SDL_WINDOWEVENT || ev->type == SDL_RENDER_TARGETS_RESET ||
      ev->type == SDL_RENDER_DEVICE_RESET) {
    rb_display_handle(app->display, ev);
    app->dirty = true;
    return;
  }
  if (rb_buttons_event(app->buttons, ev, &a)) {
    dispatch(app, &a);
    return;
  }
  if (rb_sound_ready_event(app->sound, ev)) {
    /* speech finished synthesizing: it may start, a say() may go on */
    if (app->session) {
      rb_sound_catch_up(app->sound, rb_clock_now(app->clock), true);
      rb_session_voice_ready(app->session);
    }
    return;
  }
  rb_display_size(app->display, &w, &h);
  if (rb_action_from_sdl(ev, w, h, &a))
    dispatch(app, &a);
}

/* --- the drive loop's host ---------------------------------------------------
 */

/* A headless run draws only for screenshots and taps: nobody sees it. */
static bool lazy_drawing(const rb_app *app) {
  return app->opts.headless && !app->opts.draw_offscreen;
}

/* True when a headless run has nothing left to do: the scripted input is
 * used up and the routine has ended, or (virtual clock) can never move. */
static bool headless_done(rb_app *app) {
  if (!app->opts.headless)
    return false;
  if (app->input && !rb_input_done(app->input))
    return false;
  if (!app->input && !app->opts.routine)
    return false; /* a headless kiosk runs until it is stopped */
  if (rb_screen_stack_due(app->stack) != RB_MS_NEVER)
    return false; /* a touched answer is about to be saved */
  if (!app->session || rb_session_ended(app->session))
    return true;
  return rb_clock_is_virtual(app->clock) &&
         rb_session_deadline(app->session) == RB_MS_NEVER;
}

/* The host's own next raw deadline: a scripted action, a redraw, the
 * voice (the session's own comes from the drive loop). */
/* An export to a USB stick is under way on its thread. */
static bool exporting(rb_app *app) {
  char said[8];
  return app->env.admin.export_status &&
         app->env.admin.export_status(app->env.admin.ud, said, sizeof said) ==
             1;
}

/* A routine runs by itself: the kiosk is in use, whatever the input. One
 * paused, or waiting for the patient, is not: a patient who walked away
 * leaves it so, and the idle time ends it. */
static bool busy(const rb_app *app) {
  return app->session && !rb_session_ended(app->session) &&
         !rb_clock_paused(app->clock) && !rb_session_waiting(app->session);
}

/* Nobody there: home, dimmed, the patient's summary dropped, and on a
 * shared kiosk nobody chosen (the next person chooses). */
static void go_idle(rb_app *app) {
  if (app->session && !rb_session_ended(app->session))
    rb_session_stop(app->session, "idle"); /* kept, as stopped */
  rb_screen_pop_to(app->stack, 1);
  app->plan_for = 0; /* a change made from a shell shows from now on */
  if (app->session)
    port_drop(app);
  people_leave(app);
  rb_screen_stack_update(app->stack);
  app->dirty = true;
}

/* The bundled figures, then the clinic's figures/ beside its routines
 * (theirs replace ours of the same name). */
static void figure_dirs(const rb_app *app, char bundled[], char clinic[],
                        size_t n) {
  rb_paths_figures(bundled, n);
  rb_figures_clinic_dir(rb_catalog_dir(app->catalog), clinic, n);
}

static void load_figures(rb_app *app) {
  char bundled[RB_TEXT_MAX], clinic[RB_TEXT_MAX];
  const char *dirs[2] = {bundled, clinic};
  rb_figures *fresh;
  figure_dirs(app, bundled, clinic, sizeof bundled);
  fresh = rb_figures_load(dirs, 2);
  if (!fresh) {
    rb_log_error("figures: out of memory loading them");
    return;
  }
  {
    char problems[RB_ERROR_MAX * 4];
    snprintf(problems, sizeof problems, "%s", rb_figures_problems(fresh));
    for (char *l = strtok(problems, "\n"); l; l = strtok(NULL, "\n"))
      rb_log_warn("figure not shown: %s", l);
  }
  rb_figures_free(app->figures);
  app->figures = fresh;
  app->env.figures = fresh;
}

/* The routines folder changed: load it again once home is on show (no
 * screen holds a routine of the old catalog then). */
static void reload_routines(rb_app *app) {
  const char *top = rb_screen_name(rb_screen_top(app->stack));
  rb_catalog *fresh;
  if (!app->reload || busy(app) ||
      (strcmp(top, "home") != 0 && strcmp(top, "who") != 0))
    return;
  app->reload = false;
  if (app->opts.plugins_dir && !app->session) {
    /* no session holds an assessment of the old ones now; a plugin
     * replaced under the same name needs a restart (dlopen keeps the
     * one it has), a new one is taken at once */
    rb_plugins *p = rb_plugins_load(app->opts.plugins_dir);
    if (p) {
      rb_log_info("plugins: loaded again from %s: %d loaded, %d refused",
                  app->opts.plugins_dir, rb_plugins_loaded(p),
                  rb_plugins_refused(p));
      app->opts.plugins = p;
      rb_kiosk_set_plugins(app->kiosk, p);
      rb_plugins_free(app->own_plugins);
      app->own_plugins = p;
    }
  }
  load_figures(app);
  fresh =
      rb_catalog_load_except(rb_catalog_dir(app->catalog), app->opts.plugins,
                             app->held[0] ? app->held : NULL);
  if (!fresh) {
    rb_log_error("routines: out of memory loading them again");
    return;
  }
  rb_catalog_free(app->catalog);
  app->catalog = fresh;
  app->env.catalog = fresh;
  {
    char problems[RB_ERROR_MAX * 4];
    snprintf(problems, sizeof problems, "%s", rb_catalog_problems(fresh));
    for (char *l = strtok(problems, "\n"); l; l = strtok(NULL, "\n"))
      rb_log_warn("not offered: %s", l);
  }
  rb_log_info("routines: loaded again from %s: %d offered",
              rb_catalog_dir(fresh), rb_catalog_count(fresh));
  if (app->input)
    rb_input_event(app->input, "reload");
  app->dirty = true;
}

static rb_ms host_deadline(void *ud) {
  rb_app *app = ud;
  /* nobody sees a headless screen between screenshots */
  rb_ms t = lazy_drawing(app) ? RB_MS_NEVER : app->redraw_at;
  if (app->input && rb_input_next_time(app->input) < t)
    t = rb_input_next_time(app->input);
  if (rb_screen_stack_due(app->stack) < t)
    t = rb_screen_stack_due(app->stack);
  if (app->corner_at < t)
    t = app->corner_at;
  if (rb_idle_due(app->idle, busy(app), rb_clock_raw(app->clock)) < t)
    t = rb_idle_due(app->idle, busy(app), rb_clock_raw(app->clock));
  if (app->watch && rb_watch_due(app->watch) < t)
    t = rb_watch_due(app->watch);
  if (app->session &&
      rb_clock_raw_at(app->clock, rb_sound_deadline(app->sound)) < t)
    t = rb_clock_raw_at(app->clock, rb_sound_deadline(app->sound));
  return t;
}

static rb_session *host_session(void *ud) { return ((rb_app *)ud)->session; }

static bool host_done(void *ud) { return ((rb_app *)ud)->quit; }

/* The session moved by itself: the screens look (the run screen hands
 * over to the summary when it has ended). */
static void host_moved(void *ud) {
  rb_app *app = ud;
  app->dirty = true;
  rb_screen_stack_update(app->stack);
}

/* What is due now happens before a scripted action at the same time (a
 * step ending, an --answer), as it would for a patient a moment later. */
static void catch_up(rb_app *app) {
  bool moved = false;
  if (!app->session)
    return;
  if (rb_session_deadline(app->session) <= rb_clock_raw(app->clock)) {
    rb_session_tick(app->session);
    moved = true;
  }
  while (rb_session_autoplay(app->session))
    moved = true;
  if (moved)
    host_moved(app);
}

/* Draws what changed, then sleeps until `until` or an event and handles
 * what came: events, scripted actions, the sound catching up. */
static bool host_wait(void *ud, rb_ms until) {
  rb_app *app = ud;
  SDL_Event ev;
  rb_action a;
  rb_ms now = rb_clock_raw(app->clock);
  bool got;
  char msg[RB_ERROR_MAX];
  rb_notify_alive(); /* systemd's watchdog: the loop turns */
  if (rb_sentry_stop_asked())
    app->quit = true; /* a signal before SDL could take its quit */
  if (app->nshots ||
      ((app->dirty || app->redraw_at <= now) && !lazy_drawing(app)))
    render(app);
  if (app->frames > 0)
    rb_notify_ready(); /* once: the first frame is up */
  /* the frame just drawn may want the next one sooner (a ring ticking
   * after a press started a hold) */
  if (!lazy_drawing(app) && app->redraw_at < until)
    until = app->redraw_at;
  if (headless_done(app)) {
    if (app->session && !rb_session_ended(app->session)) {
      snprintf(msg, sizeof msg,
               "the scripted input ended while the routine waits for the "
               "patient (%s)",
               app->opts.input ? app->opts.input : "no --input given");
      rb_session_abort(app->session, msg);
    }
    return false;
  }
  if (rb_clock_is_virtual(app->clock)) {
    /* time moves only when nothing else is waiting */
    got = SDL_PollEvent(&ev);
    if (!got && exporting(app))
      SDL_Delay(5); /* real work on a thread: virtual time waits for it */
    else if (!got && !rb_drive_idle(app->clock, until)) {
      if (app->opts.headless) {
        rb_log_warn("nothing left to happen on the virtual clock");
        return false;
      }
      /* a window waits (no longer than systemd's watchdog allows) */
      got = rb_wait_event(app->wait, &ev, rb_notify_timeout(-1));
    }
  } else {
    if (app->watch && until > now + 1000)
      until = now + 1000; /* the folder is looked at every second */
    int timeout = until == RB_MS_NEVER  ? -1
                  : until - now > 60000 ? 60000
                  : until <= now        ? 0
                                        : (int)(until - now);
    got = rb_wait_event(app->wait, &ev, rb_notify_timeout(timeout));
  }
  /* the WAV reaches now before anything starts at now */
  if (app->session)
    rb_sound_catch_up(app->sound, rb_clock_now(app->clock),
                      rb_clock_paused(app->clock));
  while (got) {
    handle_event(app, &ev);
    got = SDL_PollEvent(&ev);
  }
  now = rb_clock_raw(app->clock);
  if (app->input && rb_input_next_time(app->input) <= now)
    catch_up(app);
  if (rb_screen_stack_due(app->stack) <= now) {
    /* a touched answer is saved (before a scripted action at that time) */
    rb_screen_stack_update(app->stack);
    app->dirty = true;
  }
  while (app->input && rb_input_pop(app->input, now, &a))
    dispatch(app, &a);
  if (app->corner_at <= rb_clock_raw(app->clock)) {
    app->corner_at = RB_MS_NEVER;
    open_admin(app);
  }
  now = rb_clock_raw(app->clock);
  if (rb_idle_check(app->idle, now, busy(app)))
    go_idle(app);
  if (app->watch && rb_watch_changed(app->watch, now))
    app->reload = true;
  reload_routines(app);
  if (app->input && app->env.admin.export_status) {
    char said[8];
    int st = app->env.admin.export_status(app->env.admin.ud, said, sizeof said);
    if (st >= 2 && app->export_seen < 2) {
      rb_input_event(app->input, "export");
      app->dirty = true;
    }
    app->export_seen = st;
  }
  return !app->quit;
}

/* --- set-up
 * ------------------------------------------------------------------- */

/* SDL's hints for a kiosk and for tests; false (logged) when there is no
 * display at all, which main turns into the terminal coach. */
static bool start_sdl(const rb_app_opts *opts) {
  const char *driver;
  /* one tap is one action: no synthetic mouse clicks from touches, no
   * synthetic touches from the mouse */
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
  SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (!opts->headless && !getenv("WAYLAND_DISPLAY"))
    /* no compositor: X11 on a desktop, the screen itself on a kiosk; do
     * not let a Wayland probe print errors (SDL_VIDEODRIVER still wins) */
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11,kmsdrm");
  if (opts->headless) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    /* draw in memory; do not load Mesa/EGL for a window nobody sees */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  }
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    rb_log_info("no display: %s", SDL_GetError());
    return false;
  }
  /* SDL falls back to drawing in memory when it finds no display: for
   * anything but --headless that is no display at all */
  driver = SDL_GetCurrentVideoDriver();
  if (!opts->headless && driver &&
      (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0)) {
    SDL_Quit();
    return false;
  }
  rb_log_info("display: SDL %s driver", driver ? driver : "?");
  return true;
}

/* What the program needs besides the display: scripted input, the
 * timeline, the clock, the stack, the routines. */
static bool open_parts(rb_app *app) {
  const rb_app_opts *opts = &app->opts;
  char err[RB_ERROR_MAX];
  if (opts->screenshot_dir && mkdir(opts->screenshot_dir, 0777) != 0 &&
      errno != EEXIST) {
    rb_log_error("--screenshot-dir %s: %s", opts->screenshot_dir,
                 strerror(errno));
    return false;
  }
  if (opts->input &&
      !(app->input = rb_input_load(opts->input, err, sizeof err))) {
    rb_log_error("%s", err);
    return false;
  }
  if (opts->timeline &&
      !(app->tl = rb_timeline_open(opts->timeline, err, sizeof err))) {
    rb_log_error("--timeline: %s", err);
    return false;
  }
  app->clock = rb_clock_new(opts->virtual_clock);
  app->stack = rb_screen_stack_new();
  app->wait = rb_wait_new();
  atomic_store(&app->wake, app->wait);
  app->catalog = rb_catalog_load_except(opts->routines_dir, opts->plugins,
                                        app->held[0] ? app->held : NULL);
  if (app->catalog) { /* the therapist's, not the patient's: the log */
    char problems[RB_ERROR_MAX * 4];
    snprintf(problems, sizeof problems, "%s",
             rb_catalog_problems(app->catalog));
    for (char *l = strtok(problems, "\n"); l; l = strtok(NULL, "\n"))
      rb_log_warn("not offered: %s", l);
  }
  return app->clock && app->stack && app->wait && app->catalog;
}

/* the kiosk's hooks into the app */
static const rb_catalog *kiosk_catalog(void *ud) {
  return ((rb_app *)ud)->catalog;
}

static void kiosk_quit(void *ud) { ((rb_app *)ud)->quit = true; }

/* the admin changed a patient: their program is read again */
static void kiosk_changed(void *ud) {
  rb_app *app = ud;
  app->plan_for = 0;
  people_count(app);
}

static void kiosk_brightness(void *ud, int percent) {
  rb_idle_set_brightness(((rb_app *)ud)->idle, percent);
}

/* The backlight named by the settings (none headless unless a folder is
 * named: a test must not dim the machine it runs on). */
static void open_backlight(rb_app *app) {
  const rb_config *c = app->opts.config;
  char err[512];
  const char *root = c && c->backlight[0] ? c->backlight : NULL;
  if ((c && strcmp(c->backlight, "off") == 0) || (app->opts.headless && !root))
    return;
  app->backlight = rb_backlight_open(root, NULL, err, sizeof err);
  if (!app->backlight)
    rb_log_info("%s", err);
}

/* --- the stop from outside (sentry.h): on the sentry's thread --- */

/* SIGTERM or Ctrl-C: the loop quits as at SDL_QUIT (SDL's own handler is
 * not installed: the signals were taken before SDL_Init). */
static void app_signalled(void *ud, int sig) {
  rb_app *app = ud;
  rb_wait *w = atomic_load(&app->wake);
  (void)sig;
  if (w) { /* SDL is up: its queue is thread-safe */
    SDL_Event quit = {.type = SDL_QUIT};
    SDL_PushEvent(&quit);
    rb_wait_wake(w);
  }
}

/* The main thread is held in routine code and will not come back: the
 * session's end goes to its sinks (timeline, store), the store commits
 * what it was given, one line goes to stderr if it can (never waiting:
 * a full stderr may be what holds the main thread), then the sentry ends
 * the process and systemd starts it again. */
static void app_lost(void *ud, const rb_sentry_loss *loss) {
  rb_app *app = ud;
  char line[RB_ERROR_MAX + 64];
  char msg[RB_ERROR_MAX];
  struct pollfd out = {.fd = STDERR_FILENO, .events = POLLOUT};
  int n;
  atomic_store(&app->lost, true);
  snprintf(msg, sizeof msg, "%s: %s", loss->where, loss->why);
  if (app->session)
    rb_session_abandon(app->session, msg);
  else if (app->held[0] && !loss->by_signal)
    /* held while loading (the catalog's dry run, a session's plan): it
     * would be held again at every start, so it is left off until it
     * changes. Not after a signal: a slow call when systemd stops the
     * coach says nothing against the routine. */
    rb_sentry_remember(app->held, loss->file);
  if (app->opts.store)
    rb_store_flush_for(app->opts.store, 2000);
  /* one line, only if stderr takes it now (a full stderr may be what
   * holds the main thread); its flags are shared with whoever started
   * us, so they are not changed */
  n = snprintf(line, sizeof line, "rebalance: error: %s\n", msg);
  if (n > 0 && poll(&out, 1, 0) == 1 && (out.revents & POLLOUT) &&
      write(STDERR_FILENO, line,
            (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0) {
    /* stderr is gone: the timeline and the store have it */
  }
}

int rb_app_run(rb_app_opts *opts) {
  rb_app app = {.opts = *opts,
                .redraw_at = RB_MS_NEVER,
                .corner_at = RB_MS_NEVER,
                .dirty = true};
  char path[RB_TEXT_MAX];
  int code = 1;

  if (opts->store) {
    /* beside the results: STATE/held-routines */
    const char *db = rb_store_path(opts->store);
    const char *slash = db ? strrchr(db, '/') : NULL;
    if (slash)
      snprintf(app.held, sizeof app.held, "%.*s/held-routines",
               (int)(slash - db), db);
  }
  /* first: the signals are the sentry's, not SDL's */
  atomic_init(&app.wake, NULL);
  atomic_init(&app.lost, false);
  app.sentry = rb_sentry_start(&(rb_sentry_opts){.ud = &app,
                                                 .signalled = app_signalled,
                                                 .lost = app_lost,
                                                 .exit_on_lost = true});
  if (!app.sentry)
    rb_log_warn("the sentry thread did not start (%s): routine code held "
                "in a library call is stopped only by systemd's watchdog",
                strerror(errno));
  if (!start_sdl(opts)) {
    rb_sentry_stop(app.sentry);
    return -1;
  }
  if (!open_parts(&app))
    goto done;
  app.display =
      rb_display_open(&(rb_display_opts){.size = opts->size,
                                         .window = opts->window,
                                         .headless = opts->headless,
                                         .rotate = opts->rotate,
                                         .font = opts->font,
                                         .text_scale = opts->text_scale});
  if (!app.display)
    goto done;
  app.ui = rb_display_ui(app.display);
  app.sound =
      rb_sound_open(&(rb_sound_opts){.voice = opts->voice,
                                     .rate = opts->rate,
                                     .volume = opts->volume,
                                     .mute = opts->mute,
                                     .audio_out = opts->audio_out,
                                     .headless = opts->headless,
                                     .virtual_clock = opts->virtual_clock},
                    app.wait);
  if (!app.sound)
    goto done;
  app.buttons = rb_buttons_open(opts->config, app.wait, opts->bench_presses);
  if (!app.buttons)
    goto done;
  if (opts->routine &&
      !rb_catalog_resolve(app.catalog, opts->routine, path, sizeof path)) {
    rb_log_error("--routine %s: no such routine file or id in %s",
                 opts->routine, rb_catalog_dir(app.catalog));
    goto done;
  }
  open_backlight(&app);
  app.idle = rb_idle_new(
      &(rb_idle_opts){
          .timeout_s = opts->config ? opts->config->idle_timeout_s : 0,
          .brightness = opts->config ? opts->config->brightness : 100,
          .dim_brightness = opts->config ? opts->config->dim_brightness : 10,
          .backlight = app.backlight},
      rb_clock_raw(app.clock));
  if (!app.idle)
    goto done;
  app.watch = rb_watch_new();
  if (app.watch && opts->plugins_dir &&
      !rb_watch_add(app.watch, opts->plugins_dir))
    rb_log_info("plugins: %s is not watched: %s", opts->plugins_dir,
                rb_watch_error(app.watch));
  load_figures(&app);
  if (app.watch) {
    /* a figure dropped in is drawn without a restart too */
    char bundled[RB_TEXT_MAX], clinic[RB_TEXT_MAX];
    figure_dirs(&app, bundled, clinic, sizeof bundled);
    rb_watch_add(app.watch, bundled);
    rb_watch_add(app.watch, clinic);
  }
  if (!app.watch || !rb_watch_add(app.watch, rb_catalog_dir(app.catalog))) {
    rb_log_warn("routines: %s is not watched: new routines appear after a "
                "restart (%s)",
                rb_catalog_dir(app.catalog),
                app.watch ? rb_watch_error(app.watch) : strerror(errno));
    rb_watch_free(app.watch);
    app.watch = NULL;
  }
  app.kiosk = rb_kiosk_new(&(rb_kiosk_opts){
      .config = opts->config,
      .store = opts->store,
      .plugins = opts->plugins,
      .sound = app.sound,
      .volume = opts->volume,
      .brightness =
          app.backlight ? (opts->config ? opts->config->brightness : 100) : -1,
      .ud = &app,
      .set_brightness = kiosk_brightness,
      .catalog = kiosk_catalog,
      .quit = kiosk_quit,
      .changed = kiosk_changed});
  if (!app.kiosk)
    goto done;
  app.env = (rb_env){.nav = rb_screen_stack_nav(app.stack),
                     .catalog = app.catalog,
                     .session = {.ud = &app,
                                 .start = port_start,
                                 .view = port_view,
                                 .act = port_act,
                                 .drop = port_drop},
                     .patients = {.ud = &app,
                                  .count = people_count,
                                  .get = people_get,
                                  .choose = people_choose,
                                  .current = people_current,
                                  .leave = people_leave,
                                  .can_switch = people_can_switch,
                                  .progress = people_progress,
                                  .plan_days = people_plan_days},
                     .admin = rb_kiosk_port(app.kiosk),
                     .figures = app.figures,
                     .clock = app.clock,
                     .voice = rb_sound_voice(app.sound)};
  if (opts->store && opts->patient > 0) {
    /* the only patient, or --patient: nobody is asked */
    people_count(&app);
    for (int i = 0; i < app.npeople; i++)
      if (app.people[i].id == opts->patient)
        be(&app, &app.people[i]);
    app.patient_fixed = opts->patient > 0 && app.npeople >= 2;
  }
  rb_screen_push(app.stack,
                 rb_screen_home_new(&app.env, opts->routine ? path : NULL));
  if (!rb_screen_top(app.stack))
    goto done;
  rb_screen_stack_update(app.stack);
  rb_drive(NULL, app.clock,
           &(rb_drive_host){.ud = &app,
                            .session = host_session,
                            .deadline = host_deadline,
                            .wait = host_wait,
                            .moved = host_moved,
                            .done = host_done});
  rb_notify_stopping();
  code = app.exit_code;
  opts->frames = app.frames;
  opts->part_frames = app.part_frames;
done:
  opts->gpio_stats = rb_buttons_stats(app.buttons);
  rb_buttons_close(app.buttons); /* first: its threads push events */
  {
    /* the last words reach the file, then the session goes before the
     * voice it speaks through */
    rb_ms end = app.session ? rb_clock_now(app.clock) : RB_MS_NEVER;
    port_drop(&app);
    rb_sound_close(app.sound, end);
  }
  rb_screen_stack_free(app.stack);
  rb_kiosk_free(app.kiosk);
  rb_watch_free(app.watch);
  rb_idle_free(app.idle);
  rb_backlight_close(app.backlight);
  rb_sentry_stop(app.sentry); /* before the wait it wakes goes */
  atomic_store(&app.wake, NULL);
  rb_display_close(app.display);
  rb_catalog_free(app.catalog);
  rb_plugins_free(app.own_plugins);
  rb_figures_free(app.figures);
  rb_wait_free(app.wait);
  rb_timeline_close(app.tl);
  rb_input_free(app.input);
  rb_clock_free(app.clock);
  SDL_Quit();
  return code;
}
