/* input: the --input script format. */
#include "input.h"
#include "tap.h"

int main(void) {
  char err[256] = "";
  rb_action a;
  rb_input *in = rb_input_parse("demo.txt",
                                "# a comment\n"
                                "\n"
                                "1500 NEXT\n"
                                "  4000 primary  \n"
                                "9000 ANSWER How are you\n"
                                "12000 TAP 400 240\n"
                                "20000 SCREENSHOT home\n",
                                err, sizeof err);
  ok(in != NULL, "a good script parses (%s)", err);
  is_int(rb_input_next_time(in), 1500, "first line at 1500 ms");
  ok(!rb_input_pop(in, 1499, &a), "nothing due before its time");
  ok(rb_input_pop(in, 1500, &a) && a.kind == RB_ACTION_NEXT, "NEXT at 1500");
  ok(rb_input_pop(in, 5000, &a) && a.kind == RB_ACTION_PRIMARY,
     "lower case and spaces accepted");
  ok(!rb_input_pop(in, 5000, &a), "one line at a time, in time order");
  ok(rb_input_pop(in, 9000, &a) && a.kind == RB_ACTION_ANSWER, "ANSWER");
  is_str(a.value, "How are you", "ANSWER keeps its whole value");
  ok(rb_input_pop(in, 12000, &a) && a.kind == RB_ACTION_TAP && a.x == 400 &&
         a.y == 240,
     "TAP with coordinates");
  ok(!rb_input_done(in), "not done with one line left");
  ok(rb_input_pop(in, 30000, &a) && a.kind == RB_ACTION_SCREENSHOT, "shot");
  is_str(a.value, "home", "screenshot name");
  ok(rb_input_done(in), "done");
  ok(rb_input_next_time(in) == RB_MS_NEVER, "no next time when done");
  rb_input_free(in);

  struct {
    const char *text, *want;
  } bad[] = {
      {"100 NEXT\nNEXT\n", "demo.txt:2: expected a time"},
      {"100 JUMP\n", "demo.txt:1: unknown action"},
      {"# c\n200 NEXT\n100 NEXT\n", "demo.txt:3: times must not go backwards"},
      {"100 TAP 4\n", "demo.txt:1: TAP needs two coordinates"},
      {"100 ANSWER\n", "demo.txt:1: this action needs a value"},
      {"100 NEXT now\n", "demo.txt:1: this action takes no value"},
      {"100 SCREENSHOT ../x\n", "must not contain '/'"},
      {"-5 NEXT\n", "demo.txt:1: expected a time"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    in = rb_input_parse("demo.txt", bad[i].text, err, sizeof err);
    ok(in == NULL, "bad script %zu refused", i);
    like(err, bad[i].want, "with file:line and reason");
    rb_input_free(in);
  }
  in = rb_input_load("/nonexistent/input.txt", err, sizeof err);
  ok(in == NULL, "missing file refused");
  like(err, "/nonexistent/input.txt: No such file", "naming the file");
  return tap_done();
}
