/* summary: how the session ended, how long it took, what was recorded. */
#include "outcome.h"
#include "progress.h"
#include "screen_parts.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Drops the last lines of `list` until the rest fits in box whole at
 * 32 down to the smallest text (as the list is drawn); false when no
 * line is left. */
static bool keep_whole_lines(rb_ui *ui, char *list, SDL_Rect box) {
  while (list[0] &&
         !rb_ui_text_box_fits(ui, RB_FONT_REGULAR, rb_ui_px(ui, 32),
                              rb_ui_px(ui, RB_TEXT_MIN), list, box.w, box.h)) {
    char *nl = strrchr(list, '\n');
    if (nl)
      *nl = '\0';
    else
      list[0] = '\0';
  }
  return list[0] != '\0';
}

typedef struct {
  bool looked; /* at the patient's progress, once */
  bool worth;  /* there is something to show in it */
} summary_data;

/* After a session, "My progress" when there is something to see. */
static bool worth_showing(const rb_screen *s, summary_data *d) {
  const rb_patients_port *p = &rb_screen_env(s)->patients;
  if (!d->looked && p->progress) {
    rb_progress *pr = malloc(sizeof *pr);
    d->looked = true;
    d->worth = pr && p->progress(p->ud, pr) && rb_progress_worth_showing(pr);
    free(pr);
  }
  return d->worth;
}

static void summary_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  const rb_env *env = rb_screen_env(s);
  const rb_view *v = env->session.view(env->session.ud);
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 20), gap = rb_ui_px(ui, 12);
  bool portrait = rb_ui_portrait(ui);
  bool stopped = v && v->ended.status == RB_END_STOPPED;
  const char *lang = v && v->meta && v->meta->language[0]
                         ? v->meta->language
                         : rb_screen_env(s)->lang;
  /* a rise of 2 points matters (CLINICAL.md): no "well done" then */
  bool rose = v && rb_view_ended_pain_rose(&v->ended, NULL, NULL);
  char dur[64], list[RB_RECORDS_MAX * (RB_SHORT_MAX + RB_TEXT_MAX + 24) + 64];
  char tell_text[RB_TEXT_MAX];
  SDL_Rect head, sub, body, tell, done, progress = {0, 0, 0, 0};
  int bh = rb_ui_px(ui, portrait ? 110 : 96);
  summary_data *d = rb_screen_data(s);
  (void)now;

  bool tell_them = v && rb_outcome_tell(v, lang, tell_text, sizeof tell_text);
  /* The headline, the routine and its length, what to tell the therapist
   * (first: it matters most), then what was recorded; DONE bottom right
   * in landscape, across the foot in portrait. */
  done = portrait ? (SDL_Rect){mg, H - mg - bh, W - 2 * mg, bh}
                  : (SDL_Rect){W - mg - rb_ui_px(ui, 240), H - mg - bh,
                               rb_ui_px(ui, 240), bh};
  head = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, portrait ? 100 : 64)};
  sub = (SDL_Rect){mg, head.y + head.h, W - 2 * mg, 0};
  sub.h = rb_screen_text_height(ui, RB_FONT_BOLD, 36, "X", sub.w) *
          (portrait ? 2 : 1);
  tell = (SDL_Rect){mg, sub.y + sub.h + gap, W - 2 * mg,
                    tell_them ? rb_screen_text_height(ui, RB_FONT_BOLD, 36,
                                                      tell_text, W - 2 * mg)
                              : 0};
  body = (SDL_Rect){mg, tell.y + tell.h + (tell.h ? gap : 0), W - 2 * mg, 0};
  if (worth_showing(s, d)) {
    /* "My progress" over DONE */
    int ph = rb_ui_px(ui, portrait ? 96 : 88);
    progress = (SDL_Rect){done.x, done.y - gap - ph, done.w, ph};
  }
  if (portrait)
    body.h = (progress.w ? progress.y : done.y) - gap - body.y;
  else {
    body.h = H - mg - body.y;
    body.w = done.x - gap - body.x; /* beside the buttons */
  }

  rb_ui_clear(ui, RB_COL_BG);
  rb_screen_primary(
      ui, head, RB_FONT_BOLD, 60, stopped || rose ? RB_COL_WARN : RB_COL_ACCENT,
      v ? rb_outcome_headline(v, lang) : rb_screen_word(s, RB_PHRASE_FINISHED),
      RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_outcome_duration(lang, v ? v->ended.duration_s : -1, dur, sizeof dur);
  {
    char line[RB_SHORT_MAX + 80];
    const char *title = v && v->meta ? v->meta->title : "";
    snprintf(line, sizeof line, "%s%s%s", title,
             *title && *dur ? " \xc2\xb7 " : "", dur);
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, 36),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, line, sub,
                   RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  }
  if (tell_them)
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, 36), rb_ui_px(ui, 36),
                   RB_COL_WARN, tell_text, tell, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  if (v)
    rb_outcome_records(v, lang, list, sizeof list);
  else
    list[0] = '\0';
  if (list[0] && body.h > 0) {
    /* whole records only: those that do not fit are left off (pain
     * first, so the pain records stay), never cut */
    if (keep_whole_lines(ui, list, body))
      rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, 32),
                     rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, list, body,
                     RB_ALIGN_LEFT, RB_VALIGN_TOP);
  }
  if (progress.w)
    rb_screen_button(s, ui, progress, rb_screen_word(s, RB_PHRASE_MY_PROGRESS),
                     RB_COL_PANEL_HI, 0, RB_ACTION_PRIMARY, "progress");
  rb_ui_primary(ui, true);
  rb_screen_button(s, ui, done, rb_screen_word(s, RB_PHRASE_DONE_BUTTON),
                   RB_COL_ACCENT, 0, RB_ACTION_PRIMARY, "");
  rb_ui_primary(ui, false);
}

static bool summary_action(rb_screen *s, const rb_action *a) {
  switch (a->kind) {
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
  case RB_ACTION_BACK: {
    const rb_env *env = rb_screen_env(s);
    if (strcmp(a->value, "progress") == 0) {
      rb_nav_push(env->nav, rb_screen_progress_new(env));
      return true;
    }
    env->session.drop(env->session.ud);
    if (env->patients.leave)
      env->patients.leave(env->patients.ud); /* the next one chooses */
    rb_nav_home(env->nav);
    return true;
  }
  default:
    return false;
  }
}

static const rb_screen_ops summary_ops = {
    .name = "summary", .action = summary_action, .render = summary_render};

rb_screen *rb_screen_summary_new(const rb_env *env) {
  return rb_screen_alloc(env, &summary_ops, sizeof(summary_data));
}
