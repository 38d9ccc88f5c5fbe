/* error: a routine failed. The patient reads that it is not their fault
 * and whom to tell; the therapist reads FILE:LINE and the message. */
#include "screen_parts.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char *message;
} error_data;

static void error_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  error_data *d = rb_screen_data(s);
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 20), gap = rb_ui_px(ui, 14);
  bool portrait = rb_ui_portrait(ui);
  int bh = rb_ui_px(ui, portrait ? 110 : 96);
  SDL_Rect title, tell, msg, ok;
  (void)now;

  ok = portrait ? (SDL_Rect){mg, H - mg - bh, W - 2 * mg, bh}
                : (SDL_Rect){W - mg - rb_ui_px(ui, 260), H - mg - bh,
                             rb_ui_px(ui, 260), bh};
  title = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, portrait ? 130 : 70)};
  tell = portrait ? (SDL_Rect){mg, ok.y - gap - rb_ui_px(ui, 100), W - 2 * mg,
                               rb_ui_px(ui, 100)}
                  : (SDL_Rect){mg, ok.y, ok.x - gap - mg, bh};
  msg = (SDL_Rect){mg, title.y + title.h + gap, W - 2 * mg, 0};
  msg.h = (portrait ? tell.y : ok.y) - gap - msg.y;

  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE),
                 rb_ui_px(ui, 32), RB_COL_WARN,
                 rb_screen_word(s, RB_PHRASE_PROBLEM_TITLE), title,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  {
    /* The message on a panel, so it reads as a quote for the therapist. */
    int pad = rb_ui_px(ui, 14);
    SDL_Rect in = {msg.x + pad, msg.y + pad, msg.w - 2 * pad, msg.h - 2 * pad};
    rb_ui_fill_round_rect(ui, msg, rb_ui_px(ui, 12), RB_COL_PANEL);
    rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, RB_TEXT_BODY),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT,
                   d->message && *d->message
                       ? d->message
                       : rb_screen_word(s, RB_PHRASE_UNKNOWN_ERROR),
                   in, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  }
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, 34), rb_ui_px(ui, 26),
                 RB_COL_TEXT, rb_screen_word(s, RB_PHRASE_TELL_THERAPIST), tell,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_screen_button(s, ui, ok, "OK", RB_COL_ACCENT, 0, RB_ACTION_PRIMARY, "");
}

static bool error_action(rb_screen *s, const rb_action *a) {
  switch (a->kind) {
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
  case RB_ACTION_BACK: {
    const rb_env *env = rb_screen_env(s);
    env->session.drop(env->session.ud);
    rb_nav_home(env->nav);
    return true;
  }
  default:
    return false;
  }
}

static void error_destroy(rb_screen *s) {
  error_data *d = rb_screen_data(s);
  free(d->message);
  d->message = NULL;
}

static const rb_screen_ops error_ops = {.name = "error",
                                        .action = error_action,
                                        .render = error_render,
                                        .destroy = error_destroy};

rb_screen *rb_screen_error_new(const rb_env *env, const char *message) {
  rb_screen *s = rb_screen_alloc(env, &error_ops, sizeof(error_data));
  error_data *d;
  if (!s)
    return NULL;
  d = rb_screen_data(s);
  d->message = strdup(message ? message : "");
  if (!d->message) {
    rb_screen_free(s);
    return NULL;
  }
  return s;
}
