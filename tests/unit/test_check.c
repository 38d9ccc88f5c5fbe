/* rb_routine_check: one "FILE:LINE: message" line per problem in the
 * file's syntax, its result and its routine{} metadata. */
#include "lua_test.h"

#include <dirent.h>

/* Runs check on path; returns its count and leaves its output in out. */
static int check(const char *path, char *out, size_t n) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int count;
  if (!f) {
    perror("open_memstream");
    exit(2);
  }
  count = rb_routine_check(path, NULL, f);
  fclose(f);
  snprintf(out, n, "%s", buf ? buf : "");
  free(buf);
  return count;
}

static int count_lines(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* Every line of out starts with prefix. */
static bool all_lines_start(const char *out, const char *prefix) {
  size_t pl = strlen(prefix);
  const char *line = out;
  while (*line) {
    const char *nl = strchr(line, '\n');
    if (strncmp(line, prefix, pl) != 0)
      return false;
    if (!nl)
      break;
    line = nl + 1;
  }
  return true;
}

static void test_fixtures(void) {
  char out[8192];
  int n;

  n = check(FIXTURE("good.lua"), out, sizeof out);
  is_int(n, 0, "good.lua has no problems");
  is_str(out, "", "and check prints nothing");

  n = check(FIXTURE("syntax_error.lua"), out, sizeof out);
  is_int(n, 1, "syntax error: one problem");
  like(out, FIXTURE("syntax_error.lua") ":8: ", "syntax error at line 8");
  like(out, "unexpected symbol near ','", "Lua's own words");
  is_int(count_lines(out), 1, "one line");

  n = check(FIXTURE("no_run.lua"), out, sizeof out);
  is_int(n, 1, "no run: one problem");
  is_str(out,
         FIXTURE("no_run.lua") ":1: routine{}: run is required (run = "
                               "function() ... end)\n",
         "no run: message at the routine{} line");

  n = check(FIXTURE("negative_hold.lua"), out, sizeof out);
  is_int(n, 0, "check does not run run(): negative_hold.lua passes");

  n = check(FIXTURE("bad_meta.lua"), out, sizeof out);
  is_int(n, 4, "bad_meta.lua: every problem is reported");
  is_int(count_lines(out), 4, "one line each");
  ok(all_lines_start(out, FIXTURE("bad_meta.lua") ":2: "),
     "all at the routine{} line");
  like(out, "unknown field 'tittle' in routine{} (did you mean 'title'?)",
       "typo in a field name");
  like(out,
       "routine{}: id must use only lowercase letters, digits and '-' (got "
       "\"Bad Meta\")",
       "bad id");
  like(out, "routine{}: title is required", "missing title");
  like(out, "routine{}: areas must be a list", "areas not a list");

  n = check(FIXTURE("no_return.lua"), out, sizeof out);
  is_int(n, 1, "no return: one problem");
  like(out,
       FIXTURE("no_return.lua") ":2: the file must return routine{...} "
                                "(write 'return routine { ... }')",
       "no return: points at the routine{} call");

  n = check(FIXTURE("returns_table.lua"), out, sizeof out);
  is_int(n, 1, "plain table: one problem");
  is_str(out,
         FIXTURE("returns_table.lua") ":1: the file must return "
                                      "routine{...}\n",
         "a table not made by routine{} is refused");

  n = check(FIXTURE("forever_top.lua"), out, sizeof out);
  is_int(n, 1, "runaway top level: one problem");
  like(out, FIXTURE("forever_top.lua") ":2: routine ran too long",
       "runaway at load is reported");

  n = check(FIXTURE("does_not_exist.lua"), out, sizeof out);
  is_int(n, 1, "missing file: one problem");
  is_str(out,
         FIXTURE("does_not_exist.lua") ": cannot read the file: No such file "
                                       "or directory\n",
         "missing file: says so");
}

typedef struct {
  const char *fields; /* inside routine { ... } on line 2 */
  const char *msg;
} meta_case;

/* Each file is "return routine {\n<fields>\n}": problems are at line 1. */
static void test_metadata(void) {
  static const meta_case cases[] = {
      {"id = 'x', title = 'X', run = function() end, tittle = 'y'",
       "unknown field 'tittle' in routine{}"},
      {"id = 'x', title = 'X', run = function() end, colour = 'red'",
       "unknown field 'colour' in routine{}"},
      {"title = 'X', run = function() end", "routine{}: id is required"},
      {"id = 5, title = 'X', run = function() end",
       "routine{}: id must be a string (got 5)"},
      {"id = 'Knee_Stretch', title = 'X', run = function() end",
       "routine{}: id must use only lowercase letters, digits and '-' (got "
       "\"Knee_Stretch\")"},
      {"id = '', title = 'X', run = function() end",
       "routine{}: id must not be empty"},
      {"id = 'x', run = function() end", "routine{}: title is required"},
      {"id = 'x', title = 5, run = function() end",
       "routine{}: title must be a string (got 5)"},
      {"id = 'x', title = 'X', summary = {}, run = function() end",
       "routine{}: summary has no text in English (en)"},
      {"id = 'x', title = 'X', areas = {'knee', 3}, run = function() end",
       "routine{}: areas[2] must be a string"},
      {"id = 'x', title = 'X', equipment = 'chair', run = function() end",
       "routine{}: equipment must be a list like {\"knee\", \"hip\"}"},
      {"id = 'x', title = 'X', areas = {'a','b','c','d','e','f','g','h','i'}, "
       "run = function() end",
       "routine{}: areas has 9 entries (at most 8)"},
      {"id = 'x', title = 'X', minutes = -1, run = function() end",
       "routine{}: minutes must be a number more than 0 and at most 600 (got "
       "-1)"},
      {"id = 'x', title = 'X', minutes = '5', run = function() end",
       "routine{}: minutes must be a number more than 0 and at most 600 (got "
       "string \"5\")"},
      {"id = 'x', title = 'X'", "routine{}: run is required"},
      {"id = 'x', title = 'X', run = 'go'",
       "routine{}: run must be a function written in the routine (got string "
       "\"go\")"},
      {"id = 'x', title = 'X', run = print",
       "routine{}: run must be a function written in the routine (got a "
       "built-in function)"},
      {"id = 'x', title = 'X', language = 'en us', run = function() end",
       "routine{}: language must be a language code"},
      {"id = 'x', title = 'X', 'extra', run = function() end",
       "routine{}: every value needs a name"},
  };
  char file[32], src[1024], want[RB_ERROR_MAX], out[8192];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *path;
    int n;
    snprintf(file, sizeof file, "meta%02zu.lua", i);
    snprintf(src, sizeof src, "return routine {\n  %s\n}\n", cases[i].fields);
    path = lt_write(file, src);
    n = check(path, out, sizeof out);
    snprintf(want, sizeof want, "%s:1: %s", path, cases[i].msg);
    ok(n == 1 && strncmp(out, want, strlen(want)) == 0, "%s -> %s",
       cases[i].fields, cases[i].msg);
    if (n != 1 || strncmp(out, want, strlen(want)) != 0)
      printf("#   got %d: %s", n, out);
  }
}

/* Lua shortens long paths in its own messages ("...tail.lua:3:"); ours
 * always carry the path as given. */
static void test_long_path(void) {
  char name[200], want[RB_ERROR_MAX], out[8192], err[RB_ERROR_MAX];
  const char *path;
  rb_request rq;
  memset(name, 'n', 120);
  snprintf(name + 120, sizeof name - 120, "_syntax.lua");
  path = lt_write(name, "return routine {\n  id = 'x',,\n}\n");
  check(path, out, sizeof out);
  snprintf(want, sizeof want, "%s:2: ", path);
  ok(strncmp(out, want, strlen(want)) == 0,
     "a syntax error in a long path keeps the whole path");

  name[120] = '\0';
  strcat(name, "_runtime.lua");
  path = lt_routine(name, "    local x = nil\n    x()\n");
  {
    rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
    ok(r != NULL, "long path routine loads");
    if (r) {
      rb_routine_resume(r, NULL, &rq);
      snprintf(want, sizeof want, "%s:5: attempt to call a nil value", path);
      ok(strncmp(rq.error, want, strlen(want)) == 0,
         "a runtime error in a long path keeps the whole path");
      if (strncmp(rq.error, want, strlen(want)))
        printf("#   got '%s'\n", rq.error);
      rb_routine_free(r);
    }
  }
}

/* The routines that ship must pass check. */
static void test_shipped_routines(void) {
  const char *dir = RB_SOURCE_DIR "/scripts/routines";
  DIR *d = opendir(dir);
  struct dirent *e;
  int seen = 0;
  ok(d != NULL, "scripts/routines exists");
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    char path[1024], out[8192];
    size_t len = strlen(e->d_name);
    if (len < 5 || strcmp(e->d_name + len - 4, ".lua") != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    is_int(check(path, out, sizeof out), 0, "%s passes check %s", e->d_name,
           out);
    seen++;
  }
  closedir(d);
  ok(seen > 0, "checked %d shipped routines", seen);
}

int main(void) {
  test_fixtures();
  test_metadata();
  test_long_path();
  test_shipped_routines();
  lt_cleanup();
  return tap_done();
}
