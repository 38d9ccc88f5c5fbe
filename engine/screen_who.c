/* who: "Who is exercising?" on a kiosk shared by two or more patients.
 * Big name tiles (paged when there are many); a patient with a PIN types
 * it on a keypad first. Keys and the four buttons move a highlight
 * (UP/DOWN) and choose (PRIMARY/NEXT). Once someone is chosen the screen
 * goes, and home shows their routines. */
#include "screen_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIN_MAX 8
/* Wrong PINs in a row before the keypad rests, and how long it rests:
 * enough to stop a child or a curious visitor trying every PIN, short
 * enough that a patient who mistyped is not locked out of a session. */
#define PIN_TRIES 5
#define PIN_REST_MS 30000

typedef struct {
  int selected; /* highlighted tile */
  int pin_for;  /* -1: the tiles; else the patient typing a PIN */
  char pin[PIN_MAX + 1];
  bool wrong;      /* the last PIN was not right */
  int wrongs;      /* wrong PINs in a row */
  rb_ms rest_till; /* the keypad takes no PIN before this */
} who_data;

static rb_ms now_of(const rb_screen *s) {
  return rb_clock_raw(rb_screen_env(s)->clock); /* not routine time */
}

static int count(const rb_screen *s) {
  const rb_patients_port *p = &rb_screen_env(s)->patients;
  return p->count ? p->count(p->ud) : 0;
}

static bool get(const rb_screen *s, int i, char *name, size_t n, bool *pin) {
  const rb_patients_port *p = &rb_screen_env(s)->patients;
  *pin = false;
  name[0] = '\0';
  return p->get && p->get(p->ud, i, name, n, pin);
}

static int clampi(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Tiles on a page: 2 x 2 across, 4 stacked in portrait. */
enum { PER_PAGE = 4 };

static void render_tiles(rb_screen *s, rb_ui *ui, who_data *d) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui), n = count(s);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 14), hh = rb_ui_px(ui, 70);
  bool portrait = rb_ui_portrait(ui);
  int cols = portrait ? 1 : 2, rows = portrait ? 4 : 2;
  int pages = (n + PER_PAGE - 1) / PER_PAGE, page, first;
  SDL_Rect head = {mg, mg, W - 2 * mg, hh}, area;
  SDL_Rect up = {0, 0, 0, 0}, down = up;

  d->selected = clampi(d->selected, 0, n > 0 ? n - 1 : 0);
  page = d->selected / PER_PAGE;
  first = page * PER_PAGE;
  area = (SDL_Rect){mg, mg + hh + gap, W - 2 * mg, H - 2 * mg - hh - gap};
  if (pages > 1) {
    /* the page arrows: along the bottom, wide enough for a fist */
    int bh = rb_ui_px(ui, 80), bw = (W - 2 * mg - gap) / 2;
    up = (SDL_Rect){mg, H - mg - bh, bw, bh};
    down = (SDL_Rect){mg + bw + gap, up.y, bw, bh};
    area.h -= bh + gap;
  }
  rb_ui_clear(ui, RB_COL_BG);
  rb_screen_primary(ui, head, RB_FONT_BOLD, 52, RB_COL_TEXT,
                    rb_screen_word(s, RB_PHRASE_WHO), RB_ALIGN_LEFT,
                    RB_VALIGN_MIDDLE);
  for (int k = 0; k < PER_PAGE && first + k < n; k++) {
    int tw = (area.w - (cols - 1) * gap) / cols;
    int th = (area.h - (rows - 1) * gap) / rows;
    SDL_Rect r = {area.x + (k % cols) * (tw + gap),
                  area.y + (k / cols) * (th + gap), tw, th};
    char name[RB_SHORT_MAX], value[16];
    bool pin;
    get(s, first + k, name, sizeof name, &pin);
    snprintf(value, sizeof value, "%d", first + k);
    /* as large as the tile allows (a long name on two lines) */
    rb_screen_button(s, ui, r, name, RB_COL_PANEL_HI,
                     first + k == d->selected ? RB_BTN_SELECTED : 0,
                     RB_ACTION_PRIMARY, value);
  }
  if (pages > 1) {
    rb_screen_button(s, ui, up, "\xe2\x96\xb2", RB_COL_PANEL_HI,
                     page > 0 ? 0 : RB_BTN_DISABLED, RB_ACTION_UP, "page");
    rb_screen_button(s, ui, down, "\xe2\x96\xbc", RB_COL_PANEL_HI,
                     page < pages - 1 ? 0 : RB_BTN_DISABLED, RB_ACTION_DOWN,
                     "page");
  }
}

static void render_pin(rb_screen *s, rb_ui *ui, who_data *d) {
  static const char *const keys[12] = {"1", "2", "3", "4", "5", "6",
                                       "7", "8", "9", "",  "0", "del"};
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 10), hh = rb_ui_px(ui, 70);
  bool portrait = rb_ui_portrait(ui);
  char name[RB_SHORT_MAX], head[RB_SHORT_MAX + 32], dots[3 * PIN_MAX + 1] = "";
  SDL_Rect top = {mg, mg, W - 2 * mg, hh}, shown, pad, back, ok;
  int bh = rb_ui_px(ui, 88);
  bool pin;

  get(s, d->pin_for, name, sizeof name, &pin);
  rb_screen_words(s, RB_PHRASE_PIN_FOR, head, sizeof head, name);
  for (size_t i = 0; i < strlen(d->pin); i++)
    strcat(dots, "\xe2\x97\x8f"); /* a dot for each digit typed */
  if (portrait) {
    shown = (SDL_Rect){mg, top.y + hh + gap, W - 2 * mg, rb_ui_px(ui, 150)};
    back = (SDL_Rect){mg, H - mg - bh, (W - 2 * mg - gap) / 2, bh};
    ok = (SDL_Rect){back.x + back.w + gap, back.y, back.w, bh};
    pad = (SDL_Rect){mg, shown.y + shown.h + gap, W - 2 * mg, 0};
    pad.h = back.y - gap - pad.y;
  } else {
    int half = (W - 2 * mg - gap) / 2;
    pad = (SDL_Rect){mg + half + gap, top.y + hh + gap, half, 0};
    pad.h = H - mg - pad.y;
    shown = (SDL_Rect){mg, pad.y, half, pad.h - bh - gap};
    back = (SDL_Rect){mg, H - mg - bh, (half - gap) / 2, bh};
    ok = (SDL_Rect){back.x + back.w + gap, back.y, back.w, bh};
  }
  rb_ui_clear(ui, RB_COL_BG);
  rb_screen_primary(ui, top, RB_FONT_BOLD, 52, RB_COL_TEXT, head, RB_ALIGN_LEFT,
                    RB_VALIGN_MIDDLE);
  rb_ui_fill_round_rect(ui, shown, rb_ui_px(ui, 14), RB_COL_PANEL);
  if (now_of(s) < d->rest_till) {
    char wait[RB_SHORT_MAX];
    rb_screen_words(s, RB_PHRASE_PIN_WAIT, wait, sizeof wait,
                    (int)((d->rest_till - now_of(s) + 999) / 1000));
    rb_screen_primary(
        ui, (SDL_Rect){shown.x + gap, shown.y, shown.w - 2 * gap, shown.h},
        RB_FONT_BOLD, 44, RB_COL_WARN, wait, RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  } else if (d->wrong)
    rb_screen_primary(
        ui, (SDL_Rect){shown.x + gap, shown.y, shown.w - 2 * gap, shown.h},
        RB_FONT_BOLD, 44, RB_COL_WARN, rb_screen_word(s, RB_PHRASE_PIN_WRONG),
        RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  else if (dots[0])
    rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, 72),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, dots, shown,
                   RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  for (int i = 0; i < 12; i++) {
    int kw = (pad.w - 2 * gap) / 3, kh = (pad.h - 3 * gap) / 4;
    SDL_Rect k = {pad.x + (i % 3) * (kw + gap), pad.y + (i / 3) * (kh + gap),
                  kw, kh};
    if (i == 9)
      continue;
    if (i == 11)
      rb_screen_button(s, ui, k, "\xe2\x8c\xab", RB_COL_PANEL_HI, 0,
                       RB_ACTION_BACK, "del");
    else
      rb_screen_button(s, ui, k, keys[i], RB_COL_PANEL_HI, 0, RB_ACTION_DIGIT,
                       keys[i]);
  }
  rb_screen_button(s, ui, back, rb_screen_word(s, RB_PHRASE_BACK_BUTTON),
                   RB_COL_PANEL_HI, 0, RB_ACTION_BACK, "");
  rb_ui_primary(ui, true);
  rb_screen_button(s, ui, ok, rb_screen_word(s, RB_PHRASE_CONFIRM),
                   RB_COL_ACCENT, 0, RB_ACTION_NEXT, "");
  rb_ui_primary(ui, false);
}

static void who_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  who_data *d = rb_screen_data(s);
  (void)now;
  if (d->pin_for >= 0)
    render_pin(s, ui, d);
  else
    render_tiles(s, ui, d);
}

/* Chooses patient i (after the PIN when it has one): the screen goes. */
static bool choose(rb_screen *s, who_data *d, int i) {
  const rb_env *env = rb_screen_env(s);
  char name[RB_SHORT_MAX];
  bool pin;
  if (i < 0 || i >= count(s) || !get(s, i, name, sizeof name, &pin))
    return false;
  if (pin && d->pin_for != i) {
    d->pin_for = i;
    d->pin[0] = '\0';
    d->wrong = false;
    return true;
  }
  if (pin && now_of(s) < d->rest_till) {
    d->pin[0] = '\0'; /* resting: no PIN is tried */
    return true;
  }
  if (!env->patients.choose(env->patients.ud, i, pin ? d->pin : "")) {
    d->wrong = true;
    d->pin[0] = '\0';
    if (++d->wrongs >= PIN_TRIES) {
      d->wrongs = 0;
      d->rest_till = now_of(s) + PIN_REST_MS;
    }
    return true;
  }
  rb_nav_pop(env->nav);
  return true;
}

static bool pin_action(rb_screen *s, who_data *d, const rb_action *a) {
  size_t len = strlen(d->pin);
  switch (a->kind) {
  case RB_ACTION_DIGIT:
    if (a->value[0] >= '0' && a->value[0] <= '9' && !a->value[1] &&
        len < PIN_MAX) {
      d->pin[len] = a->value[0];
      d->pin[len + 1] = '\0';
      d->wrong = false;
    }
    return true;
  case RB_ACTION_BACK:
    if (strcmp(a->value, "del") == 0 && len > 0)
      d->pin[len - 1] = '\0';
    else if (strcmp(a->value, "del") != 0 || len == 0)
      d->pin_for = -1; /* back to the names */
    return true;
  case RB_ACTION_NEXT:
  case RB_ACTION_PRIMARY:
    return choose(s, d, d->pin_for);
  default:
    return false;
  }
}

static bool who_action(rb_screen *s, const rb_action *a) {
  who_data *d = rb_screen_data(s);
  int n = count(s);
  if (d->pin_for >= 0)
    return pin_action(s, d, a);
  switch (a->kind) {
  case RB_ACTION_UP:
  case RB_ACTION_DOWN: {
    int step = strcmp(a->value, "page") == 0 ? PER_PAGE : 1;
    int sel = d->selected + (a->kind == RB_ACTION_UP ? -step : step);
    if (step == PER_PAGE)
      sel = sel / PER_PAGE * PER_PAGE;
    sel = clampi(sel, 0, n > 0 ? n - 1 : 0);
    if (sel == d->selected)
      return false;
    d->selected = sel;
    return true;
  }
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
    return choose(s, d, a->value[0] ? atoi(a->value) : d->selected);
  default:
    return false;
  }
}

/* the resting keypad counts down its seconds */
static rb_ms who_next_redraw(rb_screen *s, rb_ms now) {
  who_data *d = rb_screen_data(s);
  if (d->pin_for < 0 || now >= d->rest_till)
    return RB_MS_NEVER;
  return now + 1000 - (d->rest_till - now) % 1000;
}

static const rb_screen_ops who_ops = {.name = "who",
                                      .action = who_action,
                                      .render = who_render,
                                      .next_redraw = who_next_redraw};

rb_screen *rb_screen_who_new(const rb_env *env) {
  rb_screen *s = rb_screen_alloc(env, &who_ops, sizeof(who_data));
  if (s)
    ((who_data *)rb_screen_data(s))->pin_for = -1;
  return s;
}
