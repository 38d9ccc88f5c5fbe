/* action: the few things a patient can ask for, whatever the device.
 *
 * Keys, mouse, touch, GPIO and scripted input all become rb_action values.
 * Screens turn taps into actions by hit-testing their buttons; nothing
 * past this layer sees a raw device event. */
#ifndef RB_ACTION_H
#define RB_ACTION_H

#include <SDL.h>
#include <stdbool.h>

typedef enum {
  RB_ACTION_NONE = 0,
  RB_ACTION_PRIMARY, /* start / pause / resume / confirm */
  RB_ACTION_NEXT,
  RB_ACTION_BACK,
  RB_ACTION_STOP, /* "stop, it hurts" */
  RB_ACTION_UP,
  RB_ACTION_DOWN,
  RB_ACTION_DIGIT,      /* value: "0".."9" or "." (keyboard) */
  RB_ACTION_ANSWER,     /* value: the answer to the question on screen */
  RB_ACTION_TAP,        /* x, y: window coordinates */
  RB_ACTION_SCREENSHOT, /* value: file name without .png (scripted only) */
  RB_ACTION_QUIT,       /* window closed, SIGTERM */
  RB_ACTION_BACK_LONG,  /* BACK held (a GPIO button): the admin screen */
  RB_ACTION_STOP_LONG,  /* STOP held: after the STOP it already gave */
  RB_ACTION_RELEASE     /* x, y: the finger or mouse lifted (a held
                           press in the top-left corner opens the admin
                           screen) */
} rb_action_kind;

#define RB_ACTION_VALUE_MAX 256

typedef struct {
  rb_action_kind kind;
  int x, y;
  char value[RB_ACTION_VALUE_MAX];
  bool button; /* from a GPIO button (four buttons answer questions too) */
  bool touch;  /* a tap on the screen's button for it */
} rb_action;

/* "PRIMARY", "NEXT", ... as used in --input files and logs. */
const char *rb_action_name(rb_action_kind kind);
/* Case-insensitive; returns RB_ACTION_NONE for an unknown name. */
rb_action_kind rb_action_parse_name(const char *name);

/* Maps one SDL event to an action. Mouse events synthesized from touch and
 * touch events synthesized from the mouse are ignored, so one tap is one
 * action. Finger coordinates are scaled by win_w x win_h. Returns false
 * when the event is not an action. */
bool rb_action_from_sdl(const SDL_Event *ev, int win_w, int win_h,
                        rb_action *out);

#endif
