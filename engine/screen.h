/* screen: a stack of screens, each with input, update and render, in the
 * manner of EmulationStation's GUI stack. Only the top screen gets
 * actions and is drawn.
 *
 * A screen registers its touch targets (buttons) while it renders; a tap
 * becomes the action of the button under it, so screens handle actions,
 * never raw positions. */
#ifndef RB_SCREEN_H
#define RB_SCREEN_H

#include "action.h"
#include "app.h"
#include "clock.h"
#include "ui.h"

typedef struct rb_screen rb_screen;

typedef struct {
  const char *name; /* "home", "intro", "run", "summary", "error" */
  /* Returns true if the action was used (the screen will be redrawn). */
  bool (*action)(rb_screen *s, const rb_action *a);
  /* Draws the whole screen for raw time now, registering buttons. */
  void (*render)(rb_screen *s, rb_ui *ui, rb_ms now);
  /* Raw time at which the screen wants its next redraw without any
   * action (a countdown ticking), RB_MS_NEVER when it is static. */
  rb_ms (*next_redraw)(rb_screen *s, rb_ms now);
  void (*destroy)(rb_screen *s);
} rb_screen_ops;

/* Constructors. */
rb_screen *rb_screen_home_new(rb_app *app);
rb_screen *rb_screen_intro_new(rb_app *app, const rb_meta *meta,
                               double minutes);
rb_screen *rb_screen_run_new(rb_app *app);     /* draws the session view */
rb_screen *rb_screen_summary_new(rb_app *app); /* the ended session */
rb_screen *rb_screen_error_new(rb_app *app, const char *message);

/* Generic part, for the stack and the screens themselves. */
rb_screen *rb_screen_alloc(rb_app *app, const rb_screen_ops *ops,
                           size_t data_size);
void *rb_screen_data(rb_screen *s);
rb_app *rb_screen_app(rb_screen *s);
const char *rb_screen_name(const rb_screen *s);
void rb_screen_free(rb_screen *s);

/* Buttons: cleared at the start of each render, added while drawing. */
void rb_screen_clear_buttons(rb_screen *s);
void rb_screen_add_button(rb_screen *s, SDL_Rect r, rb_action_kind kind,
                          const char *value);
/* True when the screen, as last drawn, has a button for this action (a
 * GPIO button's LED lights for it). */
bool rb_screen_offers(const rb_screen *s, rb_action_kind kind);
/* Turns a TAP into the action of the button under it. */
bool rb_screen_hit(const rb_screen *s, int x, int y, rb_action *out);

typedef struct rb_screen_stack rb_screen_stack;
rb_screen_stack *rb_screen_stack_new(void);
void rb_screen_stack_free(rb_screen_stack *st);
void rb_screen_push(rb_screen_stack *st, rb_screen *s);
void rb_screen_pop(rb_screen_stack *st);               /* frees the top */
void rb_screen_pop_to(rb_screen_stack *st, int depth); /* keep `depth` */
int rb_screen_depth(const rb_screen_stack *st);
rb_screen *rb_screen_top(const rb_screen_stack *st);
/* Sends an action to the top screen; a TAP is hit-tested first. */
bool rb_screen_stack_action(rb_screen_stack *st, const rb_action *a);
void rb_screen_stack_render(rb_screen_stack *st, rb_ui *ui, rb_ms now);
rb_ms rb_screen_stack_next_redraw(rb_screen_stack *st, rb_ms now);

#endif
