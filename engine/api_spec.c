/* api_spec: the routine API as data (see api_spec.h). The option keys
 * here are the ones lua_api.c accepts, so what an editor is told and what
 * the engine takes cannot drift apart. */
#include "api_spec.h"

#include <string.h>

#define K(name, type, doc)                                                     \
  { name, type, doc }
#define END                                                                    \
  { NULL, NULL, NULL }

static const rb_api_key show_keys[] = {
    K("title", "rebalance.text?",
      "A few words, large, at the top; stays through the steps that follow."),
    K("text", "rebalance.text?",
      "The instruction: one or two short sentences."),
    K("side", "rebalance.side?", "The LEFT/RIGHT badge and the side's bar."),
    K("figure", "string?", "A movement figure (docs/figures.md)."), END};

static const rb_api_key seconds_keys[] = {
    K("seconds", "number", "How long, in seconds."), END};

static const rb_api_key hold_keys[] = {
    K("seconds", "number", "Each hold, 1 to 3600 s."),
    K("reps", "integer?", "How many holds, 1 to 100 (1)."),
    K("rest", "number?", "Seconds between two holds, 0 to 3600 (0)."),
    K("side", "rebalance.side?", "The side being worked."),
    K("cue", "rebalance.text?", "Spoken at the start of each hold."),
    END};

static const rb_api_key reps_keys[] = {
    K("count", "integer", "Repetitions in a set, 1 to 1000."),
    K("sets", "integer?", "Sets, 1 to 100 (1)."),
    K("rest", "number?", "Seconds between sets, 0 to 3600 (0)."),
    K("side", "rebalance.side?", "The side being worked."),
    K("cue", "rebalance.text?", "Spoken at the start of each set."),
    K("tempo", "rebalance.tempo?",
      "The engine paces every repetition; without it NEXT counts each one."),
    END};

static const rb_api_key tempo_keys[] = {
    K("up", "number", "Seconds up, 0.1 to 60."),
    K("hold", "number?", "Seconds held, 0 to 60."),
    K("down", "number", "Seconds down, 0.1 to 60."),
    K("pace", "\"voice\"|\"ticks\"|nil", "Words (default) or tick sounds."),
    K("words", "rebalance.tempo_words?",
      "Your own words for up, hold, down (API 1.1)."),
    END};

static const rb_api_key words_keys[] = {
    K("up", "rebalance.text?", "Said and shown for up."),
    K("hold", "rebalance.text?", "Said and shown for hold."),
    K("down", "rebalance.text?", "Said and shown for down."), END};

static const rb_api_key ask_keys[] = {
    K("question", "rebalance.text",
      "The question (its text is its --answer key)."),
    K("choices", "rebalance.text[]", "2 to 12 different answers, as buttons."),
    K("side", "rebalance.side?", "Asked about one side (API 1.1)."), END};

static const rb_api_key scale_keys[] = {
    K("question", "rebalance.text", "The question."),
    K("min", "integer?", "The lowest answer (0)."),
    K("max", "integer?", "The highest answer (10)."),
    K("side", "rebalance.side?", "Asked about one side (API 1.1)."), END};

static const rb_api_key measure_keys[] = {
    K("name", "rebalance.text", "The heading (and --answer key)."),
    K("unit", "string?", "Shown after the number (\"cm\")."),
    K("side", "rebalance.side?", "The side measured."),
    K("min", "number", "The lowest value."),
    K("max", "number", "The highest value."),
    K("step", "number?", "What + and - add (1)."),
    END};

static const rb_api_key record_keys[] = {
    K("label", "string?", "How screens and exports name it."),
    K("unit", "string?", "Its unit (\"cm\")."), END};

static const rb_api_key pain_keys[] = {
    K("question", "rebalance.text?", "Instead of the standard question."),
    K("max_before", "integer?", "Before: this or more stops the routine (7)."),
    K("stop_on_rise", "boolean?",
      "false: a rise of 2 is recorded, not stopped at."),
    END};

static const rb_api_key routine_keys[] = {
    K("id", "string", "Unique and stable: results are kept under it."),
    K("title", "string", "What the home screen shows."),
    K("summary", "string?", "One sentence under the title."),
    K("areas", "string[]?", "Body areas (\"knee\", \"low back\")."),
    K("equipment", "string[]?", "What the patient needs."),
    K("minutes", "number?", "How long it takes, said on the home screen."),
    K("language", "string?", "The routine's language (\"en\", \"de\")."),
    K("run", "fun()", "The session."),
    END};

/* One row per global a routine sees besides Lua's own. */
static const rb_api_call calls[] = {
    {"routine", "spec: rebalance.routine", "rebalance.routine",
     "Declares the routine; the file returns it.", "1.0", "rebalance.routine",
     routine_keys},
    {"say", "text: rebalance.text", "",
     "Shows the text as a caption and speaks it; waits until spoken.", "1.0",
     NULL, NULL},
    {"show", "opts: rebalance.show", "",
     "Sets what the exercise screen shows; takes no time.", "1.0",
     "rebalance.show", show_keys},
    {"wait_next", "prompt?: rebalance.text", "",
     "Waits for NEXT; prompt labels the big button.", "1.0", NULL, NULL},
    {"countdown", "seconds: number|rebalance.seconds", "",
     "A get-ready countdown with beeps, 1 to 600 s.", "1.0",
     "rebalance.seconds", seconds_keys},
    {"hold", "opts: rebalance.hold", "",
     "Timed holds with rests; the side, cues, halfway, beeps.", "1.0",
     "rebalance.hold", hold_keys},
    {"reps", "opts: rebalance.reps", "",
     "Counted repetitions, paced by the engine with tempo.", "1.0",
     "rebalance.reps", reps_keys},
    {"rest", "seconds: number|rebalance.seconds", "",
     "The rest screen with what comes next, 1 to 3600 s.", "1.0", NULL, NULL},
    {"ask", "opts: rebalance.ask", "string", "Returns the chosen answer.",
     "1.0", "rebalance.ask", ask_keys},
    {"ask_scale", "opts: rebalance.ask_scale", "integer",
     "Returns a whole number from min to max (a 0-10 pain scale).", "1.0",
     "rebalance.ask_scale", scale_keys},
    {"measure", "opts: rebalance.measure", "number",
     "Returns the number entered on the keypad.", "1.0", "rebalance.measure",
     measure_keys},
    {"assess", "id: string, opts?: {values?: table<string, any>}",
     "rebalance.assessment",
     "Runs a plugin's assessment and returns its result.", "1.0", NULL, NULL},
    {"record", "key: string, value: any, opts?: rebalance.record", "",
     "Keeps a value with the session.", "1.0", "rebalance.record", record_keys},
    {"sides", "first?: rebalance.side", "fun(): rebalance.side?",
     "for side in sides() do ... end: left then right.", "1.0", NULL, NULL},
    {"history", "key: string, n?: integer", "rebalance.past[]",
     "This patient's last n values of key, newest first.", "1.1", NULL, NULL},
    {"last_session", "routine_id?: string", "rebalance.last?",
     "This patient's last session (of that routine), or nil.", "1.1", NULL,
     NULL},
    {"param", "name: string, default: any", "any",
     "The therapist's value for this patient, else default.", "1.1", NULL,
     NULL},
    {"pain_check",
     "when: \"before\"|\"during\"|\"after\", opts?: rebalance.pain_check",
     "integer",
     "The standard 0-10 pain question, recorded, with the clinic's rule.",
     "1.1", "rebalance.pain_check", pain_keys},
    {"stop", "text: rebalance.text", "",
     "Ends the routine at once as stopped, reason routine.", "1.1", NULL, NULL},
    {"use", "name: string", "any",
     "Loads lib/NAME.lua from the routine's folder, once.", "1.1", NULL, NULL},
    {"print", "...: any", "", "Writes to the log with FILE:LINE.", "1.0", NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL}};

/* Option tables inside option tables. */
static const struct {
  const char *cls;
  const rb_api_key *keys;
} nested[] = {{"rebalance.tempo", tempo_keys},
              {"rebalance.tempo_words", words_keys},
              {NULL, NULL}};

/* Lua's own globals a routine keeps (lua_host.c's sandbox). */
static const char *const lua_globals[] = {
    "assert",       "error",    "ipairs",
    "next",         "pcall",    "xpcall",
    "select",       "tonumber", "tostring",
    "type",         "rawequal", "rawget",
    "rawlen",       "rawset",   "getmetatable",
    "setmetatable", "pairs",    "collectgarbage",
    "string",       "math",     "table",
    "utf8",         NULL};

const rb_api_call *rb_api_calls(void) { return calls; }

const rb_api_call *rb_api_call_named(const char *name) {
  for (int i = 0; calls[i].name; i++)
    if (strcmp(calls[i].name, name) == 0)
      return &calls[i];
  return NULL;
}

const rb_api_key *rb_api_class(const char *cls) {
  for (int i = 0; calls[i].name; i++)
    if (calls[i].opts_class && strcmp(calls[i].opts_class, cls) == 0)
      return calls[i].keys;
  for (int i = 0; nested[i].cls; i++)
    if (strcmp(nested[i].cls, cls) == 0)
      return nested[i].keys;
  return NULL;
}

const char *const *rb_api_lua_globals(void) { return lua_globals; }
