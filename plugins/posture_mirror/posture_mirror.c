/* posture_mirror: a posture check at a mirror.
 *
 * Facing a mirror: which shoulder sits higher, which hip sits higher
 * (left, right or level). Side-on (a helper or a photo): does the head
 * sit in front of the shoulders (CLINICAL.md: shoulder level, forward
 * head, pelvis level). Left and right are always the patient's own.
 *
 * Result:
 * - flags: "shoulder_high_left"/"_right", "hip_high_left"/"_right",
 *   "head_forward";
 * - score: checks that came out level, 0 to 3 (higher is better, like the
 *   other bundled tests);
 * - summary: what each finding usually means, in kind plain words, or
 *   "all level"; never a diagnosis. */
#include <rebalance/plugin.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const sides[] = {"level", "left", "right", NULL};

static const rbp_field fields[] = {
    {.size = sizeof(rbp_field),
     .name = "higher_shoulder",
     .label = "Which shoulder is higher?",
     .kind = RBP_FIELD_CHOICE,
     .choices = sides,
     .help = "Face the mirror, arms relaxed at your sides, and look at the "
             "tops of your shoulders. Left and right are your own: your "
             "left hand is on your left."},
    {.size = sizeof(rbp_field),
     .name = "higher_hip",
     .label = "Which hip is higher?",
     .kind = RBP_FIELD_CHOICE,
     .choices = sides,
     .help = "Still facing the mirror, rest a hand on the top of each hip "
             "bone and see which hand sits higher."},
    {.size = sizeof(rbp_field),
     .name = "head_forward",
     .label = "Side-on, is your head in front of your shoulders?",
     .kind = RBP_FIELD_YESNO,
     .help = "Stand side-on to the mirror, or ask a helper to look or take "
             "a photo. Yes if your ear is clearly in front of your "
             "shoulder rather than above it."},
};

/* "left", "right" or "level" as 'l', 'r' or 0; -1 for anything else. */
static int which(const char *choice) {
  if (choice == NULL)
    return -1;
  if (strcmp(choice, "left") == 0)
    return 'l';
  if (strcmp(choice, "right") == 0)
    return 'r';
  if (strcmp(choice, "level") == 0)
    return 0;
  return -1;
}

/* Appends to the summary, never past its end. */
static void put(char *buf, size_t len, const char *text) {
  size_t used = strlen(buf);
  if (used + 1 < len)
    snprintf(buf + used, len - used, "%s", text);
}

static int evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  const char *shoulder_s = NULL, *hip_s = NULL;
  int shoulder, hip, head = 0;
  char out[900] = "";

  (void)user;
  if (!RBP_HOST_HAS(host, set_summary))
    return -1;
  if (host->choice(e, "higher_shoulder", NULL, &shoulder_s) != 0 ||
      host->choice(e, "higher_hip", NULL, &hip_s) != 0 ||
      host->yesno(e, "head_forward", NULL, &head) != 0)
    return -1;
  shoulder = which(shoulder_s);
  hip = which(hip_s);
  if (shoulder < 0 || hip < 0)
    return -1;

  if (shoulder == 'l')
    host->add_flag(e, "shoulder_high_left");
  else if (shoulder == 'r')
    host->add_flag(e, "shoulder_high_right");
  if (hip == 'l')
    host->add_flag(e, "hip_high_left");
  else if (hip == 'r')
    host->add_flag(e, "hip_high_right");
  if (head)
    host->add_flag(e, "head_forward");
  host->set_score(e, (shoulder == 0) + (hip == 0) + !head);

  if (shoulder == 0 && hip == 0 && !head) {
    put(out, sizeof out,
        "All level: your shoulders and hips sit level, and your head sits "
        "over your shoulders. Well done.");
    host->set_summary(e, out);
    return 0;
  }

  if (shoulder)
    put(out, sizeof out,
        shoulder == 'l'
            ? "Your left shoulder sits a little higher. A higher shoulder "
              "can leave less room in the shoulder joint and send tension "
              "up into the neck. "
            : "Your right shoulder sits a little higher. A higher shoulder "
              "can leave less room in the shoulder joint and send tension "
              "up into the neck. ");
  else
    put(out, sizeof out, "Your shoulders are level. ");
  if (hip)
    put(out, sizeof out,
        hip == 'l' ? "Your left hip sits a little higher. A hip that is "
                     "hitched up can pull on the low back, and over time "
                     "this can lead to back, hip or knee pain. "
                   : "Your right hip sits a little higher. A hip that is "
                     "hitched up can pull on the low back, and over time "
                     "this can lead to back, hip or knee pain. ");
  else
    put(out, sizeof out, "Your hips are level. ");
  if (head)
    put(out, sizeof out,
        "Your head sits in front of your shoulders. This is linked with "
        "neck pain and headaches. ");
  else
    put(out, sizeof out, "Your head sits over your shoulders. ");
  put(out, sizeof out,
      "Small differences like these are common, and posture practice and "
      "the right exercises often help. This is worth showing your "
      "therapist.");

  host->set_summary(e, out);
  return 0;
}

/* The flags in plain words (ABI 1.1). */
static const char *const flag_words[] = {"shoulder_high_left",
                                         "Left shoulder higher",
                                         "shoulder_high_right",
                                         "Right shoulder higher",
                                         "hip_high_left",
                                         "Left hip higher",
                                         "hip_high_right",
                                         "Right hip higher",
                                         "head_forward",
                                         "Head forward",
                                         NULL};

static const rbp_assessment assessment = {
    .size = sizeof(rbp_assessment),
    .id = "posture_mirror",
    .title = "Posture check at a mirror",
    .instructions =
        "Stand facing a mirror, feet hip-width apart, arms relaxed at your "
        "sides. Look at the tops of your shoulders, then at your hips. Then "
        "stand side-on, or ask a helper to look or take a photo, to see "
        "where your head sits over your shoulders.",
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

RBP_PLUGIN("posture_mirror", "1.0.0", init)
