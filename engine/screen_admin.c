/* admin: the clinic's screen. Opened by a long BACK press or a two-second
 * press in the top-left corner, then the admin PIN (none set: it says how
 * to set one and stays closed). A menu of big tiles leads to the pages:
 * patients and their plans, sound and brightness, a test of the buttons
 * and touch, export to a USB stick, problems, the log, restart and power
 * off. Everything is reachable by touch alone; BACK goes back a page.
 *
 * One screen with pages, not a screen per page: the pages share the PIN
 * and a frame, and the admin leaves them all at once. The words are
 * English for now (the clinic's, not the patient's). What the pages do
 * goes through env->admin (the app's kiosk.c). */
#include "screen_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIN_MAX 8
#define PIN_TRIES 5
#define PIN_REST_MS 30000
#define NAME_MAX 63
#define MSG_MAX 512
#define LINE_MAX 512

typedef enum {
  P_GATE, /* closed (no PIN set), or the PIN pad */
  P_MENU,
  P_PATIENTS,
  P_PATIENT,  /* one patient's plan */
  P_PSET,     /* their language, PIN and routine parameters */
  P_PSET_PIN, /* a new PIN for them */
  P_ADD,      /* a new patient's name, on a keyboard */
  P_SOUND,    /* volume, voice test, brightness */
  P_TEST,     /* buttons and touch */
  P_EXPORT,
  P_PROBLEMS,
  P_LOG,
  P_POWER
} admin_page;

typedef struct {
  admin_page page;
  char pin[PIN_MAX + 1];
  bool wrong;
  int wrongs;
  rb_ms rest_till;
  int list_page;  /* problems, log, patients, a plan: the page on show */
  int list_pages; /* as last drawn */
  char name[NAME_MAX + 1];  /* the patient on show (P_PATIENT) */
  char entry[NAME_MAX + 1]; /* P_ADD */
  char msg[MSG_MAX];        /* what the last action did */
  bool msg_bad;
  bool confirm; /* remove the patient, power off: asked once more */
  char lit[16]; /* P_TEST: the last action's name */
  bool lit_button;
  int taps, tap_x, tap_y;
} admin_data;

static const rb_admin_port *port(const rb_screen *s) {
  return &rb_screen_env(s)->admin;
}

static rb_ms now_of(const rb_screen *s) {
  return rb_clock_raw(rb_screen_env(s)->clock);
}

static void go(admin_data *d, admin_page p) {
  d->page = p;
  d->list_page = 0;
  d->msg[0] = '\0';
  d->msg_bad = false;
  d->confirm = false;
}

static void say(admin_data *d, bool bad, const char *text) {
  snprintf(d->msg, sizeof d->msg, "%s", text);
  d->msg_bad = bad;
}

/* --- the frame: a title and Back across the top --------------------------- */

typedef struct {
  SDL_Rect title, back, body;
  int mg, gap;
} frame;

static frame draw_frame(rb_screen *s, rb_ui *ui, const char *title,
                        const char *back) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  frame f;
  int hh = rb_ui_px(ui, 76), bw = rb_ui_px(ui, rb_ui_portrait(ui) ? 150 : 200);
  f.mg = rb_ui_px(ui, 16);
  f.gap = rb_ui_px(ui, 12);
  f.back = (SDL_Rect){W - f.mg - bw, f.mg, bw, hh};
  f.title = (SDL_Rect){f.mg, f.mg, f.back.x - f.gap - f.mg, hh};
  f.body = (SDL_Rect){f.mg, f.mg + hh + f.gap, W - 2 * f.mg,
                      H - 2 * f.mg - hh - f.gap};
  rb_ui_clear(ui, RB_COL_BG);
  /* a long name wraps to a second line rather than being cut */
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE),
                 rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, title, f.title,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  rb_screen_button(s, ui, f.back, back, RB_COL_PANEL_HI, 0, RB_ACTION_BACK, "");
  return f;
}

/* The message of the last action in a strip h high at the foot of r
 * (left of a button there, when w is less than r's); returns what is
 * left above the strip. */
static SDL_Rect draw_msg(rb_ui *ui, const admin_data *d, SDL_Rect r, int w,
                         int h) {
  if (d->msg[0])
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN),
                   d->msg_bad ? RB_COL_WARN : RB_COL_ACCENT, d->msg,
                   (SDL_Rect){r.x, r.y + r.h - h, w, h}, RB_ALIGN_LEFT,
                   RB_VALIGN_MIDDLE);
  r.h -= h + rb_ui_px(ui, 12);
  return r;
}

/* Cells of a grid of cols x rows in r. */
static SDL_Rect cell(SDL_Rect r, int cols, int rows, int gap, int i) {
  int w = (r.w - (cols - 1) * gap) / cols, h = (r.h - (rows - 1) * gap) / rows;
  return (SDL_Rect){r.x + (i % cols) * (w + gap), r.y + (i / cols) * (h + gap),
                    w, h};
}

/* Page arrows in a column at the right of r when there are several
 * pages; returns what is left beside them. */
static SDL_Rect draw_pager(rb_screen *s, rb_ui *ui, admin_data *d, SDL_Rect r,
                           int pages) {
  int cw = rb_ui_px(ui, 110), gap = rb_ui_px(ui, 12), bh;
  char where[32];
  SDL_Rect up, mid, down;
  d->list_pages = pages;
  if (d->list_page >= pages)
    d->list_page = pages > 0 ? pages - 1 : 0;
  if (pages <= 1)
    return r;
  bh = (r.h - 2 * gap) / 3;
  up = (SDL_Rect){r.x + r.w - cw, r.y, cw, bh};
  mid = (SDL_Rect){up.x, up.y + bh + gap, cw, bh};
  down = (SDL_Rect){up.x, mid.y + bh + gap, cw, r.y + r.h - mid.y - bh - gap};
  snprintf(where, sizeof where, "%d/%d", d->list_page + 1, pages);
  rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                 rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, where, mid,
                 RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  rb_screen_button(s, ui, up, "\xe2\x96\xb2", RB_COL_PANEL_HI,
                   d->list_page > 0 ? 0 : RB_BTN_DISABLED, RB_ACTION_UP,
                   "page");
  rb_screen_button(s, ui, down, "\xe2\x96\xbc", RB_COL_PANEL_HI,
                   d->list_page < pages - 1 ? 0 : RB_BTN_DISABLED,
                   RB_ACTION_DOWN, "page");
  r.w -= cw + gap;
  return r;
}

/* Tiles with their labels all at one size (the largest every label fits
 * at), so no word looks more important than another. */
static void draw_tiles(rb_screen *s, rb_ui *ui, const SDL_Rect *r,
                       const char *const *labels, const char *const *values,
                       int n) {
  int px = rb_ui_px(ui, RB_TEXT_TITLE), pad = rb_ui_px(ui, 10);
  for (int i = 0; i < n; i++) {
    SDL_Rect in = {r[i].x + pad, r[i].y + pad, r[i].w - 2 * pad,
                   r[i].h - 2 * pad};
    int k =
        rb_ui_text_box_measure(ui, RB_FONT_BOLD, px, rb_ui_px(ui, RB_TEXT_MIN),
                               labels[i], in.w, in.h, NULL, NULL);
    if (k > 0 && k < px)
      px = k;
  }
  for (int i = 0; i < n; i++) {
    rb_ui_fill_round_rect(ui, r[i], rb_ui_px(ui, 14), RB_COL_PANEL_HI);
    rb_ui_text_box(ui, RB_FONT_BOLD, px, px, RB_COL_TEXT, labels[i],
                   (SDL_Rect){r[i].x + pad, r[i].y + pad, r[i].w - 2 * pad,
                              r[i].h - 2 * pad},
                   RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
    rb_screen_add_button(s, r[i], RB_ACTION_PRIMARY, values[i]);
  }
}

/* --- the gate ----------------------------------------------------------- */

/* The kiosk keeps the count of wrong PINs (closing the screen does not
 * start it again); without one (a test), this screen does. */
static int rest_left(const rb_screen *s, const admin_data *d) {
  const rb_admin_port *p = port(s);
  if (p->pin_rest_s)
    return p->pin_rest_s(p->ud, now_of(s));
  return now_of(s) < d->rest_till
             ? (int)((d->rest_till - now_of(s) + 999) / 1000)
             : 0;
}

static int try_pin(const rb_screen *s, admin_data *d) {
  const rb_admin_port *p = port(s);
  if (p->try_pin)
    return p->try_pin(p->ud, d->pin, now_of(s));
  if (rest_left(s, d))
    return rest_left(s, d);
  if (strcmp(d->pin, p->pin(p->ud)) == 0) {
    d->wrongs = 0;
    return 0;
  }
  if (++d->wrongs >= PIN_TRIES) {
    d->wrongs = 0;
    d->rest_till = now_of(s) + PIN_REST_MS;
    return rest_left(s, d);
  }
  return -1;
}

static void render_gate(rb_screen *s, rb_ui *ui, admin_data *d) {
  const rb_admin_port *p = port(s);
  char msg[64] = "";
  if (!p->pin || !p->pin(p->ud)[0]) {
    frame f = draw_frame(s, ui, "Admin", "Close");
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT,
                   "The admin screen is closed: no admin PIN is set. Set "
                   "admin_pin in /etc/rebalance/rebalance.conf, then restart "
                   "the coach.",
                   f.body, RB_ALIGN_LEFT, RB_VALIGN_TOP);
    return;
  }
  if (rest_left(s, d) > 0)
    snprintf(msg, sizeof msg, "Too many tries. Wait %d seconds.",
             rest_left(s, d));
  else if (d->wrong)
    snprintf(msg, sizeof msg, "That PIN is not right.");
  rb_screen_pinpad(s, ui, "Admin PIN", strlen(d->pin), msg);
}

static bool gate_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  const rb_env *env = rb_screen_env(s);
  if (!p->pin || !p->pin(p->ud)[0]) {
    if (a->kind != RB_ACTION_BACK && a->kind != RB_ACTION_PRIMARY &&
        a->kind != RB_ACTION_NEXT)
      return false;
    rb_nav_pop(env->nav);
    return true;
  }
  switch (rb_screen_pinpad_key(d->pin, PIN_MAX, a)) {
  case RB_PINPAD_TYPED:
    d->wrong = false;
    return true;
  case RB_PINPAD_BACK:
    rb_nav_pop(env->nav);
    return true;
  case RB_PINPAD_DONE: {
    int r = try_pin(s, d);
    if (r == 0)
      go(d, P_MENU);
    else
      d->wrong = r < 0;
    memset(d->pin, 0, sizeof d->pin);
    return true;
  }
  default:
    return false;
  }
}

/* --- the menu ----------------------------------------------------------- */

static const struct {
  const char *label, *value;
  admin_page page;
} MENU[] = {
    {"Patients", "patients", P_PATIENTS},
    {"Sound and screen", "sound", P_SOUND},
    {"Test buttons", "test", P_TEST},
    {"Export to USB", "export", P_EXPORT},
    {"Problems", "problems", P_PROBLEMS},
    {"Log", "log", P_LOG},
    {"Restart or off", "power", P_POWER},
};
enum { NMENU = sizeof MENU / sizeof MENU[0] };

static void render_menu(rb_screen *s, rb_ui *ui, admin_data *d) {
  frame f = draw_frame(s, ui, "Admin", "Close");
  bool portrait = rb_ui_portrait(ui);
  int cols = portrait ? 2 : 4, rows = portrait ? 4 : 2;
  SDL_Rect r[NMENU];
  const char *labels[NMENU], *values[NMENU];
  (void)d;
  for (int i = 0; i < NMENU; i++) {
    r[i] = cell(f.body, cols, rows, f.gap, i);
    labels[i] = MENU[i].label;
    values[i] = MENU[i].value;
  }
  draw_tiles(s, ui, r, labels, values, NMENU);
}

static bool menu_action(rb_screen *s, admin_data *d, const rb_action *a) {
  if (a->kind == RB_ACTION_BACK) {
    rb_nav_pop(rb_screen_env(s)->nav);
    return true;
  }
  if (a->kind != RB_ACTION_PRIMARY)
    return false;
  for (int i = 0; i < NMENU; i++)
    if (strcmp(a->value, MENU[i].value) == 0) {
      go(d, MENU[i].page);
      return true;
    }
  return false;
}

/* --- patients ----------------------------------------------------------- */

static int patients_count(const rb_screen *s) {
  const rb_patients_port *p = &rb_screen_env(s)->patients;
  return p->count ? p->count(p->ud) : 0;
}

static void render_patients(rb_screen *s, rb_ui *ui, admin_data *d) {
  frame f = draw_frame(s, ui, "Patients", "Back");
  const rb_patients_port *pp = &rb_screen_env(s)->patients;
  bool portrait = rb_ui_portrait(ui);
  int n = patients_count(s), per = portrait ? 6 : 4;
  int bh = rb_ui_px(ui, 80), bw = portrait ? f.body.w : rb_ui_px(ui, 330);
  SDL_Rect body = f.body;
  SDL_Rect add = {body.x + body.w - bw, body.y + body.h - bh, bw, bh};
  if (port(s)->patient_add)
    rb_screen_button(s, ui, add, "Add a patient", RB_COL_ACCENT, 0,
                     RB_ACTION_PRIMARY, "add");
  if (portrait) {
    body.h -= bh + f.gap;
    body = draw_msg(ui, d, body, body.w, d->msg[0] ? bh : -f.gap);
  } else {
    body = draw_msg(ui, d, body, body.w - bw - f.gap, bh);
  }
  body = draw_pager(s, ui, d, body, (n + per - 1) / per);
  if (n == 0)
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT_DIM,
                   "No patients yet.", body, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  for (int k = 0; k < per && d->list_page * per + k < n; k++) {
    int i = d->list_page * per + k;
    char name[RB_SHORT_MAX], value[16];
    bool pin;
    if (!pp->get || !pp->get(pp->ud, i, name, sizeof name, &pin))
      continue;
    snprintf(value, sizeof value, "%d", i);
    rb_screen_button(s, ui,
                     cell(body, portrait ? 1 : 2, portrait ? 6 : 2, f.gap, k),
                     name, RB_COL_PANEL_HI, 0, RB_ACTION_PRIMARY, value);
  }
}

static bool patients_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_patients_port *pp = &rb_screen_env(s)->patients;
  if (a->kind != RB_ACTION_PRIMARY)
    return false;
  if (strcmp(a->value, "add") == 0) {
    go(d, P_ADD);
    d->entry[0] = '\0';
    return true;
  }
  {
    char *end;
    long i = strtol(a->value, &end, 10);
    bool pin;
    if (end == a->value || *end || !pp->get ||
        !pp->get(pp->ud, (int)i, d->name, sizeof d->name, &pin))
      return false;
  }
  go(d, P_PATIENT);
  return true;
}

/* One patient: how many days a week each routine is assigned. */
static void render_patient(rb_screen *s, rb_ui *ui, admin_data *d) {
  const rb_env *env = rb_screen_env(s);
  const rb_admin_port *p = port(s);
  frame f = draw_frame(s, ui, d->name, "Back");
  bool portrait = rb_ui_portrait(ui);
  int n = rb_catalog_count(env->catalog), per = portrait ? 5 : 2;
  int bh = rb_ui_px(ui, 80), bw = portrait ? f.body.w : rb_ui_px(ui, 330);
  SDL_Rect body = f.body;
  SDL_Rect rm = {body.x + body.w - bw, body.y + body.h - bh, bw, bh};
  if (p->patient_get) {
    /* their language, PIN and parameters: beside Remove */
    SDL_Rect set = rm;
    rm.w = set.w = (rm.w - f.gap) / 2;
    rm.x = set.x + set.w + f.gap;
    rb_screen_button(s, ui, set, "Settings", RB_COL_PANEL_HI, 0,
                     RB_ACTION_PRIMARY, "settings");
  }
  if (p->patient_remove)
    rb_screen_button(s, ui, rm, d->confirm ? "Again to remove" : "Remove",
                     d->confirm ? RB_COL_STOP : RB_COL_PANEL, 0,
                     RB_ACTION_PRIMARY, "remove");
  /* the message's strip is kept even when empty: rows never move under
   * a finger between two touches */
  if (portrait) {
    body.h -= bh + f.gap;
    body = draw_msg(ui, d, body, body.w, bh);
  } else {
    body = draw_msg(ui, d, body, body.w - bw - f.gap, bh);
  }
  body = draw_pager(s, ui, d, body, (n + per - 1) / per);
  for (int k = 0; k < per && d->list_page * per + k < n; k++) {
    int i = d->list_page * per + k;
    const rb_meta *m = rb_catalog_meta(env->catalog, i);
    SDL_Rect row = cell(body, 1, per, f.gap, k), minus, plus, text, title;
    int days = p->plan_days ? p->plan_days(p->ud, d->name, m->id) : 0;
    char line[48], v[16];
    int bw2 = rb_ui_px(ui, 90);
    /* the routine's title on top, how often and - + under it */
    title = (SDL_Rect){row.x + f.gap, row.y, row.w - 2 * f.gap, row.h / 2};
    plus = (SDL_Rect){row.x + row.w - bw2, row.y + row.h / 2, bw2,
                      row.h - row.h / 2};
    minus = (SDL_Rect){plus.x - f.gap - bw2, plus.y, bw2, plus.h};
    text =
        (SDL_Rect){row.x + f.gap, plus.y, minus.x - 2 * f.gap - row.x, plus.h};
    if (days == 0)
      snprintf(line, sizeof line, "not assigned");
    else
      snprintf(line, sizeof line, "%d\xc3\x97 a week", days); /* 3x */
    rb_ui_fill_round_rect(ui, row, rb_ui_px(ui, 10), RB_COL_PANEL);
    rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, m->title, title,
                   RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
    rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN),
                   days ? RB_COL_ACCENT : RB_COL_TEXT_DIM, line, text,
                   RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
    snprintf(v, sizeof v, "-%d", i);
    rb_screen_button(s, ui, minus, "\xe2\x88\x92", RB_COL_PANEL_HI,
                     days > 0 ? 0 : RB_BTN_DISABLED, RB_ACTION_PRIMARY, v);
    snprintf(v, sizeof v, "+%d", i);
    rb_screen_button(s, ui, plus, "+", RB_COL_PANEL_HI,
                     days < 7 ? 0 : RB_BTN_DISABLED, RB_ACTION_PRIMARY, v);
  }
}

static bool patient_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_env *env = rb_screen_env(s);
  const rb_admin_port *p = port(s);
  char err[MSG_MAX] = "";
  if (a->kind != RB_ACTION_PRIMARY)
    return false;
  if (strcmp(a->value, "settings") == 0 && p->patient_get) {
    char keep[NAME_MAX + 1];
    snprintf(keep, sizeof keep, "%s", d->name);
    go(d, P_PSET);
    snprintf(d->name, sizeof d->name, "%s", keep);
    return true;
  }
  if (strcmp(a->value, "remove") == 0 && p->patient_remove) {
    if (!d->confirm) {
      d->confirm = true;
      return true;
    }
    if (p->patient_remove(p->ud, d->name, err, sizeof err)) {
      char done[MSG_MAX];
      snprintf(done, sizeof done, "Removed %s (their results are kept).",
               d->name);
      go(d, P_PATIENTS);
      say(d, false, done);
    } else {
      d->confirm = false;
      say(d, true, err);
    }
    return true;
  }
  if ((a->value[0] == '+' || a->value[0] == '-') && p->patient_set &&
      p->plan_days) {
    char *end, key[RB_SHORT_MAX + 8], value[8];
    long i = strtol(a->value + 1, &end, 10);
    const rb_meta *m;
    int days;
    if (*end || i < 0 || i >= rb_catalog_count(env->catalog))
      return false;
    m = rb_catalog_meta(env->catalog, (int)i);
    days = p->plan_days(p->ud, d->name, m->id) + (a->value[0] == '+' ? 1 : -1);
    if (days < 0 || days > 7)
      return false;
    snprintf(key, sizeof key, "%s.days", m->id);
    snprintf(value, sizeof value, "%d", days);
    d->confirm = false;
    if (!p->patient_set(p->ud, d->name, key, value, err, sizeof err))
      say(d, true, err);
    else
      d->msg[0] = '\0';
    return true;
  }
  return false;
}

/* --- a patient's settings ------------------------------------------------- */

static const char *language_name(const char *code) {
  return !code[0]                  ? "the kiosk's"
         : strcmp(code, "en") == 0 ? "English"
         : strcmp(code, "de") == 0 ? "Deutsch"
                                   : code;
}

/* A row: its words on top, up to two buttons under them on the right. */
static void setting_row(rb_screen *s, rb_ui *ui, SDL_Rect row, int gap,
                        const char *words, const char *b1, const char *v1,
                        const char *b2, const char *v2) {
  int bw = rb_ui_px(ui, 150), half = row.h / 2;
  SDL_Rect top = {row.x + gap, row.y, row.w - 2 * gap, half};
  SDL_Rect btn = {row.x + row.w - bw, row.y + half, bw, row.h - half};
  rb_ui_fill_round_rect(ui, row, rb_ui_px(ui, 10), RB_COL_PANEL);
  if (!b1 && !b2)
    top.h = row.h; /* words only: the whole row */
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                 rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT, words, top,
                 RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  if (b2) {
    rb_screen_button(s, ui, btn, b2, RB_COL_PANEL_HI, 0, RB_ACTION_PRIMARY, v2);
    btn.x -= bw + gap;
  }
  if (b1)
    rb_screen_button(s, ui, btn, b1, RB_COL_PANEL_HI, 0, RB_ACTION_PRIMARY, v1);
}

/* Numbers a parameter may be stepped by: whole ones by 1, others by a
 * tenth of their size. */
static bool step_value(const char *value, int dir, char *out, size_t n) {
  char *end;
  double x = strtod(value, &end);
  if (end == value || *end)
    return false;
  if (x == (long long)x && !strchr(value, '.'))
    snprintf(out, n, "%lld", (long long)x + dir);
  else
    snprintf(out, n, "%g", x + dir * (x != 0 ? (x < 0 ? -x : x) / 10 : 0.1));
  return true;
}

static void render_pset(rb_screen *s, rb_ui *ui, admin_data *d) {
  const rb_admin_port *p = port(s);
  char title[NAME_MAX + 16], words[2 * RB_TEXT_MAX + 16], got[RB_TEXT_MAX];
  frame f;
  bool portrait = rb_ui_portrait(ui);
  int per = portrait ? 5 : 2, nparams = 0, shown = 0, first;
  SDL_Rect body;
  snprintf(title, sizeof title, "%s", d->name);
  f = draw_frame(s, ui, title, "Back");
  body = draw_msg(ui, d, f.body, f.body.w, rb_ui_px(ui, 60));
  while (p->patient_get(p->ud, d->name, "param", nparams, got, sizeof got))
    nparams++;
  body = draw_pager(s, ui, d, body, (2 + nparams + per - 1) / per);
  first = d->list_page * per;
  for (int k = first; k < 2 + nparams && shown < per; k++, shown++) {
    SDL_Rect row = cell(body, 1, per, f.gap, shown);
    if (k == 0) {
      p->patient_get(p->ud, d->name, "language", 0, got, sizeof got);
      snprintf(words, sizeof words, "Language: %s", language_name(got));
      setting_row(s, ui, row, f.gap, words, "Change", "lang", NULL, NULL);
    } else if (k == 1) {
      p->patient_get(p->ud, d->name, "pin", 0, got, sizeof got);
      snprintf(words, sizeof words, "PIN: %s", got[0] ? "set" : "none");
      setting_row(s, ui, row, f.gap, words, "Set", "pin",
                  got[0] ? "Clear" : NULL, "nopin");
    } else {
      char v1[16], v2[16], step[64];
      const char *eq;
      p->patient_get(p->ud, d->name, "param", k - 2, got, sizeof got);
      eq = strchr(got, '=');
      snprintf(words, sizeof words, "%.*s: %s", eq ? (int)(eq - got) : 0, got,
               eq ? eq + 1 : "");
      snprintf(v1, sizeof v1, "p-%d", k - 2);
      snprintf(v2, sizeof v2, "p+%d", k - 2);
      if (eq && step_value(eq + 1, 1, step, sizeof step))
        setting_row(s, ui, row, f.gap, words, "\xe2\x88\x92", v1, "+", v2);
      else
        setting_row(s, ui, row, f.gap, words, NULL, NULL, NULL, NULL);
    }
  }
}

static bool pset_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  char err[MSG_MAX] = "", got[RB_TEXT_MAX];
  if (a->kind != RB_ACTION_PRIMARY || !p->patient_set)
    return false;
  if (strcmp(a->value, "lang") == 0) {
    /* the kiosk's, then each language the coach speaks */
    p->patient_get(p->ud, d->name, "language", 0, got, sizeof got);
    if (!p->patient_set(p->ud, d->name, "language",
                        !got[0]                  ? "en"
                        : strcmp(got, "en") == 0 ? "de"
                                                 : "",
                        err, sizeof err))
      say(d, true, err);
    return true;
  }
  if (strcmp(a->value, "nopin") == 0) {
    if (!p->patient_set(p->ud, d->name, "pin", "", err, sizeof err))
      say(d, true, err);
    else
      say(d, false, "No PIN now.");
    return true;
  }
  if (strcmp(a->value, "pin") == 0) {
    char keep[NAME_MAX + 1];
    snprintf(keep, sizeof keep, "%s", d->name);
    go(d, P_PSET_PIN);
    snprintf(d->name, sizeof d->name, "%s", keep);
    memset(d->pin, 0, sizeof d->pin);
    return true;
  }
  if (a->value[0] == 'p' && (a->value[1] == '+' || a->value[1] == '-')) {
    char *end, value[64], key[RB_TEXT_MAX];
    long i = strtol(a->value + 2, &end, 10);
    const char *eq;
    if (*end ||
        !p->patient_get(p->ud, d->name, "param", (int)i, got, sizeof got) ||
        !(eq = strchr(got, '=')) ||
        !step_value(eq + 1, a->value[1] == '+' ? 1 : -1, value, sizeof value))
      return false;
    snprintf(key, sizeof key, "%.*s", (int)(eq - got), got);
    if (!p->patient_set(p->ud, d->name, key, value, err, sizeof err))
      say(d, true, err);
    else
      d->msg[0] = '\0';
    return true;
  }
  return false;
}

static void render_pset_pin(rb_screen *s, rb_ui *ui, admin_data *d) {
  char head[NAME_MAX + 16];
  snprintf(head, sizeof head, "%s", "A new PIN");
  rb_screen_pinpad(s, ui, head, strlen(d->pin),
                   d->wrong ? "4 to 8 digits, please." : "");
}

static bool pset_pin_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  char err[MSG_MAX] = "", keep[NAME_MAX + 1];
  snprintf(keep, sizeof keep, "%s", d->name);
  switch (rb_screen_pinpad_key(d->pin, PIN_MAX, a)) {
  case RB_PINPAD_TYPED:
    d->wrong = false;
    return true;
  case RB_PINPAD_BACK:
    go(d, P_PSET);
    break;
  case RB_PINPAD_DONE:
    if (strlen(d->pin) < 4) {
      d->wrong = true;
      return true;
    }
    if (!p->patient_set(p->ud, d->name, "pin", d->pin, err, sizeof err)) {
      go(d, P_PSET);
      say(d, true, err);
    } else {
      go(d, P_PSET);
      say(d, false, "PIN set.");
    }
    memset(d->pin, 0, sizeof d->pin);
    break;
  default:
    return false;
  }
  snprintf(d->name, sizeof d->name, "%s", keep);
  return true;
}

/* --- a new patient's name ------------------------------------------------- */

static const char *const KEYROWS[] = {"QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM'."};

static void render_add(rb_screen *s, rb_ui *ui, admin_data *d) {
  frame f = draw_frame(s, ui, "Add a patient", "Back");
  SDL_Rect body = f.body, shown, keys, last;
  int kh, kpx, gap = rb_ui_px(ui, 6);
  shown = (SDL_Rect){body.x, body.y, body.w, rb_ui_px(ui, 70)};
  body.y += shown.h + f.gap;
  body.h -= shown.h + f.gap;
  rb_ui_fill_round_rect(ui, shown, rb_ui_px(ui, 10), RB_COL_PANEL);
  /* a refusal ("Bob is already there") shows where the name is */
  rb_ui_text_fit(
      ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE), rb_ui_px(ui, RB_TEXT_MIN),
      d->msg[0]     ? RB_COL_WARN
      : d->entry[0] ? RB_COL_TEXT
                    : RB_COL_TEXT_DIM,
      d->msg[0]     ? d->msg
      : d->entry[0] ? d->entry
                    : "Type the name",
      (SDL_Rect){shown.x + f.gap, shown.y, shown.w - 2 * f.gap, shown.h},
      RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
  kh = (body.h - 3 * gap) / 4;
  keys = body;
  kpx = SDL_min(rb_ui_px(ui, RB_TEXT_TITLE), (keys.w - 9 * gap) / 10 * 7 / 10);
  if (kpx < rb_ui_px(ui, RB_TEXT_MIN))
    kpx = rb_ui_px(ui, RB_TEXT_MIN);
  for (int r = 0; r < 3; r++) {
    int n = (int)strlen(KEYROWS[r]);
    int kw = (keys.w - 9 * gap) / 10;
    for (int k = 0; k < n; k++) {
      char label[2] = {KEYROWS[r][k], 0}, value[8];
      SDL_Rect key = {keys.x + k * (kw + gap), keys.y + r * (kh + gap), kw, kh};
      bool first = !d->entry[0] || d->entry[strlen(d->entry) - 1] == ' ' ||
                   d->entry[strlen(d->entry) - 1] == '-';
      if (!first && label[0] >= 'A' && label[0] <= 'Z')
        label[0] = (char)(label[0] - 'A' + 'a'); /* names: Ann, Mary-Lou */
      snprintf(value, sizeof value, "key:%s", label);
      /* every key's letter at one size, whatever its width */
      rb_ui_fill_round_rect(ui, key, rb_ui_px(ui, 10), RB_COL_PANEL_HI);
      rb_ui_text_fit(ui, RB_FONT_BOLD, kpx, kpx, RB_COL_TEXT, label, key,
                     RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
      rb_screen_add_button(s, key, RB_ACTION_ANSWER, value);
    }
  }
  last = (SDL_Rect){keys.x, keys.y + 3 * (kh + gap), keys.w, kh};
  rb_screen_button(s, ui, cell(last, 4, 1, gap, 0), "\xe2\x8c\xab",
                   RB_COL_PANEL_HI, 0, RB_ACTION_ANSWER, "del");
  rb_screen_button(
      s, ui, (SDL_Rect){last.x + last.w / 4, last.y, last.w / 2 - gap, kh},
      "Space", RB_COL_PANEL_HI, 0, RB_ACTION_ANSWER, "key: ");
  rb_screen_button(s, ui, cell(last, 4, 1, gap, 3), "Add", RB_COL_ACCENT,
                   d->entry[0] ? 0 : RB_BTN_DISABLED, RB_ACTION_NEXT, "");
}

static bool add_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  size_t len = strlen(d->entry);
  char err[MSG_MAX] = "";
  if (a->kind == RB_ACTION_ANSWER && strcmp(a->value, "del") == 0) {
    if (len)
      d->entry[len - 1] = '\0';
    d->msg[0] = '\0';
    return true;
  }
  if (a->kind == RB_ACTION_ANSWER && strncmp(a->value, "key:", 4) == 0 &&
      a->value[4] && !a->value[5]) {
    if (len < NAME_MAX &&
        !(a->value[4] == ' ' && (!len || d->entry[len - 1] == ' '))) {
      d->entry[len] = a->value[4];
      d->entry[len + 1] = '\0';
    }
    d->msg[0] = '\0';
    return true;
  }
  if ((a->kind == RB_ACTION_NEXT || a->kind == RB_ACTION_PRIMARY) &&
      d->entry[0] && p->patient_add) {
    len = strlen(d->entry);
    while (len && d->entry[len - 1] == ' ')
      d->entry[--len] = '\0';
    if (p->patient_add(p->ud, d->entry, err, sizeof err)) {
      char done[MSG_MAX];
      snprintf(done, sizeof done, "Added %s.", d->entry);
      snprintf(d->name, sizeof d->name, "%s", d->entry);
      go(d, P_PATIENT); /* their plan next */
      say(d, false, done);
    } else {
      say(d, true, err);
    }
    return true;
  }
  return false;
}

/* --- sound and screen ----------------------------------------------------- */

static void render_sound(rb_screen *s, rb_ui *ui, admin_data *d) {
  (void)d;
  const rb_admin_port *p = port(s);
  frame f = draw_frame(s, ui, "Sound and screen", "Back");
  SDL_Rect body = f.body;
  int vol = p->volume ? p->volume(p->ud) : -1;
  int bright = p->brightness ? p->brightness(p->ud) : -1;
  int bw = rb_ui_px(ui, 110);
  char line[64];
  for (int row = 0; row < 2; row++) {
    /* what it is on top; how much, then - and +, under it */
    SDL_Rect r = cell(body, 1, 3, f.gap, row), minus, plus, text, name;
    int v = row == 0 ? vol : bright;
    const char *what = row == 0 ? "vol" : "bright";
    char mv[16], pv[16];
    name = (SDL_Rect){r.x, r.y, r.w, r.h / 2};
    plus = (SDL_Rect){r.x + r.w - bw, r.y + r.h / 2, bw, r.h - r.h / 2};
    minus = (SDL_Rect){plus.x - f.gap - bw, plus.y, bw, plus.h};
    text = (SDL_Rect){r.x, plus.y, minus.x - f.gap - r.x, plus.h};
    if (v < 0)
      snprintf(line, sizeof line, "%s",
               row == 0 ? "no sound" : "no backlight found");
    else
      snprintf(line, sizeof line, "%d %%", v);
    rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT,
                   row == 0 ? "Volume" : "Brightness", name, RB_ALIGN_LEFT,
                   RB_VALIGN_MIDDLE);
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_TITLE),
                   rb_ui_px(ui, RB_TEXT_MIN),
                   v < 0 ? RB_COL_TEXT_DIM : RB_COL_ACCENT, line, text,
                   RB_ALIGN_LEFT, RB_VALIGN_MIDDLE);
    snprintf(mv, sizeof mv, "%s-", what);
    snprintf(pv, sizeof pv, "%s+", what);
    rb_screen_button(s, ui, minus, "\xe2\x88\x92", RB_COL_PANEL_HI,
                     v > 0 ? 0 : RB_BTN_DISABLED, RB_ACTION_PRIMARY, mv);
    rb_screen_button(s, ui, plus, "+", RB_COL_PANEL_HI,
                     v >= 0 && v < 100 ? 0 : RB_BTN_DISABLED, RB_ACTION_PRIMARY,
                     pv);
  }
  if (p->voice_test)
    rb_screen_button(s, ui, cell(body, 1, 3, f.gap, 2), "Test the voice",
                     RB_COL_ACCENT, 0, RB_ACTION_PRIMARY, "voice");
}

static bool sound_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  int step;
  (void)d;
  if (a->kind != RB_ACTION_PRIMARY)
    return false;
  if (!a->value[0])
    return false;
  step = a->value[strlen(a->value) - 1] == '+' ? 10 : -10;
  if (strncmp(a->value, "vol", 3) == 0 && p->volume && p->set_volume) {
    int v = p->volume(p->ud) + step;
    p->set_volume(p->ud, v < 0 ? 0 : v > 100 ? 100 : v);
    return true;
  }
  if (strncmp(a->value, "bright", 6) == 0 && p->brightness &&
      p->set_brightness && p->brightness(p->ud) >= 0) {
    /* never fully dark from here: the admin could not see to undo it */
    int v = p->brightness(p->ud) + step;
    p->set_brightness(p->ud, v < 10 ? 10 : v > 100 ? 100 : v);
    return true;
  }
  if (strcmp(a->value, "voice") == 0 && p->voice_test) {
    p->voice_test(p->ud);
    return true;
  }
  return false;
}

/* --- buttons and touch ---------------------------------------------------- */

static const rb_action_kind TESTED[] = {RB_ACTION_PRIMARY, RB_ACTION_NEXT,
                                        RB_ACTION_BACK,    RB_ACTION_STOP,
                                        RB_ACTION_UP,      RB_ACTION_DOWN};

static void render_test(rb_screen *s, rb_ui *ui, admin_data *d) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  frame f;
  SDL_Rect body, boxes, note;
  bool portrait = rb_ui_portrait(ui);
  /* the whole screen takes touches; the buttons on it come after */
  rb_screen_add_button(s, (SDL_Rect){0, 0, W, H}, RB_ACTION_TAP, "test");
  f = draw_frame(s, ui, "Test buttons", "Done");
  body = f.body;
  boxes = (SDL_Rect){body.x, body.y, body.w, body.h / 2};
  note = (SDL_Rect){body.x, boxes.y + boxes.h + f.gap, body.w,
                    body.h - boxes.h - f.gap};
  for (int i = 0; i < 6; i++) {
    SDL_Rect b = cell(boxes, portrait ? 2 : 3, portrait ? 3 : 2, f.gap, i);
    const char *name = rb_action_name(TESTED[i]);
    bool lit = strcmp(d->lit, name) == 0;
    rb_ui_fill_round_rect(ui, b, rb_ui_px(ui, 12),
                          lit ? RB_COL_ACCENT : RB_COL_PANEL);
    rb_ui_text_fit(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), lit ? RB_COL_DARK : RB_COL_TEXT,
                   name, b, RB_ALIGN_CENTER, RB_VALIGN_MIDDLE);
  }
  {
    char line[160];
    if (d->taps)
      snprintf(line, sizeof line, "Touches: %d, the last at %d, %d.%s%s",
               d->taps, d->tap_x, d->tap_y, d->lit[0] ? " Last press: " : "",
               d->lit);
    else
      snprintf(line, sizeof line,
               "Press each button: its box lights. Touch anywhere: a ring "
               "shows where.%s%s",
               d->lit[0] ? " Last press: " : "", d->lit);
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_TEXT_DIM, line, note,
                   RB_ALIGN_LEFT, RB_VALIGN_TOP);
  }
  if (d->taps)
    rb_ui_ring(ui, d->tap_x, d->tap_y, rb_ui_px(ui, 30), rb_ui_px(ui, 6), 1.0,
               RB_COL_WARN, RB_COL_WARN);
}

static bool test_action(rb_screen *s, admin_data *d, const rb_action *a) {
  if (a->kind == RB_ACTION_TAP && strcmp(a->value, "test") == 0) {
    d->taps++;
    d->tap_x = a->x;
    d->tap_y = a->y;
    return true;
  }
  /* Done (touch) leaves; a BACK from a button or key is being tested */
  if (a->kind == RB_ACTION_BACK && a->touch) {
    go(d, P_MENU);
    return true;
  }
  for (size_t i = 0; i < sizeof TESTED / sizeof TESTED[0]; i++)
    if (a->kind == TESTED[i]) {
      snprintf(d->lit, sizeof d->lit, "%s", rb_action_name(a->kind));
      d->lit_button = a->button;
      return true;
    }
  (void)s;
  return false;
}

/* --- export, problems, the log, power ------------------------------------ */

static bool exporting(const rb_screen *s) {
  const rb_admin_port *p = port(s);
  char msg[8];
  return p->export_status && p->export_status(p->ud, msg, sizeof msg) == 1;
}

static void render_export(rb_screen *s, rb_ui *ui, admin_data *d) {
  frame f = draw_frame(s, ui, "Export to USB", "Back");
  SDL_Rect body = f.body;
  SDL_Rect note = cell(body, 1, 2, f.gap, 0);
  /* what it will do, then what it did */
  rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                 rb_ui_px(ui, RB_TEXT_MIN),
                 !d->msg[0]   ? RB_COL_TEXT_DIM
                 : d->msg_bad ? RB_COL_WARN
                              : RB_COL_ACCENT,
                 d->msg[0] ? d->msg
                           : "Put a USB stick in, then touch Export: every "
                             "result as CSV and FHIR, and a PDF report per "
                             "patient.",
                 note, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  if (port(s)->export_usb)
    rb_screen_button(s, ui, cell(body, 1, 2, f.gap, 1),
                     exporting(s) ? "Exporting..." : "Export", RB_COL_ACCENT,
                     exporting(s) ? RB_BTN_DISABLED : 0, RB_ACTION_PRIMARY,
                     "export");
}

static bool export_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  char msg[MSG_MAX] = "";
  bool ok;
  if (a->kind != RB_ACTION_PRIMARY || strcmp(a->value, "export") != 0 ||
      !p->export_usb || exporting(s))
    return false;
  ok = p->export_usb(p->ud, msg, sizeof msg);
  say(d, !ok, msg);
  return true;
}

/* While an export runs the page shows so, and what it did once done. */
static void export_follow(rb_screen *s, admin_data *d) {
  const rb_admin_port *p = port(s);
  char msg[MSG_MAX] = "";
  int st;
  if (d->page != P_EXPORT || !p->export_status)
    return;
  st = p->export_status(p->ud, msg, sizeof msg);
  if (st >= 2 && strcmp(msg, d->msg) != 0)
    say(d, st == 3, msg);
}

/* Problems and the log: lines, whole, as many a page as fit in w x h;
 * draws page `draw` (-1: none); returns how many pages. */
static int pour_lines(rb_screen *s, rb_ui *ui, admin_data *d, SDL_Rect r,
                      int draw) {
  const rb_admin_port *p = port(s);
  bool log = d->page == P_LOG;
  bool (*get)(void *, int, char *, size_t) = log ? p->log_line : p->problem;
  char line[LINE_MAX];
  int px = rb_ui_px(ui, RB_TEXT_MIN), gap = rb_ui_px(ui, 10);
  int page = 0, y = 0;
  for (int i = 0; get && get(p->ud, i, line, sizeof line); i++) {
    int h = rb_screen_text_height(ui, RB_FONT_REGULAR, RB_TEXT_MIN, line, r.w);
    if (h > r.h)
      h = r.h; /* a line longer than a page: drawn as it fits */
    if (y + h > r.h && y > 0) {
      page++;
      y = 0;
    }
    if (page == draw)
      rb_ui_text_box(
          ui, RB_FONT_REGULAR, px, px, log ? RB_COL_TEXT_DIM : RB_COL_WARN,
          line, (SDL_Rect){r.x, r.y + y, r.w, h}, RB_ALIGN_LEFT, RB_VALIGN_TOP);
    y += h + gap;
  }
  return page + 1;
}

static void render_lines(rb_screen *s, rb_ui *ui, admin_data *d) {
  const rb_admin_port *p = port(s);
  bool log = d->page == P_LOG;
  frame f = draw_frame(s, ui, log ? "Log" : "Problems", "Back");
  char first[8];
  bool (*get)(void *, int, char *, size_t) = log ? p->log_line : p->problem;
  SDL_Rect room = f.body;
  int pages = pour_lines(s, ui, d, room, -1);
  if (pages > 1) { /* beside the arrows: narrower, maybe more pages */
    room.w -= rb_ui_px(ui, 110) + rb_ui_px(ui, 12);
    pages = pour_lines(s, ui, d, room, -1);
  }
  room = draw_pager(s, ui, d, f.body, pages);
  if (!get || !get(p->ud, 0, first, sizeof first))
    rb_ui_text_box(ui, RB_FONT_BOLD, rb_ui_px(ui, RB_TEXT_BUTTON),
                   rb_ui_px(ui, RB_TEXT_MIN), RB_COL_ACCENT,
                   log ? "Nothing in the log yet."
                       : "No problems: every routine, figure and plugin "
                         "loaded, and results are kept.",
                   room, RB_ALIGN_LEFT, RB_VALIGN_TOP);
  else
    pour_lines(s, ui, d, room, d->list_page);
}

static void render_power(rb_screen *s, rb_ui *ui, admin_data *d) {
  const rb_admin_port *p = port(s);
  frame f = draw_frame(s, ui, "Restart or off", "Back");
  SDL_Rect body = draw_msg(ui, d, f.body, f.body.w, rb_ui_px(ui, 90));
  if (p->restart)
    rb_screen_button(s, ui, cell(body, 1, 2, f.gap, 0), "Restart the coach",
                     RB_COL_PANEL_HI, 0, RB_ACTION_PRIMARY, "restart");
  if (p->power_off)
    rb_screen_button(s, ui, cell(body, 1, 2, f.gap, 1),
                     d->confirm ? "Power off: touch again" : "Power off",
                     d->confirm ? RB_COL_STOP : RB_COL_PANEL_HI, 0,
                     RB_ACTION_PRIMARY, "off");
}

static bool power_action(rb_screen *s, admin_data *d, const rb_action *a) {
  const rb_admin_port *p = port(s);
  char msg[MSG_MAX] = "";
  if (a->kind != RB_ACTION_PRIMARY)
    return false;
  if (strcmp(a->value, "restart") == 0 && p->restart) {
    if (!p->restart(p->ud, msg, sizeof msg))
      say(d, true, msg);
    return true;
  }
  if (strcmp(a->value, "off") == 0 && p->power_off) {
    if (!d->confirm) {
      d->confirm = true;
      return true;
    }
    d->confirm = false;
    if (!p->power_off(p->ud, msg, sizeof msg))
      say(d, true, msg);
    else
      say(d, false, msg);
    return true;
  }
  return false;
}

/* --- the screen ----------------------------------------------------------- */

static void admin_render(rb_screen *s, rb_ui *ui, rb_ms now) {
  admin_data *d = rb_screen_data(s);
  (void)now;
  export_follow(s, d);
  switch (d->page) {
  case P_GATE:
    render_gate(s, ui, d);
    break;
  case P_MENU:
    render_menu(s, ui, d);
    break;
  case P_PATIENTS:
    render_patients(s, ui, d);
    break;
  case P_PATIENT:
    render_patient(s, ui, d);
    break;
  case P_ADD:
    render_add(s, ui, d);
    break;
  case P_PSET:
    render_pset(s, ui, d);
    break;
  case P_PSET_PIN:
    render_pset_pin(s, ui, d);
    break;
  case P_SOUND:
    render_sound(s, ui, d);
    break;
  case P_TEST:
    render_test(s, ui, d);
    break;
  case P_EXPORT:
    render_export(s, ui, d);
    break;
  case P_PROBLEMS:
  case P_LOG:
    render_lines(s, ui, d);
    break;
  case P_POWER:
    render_power(s, ui, d);
    break;
  }
}

/* Where BACK leads from each page. */
static admin_page parent(admin_page p) {
  switch (p) {
  case P_PATIENT:
  case P_ADD:
    return P_PATIENTS;
  case P_PSET:
    return P_PATIENT;
  default:
    return P_MENU;
  }
}

static bool admin_action(rb_screen *s, const rb_action *a) {
  admin_data *d = rb_screen_data(s);
  if (a->kind == RB_ACTION_BACK_LONG) {
    rb_nav_pop(rb_screen_env(s)->nav); /* the way in is the way out */
    return true;
  }
  switch (d->page) {
  case P_GATE:
    return gate_action(s, d, a);
  case P_MENU:
    return menu_action(s, d, a);
  case P_TEST:
    return test_action(s, d, a);
  case P_PSET_PIN:
    return pset_pin_action(s, d, a);
  default:
    break;
  }
  if ((a->kind == RB_ACTION_UP || a->kind == RB_ACTION_DOWN) &&
      (d->page == P_PATIENTS || d->page == P_PATIENT || d->page == P_PROBLEMS ||
       d->page == P_LOG || d->page == P_PSET)) {
    int to = d->list_page + (a->kind == RB_ACTION_UP ? -1 : 1);
    if (to < 0 || to >= d->list_pages)
      return false;
    d->list_page = to;
    return true;
  }
  if (a->kind == RB_ACTION_BACK && strcmp(a->value, "del") != 0) {
    admin_page to = parent(d->page);
    char keep[NAME_MAX + 1];
    snprintf(keep, sizeof keep, "%s", d->name);
    go(d, to);
    snprintf(d->name, sizeof d->name, "%s", keep);
    return true;
  }
  switch (d->page) {
  case P_PATIENTS:
    return patients_action(s, d, a);
  case P_PATIENT:
    return patient_action(s, d, a);
  case P_ADD:
    return add_action(s, d, a);
  case P_PSET:
    return pset_action(s, d, a);
  case P_SOUND:
    return sound_action(s, d, a);
  case P_EXPORT:
    return export_action(s, d, a);
  case P_POWER:
    return power_action(s, d, a);
  default:
    return false;
  }
}

/* the resting PIN pad counts down its seconds */
static rb_ms admin_next_redraw(rb_screen *s, rb_ms now) {
  admin_data *d = rb_screen_data(s);
  if (d->page == P_EXPORT && exporting(s))
    return now + 250; /* look for the end of the export */
  if (d->page != P_GATE || rest_left(s, d) == 0)
    return RB_MS_NEVER;
  return now + 1000; /* the seconds count down */
}

static const rb_screen_ops admin_ops = {.name = "admin",
                                        .action = admin_action,
                                        .render = admin_render,
                                        .next_redraw = admin_next_redraw};

rb_screen *rb_screen_admin_new(const rb_env *env) {
  return rb_screen_alloc(env, &admin_ops, sizeof(admin_data));
}
