/* screen_parts: pieces the screens share (private to screen*.c). */
#ifndef RB_SCREEN_PARTS_H
#define RB_SCREEN_PARTS_H

#include "phrases.h"
#include "screen.h"

#include <stdio.h>

/* Draws a button and registers it as a touch target (not when disabled).
 * The label colour follows the fill. */
void rb_screen_button(rb_screen *s, rb_ui *ui, SDL_Rect r, const char *label,
                      SDL_Color fill, int flags, rb_action_kind kind,
                      const char *value);

/* A word of the screens (phrases.h) in the language on show: the running
 * routine's, else the kiosk's (env->lang). */
const char *rb_screen_word(const rb_screen *s, rb_phrase p);
/* The same for a phrase that is a format; returns out. */
const char *rb_screen_words(const rb_screen *s, rb_phrase p, char *out,
                            size_t outlen, ...);

/* --- patient text (sizes in base pixels, ui.h) ---
 * A patient reads from 2-3 m: what they must read during a step is at
 * least RB_TEXT_PRIMARY, nothing they need is below RB_TEXT_MIN, and no
 * text is cut short: what does not fit is laid out again, paged, or (when
 * it is only said) left off. */

/* Primary words (the exercise, what to do now, an answer): the largest
 * size from max down to RB_TEXT_PRIMARY at which the text fits r whole.
 * Text too long for that (a routine's wordy instruction) is drawn as
 * large as it fits down to RB_TEXT_MIN instead. Returns the size used. */
int rb_screen_primary(rb_ui *ui, SDL_Rect r, rb_font f, float max, SDL_Color c,
                      const char *text, rb_align align, rb_valign valign);
/* Secondary text at one size (at least RB_TEXT_MIN), wrapped, drawn only
 * when it fits r whole; false (nothing drawn) when it does not. */
bool rb_screen_text_if_fits(rb_ui *ui, SDL_Rect r, rb_font f, float px,
                            SDL_Color c, const char *text, rb_align align,
                            rb_valign valign);
/* The height text takes at px (base), wrapped to w. */
int rb_screen_text_height(rb_ui *ui, rb_font f, float px, const char *text,
                          int w);

/* A PIN pad over the whole screen: head on top, a dot for each of the
 * typed digits (or message, in the warning colour), the keys 0-9
 * (DIGIT), delete (BACK "del"), Back (BACK "") and OK (NEXT). */
void rb_screen_pinpad(rb_screen *s, rb_ui *ui, const char *head, size_t typed,
                      const char *message);
typedef enum {
  RB_PINPAD_NONE,  /* not the pad's */
  RB_PINPAD_TYPED, /* pin changed (a digit, a delete) */
  RB_PINPAD_BACK,  /* leave the pad */
  RB_PINPAD_DONE   /* try pin */
} rb_pinpad_key;
/* Applies a to pin (at most max digits). */
rb_pinpad_key rb_screen_pinpad_key(char *pin, size_t max, const rb_action *a);

/* "Stop - it hurts": in the same place on every screen of a running
 * routine (bottom right in landscape, across the foot in portrait), so a
 * patient in pain finds it without reading. */
SDL_Rect rb_screen_stop_rect(rb_ui *ui);
void rb_screen_stop_button(rb_screen *s, rb_ui *ui, SDL_Rect r);

/* "About 12 minutes", "Under 1 minute", "" when unknown. */
void rb_screen_format_minutes(const rb_screen *s, double minutes, char *out,
                              size_t outlen);
/* "a, b, c" */
void rb_screen_join(const char list[][RB_SHORT_MAX], int n, char *out,
                    size_t outlen);

/* --- the question views of the run screen (screen_question.c) --- */

/* Local state of the question on screen: the keyboard highlight and the
 * number being typed. It belongs to one question and resets when the
 * view shows another one. */
typedef struct {
  bool valid;
  char key[RB_TEXT_MAX + 64]; /* which question this state is for */
  /* ASK and SCALE start with nothing highlighted, so a blind press of
   * OK answers nothing; the first UP/DOWN highlights the first cell. */
  bool highlighted;
  int selected;      /* ASK: choice; SCALE: value (when highlighted) */
  bool empty;        /* MEASURE: nothing entered yet (it starts empty) */
  double value;      /* MEASURE: value shown when not typing */
  char entry[24];    /* MEASURE: digits typed */
  bool typing;       /* the entry replaces the value */
  bool out_of_range; /* the last confirm was refused */
  /* A touched answer (ASK, SCALE) is saved RB_ANSWER_GRACE_MS later, so a
   * slip of the finger can be put right: touching another answer moves
   * it, touching it again (or PRIMARY) saves it at once. */
  bool pending;
  char pending_value[RB_ACTION_VALUE_MAX];
  rb_ms pending_at;    /* raw time it is saved */
  rb_ms pending_since; /* when it was touched (a bounce is no 2nd touch) */
} rb_question_state;

#define RB_ANSWER_GRACE_MS 2500
/* A second touch sooner than this is the same touch (a shaking finger,
 * a screen that bounces), not "save it now". */
#define RB_ANSWER_BOUNCE_MS 400

/* Resets q when v is another question than the one q was for. */
void rb_question_sync(rb_question_state *q, const rb_view *v);
void rb_question_render(rb_screen *s, rb_ui *ui, const rb_view *v,
                        rb_question_state *q, rb_ms now);
/* Handles keys locally. Returns true when a was used; *send is then
 * RB_ACTION_NONE or the ANSWER to pass to the session. */
bool rb_question_action(rb_question_state *q, const rb_view *v,
                        const rb_action *a, rb_ms now, rb_action *send);
/* A touched answer whose moment to change it is over at raw time now:
 * true with the ANSWER in *send. */
bool rb_question_due(rb_question_state *q, rb_ms now, rb_action *send);
/* When the touched answer is saved; RB_MS_NEVER when there is none. */
rb_ms rb_question_deadline(const rb_question_state *q);

/* --- the result of an assessment (screen_result.c) --- */

/* What goes where on the pages of a result: its rows, its lines of flags
 * and pieces of its summary (whole sentences, a page each), poured into
 * pages in that order. Laid out once per result and screen size. */
#define RB_RESULT_PAGES_MAX 64
#define RB_RESULT_BLOCKS_MAX                                                   \
  (RB_RESULT_ROWS_MAX + RB_RESULT_FLAGS_MAX + RB_RESULT_PAGES_MAX)
typedef struct {
  int kind;       /* a row, a line of flags or a piece of the summary */
  int from, to;   /* rows: the row; flags: [from, to); summary: bytes */
  int page, y, h; /* y from the top of the page's body */
} rb_result_block;

/* Which page of a result is on show: More (DOWN) goes on, Back (UP)
 * goes back. */
typedef struct {
  bool valid;
  Uint32 key; /* which result this state is for */
  int w, h;   /* the screen size it was laid out for */
  int page;   /* on show */
  int npages; /* 1 when everything fits */
  int level;  /* the row sizes used */
  int nblocks;
  rb_result_block blocks[RB_RESULT_BLOCKS_MAX];
} rb_result_state;

/* Resets r when v is another result than the one r was for. */
void rb_result_sync(rb_result_state *r, const rb_view *v);
/* Draws RB_VIEW_RESULT: the title, the result rows (LEFT/RIGHT bars for
 * numbers per side), the flags, the summary and an OK button (NEXT). */
void rb_result_render(rb_screen *s, rb_ui *ui, const rb_view *v,
                      rb_result_state *r);
/* Handles paging (DOWN, UP, BACK) locally; returns true when a was used.
 * Everything else (NEXT, PRIMARY) goes to the session. */
bool rb_result_action(rb_result_state *r, const rb_view *v, const rb_action *a);
#endif
