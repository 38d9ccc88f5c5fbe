/* plugins: loading a directory of test plugins (tests/plugins/), the
 * refusals and their reasons, the copied declarations, evaluating, and
 * `rebalance plugins` output. */
#include "plugins.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

#define DIR RB_BUILD_DIR "/tests/plugins"

/* stderr (the log) into a temporary file between capture_begin and
 * capture_end, which reads it into log. */
typedef struct {
  char path[32];
  int fd, saved;
} capture;

static void capture_begin(capture *c) {
  snprintf(c->path, sizeof c->path, "/tmp/rb-plugins-log-XXXXXX");
  c->fd = mkstemp(c->path);
  c->saved = -1;
  if (c->fd < 0)
    return;
  fflush(stderr);
  c->saved = dup(2);
  dup2(c->fd, 2);
}

static void capture_end(capture *c, char *log, size_t n) {
  ssize_t got = 0;
  if (c->fd >= 0) {
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    if (lseek(c->fd, 0, SEEK_SET) == 0)
      got = read(c->fd, log, n - 1);
    close(c->fd);
    unlink(c->path);
  }
  log[got > 0 ? got : 0] = '\0';
}

static rb_plugins *load_logged(const char *dir, char *log, size_t n) {
  capture c;
  rb_plugins *p;
  capture_begin(&c);
  p = rb_plugins_load(dir);
  capture_end(&c, log, n);
  return p;
}

static char *printed(const rb_plugins *p) {
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  if (!out)
    return NULL;
  rb_plugins_print(p, out);
  fclose(out);
  return buf;
}

static cJSON *good_values(double left, double right) {
  cJSON *v = cJSON_CreateObject();
  cJSON_AddNumberToObject(v, "reach_cm.left", left);
  cJSON_AddNumberToObject(v, "reach_cm.right", right);
  cJSON_AddTrueToObject(v, "pain");
  cJSON_AddStringToObject(v, "stance", "feet_apart");
  cJSON_AddStringToObject(v, "not_a_field", "ignored");
  return v;
}

static void test_no_dir(void) {
  rb_plugins *p = rb_plugins_load(NULL);
  char *out;
  ok(p != NULL, "no directory: a registry all the same");
  is_int(rb_plugins_loaded(p), 0, "no directory: nothing loaded");
  is_int(rb_plugins_refused(p), 0, "no directory: nothing refused");
  ok(rb_plugins_find(p, "good_test") == NULL, "no directory: nothing found");
  out = printed(p);
  like(out, "plugin directory: none (host ABI 1.2)", "no directory: printed");
  free(out);
  rb_plugins_free(p);

  p = rb_plugins_load(RB_BUILD_DIR "/no/such/dir");
  ok(p != NULL, "missing directory: not an error");
  is_int(rb_plugins_loaded(p) + rb_plugins_refused(p), 0,
         "missing directory: no files");
  out = printed(p);
  like(out, "/no/such/dir (host ABI 1.2): missing, no plugins",
       "missing directory: printed as missing");
  like(out, "0 loaded, 0 refused", "missing directory: counts");
  free(out);
  rb_plugins_free(p);
}

static void test_load(const rb_plugins *p, const char *log) {
  const rbp_assessment *a;
  char *out;
  is_int(rb_plugins_loaded(p), 3,
         "three loaded (good, old_v1_0, "
         "padded_fields)");
  is_int(rb_plugins_refused(p), 9, "nine refused");
  ok(rb_plugins_find(p, "old_test") != NULL,
     "an ABI 1.0 plugin (no flag_words) still loads");
  ok(rb_plugins_flag_words(p, "old_test", "went_well") == NULL,
     "and gives no flag words (its bytes past 1.0 are not read)");
  is_str(rb_plugins_flag_words(p, "good_test", "asymmetry"), "The sides differ",
         "ABI 1.1: a flag's words come from the plugin");
  ok(rb_plugins_flag_words(p, "good_test", "pain") == NULL,
     "a flag it does not list has none");
  like(log,
       "warning: " DIR "/bad_flag_words.so: assessment 'bad_flag_words': "
       "flag_words 2: a flag",
       "log: a flag without its words is refused");

  /* each refusal logged as FILE: reason */
  like(log,
       "warning: " DIR "/wrong_major.so: built for plugin ABI 2.0, but "
       "this host loads only ABI 1 (1.2 and older)",
       "log: wrong major");
  like(log,
       "warning: " DIR "/newer_minor.so: built for plugin ABI 1.3, "
       "newer than this host's 1.2",
       "log: newer minor");
  like(log, "warning: " DIR "/no_entry.so: no rebalance_plugin_entry symbol",
       "log: no entry symbol");
  like(log,
       "warning: " DIR "/good_duplicate.so: assessment id 'good_test' is "
       "already registered by " DIR "/good.so",
       "log: duplicate id, naming both files");
  like(log,
       "warning: " DIR "/bad_field.so: assessment 'bad_field': field "
       "'angle_deg': min 90 is not below max 0",
       "log: min above max");
  like(log,
       "warning: " DIR "/not_a_plugin.so: not a plugin: invalid ELF header",
       "log: a text file is not a plugin");
  like(log, "warning: " DIR "/init_fails.so: init failed (returned -1)",
       "log: init failed");
  like(log, "error: " DIR "/init_fails.so: no sensor found",
       "log: the plugin's own log line, at its level, naming its file");
  like(log, "info: " DIR "/good.so: good: registering its assessment",
       "log: a plugin's newline becomes a space");
  like(log, "info: " DIR "/good.so: loaded plugin good 1.2.3 (1 assessment)",
       "log: loaded");

  /* the good declaration, as copied */
  a = rb_plugins_find(p, "good_test");
  ok(a != NULL, "good_test found");
  if (a) {
    is_int(a->size, sizeof(rbp_assessment), "assessment: the host's size");
    is_str(a->title, "Good test", "assessment: title");
    is_str(a->instructions, "Reach along the wall, then tell me how it went.",
           "assessment: instructions");
    is_int(a->nfields, 3, "assessment: three fields");
    is_int(a->fields[0].size, sizeof(rbp_field), "field: the host's size");
    is_str(a->fields[0].name, "reach_cm", "field 0: name");
    is_int(a->fields[0].per_side, 1, "field 0: per side");
    is_str(a->fields[0].unit, "cm", "field 0: unit");
    ok(a->fields[0].min == 0 && a->fields[0].max == 30 &&
           a->fields[0].step == 0.5,
       "field 0: range and step");
    is_int(a->fields[1].kind, RBP_FIELD_YESNO, "field 1: yes/no");
    is_str(a->fields[2].choices[1], "feet_together", "field 2: choices");
    ok(a->fields[2].choices[2] == NULL, "field 2: choices end with NULL");
  }
  a = rb_plugins_find(p, "padded");
  ok(a != NULL, "padded fields: found");
  if (a) {
    is_int(a->fields[1].size, sizeof(rbp_field),
           "padded fields: converted to the host's size");
    is_str(a->fields[1].name, "colour",
           "padded fields: stepped through by the plugin's size");
    is_str(a->fields[1].choices[0], "red", "padded fields: choices");
  }
  ok(rb_plugins_find(p, "duplicate_first") == NULL,
     "a refused file keeps none of its assessments (duplicate)");
  ok(rb_plugins_find(p, "init_fails") == NULL,
     "a refused file keeps none of its assessments (init failed)");
  ok(rb_plugins_find(p, "bad_field") == NULL, "bad field: not registered");
  ok(rb_plugins_find(p, "nope") == NULL, "unknown id: NULL");
  ok(rb_plugins_find(p, NULL) == NULL, "NULL id: NULL");
  ok(rb_plugins_find(NULL, "good_test") == NULL, "NULL registry: NULL");

  out = printed(p);
  like(out, "plugin directory: " DIR " (host ABI 1.2)\n", "print: directory");
  like(out,
       DIR "/good.so: loaded: good 1.2.3, ABI 1.2\n"
           "  assessment good_test: Good test\n"
           "    reach_cm (left, right): number 0 to 30 cm, step 0.5: "
           "\"How far did you reach?\"\n"
           "    pain: yes/no: \"Did it hurt?\"\n"
           "    stance: choice of feet_apart | feet_together: \"How did "
           "you stand?\"\n",
       "print: good, its assessment and fields");
  like(out, DIR "/padded_fields.so: loaded: padded_fields 0.1.0, ABI 1.2\n",
       "print: padded fields loaded");
  like(out, DIR "/wrong_major.so: refused: built for plugin ABI 2.0",
       "print: wrong major refused");
  like(out, DIR "/newer_minor.so: refused: built for plugin ABI 1.3",
       "print: newer minor refused");
  like(out, DIR "/no_entry.so: refused: no rebalance_plugin_entry symbol",
       "print: no entry refused");
  like(out,
       DIR "/good_duplicate.so: refused: assessment id 'good_test' is "
           "already registered by " DIR "/good.so\n",
       "print: duplicate refused");
  like(out,
       DIR "/bad_field.so: refused: assessment 'bad_field': field "
           "'angle_deg': min 90 is not below max 0\n",
       "print: bad field refused");
  like(out,
       DIR "/bad_choice.so: refused: assessment 'bad_choice': field 'worse' "
           "has no label\n",
       "print: a field without a label refused");
  like(out, DIR "/not_a_plugin.so: refused: not a plugin: invalid ELF header\n",
       "print: not a plugin refused");
  like(out, DIR "/init_fails.so: refused: init failed (returned -1)\n",
       "print: init failed refused");
  like(out, "\n3 loaded, 9 refused\n", "print: counts last");
  free(out);
}

static void test_evaluate(const rb_plugins *p) {
  char err[256], log[4096];
  cJSON *v = good_values(10, 14.5), *r;
  char *s;
  capture c;

  capture_begin(&c);
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  capture_end(&c, log, sizeof log);
  like(log,
       "warning: " DIR "/good.so: assessment 'good_test': set_score with a "
       "value that is not a number: ignored",
       "evaluate: bad host calls are logged, naming the file and assessment");
  like(log, "add_flag needs letters, digits or '_': ignored",
       "evaluate: a bad flag is logged");
  ok(r != NULL, "evaluate: a result (%s)", err);
  s = r ? cJSON_PrintUnformatted(r) : NULL;
  is_str(s,
         "{\"id\":\"good_test\","
         "\"values\":{\"reach_cm.left\":10,\"reach_cm.right\":14.5,"
         "\"pain\":true,\"stance\":\"feet_apart\"},"
         "\"score\":12.25,"
         "\"flags\":[\"asymmetry\",\"pain\"],"
         "\"summary\":\"You reached 10.0 cm left and 14.5 cm right, feet "
         "apart.\","
         "\"derived\":[{\"name\":\"host_refusals\",\"value\":11},"
         "{\"name\":\"difference_cm\",\"value\":4.5,\"unit\":\"cm\"},"
         "{\"name\":\"reach_cm_x2\",\"side\":\"left\",\"value\":20,"
         "\"unit\":\"cm\"}]}",
         "evaluate: values echoed (not the extra key), score, flags once, "
         "the last summary, derived values; bad host calls refused (11) or "
         "ignored");
  free(s);
  cJSON_Delete(r);
  cJSON_Delete(v);

  v = good_values(10, 11);
  cJSON_ReplaceItemInObject(v, "pain", cJSON_CreateFalse());
  capture_begin(&c);
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  capture_end(&c, log, sizeof log);
  is_int(cJSON_GetArraySize(cJSON_GetObjectItem(r, "flags")), 0,
         "evaluate: no flags when level and no pain");
  ok(cJSON_GetObjectItem(r, "score") &&
         cJSON_GetObjectItem(r, "score")->valuedouble == 10.5,
     "evaluate: score");
  cJSON_Delete(r);

  cJSON_DeleteItemFromObject(v, "reach_cm.right");
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  ok(r == NULL, "missing value: NULL");
  is_str(err, "good_test: no value for reach_cm.right",
         "missing value: the reason names the field and side");
  cJSON_Delete(v);

  v = good_values(10, 31);
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  ok(r == NULL, "out of range: NULL");
  is_str(err, "good_test: reach_cm.right is 31, outside 0 to 30",
         "out of range: the reason");
  cJSON_Delete(v);

  v = good_values(10, 12);
  cJSON_ReplaceItemInObject(v, "pain", cJSON_CreateString("yes"));
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  ok(r == NULL, "a string for yes/no: NULL");
  like(err, "pain must be true or false", "a string for yes/no: the reason");
  cJSON_ReplaceItemInObject(v, "pain", cJSON_CreateTrue());
  cJSON_ReplaceItemInObject(v, "stance", cJSON_CreateString("one_leg"));
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  ok(r == NULL, "an unknown choice: NULL");
  like(err, "stance must be one of the field's choices",
       "an unknown choice: the reason");
  cJSON_Delete(v);

  v = good_values(0, 0);
  r = rb_plugins_evaluate(p, "good_test", v, err, sizeof err);
  ok(r == NULL, "evaluate returns -1: NULL");
  like(err, "good_test: evaluate failed (returned -1; " DIR "/good.so)",
       "evaluate returns -1: the reason names the assessment and file");
  cJSON_Delete(v);

  r = rb_plugins_evaluate(p, "good_test", NULL, err, sizeof err);
  ok(r == NULL, "no values at all: NULL");
  is_str(err, "good_test: no value for reach_cm.left", "no values: reason");
  r = rb_plugins_evaluate(p, "nope", NULL, err, sizeof err);
  ok(r == NULL, "unknown assessment: NULL");
  like(err, "no assessment 'nope'", "unknown assessment: the reason");
  r = rb_plugins_evaluate(p, "duplicate_first", NULL, err, sizeof err);
  ok(r == NULL, "an assessment of a refused file cannot be evaluated");

  v = cJSON_CreateObject();
  cJSON_AddNumberToObject(v, "count", 3);
  cJSON_AddStringToObject(v, "colour.left", "red");
  cJSON_AddStringToObject(v, "colour.right", "red");
  r = rb_plugins_evaluate(p, "padded", v, err, sizeof err);
  ok(r != NULL, "padded: evaluated (%s)", err);
  is_str(cJSON_GetStringValue(cJSON_GetObjectItem(r, "summary")), "same colour",
         "choice() hands back the plugin's own string (same pointer)");
  ok(cJSON_GetObjectItem(r, "score") &&
         cJSON_GetObjectItem(r, "score")->valuedouble == 3,
     "padded: score");
  is_int(cJSON_GetArraySize(cJSON_GetObjectItem(r, "derived")), 0,
         "padded: no derived values: an empty list");
  cJSON_Delete(r);
  cJSON_Delete(v);
}

/* docs/plugin-template/template.c: loads and evaluates as the guide says */
static void test_template(void) {
  char log[4096], err[256];
  rb_plugins *p = load_logged(RB_BUILD_DIR "/tests/template", log, sizeof log);
  cJSON *v = cJSON_CreateObject(), *r;
  char *s;
  is_int(rb_plugins_loaded(p), 1, "template: loaded");
  like(log, "template.so: single-leg balance ready", "template: its log line");
  cJSON_AddStringToObject(v, "age_band", "60 to 69");
  cJSON_AddNumberToObject(v, "stand_s.left", 27);
  cJSON_AddNumberToObject(v, "stand_s.right", 12);
  r = rb_plugins_evaluate(p, "single_leg_stance", v, err, sizeof err);
  ok(r != NULL, "template: evaluated (%s)", err);
  s = r ? cJSON_PrintUnformatted(r) : NULL;
  is_str(s,
         "{\"id\":\"single_leg_stance\","
         "\"values\":{\"age_band\":\"60 to 69\",\"stand_s.left\":27,"
         "\"stand_s.right\":12},"
         "\"score\":12,"
         "\"flags\":[\"asymmetry\",\"below_average_right\"],"
         "\"summary\":\"You stood 27 seconds on your left leg and 12 on your "
         "right. People of your age average about 27 seconds. One leg is "
         "clearly steadier than the other: balance practice on the weaker "
         "side may help.\","
         "\"derived\":[{\"name\":\"percent_of_average\",\"side\":\"left\","
         "\"value\":100,\"unit\":\"%\"},{\"name\":\"percent_of_average\","
         "\"side\":\"right\",\"value\":44.444444444444443,\"unit\":\"%\"}]}",
         "template: score, flags, derived values and summary");
  free(s);
  cJSON_Delete(r);
  cJSON_Delete(v);
  rb_plugins_free(p);
}

int main(void) {
  char log[16384];
  rb_plugins *p, *again;

  test_no_dir();
  test_template();
  p = load_logged(DIR, log, sizeof log);
  ok(p != NULL, "the test plugin directory loads");
  if (!p)
    return tap_done();
  test_load(p, log);
  test_evaluate(p);

  /* a second registry: the same files, registered afresh */
  again = load_logged(DIR, log, sizeof log);
  is_int(rb_plugins_loaded(again), 3, "a second registry loads the same");
  rb_plugins_free(p);
  ok(rb_plugins_find(again, "good_test") != NULL,
     "the second registry outlives the first");
  rb_plugins_free(again);
  return tap_done();
}
