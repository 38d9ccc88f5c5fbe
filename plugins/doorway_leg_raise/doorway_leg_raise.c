/* doorway_leg_raise: the doorway leg raise (hip mobility) test.
 *
 * The patient lies on the back in a doorway and raises one straight leg
 * toward the wall while the other rests on the floor (CLINICAL.md).
 * Healthy: the raised leg reaches 90 degrees and rests on the wall with no
 * help from elsewhere. Per side, the side being the RAISED leg's:
 * - reached_90: did the raised leg reach the wall, straight up;
 * - knee_bent: did the raised knee have to bend (tight hamstrings and
 *   glutes);
 * - other_foot_turned_out: did the resting foot's toes turn out while this
 *   leg went up (tight glutes). The resting leg turns out to make up for
 *   the raised side, so the finding is put on the raised side.
 *
 * Result:
 * - flags: "fail_left"/"fail_right" (a side that did not reach 90 degrees
 *   or needed either compensation), "tight_hamstrings_left"/"_right" (knee
 *   bent), "tight_glutes_left"/"_right" (knee bent or the other foot
 *   turned out), "asymmetry" (any of the three answers differs between
 *   the sides);
 * - score: sides passing, 0 to 2 (higher is better);
 * - summary: plain words, never a diagnosis. */
#include <rebalance/plugin.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "reached_90",
     .label = "Did the raised leg reach the wall, straight up?",
     .kind = RBP_FIELD_YESNO,
     .per_side = 1,
     .help = "Yes if the raised leg came up to the wall and rested on it, "
             "pointing straight at the ceiling."},
    {.size = sizeof(rbp_field),
     .name = "knee_bent",
     .label = "Did the raised knee have to bend?",
     .kind = RBP_FIELD_YESNO,
     .per_side = 1,
     .help = "Yes if the knee of the leg going up bent, even a little, to "
             "get higher."},
    {.size = sizeof(rbp_field),
     .name = "other_foot_turned_out",
     .label = "Did the resting foot's toes turn out?",
     .kind = RBP_FIELD_YESNO,
     .per_side = 1,
     .help = "Watch the leg on the floor: yes if its toes rolled out to the "
             "side instead of pointing at the ceiling."},
};

typedef struct {
  int reached, knee_bent, foot_out;
} side_result;

static int read_side(const rbp_host *host, rbp_eval *e, const char *side,
                     side_result *s) {
  if (host->yesno(e, "reached_90", side, &s->reached) != 0 ||
      host->yesno(e, "knee_bent", side, &s->knee_bent) != 0 ||
      host->yesno(e, "other_foot_turned_out", side, &s->foot_out) != 0)
    return -1;
  /* Any non-zero is yes. */
  s->reached = s->reached != 0;
  s->knee_bent = s->knee_bent != 0;
  s->foot_out = s->foot_out != 0;
  return 0;
}

static int passes(const side_result *s) {
  return s->reached && !s->knee_bent && !s->foot_out;
}

/* Appends to the summary, never past its end. */
static void put(char *buf, size_t len, const char *text) {
  size_t used = strlen(buf);
  if (used + 1 < len)
    snprintf(buf + used, len - used, "%s", text);
}

/* What a failing side showed, in plain words; side "either" when both
 * sides showed the same. */
static void describe(char *out, size_t len, const char *side,
                     const side_result *s) {
  char line[320];
  const char *what;
  if (s->knee_bent && s->foot_out)
    what = "the knee had to bend and the other foot turned out, which "
           "usually means tight muscles at the back of the thigh and in "
           "the buttock";
  else if (s->knee_bent)
    what = "the knee had to bend, which usually means tight muscles at the "
           "back of the thigh and in the buttock";
  else if (s->foot_out)
    what = "the other foot turned out, which usually means tight buttock "
           "muscles";
  else {
    /* Short of the wall with no compensation seen. */
    snprintf(line, sizeof line, "%s did not get all the way up to the wall. ",
             strcmp(side, "either") == 0 ? "Neither leg"
             : strcmp(side, "left") == 0 ? "Your left leg"
                                         : "Your right leg");
    put(out, len, line);
    return;
  }
  snprintf(line, sizeof line, "Raising %s%s leg, %s. ",
           strcmp(side, "either") == 0 ? "" : "your ", side, what);
  put(out, len, line);
}

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  side_result left, right;
  int pass_left, pass_right, asymmetry;
  char out[900] = "";

  (void)user;
  if (!RBP_HOST_HAS(host, set_summary))
    return -1;
  if (read_side(host, e, "left", &left) != 0 ||
      read_side(host, e, "right", &right) != 0)
    return -1;

  pass_left = passes(&left);
  pass_right = passes(&right);
  asymmetry = left.reached != right.reached ||
              left.knee_bent != right.knee_bent ||
              left.foot_out != right.foot_out;

  if (!pass_left)
    host->add_flag(e, "fail_left");
  if (!pass_right)
    host->add_flag(e, "fail_right");
  if (left.knee_bent)
    host->add_flag(e, "tight_hamstrings_left");
  if (right.knee_bent)
    host->add_flag(e, "tight_hamstrings_right");
  if (left.knee_bent || left.foot_out)
    host->add_flag(e, "tight_glutes_left");
  if (right.knee_bent || right.foot_out)
    host->add_flag(e, "tight_glutes_right");
  if (asymmetry)
    host->add_flag(e, "asymmetry");
  host->set_score(e, pass_left + pass_right);

  if (pass_left && pass_right) {
    put(out, sizeof out,
        "Both legs reached the wall straight, with nothing else moving. "
        "Your hips move freely on both sides.");
  } else if (!asymmetry) {
    describe(out, sizeof out, "either", &left);
  } else {
    if (pass_left)
      put(out, sizeof out,
          "Your left leg reached the wall straight, with nothing else "
          "moving. ");
    else
      describe(out, sizeof out, "left", &left);
    if (pass_right)
      put(out, sizeof out,
          "Your right leg reached the wall straight, with nothing else "
          "moving. ");
    else
      describe(out, sizeof out, "right", &right);
    put(out, sizeof out,
        "Your left and right sides differ, which is worth evening out. ");
  }
  if (!pass_left || !pass_right)
    put(out, sizeof out,
        "Hamstring and glute stretches can help the hip move more freely. "
        "This is worth showing your therapist.");

  host->set_summary(e, out);
  return 0;
}

/* The flags in plain words (ABI 1.1). */
static const char *const flag_words[] = {"fail_left",
                                         "Left side needs work",
                                         "fail_right",
                                         "Right side needs work",
                                         "tight_hamstrings_left",
                                         "Tight hamstrings (left)",
                                         "tight_hamstrings_right",
                                         "Tight hamstrings (right)",
                                         "tight_glutes_left",
                                         "Tight glutes (left)",
                                         "tight_glutes_right",
                                         "Tight glutes (right)",
                                         "asymmetry",
                                         "Sides differ",
                                         NULL};

static const rbp_assessment assessment = {
    .size = sizeof(rbp_assessment),
    .id = "doorway_leg_raise",
    .title = "Doorway leg raise",
    .instructions =
        "Lie on your back in a doorway, the kneecap of your lower leg on the "
        "threshold. Arms relaxed, palms up, feet together, toes pointing to "
        "the ceiling and pulled toward your shins. Keep one leg straight and "
        "still on the floor. Slowly raise the other leg, straight, toward "
        "the wall. Then swap sides.",
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .evaluate = evaluate,
    .user = NULL,
    .flag_words = flag_words,
};

static int init(const rbp_host *host, rbp_context *ctx) {
  /* Everything used here and in evaluate is in every ABI 1 host. */
  if (!RBP_HOST_HAS(host, register_assessment) ||
      !RBP_HOST_HAS(host, set_summary))
    return -1;
  return host->register_assessment(ctx, &assessment);
}

RBP_PLUGIN("doorway_leg_raise", "1.0.0", init)
