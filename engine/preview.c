#include "preview.h"

#include "phrases.h"

#include <stdlib.h>
#include <string.h>

/* A rebuild replays every reply: past this many it is not worth it. */
#define REPLAY_MAX 5000
/* Looking ahead past this many say() calls is a loop, not a routine. */
#define LOOKAHEAD_MAX 1000

struct rb_preview {
  char path[RB_TEXT_MAX];
  rb_limits limits;
  unsigned seed;
  void (*prepare)(void *ud, const char *text);
  void *ud;
  cJSON *replies; /* the real routine's, in order (JSON null: none) */
  int nreplies;
  /* the shadow: resumed `ahead` times, with the real replies up to
   * `guessed` and "no reply" from there on */
  rb_routine *shadow;
  int ahead, guessed;
  rb_request last;                   /* what its last resume returned */
  char title[RB_SHORT_MAX], side[8]; /* its show{} state */
  char figure[RB_SHORT_MAX];
  /* the description for the pending request of nreplies replies */
  int described; /* -1: none */
  bool broken;   /* out of step for good (no memory, a failed rebuild, a
                    runaway look-ahead): no preview from now on */
  char text[RB_TEXT_MAX];
  char side_of[8];              /* its side */
  char figure_of[RB_SHORT_MAX]; /* its figure */
  char lang[32];
  /* the session's history, last_session and param: the shadow reads the
   * same past as the routine, so it takes the same path */
  rb_routine_hooks lookups;
};

static void on_show(void *ud, const char *title, const char *text,
                    const char *side, const char *figure) {
  rb_preview *p = ud;
  (void)text;
  snprintf(p->title, sizeof p->title, "%s", title);
  snprintf(p->side, sizeof p->side, "%s", side);
  snprintf(p->figure, sizeof p->figure, "%s", figure);
}

rb_preview *rb_preview_new(const char *path, const rb_limits *limits,
                           unsigned seed,
                           void (*prepare)(void *ud, const char *text),
                           void *ud) {
  rb_preview *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->replies = cJSON_CreateArray();
  if (!p->replies) {
    free(p);
    return NULL;
  }
  snprintf(p->path, sizeof p->path, "%s", path);
  if (limits)
    p->limits = *limits;
  p->seed = seed;
  p->prepare = prepare;
  p->ud = ud;
  p->described = -1;
  return p;
}

static void drop_shadow(rb_preview *p) {
  rb_routine_free(p->shadow);
  p->shadow = NULL;
  p->ahead = p->guessed = 0;
  p->title[0] = p->side[0] = p->figure[0] = '\0';
}

void rb_preview_free(rb_preview *p) {
  if (!p)
    return;
  drop_shadow(p);
  cJSON_Delete(p->replies);
  free(p);
}

static bool shadow_ended(const rb_preview *p) {
  return p->ahead > 0 &&
         (p->last.kind == RB_REQ_DONE || p->last.kind == RB_REQ_ERROR);
}

static void shadow_resume(rb_preview *p, const cJSON *reply) {
  rb_routine_resume(p->shadow, cJSON_IsNull(reply) ? NULL : reply, &p->last);
  p->ahead++;
}

void rb_preview_follow(rb_preview *p, const cJSON *reply) {
  int i = p->nreplies;
  cJSON *copy = reply ? cJSON_Duplicate(reply, true) : cJSON_CreateNull();
  if (!copy) { /* a reply lost: every rebuild would be out of step */
    drop_shadow(p);
    p->broken = true;
    return;
  }
  cJSON_AddItemToArray(p->replies, copy);
  p->nreplies++;
  p->described = -1;
  if (!p->shadow)
    return;
  if (i < p->ahead) {
    /* the shadow went past this step guessing "no reply" */
    if (i >= p->guessed && reply && !cJSON_IsNull(reply))
      drop_shadow(p); /* it guessed wrong: rebuilt when next asked */
    else if (i >= p->guessed)
      p->guessed = i + 1;
  } else if (!shadow_ended(p)) {
    shadow_resume(p, copy); /* in step: follow */
    p->guessed = p->ahead;
  }
}

static cJSON *on_history(void *ud, const char *key, int n) {
  rb_preview *p = ud;
  return p->lookups.history ? p->lookups.history(p->lookups.ud, key, n) : NULL;
}

static cJSON *on_last_session(void *ud, const char *routine) {
  rb_preview *p = ud;
  return p->lookups.last_session
             ? p->lookups.last_session(p->lookups.ud, routine)
             : NULL;
}

static bool on_param(void *ud, const char *name, char *out, size_t n) {
  rb_preview *p = ud;
  return p->lookups.param && p->lookups.param(p->lookups.ud, name, out, n);
}

const char *rb_preview_next_figure(const rb_preview *p) {
  return p && !p->broken && p->described == p->nreplies ? p->figure_of : "";
}

void rb_preview_set_lookups(rb_preview *p, const rb_routine_hooks *h) {
  if (!p || !h)
    return;
  p->lookups = *h;
  drop_shadow(p); /* rebuilt with them when next asked */
}

/* Loads the shadow and replays the real replies. */
static bool rebuild(rb_preview *p) {
  char err[RB_ERROR_MAX];
  rb_routine_hooks hooks = {.ud = p,
                            .show = on_show,
                            .history = on_history,
                            .last_session = on_last_session,
                            .param = on_param};
  const cJSON *reply;
  drop_shadow(p);
  if (p->nreplies > REPLAY_MAX)
    return false;
  p->shadow = rb_routine_load(p->path, &p->limits, p->seed, err, sizeof err);
  if (!p->shadow)
    return false;
  rb_routine_set_hooks(p->shadow, &hooks);
  cJSON_ArrayForEach(reply, p->replies) {
    if (shadow_ended(p))
      break;
    shadow_resume(p, reply);
  }
  p->guessed = p->ahead;
  return true;
}

static void describe(rb_preview *p, const char *lang, char *out, size_t n) {
  const rb_request *rq = &p->last;
  char what[RB_SHORT_MAX + 32], sided[RB_SHORT_MAX + 64];
  const char *side = rq->side[0] ? rq->side : p->side;
  snprintf(p->side_of, sizeof p->side_of, "%s",
           rq->kind == RB_REQ_DONE || rq->kind == RB_REQ_REST ? "" : side);
  snprintf(p->figure_of, sizeof p->figure_of, "%s",
           rq->kind == RB_REQ_DONE || rq->kind == RB_REQ_REST ? "" : p->figure);
  const char *title =
      p->title[0] ? p->title : rb_phrase_text(lang, RB_PHRASE_GET_READY);
  if (strcmp(side, "left") == 0 || strcmp(side, "right") == 0)
    rb_phrase_format(lang,
                     strcmp(side, "left") == 0 ? RB_PHRASE_NEXT_LEFT
                                               : RB_PHRASE_NEXT_RIGHT,
                     sided, sizeof sided, title);
  else
    snprintf(sided, sizeof sided, "%s", title);
  snprintf(what, sizeof what, "%s", "");
  switch (rq->kind) {
  case RB_REQ_DONE:
    rb_phrase_format(lang, RB_PHRASE_NEXT_LAST, out, n);
    break;
  case RB_REQ_HOLD:
    if (rq->reps > 1)
      rb_phrase_format(lang, RB_PHRASE_NEXT_HOLDS, out, n, sided, rq->seconds,
                       rq->reps);
    else
      rb_phrase_format(lang, RB_PHRASE_NEXT_HOLD, out, n, sided, rq->seconds);
    break;
  case RB_REQ_REPS:
    if (rq->sets > 1)
      rb_phrase_format(lang, RB_PHRASE_NEXT_SETS, out, n, sided, rq->sets,
                       rq->count);
    else
      rb_phrase_format(lang, RB_PHRASE_NEXT_REPS, out, n, sided, rq->count);
    break;
  case RB_REQ_REST:
    rb_phrase_format(lang, RB_PHRASE_NEXT_REST, out, n, rq->seconds);
    break;
  case RB_REQ_COUNTDOWN:
  case RB_REQ_WAIT_NEXT:
    snprintf(out, n, "%s", sided);
    break;
  case RB_REQ_ASK:
  case RB_REQ_ASK_SCALE:
  case RB_REQ_MEASURE:
  case RB_REQ_ASSESS:
    rb_phrase_format(lang, RB_PHRASE_NEXT_QUESTION, out, n);
    break;
  default:
    snprintf(out, n, "%s", what);
    break;
  }
}

void rb_preview_next(rb_preview *p, const char *lang, char *out, size_t n,
                     char *side) {
  const char *l = lang ? lang : "";
  int said = 0;
  out[0] = '\0';
  if (side)
    side[0] = '\0';
  if (p->nreplies == 0 || p->broken)
    return;
  if (p->described == p->nreplies && strcmp(p->lang, l) == 0) {
    snprintf(out, n, "%s", p->text);
    if (side)
      snprintf(side, 8, "%s", p->side_of);
    return;
  }
  /* the shadow must stand where the real routine stands */
  if ((!p->shadow || p->ahead != p->nreplies) && !rebuild(p)) {
    p->broken = true; /* it would fail again at every step */
    return;
  }
  if (p->ahead != p->nreplies || shadow_ended(p)) {
    p->broken = true;
    return;
  }
  /* one step past the pending request, and past what is only said; the
   * words on the way are synthesized now, ahead of their time */
  do {
    shadow_resume(p, NULL);
    if (p->last.kind == RB_REQ_SAY || p->last.kind == RB_REQ_ASK ||
        p->last.kind == RB_REQ_ASK_SCALE || p->last.kind == RB_REQ_MEASURE)
      if (p->prepare && p->last.text[0])
        p->prepare(p->ud, p->last.text);
    if (p->prepare && p->last.cue[0])
      p->prepare(p->ud, p->last.cue);
  } while (p->last.kind == RB_REQ_SAY && ++said < LOOKAHEAD_MAX);
  if (p->last.kind == RB_REQ_SAY) { /* say() in a loop without end */
    drop_shadow(p);
    p->broken = true;
    return;
  }
  describe(p, l, p->text, sizeof p->text);
  snprintf(p->lang, sizeof p->lang, "%s", l);
  p->described = p->nreplies;
  snprintf(out, n, "%s", p->text);
  if (side)
    snprintf(side, 8, "%s", p->side_of);
}
