/* run: draws the session's view for a patient 2-3 m away.
 *
 * Exercise views (INFO, COUNTDOWN, HOLD, REPS, REST) share one layout:
 * the step's title, the largest text but the numerals; a big "stage"
 * (ring and seconds, count, text); and a panel with the LEFT/RIGHT badge,
 * details (the count, the spoken cue), what comes next and the red STOP
 * button, which is always there. Landscape puts the title across the top
 * and the panel on the right; portrait stacks everything. No text is
 * drawn below RB_TEXT_MIN: what does not fit gives way. Questions are in
 * screen_question.c, an assessment's result in screen_result.c. */
#include "screen_parts.h"

#include "figure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RING_STEP_MS 250 /* the ring moves at 4 Hz */
/* A moving figure is drawn at this rate (a still one only when the
 * screen changes); a breath while holding, more slowly. */
#define FIGURE_FRAME_MS 125
/* A moving figure gets its next frame when its farthest-moving joint has
 * gone this many px: eased movement is slow at its ends, which then need
 * fewer frames; between these bounds. */
#define FIGURE_STEP_PX 7.0
#define FIGURE_FRAME_MIN_MS 100
#define FIGURE_FRAME_MAX_MS 500
#define BREATH_FRAME_MS 250 /* with the ring: no frame of its own */
#define BREATH_MS 4000      /* one slow breath */
#define LOOP_MS 4000        /* a self-paced movement shown: start, end, start */
/* The frames of a moving figure kept to be copied again (figure.h): a
 * tempo set's movement at 800x480 takes about 8 MiB. */
#define FIGURE_FRAMES_BYTES (16u << 20)

typedef struct {
  /* banner: where "Paused" goes, over the details and what comes next,
   * never over the stage's numerals */
  SDL_Rect stage, title, badge, progress, details, next, stop, banner;
  SDL_Rect figure; /* taken from the stage; w 0: no figure */
  /* an instruction's ready button: under the stage across its width
   * (landscape: under the figure and the words), at the panel's foot in
   * portrait; h 0: none */
  SDL_Rect ready;
} run_layout;

typedef struct {
  rb_question_state q;
  rb_result_state result;
  /* The last whole render, for drawing only the figure until the timer
   * or words change (still_until, raw time). */
  bool part;
  rb_view_kind part_kind;
  run_layout drawn;
  rb_ms still_until;
  /* the moving figure's frames, kept (NULL until the first one) */
  rb_figure_frames *frames;
} run_data;

/* The side the frame shows: a rest shows the side of what comes next,
 * never the one just finished. */
static const char *frame_side(const rb_view *v) {
  if (v->kind == RB_VIEW_REST)
    return v->next_side;
  if (v->kind == RB_VIEW_INFO && v->info.side[0])
    return v->info.side;
  return v->side;
}

static bool has_side(const rb_view *v) {
  return SDL_strcasecmp(frame_side(v), "left") == 0 ||
         SDL_strcasecmp(frame_side(v), "right") == 0;
}

/* The figure a view shows: a rest shows what comes next. */
static const char *view_figure(const rb_view *v) {
  switch (v->kind) {
  case RB_VIEW_REST:
    return v->next_figure;
  case RB_VIEW_INFO:
  case RB_VIEW_COUNTDOWN:
  case RB_VIEW_HOLD:
  case RB_VIEW_REPS:
    return v->figure;
  default:
    return "";
  }
}

static bool shows_figure(const rb_screen *s, const rb_view *v) {
  const struct rb_figures *f = rb_screen_env(s)->figures;
  return f && view_figure(v)[0] && rb_figures_has(f, view_figure(v));
}

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* A movement shown on its own: start to end and back, slowly. */
static double loop_pos(rb_ms now) {
  return 0.5 - 0.5 * cos(2 * M_PI * (double)(now % LOOP_MS) / LOOP_MS);
}

/* Where the figure is in its movement at routine time now (0 its first
 * pose, 1 its last), and its breath: it moves with the coach's tempo,
 * holds the end pose breathing, starts from the first pose in a
 * countdown and a rest, and shows the movement slowly where the patient
 * sets the pace. Pause freezes it: routine time stands still. */
static void figure_motion(const rb_view *v, rb_ms now, double *pos,
                          double *breath) {
  const rb_view_reps *r = &v->reps;
  *pos = 0;
  *breath = 0;
  switch (v->kind) {
  case RB_VIEW_HOLD:
    *pos = 1;
    if (now > v->phase_start)
      *breath = (double)((now - v->phase_start) % BREATH_MS) / BREATH_MS;
    break;
  case RB_VIEW_REPS:
    if (r->tempo == RB_TEMPO_NONE)
      *pos = loop_pos(now);
    else if (r->tempo == RB_TEMPO_HOLD)
      *pos = 1;
    else {
      double span = (double)(r->tempo_end - r->tempo_start);
      double t = span > 0 ? clamp01((double)(now - r->tempo_start) / span) : 1;
      *pos = r->tempo == RB_TEMPO_UP ? t : 1 - t;
    }
    break;
  case RB_VIEW_INFO:
    *pos = loop_pos(now);
    break;
  default:
    break;
  }
}

/* Whether the figure moves by itself at routine time now (it needs
 * frames); its breath counts as slow movement. */
static rb_ms figure_frame_ms(const rb_view *v) {
  switch (v->kind) {
  case RB_VIEW_HOLD:
    return BREATH_FRAME_MS;
  case RB_VIEW_REPS:
    return v->reps.tempo == RB_TEMPO_HOLD ? RB_MS_NEVER : FIGURE_FRAME_MS;
  case RB_VIEW_INFO:
    return FIGURE_FRAME_MS;
  default:
    return RB_MS_NEVER;
  }
}

static int figure_radius(rb_ui *ui) { return rb_ui_px(ui, 16); }

static void draw_figure(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  run_data *d = rb_screen_data(s);
  double pos, breath;
  const char *name = view_figure(v);
  if (!l->figure.w)
    return;
  figure_motion(v, now, &pos, &breath);
  if (rb_figures_poses(rb_screen_env(s)->figures, name) < 2)
    pos = 0; /* a still */
  if (!d->frames)
    d->frames = rb_figure_frames_new(FIGURE_FRAMES_BYTES);
  rb_figure_draw_kept(d->frames, ui, rb_screen_env(s)->figures, name, l->figure,
                      figure_radius(ui), RB_COL_PANEL, RB_COL_BG, pos, breath,
                      v->kind == RB_VIEW_REST ? v->next_side : frame_side(v));
}

static const char *tempo_word(const rb_screen *s, const rb_view *v,
                              rb_tempo_phase p);

/* The width the stage's words need at the primary size: a tempo's
 * widest word ("DOWN") must never be cut short beside a figure. */
static int stage_need_w(const rb_screen *s, rb_ui *ui, const rb_view *v) {
  static const rb_tempo_phase ph[] = {RB_TEMPO_UP, RB_TEMPO_HOLD,
                                      RB_TEMPO_DOWN};
  int need = 0, w, h;
  if (v->kind != RB_VIEW_REPS || v->reps.tempo == RB_TEMPO_NONE)
    return 0;
  for (size_t i = 0; i < sizeof ph / sizeof ph[0]; i++) {
    rb_ui_text_size(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_PRIMARY),
                    tempo_word(s, v, ph[i]), &w, &h);
    if (w > need)
      need = w;
  }
  return need + rb_ui_px(ui, 8);
}

/* The size a figure of aspect a (width over height) is drawn at in r. */
static double figure_scale(SDL_Rect r, double a) {
  return a > 0 ? fmin(r.w / a, (double)r.h) : (double)r.h;
}

/* The figure's share of the stage (fig) and what is left for the timer
 * and words (rest): beside them, unless over them the figure is larger
 * (a person lying on a mat, wider than tall; in portrait, a person
 * standing goes beside the timer, twice the size it would be over it).
 * Beside it, the stage keeps the width its words need (a tempo's "DOWN"
 * at a large text_scale) and the figure takes less; over it when beside
 * it would be left too little. An instruction in portrait always has the
 * figure over its words, which read better across the screen. */
static void figure_split(const rb_screen *s, rb_ui *ui, const rb_view *v,
                         SDL_Rect st, bool portrait, int gap, SDL_Rect *fig,
                         SDL_Rect *rest) {
  double a = rb_figures_aspect(rb_screen_env(s)->figures, view_figure(v));
  int fh = st.h * 11 / 20, fw = st.w * 11 / 20, need = stage_need_w(s, ui, v);
  SDL_Rect ftop = {st.x, st.y, st.w, fh};
  SDL_Rect fside = {st.x, st.y, fw, st.h};
  if (st.w - fw - gap < need)
    fside.w = st.w - gap - need;
  if ((portrait && v->kind == RB_VIEW_INFO) || fside.w < st.w / 4 ||
      figure_scale(ftop, a) > figure_scale(fside, a) * 1.1) {
    *fig = ftop;
    *rest = (SDL_Rect){st.x, st.y + fh + gap, st.w, st.h - fh - gap};
  } else {
    *fig = fside;
    *rest = (SDL_Rect){st.x + fside.w + gap, st.y, st.w - fside.w - gap, st.h};
  }
}

/* An instruction keeps its words whole: the figure takes its share only
 * when the text still fits beside it at a readable size. */
static bool figure_leaves_room(const rb_screen *s, rb_ui *ui, const rb_view *v,
                               const run_layout *l, bool portrait, int gap) {
  SDL_Rect fig, st;
  const char *text = v->text[0] ? v->text : v->caption;
  if (v->kind != RB_VIEW_INFO || !text[0])
    return true;
  figure_split(s, ui, v, l->stage, portrait, gap, &fig, &st);
  return st.h > 0 &&
         rb_ui_text_box_fits(ui, RB_FONT_REGULAR, rb_ui_px(ui, 52),
                             rb_ui_px(ui, RB_TEXT_MIN), text, st.w, st.h);
}

/* "3 of 7 - 6 min left" on exercise and rest screens, "" elsewhere. */
static void progress(const rb_screen *s, const rb_view *v, char *out,
                     size_t n) {
  long min = lround(v->left_s / 60);
  out[0] = '\0';
  if (v->step <= 0 || v->steps <= 0 ||
      !(v->kind == RB_VIEW_HOLD || v->kind == RB_VIEW_REPS ||
        v->kind == RB_VIEW_REST || v->kind == RB_VIEW_COUNTDOWN))
    return;
  if (min >= 1)
    rb_screen_words(s, RB_PHRASE_PROGRESS, out, n, v->step, v->steps, min);
  else
    rb_screen_words(s, RB_PHRASE_PROGRESS_END, out, n, v->step, v->steps);
}

/* "Next: ..." as shown, "" when nothing comes next. */
static void next_words(const rb_screen *s, const rb_view *v, char *out,
                       size_t n) {
  out[0] = '\0';
  if (v->next[0])
    rb_screen_words(s, RB_PHRASE_NEXT_LABEL, out, n, v->next);
}

/* The title on one line at the primary size, or on two. */
static int title_height(rb_ui *ui, const char *title, int w) {
  int one = rb_ui_px(ui, 64);
  int h = rb_screen_text_height(ui, RB_FONT_BOLD, RB_TEXT_PRIMARY, title, w);
  return h <= one ? one : rb_ui_px(ui, 112);
}

/* Landscape: the title across the top, the stage on the left and a panel
 * on the right (the side, where we are, the details, what comes next,
 * STOP). Portrait: everything stacked. */
static void lay_out(const rb_screen *s, rb_ui *ui, const rb_view *v,
                    const char *title, run_layout *l) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);
  bool side = has_side(v), portrait = rb_ui_portrait(ui);
  char where[64], next[RB_TEXT_MAX + 32];
  int pw = portrait ? W - 2 * mg : rb_ui_px(ui, 320);
  int px = W - mg - pw, nh, ph, top;

  progress(s, v, where, sizeof where);
  next_words(s, v, next, sizeof next);
  l->stop = rb_screen_stop_rect(ui);
  l->title =
      (SDL_Rect){mg, mg, W - 2 * mg, title_height(ui, title, W - 2 * mg)};
  top = l->title.y + l->title.h + gap;
  ph = where[0] ? rb_ui_px(ui, 40) : 0;
  /* what comes next: at its own size, up to two lines, at the foot */
  nh = rb_screen_text_height(ui, RB_FONT_REGULAR, RB_TEXT_MIN, next, pw);
  if (nh > rb_ui_px(ui, 2 * 38))
    nh = 0; /* too long to read at a glance: the rest screen shows it */
  l->next = (SDL_Rect){px, l->stop.y - (nh ? gap + nh : 0), pw, nh};
  l->badge = (SDL_Rect){px, top, pw, side ? rb_ui_px(ui, 72) : 0};
  l->progress =
      (SDL_Rect){px, l->badge.y + l->badge.h + (side ? gap : 0), pw, ph};
  if (portrait) {
    l->details = (SDL_Rect){mg, l->next.y - gap - rb_ui_px(ui, 130), pw,
                            rb_ui_px(ui, 130)};
    l->stage = (SDL_Rect){mg, l->progress.y + ph + (ph ? gap : 0), pw, 0};
    l->stage.h = l->details.y - gap - l->stage.y;
  } else {
    l->details = (SDL_Rect){px, l->progress.y + ph + (ph ? gap / 2 : 0), pw, 0};
    l->details.h = l->next.y - gap - l->details.y;
    l->stage = (SDL_Rect){mg, top, px - gap - mg, H - mg - top};
  }
  l->ready = (SDL_Rect){0, 0, 0, 0};
  if (v->kind == RB_VIEW_INFO && v->info.waiting) {
    int bh = rb_ui_px(ui, 110);
    if (portrait) {
      l->ready = l->details;
      l->ready.y = l->details.y + l->details.h - bh;
    } else {
      l->ready = l->stage;
      l->ready.y = l->stage.y + l->stage.h - bh;
      l->stage.h -= bh + rb_ui_px(ui, 14);
    }
    l->ready.h = bh;
  }
  l->figure = (SDL_Rect){0, 0, 0, 0};
  if (shows_figure(s, v) && figure_leaves_room(s, ui, v, l, portrait, gap)) {
    /* the figure beside the timer (landscape) or over it (portrait, or
     * a wide figure): the larger share, the timer and words keep what
     * they need */
    SDL_Rect rest;
    figure_split(s, ui, v, l->stage, portrait, gap, &l->figure, &rest);
    l->stage = rest;
  }
  l->banner = l->details;
  l->banner.h = l->next.y + l->next.h - l->details.y;
  if (l->banner.h < rb_ui_px(ui, 90)) /* room for the paused banner */
    l->banner.h = rb_ui_px(ui, 90);
}

/* Seconds shown for a deadline: counts 3, 2, 1 and never below 0. */
static long seconds_left(rb_ms end, rb_ms now) {
  rb_ms rem = end - now;
  return rem <= 0 ? 0 : (long)((rem + 999) / 1000);
}

static double ring_fraction(const rb_view *v, rb_ms now) {
  rb_ms total = v->phase_end - v->phase_start, el = now - v->phase_start;
  if (total <= 0)
    return 0;
  if (el < 0)
    el = 0;
  el = el / RING_STEP_MS * RING_STEP_MS;
  return 1.0 - (double)el / (double)total;
}

/* The parts every exercise view has: the title, the side, where we are,
 * what comes next, STOP. */
static void draw_frame(rb_screen *s, rb_ui *ui, const rb_view *v,
                       const run_layout *l, const char *title) {
  const char *side = frame_side(v);
  char where[64], next[RB_TEXT_MAX + 32];
  rb_ui_clear(ui, RB_COL_BG);
  if (has_side(v)) {
    /* A bar down the side's edge of the screen, as well as the word. */
    int bw = rb_ui_px(ui, 10);
    bool left = SDL_strcasecmp(side, "left") == 0;
    SDL_Rect bar = {left ? 0 : rb_ui_width(ui) - bw, 0, bw, rb_ui_height(ui)};
    rb_ui_fill_rect(ui, bar, rb_ui_side_color(side));
    rb_ui_primary(ui, true);
    rb_ui_side_badge(
        ui, l->badge, side,
        rb_screen_word(s, left ? RB_PHRASE_BADGE_LEFT : RB_PHRASE_BADGE_RIGHT));
    rb_ui_primary(ui, false);
  }
  progress(s, v, where, sizeof where);
  rb_screen_text_if_fits(ui, l->progress, RB_FONT_BOLD, RB_TEXT_MIN,
                         RB_COL_TEXT_DIM, where, RB_ALIGN_LEFT,
                         RB_VALIGN_MIDDLE);
  rb_screen_primary(ui, l->title, RB_FONT_BOLD, RB_TEXT_HEADING, RB_COL_TEXT,
                    title, RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  next_words(s, v, next, sizeof next);
  rb_screen_text_if_fits(ui, l->next, RB_FONT_REGULAR, RB_TEXT_MIN, RB_COL_TEXT,
                         next, RB_ALIGN_LEFT, RB_VALIGN_BOTTOM);
  rb_screen_stop_button(s, ui, l->stop);
}

/* Ring with the seconds left in it; tapping it pauses. */
static void draw_timer(rb_screen *s, rb_ui *ui, const rb_view *v, SDL_Rect r,
                       rb_ms now, SDL_Color fg, const char *under) {
  int d = r.w < r.h ? r.w : r.h;
  int cx = r.x + r.w / 2, cy = r.y + r.h / 2, rad = d / 2;
  int th = d / 11;
  int inner = rad - th;
  char num[32];
  /* The largest box with the numeral's shape inside the inner circle. */
  int nh = (int)(inner * 2 / 2.2), nw = (int)(nh * 1.9);
  SDL_Rect nb = {cx - nw / 2, cy - nh / 2 - inner / 8, nw, nh};
  SDL_Rect lb = {cx - inner * 3 / 4, nb.y + nh + inner / 12, inner * 3 / 2,
                 inner / 3};

  snprintf(num, sizeof num, "%ld", seconds_left(v->phase_end, now));
  rb_ui_ring(ui, cx, cy, rad, th, ring_fraction(v, now), fg, RB_COL_PANEL);
  rb_ui_numeral(ui, num, RB_COL_TEXT, nb, RB_ALIGN_CENTER);
  /* A small ring (portrait) has no room for it at a readable size. */
  rb_screen_text_if_fits(ui, lb, RB_FONT_BOLD, RB_TEXT_MIN, RB_COL_TEXT_DIM,
                         under, RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  if (!v->paused)
    rb_screen_add_button(s, (SDL_Rect){cx - rad, cy - rad, d, d},
                         RB_ACTION_PRIMARY, "");
}

static void draw_paused(rb_screen *s, rb_ui *ui, const run_layout *l) {
  rb_ui_dim(ui, 170);
  /* Over the panel's text, so the seconds left stay readable. */
  rb_screen_button(s, ui, l->banner, rb_screen_word(s, RB_PHRASE_PAUSED_BANNER),
                   RB_COL_WARN, 0, RB_ACTION_PRIMARY, "");
  /* STOP stays bright and on top. */
  rb_screen_stop_button(s, ui, l->stop);
}

/* "Hold 2 of 3" (line, may be NULL) and the spoken cue under it, each
 * shown only when it fits whole: the cue was said, the screen need not
 * print it. */
static void draw_details(rb_ui *ui, const run_layout *l, const char *line,
                         const char *cue) {
  SDL_Rect a = l->details, b = l->details;
  if (line && *line) {
    a.h = rb_ui_px(ui, 50);
    if (rb_screen_text_if_fits(ui, a, RB_FONT_BOLD, 36, RB_COL_TEXT, line,
                               RB_ALIGN_LEFT, RB_VALIGN_TOP) ||
        rb_screen_text_if_fits(ui, a, RB_FONT_BOLD, RB_TEXT_MIN, RB_COL_TEXT,
                               line, RB_ALIGN_LEFT, RB_VALIGN_TOP)) {
      b.y = a.y + a.h;
      b.h = l->details.y + l->details.h - b.y;
    }
  }
  rb_screen_text_if_fits(ui, b, RB_FONT_REGULAR, RB_TEXT_MIN, RB_COL_TEXT, cue,
                         RB_ALIGN_LEFT, RB_VALIGN_TOP);
}

/* Letters and digits of s, lower case, for comparing what is said with
 * what is shown ("Stand in a doorway." and "stand in a doorway"). */
static void letters(const char *s, char *out, size_t outlen) {
  size_t n = 0;
  for (; *s && n + 1 < outlen; s++)
    if (SDL_isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
      out[n++] = (char)SDL_tolower((unsigned char)*s);
  out[n] = '\0';
}

/* The caption only repeats the text: it is the same, or one holds the
 * other (case and punctuation aside). */
static bool caption_repeats(const char *caption, const char *text) {
  char a[RB_TEXT_MAX], b[RB_TEXT_MAX];
  letters(caption, a, sizeof a);
  letters(text, b, sizeof b);
  return a[0] && b[0] && (strstr(a, b) || strstr(b, a));
}

/* A button a patient answers with: its label is a primary word. */
static void answer_button(rb_screen *s, rb_ui *ui, SDL_Rect r,
                          const char *label, rb_action_kind kind) {
  rb_ui_primary(ui, true);
  rb_screen_button(s, ui, r, label, RB_COL_ACCENT, 0, kind, "");
  rb_ui_primary(ui, false);
}

/* The text to do on the stage, large, and the ready button under it; the
 * spoken caption in the panel (landscape) or under the text (portrait)
 * when it fits. */
static void render_info(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  SDL_Rect text = l->stage, btn = {0, 0, 0, 0};
  int gap = rb_ui_px(ui, 14);
  bool portrait = rb_ui_portrait(ui);
  const char *shown = v->text, *caption = v->caption;

  if (!caption[0] || caption_repeats(caption, shown))
    caption = NULL;
  if (!shown[0] && caption) {
    shown = caption; /* only said: show it where the text goes */
    caption = NULL;
  }
  draw_frame(s, ui, v, l, v->title);
  draw_figure(s, ui, v, l, now);
  if (v->info.waiting)
    btn = l->ready;
  if (portrait && caption) {
    /* under the text, when both fit */
    int ch = rb_screen_text_height(ui, RB_FONT_REGULAR, RB_TEXT_MIN, caption,
                                   text.w);
    if (ch < text.h / 3) {
      SDL_Rect cap = {text.x, text.y + text.h - ch, text.w, ch};
      rb_screen_text_if_fits(ui, cap, RB_FONT_REGULAR, RB_TEXT_MIN,
                             RB_COL_TEXT_DIM, caption, RB_ALIGN_LEFT,
                             RB_VALIGN_TOP);
      text.h -= ch + gap;
    }
  }
  if (shown[0])
    rb_screen_primary(ui, text, RB_FONT_REGULAR, 52, RB_COL_TEXT, shown,
                      RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  else
    rb_screen_primary(ui, text, RB_FONT_BOLD, 60, RB_COL_TEXT, v->title,
                      RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  if (!portrait)
    draw_details(ui, l, NULL, caption);
  if (v->info.waiting)
    answer_button(s, ui, btn,
                  v->info.prompt[0] ? v->info.prompt
                                    : rb_screen_word(s, RB_PHRASE_READY_BUTTON),
                  RB_ACTION_NEXT);
}

static void render_countdown(rb_screen *s, rb_ui *ui, const rb_view *v,
                             const run_layout *l, rb_ms now) {
  SDL_Rect st = l->stage, nb, top;
  int nh = rb_ui_height(ui) * 2 / 5; /* 40% of the screen */
  char num[32];

  if (nh > st.h * 7 / 10)
    nh = st.h * 7 / 10;
  nb = (SDL_Rect){st.x, st.y + (st.h - nh) * 2 / 3, st.w, nh};
  top = (SDL_Rect){st.x, st.y, st.w, nb.y - st.y};

  draw_frame(s, ui, v, l, v->title);
  draw_figure(s, ui, v, l, now);
  rb_screen_primary(ui, top, RB_FONT_BOLD, 52, RB_COL_TEXT_DIM,
                    rb_screen_word(s, RB_PHRASE_GET_READY), RB_ALIGN_CENTER,
                    RB_VALIGN_MIDDLE);
  /* the instruction stays while the patient gets into position */
  draw_details(ui, l, NULL, v->text[0] ? v->text : v->caption);
  snprintf(num, sizeof num, "%ld", seconds_left(v->phase_end, now));
  rb_ui_numeral(ui, num, rb_ui_side_color(v->side), nb, RB_ALIGN_CENTER);
  if (v->paused)
    draw_paused(s, ui, l);
  else
    rb_screen_add_button(s, st, RB_ACTION_PRIMARY, "");
}

static void render_hold(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  char line[64];

  draw_frame(s, ui, v, l, v->title);
  draw_figure(s, ui, v, l, now);
  draw_timer(s, ui, v, l->stage, now, rb_ui_side_color(v->side),
             v->paused ? "" : rb_screen_word(s, RB_PHRASE_TAP_TO_PAUSE));
  if (v->hold.reps > 1)
    rb_screen_words(s, RB_PHRASE_NEXT_HOLD_OF, line, sizeof line, v->hold.rep,
                    v->hold.reps);
  else
    snprintf(line, sizeof line, "%s", rb_screen_word(s, RB_PHRASE_HOLD));
  draw_details(ui, l, line, v->caption);
  if (v->paused)
    draw_paused(s, ui, l);
}

static const char *tempo_word(const rb_screen *s, const rb_view *v,
                              rb_tempo_phase p) {
  /* the routine's own words (tempo.words), else the engine's */
  int i = p == RB_TEMPO_UP ? 0 : p == RB_TEMPO_HOLD ? 1 : 2;
  if (p != RB_TEMPO_NONE && v->reps.words[i][0])
    return v->reps.words[i];
  switch (p) {
  case RB_TEMPO_UP:
    return rb_screen_word(s, RB_PHRASE_TEMPO_UP);
  case RB_TEMPO_HOLD:
    return rb_screen_word(s, RB_PHRASE_TEMPO_HOLD);
  case RB_TEMPO_DOWN:
    return rb_screen_word(s, RB_PHRASE_TEMPO_DOWN);
  default:
    return "";
  }
}

/* With tempo the screen leads the patient through each repetition, so
 * it says which one is under way ("Rep 1 of 10"); self-paced, the
 * patient counts, so it says how many are done ("3 done of 10"). */
static void rep_count(const rb_screen *s, const rb_view *v, char *out,
                      size_t outlen) {
  const rb_view_reps *r = &v->reps;
  if (r->tempo != RB_TEMPO_NONE) {
    int rep = r->done + 1;
    if (rep > r->count)
      rep = r->count;
    rb_screen_words(s, RB_PHRASE_REP_OF, out, outlen, rep, r->count);
  } else {
    rb_screen_words(s, RB_PHRASE_DONE_OF, out, outlen, r->done, r->count);
  }
}

static void render_reps(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  const rb_view_reps *r = &v->reps;
  SDL_Rect st = l->stage, top = st, bot = st;
  int gap = rb_ui_px(ui, 14);
  char count[48], line[64];

  draw_frame(s, ui, v, l, v->title);
  draw_figure(s, ui, v, l, now);
  top.h = st.h * 11 / 20;
  bot.y = top.y + top.h + gap;
  bot.h = st.h - top.h - gap;
  rep_count(s, v, count, sizeof count);
  if (r->tempo != RB_TEMPO_NONE) {
    /* The phase word leads; the count sits under it. */
    rb_ui_primary(ui, true);
    rb_ui_text_fit(ui, RB_FONT_BOLD, top.h * 3 / 4,
                   rb_ui_px(ui, RB_TEXT_PRIMARY), rb_ui_side_color(v->side),
                   tempo_word(s, v, r->tempo), top, RB_ALIGN_CENTER,
                   RB_VALIGN_MIDDLE);
    rb_ui_primary(ui, false);
    rb_screen_primary(ui, bot, RB_FONT_BOLD, 56, RB_COL_TEXT, count,
                      RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
    rb_screen_add_button(s, st, RB_ACTION_PRIMARY, "");
  } else {
    rb_screen_primary(ui, top, RB_FONT_BOLD, 72, RB_COL_TEXT, count,
                      RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
    if (r->self_paced)
      answer_button(s, ui, bot, rb_screen_word(s, RB_PHRASE_DONE_ONE),
                    RB_ACTION_NEXT);
  }
  if (r->sets > 1)
    rb_screen_words(s, RB_PHRASE_NEXT_SET_OF, line, sizeof line, r->set,
                    r->sets);
  else
    rb_screen_words(s, RB_PHRASE_TIMES, line, sizeof line, r->count);
  draw_details(ui, l, line, v->caption);
  if (v->paused)
    draw_paused(s, ui, l);
}

static void render_rest(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  char next[RB_TEXT_MAX + 16];
  /* what comes next is the point of a rest: large, where the details go */
  run_layout big = *l;
  big.next.h = 0;
  big.next.y = l->stop.y;
  draw_frame(s, ui, v, &big, rb_screen_word(s, RB_PHRASE_REST_AFTER));
  draw_figure(s, ui, v, l, now);
  draw_timer(s, ui, v, l->stage, now, RB_COL_TEXT_DIM,
             v->paused ? "" : rb_screen_word(s, RB_PHRASE_TAP_TO_PAUSE));
  if (v->next[0]) {
    SDL_Rect r = l->banner;
    rb_screen_words(s, RB_PHRASE_NEXT_LABEL_LINES, next, sizeof next, v->next);
    r.h = l->stop.y - rb_ui_px(ui, 12) - r.y;
    rb_screen_primary(ui, r, RB_FONT_BOLD, 40, RB_COL_TEXT, next, RB_ALIGN_LEFT,
                      RB_VALIGN_TOP);
  }
  if (v->paused)
    draw_paused(s, ui, l);
}

static void render_message(rb_ui *ui, const char *msg) {
  SDL_Rect all = {rb_ui_px(ui, 20), rb_ui_px(ui, 20),
                  rb_ui_width(ui) - rb_ui_px(ui, 40),
                  rb_ui_height(ui) - rb_ui_px(ui, 40)};
  rb_ui_clear(ui, RB_COL_BG);
  rb_screen_primary(ui, all, RB_FONT_BOLD, RB_TEXT_TITLE + 8, RB_COL_TEXT, msg,
                    RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
}

static const rb_view *session_view(const rb_screen *s) {
  const rb_env *env = rb_screen_env(s);
  return env->session.view(env->session.ud);
}

/* What the GPIO buttons' LEDs show: a question is answered with NEXT
 * and BACK (moving) and PRIMARY (confirming); PRIMARY blinks while a
 * hold runs (it pauses it). */
static void offer_buttons(rb_screen *s, const rb_view *v) {
  if (rb_view_is_question(v)) {
    rb_screen_offer(s, RB_ACTION_PRIMARY, false);
    rb_screen_offer(s, RB_ACTION_NEXT, false);
    rb_screen_offer(s, RB_ACTION_BACK, false);
  } else if (v->kind == RB_VIEW_HOLD && !v->paused) {
    rb_screen_offer(s, RB_ACTION_PRIMARY, true);
  }
}

static rb_ms timer_next_redraw(rb_screen *s, rb_ms raw);

static void run_render(rb_screen *s, rb_ui *ui, rb_ms raw) {
  run_data *d = rb_screen_data(s);
  const rb_view *v = session_view(s);
  rb_clock *clock = rb_screen_env(s)->clock;
  rb_ms now = clock ? rb_clock_now(clock) : raw;
  run_layout l;

  if (!v) {
    rb_ui_clear(ui, RB_COL_BG);
    return;
  }
  lay_out(s, ui, v,
          v->kind == RB_VIEW_REST ? rb_screen_word(s, RB_PHRASE_REST_AFTER)
                                  : v->title,
          &l);
  if (v->kind != RB_VIEW_RESULT)
    d->result.valid = false; /* a later result opens on its first page */
  switch (v->kind) {
  case RB_VIEW_INFO:
    render_info(s, ui, v, &l, now);
    break;
  case RB_VIEW_COUNTDOWN:
    render_countdown(s, ui, v, &l, now);
    break;
  case RB_VIEW_HOLD:
    render_hold(s, ui, v, &l, now);
    break;
  case RB_VIEW_REPS:
    render_reps(s, ui, v, &l, now);
    break;
  case RB_VIEW_REST:
    render_rest(s, ui, v, &l, now);
    break;
  case RB_VIEW_ASK:
  case RB_VIEW_SCALE:
  case RB_VIEW_MEASURE:
    rb_question_sync(&d->q, v);
    rb_question_render(s, ui, v, &d->q, raw);
    break;
  case RB_VIEW_RESULT:
    rb_result_render(s, ui, v, &d->result);
    break;
  case RB_VIEW_ENDED:
    render_message(ui, rb_screen_word(s, RB_PHRASE_FINISHED));
    break;
  case RB_VIEW_STARTING:
  default:
    render_message(ui, v->meta && v->meta->title[0]
                           ? v->meta->title
                           : rb_screen_word(s, RB_PHRASE_GETTING_READY));
    break;
  }
  offer_buttons(s, v);
  d->part = l.figure.w > 0 && !v->paused &&
            (v->kind == RB_VIEW_INFO || v->kind == RB_VIEW_COUNTDOWN ||
             v->kind == RB_VIEW_HOLD || v->kind == RB_VIEW_REPS ||
             v->kind == RB_VIEW_REST);
  d->part_kind = v->kind;
  d->drawn = l;
  d->still_until = d->part ? timer_next_redraw(s, raw) : 0;
}

/* Between two changes of the timer or words only the figure moves: its
 * box is drawn again over the last frame, from the stage's background
 * up, so the box's rounded, blended edge is never blended twice. */
static bool run_render_part(rb_screen *s, rb_ui *ui, rb_ms raw,
                            SDL_Rect *drawn) {
  run_data *d = rb_screen_data(s);
  const rb_view *v = session_view(s);
  rb_clock *clock = rb_screen_env(s)->clock;
  SDL_Renderer *r = rb_ui_renderer(ui);
  if (!d->part || !v || v->kind != d->part_kind || v->paused ||
      raw >= d->still_until || !shows_figure(s, v))
    return false;
  SDL_RenderSetClipRect(r, &d->drawn.figure);
  {
    /* the panel covers the box but for its corners */
    SDL_Rect b = d->drawn.figure;
    int k = figure_radius(ui);
    rb_ui_fill_rect(ui, (SDL_Rect){b.x, b.y, k, k}, RB_COL_BG);
    rb_ui_fill_rect(ui, (SDL_Rect){b.x + b.w - k, b.y, k, k}, RB_COL_BG);
    rb_ui_fill_rect(ui, (SDL_Rect){b.x, b.y + b.h - k, k, k}, RB_COL_BG);
    rb_ui_fill_rect(ui, (SDL_Rect){b.x + b.w - k, b.y + b.h - k, k, k},
                    RB_COL_BG);
  }
  draw_figure(s, ui, v, &d->drawn, clock ? rb_clock_now(clock) : raw);
  SDL_RenderSetClipRect(r, NULL);
  *drawn = d->drawn.figure;
  return true;
}

static rb_ms raw_now(const rb_screen *s) {
  rb_clock *clock = rb_screen_env(s)->clock;
  return clock ? rb_clock_raw(clock) : 0;
}

static bool run_action(rb_screen *s, const rb_action *a) {
  run_data *d = rb_screen_data(s);
  const rb_env *env = rb_screen_env(s);
  const rb_view *v = session_view(s);
  rb_action send, moved;

  if (!v)
    return false;
  if (a->button && rb_view_is_question(v) &&
      (a->kind == RB_ACTION_NEXT || a->kind == RB_ACTION_BACK)) {
    /* four buttons answer questions too: NEXT to the next choice or up
     * the scale, BACK the other way, PRIMARY confirms (a keyboard keeps
     * its arrows and Enter) */
    bool next = a->kind == RB_ACTION_NEXT;
    moved = *a;
    moved.kind = v->kind == RB_VIEW_ASK
                     ? (next ? RB_ACTION_DOWN : RB_ACTION_UP)
                     : (next ? RB_ACTION_UP : RB_ACTION_DOWN);
    a = &moved;
  }
  if (a->button && v->kind == RB_VIEW_RESULT && d->result.npages > 1 &&
      ((a->kind == RB_ACTION_NEXT && d->result.page + 1 < d->result.npages) ||
       (a->kind == RB_ACTION_BACK && d->result.page > 0))) {
    /* four buttons page a long result too: NEXT on to the next page (OK
     * on the last), BACK back */
    moved = *a;
    moved.kind = a->kind == RB_ACTION_NEXT ? RB_ACTION_DOWN : RB_ACTION_UP;
    a = &moved;
  }
  if (v->kind == RB_VIEW_RESULT && rb_result_action(&d->result, v, a))
    return true;
  if (rb_view_is_question(v)) {
    rb_question_sync(&d->q, v);
    if (rb_question_action(&d->q, v, a, raw_now(s), &send)) {
      if (send.kind == RB_ACTION_NONE)
        return true;
      d->q.valid = false; /* the next question starts afresh */
      env->session.act(env->session.ud, &send);
      return true;
    }
    /* anything else the session takes (STOP, a scripted ANSWER): no
     * touched answer waits on to be saved on a question like this one */
    d->q.pending = false;
    if (a->kind == RB_ACTION_ANSWER)
      d->q.valid = false;
  }
  return env->session.act(env->session.ud, a);
}

/* A touched answer whose moment to change it is over is saved; the
 * session ended: its summary, or what went wrong, instead of this. */
static void run_update(rb_screen *s) {
  run_data *d = rb_screen_data(s);
  const rb_env *env = rb_screen_env(s);
  const rb_view *v = session_view(s);
  rb_action send;
  if (v && rb_view_is_question(v)) {
    rb_question_sync(&d->q, v);
    if (rb_question_due(&d->q, raw_now(s), &send)) {
      d->q.valid = false; /* the next question starts afresh */
      env->session.act(env->session.ud, &send);
      v = session_view(s);
    }
  }
  if (!v || v->kind != RB_VIEW_ENDED)
    return;
  if (v->ended.status == RB_END_ERROR)
    rb_nav_replace(env->nav, rb_screen_error_new(env, v->ended.error));
  else
    rb_nav_replace(env->nav, rb_screen_summary_new(env));
}

static rb_ms min_ms(rb_ms a, rb_ms b) { return a < b ? a : b; }

static rb_ms timer_next_redraw(rb_screen *s, rb_ms raw) {
  const rb_view *v = session_view(s);
  rb_clock *clock = rb_screen_env(s)->clock;
  rb_ms now, t = RB_MS_NEVER;
  bool ring;

  if (v && rb_view_is_question(v)) {
    /* the bar of a touched answer runs out at 4 Hz */
    run_data *d = rb_screen_data(s);
    rb_ms due = rb_question_deadline(&d->q);
    if (due == RB_MS_NEVER)
      return RB_MS_NEVER;
    return min_ms(due, raw + RING_STEP_MS);
  }
  if (!v || !clock || v->paused || rb_clock_paused(clock))
    return RB_MS_NEVER;
  switch (v->kind) {
  case RB_VIEW_COUNTDOWN:
  case RB_VIEW_HOLD:
  case RB_VIEW_REST:
    ring = v->kind != RB_VIEW_COUNTDOWN;
    break;
  case RB_VIEW_REPS:
    /* Tempo: the phase word changes; self-paced: only when acted on. */
    if (v->reps.tempo == RB_TEMPO_NONE || v->reps.tempo_end == RB_MS_NEVER)
      return RB_MS_NEVER;
    return rb_clock_raw_at(clock, v->reps.tempo_end);
  default:
    return RB_MS_NEVER;
  }
  now = rb_clock_now(clock);
  if (v->phase_end != RB_MS_NEVER && v->phase_end > now) {
    long shown = seconds_left(v->phase_end, now);
    /* The numeral changes when the seconds left drop by one. */
    t = min_ms(t, v->phase_end - (rb_ms)(shown - 1) * 1000);
    if (ring && v->phase_start <= now)
      t = min_ms(t,
                 v->phase_start + ((now - v->phase_start) / RING_STEP_MS + 1) *
                                      RING_STEP_MS);
  }
  if (t <= now)
    t = now + 1;
  return t == RB_MS_NEVER ? RB_MS_NEVER : rb_clock_raw_at(clock, t);
}

/* When the moving figure next looks different enough to draw: the first
 * of a few steps ahead at which a joint has moved FIGURE_STEP_PX in the
 * box it was last drawn in. */
static rb_ms motion_frame_ms(rb_screen *s, const rb_view *v, rb_ms now) {
  run_data *d = rb_screen_data(s);
  const struct rb_figures *f = rb_screen_env(s)->figures;
  double p0, p1, breath;
  if (!d->drawn.figure.w)
    return FIGURE_FRAME_MS;
  figure_motion(v, now, &p0, &breath);
  for (rb_ms dt = FIGURE_FRAME_MIN_MS; dt < FIGURE_FRAME_MAX_MS; dt += 50) {
    figure_motion(v, now + dt, &p1, &breath);
    if (rb_figures_motion_px(f, view_figure(v), d->drawn.figure, p0, p1) >=
        FIGURE_STEP_PX)
      return dt;
  }
  return FIGURE_FRAME_MAX_MS;
}

/* The timer's and words' next change, and the figure's next frame while
 * it moves (none paused: routine time stands still). */
static rb_ms run_next_redraw(rb_screen *s, rb_ms raw) {
  const rb_view *v = session_view(s);
  rb_clock *clock = rb_screen_env(s)->clock;
  rb_ms t = timer_next_redraw(s, raw), frame;
  /* on the virtual clock (tests, simulate) a frame is drawn when it is
   * looked at: animation frames would only make time crawl */
  if (!v || !clock || v->paused || rb_clock_paused(clock) ||
      rb_clock_is_virtual(clock) || !shows_figure(s, v) ||
      (rb_figures_poses(rb_screen_env(s)->figures, view_figure(v)) < 2 &&
       v->kind != RB_VIEW_HOLD))
    return t;
  frame = figure_frame_ms(v);
  if (frame == RB_MS_NEVER)
    return t;
  if (frame == FIGURE_FRAME_MS)
    frame = motion_frame_ms(s, v, rb_clock_now(clock));
  frame = rb_clock_raw_at(clock, rb_clock_now(clock) + frame);
  return frame < t ? frame : t;
}

/* A touched answer is saved when its moment to change it is over. */
static rb_ms run_due(rb_screen *s) {
  run_data *d = rb_screen_data(s);
  const rb_view *v = session_view(s);
  if (!v || !rb_view_is_question(v))
    return RB_MS_NEVER;
  rb_question_sync(&d->q, v);
  return rb_question_deadline(&d->q);
}

static void run_destroy(rb_screen *s) {
  run_data *d = rb_screen_data(s);
  rb_figure_frames_free(d->frames);
  d->frames = NULL;
}

static const rb_screen_ops run_ops = {.name = "run",
                                      .destroy = run_destroy,
                                      .action = run_action,
                                      .update = run_update,
                                      .render = run_render,
                                      .next_redraw = run_next_redraw,
                                      .render_part = run_render_part,
                                      .due = run_due};

rb_screen *rb_screen_run_new(const rb_env *env) {
  return rb_screen_alloc(env, &run_ops, sizeof(run_data));
}
