/* screen: a stack of screens, each with input, update and render, in the
 * manner of EmulationStation's GUI stack. Only the top screen gets
 * actions and is drawn.
 *
 * A screen is handed an environment (rb_env): how to move between
 * screens, the routines on offer, the current session, the clock, the
 * voice and the words. It builds its own successor and asks the
 * navigation to show it; the change is made after the screen's action or
 * update has returned, so a screen may ask and go on using its own data.
 * The app knows only the root screen (home). A new screen is one file
 * (its constructor listed below) and one line where it is opened.
 *
 * A screen registers its touch targets (buttons) while it renders; a tap
 * becomes the action of the button under it, so screens handle actions,
 * never raw positions. */
#ifndef RB_SCREEN_H
#define RB_SCREEN_H

#include "action.h"
#include "catalog.h"
#include "clock.h"
#include "ui.h"
#include "view.h"

typedef struct rb_screen rb_screen;
typedef struct rb_nav rb_nav;
struct rb_voice;
struct rb_progress;
struct rb_figures;

/* The current session as screens see it: the app's (or a test's). */
typedef struct {
  void *ud;
  /* Starts the routine at path as the current session, ending any other.
   * False when it could not be started (out of memory). */
  bool (*start)(void *ud, const char *path);
  /* The current session's view; NULL when there is none. */
  const rb_view *(*view)(void *ud);
  /* Hands an action to the current session; true when it changed. */
  bool (*act)(void *ud, const rb_action *a);
  /* Forgets the current session (its summary has been seen). */
  void (*drop)(void *ud);
} rb_session_port;

/* Who exercises, as screens see it (the results store's patients,
 * through the app). Any function may be NULL: nobody is asked. */
typedef struct {
  void *ud;
  /* How many patients there are: with 2 or more, home asks who. */
  int (*count)(void *ud);
  /* The i-th by name: its name into name, *pin when it has a PIN. */
  bool (*get)(void *ud, int i, char *name, size_t n, bool *pin);
  /* Chooses the i-th; false when pin (the digits typed, "" for none) is
   * not its PIN. */
  bool (*choose)(void *ud, int i, const char *pin);
  /* Who exercises now; "" when nobody has been chosen. */
  const char *(*current)(void *ud);
  /* A session was seen through: with several patients the next person
   * chooses again. */
  void (*leave)(void *ud);
  /* Whether someone else may take over now (several patients, none fixed
   * by --patient): home offers "Not NAME?". */
  bool (*can_switch)(void *ud);
  /* The current patient's last weeks (progress.h) into out; false when
   * there is no store or it cannot be read. */
  bool (*progress)(void *ud, struct rb_progress *out);
  /* Days a week the current patient's therapist assigned routine_id (0:
   * not assigned): home shows the patient's program first. */
  int (*plan_days)(void *ud, const char *routine_id);
} rb_patients_port;

/* What the admin screen does to the kiosk (the app's kiosk.c, or a
 * test's). Any function may be NULL: that part is not offered. Texts
 * written into out are one line each, for the clinic. */
typedef struct {
  void *ud;
  /* The admin PIN; "" when none is set (the admin screen stays closed). */
  const char *(*pin)(void *ud);
  /* Tries a typed PIN at raw time now: 0 right, -1 wrong, N > 0 the pad
   * rests N more seconds (too many wrong tries: kept across openings of
   * the screen, longer each time). */
  int (*try_pin)(void *ud, const char *typed, rb_ms now);
  /* Seconds the pad still rests at raw time now (0: none). */
  int (*pin_rest_s)(void *ud, rb_ms now);
  /* Patients: add, remove, set KEY=VALUE (as `rebalance patients`);
   * false with why in err. */
  bool (*patient_add)(void *ud, const char *name, char *err, size_t n);
  bool (*patient_remove)(void *ud, const char *name, char *err, size_t n);
  bool (*patient_set)(void *ud, const char *name, const char *key,
                      const char *value, char *err, size_t n);
  /* A patient's setting: "language" (a code, "" the kiosk's), "pin" ("set"
   * or ""), or the i-th parameter ("param", i: "ROUTINE.NAME=VALUE");
   * false when there is none. */
  bool (*patient_get)(void *ud, const char *name, const char *what, int i,
                      char *out, size_t n);
  /* Days a week name's therapist assigned routine_id (0: not). */
  int (*plan_days)(void *ud, const char *name, const char *routine_id);
  /* Sound: volume 0-100 (kept across restarts); the voice says a test. */
  int (*volume)(void *ud);
  void (*set_volume)(void *ud, int percent);
  void (*voice_test)(void *ud);
  /* Brightness 0-100 (kept); -1 when there is no backlight. */
  int (*brightness)(void *ud);
  void (*set_brightness)(void *ud, int percent);
  /* Results to a USB stick: CSV, FHIR and each patient's PDF report.
   * True with where in msg; false with why. */
  bool (*export_usb)(void *ud, char *msg, size_t n);
  /* The export: 0 none yet, 1 under way (export_usb only started it), 2
   * done, 3 failed; when ended, what happened in msg. May be NULL (then
   * export_usb did it all before returning). */
  int (*export_status)(void *ud, char *msg, size_t n);
  /* The i-th problem of routines, figures, plugins and the store
   * (FILE:LINE: message); false past the last. */
  bool (*problem)(void *ud, int i, char *out, size_t n);
  /* The i-th most recent log line; false past the last kept. */
  bool (*log_line)(void *ud, int i, char *out, size_t n);
  /* The coach starts again (systemd restarts it); the Pi powers off.
   * False with why in msg (then nothing happened). */
  bool (*restart)(void *ud, char *msg, size_t n);
  bool (*power_off)(void *ud, char *msg, size_t n);
} rb_admin_port;

/* What a screen is handed; every pointer outlives the screens. */
typedef struct {
  rb_nav *nav;               /* push, replace, pop, home */
  const rb_catalog *catalog; /* the routines on offer */
  rb_session_port session;
  rb_patients_port patients;
  rb_admin_port admin;
  const struct rb_figures *figures; /* movement figures; NULL: none */
  rb_clock *clock;                  /* the routine clock */
  struct rb_voice *voice;           /* NULL: no voice */
  const char *lang;                 /* the words: rb_phrase_text(lang, ...) */
} rb_env;

/* --- navigation: applied after the current action or update returns --- */
void rb_nav_push(rb_nav *n, rb_screen *s);    /* over the top */
void rb_nav_replace(rb_nav *n, rb_screen *s); /* instead of the top */
void rb_nav_pop(rb_nav *n);                   /* the top */
void rb_nav_home(rb_nav *n);                  /* back to the root */

/* --- the screens --- */
/* start_path: a routine to start at once (--routine), or NULL. */
rb_screen *rb_screen_home_new(const rb_env *env, const char *start_path);
rb_screen *rb_screen_intro_new(const rb_env *env, int routine);
rb_screen *rb_screen_run_new(const rb_env *env);     /* the session's view */
rb_screen *rb_screen_summary_new(const rb_env *env); /* the ended session */
rb_screen *rb_screen_error_new(const rb_env *env, const char *message);
rb_screen *rb_screen_who_new(const rb_env *env);      /* who is exercising? */
rb_screen *rb_screen_progress_new(const rb_env *env); /* my progress */
/* The clinic's: the PIN first (closed, saying how to set one, when none
 * is set), then patients, sound, brightness, a test of the buttons and
 * touch, export, problems, the log, restart and power off. */
rb_screen *rb_screen_admin_new(const rb_env *env);

/* --- a screen's parts --- */
typedef struct {
  const char *name; /* "home", "intro", "run", "summary", "error" */
  /* Returns true if the action was used (the screen will be redrawn). */
  bool (*action)(rb_screen *s, const rb_action *a);
  /* Something may have changed outside (the session moved): look and
   * navigate if needed. May be NULL. */
  void (*update)(rb_screen *s);
  /* Draws the whole screen for raw time now, registering buttons. */
  void (*render)(rb_screen *s, rb_ui *ui, rb_ms now);
  /* Raw time at which the screen wants its next redraw without any
   * action (a countdown ticking), RB_MS_NEVER when it is static. May be
   * NULL (static). */
  rb_ms (*next_redraw)(rb_screen *s, rb_ms now);
  /* Draws over the last frame only what moved by itself since the last
   * render (a figure between two changes of the timer), for raw time
   * now, setting *drawn to what it drew over; false when anything else
   * would look different and a whole render is needed. Never registers
   * buttons. May be NULL. */
  bool (*render_part)(rb_screen *s, rb_ui *ui, rb_ms now, SDL_Rect *drawn);
  /* Raw time at which update must run without any action (an answer
   * saved when its moment to change it is over), RB_MS_NEVER when none;
   * a headless run waits for it too. May be NULL. */
  rb_ms (*due)(rb_screen *s);
  void (*destroy)(rb_screen *s); /* may be NULL */
} rb_screen_ops;

rb_screen *rb_screen_alloc(const rb_env *env, const rb_screen_ops *ops,
                           size_t data_size);
void *rb_screen_data(rb_screen *s);
const rb_env *rb_screen_env(const rb_screen *s);
const char *rb_screen_name(const rb_screen *s);
void rb_screen_free(rb_screen *s);

/* Buttons: cleared at the start of each render, added while drawing. */
void rb_screen_clear_buttons(rb_screen *s);
void rb_screen_add_button(rb_screen *s, SDL_Rect r, rb_action_kind kind,
                          const char *value);
/* The screen takes this action without a touch target (a GPIO button's
 * LED lights for it), blinking while something runs that it would stop. */
void rb_screen_offer(rb_screen *s, rb_action_kind kind, bool blink);
/* True when the screen, as last drawn, has a button for this action. */
bool rb_screen_offers(const rb_screen *s, rb_action_kind kind);
bool rb_screen_blinks(const rb_screen *s, rb_action_kind kind);
/* Turns a TAP into the action of the button under it. */
bool rb_screen_hit(const rb_screen *s, int x, int y, rb_action *out);

/* --- the stack --- */
typedef struct rb_screen_stack rb_screen_stack;
rb_screen_stack *rb_screen_stack_new(void);
void rb_screen_stack_free(rb_screen_stack *st);
/* The navigation screens are handed (in rb_env). */
rb_nav *rb_screen_stack_nav(rb_screen_stack *st);
void rb_screen_push(rb_screen_stack *st, rb_screen *s);
void rb_screen_pop(rb_screen_stack *st);               /* frees the top */
void rb_screen_pop_to(rb_screen_stack *st, int depth); /* keep `depth` */
int rb_screen_depth(const rb_screen_stack *st);
rb_screen *rb_screen_top(const rb_screen_stack *st);
/* Sends an action to the top screen (a TAP is hit-tested first), then
 * makes the changes it asked for. */
bool rb_screen_stack_action(rb_screen_stack *st, const rb_action *a);
/* Lets the top screen look at what changed, then makes the changes it
 * asked for. Returns true when the stack changed. */
bool rb_screen_stack_update(rb_screen_stack *st);
void rb_screen_stack_render(rb_screen_stack *st, rb_ui *ui, rb_ms now);
/* Draws only what moved on the top screen when it was the one last
 * rendered whole (see render_part); false: render the stack instead. */
bool rb_screen_stack_render_part(rb_screen_stack *st, rb_ui *ui, rb_ms now,
                                 SDL_Rect *drawn);
rb_ms rb_screen_stack_next_redraw(rb_screen_stack *st, rb_ms now);
/* The top screen's `due`: when update must run by itself. */
rb_ms rb_screen_stack_due(rb_screen_stack *st);

#endif
