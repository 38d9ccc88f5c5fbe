/* rebalance check beyond loading: the routine run along its branches
 * (every choice, a scale's ends and middle, history absent and present),
 * each error once with the answers that led to it; the warnings about a
 * session's length, a question asked twice, words that do not fit the
 * screen or cannot be drawn; and a missing `end` named where its block
 * began. */
#include "check.h"
#include "explore.h"
#include "lua_test.h"

/* rb_check_routine's output for the routine with body as its run(). */
static int check_body(const char *name, const char *head, const char *body,
                      char *out, size_t n) {
  char src[4096], *buf = NULL;
  size_t len = 0;
  double seconds;
  FILE *f = open_memstream(&buf, &len);
  int count;
  snprintf(src, sizeof src,
           "return routine {\n"
           "  id = \"t\", title = \"T\",%s\n"
           "  run = function()\n"
           "%s\n"
           "  end,\n"
           "}\n",
           head, body);
  if (!f)
    exit(2);
  count = rb_check_routine(lt_write(name, src), NULL, &seconds, f);
  fclose(f);
  snprintf(out, n, "%s", buf ? buf : "");
  free(buf);
  return count;
}

static void test_branches(void) {
  char out[8192];
  int n = check_body("b1.lua", "",
                     "    local a = ask{question = \"Which?\", choices = "
                     "{\"One\", \"Two\", \"Three\"}}\n"
                     "    if a == \"Three\" then holdd{seconds = 1} end",
                     out, sizeof out);
  is_int(n, 1, "a misspelled call behind the third choice is found");
  ok(strstr(out, "b1.lua:5: unknown name 'holdd'") &&
         strstr(out, "Which?=Three"),
     "named with its line and the answer that leads there (%s)", out);

  n = check_body("b2.lua", "",
                 "    local p = ask_scale{question = \"Pain?\"}\n"
                 "    if p == 5 then local x = nil; x.y = 1 end\n"
                 "    if p == 10 then say(nil) end",
                 out, sizeof out);
  is_int(n, 2, "a scale's middle and its top are both tried");

  n = check_body("b3.lua", "",
                 "    local m = measure{name = \"Reach\", min = 0, max = 20}\n"
                 "    if m < 1 then error(\"too short\") end",
                 out, sizeof out);
  is_int(n, 1, "a measurement's low end is tried");

  n = check_body("b4.lua", "",
                 "    local h = history(\"reach\", 1)\n"
                 "    if h[1] then say(\"Last: \" .. h[1].valu) end",
                 out, sizeof out);
  is_int(n, 1, "with a past on record, a typo on it is found");
  ok(strstr(out, "history on record") != NULL, "and said so (%s)", out);

  n = check_body("b5.lua", "",
                 "    for i = 1, 3 do\n"
                 "      local a = ask{question = \"Q\" .. i, choices = "
                 "{\"a\", \"b\"}}\n"
                 "      if a == \"b\" and i == 3 then holdd() end\n"
                 "    end",
                 out, sizeof out);
  is_int(n, 1, "a branch three questions deep is found");

  n = check_body("b6.lua", "", "    hold{seconds = 2}", out, sizeof out);
  is_int(n, 0, "a straight routine: no errors");
  is_str(out, "", "and nothing to say");
}

static void test_warnings(void) {
  char out[8192];
  int n = check_body("w1.lua", " minutes = 1,",
                     "    local p = ask_scale{question = \"Stiff?\"}\n"
                     "    if p > 7 then hold{seconds = 100} end",
                     out, sizeof out);
  is_int(n, 0, "warnings are not errors");
  ok(strstr(out, "w1.lua:1: warning: a session can take 1 min 40 s") &&
         strstr(out, "Stiff?=10") && strstr(out, "1 minutes"),
     "a branch longer than the minutes announced (%s)", out);

  check_body("w2.lua", "", "    hold{seconds = 1300}", out, sizeof out);
  ok(strstr(out, "warning: a session can take 21 min 40 s") &&
         strstr(out, "20 minutes"),
     "no minutes: more than 20 is a warning (%s)", out);

  check_body("w3.lua", "",
             "    ask_scale{question = \"Stiff?\"}\n"
             "    hold{seconds = 1}\n"
             "    ask_scale{question = \"Stiff?\"}",
             out, sizeof out);
  ok(strstr(out, "w3.lua:6: warning: the question \"Stiff?\" is asked at "
                 "line 4 too") != NULL,
     "the same question text twice (%s)", out);

  check_body("w4.lua", "",
             "    show{title = \"Stretch \\u{1F642}\"}\n    hold{seconds = 1}",
             out, sizeof out);
  ok(strstr(out, "w4.lua:4: warning: the title") && strstr(out, "U+1F642") &&
         strstr(out, "empty box"),
     "an emoji the font cannot draw (%s)", out);

  check_body("w5.lua", "",
             "    show{title = \"A very long title that goes on and on about "
             "the exercise and the position of the knees and then some\"}\n"
             "    hold{seconds = 1}",
             out, sizeof out);
  ok(strstr(out, "w5.lua:4: warning: the title") &&
         strstr(out, "does not fit the 800x480 screen"),
     "a title too long for the screen (%s)", out);

  check_body("w6.lua", " minutes = 1,",
             "    show{title = \"Calf stretch\", text = \"Heel down.\"}\n"
             "    hold{seconds = 30}",
             out, sizeof out);
  is_str(out, "", "words that fit, a session within its minutes: quiet");
}

static void test_missing_end(void) {
  char err[RB_ERROR_MAX];
  const char *path = lt_write("end.lua", "return routine { id = \"e\", title "
                                         "= \"E\",\n"
                                         "  run = function()\n"
                                         "    for side in sides() do\n"
                                         "      hold { seconds = 2 }\n"
                                         "  end }\n");
  rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r == NULL && strstr(err, "end.lua:5:") &&
         strstr(err, "the 'for' at line 3 has no 'end'"),
     "a missing end: Lua's line and the block's (%s)", err);
  rb_routine_free(r);
  path = lt_write("end2.lua", "return routine { id = \"e\", title = \"E\",\n"
                              "  run = function()\n"
                              "    if true then\n"
                              "      say(\"x\")\n"
                              "    end\n"
                              "    say(\"y\"\n"
                              "  end }\n");
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r == NULL && !strstr(err, "has no 'end'"),
     "another syntax error gets no made-up block (%s)", err);
  rb_routine_free(r);
}

int main(void) {
  test_branches();
  test_warnings();
  test_missing_end();
  lt_cleanup();
  return tap_done();
}
