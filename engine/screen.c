#include "screen.h"

#include "screen_parts.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define BUTTONS_MAX 64
#define NAV_MAX 8 /* changes asked for during one action */

typedef struct {
  SDL_Rect r;
  rb_action_kind kind;
  char value[RB_ACTION_VALUE_MAX];
} button;

struct rb_screen {
  const rb_env *env;
  const rb_screen_ops *ops;
  button buttons[BUTTONS_MAX];
  int nbuttons;
  unsigned blink; /* bit per rb_action_kind */
  void *data;
};

rb_screen *rb_screen_alloc(const rb_env *env, const rb_screen_ops *ops,
                           size_t data_size) {
  rb_screen *s = calloc(1, sizeof *s);
  if (!s)
    goto fail;
  s->env = env;
  s->ops = ops;
  if (data_size) {
    s->data = calloc(1, data_size);
    if (!s->data)
      goto fail;
  }
  return s;
fail:
  free(s);
  return NULL;
}

void *rb_screen_data(rb_screen *s) { return s->data; }
const rb_env *rb_screen_env(const rb_screen *s) { return s->env; }
const char *rb_screen_name(const rb_screen *s) {
  return s && s->ops && s->ops->name ? s->ops->name : "";
}

void rb_screen_free(rb_screen *s) {
  if (!s)
    return;
  if (s->ops && s->ops->destroy)
    s->ops->destroy(s);
  free(s->data);
  free(s);
}

/* The language on show: the running routine's, else the kiosk's. */
static const char *language(const rb_screen *s) {
  const rb_env *env = s ? s->env : NULL;
  const rb_view *v =
      env && env->session.view ? env->session.view(env->session.ud) : NULL;
  if (v && v->meta && v->meta->language[0])
    return v->meta->language;
  return env ? env->lang : NULL;
}

const char *rb_screen_word(const rb_screen *s, rb_phrase p) {
  return rb_phrase_text(language(s), p);
}

const char *rb_screen_words(const rb_screen *s, rb_phrase p, char *out,
                            size_t outlen, ...) {
  va_list ap;
  const char *fmt = rb_phrase_text(language(s), p);
  if (outlen == 0)
    return out;
  va_start(ap, outlen);
  /* the formats are the phrase table's, checked by test_phrases */
  vsnprintf(out, outlen, fmt, ap);
  va_end(ap);
  return out;
}

int rb_screen_text_height(rb_ui *ui, rb_font f, float px, const char *text,
                          int w) {
  int h = 0, p = rb_ui_px(ui, px);
  if (!text || !*text || w <= 0)
    return 0;
  rb_ui_text_box_measure(ui, f, p, p, text, w, 1 << 20, NULL, &h);
  return h;
}

/* The largest size from max down to min at which text fits r whole; 0
 * when it does not fit even at min. */
static int fitting_px(rb_ui *ui, SDL_Rect r, rb_font f, int max, int min,
                      const char *text) {
  for (int px = max; px >= min; px -= px > 40 ? 2 : 1)
    /* whole: every line in the box, no word broken in two */
    if (rb_ui_text_box_fits(ui, f, px, px, text, r.w, r.h))
      return px;
  return 0;
}

int rb_screen_primary(rb_ui *ui, SDL_Rect r, rb_font f, float max, SDL_Color c,
                      const char *text, rb_align align, rb_valign valign) {
  int hi = rb_ui_px(ui, max), lo = rb_ui_px(ui, RB_TEXT_PRIMARY);
  int px;
  if (!text || !*text || r.w <= 0 || r.h <= 0)
    return 0;
  px = hi >= lo ? fitting_px(ui, r, f, hi, lo, text) : 0;
  if (px > 0) {
    rb_ui_primary(ui, true);
    rb_ui_text_box(ui, f, px, px, c, text, r, align, valign);
    rb_ui_primary(ui, false);
    return px;
  }
  /* too many words for the big size: as large as it fits */
  px = fitting_px(ui, r, f, hi < lo ? hi : lo, rb_ui_px(ui, RB_TEXT_MIN), text);
  if (px == 0)
    px = rb_ui_px(ui, RB_TEXT_MIN);
  rb_ui_text_box(ui, f, px, px, c, text, r, align, valign);
  return px;
}

bool rb_screen_text_if_fits(rb_ui *ui, SDL_Rect r, rb_font f, float px,
                            SDL_Color c, const char *text, rb_align align,
                            rb_valign valign) {
  int p = rb_ui_px(ui, px < RB_TEXT_MIN ? RB_TEXT_MIN : px);
  if (!text || !*text || r.w <= 0 || r.h <= 0 ||
      fitting_px(ui, r, f, p, p, text) == 0)
    return false;
  rb_ui_text_box(ui, f, p, p, c, text, r, align, valign);
  return true;
}

SDL_Rect rb_screen_stop_rect(rb_ui *ui) {
  int W = rb_ui_width(ui), H = rb_ui_height(ui), mg = rb_ui_px(ui, 16);
  if (rb_ui_portrait(ui))
    return (SDL_Rect){mg, H - mg - rb_ui_px(ui, 96), W - 2 * mg,
                      rb_ui_px(ui, 96)};
  return (SDL_Rect){W - mg - rb_ui_px(ui, 320), H - mg - rb_ui_px(ui, 90),
                    rb_ui_px(ui, 320), rb_ui_px(ui, 90)};
}

void rb_screen_stop_button(rb_screen *s, rb_ui *ui, SDL_Rect r) {
  rb_ui_button(ui, r, rb_screen_word(s, RB_PHRASE_STOP_BUTTON), RB_COL_STOP,
               rb_ui_text_on(RB_COL_STOP), 0);
  rb_screen_add_button(s, r, RB_ACTION_STOP, "");
}

void rb_screen_clear_buttons(rb_screen *s) {
  s->nbuttons = 0;
  s->blink = 0;
}

void rb_screen_add_button(rb_screen *s, SDL_Rect r, rb_action_kind kind,
                          const char *value) {
  button *b;
  if (s->nbuttons >= BUTTONS_MAX)
    return;
  b = &s->buttons[s->nbuttons++];
  b->r = r;
  b->kind = kind;
  snprintf(b->value, sizeof b->value, "%s", value ? value : "");
}

bool rb_screen_hit(const rb_screen *s, int x, int y, rb_action *out) {
  SDL_Point p = {x, y};
  /* Last drawn is on top. */
  for (int i = s->nbuttons - 1; i >= 0; i--) {
    const button *b = &s->buttons[i];
    if (SDL_PointInRect(&p, &b->r)) {
      memset(out, 0, sizeof *out);
      out->kind = b->kind;
      out->x = x;
      out->y = y;
      snprintf(out->value, sizeof out->value, "%s", b->value);
      return true;
    }
  }
  return false;
}

void rb_screen_offer(rb_screen *s, rb_action_kind kind, bool blink) {
  /* a button no tap can hit */
  rb_screen_add_button(s, (SDL_Rect){0, 0, 0, 0}, kind, "");
  if (blink && (unsigned)kind < 8 * sizeof s->blink)
    s->blink |= 1u << kind;
}

bool rb_screen_offers(const rb_screen *s, rb_action_kind kind) {
  for (int i = 0; s && i < s->nbuttons; i++)
    if (s->buttons[i].kind == kind)
      return true;
  return false;
}

bool rb_screen_blinks(const rb_screen *s, rb_action_kind kind) {
  return s && (unsigned)kind < 8 * sizeof s->blink && (s->blink & (1u << kind));
}

void rb_screen_button(rb_screen *s, rb_ui *ui, SDL_Rect r, const char *label,
                      SDL_Color fill, int flags, rb_action_kind kind,
                      const char *value) {
  rb_ui_button(ui, r, label, fill, rb_ui_text_on(fill), flags);
  if (!(flags & RB_BTN_DISABLED))
    rb_screen_add_button(s, r, kind, value);
}

/* --- the stack and its navigation --- */

typedef enum { NAV_PUSH, NAV_REPLACE, NAV_POP, NAV_HOME } nav_kind;

struct rb_nav {
  struct {
    nav_kind kind;
    rb_screen *screen; /* push, replace */
  } todo[NAV_MAX];
  int n;
};

struct rb_screen_stack {
  rb_screen **items;
  int n, cap;
  rb_nav nav;
  rb_screen *drawn; /* the top as last rendered whole; NULL after a move */
};

rb_screen_stack *rb_screen_stack_new(void) {
  return calloc(1, sizeof(rb_screen_stack));
}

static void nav_forget(rb_nav *n) {
  for (int i = 0; i < n->n; i++)
    rb_screen_free(n->todo[i].screen);
  n->n = 0;
}

void rb_screen_stack_free(rb_screen_stack *st) {
  if (!st)
    return;
  nav_forget(&st->nav);
  rb_screen_pop_to(st, 0);
  free(st->items);
  free(st);
}

rb_nav *rb_screen_stack_nav(rb_screen_stack *st) { return &st->nav; }

static void nav_add(rb_nav *n, nav_kind kind, rb_screen *s) {
  if (n->n == NAV_MAX) {
    rb_screen_free(s); /* a screen gone mad: drop, never leak */
    return;
  }
  n->todo[n->n].kind = kind;
  n->todo[n->n].screen = s;
  n->n++;
}

void rb_nav_push(rb_nav *n, rb_screen *s) {
  if (s)
    nav_add(n, NAV_PUSH, s);
}

void rb_nav_replace(rb_nav *n, rb_screen *s) {
  if (s)
    nav_add(n, NAV_REPLACE, s);
}

void rb_nav_pop(rb_nav *n) { nav_add(n, NAV_POP, NULL); }

void rb_nav_home(rb_nav *n) { nav_add(n, NAV_HOME, NULL); }

/* Makes the changes asked for, in order; true when there were any. */
static bool nav_apply(rb_screen_stack *st) {
  rb_nav *n = &st->nav;
  bool changed = n->n > 0;
  for (int i = 0; i < n->n; i++) {
    rb_screen *s = n->todo[i].screen;
    n->todo[i].screen = NULL;
    switch (n->todo[i].kind) {
    case NAV_REPLACE:
      rb_screen_pop(st);
      rb_screen_push(st, s);
      break;
    case NAV_PUSH:
      rb_screen_push(st, s);
      break;
    case NAV_POP:
      if (st->n > 1) /* the root stays */
        rb_screen_pop(st);
      break;
    case NAV_HOME:
      rb_screen_pop_to(st, 1);
      break;
    }
  }
  n->n = 0;
  return changed;
}

void rb_screen_push(rb_screen_stack *st, rb_screen *s) {
  if (!s)
    return;
  if (st->n == st->cap) {
    int cap = st->cap ? st->cap * 2 : 8;
    rb_screen **items = realloc(st->items, (size_t)cap * sizeof *items);
    if (!items) {
      /* Cannot show it: drop it rather than leak it. */
      rb_screen_free(s);
      return;
    }
    st->items = items;
    st->cap = cap;
  }
  st->items[st->n++] = s;
  st->drawn = NULL;
}

void rb_screen_pop(rb_screen_stack *st) {
  if (st->n > 0)
    rb_screen_free(st->items[--st->n]);
  st->drawn = NULL;
}

void rb_screen_pop_to(rb_screen_stack *st, int depth) {
  if (depth < 0)
    depth = 0;
  while (st->n > depth)
    rb_screen_pop(st);
}

int rb_screen_depth(const rb_screen_stack *st) { return st->n; }

rb_screen *rb_screen_top(const rb_screen_stack *st) {
  return st->n ? st->items[st->n - 1] : NULL;
}

bool rb_screen_stack_action(rb_screen_stack *st, const rb_action *a) {
  rb_screen *top = rb_screen_top(st);
  rb_action hit;
  bool used;
  if (!top || !top->ops->action)
    return false;
  if (a->kind == RB_ACTION_TAP) {
    if (!rb_screen_hit(top, a->x, a->y, &hit))
      return false;
    hit.touch = true;
    a = &hit;
  }
  used = top->ops->action(top, a);
  if (nav_apply(st)) {
    rb_screen_stack_update(st); /* the new top may have a step to take */
    used = true;
  }
  return used;
}

bool rb_screen_stack_update(rb_screen_stack *st) {
  bool changed = false;
  /* a screen may hand over to one that hands over at once (home starts
   * a routine, the run screen finds it ended): a few rounds at most */
  for (int round = 0; round < NAV_MAX; round++) {
    rb_screen *top = rb_screen_top(st);
    if (top && top->ops->update)
      top->ops->update(top);
    if (!nav_apply(st))
      break;
    changed = true;
  }
  return changed;
}

void rb_screen_stack_render(rb_screen_stack *st, rb_ui *ui, rb_ms now) {
  rb_screen *top = rb_screen_top(st);
  if (!top)
    return;
  rb_screen_clear_buttons(top);
  if (top->ops->render)
    top->ops->render(top, ui, now);
  st->drawn = top;
}

bool rb_screen_stack_render_part(rb_screen_stack *st, rb_ui *ui, rb_ms now,
                                 SDL_Rect *drawn) {
  rb_screen *top = rb_screen_top(st);
  if (!top || top != st->drawn || !top->ops->render_part)
    return false;
  return top->ops->render_part(top, ui, now, drawn);
}

rb_ms rb_screen_stack_due(rb_screen_stack *st) {
  rb_screen *top = rb_screen_top(st);
  if (!top || !top->ops->due)
    return RB_MS_NEVER;
  return top->ops->due(top);
}

rb_ms rb_screen_stack_next_redraw(rb_screen_stack *st, rb_ms now) {
  rb_screen *top = rb_screen_top(st);
  if (!top || !top->ops->next_redraw)
    return RB_MS_NEVER;
  return top->ops->next_redraw(top, now);
}
