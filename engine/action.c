#include "action.h"

#include <strings.h>

static const char *const names[] = {
    [RB_ACTION_NONE] = "NONE",
    [RB_ACTION_PRIMARY] = "PRIMARY",
    [RB_ACTION_NEXT] = "NEXT",
    [RB_ACTION_BACK] = "BACK",
    [RB_ACTION_STOP] = "STOP",
    [RB_ACTION_UP] = "UP",
    [RB_ACTION_DOWN] = "DOWN",
    [RB_ACTION_DIGIT] = "DIGIT",
    [RB_ACTION_ANSWER] = "ANSWER",
    [RB_ACTION_TAP] = "TAP",
    [RB_ACTION_SCREENSHOT] = "SCREENSHOT",
    [RB_ACTION_QUIT] = "QUIT",
    [RB_ACTION_BACK_LONG] = "BACK_LONG",
    [RB_ACTION_STOP_LONG] = "STOP_LONG",
    [RB_ACTION_RELEASE] = "RELEASE",
};

const char *rb_action_name(rb_action_kind kind) {
  if ((int)kind < 0 || (size_t)kind >= sizeof names / sizeof names[0])
    return "NONE";
  return names[kind];
}

rb_action_kind rb_action_parse_name(const char *name) {
  for (size_t i = 1; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp(name, names[i]) == 0)
      return (rb_action_kind)i;
  return RB_ACTION_NONE;
}

static bool from_key(SDL_Keycode key, rb_action *out) {
  switch (key) {
  case SDLK_SPACE:
    out->kind = RB_ACTION_PRIMARY;
    return true;
  case SDLK_RETURN:
  case SDLK_KP_ENTER:
  case SDLK_RIGHT:
    out->kind = RB_ACTION_NEXT;
    return true;
  case SDLK_BACKSPACE:
  case SDLK_LEFT:
    out->kind = RB_ACTION_BACK;
    return true;
  case SDLK_ESCAPE:
    out->kind = RB_ACTION_STOP;
    return true;
  case SDLK_UP:
    out->kind = RB_ACTION_UP;
    return true;
  case SDLK_DOWN:
    out->kind = RB_ACTION_DOWN;
    return true;
  case SDLK_PERIOD:
  case SDLK_KP_PERIOD:
    out->kind = RB_ACTION_DIGIT;
    out->value[0] = '.';
    return true;
  default:
    break;
  }
  if (key >= SDLK_0 && key <= SDLK_9) {
    out->kind = RB_ACTION_DIGIT;
    out->value[0] = (char)('0' + (key - SDLK_0));
    return true;
  }
  if (key >= SDLK_KP_1 && key <= SDLK_KP_0) {
    /* SDL orders the keypad 1..9 then 0 */
    out->kind = RB_ACTION_DIGIT;
    out->value[0] = key == SDLK_KP_0 ? '0' : (char)('1' + (key - SDLK_KP_1));
    return true;
  }
  return false;
}

bool rb_action_from_sdl(const SDL_Event *ev, int win_w, int win_h,
                        rb_action *out) {
  *out = (rb_action){0};
  switch (ev->type) {
  case SDL_KEYDOWN:
    /* a held key repeats; one press is one action */
    if (ev->key.repeat)
      return false;
    return from_key(ev->key.keysym.sym, out);
  case SDL_MOUSEBUTTONDOWN:
    /* taps also arrive as synthesized mouse clicks: use the finger event */
    if (ev->button.which == SDL_TOUCH_MOUSEID ||
        ev->button.button != SDL_BUTTON_LEFT)
      return false;
    out->kind = RB_ACTION_TAP;
    out->x = ev->button.x;
    out->y = ev->button.y;
    return true;
  case SDL_FINGERDOWN:
    /* and the mouse may be turned into fingers: use the mouse event */
    if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID)
      return false;
    out->kind = RB_ACTION_TAP;
    out->x = (int)(ev->tfinger.x * (float)win_w);
    out->y = (int)(ev->tfinger.y * (float)win_h);
    return true;
  case SDL_MOUSEBUTTONUP:
    if (ev->button.which == SDL_TOUCH_MOUSEID ||
        ev->button.button != SDL_BUTTON_LEFT)
      return false;
    out->kind = RB_ACTION_RELEASE;
    out->x = ev->button.x;
    out->y = ev->button.y;
    return true;
  case SDL_FINGERUP:
    if (ev->tfinger.touchId == SDL_MOUSE_TOUCHID)
      return false;
    out->kind = RB_ACTION_RELEASE;
    out->x = (int)(ev->tfinger.x * (float)win_w);
    out->y = (int)(ev->tfinger.y * (float)win_h);
    return true;
  case SDL_QUIT:
    out->kind = RB_ACTION_QUIT;
    return true;
  default:
    return false;
  }
}
