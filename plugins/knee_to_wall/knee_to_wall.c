/* knee_to_wall: the knee-to-wall (weight-bearing lunge) ankle test.
 *
 * Per side the patient enters the toe-to-wall distance at which the knee
 * just touches the wall with the heel down. Norms (CLINICAL.md): healthy
 * 12.0 +/- 2.8 cm; 1 cm is about 3.6 degrees of dorsiflexion; sides that
 * differ by more than 1.5 cm are worth flagging; a change under 1.9 cm is
 * within measurement error (Hoch & McKeon 2011; Powden et al. 2015).
 *
 * Result:
 * - values: dorsiflexion_deg per side (distance x 3.6, "deg");
 * - flags: "asymmetry" (sides more than 1.5 cm apart), "limited_left",
 *   "limited_right" (a side below 9.2 cm);
 * - score: the smaller of the two distances in cm, that is the stiffer
 *   ankle's reach (higher is better), so one number follows the side that
 *   needs the work;
 * - summary: plain words, names the stiffer side, never a diagnosis. */
#include <rebalance/plugin.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define HEALTHY_MEAN_CM 12.0
#define HEALTHY_SD_CM 2.8
/* "Limited" is one standard deviation below the healthy mean: 12.0 - 2.8
 * = 9.2 cm, the bottom of the range that about two thirds of healthy
 * adults fall in. Anything at or above it is an ordinary ankle, so only a
 * reach that is clearly short of what healthy people manage is flagged;
 * a stricter cut-off (the mean itself) would call half of all healthy
 * ankles limited. */
#define LIMITED_BELOW_CM (HEALTHY_MEAN_CM - HEALTHY_SD_CM)
#define HEALTHY_ABOVE_CM (HEALTHY_MEAN_CM + HEALTHY_SD_CM)
#define ASYMMETRY_OVER_CM 1.5
#define DEG_PER_CM 3.6
#define MEASUREMENT_ERROR_CM 1.9

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "distance_cm",
     .label = "How far was your big toe from the wall?",
     .kind = RBP_FIELD_NUMBER,
     .per_side = 1,
     .unit = "cm",
     .min = 0.0,
     .max = 20.0,
     .step = 0.5,
     .choices = NULL,
     .help = "Half-kneel facing the wall with this foot in front. Move the "
             "foot back until your knee just touches the wall while your "
             "heel stays flat on the floor. Then measure from the tip of "
             "your big toe to the wall.",
     /* healthy 12.0 +/- 2.8 cm; less than 1.9 cm is measurement error */
     .norm_low = 12.0 - 2.8,
     .norm_high = 12.0 + 2.8,
     .mdc = MEASUREMENT_ERROR_CM},
};

/* Writes v with one decimal ("12.0"), whatever the C locale says about
 * the decimal point. */
static void fmt1(char *buf, size_t len, double v) {
  const char *sign = "";
  long tenths;
  if (v < 0) {
    sign = "-";
    v = -v;
  }
  if (v > 1e6)
    v = 1e6;
  tenths = (long)(v * 10.0 + 0.5);
  if (tenths == 0)
    sign = "";
  snprintf(buf, len, "%s%ld.%ld", sign, tenths / 10, tenths % 10);
}

/* Appends to the summary, never past its end. */
static void put(char *buf, size_t len, const char *text) {
  size_t used = strlen(buf);
  if (used + 1 < len)
    snprintf(buf + used, len - used, "%s", text);
}

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  double left, right, diff, worst;
  int limited_left, limited_right, asymmetry;
  char l[24], r[24], out[800] = "", line[200];
  const char *stiff, *easy;
  double stiff_cm, easy_cm;

  (void)user;
  if (!RBP_HOST_HAS(host, set_summary))
    return -1;
  if (host->number(e, "distance_cm", "left", &left) != 0 ||
      host->number(e, "distance_cm", "right", &right) != 0 || !isfinite(left) ||
      !isfinite(right))
    return -1;

  diff = left > right ? left - right : right - left;
  asymmetry = diff > ASYMMETRY_OVER_CM;
  limited_left = left < LIMITED_BELOW_CM;
  limited_right = right < LIMITED_BELOW_CM;
  worst = left < right ? left : right;

  host->add_value(e, "dorsiflexion_deg", "left", left * DEG_PER_CM, "deg");
  host->add_value(e, "dorsiflexion_deg", "right", right * DEG_PER_CM, "deg");
  if (asymmetry)
    host->add_flag(e, "asymmetry");
  if (limited_left)
    host->add_flag(e, "limited_left");
  if (limited_right)
    host->add_flag(e, "limited_right");
  host->set_score(e, worst);

  /* The shorter reach is the stiffer ankle. */
  if (left < right) {
    stiff = "left";
    easy = "right";
    stiff_cm = left;
    easy_cm = right;
  } else {
    stiff = "right";
    easy = "left";
    stiff_cm = right;
    easy_cm = left;
  }

  if (asymmetry) {
    fmt1(l, sizeof l, stiff_cm);
    fmt1(r, sizeof r, easy_cm);
    snprintf(line, sizeof line,
             "Your %s ankle is stiffer: your toe was %s cm from the wall on "
             "the %s and %s cm on the %s. ",
             stiff, l, stiff, r, easy);
  } else {
    fmt1(l, sizeof l, left);
    fmt1(r, sizeof r, right);
    snprintf(line, sizeof line,
             "Your ankles bend about the same: %s cm on the left and %s cm "
             "on the right. ",
             l, r);
  }
  put(out, sizeof out, line);

  if (limited_left && limited_right)
    put(out, sizeof out,
        "Both are less than most people reach (about 9 to 15 cm). ");
  else if (limited_left || limited_right) {
    snprintf(line, sizeof line,
             "The %s is less than most people reach (about 9 to 15 cm). ",
             limited_left ? "left" : "right");
    put(out, sizeof out, line);
  } else if (left > HEALTHY_ABOVE_CM && right > HEALTHY_ABOVE_CM)
    put(out, sizeof out,
        "Both reach further than most people (about 9 to 15 cm). ");
  else
    put(out, sizeof out,
        "Both are in the usual range or better (about 9 to 15 cm). ");

  if (limited_left || limited_right || asymmetry) {
    /* Loosen the limited sides; with a gap between the sides, at least
     * the stiffer one. */
    int loosen_left = limited_left || (asymmetry && left < right);
    int loosen_right = limited_right || (asymmetry && right < left);
    if (loosen_left && loosen_right)
      put(out, sizeof out, "Gentle calf loosening on both sides may help. ");
    else {
      snprintf(line, sizeof line,
               "Gentle calf loosening on the %s side may help. ",
               loosen_left ? "left" : "right");
      put(out, sizeof out, line);
    }
    if (asymmetry && diff < MEASUREMENT_ERROR_CM)
      put(out, sizeof out,
          "The difference between the sides is small, so measure again to "
          "be sure. ");
    put(out, sizeof out, "This is worth showing your therapist. ");
  }
  put(out, sizeof out,
      "A change of less than 1.9 cm between tests can be measurement error, "
      "so look for bigger changes over time.");

  host->set_summary(e, out);
  return 0;
}

/* The flags in plain words (ABI 1.1). */
static const char *const flag_words[] = {"asymmetry",
                                         "Sides differ",
                                         "limited_left",
                                         "Left side limited",
                                         "limited_right",
                                         "Right side limited",
                                         NULL};

static const rbp_assessment assessment = {
    .size = sizeof(rbp_assessment),
    .id = "knee_to_wall",
    .title = "Knee-to-wall ankle test",
    .instructions =
        "Half-kneel facing a wall, front knee and hip bent at a right angle. "
        "Put the front foot's big toe about a palm-width (10 cm) from the "
        "wall. Glide the knee forward over the little toe until it touches "
        "the wall, without lifting the heel. Move the foot back until the "
        "knee only just touches with the heel down, then measure from the "
        "big toe to the wall. Do both sides.",
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

RBP_PLUGIN("knee_to_wall", "1.0.0", init)
