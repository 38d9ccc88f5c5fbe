/* assess plugins: the bundled assessment plugins (knee_to_wall,
 * doorway_leg_raise, posture_mirror), loaded from the build tree's
 * plugins/ as the host would load them, but driven by a fake host table
 * written here: no engine loader involved. */
#include "tap.h"

#include <rebalance/plugin.h>

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the fake host ------------------------------------------------------ */

struct rbp_context {
  rbp_assessment a; /* what register_assessment was handed (copied) */
  int registered;
};

enum { MAX_VALUES = 16, MAX_FLAGS = 16, MAX_DERIVED = 8 };

typedef struct {
  const char *field, *side; /* side NULL: not per side */
  int kind;                 /* rbp_field_kind */
  double number;
  int yes;
  const char *choice;
} entry;

struct rbp_eval {
  entry values[MAX_VALUES];
  int nvalues;
  int has_score;
  double score;
  const char *flags[MAX_FLAGS];
  int nflags;
  struct {
    const char *name, *side, *unit;
    double value;
  } derived[MAX_DERIVED];
  int nderived;
  char summary[2048];
  int summaries;
};

static int host_register(rbp_context *ctx, const rbp_assessment *a) {
  if (ctx->registered || a == NULL || a->size < sizeof(rbp_assessment))
    return -1;
  ctx->a = *a;
  ctx->registered = 1;
  return 0;
}

static void host_log(rbp_context *ctx, int level, const char *message) {
  (void)ctx;
  printf("# plugin log %d: %s\n", level, message);
}

static int same_side(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static const entry *lookup(rbp_eval *e, const char *field, const char *side,
                           int kind) {
  for (int i = 0; i < e->nvalues; i++)
    if (strcmp(e->values[i].field, field) == 0 &&
        same_side(e->values[i].side, side))
      return e->values[i].kind == kind ? &e->values[i] : NULL;
  return NULL;
}

static int host_number(rbp_eval *e, const char *field, const char *side,
                       double *out) {
  const entry *v = lookup(e, field, side, RBP_FIELD_NUMBER);
  if (!v)
    return -1;
  *out = v->number;
  return 0;
}

static int host_yesno(rbp_eval *e, const char *field, const char *side,
                      int *out) {
  const entry *v = lookup(e, field, side, RBP_FIELD_YESNO);
  if (!v)
    return -1;
  *out = v->yes;
  return 0;
}

static int host_choice(rbp_eval *e, const char *field, const char *side,
                       const char **out) {
  const entry *v = lookup(e, field, side, RBP_FIELD_CHOICE);
  if (!v)
    return -1;
  *out = v->choice;
  return 0;
}

static void host_set_score(rbp_eval *e, double score) {
  e->has_score = 1;
  e->score = score;
}

static void host_add_flag(rbp_eval *e, const char *flag) {
  if (e->nflags < MAX_FLAGS)
    e->flags[e->nflags++] = flag;
}

static void host_add_value(rbp_eval *e, const char *name, const char *side,
                           double value, const char *unit) {
  if (e->nderived < MAX_DERIVED) {
    e->derived[e->nderived].name = name;
    e->derived[e->nderived].side = side;
    e->derived[e->nderived].unit = unit;
    e->derived[e->nderived].value = value;
    e->nderived++;
  }
}

static void host_set_summary(rbp_eval *e, const char *text) {
  /* Copied, as the real host does: the plugin's buffer may be gone. */
  snprintf(e->summary, sizeof e->summary, "%s", text ? text : "");
  e->summaries++;
}

static const rbp_host host = {
    .size = sizeof(rbp_host),
    .abi_major = RBP_ABI_MAJOR,
    .abi_minor = RBP_ABI_MINOR,
    .register_assessment = host_register,
    .log = host_log,
    .number = host_number,
    .yesno = host_yesno,
    .choice = host_choice,
    .set_score = host_set_score,
    .add_flag = host_add_flag,
    .add_value = host_add_value,
    .set_summary = host_set_summary,
};

/* --- helpers ------------------------------------------------------------ */

static const rbp_plugin *open_plugin(const char *name) {
  char path[1024];
  void *so;
  rbp_entry_fn entry_fn;
  snprintf(path, sizeof path, "%s/plugins/%s.so", RB_BUILD_DIR, name);
  so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  ok(so != NULL, "%s: %s loads", name, path);
  if (!so) {
    printf("#   %s\n", dlerror());
    return NULL;
  }
  *(void **)&entry_fn = dlsym(so, RBP_ENTRY_SYMBOL);
  ok(entry_fn != NULL, "%s: exports %s", name, RBP_ENTRY_SYMBOL);
  return entry_fn ? entry_fn() : NULL;
}

/* Loads the plugin and returns the assessment it registered, or NULL (the
 * failure already reported). */
static const rbp_assessment *load(const char *name, rbp_context *ctx) {
  const rbp_plugin *p = open_plugin(name);
  rbp_context small = {0};
  rbp_host old = host;
  if (!p)
    return NULL;
  is_int(p->abi_major, RBP_ABI_MAJOR, "%s: ABI major", name);
  is_int(p->abi_minor, RBP_ABI_MINOR, "%s: ABI minor", name);
  is_int(p->size, sizeof(rbp_plugin), "%s: descriptor size", name);
  is_str(p->name, name, "%s: plugin name", name);
  ok(p->version && *p->version, "%s: has a version (%s)", name,
     p->version ? p->version : "(null)");
  ok(p->init != NULL, "%s: has init", name);
  if (!p->init)
    return NULL;
  /* A host too small to have the functions the plugin calls. */
  old.size = offsetof(rbp_host, set_score);
  is_int(p->init(&old, &small), -1,
         "%s: init refuses a host without the "
         "result functions",
         name);
  ok(!small.registered, "%s: and registers nothing", name);
  is_int(p->init(&host, ctx), 0, "%s: init succeeds", name);
  ok(ctx->registered, "%s: registered an assessment", name);
  if (!ctx->registered)
    return NULL;
  is_str(ctx->a.id, name, "%s: assessment id", name);
  ok(ctx->a.size == sizeof(rbp_assessment), "%s: assessment size", name);
  ok(ctx->a.instructions && strlen(ctx->a.instructions) > 40,
     "%s: has instructions", name);
  ok(ctx->a.evaluate != NULL, "%s: has evaluate", name);
  return ctx->a.evaluate ? &ctx->a : NULL;
}

static const rbp_field *field(const rbp_assessment *a, const char *name) {
  for (uint32_t i = 0; i < a->nfields; i++)
    if (a->fields[i].name && strcmp(a->fields[i].name, name) == 0)
      return &a->fields[i];
  return NULL;
}

static void add(rbp_eval *e, entry v) {
  if (e->nvalues < MAX_VALUES)
    e->values[e->nvalues++] = v;
}

static void num(rbp_eval *e, const char *f, const char *side, double x) {
  add(e,
      (entry){.field = f, .side = side, .kind = RBP_FIELD_NUMBER, .number = x});
}

static void yn(rbp_eval *e, const char *f, const char *side, int yes) {
  add(e,
      (entry){.field = f, .side = side, .kind = RBP_FIELD_YESNO, .yes = yes});
}

static void pick(rbp_eval *e, const char *f, const char *side,
                 const char *choice) {
  add(e, (entry){.field = f,
                 .side = side,
                 .kind = RBP_FIELD_CHOICE,
                 .choice = choice});
}

static int has_flag(const rbp_eval *e, const char *flag) {
  for (int i = 0; i < e->nflags; i++)
    if (strcmp(e->flags[i], flag) == 0)
      return 1;
  return 0;
}

/* The flags are exactly those in want (comma separated, any order). */
static void flags_are(const rbp_eval *e, const char *want, const char *what) {
  char buf[256], got[512] = "";
  int n = 0, all = 1;
  snprintf(buf, sizeof buf, "%s", want);
  for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    n++;
    if (!has_flag(e, t))
      all = 0;
  }
  ok(all && n == e->nflags, "%s: flags are {%s}", what, want);
  if (!(all && n == e->nflags)) {
    for (int i = 0; i < e->nflags; i++) {
      strncat(got, e->flags[i], sizeof got - strlen(got) - 2);
      strncat(got, " ", sizeof got - strlen(got) - 1);
    }
    printf("#   got {%s}\n", got);
  }
}

static const double *derived(const rbp_eval *e, const char *name,
                             const char *side, const char *unit) {
  for (int i = 0; i < e->nderived; i++)
    if (strcmp(e->derived[i].name, name) == 0 &&
        same_side(e->derived[i].side, side) && e->derived[i].unit &&
        strcmp(e->derived[i].unit, unit) == 0)
      return &e->derived[i].value;
  return NULL;
}

static int near(double a, double b) { return a - b < 1e-9 && b - a < 1e-9; }

static int run(const rbp_assessment *a, rbp_eval *e) {
  int rc = a->evaluate(&host, e, a->user);
  printf("#   summary: %s\n", e->summary);
  return rc;
}

static void unlike(const char *got, const char *needle, const char *what) {
  ok(got && !strstr(got, needle), "%s: does not say '%s'", what, needle);
}

/* --- knee_to_wall ------------------------------------------------------- */

static rbp_eval *knee(const rbp_assessment *a, double left, double right) {
  static rbp_eval e;
  memset(&e, 0, sizeof e);
  num(&e, "distance_cm", "left", left);
  num(&e, "distance_cm", "right", right);
  is_int(run(a, &e), 0, "knee_to_wall %.1f/%.1f: evaluates", left, right);
  is_int(e.summaries, 1, "knee_to_wall %.1f/%.1f: one summary", left, right);
  unlike(e.summary, "diagnos", "knee_to_wall");
  return &e;
}

static void test_knee_to_wall(void) {
  rbp_context ctx = {0};
  const rbp_assessment *a = load("knee_to_wall", &ctx);
  const rbp_field *f;
  const double *deg;
  rbp_eval *e, bad;
  if (!a)
    return;
  is_str(a->title, "Knee-to-wall ankle test", "knee_to_wall: title");
  is_int(a->nfields, 1, "knee_to_wall: one field");
  f = field(a, "distance_cm");
  ok(f != NULL, "knee_to_wall: declares distance_cm");
  if (f) {
    ok(f->size == sizeof(rbp_field), "distance_cm: field size");
    is_int(f->kind, RBP_FIELD_NUMBER, "distance_cm: a number");
    is_int(f->per_side, 1, "distance_cm: per side");
    is_str(f->unit, "cm", "distance_cm: in cm");
    ok(f->min == 0.0 && f->max == 20.0, "distance_cm: 0 to 20");
    ok(f->step == 0.5, "distance_cm: step 0.5");
    ok(f->label && *f->label, "distance_cm: has a label");
    ok(f->help && strstr(f->help, "heel") && strstr(f->help, "wall"),
       "distance_cm: help says how to measure (heel down, toe to wall)");
  }

  e = knee(a, 12.0, 9.5);
  flags_are(e, "asymmetry", "12.0/9.5");
  ok(e->has_score && near(e->score, 9.5), "12.0/9.5: score is the smaller "
                                          "side, 9.5");
  deg = derived(e, "dorsiflexion_deg", "left", "deg");
  ok(deg && near(*deg, 43.2), "12.0/9.5: left 43.2 deg");
  deg = derived(e, "dorsiflexion_deg", "right", "deg");
  ok(deg && near(*deg, 34.2), "12.0/9.5: right 34.2 deg");
  like(e->summary, "right ankle is stiffer", "12.0/9.5: right is stiffer");
  like(e->summary, "9.5 cm", "12.0/9.5: gives the numbers");
  like(e->summary, "12.0 cm", "12.0/9.5: gives both numbers");
  like(e->summary, "calf", "12.0/9.5: suggests calf loosening");
  like(e->summary, "right side", "12.0/9.5: on the stiffer side");
  like(e->summary, "therapist", "12.0/9.5: worth showing the therapist");
  like(e->summary, "1.9 cm", "12.0/9.5: notes the measurement error");
  unlike(e->summary, "measure again", "12.0/9.5 (2.5 cm apart)");

  e = knee(a, 12.0, 11.0);
  flags_are(e, "", "12.0/11.0");
  ok(e->has_score && near(e->score, 11.0), "12.0/11.0: score 11.0");
  like(e->summary, "about the same", "12.0/11.0: sides even");
  unlike(e->summary, "calf", "12.0/11.0");
  like(e->summary, "1.9 cm", "12.0/11.0: notes the measurement error");

  e = knee(a, 8.0, 8.5);
  flags_are(e, "limited_left,limited_right", "8.0/8.5");
  ok(e->has_score && near(e->score, 8.0), "8.0/8.5: score 8.0");
  like(e->summary, "Both are less than", "8.0/8.5: both short");
  like(e->summary, "both sides", "8.0/8.5: calf loosening on both sides");

  e = knee(a, 9.0, 12.0);
  flags_are(e, "asymmetry,limited_left", "9.0/12.0");
  like(e->summary, "left ankle is stiffer", "9.0/12.0: left is stiffer");
  like(e->summary, "left side", "9.0/12.0: loosen the left");

  /* Cut-offs: a gap of exactly 1.5 cm is not flagged, 9.2 cm is not
   * limited. */
  e = knee(a, 10.5, 12.0);
  flags_are(e, "", "10.5/12.0 (1.5 cm apart)");
  e = knee(a, 9.2, 9.2);
  flags_are(e, "", "9.2/9.2");
  e = knee(a, 9.1, 9.2);
  flags_are(e, "limited_left", "9.1/9.2");

  /* A gap over 1.5 cm but under the 1.9 cm measurement error. */
  e = knee(a, 12.0, 10.2);
  flags_are(e, "asymmetry", "12.0/10.2");
  like(e->summary, "measure again", "12.0/10.2: small gap, measure again");

  e = knee(a, 16.0, 16.5);
  flags_are(e, "", "16.0/16.5");
  like(e->summary, "further than most", "16.0/16.5: better than usual");

  /* Values that cannot be read. */
  memset(&bad, 0, sizeof bad);
  num(&bad, "distance_cm", "left", 12.0);
  is_int(a->evaluate(&host, &bad, a->user), -1,
         "knee_to_wall: a missing side cannot be evaluated");
  memset(&bad, 0, sizeof bad);
  yn(&bad, "distance_cm", "left", 1);
  num(&bad, "distance_cm", "right", 12.0);
  is_int(a->evaluate(&host, &bad, a->user), -1,
         "knee_to_wall: a value of another kind cannot be evaluated");
}

/* --- doorway_leg_raise -------------------------------------------------- */

static rbp_eval *leg(const rbp_assessment *a, const char *what, int l_reach,
                     int l_knee, int l_foot, int r_reach, int r_knee,
                     int r_foot) {
  static rbp_eval e;
  memset(&e, 0, sizeof e);
  yn(&e, "reached_90", "left", l_reach);
  yn(&e, "knee_bent", "left", l_knee);
  yn(&e, "other_foot_turned_out", "left", l_foot);
  yn(&e, "reached_90", "right", r_reach);
  yn(&e, "knee_bent", "right", r_knee);
  yn(&e, "other_foot_turned_out", "right", r_foot);
  is_int(run(a, &e), 0, "doorway_leg_raise %s: evaluates", what);
  is_int(e.summaries, 1, "doorway_leg_raise %s: one summary", what);
  unlike(e.summary, "diagnos", what);
  return &e;
}

static void test_doorway_leg_raise(void) {
  static const char *const names[] = {"reached_90", "knee_bent",
                                      "other_foot_turned_out"};
  rbp_context ctx = {0};
  const rbp_assessment *a = load("doorway_leg_raise", &ctx);
  rbp_eval *e, bad;
  if (!a)
    return;
  is_str(a->title, "Doorway leg raise", "doorway_leg_raise: title");
  is_int(a->nfields, 3, "doorway_leg_raise: three fields");
  for (int i = 0; i < 3; i++) {
    const rbp_field *f = field(a, names[i]);
    ok(f && f->kind == RBP_FIELD_YESNO && f->per_side == 1 && f->label &&
           f->label[strlen(f->label) - 1] == '?',
       "%s: a yes/no question per side", names[i]);
  }
  is_str(field(a, "reached_90")->label,
         "Did the raised leg reach the wall, straight up?",
         "reached_90: label");

  e = leg(a, "all good", 1, 0, 0, 1, 0, 0);
  flags_are(e, "", "all good");
  ok(e->has_score && near(e->score, 2), "all good: score 2");
  like(e->summary, "Both legs reached", "all good: says so");

  e = leg(a, "left knee bent", 1, 1, 0, 1, 0, 0);
  flags_are(e, "fail_left,tight_hamstrings_left,tight_glutes_left,asymmetry",
            "left knee bent");
  ok(e->has_score && near(e->score, 1), "left knee bent: score 1");
  like(e->summary, "left leg, the knee had to bend",
       "left knee bent: says what happened");
  like(e->summary, "back of the thigh", "left knee bent: in plain words");
  like(e->summary, "Hamstring and glute stretches", "left knee bent: advice");
  like(e->summary, "therapist", "left knee bent: worth showing");

  e = leg(a, "both feet turned out", 1, 0, 1, 1, 0, 1);
  flags_are(e, "fail_left,fail_right,tight_glutes_left,tight_glutes_right",
            "both feet turned out");
  ok(e->has_score && near(e->score, 0), "both feet turned out: score 0");
  like(e->summary, "buttock", "both feet turned out: glutes in plain words");
  unlike(e->summary, "differ", "both feet turned out");
  like(e->summary, "Raising either leg", "both feet turned out: said once");

  e = leg(a, "right short of the wall", 1, 0, 0, 0, 0, 0);
  flags_are(e, "fail_right,asymmetry", "right short of the wall");
  ok(e->has_score && near(e->score, 1), "right short of the wall: score 1");
  like(e->summary, "Your right leg did not get all the way",
       "right short: says so");
  like(e->summary, "differ", "right short: the sides differ");

  memset(&bad, 0, sizeof bad);
  yn(&bad, "reached_90", "left", 1);
  yn(&bad, "knee_bent", "left", 0);
  yn(&bad, "other_foot_turned_out", "left", 0);
  is_int(a->evaluate(&host, &bad, a->user), -1,
         "doorway_leg_raise: a missing side cannot be evaluated");
}

/* --- posture_mirror ----------------------------------------------------- */

static rbp_eval *posture(const rbp_assessment *a, const char *shoulder,
                         const char *hip, int head) {
  static rbp_eval e;
  memset(&e, 0, sizeof e);
  pick(&e, "higher_shoulder", NULL, shoulder);
  pick(&e, "higher_hip", NULL, hip);
  yn(&e, "head_forward", NULL, head);
  is_int(run(a, &e), 0, "posture_mirror %s/%s/%d: evaluates", shoulder, hip,
         head);
  is_int(e.summaries, 1, "posture_mirror: one summary");
  unlike(e.summary, "diagnos", "posture_mirror");
  return &e;
}

static void test_posture_mirror(void) {
  rbp_context ctx = {0};
  const rbp_assessment *a = load("posture_mirror", &ctx);
  const rbp_field *f;
  rbp_eval *e, bad;
  if (!a)
    return;
  is_str(a->title, "Posture check at a mirror", "posture_mirror: title");
  is_int(a->nfields, 3, "posture_mirror: three fields");
  f = field(a, "higher_shoulder");
  ok(f && f->kind == RBP_FIELD_CHOICE && f->per_side == 0 && f->choices &&
         strcmp(f->choices[0], "level") == 0 &&
         strcmp(f->choices[1], "left") == 0 &&
         strcmp(f->choices[2], "right") == 0 && f->choices[3] == NULL,
     "higher_shoulder: one choice of level, left, right (level first: "
     "the default answer is a clean result)");
  f = field(a, "higher_hip");
  ok(f && f->kind == RBP_FIELD_CHOICE && f->per_side == 0 && f->choices,
     "higher_hip: a choice");
  f = field(a, "head_forward");
  ok(f && f->kind == RBP_FIELD_YESNO && f->per_side == 0,
     "head_forward: yes/no, not per side");

  e = posture(a, "level", "level", 0);
  flags_are(e, "", "level/level/no");
  ok(e->has_score && near(e->score, 3), "level/level/no: score 3");
  like(e->summary, "level", "level/level/no: says level");
  like(e->summary, "All level", "level/level/no: all level");

  e = posture(a, "left", "level", 1);
  flags_are(e, "shoulder_high_left,head_forward", "left/level/yes");
  ok(e->has_score && near(e->score, 1), "left/level/yes: score 1");
  like(e->summary, "left shoulder", "left/level/yes: names the shoulder");
  like(e->summary, "neck", "left/level/yes: mentions the neck");
  like(e->summary, "headaches", "left/level/yes: mentions headaches");
  like(e->summary, "therapist", "left/level/yes: worth showing");

  e = posture(a, "level", "right", 0);
  flags_are(e, "hip_high_right", "level/right/no");
  like(e->summary, "right hip", "level/right/no: names the hip");
  like(e->summary, "low back", "level/right/no: low back");

  e = posture(a, "right", "left", 0);
  flags_are(e, "shoulder_high_right,hip_high_left", "right/left/no");

  memset(&bad, 0, sizeof bad);
  pick(&bad, "higher_shoulder", NULL, "up");
  pick(&bad, "higher_hip", NULL, "level");
  yn(&bad, "head_forward", NULL, 0);
  is_int(a->evaluate(&host, &bad, a->user), -1,
         "posture_mirror: an unknown choice cannot be read");
}

int main(void) {
  test_knee_to_wall();
  test_doorway_leg_raise();
  test_posture_mirror();
  return tap_done();
}
