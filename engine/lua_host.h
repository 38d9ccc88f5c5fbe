/* lua_host: loads a therapist's routine into its own sandboxed Lua state
 * and runs its run() function as a coroutine.
 *
 * Each routine gets a fresh lua_State with a memory cap, an environment
 * built from an allow-list of globals, and an instruction budget enforced
 * by a count hook that pcall cannot catch. Calls that take time (hold,
 * reps, ask ...) yield a request to the caller, which resumes the routine
 * with the reply when the step ends. Calls that take no time (show,
 * record, print) reach the caller through hooks. Every error carries the
 * routine's FILE:LINE. */
#ifndef RB_LUA_HOST_H
#define RB_LUA_HOST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define RB_TEXT_MAX 512
#define RB_SHORT_MAX 128
#define RB_CHOICES_MAX 12
#define RB_LIST_MAX 8
#define RB_ERROR_MAX 1024

/* Limits per routine. Zero fields take the defaults below. */
#define RB_LIMIT_MEMORY_DEFAULT ((size_t)64 << 20)
#define RB_LIMIT_INSTRUCTIONS_DEFAULT 200000000L
#define RB_LIMIT_WALL_MS_DEFAULT 1000

typedef struct {
  size_t memory_bytes; /* default 64 MiB */
  long instructions;   /* per resume (between two yields); default 200e6 */
  int wall_ms;         /* per resume, real time; default 1000 */
} rb_limits;

typedef struct {
  char path[RB_TEXT_MAX]; /* as given to rb_routine_load */
  char id[RB_SHORT_MAX];
  char title[RB_SHORT_MAX];
  char summary[RB_TEXT_MAX];
  char areas[RB_LIST_MAX][RB_SHORT_MAX];
  int nareas;
  char equipment[RB_LIST_MAX][RB_SHORT_MAX];
  int nequipment;
  double minutes;    /* optional `minutes` field; 0 when absent */
  int line;          /* line of the routine{...} call */
  char language[32]; /* optional `language` field ("en", "de-AT"); "" when
                        absent. Reserved for voice selection. */
} rb_meta;

typedef enum {
  RB_REQ_DONE = 0,  /* run() returned */
  RB_REQ_ERROR,     /* see rb_request.error */
  RB_REQ_SAY,       /* text */
  RB_REQ_WAIT_NEXT, /* text: the prompt, "" when none */
  RB_REQ_COUNTDOWN, /* seconds */
  RB_REQ_HOLD,      /* seconds, reps, rest, side, cue */
  RB_REQ_REPS,      /* count, sets, rest, side, cue, tempo_* */
  RB_REQ_REST,      /* seconds */
  RB_REQ_ASK,       /* text: question, choices */
  RB_REQ_ASK_SCALE, /* text: question, min, max */
  RB_REQ_MEASURE,   /* text: name, unit, side, min, max, step */
  RB_REQ_ASSESS,    /* id; opts as JSON in assess_opts (may be NULL) */
  /* API 1.1: the routine ends as stopped. id: the reason ("routine",
   * "pain_before", "pain_rise"); text: what to show and say, "" for the
   * engine's words for that reason. Never resumed. */
  RB_REQ_STOP
} rb_req_kind;

typedef struct {
  rb_req_kind kind;
  int line; /* line in the routine file of the call */
  char text[RB_TEXT_MAX];
  char cue[RB_TEXT_MAX];
  char side[8]; /* "", "left" or "right" */
  double seconds;
  double rest;
  int reps;
  int count;
  int sets;
  bool has_tempo;
  double tempo_up, tempo_hold, tempo_down;
  bool tempo_ticks; /* tempo.pace = "ticks": tick sounds, not "up/hold/down" */
  /* tempo.words (API 1.1): the routine's own up, hold, down words, ""
   * for the engine's */
  char tempo_words[3][RB_SHORT_MAX];
  /* the --answer key of a question besides its text ("pain_before") */
  char answer_key[RB_SHORT_MAX];
  char choices[RB_CHOICES_MAX][RB_SHORT_MAX];
  int nchoices;
  double min, max, step;
  char unit[32];
  char id[RB_SHORT_MAX];
  char error[RB_ERROR_MAX]; /* RB_REQ_ERROR: "FILE:LINE: message" */
  /* RB_REQ_ERROR: the routine's call stack, one "  FILE:LINE: in ..." line
   * per Lua frame, innermost first; "" when not useful. */
  char traceback[RB_ERROR_MAX];
  /* RB_REQ_ASSESS: assess()'s second argument as a JSON object, or NULL.
   * Owned by the routine; valid until the next resume or free. */
  const cJSON *assess_opts;
} rb_request;

/* Calls that take no time. Any pointer may be NULL. Strings are only
 * valid during the call and never NULL (show passes "" for a field not
 * given, record "" for a label or unit not given); record's value is
 * owned by the callee. print gets "FILE:LINE" of the print call and the
 * arguments joined by tabs. The lookups (API 1.1 history, last_session,
 * param) are the lookup's (lookup.h); NULL lookups give no history, no
 * last session and the routine's default. Time spent in hooks does not
 * count against the routine's wall-time budget. */
typedef struct {
  void *ud;
  void (*show)(void *ud, const char *title, const char *text, const char *side,
               const char *figure);
  void (*record)(void *ud, const char *key, cJSON *value, const char *label,
                 const char *unit);
  void (*print)(void *ud, const char *file_line, const char *msg);
  cJSON *(*history)(void *ud, const char *key, int n);
  cJSON *(*last_session)(void *ud, const char *routine);
  bool (*param)(void *ud, const char *name, char *out, size_t n);
} rb_routine_hooks;

typedef struct rb_routine rb_routine;

/* Loads and runs the file's top level, which must return routine{...}.
 * On failure returns NULL and writes "FILE:LINE: message" to err.
 * seed makes math.random repeatable within a session. */
rb_routine *rb_routine_load(const char *path, const rb_limits *limits,
                            unsigned seed, char *err, size_t errlen);
void rb_routine_free(rb_routine *r);
const rb_meta *rb_routine_meta(const rb_routine *r);
void rb_routine_set_hooks(rb_routine *r, const rb_routine_hooks *hooks);
/* The patient's language ("de", "en-GB"; NULL or "" for none): a text
 * given as a table of languages is picked in it, then in the routine's
 * `language`, then in English. */
void rb_routine_set_language(rb_routine *r, const char *lang);

/* Starts run() on the first call, then continues it. reply is what the
 * pending call returns to Lua: NULL for nothing, a number, a string, a
 * bool or an object (an assess result). Fills *out with the next request;
 * after RB_REQ_DONE or RB_REQ_ERROR the routine cannot be resumed again.
 * Returns out->kind.
 *
 * reply is only read during the call (the caller keeps ownership). A
 * whole number becomes a Lua integer (3, not 3.0), arrays become lists,
 * objects tables, JSON null nil. The reply to the first call is ignored.
 * After the end, further calls repeat the final request (DONE, or the
 * same ERROR). A routine that overran its budget ends as RB_REQ_ERROR
 * "FILE:LINE: routine ran too long without a pause (runaway loop?)"; one
 * over its memory cap as "FILE:LINE: routine used more than its 64 MiB of
 * memory (...)". Do not call back into rb_routine_* from a hook. */
rb_req_kind rb_routine_resume(rb_routine *r, const cJSON *reply,
                              rb_request *out);

/* The metadata of a file that did not load: its path, and an id from its
 * name ("/r/calf-stretch.lua" -> "calf-stretch"), so its session can
 * still report a start and an end. */
void rb_routine_meta_of_file(const char *path, rb_meta *out);

/* Validates a file as `rebalance check` does, without running run():
 * syntax, the returned table and its metadata. Prints one
 * "FILE:LINE: message" line per problem to out; returns the count. */
int rb_routine_check(const char *path, const rb_limits *limits, FILE *out);

#endif
