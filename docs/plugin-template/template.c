/* template: a complete, small rebalance assessment plugin to copy.
 *
 * Single-leg stance: the patient stands on one leg, eyes open, arms
 * crossed, for up to 45 seconds, on the left and then on the right. The
 * result compares each side with the average for the patient's age and
 * the two sides with each other.
 *
 * The averages are rounded from Springer et al. 2007 (eyes open, best of
 * three tries); the 25 % asymmetry rule is this template's own example.
 * Check numbers like these against your own sources before a patient
 * sees them.
 *
 * Build it out of tree (docs/plugins.md):
 *   cc -shared -fPIC $(pkg-config --cflags rebalance-plugin) template.c \
 *      -o single_leg_stance.so
 * and check it with:  rebalance plugins --plugins DIR */
#include <rebalance/plugin.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A host member may be used only when the host's size covers it (a
 * host's table only ever grows at the end). */
/* Choices are shown as they are written: plain words. The averages below
 * go with them, in the same order. */
static const char *const age_bands[] = {"under 40", "40 to 59",    "60 to 69",
                                        "70 to 79", "80 or older", NULL};
static const double average_s[] = {43, 38, 27, 15, 6};

#define MAX_S 45.0
#define ASYMMETRY_OVER 0.25 /* the shorter side more than 25 % shorter */

/* What the patient is asked, in order. Strings are literals: they must
 * live as long as the plugin. */
static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "age_band",
     .label = "How old are you?",
     .kind = RBP_FIELD_CHOICE,
     .choices = age_bands},
    {.size = sizeof(rbp_field),
     .name = "stand_s",
     .label = "How many seconds did you stand on this leg?",
     .kind = RBP_FIELD_NUMBER,
     .per_side = 1, /* asked for the left, then the right */
     .unit = "s",
     .min = 0,
     .max = MAX_S,
     .step = 1,
     .help = "Cross your arms and lift this foot. Stop the clock when the "
             "lifted foot touches down, the standing foot moves or your arms "
             "uncross, or at 45 seconds."},
};

static int age_index(const char *band) {
  for (int i = 0; age_bands[i]; i++)
    if (strcmp(band, age_bands[i]) == 0)
      return i;
  return -1;
}

/* Turns the entered values into a result. Everything goes through the
 * host; -1 means "cannot evaluate" and ends the routine with an error. */
static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  const char *band;
  double left, right, shorter, longer, average;
  int age, asymmetry;
  char summary[400];
  int used;

  (void)user;
  if (host->choice(e, "age_band", NULL, &band) != 0 ||
      host->number(e, "stand_s", "left", &left) != 0 ||
      host->number(e, "stand_s", "right", &right) != 0)
    return -1;
  age = age_index(band);
  if (age < 0)
    return -1;
  average = average_s[age];
  shorter = left < right ? left : right;
  longer = left < right ? right : left;
  asymmetry = longer > 0 && (longer - shorter) / longer > ASYMMETRY_OVER;

  /* The score follows the weaker leg: the shorter time. */
  host->set_score(e, shorter);
  host->add_value(e, "percent_of_average", "left", 100 * left / average, "%");
  host->add_value(e, "percent_of_average", "right", 100 * right / average, "%");
  if (asymmetry)
    host->add_flag(e, "asymmetry");
  if (left < average)
    host->add_flag(e, "below_average_left");
  if (right < average)
    host->add_flag(e, "below_average_right");

  /* Plain words, a few sentences, no diagnosis. Whole seconds, so the
   * text never depends on the locale's decimal point. */
  used = snprintf(summary, sizeof summary,
                  "You stood %d seconds on your left leg and %d on your "
                  "right. People of your age average about %d seconds. ",
                  (int)(left + 0.5), (int)(right + 0.5), (int)average);
  if (used > 0 && (size_t)used < sizeof summary)
    snprintf(summary + used, sizeof summary - (size_t)used, "%s",
             asymmetry ? "One leg is clearly steadier than the other: "
                         "balance practice on the weaker side may help."
             : shorter < average
                 ? "Some balance practice may help you feel steadier."
                 : "Your balance is at or above the average for your age.");
  host->set_summary(e, summary);
  return 0;
}

/* The flags evaluate may add, in plain words for the result screen (ABI
 * 1.1): pairs of a flag and its words, ending in NULL. */
static const char *const flag_words[] = {"asymmetry",
                                         "One leg is steadier",
                                         "below_average_left",
                                         "Left leg below average",
                                         "below_average_right",
                                         "Right leg below average",
                                         NULL};

/* Called once at start: registers the assessment (the host copies the
 * declaration, so a local is fine). -1 refuses loading. */
static int init(const rbp_host *host, rbp_context *ctx) {
  const rbp_assessment a = {
      .size = sizeof(rbp_assessment),
      .id = "single_leg_stance", /* what routines call: assess("...") */
      .title = "Single-leg balance",
      .instructions = "Stand near a wall or a sturdy chair, shoes off. Cross "
                      "your arms, look ahead and lift one foot. Stand as long "
                      "as you can, up to 45 seconds. Then the other leg.",
      .fields = fields,
      .nfields = sizeof fields / sizeof fields[0],
      .evaluate = evaluate,
      .user = NULL,
      .flag_words = flag_words, /* must live while loaded: a static */
  };
  if (!RBP_HOST_HAS(host, register_assessment) ||
      !RBP_HOST_HAS(host, set_summary))
    return -1;
  host->log(ctx, RBP_LOG_INFO, "single-leg balance ready");
  return host->register_assessment(ctx, &a);
}

/* The entry symbol, with the ABI version of the header it was built with. */
RBP_PLUGIN("single_leg_stance", "1.0.0", init)
