/* summary: how the session ended, how long it took, what was recorded. */
#include "screen_parts.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PAIN_TELL 7 /* from this pain on, ask to tell the therapist */

/* "pain_after" -> "Pain after" */
static void humanize(const char *key, char *out, size_t outlen) {
  size_t i = 0;
  for (; key[i] && i + 1 < outlen; i++) {
    char c = key[i];
    out[i] = (c == '_' || c == '.') ? ' ' : c;
  }
  out[i] = '\0';
  if (out[0])
    out[0] = (char)toupper((unsigned char)out[0]);
}

static bool parse_number(const char *s, double *out) {
  char *end;
  double v;
  if (!s || !*s)
    return false;
  v = strtod(s, &end);
  if (*end || !isfinite(v))
    return false;
  *out = v;
  return true;
}

/* The highest pain the session knows: the answer after STOP or any
 * recorded value whose key says pain. -1 when none. */
static double session_pain(const rb_view *v) {
  double pain = v->pain_at_stop >= 0 ? v->pain_at_stop : -1, x;
  for (int i = 0; i < v->nrecords && i < RB_RECORDS_MAX; i++)
    if (strstr(v->record_keys[i], "pain") &&
        parse_number(v->record_values[i], &x) && x > pain)
      pain = x;
  return pain;
}

static void format_duration(double s, char *out, size_t outlen) {
  long m = lround(s / 60);
  if (!(s >= 0))
    snprintf(out, outlen, "%s", "");
  else if (s < 60)
    snprintf(out, outlen, "%ld seconds", lround(s));
  else
    snprintf(out, outlen, "%ld minute%s", m, m == 1 ? "" : "s");
}

static void summary_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  rb_app *app = rb_screen_app(s);
  rb_session *ses = rb_app_session(app);
  const rb_view *v = ses ? rb_session_view(ses) : NULL;
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 20), gap = rb_ui_px(ui, 12);
  bool portrait = rb_ui_portrait(ui);
  bool stopped = v && v->status == RB_END_STOPPED;
  double pain = v ? session_pain(v) : -1;
  char dur[64], list[RB_RECORDS_MAX * (2 * RB_SHORT_MAX + 8) + 64];
  char key[RB_SHORT_MAX];
  size_t len = 0;
  SDL_Rect head, sub, body, tell, done;
  int bh = rb_ui_px(ui, portrait ? 110 : 96);
  (void)now;

  done = portrait ? (SDL_Rect){mg, H - mg - bh, W - 2 * mg, bh}
                  : (SDL_Rect){W - mg - rb_ui_px(ui, 320), H - mg - bh,
                               rb_ui_px(ui, 320), bh};
  head = (SDL_Rect){mg, mg, W - 2 * mg, rb_ui_px(ui, portrait ? 100 : 80)};
  sub = (SDL_Rect){mg, head.y + head.h, W - 2 * mg,
                   rb_ui_px(ui, portrait ? 96 : 46)};
  tell = (SDL_Rect){mg, 0, W - 2 * mg, rb_ui_px(ui, portrait ? 100 : 56)};
  tell.y = portrait ? done.y - gap - tell.h : done.y - gap - tell.h;
  body = (SDL_Rect){mg, sub.y + sub.h + gap, W - 2 * mg, 0};
  body.h = (pain >= PAIN_TELL ? tell.y : done.y) - gap - body.y;
  if (!portrait && pain < PAIN_TELL)
    body.w = done.x - gap - body.x; /* beside the button */

  rb_ui_clear(ui, RB_COL_BG);
  rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, 64), rb_ui_px(ui, 40),
                 stopped ? RB_COL_WARN : RB_COL_ACCENT,
                 stopped ? "Stopped" : "Well done", head, RB_ALIGN_LEFT,
                 RB_VALIGN_MIDDLE);
  format_duration(v ? v->duration_s : -1, dur, sizeof dur);
  {
    char line[RB_SHORT_MAX + 80];
    const char *title = v && v->meta ? v->meta->title : "";
    snprintf(line, sizeof line, "%s%s%s", title,
             *title && *dur ? " \xc2\xb7 " : "", dur);
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, 36), rb_ui_px(ui, 28),
                   RB_COL_TEXT, line, sub, RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  }
  list[0] = '\0';
  if (v && v->pain_at_stop >= 0)
    len += (size_t)snprintf(list, sizeof list, "Pain: %d out of 10\n",
                            v->pain_at_stop);
  for (int i = 0; v && i < v->nrecords && i < RB_RECORDS_MAX; i++) {
    int k;
    humanize(v->record_keys[i], key, sizeof key);
    if (len >= sizeof list)
      break;
    k = snprintf(list + len, sizeof list - len, "%s: %s\n", key,
                 v->record_values[i]);
    if (k < 0)
      break;
    len += (size_t)k;
  }
  if (len > 0 && len < sizeof list)
    list[len - 1] = '\0'; /* no trailing empty line */
  if (list[0] && body.h > 0)
    rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, 34),
                   rb_ui_px(ui, RB_TEXT_SMALL), RB_COL_TEXT, list, body,
                   RB_ALIGN_LEFT, RB_VALIGN_TOP);
  if (pain >= PAIN_TELL)
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, 34), rb_ui_px(ui, 26),
                   RB_COL_WARN, "Please tell your therapist about this pain.",
                   tell, RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_screen_button(s, ui, done, "Done", RB_COL_ACCENT, 0, RB_ACTION_PRIMARY,
                   "");
}

static bool summary_action(rb_screen *s, const rb_action *a) {
  switch (a->kind) {
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
  case RB_ACTION_BACK:
    /* Pops this screen: touch nothing of s after it. */
    rb_app_go_home(rb_screen_app(s));
    return true;
  default:
    return false;
  }
}

static rb_ms summary_next_redraw(rb_screen *s, rb_ms now) {
  (void)s;
  (void)now;
  return RB_MS_NEVER;
}

static const rb_screen_ops summary_ops = {
    "summary", summary_action, summary_render, summary_next_redraw, NULL};

rb_screen *rb_screen_summary_new(rb_app *app) {
  return rb_screen_alloc(app, &summary_ops, 0);
}
