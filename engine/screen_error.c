/* error: a routine failed. The patient reads in plain words that this
 * exercise cannot run, that it is not their fault and whom to tell; the
 * therapist finds FILE:LINE and the message small at the foot and in the
 * log. */
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
  char note[RB_ERROR_MAX + 64];
  SDL_Rect title, tell, msg, ok;
  (void)now;

  /* The patient reads two things: it cannot run, and whom to tell. The
   * therapist's FILE:LINE stays small at the foot (and is in the log). */
  ok = portrait ? (SDL_Rect){mg, H - mg - bh, W - 2 * mg, bh}
                : (SDL_Rect){W - mg - rb_ui_px(ui, 240), H - mg - bh,
                             rb_ui_px(ui, 240), bh};
  title = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, portrait ? 150 : 80)};
  msg = portrait ? (SDL_Rect){mg, ok.y - gap - rb_ui_px(ui, 200), W - 2 * mg,
                              rb_ui_px(ui, 200)}
                 : (SDL_Rect){mg, ok.y, ok.x - gap - mg, bh};
  tell = (SDL_Rect){mg, title.y + title.h + gap, W - 2 * mg, 0};
  tell.h = msg.y - gap - tell.y;

  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_HEADING),
                 rb_ui_px(ui, RB_TEXT_TITLE), RB_COL_WARN,
                 rb_screen_word(s, RB_PHRASE_PROBLEM_TITLE), title,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE),
                 rb_ui_px(ui, RB_TEXT_BUTTON), RB_COL_TEXT,
                 rb_screen_word(s, RB_PHRASE_TELL_THERAPIST), tell,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_screen_words(s, RB_PHRASE_FOR_THERAPIST, note, sizeof note,
                  d->message && *d->message
                      ? d->message
                      : rb_screen_word(s, RB_PHRASE_UNKNOWN_ERROR));
  rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, RB_TEXT_SMALL),
                 rb_ui_px(ui, 16), RB_COL_TEXT_DIM, note, msg, RB_ALIGN_LEFT,
                 RB_VALIGN_BOTTOM);
  rb_screen_button(s, ui, ok, rb_screen_word(s, RB_PHRASE_OK), RB_COL_ACCENT, 0,
                   RB_ACTION_PRIMARY, "");
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
