/* The result view of the run screen (RB_VIEW_RESULT): an assessment's
 * outcome for a patient 2-3 m away.
 *
 * The assessment's title heads the screen. Under it one row per result
 * line: numbers entered per side become a LEFT and a RIGHT bar on one
 * scale (the field's min to max) with the value in large digits, so a
 * difference between the sides shows at a glance; other per-side answers
 * are two chips in the side colours ("Left: Yes", "Right: No"); answers
 * without sides are the label and a chip. Then the flags in plain words
 * (side flags in their side's colour), the summary, and a big OK (NEXT).
 * No STOP: this is not an exercise.
 *
 * Landscape: rows across the top, the flags and the summary under them
 * beside the OK button in the bottom-right corner. Portrait: everything
 * stacked, OK across the foot. The summary gets the room it needs: the
 * rows give up space first (smaller bars, then no bars at all), and no
 * text is drawn below RB_TEXT_MIN. */
#include "screen_parts.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* --- sizes --- */

/* How numbers per side are drawn. */
enum {
  BARS_NONE = 0, /* as chips: "Left: 12.0 cm" */
  BARS_UNDER,    /* the label across the row, the bars under it */
  BARS_BESIDE    /* the label on the left, the bars beside it */
};

/* Row sizes in base pixels, from roomy to tight. */
typedef struct {
  float label, value, chip, chip_h, bar_h, gap;
  int bars;
} row_level;

static const row_level LEVELS[] = {
    {30, 44, 30, 56, 64, 16, BARS_UNDER}, {28, 38, 28, 48, 54, 12, BARS_UNDER},
    {26, 32, 26, 42, 46, 10, BARS_UNDER}, {24, 28, 24, 38, 40, 8, BARS_UNDER},
    {24, 26, 24, 36, 36, 6, BARS_BESIDE}, {24, 28, 24, 38, 40, 8, BARS_NONE},
};
#define NLEVELS ((int)(sizeof LEVELS / sizeof LEVELS[0]))

/* The same row sizes in real pixels, with the widths shared by rows. */
typedef struct {
  rb_ui *ui;
  int label, value, chip, chip_h, bar_h, gap, min;
  int bars;
  int tag_w;   /* LEFT/RIGHT tags in front of bars */
  int chip_w;  /* both chips of a per-side row: one width for all rows */
  int plain_w; /* the chip of a row without sides: one width for all */
  int pad;
  const char *lang; /* the words' language (the routine's) */
} rows_ctx;

#define FLAG_TEXT 28
#define FLAG_CHIP_H 46
#define HUGE_H (1 << 20)

static int min_px(rb_ui *ui) { return rb_ui_px(ui, RB_TEXT_MIN); }

/* The height of one line of text at px. */
static int line_skip(rb_ui *ui, rb_font f, int px) {
  int h = 0;
  rb_ui_text_box_measure(ui, f, px, px, "Ag", HUGE_H, HUGE_H, NULL, &h);
  return h;
}

static int text_w(rb_ui *ui, rb_font f, int px, const char *text) {
  int w = 0;
  rb_ui_text_size(ui, f, px, text, &w, NULL);
  return w;
}

/* --- values as words --- */

static bool is_left(const char *s) { return SDL_strcasecmp(s, "left") == 0; }
static bool is_right(const char *s) { return SDL_strcasecmp(s, "right") == 0; }

static bool missing(const char *s) { return !s[0] || strcmp(s, "null") == 0; }

/* Decimals that show both numbers as entered: 12 and 9.5 -> 1 ("12.0",
 * "9.5"), so the two sides read alike. */
static int decimals(double a, double b) {
  double k = 1;
  for (int d = 0; d < 2; d++, k *= 10)
    if (fabs(a * k - round(a * k)) < 1e-6 && fabs(b * k - round(b * k)) < 1e-6)
      return d;
  return 2;
}

static void format_number(double x, int d, const char *unit, char *out,
                          size_t outlen) {
  snprintf(out, outlen, "%.*f%s%s", d, x, unit[0] ? " " : "", unit);
}

/* A per-side value as words: "12.0 cm", "Yes", or a dash when missing. */
static void side_value(const rb_result_row *r, bool right, char *out,
                       size_t outlen) {
  const char *t = right ? r->text_right : r->text_left;
  if (missing(t))
    snprintf(out, outlen, "\xe2\x80\x93");
  else if (r->numeric)
    format_number(right ? r->right : r->left, decimals(r->left, r->right),
                  r->unit, out, outlen);
  else
    snprintf(out, outlen, "%s", t);
  if (out[0])
    out[0] = (char)toupper((unsigned char)out[0]);
}

/* "Left: Yes" */
static void side_chip_text(const rows_ctx *c, const rb_result_row *r,
                           bool right, char *out, size_t outlen) {
  char val[64];
  side_value(r, right, val, sizeof val);
  rb_phrase_format(c->lang, right ? RB_PHRASE_CHIP_RIGHT : RB_PHRASE_CHIP_LEFT,
                   out, outlen, val);
}

/* A row without sides: its value, and the side it names ("left" is
 * drawn in the left colour). */
static void plain_value(const rb_result_row *r, char *out, size_t outlen,
                        SDL_Color *fill) {
  *fill = RB_COL_PANEL_HI;
  if (r->numeric && !missing(r->text))
    format_number(r->value, decimals(r->value, r->value), r->unit, out, outlen);
  else if (missing(r->text))
    snprintf(out, outlen, "\xe2\x80\x93");
  else
    snprintf(out, outlen, "%s", r->text);
  if (is_left(r->text) || is_right(r->text))
    *fill = rb_ui_side_color(r->text);
  if (out[0])
    out[0] = (char)toupper((unsigned char)out[0]);
}

/* --- drawing pieces --- */

/* A rounded block with bold text on it, shrunk (not below the minimum)
 * or cut to fit. */
static void draw_chip(rb_ui *ui, SDL_Rect r, const char *text, SDL_Color fill,
                      int px, int pad) {
  SDL_Rect in = {r.x + pad, r.y, r.w - 2 * pad, r.h};
  int min = min_px(ui);
  rb_ui_fill_round_rect(ui, r, rb_ui_px(ui, 10), fill);
  if (in.w > 0)
    rb_ui_text_fit(ui, RB_FONT_BOLD, px, min < px ? min : px,
                   rb_ui_text_on(fill), text, in, RB_ALIGN_CENTER,
                   RB_VALIGN_MIDDLE);
}

/* A label in at most two lines (shrunk down to the minimum, then cut):
 * its height; *fits is false when it had to be cut. */
static int label_measure(const rows_ctx *c, const char *text, int w,
                         bool *fits) {
  int h2 = 2 * line_skip(c->ui, RB_FONT_REGULAR, c->label), n = 0, h = 0;
  int full = 0, px;
  if (!text[0] || w <= 0) {
    if (fits)
      *fits = !text[0];
    return 0;
  }
  px = rb_ui_text_box_measure(c->ui, RB_FONT_REGULAR, c->label, c->min, text, w,
                              h2, &n, &h);
  if (fits) {
    rb_ui_text_box_measure(c->ui, RB_FONT_REGULAR, px, px, text, w, HUGE_H,
                           &full, NULL);
    *fits = full <= n;
  }
  return h;
}

static void label_draw(const rows_ctx *c, const char *text, int x, int y,
                       int w) {
  int h2 = 2 * line_skip(c->ui, RB_FONT_REGULAR, c->label);
  if (text[0] && w > 0)
    rb_ui_text_box(c->ui, RB_FONT_REGULAR, c->label, c->min, RB_COL_TEXT, text,
                   (SDL_Rect){x, y, w, h2}, RB_ALIGN_LEFT, RB_VALIGN_TOP);
}

/* --- rows --- */

static bool bar_row(const rows_ctx *c, const rb_result_row *r) {
  return c->bars != BARS_NONE && r->per_side && r->numeric;
}

/* One side's bar: the share of min..max, clamped; -1 when missing. */
static double bar_share(const rb_result_row *r, bool right) {
  double x = right ? r->right : r->left, lo = r->min, hi = r->max;
  if (missing(right ? r->text_right : r->text_left) || !isfinite(x))
    return -1;
  if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) {
    /* No usable range: from 0 to a little past the larger value. */
    lo = 0;
    hi = fmax(fabs(r->left), fabs(r->right)) * 1.25;
    if (!(hi > 0))
      return 0;
  }
  x = (x - lo) / (hi - lo);
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

static void draw_track(rb_ui *ui, SDL_Rect t, double share, SDL_Color fg) {
  int rad = t.h / 2;
  rb_ui_fill_round_rect(ui, t, rad, RB_COL_PANEL);
  if (share > 0) {
    SDL_Rect f = t;
    f.w = (int)lround(t.w * share);
    if (f.w < t.h)
      f.w = t.h; /* a sliver still shows as a round dot */
    rb_ui_fill_round_rect(ui, f, rad, fg);
  }
}

/* Where the value goes beside a bar, or whether bars go under their tags
 * (a narrow screen): true when each side is tag, bar and value in one
 * line with a bar at least 45% of the row. */
static bool bars_inline(const rows_ctx *c, const rb_result_row *r, int w,
                        int *val_w) {
  char a[64], b[64];
  int wa, wb;
  side_value(r, false, a, sizeof a);
  side_value(r, true, b, sizeof b);
  wa = text_w(c->ui, RB_FONT_BOLD, c->value, a);
  wb = text_w(c->ui, RB_FONT_BOLD, c->value, b);
  *val_w = wa > wb ? wa : wb;
  return w - c->tag_w - *val_w - 2 * c->gap >= w * 45 / 100;
}

/* LEFT and RIGHT bars on one scale, each with its value. */
static int do_bars(const rows_ctx *c, const rb_result_row *r, SDL_Rect b,
                   bool draw) {
  bool beside = c->bars == BARS_BESIDE;
  int lw = beside ? b.w * 2 / 5 : b.w, val_w = 0;
  int lh = label_measure(c, r->label, lw, NULL), small = c->gap / 2;
  int y = beside ? b.y : b.y + lh + (lh ? c->gap / 2 : 0), h = 0, ly = b.y;
  bool inl;
  int thick;

  if (beside) {
    /* The bars take the rest of the row, in one line each. */
    b.x += lw + c->gap;
    b.w -= lw + c->gap;
    if (!bars_inline(c, r, b.w, &val_w))
      return HUGE_H / 4; /* too narrow: this level does not fit */
    h = 2 * c->bar_h + small;
    if (lh > h)
      y += (lh - h) / 2; /* the bars in the middle of the label */
    else
      ly += (h - lh) / 2; /* the label in the middle of the bars */
  }
  inl = bars_inline(c, r, b.w, &val_w);
  thick = inl ? c->bar_h * 7 / 10 : c->bar_h / 2;
  if (draw)
    label_draw(c, r->label, b.x - (beside ? lw + c->gap : 0), ly, lw);
  for (int side = 0; side < 2; side++) {
    const char *name = side ? "right" : "left";
    SDL_Color col = rb_ui_side_color(name);
    SDL_Rect tag = {b.x, y, c->tag_w, c->bar_h}, track, val;
    char text[64];
    side_value(r, side != 0, text, sizeof text);
    if (inl) {
      track = (SDL_Rect){tag.x + tag.w + c->gap, y + (c->bar_h - thick) / 2,
                         b.w - tag.w - val_w - 2 * c->gap, thick};
      val = (SDL_Rect){b.x + b.w - val_w, y, val_w, c->bar_h};
      y += c->bar_h + small;
    } else {
      val = (SDL_Rect){tag.x + tag.w + c->gap, y, val_w, c->bar_h};
      track = (SDL_Rect){b.x, y + c->bar_h + small, b.w, thick};
      y = track.y + thick + small;
    }
    if (!draw)
      continue;
    draw_chip(c->ui, tag,
              rb_phrase_text(c->lang,
                             side ? RB_PHRASE_TAG_RIGHT : RB_PHRASE_TAG_LEFT),
              col, c->chip, c->pad);
    draw_track(c->ui, track, bar_share(r, side != 0), col);
    rb_ui_text_fit(c->ui, RB_FONT_BOLD, c->value, c->min, RB_COL_TEXT, text,
                   val, inl ? RB_ALIGN_RIGHT : RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  }
  h = y - small - b.y;
  return beside && lh > h ? lh : h;
}

/* A label and, beside it (or under it when it needs the width), one or
 * two chips of width cw each. */
static int do_chips(const rows_ctx *c, const char *label, SDL_Rect b,
                    const char *const text[2], const SDL_Color fill[2], int n,
                    int cw, bool draw) {
  int chips_w = n * cw + (n - 1) * c->gap, lw = b.w - chips_w - c->gap;
  bool fits = false, beside;
  int lh = 0, h, cy;

  if (lw >= b.w * 3 / 10)
    lh = label_measure(c, label, lw, &fits);
  beside = fits;
  if (!beside) {
    /* The label across the row, the chips under it. */
    lw = b.w;
    lh = label_measure(c, label, lw, NULL);
    if (n == 2 && 2 * cw + c->gap > b.w)
      cw = (b.w - c->gap) / 2;
  }
  if (beside) {
    h = lh > c->chip_h ? lh : c->chip_h;
    cy = b.y + (h - c->chip_h) / 2;
  } else {
    cy = b.y + lh + (lh ? c->gap / 2 : 0);
    h = cy + c->chip_h - b.y;
  }
  if (!draw)
    return h;
  label_draw(c, label, b.x, beside ? b.y + (h - lh) / 2 : b.y, lw);
  for (int i = 0; i < n; i++) {
    int x = beside ? b.x + b.w - chips_w + i * (cw + c->gap)
                   : b.x + i * (cw + c->gap);
    draw_chip(c->ui, (SDL_Rect){x, cy, cw, c->chip_h}, text[i], fill[i],
              c->chip, c->pad);
  }
  return h;
}

/* Draws (or only measures) one row at b.x, b.y, b.w: its height. */
static int do_row(const rows_ctx *c, const rb_result_row *r, SDL_Rect b,
                  bool draw) {
  char ta[96], tb[96];
  const char *text[2] = {ta, tb};
  SDL_Color fill[2] = {RB_COL_LEFT, RB_COL_RIGHT};
  int cw;

  if (bar_row(c, r))
    return do_bars(c, r, b, draw);
  if (r->per_side) {
    side_chip_text(c, r, false, ta, sizeof ta);
    side_chip_text(c, r, true, tb, sizeof tb);
    return do_chips(c, r->label, b, text, fill, 2, c->chip_w, draw);
  }
  plain_value(r, ta, sizeof ta, &fill[0]);
  cw = c->plain_w > b.w / 2 ? b.w / 2 : c->plain_w;
  return do_chips(c, r->label, b, text, fill, 1, cw, draw);
}

static void rows_setup(rows_ctx *c, rb_ui *ui, const rb_view *v, int level,
                       int w) {
  const row_level *L = &LEVELS[level];
  char t[96];
  int most = 0, plain = 0;

  c->ui = ui;
  c->lang = v->meta && v->meta->language[0] ? v->meta->language : NULL;
  c->min = min_px(ui);
  c->label = rb_ui_px(ui, L->label);
  c->value = rb_ui_px(ui, L->value);
  c->chip = rb_ui_px(ui, L->chip);
  c->chip_h = rb_ui_px(ui, L->chip_h);
  c->bar_h = rb_ui_px(ui, L->bar_h);
  c->gap = rb_ui_px(ui, L->gap);
  c->bars = L->bars;
  c->pad = rb_ui_px(ui, 12);
  c->tag_w = SDL_max(text_w(ui, RB_FONT_BOLD, c->chip,
                            rb_phrase_text(c->lang, RB_PHRASE_TAG_RIGHT)),
                     text_w(ui, RB_FONT_BOLD, c->chip,
                            rb_phrase_text(c->lang, RB_PHRASE_TAG_LEFT))) +
             2 * c->pad;
  for (int i = 0; i < v->result.nrows && i < RB_RESULT_ROWS_MAX; i++) {
    const rb_result_row *r = &v->result.rows[i];
    SDL_Color fill;
    if (!r->per_side) {
      int tw;
      plain_value(r, t, sizeof t, &fill);
      tw = text_w(ui, RB_FONT_BOLD, c->chip, t);
      if (tw > plain)
        plain = tw;
      continue;
    }
    if (bar_row(c, r))
      continue;
    for (int side = 0; side < 2; side++) {
      int tw;
      side_chip_text(c, r, side != 0, t, sizeof t);
      tw = text_w(ui, RB_FONT_BOLD, c->chip, t);
      if (tw > most)
        most = tw;
    }
  }
  c->chip_w = most + 2 * c->pad;
  if (c->chip_w < rb_ui_px(ui, 150))
    c->chip_w = rb_ui_px(ui, 150);
  if (c->chip_w > (w - c->gap) / 2)
    c->chip_w = (w - c->gap) / 2;
  c->plain_w = plain + 2 * c->pad;
  if (c->plain_w < rb_ui_px(ui, 120))
    c->plain_w = rb_ui_px(ui, 120);
}

/* All rows, each under the last with a thin rule between; rows that do
 * not fit in b.h are left out (only with more rows than any screen can
 * hold). Returns the height used. */
static int do_rows(const rows_ctx *c, const rb_view *v, SDL_Rect b, bool draw) {
  int y = b.y;
  for (int i = 0; i < v->result.nrows && i < RB_RESULT_ROWS_MAX; i++) {
    SDL_Rect rb = {b.x, y, b.w, 0};
    int h;
    if (i > 0)
      rb.y += c->gap;
    h = do_row(c, &v->result.rows[i], rb, false);
    if (rb.y + h > b.y + b.h)
      break;
    if (draw) {
      if (i > 0) {
        int t = rb_ui_px(c->ui, 2) > 1 ? rb_ui_px(c->ui, 2) : 1;
        rb_ui_fill_rect(c->ui, (SDL_Rect){b.x, y + (c->gap - t) / 2, b.w, t},
                        RB_COL_PANEL_HI);
      }
      do_row(c, &v->result.rows[i], rb, true);
    }
    y = rb.y + h;
  }
  return y - b.y;
}

/* --- flags --- */

/* Flags as chips of text px, flowing in lines across b.w, as many as
 * fit in b.h. Returns the height. */
static int flow_flags(rb_ui *ui, const rb_view *v, SDL_Rect b, int px,
                      bool draw) {
  int ch = px * FLAG_CHIP_H / FLAG_TEXT;
  int pad = rb_ui_px(ui, 14), gap = rb_ui_px(ui, 10);
  int x = b.x, y = b.y, end = b.y;

  if (v->result.nflags <= 0)
    return 0;
  for (int i = 0; i < v->result.nflags && i < RB_RESULT_FLAGS_MAX; i++) {
    /* in the plugin's plain words (assessment.c) */
    const char *words = v->result.flags[i].words;
    const char *side = v->result.flags[i].side;
    int w;
    SDL_Color fill;
    if (!words[0])
      continue;
    w = text_w(ui, RB_FONT_BOLD, px, words) + 2 * pad;
    if (w > b.w)
      w = b.w;
    if (x > b.x && x + w > b.x + b.w) {
      x = b.x;
      y += ch + gap;
    }
    fill = side[0] ? rb_ui_side_color(side) : RB_COL_WARN;
    if (y + ch > b.y + b.h)
      break; /* no room left on this page */
    if (draw)
      draw_chip(ui, (SDL_Rect){x, y, w, ch}, words, fill, px, pad);
    end = y + ch;
    x += w + gap;
  }
  return end - b.y;
}

/* Flags at the larger size unless the smallest saves a line (judged
 * with all of them, so a page that holds only some draws them as it
 * measured them). */
static int do_flags(rb_ui *ui, const rb_view *v, SDL_Rect b, bool draw) {
  int big = rb_ui_px(ui, FLAG_TEXT), small = min_px(ui), hb, hs;
  SDL_Rect all = {b.x, b.y, b.w, HUGE_H};
  hb = flow_flags(ui, v, all, big, false);
  if (hb == 0)
    return 0;
  hs = flow_flags(ui, v, all, small, false);
  return flow_flags(ui, v, b,
                    hb - hs > small * FLAG_CHIP_H / FLAG_TEXT / 2 ? small : big,
                    draw);
}

/* --- the whole screen --- */

typedef struct {
  SDL_Rect title, rows, flags, summary, ok, more, stop;
  int summary_px, level;
  bool cut; /* the summary does not fit: "Read more" shows it whole */
} result_layout;

/* Text sizes tried for the summary, with the row level each allows, in
 * order of preference: the summary stays large while the rows give up
 * room, then both shrink down to small bars beside their labels. When
 * none fits, the summary is cut and "More" shows it whole. */
static const struct {
  int summary, level;
} TRIES[] = {{30, 0}, {30, 1}, {28, 1}, {30, 2}, {28, 2}, {26, 2},
             {28, 3}, {26, 3}, {24, 3}, {28, 4}, {26, 4}, {24, 4}};
/* The summary's size on the first page when it is cut there. */
#define CUT_SUMMARY 26
#define CUT_LINES 3

static const char *title_of(const rb_view *v) { return v->title; }

static int summary_need(rb_ui *ui, const rb_view *v, int px, int w) {
  int h = 0;
  if (!v->result.summary[0])
    return 0;
  rb_ui_text_box_measure(ui, RB_FONT_REGULAR, px, px, v->result.summary, w,
                         HUGE_H, NULL, &h);
  return h;
}

typedef struct {
  rb_ui *ui;
  const rb_view *v;
  int rows_w, rows_h[NLEVELS];
} rows_cache;

static int rows_height(rows_cache *rc, int level) {
  if (rc->rows_h[level] < 0) {
    rows_ctx c;
    rows_setup(&c, rc->ui, rc->v, level, rc->rows_w);
    rc->rows_h[level] =
        do_rows(&c, rc->v, (SDL_Rect){0, 0, rc->rows_w, HUGE_H}, false);
  }
  return rc->rows_h[level];
}

/* The title and the buttons, the same on both pages. Returns the top of
 * the body. */
static int lay_out_frame(rb_ui *ui, const rb_view *v, result_layout *l) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12), th = 0;
  bool portrait = rb_ui_portrait(ui);

  /* One line in landscape, up to two in portrait. */
  l->title = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, portrait ? 112 : 64)};
  rb_ui_text_box_measure(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_HEADING),
                         rb_ui_px(ui, 34), title_of(v), l->title.w, l->title.h,
                         NULL, &th);
  if (portrait && th > 0 && th < l->title.h)
    l->title.h = th;
  /* STOP where it is on every running screen */
  l->stop = rb_screen_stop_rect(ui);
  if (portrait) {
    /* OK across the foot over STOP; "Read more" takes its left half when
     * shown. */
    int bh = rb_ui_px(ui, 96), half = (W - 2 * mg - gap) / 2;
    l->ok = (SDL_Rect){mg, l->stop.y - gap - bh, W - 2 * mg, bh};
    l->more = (SDL_Rect){mg, l->ok.y, half, bh};
  } else {
    /* A column in the bottom-right corner: "Read more", OK, STOP (as
     * narrow as the buttons were, to leave the summary its width). */
    int ow = rb_ui_px(ui, 210), oh = rb_ui_px(ui, 90), mh = rb_ui_px(ui, 76);
    l->stop.x += l->stop.w - ow;
    l->stop.w = ow;
    l->ok = (SDL_Rect){W - mg - ow, l->stop.y - gap - oh, ow, oh};
    l->more = (SDL_Rect){l->ok.x, l->ok.y - gap - mh, ow, mh};
  }
  (void)H;
  return l->title.y + l->title.h + gap;
}

static void show_more(rb_ui *ui, result_layout *l) {
  int gap = rb_ui_px(ui, 12);
  l->cut = true;
  if (rb_ui_portrait(ui)) {
    l->ok.x = l->more.x + l->more.w + gap;
    l->ok.w = l->more.w;
  }
}

static void lay_out(rb_ui *ui, const rb_view *v, result_layout *l) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);
  bool portrait = rb_ui_portrait(ui);
  int top = lay_out_frame(ui, v, l), tw, flags_h, bottom;
  rows_cache rc = {ui, v, W - 2 * mg, {0}};
  size_t t;

  for (int i = 0; i < NLEVELS; i++)
    rc.rows_h[i] = -1;
  /* The flags and the summary: beside the buttons in landscape. */
  tw = portrait ? W - 2 * mg : l->ok.x - gap - mg;
  bottom = portrait ? l->ok.y - gap : H - mg;
  flags_h = do_flags(ui, v, (SDL_Rect){mg, 0, tw, HUGE_H}, false);
  l->cut = false;
  l->summary = (SDL_Rect){mg, 0, tw, 0};

  for (t = 0; t < sizeof TRIES / sizeof TRIES[0]; t++) {
    int lv = TRIES[t].level, px = rb_ui_px(ui, (float)TRIES[t].summary);
    int sh = summary_need(ui, v, px, tw);
    int block = flags_h + (flags_h && sh ? gap : 0) + sh;
    int end = bottom - (block ? block + gap : 0);
    if (!portrait && end > l->ok.y - gap)
      end = l->ok.y - gap; /* rows go across, over the button */
    if (rows_height(&rc, lv) <= end - top) {
      l->level = lv;
      l->summary_px = px;
      l->summary.h = sh;
      break;
    }
  }
  if (t == sizeof TRIES / sizeof TRIES[0]) {
    /* Not all on one page: the rows as large as leave the flags and a
     * few lines of the summary room; "Read more" shows the rest. */
    int px = rb_ui_px(ui, CUT_SUMMARY);
    int keep = CUT_LINES * line_skip(ui, RB_FONT_REGULAR, px);
    int end;
    show_more(ui, l);
    end = bottom - (flags_h ? flags_h + gap : 0) - keep - gap;
    if (!portrait && end > l->more.y - gap)
      end = l->more.y - gap;
    l->level = NLEVELS - 1;
    for (int lv = 0; lv < NLEVELS; lv++)
      if (rows_height(&rc, lv) <= end - top) {
        l->level = lv;
        break;
      }
    l->summary_px = px;
    l->summary.h = HUGE_H;
  }
  l->rows = (SDL_Rect){mg, top, W - 2 * mg, rows_height(&rc, l->level)};
  l->flags = (SDL_Rect){mg, 0, tw, flags_h};
  if (l->cut) {
    /* More than a page holds even so (many rows or flags): the rows
     * first, then a line of flags and of the summary; what does not fit
     * is left out here (the summary is whole on the next page). */
    int line = v->result.summary[0]
                   ? line_skip(ui, RB_FONT_REGULAR, l->summary_px) + gap
                   : 0;
    int flag_line = flags_h ? SDL_min(flags_h, rb_ui_px(ui, FLAG_CHIP_H)) : 0;
    int room = bottom - top - (flag_line ? flag_line + gap : 0) - line;
    if (!portrait && room > l->more.y - gap - top)
      room = l->more.y - gap - top;
    if (l->rows.h > room) {
      rows_ctx c;
      rows_setup(&c, ui, v, l->level, l->rows.w);
      l->rows.h =
          room > 0 ? do_rows(&c, v, (SDL_Rect){mg, top, l->rows.w, room}, false)
                   : 0;
    }
    room = bottom - (l->rows.y + l->rows.h + gap) - line;
    if (l->flags.h > room)
      l->flags.h =
          room > 0 ? do_flags(ui, v, (SDL_Rect){mg, 0, tw, room}, false) : 0;
  }
  l->flags.y = l->rows.y + l->rows.h + (l->rows.h ? gap : 0);
  l->summary.y = l->flags.y + l->flags.h + (l->flags.h ? gap : 0);
  if (l->summary.y + l->summary.h > bottom)
    l->summary.h = bottom - l->summary.y;
}

/* --- state, actions --- */

static Uint32 view_key(const rb_view *v) {
  /* FNV-1a over what makes one result differ from another. */
  Uint32 h = 2166136261u;
  const char *parts[] = {v->title, v->result.summary};
  for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
    for (const char *c = parts[p]; *c; c++)
      h = (h ^ (unsigned char)*c) * 16777619u;
  return (h ^ (Uint32)v->result.nrows) * 16777619u;
}

void rb_result_sync(rb_result_state *r, const rb_view *v) {
  Uint32 key = view_key(v);
  if (r->valid && r->key == key)
    return;
  memset(r, 0, sizeof *r);
  r->valid = true;
  r->key = key;
}

bool rb_result_action(rb_result_state *r, const rb_view *v,
                      const rb_action *a) {
  if (v->kind != RB_VIEW_RESULT)
    return false;
  rb_result_sync(r, v);
  if (a->kind == RB_ACTION_DOWN && r->cut && !r->more) {
    r->more = true;
    return true;
  }
  if ((a->kind == RB_ACTION_UP || a->kind == RB_ACTION_BACK) && r->more) {
    r->more = false;
    return true;
  }
  /* UP/DOWN with nothing to page: used, so they do nothing else. */
  return a->kind == RB_ACTION_UP || a->kind == RB_ACTION_DOWN;
}

/* --- drawing --- */

static void draw_title(rb_ui *ui, const rb_view *v, const result_layout *l) {
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_HEADING),
                 rb_ui_px(ui, 34), RB_COL_TEXT, title_of(v), l->title,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
}

static void draw_ok(rb_screen *s, rb_ui *ui, const rb_view *v, SDL_Rect r) {
  rb_screen_button(s, ui, r,
                   v->result.prompt[0] ? v->result.prompt
                                       : rb_screen_word(s, RB_PHRASE_OK),
                   RB_COL_ACCENT, 0, RB_ACTION_NEXT, "");
}

/* The second page: the whole summary as large as it fits, Back and OK. */
static void render_more(rb_screen *s, rb_ui *ui, const rb_view *v) {
  result_layout l;
  int top = lay_out_frame(ui, v, &l), mg = rb_ui_px(ui, 16);
  int gap = rb_ui_px(ui, 12);
  bool portrait = rb_ui_portrait(ui);
  SDL_Rect box = {mg, top, 0, 0};

  show_more(ui, &l);
  box.w = portrait ? rb_ui_width(ui) - 2 * mg : l.ok.x - gap - mg;
  box.h = (portrait ? l.ok.y - gap : rb_ui_height(ui) - mg) - top;
  draw_title(ui, v, &l);
  rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, 34), min_px(ui), RB_COL_TEXT,
                 v->result.summary, box, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  rb_screen_button(s, ui, l.more, rb_screen_word(s, RB_PHRASE_PAGE_BACK),
                   RB_COL_PANEL_HI, 0, RB_ACTION_UP, "more");
  draw_ok(s, ui, v, l.ok);
  rb_screen_stop_button(s, ui, l.stop);
}

void rb_result_render(rb_screen *s, rb_ui *ui, const rb_view *v,
                      rb_result_state *r) {
  result_layout l;
  rows_ctx c;

  rb_result_sync(r, v);
  rb_ui_clear(ui, RB_COL_BG);
  lay_out(ui, v, &l);
  r->cut = l.cut;
  if (r->more && l.cut) {
    render_more(s, ui, v);
    return;
  }
  r->more = false;
  draw_title(ui, v, &l);
  rows_setup(&c, ui, v, l.level, l.rows.w);
  do_rows(&c, v, l.rows, true);
  do_flags(ui, v, l.flags, true);
  if (v->result.summary[0] &&
      l.summary.h >= line_skip(ui, RB_FONT_REGULAR, l.summary_px))
    rb_ui_text_box(ui, RB_FONT_REGULAR, l.summary_px, l.summary_px, RB_COL_TEXT,
                   v->result.summary, l.summary, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  if (l.cut)
    rb_screen_button(s, ui, l.more, rb_screen_word(s, RB_PHRASE_MORE),
                     RB_COL_PANEL_HI, 0, RB_ACTION_DOWN, "more");
  draw_ok(s, ui, v, l.ok);
  rb_screen_stop_button(s, ui, l.stop);
}
