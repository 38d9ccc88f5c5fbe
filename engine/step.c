#include "step.h"

#include "phrases.h"
#include "preview.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static rb_ms ms(double seconds) { return (rb_ms)llround(seconds * 1000.0); }

static void emit(rb_step *st, rb_ms t, const char *event, cJSON *fields) {
  rb_announce_event(st->ann, t, event, fields);
}

static void add_side(cJSON *o, const char *side) {
  if (side && *side)
    cJSON_AddStringToObject(o, "side", side);
  else
    cJSON_AddNullToObject(o, "side");
}

static const char *phrase(const rb_step *st, rb_phrase p) {
  return rb_phrase_text(st->lang, p);
}

/* The words that open a repetition or a set; the routine's cue becomes
 * the caption. */
static void opening(rb_step *st, rb_ms t, bool first, bool last, bool cue,
                    const char *tempo_word) {
  const char *said = cue ? st->rq->cue : "";
  if (*said)
    snprintf(st->view->caption, sizeof st->view->caption, "%s", said);
  rb_announce_opening(st->ann, t, st->rq->side, first, last, said, tempo_word);
}

static void emit_hold(rb_step *st, rb_ms t) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "seconds", st->rq->seconds);
  cJSON_AddNumberToObject(f, "rep", st->rep);
  cJSON_AddNumberToObject(f, "reps", st->rq->reps);
  add_side(f, st->rq->side);
  emit(st, t, "hold", f);
  opening(st, t, st->rep == 1, st->rq->reps > 1 && st->rep == st->rq->reps,
          true, NULL);
}

static void emit_set(rb_step *st, rb_ms t) {
  const rb_request *rq = st->rq;
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "count", rq->count);
  cJSON_AddNumberToObject(f, "set", st->set);
  cJSON_AddNumberToObject(f, "sets", rq->sets);
  add_side(f, rq->side);
  emit(st, t, "reps", f);
  /* with tempo the first repetition starts now: its first word too */
  opening(st, t, st->set == 1,
          rq->has_tempo && st->set == rq->sets && rq->count == 1, st->set == 1,
          rq->has_tempo && !rq->tempo_ticks
              ? (rq->tempo_words[0][0] ? rq->tempo_words[0]
                                       : phrase(st, RB_PHRASE_UP))
              : NULL);
  if (rq->has_tempo && rq->tempo_ticks)
    rb_announce_cue(st->ann, t, RB_CUE_TICK, "");
}

static void emit_rest(rb_step *st, rb_ms t, double seconds) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "seconds", seconds);
  emit(st, t, "rest", f);
  rb_announce_cue(st->ann, t, RB_CUE_SPEECH, phrase(st, RB_PHRASE_REST));
}

static rb_ms tempo_rep_ms(const rb_request *rq) {
  return ms(rq->tempo_up) + ms(rq->tempo_hold) + ms(rq->tempo_down);
}

void rb_step_update(rb_step *st, rb_ms now) {
  const rb_request *rq = st->rq;
  rb_ms rep_ms, in, up, hold, base, elapsed = now - st->start;
  rb_view_reps *v = &st->view->reps;
  int rep;
  if (st->part != RB_PART_SET || !rq->has_tempo ||
      (rep_ms = tempo_rep_ms(rq)) <= 0)
    return;
  if (elapsed < 0)
    elapsed = 0;
  rep = (int)(elapsed / rep_ms);
  if (rep >= rq->count)
    rep = rq->count - 1;
  base = st->start + (rb_ms)rep * rep_ms;
  in = elapsed - (rb_ms)rep * rep_ms;
  up = ms(rq->tempo_up);
  hold = ms(rq->tempo_hold);
  v->done = rep;
  v->tempo = in < up          ? RB_TEMPO_UP
             : in < up + hold ? RB_TEMPO_HOLD
                              : RB_TEMPO_DOWN;
  v->tempo_start = v->tempo == RB_TEMPO_UP     ? base
                   : v->tempo == RB_TEMPO_HOLD ? base + up
                                               : base + up + hold;
  v->tempo_end = v->tempo == RB_TEMPO_UP     ? base + up
                 : v->tempo == RB_TEMPO_HOLD ? base + up + hold
                                             : base + rep_ms;
}

static void preview(rb_step *st) {
  st->view->next[0] = st->view->next_side[0] = '\0';
  st->view->next_figure[0] = '\0';
  if (st->preview) {
    rb_preview_next(st->preview, st->lang, st->view->next,
                    sizeof st->view->next, st->view->next_side);
    snprintf(st->view->next_figure, sizeof st->view->next_figure, "%s",
             rb_preview_next_figure(st->preview));
  }
}

/* What follows part i of n of a hold or reps step: its rest, the next
 * part, or after the last part the routine's next step. */
static void next_within(rb_step *st, rb_phrase part, int i, int n) {
  char *next = st->view->next;
  size_t len = sizeof st->view->next;
  /* within the step, what comes next is on the same side, the same
   * figure */
  snprintf(st->view->next_side, sizeof st->view->next_side, "%s", st->rq->side);
  snprintf(st->view->next_figure, sizeof st->view->next_figure, "%s",
           st->view->figure);
  if (i < n && st->rq->rest > 0)
    rb_phrase_format(st->lang, RB_PHRASE_NEXT_REST, next, len, st->rq->rest);
  else if (i < n)
    rb_phrase_format(st->lang, part, next, len, i + 1, n);
  else
    preview(st);
}

/* Starts a part lasting duration ms (-1: until the patient ends it). */
static void begin(rb_step *st, rb_step_part part, rb_ms t, rb_ms duration) {
  rb_view *v = st->view;
  st->part = part;
  st->start = t;
  st->end = duration >= 0 ? t + duration : RB_MS_NEVER;
  v->phase_start = st->start;
  v->phase_end = st->end;
  v->next[0] = v->next_side[0] = '\0';
  rb_cues_clear(&st->cues);
  switch (part) {
  case RB_PART_SAY:
    v->kind = RB_VIEW_INFO;
    v->info = (rb_view_info){0};
    break;
  case RB_PART_COUNTDOWN:
    v->kind = RB_VIEW_COUNTDOWN;
    preview(st);
    rb_announce_cue(st->ann, t, RB_CUE_SPEECH, phrase(st, RB_PHRASE_GET_READY));
    rb_cues_beeps(&st->cues, st->start, st->end);
    break;
  case RB_PART_HOLD:
    v->kind = RB_VIEW_HOLD;
    v->hold = (rb_view_hold){.rep = st->rep, .reps = st->rq->reps};
    next_within(st, RB_PHRASE_NEXT_HOLD_OF, st->rep, st->rq->reps);
    rb_cues_hold(&st->cues, st->start, st->end);
    break;
  case RB_PART_HOLD_REST:
  case RB_PART_SET_REST:
    v->kind = RB_VIEW_REST;
    v->rest.between = true;
    snprintf(v->next_side, sizeof v->next_side, "%s", st->rq->side);
    snprintf(v->next_figure, sizeof v->next_figure, "%s", v->figure);
    if (part == RB_PART_HOLD_REST)
      rb_phrase_format(st->lang, RB_PHRASE_NEXT_HOLD_OF, v->next,
                       sizeof v->next, st->rep + 1, st->rq->reps);
    else
      rb_phrase_format(st->lang, RB_PHRASE_NEXT_SET_OF, v->next, sizeof v->next,
                       st->set + 1, st->rq->sets);
    rb_cues_beeps(&st->cues, st->start, st->end);
    break;
  case RB_PART_SET:
    v->kind = RB_VIEW_REPS;
    v->reps = (rb_view_reps){.done = st->done,
                             .count = st->rq->count,
                             .set = st->set,
                             .sets = st->rq->sets,
                             .self_paced = !st->rq->has_tempo,
                             .tempo_end = RB_MS_NEVER};
    for (int i = 0; i < 3; i++)
      snprintf(v->reps.words[i], sizeof v->reps.words[i], "%s",
               st->rq->tempo_words[i]);
    rb_step_update(st, t);
    next_within(st, RB_PHRASE_NEXT_SET_OF, st->set, st->rq->sets);
    break;
  case RB_PART_REST:
    v->kind = RB_VIEW_REST;
    v->rest.between = false;
    preview(st);
    rb_cues_beeps(&st->cues, st->start, st->end);
    break;
  default:
    break;
  }
}

static void start_set(rb_step *st, rb_ms t) {
  st->done = 0;
  emit_set(st, t);
  begin(st, RB_PART_SET, t,
        st->rq->has_tempo ? tempo_rep_ms(st->rq) * st->rq->count : -1);
}

static void start_hold(rb_step *st, rb_ms t) {
  emit_hold(st, t);
  begin(st, RB_PART_HOLD, t, ms(st->rq->seconds));
}

/* The current part is over at t: the next part, or the end of the step. */
static bool part_over(rb_step *st, rb_ms t) {
  const rb_request *rq = st->rq;
  switch (st->part) {
  case RB_PART_HOLD:
    if (st->rep >= rq->reps)
      break;
    if (rq->rest > 0) {
      emit_rest(st, t, rq->rest);
      begin(st, RB_PART_HOLD_REST, t, ms(rq->rest));
    } else {
      st->rep++;
      start_hold(st, t);
    }
    return false;
  case RB_PART_HOLD_REST:
    st->rep++;
    start_hold(st, t);
    return false;
  case RB_PART_SET:
    if (st->set >= rq->sets)
      break;
    if (rq->rest > 0) {
      emit_rest(st, t, rq->rest);
      begin(st, RB_PART_SET_REST, t, ms(rq->rest));
    } else {
      st->set++;
      start_set(st, t);
    }
    return false;
  case RB_PART_SET_REST:
    st->set++;
    start_set(st, t);
    return false;
  default:
    break;
  }
  rb_step_clear(st);
  return true;
}

void rb_step_start(rb_step *st, const rb_request *rq, rb_ms t) {
  cJSON *f;
  st->rq = rq;
  switch (rq->kind) {
  case RB_REQ_COUNTDOWN:
    f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "seconds", rq->seconds);
    emit(st, t, "countdown", f);
    begin(st, RB_PART_COUNTDOWN, t, ms(rq->seconds));
    break;
  case RB_REQ_HOLD:
    st->rep = 1;
    start_hold(st, t);
    break;
  case RB_REQ_REPS:
    st->set = 1;
    start_set(st, t);
    break;
  case RB_REQ_REST:
    emit_rest(st, t, rq->seconds);
    begin(st, RB_PART_REST, t, ms(rq->seconds));
    break;
  default:
    rb_step_clear(st);
    break;
  }
}

void rb_step_say(rb_step *st, rb_ms t, rb_ms duration) {
  begin(st, RB_PART_SAY, t, duration == RB_MS_NEVER ? -1 : duration);
}

void rb_step_say_ends(rb_step *st, rb_ms end) {
  if (st->part != RB_PART_SAY)
    return;
  st->end = end;
  st->view->phase_end = end;
}

rb_ms rb_step_due(const rb_step *st) {
  rb_ms due = st->end;
  if (st->part == RB_PART_NONE)
    return RB_MS_NEVER;
  if (rb_cues_due(&st->cues) < due)
    due = rb_cues_due(&st->cues);
  if (st->part == RB_PART_SET && st->rq->has_tempo &&
      st->view->reps.tempo_end < due)
    due = st->view->reps.tempo_end;
  return due;
}

/* A tempo repetition moved on to its next part at t. */
static void tempo_word(rb_step *st, rb_ms t) {
  static const rb_phrase words[] = {[RB_TEMPO_UP] = RB_PHRASE_UP,
                                    [RB_TEMPO_HOLD] = RB_PHRASE_HOLD,
                                    [RB_TEMPO_DOWN] = RB_PHRASE_DOWN};
  char text[RB_SHORT_MAX] = "";
  rb_tempo_phase tp;
  rb_step_update(st, t);
  tp = st->view->reps.tempo;
  if (st->rq->tempo_ticks) {
    rb_announce_cue(st->ann, t, RB_CUE_TICK, "");
    return;
  }
  if (tp == RB_TEMPO_UP && st->set == st->rq->sets &&
      st->view->reps.done == st->rq->count - 1)
    rb_utterance_append(text, sizeof text, phrase(st, RB_PHRASE_LAST_ONE));
  {
    /* the routine's own word for this part, when it gave one */
    const char *own = st->rq->tempo_words[tp == RB_TEMPO_UP     ? 0
                                          : tp == RB_TEMPO_HOLD ? 1
                                                                : 2];
    rb_utterance_append(text, sizeof text, *own ? own : phrase(st, words[tp]));
  }
  rb_announce_cue(st->ann, t, RB_CUE_SPEECH, text);
}

bool rb_step_fire(rb_step *st, rb_ms t) {
  /* a cue due as its part ends (the chime) comes first */
  if (rb_cues_due(&st->cues) == t) {
    const rb_cue *c = rb_cues_pop(&st->cues);
    rb_announce_cue(st->ann, t, c->kind,
                    c->kind == RB_CUE_SPEECH ? phrase(st, c->phrase) : "");
    return false;
  }
  if (st->part == RB_PART_SET && st->rq->has_tempo &&
      st->view->reps.tempo_end == t && t < st->end) {
    tempo_word(st, t);
    return false;
  }
  if (st->end > t)
    return false;
  return part_over(st, t);
}

bool rb_step_skip(rb_step *st, rb_ms t) {
  rb_cues_clear(&st->cues);
  st->end = t;
  return part_over(st, t);
}

bool rb_step_count(rb_step *st, rb_ms t, int delta) {
  const rb_request *rq = st->rq;
  if (!rb_step_self_paced(st))
    return false;
  st->done += delta;
  if (st->done < 0)
    st->done = 0;
  st->view->reps.done = st->done;
  if (delta > 0 && rq->count > 1 && st->done == rq->count - 1 &&
      st->set == rq->sets)
    rb_announce_cue(st->ann, t, RB_CUE_SPEECH, phrase(st, RB_PHRASE_LAST_ONE));
  if (st->done < rq->count)
    return false;
  st->end = t;
  return part_over(st, t);
}

bool rb_step_running(const rb_step *st) { return st->part != RB_PART_NONE; }

bool rb_step_self_paced(const rb_step *st) {
  return st->part == RB_PART_SET && !st->rq->has_tempo;
}

int rb_step_done(const rb_step *st) {
  return rb_step_self_paced(st) ? st->done : 0;
}

void rb_step_clear(rb_step *st) {
  st->part = RB_PART_NONE;
  st->end = RB_MS_NEVER;
  rb_cues_clear(&st->cues);
}
