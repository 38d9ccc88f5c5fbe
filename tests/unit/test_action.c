/* action: keyboard, mouse and touch mapping, names. */
#include "action.h"
#include "tap.h"

static rb_action key(SDL_Keycode k, int repeat, bool *got) {
  SDL_Event ev = {0};
  rb_action a;
  ev.type = SDL_KEYDOWN;
  ev.key.keysym.sym = k;
  ev.key.repeat = (Uint8)repeat;
  *got = rb_action_from_sdl(&ev, 800, 480, &a);
  return a;
}

int main(void) {
  bool got;
  rb_action a;
  SDL_Event ev = {0};

  struct {
    SDL_Keycode k;
    rb_action_kind want;
    const char *name;
  } keys[] = {
      {SDLK_SPACE, RB_ACTION_PRIMARY, "Space is PRIMARY"},
      {SDLK_RETURN, RB_ACTION_NEXT, "Enter is NEXT"},
      {SDLK_RIGHT, RB_ACTION_NEXT, "Right is NEXT"},
      {SDLK_BACKSPACE, RB_ACTION_BACK, "Backspace is BACK"},
      {SDLK_LEFT, RB_ACTION_BACK, "Left is BACK"},
      {SDLK_ESCAPE, RB_ACTION_STOP, "Escape is STOP"},
      {SDLK_UP, RB_ACTION_UP, "Up is UP"},
      {SDLK_DOWN, RB_ACTION_DOWN, "Down is DOWN"},
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    a = key(keys[i].k, 0, &got);
    ok(got && a.kind == keys[i].want, "%s", keys[i].name);
  }
  a = key(SDLK_7, 0, &got);
  ok(got && a.kind == RB_ACTION_DIGIT && a.value[0] == '7', "7 is DIGIT 7");
  a = key(SDLK_KP_0, 0, &got);
  ok(got && a.kind == RB_ACTION_DIGIT && a.value[0] == '0',
     "keypad 0 is DIGIT 0");
  a = key(SDLK_KP_3, 0, &got);
  ok(got && a.value[0] == '3', "keypad 3 is DIGIT 3");
  key(SDLK_SPACE, 1, &got);
  ok(!got, "a key held down does not repeat the action");
  key(SDLK_a, 0, &got);
  ok(!got, "other keys are not actions");

  ev.type = SDL_MOUSEBUTTONDOWN;
  ev.button.button = SDL_BUTTON_LEFT;
  ev.button.which = 0;
  ev.button.x = 123;
  ev.button.y = 45;
  got = rb_action_from_sdl(&ev, 800, 480, &a);
  ok(got && a.kind == RB_ACTION_TAP && a.x == 123 && a.y == 45,
     "a mouse click is a TAP at its position");
  ev.button.which = SDL_TOUCH_MOUSEID;
  ok(!rb_action_from_sdl(&ev, 800, 480, &a),
     "a click synthesized from touch is ignored (no double tap)");
  ev.button.which = 0;
  ev.button.button = SDL_BUTTON_RIGHT;
  ok(!rb_action_from_sdl(&ev, 800, 480, &a), "right button ignored");

  ev = (SDL_Event){0};
  ev.type = SDL_FINGERDOWN;
  ev.tfinger.touchId = 1;
  ev.tfinger.x = 0.5f;
  ev.tfinger.y = 0.25f;
  got = rb_action_from_sdl(&ev, 800, 480, &a);
  ok(got && a.kind == RB_ACTION_TAP && a.x == 400 && a.y == 120,
     "a finger is a TAP scaled to the window (%d,%d)", a.x, a.y);
  ev.tfinger.touchId = SDL_MOUSE_TOUCHID;
  ok(!rb_action_from_sdl(&ev, 800, 480, &a),
     "a touch synthesized from the mouse is ignored");
  ev.type = SDL_FINGERUP;
  ev.tfinger.touchId = 1;
  got = rb_action_from_sdl(&ev, 800, 480, &a);
  ok(got && a.kind == RB_ACTION_RELEASE && a.x == 400 && a.y == 120,
     "finger up is not a second tap but a RELEASE (a press held in the "
     "corner opens the admin screen)");
  ev.tfinger.touchId = SDL_MOUSE_TOUCHID;
  ok(!rb_action_from_sdl(&ev, 800, 480, &a),
     "a lift synthesized from the mouse is ignored");
  ev.type = SDL_MOUSEMOTION;
  ok(!rb_action_from_sdl(&ev, 800, 480, &a), "motion is not an action");
  ev.type = SDL_QUIT;
  ok(rb_action_from_sdl(&ev, 800, 480, &a) && a.kind == RB_ACTION_QUIT,
     "closing the window is QUIT");

  is_int(rb_action_parse_name("next"), RB_ACTION_NEXT, "names parse any case");
  is_int(rb_action_parse_name("SCREENSHOT"), RB_ACTION_SCREENSHOT,
         "SCREENSHOT parses");
  is_int(rb_action_parse_name("JUMP"), RB_ACTION_NONE, "unknown name is NONE");
  is_str(rb_action_name(RB_ACTION_STOP), "STOP", "name of STOP");
  is_str(rb_action_name((rb_action_kind)999), "NONE", "out of range is NONE");
  return tap_done();
}
