/* session: the timing rule, pause/resume, NEXT, STOP, answers and the
 * autopilot, driven on a virtual clock as the app drives it. */
#include "capture.h"
#include "drive.h"
#include "plugins.h"
#include "session.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

static char path[64];

/* Writes a routine whose run() body is `body`; returns its path. */
static const char *routine(const char *body) {
  FILE *f;
  snprintf(path, sizeof path, "/tmp/rb-session-%d.lua", (int)getpid());
  f = fopen(path, "w");
  fprintf(f,
          "return routine {\n"
          "  id = \"t\", title = \"Test\",\n"
          "  run = function()\n%s\n  end,\n}\n",
          body);
  fclose(f);
  return path;
}

/* Finds the n-th (0-based) event named `name`; NULL if none. */
static const cJSON *event(capture *tl, const char *name, int n) {
  const cJSON *e;
  cJSON_ArrayForEach(e, tl->events) {
    const cJSON *ev = cJSON_GetObjectItem(e, "event");
    if (cJSON_IsString(ev) && strcmp(ev->valuestring, name) == 0 && n-- == 0)
      return e;
  }
  return NULL;
}

static double num(const cJSON *e, const char *key) {
  const cJSON *v = e ? cJSON_GetObjectItem(e, key) : NULL;
  return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *str(const cJSON *e, const char *key) {
  const cJSON *v = e ? cJSON_GetObjectItem(e, key) : NULL;
  return cJSON_IsString(v) ? v->valuestring : "";
}

static int count(capture *tl, const char *name) {
  int n = 0;
  while (event(tl, name, n))
    n++;
  return n;
}

/* Simulates body; returns the end status and leaves the timeline in *out. */
static rb_end_status sim(const char *body, const char *const *answers,
                         int nanswers, capture **out, double *secs) {
  char err[1024];
  rb_session_opts o = {.answers = answers, .nanswers = nanswers};
  *out = capture_new();
  o.sinks[o.nsinks++] = capture_sink(*out);
  return rb_drive_simulate(routine(body), &o, secs, err, sizeof err);
}

/* Session options that report to a new capture. */
static rb_session_opts opts_to(capture **out) {
  rb_session_opts o = {0};
  *out = capture_new();
  o.sinks[o.nsinks++] = capture_sink(*out);
  return o;
}

/* Moves a virtual clock to raw time t, firing timers on the way. */
static void run_to(rb_clock *c, rb_session *s, rb_ms t) {
  for (;;) {
    rb_ms d = rb_session_deadline(s);
    if (d > t)
      break;
    rb_clock_set(c, d);
    rb_session_tick(s);
  }
  rb_clock_set(c, t);
  rb_session_tick(s);
}

static rb_action act(rb_action_kind k, const char *value) {
  rb_action a = {.kind = k};
  if (value)
    snprintf(a.value, sizeof a.value, "%s", value);
  return a;
}

/* A voice that remembers whether it is paused and what it said. */
typedef struct {
  bool paused;
  int spoken_paused; /* words asked for while paused: never heard */
  char last[256];
} fake_voice;

static void fv_cue(void *ud, rb_ms t, rb_cue_kind kind, const char *text,
                   const char *lang) {
  fake_voice *v = ud;
  (void)t;
  (void)lang;
  if (kind != RB_CUE_SAY && kind != RB_CUE_SPEECH)
    return;
  snprintf(v->last, sizeof v->last, "%s", text);
  if (v->paused)
    v->spoken_paused++;
}

static void fv_pause(void *ud, bool paused) {
  ((fake_voice *)ud)->paused = paused;
}

/* Bug: pause, then STOP left the voice paused, so the pain question and
 * every later session were silent. */
static void test_pause_then_stop(void) {
  fake_voice fv = {0};
  rb_session_voice voice = {.ud = &fv, .cue = fv_cue, .pause = fv_pause};
  capture *tl;
  rb_session_opts o = opts_to(&tl);
  rb_clock *c = rb_clock_new(true);
  rb_session *s;
  o.voice = &voice;
  s = rb_session_new(routine("hold{seconds=30}"), c, &o);
  rb_action a = {.kind = RB_ACTION_PRIMARY};
  rb_session_start(s);
  rb_clock_set(c, 5000);
  rb_session_tick(s);
  rb_session_act(s, &a);
  ok(fv.paused, "pause: the voice pauses with the routine");
  a.kind = RB_ACTION_STOP;
  rb_session_act(s, &a);
  ok(!fv.paused, "STOP while paused: the voice is not paused any more");
  like(fv.last, "How much does it hurt", "the pain question is spoken");
  is_int(fv.spoken_paused, 0, "and nothing was said into a paused voice");
  ok(!rb_session_view(s)->paused, "the view is not paused either");
  rb_session_free(s);
  /* the next session speaks too */
  s = rb_session_new(routine("say('Hello again')"), c, &o);
  rb_session_start(s);
  ok(!fv.paused, "the next session starts with the voice on");
  rb_session_free(s);
  /* a session dropped while paused leaves the voice on */
  s = rb_session_new(routine("hold{seconds=30}"), c, &o);
  rb_session_start(s);
  a.kind = RB_ACTION_PRIMARY;
  rb_session_act(s, &a);
  rb_session_free(s);
  ok(!fv.paused, "a session freed while paused unpauses the voice");
  capture_free(tl);
  rb_clock_free(c);
}

/* A say() in a loop without end after an answer: the preview's shadow
 * ran after it for ever on the main thread. It gives up; the routine ends
 * with its own "goes on too long". */
static void test_preview_say_loop(void) {
  const char *answers[] = {"Which?=b"};
  capture *tl;
  rb_session_opts o = opts_to(&tl);
  rb_clock *c = rb_clock_new(true);
  rb_session *s;
  rb_action next = {.kind = RB_ACTION_NEXT};
  o.preview = true;
  o.answers = answers;
  o.nanswers = 1;
  s = rb_session_new(
      routine("local a = ask{question='Which?', choices={'a','b'}}\n"
              "wait_next()\n"
              "if a == 'b' then while true do say('x') end end"),
      c, &o);
  rb_session_start(s);
  while (rb_session_autoplay(s))
    ;
  ok(rb_session_view(s)->kind == RB_VIEW_INFO, "the preview gave up: waiting");
  rb_session_act(s, &next);
  ok(rb_session_ended(s) && rb_session_status(s) == RB_END_ERROR,
     "and the loop ends the routine as an error");
  like(str(event(tl, "end", 0), "error"), "goes on too long", "saying why");
  rb_session_free(s);
  capture_free(tl);
  rb_clock_free(c);
}

/* A side asked for in an assessment stays with its questions: the steps
 * after it show show{}'s side (none), not the last one asked. */
static void test_assess_side_stays(void) {
  const char *answers[] = {"doorway_leg_raise.reached_90=Yes",
                           "doorway_leg_raise.knee_bent=No",
                           "doorway_leg_raise.other_foot_turned_out=No"};
  rb_plugins *plugins = rb_plugins_load(RB_BUILD_PLUGIN_DIR);
  capture *tl;
  rb_session_opts o = opts_to(&tl);
  rb_clock *c = rb_clock_new(true);
  rb_session *s;
  const rb_view *v;
  o.answers = answers;
  o.nanswers = 3;
  o.plugins = plugins;
  o.autopilot = true;
  s = rb_session_new(routine("show{title='Test'}\n"
                             "assess('doorway_leg_raise')\n"
                             "hold{seconds=3}"),
                     c, &o);
  rb_session_start(s);
  while (rb_session_autoplay(s))
    ;
  v = rb_session_view(s);
  ok(v->kind == RB_VIEW_HOLD, "after the assessment: the hold");
  is_str(v->side, "", "the hold has no side (none was shown)");
  rb_session_free(s);
  capture_free(tl);
  rb_clock_free(c);
  rb_plugins_free(plugins);
}

int main(void) {
  capture *tl;
  double secs;
  rb_end_status st;
  char err[1024];

  /* the timing rule */
  st = sim("hold{seconds=30, reps=3, rest=10}", NULL, 0, &tl, &secs);
  is_int(st, RB_END_COMPLETED, "hold completes");
  ok(secs == 110.0, "hold{30 s x 3, rest 10} takes exactly 110 s (%g)", secs);
  is_int(count(tl, "hold"), 3, "one hold event per repetition");
  is_int(num(event(tl, "hold", 1), "t"), 40000, "rep 2 starts at 40 s");
  is_int(num(event(tl, "hold", 2), "rep"), 3, "rep numbers count up");
  is_int(count(tl, "rest"), 2, "rests only between repetitions");
  is_int(num(event(tl, "rest", 0), "t"), 30000, "first rest at 30 s");
  is_int(num(event(tl, "end", 0), "t"), 110000, "end at 110 s");
  capture_free(tl);

  st = sim("reps{count=8, tempo={up=2, hold=1, down=2}}", NULL, 0, &tl, &secs);
  ok(st == RB_END_COMPLETED && secs == 40.0,
     "reps 8 x (2+1+2) takes exactly 40 s (%g)", secs);
  capture_free(tl);

  st = sim("reps{count=4, sets=3, rest=20, side='left', tempo={up=1, hold=2, "
           "down=1}}",
           NULL, 0, &tl, &secs);
  ok(secs == 4 * 4 * 3 + 2 * 20, "3 sets of 4 x 4 s with 2 rests of 20 s (%g)",
     secs);
  is_int(count(tl, "reps"), 3, "one reps event per set");
  is_int(num(event(tl, "reps", 2), "t"), 72000, "set 3 at 72 s");
  is_str(str(event(tl, "reps", 0), "side"), "left", "side recorded");
  capture_free(tl);

  st = sim("countdown(5) rest(15) say('hello') hold{seconds=1}", NULL, 0, &tl,
           &secs);
  ok(secs == 21.0, "countdown, rest and a hold add up; say takes no time");
  is_int(num(event(tl, "say", 0), "t"), 20000, "say at 20 s");
  capture_free(tl);

  /* the engine's own cues, on the routine clock, in the routine's language */
  st = sim("hold{seconds=20, reps=2, rest=10, side='left', cue='Breathe'}\n"
           "hold{seconds=20, side='right'}",
           NULL, 0, &tl, &secs);
  {
    const cJSON *half = event(tl, "cue", 1);
    is_str(str(event(tl, "cue", 0), "text"), "Left side.",
           "a side is announced at its first hold");
    is_str(str(half, "text"), "Halfway", "halfway...");
    is_int(num(half, "t"), 10000, "...at half the hold");
    is_str(str(event(tl, "cue", 2), "kind"), "beep", "then beeps");
    is_int(num(event(tl, "cue", 2), "t"), 17000, "in the last 3 seconds");
    is_str(str(event(tl, "cue", 5), "kind"), "chime", "a chime ends the hold");
    is_int(num(event(tl, "cue", 5), "t"), 20000, "at its end");
    is_str(str(event(tl, "cue", 6), "text"), "Rest", "then rest");
    like(str(event(tl, "cue", 10), "text"), "Last one",
         "the last rep is announced");
    ok(event(tl, "cue", 0) && num(event(tl, "say", 0), "t") == 0,
       "the routine's cue is its own say event");
  }
  {
    const cJSON *e;
    int found = 0;
    cJSON_ArrayForEach(e, tl->events) {
      const char *t = str(e, "text");
      if (strstr(t, "Switch sides") && num(e, "t") == 50000)
        found++;
    }
    is_int(found, 1, "switch sides when the side changes");
  }
  capture_free(tl);
  {
    char de[2048];
    snprintf(de, sizeof de, "%s", "hold{seconds=20, side='left'}");
    FILE *f;
    snprintf(path, sizeof path, "/tmp/rb-session-%d.lua", (int)getpid());
    f = fopen(path, "w");
    fprintf(f,
            "return routine { id = 'de', title = 'Dehnen', language = "
            "'de', run = function() %s end }\n",
            de);
    fclose(f);
    {
      rb_session_opts o = opts_to(&tl);
      rb_drive_simulate(path, &o, &secs, err, sizeof err);
    }
    is_str(str(event(tl, "cue", 0), "text"), "Linke Seite.",
           "language = 'de': the engine speaks German");
    is_str(str(event(tl, "cue", 1), "text"), "Halbzeit", "Halbzeit");
    capture_free(tl);
  }

  /* autopilot and answers */
  st = sim("local a = ask{question='Which knee?', choices={'Left','Right'}}\n"
           "local p = ask_scale{question='Pain?', min=0, max=10}\n"
           "local m = measure{name='Distance', unit='cm', side='left', "
           "min=0, max=20, step=0.5}\n"
           "record('a', a) record('p', p) record('m', m)\n"
           "wait_next() reps{count=10}",
           NULL, 0, &tl, &secs);
  is_int(st, RB_END_COMPLETED, "autopilot completes questions and waits");
  is_str(str(event(tl, "ask", 0), "answer"), "Left", "default: first choice");
  is_int(num(event(tl, "ask_scale", 0), "answer"), 0, "default: scale minimum");
  ok(num(event(tl, "measure", 0), "answer") == 10.0,
     "default: measurement midpoint");
  is_str(str(event(tl, "measure", 0), "name"), "Distance", "measure name");
  is_int(num(event(tl, "record", 2), "value"), 10, "record gets the number");
  is_int(count(tl, "wait_next"), 1, "wait_next logged");
  capture_free(tl);

  {
    const char *answers[] = {"Which knee?=Right", "Pain?=4",
                             "Distance.left=11.5"};
    st = sim("ask{question='Which knee?', choices={'Left','Right'}}\n"
             "ask_scale{question='Pain?'}\n"
             "measure{name='Distance', unit='cm', side='left', min=0, max=20, "
             "step=0.5}",
             answers, 3, &tl, &secs);
    is_str(str(event(tl, "ask", 0), "answer"), "Right", "--answer by text");
    is_int(num(event(tl, "ask_scale", 0), "answer"), 4, "--answer for scale");
    ok(num(event(tl, "measure", 0), "answer") == 11.5,
       "--answer NAME.SIDE for a measurement");
    capture_free(tl);
  }
  {
    const char *answers[] = {"Pain?=15", "Which?=2"};
    st = sim("ask_scale{question='Pain?'} "
             "ask{question='Which?', choices={'a','b','c'}}",
             answers, 2, &tl, &secs);
    is_int(num(event(tl, "ask_scale", 0), "answer"), 0,
           "an answer out of range falls back to the default");
    is_str(str(event(tl, "ask", 0), "answer"), "b",
           "a number picks the n-th choice");
    capture_free(tl);
  }

  /* errors end the session with FILE:LINE */
  st = sim("hold{seconds=5}\n    assess('knee_to_wall')", NULL, 0, &tl, &secs);
  is_int(st, RB_END_ERROR, "assess without plugins is an error");
  like(str(event(tl, "end", 0), "error"),
       ":5: no assessment named 'knee_to_wall'", "naming the line and the id");
  is_int(num(event(tl, "end", 0), "duration_s"), 5, "after 5 s");
  capture_free(tl);

  st = sim("while true do wait_next() end", NULL, 0, &tl, &secs);
  is_int(st, RB_END_ERROR, "an endless loop of waits ends under simulate");
  like(str(event(tl, "end", 0), "error"), "goes on too long",
       "with a plain reason");
  capture_free(tl);

  {
    rb_session_opts o = opts_to(&tl);
    st = rb_drive_simulate("/nonexistent/x.lua", &o, &secs, err, sizeof err);
  }
  is_int(st, RB_END_ERROR, "a missing file ends as an error");
  is_str(str(event(tl, "start", 0), "routine"), "x",
         "start names the file's routine id");
  ok(event(tl, "end", 0) != NULL, "and an end event is written");
  capture_free(tl);

  /* interactive: pause, resume, NEXT, STOP on a virtual clock */
  {
    rb_clock *c = rb_clock_new(true);
    rb_action a;
    rb_session *s;
    const rb_view *v;
    rb_session_opts o = opts_to(&tl);
    o.preview = true;
    s = rb_session_new(
        routine(
            "show{title='Bridge', side='left', text='Lift'}\n"
            "wait_next('Ready?')\n"
            "hold{seconds=30, reps=2, rest=10, side='left', cue='Breathe'}\n"
            "rest(20)\n"
            "show{title='Clamshell', side='right'}\n"
            "reps{count=3}\n"
            "hold{seconds=10}"),
        c, &o);
    rb_session_start(s);
    v = rb_session_view(s);
    ok(v->kind == RB_VIEW_INFO && v->info.waiting, "waits for NEXT");
    is_str(v->title, "Bridge", "show sets the title");
    is_str(v->side, "left", "and the side");
    is_str(v->info.prompt, "Ready?", "the prompt");
    like(v->next, "Left side: Bridge, hold 30 s x 2", "next step previewed");
    ok(rb_session_waiting(s), "waiting for the patient");
    ok(rb_session_deadline(s) == RB_MS_NEVER, "no timer while waiting");
    run_to(c, s, 5000);
    a = act(RB_ACTION_PRIMARY, NULL);
    ok(rb_session_act(s, &a), "PRIMARY starts like NEXT");
    ok(v->kind == RB_VIEW_HOLD && v->hold.rep == 1 && v->hold.reps == 2,
       "hold 1 of 2");
    is_str(v->caption, "Breathe", "the cue is the caption");
    is_str(v->next, "Rest 10 s", "next: the rest");
    is_int(num(event(tl, "hold", 0), "t"), 5000, "hold starts at 5 s");
    run_to(c, s, 15000);
    ok(rb_session_act(s, &a), "PRIMARY pauses");
    ok(v->paused, "paused");
    ok(rb_session_deadline(s) == RB_MS_NEVER, "no deadline while paused");
    run_to(c, s, 60000);
    ok(v->kind == RB_VIEW_HOLD && v->hold.rep == 1,
       "still in rep 1 after 45 s");
    ok(rb_session_act(s, &a), "PRIMARY resumes");
    is_int(num(event(tl, "pause", 0), "t"), 15000, "pause at routine 15 s");
    is_int(num(event(tl, "resume", 0), "t"), 15000,
           "resume at the same routine time");
    run_to(c, s, 80000); /* routine 35 s: rest */
    ok(v->kind == RB_VIEW_REST && v->rest.between, "rest between reps");
    like(v->next, "Hold 2 of 2", "rest shows the next rep");
    is_int(num(event(tl, "rest", 0), "t"), 35000,
           "rest at 35 s: the pause added no routine time");
    a = act(RB_ACTION_NEXT, NULL);
    ok(rb_session_act(s, &a), "NEXT skips the rest");
    ok(v->kind == RB_VIEW_HOLD && v->hold.rep == 2, "rep 2 at once");
    is_int(num(event(tl, "hold", 1), "t"), 35000, "rep 2 starts when skipped");
    ok(event(tl, "skip", 0) != NULL, "skip logged");
    like(v->next, "Rest 20 s", "last rep previews the next routine step");
    run_to(c, s, 110000); /* routine 65 s: the hold ended, rest(20) runs */
    ok(v->kind == RB_VIEW_REST && !v->rest.between, "rest() step");
    like(v->next, "Right side: Clamshell, 3 times", "rest previews the reps");
    run_to(c, s, 130000);
    ok(v->kind == RB_VIEW_REPS && v->reps.self_paced, "self-paced reps");
    ok(rb_session_waiting(s), "self-paced reps wait for the patient");
    rb_session_act(s, &a);
    rb_session_act(s, &a);
    is_int(v->reps.done, 2, "NEXT counts each rep");
    a = act(RB_ACTION_BACK, NULL);
    rb_session_act(s, &a);
    is_int(v->reps.done, 1, "BACK takes one back");
    run_to(c, s, 131000);
    a = act(RB_ACTION_STOP, NULL);
    ok(rb_session_act(s, &a), "STOP");
    ok(v->kind == RB_VIEW_SCALE && v->question.stop_question, "asks for pain");
    ok(!rb_session_ended(s), "not ended before the answer");
    a = act(RB_ACTION_ANSWER, "11");
    ok(!rb_session_act(s, &a), "11 is not on the 0-10 scale");
    a = act(RB_ACTION_ANSWER, "6");
    ok(rb_session_act(s, &a), "pain 6 accepted");
    ok(rb_session_ended(s), "ended");
    is_int(rb_session_status(s), RB_END_STOPPED, "as stopped");
    is_int(v->ended.pain_at_stop, 6, "pain kept for the summary");
    is_int(num(event(tl, "ask_scale", 0), "answer"), 6, "pain in timeline");
    is_str(str(event(tl, "end", 0), "status"), "stopped", "end stopped");
    is_int(num(event(tl, "end", 0), "t"), 86000, "at routine 86 s");
    a = act(RB_ACTION_NEXT, NULL);
    ok(!rb_session_act(s, &a), "an ended session ignores actions");
    rb_session_free(s);
    capture_free(tl);
    rb_clock_free(c);
  }

  /* the monotonic clock's late wake-ups add no time */
  {
    rb_clock *c = rb_clock_new(true);
    rb_session *s;
    rb_session_opts o = opts_to(&tl);
    s = rb_session_new(routine("hold{seconds=2, reps=3}"), c, &o);
    rb_session_start(s);
    rb_clock_set(c, 2300); /* woke 300 ms late */
    rb_session_tick(s);
    rb_clock_set(c, 4100);
    rb_session_tick(s);
    is_int(num(event(tl, "hold", 1), "t"), 2000, "rep 2 at 2000, not 2300");
    is_int(num(event(tl, "hold", 2), "t"), 4000, "rep 3 at 4000");
    rb_clock_set(c, 9000);
    rb_session_tick(s);
    is_int(num(event(tl, "end", 0), "t"), 6000, "end at 6000");
    rb_session_free(s);
    capture_free(tl);
    rb_clock_free(c);
  }

  /* a routine waiting with nothing to drive it can be aborted */
  {
    rb_clock *c = rb_clock_new(true);
    rb_session *s;
    rb_session_opts o = opts_to(&tl);
    s = rb_session_new(routine("wait_next()"), c, &o);
    rb_session_start(s);
    rb_session_abort(s, "input ended");
    ok(rb_session_ended(s) && rb_session_status(s) == RB_END_ERROR,
       "abort ends as error");
    is_str(str(event(tl, "end", 0), "error"), "input ended", "with the reason");
    rb_session_free(s);
    capture_free(tl);
    rb_clock_free(c);
  }
  test_pause_then_stop();
  test_preview_say_loop();
  test_assess_side_stays();
  unlink(path);
  return tap_done();
}
