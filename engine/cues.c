#include "cues.h"

#include <stdio.h>
#include <string.h>

void rb_cues_clear(rb_cues *c) { c->n = c->next = 0; }

void rb_cues_add(rb_cues *c, rb_ms due, rb_cue_kind kind, rb_phrase p) {
  int i;
  if (c->n == RB_CUES_MAX)
    return;
  for (i = c->n; i > c->next && c->items[i - 1].due > due; i--)
    c->items[i] = c->items[i - 1];
  c->items[i] = (rb_cue){.due = due, .kind = kind, .phrase = p};
  c->n++;
}

void rb_cues_beeps(rb_cues *c, rb_ms start, rb_ms end) {
  if (end - start < RB_CUES_BEEPS_MIN_MS)
    return;
  for (int k = 3; k >= 1; k--)
    rb_cues_add(c, end - k * 1000, RB_CUE_BEEP, RB_PHRASE_COUNT);
}

void rb_cues_hold(rb_cues *c, rb_ms start, rb_ms end) {
  if (end - start >= RB_CUES_HALFWAY_MIN_MS)
    rb_cues_add(c, start + (end - start) / 2, RB_CUE_SPEECH, RB_PHRASE_HALFWAY);
  rb_cues_beeps(c, start, end);
  rb_cues_add(c, end, RB_CUE_CHIME, RB_PHRASE_COUNT);
}

rb_ms rb_cues_due(const rb_cues *c) {
  return c->next < c->n ? c->items[c->next].due : RB_MS_NEVER;
}

const rb_cue *rb_cues_pop(rb_cues *c) {
  return c->next < c->n ? &c->items[c->next++] : NULL;
}

const char *rb_cue_kind_name(rb_cue_kind k) {
  static const char *const names[] = {"speech", "speech", "beep", "chime",
                                      "tick"};
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "speech";
}

void rb_utterance_append(char *out, size_t n, const char *sentence) {
  size_t len = strlen(out);
  if (!sentence || !*sentence || len + 2 >= n)
    return;
  snprintf(out + len, n - len, "%s%s%s", len ? " " : "", sentence,
           strchr(".!?", sentence[strlen(sentence) - 1]) ? "" : ".");
}
