#include "session.h"

#include "announce.h"
#include "answers.h"
#include "assessment.h"
#include "log.h"
#include "phrases.h"
#include "plan.h"
#include "preview.h"
#include "step.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the session is inside the pending request. */
typedef enum {
  PH_NONE,          /* running Lua, or not started */
  PH_STEP,          /* a timed step (step.c), or a say() being spoken */
  PH_WAIT_NEXT,     /* wait_next() */
  PH_QUESTION,      /* ask, ask_scale, measure */
  PH_STOP_PAIN,     /* the pain question after STOP */
  PH_ASSESS_INTRO,  /* assess(): its instructions, until NEXT */
  PH_ASSESS_FIELD,  /* assess(): one field (one side of it) */
  PH_ASSESS_RESULT, /* assess(): the result, until NEXT */
  PH_ENDED
} phase;

/* A routine that makes more steps or runs longer than this has a loop
 * without an end; under `simulate` it would never finish. */
#define STEPS_MAX 100000
#define ROUTINE_MS_MAX (4 * 3600 * 1000)

/* --answer keys of the pain question after STOP (its English text, which
 * scripts use whatever the routine's language, or "stop") */
#define STOP_QUESTION "You pressed stop. How much does it hurt now?"

struct rb_session {
  rb_clock *clock;
  rb_session_opts opts;
  char path[RB_TEXT_MAX];
  rb_routine *routine; /* NULL when loading failed or after STOP */
  rb_meta meta;
  char load_error[RB_ERROR_MAX];
  rb_view view;
  rb_request req; /* the pending request */
  phase ph;
  rb_ms t;           /* routine time of what is being processed now */
  rb_step step;      /* the timed step under way */
  int steps;         /* resumes so far */
  const char *given; /* --answer for the pending question, or NULL */
  /* which --answer keys a question of this run had (the others are
   * mistakes simulate reports) */
  bool answer_seen[RB_ANSWERS_SEEN_MAX];
  int nasked; /* questions asked so far (for opts.pick) */
  bool started;
  rb_announcer ann; /* events to the sinks, cues to the voice */
  rb_question q;    /* the question being asked */
  rb_assessment *assess;
  rb_preview *preview;
  rb_view_ended ended; /* what the summary will show, kept as it comes */
};

/* Copies src, cut to fit: texts are bounded by the routine API. */
static void copy(char *dst, size_t n, const char *src) {
  size_t len = src ? strnlen(src, n - 1) : 0;
  memcpy(dst, src ? src : "", len);
  dst[len] = '\0';
}

static const char *lang_of(const rb_session *s) {
  return s->meta.language[0] ? s->meta.language : NULL;
}

static const char *phrase(const rb_session *s, rb_phrase p) {
  return rb_phrase_text(lang_of(s), p);
}

/* --- telling: events to the sinks, cues to the voice (announce.c) --- */

static void emit(rb_session *s, const char *event, cJSON *fields) {
  rb_announce_event(&s->ann, s->t, event, fields);
}

static void cue_now(rb_session *s, rb_cue_kind kind, const char *text) {
  rb_announce_cue(&s->ann, s->t, kind, text);
}

static void prepare(void *ud, const char *text) {
  rb_announce_prepare(ud, text);
}

/* The one place pause changes: the routine clock, the view and the voice
 * follow together, so none can be left paused behind the others. */
static void set_paused(rb_session *s, bool paused) {
  if (paused)
    rb_clock_pause(s->clock);
  else
    rb_clock_resume(s->clock);
  s->view.paused = paused;
  rb_announce_pause(&s->ann, paused);
}

/* --- ending --------------------------------------------------------------- */

static void finish(rb_session *s, rb_end_status st, const char *error,
                   const char *reason) {
  if (s->ph == PH_ENDED)
    return;
  if (rb_clock_paused(s->clock))
    set_paused(s, false);
  /* never "well done" after a stop, or when the pain went up */
  if (st == RB_END_COMPLETED && !rb_view_ended_pain_rose(&s->ended, 0, 0))
    cue_now(s, RB_CUE_SAY, phrase(s, RB_PHRASE_WELL_DONE));
  s->ph = PH_ENDED;
  rb_step_clear(&s->step);
  s->ended.status = st;
  s->ended.duration_s = (double)s->t / 1000.0;
  copy(s->ended.error, sizeof s->ended.error, error);
  copy(s->ended.reason, sizeof s->ended.reason, reason);
  s->view.kind = RB_VIEW_ENDED;
  s->view.ended = s->ended;
  s->view.phase_end = RB_MS_NEVER;
  rb_announce_end(&s->ann, s->t,
                  &(rb_session_end){.routine = s->meta.id,
                                    .status = st,
                                    .reason = s->ended.reason,
                                    .duration_s = s->ended.duration_s,
                                    .error = s->ended.error,
                                    .pain_at_stop = s->ended.pain_at_stop});
}

/* --- hooks: calls that take no time --------------------------------------- */

static void run_routine(rb_session *s, const cJSON *first_reply);

/* stop(), or pain_check's rule: shown and spoken, then ended as stopped
 * with the reason; no pain question (the routine has just asked, or says
 * why itself) and no "well done". */
static void stop_by_routine(rb_session *s) {
  const char *text = s->req.text;
  if (!*text && strcmp(s->req.id, "pain_before") == 0)
    text = phrase(s, RB_PHRASE_REST_TODAY);
  else if (!*text && strcmp(s->req.id, "pain_rise") == 0)
    text = phrase(s, RB_PHRASE_STOP_PAIN_ROSE);
  copy(s->ended.message, sizeof s->ended.message, text);
  if (*text) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "text", text);
    emit(s, "say", f);
    cue_now(s, RB_CUE_SAY, text);
  }
  finish(s, RB_END_STOPPED, NULL, s->req.id);
}

static void on_show(void *ud, const char *title, const char *text,
                    const char *side, const char *figure) {
  rb_session *s = ud;
  cJSON *f = cJSON_CreateObject();
  /* another exercise: its first side is not a switch of sides */
  if (strcmp(s->view.title, title) != 0)
    rb_announce_new_exercise(&s->ann);
  copy(s->view.title, sizeof s->view.title, title);
  copy(s->view.text, sizeof s->view.text, text);
  copy(s->view.side, sizeof s->view.side, side);
  copy(s->view.figure, sizeof s->view.figure, figure);
  cJSON_AddStringToObject(f, "title", s->view.title);
  cJSON_AddStringToObject(f, "text", s->view.text);
  if (*side)
    cJSON_AddStringToObject(f, "side", side);
  else
    cJSON_AddNullToObject(f, "side");
  if (*figure) /* DESIGN: "figure when one is shown" */
    cJSON_AddStringToObject(f, "figure", s->view.figure);
  emit(s, "show", f);
}

static void on_record(void *ud, const char *key, cJSON *value,
                      const char *label, const char *unit) {
  rb_session *s = ud;
  cJSON *f = cJSON_CreateObject();
  rb_view_ended_record(&s->ended, key, value);
  cJSON_AddStringToObject(f, "key", key);
  cJSON_AddItemToObject(f, "value", value);
  if (*label)
    cJSON_AddStringToObject(f, "label", label);
  if (*unit)
    cJSON_AddStringToObject(f, "unit", unit);
  emit(s, "record", f);
}

/* API 1.1: the patient's past, from the lookup (the store) */
static cJSON *on_history(void *ud, const char *key, int n) {
  rb_session *s = ud;
  const rb_lookup *l = s->opts.lookup;
  return l && l->history ? l->history(l->ud, key, n) : NULL;
}

static cJSON *on_last_session(void *ud, const char *routine) {
  rb_session *s = ud;
  const rb_lookup *l = s->opts.lookup;
  return l && l->last_session ? l->last_session(l->ud, routine) : NULL;
}

/* --param NAME=VALUE or ROUTINE_ID.NAME=VALUE first, then the therapist's
 * value for this patient. */
static bool on_param(void *ud, const char *name, char *out, size_t n) {
  rb_session *s = ud;
  const rb_lookup *l = s->opts.lookup;
  char full[2 * RB_SHORT_MAX + 2];
  const char *v;
  snprintf(full, sizeof full, "%s.%s", s->meta.id, name);
  v = rb_answers_find(s->opts.params, s->opts.nparams, full);
  if (!v)
    v = rb_answers_find(s->opts.params, s->opts.nparams, name);
  if (v) {
    snprintf(out, n, "%s", v);
    return true;
  }
  return l && l->param && l->param(l->ud, s->meta.id, name, out, n);
}

static void on_print(void *ud, const char *file_line, const char *msg) {
  (void)ud;
  rb_log_info("%s: %s", file_line, msg);
}

/* The pending request is done: reply to it and run to the next one. */
static void step_done(rb_session *s, const cJSON *reply) {
  if (s->view.kind == RB_VIEW_INFO)
    s->view.info = (rb_view_info){0};
  run_routine(s, reply);
}

/* --- questions ---------------------------------------------------------------
 * The routine's ask, ask_scale and measure, an assessment's fields and the
 * pain question after STOP are asked the same way: shown, spoken, and
 * answered by the patient or by a --answer under one of their keys. */

static void ask(rb_session *s, phase ph, const char *const *keys, int nkeys) {
  rb_view *v = &s->view;
  char def[RB_SHORT_MAX + 32];
  s->ph = ph;
  rb_step_clear(&s->step);
  v->kind = s->q.kind == RB_QUESTION_CHOICE  ? RB_VIEW_ASK
            : s->q.kind == RB_QUESTION_SCALE ? RB_VIEW_SCALE
                                             : RB_VIEW_MEASURE;
  v->next[0] = v->next_side[0] = '\0';
  v->phase_end = RB_MS_NEVER;
  rb_answer_default(&s->q, def, sizeof def);
  v->question = (rb_view_question){.q = s->q,
                                   .initial = strtod(def, NULL),
                                   .stop_question = ph == PH_STOP_PAIN};
  rb_announce_question(&s->ann, s->t, s->q.side, s->q.text);
  for (int i = 0; i < s->opts.nanswers && i < RB_ANSWERS_SEEN_MAX; i++) {
    const char *a = s->opts.answers[i], *eq = strchr(a, '=');
    size_t kl = eq ? (size_t)(eq - a) : strlen(a);
    for (int k = 0; k < nkeys; k++)
      if (keys[k] && strlen(keys[k]) == kl && strncmp(keys[k], a, kl) == 0)
        s->answer_seen[i] = true;
  }
  s->given = rb_answers_given(s->opts.answers, s->opts.nanswers, &s->q, keys,
                              nkeys, s->opts.autopilot);
  if (!s->given && s->opts.pick)
    s->given = s->opts.pick(s->opts.pick_ud, s->nasked, &s->q);
  s->nasked++;
}

/* The routine's ask, ask_scale or measure. */
static void ask_routine_question(rb_session *s) {
  char keys[2][RB_TEXT_MAX + 16];
  const char *k[2] = {keys[0], keys[1]};
  rb_question_from_request(&s->req, &s->q, keys);
  ask(s, PH_QUESTION, k, 2);
}

static void ask_stop_pain(rb_session *s) {
  const char *keys[] = {STOP_QUESTION, "stop"};
  s->q =
      (rb_question){.kind = RB_QUESTION_SCALE, .min = 0, .max = 10, .step = 1};
  copy(s->q.text, sizeof s->q.text, phrase(s, RB_PHRASE_STOP_PAIN));
  ask(s, PH_STOP_PAIN, keys, 2);
}

/* --- assessments -------------------------------------------------------------
 * assess(id): its instructions, each field as a question, the result shown
 * and spoken; assess() returns the result. assessment.c does the work. */

static void assess_failed(rb_session *s, const char *why) {
  char msg[RB_ERROR_MAX + 256];
  snprintf(msg, sizeof msg, "%s:%d: %s", s->path, s->req.line, why);
  s->ph = PH_NONE;
  finish(s, RB_END_ERROR, msg, NULL);
}

/* The instructions, for the whole test or (side "right") its second
 * side, until NEXT. */
static void assess_intro(rb_session *s, const char *side) {
  rb_view *v = &s->view;
  s->ph = PH_ASSESS_INTRO;
  v->kind = RB_VIEW_INFO;
  v->phase_end = RB_MS_NEVER;
  v->next[0] = v->next_side[0] = '\0';
  /* the test's position, when a figure is named after it */
  copy(v->figure, sizeof v->figure, s->req.id);
  copy(v->title, sizeof v->title, rb_assessment_title(s->assess));
  copy(v->text, sizeof v->text, rb_assessment_instructions(s->assess));
  v->info = (rb_view_info){.waiting = true};
  copy(v->info.side, sizeof v->info.side, side);
  copy(v->info.prompt, sizeof v->info.prompt, phrase(s, RB_PHRASE_START_TEST));
  rb_announce_question(&s->ann, s->t, side, v->text);
}

/* Asks the next field, or evaluates and shows the result. */
static void assess_go_on(rb_session *s) {
  char keys[2][RB_TEXT_MAX], label_side[RB_TEXT_MAX + 16], err[512];
  rb_view *v = &s->view;
  rb_assess_next next = rb_assessment_question(s->assess, &s->q, keys);
  if (next == RB_ASSESS_RIGHT_SIDE) {
    assess_intro(s, "right");
    return;
  }
  if (next == RB_ASSESS_ASK) {
    /* a measurement's own name (per side) answers it, then ID.FIELD... */
    const char *k[4] = {label_side, s->q.text, keys[0], keys[1]};
    label_side[0] = '\0';
    if (s->q.kind == RB_QUESTION_NUMBER && s->q.side[0])
      snprintf(label_side, sizeof label_side, "%s.%s", s->q.text, s->q.side);
    ask(s, PH_ASSESS_FIELD, k, 4);
    return;
  }
  if (!rb_assessment_evaluate(s->assess, err, sizeof err)) {
    char why[RB_SHORT_MAX + 600];
    snprintf(why, sizeof why, "assess(\"%s\"): %s", s->req.id, err);
    assess_failed(s, why);
    return;
  }
  {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "id", s->req.id);
    cJSON_AddItemToObject(
        f, "result", cJSON_Duplicate(rb_assessment_result(s->assess), true));
    emit(s, "assess", f);
  }
  s->ph = PH_ASSESS_RESULT;
  v->kind = RB_VIEW_RESULT;
  v->phase_end = RB_MS_NEVER;
  copy(v->title, sizeof v->title, rb_assessment_title(s->assess));
  rb_assessment_view(s->assess, &v->result);
  cue_now(s, RB_CUE_SAY, v->result.summary);
}

static void begin_assess(rb_session *s) {
  char err[600];
  rb_assessment_free(s->assess);
  s->assess = rb_assessment_new(s->opts.plugins, s->req.id, s->req.assess_opts,
                                lang_of(s), err, sizeof err);
  if (!s->assess) {
    assess_failed(s, err);
    return;
  }
  if (rb_assessment_prefilled(s->assess))
    assess_go_on(s); /* the routine did the test: straight on */
  else
    assess_intro(s, rb_assessment_first_side(s->assess));
}

/* NEXT on an assessment's instructions or result. */
static bool assess_next(rb_session *s) {
  if (s->ph == PH_ASSESS_INTRO) {
    s->view.info.waiting = false;
    assess_go_on(s);
    return true;
  }
  if (s->ph == PH_ASSESS_RESULT) {
    cJSON *result = cJSON_Duplicate(rb_assessment_result(s->assess), true);
    rb_assessment_free(s->assess);
    s->assess = NULL;
    step_done(s, result); /* assess() returns it */
    cJSON_Delete(result);
    return true;
  }
  return false;
}

/* Answers the pending question if value fits; false when it does not. */
static bool answer_now(rb_session *s, const char *value) {
  cJSON *reply = rb_answer_parse(&s->q, value);
  if (!reply) {
    rb_log_warn("answer '%s' does not fit \"%s\"", value, s->q.text);
    return false;
  }
  {
    const char *event;
    cJSON *f = rb_answer_event(&s->q, reply, &event);
    emit(s, event, f);
  }
  s->given = NULL;
  if (s->ph == PH_STOP_PAIN) {
    s->ended.pain_at_stop = (int)reply->valuedouble;
    finish(s, RB_END_STOPPED, NULL, "patient");
  } else if (s->ph == PH_ASSESS_FIELD) {
    rb_assessment_answer(s->assess, reply);
    assess_go_on(s);
  } else {
    step_done(s, reply);
  }
  cJSON_Delete(reply);
  return true;
}

/* --- running the routine --------------------------------------------- */

/* What a timed step takes on the routine clock, in seconds (a set
 * without tempo: only its rests). */
static double step_seconds(const rb_request *rq) {
  switch (rq->kind) {
  case RB_REQ_HOLD:
    return rq->seconds * rq->reps + rq->rest * (rq->reps - 1);
  case RB_REQ_REPS:
    return (rq->has_tempo ? (double)rq->count * rq->sets *
                                (rq->tempo_up + rq->tempo_hold + rq->tempo_down)
                          : 0) +
           rq->rest * (rq->sets - 1);
  case RB_REQ_COUNTDOWN:
  case RB_REQ_REST:
    return rq->seconds;
  default:
    return 0;
  }
}

/* Takes the request the routine just made. */
static void begin_request(rb_session *s) {
  rb_request *rq = &s->req;
  double need = step_seconds(rq);
  if (s->t + need * 1000 > ROUTINE_MS_MAX) {
    /* said now, not after hours of the virtual clock */
    char msg[RB_ERROR_MAX + 128];
    snprintf(msg, sizeof msg,
             "%s:%d: this step takes %.0f s, which would take the routine "
             "past the %d hours it may run",
             s->path, rq->line, need, ROUTINE_MS_MAX / 3600000);
    finish(s, RB_END_ERROR, msg, NULL);
    return;
  }
  switch (rq->kind) {
  case RB_REQ_WAIT_NEXT:
    emit(s, "wait_next", NULL);
    s->ph = PH_WAIT_NEXT;
    s->view.kind = RB_VIEW_INFO;
    s->view.info.waiting = true;
    copy(s->view.info.prompt, sizeof s->view.info.prompt, rq->text);
    s->view.phase_end = RB_MS_NEVER;
    s->view.next[0] = '\0';
    s->view.next_figure[0] = '\0';
    if (s->preview) {
      rb_preview_next(s->preview, lang_of(s), s->view.next, sizeof s->view.next,
                      s->view.next_side);
      copy(s->view.next_figure, sizeof s->view.next_figure,
           rb_preview_next_figure(s->preview));
    }
    break;
  case RB_REQ_HOLD:
  case RB_REQ_REPS: /* an exercise step: where we are in the plan */
    s->view.step++;
    s->view.steps = rb_plan_steps(s->opts.plan);
    if (s->view.steps < s->view.step) /* the dry run took another way */
      s->view.steps = s->view.step;
    s->view.left_s = rb_plan_seconds_left(s->opts.plan, s->view.step - 1);
    /* fall through */
  case RB_REQ_COUNTDOWN:
  case RB_REQ_REST:
    s->ph = PH_STEP;
    rb_step_start(&s->step, rq, s->t);
    break;
  case RB_REQ_ASK:
  case RB_REQ_ASK_SCALE:
  case RB_REQ_MEASURE:
    ask_routine_question(s);
    break;
  case RB_REQ_ASSESS:
    begin_assess(s);
    break;
  default:
    break;
  }
}

/* say(): shown and spoken; it waits until it has been spoken (with no
 * voice, not at all). False when it takes no time. */
static bool begin_say(rb_session *s) {
  cJSON *f = cJSON_CreateObject();
  rb_ms left;
  cJSON_AddStringToObject(f, "text", s->req.text);
  emit(s, "say", f);
  copy(s->view.caption, sizeof s->view.caption, s->req.text);
  rb_announce_sound(&s->ann, s->t, RB_CUE_SAY, s->req.text);
  left = rb_announce_remaining(&s->ann, s->t);
  if (left == 0)
    return false;
  s->ph = PH_STEP;
  rb_step_say(&s->step, s->t, left < 0 ? RB_MS_NEVER : left);
  return true;
}

/* Resumes the routine with reply and runs it until it waits for time or
 * for the patient. Steps that finish at once (a say with no voice) are
 * taken in this loop, not by recursion. */
static void run_routine(rb_session *s, const cJSON *first_reply) {
  char msg[RB_ERROR_MAX + 128];
  const cJSON *reply = first_reply;
  while (s->routine) {
    if (s->steps >= STEPS_MAX || s->t > ROUTINE_MS_MAX) {
      snprintf(msg, sizeof msg,
               "%s:%d: the routine goes on too long (more than %d steps or "
               "%d hours); is a loop missing its end?",
               s->path, s->req.line, STEPS_MAX, ROUTINE_MS_MAX / 3600000);
      finish(s, RB_END_ERROR, msg, NULL);
      break;
    }
    s->steps++;
    if (s->preview)
      rb_preview_follow(s->preview, reply);
    s->ph = PH_NONE;
    rb_routine_resume(s->routine, reply, &s->req);
    reply = NULL;
    if (s->req.kind == RB_REQ_DONE) {
      finish(s, RB_END_COMPLETED, NULL, NULL);
      break;
    }
    if (s->req.kind == RB_REQ_ERROR) {
      finish(s, RB_END_ERROR, s->req.error, NULL);
      break;
    }
    if (s->req.kind == RB_REQ_STOP) {
      stop_by_routine(s);
      break;
    }
    if (s->req.kind == RB_REQ_SAY) {
      if (begin_say(s))
        break;
      continue;
    }
    begin_request(s);
    break;
  }
}

/* --- public
 * -------------------------------------------------------------------- */

rb_session *rb_session_new(const char *routine_path, rb_clock *clock,
                           const rb_session_opts *opts) {
  rb_session *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->clock = clock;
  if (opts)
    s->opts = *opts;
  if (s->opts.nsinks < 0 || s->opts.nsinks > RB_SINKS_MAX)
    s->opts.nsinks = 0;
  copy(s->path, sizeof s->path, routine_path);
  s->ended.pain_at_stop = -1;
  s->view.phase_start = 0;
  s->view.phase_end = RB_MS_NEVER;
  s->routine = rb_routine_load(routine_path, &s->opts.limits, s->opts.seed,
                               s->load_error, sizeof s->load_error);
  if (s->routine)
    rb_routine_set_language(s->routine, s->opts.language);
  if (s->routine) {
    rb_routine_hooks hooks = {.ud = s,
                              .show = on_show,
                              .record = on_record,
                              .print = on_print,
                              .history = on_history,
                              .last_session = on_last_session,
                              .param = on_param};
    s->meta = *rb_routine_meta(s->routine);
    rb_routine_set_hooks(s->routine, &hooks);
    if (s->opts.preview) {
      s->preview = rb_preview_new(routine_path, &s->opts.limits, s->opts.seed,
                                  prepare, &s->ann);
      rb_preview_set_lookups(s->preview, &hooks);
    }
  } else {
    rb_routine_meta_of_file(routine_path, &s->meta);
  }
  s->view.meta = &s->meta;
  memcpy(s->ann.sinks, s->opts.sinks, sizeof s->ann.sinks);
  s->ann.nsinks = s->opts.nsinks;
  s->ann.voice = s->opts.voice;
  s->ann.lang = lang_of(s);
  s->step = (rb_step){.ann = &s->ann,
                      .view = &s->view,
                      .preview = s->preview,
                      .lang = lang_of(s),
                      .end = RB_MS_NEVER};
  return s;
}

void rb_session_free(rb_session *s) {
  if (!s)
    return;
  if (s->started && rb_clock_paused(s->clock))
    set_paused(s, false); /* never leave the voice paused for the next */
  rb_routine_free(s->routine);
  rb_assessment_free(s->assess);
  rb_preview_free(s->preview);
  free(s);
}

void rb_session_start(rb_session *s) {
  cJSON *f = cJSON_CreateObject();
  if (s->started) {
    cJSON_Delete(f);
    return;
  }
  s->started = true;
  rb_clock_start(s->clock);
  set_paused(s, false); /* the voice may have been left paused before */
  s->t = 0;
  cJSON_AddStringToObject(f, "routine", s->meta.id);
  cJSON_AddStringToObject(f, "title", s->meta.title);
  emit(s, "start", f);
  for (int p = 0; p < RB_PHRASE_SPOKEN_COUNT; p++)
    rb_announce_prepare(&s->ann, phrase(s, (rb_phrase)p));
  if (!s->routine) {
    finish(s, RB_END_ERROR, s->load_error, NULL);
    return;
  }
  run_routine(s, NULL);
}

void rb_session_tick(rb_session *s) {
  rb_ms now;
  if (!s->started || s->ph != PH_STEP || rb_clock_paused(s->clock))
    return;
  now = rb_clock_now(s->clock);
  /* everything happens at its own time, not when we woke up */
  while (s->ph == PH_STEP) {
    rb_ms due = rb_step_due(&s->step);
    if (due > now)
      break;
    s->t = due;
    if (rb_step_fire(&s->step, due))
      step_done(s, NULL);
  }
  if (s->ph == PH_STEP)
    rb_step_update(&s->step, now);
  if (s->ph != PH_ENDED)
    s->t = now;
}

void rb_session_voice_ready(rb_session *s) {
  rb_ms left;
  if (!s->started || s->ph != PH_STEP || s->step.part != RB_PART_SAY ||
      s->step.end != RB_MS_NEVER)
    return;
  s->t = rb_clock_now(s->clock);
  left = rb_announce_remaining(&s->ann, s->t);
  if (left >= 0) /* else still synthesizing */
    rb_step_say_ends(&s->step, s->t + left);
}

rb_ms rb_session_deadline(const rb_session *s) {
  if (!s->started || s->ph != PH_STEP)
    return RB_MS_NEVER;
  return rb_clock_raw_at(s->clock, rb_step_due(&s->step));
}

static void toggle_pause(rb_session *s) {
  bool pause = !rb_clock_paused(s->clock);
  set_paused(s, pause);
  emit(s, pause ? "pause" : "resume", NULL);
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
  if (s->ph == PH_STEP && rb_step_self_paced(&s->step)) {
    if (rb_step_count(&s->step, s->t, 1))
      step_done(s, NULL);
    return true;
  }
  return false;
}

/* STOP: the routine ends at once (its coroutine dropped, the voice
 * hushed) and the pain question is asked aloud, so nothing stays paused. */
static void stop(rb_session *s) {
  if (rb_clock_paused(s->clock))
    set_paused(s, false);
  rb_announce_hush(&s->ann);
  rb_step_clear(&s->step);
  rb_routine_free(s->routine);
  s->routine = NULL;
  rb_assessment_free(s->assess);
  s->assess = NULL;
  ask_stop_pain(s);
}

/* NEXT in a timed step ends its current part (a hold repetition, a rest,
 * a set), not the whole step. */
static void skip(rb_session *s) {
  if (rb_clock_paused(s->clock))
    toggle_pause(s);
  emit(s, "skip", NULL);
  rb_announce_hush(&s->ann);
  if (rb_step_skip(&s->step, s->t))
    step_done(s, NULL);
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
    stop(s);
    return true;
  case RB_ACTION_PRIMARY:
  case RB_ACTION_NEXT:
    if (patient_goes_on(s))
      return true;
    if (s->ph != PH_STEP)
      return false;
    if (a->kind == RB_ACTION_PRIMARY)
      toggle_pause(s);
    else
      skip(s);
    return true;
  case RB_ACTION_BACK:
    if (s->ph == PH_STEP && rb_step_done(&s->step) > 0) {
      rb_step_count(&s->step, s->t, -1);
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
  char def[RB_SHORT_MAX + 32];
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
    rb_answer_default(&s->q, def, sizeof def);
    return answer_now(s, def);
  case PH_WAIT_NEXT:
    if (!s->opts.autopilot)
      return false;
    step_done(s, NULL);
    return true;
  case PH_STEP:
    if (!s->opts.autopilot || !rb_step_self_paced(&s->step))
      return false;
    if (rb_step_count(&s->step, s->t, s->req.count - rb_step_done(&s->step)))
      step_done(s, NULL);
    return true;
  default:
    return false;
  }
}

const rb_view *rb_session_view(const rb_session *s) { return &s->view; }

bool rb_session_ended(const rb_session *s) { return s->ph == PH_ENDED; }

rb_end_status rb_session_status(const rb_session *s) { return s->ended.status; }

int rb_session_unused_answer(const rb_session *s) {
  for (int i = 0; i < s->opts.nanswers && i < RB_ANSWERS_SEEN_MAX; i++)
    if (!s->answer_seen[i])
      return i;
  return -1;
}

bool rb_session_waiting(const rb_session *s) {
  return s->started && s->ph != PH_ENDED &&
         (rb_clock_paused(s->clock) || s->ph != PH_STEP ||
          rb_step_self_paced(&s->step));
}

void rb_session_stop(rb_session *s, const char *reason) {
  if (!s->started || s->ph == PH_ENDED)
    return;
  s->t = rb_clock_now(s->clock);
  finish(s, RB_END_STOPPED, NULL, reason);
}

void rb_session_abandon(rb_session *s, const char *reason) {
  rb_ms t;
  if (!s->started || s->ph == PH_ENDED)
    return;
  /* no finish(): it changes what the held thread may be reading */
  t = rb_clock_now(s->clock);
  rb_announce_end(&s->ann, t,
                  &(rb_session_end){.routine = s->meta.id,
                                    .status = RB_END_ERROR,
                                    .reason = "",
                                    .duration_s = (double)t / 1000.0,
                                    .error = reason ? reason : "",
                                    .pain_at_stop = -1});
}

void rb_session_abort(rb_session *s, const char *reason) {
  if (!s->started || s->ph == PH_ENDED)
    return;
  s->t = rb_clock_now(s->clock);
  finish(s, RB_END_ERROR, reason, NULL);
}
