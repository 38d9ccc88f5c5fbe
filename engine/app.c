#include "app.h"

#include "audio.h"

#include "catalog.h"
#include "input.h"
#include "log.h"
#include "screen.h"
#include "timeline.h"
#include "tts.h"
#include "ui.h"
#include "voice.h"
#include "wait.h"

#if defined(RB_HAVE_GPIO) && RB_HAVE_GPIO
#include "../hw/gpio.h"
#define HAVE_GPIO 1
#else
#define HAVE_GPIO 0
#endif

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SCREENSHOTS_MAX 8

struct rb_app {
  rb_app_opts opts;
  SDL_Window *win;
  SDL_Renderer *ren;
  rb_ui *ui;
  rb_wait *wait;
  int w, h;            /* the window's pixels */
  SDL_Texture *canvas; /* rotated displays draw here first, upright */
  int cw, ch;          /* the canvas: w x h, or h x w at 90 and 270 */
  rb_clock *clock;
  rb_input *input;
  rb_timeline *tl;
  rb_catalog *catalog;
  rb_screen_stack *stack;
  rb_session *session;
  /* sound: the voice speaks through the mixer to the card or a WAV */
  rb_mixer *mixer;
  rb_tts *tts;
  rb_audio *audio;
  rb_voice *voice;
  Uint32 tts_event; /* pushed by the tts worker when speech is ready */
#if HAVE_GPIO
  rb_gpio *gpio;
  rb_led leds[RB_BUTTONS];
#endif
  Uint32 gpio_event; /* from the GPIO thread: code = button (+256: long) */
  rb_app_gpio_stats gpio_stats;
  SDL_Thread *presser; /* bench: presses through the GPIO path */
  SDL_atomic_t presser_stop;
  bool session_shown_end; /* the summary or error screen is up */
  /* Screen changes asked for by a screen while it handles an action wait
   * until it has returned: changing the stack would free the caller. */
  enum { PENDING_NONE, PENDING_HOME, PENDING_OPEN, PENDING_START } pending;
  int pending_index;
  char pending_path[RB_TEXT_MAX];
  bool dirty;
  rb_ms redraw_at;
  int frames;
  bool quit;
  int exit_code;
  char shots[SCREENSHOTS_MAX][RB_ACTION_VALUE_MAX];
  int nshots;
};

/* --- for screens --------------------------------------------------------- */

int rb_app_routine_count(const rb_app *app) {
  return rb_catalog_count(app->catalog);
}

const rb_meta *rb_app_routine(const rb_app *app, int i) {
  return rb_catalog_meta(app->catalog, i);
}

double rb_app_routine_minutes(const rb_app *app, int i) {
  return rb_catalog_minutes(app->catalog, i);
}

const char *rb_app_routine_problems(const rb_app *app) {
  return rb_catalog_problems(app->catalog);
}

rb_session *rb_app_session(rb_app *app) { return app->session; }

rb_clock *rb_app_clock(rb_app *app) { return app->clock; }

static void drop_session(rb_app *app) {
  rb_session_free(app->session);
  app->session = NULL;
  app->session_shown_end = false;
}

void rb_app_go_home(rb_app *app) { app->pending = PENDING_HOME; }

void rb_app_start_routine(rb_app *app, const char *path) {
  /* path may live in the screen that asks: copy it before anything */
  snprintf(app->pending_path, sizeof app->pending_path, "%s", path);
  app->pending = PENDING_START;
}

void rb_app_open_routine(rb_app *app, int i) {
  app->pending_index = i;
  app->pending = PENDING_OPEN;
}

static void start_routine(rb_app *app, const char *path) {
  rb_session_opts so = {.answers = app->opts.answers,
                        .nanswers = app->opts.nanswers,
                        .preview = true,
                        .voice = app->voice ? rb_voice_for_session(app->voice)
                                            : NULL,
                        .plugins = app->opts.plugins,
                        .seed = (unsigned)SDL_GetPerformanceCounter()};
  rb_screen *run;
  rb_screen_pop_to(app->stack, 1);
  drop_session(app);
  app->session = rb_session_new(path, app->clock, app->tl, &so);
  if (!app->session) {
    rb_log_error("%s: out of memory", path);
    return;
  }
  run = rb_screen_run_new(app);
  if (run)
    rb_screen_push(app->stack, run);
  rb_log_info("starting %s", path);
  rb_session_start(app->session);
}

static void apply_pending(rb_app *app) {
  rb_screen *intro;
  switch (app->pending) {
  case PENDING_HOME:
    rb_screen_pop_to(app->stack, 1);
    drop_session(app);
    break;
  case PENDING_OPEN:
    intro = rb_screen_intro_new(
        app, rb_catalog_meta(app->catalog, app->pending_index),
        rb_catalog_minutes(app->catalog, app->pending_index));
    if (intro)
      rb_screen_push(app->stack, intro);
    break;
  case PENDING_START:
    start_routine(app, app->pending_path);
    break;
  default:
    return;
  }
  app->pending = PENDING_NONE;
  app->dirty = true;
}

/* --- the loop --------------------------------------------------------------
 */

static int exit_code_for(rb_end_status st) {
  return st == RB_END_ERROR ? 1 : st == RB_END_STOPPED ? 2 : 0;
}

/* After the session moved: act for the patient where --answer says so,
 * and put up the summary or error screen once it has ended. */
static void follow_session(rb_app *app) {
  rb_session *s = app->session;
  const rb_view *v;
  rb_screen *next;
  if (!s)
    return;
  while (rb_session_autoplay(s))
    app->dirty = true;
  if (!rb_session_ended(s) || app->session_shown_end)
    return;
  v = rb_session_view(s);
  app->session_shown_end = true;
  app->exit_code = exit_code_for(v->status);
  if (v->status == RB_END_ERROR) {
    rb_log_error("%s", v->error);
    next = rb_screen_error_new(app, v->error);
  } else {
    rb_log_info("%s ended: %s after %.1f s", v->meta->id,
                rb_end_status_name(v->status), v->duration_s);
    next = rb_screen_summary_new(app);
  }
  rb_screen_pop_to(app->stack, 1);
  if (next)
    rb_screen_push(app->stack, next);
  app->dirty = true;
}

/* Makes the canvas for a rotated display (none at 0 degrees) and lays
 * the screens out for its upright size. */
static bool setup_canvas(rb_app *app) {
  bool sideways = app->opts.rotate == 90 || app->opts.rotate == 270;
  if (app->canvas)
    SDL_DestroyTexture(app->canvas);
  app->canvas = NULL;
  app->cw = sideways ? app->h : app->w;
  app->ch = sideways ? app->w : app->h;
  if (app->opts.rotate) {
    app->canvas = SDL_CreateTexture(app->ren, SDL_PIXELFORMAT_ARGB8888,
                                    SDL_TEXTUREACCESS_TARGET, app->cw, app->ch);
    if (!app->canvas) {
      rb_log_error("rotate = %d: %s", app->opts.rotate, SDL_GetError());
      return false;
    }
  }
  rb_ui_resize(app->ui, app->cw, app->ch);
  app->dirty = true;
  return true;
}

/* Window coordinates to the upright canvas: the inverse of the rotation
 * the canvas is drawn with (clockwise, like the panel is turned). */
static void to_canvas(const rb_app *app, int *x, int *y) {
  int wx = *x, wy = *y;
  switch (app->opts.rotate) {
  case 90:
    *x = wy;
    *y = app->w - 1 - wx;
    break;
  case 180:
    *x = app->w - 1 - wx;
    *y = app->h - 1 - wy;
    break;
  case 270:
    *x = app->h - 1 - wy;
    *y = wx;
    break;
  default:
    break;
  }
}

/* Draws the screens onto the canvas (or straight to the window). */
static void draw(rb_app *app, rb_ms now) {
  if (app->canvas)
    SDL_SetRenderTarget(app->ren, app->canvas);
  rb_screen_stack_render(app->stack, app->ui, now);
}

static void update_leds(rb_app *app);

static void render(rb_app *app) {
  rb_ms now = rb_clock_raw(app->clock);
  char path[4096], err[256];
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
  if (app->canvas) {
    SDL_Rect dst = {(app->w - app->cw) / 2, (app->h - app->ch) / 2, app->cw,
                    app->ch};
    SDL_SetRenderTarget(app->ren, NULL);
    SDL_SetRenderDrawColor(app->ren, 0, 0, 0, 255);
    SDL_RenderClear(app->ren);
    SDL_RenderCopyEx(app->ren, app->canvas, NULL, &dst, app->opts.rotate, NULL,
                     SDL_FLIP_NONE);
  }
  SDL_RenderPresent(app->ren);
  app->frames++;
  app->dirty = false;
  app->redraw_at = rb_screen_stack_next_redraw(app->stack, now);
  update_leds(app);
}

static void dispatch(rb_app *app, const rb_action *action) {
  rb_action tap = *action;
  const rb_action *a = action;
  if (a->kind == RB_ACTION_TAP && app->opts.rotate) {
    to_canvas(app, &tap.x, &tap.y);
    a = &tap;
  }
  switch (a->kind) {
  case RB_ACTION_QUIT:
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
    if (rb_screen_stack_action(app->stack, a))
      app->dirty = true;
    apply_pending(app);
    follow_session(app);
    return;
  }
}

/* --- GPIO buttons ----------------------------------------------------------
 * The GPIO thread hands presses over as SDL events (one main thread owns
 * the screens); LEDs follow what the screen on top offers. */

/* The buttons, as the GPIO layer numbers them (hw/gpio.h rb_button). */
enum { BUTTON_PRIMARY, BUTTON_NEXT, BUTTON_BACK, BUTTON_STOP, BUTTONS };
static const rb_action_kind button_action[BUTTONS] = {
    [BUTTON_PRIMARY] = RB_ACTION_PRIMARY,
    [BUTTON_NEXT] = RB_ACTION_NEXT,
    [BUTTON_BACK] = RB_ACTION_BACK,
    [BUTTON_STOP] = RB_ACTION_STOP};

static int64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* On the GPIO thread: hands a press to the main thread. */
static void press_from_thread(rb_app *app, int button, bool long_press,
                              int64_t edge_ns) {
  SDL_Event ev = {.type = app->gpio_event};
  ev.user.code = button + (long_press ? 256 : 0);
  /* the edge time in two halves: pointers are 32 bits on armhf */
  ev.user.data1 = (void *)(uintptr_t)(uint32_t)((uint64_t)edge_ns >> 32);
  ev.user.data2 = (void *)(uintptr_t)(uint32_t)edge_ns;
  SDL_PushEvent(&ev);
  rb_wait_wake(app->wait);
}

static void gpio_pressed(rb_app *app, const SDL_Event *ev) {
  int button = ev->user.code & 255;
  bool long_press = ev->user.code >= 256;
  int64_t edge = (int64_t)(((uint64_t)(uintptr_t)ev->user.data1 << 32) |
                           (uint32_t)(uintptr_t)ev->user.data2);
  rb_action a = {0};
  double late = (double)(monotonic_ns() - edge) / 1e6;
  if (button < 0 || button >= BUTTONS)
    return;
  a.kind = button_action[button];
  if (long_press)
    a.kind = button == BUTTON_BACK   ? RB_ACTION_BACK_LONG
             : button == BUTTON_STOP ? RB_ACTION_STOP_LONG
                                     : RB_ACTION_NONE;
  if (a.kind == RB_ACTION_NONE)
    return;
  /* Four buttons must answer questions too: NEXT goes to the next choice
   * or up the scale, BACK the other way, PRIMARY confirms. (Keys keep
   * Enter to confirm: a keyboard has arrows.) */
  if (!long_press && app->session &&
      (a.kind == RB_ACTION_NEXT || a.kind == RB_ACTION_BACK)) {
    rb_view_kind k = rb_session_view(app->session)->kind;
    bool next = a.kind == RB_ACTION_NEXT;
    if (k == RB_VIEW_ASK)
      a.kind = next ? RB_ACTION_DOWN : RB_ACTION_UP;
    else if (k == RB_VIEW_SCALE || k == RB_VIEW_MEASURE)
      a.kind = next ? RB_ACTION_UP : RB_ACTION_DOWN;
  }
  if (!long_press) { /* a long press comes long_press_ms after its edge */
    app->gpio_stats.presses++;
    app->gpio_stats.late_ms_sum += late;
    if (late > app->gpio_stats.late_ms_max)
      app->gpio_stats.late_ms_max = late;
  }
  dispatch(app, &a);
}

/* bench: BACK presses through the same path, from another thread. */
static int presser(void *ud) {
  rb_app *app = ud;
  for (int i = 0;
       i < app->opts.bench_presses && !SDL_AtomicGet(&app->presser_stop); i++) {
    SDL_Delay(200);
    press_from_thread(app, BUTTON_BACK, false, monotonic_ns());
  }
  return 0;
}

#if HAVE_GPIO
static void gpio_press(void *ud, const rb_gpio_press *p) {
  press_from_thread(ud, (int)p->button, p->long_press, p->edge_ns);
}

static void open_gpio(rb_app *app) {
  const rb_config *cfg = app->opts.config;
  rb_gpio_config gc;
  char problems[1024] = "";
  const char *lines[RB_BUTTONS], *leds[RB_BUTTONS];
  bool any = false;
  if (!cfg)
    return;
  rb_gpio_config_defaults(&gc);
  lines[RB_BUTTON_PRIMARY] = cfg->gpio_primary;
  lines[RB_BUTTON_NEXT] = cfg->gpio_next;
  lines[RB_BUTTON_BACK] = cfg->gpio_back;
  lines[RB_BUTTON_STOP] = cfg->gpio_stop;
  leds[RB_BUTTON_PRIMARY] = cfg->gpio_led_primary;
  leds[RB_BUTTON_NEXT] = cfg->gpio_led_next;
  leds[RB_BUTTON_BACK] = cfg->gpio_led_back;
  leds[RB_BUTTON_STOP] = cfg->gpio_led_stop;
  for (int b = 0; b < RB_BUTTONS; b++) {
    gc.line[b] = lines[b];
    gc.led[b] = leds[b];
    gc.line_active_low[b] = cfg->gpio_line_active_low[b];
    gc.line_pull_up[b] = cfg->gpio_line_pull_up[b];
    any = any || lines[b][0];
  }
  if (!any) {
    rb_log_info("no GPIO buttons set (gpio.* in the settings): touch and "
                "keys only");
    return;
  }
  gc.chip = cfg->gpio_chip;
  gc.active_low = cfg->gpio_active_low;
  gc.pull_up = cfg->gpio_pull_up;
  gc.debounce_ms = cfg->gpio_debounce_ms;
  gc.long_press_ms = cfg->gpio_long_press_ms;
  app->gpio_event = SDL_RegisterEvents(1);
  if (app->gpio_event == (Uint32)-1) {
    app->gpio_event = 0;
    return;
  }
  app->gpio = rb_gpio_open(&gc, gpio_press, app, problems, sizeof problems);
  for (char *line = strtok(problems, "\n"); line; line = strtok(NULL, "\n"))
    rb_log_warn("GPIO: %s", line);
  if (!app->gpio)
    rb_log_warn("no GPIO button could be opened: touch and keys still work");
}

/* Lit where the button does something on this screen; PRIMARY blinks
 * while a hold runs (it pauses it). */
static void update_leds(rb_app *app) {
  rb_led leds[RB_BUTTONS];
  rb_screen *top = rb_screen_top(app->stack);
  const rb_view *v = app->session ? rb_session_view(app->session) : NULL;
  if (!app->gpio)
    return;
  for (int b = 0; b < RB_BUTTONS; b++)
    leds[b] = rb_screen_offers(top, button_action[b]) ? RB_LED_ON : RB_LED_OFF;
  if (v && v->kind == RB_VIEW_HOLD && !v->paused &&
      !rb_session_ended(app->session))
    leds[RB_BUTTON_PRIMARY] = RB_LED_BLINK;
  if (v && (v->kind == RB_VIEW_ASK || v->kind == RB_VIEW_SCALE ||
            v->kind == RB_VIEW_MEASURE)) /* choose with NEXT/BACK, confirm */
    leds[RB_BUTTON_PRIMARY] = leds[RB_BUTTON_NEXT] = leds[RB_BUTTON_BACK] =
        RB_LED_ON;
  if (memcmp(leds, app->leds, sizeof leds) != 0) {
    memcpy(app->leds, leds, sizeof leds);
    rb_gpio_set_leds(app->gpio, leds);
  }
}
#else
static void open_gpio(rb_app *app) {
  const rb_config *cfg = app->opts.config;
  if (cfg && (cfg->gpio_primary[0] || cfg->gpio_next[0] || cfg->gpio_back[0] ||
              cfg->gpio_stop[0]))
    rb_log_warn("gpio.* is set, but this build has no GPIO support "
                "(REBALANCE_GPIO=OFF or no libgpiod): touch and keys only");
  else
    rb_log_info("built without GPIO buttons (REBALANCE_GPIO=OFF or no "
                "libgpiod): touch and keys only");
}

static void update_leds(rb_app *app) { (void)app; }
#endif

static void handle_event(rb_app *app, const SDL_Event *ev) {
  rb_action a;
  if (ev->type == SDL_WINDOWEVENT) {
    if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
      SDL_GetRendererOutputSize(app->ren, &app->w, &app->h);
      setup_canvas(app);
    }
    app->dirty = true;
    return;
  }
  if (ev->type == SDL_RENDER_TARGETS_RESET ||
      ev->type == SDL_RENDER_DEVICE_RESET) {
    rb_ui_textures_lost(app->ui);
    if (ev->type == SDL_RENDER_DEVICE_RESET)
      setup_canvas(app); /* the canvas texture itself is gone */
    app->dirty = true;
    return;
  }
  if (app->gpio_event && ev->type == app->gpio_event) {
    gpio_pressed(app, ev);
    return;
  }
  if (app->tts_event && ev->type == app->tts_event) {
    /* speech finished synthesizing: it may start, a say() may go on */
    if (app->session) {
      rb_voice_update(app->voice, rb_clock_now(app->clock));
      rb_session_voice_ready(app->session);
    }
    return;
  }
  if (rb_action_from_sdl(ev, app->w, app->h, &a))
    dispatch(app, &a);
}

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
  if (!app->session || rb_session_ended(app->session))
    return true;
  return rb_clock_is_virtual(app->clock) &&
         rb_session_deadline(app->session) == RB_MS_NEVER;
}

/* The next raw time anything is due: a session timer, a scripted action,
 * a redraw. */
static rb_ms next_wake(rb_app *app) {
  /* nobody sees a headless screen between screenshots */
  rb_ms t = lazy_drawing(app) ? RB_MS_NEVER : app->redraw_at;
  if (app->session) {
    rb_ms d = rb_session_deadline(app->session);
    if (d < t)
      t = d;
  }
  if (app->input) {
    rb_ms d = rb_input_next_time(app->input);
    if (d < t)
      t = d;
  }
  if (app->session && app->voice) {
    rb_ms d = rb_clock_raw_at(app->clock, rb_voice_deadline(app->voice));
    if (d < t)
      t = d;
  }
  return t;
}

static void loop(rb_app *app) {
  SDL_Event ev;
  char msg[RB_ERROR_MAX];
  while (!app->quit) {
    rb_ms now = rb_clock_raw(app->clock), wake;
    rb_action a;
    bool got;
    if (app->session && app->audio && !rb_clock_paused(app->clock))
      /* the WAV reaches now before anything starts at now */
      rb_audio_advance(app->audio, rb_clock_now(app->clock));
    if (app->session && app->voice)
      rb_voice_update(app->voice, rb_clock_now(app->clock));
    if (app->session && rb_session_deadline(app->session) <= now) {
      rb_session_tick(app->session);
      app->dirty = true;
      follow_session(app);
    }
    while (app->input && rb_input_pop(app->input, now, &a))
      dispatch(app, &a);
    if (app->redraw_at <= now)
      app->dirty = true;
    if (app->nshots || (app->dirty && !lazy_drawing(app)))
      render(app);
    if (headless_done(app)) {
      if (app->session && !rb_session_ended(app->session)) {
        snprintf(msg, sizeof msg,
                 "the scripted input ended while the routine waits for the "
                 "patient (%s)",
                 app->opts.input ? app->opts.input : "no --input given");
        rb_session_abort(app->session, msg);
        follow_session(app);
      }
      break;
    }
    if (app->quit)
      break;
    wake = next_wake(app);
    if (rb_clock_is_virtual(app->clock)) {
      /* time moves only when nothing else is waiting */
      got = SDL_PollEvent(&ev);
      if (!got) {
        if (wake == RB_MS_NEVER) {
          if (!app->opts.headless) {
            got = rb_wait_event(app->wait, &ev, -1); /* a window waits */
          } else {
            rb_log_warn("nothing left to happen on the virtual clock");
            break;
          }
        } else {
          rb_clock_set(app->clock, wake);
        }
      }
    } else {
      int timeout = wake == RB_MS_NEVER  ? -1
                    : wake - now > 60000 ? 60000
                    : wake <= now        ? 0
                                         : (int)(wake - now);
      got = rb_wait_event(app->wait, &ev, timeout);
    }
    while (got) {
      handle_event(app, &ev);
      got = SDL_PollEvent(&ev);
    }
  }
  if (app->quit && app->session && !rb_session_ended(app->session))
    /* SIGTERM (systemd), the window closed, QUIT: the timeline still
     * gets its end, saying why */
    rb_session_abort(app->session,
                     "the program was stopped during the routine");
  if (app->session && rb_session_ended(app->session))
    app->exit_code = exit_code_for(rb_session_status(app->session));
}

/* --- set-up -----------------------------------------------------------------
 */

static bool parse_size(const char *s, int *w, int *h) {
  int a, b;
  char extra;
  if (!s || sscanf(s, "%dx%d%c", &a, &b, &extra) != 2 || a < 200 || b < 200 ||
      a > 8192 || b > 8192)
    return false;
  *w = a;
  *h = b;
  return true;
}

static bool open_display(rb_app *app) {
  Uint32 flags = SDL_WINDOW_SHOWN;
  int w = 800, h = 480;
  if (app->opts.size && !parse_size(app->opts.size, &w, &h)) {
    rb_log_error("--size %s: expected WIDTHxHEIGHT, for example 800x480",
                 app->opts.size);
    return false;
  }
  if (!app->opts.headless && !app->opts.window)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  if (app->opts.window)
    flags |= SDL_WINDOW_RESIZABLE;
  app->win = SDL_CreateWindow("rebalance", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (!app->win) {
    rb_log_error("cannot open a window: %s", SDL_GetError());
    return false;
  }
  if (!app->opts.headless)
    app->ren = SDL_CreateRenderer(
        app->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!app->ren) /* headless, or no GPU: software draws the same */
    app->ren = SDL_CreateRenderer(app->win, -1, SDL_RENDERER_SOFTWARE);
  if (!app->ren) {
    rb_log_error("cannot draw: %s", SDL_GetError());
    return false;
  }
  SDL_GetRendererOutputSize(app->ren, &app->w, &app->h);
  if (!app->opts.headless && !app->opts.window)
    SDL_ShowCursor(SDL_DISABLE); /* a kiosk has no mouse pointer */
  return true;
}

/* Called on the tts worker thread: wake the main loop. */
static void tts_ready(void *ud) {
  rb_app *app = ud;
  SDL_Event ev = {.type = app->tts_event};
  SDL_PushEvent(&ev);
  rb_wait_wake(app->wait);
}

/* The voice: espeak-ng through the mixer to the sound card or a WAV.
 * Without either the coach goes on: captions still show. */
static bool open_sound(rb_app *app) {
  rb_tts_opts to = {.voice = app->opts.voice, .rate = app->opts.rate};
  char err[512];
  int rate = 22050;
  /* a headless run without --audio-out is heard by nobody: no voice, so
   * say() takes no time, as in simulate */
  if (app->opts.headless && !app->opts.audio_out)
    return true;
  app->tts = rb_tts_new(&to, err, sizeof err);
  if (!app->tts)
    rb_log_warn("no speech: %s; cues are shown and sounded", err);
  else
    rate = rb_tts_sample_rate(app->tts);
  app->mixer = rb_mixer_new(rate);
  if (!app->mixer)
    return false;
  rb_mixer_set_volume(app->mixer,
                      app->opts.mute ? 0.0f : (float)app->opts.volume / 100);
  app->audio = rb_audio_open(app->mixer, app->opts.audio_out, err, sizeof err);
  if (!app->audio) {
    rb_log_error("%s", err);
    return false;
  }
  if (!rb_audio_live(app->audio)) {
    /* no sound device (logged once by audio): nobody hears the voice, so
     * there is none and say() takes no time; captions still show */
    rb_audio_close(app->audio);
    app->audio = NULL;
    return true;
  }
  app->voice = rb_voice_new(&(rb_voice_opts){
      .mixer = app->mixer, .tts = app->tts, .sync = app->opts.virtual_clock});
  if (!app->voice)
    return false;
  if (app->tts) {
    app->tts_event = SDL_RegisterEvents(1);
    if (app->tts_event != (Uint32)-1)
      rb_tts_set_notify(app->tts, tts_ready, app);
    else
      app->tts_event = 0;
  }
  return true;
}

static void close_sound(rb_app *app) {
  if (app->audio && app->voice && app->session) {
    /* let the last words ("well done") into the file */
    rb_ms end = rb_clock_now(app->clock);
    if (rb_voice_quiet_at(app->voice) > end)
      end = rb_voice_quiet_at(app->voice);
    rb_audio_advance(app->audio, end + 250);
  }
  if (app->audio && !app->opts.audio_out && rb_audio_live(app->audio)) {
    /* a sound card: let the last words be heard, but never hang */
    for (int i = 0; i < 150 && rb_mixer_busy(app->mixer); i++)
      SDL_Delay(20);
  }
  if (app->tts)
    rb_tts_set_notify(app->tts, NULL, NULL);
  rb_audio_close(app->audio);
  rb_voice_free(app->voice);
  rb_tts_free(app->tts);
  rb_mixer_free(app->mixer);
}

int rb_app_run(rb_app_opts *opts) {
  rb_app app = {.opts = *opts, .redraw_at = RB_MS_NEVER, .dirty = true};
  char err[RB_ERROR_MAX];
  int code = 1;
  rb_screen *home;

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
    return -1;
  }
  {
    /* SDL falls back to drawing in memory when it finds no display: for
     * anything but --headless that is no display at all */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!opts->headless && driver &&
        (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0)) {
      SDL_Quit();
      return -1;
    }
    rb_log_info("display: SDL %s driver", driver ? driver : "?");
  }
  if (opts->screenshot_dir && mkdir(opts->screenshot_dir, 0777) != 0 &&
      errno != EEXIST) {
    rb_log_error("--screenshot-dir %s: %s", opts->screenshot_dir,
                 strerror(errno));
    goto done;
  }
  if (opts->input) {
    app.input = rb_input_load(opts->input, err, sizeof err);
    if (!app.input) {
      rb_log_error("%s", err);
      goto done;
    }
  }
  app.tl = rb_timeline_open(opts->timeline, err, sizeof err);
  if (!app.tl) {
    rb_log_error("--timeline: %s", err);
    goto done;
  }
  app.clock = rb_clock_new(opts->virtual_clock);
  app.stack = rb_screen_stack_new();
  app.wait = rb_wait_new();
  app.catalog = rb_catalog_load(opts->routines_dir, opts->plugins);
  if (!app.clock || !app.stack || !app.catalog || !app.wait)
    goto done;
  if (!open_display(&app))
    goto done;
  if (!open_sound(&app))
    goto done;
  open_gpio(&app);
  if (opts->bench_presses > 0) {
    if (!app.gpio_event)
      app.gpio_event = SDL_RegisterEvents(1);
    app.presser = SDL_CreateThread(presser, "presser", &app);
  }
  app.ui = rb_ui_new(app.ren, opts->font, err, sizeof err);
  if (!app.ui) {
    rb_log_error("%s", err);
    goto done;
  }
  if (!setup_canvas(&app))
    goto done;
  home = rb_screen_home_new(&app);
  if (!home)
    goto done;
  rb_screen_push(app.stack, home);
  if (opts->routine) {
    char path[RB_TEXT_MAX];
    if (!rb_catalog_resolve(app.catalog, opts->routine, path, sizeof path)) {
      rb_log_error("--routine %s: no such routine file or id in %s",
                   opts->routine, rb_catalog_dir(app.catalog));
      goto done;
    }
    start_routine(&app, path);
    follow_session(&app);
  }
  loop(&app);
  code = app.exit_code;
  opts->frames = app.frames;
done:
#if HAVE_GPIO
  rb_gpio_close(app.gpio); /* first: its thread pushes events */
#endif
  if (app.presser) {
    SDL_AtomicSet(&app.presser_stop, 1);
    SDL_WaitThread(app.presser, NULL);
  }
  opts->gpio_stats = app.gpio_stats;
  close_sound(&app);
  drop_session(&app);
  rb_screen_stack_free(app.stack);
  rb_ui_free(app.ui);
  if (app.canvas)
    SDL_DestroyTexture(app.canvas);
  if (app.ren)
    SDL_DestroyRenderer(app.ren);
  if (app.win)
    SDL_DestroyWindow(app.win);
  rb_catalog_free(app.catalog);
  rb_wait_free(app.wait);
  rb_timeline_close(app.tl);
  rb_input_free(app.input);
  rb_clock_free(app.clock);
  SDL_Quit();
  return code;
}
