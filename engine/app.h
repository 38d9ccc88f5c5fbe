/* app: the SDL program. Owns the window, the clock, the screen stack, the
 * scripted input, the timeline and the current session; runs the main
 * loop, which sleeps until the next deadline or event.
 *
 * Screens call the functions below; they never reach into rb_app. */
#ifndef RB_APP_H
#define RB_APP_H

#include "buttons.h"
#include "clock.h"
#include "config.h"
#include "lua_host.h"
#include "session.h"

typedef struct rb_app rb_app;

typedef struct {
  const char *size; /* "WxH" or NULL for the default */
  bool window;      /* a desktop window, not fullscreen */
  bool headless;    /* SDL offscreen driver, no display */
  bool virtual_clock;
  const char *routine; /* ID or FILE to start at once, or NULL */
  const char *routines_dir;
  const char *input;          /* --input FILE */
  const char *timeline;       /* --timeline FILE */
  const char *screenshot_dir; /* --screenshot-dir DIR */
  const char *font;           /* TTF path or NULL to find one */
  int rotate;                 /* 0, 90, 180, 270: drawing and touch */
  int text_scale;             /* percent, 100-150: larger text */
  const char *audio_out;      /* --audio-out FILE.wav instead of the card */
  const char *voice;          /* espeak-ng voice, NULL: "en" */
  int rate;                   /* words per minute, 0: the default */
  int volume;                 /* 0-100 */
  bool mute;
  const struct rb_plugins *plugins; /* assessments, NULL: none */
  const char *plugins_dir;    /* where they came from: watched, loaded again
                                 when a plugin is dropped in; NULL: not */
  const rb_config *config;    /* the settings (GPIO buttons), NULL: none */
  const char *const *answers; /* --answer KEY=VALUE */
  int nanswers;
  const char *const *params; /* --param NAME=VALUE */
  int nparams;
  struct rb_store *store; /* the results store, NULL: nothing is kept */
  long long patient;      /* who exercises; 0: the coach asks */
  /* bench: headless, but draw every frame a display would show */
  bool draw_offscreen;
  int frames;      /* out: frames drawn */
  int part_frames; /* out: of them, only a moving figure's box drawn */
  /* bench: feed this many BACK presses through the GPIO path (callback,
   * event, wake, action), one every 200 ms; out: how late they were */
  int bench_presses;
  rb_button_stats gpio_stats;
} rb_app_opts;

/* Runs until quit (kiosk) or, with --headless and --routine, until the
 * routine ends and the scripted input is used up. Returns the exit code:
 * 0 completed (or quit), 1 error, 2 stopped. Returns -1 when there is no
 * display at all (so main can fall back to the terminal). */
int rb_app_run(rb_app_opts *opts);

#endif
