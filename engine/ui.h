/* ui: drawing for screens. Fonts, a cache of rendered text textures, and
 * a layout scale taken from the window size (800x480 up to 1920x1080,
 * portrait 720x1280). Drawing primitives are added below by the screens
 * work; the app uses only the lifecycle functions (and the screenshot). */
#ifndef RB_UI_H
#define RB_UI_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rb_ui rb_ui;

/* font_path NULL finds DejaVu Sans (fonts-dejavu-core) on the system. */
rb_ui *rb_ui_new(SDL_Renderer *r, const char *font_path, char *err,
                 size_t errlen);
void rb_ui_free(rb_ui *ui);
/* The output size changed: re-lay out, scale fonts. */
void rb_ui_resize(rb_ui *ui, int w, int h);
/* SDL_RENDER_TARGETS_RESET / DEVICE_RESET: drop every cached texture. */
void rb_ui_textures_lost(rb_ui *ui);
/* Changes whenever textures are lost or the size changes: what keeps
 * drawn pictures of its own (figure.h's kept frames) drops them then. */
unsigned rb_ui_epoch(const rb_ui *ui);

/* Saves what has been rendered so far (call before SDL_RenderPresent) as
 * a PNG file. */
bool rb_ui_screenshot(rb_ui *ui, const char *path, char *err, size_t errlen);

/* --- colours: near-black background, white text, one accent (green);
 * LEFT and RIGHT have their own strong colours and always their word. --- */

#define RB_RGB(r, g, b) ((SDL_Color){(r), (g), (b), 255})
#define RB_COL_BG RB_RGB(0x0e, 0x10, 0x13)
#define RB_COL_PANEL RB_RGB(0x25, 0x2a, 0x31)
#define RB_COL_PANEL_HI RB_RGB(0x3a, 0x42, 0x4c)
#define RB_COL_TEXT RB_RGB(0xff, 0xff, 0xff)
#define RB_COL_TEXT_DIM RB_RGB(0xc8, 0xcf, 0xd6)
#define RB_COL_DARK RB_RGB(0x00, 0x00, 0x00)
#define RB_COL_ACCENT RB_RGB(0x2b, 0xd6, 0x6b)
#define RB_COL_STOP RB_RGB(0xd7, 0x1f, 0x1f)
#define RB_COL_LEFT RB_RGB(0x2f, 0x7d, 0xff)
#define RB_COL_RIGHT RB_RGB(0xff, 0x8c, 0x00)
#define RB_COL_WARN RB_RGB(0xff, 0xd0, 0x3a)
#define RB_COL_FOCUS RB_RGB(0xff, 0xff, 0xff)

/* Text sizes in base pixels (at 800x480); scale them with rb_ui_px.
 * Patients read from 2-3 m: nothing they read is drawn below
 * RB_TEXT_MIN; where room runs out, secondary text is shortened or
 * dropped instead. */
enum {
  /* On a 7" 800x480 panel (0.19 mm a pixel) DejaVu's capitals are 0.73
   * of the size: 30 px is 4.2 mm, 44 px is 6.1 mm. */
  RB_TEXT_MIN = 30,     /* the smallest text a patient needs: 4 mm */
  RB_TEXT_PRIMARY = 44, /* what they read during a step: 6 mm */
  RB_TEXT_SMALL = 24,   /* therapist notes */
  RB_TEXT_BODY = 30,
  RB_TEXT_BUTTON = 36,
  RB_TEXT_TITLE = 44,
  RB_TEXT_HEADING = 52, /* a step's title: the largest text but numerals */
  RB_TEXT_HUGE = 72
};

typedef enum { RB_FONT_REGULAR = 0, RB_FONT_BOLD, RB_FONT_COUNT } rb_font;
typedef enum { RB_ALIGN_LEFT = 0, RB_ALIGN_CENTER, RB_ALIGN_RIGHT } rb_align;
typedef enum {
  RB_VALIGN_TOP = 0,
  RB_VALIGN_MIDDLE,
  RB_VALIGN_BOTTOM
} rb_valign;

/* Button looks, combinable. */
enum {
  RB_BTN_PRESSED = 1,
  RB_BTN_DISABLED = 2,
  RB_BTN_SELECTED = 4 /* keyboard/GPIO focus: a thick white frame */
};

/* --- layout --- */

SDL_Renderer *rb_ui_renderer(rb_ui *ui);
int rb_ui_width(const rb_ui *ui);
int rb_ui_height(const rb_ui *ui);
/* Taller than wide: screens stack their parts vertically. */
bool rb_ui_portrait(const rb_ui *ui);
/* Base pixels to real pixels. The base canvas is 800x480 (480x800 in
 * portrait); 1280x720 is 1.5, 1920x1080 is 2.25, 720x1280 is 1.5. */
float rb_ui_scale(const rb_ui *ui);
int rb_ui_px(const rb_ui *ui, float base);
/* The clinic's text_scale, 1 to 1.5 (clamped): text laid out in a box
 * (rb_ui_text_box, rb_ui_text_fit, buttons) is tried up to k times its
 * size and is as large as its box allows, never smaller than without. */
void rb_ui_set_text_scale(rb_ui *ui, float k);
/* Until called again with false, text is laid out as if text_scale were
 * 1: for a screen that is too full for the larger sizes. */
void rb_ui_text_unscaled(rb_ui *ui, bool on);

/* --- shapes --- */

void rb_ui_clear(rb_ui *ui, SDL_Color c);
void rb_ui_fill_rect(rb_ui *ui, SDL_Rect r, SDL_Color c);
/* A straight line `width` thick. */
void rb_ui_line(rb_ui *ui, float x0, float y0, float x1, float y1, float width,
                SDL_Color c);
void rb_ui_fill_round_rect(rb_ui *ui, SDL_Rect r, int radius, SDL_Color c);
void rb_ui_round_rect_outline(rb_ui *ui, SDL_Rect r, int radius, int thickness,
                              SDL_Color c);
void rb_ui_fill_circle(rb_ui *ui, int cx, int cy, int radius, SDL_Color c);
/* A thick ring: the track all round, then `fraction` (0..1) of it in fg,
 * clockwise from 12 o'clock, with round ends. */
void rb_ui_ring(rb_ui *ui, int cx, int cy, int radius, int thickness,
                double fraction, SDL_Color fg, SDL_Color track);
/* Darkens everything drawn so far (behind a modal message). */
void rb_ui_dim(rb_ui *ui, Uint8 alpha);

/* --- text (px are real pixels: pass rb_ui_px(ui, RB_TEXT_BODY)) --- */

/* The cached texture of one line of text, NULL for "" or on error. The
 * texture belongs to the cache: use it before the next text call. */
SDL_Texture *rb_ui_text_texture(rb_ui *ui, rb_font f, int px, SDL_Color c,
                                const char *text, int *w, int *h);
void rb_ui_text_size(rb_ui *ui, rb_font f, int px, const char *text, int *w,
                     int *h);
/* One line with its top at y; x is its left, centre or right edge.
 * Returns the width drawn. */
int rb_ui_text(rb_ui *ui, rb_font f, int px, SDL_Color c, const char *text,
               int x, int y, rb_align align);
/* One line in a box, shrunk (down to min_px) to fit its width; returns
 * the size used. */
int rb_ui_text_fit(rb_ui *ui, rb_font f, int max_px, int min_px, SDL_Color c,
                   const char *text, SDL_Rect box, rb_align align,
                   rb_valign valign);
/* Wrapped text in a box ('\n' breaks lines), the largest size from max_px
 * down to min_px at which it all fits; below min_px the last line that
 * fits ends in "...". Words break at spaces; a word wider than the box
 * (a file path) breaks after a '/' where it can, else between
 * characters. Returns the size used. */
int rb_ui_text_box(rb_ui *ui, rb_font f, int max_px, int min_px, SDL_Color c,
                   const char *text, SDL_Rect box, rb_align align,
                   rb_valign valign);
/* Whether text is whole (not cut short, no word broken in two) laid out
 * as rb_ui_text_box would in a w x h box. */
bool rb_ui_text_box_fits(rb_ui *ui, rb_font f, int max_px, int min_px,
                         const char *text, int w, int h);
/* The same layout without drawing: the size, line count and height. */
int rb_ui_text_box_measure(rb_ui *ui, rb_font f, int max_px, int min_px,
                           const char *text, int w, int h, int *nlines,
                           int *height);
/* Big digits ("12", "3 / 10", "7.5") whose ink fills the box height, or
 * less if the width is short. Each character is cached on its own so a
 * ticking countdown renders nothing new. Returns the width drawn. */
int rb_ui_numeral(rb_ui *ui, const char *digits, SDL_Color c, SDL_Rect box,
                  rb_align align);

/* --- widgets --- */

/* A rounded button with a (wrapped, shrunk to fit) bold label. */
void rb_ui_button(rb_ui *ui, SDL_Rect r, const char *label, SDL_Color fill,
                  SDL_Color text, int flags);
/* The size rb_ui_button would give LABEL in R (0 for none). */
int rb_ui_button_label_px(rb_ui *ui, SDL_Rect r, const char *label);
/* Readable text colour on a fill: black or white, whichever contrasts
 * more (never under 4.5:1). */
SDL_Color rb_ui_text_on(SDL_Color fill);
/* The WCAG contrast ratio of two colours, 1 to 21. */
double rb_ui_contrast(SDL_Color a, SDL_Color b);
/* "left"/"right" -> RB_COL_LEFT/RIGHT; anything else the accent. */
SDL_Color rb_ui_side_color(const char *side);
/* A block in the side's colour with label, the word and an arrow the
 * caller gives in the patient's language ("< LEFT" / "RIGHT >"). Draws
 * nothing when side is not left/right. */
void rb_ui_side_badge(rb_ui *ui, SDL_Rect r, const char *side,
                      const char *label);
/* Green (0) to red (1), for the pain scale. */
SDL_Color rb_ui_scale_color(double t);

/* True when text has a character the screen's font cannot draw (it
 * would show as an empty box: most emoji), the first of them in *cp. */
bool rb_ui_glyph_missing(rb_ui *ui, const char *text, Uint32 *cp);

/* --- for tests --- */
int rb_ui_text_cache_count(const rb_ui *ui);
size_t rb_ui_text_cache_bytes(const rb_ui *ui);
/* The smallest text size (px) drawn since the last reset; 0 when none.
 * Numerals count too, so a frame's smallest text is what this says. */
void rb_ui_text_stats_reset(rb_ui *ui);
int rb_ui_text_min_px(const rb_ui *ui);
/* How many texts drawn since the reset text_scale made larger than
 * asked. */
int rb_ui_text_grown(const rb_ui *ui);
/* The smallest primary word drawn (see rb_ui_primary); 0 when none. */
int rb_ui_text_min_primary_px(const rb_ui *ui);
/* How many texts were drawn cut short (ending in an ellipsis). */
int rb_ui_text_cuts(const rb_ui *ui);

/* Text drawn from now until rb_ui_primary(ui, false) is a primary word:
 * the exercise, the side, what to do now, an answer. Patients must read
 * it from 2-3 m: the screen tests hold it to RB_TEXT_PRIMARY. */
void rb_ui_primary(rb_ui *ui, bool on);

#endif
