/* The routine API 1.1 additions at the host: pain_check's question,
 * record and clinic rule, stop(), use() of lib/ helpers, texts per
 * language, tempo words, side on questions, and their errors with
 * FILE:LINE. */
#include "lua_test.h"

#include <sys/stat.h>

static cJSON *num(double v) { return cJSON_CreateNumber(v); }

/* Runs body; answers each pain question with the next of pains; returns
 * the final request kind and fills *last. */
static rb_req_kind run_pains(const char *name, const char *body,
                             const double *pains, int npains, lt_seen *seen,
                             rb_request *last) {
  char err[RB_ERROR_MAX];
  rb_routine *r =
      rb_routine_load(lt_routine(name, body), NULL, 1, err, sizeof err);
  rb_req_kind k;
  int i = 0;
  if (!r) {
    snprintf(last->error, sizeof last->error, "%s", err);
    return RB_REQ_ERROR;
  }
  lt_hook_up(r, seen);
  k = rb_routine_resume(r, NULL, last);
  while (k != RB_REQ_DONE && k != RB_REQ_ERROR && k != RB_REQ_STOP) {
    cJSON *reply = NULL;
    if (k == RB_REQ_ASK_SCALE)
      reply = num(i < npains ? pains[i++] : 0);
    k = rb_routine_resume(r, reply, last);
    cJSON_Delete(reply);
  }
  rb_routine_free(r);
  return k;
}

static void test_pain_check(void) {
  lt_seen seen;
  rb_request rq;
  char err[RB_ERROR_MAX];
  rb_routine *r;
  const double low[] = {2, 3}, high[] = {8}, rise[] = {2, 4},
               rise_ok[] = {2, 5};

  r = rb_routine_load(lt_routine("pc.lua",
                                 "    local p = pain_check(\"before\")\n"
                                 "    record(\"got\", p)"),
                      NULL, 1, err, sizeof err);
  ok(r != NULL, "pain_check routine loads (%s)", r ? "" : err);
  if (r) {
    lt_hook_up(r, &seen);
    is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_ASK_SCALE,
           "pain_check asks a scale");
    ok(rq.min == 0 && rq.max == 10 && rq.step == 1, "0 to 10 in whole steps");
    is_str(rq.answer_key, "pain_before", "its --answer key is pain_before");
    ok(strstr(rq.text, "pain") != NULL, "the standard question (%s)", rq.text);
    is_int(rq.line, 4, "the line of the call");
    {
      cJSON *three = num(3);
      is_int(rb_routine_resume(r, three, &rq), RB_REQ_DONE, "then goes on");
      cJSON_Delete(three);
    }
    is_str(lt_recorded(&seen, "pain_before") ? lt_recorded(&seen, "pain_before")
                                             : "",
           "3", "records pain_before");
    is_str(seen.labels[0], "Pain before|", "with its label");
    is_str(lt_recorded(&seen, "got") ? lt_recorded(&seen, "got") : "", "3",
           "returns the number, a whole one");
    rb_routine_free(r);
  }

  is_int(run_pains("pc2.lua",
                   "    pain_check(\"before\")\n    pain_check(\"after\")", low,
                   2, &seen, &rq),
         RB_REQ_DONE, "low pain, a rise of 1: the routine completes");
  is_int(run_pains("pc3.lua", "    pain_check(\"before\")\n    say(\"go\")",
                   high, 1, &seen, &rq),
         RB_REQ_STOP, "pain 8 before: stopped");
  is_str(rq.id, "pain_before", "reason pain_before");
  is_str(rq.text, "", "with the engine's words for it");
  is_int(run_pains("pc4.lua",
                   "    pain_check(\"before\", {max_before = 9})\n"
                   "    say(\"go\")",
                   high, 1, &seen, &rq),
         RB_REQ_DONE, "max_before = 9: pain 8 goes on to the end");
  is_int(run_pains("pc5.lua",
                   "    pain_check(\"before\")\n    pain_check(\"during\")\n"
                   "    say(\"more\")",
                   rise, 2, &seen, &rq),
         RB_REQ_STOP, "a rise of 2 during: stopped");
  is_str(rq.id, "pain_rise", "reason pain_rise");
  is_int(run_pains("pc6.lua",
                   "    pain_check(\"before\")\n"
                   "    pain_check(\"after\", {stop_on_rise = false})",
                   rise_ok, 2, &seen, &rq),
         RB_REQ_DONE, "stop_on_rise = false: goes on");
  ok(lt_recorded(&seen, "pain_rise") &&
         strcmp(lt_recorded(&seen, "pain_rise"), "3") == 0,
     "and records the rise (%s)",
     lt_recorded(&seen, "pain_rise") ? lt_recorded(&seen, "pain_rise") : "-");
  is_int(run_pains("pc7.lua",
                   "    pain_check(\"after\", {question = {en = \"Hurts?\", de "
                   "= \"Weh?\"}})",
                   low, 1, &seen, &rq),
         RB_REQ_DONE, "a question of its own, per language");
}

static void expect_error(const char *name, const char *body, int line,
                         const char *part) {
  lt_seen seen;
  rb_request rq;
  char want[64];
  const double none[] = {0};
  rb_req_kind k = run_pains(name, body, none, 0, &seen, &rq);
  snprintf(want, sizeof want, "%s:%d:", name, line);
  ok(k == RB_REQ_ERROR && strstr(rq.error, want) && strstr(rq.error, part),
     "%s: error at line %d naming '%s' (%s)", name, line, part, rq.error);
}

static void test_errors(void) {
  expect_error("e1.lua", "    pain_check(\"later\")", 4, "before");
  expect_error("e2.lua", "    pain_check()", 4, "pain_check");
  expect_error("e3.lua", "    pain_check(\"before\", {max = 3})", 4, "max");
  expect_error("e4.lua", "    pain_check(\"before\", {max_before = 11})", 4,
               "max_before");
  expect_error("e5.lua", "    stop()", 4, "stop");
  expect_error("e6.lua", "    stop(42)", 4, "string");
  expect_error("e7.lua", "    say({de = \"Hallo\"})", 4, "English");
  expect_error("e8.lua", "    say({en = 3})", 4, "language");
  expect_error("e9.lua", "\n    use(\"../etc/passwd\")", 5, "letters");
  expect_error("e10.lua", "    use(\"nothere\")", 4, "lib/nothere.lua");
  expect_error("e11.lua",
               "    reps{count = 2, tempo = {up = 1, down = 1, words = {upp = "
               "\"Lift\"}}}",
               4, "upp");
  expect_error("e12.lua",
               "    ask{question = \"Q\", choices = {\"a\", \"b\"}, side = "
               "\"up\"}",
               4, "side");
}

static void test_stop(void) {
  lt_seen seen;
  rb_request rq;
  const double none[] = {0};
  is_int(run_pains("s1.lua",
                   "    stop(\"Rest your knee today.\")\n    say(\"x\")", none,
                   0, &seen, &rq),
         RB_REQ_STOP, "stop() ends the routine");
  is_str(rq.id, "routine", "reason routine");
  is_str(rq.text, "Rest your knee today.", "with its words");
  is_int(rq.line, 4, "at its line");
}

static void test_language_and_tempo(void) {
  char err[RB_ERROR_MAX];
  rb_request rq;
  lt_seen seen;
  const char *body =
      "    show{title = {en = \"Lift\", de = \"Heben\"}}\n"
      "    reps{count = 1, tempo = {up = 1, down = 1, words = {up = {en = "
      "\"Raise\", de = \"Hoch\"}, down = \"Lower\"}}}\n"
      "    ask_scale{question = \"How much?\", side = \"left\"}";
  const char *path = lt_routine("lang.lua", body);
  rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r != NULL, "language routine loads (%s)", r ? "" : err);
  if (r) {
    lt_hook_up(r, &seen);
    is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_REPS, "reps");
    is_str(seen.title, "Lift", "no patient language: English");
    is_str(rq.tempo_words[0], "Raise", "tempo word up");
    is_str(rq.tempo_words[1], "", "hold: the engine's");
    is_str(rq.tempo_words[2], "Lower", "tempo word down");
    is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_ASK_SCALE, "ask_scale");
    is_str(rq.side, "left", "ask_scale takes a side");
    rb_routine_free(r);
  }
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  if (r) {
    lt_hook_up(r, &seen);
    rb_routine_set_language(r, "de-AT");
    rb_routine_resume(r, NULL, &rq);
    is_str(seen.title, "Heben", "patient de-AT: the German text");
    is_str(rq.tempo_words[0], "Hoch", "and the German word");
    rb_routine_free(r);
  }
}

static void test_use(void) {
  char dir[600], err[RB_ERROR_MAX];
  rb_request rq;
  lt_seen seen;
  const char *path;
  rb_routine *r;
  lt_write("probe.txt", "");
  snprintf(dir, sizeof dir, "%s/lib", lt_dir);
  mkdir(dir, 0700);
  lt_write("lib/dose.lua", "local M = {}\n"
                           "function M.holds(p) return p > 4 and 2 or 3 end\n"
                           "M.loads = (M.loads or 0) + 1\n"
                           "return M\n");
  lt_write("lib/broken.lua", "local M = {}\n"
                             "function M.f() return nosuch.x end\n"
                             "return M\n");
  lt_write("lib/loop.lua", "return use(\"loop\")\n");
  path = lt_write("u1.lua", "local d = use(\"dose\")\n"
                            "local d2 = use(\"dose\")\n"
                            "return routine { id = \"u\", title = \"U\",\n"
                            "  run = function()\n"
                            "    record(\"same\", d == d2)\n"
                            "    hold{seconds = 1, reps = d.holds(5)}\n"
                            "  end }\n");
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r != NULL, "use() at the top level loads (%s)", r ? "" : err);
  if (r) {
    lt_hook_up(r, &seen);
    is_int(rb_routine_resume(r, NULL, &rq), RB_REQ_HOLD, "the helper works");
    is_int(rq.reps, 2, "its answer");
    is_str(lt_recorded(&seen, "same") ? lt_recorded(&seen, "same") : "", "true",
           "loaded once: the same table");
    rb_routine_free(r);
  }
  path = lt_write("u2.lua", "local b = use(\"broken\")\n"
                            "return routine { id = \"u2\", title = \"U\",\n"
                            "  run = function()\n"
                            "    b.f()\n"
                            "  end }\n");
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  if (r) {
    rb_routine_resume(r, NULL, &rq);
    ok(rq.kind == RB_REQ_ERROR && strstr(rq.error, "lib/broken.lua:2:") &&
           strstr(rq.error, "nosuch"),
       "an error inside a helper names the helper's file and line (%s)",
       rq.error);
    rb_routine_free(r);
  }
  path = lt_write("u3.lua", "local l = use(\"loop\")\n"
                            "return routine { id = \"u3\", title = \"U\",\n"
                            "  run = function() end }\n");
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r == NULL && strstr(err, "itself"),
     "a helper that uses itself is an error, not a hang (%s)", err);
  rb_routine_free(r);
  lt_write("lib/sneaky.lua", "return io\n");
  path = lt_write("u4.lua", "local s = use(\"sneaky\")\n"
                            "return routine { id = \"u4\", title = \"U\",\n"
                            "  run = function() end }\n");
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r == NULL && strstr(err, "lib/sneaky.lua:1:"),
     "a helper runs in the same sandbox: no io (%s)", err);
  rb_routine_free(r);
}

static void test_meta_languages(void) {
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(
      lt_write("meta.lua", "return routine { id = \"m\", language = \"de\",\n"
                           "  title = { en = \"Calf\", de = \"Wade\" },\n"
                           "  summary = { en = \"Stretch.\" },\n"
                           "  run = function() end }\n"),
      NULL, 1, err, sizeof err);
  ok(r != NULL, "routine{} takes titles per language (%s)", r ? "" : err);
  if (r) {
    is_str(rb_routine_meta(r)->title, "Wade", "the routine's language first");
    is_str(rb_routine_meta(r)->summary, "Stretch.", "else English");
    rb_routine_free(r);
  }
  r = rb_routine_load(lt_write("meta2.lua", "return routine { id = \"m\",\n"
                                            "  title = { fr = \"Mollet\" },\n"
                                            "  run = function() end }\n"),
                      NULL, 1, err, sizeof err);
  ok(r == NULL && strstr(err, "meta2.lua:1:") && strstr(err, "English"),
     "without English: FILE:LINE (%s)", err);
  rb_routine_free(r);
}

int main(void) {
  test_meta_languages();
  test_pain_check();
  test_errors();
  test_stop();
  test_language_and_tempo();
  test_use();
  {
    char dir[600];
    snprintf(dir, sizeof dir, "%s/lib", lt_dir);
    lt_cleanup();
    rmdir(dir);
    rmdir(lt_dir);
  }
  return tap_done();
}
