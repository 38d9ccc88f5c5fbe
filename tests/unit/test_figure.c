/* test_figure: movement figures. Poses eased between key poses, left and
 * right drawn as mirror images, joint limits and every loader error with
 * its FILE:LINE, the sandbox of figure files (io, loops, memory, size), a
 * clinic's figure over a bundled one, `check` on figures and on the
 * figures a routine names, and every bundled figure loading cleanly and
 * drawing at each key pose in colours that stand out on the screen's
 * backgrounds. Drawn on SDL's offscreen driver, software renderer. */
#include "figure.h"
#include "figure_internal.h"
#include "paths.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUNDLED RB_SOURCE_DIR "/assets/figures"

static char g_dir[64];
static char g_files[64][256];
static int g_nfiles;
static char g_dirs[8][256];
static int g_ndirs;

/* A folder under the test's temp dir ("" for the temp dir itself). */
static const char *folder(const char *name) {
  char *p;
  if (!g_dir[0]) {
    snprintf(g_dir, sizeof g_dir, "/tmp/rb_figure_test_XXXXXX");
    if (!mkdtemp(g_dir)) {
      perror("mkdtemp");
      exit(2);
    }
  }
  if (!name[0])
    return g_dir;
  p = g_dirs[g_ndirs++];
  snprintf(p, 256, "%s/%s", g_dir, name);
  mkdir(p, 0777);
  return p;
}

/* Writes src to DIR/NAME; returns the path. */
static const char *put(const char *dir, const char *name, const char *src) {
  char *p = g_files[g_nfiles++];
  FILE *f;
  snprintf(p, 256, "%s/%s", dir, name);
  f = fopen(p, "w");
  if (!f || fputs(src, f) < 0 || fclose(f) != 0) {
    perror(p);
    exit(2);
  }
  return p;
}

static void cleanup(void) {
  for (int i = g_nfiles - 1; i >= 0; i--)
    unlink(g_files[i]);
  for (int i = g_ndirs - 1; i >= 0; i--)
    rmdir(g_dirs[i]);
  if (g_dir[0])
    rmdir(g_dir);
}

/* Checks a figure file; its problems (lines) in err. */
static bool check(const char *path, char *err, size_t n) {
  return rb_figure_check(path, err, n);
}

/* "PATH:LINE: " */
static const char *at(const char *path, int line) {
  static char buf[4][320];
  static int k;
  char *b = buf[k++ % 4];
  snprintf(b, 320, "%s:%d: ", path, line);
  return b;
}

static bool starts(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --- a canvas ------------------------------------------------------------- */

typedef struct {
  SDL_Window *win;
  SDL_Renderer *r;
  rb_ui *ui;
  int w, h;
  Uint32 *px;
} canvas;

static bool canvas_open(canvas *c, int w, int h) {
  char err[256] = "";
  memset(c, 0, sizeof *c);
  c->w = w;
  c->h = h;
  c->win = SDL_CreateWindow("t", 0, 0, w, h, SDL_WINDOW_HIDDEN);
  c->r = c->win ? SDL_CreateRenderer(c->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
  c->ui = c->r ? rb_ui_new(c->r, NULL, err, sizeof err) : NULL;
  c->px = malloc((size_t)w * (size_t)h * 4);
  if (!c->ui || !c->px) {
    printf("# canvas: %s %s\n", err, SDL_GetError());
    return false;
  }
  rb_ui_resize(c->ui, w, h);
  return true;
}

static void canvas_close(canvas *c) {
  rb_ui_free(c->ui);
  if (c->r)
    SDL_DestroyRenderer(c->r);
  if (c->win)
    SDL_DestroyWindow(c->win);
  free(c->px);
}

/* Draws name on bg and reads the pixels back. */
static bool shot(canvas *c, const rb_figures *f, const char *name, double pos,
                 double breath, const char *side, SDL_Color bg) {
  SDL_Rect box = {0, 0, c->w, c->h};
  bool drawn;
  rb_ui_clear(c->ui, bg);
  drawn = rb_figure_draw(c->ui, f, name, box, pos, breath, side);
  SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_ARGB8888, c->px, c->w * 4);
  return drawn;
}

static SDL_Color color_of(Uint32 p) {
  SDL_Color c = {(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 255};
  return c;
}

static Uint32 rgb(SDL_Color c) {
  return 0xff000000u | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
}

/* Pixels unlike bg. */
static int changed(const canvas *c, SDL_Color bg) {
  int n = 0;
  for (int i = 0; i < c->w * c->h; i++)
    n += (c->px[i] | 0xff000000u) != rgb(bg);
  return n;
}

/* Pixels close to colour k (each channel within 24). */
static int near_color(const canvas *c, SDL_Color k) {
  int n = 0;
  for (int i = 0; i < c->w * c->h; i++) {
    SDL_Color p = color_of(c->px[i]);
    n += abs(p.r - k.r) < 24 && abs(p.g - k.g) < 24 && abs(p.b - k.b) < 24;
  }
  return n;
}

static int differ(const Uint32 *a, const Uint32 *b, int n) {
  int d = 0;
  for (int i = 0; i < n; i++)
    d += (a[i] | 0xff000000u) != (b[i] | 0xff000000u);
  return d;
}

/* --- interpolation -------------------------------------------------------- */

static const char *const TWO_POSES = "return figure {\n"
                                     "  view = \"side\",\n"
                                     "  poses = {\n"
                                     "    a = { knee = 0, hip = 10 },\n"
                                     "    b = { knee = 100, hip = 50 },\n"
                                     "    c = { knee = 40 },\n"
                                     "  },\n"
                                     "  sequence = { \"a\", \"b\" },\n"
                                     "}\n";

static void test_interpolation(void) {
  fig_figure *fig = malloc(sizeof *fig);
  fig_problems probs = {0};
  double ang[FJ_COUNT];
  const char *path = put(folder(""), "two.lua", TWO_POSES);
  const char *three =
      put(folder(""), "three.lua",
          "return figure { poses = { a = { knee = 0 }, b = { knee = 100 }, "
          "c = { knee = 40 } }, sequence = { \"a\", \"b\", \"c\" } }\n");
  ok(fig && fig_load_file(path, fig, &probs), "two poses load");
  fig_angles_at(fig, 0, ang);
  ok(ang[FJ_KNEE_L] == 0 && ang[FJ_HIP_R] == 10, "pos 0: the first pose");
  fig_angles_at(fig, 1, ang);
  ok(ang[FJ_KNEE_R] == 100 && ang[FJ_HIP_L] == 50, "pos 1: the last pose");
  fig_angles_at(fig, 0.5, ang);
  ok(fabs(ang[FJ_KNEE_L] - 50) < 1e-9 && fabs(ang[FJ_HIP_L] - 30) < 1e-9,
     "pos 0.5: half way (%g)", ang[FJ_KNEE_L]);
  fig_angles_at(fig, 0.1, ang);
  ok(ang[FJ_KNEE_L] > 0 && ang[FJ_KNEE_L] < 10 * 0.5,
     "eased in: at 0.1 less than half of a linear 10 (%g)", ang[FJ_KNEE_L]);
  fig_angles_at(fig, 0.9, ang);
  ok(ang[FJ_KNEE_L] < 100 && ang[FJ_KNEE_L] > 95,
     "eased out: at 0.9 closer to the end than linear (%g)", ang[FJ_KNEE_L]);
  {
    double prev = -1;
    bool rising = true;
    for (int i = 0; i <= 100; i++) {
      fig_angles_at(fig, i / 100.0, ang);
      rising = rising && ang[FJ_KNEE_L] >= prev;
      prev = ang[FJ_KNEE_L];
    }
    ok(rising, "the knee only bends on the way (no overshoot)");
  }
  fig_angles_at(fig, -3, ang);
  ok(ang[FJ_KNEE_L] == 0, "pos below 0 is the first pose");
  fig_angles_at(fig, 7, ang);
  ok(ang[FJ_KNEE_L] == 100, "pos above 1 is the last pose");
  fig_angles_at(fig, NAN, ang);
  ok(ang[FJ_KNEE_L] == 0, "pos NaN is the first pose");

  probs.n = 0;
  ok(fig_load_file(three, fig, &probs), "three poses load");
  fig_angles_at(fig, 0.5, ang);
  ok(ang[FJ_KNEE_L] == 100, "three poses: pos 0.5 is the middle key pose");
  fig_angles_at(fig, 0.75, ang);
  ok(fabs(ang[FJ_KNEE_L] - 70) < 1e-9,
     "three poses: pos 0.75 half way from the second to the third (%g)",
     ang[FJ_KNEE_L]);
  free(fig);
}

/* The body rests on the floor and its anchor stays where it is. */
static void test_placing(void) {
  fig_figure *fig = malloc(sizeof *fig);
  fig_problems probs = {0};
  fig_body still, b;
  double ang[FJ_COUNT], x0, y0, x1, y1;
  const char *path =
      put(folder(""), "squat.lua",
          "return figure { anchor = \"heel\", poses = {\n"
          "  up = { },\n"
          "  down = { pelvis = 20, hip = 50, knee = 50, ankle = 20 } },\n"
          "  sequence = { \"up\", \"down\" } }\n");
  ok(fig && fig_load_file(path, fig, &probs), "a squat loads");
  for (int k = 0; k <= 2; k++) {
    double lo = HUGE_VAL;
    fig_angles_at(fig, k / 2.0, ang);
    fig_pose_body(fig, ang, 0, &still);
    b = still;
    fig_place_body(fig, &still, &b);
    for (int i = 0; i < b.nparts; i++)
      for (int j = 0; j < b.parts[i].n; j++)
        lo = fmin(lo, b.parts[i].c[j].y - b.parts[i].c[j].r);
    ok(fabs(lo) < 1e-9, "pos %g: the lowest part is on the floor (%g)", k / 2.0,
       lo);
    if (k == 0)
      fig_place_at(&b, (fig_place){FP_HEEL_L, FP_HEEL_R}, &x0, &y0, NULL);
    else
      fig_place_at(&b, (fig_place){FP_HEEL_L, FP_HEEL_R}, &x1, &y1, NULL);
  }
  ok(fabs(x0 - x1) < 1e-9, "the anchor (the heels) stays put (%g, %g)", x0, x1);
  free(fig);
}

/* --- drawing -------------------------------------------------------------- */

/* How well the drawing in a covers the same pixels as b flipped left to
 * right: shared over either (1 is a perfect mirror image). */
static double mirror_agreement(const canvas *a, const Uint32 *b, SDL_Color bg) {
  int both = 0, either = 0;
  for (int y = 0; y < a->h; y++)
    for (int x = 0; x < a->w; x++) {
      bool pa = (a->px[y * a->w + x] | 0xff000000u) != rgb(bg);
      bool pb = (b[y * a->w + (a->w - 1 - x)] | 0xff000000u) != rgb(bg);
      both += pa && pb;
      either += pa || pb;
    }
  return either ? (double)both / either : 0;
}

static void test_mirror(const rb_figures *f) {
  static const char *const names[] = {"knee_to_wall", "clamshell",
                                      "upper_trap_stretch", "glute_bridge"};
  canvas c;
  if (!canvas_open(&c, 240, 160)) {
    ok(0, "a canvas");
    return;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    Uint32 *left = malloc((size_t)c.w * c.h * 4);
    int nleft_blue, nright_orange, nleft_orange, nright_blue;
    double agree;
    ok(shot(&c, f, names[i], 0.7, 0, "left", RB_COL_BG), "%s drawn left",
       names[i]);
    memcpy(left, c.px, (size_t)c.w * c.h * 4);
    nleft_blue = near_color(&c, RB_COL_LEFT);
    nleft_orange = near_color(&c, RB_COL_RIGHT);
    shot(&c, f, names[i], 0.7, 0, "right", RB_COL_BG);
    nright_orange = near_color(&c, RB_COL_RIGHT);
    nright_blue = near_color(&c, RB_COL_LEFT);
    agree = mirror_agreement(&c, left, RB_COL_BG);
    ok(agree > 0.98,
       "%s: right is left mirrored (%.1f%% of the drawing agrees)", names[i],
       100 * agree);
    ok(nleft_blue > 50 && nleft_orange == 0,
       "%s: left highlights its limbs in LEFT's colour (%d px)", names[i],
       nleft_blue);
    ok(nright_orange > 50 && nright_blue == 0,
       "%s: right in RIGHT's colour (%d px)", names[i], nright_orange);
    ok(abs(nleft_blue - nright_orange) < nleft_blue / 5 + 20,
       "%s: as much of the one as of the other (%d, %d)", names[i], nleft_blue,
       nright_orange);
    free(left);
  }
  /* as written, nothing highlighted */
  shot(&c, f, "knee_to_wall", 0.7, 0, "", RB_COL_BG);
  ok(near_color(&c, RB_COL_LEFT) == 0 && near_color(&c, RB_COL_RIGHT) == 0,
     "side \"\": nothing in a side's colour");
  /* a side view with no side of its own mirrors for the right */
  {
    Uint32 *left = malloc((size_t)c.w * c.h * 4);
    shot(&c, f, "mini_squat", 0.5, 0, "left", RB_COL_BG);
    memcpy(left, c.px, (size_t)c.w * c.h * 4);
    shot(&c, f, "mini_squat", 0.5, 0, "right", RB_COL_BG);
    ok(mirror_agreement(&c, left, RB_COL_BG) > 0.98,
       "a two-sided side view is mirrored for the right too");
    free(left);
  }
  canvas_close(&c);
}

static void test_drawing(const rb_figures *f) {
  canvas c;
  Uint32 *a, *b;
  int n;
  if (!canvas_open(&c, 200, 150)) {
    ok(0, "a canvas");
    return;
  }
  n = c.w * c.h;
  a = malloc((size_t)n * 4);
  b = malloc((size_t)n * 4);
  ok(!shot(&c, f, "no_such_figure", 0, 0, "", RB_COL_BG) &&
         changed(&c, RB_COL_BG) == 0,
     "no such figure: false, nothing drawn");
  ok(!shot(&c, NULL, "glute_bridge", 0, 0, "", RB_COL_BG),
     "no figures at all: false");
  ok(!rb_figure_draw(c.ui, f, "glute_bridge", (SDL_Rect){0, 0, 0, 10}, 0, 0,
                     ""),
     "an empty box: false");

  /* pos moves it; the same pos draws the same */
  shot(&c, f, "glute_bridge", 0, 0, "", RB_COL_BG);
  memcpy(a, c.px, (size_t)n * 4);
  shot(&c, f, "glute_bridge", 0.5, 0, "", RB_COL_BG);
  memcpy(b, c.px, (size_t)n * 4);
  ok(differ(a, b, n) > 100, "pos 0 and 0.5 differ");
  shot(&c, f, "glute_bridge", 1, 0, "", RB_COL_BG);
  ok(differ(b, c.px, n) > 100 && differ(a, c.px, n) > 100,
     "pos 1 differs from both");
  shot(&c, f, "glute_bridge", 0, 0, "", RB_COL_BG);
  ok(differ(a, c.px, n) == 0, "drawing again draws the same");

  /* the breath: nothing at 0 and 1, a little at 0.5 */
  shot(&c, f, "calf_stretch", 1, 0, "left", RB_COL_BG);
  memcpy(a, c.px, (size_t)n * 4);
  shot(&c, f, "calf_stretch", 1, 1, "left", RB_COL_BG);
  ok(differ(a, c.px, n) == 0, "breath 1 is breath 0");
  shot(&c, f, "calf_stretch", 1, 0.5, "left", RB_COL_BG);
  {
    int d = differ(a, c.px, n);
    ok(d > 0 && d < n / 20, "breath 0.5: a slight rise (%d px)", d);
  }

  /* keeps its proportions and stays in its box */
  rb_ui_clear(c.ui, RB_COL_BG);
  rb_figure_draw(c.ui, f, "posture_mirror", (SDL_Rect){20, 30, 60, 100}, 0, 0,
                 "");
  SDL_RenderReadPixels(c.r, NULL, SDL_PIXELFORMAT_ARGB8888, c.px, c.w * 4);
  {
    int minx = c.w, maxx = -1, miny = c.h, maxy = -1;
    for (int y = 0; y < c.h; y++)
      for (int x = 0; x < c.w; x++)
        if ((c.px[y * c.w + x] | 0xff000000u) != rgb(RB_COL_BG)) {
          minx = x < minx ? x : minx;
          maxx = x > maxx ? x : maxx;
          miny = y < miny ? y : miny;
          maxy = y > maxy ? y : maxy;
        }
    ok(minx >= 20 && maxx < 80 && miny >= 30 && maxy < 130,
       "drawn inside its box (%d..%d x %d..%d)", minx, maxx, miny, maxy);
    ok(maxy - miny > 80, "and as tall as the box lets it (%d px)", maxy - miny);
  }
  free(a);
  free(b);
  canvas_close(&c);
}

/* --- the bundled figures -------------------------------------------------- */

static void test_bundled(const rb_figures *f) {
  static const char *const wanted[] = {"doorway_chest_stretch",
                                       "knee_to_wall",
                                       "doorway_leg_raise",
                                       "posture_mirror",
                                       "glute_bridge",
                                       "clamshell",
                                       "side_lying_hip_raise",
                                       "calf_stretch",
                                       "hamstring_stretch",
                                       "quad_stretch",
                                       "straight_leg_raise",
                                       "mini_squat",
                                       "cat_camel",
                                       "pelvic_tilt",
                                       "bird_dog",
                                       "chin_tuck",
                                       "upper_trap_stretch"};
  static const SDL_Color bgs[] = {RB_COL_BG, RB_RGB(0x25, 0x2a, 0x31)};
  canvas c;
  bool all = true;
  is_str(rb_figures_problems(f), "", "the bundled figures have no problems");
  for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
    if (!rb_figures_has(f, wanted[i])) {
      ok(0, "bundled: %s", wanted[i]);
      all = false;
    }
  ok(all, "every figure the exercises need is bundled (%d in all)",
     rb_figures_count(f));
  for (int i = 1; i < rb_figures_count(f); i++)
    if (strcmp(rb_figures_name(f, i - 1), rb_figures_name(f, i)) >= 0)
      all = false;
  ok(all, "names sorted");
  ok(rb_figures_name(f, -1) == NULL &&
         rb_figures_name(f, rb_figures_count(f)) == NULL,
     "no name out of range");
  is_int(rb_figures_poses(f, "posture_mirror"), 1, "posture_mirror: a still");
  is_int(rb_figures_poses(f, "glute_bridge"), 2, "glute_bridge: a movement");
  is_int(rb_figures_poses(f, "nope"), 0, "no such figure: 0 poses");
  is_int(rb_figures_poses(NULL, "glute_bridge"), 0, "no figures: 0 poses");
  is_str(rb_figures_pose_name(f, "glute_bridge", 1), "up",
         "the bridge's second key pose");
  ok(rb_figures_pose_name(f, "glute_bridge", 2) == NULL,
     "no key pose out of range");

  if (!canvas_open(&c, 160, 120)) {
    ok(0, "a canvas");
    return;
  }
  for (int i = 0; i < rb_figures_count(f); i++) {
    const char *name = rb_figures_name(f, i);
    int np = rb_figures_poses(f, name);
    bool drawn = true, contrast = true;
    for (int k = 0; k < np; k++)
      for (size_t g = 0; g < 2; g++) {
        double pos = np > 1 ? (double)k / (np - 1) : 0;
        int n, strong = 0, total = 0;
        shot(&c, f, name, pos, 0, "left", bgs[g]);
        n = changed(&c, bgs[g]);
        if (n < c.w * c.h / 50) {
          printf("# %s pose %d: only %d px drawn\n", name, k, n);
          drawn = false;
        }
        /* the fills (inside a patch of one colour, not an edge's
         * blend) light enough to be the body stand out 3:1 */
        for (int y = 1; y < c.h - 1; y++)
          for (int x = 1; x < c.w - 1; x++) {
            Uint32 p = c.px[y * c.w + x];
            SDL_Color col = color_of(p);
            bool inside = true;
            for (int dy = -1; dy <= 1; dy++)
              for (int dx = -1; dx <= 1; dx++)
                inside = inside && c.px[(y + dy) * c.w + x + dx] == p;
            if (inside && col.r + col.g + col.b > 3 * 0x70) {
              total++;
              strong += rb_ui_contrast(col, bgs[g]) >= 3.0;
            }
          }
        if (total == 0 || strong < total * 95 / 100) {
          printf("# %s pose %d: %d of %d light px contrast 3:1\n", name, k,
                 strong, total);
          contrast = false;
        }
      }
    ok(drawn, "%s: drawn at each of its %d key poses", name, np);
    ok(contrast, "%s: stands out on the background and on a panel", name);
  }
  canvas_close(&c);
}

/* --- the loader's errors -------------------------------------------------- */

static void test_joint_limits(void) {
  char err[2048];
  const char *d = folder("limits");
  const char *p = put(d, "knee.lua",
                      "-- a knee bent past its range\n"
                      "return figure {\n"
                      "  view = \"side\",\n"
                      "  poses = {\n"
                      "    start = { },\n"
                      "    bend = {\n"
                      "      knee_l = 200,\n"
                      "      hip = 20,\n"
                      "    },\n"
                      "  },\n"
                      "  sequence = { \"start\", \"bend\" },\n"
                      "}\n");
  ok(!check(p, err, sizeof err), "a knee at 200 degrees: a problem");
  ok(starts(err, at(p, 7)), "at the knee's line (%s)", err);
  like(err,
       "knee_l: 200 degrees is past the knee's range (0 to 160) in pose "
       "'bend'",
       "says the joint, the angle and the range");

  p = put(d, "front.lua",
          "return figure {\n"
          "  view = \"front\",\n"
          "  poses = { p = { trunk = 50, hip = -70, hip_out = 90,\n"
          "    ankle_r = 0 / 0 } },\n"
          "}\n");
  ok(!check(p, err, sizeof err), "front view limits");
  like(err, at(p, 3), "at their line");
  like(err,
       "trunk: 50 degrees is past the trunk's range (-40 to 40, seen "
       "from the front)",
       "the trunk seen from the front");
  like(err, "hip: -70 degrees", "a shorthand (hip) is checked too");
  like(err,
       "hip_out: 90 degrees is past the turn out of the picture's "
       "range (0 to 85",
       "a bone turned out of the picture");
  like(err, at(p, 4), "NaN at its own line");
  like(err, "is not a number of degrees", "NaN is no angle");

  p = put(d, "ok.lua",
          "return figure { poses = { p = { knee = 160, hip = -35, ankle = 45 "
          "} } }\n");
  ok(check(p, err, sizeof err), "the ends of the ranges are fine");
  is_str(err, "", "and nothing said");
}

typedef struct {
  const char *name, *src;
  int line;
  const char *says;
} bad_case;

static void test_loader_errors(void) {
  static const bad_case cases[] = {
      {"syntax.lua",
       "return figure {\n  poses = {\n    a = { knee = 10 }\n    b = { } "
       "},\n}\n",
       4, "'}' expected"},
      {"unknown_joint.lua",
       "return figure {\n  poses = {\n    a = {\n      knee_left = 10,\n    "
       "},\n  },\n}\n",
       4, "pose 'a': unknown joint 'knee_left' (did you mean 'knee_l'?)"},
      {"bone.lua",
       "return figure {\n  poses = { a = {\n thigh_r = 10 } },\n}\n", 3,
       "'thigh_r' is not a joint: the thigh is moved by 'hip_r'"},
      {"missing_pose.lua",
       "return figure {\n  poses = { start = { }, finish = { } },\n"
       "  sequence = {\n    \"start\",\n    \"end\",\n  },\n}\n",
       5, "sequence: no pose named 'end' (the poses are 'finish', 'start')"},
      {"empty_sequence.lua",
       "return figure {\n  poses = { a = { } },\n  sequence = { },\n}\n", 3,
       "sequence needs at least one pose"},
      {"no_sequence.lua",
       "return figure {\n  poses = { a = { }, b = { } },\n}\n", 2,
       "sequence is missing"},
      {"no_poses.lua", "return figure {\n  view = \"side\",\n}\n", 1,
       "figure{} needs poses"},
      {"not_number.lua",
       "return figure {\n  poses = { a = {\n  knee = "
       "\"bent\" } },\n}\n",
       3, "knee: a number of degrees, not a string"},
      {"view.lua",
       "return figure {\n  view = \"top\",\n  poses = { a = { } "
       "},\n}\n",
       2, "view must be \"side\" or \"front\""},
      {"field.lua",
       "return figure {\n  poses = { a = { } },\n  sequense = { \"a\" },\n}\n",
       3, "figure{} has no field 'sequense' (did you mean 'sequence'?)"},
      {"prop.lua",
       "return figure {\n  props = {\n    \"mat\",\n    \"matt\",\n  },\n  "
       "poses = { a = { } },\n}\n",
       4, "props: no prop called 'matt' (did you mean 'mat'?)"},
      {"place.lua",
       "return figure {\n  anchor = \"heal\",\n  poses = { a = { } },\n}\n", 2,
       "anchor: no place on the body called 'heal' (did you mean 'heel'?)"},
      {"prop_option.lua",
       "return figure {\n  props = { { \"wall\",\n    under = \"hip\" } },\n  "
       "poses = { a = { } },\n}\n",
       3, "props: a wall takes at = PLACE"},
      {"limbs.lua",
       "return figure {\n  limbs = { \"arm_l\" },\n  poses = { a = { } },\n}\n",
       2, "limbs needs side"},
      {"not_figure.lua", "local t = { poses = { } }\nreturn t\n", 1,
       "the file must return figure{...}"},
      {"loop.lua", "local n = 0\nwhile true do n = n + 1 end\n", 2,
       "the figure file ran too long"},
      {"memory.lua",
       "local t = {}\nfor i = 1, 1e9 do\n  t[i] = { i, i, i, i }\nend\n", 3,
       "the figure file used more than its 4 MiB of memory"},
      {"io.lua", "local f = io.open(\"/etc/passwd\")\nreturn figure { }\n", 1,
       "'io' is not available in figure files"},
      {"os.lua", "\n\nos.execute(\"true\")\n", 3,
       "'os' is not available in figure files"},
      {"require.lua", "local x = require(\"os\")\n", 1,
       "'require' is not available"},
      {"load.lua", "local f = load(\"return 1\")\n", 1,
       "'load' is not available"},
      {"string.lua", "local s = (\"x\"):rep(10)\n", 1, "attempt to index"},
      {"dump.lua", "local d = string.dump\n", 1, "'string' is not available"},
      {"setmeta.lua", "setmetatable({}, { __gc = print })\n", 1,
       "'setmetatable' is not available"},
      {"pcall.lua", "pcall(function() while true do end end)\n", 1,
       "'pcall' is not available"},
      {"error.lua", "\nerror(\"no\")\n", 2, "no"},
      {"Bad Name.lua", "return figure { poses = { a = { } } }\n", 1,
       "a figure's file name is its name"},
  };
  char err[4096];
  const char *d = folder("bad");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *p = put(d, cases[i].name, cases[i].src);
    bool fine = check(p, err, sizeof err);
    ok(!fine && starts(err, at(p, cases[i].line)) &&
           strstr(err, cases[i].says) != NULL,
       "%s: FILE:%d: ...%s", cases[i].name, cases[i].line, cases[i].says);
    if (fine || !starts(err, at(p, cases[i].line)) ||
        !strstr(err, cases[i].says))
      printf("#   got: %s\n", err);
  }
  /* several problems at once, each at its line */
  {
    const char *p = put(d, "several.lua",
                        "return figure {\n"
                        "  poses = {\n"
                        "    a = { knee = 500 },\n"
                        "    b = { elbw_l = 10 },\n"
                        "  },\n"
                        "  sequence = { \"a\", \"c\" },\n"
                        "}\n");
    check(p, err, sizeof err);
    like(err, at(p, 3), "several: the knee");
    like(err, at(p, 4), "several: the elbow");
    like(err, at(p, 6), "several: the sequence");
  }
  /* a file too big is refused before it runs */
  {
    static char big[FIG_FILE_MAX + 200];
    const char *p;
    memset(big, '-', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    p = put(d, "huge.lua", big);
    ok(!check(p, err, sizeof err) && starts(err, at(p, 1)) &&
           strstr(err, "too big for a figure"),
       "huge.lua: too big, FILE:1");
  }
  ok(!check("/no/such/dir/x.lua", err, sizeof err) &&
         strstr(err, "/no/such/dir/x.lua: cannot read the file"),
     "a missing file: said");
  /* the result is data: a function in it runs nowhere */
  {
    const char *p = put(d, "fn.lua",
                        "return figure { poses = { a = { knee = function() "
                        "while true do end end } } }\n");
    ok(!check(p, err, sizeof err) && strstr(err, "not a function"),
       "a function for an angle: refused, never called");
  }
}

/* --- folders -------------------------------------------------------------- */

static void test_folders(void) {
  const char *bundled = folder("bundled");
  const char *clinic = folder("clinic");
  const char *dirs[3];
  rb_figures *f;
  const char *src = "return figure { poses = { a = { knee = 10 } } }\n";
  put(bundled, "bridge.lua", src);
  put(bundled, "squat.lua", src);
  put(bundled, "chin.lua", src);
  put(bundled, "notes.txt", "not a figure");
  put(clinic, "bridge.lua",
      "return figure { poses = { a = { knee = 20 }, b = { } }, sequence = { "
      "\"a\", \"b\" } }\n");
  put(clinic, "squat.lua",
      "return figure { poses = { a = { knee = 999 } } }\n");
  put(clinic, "extra.lua", src);
  dirs[0] = bundled;
  dirs[1] = clinic;
  dirs[2] = "/no/such/folder";
  f = rb_figures_load(dirs, 3);
  ok(f != NULL, "loaded two folders and a missing one");
  is_int(rb_figures_count(f), 4, "bridge, chin, extra, squat");
  is_str(rb_figures_name(f, 0), "bridge", "sorted: bridge first");
  is_str(rb_figures_name(f, 3), "squat", "squat last");
  like(rb_figures_path(f, "bridge"), "/clinic/bridge.lua",
       "the clinic's bridge replaces the bundled one");
  is_int(rb_figures_poses(f, "bridge"), 2, "and moves as the clinic's does");
  like(rb_figures_path(f, "squat"), "/bundled/squat.lua",
       "a broken clinic figure leaves the bundled one");
  like(rb_figures_problems(f), "/clinic/squat.lua:1: knee: 999 degrees",
       "and is named in the problems with FILE:LINE");
  ok(!strstr(rb_figures_problems(f), "notes.txt") &&
         !strstr(rb_figures_problems(f), "no/such"),
     "other files and a missing folder are no problem");
  rb_figures_free(f);
  f = rb_figures_load(dirs, 0);
  ok(f && rb_figures_count(f) == 0 && !strcmp(rb_figures_problems(f), ""),
     "no folders: none, no problems");
  rb_figures_free(f);
  rb_figures_free(NULL);
  {
    char buf[512];
    is_str(rb_figures_clinic_dir("/srv/routines", buf, sizeof buf),
           "/srv/routines/figures", "a clinic's figures: ROUTINES/figures");
    ok(strstr(rb_paths_figures(buf, sizeof buf), "assets/figures") != NULL,
       "the bundled figures: .../assets/figures (%s)", buf);
  }
}

/* --- check ---------------------------------------------------------------- */

static void test_check(void) {
  const char *d = folder("routines");
  const char *figs = folder("routines/figures");
  const char *elsewhere = folder("elsewhere");
  char *out = NULL;
  size_t len = 0;
  FILE *mem;
  int n;
  const char *routine, *fig;

  fig = put(figs, "own_move.lua", "return figure { poses = { a = { } } }\n");
  ok(rb_figure_file_is(fig), "a file in figures/ is a figure file");
  ok(rb_figure_file_is(put(elsewhere, "x.lua",
                           "-- mine\nreturn  figure{ poses = { a = { } } }\n")),
     "a file returning figure{} is a figure file");
  routine = put(d, "r.lua",
                "return routine {\n"
                "  id = \"r\", title = \"R\",\n"
                "  run = function()\n"
                "    show { title = \"A\", figure = \"glute_bridge\" }\n"
                "    -- show { figure = \"commented_out\" }\n"
                "    show { title = \"B\", figure = \"glute_bridgee\" }\n"
                "    show { title = \"C\", figure = 'own_move' }\n"
                "    show { title = \"D\",\n"
                "           figure = \"nothing_like_it\" }\n"
                "  end,\n"
                "}\n");
  ok(!rb_figure_file_is(routine), "a routine is not a figure file");
  mem = open_memstream(&out, &len);
  n = rb_figures_check_routine(routine, mem);
  fclose(mem);
  is_int(n, 2, "two names that are no figure");
  like(out, at(routine, 6), "the first at its line");
  like(out,
       "warning: show{figure = \"glute_bridgee\"}: no figure of that "
       "name (did you mean \"glute_bridge\"?)",
       "a warning, with a suggestion");
  like(out, at(routine, 9), "the second at its line");
  ok(!strstr(out, "own_move") && !strstr(out, "commented_out"),
     "the clinic's own figure is known; comments are not read");
  free(out);
}

/* How far a figure moves between two positions, in the px of its box:
 * what the run screen schedules its frames by. */
static void test_motion(const rb_figures *f) {
  SDL_Rect small = {0, 0, 200, 120}, big = {0, 0, 400, 240};
  double none = rb_figures_motion_px(f, "glute_bridge", small, 0.5, 0.5);
  double part = rb_figures_motion_px(f, "glute_bridge", small, 0.0, 0.5);
  double all = rb_figures_motion_px(f, "glute_bridge", small, 0.0, 1.0);
  double twice = rb_figures_motion_px(f, "glute_bridge", big, 0.0, 1.0);
  double ends = rb_figures_motion_px(f, "glute_bridge", small, 0.0, 0.1);
  double middle = rb_figures_motion_px(f, "glute_bridge", small, 0.45, 0.55);
  ok(none == 0, "motion: standing still is 0 px");
  ok(part > 1 && all > part,
     "motion: half the way is less than all of it "
     "(%.1f < %.1f px)",
     part, all);
  ok(fabs(twice - 2 * all) < 1,
     "motion: a box twice the size, twice the px "
     "(%.1f, %.1f)",
     all, twice);
  ok(ends < middle,
     "motion: eased, slow at the start, fast in the middle "
     "(%.2f < %.2f px)",
     ends, middle);
  ok(rb_figures_motion_px(f, "no_such", small, 0, 1) == 0,
     "motion: no such figure, no motion");
}

/* --- frames kept for a moving figure -------------------------------------- */

/* The panel and figure into the canvas through rb_figure_draw_kept (c may
 * be NULL: drawn), read back. */
static void kept_shot(canvas *c, rb_figure_frames *k, const rb_figures *f,
                      const char *name, SDL_Rect box, double pos, double breath,
                      const char *side) {
  rb_ui_clear(c->ui, RB_COL_BG);
  rb_figure_draw_kept(k, c->ui, f, name, box, 12, RB_COL_PANEL, RB_COL_BG, pos,
                      breath, side);
  SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_ARGB8888, c->px, c->w * 4);
}

static void test_kept_frames(const rb_figures *f) {
  canvas c;
  SDL_Rect box = {20, 10, 400, 200};
  rb_figure_frames *k = rb_figure_frames_new(16u << 20);
  Uint32 *direct, *first;
  long copied, drawn;
  if (!canvas_open(&c, 440, 220) || !k) {
    ok(0, "a canvas and frames");
    canvas_close(&c);
    rb_figure_frames_free(k);
    return;
  }
  direct = malloc((size_t)c.w * c.h * 4);
  first = malloc((size_t)c.w * c.h * 4);
  /* pos 0 and 1 are kept positions whatever the step: exact */
  kept_shot(&c, NULL, f, "glute_bridge", box, 1, 0, "left");
  memcpy(direct, c.px, (size_t)c.w * c.h * 4);
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0, "left");
  memcpy(first, c.px, (size_t)c.w * c.h * 4);
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 1 && copied == 0, "kept: the first frame is drawn (%ld, %ld)",
     drawn, copied);
  is_int(differ(direct, first, c.w * c.h), 0,
         "kept: a frame drawn into a texture is the frame drawn on screen");
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 1 && copied == 1, "kept: the same position again is copied");
  is_int(differ(direct, c.px, c.w * c.h), 0, "kept: with the same pixels");
  kept_shot(&c, k, f, "glute_bridge", box, 0.999, 0, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 1 && copied == 2,
     "kept: a position a fraction of a pixel away is copied too");
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0, "right");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 2, "kept: the other side is a frame of its own");
  ok(differ(direct, c.px, c.w * c.h) > 100, "kept: and looks other");
  kept_shot(&c, k, f, "glute_bridge", box, 0, 0, "left");
  kept_shot(&c, k, f, "glute_bridge", box, 0.5, 0, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 4, "kept: other positions are drawn (%ld)", drawn);
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0.5, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 4 && copied == 2,
     "kept: a breathing figure (a hold) is drawn every time, not kept");
  kept_shot(&c, k, f, "no_such_figure", box, 0, 0, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 4, "kept: an unknown figure keeps nothing");
  /* textures lost (a GPU reset) or a new size: nothing kept is used */
  rb_ui_textures_lost(c.ui);
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 5 && copied == 2,
     "kept: after the ui's textures were lost, a frame is drawn again");
  is_int(differ(direct, c.px, c.w * c.h), 0, "kept: the same picture");
  {
    /* drawing into a canvas texture (a rotated panel's): the kept frame
     * lands there, and the canvas is the target again after a new one */
    SDL_Texture *panel = SDL_CreateTexture(c.r, SDL_PIXELFORMAT_ARGB8888,
                                           SDL_TEXTUREACCESS_TARGET, c.w, c.h);
    ok(panel && SDL_SetRenderTarget(c.r, panel) == 0, "a canvas texture");
    kept_shot(&c, k, f, "glute_bridge", box, 0.25, 0, "left");
    ok(SDL_GetRenderTarget(c.r) == panel,
       "kept: after drawing a new frame the canvas is the target again");
    memcpy(first, c.px, (size_t)c.w * c.h * 4);
    kept_shot(&c, NULL, f, "glute_bridge", box, 0.25, 0, "left");
    ok(differ(first, c.px, c.w * c.h) < c.w * c.h / 50,
       "kept: on the canvas, the kept frame is the frame drawn there (%d "
       "pixels differ: the position rounded to its step)",
       differ(first, c.px, c.w * c.h));
    SDL_SetRenderTarget(c.r, NULL);
    SDL_DestroyTexture(panel);
  }
  rb_figure_frames_free(k);
  /* room for too few frames: every frame drawn, none kept */
  k = rb_figure_frames_new(400 * 200 * 4 * 3);
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0, "left");
  kept_shot(&c, k, f, "glute_bridge", box, 1, 0, "left");
  rb_figure_frames_stats(k, &copied, &drawn);
  ok(drawn == 0 && copied == 0 && differ(direct, c.px, c.w * c.h) == 0,
     "kept: a box too large for its movement's frames is drawn directly");
  rb_figure_frames_free(k);
  rb_figure_frames_free(NULL);
  free(direct);
  free(first);
  canvas_close(&c);
}

int main(void) {
  const char *dirs[1] = {BUNDLED};
  rb_figures *f;
  SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    printf("# SDL_Init: %s\n", SDL_GetError());
    return 1;
  }
  f = rb_figures_load(dirs, 1);
  test_interpolation();
  test_placing();
  test_joint_limits();
  test_loader_errors();
  test_folders();
  test_check();
  if (f) {
    test_bundled(f);
    test_mirror(f);
    test_drawing(f);
    test_motion(f);
    test_kept_frames(f);
  } else {
    ok(0, "the bundled figures load");
  }
  rb_figures_free(f);
  cleanup();
  SDL_Quit();
  return tap_done();
}
