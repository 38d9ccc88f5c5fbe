/* test_screens: renders every screen with made-up data on the offscreen
 * SDL driver, saves PNGs (argv[1] or ./screens-out) and checks that they
 * are not blank, that the key buttons are where they are drawn, and that
 * each screen hands over to the right next one.
 *
 * Screens get a test environment: a real stack and its navigation, a
 * real catalog loaded from routine files written here, and a session
 * port whose view is made up (g_view) and which records what the screens
 * ask of it. */
#include "figure.h"
#include "plugins.h"
#include "progress.h"
#include "progress_data.h"
#include "screen.h"
#include "screen_parts.h"
#include "store.h"
#include "tap.h"
#include "ui.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- the test environment --- */

static rb_view g_view;
static rb_meta g_meta[6]; /* what the catalog's files declare */
static int g_nmeta;
static rb_clock *g_clock;
static bool g_has_session = true;
static char g_started[RB_TEXT_MAX];
static int g_dropped;
static rb_action g_acted;
static int g_nacted;
static rb_env g_env;
static rb_catalog *g_catalog_ok, *g_catalog_broken;
static char g_dir[64];

static bool port_start(void *ud, const char *path) {
  (void)ud;
  snprintf(g_started, sizeof g_started, "%s", path);
  return true;
}
static const rb_view *port_view(void *ud) {
  (void)ud;
  return g_has_session ? &g_view : NULL;
}
static bool port_act(void *ud, const rb_action *a) {
  (void)ud;
  g_acted = *a;
  g_nacted++;
  return true;
}
static void port_drop(void *ud) {
  (void)ud;
  g_dropped++;
}

/* --- helpers --- */

typedef struct {
  int w, h;
  int scale; /* text_scale in percent */
  SDL_Window *win;
  SDL_Renderer *r;
  rb_ui *ui;
  Uint32 *px; /* last frame, ARGB */
} canvas;

static const char *g_out = "screens-out";
/* The screen on show has text for the therapist (home's notice about a
 * routine that did not load), which may be smaller than a patient's. */
static bool g_therapist_text;

static bool canvas_open_scaled(canvas *c, int w, int h, int scale) {
  char err[256] = "";
  memset(c, 0, sizeof *c);
  c->w = w;
  c->h = h;
  c->scale = scale;
  c->win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
  if (!c->win)
    return false;
  c->r = SDL_CreateRenderer(c->win, -1, SDL_RENDERER_SOFTWARE);
  if (!c->r)
    return false;
  c->ui = rb_ui_new(c->r, NULL, err, sizeof err);
  if (!c->ui) {
    printf("# rb_ui_new: %s\n", err);
    return false;
  }
  rb_ui_resize(c->ui, w, h);
  if (scale > 100)
    rb_ui_set_text_scale(c->ui, (float)scale / 100.0f);
  c->px = malloc((size_t)w * (size_t)h * 4);
  return c->px != NULL;
}

static bool canvas_open(canvas *c, int w, int h) {
  return canvas_open_scaled(c, w, h, 100);
}

static void canvas_close(canvas *c) {
  rb_ui_free(c->ui);
  if (c->r)
    SDL_DestroyRenderer(c->r);
  if (c->win)
    SDL_DestroyWindow(c->win);
  free(c->px);
  memset(c, 0, sizeof *c);
}

static int cmp_u32(const void *a, const void *b) {
  Uint32 x = *(const Uint32 *)a, y = *(const Uint32 *)b;
  return x < y ? -1 : x > y;
}

/* Renders the stack's top, saves NAME-WxH.png, checks it is not blank. */
static void shoot(canvas *c, rb_screen_stack *st, const char *name) {
  char path[512], err[256] = "";
  int n = c->w * c->h, distinct = 1, fg = 0;
  Uint32 *sorted;
  int ow = 0, oh = 0;
  Uint32 bg =
      0xff000000u | (RB_COL_BG.r << 16) | (RB_COL_BG.g << 8) | RB_COL_BG.b;
  const char *tag = c->scale > 100 ? " at text_scale 1.5" : "";

  rb_ui_text_stats_reset(c->ui);
  rb_screen_stack_render(st, c->ui, g_clock ? rb_clock_raw(g_clock) : 0);
  if (!g_therapist_text) {
    /* Read from 2-3 m: no text below the minimum (4 mm capitals on the
     * 7" panel), the words of a step at least 6 mm, nothing cut short,
     * at every size. */
    int min = rb_ui_text_min_px(c->ui);
    int primary = rb_ui_text_min_primary_px(c->ui);
    ok(min >= rb_ui_px(c->ui, RB_TEXT_MIN), "%s %dx%d%s: smallest text %d px",
       name, c->w, c->h, tag, min);
    ok(primary == 0 || primary >= rb_ui_px(c->ui, RB_TEXT_PRIMARY),
       "%s %dx%d%s: smallest primary word %d px", name, c->w, c->h, tag,
       primary);
    is_int(rb_ui_text_cuts(c->ui), 0, "%s %dx%d%s: no text cut short", name,
           c->w, c->h, tag);
  }
  /* the setting does what it says: larger text on every screen */
  if (c->scale > 100)
    ok(rb_ui_text_grown(c->ui) > 0,
       "%s %dx%d: text_scale makes %d texts larger", name, c->w, c->h,
       rb_ui_text_grown(c->ui));
  else
    is_int(rb_ui_text_grown(c->ui), 0, "%s %dx%d: no text larger than asked",
           name, c->w, c->h);
  if (c->scale > 100)
    snprintf(path, sizeof path, "%s/%s-%dx%d-text%d.png", g_out, name, c->w,
             c->h, c->scale);
  else
    snprintf(path, sizeof path, "%s/%s-%dx%d.png", g_out, name, c->w, c->h);
  ok(rb_ui_screenshot(c->ui, path, err, sizeof err), "%s: saved %s %s", name,
     path, err);
  SDL_GetRendererOutputSize(c->r, &ow, &oh);
  ok(ow == c->w && oh == c->h, "%s: output is %dx%d", name, ow, oh);
  SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_ARGB8888, c->px, c->w * 4);
  sorted = malloc((size_t)n * 4);
  if (!sorted)
    return;
  for (int i = 0; i < n; i++) {
    sorted[i] = c->px[i] | 0xff000000u;
    if (sorted[i] != bg)
      fg++;
  }
  qsort(sorted, (size_t)n, 4, cmp_u32);
  for (int i = 1; i < n; i++)
    distinct += sorted[i] != sorted[i - 1];
  free(sorted);
  ok(distinct >= 30, "%s %dx%d: %d distinct colours", name, c->w, c->h,
     distinct);
  ok(fg > n / 25, "%s %dx%d: %d%% drawn on", name, c->w, c->h, fg * 100 / n);
  SDL_RenderPresent(c->r);
}

typedef struct {
  int x0, y0, x1, y1, count;
} box;

/* Where on screen a tap gives this action (value NULL: any value). */
static box find_target(const rb_screen *s, int w, int h, rb_action_kind kind,
                       const char *value) {
  box b = {w, h, -1, -1, 0};
  rb_action a;
  for (int y = 2; y < h; y += 4)
    for (int x = 2; x < w; x += 4)
      if (rb_screen_hit(s, x, y, &a) && a.kind == kind &&
          (!value || strcmp(a.value, value) == 0)) {
        b.count++;
        if (x < b.x0)
          b.x0 = x;
        if (y < b.y0)
          b.y0 = y;
        if (x > b.x1)
          b.x1 = x;
        if (y > b.y1)
          b.y1 = y;
      }
  return b;
}

static SDL_Color pixel(const canvas *c, int x, int y) {
  Uint32 p = c->px[y * c->w + x];
  SDL_Color col = {(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 255};
  return col;
}

static bool near_color(SDL_Color a, SDL_Color b) {
  return abs(a.r - b.r) < 40 && abs(a.g - b.g) < 40 && abs(a.b - b.b) < 40;
}

/* A button for this action exists, is big enough for a fist, taps at its
 * centre give the action, and it is drawn in `fill` (unless NULL). */
static box check_button(canvas *c, rb_screen *s, const char *what,
                        rb_action_kind kind, const char *value,
                        const SDL_Color *fill, int min_base) {
  box b = find_target(s, c->w, c->h, kind, value);
  int minpx = rb_ui_px(c->ui, (float)min_base);
  rb_action a;
  ok(b.count > 0, "%s %dx%d: has a %s target", what, c->w, c->h,
     rb_action_name(kind));
  if (b.count == 0)
    return b;
  ok(b.x1 - b.x0 + 4 >= minpx && b.y1 - b.y0 + 4 >= minpx,
     "%s %dx%d: target is %dx%d px (>= %d)", what, c->w, c->h, b.x1 - b.x0 + 4,
     b.y1 - b.y0 + 4, minpx);
  ok(rb_screen_hit(s, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, &a) &&
         a.kind == kind,
     "%s: tap at the centre is %s", what, rb_action_name(kind));
  if (fill) {
    SDL_Color p = pixel(c, b.x0 + 6, (b.y0 + b.y1) / 2);
    ok(near_color(p, *fill), "%s: drawn in its colour (%d,%d,%d)", what, p.r,
       p.g, p.b);
  }
  return b;
}

static rb_action act(rb_action_kind k, const char *value) {
  rb_action a;
  memset(&a, 0, sizeof a);
  a.kind = k;
  snprintf(a.value, sizeof a.value, "%s", value ? value : "");
  return a;
}

static void tap(rb_screen_stack *st, box b) {
  rb_action a = act(RB_ACTION_TAP, NULL);
  a.x = (b.x0 + b.x1) / 2;
  a.y = (b.y0 + b.y1) / 2;
  rb_screen_stack_action(st, &a);
}

/* --- made-up data --- */

static void add_meta(const char *id, const char *title, const char *summary,
                     const char *area1, const char *area2, const char *equip,
                     double minutes) {
  rb_meta *m = &g_meta[g_nmeta++];
  memset(m, 0, sizeof *m);
  snprintf(m->path, sizeof m->path, "%s/%d-%s.lua", g_dir, g_nmeta, id);
  snprintf(m->id, sizeof m->id, "%s", id);
  snprintf(m->title, sizeof m->title, "%s", title);
  snprintf(m->summary, sizeof m->summary, "%s", summary);
  if (area1)
    snprintf(m->areas[m->nareas++], RB_SHORT_MAX, "%s", area1);
  if (area2)
    snprintf(m->areas[m->nareas++], RB_SHORT_MAX, "%s", area2);
  if (equip)
    snprintf(m->equipment[m->nequipment++], RB_SHORT_MAX, "%s", equip);
  m->minutes = minutes;
}

/* Writes m as a routine file the catalog will load. */
static void write_routine(const rb_meta *m) {
  FILE *f = fopen(m->path, "w");
  if (!f)
    return;
  fprintf(f, "return routine { id = '%s', title = '%s', summary = '%s',\n",
          m->id, m->title, m->summary);
  fprintf(f, "  areas = {");
  for (int i = 0; i < m->nareas; i++)
    fprintf(f, "%s'%s'", i ? ", " : "", m->areas[i]);
  fprintf(f, "}, equipment = {");
  for (int i = 0; i < m->nequipment; i++)
    fprintf(f, "%s'%s'", i ? ", " : "", m->equipment[i]);
  fprintf(f, "},\n  minutes = %g, run = function() end }\n", m->minutes);
  fclose(f);
}

/* Five routines in a folder; a second load of it with a broken file
 * added, for home's notice to the therapist. */
static void make_catalogs(void) {
  char broken[128];
  FILE *f;
  snprintf(g_dir, sizeof g_dir, "/tmp/rb-screens-%d", (int)getpid());
  mkdir(g_dir, 0700);
  g_nmeta = 0;
  add_meta("doorway-chest-stretch", "Doorway chest stretch",
           "Opens the chest so the shoulders can sit level.", "shoulder",
           "neck", "door frame", 6);
  add_meta("glute-activation", "Glute activation",
           "Wakes up the muscles of the hip before walking.", "hip",
           "lower back", "mat", 9);
  add_meta("ankle-wall-test", "Ankle wall test",
           "Measures how far your knee reaches past your toes.", "ankle", NULL,
           "wall", 4);
  add_meta("seated-march", "Seated march",
           "Lift one knee, then the other, sitting tall.", "hip", "knee",
           "chair", 5);
  add_meta("neck-turns", "Neck turns", "Slow turns to each side.", "neck", NULL,
           NULL, 3);
  for (int i = 0; i < g_nmeta; i++)
    write_routine(&g_meta[i]);
  g_catalog_ok = rb_catalog_load(g_dir, NULL);
  snprintf(broken, sizeof broken, "%s/9-broken.lua", g_dir);
  f = fopen(broken, "w");
  if (f) {
    fputs("return routine {\n  id = 'broken', title = 'Broken'\n  run = 1 }\n",
          f);
    fclose(f);
  }
  g_catalog_broken = rb_catalog_load(g_dir, NULL);
  unlink(broken);
  for (int i = 0; i < g_nmeta; i++)
    unlink(g_meta[i].path);
  rmdir(g_dir);
}

static void view_reset(rb_view_kind kind) {
  memset(&g_view, 0, sizeof g_view);
  g_view.kind = kind;
  g_view.meta = &g_meta[0];
  g_view.phase_end = RB_MS_NEVER;
  if (kind == RB_VIEW_ENDED)
    g_view.ended.pain_at_stop = -1;
  if (kind == RB_VIEW_REPS)
    g_view.reps.tempo_end = RB_MS_NEVER;
}

/* Routine clock at t ms (raw == routine: never paused). */
static void clock_at(rb_ms t) {
  rb_clock_free(g_clock);
  g_clock = rb_clock_new(true);
  rb_clock_start(g_clock);
  rb_clock_set(g_clock, t);
  g_env.clock = g_clock;
}

/* width, height, text_scale (percent): the last two are a clinic's
 * largest text on the 7" panel and on Touch Display 2 */
static const int SIZES[][3] = {{800, 480, 100},  {720, 1280, 100},
                               {1280, 720, 100}, {1920, 1080, 100},
                               {800, 480, 150},  {720, 1280, 150}};
#define NSIZES ((int)(sizeof SIZES / sizeof SIZES[0]))

typedef void (*case_fn)(canvas *c, rb_screen_stack *st, bool asserts);

/* A stack whose navigation the test environment hands out. */
static rb_screen_stack *stack_new(void) {
  rb_screen_stack *st = rb_screen_stack_new();
  g_env.nav = rb_screen_stack_nav(st);
  return st;
}

/* Runs one case at every size, on a stack with home at its root;
 * button checks at 800x480 and portrait (the other sizes only have to
 * render well). */
static void run_case(const char *name, rb_screen *(*make)(void), case_fn fn) {
  for (int i = 0; i < NSIZES; i++) {
    canvas c;
    rb_screen_stack *st = stack_new();
    rb_screen *s;
    if (!canvas_open_scaled(&c, SIZES[i][0], SIZES[i][1], SIZES[i][2])) {
      ok(0, "%s: canvas %dx%d: %s", name, SIZES[i][0], SIZES[i][1],
         SDL_GetError());
      canvas_close(&c);
      rb_screen_stack_free(st);
      continue;
    }
    s = make();
    if (strcmp(rb_screen_name(s), "home") != 0)
      rb_screen_push(st, rb_screen_home_new(&g_env, NULL));
    rb_screen_push(st, s);
    shoot(&c, st, name);
    if (fn)
      fn(&c, st, i < 2);
    /* the screens first: they free textures of the renderer */
    rb_screen_stack_free(st);
    canvas_close(&c);
  }
}

static rb_screen *make_home(void) { return rb_screen_home_new(&g_env, NULL); }

/* --- patients, as the app would give them --- */

static const char *const PEOPLE[] = {"Ann", "Bob", "Christine Mayer-Lindqvist",
                                     "Dee", "Ed"};
static int g_npeople = 5;
static char g_chosen[64];
static int g_left;

static int people_count(void *ud) {
  (void)ud;
  return g_npeople;
}
static bool people_get(void *ud, int i, char *name, size_t n, bool *pin) {
  (void)ud;
  if (i < 0 || i >= g_npeople)
    return false;
  snprintf(name, n, "%s", PEOPLE[i]);
  *pin = i == 1; /* Bob has a PIN */
  return true;
}
static bool people_choose(void *ud, int i, const char *pin) {
  (void)ud;
  if (i == 1 && strcmp(pin, "4711") != 0)
    return false;
  snprintf(g_chosen, sizeof g_chosen, "%s", PEOPLE[i]);
  return true;
}
static const char *people_current(void *ud) {
  (void)ud;
  return g_chosen;
}
static void people_leave(void *ud) {
  (void)ud;
  g_left++;
  g_chosen[0] = '\0';
}
static bool people_can_switch(void *ud) {
  (void)ud;
  return g_npeople >= 2;
}
static rb_screen *make_who(void) { return rb_screen_who_new(&g_env); }

static const char *top_name(rb_screen_stack *st);

/* --- the admin screen, over a made-up kiosk --- */

static int g_volume = 70, g_plan_days = 2;
static const char *admin_pin(void *ud) {
  (void)ud;
  return "4711";
}
static int admin_days(void *ud, const char *name, const char *routine) {
  (void)ud;
  (void)name;
  return strcmp(routine, "") != 0 ? g_plan_days : 0;
}
static char g_lang[8], g_param[32] = "12";
static bool admin_set(void *ud, const char *name, const char *key,
                      const char *value, char *err, size_t n) {
  (void)ud;
  (void)name;
  (void)err;
  (void)n;
  if (strstr(key, ".days"))
    g_plan_days = atoi(value);
  else if (strcmp(key, "language") == 0)
    snprintf(g_lang, sizeof g_lang, "%s", value);
  else if (strcmp(key, "knee-routine.reps") == 0)
    snprintf(g_param, sizeof g_param, "%s", value);
  return true;
}
static bool admin_get(void *ud, const char *name, const char *what, int i,
                      char *out, size_t n) {
  (void)ud;
  (void)name;
  if (strcmp(what, "language") == 0)
    snprintf(out, n, "%s", g_lang);
  else if (strcmp(what, "pin") == 0)
    snprintf(out, n, "set");
  else if (strcmp(what, "param") == 0 && i == 0)
    snprintf(out, n, "knee-routine.reps=%s", g_param);
  else if (strcmp(what, "param") == 0 && i == 1)
    snprintf(out, n, "knee-routine.note=Slowly, please");
  else
    return false;
  return true;
}
static int admin_volume(void *ud) {
  (void)ud;
  return g_volume;
}
static void admin_set_volume(void *ud, int v) {
  (void)ud;
  g_volume = v;
}
static int admin_brightness(void *ud) {
  (void)ud;
  return -1;
}
static bool admin_problem(void *ud, int i, char *out, size_t n) {
  (void)ud;
  if (i >= 9)
    return false;
  snprintf(out, n,
           "/usr/share/rebalance/routines/broken-%d.lua:%d: unexpected "
           "symbol near 'end'",
           i, 10 + i);
  return true;
}
static bool admin_export(void *ud, char *msg, size_t n) {
  (void)ud;
  snprintf(msg, n,
           "Saved on the stick in rebalance-20261207-1712: results.csv, "
           "results-fhir.json and 3 reports. The stick can be taken out.");
  return true;
}
static bool admin_restart(void *ud, char *msg, size_t n) {
  (void)ud;
  snprintf(msg, n, "The coach is not run by systemd here.");
  return false;
}
static rb_screen *make_admin(void) { return rb_screen_admin_new(&g_env); }

/* --- figures on the run screen --- */

/* Mean absolute difference of two RGBA pixel buffers of n pixels. */
static double pixel_diff(const Uint32 *a, const Uint32 *b, int n) {
  double sum = 0;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < 24; k += 8)
      sum += abs((int)((a[i] >> k) & 0xff) - (int)((b[i] >> k) & 0xff));
  return sum / (3.0 * n);
}

static Uint32 *grab(canvas *c, rb_screen_stack *st) {
  Uint32 *px = malloc((size_t)c->w * (size_t)c->h * 4);
  rb_screen_stack_render(st, c->ui, rb_clock_raw(g_clock));
  if (px && SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_ARGB8888, px,
                                 c->w * 4) != 0) {
    free(px);
    return NULL;
  }
  return px;
}

/* An instruction that waits for Next shows its figure at every size (in
 * portrait the ready button is under the stage, not on it). */
static void case_info_figure(canvas *c, rb_screen_stack *st, bool asserts) {
  char keep[sizeof g_view.figure];
  Uint32 *with = grab(c, st), *without;
  double d;
  snprintf(keep, sizeof keep, "%s", g_view.figure);
  g_view.figure[0] = '\0';
  without = grab(c, st);
  snprintf(g_view.figure, sizeof g_view.figure, "%s", keep);
  d = with && without ? pixel_diff(with, without, c->w * c->h) : 0;
  if (asserts)
    ok(d > 2.0,
       "figure %dx%d: an instruction waiting for Next shows its figure "
       "(%.2f)",
       c->w, c->h, d);
  free(with);
  free(without);
}

/* A tempo rep: the start, middle and end of "up" are three poses. */
static void case_figure_tempo(canvas *c, rb_screen_stack *st, bool asserts) {
  Uint32 *a, *b, *e;
  int n = c->w * c->h;
  SDL_Rect drawn = {0, 0, 0, 0};
  clock_at(10000); /* a new clock: each size starts over */
  shoot(c, st, "run-figure-start");
  a = grab(c, st);
  rb_clock_set(g_clock, 10500);
  if (asserts) {
    /* Only the figure moved since 10 s: its box drawn over the last
     * frame must give the very picture a whole render gives. */
    Uint32 *p = NULL;
    bool drew =
        rb_screen_stack_render_part(st, c->ui, rb_clock_raw(g_clock), &drawn);
    ok(drew && drawn.w > 0 && drawn.h > 0 && drawn.w * drawn.h < n / 2,
       "figure %dx%d: half way up, only the figure's box is drawn (%dx%d)",
       c->w, c->h, drawn.w, drawn.h);
    /* the bridge is a person lying down: wide, over the timer */
    ok(drawn.w > drawn.h * 3 / 2,
       "figure %dx%d: a figure lying down gets a wide box (%dx%d)", c->w, c->h,
       drawn.w, drawn.h);
    p = malloc((size_t)n * 4);
    if (p && drew &&
        SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_ARGB8888, p,
                             c->w * 4) == 0) {
      b = grab(c, st);
      ok(b && memcmp(p, b, (size_t)n * 4) == 0,
         "figure %dx%d: the box drawn alone equals the whole frame (%.4f)",
         c->w, c->h, b ? pixel_diff(p, b, n) : -1.0);
      free(b);
    }
    free(p);
  }
  shoot(c, st, "run-figure-middle");
  b = grab(c, st);
  rb_clock_set(g_clock, 11000);
  if (asserts)
    ok(!rb_screen_stack_render_part(st, c->ui, rb_clock_raw(g_clock), &drawn),
       "figure %dx%d: at the end of up the words change: a whole render", c->w,
       c->h);
  shoot(c, st, "run-figure-end");
  e = grab(c, st);
  if (asserts && a && b && e) {
    ok(pixel_diff(a, b, n) > 0.05 && pixel_diff(b, e, n) > 0.05 &&
           pixel_diff(a, e, n) > 0.05,
       "figure %dx%d: start, middle and end of up are three poses (%.3f %.3f)",
       c->w, c->h, pixel_diff(a, b, n), pixel_diff(b, e, n));
  }
  free(a);
  free(b);
  free(e);
}

/* Every page of the admin screen, photographed (the sizes and no cuts
 * are checked by shoot). */
static void case_admin(canvas *c, rb_screen_stack *st, bool asserts) {
  static const char *const pages[] = {"patients", "sound", "test", "export",
                                      "problems", "log",   "power"};
  rb_action a;
  char name[64];
  for (const char *d = "4711"; *d; d++) {
    char v[2] = {*d, 0};
    a = act(RB_ACTION_DIGIT, v);
    rb_screen_stack_action(st, &a);
  }
  a = act(RB_ACTION_NEXT, NULL);
  rb_screen_stack_action(st, &a);
  shoot(c, st, "admin-menu");
  for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
    a = act(RB_ACTION_PRIMARY, pages[i]);
    rb_screen_stack_action(st, &a);
    if (strcmp(pages[i], "export") == 0) {
      a = act(RB_ACTION_PRIMARY, "export");
      rb_screen_stack_action(st, &a);
    }
    snprintf(name, sizeof name, "admin-%s", pages[i]);
    shoot(c, st, name);
    if (strcmp(pages[i], "patients") == 0) {
      a = act(RB_ACTION_PRIMARY, "2"); /* the long name */
      rb_screen_stack_action(st, &a);
      shoot(c, st, "admin-plan");
      if (asserts) {
        int before = g_plan_days;
        box plus =
            find_target(rb_screen_top(st), c->w, c->h, RB_ACTION_PRIMARY, "+1");
        ok(plus.count > 0, "admin %dx%d: a + for the second routine", c->w,
           c->h);
        a = act(RB_ACTION_PRIMARY, "+1");
        rb_screen_stack_action(st, &a);
        is_int(g_plan_days, before + 1, "admin: + adds a day a week");
      }
      /* their language, PIN and parameters */
      a = act(RB_ACTION_PRIMARY, "settings");
      rb_screen_stack_action(st, &a);
      shoot(c, st, "admin-settings");
      if (asserts) {
        char before[8];
        snprintf(before, sizeof before, "%s", g_lang);
        a = act(RB_ACTION_PRIMARY, "lang");
        rb_screen_stack_action(st, &a);
        ok(strcmp(before, g_lang) != 0, "admin: Change sets the language (%s)",
           g_lang);
        a = act(RB_ACTION_PRIMARY, "p+0");
        rb_screen_stack_action(st, &a);
        is_str(g_param, "13", "admin: + steps a whole-number parameter by 1");
        snprintf(g_param, sizeof g_param, "12");
      }
      a = act(RB_ACTION_PRIMARY, "pin");
      rb_screen_stack_action(st, &a);
      shoot(c, st, "admin-settings-pin");
      a = act(RB_ACTION_BACK, NULL);
      rb_screen_stack_action(st, &a); /* the pad's Back: the settings */
      a = act(RB_ACTION_BACK, NULL);
      rb_screen_stack_action(st, &a); /* the plan */
      a = act(RB_ACTION_PRIMARY, "add");
      a.kind = RB_ACTION_BACK;
      a.value[0] = '\0';
      rb_screen_stack_action(st, &a); /* back to the patients */
      a = act(RB_ACTION_PRIMARY, "add");
      rb_screen_stack_action(st, &a);
      shoot(c, st, "admin-add");
      a = act(RB_ACTION_BACK, NULL);
      rb_screen_stack_action(st, &a);
    }
    a = act(RB_ACTION_BACK, NULL);
    a.touch = true; /* the test page leaves by a touch of Done */
    rb_screen_stack_action(st, &a);
  }
  if (asserts)
    is_str(top_name(st), "admin", "admin: Back from each page, the menu");
}
static rb_screen *make_run(void) { return rb_screen_run_new(&g_env); }
static rb_screen *make_summary(void) { return rb_screen_summary_new(&g_env); }
static rb_screen *make_intro(void) { return rb_screen_intro_new(&g_env, 0); }
static const char ERROR_TEXT[] =
    "/usr/share/rebalance/routines/doorway-chest-stretch.lua:27: "
    "hold: seconds must be a positive number (got -30)\n"
    "stack: run -> hold";
static rb_screen *make_error(void) {
  return rb_screen_error_new(&g_env, ERROR_TEXT);
}

/* The name of the screen on top. */
static const char *top_name(rb_screen_stack *st) {
  return rb_screen_name(rb_screen_top(st));
}

static const SDL_Color STOP_RED = RB_RGB(0xd7, 0x1f, 0x1f);
static const SDL_Color ACCENT = RB_RGB(0x2b, 0xd6, 0x6b);

static void check_stop(canvas *c, rb_screen_stack *st) {
  check_button(c, rb_screen_top(st), "stop", RB_ACTION_STOP, NULL, &STOP_RED,
               80);
}

/* --- cases --- */

static void case_home(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a;
  box card;
  char name[64];
  if (!asserts)
    return;
  card = check_button(c, s, "home card 0", RB_ACTION_PRIMARY, "0", NULL, 100);
  ok(find_target(s, c->w, c->h, RB_ACTION_DOWN, "page").count > 0,
     "home: a page-down button (5 routines)");
  /* Keyboard: DOWN moves the highlight, and reaches the last card. */
  for (int i = 0; i < 6; i++) {
    a = act(RB_ACTION_DOWN, NULL);
    rb_screen_stack_action(st, &a);
  }
  snprintf(name, sizeof name, "home-last");
  shoot(c, st, name);
  ok(find_target(s, c->w, c->h, RB_ACTION_PRIMARY, "4").count > 0,
     "home: DOWN reaches the last card");
  a = act(RB_ACTION_UP, "page");
  rb_screen_stack_action(st, &a);
  rb_screen_stack_render(st, c->ui, 0);
  ok(find_target(s, c->w, c->h, RB_ACTION_PRIMARY, "0").count > 0,
     "home: page up shows the first card again");
  /* Tapping a card opens that routine's intro, over home. */
  rb_screen_stack_render(st, c->ui, 0);
  card = find_target(s, c->w, c->h, RB_ACTION_PRIMARY, "1");
  tap(st, card);
  is_str(top_name(st), "intro", "home: tapping card 1 opens an intro");
  is_int(rb_screen_depth(st), 2, "home: over the home screen");
  shoot(c, st, "home-opened");
  rb_screen_pop(st);
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  is_str(top_name(st), "intro", "home: PRIMARY opens the highlighted card");
  rb_screen_pop(st);
}

static void case_intro(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a = act(RB_ACTION_PRIMARY, NULL);
  box b;
  if (!asserts)
    return;
  check_button(c, s, "intro start", RB_ACTION_PRIMARY, "start", &ACCENT, 90);
  b = check_button(c, s, "intro back", RB_ACTION_BACK, NULL, NULL, 80);
  tap(st, b);
  is_str(top_name(st), "home", "intro: BACK goes back to home");
  rb_screen_push(st, make_intro());
  g_started[0] = '\0';
  rb_screen_stack_action(st, &a);
  is_str(g_started, g_meta[0].path, "intro: PRIMARY starts the routine");
  is_str(top_name(st), "run", "intro: and the run screen replaces it");
  is_int(rb_screen_depth(st), 2, "intro: over home");
}

static void case_info(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  if (!asserts)
    return;
  check_stop(c, st);
  check_button(c, s, "info ready", RB_ACTION_NEXT, NULL, &ACCENT, 90);
  ok(rb_screen_stack_next_redraw(st, 0) == RB_MS_NEVER,
     "info: static, no redraw wanted");
}

/* Where the ring (tap to pause) was at each size, for the paused case. */
static box g_ring[2];

static void case_hold(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  box stop;
  rb_ms t;
  if (!asserts)
    return;
  stop = find_target(s, c->w, c->h, RB_ACTION_STOP, NULL);
  g_ring[c->w > c->h ? 0 : 1] =
      find_target(s, c->w, c->h, RB_ACTION_PRIMARY, NULL);
  check_stop(c, st);
  g_nacted = 0;
  tap(st, stop);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_STOP,
     "hold: tapping STOP sends STOP to the session");
  check_button(c, s, "hold ring", RB_ACTION_PRIMARY, NULL, NULL, 150);
  /* At routine 41.1 s the seconds change at 42 s (18 -> 17), the ring
   * at 41.25 s. */
  t = rb_screen_stack_next_redraw(st, rb_clock_raw(g_clock));
  is_int(t, 41250, "hold: next redraw when the ring steps");
}

static void case_hold_paused(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  box b, ring;
  if (!asserts)
    return;
  check_stop(c, st);
  b = check_button(c, s, "paused banner", RB_ACTION_PRIMARY, NULL, NULL, 100);
  ring = g_ring[c->w > c->h ? 0 : 1];
  ok(ring.count > 0 &&
         (b.x0 > ring.x1 || b.x1 < ring.x0 || b.y0 > ring.y1 || b.y1 < ring.y0),
     "paused %dx%d: the banner (%d,%d-%d,%d) leaves the seconds left (%d,%d-"
     "%d,%d) clear",
     c->w, c->h, b.x0, b.y0, b.x1, b.y1, ring.x0, ring.y0, ring.x1, ring.y1);
  ok(rb_screen_stack_next_redraw(st, 0) == RB_MS_NEVER,
     "hold paused: no redraw wanted");
}

static void case_countdown(canvas *c, rb_screen_stack *st, bool asserts) {
  if (!asserts)
    return;
  check_stop(c, st);
  /* 2.6 s left shows "3"; it becomes "2" at 2000 ms before the end. */
  is_int(rb_screen_stack_next_redraw(st, 0), 10000 - 2000,
         "countdown: next redraw when the number changes");
}

static void case_reps_self(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  box b;
  if (!asserts)
    return;
  check_stop(c, st);
  b = check_button(c, s, "done one", RB_ACTION_NEXT, NULL, &ACCENT, 100);
  g_nacted = 0;
  tap(st, b);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_NEXT,
     "reps: DONE ONE sends NEXT");
}

static void case_reps_tempo(canvas *c, rb_screen_stack *st, bool asserts) {
  if (!asserts)
    return;
  check_stop(c, st);
  is_int(rb_screen_stack_next_redraw(st, 0), 21000,
         "tempo: next redraw at the end of the phase");
}

static void case_rest(canvas *c, rb_screen_stack *st, bool asserts) {
  if (!asserts)
    return;
  check_stop(c, st);
}

/* A touched answer waits RB_ANSWER_GRACE_MS before it is saved (a slip
 * is put right by touching another); touched again, it is saved at once.
 * `other` and `want` are two answers' values. */
static void check_grace(canvas *c, rb_screen_stack *st, const char *what,
                        const char *slip, const char *want) {
  rb_screen *s = rb_screen_top(st);
  box bs = find_target(s, c->w, c->h, RB_ACTION_ANSWER, slip);
  box bw = find_target(s, c->w, c->h, RB_ACTION_ANSWER, want);
  char name[64];
  clock_at(10000);
  g_nacted = 0;
  tap(st, bs);
  ok(g_nacted == 0, "%s: a touched answer is not saved at once", what);
  ok(rb_screen_stack_due(st) == 10000 + RB_ANSWER_GRACE_MS,
     "%s: it is saved %d ms later", what, RB_ANSWER_GRACE_MS);
  snprintf(name, sizeof name, "run-%s-saving", what);
  shoot(c, st, name);
  ok(rb_screen_stack_next_redraw(st, 10000) <= 10000 + 250,
     "%s: the bar that runs out is redrawn", what);
  /* the slip put right: the other answer, and time runs out */
  clock_at(11000);
  tap(st, bw);
  ok(g_nacted == 0, "%s: touching another answer moves it", what);
  clock_at(11000 + RB_ANSWER_GRACE_MS - 1);
  rb_screen_stack_update(st);
  ok(g_nacted == 0, "%s: not saved before its time", what);
  clock_at(11000 + RB_ANSWER_GRACE_MS);
  rb_screen_stack_update(st);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_ANSWER,
     "%s: saved when its time is up", what);
  is_str(g_acted.value, want, "%s: the answer touched last", what);
  ok(rb_screen_stack_due(st) == RB_MS_NEVER, "%s: nothing waits any more",
     what);
  /* touched twice: saved at once, unless the "second" touch is the
   * first one bouncing */
  g_nacted = 0;
  clock_at(20000);
  tap(st, bs);
  clock_at(20000 + RB_ANSWER_BOUNCE_MS - 1);
  tap(st, bs);
  ok(g_nacted == 0, "%s: a touch that bounces is one touch", what);
  clock_at(20000 + RB_ANSWER_BOUNCE_MS);
  tap(st, bs);
  ok(g_nacted == 1 && strcmp(g_acted.value, slip) == 0,
     "%s: the same answer touched again is saved at once", what);
  /* touched, then moved with the keys: it waits again, from there */
  g_nacted = 0;
  clock_at(30000);
  tap(st, bs);
  {
    rb_action a = act(RB_ACTION_UP, NULL);
    clock_at(31000);
    rb_screen_stack_action(st, &a);
    rb_screen_stack_action(st, &a);
  }
  ok(g_nacted == 0 && rb_screen_stack_due(st) == 31000 + RB_ANSWER_GRACE_MS,
     "%s: keys move a touched answer, which waits again", what);
  clock_at(31000 + RB_ANSWER_GRACE_MS);
  rb_screen_stack_update(st);
  ok(g_nacted == 1 && strcmp(g_acted.value, slip) != 0,
     "%s: and the answer moved to is saved (%s)", what, g_acted.value);
  /* a touched answer, then the answer comes another way (a script):
   * nothing waits on to answer the next question like it */
  g_nacted = 0;
  tap(st, bs);
  {
    rb_action a = act(RB_ACTION_ANSWER, want);
    rb_screen_stack_action(st, &a);
  }
  ok(g_nacted == 1 && rb_screen_stack_due(st) == RB_MS_NEVER,
     "%s: an answer given another way leaves nothing waiting", what);
  /* touched, then OK: saved at once */
  g_nacted = 0;
  tap(st, bw);
  {
    rb_action a = act(RB_ACTION_PRIMARY, NULL);
    rb_screen_stack_action(st, &a);
  }
  ok(g_nacted == 1 && strcmp(g_acted.value, want) == 0,
     "%s: PRIMARY saves the touched answer at once", what);
  /* touched, then STOP: the stop goes through, the answer is not saved */
  g_nacted = 0;
  tap(st, bs);
  tap(st, find_target(s, c->w, c->h, RB_ACTION_STOP, NULL));
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_STOP,
     "%s: STOP still stops while an answer waits", what);
  clock_at(0);
}

static void case_ask(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a;
  if (!asserts)
    return;
  /* "Stop - it hurts" is one touch away on a question too */
  check_stop(c, st);
  check_button(c, s, "choice", RB_ACTION_ANSWER, "About the same", NULL, 90);
  /* Nothing is highlighted at first: a blind OK answers nothing. */
  g_nacted = 0;
  a = act(RB_ACTION_PRIMARY, NULL);
  ok(rb_screen_stack_action(st, &a) && g_nacted == 0,
     "ask: PRIMARY with nothing highlighted answers nothing");
  /* Keys: the first DOWN highlights the first choice; DOWN, DOWN, PRIMARY
   * answers the third. */
  a = act(RB_ACTION_DOWN, NULL);
  rb_screen_stack_action(st, &a);
  shoot(c, st, "run-ask-highlight");
  rb_screen_stack_action(st, &a);
  rb_screen_stack_action(st, &a);
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_ANSWER, "ask: PRIMARY answers");
  is_str(g_acted.value, "Worse", "ask: with the highlighted choice");
  check_grace(c, st, "ask", "Worse", "About the same");
}

/* A question asked for one side shows its side's badge. */
/* The pain question after STOP has no STOP of its own. */
static void case_stop_question(canvas *c, rb_screen_stack *st, bool asserts) {
  (void)asserts;
  ok(find_target(rb_screen_top(st), c->w, c->h, RB_ACTION_STOP, NULL).count ==
         0,
     "stop question %dx%d: no STOP on the pain question STOP asks", c->w, c->h);
}

static void case_sided_question(canvas *c, rb_screen_stack *st, bool asserts) {
  const SDL_Color left = RB_COL_LEFT;
  int n = 0;
  (void)st;
  for (int i = 0; i < c->w * c->h; i++) {
    SDL_Color p = pixel(c, i % c->w, i / c->w);
    n += p.r == left.r && p.g == left.g && p.b == left.b;
  }
  ok(n > c->w * c->h / 200, "sided question %dx%d: the LEFT badge is shown",
     c->w, c->h);
  if (!asserts)
    return;
}

static void case_scale(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a;
  int found = 0;
  box b;
  char v[16];
  if (!asserts)
    return;
  check_stop(c, st);
  for (int i = 0; i <= 10; i++) {
    snprintf(v, sizeof v, "%d", i);
    found += find_target(s, c->w, c->h, RB_ACTION_ANSWER, v).count > 0;
  }
  is_int(found, 11, "scale: 11 touch targets 0..10");
  /* Nothing is highlighted at first (the pain question after STOP must
   * not record "no pain" from a blind press of OK). */
  g_nacted = 0;
  a = act(RB_ACTION_PRIMARY, NULL);
  ok(rb_screen_stack_action(st, &a) && g_nacted == 0,
     "scale: PRIMARY with nothing highlighted answers nothing");
  a = act(RB_ACTION_NEXT, NULL);
  ok(rb_screen_stack_action(st, &a) && g_nacted == 0, "scale: nor does NEXT");
  /* The first UP highlights the start of the scale, the next moves on. */
  a = act(RB_ACTION_UP, NULL);
  rb_screen_stack_action(st, &a);
  shoot(c, st, "run-scale-highlight");
  rb_screen_stack_action(st, &a);
  rb_screen_stack_action(st, &a);
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_ANSWER,
     "scale: PRIMARY answers the highlighted value");
  is_str(g_acted.value, "2", "scale: UP, UP, UP from none is 2");
  /* The answer was given: the same question again starts afresh. */
  g_nacted = 0;
  a = act(RB_ACTION_DOWN, NULL);
  rb_screen_stack_action(st, &a);
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  is_str(g_acted.value, "0", "scale: the first DOWN highlights 0 too");
  b = check_button(c, s, "scale 7", RB_ACTION_ANSWER, "7", NULL, 60);
  (void)b;
  /* a tap on 7 for a 4 ends nothing: it is put right in time */
  check_grace(c, st, "scale", "7", "4");
  a = act(RB_ACTION_DIGIT, "3");
  rb_screen_stack_action(st, &a);
  ok(g_acted.kind == RB_ACTION_ANSWER, "scale: a digit key answers");
  is_str(g_acted.value, "3", "scale: with that digit");
}

static void case_measure(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a;
  const char *seq[] = {"1", "2", ".", "5"};
  if (!asserts)
    return;
  check_stop(c, st);
  check_button(c, s, "key 7", RB_ACTION_DIGIT, "7", NULL, 60);
  check_button(c, s, "plus", RB_ACTION_UP, NULL, NULL, 70);
  check_button(c, s, "confirm", RB_ACTION_PRIMARY, NULL, &ACCENT, 80);
  /* It starts empty: a blind OK answers nothing, and says the range. */
  g_nacted = 0;
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  ok(g_nacted == 0, "measure: OK with nothing entered answers nothing");
  shoot(c, st, "run-measure-empty-ok");
  /* The first UP shows the starting 10.0, the next adds 0.5. */
  a = act(RB_ACTION_UP, NULL);
  rb_screen_stack_action(st, &a);
  rb_screen_stack_action(st, &a);
  ok(g_nacted == 0, "measure: UP stays on the screen");
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  ok(g_acted.kind == RB_ACTION_ANSWER, "measure: confirm answers");
  is_str(g_acted.value, "10.5", "measure: the start, then a step");
  /* Typed digits replace the value; out-of-range is refused. */
  for (int i = 0; i < 4; i++) {
    a = act(RB_ACTION_DIGIT, seq[i]);
    rb_screen_stack_action(st, &a);
  }
  shoot(c, st, "run-measure-typed");
  g_nacted = 0;
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  is_str(g_acted.value, "12.5", "measure: typed 12.5 answers 12.5");
  for (int i = 0; i < 2; i++) {
    a = act(RB_ACTION_DIGIT, "9");
    rb_screen_stack_action(st, &a);
  }
  g_nacted = 0;
  a = act(RB_ACTION_PRIMARY, NULL);
  rb_screen_stack_action(st, &a);
  ok(g_nacted == 0, "measure: 99 out of 0..30 is not sent");
  shoot(c, st, "run-measure-range");
}

static void case_summary(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  box b;
  if (!asserts)
    return;
  b = check_button(c, s, "done", RB_ACTION_PRIMARY, NULL, &ACCENT, 90);
  g_dropped = 0;
  tap(st, b);
  is_int(g_dropped, 1, "summary: DONE ends the session");
  is_str(top_name(st), "home", "summary: and goes home");
  is_int(rb_screen_depth(st), 1, "summary: home alone");
}

static void case_error(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  box b;
  if (!asserts)
    return;
  b = check_button(c, s, "ok", RB_ACTION_PRIMARY, NULL, &ACCENT, 90);
  g_dropped = 0;
  tap(st, b);
  is_int(g_dropped, 1, "error: OK ends the session");
  is_str(top_name(st), "home", "error: and goes home");
}

/* The run screen hands over when the session has ended: to the summary,
 * or to the error screen with the message. */
static void test_run_hands_over(void) {
  rb_screen_stack *st = stack_new();
  rb_screen_push(st, rb_screen_home_new(&g_env, NULL));
  rb_screen_push(st, rb_screen_run_new(&g_env));
  view_reset(RB_VIEW_HOLD);
  ok(!rb_screen_stack_update(st), "run: a running session stays");
  is_str(top_name(st), "run", "run: on the run screen");
  view_reset(RB_VIEW_ENDED);
  g_view.ended.status = RB_END_COMPLETED;
  ok(rb_screen_stack_update(st), "run: an ended session hands over");
  is_str(top_name(st), "summary", "run: completed -> the summary");
  is_int(rb_screen_depth(st), 2, "run: the summary replaced it");
  rb_screen_pop(st);
  rb_screen_push(st, rb_screen_run_new(&g_env));
  g_view.ended.status = RB_END_ERROR;
  snprintf(g_view.ended.error, sizeof g_view.ended.error, "x.lua:3: boom");
  rb_screen_stack_update(st);
  is_str(top_name(st), "error", "run: error -> the error screen");
  rb_screen_stack_free(st);
  /* --routine: home starts it at once and shows the run screen */
  st = stack_new();
  g_started[0] = '\0';
  rb_screen_push(st, rb_screen_home_new(&g_env, "/r/x.lua"));
  view_reset(RB_VIEW_INFO);
  rb_screen_stack_update(st);
  is_str(g_started, "/r/x.lua", "home: a start path starts at once");
  is_str(top_name(st), "run", "home: with the run screen over it");
  g_started[0] = '\0';
  rb_screen_stack_update(st);
  is_str(g_started, "", "home: only once");
  rb_screen_stack_free(st);
}

/* GPIO buttons: four buttons answer a question (NEXT and BACK move, they
 * are offered with PRIMARY for the LEDs); PRIMARY blinks during a hold. */
static void test_buttons_on_questions(void) {
  canvas c;
  rb_screen_stack *st = stack_new();
  rb_action a = act(RB_ACTION_NEXT, NULL);
  if (!canvas_open(&c, 800, 480)) {
    ok(0, "canvas for buttons");
    canvas_close(&c);
    rb_screen_stack_free(st);
    return;
  }
  rb_screen_push(st, rb_screen_run_new(&g_env));
  view_reset(RB_VIEW_ASK);
  snprintf(g_view.question.q.text, sizeof g_view.question.q.text, "Which?");
  snprintf(g_view.question.q.choices[0], RB_SHORT_MAX, "One");
  snprintf(g_view.question.q.choices[1], RB_SHORT_MAX, "Two");
  g_view.question.q.nchoices = 2;
  rb_screen_stack_render(st, c.ui, 0);
  ok(rb_screen_offers(rb_screen_top(st), RB_ACTION_NEXT) &&
         rb_screen_offers(rb_screen_top(st), RB_ACTION_BACK) &&
         rb_screen_offers(rb_screen_top(st), RB_ACTION_PRIMARY),
     "question: NEXT, BACK and PRIMARY are offered (their LEDs light)");
  a.button = true;
  rb_screen_stack_action(st, &a);
  rb_screen_stack_action(st, &a);
  g_nacted = 0;
  a = act(RB_ACTION_PRIMARY, NULL);
  a.button = true;
  rb_screen_stack_action(st, &a);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_ANSWER,
     "question: button NEXT, NEXT, PRIMARY answers");
  is_str(g_acted.value, "Two", "question: NEXT moved down the choices");
  view_reset(RB_VIEW_HOLD);
  clock_at(1000);
  g_view.phase_end = 30000;
  rb_screen_stack_render(st, c.ui, 0);
  ok(rb_screen_blinks(rb_screen_top(st), RB_ACTION_PRIMARY),
     "hold: PRIMARY blinks while it runs");
  g_view.paused = true;
  rb_screen_stack_render(st, c.ui, 0);
  ok(!rb_screen_blinks(rb_screen_top(st), RB_ACTION_PRIMARY),
     "hold paused: PRIMARY does not blink");
  canvas_close(&c);
  rb_screen_stack_free(st);
}

/* --- views --- */

static void set_show(const char *title, const char *text, const char *side) {
  snprintf(g_view.title, sizeof g_view.title, "%s", title);
  snprintf(g_view.text, sizeof g_view.text, "%s", text);
  snprintf(g_view.side, sizeof g_view.side, "%s", side);
}

static void records(void) {
  /* Out of order on purpose: the summary shows pain first. */
  const char *k[] = {"reach_cm.left", "pain_after",   "reach_cm.right",
                     "pain_before",   "reach_gap_cm", "pain_change"};
  const char *v[] = {"11.5", "2", "9", "3", "2.5", "-1"};
  for (int i = 0; i < 6; i++) {
    snprintf(g_view.ended.record_keys[i], RB_SHORT_MAX, "%s", k[i]);
    snprintf(g_view.ended.record_values[i], RB_SHORT_MAX, "%s", v[i]);
  }
  g_view.ended.nrecords = 6;
}

/* --- assessment results --- */

static const SDL_Color LEFT_BLUE = RB_RGB(0x2f, 0x7d, 0xff);
static const SDL_Color RIGHT_ORANGE = RB_RGB(0xff, 0x8c, 0x00);
static const SDL_Color TRACK = RB_RGB(0x25, 0x2a, 0x31);

/* Filled shapes come out within a step or two of their colour. */
static bool same_color(SDL_Color a, SDL_Color b) {
  return abs(a.r - b.r) <= 3 && abs(a.g - b.g) <= 3 && abs(a.b - b.b) <= 3;
}

/* The longest run of exactly `col` that ends on the bar's track: how far
 * a bar is filled, in pixels (tags and chips end on the background). */
static int bar_fill(const canvas *c, SDL_Color col) {
  int best = 0;
  for (int y = 0; y < c->h; y++)
    for (int x = 0; x < c->w;) {
      int x0 = x;
      while (x < c->w && same_color(pixel(c, x, y), col))
        x++;
      if (x > x0 && x < c->w && same_color(pixel(c, x, y), TRACK) &&
          x - x0 > best)
        best = x - x0;
      if (x == x0)
        x++;
    }
  return best;
}

static int count_color(const canvas *c, SDL_Color col) {
  int n = 0;
  for (int i = 0; i < c->w * c->h; i++)
    n += same_color(pixel(c, i % c->w, i / c->w), col);
  return n;
}

/* Every result screen: a big OK that sends NEXT, and STOP, still one
 * touch away. */
static void check_result_ok(canvas *c, rb_screen_stack *st, const char *what) {
  rb_screen *s = rb_screen_top(st);
  box b = check_button(c, s, what, RB_ACTION_NEXT, NULL, &ACCENT, 88);
  check_button(c, s, what, RB_ACTION_STOP, NULL, &STOP_RED, 80);
  g_nacted = 0;
  tap(st, b);
  ok(g_nacted == 1 && g_acted.kind == RB_ACTION_NEXT,
     "%s %dx%d: tapping OK sends NEXT", what, c->w, c->h);
}

/* A result longer than a page: "More" (DOWN) goes on to the next page,
 * which has Back (UP), OK and STOP; the keys do the same; the last page
 * comes, every page with its text whole. want: 1 it must be offered, 0
 * it must not, -1 either. */
static void check_more(canvas *c, rb_screen_stack *st, const char *what,
                       int want) {
  rb_screen *s = rb_screen_top(st);
  box more = find_target(s, c->w, c->h, RB_ACTION_DOWN, "more");
  rb_action a;
  char name[64];
  int pages = 2;
  if (want >= 0)
    ok((more.count > 0) == (want > 0), "%s %dx%d: %s", what, c->w, c->h,
       want ? "the result goes on with More" : "all on one page");
  ok(find_target(s, c->w, c->h, RB_ACTION_UP, "more").count == 0,
     "%s %dx%d: the first page has no Back", what, c->w, c->h);
  if (more.count == 0)
    return;
  check_button(c, s, what, RB_ACTION_DOWN, "more", NULL, 70);
  g_nacted = 0;
  tap(st, more);
  snprintf(name, sizeof name, "%s-more", what);
  shoot(c, st, name);
  ok(g_nacted == 0, "%s: More stays on the screen", what);
  check_result_ok(c, st, name);
  check_button(c, s, name, RB_ACTION_UP, "more", NULL, 70);
  a = act(RB_ACTION_UP, NULL);
  ok(rb_screen_stack_action(st, &a) && g_nacted == 1,
     "%s: UP goes back to the first page", what);
  rb_screen_stack_render(st, c->ui, 0);
  ok(find_target(s, c->w, c->h, RB_ACTION_DOWN, "more").count > 0 &&
         find_target(s, c->w, c->h, RB_ACTION_UP, "more").count == 0,
     "%s %dx%d: back on the first page", what, c->w, c->h);
  a = act(RB_ACTION_DOWN, NULL);
  ok(rb_screen_stack_action(st, &a), "%s: the DOWN key pages too", what);
  rb_screen_stack_render(st, c->ui, 0);
  ok(find_target(s, c->w, c->h, RB_ACTION_UP, "more").count > 0,
     "%s %dx%d: DOWN shows the second page", what, c->w, c->h);
  /* on to the last page, each one photographed and checked */
  while (find_target(s, c->w, c->h, RB_ACTION_DOWN, "more").count > 0 &&
         pages < 40) {
    a = act(RB_ACTION_DOWN, NULL);
    rb_screen_stack_action(st, &a);
    snprintf(name, sizeof name, "%s-page%d", what, ++pages);
    shoot(c, st, name);
  }
  ok(pages < 40, "%s %dx%d: %d pages, the last without More", what, c->w, c->h,
     pages);
  check_result_ok(c, st, name);
  a = act(RB_ACTION_DOWN, NULL);
  ok(rb_screen_stack_action(st, &a) && g_nacted == 1,
     "%s: DOWN on the last page does nothing else", what);
}

static void case_result_knee(canvas *c, rb_screen_stack *st, bool asserts) {
  int l = bar_fill(c, LEFT_BLUE), r = bar_fill(c, RIGHT_ORANGE);
  /* 12.0 and 9.5 of 0..20: the left bar is 12 / 9.5 = 1.26 times the
   * right one, at every size. */
  ok(r > 0 && l > r, "knee %dx%d: left bar %d px, right bar %d px", c->w, c->h,
     l, r);
  ok(r > 0 && l * 100 / r >= 115 && l * 100 / r <= 140,
     "knee %dx%d: bars in proportion (%d%%, 126%% expected)", c->w, c->h,
     r > 0 ? l * 100 / r : 0);
  ok(l > c->w / 5, "knee %dx%d: the 12 cm bar is long (%d px)", c->w, c->h, l);
  if (!asserts)
    return;
  check_result_ok(c, st, "knee ok");
  check_more(c, st, "result-knee", -1);
}

static void case_result_short(canvas *c, rb_screen_stack *st, bool asserts) {
  int l = bar_fill(c, LEFT_BLUE), r = bar_fill(c, RIGHT_ORANGE);
  /* (at text_scale 1.5 they may give way to chips to stay on one page) */
  if (c->scale == 100)
    ok(r > 0 && l > r, "short %dx%d: the bars", c->w, c->h);
  if (!asserts)
    return;
  check_result_ok(c, st, "short ok");
  check_more(c, st, "result-knee-short", 0);
}

static void case_result_knee_long(canvas *c, rb_screen_stack *st,
                                  bool asserts) {
  int l = bar_fill(c, LEFT_BLUE), r = bar_fill(c, RIGHT_ORANGE);
  /* Five sentences: the bars shrink (beside their label) or the summary
   * goes on with More; the bars stay. */
  ok(r > 0 && l * 100 / r >= 115 && l * 100 / r <= 140,
     "knee-long %dx%d: bars kept, in proportion (%d%%)", c->w, c->h,
     r > 0 ? l * 100 / r : 0);
  if (!asserts)
    return;
  check_result_ok(c, st, "knee-long ok");
  check_more(c, st, "result-knee-long", -1);
}

static void case_result_sides(canvas *c, rb_screen_stack *st, bool asserts) {
  int n = c->w * c->h;
  ok(count_color(c, LEFT_BLUE) > n / 100 &&
         count_color(c, RIGHT_ORANGE) > n / 100,
     "leg raise %dx%d: both side colours shown", c->w, c->h);
  if (!asserts)
    return;
  check_result_ok(c, st, "leg raise ok");
  check_more(c, st, "result-leg-raise", -1);
}

static void case_result_plain(canvas *c, rb_screen_stack *st, bool asserts) {
  if (!asserts)
    return;
  check_result_ok(c, st, "posture ok");
  /* Seven sentences do not fit next to three rows at 800x480. */
  check_more(c, st, "result-posture", c->w > c->h ? 1 : -1);
}

static void case_result_many(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a = act(RB_ACTION_NEXT, NULL);
  if (!asserts)
    return;
  /* the four buttons page it too: NEXT on, BACK back, neither is OK */
  a.button = true;
  g_nacted = 0;
  ok(rb_screen_stack_action(st, &a) && g_nacted == 0,
     "many %dx%d: button NEXT turns the page", c->w, c->h);
  rb_screen_stack_render(st, c->ui, 0);
  ok(find_target(s, c->w, c->h, RB_ACTION_UP, "more").count > 0,
     "many %dx%d: on the second page", c->w, c->h);
  a.kind = RB_ACTION_BACK;
  ok(rb_screen_stack_action(st, &a) && g_nacted == 0,
     "many %dx%d: button BACK turns back", c->w, c->h);
  rb_screen_stack_render(st, c->ui, 0);
  ok(find_target(s, c->w, c->h, RB_ACTION_UP, "more").count == 0,
     "many %dx%d: on the first page again", c->w, c->h);
  check_result_ok(c, st, "many ok");
  check_more(c, st, "result-many", 1);
}

static rb_result_row *add_row(const char *label, const char *unit,
                              bool per_side, bool numeric) {
  rb_result_row *r = &g_view.result.rows[g_view.result.nrows++];
  memset(r, 0, sizeof *r);
  snprintf(r->label, sizeof r->label, "%s", label);
  snprintf(r->unit, sizeof r->unit, "%s", unit);
  r->per_side = per_side;
  r->numeric = numeric;
  return r;
}

static void yes_no(const char *label, const char *left, const char *right) {
  rb_result_row *r = add_row(label, "", true, false);
  snprintf(r->text_left, sizeof r->text_left, "%s", left);
  snprintf(r->text_right, sizeof r->text_right, "%s", right);
}

static void plain(const char *label, const char *text) {
  rb_result_row *r = add_row(label, "", false, false);
  snprintf(r->text, sizeof r->text, "%s", text);
}

/* A flag as the session gives it: in plain words, with its side. */
static void add_flag(const char *words, const char *side) {
  rb_result_flag *f = &g_view.result.flags[g_view.result.nflags++];
  snprintf(f->words, sizeof f->words, "%s", words);
  snprintf(f->side, sizeof f->side, "%s", side);
}

static void result_view(const char *title, const char *summary) {
  view_reset(RB_VIEW_RESULT);
  snprintf(g_view.title, sizeof g_view.title, "%s", title);
  snprintf(g_view.result.summary, sizeof g_view.result.summary, "%s", summary);
  snprintf(g_view.result.prompt, sizeof g_view.result.prompt, "OK");
}

/* The knee-to-wall test as the session fills it: one number per side
 * (the words as cJSON prints them: "12", "9.5"). */
static void knee_view(const char *summary) {
  rb_result_row *r;
  result_view("Knee-to-wall ankle test", summary);
  r = add_row("How far was your big toe from the wall?", "cm", true, true);
  r->min = 0;
  r->max = 20;
  r->left = 12.0;
  r->right = 9.5;
  snprintf(r->text_left, sizeof r->text_left, "12");
  snprintf(r->text_right, sizeof r->text_right, "9.5");
  add_flag("Sides differ", "");
  add_flag("Right side limited", "right");
}

static void results(void) {
  knee_view("Your right ankle is stiffer: your toe was 9.5 cm from the wall "
            "on the right and 12.0 cm on the left. The right is less than "
            "most people reach (about 9 to 15 cm). Gentle calf loosening on "
            "the right side may help.");
  run_case("result-knee", make_run, case_result_knee);
  /* A short one stays on one page. */
  knee_view("Your right ankle is a little stiffer.");
  g_view.result.nflags = 1;
  run_case("result-knee-short", make_run, case_result_short);
  /* The plugin's whole summary: five sentences. */
  knee_view("Your right ankle is stiffer: your toe was 9.5 cm from the wall "
            "on the right and 12.0 cm on the left. The right is less than "
            "most people reach (about 9 to 15 cm). Gentle calf loosening on "
            "the right side may help. This is worth showing your therapist. "
            "A change of less than 1.9 cm between tests can be measurement "
            "error, so look for bigger changes over time.");
  run_case("result-knee-long", make_run, case_result_knee_long);

  result_view("Doorway leg raise",
              "Raising your left leg, the other foot turned out, which "
              "usually means tight buttock muscles. Your right leg reached "
              "the wall straight, with nothing else moving. Your left and "
              "right sides differ, which is worth evening out.");
  yes_no("Did the raised leg reach the wall, straight up?", "Yes", "Yes");
  yes_no("Did the raised knee have to bend?", "No", "No");
  yes_no("Did the resting foot's toes turn out?", "Yes", "No");
  add_flag("Left side needs work", "left");
  add_flag("Tight glutes (left)", "left");
  add_flag("Sides differ", "");
  run_case("result-leg-raise", make_run, case_result_sides);

  result_view("Posture check at a mirror",
              "Your right shoulder sits a little higher. A higher shoulder "
              "can leave less room in the shoulder joint and send tension up "
              "into the neck. Your hips are level. Your head sits in front "
              "of your shoulders. This is linked with neck pain and "
              "headaches. Small differences like these are common, and "
              "posture practice and the right exercises often help. This is "
              "worth showing your therapist.");
  plain("Which shoulder is higher?", "right");
  plain("Which hip is higher?", "level");
  plain("Side-on, is your head in front of your shoulders?", "Yes");
  add_flag("Right shoulder higher", "right");
  add_flag("Head forward", "");
  /* a plugin's flag longer than a portrait line: wrapped, never cut */
  add_flag("Right shoulder higher than the left by more than two fingers",
           "right");
  run_case("result-posture", make_run, case_result_plain);

  /* More than any screen holds: every row, flag and a full summary. */
  knee_view("");
  while (strlen(g_view.result.summary) + 40 < sizeof g_view.result.summary)
    strcat(g_view.result.summary, "All of this is said aloud as well. ");
  for (int i = 1; i < RB_RESULT_ROWS_MAX; i++)
    yes_no(i % 2 ? "Did the knee bend?" : "Reached the wall?", "Yes", "No");
  for (int i = g_view.result.nflags; i < RB_RESULT_FLAGS_MAX; i++)
    add_flag(i % 2 ? "Tight hamstrings (right)" : "Tight glutes (left)",
             i % 2 ? "right" : "left");
  run_case("result-many", make_run, case_result_many);
}

/* Who is exercising: name tiles, a PIN for Bob, chosen -> home. */
static void case_who(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  rb_action a;
  if (!asserts)
    return;
  g_chosen[0] = '\0';
  check_button(c, s, "Ann", RB_ACTION_PRIMARY, "0", NULL, 100);
  ok(find_target(s, c->w, c->h, RB_ACTION_DOWN, "page").count > 0,
     "who %dx%d: five patients page", c->w, c->h);
  /* Bob: the PIN first */
  tap(st, check_button(c, s, "Bob", RB_ACTION_PRIMARY, "1", NULL, 100));
  shoot(c, st, "who-pin");
  is_str(g_chosen, "", "who: Bob with a PIN is not chosen at once");
  a = act(RB_ACTION_DIGIT, "1");
  rb_screen_stack_action(st, &a);
  a = act(RB_ACTION_NEXT, NULL);
  rb_screen_stack_action(st, &a);
  shoot(c, st, "who-pin-wrong");
  is_str(g_chosen, "", "who: a wrong PIN chooses nobody");
  is_str(top_name(st), "who", "who: and stays");
  for (const char *d = "4711"; *d; d++) {
    char v[2] = {*d, 0};
    a = act(RB_ACTION_DIGIT, v);
    rb_screen_stack_action(st, &a);
  }
  rb_screen_stack_render(st, c->ui, 0);
  check_button(c, s, "pin ok", RB_ACTION_NEXT, NULL, &ACCENT, 80);
  a = act(RB_ACTION_NEXT, NULL);
  rb_screen_stack_action(st, &a);
  is_str(g_chosen, "Bob", "who: the right PIN chooses Bob");
  is_str(top_name(st), "home", "who: and home is next");
  /* five wrong PINs in a row: the keypad rests 30 s, then takes one */
  g_chosen[0] = '\0';
  rb_screen_push(st, rb_screen_who_new(&g_env));
  s = rb_screen_top(st);
  a = act(RB_ACTION_PRIMARY, "1");
  rb_screen_stack_action(st, &a);
  clock_at(1000);
  for (int i = 0; i < 5; i++) {
    a = act(RB_ACTION_DIGIT, "9");
    rb_screen_stack_action(st, &a);
    a = act(RB_ACTION_NEXT, NULL);
    rb_screen_stack_action(st, &a);
  }
  for (const char *d = "4711"; *d; d++) {
    char v[2] = {*d, 0};
    a = act(RB_ACTION_DIGIT, v);
    rb_screen_stack_action(st, &a);
  }
  a = act(RB_ACTION_NEXT, NULL);
  rb_screen_stack_action(st, &a);
  shoot(c, st, "who-pin-rest");
  is_str(g_chosen, "", "who: after five wrong PINs even the right one waits");
  ok(rb_screen_stack_next_redraw(st, 2000) == 3000,
     "who: the resting keypad counts its seconds down");
  rb_clock_set(g_clock, 31000);
  for (const char *d = "4711"; *d; d++) {
    char v[2] = {*d, 0};
    a = act(RB_ACTION_DIGIT, v);
    rb_screen_stack_action(st, &a);
  }
  a = act(RB_ACTION_NEXT, NULL);
  rb_screen_stack_action(st, &a);
  is_str(g_chosen, "Bob", "who: after 30 s the right PIN chooses Bob");
}

/* --- progress: six weeks of generated sessions in a real store --- */

static rb_store *g_pstore;
static rb_plugins *g_pplugins;
static long long g_ppatient;
static time_t g_pnow;
static bool g_pempty; /* a new patient: nothing yet */

static void progress_store(void) {
  static char dir[] = "/tmp/rb-progress-XXXXXX";
  if (mkdtemp(dir))
    g_pstore = pd_store(dir, &g_pplugins, &g_ppatient, &g_pnow);
}

static bool progress_fn(void *ud, struct rb_progress *out) {
  (void)ud;
  if (g_pempty) {
    memset(out, 0, sizeof *out);
    out->now = g_pnow;
    out->since = g_pnow - 8 * 7 * 86400;
    out->cal.today = 6 + 7 * 3;
    return true;
  }
  return g_pstore &&
         rb_progress_load(g_pstore, g_ppatient, g_pplugins, g_pnow, 8, out);
}

static rb_screen *make_progress(void) { return rb_screen_progress_new(&g_env); }

static int plan_days(void *ud, const char *routine_id) {
  (void)ud;
  return strcmp(routine_id, "neck-turns") == 0 ? 3 : 0;
}

static void case_home_progress(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  box first;
  rb_action a;
  if (!asserts)
    return;
  /* the patient's program first: neck-turns, the catalog's last */
  first = find_target(s, c->w, c->h, RB_ACTION_PRIMARY, "4");
  ok(first.count > 0 && first.x0 < c->w / 4 && first.y0 < c->h / 3,
     "home %dx%d: the assigned routine is the first card", c->w, c->h);
  /* a shared kiosk: whoever stands there instead says so */
  {
    int left = g_left;
    tap(st,
        check_button(c, s, "not Ann?", RB_ACTION_PRIMARY, "other", NULL, 70));
    rb_screen_stack_update(st);
    ok(g_left == left + 1 && strcmp(top_name(st), "who") == 0,
       "home %dx%d: Not Ann? lets someone else choose", c->w, c->h);
    a = act(RB_ACTION_PRIMARY, "0"); /* Ann again */
    rb_screen_stack_action(st, &a);
    rb_screen_stack_render(st, c->ui, 0);
    s = rb_screen_top(st);
  }
  tap(st, check_button(c, s, "my progress", RB_ACTION_PRIMARY, "progress", NULL,
                       70));
  is_str(top_name(st), "progress", "home: My progress opens it");
}

/* Every page, photographed; Done goes back. */
static void case_progress(canvas *c, rb_screen_stack *st, bool asserts) {
  rb_screen *s = rb_screen_top(st);
  char name[64];
  int pages = 1;
  while (find_target(s, c->w, c->h, RB_ACTION_DOWN, "page").count > 0 &&
         pages < 12) {
    rb_action a = act(RB_ACTION_DOWN, NULL);
    rb_screen_stack_action(st, &a);
    snprintf(name, sizeof name, "%s-p%d",
             g_pempty ? "progress-empty" : "progress", ++pages);
    shoot(c, st, name);
  }
  if (!asserts)
    return;
  if (!g_pempty)
    is_int(pages, 3, "progress %dx%d: pain, the ankle test, the days", c->w,
           c->h);
  else
    is_int(pages, 2, "progress (empty) %dx%d: nothing yet, the days", c->w,
           c->h);
  tap(st,
      check_button(c, s, "progress done", RB_ACTION_BACK, "done", &ACCENT, 80));
  is_str(top_name(st), "home", "progress: Done goes back");
}

static void test_progress_model(void) {
  rb_progress *pr = calloc(1, sizeof *pr);
  char words[256];
  ok(pr && progress_fn(NULL, pr), "progress: loads from the store");
  if (!pr)
    return;
  is_int(pr->npain, 16, "progress: pain from 16 sessions");
  is_int(pr->nseries, 1, "progress: one assessment field");
  ok(pr->series[0].nleft == 6 && pr->series[0].nright == 6 &&
         pr->series[0].sided,
     "progress: six knee-to-wall tests a side");
  ok(pr->series[0].mdc == 1.9 && pr->series[0].norm_lo > 9 &&
         pr->series[0].norm_hi < 15,
     "progress: the plugin's norms and measurement error (ABI 1.2)");
  ok(rb_progress_change(&pr->series[0], false, NULL, words, sizeof words) &&
         strstr(words, "8.5 to 12.0 cm, a real change"),
     "progress: left changed for real: %s", words);
  ok(rb_progress_change(&pr->series[0], true, NULL, words, sizeof words) &&
         strstr(words, "within measurement error"),
     "progress: right within the error: %s", words);
  is_int(pr->cal.days_per_week, 3, "calendar: the plan");
  ok(pr->cal.week_days[3] == 3 && pr->cal.week_days[2] == 3 &&
         pr->cal.week_days[1] == 3,
     "calendar: three days the last weeks (%d %d %d %d)", pr->cal.week_days[0],
     pr->cal.week_days[1], pr->cal.week_days[2], pr->cal.week_days[3]);
  is_int(pr->cal.streak, 3, "calendar: on plan three weeks in a row");
  ok(rb_progress_worth_showing(pr), "progress: worth showing");
  free(pr);
}

static void test_who_from_home(void) {
  rb_screen_stack *st = stack_new();
  g_chosen[0] = '\0';
  rb_screen_push(st, rb_screen_home_new(&g_env, NULL));
  rb_screen_stack_update(st);
  is_str(top_name(st), "who", "home: with several patients, asks who first");
  rb_screen_stack_free(st);
  g_npeople = 1;
  st = stack_new();
  rb_screen_push(st, rb_screen_home_new(&g_env, NULL));
  rb_screen_stack_update(st);
  is_str(top_name(st), "home", "home: with one, never asks");
  g_npeople = 5;
  rb_screen_stack_free(st);
}

/* The stack itself: push, pop, pop_to, top, and taps that miss. */
static void test_stack(void) {
  rb_screen_stack *st = rb_screen_stack_new();
  rb_action a = act(RB_ACTION_TAP, NULL), hit;
  rb_screen *home = rb_screen_home_new(&g_env, NULL);

  ok(rb_screen_top(st) == NULL, "stack: empty has no top");
  ok(!rb_screen_stack_action(st, &a), "stack: empty takes no action");
  ok(rb_screen_stack_next_redraw(st, 0) == RB_MS_NEVER,
     "stack: empty wants no redraw");
  rb_screen_push(st, home);
  rb_screen_push(st, rb_screen_intro_new(&g_env, 0));
  rb_screen_push(st, rb_screen_error_new(&g_env, "x.lua:1: boom"));
  is_int(rb_screen_depth(st), 3, "stack: three screens");
  is_str(rb_screen_name(rb_screen_top(st)), "error", "stack: top is the last");
  rb_screen_pop(st);
  is_str(rb_screen_name(rb_screen_top(st)), "intro", "stack: pop");
  rb_screen_push(st, rb_screen_summary_new(&g_env));
  rb_screen_pop_to(st, 1);
  is_int(rb_screen_depth(st), 1, "stack: pop_to(1) keeps home");
  ok(rb_screen_top(st) == home, "stack: home on top");
  rb_screen_add_button(home, (SDL_Rect){10, 10, 100, 50}, RB_ACTION_STOP, "");
  rb_screen_add_button(home, (SDL_Rect){50, 30, 100, 50}, RB_ACTION_ANSWER,
                       "top");
  ok(rb_screen_hit(home, 20, 20, &hit) && hit.kind == RB_ACTION_STOP,
     "hit: inside the first button");
  ok(rb_screen_hit(home, 60, 40, &hit) && hit.kind == RB_ACTION_ANSWER,
     "hit: where buttons overlap, the last drawn wins");
  is_str(hit.value, "top", "hit: with its value");
  ok(!rb_screen_hit(home, 500, 400, &hit), "hit: nothing outside buttons");
  a.x = 500;
  a.y = 400;
  ok(!rb_screen_stack_action(st, &a), "stack: a tap on nothing is unused");
  rb_screen_clear_buttons(home);
  ok(!rb_screen_hit(home, 20, 20, &hit), "hit: cleared buttons are gone");
  rb_screen_pop_to(st, 0);
  is_int(rb_screen_depth(st), 0, "stack: pop_to(0) empties it");
  rb_screen_stack_free(st);
}

int main(int argc, char **argv) {
  int rc;
  if (argc > 1)
    g_out = argv[1];
  if (mkdir(g_out, 0755) != 0 && errno != EEXIST) {
    printf("Bail out! cannot make %s\n", g_out);
    return 1;
  }
  setenv("SDL_VIDEODRIVER", "offscreen", 1);
  /* No GL behind the window framebuffer: Mesa would be loaded (and leak)
   * for every window. */
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    printf("Bail out! SDL_Init: %s\n", SDL_GetError());
    return 1;
  }
  make_catalogs();
  g_env = (rb_env){.catalog = g_catalog_broken,
                   .session = {.start = port_start,
                               .view = port_view,
                               .act = port_act,
                               .drop = port_drop}};
  ok(g_catalog_ok && rb_catalog_count(g_catalog_ok) == 5,
     "the test routines load (%d)",
     g_catalog_ok ? rb_catalog_count(g_catalog_ok) : -1);
  like(rb_catalog_problems(g_catalog_broken),
       "9-broken.lua:3:", "and the broken one is a problem");
  test_stack();
  test_run_hands_over();
  test_buttons_on_questions();
  g_therapist_text = true;
  run_case("home", make_home, case_home);
  g_therapist_text = false;
  g_env.catalog = g_catalog_ok;
  run_case("home-plain", make_home, NULL);
  run_case("intro", make_intro, case_intro);
  g_env.patients = (rb_patients_port){.count = people_count,
                                      .get = people_get,
                                      .choose = people_choose,
                                      .current = people_current,
                                      .leave = people_leave};
  test_who_from_home();
  run_case("who", make_who, case_who);
  g_env.admin = (rb_admin_port){.pin = admin_pin,
                                .patient_set = admin_set,
                                .patient_get = admin_get,
                                .plan_days = admin_days,
                                .volume = admin_volume,
                                .set_volume = admin_set_volume,
                                .brightness = admin_brightness,
                                .problem = admin_problem,
                                .export_usb = admin_export,
                                .restart = admin_restart,
                                .power_off = admin_restart};
  run_case("admin", make_admin, case_admin);
  g_env.admin = (rb_admin_port){0};
  g_env.patients = (rb_patients_port){0};
  progress_store();
  g_env.patients = (rb_patients_port){.progress = progress_fn};
  test_progress_model();
  run_case("progress", make_progress, case_progress);
  g_pempty = true;
  run_case("progress-empty", make_progress, case_progress);
  g_pempty = false;
  /* home offers it once someone exercises */
  snprintf(g_chosen, sizeof g_chosen, "Ann");
  g_env.patients = (rb_patients_port){.count = people_count,
                                      .get = people_get,
                                      .choose = people_choose,
                                      .current = people_current,
                                      .leave = people_leave,
                                      .can_switch = people_can_switch,
                                      .progress = progress_fn,
                                      .plan_days = plan_days};
  run_case("home-progress", make_home, case_home_progress);
  g_env.patients = (rb_patients_port){0};

  clock_at(5000);
  view_reset(RB_VIEW_INFO);
  set_show("Forearm on the frame",
           "Rest your forearm on the frame at shoulder "
           "height, elbow bent to a right angle.",
           "left");
  snprintf(g_view.caption, sizeof g_view.caption, "%s",
           "Stand inside a door frame.");
  g_view.info.waiting = true;
  snprintf(g_view.next, sizeof g_view.next, "Hold 30 s, 3 times");
  run_case("run-info", make_run, case_info);
  /* What is said repeats what is shown: it is shown once. */
  set_show("Find a doorway", "Stand in an open doorway.", "");
  snprintf(g_view.caption, sizeof g_view.caption, "%s",
           "Stand in an open doorway, facing through it.");
  run_case("run-info-repeat", make_run, case_info);

  view_reset(RB_VIEW_COUNTDOWN);
  set_show("Forearm on the frame", "", "left");
  clock_at(7400);
  g_view.phase_start = 7000;
  g_view.phase_end = 10000;
  snprintf(g_view.next, sizeof g_view.next, "Hold 30 s");
  run_case("run-countdown", make_run, case_countdown);

  view_reset(RB_VIEW_HOLD);
  set_show("Forearm on the frame", "", "right");
  clock_at(41100);
  g_view.phase_start = 29000;
  g_view.phase_end = 59000;
  g_view.hold.rep = 2;
  g_view.hold.reps = 3;
  snprintf(g_view.caption, sizeof g_view.caption,
           "Turn your chest gently through the door.");
  snprintf(g_view.next, sizeof g_view.next, "Rest 10 s, then rep 3 of 3");
  run_case("run-hold", make_run, case_hold);
  g_view.paused = true;
  rb_clock_pause(g_clock);
  run_case("run-hold-paused", make_run, case_hold_paused);

  view_reset(RB_VIEW_REPS);
  set_show("Bridge", "", "");
  clock_at(15000);
  g_view.reps.done = 3;
  g_view.reps.count = 10;
  g_view.reps.set = 1;
  g_view.reps.sets = 2;
  g_view.reps.self_paced = true;
  snprintf(g_view.caption, sizeof g_view.caption, "Squeeze, lift, lower.");
  snprintf(g_view.next, sizeof g_view.next, "Rest 30 s");
  run_case("run-reps", make_run, case_reps_self);

  g_view.reps.self_paced = false;
  g_view.reps.done = 0; /* the first repetition is under way: "Rep 1 of 10" */
  g_view.reps.tempo = RB_TEMPO_UP;
  g_view.phase_start = 10000;
  g_view.phase_end = 50000;
  g_view.reps.tempo_end = 21000;
  snprintf(g_view.side, sizeof g_view.side, "left");
  run_case("run-reps-tempo", make_run, case_reps_tempo);

  {
    /* the figure moves with the tempo: up over the second 10 to 11 s */
    char dir[512];
    const char *dirs[1] = {dir};
    snprintf(dir, sizeof dir, "%s/assets/figures", RB_SOURCE_DIR);
    g_env.figures = rb_figures_load(dirs, 1);
    ok(g_env.figures && rb_figures_has(g_env.figures, "glute_bridge"),
       "figures: the bundled ones load (%s)",
       g_env.figures ? rb_figures_problems(g_env.figures) : "no memory");
    snprintf(g_view.figure, sizeof g_view.figure, "glute_bridge");
    clock_at(0);
    g_view.phase_start = 10000;
    g_view.phase_end = 50000;
    g_view.reps.tempo = RB_TEMPO_UP;
    g_view.reps.tempo_start = 10000;
    g_view.reps.tempo_end = 11000;
    run_case("run-figure", make_run, case_figure_tempo);
    /* a standing figure beside the timer, and the widest tempo word:
     * shoot checks that nothing is cut short */
    snprintf(g_view.figure, sizeof g_view.figure, "mini_squat");
    g_view.reps.tempo = RB_TEMPO_DOWN;
    clock_at(10500);
    run_case("run-figure-down", make_run, NULL);
    view_reset(RB_VIEW_INFO);
    set_show("Mini squat",
             "Stand and hold a chair or counter. Feet hip-width apart.", "");
    snprintf(g_view.figure, sizeof g_view.figure, "mini_squat");
    g_view.info.waiting = true;
    snprintf(g_view.next, sizeof g_view.next, "Mini squat, 2 x 10");
    run_case("run-info-figure", make_run, case_info_figure);
    g_view.figure[0] = '\0';
    rb_figures_free((rb_figures *)g_env.figures);
    g_env.figures = NULL;
  }

  view_reset(RB_VIEW_REST);
  set_show("Forearm on the frame", "", "");
  clock_at(62000);
  g_view.phase_start = 59000;
  g_view.phase_end = 69000;
  snprintf(g_view.next, sizeof g_view.next, "Right side: hold 30 s");
  run_case("run-rest", make_run, case_rest);

  view_reset(RB_VIEW_ASK);
  snprintf(g_view.question.q.text, sizeof g_view.question.q.text,
           "How does your shoulder feel compared with yesterday?");
  snprintf(g_view.question.q.choices[0], RB_SHORT_MAX, "Better");
  snprintf(g_view.question.q.choices[1], RB_SHORT_MAX, "About the same");
  snprintf(g_view.question.q.choices[2], RB_SHORT_MAX, "Worse");
  g_view.question.q.nchoices = 3;
  run_case("run-ask", make_run, case_ask);

  /* asked for one side: the LEFT badge is shown */
  snprintf(g_view.question.q.side, sizeof g_view.question.q.side, "left");
  run_case("run-ask-left", make_run, case_sided_question);
  g_view.question.q.side[0] = '\0';

  view_reset(RB_VIEW_SCALE);
  snprintf(g_view.question.q.text, sizeof g_view.question.q.text,
           "How much pain now?");
  g_view.question.q.kind = RB_QUESTION_SCALE;
  g_view.question.q.min = 0;
  g_view.question.q.max = 10;
  run_case("run-scale", make_run, case_scale);
  g_view.question.stop_question = true;
  run_case("run-scale-stop", make_run, case_stop_question);
  g_view.question.stop_question = false;

  view_reset(RB_VIEW_MEASURE);
  snprintf(g_view.question.q.text, sizeof g_view.question.q.text,
           "Knee to wall distance");
  snprintf(g_view.side, sizeof g_view.side, "left");
  g_view.question.q.kind = RB_QUESTION_NUMBER;
  snprintf(g_view.question.q.unit, sizeof g_view.question.q.unit, "cm");
  g_view.question.q.min = 0;
  g_view.question.q.max = 30;
  g_view.question.q.step = 0.5;
  g_view.question.initial = 10;
  run_case("run-measure", make_run, case_measure);

  view_reset(RB_VIEW_ENDED);
  g_view.ended.status = RB_END_COMPLETED;
  g_view.ended.duration_s = 412;
  records();
  run_case("summary", make_summary, case_summary);
  /* an assessment's result among them, as the session keeps it: its
   * first sentence, whole (the list leaves off what does not fit) */
  {
    rb_view_ended *e = &g_view.ended;
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(
        res, "summary",
        "Your right ankle is stiffer: your toe was 9.0 cm from the wall on "
        "the right and 12.0 cm on the left. The right is less than most "
        "people reach (about 9 to 15 cm). Gentle calf loosening may help.");
    rb_view_ended_record(e, "knee_to_wall", res);
    cJSON_Delete(res);
    ok(strstr(e->record_values[e->nrecords - 1], "12.0 cm on the left.") &&
           !strstr(e->record_values[e->nrecords - 1], "less than"),
       "summary: an assessment is kept by its first sentence");
    for (int i = 0; i < 6; i++) {
      cJSON *n = cJSON_CreateNumber(i);
      rb_view_ended_record(e, i % 2 ? "reach_cm.left" : "reach_cm.right", n);
      cJSON_Delete(n);
    }
    run_case("summary-long", make_summary, case_summary);
  }
  records();
  g_view.ended.nrecords = 6;
  g_view.ended.status = RB_END_STOPPED;
  g_view.ended.duration_s = 95;
  g_view.ended.pain_at_stop = 8;
  snprintf(g_view.ended.record_keys[0], RB_SHORT_MAX, "pain_before");
  snprintf(g_view.ended.record_values[0], RB_SHORT_MAX, "3");
  g_view.ended.nrecords = 1;
  run_case("summary-stopped", make_summary, case_summary);

  /* FILE:LINE is small, for the therapist */
  g_therapist_text = true;
  run_case("error", make_error, case_error);
  g_therapist_text = false;

  results();

  rb_clock_free(g_clock);
  rb_catalog_free(g_catalog_ok);
  rb_catalog_free(g_catalog_broken);
  SDL_Quit();
  rc = tap_done();
  return rc;
}
