#include "session.h"

#include "log.h"
#include "phrases.h"
#include "plugins.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where the session is inside the pending request. */
typedef enum {
  PH_NONE,      /* running Lua, or not started */
  PH_WAIT_NEXT, /* wait_next() */
  PH_SAY,       /* say(): until its speech has been spoken */
  PH_COUNTDOWN,
  PH_HOLD,          /* one repetition of hold{} */
  PH_HOLD_REST,     /* rest between repetitions */
  PH_SET,           /* one set of reps{} */
  PH_SET_REST,      /* rest between sets */
  PH_REST,          /* rest() */
  PH_QUESTION,      /* ask, ask_scale, measure */
  PH_STOP_PAIN,     /* the pain question after STOP */
  PH_ASSESS_INTRO,  /* assess(): its instructions, until NEXT */
  PH_ASSESS_FIELD,  /* assess(): one field (one side of it) */
  PH_ASSESS_RESULT, /* assess(): the result, until NEXT */
  PH_ENDED
} phase;

/* Past this many steps the preview is skipped: replaying costs O(n). */
#define PREVIEW_MAX 2000
/* A routine that makes more steps or runs longer than this has a loop
 * without an end; under `simulate` it would never finish. */
#define STEPS_MAX 100000
#define ROUTINE_MS_MAX (4 * 3600 * 1000)

#define STOP_QUESTION "You pressed stop. How much does it hurt now?"

/* Timed cues of one phase: halfway, the last beeps, the end chime. */
#define CUES_MAX 8
/* A hold this long gets "halfway"; one this long gets the last beeps. */
#define HALFWAY_MIN_MS 10000
#define BEEPS_MIN_MS 5000

typedef struct {
  rb_ms due;
  rb_cue_kind kind;
  rb_phrase phrase; /* speech */
} timed_cue;

struct rb_session {
  rb_clock *clock;
  rb_timeline *tl;
  rb_session_opts opts;
  char path[RB_TEXT_MAX];
  rb_routine *routine; /* NULL when loading failed or after STOP */
  rb_meta meta;
  char load_error[RB_ERROR_MAX];
  rb_view view;
  rb_request req; /* the pending request */
  phase ph;
  rb_ms t;        /* routine time of what is being processed now */
  rb_ms ph_start; /* current phase, routine time */
  rb_ms ph_end;   /* RB_MS_NEVER for phases without a timer */
  int rep, set, done;
  cJSON *replies;    /* every resume's reply in order, for the preview */
  int nreplies;      /* their count (cJSON counts by walking the list) */
  const char *given; /* --answer for the pending question, or NULL */
  bool started;
  timed_cue cues[CUES_MAX]; /* this phase's, in time order */
  int ncues, next_cue;
  char last_side[8]; /* side of the last hold or set: "switch sides" */
  /* the question being asked: the routine's request, or an assessment
   * field turned into one */
  rb_request *q;
  rb_request field;
  const rbp_assessment *assess;
  int field_i, side_i;
  cJSON *values; /* an assessment's entered values, "field.side" keys */
  cJSON *result; /* and its result: what assess() returns */
};

/* Copies src, cut to fit: texts are bounded by the routine API. */
static void copy(char *dst, size_t n, const char *src) {
  size_t len = src ? strnlen(src, n - 1) : 0;
  memcpy(dst, src ? src : "", len);
  dst[len] = '\0';
}

/* --- timeline helpers --------------------------------------------------- */

static void emit(rb_session *s, const char *event, cJSON *fields) {
  if (!s->tl) {
    cJSON_Delete(fields);
    return;
  }
  rb_timeline_event(s->tl, s->t, event, fields);
}

static void add_side(cJSON *o, const char *side) {
  if (side && *side)
    cJSON_AddStringToObject(o, "side", side);
  else
    cJSON_AddNullToObject(o, "side");
}

/* --- voice ---------------------------------------------------------------
 * The session decides what is said and sounded when, so the timeline
 * lists every cue at its time and a virtual-clock run is repeatable; the
 * voice only speaks or sounds now (see rb_session_voice). */

static const char *lang_of(const rb_session *s) {
  return s->meta.language[0] ? s->meta.language : NULL;
}

static const char *phrase(const rb_session *s, rb_phrase p) {
  return rb_phrase_text(lang_of(s), p);
}

static const char *cue_name(rb_cue_kind k) {
  static const char *const names[] = {"speech", "speech", "beep", "chime",
                                      "tick"};
  return names[k];
}

/* Sounds or speaks text now, without a timeline event. */
static void voice_cue(rb_session *s, rb_cue_kind kind, const char *text) {
  const rb_session_voice *v = s->opts.voice;
  if (v && v->cue)
    v->cue(v->ud, s->t, kind, text ? text : "", lang_of(s));
}

/* Logs a cue event and sounds it. */
static void cue_now(rb_session *s, rb_cue_kind kind, const char *text) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "kind", cue_name(kind));
  if (kind == RB_CUE_SPEECH || kind == RB_CUE_SAY)
    cJSON_AddStringToObject(f, "text", text);
  emit(s, "cue", f);
  voice_cue(s, kind, text);
}

static void voice_prepare(rb_session *s, const char *text) {
  const rb_session_voice *v = s->opts.voice;
  if (v && v->prepare && text && *text)
    v->prepare(v->ud, text, lang_of(s));
}

static void voice_hush(rb_session *s) {
  const rb_session_voice *v = s->opts.voice;
  if (v && v->hush)
    v->hush(v->ud);
}

static void add_cue(rb_session *s, rb_ms due, rb_cue_kind kind, rb_phrase p) {
  int i;
  if (s->ncues == CUES_MAX)
    return;
  /* keep them in time order; ties keep the order they were added */
  for (i = s->ncues; i > s->next_cue && s->cues[i - 1].due > due; i--)
    s->cues[i] = s->cues[i - 1];
  s->cues[i] = (timed_cue){.due = due, .kind = kind, .phrase = p};
  s->ncues++;
}

/* Beeps on each of the last three seconds of the current phase. */
static void add_beeps(rb_session *s) {
  rb_ms d = s->ph_end - s->ph_start;
  if (d < BEEPS_MIN_MS)
    return;
  for (int k = 3; k >= 1; k--)
    add_cue(s, s->ph_end - k * 1000, RB_CUE_BEEP, RB_PHRASE_COUNT);
}

/* Appends a sentence to an utterance ("Left side. Turn gently."). */
static void append(char *out, size_t n, const char *text) {
  size_t len = strlen(out);
  if (!text || !*text || len + 2 >= n)
    return;
  snprintf(out + len, n - len, "%s%s%s", len ? " " : "", text,
           strchr(".!?", text[strlen(text) - 1]) ? "" : ".");
}

/* Speaks what starts a hold repetition or a set as one utterance, so
 * nothing waits behind it: "switch sides" when the side changed, the
 * side, "last one", the routine's cue, and the first tempo word. The
 * engine's words are logged as a cue event, the routine's cue as say. */
static void speak_start(rb_session *s, bool first, bool last, bool say_cue,
                        const char *tempo_word) {
  char engine[RB_SHORT_MAX] = "", all[RB_TEXT_MAX * 2] = "";
  const char *side = s->req.side;
  if (first && *side) {
    if (s->last_side[0] && strcmp(s->last_side, side) != 0)
      append(engine, sizeof engine, phrase(s, RB_PHRASE_SWITCH_SIDES));
    append(engine, sizeof engine,
           phrase(s, strcmp(side, "left") == 0 ? RB_PHRASE_LEFT_SIDE
                                               : RB_PHRASE_RIGHT_SIDE));
    copy(s->last_side, sizeof s->last_side, side);
  }
  if (last)
    append(engine, sizeof engine, phrase(s, RB_PHRASE_LAST_ONE));
  if (engine[0]) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "kind", "speech");
    cJSON_AddStringToObject(f, "text", engine);
    emit(s, "cue", f);
  }
  append(all, sizeof all, engine);
  if (say_cue && s->req.cue[0]) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "text", s->req.cue);
    emit(s, "say", c);
    copy(s->view.caption, sizeof s->view.caption, s->req.cue);
    append(all, sizeof all, s->req.cue);
  }
  if (tempo_word) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "kind", "speech");
    cJSON_AddStringToObject(f, "text", tempo_word);
    emit(s, "cue", f);
    append(all, sizeof all, tempo_word);
  }
  if (all[0])
    voice_cue(s, RB_CUE_SAY, all);
}

/* --- preview: what comes next --------------------------------------------
 * A routine is a program, so the step after the current one is only known
 * by running it. Routines are deterministic (no clock, no io, a seeded
 * random), so a fresh copy fed the same replies reaches the same point;
 * it then runs one request further without touching the real session. */

typedef struct {
  char title[RB_SHORT_MAX];
  char side[8];
} preview_show;

static void preview_on_show(void *ud, const char *title, const char *text,
                            const char *side, const char *figure) {
  preview_show *p = ud;
  (void)text;
  (void)figure;
  copy(p->title, sizeof p->title, title);
  copy(p->side, sizeof p->side, side);
}

static void side_word(char *out, size_t n, const char *side) {
  if (strcmp(side, "left") == 0)
    copy(out, n, "Left side: ");
  else if (strcmp(side, "right") == 0)
    copy(out, n, "Right side: ");
  else
    copy(out, n, "");
}

static void describe(const rb_request *rq, const preview_show *shown, char *out,
                     size_t n) {
  char sw[32];
  const char *side = rq->side[0] ? rq->side : shown->side;
  const char *what = shown->title[0] ? shown->title : "Get ready";
  side_word(sw, sizeof sw, side);
  switch (rq->kind) {
  case RB_REQ_DONE:
    copy(out, n, "Last step");
    break;
  case RB_REQ_HOLD:
    if (rq->reps > 1)
      snprintf(out, n, "%s%s, hold %g s x %d", sw, what, rq->seconds, rq->reps);
    else
      snprintf(out, n, "%s%s, hold %g s", sw, what, rq->seconds);
    break;
  case RB_REQ_REPS:
    if (rq->sets > 1)
      snprintf(out, n, "%s%s, %d x %d", sw, what, rq->sets, rq->count);
    else
      snprintf(out, n, "%s%s, %d times", sw, what, rq->count);
    break;
  case RB_REQ_REST:
    snprintf(out, n, "Rest %g s", rq->seconds);
    break;
  case RB_REQ_COUNTDOWN:
  case RB_REQ_WAIT_NEXT:
    snprintf(out, n, "%s%s", sw, what);
    break;
  case RB_REQ_ASK:
  case RB_REQ_ASK_SCALE:
  case RB_REQ_MEASURE:
  case RB_REQ_ASSESS:
    copy(out, n, "A question");
    break;
  default:
    copy(out, n, "");
    break;
  }
}

static void preview_next(rb_session *s, char *out, size_t n) {
  preview_show shown = {0};
  rb_routine_hooks hooks = {.ud = &shown, .show = preview_on_show};
  rb_request rq;
  char err[RB_ERROR_MAX];
  int nreplies = s->nreplies;
  const cJSON *reply;
  rb_routine *r;
  int k;
  out[0] = '\0';
  if (!s->opts.preview)
    return;
  r = rb_routine_load(s->path, &s->opts.limits, s->opts.seed, err, sizeof err);
  if (!r)
    return;
  rb_routine_set_hooks(r, &hooks);
  /* replies[0] started run(); replies[k] answered request k-1. Replay
   * them to reach the pending request, then complete it with nothing. */
  k = 0;
  if (nreplies > 0 && nreplies <= PREVIEW_MAX) {
    rb_routine_resume(r, NULL, &rq);
    reply = s->replies->child ? s->replies->child->next : NULL;
    for (k = 1; k < nreplies && rq.kind >= RB_REQ_SAY && reply;
         k++, reply = reply->next)
      rb_routine_resume(r, cJSON_IsNull(reply) ? NULL : reply, &rq);
  }
  if (k == nreplies && k > 0 && rq.kind >= RB_REQ_SAY) {
    /* the next words to speak are synthesized now, ahead of their time */
    do {
      rb_routine_resume(r, NULL, &rq);
      if (rq.kind == RB_REQ_SAY || rq.kind == RB_REQ_ASK ||
          rq.kind == RB_REQ_ASK_SCALE || rq.kind == RB_REQ_MEASURE)
        voice_prepare(s, rq.text);
      voice_prepare(s, rq.cue);
    } while (rq.kind == RB_REQ_SAY);
    describe(&rq, &shown, out, n);
  }
  rb_routine_free(r);
}

/* --- pause ----------------------------------------------------------------
 * The one place pause changes: the routine clock, the view and the voice
 * follow together, so none can be left paused behind the others. */

static void set_paused(rb_session *s, bool paused) {
  const rb_session_voice *v = s->opts.voice;
  if (paused)
    rb_clock_pause(s->clock);
  else
    rb_clock_resume(s->clock);
  s->view.paused = paused;
  if (v && v->pause)
    v->pause(v->ud, paused);
}

/* --- ending --------------------------------------------------------------- */

static void finish(rb_session *s, rb_end_status st, const char *error) {
  cJSON *f = cJSON_CreateObject();
  if (s->ph == PH_ENDED)
    return;
  if (rb_clock_paused(s->clock))
    set_paused(s, false);
  if (st == RB_END_COMPLETED)
    cue_now(s, RB_CUE_SAY, phrase(s, RB_PHRASE_WELL_DONE));
  s->ph = PH_ENDED;
  s->ph_end = RB_MS_NEVER;
  s->ncues = s->next_cue = 0;
  s->view.kind = RB_VIEW_ENDED;
  s->view.status = st;
  s->view.paused = false;
  s->view.duration_s = (double)s->t / 1000.0;
  copy(s->view.error, sizeof s->view.error, error);
  cJSON_AddStringToObject(f, "status", rb_end_status_name(st));
  cJSON_AddNumberToObject(f, "duration_s", s->view.duration_s);
  if (error && *error)
    cJSON_AddStringToObject(f, "error", error);
  emit(s, "end", f);
}

/* --- answers -------------------------------------------------------------- */

/* Finds a --answer for key, or NULL. */
static const char *given_answer(const rb_session *s, const char *key) {
  size_t klen = strlen(key);
  for (int i = 0; i < s->opts.nanswers; i++) {
    const char *kv = s->opts.answers[i];
    const char *eq = strrchr(kv, '=');
    if (eq && (size_t)(eq - kv) == klen && strncmp(kv, key, klen) == 0)
      return eq + 1;
  }
  return NULL;
}

static bool parse_number(const char *text, double *out) {
  char *end;
  double v = strtod(text, &end);
  while (*end == ' ')
    end++;
  if (end == text || *end || !isfinite(v))
    return false;
  *out = v;
  return true;
}

static void format_number(char *out, size_t n, double v) {
  snprintf(out, n, "%.10g", v);
}

/* Checks an answer for the pending question; fills reply (a new cJSON
 * item) or returns false. */
static bool make_reply(rb_session *s, const char *value, cJSON **reply) {
  const rb_request *rq = s->q;
  double v;
  *reply = NULL;
  if (s->ph == PH_STOP_PAIN || rq->kind == RB_REQ_ASK_SCALE) {
    double lo = s->ph == PH_STOP_PAIN ? 0 : rq->min;
    double hi = s->ph == PH_STOP_PAIN ? 10 : rq->max;
    if (!parse_number(value, &v) || v != floor(v) || v < lo || v > hi)
      return false;
    *reply = cJSON_CreateNumber(v);
  } else if (rq->kind == RB_REQ_MEASURE) {
    if (!parse_number(value, &v) || v < rq->min || v > rq->max)
      return false;
    *reply = cJSON_CreateNumber(v);
  } else if (rq->kind == RB_REQ_ASK) {
    char *end;
    long idx;
    for (int i = 0; i < rq->nchoices; i++)
      if (strcasecmp(value, rq->choices[i]) == 0) {
        *reply = cJSON_CreateString(rq->choices[i]);
        return *reply != NULL;
      }
    /* "2" picks the second choice, as a keypad would */
    idx = strtol(value, &end, 10);
    if (end == value || *end || idx < 1 || idx > rq->nchoices)
      return false;
    *reply = cJSON_CreateString(rq->choices[idx - 1]);
  } else {
    return false;
  }
  return *reply != NULL;
}

static void default_answer(const rb_session *s, char *out, size_t n) {
  const rb_request *rq = s->q;
  if (s->ph == PH_STOP_PAIN)
    copy(out, n, "0");
  else if (rq->kind == RB_REQ_ASK)
    copy(out, n, rq->nchoices > 0 ? rq->choices[0] : "");
  else if (rq->kind == RB_REQ_ASK_SCALE)
    format_number(out, n, rq->min);
  else if (rq->kind == RB_REQ_MEASURE) {
    double mid = (rq->min + rq->max) / 2;
    if (rq->step > 0)
      mid = rq->min + floor((mid - rq->min) / rq->step + 0.5) * rq->step;
    format_number(out, n, mid);
  }
}

/* --- running the routine ---------------------------------------------------
 */

static void run_routine(rb_session *s, const cJSON *first_reply);

static void on_show(void *ud, const char *title, const char *text,
                    const char *side, const char *figure) {
  rb_session *s = ud;
  cJSON *f = cJSON_CreateObject();
  copy(s->view.title, sizeof s->view.title, title);
  copy(s->view.text, sizeof s->view.text, text);
  copy(s->view.side, sizeof s->view.side, side);
  copy(s->view.figure, sizeof s->view.figure, figure);
  cJSON_AddStringToObject(f, "title", s->view.title);
  cJSON_AddStringToObject(f, "text", s->view.text);
  add_side(f, side);
  emit(s, "show", f);
}

static void on_record(void *ud, const char *key, cJSON *value) {
  rb_session *s = ud;
  cJSON *f = cJSON_CreateObject();
  rb_view *v = &s->view;
  const cJSON *summary = cJSON_GetObjectItem(value, "summary");
  /* the summary screen lists plain values; an assessment's result shows
   * its summary; other tables are kept in the timeline only */
  if (v->nrecords < RB_RECORDS_MAX &&
      (!cJSON_IsObject(value) || cJSON_IsString(summary)) &&
      !cJSON_IsArray(value)) {
    char *text = cJSON_IsString(value) || cJSON_IsObject(value)
                     ? NULL
                     : cJSON_PrintUnformatted(value);
    copy(v->record_keys[v->nrecords], RB_SHORT_MAX, key);
    copy(v->record_values[v->nrecords], RB_SHORT_MAX,
         cJSON_IsString(value)   ? value->valuestring
         : cJSON_IsObject(value) ? summary->valuestring
                                 : text);
    v->nrecords++;
    free(text);
  }
  cJSON_AddStringToObject(f, "key", key);
  cJSON_AddItemToObject(f, "value", value);
  emit(s, "record", f);
}

static void on_print(void *ud, const char *file_line, const char *msg) {
  (void)ud;
  rb_log_info("%s: %s", file_line, msg);
}

static rb_ms ms(double seconds) { return (rb_ms)llround(seconds * 1000.0); }

static void set_next(rb_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_next(rb_session *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->view.next, sizeof s->view.next, fmt, ap);
  va_end(ap);
}

static void emit_hold(rb_session *s) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "seconds", s->req.seconds);
  cJSON_AddNumberToObject(f, "rep", s->rep);
  cJSON_AddNumberToObject(f, "reps", s->req.reps);
  add_side(f, s->req.side);
  emit(s, "hold", f);
  speak_start(s, s->rep == 1, s->req.reps > 1 && s->rep == s->req.reps, true,
              NULL);
}

static void emit_set(rb_session *s) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "count", s->req.count);
  cJSON_AddNumberToObject(f, "set", s->set);
  cJSON_AddNumberToObject(f, "sets", s->req.sets);
  add_side(f, s->req.side);
  emit(s, "reps", f);
  /* with tempo the first repetition starts now: its first word too */
  speak_start(s, s->set == 1,
              s->req.has_tempo && s->set == s->req.sets && s->req.count == 1,
              s->set == 1,
              s->req.has_tempo && !s->req.tempo_ticks ? phrase(s, RB_PHRASE_UP)
                                                      : NULL);
  if (s->req.has_tempo && s->req.tempo_ticks)
    cue_now(s, RB_CUE_TICK, "");
}

static void emit_rest(rb_session *s, double seconds) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "seconds", seconds);
  emit(s, "rest", f);
  cue_now(s, RB_CUE_SPEECH, phrase(s, RB_PHRASE_REST));
}

static rb_ms tempo_rep_ms(const rb_request *rq) {
  return ms(rq->tempo_up) + ms(rq->tempo_hold) + ms(rq->tempo_down);
}

/* Updates the tempo part of the view for routine time now. */
static void update_tempo(rb_session *s, rb_ms now) {
  rb_ms rep_ms = tempo_rep_ms(&s->req), in, up, hold;
  rb_ms elapsed = now - s->ph_start;
  int rep;
  if (s->ph != PH_SET || !s->req.has_tempo || rep_ms <= 0)
    return;
  if (elapsed < 0)
    elapsed = 0;
  rep = (int)(elapsed / rep_ms);
  if (rep >= s->req.count)
    rep = s->req.count - 1;
  in = elapsed - (rb_ms)rep * rep_ms;
  up = ms(s->req.tempo_up);
  hold = ms(s->req.tempo_hold);
  s->view.rep = rep; /* done so far */
  if (in < up) {
    s->view.tempo_phase = RB_TEMPO_UP;
    s->view.tempo_phase_end = s->ph_start + (rb_ms)rep * rep_ms + up;
  } else if (in < up + hold) {
    s->view.tempo_phase = RB_TEMPO_HOLD;
    s->view.tempo_phase_end = s->ph_start + (rb_ms)rep * rep_ms + up + hold;
  } else {
    s->view.tempo_phase = RB_TEMPO_DOWN;
    s->view.tempo_phase_end = s->ph_start + (rb_ms)(rep + 1) * rep_ms;
  }
}

/* What follows part i of n of a hold or reps step: its rest, the next
 * part, or after the last part the routine's next step. */
static void next_within(rb_session *s, const char *part, int i, int n) {
  if (i < n && s->req.rest > 0)
    set_next(s, "Rest %g s", s->req.rest);
  else if (i < n)
    set_next(s, "%s %d of %d", part, i + 1, n);
  else
    preview_next(s, s->view.next, sizeof s->view.next);
}

static void start_phase(rb_session *s, phase ph, rb_ms duration) {
  rb_view *v = &s->view;
  s->ph = ph;
  s->ph_start = s->t;
  s->ph_end = duration >= 0 ? s->t + duration : RB_MS_NEVER;
  v->phase_start = s->ph_start;
  v->phase_end = s->ph_end;
  v->resting = ph == PH_HOLD_REST || ph == PH_SET_REST;
  v->waiting_next = ph == PH_WAIT_NEXT;
  v->tempo_phase = RB_TEMPO_NONE;
  v->next[0] = '\0';
  s->ncues = s->next_cue = 0;
  switch (ph) {
  case PH_SAY:
    v->kind = RB_VIEW_INFO;
    break;
  case PH_WAIT_NEXT:
    v->kind = RB_VIEW_INFO;
    preview_next(s, v->next, sizeof v->next);
    break;
  case PH_COUNTDOWN:
    v->kind = RB_VIEW_COUNTDOWN;
    preview_next(s, v->next, sizeof v->next);
    cue_now(s, RB_CUE_SPEECH, phrase(s, RB_PHRASE_GET_READY));
    add_beeps(s);
    break;
  case PH_HOLD:
    v->kind = RB_VIEW_HOLD;
    v->rep = s->rep;
    v->reps = s->req.reps;
    next_within(s, "Hold", s->rep, s->req.reps);
    if (duration >= HALFWAY_MIN_MS)
      add_cue(s, s->ph_start + duration / 2, RB_CUE_SPEECH, RB_PHRASE_HALFWAY);
    add_beeps(s);
    add_cue(s, s->ph_end, RB_CUE_CHIME, RB_PHRASE_COUNT);
    break;
  case PH_HOLD_REST:
    v->kind = RB_VIEW_REST;
    set_next(s, "Hold %d of %d", s->rep + 1, s->req.reps);
    add_beeps(s);
    break;
  case PH_SET:
    v->kind = RB_VIEW_REPS;
    v->set = s->set;
    v->sets = s->req.sets;
    v->reps = s->req.count;
    v->rep = s->done;
    v->self_paced = !s->req.has_tempo;
    update_tempo(s, s->t);
    next_within(s, "Set", s->set, s->req.sets);
    break;
  case PH_SET_REST:
    v->kind = RB_VIEW_REST;
    set_next(s, "Set %d of %d", s->set + 1, s->req.sets);
    add_beeps(s);
    break;
  case PH_REST:
    v->kind = RB_VIEW_REST;
    preview_next(s, v->next, sizeof v->next);
    add_beeps(s);
    break;
  default:
    break;
  }
}

/* The pending request is done: reply to it and run to the next one. */
static void step_done(rb_session *s, const cJSON *reply) {
  s->view.waiting_next = false;
  s->view.prompt[0] = '\0';
  run_routine(s, reply);
}

static void start_set(rb_session *s) {
  s->done = 0;
  emit_set(s);
  start_phase(s, PH_SET,
              s->req.has_tempo ? tempo_rep_ms(&s->req) * s->req.count : -1);
}

/* The current timed phase is over at routine time s->t. */
static void phase_over(rb_session *s) {
  switch (s->ph) {
  case PH_COUNTDOWN:
  case PH_REST:
  case PH_SAY:
    step_done(s, NULL);
    break;
  case PH_HOLD:
    if (s->rep >= s->req.reps) {
      step_done(s, NULL);
    } else if (s->req.rest > 0) {
      emit_rest(s, s->req.rest);
      start_phase(s, PH_HOLD_REST, ms(s->req.rest));
    } else {
      s->rep++;
      emit_hold(s);
      start_phase(s, PH_HOLD, ms(s->req.seconds));
    }
    break;
  case PH_HOLD_REST:
    s->rep++;
    emit_hold(s);
    start_phase(s, PH_HOLD, ms(s->req.seconds));
    break;
  case PH_SET:
    if (s->set >= s->req.sets) {
      step_done(s, NULL);
    } else if (s->req.rest > 0) {
      emit_rest(s, s->req.rest);
      start_phase(s, PH_SET_REST, ms(s->req.rest));
    } else {
      s->set++;
      start_set(s);
    }
    break;
  case PH_SET_REST:
    s->set++;
    start_set(s);
    break;
  default:
    break;
  }
}

static void begin_question(rb_session *s);
static bool take_answer(rb_session *s, const char *value, cJSON **reply);
static void begin_assess(rb_session *s);

/* Takes the request the routine just made. */
static void begin_request(rb_session *s) {
  rb_request *rq = &s->req;
  cJSON *f;
  switch (rq->kind) {
  case RB_REQ_WAIT_NEXT:
    emit(s, "wait_next", NULL);
    copy(s->view.prompt, sizeof s->view.prompt, rq->text);
    start_phase(s, PH_WAIT_NEXT, -1);
    break;
  case RB_REQ_COUNTDOWN:
    f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "seconds", rq->seconds);
    emit(s, "countdown", f);
    start_phase(s, PH_COUNTDOWN, ms(rq->seconds));
    break;
  case RB_REQ_HOLD:
    s->rep = 1;
    emit_hold(s);
    start_phase(s, PH_HOLD, ms(rq->seconds));
    break;
  case RB_REQ_REPS:
    s->set = 1;
    start_set(s);
    break;
  case RB_REQ_REST:
    emit_rest(s, rq->seconds);
    start_phase(s, PH_REST, ms(rq->seconds));
    break;
  case RB_REQ_ASK:
  case RB_REQ_ASK_SCALE:
  case RB_REQ_MEASURE:
    s->ph = PH_QUESTION;
    s->q = &s->req;
    begin_question(s);
    break;
  case RB_REQ_ASSESS:
    begin_assess(s);
    break;
  default:
    break;
  }
}

/* Shows the pending question (or the pain question after STOP) and
 * looks up a --answer for it, which rb_session_autoplay gives. */
static void begin_question(rb_session *s) {
  rb_request *rq = s->q;
  rb_view *v = &s->view;
  char key[RB_TEXT_MAX + 16], def[64];
  const char *given = NULL;
  bool stop = s->ph == PH_STOP_PAIN;
  cJSON *probe;
  v->stop_question = stop;
  v->next[0] = '\0';
  v->phase_end = RB_MS_NEVER;
  v->waiting_next = false;
  s->ph_end = RB_MS_NEVER;
  if (stop) {
    v->kind = RB_VIEW_SCALE;
    copy(v->question, sizeof v->question, phrase(s, RB_PHRASE_STOP_PAIN));
    v->min = 0;
    v->max = 10;
    v->step = 1;
    v->unit[0] = '\0';
    given = given_answer(s, STOP_QUESTION);
    if (!given)
      given = given_answer(s, "stop");
  } else {
    copy(v->question, sizeof v->question, rq->text);
    v->nchoices = rq->nchoices;
    for (int i = 0; i < rq->nchoices; i++)
      copy(v->choices[i], RB_SHORT_MAX, rq->choices[i]);
    v->min = rq->min;
    v->max = rq->max;
    v->step = rq->step;
    copy(v->unit, sizeof v->unit, rq->unit);
    if (rq->kind == RB_REQ_ASK)
      v->kind = RB_VIEW_ASK;
    else if (rq->kind == RB_REQ_ASK_SCALE)
      v->kind = RB_VIEW_SCALE;
    else
      v->kind = RB_VIEW_MEASURE;
    if (rq->kind == RB_REQ_MEASURE) {
      copy(v->side, sizeof v->side, rq->side);
      if (rq->side[0]) {
        snprintf(key, sizeof key, "%s.%s", rq->text, rq->side);
        given = given_answer(s, key);
      }
    }
    if (!given)
      given = given_answer(s, rq->text);
  }
  default_answer(s, def, sizeof def);
  v->initial = strtod(def, NULL);
  cue_now(s, RB_CUE_SAY, v->question);
  if (given && !make_reply(s, given, &probe)) {
    rb_log_warn("--answer '%s' does not fit \"%s\"; %s", given, v->question,
                s->opts.autopilot ? "using the default" : "asking instead");
    given = NULL;
  }
  cJSON_Delete(given ? probe : NULL);
  s->given = given;
}

/* Checks an answer to the pending question and writes its event. */
static bool take_answer(rb_session *s, const char *value, cJSON **reply) {
  cJSON *f;
  const char *event;
  if (!make_reply(s, value, reply))
    return false;
  f = cJSON_CreateObject();
  if (s->ph == PH_STOP_PAIN) {
    event = "ask_scale";
    cJSON_AddStringToObject(f, "question", s->view.question);
    s->view.pain_at_stop = (int)(*reply)->valuedouble;
  } else if (s->q->kind == RB_REQ_MEASURE) {
    event = "measure";
    cJSON_AddStringToObject(f, "name", s->q->text);
    cJSON_AddStringToObject(f, "unit", s->q->unit);
    add_side(f, s->q->side);
  } else {
    event = s->q->kind == RB_REQ_ASK ? "ask" : "ask_scale";
    cJSON_AddStringToObject(f, "question", s->q->text);
  }
  cJSON_AddItemToObject(f, "answer", cJSON_Duplicate(*reply, true));
  emit(s, event, f);
  return true;
}

/* --- assessments -----------------------------------------------------------
 * assess(id): the instructions, then each field the plugin declares (per
 * side where it says so) asked as a question, then the plugin's result
 * shown and spoken; assess() returns it. */

static const rbp_field *cur_field(const rb_session *s) {
  return &s->assess->fields[s->field_i];
}

static const char *cur_side(const rb_session *s) {
  return cur_field(s)->per_side ? (s->side_i == 0 ? "left" : "right") : "";
}

/* Ends the routine with an error at the assess() call. */
static void assess_error(rb_session *s, const char *why) {
  char msg[RB_ERROR_MAX + 256];
  snprintf(msg, sizeof msg, "%s:%d: assess(\"%s\"): %s", s->path, s->req.line,
           s->req.id, why);
  s->ph = PH_NONE;
  finish(s, RB_END_ERROR, msg);
}

/* Turns the current field (and side) into a question. */
static void ask_field(rb_session *s) {
  const rbp_field *f = cur_field(s);
  rb_request *q = &s->field;
  char key[RB_TEXT_MAX];
  *q = (rb_request){.line = s->req.line};
  copy(q->text, sizeof q->text, f->label);
  copy(q->side, sizeof q->side, cur_side(s));
  if (f->kind == RBP_FIELD_NUMBER) {
    q->kind = RB_REQ_MEASURE;
    copy(q->unit, sizeof q->unit, f->unit);
    q->min = f->min;
    q->max = f->max;
    q->step = f->step;
  } else {
    q->kind = RB_REQ_ASK;
    if (f->kind == RBP_FIELD_YESNO) {
      copy(q->choices[0], RB_SHORT_MAX, "Yes");
      copy(q->choices[1], RB_SHORT_MAX, "No");
      q->nchoices = 2;
    } else {
      for (int i = 0; i < RB_CHOICES_MAX && f->choices[i]; i++)
        copy(q->choices[q->nchoices++], RB_SHORT_MAX, f->choices[i]);
    }
  }
  s->q = q;
  s->ph = PH_ASSESS_FIELD;
  begin_question(s);
  /* --answer ID.FIELD.SIDE or ID.FIELD answers it */
  if (!s->given && *q->side) {
    snprintf(key, sizeof key, "%s.%s.%s", s->assess->id, f->name, q->side);
    s->given = given_answer(s, key);
  }
  if (!s->given) {
    snprintf(key, sizeof key, "%s.%s", s->assess->id, f->name);
    s->given = given_answer(s, key);
  }
  if (s->given) {
    cJSON *probe;
    if (make_reply(s, s->given, &probe))
      cJSON_Delete(probe);
    else {
      rb_log_warn("--answer '%s' does not fit %s.%s", s->given, s->assess->id,
                  f->name);
      s->given = NULL;
    }
  }
}

/* Fills the result view from the entered values and the result. */
static void show_result(rb_session *s) {
  rb_view *v = &s->view;
  const cJSON *e;
  v->kind = RB_VIEW_RESULT;
  v->nrows = v->nflags = 0;
  copy(v->assess_title, sizeof v->assess_title, s->assess->title);
  copy(v->title, sizeof v->title, s->assess->title);
  for (uint32_t i = 0; i < s->assess->nfields && v->nrows < RB_RESULT_ROWS_MAX;
       i++) {
    const rbp_field *f = &s->assess->fields[i];
    rb_result_row *r = &v->rows[v->nrows++];
    *r = (rb_result_row){.per_side = f->per_side != 0,
                         .numeric = f->kind == RBP_FIELD_NUMBER,
                         .min = f->min,
                         .max = f->max};
    copy(r->label, sizeof r->label, f->label);
    copy(r->unit, sizeof r->unit, f->unit);
    for (int side = 0; side < (f->per_side ? 2 : 1); side++) {
      char key[RB_SHORT_MAX * 2];
      const cJSON *val;
      char *text;
      double *num = !f->per_side ? &r->value : side ? &r->right : &r->left;
      char *words = !f->per_side ? r->text
                    : side       ? r->text_right
                                 : r->text_left;
      if (f->per_side)
        snprintf(key, sizeof key, "%s.%s", f->name, side ? "right" : "left");
      else
        snprintf(key, sizeof key, "%s", f->name);
      val = cJSON_GetObjectItem(s->values, key);
      if (cJSON_IsNumber(val))
        *num = val->valuedouble;
      text = !val || cJSON_IsString(val) ? NULL : cJSON_PrintUnformatted(val);
      copy(words, sizeof r->text,
           cJSON_IsString(val) ? val->valuestring
           : cJSON_IsBool(val) ? (cJSON_IsTrue(val) ? "Yes" : "No")
                               : text);
      free(text);
    }
  }
  cJSON_ArrayForEach(e, cJSON_GetObjectItem(s->result, "flags")) {
    if (v->nflags < RB_RESULT_FLAGS_MAX && cJSON_IsString(e))
      copy(v->flags[v->nflags++], RB_SHORT_MAX, e->valuestring);
  }
  e = cJSON_GetObjectItem(s->result, "summary");
  copy(v->summary, sizeof v->summary, cJSON_IsString(e) ? e->valuestring : "");
  copy(v->prompt, sizeof v->prompt, "OK");
  v->waiting_next = true;
}

static void evaluate_assess(rb_session *s) {
  char err[512];
  cJSON *f;
  s->result = rb_plugins_evaluate(s->opts.plugins, s->assess->id, s->values,
                                  err, sizeof err);
  if (!s->result) {
    assess_error(s, err);
    return;
  }
  f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "id", s->assess->id);
  cJSON_AddItemToObject(f, "result", cJSON_Duplicate(s->result, true));
  emit(s, "assess", f);
  s->ph = PH_ASSESS_RESULT;
  s->ph_end = RB_MS_NEVER;
  show_result(s);
  cue_now(s, RB_CUE_SAY, s->view.summary);
}

/* The key of the current field and side in s->values. */
static void field_key(const rb_session *s, char *key, size_t n) {
  if (*cur_side(s))
    snprintf(key, n, "%s.%s", cur_field(s)->name, cur_side(s));
  else
    snprintf(key, n, "%s", cur_field(s)->name);
}

/* Steps to the right side of a per-side field, or to the next field. */
static void advance_field(rb_session *s) {
  if (cur_field(s)->per_side && s->side_i == 0) {
    s->side_i = 1;
  } else {
    s->side_i = 0;
    s->field_i++;
  }
}

/* Moves to the next field or side, past those the routine gave in
 * assess(id, {values = ...}); asks it, or evaluates when none is left. */
static void next_field(rb_session *s) {
  char key[RB_SHORT_MAX * 2];
  while ((uint32_t)s->field_i < s->assess->nfields) {
    field_key(s, key, sizeof key);
    if (!cJSON_GetObjectItem(s->values, key)) {
      ask_field(s);
      return;
    }
    advance_field(s);
  }
  evaluate_assess(s);
}

/* Takes assess(id, {values = {["distance_cm.left"] = 12, ...}}): values
 * the routine measured itself. False (after ending the routine with an
 * error) when one does not fit the plugin's fields. */
static bool prefill(rb_session *s) {
  const cJSON *values = cJSON_GetObjectItem(s->req.assess_opts, "values");
  const cJSON *e;
  char why[512];
  if (!values)
    return true;
  if (cJSON_IsArray(values) && cJSON_GetArraySize(values) == 0)
    return true; /* {} comes as an empty list */
  if (!cJSON_IsObject(values)) {
    snprintf(why, sizeof why,
             "values must be a table of named fields, such as "
             "{[\"%s%s\"] = ...}",
             s->assess->fields[0].name,
             s->assess->fields[0].per_side ? ".left" : "");
    assess_error(s, why);
    return false;
  }
  cJSON_ArrayForEach(e, values) {
    const rbp_field *f = NULL;
    size_t len = strcspn(e->string, ".");
    const char *side = e->string[len] ? e->string + len + 1 : "";
    for (uint32_t i = 0; i < s->assess->nfields; i++)
      if (strlen(s->assess->fields[i].name) == len &&
          strncmp(s->assess->fields[i].name, e->string, len) == 0)
        f = &s->assess->fields[i];
    if (!f || (f->per_side ? strcmp(side, "left") && strcmp(side, "right")
                           : *side != '\0')) {
      snprintf(why, sizeof why, "values: no field '%s' (fields are %s%s)",
               e->string, s->assess->fields[0].name,
               s->assess->fields[0].per_side ? ".left, .right ..." : " ...");
      assess_error(s, why);
      return false;
    }
    if ((f->kind == RBP_FIELD_NUMBER &&
         (!cJSON_IsNumber(e) || e->valuedouble < f->min ||
          e->valuedouble > f->max)) ||
        (f->kind == RBP_FIELD_YESNO && !cJSON_IsBool(e)) ||
        (f->kind == RBP_FIELD_CHOICE && !cJSON_IsString(e))) {
      snprintf(why, sizeof why, "values: '%s' must be %s", e->string,
               f->kind == RBP_FIELD_NUMBER  ? "a number in the field's range"
               : f->kind == RBP_FIELD_YESNO ? "true or false"
                                            : "one of the field's choices");
      assess_error(s, why);
      return false;
    }
    cJSON_AddItemToObject(s->values, e->string, cJSON_Duplicate(e, true));
  }
  return true;
}

/* One field (side) answered: keep it, ask the next or evaluate. */
static void field_answered(rb_session *s, const cJSON *reply) {
  const rbp_field *f = cur_field(s);
  char key[RB_SHORT_MAX * 2];
  cJSON *value;
  field_key(s, key, sizeof key);
  value = f->kind == RBP_FIELD_YESNO
              ? cJSON_CreateBool(strcmp(reply->valuestring, "Yes") == 0)
              : cJSON_Duplicate(reply, true);
  cJSON_DeleteItemFromObject(s->values, key);
  cJSON_AddItemToObject(s->values, key, value);
  advance_field(s);
  next_field(s);
}

static void begin_assess(rb_session *s) {
  rb_view *v = &s->view;
  s->assess =
      s->opts.plugins ? rb_plugins_find(s->opts.plugins, s->req.id) : NULL;
  if (!s->assess) {
    char msg[RB_ERROR_MAX + 128];
    snprintf(msg, sizeof msg, "%s:%d: no assessment named '%s'%s", s->path,
             s->req.line, s->req.id,
             s->opts.plugins ? " (see `rebalance plugins`)"
                             : " (no plugins are loaded)");
    finish(s, RB_END_ERROR, msg);
    return;
  }
  cJSON_Delete(s->values);
  cJSON_Delete(s->result);
  s->values = cJSON_CreateObject();
  s->result = NULL;
  s->field_i = s->side_i = 0;
  if (!prefill(s))
    return;
  if (cJSON_GetArraySize(s->values) > 0) {
    next_field(s); /* the routine did the test: straight on */
    return;
  }
  start_phase(s, PH_ASSESS_INTRO, -1);
  v->kind = RB_VIEW_INFO;
  v->waiting_next = true;
  copy(v->title, sizeof v->title, s->assess->title);
  copy(v->text, sizeof v->text, s->assess->instructions);
  v->side[0] = '\0';
  copy(v->prompt, sizeof v->prompt, "Start the test");
  cue_now(s, RB_CUE_SAY, s->assess->instructions);
}

/* NEXT on an assessment's instructions or result. */
static bool assess_next(rb_session *s) {
  if (s->ph == PH_ASSESS_INTRO) {
    s->view.waiting_next = false;
    next_field(s);
    return true;
  }
  if (s->ph == PH_ASSESS_RESULT) {
    cJSON *result = s->result;
    s->result = NULL;
    step_done(s, result); /* assess() returns it */
    cJSON_Delete(result);
    return true;
  }
  return false;
}

/* Answers the pending question if value fits; false when it does not. */
static bool answer_now(rb_session *s, const char *value) {
  cJSON *reply;
  if (!take_answer(s, value, &reply)) {
    rb_log_warn("answer '%s' does not fit \"%s\"", value, s->view.question);
    return false;
  }
  s->given = NULL;
  if (s->ph == PH_STOP_PAIN)
    finish(s, RB_END_STOPPED, NULL);
  else if (s->ph == PH_ASSESS_FIELD)
    field_answered(s, reply);
  else
    step_done(s, reply);
  cJSON_Delete(reply);
  return true;
}

/* Resumes the routine with reply and runs it until it waits for time or
 * for the patient. Steps that finish at once (say, for
 * now) are taken in this loop, not by recursion. */
static void run_routine(rb_session *s, const cJSON *first_reply) {
  char msg[RB_ERROR_MAX + 128];
  const cJSON *reply = first_reply;
  while (s->routine) {
    if (s->nreplies >= STEPS_MAX || s->t > ROUTINE_MS_MAX) {
      snprintf(msg, sizeof msg,
               "%s:%d: the routine goes on too long (more than %d steps or "
               "%d hours); is a loop missing its end?",
               s->path, s->req.line, STEPS_MAX, ROUTINE_MS_MAX / 3600000);
      finish(s, RB_END_ERROR, msg);
      break;
    }
    cJSON_AddItemToArray(s->replies, reply ? cJSON_Duplicate(reply, true)
                                           : cJSON_CreateNull());
    s->nreplies++;
    s->ph = PH_NONE;
    rb_routine_resume(s->routine, reply, &s->req);
    reply = NULL;
    if (s->req.kind == RB_REQ_DONE) {
      finish(s, RB_END_COMPLETED, NULL);
      break;
    }
    if (s->req.kind == RB_REQ_ERROR) {
      finish(s, RB_END_ERROR, s->req.error);
      break;
    }
    if (s->req.kind == RB_REQ_SAY) {
      const rb_session_voice *v = s->opts.voice;
      cJSON *f = cJSON_CreateObject();
      rb_ms left;
      cJSON_AddStringToObject(f, "text", s->req.text);
      emit(s, "say", f);
      copy(s->view.caption, sizeof s->view.caption, s->req.text);
      voice_cue(s, RB_CUE_SAY, s->req.text);
      /* say() waits until it has been spoken; with no voice, not at all */
      left = v && v->remaining ? v->remaining(v->ud, s->t) : 0;
      if (left == 0)
        continue;
      start_phase(s, PH_SAY, left);
      break;
    }
    begin_request(s);
    break;
  }
}

/* --- public -----------------------------------------------------------------
 */

static void id_from_path(const char *path, char *out, size_t n) {
  const char *base = strrchr(path, '/');
  char *dot;
  copy(out, n, base ? base + 1 : path);
  dot = strrchr(out, '.');
  if (dot)
    *dot = '\0';
}

rb_session *rb_session_new(const char *routine_path, rb_clock *clock,
                           rb_timeline *tl, const rb_session_opts *opts) {
  rb_session *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->replies = cJSON_CreateArray();
  if (!s->replies) {
    free(s);
    return NULL;
  }
  s->clock = clock;
  s->tl = tl;
  if (opts)
    s->opts = *opts;
  copy(s->path, sizeof s->path, routine_path);
  s->ph_end = RB_MS_NEVER;
  s->view.pain_at_stop = -1;
  s->q = &s->req;
  s->view.phase_end = RB_MS_NEVER;
  s->routine = rb_routine_load(routine_path, &s->opts.limits, s->opts.seed,
                               s->load_error, sizeof s->load_error);
  if (s->routine) {
    rb_routine_hooks hooks = {
        .ud = s, .show = on_show, .record = on_record, .print = on_print};
    s->meta = *rb_routine_meta(s->routine);
    rb_routine_set_hooks(s->routine, &hooks);
  } else {
    id_from_path(routine_path, s->meta.id, sizeof s->meta.id);
    copy(s->meta.path, sizeof s->meta.path, routine_path);
  }
  s->view.meta = &s->meta;
  return s;
}

void rb_session_free(rb_session *s) {
  if (!s)
    return;
  if (s->started && rb_clock_paused(s->clock))
    set_paused(s, false); /* never leave the voice paused for the next */
  rb_routine_free(s->routine);
  cJSON_Delete(s->replies);
  cJSON_Delete(s->values);
  cJSON_Delete(s->result);
  free(s);
}

void rb_session_start(rb_session *s) {
  cJSON *f = cJSON_CreateObject();
  if (s->started)
    return;
  s->started = true;
  rb_clock_start(s->clock);
  set_paused(s, false); /* the voice may have been left paused before */
  s->t = 0;
  cJSON_AddStringToObject(f, "routine", s->meta.id);
  cJSON_AddStringToObject(f, "title", s->meta.title);
  emit(s, "start", f);
  for (int p = 0; p < RB_PHRASE_COUNT; p++)
    voice_prepare(s, phrase(s, (rb_phrase)p));
  if (!s->routine) {
    finish(s, RB_END_ERROR, s->load_error);
    return;
  }
  run_routine(s, NULL);
}

static bool timed(phase ph) {
  return ph == PH_COUNTDOWN || ph == PH_HOLD || ph == PH_HOLD_REST ||
         (ph == PH_SET) || ph == PH_SET_REST || ph == PH_REST || ph == PH_SAY;
}

/* Routine time of the next thing that happens on its own. */
/* Routine time of the next thing that happens on its own: a timed cue,
 * a tempo word, the end of the phase. */
static rb_ms next_due(const rb_session *s) {
  rb_ms due = timed(s->ph) ? s->ph_end : RB_MS_NEVER;
  if (s->next_cue < s->ncues && s->cues[s->next_cue].due < due)
    due = s->cues[s->next_cue].due;
  if (s->ph == PH_SET && s->req.has_tempo && s->view.tempo_phase_end < due)
    due = s->view.tempo_phase_end;
  return due;
}

/* A tempo repetition moved on to its next part at routine time s->t. */
static void tempo_step(rb_session *s) {
  static const rb_phrase words[] = {[RB_TEMPO_UP] = RB_PHRASE_UP,
                                    [RB_TEMPO_HOLD] = RB_PHRASE_HOLD,
                                    [RB_TEMPO_DOWN] = RB_PHRASE_DOWN};
  char text[RB_SHORT_MAX] = "";
  rb_tempo_phase tp;
  update_tempo(s, s->t);
  tp = s->view.tempo_phase;
  if (s->req.tempo_ticks) {
    cue_now(s, RB_CUE_TICK, "");
    return;
  }
  if (tp == RB_TEMPO_UP && s->set == s->req.sets &&
      s->view.rep == s->req.count - 1)
    append(text, sizeof text, phrase(s, RB_PHRASE_LAST_ONE));
  append(text, sizeof text, phrase(s, words[tp]));
  cue_now(s, RB_CUE_SPEECH, text);
}

void rb_session_tick(rb_session *s) {
  rb_ms now;
  if (!s->started || s->ph == PH_ENDED || rb_clock_paused(s->clock))
    return;
  now = rb_clock_now(s->clock);
  /* Everything happens at its own time, not when we woke up, so late
   * wake-ups never add time; a cue due as its phase ends (the chime)
   * comes first. */
  while (s->ph != PH_ENDED) {
    rb_ms due = next_due(s);
    if (due > now)
      break;
    s->t = due;
    if (s->next_cue < s->ncues && s->cues[s->next_cue].due == due) {
      const timed_cue *c = &s->cues[s->next_cue++];
      cue_now(s, c->kind, c->kind == RB_CUE_SPEECH ? phrase(s, c->phrase) : "");
    } else if (s->ph == PH_SET && s->req.has_tempo &&
               s->view.tempo_phase_end == due && due < s->ph_end) {
      tempo_step(s);
    } else {
      phase_over(s);
    }
  }
  if (s->ph == PH_SET)
    update_tempo(s, now);
  if (s->ph != PH_ENDED)
    s->t = now;
}

void rb_session_voice_ready(rb_session *s) {
  const rb_session_voice *v = s->opts.voice;
  rb_ms left;
  if (!s->started || s->ph != PH_SAY || s->ph_end != RB_MS_NEVER || !v ||
      !v->remaining)
    return;
  s->t = rb_clock_now(s->clock);
  left = v->remaining(v->ud, s->t);
  if (left < 0)
    return; /* still synthesizing */
  s->ph_end = s->t + left;
  s->view.phase_end = s->ph_end;
}

rb_ms rb_session_deadline(const rb_session *s) {
  if (!s->started || s->ph == PH_ENDED)
    return RB_MS_NEVER;
  return rb_clock_raw_at(s->clock, next_due(s));
}

static void toggle_pause(rb_session *s) {
  bool pause = !rb_clock_paused(s->clock);
  set_paused(s, pause);
  emit(s, pause ? "pause" : "resume", NULL);
}

static void count_rep(rb_session *s, int delta) {
  s->done += delta;
  if (s->done < 0)
    s->done = 0;
  s->view.rep = s->done;
  if (delta > 0 && s->req.count > 1 && s->done == s->req.count - 1 &&
      s->set == s->req.sets)
    cue_now(s, RB_CUE_SPEECH, phrase(s, RB_PHRASE_LAST_ONE));
  if (s->done >= s->req.count) {
    s->ph_end = s->t;
    phase_over(s);
  }
}

/* PRIMARY or NEXT where the routine waits for the patient: go on past
 * wait_next or an assessment's screen, or count a self-paced rep. */
static bool patient_goes_on(rb_session *s) {
  if (assess_next(s))
    return true;
  if (s->ph == PH_WAIT_NEXT) {
    step_done(s, NULL);
    return true;
  }
  if (s->ph == PH_SET && !s->req.has_tempo) {
    count_rep(s, 1);
    return true;
  }
  return false;
}

bool rb_session_act(rb_session *s, const rb_action *a) {
  if (!s->started || s->ph == PH_ENDED)
    return false;
  rb_session_tick(s);
  if (s->ph == PH_ENDED)
    return false;
  s->t = rb_clock_now(s->clock);
  switch (a->kind) {
  case RB_ACTION_STOP:
    if (s->ph == PH_STOP_PAIN)
      return false;
    /* the routine ends at once: drop its coroutine, stop talking; the
     * pain question is asked aloud, so nothing stays paused */
    if (rb_clock_paused(s->clock))
      set_paused(s, false);
    voice_hush(s);
    rb_routine_free(s->routine);
    s->routine = NULL;
    s->ph = PH_STOP_PAIN;
    begin_question(s);
    return true;
  case RB_ACTION_PRIMARY:
    if (patient_goes_on(s))
      return true;
    if (timed(s->ph)) {
      toggle_pause(s);
      return true;
    }
    return false;
  case RB_ACTION_NEXT:
    if (patient_goes_on(s))
      return true;
    if (timed(s->ph)) {
      if (rb_clock_paused(s->clock))
        toggle_pause(s);
      emit(s, "skip", NULL);
      voice_hush(s);
      s->ncues = s->next_cue = 0;
      s->ph_end = s->t;
      phase_over(s);
      return true;
    }
    return false;
  case RB_ACTION_BACK:
    if (s->ph == PH_SET && !s->req.has_tempo && s->done > 0) {
      count_rep(s, -1);
      return true;
    }
    return false;
  case RB_ACTION_ANSWER:
    if (s->ph == PH_QUESTION || s->ph == PH_STOP_PAIN ||
        s->ph == PH_ASSESS_FIELD)
      return answer_now(s, a->value);
    return false;
  default:
    return false;
  }
}

bool rb_session_autoplay(rb_session *s) {
  char def[64];
  if (!s->started || s->ph == PH_ENDED)
    return false;
  s->t = rb_clock_now(s->clock);
  switch (s->ph) {
  case PH_ASSESS_INTRO:
  case PH_ASSESS_RESULT:
    return s->opts.autopilot && assess_next(s);
  case PH_QUESTION:
  case PH_STOP_PAIN:
  case PH_ASSESS_FIELD:
    if (s->given)
      return answer_now(s, s->given);
    if (!s->opts.autopilot)
      return false;
    default_answer(s, def, sizeof def);
    return answer_now(s, def);
  case PH_WAIT_NEXT:
    if (!s->opts.autopilot)
      return false;
    step_done(s, NULL);
    return true;
  case PH_SET:
    if (!s->opts.autopilot || s->req.has_tempo)
      return false;
    count_rep(s, s->req.count - s->done);
    return true;
  default:
    return false;
  }
}

const rb_view *rb_session_view(const rb_session *s) { return &s->view; }

bool rb_session_ended(const rb_session *s) { return s->ph == PH_ENDED; }

rb_end_status rb_session_status(const rb_session *s) { return s->view.status; }

bool rb_session_waiting(const rb_session *s) {
  return s->started && s->ph != PH_ENDED &&
         (rb_clock_paused(s->clock) || !timed(s->ph) ||
          (s->ph == PH_SET && !s->req.has_tempo));
}

void rb_session_abort(rb_session *s, const char *reason) {
  if (!s->started || s->ph == PH_ENDED)
    return;
  s->t = rb_clock_now(s->clock);
  finish(s, RB_END_ERROR, reason);
}

rb_end_status rb_session_simulate(const char *path, rb_timeline *tl,
                                  const rb_session_opts *opts,
                                  double *duration_s, char *err,
                                  size_t errlen) {
  rb_session_opts o = opts ? *opts : (rb_session_opts){0};
  rb_clock *clock = rb_clock_new(true);
  rb_session *s = NULL;
  rb_end_status st = RB_END_ERROR;
  snprintf(err, errlen, "out of memory");
  *duration_s = 0;
  if (!clock)
    goto done;
  o.autopilot = true;
  s = rb_session_new(path, clock, tl, &o);
  if (!s)
    goto done;
  rb_session_start(s);
  while (!rb_session_ended(s)) {
    rb_ms due;
    while (rb_session_autoplay(s))
      ;
    if (rb_session_ended(s))
      break;
    due = rb_session_deadline(s);
    if (due == RB_MS_NEVER) {
      /* cannot happen with the autopilot; never spin if it does */
      rb_session_abort(s, "simulate: the routine waits for nothing");
      break;
    }
    rb_clock_set(clock, due);
    rb_session_tick(s);
  }
  st = rb_session_status(s);
  *duration_s = s->view.duration_s;
  snprintf(err, errlen, "%s", s->view.error);
done:
  rb_session_free(s);
  rb_clock_free(clock);
  return st;
}

const char *rb_end_status_name(rb_end_status st) {
  switch (st) {
  case RB_END_COMPLETED:
    return "completed";
  case RB_END_STOPPED:
    return "stopped";
  case RB_END_ERROR:
    return "error";
  default:
    return "none";
  }
}
