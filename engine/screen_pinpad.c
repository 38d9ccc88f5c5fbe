/* pinpad: the keypad for a PIN, shared by "who is exercising" (a
 * patient's PIN) and the admin screen (the clinic's). */
#include "screen_parts.h"

#include <string.h>

void rb_screen_pinpad(rb_screen *s, rb_ui *ui, const char *head, size_t typed,
                      const char *message) {
  static const char *const keys[12] = {"1", "2", "3", "4", "5", "6",
                                       "7", "8", "9", "",  "0", "del"};
  int W = rb_ui_width(ui), H = rb_ui_height(ui);
  int mg = rb_ui_px(ui, 16), gap = rb_ui_px(ui, 10), hh = rb_ui_px(ui, 70);
  bool portrait = rb_ui_portrait(ui);
  char dots[3 * 16 + 1] = "";
  SDL_Rect top = {mg, mg, W - 2 * mg, hh}, shown, pad, back, ok;
  int bh = rb_ui_px(ui, 88);

  for (size_t i = 0; i < typed && i < 16; i++)
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
  if (message && message[0])
    rb_screen_primary(
        ui, (SDL_Rect){shown.x + gap, shown.y, shown.w - 2 * gap, shown.h},
        RB_FONT_BOLD, 44, RB_COL_WARN, message, RB_ALIGN_CENTER,
        RB_VALIGN_MIDDLE);
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

rb_pinpad_key rb_screen_pinpad_key(char *pin, size_t max, const rb_action *a) {
  size_t len = strlen(pin);
  switch (a->kind) {
  case RB_ACTION_DIGIT:
    if (a->value[0] >= '0' && a->value[0] <= '9' && !a->value[1] && len < max) {
      pin[len] = a->value[0];
      pin[len + 1] = '\0';
    }
    return RB_PINPAD_TYPED;
  case RB_ACTION_BACK:
    if (strcmp(a->value, "del") == 0 && len > 0) {
      pin[len - 1] = '\0';
      return RB_PINPAD_TYPED;
    }
    return RB_PINPAD_BACK;
  case RB_ACTION_NEXT:
  case RB_ACTION_PRIMARY:
    return RB_PINPAD_DONE;
  default:
    return RB_PINPAD_NONE;
  }
}
