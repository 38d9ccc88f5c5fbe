/* test_ui: the text cache, wrapping and shrinking, the layout scale and
 * the drawing primitives, on the offscreen SDL driver. */
#include "tap.h"
#include "ui.h"

#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  SDL_Window *win;
  SDL_Renderer *r;
  rb_ui *ui;
} canvas;

static bool open_canvas(canvas *c, int w, int h, const char *font) {
  char err[256] = "";
  memset(c, 0, sizeof *c);
  c->win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
  c->r = c->win ? SDL_CreateRenderer(c->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
  c->ui = c->r ? rb_ui_new(c->r, font, err, sizeof err) : NULL;
  if (!c->ui)
    printf("# canvas: %s %s\n", err, SDL_GetError());
  return c->ui != NULL;
}

static void close_canvas(canvas *c) {
  rb_ui_free(c->ui);
  if (c->r)
    SDL_DestroyRenderer(c->r);
  if (c->win)
    SDL_DestroyWindow(c->win);
}

static Uint32 read_pixel(canvas *c, int x, int y) {
  Uint32 p = 0;
  SDL_Rect r = {x, y, 1, 1};
  SDL_RenderReadPixels(c->r, &r, SDL_PIXELFORMAT_ARGB8888, &p, 4);
  return p & 0xffffffu;
}

static void test_scale(canvas *c) {
  rb_ui *ui = c->ui;
  rb_ui_resize(ui, 800, 480);
  ok(rb_ui_scale(ui) == 1.0f, "800x480: scale 1");
  ok(!rb_ui_portrait(ui), "800x480: landscape");
  is_int(rb_ui_px(ui, 30), 30, "800x480: 30 base px is 30 px");
  rb_ui_resize(ui, 1280, 720);
  ok(rb_ui_scale(ui) == 1.5f, "1280x720: scale 1.5");
  is_int(rb_ui_px(ui, 30), 45, "1280x720: 30 base px is 45 px");
  rb_ui_resize(ui, 1920, 1080);
  ok(rb_ui_scale(ui) == 2.25f, "1920x1080: scale 2.25 (height bound)");
  rb_ui_resize(ui, 720, 1280);
  ok(rb_ui_portrait(ui), "720x1280: portrait");
  ok(rb_ui_scale(ui) == 1.5f, "720x1280: scale 1.5 on a 480x800 base");
  is_int(rb_ui_width(ui), 720, "720x1280: width");
  is_int(rb_ui_height(ui), 1280, "720x1280: height");
  rb_ui_resize(ui, 320, 200);
  ok(rb_ui_scale(ui) >= 0.4f, "tiny window: scale stays usable");
  rb_ui_resize(ui, 800, 480);
}

static void test_cache(canvas *c) {
  rb_ui *ui = c->ui;
  int w1, h1, w2, h2;
  SDL_Texture *a, *b;
  char s[32];

  rb_ui_textures_lost(ui);
  is_int(rb_ui_text_cache_count(ui), 0, "cache empty after textures lost");
  a = rb_ui_text_texture(ui, RB_FONT_BOLD, 40, RB_COL_TEXT, "Hold", &w1, &h1);
  b = rb_ui_text_texture(ui, RB_FONT_BOLD, 40, RB_COL_TEXT, "Hold", &w2, &h2);
  ok(a != NULL, "a texture for 'Hold'");
  ok(a == b, "same string, same texture");
  ok(w1 == w2 && h1 == h2 && w1 > 0, "same size (%dx%d)", w1, h1);
  is_int(rb_ui_text_cache_count(ui), 1, "one cache entry");
  rb_ui_text_texture(ui, RB_FONT_BOLD, 40, RB_COL_ACCENT, "Hold", NULL, NULL);
  is_int(rb_ui_text_cache_count(ui), 2, "another colour, another entry");
  rb_ui_text_texture(ui, RB_FONT_BOLD, 41, RB_COL_TEXT, "Hold", NULL, NULL);
  is_int(rb_ui_text_cache_count(ui), 3, "another size, another entry");
  rb_ui_text_texture(ui, RB_FONT_REGULAR, 40, RB_COL_TEXT, "Hold", NULL, NULL);
  is_int(rb_ui_text_cache_count(ui), 4, "another font, another entry");
  ok(rb_ui_text_texture(ui, RB_FONT_BOLD, 40, RB_COL_TEXT, "", NULL, NULL) ==
         NULL,
     "no texture for an empty string");
  is_int(rb_ui_text_cache_count(ui), 4, "empty string not cached");
  for (int i = 0; i < 400; i++) {
    snprintf(s, sizeof s, "line %d", i);
    rb_ui_text_texture(ui, RB_FONT_REGULAR, 30, RB_COL_TEXT, s, NULL, NULL);
  }
  ok(rb_ui_text_cache_count(ui) <= 256, "cache bounded: %d entries",
     rb_ui_text_cache_count(ui));
  ok(rb_ui_text_cache_bytes(ui) <= 48u * 1024 * 1024, "cache bytes bounded");
  a = rb_ui_text_texture(ui, RB_FONT_REGULAR, 30, RB_COL_TEXT, "line 399", NULL,
                         NULL);
  ok(a != NULL, "the latest entry is still there");
  /* Big glyphs: the byte budget evicts, the count of digits stays small. */
  for (int i = 0; i < 60; i++) {
    SDL_Rect box = {0, 0, 800, 400};
    snprintf(s, sizeof s, "%d", i);
    rb_ui_numeral(ui, s, RB_COL_TEXT, box, RB_ALIGN_CENTER);
  }
  ok(rb_ui_text_cache_bytes(ui) <= 48u * 1024 * 1024,
     "numerals stay within the byte budget");
  rb_ui_textures_lost(ui);
  is_int(rb_ui_text_cache_count(ui), 0, "textures lost: cache emptied");
  b = rb_ui_text_texture(ui, RB_FONT_BOLD, 40, RB_COL_TEXT, "Hold", NULL, NULL);
  ok(b != NULL, "textures rebuilt on demand after a reset");
}

static void test_wrap(canvas *c) {
  rb_ui *ui = c->ui;
  const char *text = "Rest your forearm on the frame at shoulder height, "
                     "elbow bent to a right angle.";
  int px, lines, height, w;

  px = rb_ui_text_box_measure(ui, RB_FONT_REGULAR, 40, 28, "Short", 600, 200,
                              &lines, &height);
  is_int(px, 40, "short text keeps the largest size");
  is_int(lines, 1, "on one line");
  px = rb_ui_text_box_measure(ui, RB_FONT_REGULAR, 40, 28, text, 400, 1000,
                              &lines, &height);
  is_int(px, 40, "tall box: no shrinking");
  ok(lines >= 3, "wrapped into %d lines", lines);
  px = rb_ui_text_box_measure(ui, RB_FONT_REGULAR, 40, 20, text, 400, 100,
                              &lines, &height);
  ok(px < 40 && px >= 20, "short box: shrunk to %d px", px);
  ok(height <= 100, "and fits its height (%d)", height);
  px = rb_ui_text_box_measure(ui, RB_FONT_REGULAR, 40, 30, text, 300, 40,
                              &lines, &height);
  is_int(px, 30, "cannot fit: stops at the minimum size");
  is_int(lines, 1, "and keeps the lines that fit");
  px = rb_ui_text_box_measure(ui, RB_FONT_REGULAR, 30, 30, "one\ntwo\n\nfour",
                              600, 1000, &lines, NULL);
  is_int(lines, 4, "newlines break lines, empty ones kept");
  px = rb_ui_text_box_measure(
      ui, RB_FONT_REGULAR, 30, 30,
      "/usr/share/rebalance/routines/a-very-long-file-name-without-spaces.lua",
      200, 1000, &lines, NULL);
  ok(lines >= 2, "a word wider than the box breaks (%d lines)", lines);
  rb_ui_text_size(ui, RB_FONT_REGULAR, 30, "Hold", &w, NULL);
  ok(w > 30 && w < 120, "text size of 'Hold' at 30 px: %d", w);
}

static void test_draw(canvas *c) {
  rb_ui *ui = c->ui;
  char path[256], err[256] = "";
  SDL_Surface *img;
  SDL_Rect box = {100, 100, 300, 200};
  int w;

  rb_ui_resize(ui, 800, 480);
  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_fill_round_rect(ui, (SDL_Rect){10, 10, 200, 100}, 20, RB_COL_STOP);
  is_int(read_pixel(c, 110, 60), 0xd71f1f, "rounded rect filled inside");
  is_int(read_pixel(c, 11, 11), 0x0e1013, "rounded rect: corner left out");
  rb_ui_ring(ui, 600, 240, 150, 30, 0.25, RB_COL_LEFT, RB_COL_PANEL);
  is_int(read_pixel(c, 600 + 135 * 7 / 10, 240 - 135 * 7 / 10), 0x2f7dff,
         "ring: the first quarter is drawn in fg");
  is_int(read_pixel(c, 600 - 135, 240), 0x252a31, "ring: the rest is track");
  is_int(read_pixel(c, 600, 240), 0x0e1013, "ring: the middle is empty");
  rb_ui_clear(ui, RB_COL_BG);
  w = rb_ui_numeral(ui, "30", RB_COL_TEXT, box, RB_ALIGN_CENTER);
  ok(w > 100 && w <= box.w, "numeral width %d within the box", w);
  ok(read_pixel(c, 250, 200) != 0x0e1013 || read_pixel(c, 200, 200) != 0x0e1013,
     "numeral drawn in the box");
  rb_ui_button(ui, (SDL_Rect){420, 300, 300, 120}, "Stop \xe2\x80\x93 it hurts",
               RB_COL_STOP, RB_COL_TEXT, RB_BTN_SELECTED);
  is_int(read_pixel(c, 425, 360), 0xd71f1f, "button filled in its colour");
  is_int(read_pixel(c, 420 - 3, 360), 0xffffff, "selected: a white frame");
  rb_ui_side_badge(ui, (SDL_Rect){20, 380, 300, 80}, "right",
                   "RIGHT \xe2\x96\xb6");
  is_int(read_pixel(c, 25, 420), 0xff8c00, "RIGHT badge is orange");
  ok(rb_ui_text_on(RB_COL_RIGHT).r == 0, "black text on orange");
  /* white on this blue is 3.8:1; black is 5.5:1 */
  ok(rb_ui_text_on(RB_COL_LEFT).r == 0, "black text on blue");
  ok(rb_ui_scale_color(0).g > rb_ui_scale_color(0).r, "scale starts green");
  ok(rb_ui_scale_color(1).r > rb_ui_scale_color(1).g, "scale ends red");
  snprintf(path, sizeof path, "/tmp/test_ui_%d.png", (int)getpid());
  ok(rb_ui_screenshot(ui, path, err, sizeof err), "screenshot saved %s", err);
  img = IMG_Load(path);
  ok(img && img->w == 800 && img->h == 480, "screenshot reads back 800x480");
  SDL_FreeSurface(img);
  unlink(path);
  ok(!rb_ui_screenshot(ui, "/nonexistent-dir/x.png", err, sizeof err),
     "screenshot to a bad path fails");
  like(err, "nonexistent", "with the path in the message");
}

/* Ink (not background) pixels in a rectangle. */
static int ink(canvas *c, SDL_Rect r) {
  int n = 0;
  for (int y = r.y; y < r.y + r.h; y++)
    for (int x = r.x; x < r.x + r.w; x++)
      n += read_pixel(c, x, y) != 0x0e1013;
  return n;
}

/* A file path wider than its box breaks after a '/', not mid-name. */
static void test_path_break(canvas *c) {
  rb_ui *ui = c->ui;
  const char *path = "tests/fixtures/negative_hold.lua:6: hold";
  int dir_w = 0, name_w = 0, skip = 0, lines = 0;
  SDL_Rect box;

  rb_ui_resize(ui, 800, 480);
  rb_ui_text_size(ui, RB_FONT_REGULAR, 30, "tests/fixtures/", &dir_w, NULL);
  rb_ui_text_size(ui, RB_FONT_REGULAR, 30, "negative_hold.lua:6:", &name_w,
                  &skip);
  box = (SDL_Rect){10, 10, name_w + 6, 300};
  rb_ui_text_box_measure(ui, RB_FONT_REGULAR, 30, 30, path, box.w, box.h,
                         &lines, NULL);
  is_int(lines, 3, "path: dir/, file:line:, then the next word");
  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_box(ui, RB_FONT_REGULAR, 30, 30, RB_COL_TEXT, path, box,
                 RB_ALIGN_LEFT, RB_VALIGN_TOP);
  ok(ink(c, (SDL_Rect){box.x, box.y, dir_w, skip}) > 0,
     "path: the first line has the directory");
  is_int(
      ink(c, (SDL_Rect){box.x + dir_w + 4, box.y, box.w - dir_w - 4, skip - 2}),
      0, "path: nothing after the '/' on the first line");
  /* The smallest text drawn, for the screens' size checks. */
  rb_ui_text_stats_reset(ui);
  is_int(rb_ui_text_min_px(ui), 0, "text stats: nothing drawn yet");
  rb_ui_text(ui, RB_FONT_BOLD, 40, RB_COL_TEXT, "Big", 0, 0, RB_ALIGN_LEFT);
  rb_ui_text_box(ui, RB_FONT_REGULAR, 30, 30, RB_COL_TEXT, "Small one", box,
                 RB_ALIGN_LEFT, RB_VALIGN_TOP);
  is_int(rb_ui_text_min_px(ui), 30, "text stats: the smallest size drawn");
}

/* Every text colour on its background reads from across the room: at
 * least 4.5:1 (WCAG AA). */
static void test_contrast(void) {
  const SDL_Color fills[] = {RB_COL_ACCENT,   RB_COL_STOP, RB_COL_LEFT,
                             RB_COL_RIGHT,    RB_COL_WARN, RB_COL_PANEL,
                             RB_COL_PANEL_HI, RB_COL_BG};
  /* text on the background: any colour; on panels: the plain ones */
  const SDL_Color texts[] = {RB_COL_TEXT, RB_COL_TEXT_DIM, RB_COL_ACCENT,
                             RB_COL_WARN, RB_COL_LEFT,     RB_COL_RIGHT};
  const SDL_Color on_panel[] = {RB_COL_TEXT, RB_COL_TEXT_DIM, RB_COL_WARN};
  double worst = 21;
  ok(rb_ui_contrast(RB_COL_TEXT, RB_COL_DARK) > 20.9, "white on black: 21:1");
  for (size_t i = 0; i < sizeof fills / sizeof fills[0]; i++) {
    double c = rb_ui_contrast(fills[i], rb_ui_text_on(fills[i]));
    if (c < worst)
      worst = c;
  }
  for (int k = 0; k <= 20; k++) { /* the pain scale, green to red */
    SDL_Color f = rb_ui_scale_color(k / 20.0);
    double c = rb_ui_contrast(f, rb_ui_text_on(f));
    if (c < worst)
      worst = c;
  }
  ok(worst >= 4.5, "labels on every fill and scale cell: at least %.2f:1",
     worst);
  worst = 21;
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (rb_ui_contrast(texts[i], RB_COL_BG) < worst)
      worst = rb_ui_contrast(texts[i], RB_COL_BG);
  for (size_t i = 0; i < sizeof on_panel / sizeof on_panel[0]; i++)
    for (int j = 0; j < 2; j++) {
      SDL_Color g = j ? RB_COL_PANEL_HI : RB_COL_PANEL;
      if (rb_ui_contrast(on_panel[i], g) < worst)
        worst = rb_ui_contrast(on_panel[i], g);
    }
  ok(worst >= 4.5, "coloured text on the background and panels: %.2f:1", worst);
}

int main(void) {
  canvas c;
  char err[256] = "";
  rb_ui *bad;

  setenv("SDL_VIDEODRIVER", "offscreen", 1);
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    printf("Bail out! SDL_Init: %s\n", SDL_GetError());
    return 1;
  }
  if (!open_canvas(&c, 800, 480, NULL)) {
    printf("Bail out! no canvas\n");
    return 1;
  }
  test_contrast();
  test_scale(&c);
  test_cache(&c);
  test_wrap(&c);
  test_draw(&c);
  test_path_break(&c);
  close_canvas(&c);

  bad = NULL;
  {
    canvas d;
    memset(&d, 0, sizeof d);
    d.win = SDL_CreateWindow("t", 0, 0, 100, 100, SDL_WINDOW_HIDDEN);
    d.r = SDL_CreateRenderer(d.win, -1, SDL_RENDERER_SOFTWARE);
    bad = rb_ui_new(d.r, "/nonexistent/font.ttf", err, sizeof err);
    ok(bad == NULL, "a missing font fails");
    like(err, "/nonexistent/font.ttf", "naming the font");
    rb_ui_free(bad);
    d.ui = NULL;
    close_canvas(&d);
    /* A font path with a -Bold sibling uses it. */
    ok(open_canvas(&d, 100, 100,
                   "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"),
       "font_path override opens");
    close_canvas(&d);
  }
  SDL_Quit();
  return tap_done();
}
