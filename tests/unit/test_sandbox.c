/* The sandbox: no way out to io/os/load/debug/string.dump/coroutine, a
 * collector routines cannot steer, a seeded math.random, and limits that
 * stop runaway loops (even under pcall or a C callback) and memory bombs
 * with the routine's FILE:LINE. */
#include "lua_test.h"

#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Runs a generated routine with hooks, no replies, to its end. Returns
 * the final request's kind; seen gets the records. */
static rb_req_kind run_seen(const char *path, const rb_limits *lim,
                            unsigned seed, lt_seen *seen, rb_request *rq) {
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, lim, seed, err, sizeof err);
  memset(rq, 0, sizeof *rq);
  if (!r) {
    rq->kind = RB_REQ_ERROR;
    snprintf(rq->error, sizeof rq->error, "%s", err);
    return RB_REQ_ERROR;
  }
  lt_hook_up(r, seen);
  do
    rb_routine_resume(r, NULL, rq);
  while (rq->kind != RB_REQ_DONE && rq->kind != RB_REQ_ERROR);
  rb_routine_free(r);
  return rq->kind;
}

static void test_forbidden_globals(void) {
  static const char *const names[] = {
      "io",         "os",     "require",  "package", "load",
      "loadstring", "dofile", "loadfile", "debug",   "coroutine",
      "_G",         "module", "setfenv",  "getfenv", NULL};
  for (int i = 0; names[i]; i++) {
    char body[512], file[64], want[128];
    const char *path;
    lt_seen seen;
    rb_request rq;
    snprintf(body, sizeof body,
             "    record('raw', rawget(_ENV, '%s') == nil)\n"
             "    local ok, e = pcall(function() return %s end)\n"
             "    record('ok', ok)\n"
             "    record('e', e)\n",
             names[i], names[i]);
    snprintf(file, sizeof file, "forbid_%s.lua", names[i]);
    path = lt_routine(file, body);
    run_seen(path, NULL, 1, &seen, &rq);
    is_int(rq.kind, RB_REQ_DONE, "%s: routine ran", names[i]);
    is_str(lt_recorded(&seen, "raw"), "true", "%s is not in the environment",
           names[i]);
    is_str(lt_recorded(&seen, "ok"), "false", "reading %s is an error",
           names[i]);
    snprintf(want, sizeof want, ":5: '%s' is not available in routines",
             names[i]);
    like(lt_recorded(&seen, "e"), want, "%s: plain message with the line",
         names[i]);
  }
}

/* Every route to string.dump, the string metatable, and coroutines. */
static void test_forbidden_routes(void) {
  const char *path = lt_routine(
      "routes.lua",
      "    record('dump', string.dump == nil)\n"
      "    record('method', (''):len() == 0 and ('').dump == nil)\n"
      "    record('mt', type(getmetatable('')))\n"
      "    record('mtdump', (pcall(function() return "
      "getmetatable('').__index.dump end)))\n"
      "    record('upper', ('abc'):upper())\n"
      "    string.seven = function() return 7 end\n"
      "    record('strmeth', ('x'):seven())\n"
      "    record('setmt', (pcall(setmetatable, '', {})))\n"
      "    record('gc', (pcall(setmetatable, {}, {__gc = function() end})))\n"
      "    record('gcmsg', select(2, pcall(setmetatable, {}, {__gc = true})))\n"
      "    record('collect', (pcall(collectgarbage, 'collect')))\n"
      "    record('collect0', (pcall(collectgarbage)))\n"
      "    record('stop', (pcall(collectgarbage, 'stop')))\n"
      "    record('count', type(collectgarbage('count')) == 'number' and "
      "collectgarbage('count') > 0)\n"
      "    record('randomseed', math.randomseed == nil)\n"
      "    record('envmt', getmetatable(_ENV))\n"
      "    record('wrap', (pcall(function() return coroutine.wrap end)))\n"
      "    record('yield', (pcall(function() return coroutine.yield end)))\n"
      "    record('glob', (pcall(function() return _G.io end)))\n"
      "    local s = string\n"
      "    s.dump = function() return 'mine' end\n"
      "    record('local_only', ('x').dump ~= nil and string.dump ~= nil)\n");
  lt_seen seen;
  rb_request rq;
  run_seen(path, NULL, 1, &seen, &rq);
  is_int(rq.kind, RB_REQ_DONE, "routes routine ran (%s)", rq.error);
  is_str(lt_recorded(&seen, "dump"), "true", "string.dump is absent");
  is_str(lt_recorded(&seen, "method"), "true", "(\"\").dump is absent");
  is_str(lt_recorded(&seen, "mt"), "\"boolean\"",
         "getmetatable(\"\") hides the string metatable");
  is_str(lt_recorded(&seen, "mtdump"), "false",
         "getmetatable(\"\").__index.dump fails");
  is_str(lt_recorded(&seen, "upper"), "\"ABC\"", "string methods still work");
  is_str(lt_recorded(&seen, "strmeth"), "7",
         "methods come from the sandbox's string table");
  is_str(lt_recorded(&seen, "setmt"), "false",
         "setmetatable on a string fails");
  is_str(lt_recorded(&seen, "gc"), "false", "__gc metatables are refused");
  like(lt_recorded(&seen, "gcmsg"), "__gc is not allowed in a routine",
       "__gc refusal says why");
  is_str(lt_recorded(&seen, "collect"), "false",
         "collectgarbage(\"collect\") is refused");
  is_str(lt_recorded(&seen, "collect0"), "false",
         "collectgarbage() is refused");
  is_str(lt_recorded(&seen, "stop"), "false",
         "collectgarbage(\"stop\") is refused");
  is_str(lt_recorded(&seen, "count"), "true",
         "collectgarbage(\"count\") works");
  is_str(lt_recorded(&seen, "randomseed"), "true",
         "math.randomseed is absent (replay)");
  is_str(lt_recorded(&seen, "envmt"), "false",
         "the environment's metatable is protected");
  is_str(lt_recorded(&seen, "wrap"), "false", "coroutine.wrap unreachable");
  is_str(lt_recorded(&seen, "yield"), "false", "coroutine.yield unreachable");
  is_str(lt_recorded(&seen, "glob"), "false", "_G unreachable");
  is_str(lt_recorded(&seen, "local_only"), "true",
         "a routine may change its own copy of string, nothing else");
}

static void test_binary_chunk_refused(void) {
  const char *path = lt_write("binary.lua", "\x1bLua\x54\x00 not really");
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, NULL, 1, err, sizeof err);
  ok(r == NULL, "a precompiled chunk is refused");
  like(err, "binary chunk", "the message says why");
  like(err, path, "the message names the file");
  rb_routine_free(r);
}

static void test_random_replays(void) {
  const char *path =
      lt_routine("random.lua", "    local t = {}\n"
                               "    for i = 1, 5 do t[i] = math.random(1000) "
                               "end\n"
                               "    record('r', table.concat(t, ','))\n");
  lt_seen a, b, c;
  rb_request rq;
  char ra[256], rb[256];
  run_seen(path, NULL, 42, &a, &rq);
  snprintf(ra, sizeof ra, "%s",
           lt_recorded(&a, "r") ? lt_recorded(&a, "r") : "");
  run_seen(path, NULL, 42, &b, &rq);
  snprintf(rb, sizeof rb, "%s",
           lt_recorded(&b, "r") ? lt_recorded(&b, "r") : "");
  ok(ra[0] != '\0', "math.random works (%s)", ra);
  is_str(rb, ra, "the same seed replays the same numbers");
  run_seen(path, NULL, 43, &c, &rq);
  ok(lt_recorded(&c, "r") && strcmp(lt_recorded(&c, "r"), ra) != 0,
     "another seed gives other numbers");
}

/* pairs walks keys in a fixed order, whatever Lua's hash seed is. */
static void test_pairs_order(void) {
  const char *path = lt_routine(
      "pairs.lua",
      "    local t = {zeta = 1, alpha = 2, mid = 3, [10] = 4, [2] = 5,\n"
      "               [1.5] = 6, beta = 7}\n"
      "    local ks = {}\n"
      "    for k in pairs(t) do ks[#ks + 1] = tostring(k) end\n"
      "    record('order', table.concat(ks, ','))\n"
      "    local n = 0\n"
      "    for k in pairs(t) do t.mid = nil; t.zeta = nil; n = n + 1 end\n"
      "    record('removed', n)\n"
      "    local mt = setmetatable({}, {__pairs = function(x)\n"
      "      return function(_, k) if not k then return 1, 'one' end end, x, "
      "nil\n"
      "    end})\n"
      "    for k, v in pairs(mt) do record('meta', v) end\n");
  lt_seen seen;
  rb_request rq;
  run_seen(path, NULL, 1, &seen, &rq);
  is_int(rq.kind, RB_REQ_DONE, "pairs routine ran (%s)", rq.error);
  is_str(lt_recorded(&seen, "order"), "\"1.5,2,10,alpha,beta,mid,zeta\"",
         "pairs: numbers ascending, then strings");
  is_str(lt_recorded(&seen, "removed"), "5",
         "keys removed during the walk are skipped");
  is_str(lt_recorded(&seen, "meta"), "\"one\"", "__pairs is respected");
}

/* The routine must end with an error "PATH:LINE: routine ran too long". */
static void expect_runaway(const char *path, int line, const rb_limits *lim,
                           double max_ms, const char *what) {
  char want[RB_ERROR_MAX + 64];
  rb_request rq;
  lt_seen seen;
  double t0 = now_ms(), took;
  run_seen(path, lim, 1, &seen, &rq);
  took = now_ms() - t0;
  snprintf(want, sizeof want,
           "%s:%d: routine ran too long without a pause (runaway loop?)", path,
           line);
  is_int(rq.kind, RB_REQ_ERROR, "%s: stopped with an error", what);
  is_str(rq.error, want, "%s: FILE:LINE and plain words", what);
  /* the budget is the engine's; this only tells "stopped" from "hung":
   * on a slow machine (CI beside a build, qemu-user) a stop takes longer
   * than the budget says, never minutes */
  (void)max_ms;
  ok(took < 60000, "%s: stopped in %.0f ms, not minutes", what, took);
}

static void test_runaway(void) {
  rb_limits fast = {.wall_ms = 100};
  rb_limits count = {.instructions = 100000, .wall_ms = 60000};
  rb_request rq;
  char err[RB_ERROR_MAX];
  rb_routine *r;

  /* default limits: 200e6 instructions or 1 s, whichever comes first */
  expect_runaway(FIXTURE("forever.lua"), 7, NULL, 1500, "while true");
  expect_runaway(FIXTURE("forever.lua"), 7, &fast, 400, "wall_ms 100");
  expect_runaway(FIXTURE("forever.lua"), 7, &count, 300, "100000 instructions");
  expect_runaway(FIXTURE("forever_pcall.lua"), 8, &fast, 400, "inside pcall");
  expect_runaway(FIXTURE("forever_gsub.lua"), 7, &fast, 400,
                 "inside a string.gsub callback");
  expect_runaway(
      lt_routine("forever_sort.lua",
                 "    local t = {3, 2, 1}\n"
                 "    pcall(table.sort, t, function(a, b) while true do end "
                 "end)\n"
                 "    say('survived')\n"),
      5, &fast, 400, "inside a table.sort comparator");
  expect_runaway(lt_routine("forever_tostring.lua",
                            "    local o = setmetatable({}, {__tostring = "
                            "function()\n"
                            "      while true do end end})\n"
                            "    print(pcall(tostring, o))\n"
                            "    say('survived')\n"),
                 5, &fast, 400, "inside __tostring called from C");
  expect_runaway(lt_routine("forever_xpcall.lua",
                            "    xpcall(function() while true do end end,\n"
                            "           function(e) while true do end end)\n"
                            "    say('survived')\n"),
                 4, &fast, 400, "xpcall with a looping handler");
  expect_runaway(
      lt_routine("forever_rep.lua",
                 "    while true do\n"
                 "      local s = string.rep('x', 16 * 1024 * 1024)\n"
                 "    end\n"),
      5, &(rb_limits){.wall_ms = 200, .memory_bytes = 256 << 20}, 800,
      "a loop of expensive C calls");

  /* at load time the same budget applies */
  r = rb_routine_load(FIXTURE("forever_top.lua"), &fast, 1, err, sizeof err);
  ok(r == NULL, "a runaway top level fails the load");
  like(err, FIXTURE("forever_top.lua") ":2: routine ran too long",
       "load error has FILE:LINE");
  rb_routine_free(r);

  /* killed means killed: resuming again repeats the error */
  r = rb_routine_load(FIXTURE("forever.lua"), &fast, 1, err, sizeof err);
  ok(r != NULL, "forever.lua loads");
  if (r) {
    rb_routine_resume(r, NULL, &rq);
    rb_routine_resume(r, NULL, &rq);
    is_int(rq.kind, RB_REQ_ERROR, "a killed routine stays dead");
    like(rq.error, "runaway loop", "with the same message");
    rb_routine_free(r);
  }
}

/* The budget is per resume: work spread over many pauses is fine. */
static void test_budget_per_resume(void) {
  const char *path =
      lt_routine("spread.lua", "    for i = 1, 20 do\n"
                               "      local n = 0\n"
                               "      for j = 1, 20000 do n = n + j end\n"
                               "      say('step ' .. i)\n"
                               "    end\n");
  rb_limits lim = {.instructions = 200000, .wall_ms = 60000};
  lt_seen seen;
  rb_request rq;
  int says = 0;
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, &lim, 1, err, sizeof err);
  ok(r != NULL, "spread.lua loads");
  if (!r)
    return;
  lt_hook_up(r, &seen);
  while (rb_routine_resume(r, NULL, &rq) == RB_REQ_SAY)
    says++;
  is_int(rq.kind, RB_REQ_DONE,
         "20 x 80000 instructions with pauses pass a "
         "200000 budget (%s)",
         rq.error);
  is_int(says, 20, "all 20 steps ran");
  rb_routine_free(r);
}

static void test_memory(void) {
  rb_limits roomy = {.wall_ms = 20000};
  rb_limits small = {.memory_bytes = 16 << 20, .wall_ms = 20000};
  char want[RB_ERROR_MAX + 64], err[RB_ERROR_MAX];
  const char *path;
  lt_seen seen;
  rb_request rq;
  rb_routine *r;

  run_seen(FIXTURE("memory_bomb.lua"), &roomy, 1, &seen, &rq);
  is_int(rq.kind, RB_REQ_ERROR, "a growing table is stopped");
  snprintf(want, sizeof want,
           "%s:7: routine used more than its 64 MiB of memory",
           FIXTURE("memory_bomb.lua"));
  like(rq.error, want, "memory bomb: FILE:LINE and the limit");

  run_seen(FIXTURE("memory_rep.lua"), &roomy, 1, &seen, &rq);
  is_int(rq.kind, RB_REQ_ERROR, "string.rep of 100 MiB is stopped");
  snprintf(want, sizeof want, "%s:5: routine used more than its 64 MiB",
           FIXTURE("memory_rep.lua"));
  like(rq.error, want, "string.rep: FILE:LINE of the call");

  /* the cap is 64 MiB by default: 24 MiB fits (string.rep needs twice
   * that while it copies its buffer), and a smaller cap is kept */
  path = lt_routine("rep24.lua",
                    "    local s = string.rep('x', 24 * 1024 * 1024)\n"
                    "    record('len', #s)\n"
                    "    record('kb', collectgarbage('count') > 24 * 1024)\n"
                    "    s = nil\n");
  run_seen(path, &roomy, 1, &seen, &rq);
  is_int(rq.kind, RB_REQ_DONE, "24 MiB fits under the default cap (%s)",
         rq.error);
  is_str(lt_recorded(&seen, "len"), "25165824", "the string was made");
  is_str(lt_recorded(&seen, "kb"), "true", "and counted");
  run_seen(path, &small, 1, &seen, &rq);
  is_int(rq.kind, RB_REQ_ERROR, "24 MiB does not fit a 16 MiB cap");
  like(rq.error, ":4: routine used more than its 16 MiB of memory",
       "16 MiB cap message");

  /* a routine may catch a memory error itself and carry on */
  path = lt_routine("catch_mem.lua",
                    "    local ok = pcall(string.rep, 'x', 80 * 1024 * 1024)\n"
                    "    record('ok', ok)\n"
                    "    say('after')\n");
  run_seen(path, &roomy, 1, &seen, &rq);
  is_str(lt_recorded(&seen, "ok"), "false", "pcall sees the memory error");
  is_int(rq.kind, RB_REQ_DONE, "and the routine goes on");

  /* the cap holds at load time too */
  path = lt_write("top_mem.lua",
                  "local big = string.rep('y', 2 * 1024 * 1024)\n"
                  "return routine { id = 'x', title = 'X', run = function() "
                  "end }\n");
  r = rb_routine_load(path, &(rb_limits){.memory_bytes = 1 << 20}, 1, err,
                      sizeof err);
  ok(r == NULL, "a 1 MiB cap stops a 2 MiB string at load");
  snprintf(want, sizeof want, "%s:1: routine used more than its 1 MiB", path);
  like(err, want, "load memory error has FILE:LINE");
  rb_routine_free(r);
}

/* A reply is converted inside the cap too: a huge one fails cleanly. */
static void test_reply_over_cap(void) {
  const char *path =
      lt_routine("bigreply.lua", "    local t = ask{question = 'q', choices = "
                                 "{'a', 'b'}}\n");
  rb_limits lim = {.memory_bytes = 1 << 20};
  char err[RB_ERROR_MAX];
  rb_routine *r = rb_routine_load(path, &lim, 1, err, sizeof err);
  rb_request rq;
  cJSON *big;
  char *s;
  ok(r != NULL, "bigreply loads");
  if (!r)
    return;
  rb_routine_resume(r, NULL, &rq);
  s = malloc(2 << 20);
  memset(s, 'z', (2 << 20) - 1);
  s[(2 << 20) - 1] = '\0';
  big = cJSON_CreateString(s);
  free(s);
  rb_routine_resume(r, big, &rq);
  cJSON_Delete(big);
  is_int(rq.kind, RB_REQ_ERROR, "a reply bigger than the cap is an error");
  like(rq.error, ":4: routine used more than its 1 MiB",
       "at the line of the pending call");
  rb_routine_free(r);
}

int main(void) {
  test_forbidden_globals();
  test_forbidden_routes();
  test_binary_chunk_refused();
  test_random_replays();
  test_pairs_order();
  test_runaway();
  test_budget_per_resume();
  test_memory();
  test_reply_over_cap();
  lt_cleanup();
  return tap_done();
}
