#include "announce.h"

#include "phrases.h"

#include <stdio.h>
#include <string.h>

void rb_announce_event(rb_announcer *a, rb_ms t, const char *event,
                       cJSON *fields) {
  for (int i = 0; i < a->nsinks; i++)
    if (a->sinks[i].event)
      a->sinks[i].event(a->sinks[i].ud, t, event, fields);
  cJSON_Delete(fields);
}

void rb_announce_end(rb_announcer *a, rb_ms t, const rb_session_end *end) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "status", rb_end_status_name(end->status));
  cJSON_AddNumberToObject(f, "duration_s", end->duration_s);
  if (end->reason && *end->reason)
    cJSON_AddStringToObject(f, "reason", end->reason);
  if (end->error && *end->error)
    cJSON_AddStringToObject(f, "error", end->error);
  rb_announce_event(a, t, "end", f);
  for (int i = 0; i < a->nsinks; i++)
    if (a->sinks[i].ended)
      a->sinks[i].ended(a->sinks[i].ud, end);
}

void rb_announce_sound(rb_announcer *a, rb_ms t, rb_cue_kind kind,
                       const char *text) {
  if (a->voice && a->voice->cue)
    a->voice->cue(a->voice->ud, t, kind, text ? text : "", a->lang);
}

void rb_announce_cue(rb_announcer *a, rb_ms t, rb_cue_kind kind,
                     const char *text) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "kind", rb_cue_kind_name(kind));
  if (kind == RB_CUE_SPEECH || kind == RB_CUE_SAY)
    cJSON_AddStringToObject(f, "text", text ? text : "");
  rb_announce_event(a, t, "cue", f);
  rb_announce_sound(a, t, kind, text);
}

/* A speech cue event without the sound: part of a longer utterance. */
static void speech_event(rb_announcer *a, rb_ms t, const char *text) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "kind", "speech");
  cJSON_AddStringToObject(f, "text", text);
  rb_announce_event(a, t, "cue", f);
}

void rb_announce_new_exercise(rb_announcer *a) { a->last_side[0] = '\0'; }

void rb_announce_opening(rb_announcer *a, rb_ms t, const char *side, bool first,
                         bool last, const char *cue, const char *tempo_word) {
  char engine[128] = "", all[1280] = "";
  if (first && side && *side) {
    if (a->last_side[0] && strcmp(a->last_side, side) != 0)
      rb_utterance_append(engine, sizeof engine,
                          rb_phrase_text(a->lang, RB_PHRASE_SWITCH_SIDES));
    rb_utterance_append(engine, sizeof engine,
                        rb_phrase_text(a->lang, strcmp(side, "left") == 0
                                                    ? RB_PHRASE_LEFT_SIDE
                                                    : RB_PHRASE_RIGHT_SIDE));
    snprintf(a->last_side, sizeof a->last_side, "%s", side);
  }
  if (last)
    rb_utterance_append(engine, sizeof engine,
                        rb_phrase_text(a->lang, RB_PHRASE_LAST_ONE));
  if (engine[0])
    speech_event(a, t, engine);
  rb_utterance_append(all, sizeof all, engine);
  if (cue && *cue) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "text", cue);
    rb_announce_event(a, t, "say", c);
    rb_utterance_append(all, sizeof all, cue);
  }
  if (tempo_word) {
    speech_event(a, t, tempo_word);
    rb_utterance_append(all, sizeof all, tempo_word);
  }
  if (all[0])
    rb_announce_sound(a, t, RB_CUE_SAY, all);
}

void rb_announce_question(rb_announcer *a, rb_ms t, const char *side,
                          const char *text) {
  char said[1280] = "";
  if (side && (strcmp(side, "left") == 0 || strcmp(side, "right") == 0))
    rb_utterance_append(said, sizeof said,
                        rb_phrase_text(a->lang, strcmp(side, "left") == 0
                                                    ? RB_PHRASE_LEFT_SIDE
                                                    : RB_PHRASE_RIGHT_SIDE));
  rb_utterance_append(said, sizeof said, text);
  /* a question without a side is said as it is written */
  rb_announce_cue(a, t, RB_CUE_SAY, said[0] && side && *side ? said : text);
}

void rb_announce_prepare(const rb_announcer *a, const char *text) {
  if (a->voice && a->voice->prepare && text && *text)
    a->voice->prepare(a->voice->ud, text, a->lang);
}

void rb_announce_pause(const rb_announcer *a, bool paused) {
  if (a->voice && a->voice->pause)
    a->voice->pause(a->voice->ud, paused);
}

void rb_announce_hush(const rb_announcer *a) {
  if (a->voice && a->voice->hush)
    a->voice->hush(a->voice->ud);
}

rb_ms rb_announce_remaining(const rb_announcer *a, rb_ms t) {
  return a->voice && a->voice->remaining ? a->voice->remaining(a->voice->ud, t)
                                         : 0;
}
