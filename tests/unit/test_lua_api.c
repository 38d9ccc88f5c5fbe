/* The routine API: every call's request fields, replies turned into
 * return values, the show/record/print hooks, sides(), and the
 * validation errors with their FILE:LINE. */
#include "lua_test.h"

#include <math.h>

static void test_good_routine(void) {
  const char *path = FIXTURE("good.lua");
  char err[RB_ERROR_MAX], want[RB_ERROR_MAX + 64];
  rb_routine *r = rb_routine_load(path, NULL, 7, err, sizeof err);
  const rb_meta *m;
  rb_request rq;
  lt_seen seen;
  cJSON *reply;
  char *opts;

  ok(r != NULL, "good.lua loads (%s)", r ? "" : err);
  if (!r)
    return;
  m = rb_routine_meta(r);
  is_str(m->path, path, "meta path");
  is_str(m->id, "good-routine-1", "meta id");
  is_str(m->title, "Good routine", "meta title");
  is_str(m->summary, "Uses every call.", "meta summary");
  is_int(m->nareas, 2, "two areas");
  is_str(m->areas[1], "hip", "second area");
  is_int(m->nequipment, 1, "one piece of equipment");
  is_str(m->equipment[0], "chair", "equipment");
  ok(m->minutes == 7.5, "minutes 7.5");
  is_str(m->language, "en", "language stored");
  is_int(m->line, 4, "line of routine{}");

  lt_hook_up(r, &seen);
  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_SAY, "say yields");
  is_str(rq.text, "Hello there.", "say text");
  is_int(rq.line, 13, "say line");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_WAIT_NEXT, "wait_next");
  is_int(seen.nshow, 1, "show reached the hook without yielding");
  is_str(seen.title, "Sit tall", "show title");
  is_str(seen.text, "On the chair.", "show text");
  is_str(seen.side, "left", "show side");
  is_str(seen.figure, "sit", "show figure");
  is_str(rq.text, "Press Next", "wait_next prompt");
  is_int(rq.line, 15, "wait_next line");

  rb_routine_resume(r, NULL, &rq);
  is_int(rq.kind, RB_REQ_WAIT_NEXT, "wait_next without prompt");
  is_str(rq.text, "", "no prompt is empty");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_COUNTDOWN, "countdown");
  ok(rq.seconds == 3, "countdown seconds");
  is_int(rq.line, 17, "countdown line");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_HOLD, "hold");
  ok(rq.seconds == 30 && rq.reps == 3 && rq.rest == 10, "hold 30 s x 3, 10 s");
  is_str(rq.side, "right", "hold side");
  is_str(rq.cue, "Breathe.", "hold cue");
  is_int(rq.line, 18, "hold line");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_REPS, "reps");
  is_int(rq.count, 8, "reps count");
  is_int(rq.sets, 2, "reps sets");
  ok(rq.rest == 20, "reps rest");
  is_str(rq.side, "left", "reps side");
  is_str(rq.cue, "Slowly.", "reps cue");
  ok(rq.has_tempo && rq.tempo_up == 2 && rq.tempo_hold == 1 &&
         rq.tempo_down == 2,
     "reps tempo 2-1-2");
  is_int(rq.line, 19, "reps line is where the call starts");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_REPS, "reps with defaults");
  ok(rq.count == 5 && rq.sets == 1 && rq.rest == 0 && !rq.has_tempo &&
         rq.side[0] == '\0',
     "defaults: 1 set, no rest, no tempo, no side");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_REST, "rest");
  ok(rq.seconds == 15, "rest seconds");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_ASK, "ask");
  is_str(rq.text, "Better?", "ask question");
  is_int(rq.nchoices, 3, "three choices");
  is_str(rq.choices[2], "Same", "third choice");
  is_int(rq.line, 23, "ask line");

  reply = cJSON_CreateString("No");
  is_int(rb_routine_resume(r, reply, &rq), RB_REQ_ASK_SCALE, "ask_scale");
  cJSON_Delete(reply);
  is_str(lt_recorded(&seen, "answer"), "\"No\"", "ask returned the reply");
  is_str(rq.text, "Pain?", "ask_scale question");
  ok(rq.min == 0 && rq.max == 10 && rq.step == 1, "scale 0-10 step 1");

  reply = cJSON_CreateNumber(4);
  is_int(rb_routine_resume(r, reply, &rq), RB_REQ_MEASURE, "measure");
  cJSON_Delete(reply);
  is_str(lt_recorded(&seen, "pain"), "4", "ask_scale returned the number");
  is_str(rq.text, "Toe to wall", "measure name");
  is_str(rq.unit, "cm", "measure unit");
  is_str(rq.side, "left", "measure side");
  ok(rq.min == 0 && rq.max == 20 && rq.step == 0.5, "measure range and step");
  is_int(rq.line, 27, "measure line");

  reply = cJSON_CreateNumber(11.5);
  is_int(rb_routine_resume(r, reply, &rq), RB_REQ_ASSESS, "assess");
  cJSON_Delete(reply);
  is_str(lt_recorded(&seen, "dist"), "11.5", "measure returned 11.5");
  is_str(rq.id, "knee_to_wall", "assess id");
  is_int(rq.line, 30, "assess line");
  opts = rq.assess_opts ? cJSON_PrintUnformatted(rq.assess_opts) : NULL;
  like(opts, "\"sides\":[\"left\",\"right\"]", "assess opts: list as array");
  like(opts, "\"quick\":true", "assess opts: bool");
  free(opts);

  reply = cJSON_Parse("{\"id\":\"knee_to_wall\",\"score\":3,"
                      "\"flags\":[\"asymmetry\"],"
                      "\"values\":{\"distance_cm.left\":12.5}}");
  is_int(rb_routine_resume(r, reply, &rq), RB_REQ_SAY, "say after assess");
  cJSON_Delete(reply);
  is_str(lt_recorded(&seen, "score"), "3", "assess result table: score");
  is_str(lt_recorded(&seen, "flags"), "[\"asymmetry\"]",
         "assess result table: flags list");
  is_str(lt_recorded(&seen, "sides"), "\"left,right,right,left\"",
         "sides() and sides(\"right\")");
  /* show{figure = ...} says nothing now that figures are drawn */
  is_int(seen.nprint, 1, "print reached the hook");
  snprintf(want, sizeof want, "%s:36", path);
  is_str(seen.print_where, want, "print gives FILE:LINE");
  is_str(seen.print_msg, "done\t42\ttrue", "print joins with tabs");
  is_str(rq.text, "Bye.", "last say");

  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_DONE, "run() returned");
  is_str(lt_recorded(&seen, "said"), "0", "say returns nothing");
  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_DONE,
         "resuming after the end repeats DONE");
  rb_routine_free(r);
}

/* Replies become the pending call's return values with the right type. */
static void test_replies(void) {
  const char *path = lt_routine(
      "replies.lua", "    local a = ask_scale{question = 'q'}\n"
                     "    record('scale', math.type(a))\n"
                     "    local m = measure{name = 'n', min = 0, max = 10}\n"
                     "    record('measure', math.type(m))\n"
                     "    local b = ask{question = 'q', choices = {'a', 'b'}}\n"
                     "    record('none', b == nil)\n"
                     "    local t = assess('x')\n"
                     "    record('nested', t.values['x.left'] + #t.list)\n");
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
  rb_request rq;
  lt_seen seen;
  cJSON *v;
  ok(r != NULL, "replies routine loads");
  if (!r)
    return;
  lt_hook_up(r, &seen);
  rb_routine_resume(r, NULL, &rq);
  v = cJSON_CreateNumber(7);
  rb_routine_resume(r, v, &rq);
  cJSON_Delete(v);
  is_str(lt_recorded(&seen, "scale"), "\"integer\"",
         "a whole number reply is a Lua integer");
  v = cJSON_CreateNumber(2.25);
  rb_routine_resume(r, v, &rq);
  cJSON_Delete(v);
  is_str(lt_recorded(&seen, "measure"), "\"float\"", "2.25 stays a float");
  is_int(rq.kind, RB_REQ_ASK, "then ask");
  rb_routine_resume(r, NULL, &rq);
  is_str(lt_recorded(&seen, "none"), "true", "a NULL reply returns nothing");
  is_int(rq.kind, RB_REQ_ASSESS, "then assess");
  ok(rq.assess_opts == NULL, "assess without options has no opts");
  v = cJSON_Parse("{\"values\":{\"x.left\":10},\"list\":[1,2,3]}");
  is_int(rb_routine_resume(r, v, &rq), RB_REQ_DONE, "done");
  cJSON_Delete(v);
  is_str(lt_recorded(&seen, "nested"), "13",
         "objects and arrays become tables");
  rb_routine_free(r);
}

static void test_record_values(void) {
  const char *path =
      lt_routine("record.lua", "    record('n', 3)\n"
                               "    record('f', 2.5)\n"
                               "    record('s', 'text')\n"
                               "    record('b', false)\n"
                               "    record('list', {1, 'two', true})\n"
                               "    record('obj', {a = 1, b = {c = 'd'}})\n"
                               "    record('empty', {})\n"
                               "    say('x')\n");
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
  rb_request rq;
  lt_seen seen;
  ok(r != NULL, "record routine loads");
  if (!r)
    return;
  lt_hook_up(r, &seen);
  is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_SAY, "record does not yield");
  is_int(seen.nrecord, 7, "seven records");
  is_str(lt_recorded(&seen, "n"), "3", "integer");
  is_str(lt_recorded(&seen, "f"), "2.5", "float");
  is_str(lt_recorded(&seen, "s"), "\"text\"", "string");
  is_str(lt_recorded(&seen, "b"), "false", "boolean");
  is_str(lt_recorded(&seen, "list"), "[1,\"two\",true]", "list -> array");
  like(lt_recorded(&seen, "obj"), "\"b\":{\"c\":\"d\"}", "table -> object");
  is_str(lt_recorded(&seen, "empty"), "{}", "empty table -> {}");
  rb_routine_free(r);

  /* no hooks set: the value must still be freed (ASan checks) */
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r && rb_routine_resume(r, NULL, &rq) == RB_REQ_SAY,
     "record without a hook");
  rb_routine_free(r);
}

typedef struct {
  const char *body;
  const char *msg;
} lt_case;

/* Each body runs on line 4 of a generated routine; the error must be
 * "PATH:4: msg" (or the line given by a leading "N|" in msg). */
static void test_validation(void) {
  static const lt_case cases[] = {
      {"hold{seconds = -5}",
       "hold: seconds must be between 1 and 3600 (got -5)"},
      {"hold{seconds = 0}", "hold: seconds must be between 1 and 3600 (got 0)"},
      {"hold{seconds = 4000}",
       "hold: seconds must be between 1 and 3600 (got 4000)"},
      {"hold{seconds = 0/0}",
       "hold: seconds must be between 1 and 3600 (got nan)"},
      {"hold{seconds = math.huge}",
       "hold: seconds must be between 1 and 3600 (got inf)"},
      {"hold{second = 30}",
       "hold: unknown field 'second' (did you mean 'seconds'?)"},
      {"hold{seconds = 30, colour = 'red'}",
       "hold: unknown field 'colour' (known fields: seconds, reps, rest, "
       "side, cue)"},
      {"hold{}", "hold: seconds is required"},
      {"hold{seconds = '30'}",
       "hold: seconds must be a number (got string \"30\")"},
      {"hold(30)", "hold: expected a table like hold{seconds = 30} (got 30)"},
      {"hold{30}", "hold: every value needs a name, like hold{seconds = 30}"},
      {"hold{seconds = 30, reps = 2.5}",
       "hold: reps must be a whole number between 1 and 100 (got 2.5)"},
      {"hold{seconds = 30, reps = 0}",
       "hold: reps must be a whole number between 1 and 100 (got 0)"},
      {"hold{seconds = 30, rest = -1}",
       "hold: rest must be between 0 and 3600 (got -1)"},
      {"hold{seconds = 30, side = 'lefft'}",
       "hold: side must be \"left\" or \"right\" (got string \"lefft\")"},
      {"hold{seconds = 30, cue = 5}", "hold: cue must be a string (got 5)"},
      {"reps{count = 0}",
       "reps: count must be a whole number between 1 and 1000 (got 0)"},
      {"reps{count = 1001}",
       "reps: count must be a whole number between 1 and 1000 (got 1001)"},
      {"reps{count = 10, sets = 0}",
       "reps: sets must be a whole number between 1 and 100 (got 0)"},
      {"reps{count = 10, tempo = {up = 0, down = 2}}",
       "reps: tempo.up must be between 0.1 and 60 (got 0)"},
      {"reps{count = 10, tempo = {up = 2, down = 2, hold = 90}}",
       "reps: tempo.hold must be between 0 and 60 (got 90)"},
      {"reps{count = 10, tempo = {up = 2, dwn = 2}}",
       "reps: unknown field 'tempo.dwn' (did you mean 'tempo.down'?)"},
      {"reps{count = 10, tempo = {up = 2}}", "reps: tempo.down is required"},
      {"reps{count = 10, tempo = 2}",
       "reps: tempo: expected a table like tempo = {up = 2, hold = 1, down = "
       "2} (got 2)"},
      {"reps{cuont = 10}",
       "reps: unknown field 'cuont' (did you mean 'count'?)"},
      {"countdown(0)", "countdown: seconds must be between 1 and 600 (got 0)"},
      {"countdown()", "countdown: seconds are required, like countdown(10)"},
      {"countdown{seconds = -3}",
       "countdown: seconds must be between 1 and 600 (got -3)"},
      {"rest(-1)", "rest: seconds must be between 1 and 3600 (got -1)"},
      {"rest(1e9)",
       "rest: seconds must be between 1 and 3600 (got 1000000000)"},
      {"rest('ten')", "rest: seconds must be a number (got string \"ten\")"},
      {"ask{question = 'Q', choices = {'A'}}",
       "ask: choices must have between 2 and 12 entries (got 1)"},
      {"ask{question = 'Q'}", "ask: choices are required"},
      {"ask{choices = {'a', 'b'}}", "ask: question is required"},
      {"ask{question = 'Q', choices = {'a', 'a'}}",
       "ask: choice \"a\" appears twice"},
      {"ask{question = 'Q', choices = {'a', 2}}",
       "ask: choices[2] must be a string (got 2)"},
      {"ask{question = 'Q', choices = {'a', 'b', x = 'c'}}",
       "ask: choices must be a list"},
      {"ask_scale{question = 'Q', min = 5, max = 5}",
       "ask_scale: min must be less than max (got min 5, max 5)"},
      {"ask_scale{question = 'Q', min = 0.5}",
       "ask_scale: min must be a whole number between -1000 and 1000 (got "
       "0.5)"},
      {"ask_scale{question = 'Q', maximum = 5}",
       "ask_scale: unknown field 'maximum'"},
      {"measure{name = 'N', min = 0}", "measure: max is required"},
      {"measure{name = 'N', min = 0, max = 1, step = 2}",
       "measure: step must be more than 0 and at most max - min (1) (got 2)"},
      {"measure{name = 'N', min = 0, max = 10, side = 'up'}",
       "measure: side must be \"left\" or \"right\" (got string \"up\")"},
      {"say()", "say: expected the text to say"},
      {"say(42)", "say: text must be a string (got 42)"},
      {"say('a', 'b')", "say: takes one value (got 2 values)"},
      {"say('')", "say: text must not be empty"},
      {"say(string.rep('x', 600))",
       "say: text is too long (600 bytes, at most 511)"},
      {"say('\\255\\254')", "say: text is not valid UTF-8 text"},
      {"show{titel = 'x'}",
       "show: unknown field 'titel' (did you mean 'title'?)"},
      {"show{side = 'up'}",
       "show: side must be \"left\" or \"right\" (got string \"up\")"},
      {"show('hi')", "show: expected a table like show{title = \"...\""},
      {"wait_next(5)", "wait_next: prompt must be a string (got 5)"},
      {"assess('Knee To Wall')",
       "assess: id must use only letters, digits, '_', '-' and '.'"},
      {"assess('x', 5)", "assess: options must be a table (got number)"},
      {"assess('x', {f = print})", "assess: cannot store a function value"},
      {"record('k')", "record: the value for 'k' is missing (nil)"},
      {"record('', 1)", "record: key must not be empty"},
      {"record('k', print)", "record: cannot store a function value"},
      {"record('k', 0/0)", "record: numbers must be finite (got nan)"},
      {"local t = {} t.t = t record('k', t)",
       "record: value is nested too deeply (or contains itself)"},
      {"record('k', {[true] = 1})",
       "record: table keys must be strings or numbers (got boolean)"},
      {"sides('up')",
       "sides: first must be \"left\" or \"right\" (got string \"up\")"},
      {"sides(1)", "sides: first must be \"left\" or \"right\" (got 1)"},
      {"hodl{seconds = 30}", "unknown name 'hodl' (did you mean 'hold'?)"},
      {"for side in sides() do hold{seconds = 30, side = sied} end",
       "unknown name 'sied' (did you mean 'side'?)"},
      {"local x = undefined_thing", "unknown name 'undefined_thing' (a typo"},
      {"string.gsub('a', 'a', function() hold{seconds = 5} end)",
       "hold() cannot wait here"},
      {"pcall(hold, {seconds = -1})\n    hold{seconds = -2}",
       "5|hold: seconds must be between 1 and 3600 (got -2)"},
      {"say('a')\n    say('b')\n    hold{seconds = -5}",
       "6|hold: seconds must be between 1 and 3600 (got -5)"},
      {"local function helper()\n      error('my own message')\n    end\n"
       "    helper()",
       "5|my own message"},
      {"error('no position', 0)", "no position"},
      {"error({})", "error with a table value instead of a message"},
      {"local x = nil\n    x.y = 1", "5|attempt to index a nil value"},
  };
  char name[32], want[RB_ERROR_MAX + 64], shown[512];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *msg = cases[i].msg, *path;
    int line = 4;
    size_t k = 0;
    rb_request rq;
    /* one TAP line per case: show the body's newlines as " / " */
    for (const char *c = cases[i].body; *c && k + 4 < sizeof shown; c++) {
      if (*c == '\n') {
        memcpy(shown + k, " / ", 3);
        k += 3;
        while (c[1] == ' ')
          c++;
      } else
        shown[k++] = *c;
    }
    shown[k] = '\0';
    if (msg[1] == '|') {
      line = msg[0] - '0';
      msg += 2;
    }
    snprintf(name, sizeof name, "case%02zu.lua", i);
    path = lt_routine(name, cases[i].body);
    lt_final(path, &rq);
    snprintf(want, sizeof want, "%s:%d: %s", path, line, msg);
    ok(rq.kind == RB_REQ_ERROR && strncmp(rq.error, want, strlen(want)) == 0,
       "%s -> FILE:%d: %s", shown, line, msg);
    if (rq.kind != RB_REQ_ERROR || strncmp(rq.error, want, strlen(want)))
      printf("#   got kind %d '%s'\n", rq.kind, rq.error);
  }
}

static void test_errors_and_traceback(void) {
  const char *path = lt_routine("trace.lua", "    local function inner()\n"
                                             "      hold{seconds = 9999}\n"
                                             "    end\n"
                                             "    inner()\n");
  rb_request rq;
  char want[RB_ERROR_MAX + 64];
  is_int(lt_final(path, &rq), RB_REQ_ERROR, "error inside a helper");
  snprintf(want, sizeof want, "%s:5: hold:", path);
  like(rq.error, want, "error at the line of the call inside the helper");
  ok(strchr(rq.error, '\n') == NULL, "the error is one line");
  snprintf(want, sizeof want, "%s:7: in", path);
  like(rq.traceback, want, "traceback names the caller's line");
  is_int(rq.line, 5, "error request carries the line");

  path = lt_routine("toplevel_api.lua", "");
  {
    const char *p2 = lt_write("top_say.lua", "say('hi')\n"
                                             "return routine { id = 'x', "
                                             "title = 'X', run = function() "
                                             "end }\n");
    char err[RB_ERROR_MAX];
    rb_routine *r = rb_routine_load(p2, NULL, 1, err, sizeof err);
    ok(r == NULL, "say at the top level fails the load");
    snprintf(want, sizeof want, "%s:1: say() can only be used inside run()",
             p2);
    is_str(err, want, "message says where say() belongs");
    rb_routine_free(r);
  }
  is_int(lt_final(path, &rq), RB_REQ_DONE, "an empty run() is DONE");
}

/* A default answer for each question, as simulate gives. */
static cJSON *default_reply(const rb_request *rq) {
  switch (rq->kind) {
  case RB_REQ_ASK:
    return cJSON_CreateString(rq->choices[0]);
  case RB_REQ_ASK_SCALE:
    return cJSON_CreateNumber(rq->min);
  case RB_REQ_MEASURE:
    return cJSON_CreateNumber(
        rq->min + rq->step * floor((rq->max - rq->min) / 2 / rq->step));
  case RB_REQ_ASSESS:
    return cJSON_Parse("{\"values\":{},\"flags\":[],\"summary\":\"\"}");
  default:
    return NULL;
  }
}

/* The routines that ship run to the end under the strict sandbox. */
static void test_shipped_routines_run(void) {
  static const char *const names[] = {"ankle-wall-test.lua",
                                      "doorway-chest-stretch.lua",
                                      "glute-activation.lua", NULL};
  for (int i = 0; names[i]; i++) {
    char path[512], err[RB_ERROR_MAX];
    rb_routine *r;
    rb_request rq;
    lt_seen seen;
    cJSON *reply = NULL;
    int steps = 0;
    snprintf(path, sizeof path, "%s/scripts/routines/%s", RB_SOURCE_DIR,
             names[i]);
    if (access(path, R_OK) != 0) {
      ok(1, "# skip %s is not there", names[i]);
      continue;
    }
    r = rb_routine_load(path, NULL, 1, err, sizeof err);
    ok(r != NULL, "%s loads %s", names[i], r ? "" : err);
    if (!r)
      continue;
    lt_hook_up(r, &seen);
    while (steps++ < 1000) {
      rb_routine_resume(r, reply, &rq);
      cJSON_Delete(reply);
      if (rq.kind == RB_REQ_DONE || rq.kind == RB_REQ_ERROR)
        break;
      reply = default_reply(&rq);
    }
    is_int(rq.kind, RB_REQ_DONE, "%s runs to the end %s", names[i], rq.error);
    ok(steps > 3, "%s took %d steps", names[i], steps);
    rb_routine_free(r);
  }
}

int main(void) {
  test_good_routine();
  test_replies();
  test_record_values();
  test_validation();
  test_errors_and_traceback();
  test_shipped_routines_run();
  lt_cleanup();
  return tap_done();
}
