/* summary: how the session ended, how long it took, what was recorded. */
#include "screen_parts.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PAIN_TELL 7 /* from this pain on, ask to tell the therapist */

/* Units a record key may end in ("reach_cm"), shown after the name. */
static const char *const UNITS[] = {"cm", "mm", "kg", "deg"};

/* A record key for people: "pain_after" -> "Pain after",
 * "knee_to_wall_cm.left" -> "Knee to wall left (cm)",
 * "knee_to_wall_gap_cm" -> "Knee to wall gap (cm)". */
static void humanize(const char *key, char *out, size_t outlen) {
  char name[RB_SHORT_MAX];
  const char *dot = strrchr(key, '.'), *unit = NULL;
  size_t n = dot ? (size_t)(dot - key) : strlen(key);

  if (n >= sizeof name)
    n = sizeof name - 1;
  memcpy(name, key, n);
  name[n] = '\0';
  for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
    size_t u = strlen(UNITS[i]);
    if (n > u + 1 && name[n - u - 1] == '_' &&
        strcmp(name + n - u, UNITS[i]) == 0) {
      unit = UNITS[i];
      name[n - u - 1] = '\0';
      break;
    }
  }
  snprintf(out, outlen, "%s%s%s%s%s%s", name, dot ? " " : "",
           dot ? dot + 1 : "", unit ? " (" : "", unit ? unit : "",
           unit ? ")" : "");
  for (char *c = out; *c; c++)
    if (*c == '_' || *c == '.')
      *c = ' ';
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
  double pain = v->ended.pain_at_stop >= 0 ? v->ended.pain_at_stop : -1, x;
  for (int i = 0; i < v->ended.nrecords && i < RB_RECORDS_MAX; i++)
    if (strstr(v->ended.record_keys[i], "pain") &&
        parse_number(v->ended.record_values[i], &x) && x > pain)
      pain = x;
  return pain;
}

static void format_duration(const rb_screen *scr, double s, char *out,
                            size_t outlen) {
  long m = lround(s / 60);
  if (!(s >= 0))
    snprintf(out, outlen, "%s", "");
  else if (s < 60)
    rb_screen_words(scr, RB_PHRASE_SECONDS, out, outlen, lround(s));
  else if (m == 1)
    snprintf(out, outlen, "%s", rb_screen_word(scr, RB_PHRASE_ONE_MINUTE));
  else
    rb_screen_words(scr, RB_PHRASE_MINUTES, out, outlen, m);
}

static void add_line(char *list, size_t size, size_t *len, const char *key,
                     const char *value) {
  int k;
  if (*len >= size)
    return;
  k = snprintf(list + *len, size - *len, "%s%s: %s", *len ? "\n" : "", key,
               value);
  if (k > 0)
    *len += (size_t)k;
}

static int find_record(const rb_view *v, const char *key) {
  for (int i = 0; i < v->ended.nrecords && i < RB_RECORDS_MAX; i++)
    if (strcmp(v->ended.record_keys[i], key) == 0)
      return i;
  return -1;
}

/* What was recorded, one "Name: value" a line: pain first, always in the
 * same order (before, after, at STOP, then any other pain record), then
 * the rest as the routine recorded it. */
static void record_lines(const rb_screen *s, const rb_view *v, char *list,
                         size_t size) {
  static const char *const FIRST[] = {"pain_before", "pain_after"};
  char key[RB_SHORT_MAX + 16], num[16];
  size_t len = 0;
  bool shown[RB_RECORDS_MAX] = {false};
  int i;

  list[0] = '\0';
  for (size_t f = 0; f < sizeof FIRST / sizeof FIRST[0]; f++) {
    if ((i = find_record(v, FIRST[f])) < 0)
      continue;
    humanize(v->ended.record_keys[i], key, sizeof key);
    add_line(list, size, &len, key, v->ended.record_values[i]);
    shown[i] = true;
  }
  if (v->ended.pain_at_stop >= 0) {
    snprintf(num, sizeof num, "%d", v->ended.pain_at_stop);
    add_line(list, size, &len, rb_screen_word(s, RB_PHRASE_PAIN_AT_STOP), num);
  }
  for (int pass = 0; pass < 2; pass++)
    for (i = 0; i < v->ended.nrecords && i < RB_RECORDS_MAX; i++) {
      bool pain = strstr(v->ended.record_keys[i], "pain") != NULL;
      if (shown[i] || pain != (pass == 0))
        continue;
      humanize(v->ended.record_keys[i], key, sizeof key);
      add_line(list, size, &len, key, v->ended.record_values[i]);
      shown[i] = true;
    }
}

static void summary_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  const rb_env *env = rb_screen_env(s);
  const rb_view *v = env->session.view(env->session.ud);
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 20), gap = rb_ui_px(ui, 12);
  bool portrait = rb_ui_portrait(ui);
  bool stopped = v && v->ended.status == RB_END_STOPPED;
  double pain = v ? session_pain(v) : -1, before = 0, after = 0;
  /* a rise of 2 points matters (CLINICAL.md): no "well done" then */
  bool rose = v && rb_view_ended_pain_rose(&v->ended, &before, &after);
  bool tell_them = pain >= PAIN_TELL || rose;
  char dur[64], list[RB_RECORDS_MAX * (2 * RB_SHORT_MAX + 24) + 64];
  char tell_text[RB_TEXT_MAX];
  SDL_Rect head, sub, body, tell, done;
  int bh = rb_ui_px(ui, portrait ? 110 : 96);
  (void)now;

  if (rose)
    rb_screen_words(s, RB_PHRASE_PAIN_ROSE_TELL, tell_text, sizeof tell_text,
                    before, after);
  else
    snprintf(tell_text, sizeof tell_text, "%s",
             rb_screen_word(s, RB_PHRASE_TELL_PAIN));
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
  if (portrait)
    body.h = done.y - gap - body.y;
  else {
    body.h = H - mg - body.y;
    body.w = done.x - gap - body.x; /* beside the button */
  }

  rb_ui_clear(ui, RB_COL_BG);
  rb_screen_primary(ui, head, RB_FONT_BOLD, 60,
                    stopped || rose ? RB_COL_WARN : RB_COL_ACCENT,
                    rb_screen_word(s, stopped ? RB_PHRASE_STOPPED
                                      : rose  ? RB_PHRASE_PAIN_ROSE
                                              : RB_PHRASE_WELL_DONE),
                    RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  format_duration(s, v ? v->ended.duration_s : -1, dur, sizeof dur);
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
    record_lines(s, v, list, sizeof list);
  else
    list[0] = '\0';
  if (list[0] && body.h > 0)
    rb_ui_text_box(ui, RB_FONT_REGULAR, rb_ui_px(ui, 32),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, list, body,
                   RB_ALIGN_LEFT, RB_VALIGN_TOP);
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
    env->session.drop(env->session.ud);
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
  return rb_screen_alloc(env, &summary_ops, 0);
}
