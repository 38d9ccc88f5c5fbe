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

static void render_pin(rb_screen *s, rb_ui *ui, who_data *d, rb_ms now) {
  char name[RB_SHORT_MAX], head[RB_SHORT_MAX + 32], msg[RB_SHORT_MAX] = "";
  bool pin;
  get(s, d->pin_for, name, sizeof name, &pin);
  rb_screen_words(s, RB_PHRASE_PIN_FOR, head, sizeof head, name);
  if (now < d->rest_till)
    rb_screen_words(s, RB_PHRASE_PIN_WAIT, msg, sizeof msg,
                    (int)((d->rest_till - now + 999) / 1000));
  else if (d->wrong)
    snprintf(msg, sizeof msg, "%s", rb_screen_word(s, RB_PHRASE_PIN_WRONG));
  rb_screen_pinpad(s, ui, head, strlen(d->pin), msg);
}

static void who_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  who_data *d = rb_screen_data(s);
  (void)now; /* the rest is timed on the clock the actions see */
  if (d->pin_for >= 0)
    render_pin(s, ui, d, now_of(s));
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
  switch (rb_screen_pinpad_key(d->pin, PIN_MAX, a)) {
  case RB_PINPAD_TYPED:
    d->wrong = false;
    return true;
  case RB_PINPAD_BACK:
    d->pin_for = -1; /* back to the names */
    return true;
  case RB_PINPAD_DONE:
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
