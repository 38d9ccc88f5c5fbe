/* The result view of the run screen (RB_VIEW_RESULT): an assessment's
 * outcome for a patient 2-3 m away.
 *
 * The assessment's title heads the screen. Under it one row per result
 * line: numbers entered per side become a LEFT and a RIGHT bar on one
 * scale (the field's min to max) with the value in large digits, so a
 * difference between the sides shows at a glance; other per-side answers
 * are two chips in the side colours ("Left: Yes", "Right: No"); answers
 * without sides are the label and a chip. Then the flags in plain words
 * (side flags in their side's colour) and the summary. OK (NEXT) and
 * STOP stand where STOP stands on every running screen.
 *
 * Nothing is drawn below RB_TEXT_MIN and nothing is cut short: what does
 * not fit on one page goes on to the next (More, DOWN; Back, UP), rows
 * and lines of flags whole, the summary at the end of a sentence. The
 * rows give up room first (bars beside their labels, then chips) so that
 * a short result stays on one page. */
#include "log.h"
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
    {32, 48, 32, 60, 64, 16, BARS_UNDER},
    {30, 40, 30, 52, 54, 12, BARS_UNDER},
    {30, 36, 30, 48, 46, 10, BARS_BESIDE},
    {30, 36, 30, 48, 46, 10, BARS_NONE},
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

#define FLAG_TEXT 30
#define FLAG_CHIP_H 50
#define SUMMARY_TEXT 30
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

/* A label wrapped in as many lines as it needs at the row's size: its
 * height; *short_enough is true when that is at most two lines. */
static int label_measure(const rows_ctx *c, const char *text, int w,
                         bool *short_enough) {
  int n = 0, h = 0;
  if (!text[0] || w <= 0) {
    if (short_enough)
      *short_enough = !text[0];
    return 0;
  }
  rb_ui_text_box_measure(c->ui, RB_FONT_REGULAR, c->label, c->label, text, w,
                         HUGE_H, &n, &h);
  if (short_enough)
    *short_enough = n <= 2;
  return h;
}

static void label_draw(const rows_ctx *c, const char *text, int x, int y,
                       int w) {
  int h = label_measure(c, text, w, NULL);
  if (text[0] && w > 0)
    rb_ui_text_box(c->ui, RB_FONT_REGULAR, c->label, c->label, RB_COL_TEXT,
                   text, (SDL_Rect){x, y, w, h}, RB_ALIGN_LEFT, RB_VALIGN_TOP);
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
 * two chips of width cw each: side by side, or one under the other when
 * the two are wider than the row. */
static int do_chips(const rows_ctx *c, const char *label, SDL_Rect b,
                    const char *const text[2], const SDL_Color fill[2], int n,
                    int cw, bool draw) {
  int chips_w = n * cw + (n - 1) * c->gap, lw = b.w - chips_w - c->gap;
  bool fits = false, beside, stack = false;
  int lh = 0, h, cy, small = c->gap / 2;

  if (lw >= b.w * 3 / 10)
    lh = label_measure(c, label, lw, &fits);
  beside = fits;
  if (!beside) {
    /* The label across the row, the chips under it. */
    lw = b.w;
    lh = label_measure(c, label, lw, NULL);
    if (cw > b.w)
      cw = b.w;
    stack = n == 2 && 2 * cw + c->gap > b.w;
  }
  if (beside) {
    h = lh > c->chip_h ? lh : c->chip_h;
    cy = b.y + (h - c->chip_h) / 2;
  } else {
    cy = b.y + lh + (lh ? small : 0);
    h = cy + (stack ? 2 * c->chip_h + small : c->chip_h) - b.y;
  }
  if (!draw)
    return h;
  label_draw(c, label, b.x, beside ? b.y + (h - lh) / 2 : b.y, lw);
  for (int i = 0; i < n; i++) {
    int x = beside  ? b.x + b.w - chips_w + i * (cw + c->gap)
            : stack ? b.x
                    : b.x + i * (cw + c->gap);
    int y = stack ? cy + i * (c->chip_h + small) : cy;
    draw_chip(c->ui, (SDL_Rect){x, y, cw, c->chip_h}, text[i], fill[i], c->chip,
              c->pad);
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
  cw = c->plain_w > b.w ? b.w : c->plain_w;
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
  if (c->chip_w > w)
    c->chip_w = w;
  c->plain_w = plain + 2 * c->pad;
  if (c->plain_w < rb_ui_px(ui, 120))
    c->plain_w = rb_ui_px(ui, 120);
}

/* --- pages --- */

enum { BLOCK_ROW, BLOCK_FLAGS, BLOCK_SUMMARY };

/* The fixed parts, the same on every page: the title, the body between
 * it and the buttons, and the buttons. STOP stands where it stands on
 * every running screen; OK, More and Back beside it (landscape) or over
 * it (portrait), each in a place of its own so a page turn moves none. */
typedef struct {
  SDL_Rect title, body, ok, more, back, stop;
} frame;

static int title_px(rb_ui *ui, const rb_view *v, int w, int *h) {
  /* one line if it can, two when it must, never cut */
  int lo = rb_ui_px(ui, 34), n = 0, px;
  int hi = rb_ui_px(ui, RB_TEXT_HEADING);
  px = rb_ui_text_box_measure(ui, RB_FONT_BOLD, hi, lo, v->title, w,
                              line_skip(ui, RB_FONT_BOLD, hi), &n, h);
  if (n == 1) {
    /* the whole of it on that line, not cut to fit */
    int full = 0;
    rb_ui_text_box_measure(ui, RB_FONT_BOLD, px, px, v->title, w, HUGE_H, &full,
                           NULL);
    if (full == 1)
      return px;
  }
  return rb_ui_text_box_measure(ui, RB_FONT_BOLD, lo, lo, v->title, w, HUGE_H,
                                &n, h);
}

static void lay_out_frame(rb_ui *ui, const rb_view *v, bool pages, frame *f) {
  int W = rb_ui_width(ui), mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);
  int th = 0, top, bottom;

  title_px(ui, v, W - 2 * mg, &th);
  f->title = (SDL_Rect){mg, mg, W - 2 * mg, th};
  top = mg + th + gap;
  f->stop = rb_screen_stop_rect(ui);
  if (rb_ui_portrait(ui)) {
    /* a row over STOP: OK alone, or Back, More and OK */
    int bh = rb_ui_px(ui, 96), y = f->stop.y - gap - bh;
    int third = (W - 2 * mg - 2 * gap) / 3;
    f->back = (SDL_Rect){mg, y, third, bh};
    f->more = (SDL_Rect){mg + third + gap, y, third, bh};
    f->ok = pages ? (SDL_Rect){W - mg - third, y, third, bh}
                  : (SDL_Rect){mg, y, W - 2 * mg, bh};
    bottom = y - gap;
  } else {
    /* beside STOP, right to left: OK, More, Back */
    SDL_Rect st = f->stop;
    int room = st.x - gap - mg;
    int third = (room - 2 * gap) / 3;
    int okw = pages ? third : SDL_min(room, rb_ui_px(ui, 300));
    f->ok = (SDL_Rect){st.x - gap - okw, st.y, okw, st.h};
    f->more = (SDL_Rect){f->ok.x - gap - third, st.y, third, st.h};
    f->back = (SDL_Rect){f->more.x - gap - third, st.y, third, st.h};
    bottom = st.y - gap;
  }
  f->body = (SDL_Rect){mg, top, W - 2 * mg, bottom - top};
}

/* Pouring blocks into pages: each goes on the page in hand when it fits
 * under what is there, else starts the next page. */
typedef struct {
  rb_result_state *r;
  int room;  /* the body's height */
  int y;     /* where the next block goes */
  bool full; /* no more pages to be had */
} pour;

static bool page_empty(const pour *p) { return p->y == 0; }

static void new_page(pour *p) {
  if (p->r->npages >= RB_RESULT_PAGES_MAX) {
    if (!p->full)
      rb_log_warn("a result longer than %d pages: the rest is left off the "
                  "screen (it is in the timeline)",
                  RB_RESULT_PAGES_MAX);
    p->full = true;
    return;
  }
  p->r->npages++;
  p->y = 0;
}

/* The space above a block of this kind after the one before it. */
static int gap_before(const pour *p, int kind, int row_gap, int gap) {
  const rb_result_state *r = p->r;
  if (page_empty(p) || r->nblocks == 0)
    return 0;
  return kind == BLOCK_ROW && r->blocks[r->nblocks - 1].kind == BLOCK_ROW
             ? row_gap
             : gap;
}

static void put(pour *p, int kind, int from, int to, int h, int row_gap,
                int gap) {
  int g = gap_before(p, kind, row_gap, gap);
  rb_result_block *b;
  if (p->full || p->r->nblocks >= RB_RESULT_BLOCKS_MAX)
    return;
  if (!page_empty(p) && p->y + g + h > p->room) {
    new_page(p);
    if (p->full)
      return;
    g = 0;
  }
  b = &p->r->blocks[p->r->nblocks++];
  *b = (rb_result_block){kind, from, to, p->r->npages - 1, p->y + g, h};
  p->y += g + h;
}

/* Lines of flag chips across w: *to is the end of the line from `from`. */
static int flag_natural_width(rb_ui *ui, const rb_view *v, int i) {
  return text_w(ui, RB_FONT_BOLD, rb_ui_px(ui, FLAG_TEXT),
                v->result.flags[i].words) +
         2 * rb_ui_px(ui, 14);
}

static int flag_width(rb_ui *ui, const rb_view *v, int i, int w) {
  int cw = flag_natural_width(ui, v, i);
  return cw > w ? w : cw;
}

/* A flag wider than the body is a block of its own, its words wrapped:
 * its height (the usual chip's for the others). */
static int flag_line_height(rb_ui *ui, const rb_view *v, int from, int to,
                            int w) {
  int fh = rb_ui_px(ui, FLAG_CHIP_H), pad = rb_ui_px(ui, 14), th = 0;
  int px = rb_ui_px(ui, FLAG_TEXT);
  if (to - from != 1 || flag_natural_width(ui, v, from) <= w)
    return fh;
  rb_ui_text_box_measure(ui, RB_FONT_BOLD, px, px, v->result.flags[from].words,
                         w - 2 * pad, HUGE_H, NULL, &th);
  return th + pad > fh ? th + pad : fh;
}

static int flags_line_end(rb_ui *ui, const rb_view *v, int from, int w) {
  int n = SDL_min(v->result.nflags, RB_RESULT_FLAGS_MAX);
  int gap = rb_ui_px(ui, 10), x = 0, i = from;
  for (; i < n; i++) {
    int fw;
    if (!v->result.flags[i].words[0])
      continue;
    fw = flag_width(ui, v, i, w);
    if (x > 0 && x + fw > w)
      break;
    x += fw + gap;
  }
  return i;
}

/* The height of summary bytes [from, to) wrapped in w. */
static int summary_h(rb_ui *ui, const char *text, int from, int to, int w) {
  char buf[RB_SUMMARY_MAX];
  int h = 0, n = to - from;
  if (n <= 0)
    return 0;
  if (n >= (int)sizeof buf)
    n = (int)sizeof buf - 1;
  memcpy(buf, text + from, (size_t)n);
  buf[n] = '\0';
  rb_ui_text_box_measure(ui, RB_FONT_REGULAR, rb_ui_px(ui, SUMMARY_TEXT),
                         rb_ui_px(ui, SUMMARY_TEXT), buf, w, HUGE_H, NULL, &h);
  return h;
}

/* Where a page may end the summary: after a sentence (". ", "! ", "? ",
 * a new line) or, for a sentence longer than a page, after a word. */
static int breaks(const char *t, int from, int len, bool words, int *at,
                  int max) {
  int n = 0;
  for (int i = from; i < len && n < max; i++) {
    bool end_of = i + 1 == len;
    bool space = t[i + 1] == ' ' || t[i + 1] == '\n';
    if (t[i] == '\n' || end_of ||
        (space && (words || strchr(".!?", t[i]) != NULL)))
      at[n++] = t[i] == '\n' ? i : i + 1;
  }
  return n;
}

static int skip_space(const char *t, int i, int len) {
  while (i < len && (t[i] == ' ' || t[i] == '\n'))
    i++;
  return i;
}

/* The furthest break from `from` whose text fits in room (0 if none). */
static int furthest_fit(rb_ui *ui, const char *t, int from, int len, int w,
                        int room, bool words) {
  int at[RB_SUMMARY_MAX / 2],
      n = breaks(t, from, len, words, at, RB_SUMMARY_MAX / 2);
  int lo = 0, hi = n - 1, best = 0;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (summary_h(ui, t, from, at[mid], w) <= room) {
      best = at[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

static void pour_summary(rb_ui *ui, const rb_view *v, pour *p, int w, int gap) {
  const char *t = v->result.summary;
  int len = (int)strnlen(t, sizeof v->result.summary),
      pos = skip_space(t, 0, len);
  while (pos < len && !p->full) {
    int g = page_empty(p) ? 0 : gap;
    int room = p->room - p->y - g, end;
    end = furthest_fit(ui, t, pos, len, w, room, false);
    if (end == 0 && !page_empty(p)) {
      new_page(p);
      continue;
    }
    if (end == 0) /* a sentence longer than a page: as many words as fit */
      end = furthest_fit(ui, t, pos, len, w, room, true);
    if (end == 0) { /* a word longer than a page: it, wrapped */
      int at[1];
      end = breaks(t, pos, len, true, at, 1) ? at[0] : len;
    }
    put(p, BLOCK_SUMMARY, pos, end, summary_h(ui, t, pos, end, w), gap, gap);
    pos = skip_space(t, end, len);
    if (pos < len)
      new_page(p);
  }
}

/* Pours everything into pages with the rows at `level`. */
static void pour_all(rb_ui *ui, const rb_view *v, rb_result_state *r,
                     SDL_Rect body, int level) {
  rows_ctx c;
  pour p = {r, body.h, 0, false};
  int gap = rb_ui_px(ui, 12),
      nflags = SDL_min(v->result.nflags, RB_RESULT_FLAGS_MAX);
  int fh = rb_ui_px(ui, FLAG_CHIP_H);

  r->nblocks = 0;
  r->npages = 1;
  r->level = level;
  rows_setup(&c, ui, v, level, body.w);
  for (int i = 0; i < v->result.nrows && i < RB_RESULT_ROWS_MAX; i++)
    put(&p, BLOCK_ROW, i, i + 1,
        do_row(&c, &v->result.rows[i], (SDL_Rect){0, 0, body.w, 0}, false),
        c.gap, gap);
  for (int i = 0; i < nflags;) {
    int end = flags_line_end(ui, v, i, body.w);
    if (end == i)
      end = i + 1;
    put(&p, BLOCK_FLAGS, i, end,
        SDL_max(fh, flag_line_height(ui, v, i, end, body.w)), gap,
        rb_ui_px(ui, 10));
    i = end;
  }
  pour_summary(ui, v, &p, body.w, gap);
}

/* The roomiest rows that leave everything on one page; the roomiest of
 * all when nothing does. */
static void lay_out(rb_ui *ui, const rb_view *v, rb_result_state *r) {
  frame f;
  lay_out_frame(ui, v, false, &f);
  for (int lv = 0; lv < NLEVELS; lv++) {
    pour_all(ui, v, r, f.body, lv);
    if (r->npages == 1)
      goto done;
  }
  /* More than a page: the buttons for paging take no body room (they
   * sit beside STOP, or in the row OK has anyway), so the body is the
   * same. */
  pour_all(ui, v, r, f.body, 0);
done:
  r->w = rb_ui_width(ui);
  r->h = rb_ui_height(ui);
  if (r->page >= r->npages)
    r->page = r->npages - 1;
}

/* --- state, actions --- */

static Uint32 hash_str(Uint32 h, const char *c) {
  for (; *c; c++)
    h = (h ^ (unsigned char)*c) * 16777619u;
  return h;
}

static Uint32 view_key(const rb_view *v) {
  /* FNV-1a over what makes one result differ from another. */
  Uint32 h = hash_str(hash_str(2166136261u, v->title), v->result.summary);
  for (int i = 0; i < v->result.nrows && i < RB_RESULT_ROWS_MAX; i++) {
    const rb_result_row *r = &v->result.rows[i];
    h = hash_str(
        hash_str(hash_str(hash_str(h, r->label), r->text), r->text_left),
        r->text_right);
  }
  for (int i = 0; i < v->result.nflags && i < RB_RESULT_FLAGS_MAX; i++)
    h = hash_str(h, v->result.flags[i].words);
  h = (h ^ (Uint32)v->result.nrows) * 16777619u;
  return (h ^ (Uint32)v->result.nflags) * 16777619u;
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
  if (a->kind == RB_ACTION_DOWN && r->page + 1 < r->npages) {
    r->page++;
    return true;
  }
  if ((a->kind == RB_ACTION_UP || a->kind == RB_ACTION_BACK) && r->page > 0) {
    r->page--;
    return true;
  }
  /* UP/DOWN with nowhere to go: used, so they do nothing else. */
  return a->kind == RB_ACTION_UP || a->kind == RB_ACTION_DOWN;
}

/* --- drawing --- */

static void draw_flags(rb_ui *ui, const rb_view *v, const rb_result_block *b,
                       SDL_Rect body) {
  int x = body.x, gap = rb_ui_px(ui, 10), pad = rb_ui_px(ui, 14);
  for (int i = b->from; i < b->to; i++) {
    /* in the plugin's plain words (assessment.c) */
    const rb_result_flag *fl = &v->result.flags[i];
    int w;
    if (!fl->words[0])
      continue;
    w = flag_width(ui, v, i, body.w);
    if (b->to - b->from == 1 && flag_natural_width(ui, v, i) > body.w) {
      /* too long for one line: wrapped in its block, never cut */
      SDL_Color fill = fl->side[0] ? rb_ui_side_color(fl->side) : RB_COL_WARN;
      SDL_Rect r = {x, body.y + b->y, w, b->h};
      int px = rb_ui_px(ui, FLAG_TEXT);
      rb_ui_fill_round_rect(ui, r, rb_ui_px(ui, 10), fill);
      rb_ui_text_box(ui, RB_FONT_BOLD, px, px, rb_ui_text_on(fill), fl->words,
                     (SDL_Rect){r.x + pad, r.y, r.w - 2 * pad, r.h},
                     RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
    } else {
      draw_chip(ui, (SDL_Rect){x, body.y + b->y, w, b->h}, fl->words,
                fl->side[0] ? rb_ui_side_color(fl->side) : RB_COL_WARN,
                rb_ui_px(ui, FLAG_TEXT), pad);
    }
    x += w + gap;
  }
}

static void draw_summary(rb_ui *ui, const rb_view *v, const rb_result_block *b,
                         SDL_Rect body) {
  char buf[RB_SUMMARY_MAX];
  int n = SDL_min(b->to - b->from, (int)sizeof buf - 1);
  int px = rb_ui_px(ui, SUMMARY_TEXT);
  if (n <= 0)
    return;
  memcpy(buf, v->result.summary + b->from, (size_t)n);
  buf[n] = '\0';
  /* a word longer than a page stays on its page, off the buttons */
  SDL_RenderSetClipRect(rb_ui_renderer(ui), &body);
  rb_ui_text_box(ui, RB_FONT_REGULAR, px, px, RB_COL_TEXT, buf,
                 (SDL_Rect){body.x, body.y + b->y, body.w, b->h}, RB_ALIGN_LEFT,
                 RB_VALIGN_TOP);
  SDL_RenderSetClipRect(rb_ui_renderer(ui), NULL);
}

void rb_result_render(rb_screen *s, rb_ui *ui, const rb_view *v,
                      rb_result_state *r) {
  frame f;
  rows_ctx c;
  int th = 0, px;
  const rb_result_block *prev = NULL;

  rb_result_sync(r, v);
  if (r->npages == 0 || r->w != rb_ui_width(ui) || r->h != rb_ui_height(ui))
    lay_out(ui, v, r);
  lay_out_frame(ui, v, r->npages > 1, &f);
  rb_ui_clear(ui, RB_COL_BG);
  px = title_px(ui, v, f.title.w, &th);
  rb_ui_text_box(ui, RB_FONT_BOLD, px, px, RB_COL_TEXT, v->title, f.title,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rows_setup(&c, ui, v, r->level, f.body.w);
  for (int i = 0; i < r->nblocks; i++) {
    const rb_result_block *b = &r->blocks[i];
    if (b->page != r->page)
      continue;
    if (b->kind == BLOCK_ROW) {
      if (prev && prev->kind == BLOCK_ROW) {
        /* a thin rule between rows */
        int t = rb_ui_px(ui, 2) > 1 ? rb_ui_px(ui, 2) : 1;
        rb_ui_fill_rect(ui,
                        (SDL_Rect){f.body.x, f.body.y + b->y - (c.gap + t) / 2,
                                   f.body.w, t},
                        RB_COL_PANEL_HI);
      }
      do_row(&c, &v->result.rows[b->from],
             (SDL_Rect){f.body.x, f.body.y + b->y, f.body.w, b->h}, true);
    } else if (b->kind == BLOCK_FLAGS) {
      draw_flags(ui, v, b, f.body);
    } else {
      draw_summary(ui, v, b, f.body);
    }
    prev = b;
  }
  if (r->page > 0)
    rb_screen_button(s, ui, f.back, rb_screen_word(s, RB_PHRASE_PAGE_BACK),
                     RB_COL_PANEL_HI, 0, RB_ACTION_UP, "more");
  if (r->page + 1 < r->npages)
    rb_screen_button(s, ui, f.more, rb_screen_word(s, RB_PHRASE_MORE),
                     RB_COL_PANEL_HI, 0, RB_ACTION_DOWN, "more");
  rb_screen_button(s, ui, f.ok,
                   v->result.prompt[0] ? v->result.prompt
                                       : rb_screen_word(s, RB_PHRASE_OK),
                   RB_COL_ACCENT, 0, RB_ACTION_NEXT, "");
  rb_screen_stop_button(s, ui, f.stop);
}
