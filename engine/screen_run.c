/* run: draws the session's view for a patient 2-3 m away.
 *
 * Exercise views (INFO, COUNTDOWN, HOLD, REPS, REST) share one layout: a
 * big "stage" (ring and seconds, count, text) and a panel with the
 * title, the LEFT/RIGHT badge, details, what comes next and the red STOP
 * button, which is always there. Landscape puts the panel on the right;
 * portrait stacks everything. Questions are in screen_question.c. */
#include "screen_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RING_STEP_MS 250 /* the ring moves at 4 Hz */

typedef struct {
  rb_question_state q;
} run_data;

typedef struct {
  SDL_Rect stage, title, badge, details, next, stop;
} run_layout;

static bool has_side(const rb_view *v) {
  return SDL_strcasecmp(v->side, "left") == 0 ||
         SDL_strcasecmp(v->side, "right") == 0;
}

static void lay_out(rb_ui *ui, bool side, run_layout *l) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 12);

  if (rb_ui_portrait(ui)) {
    int w = W - 2 * mg;
    l->title = (SDL_Rect){mg, mg, w, rb_ui_px(ui, 96)};
    l->badge = (SDL_Rect){mg, l->title.y + l->title.h + gap, w,
                          side ? rb_ui_px(ui, 80) : 0};
    l->stop = (SDL_Rect){mg, H - mg - rb_ui_px(ui, 100), w, rb_ui_px(ui, 100)};
    l->next =
        (SDL_Rect){mg, l->stop.y - gap - rb_ui_px(ui, 70), w, rb_ui_px(ui, 70)};
    l->details = (SDL_Rect){mg, l->next.y - gap - rb_ui_px(ui, 120), w,
                            rb_ui_px(ui, 120)};
    l->stage = (SDL_Rect){mg, l->badge.y + l->badge.h + (side ? gap : 0), w, 0};
    l->stage.h = l->details.y - gap - l->stage.y;
  } else {
    int pw = rb_ui_px(ui, 320), px = W - mg - pw;
    l->stage = (SDL_Rect){mg, mg, px - gap - mg, H - 2 * mg};
    l->title = (SDL_Rect){px, mg, pw, rb_ui_px(ui, 80)};
    l->badge = (SDL_Rect){px, l->title.y + l->title.h + gap, pw,
                          side ? rb_ui_px(ui, 68) : 0};
    l->stop = (SDL_Rect){px, H - mg - rb_ui_px(ui, 90), pw, rb_ui_px(ui, 90)};
    l->next = (SDL_Rect){px, l->stop.y - gap - rb_ui_px(ui, 74), pw,
                         rb_ui_px(ui, 74)};
    l->details =
        (SDL_Rect){px, l->badge.y + l->badge.h + (side ? gap : 0), pw, 0};
    l->details.h = l->next.y - gap - l->details.y;
  }
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

static void draw_text(rb_ui *ui, SDL_Rect r, const char *text, bool bold,
                      float max, float min, SDL_Color c, rb_align align,
                      rb_valign valign) {
  if (r.h <= 0 || r.w <= 0 || !text || !*text)
    return;
  rb_ui_text_box(ui, bold ? RB_FONT_BOLD : RB_FONT_REGULAR, rb_ui_px(ui, max),
                 rb_ui_px(ui, min), c, text, r, align, valign);
}

/* The parts every exercise view has. */
static void draw_frame(rb_screen *s, rb_ui *ui, const rb_view *v,
                       const run_layout *l, const char *title, float title_px,
                       bool show_next) {
  char next[RB_TEXT_MAX + 16];
  rb_ui_clear(ui, RB_COL_BG);
  if (has_side(v)) {
    /* A bar down the side's edge of the screen, as well as the word. */
    int bw = rb_ui_px(ui, 10);
    bool left = SDL_strcasecmp(v->side, "left") == 0;
    SDL_Rect bar = {left ? 0 : rb_ui_width(ui) - bw, 0, bw, rb_ui_height(ui)};
    rb_ui_fill_rect(ui, bar, rb_ui_side_color(v->side));
    rb_ui_side_badge(ui, l->badge, v->side);
  }
  draw_text(ui, l->title, title, true, title_px, 26, RB_COL_TEXT, RB_ALIGN_LEFT,
            rb_ui_portrait(ui) ? RB_VALIGN_MIDDLE : RB_VALIGN_TOP);
  if (show_next && v->next[0]) {
    snprintf(next, sizeof next, "Next: %s", v->next);
    draw_text(ui, l->next, next, false, 28, 22, RB_COL_TEXT_DIM, RB_ALIGN_LEFT,
              RB_VALIGN_BOTTOM);
  }
  rb_screen_button(s, ui, l->stop, "Stop \xe2\x80\x93 it hurts", RB_COL_STOP, 0,
                   RB_ACTION_STOP, "");
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
                 inner / 4};

  snprintf(num, sizeof num, "%ld", seconds_left(v->phase_end, now));
  rb_ui_ring(ui, cx, cy, rad, th, ring_fraction(v, now), fg, RB_COL_PANEL);
  rb_ui_numeral(ui, num, RB_COL_TEXT, nb, RB_ALIGN_CENTER);
  if (under && *under)
    rb_ui_text_fit(ui, RB_FONT_BOLD, lb.h * 8 / 10, rb_ui_px(ui, 16),
                   RB_COL_TEXT_DIM, under, lb, RB_ALIGN_CENTER,
                   RB_VALIGN_MIDDLE);
  if (!v->paused)
    rb_screen_add_button(s, (SDL_Rect){cx - rad, cy - rad, d, d},
                         RB_ACTION_PRIMARY, "");
}

static void draw_paused(rb_screen *s, rb_ui *ui, const run_layout *l) {
  SDL_Rect b = l->stage;
  int h = rb_ui_px(ui, 150);
  rb_ui_dim(ui, 170);
  if (b.h > h) {
    /* Low on the stage, so the seconds left stay readable above it. */
    b.y += b.h - h;
    b.h = h;
  }
  rb_screen_button(s, ui, b, "Paused \xe2\x80\x93 press to continue",
                   RB_COL_WARN, 0, RB_ACTION_PRIMARY, "");
  /* STOP stays bright and on top. */
  rb_screen_button(s, ui, l->stop, "Stop \xe2\x80\x93 it hurts", RB_COL_STOP, 0,
                   RB_ACTION_STOP, "");
}

/* "Hold 2 of 3" and the cue under it. What comes next gives way when the
 * cue needs the room. */
static void draw_details(rb_ui *ui, const rb_view *v, const run_layout *l,
                         const char *line) {
  SDL_Rect a = l->details, b = l->details;
  int need = 0;
  char next[RB_TEXT_MAX + 16];

  a.h = rb_ui_px(ui, 48);
  b.y = a.y + a.h;
  b.h = l->details.h - a.h;
  draw_text(ui, a, line, true, 38, 26, RB_COL_TEXT, RB_ALIGN_LEFT,
            RB_VALIGN_TOP);
  if (v->caption[0]) {
    rb_ui_text_box_measure(ui, RB_FONT_REGULAR, rb_ui_px(ui, 28),
                           rb_ui_px(ui, 28), v->caption, b.w, 1 << 20, NULL,
                           &need);
    if (need > b.h) {
      b.h = l->next.y + l->next.h - b.y;
      draw_text(ui, b, v->caption, false, 30, 24, RB_COL_TEXT_DIM,
                RB_ALIGN_LEFT, RB_VALIGN_TOP);
      return;
    }
    draw_text(ui, b, v->caption, false, 30, 24, RB_COL_TEXT_DIM, RB_ALIGN_LEFT,
              RB_VALIGN_TOP);
  }
  if (v->next[0]) {
    snprintf(next, sizeof next, "Next: %s", v->next);
    draw_text(ui, l->next, next, false, 28, 22, RB_COL_TEXT_DIM, RB_ALIGN_LEFT,
              RB_VALIGN_BOTTOM);
  }
}

static void render_info(rb_screen *s, rb_ui *ui, const rb_view *v,
                        run_layout *l) {
  SDL_Rect text, cap, btn = {0, 0, 0, 0};
  int gap = rb_ui_px(ui, 14);
  bool caption = v->caption[0] && strcmp(v->caption, v->text) != 0;
  bool portrait = rb_ui_portrait(ui);

  if (portrait)
    l->stage.h = l->details.y + l->details.h - l->stage.y;
  text = l->stage;
  draw_frame(s, ui, v, l, v->title, 40, true);
  if (v->waiting_next) {
    btn = l->stage;
    btn.h = rb_ui_px(ui, 110);
    btn.y = l->stage.y + l->stage.h - btn.h;
    text.h = btn.y - gap - text.y;
  }
  cap = text;
  if (caption) {
    cap.h = text.h / 3;
    cap.y = text.y + text.h - cap.h;
    text.h -= cap.h + gap;
  }
  if (v->text[0])
    draw_text(ui, text, v->text, false, 40, 28, RB_COL_TEXT, RB_ALIGN_LEFT,
              RB_VALIGN_MIDDLE);
  else if (!caption)
    draw_text(ui, text, v->title, true, 56, 30, RB_COL_TEXT, RB_ALIGN_CENTER,
              RB_VALIGN_MIDDLE);
  if (caption) {
    int pad = rb_ui_px(ui, 12);
    SDL_Rect in = {cap.x + pad, cap.y + pad / 2, cap.w - 2 * pad, cap.h - pad};
    rb_ui_fill_round_rect(ui, cap, rb_ui_px(ui, 12), RB_COL_PANEL);
    draw_text(ui, in, v->caption, false, 32, 24, RB_COL_TEXT, RB_ALIGN_LEFT,
              RB_VALIGN_MIDDLE);
  }
  if (v->waiting_next)
    rb_screen_button(s, ui, btn, v->prompt[0] ? v->prompt : "I'm ready",
                     RB_COL_ACCENT, 0, RB_ACTION_NEXT, "");
}

static void render_countdown(rb_screen *s, rb_ui *ui, const rb_view *v,
                             run_layout *l, rb_ms now) {
  SDL_Rect st, nb, top;
  int nh = rb_ui_height(ui) * 2 / 5; /* 40% of the screen */
  char num[32];

  if (rb_ui_portrait(ui)) /* no details: the stage takes their room */
    l->stage.h = l->details.y + l->details.h - l->stage.y;
  st = l->stage;
  if (nh > st.h * 7 / 10)
    nh = st.h * 7 / 10;
  nb = (SDL_Rect){st.x, st.y + (st.h - nh) * 2 / 3, st.w, nh};
  top = (SDL_Rect){st.x, st.y, st.w, nb.y - st.y};

  draw_frame(s, ui, v, l, v->title, 40, true);
  draw_text(ui, top, "Get ready", true, 48, 30, RB_COL_TEXT_DIM,
            RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
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
  SDL_Color fg = v->resting ? RB_COL_TEXT_DIM : rb_ui_side_color(v->side);

  draw_frame(s, ui, v, l, v->title, 40, false);
  draw_timer(s, ui, v, l->stage, now, fg,
             v->resting ? "Rest" : (v->paused ? "" : "Tap to pause"));
  if (v->reps > 1)
    snprintf(line, sizeof line, "%s %d of %d",
             v->resting ? "Rest after" : "Hold", v->rep, v->reps);
  else
    snprintf(line, sizeof line, "%s", v->resting ? "Rest" : "Hold");
  draw_details(ui, v, l, line);
  if (v->paused)
    draw_paused(s, ui, l);
}

static const char *tempo_word(rb_tempo_phase p) {
  switch (p) {
  case RB_TEMPO_UP:
    return "\xe2\x96\xb2 UP";
  case RB_TEMPO_HOLD:
    return "HOLD";
  case RB_TEMPO_DOWN:
    return "\xe2\x96\xbc DOWN";
  default:
    return "";
  }
}

static void render_reps(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  SDL_Rect st = l->stage, top = st, bot = st;
  int gap = rb_ui_px(ui, 14);
  char count[32], line[64];

  draw_frame(s, ui, v, l, v->title, 40, false);
  if (v->resting) {
    draw_timer(s, ui, v, st, now, RB_COL_TEXT_DIM, "Rest");
    snprintf(line, sizeof line, "Rest \xc2\xb7 set %d of %d", v->set, v->sets);
  } else {
    top.h = st.h * 11 / 20;
    bot.y = top.y + top.h + gap;
    bot.h = st.h - top.h - gap;
    snprintf(count, sizeof count, "%d/%d", v->rep, v->reps);
    if (v->tempo_phase != RB_TEMPO_NONE) {
      /* The phase word leads; the count sits under it. */
      rb_ui_text_fit(ui, RB_FONT_BOLD, top.h * 3 / 4, rb_ui_px(ui, 40),
                     rb_ui_side_color(v->side), tempo_word(v->tempo_phase), top,
                     RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
      rb_ui_numeral(ui, count, RB_COL_TEXT,
                    (SDL_Rect){bot.x, bot.y + bot.h / 6, bot.w, bot.h * 2 / 3},
                    RB_ALIGN_CENTER);
      rb_screen_add_button(s, st, RB_ACTION_PRIMARY, "");
    } else {
      rb_ui_numeral(ui, count, RB_COL_TEXT,
                    (SDL_Rect){top.x, top.y + top.h / 8, top.w, top.h * 3 / 4},
                    RB_ALIGN_CENTER);
      if (v->self_paced)
        rb_screen_button(s, ui, bot, "Done one", RB_COL_ACCENT, 0,
                         RB_ACTION_NEXT, "");
    }
    if (v->sets > 1)
      snprintf(line, sizeof line, "Set %d of %d", v->set, v->sets);
    else
      snprintf(line, sizeof line, "%d times", v->reps);
  }
  draw_details(ui, v, l, line);
  if (v->paused)
    draw_paused(s, ui, l);
}

static void render_rest(rb_screen *s, rb_ui *ui, const rb_view *v,
                        const run_layout *l, rb_ms now) {
  char next[RB_TEXT_MAX + 16];
  draw_frame(s, ui, v, l, "Rest", 72, false);
  draw_timer(s, ui, v, l->stage, now, RB_COL_TEXT_DIM,
             v->paused ? "" : "Tap to pause");
  /* What comes next is the point of a rest: show it large. */
  if (v->next[0]) {
    SDL_Rect r = l->details;
    r.h += l->next.y + l->next.h - (r.y + r.h);
    snprintf(next, sizeof next, "Next:\n%s", v->next);
    draw_text(ui, r, next, true, 36, 24, RB_COL_TEXT, RB_ALIGN_LEFT,
              RB_VALIGN_TOP);
  }
  if (v->paused)
    draw_paused(s, ui, l);
}

static void render_message(rb_screen *s, rb_ui *ui, const rb_view *v,
                           const char *msg) {
  SDL_Rect all = {rb_ui_px(ui, 20), rb_ui_px(ui, 20),
                  rb_ui_width(ui) - rb_ui_px(ui, 40),
                  rb_ui_height(ui) - rb_ui_px(ui, 40)};
  (void)s;
  (void)v;
  rb_ui_clear(ui, RB_COL_BG);
  draw_text(ui, all, msg, true, RB_TEXT_TITLE, 30, RB_COL_TEXT, RB_ALIGN_CENTER,
            RB_VALIGN_MIDDLE);
}

static void run_render(rb_screen *s, rb_ui *ui, rb_ms raw) {
  run_data *d = rb_screen_data(s);
  rb_app *app = rb_screen_app(s);
  rb_session *ses = rb_app_session(app);
  const rb_view *v = ses ? rb_session_view(ses) : NULL;
  rb_clock *clock = rb_app_clock(app);
  rb_ms now = clock ? rb_clock_now(clock) : raw;
  run_layout l;

  if (!v) {
    rb_ui_clear(ui, RB_COL_BG);
    return;
  }
  lay_out(ui, has_side(v), &l);
  switch (v->kind) {
  case RB_VIEW_INFO:
    render_info(s, ui, v, &l);
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
    rb_question_render(s, ui, v, &d->q);
    break;
  case RB_VIEW_ENDED:
    render_message(s, ui, v, "Finished");
    break;
  case RB_VIEW_STARTING:
  default:
    render_message(s, ui, v, v->meta ? v->meta->title : "Getting ready");
    break;
  }
}

static bool run_action(rb_screen *s, const rb_action *a) {
  run_data *d = rb_screen_data(s);
  rb_session *ses = rb_app_session(rb_screen_app(s));
  const rb_view *v = ses ? rb_session_view(ses) : NULL;
  rb_action send;

  if (!v)
    return false;
  if (rb_question_is(v)) {
    rb_question_sync(&d->q, v);
    if (rb_question_action(&d->q, v, a, &send)) {
      if (send.kind == RB_ACTION_NONE)
        return true;
      d->q.valid = false; /* the next question starts afresh */
      rb_session_act(ses, &send);
      return true;
    }
  }
  /* The session may end here and the app replace this screen: nothing
   * of s is touched after. */
  return rb_session_act(ses, a);
}

static rb_ms min_ms(rb_ms a, rb_ms b) { return a < b ? a : b; }

static rb_ms run_next_redraw(rb_screen *s, rb_ms raw) {
  rb_app *app = rb_screen_app(s);
  rb_session *ses = rb_app_session(app);
  const rb_view *v = ses ? rb_session_view(ses) : NULL;
  rb_clock *clock = rb_app_clock(app);
  rb_ms now, t = RB_MS_NEVER;
  bool ring;
  (void)raw;

  if (!v || !clock || v->paused || rb_clock_paused(clock))
    return RB_MS_NEVER;
  switch (v->kind) {
  case RB_VIEW_COUNTDOWN:
  case RB_VIEW_HOLD:
  case RB_VIEW_REST:
    ring = v->kind != RB_VIEW_COUNTDOWN;
    break;
  case RB_VIEW_REPS:
    if (!v->resting) {
      /* Tempo: the phase word changes; self-paced: only when acted on. */
      if (v->tempo_phase == RB_TEMPO_NONE || v->tempo_phase_end == RB_MS_NEVER)
        return RB_MS_NEVER;
      return rb_clock_raw_at(clock, v->tempo_phase_end);
    }
    ring = true;
    break;
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

static const rb_screen_ops run_ops = {"run", run_action, run_render,
                                      run_next_redraw, NULL};

rb_screen *rb_screen_run_new(rb_app *app) {
  return rb_screen_alloc(app, &run_ops, sizeof(run_data));
}
