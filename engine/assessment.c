#include "assessment.h"

#include "phrases.h"
#include "plugins.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rb_assessment {
  const rb_plugins *plugins;
  const rbp_assessment *def;
  char lang[32];
  bool prefilled;
  uint32_t field; /* the field being asked */
  int side;       /* the pass: 0 left (and fields without sides), 1 right */
  bool turned;    /* the right side's turn was announced */
  cJSON *values;  /* "FIELD" or "FIELD.SIDE" -> value */
  cJSON *result;  /* after evaluation */
};

static const rbp_field *cur_field(const rb_assessment *a) {
  return &a->def->fields[a->field];
}

static const char *cur_side(const rb_assessment *a) {
  return cur_field(a)->per_side ? (a->side == 0 ? "left" : "right") : "";
}

/* Asked in this pass: everything in the first, per-side fields again in
 * the second. */
static bool in_pass(const rb_assessment *a) {
  return a->side == 0 || cur_field(a)->per_side;
}

/* The key of the current field and side in a->values. */
static void value_key(const rb_assessment *a, char *key, size_t n) {
  if (*cur_side(a))
    snprintf(key, n, "%s.%s", cur_field(a)->name, cur_side(a));
  else
    snprintf(key, n, "%s", cur_field(a)->name);
}

/* Takes assess(id, {values = {["distance_cm.left"] = 12, ...}}): values
 * the routine measured itself. False with why when one does not fit. */
static bool prefill(rb_assessment *a, const cJSON *opts, char *why, size_t n) {
  const cJSON *values = cJSON_GetObjectItem(opts, "values"), *e;
  const rbp_field *first = &a->def->fields[0];
  if (!values || (cJSON_IsArray(values) && cJSON_GetArraySize(values) == 0))
    return true; /* {} comes as an empty list */
  if (!cJSON_IsObject(values)) {
    snprintf(why, n,
             "values must be a table of named fields, such as "
             "{[\"%s%s\"] = ...}",
             first->name, first->per_side ? ".left" : "");
    return false;
  }
  cJSON_ArrayForEach(e, values) {
    const rbp_field *f = NULL;
    size_t len = strcspn(e->string, ".");
    const char *side = e->string[len] ? e->string + len + 1 : "";
    for (uint32_t i = 0; i < a->def->nfields; i++)
      if (strlen(a->def->fields[i].name) == len &&
          strncmp(a->def->fields[i].name, e->string, len) == 0)
        f = &a->def->fields[i];
    if (!f || (f->per_side ? strcmp(side, "left") && strcmp(side, "right")
                           : *side != '\0')) {
      snprintf(why, n, "values: no field '%s' (fields are %s%s)", e->string,
               first->name, first->per_side ? ".left, .right ..." : " ...");
      return false;
    }
    if ((f->kind == RBP_FIELD_NUMBER &&
         (!cJSON_IsNumber(e) || e->valuedouble < f->min ||
          e->valuedouble > f->max)) ||
        (f->kind == RBP_FIELD_YESNO && !cJSON_IsBool(e)) ||
        (f->kind == RBP_FIELD_CHOICE && !cJSON_IsString(e))) {
      snprintf(why, n, "values: '%s' must be %s", e->string,
               f->kind == RBP_FIELD_NUMBER  ? "a number in the field's range"
               : f->kind == RBP_FIELD_YESNO ? "true or false"
                                            : "one of the field's choices");
      return false;
    }
    cJSON_AddItemToObject(a->values, e->string, cJSON_Duplicate(e, true));
    a->prefilled = true;
  }
  return true;
}

rb_assessment *rb_assessment_new(const rb_plugins *plugins, const char *id,
                                 const cJSON *opts, const char *lang, char *err,
                                 size_t errlen) {
  rb_assessment *a;
  char why[512];
  const rbp_assessment *def = plugins ? rb_plugins_find(plugins, id) : NULL;
  if (!def) {
    snprintf(err, errlen, "no assessment named '%s'%s", id,
             plugins ? " (see `rebalance plugins`)"
                     : " (no plugins are loaded)");
    return NULL;
  }
  a = calloc(1, sizeof *a);
  if (!a || !(a->values = cJSON_CreateObject())) {
    free(a);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  a->plugins = plugins;
  a->def = def;
  snprintf(a->lang, sizeof a->lang, "%s", lang ? lang : "");
  if (!prefill(a, opts, why, sizeof why)) {
    snprintf(err, errlen, "assess(\"%s\"): %s", id, why);
    rb_assessment_free(a);
    return NULL;
  }
  return a;
}

void rb_assessment_free(rb_assessment *a) {
  if (!a)
    return;
  cJSON_Delete(a->values);
  cJSON_Delete(a->result);
  free(a);
}

const char *rb_assessment_title(const rb_assessment *a) {
  return a->def->title;
}

const char *rb_assessment_instructions(const rb_assessment *a) {
  return a->def->instructions;
}

bool rb_assessment_prefilled(const rb_assessment *a) { return a->prefilled; }

const char *rb_assessment_first_side(const rb_assessment *a) {
  for (uint32_t i = 0; i < a->def->nfields; i++)
    if (a->def->fields[i].per_side)
      return "left";
  return "";
}

/* Steps to the next field of this pass, or to the second pass. */
static void advance(rb_assessment *a) {
  if (++a->field >= a->def->nfields && a->side == 0) {
    a->side = 1;
    a->field = 0;
  }
}

rb_assess_next rb_assessment_question(rb_assessment *a, rb_question *q,
                                      char keys[2][RB_TEXT_MAX]) {
  char key[RB_SHORT_MAX * 2];
  const rbp_field *f;
  /* past the fields (and sides) the routine gave */
  for (;; advance(a)) {
    if (a->field >= a->def->nfields)
      return RB_ASSESS_DONE;
    value_key(a, key, sizeof key);
    if (in_pass(a) && !cJSON_GetObjectItem(a->values, key))
      break;
  }
  if (a->side == 1 && !a->turned) {
    a->turned = true;
    return RB_ASSESS_RIGHT_SIDE;
  }
  f = cur_field(a);
  *q = (rb_question){0};
  snprintf(q->text, sizeof q->text, "%s", f->label);
  snprintf(q->side, sizeof q->side, "%s", cur_side(a));
  if (f->kind == RBP_FIELD_NUMBER) {
    q->kind = RB_QUESTION_NUMBER;
    snprintf(q->unit, sizeof q->unit, "%s", f->unit ? f->unit : "");
    q->min = f->min;
    q->max = f->max;
    q->step = f->step;
  } else if (f->kind == RBP_FIELD_YESNO) {
    q->kind = RB_QUESTION_CHOICE;
    q->yesno = true;
    snprintf(q->choices[0], RB_SHORT_MAX, "%s",
             rb_phrase_text(a->lang, RB_PHRASE_YES));
    snprintf(q->choices[1], RB_SHORT_MAX, "%s",
             rb_phrase_text(a->lang, RB_PHRASE_NO));
    q->nchoices = 2;
  } else {
    q->kind = RB_QUESTION_CHOICE;
    for (int i = 0; i < RB_CHOICES_MAX && f->choices && f->choices[i]; i++)
      snprintf(q->choices[q->nchoices++], RB_SHORT_MAX, "%s", f->choices[i]);
  }
  if (*q->side) {
    snprintf(keys[0], RB_TEXT_MAX, "%s.%s.%s", a->def->id, f->name, q->side);
    snprintf(keys[1], RB_TEXT_MAX, "%s.%s", a->def->id, f->name);
  } else {
    snprintf(keys[0], RB_TEXT_MAX, "%s.%s", a->def->id, f->name);
    keys[1][0] = '\0';
  }
  return RB_ASSESS_ASK;
}

void rb_assessment_answer(rb_assessment *a, const cJSON *reply) {
  const rbp_field *f;
  char key[RB_SHORT_MAX * 2];
  cJSON *value;
  if (a->field >= a->def->nfields || !reply)
    return;
  f = cur_field(a);
  value_key(a, key, sizeof key);
  /* yes is the first choice, in whatever language it was asked */
  value = f->kind == RBP_FIELD_YESNO
              ? cJSON_CreateBool(
                    cJSON_IsString(reply) &&
                    strcmp(reply->valuestring,
                           rb_phrase_text(a->lang, RB_PHRASE_YES)) == 0)
              : cJSON_Duplicate(reply, true);
  cJSON_DeleteItemFromObject(a->values, key);
  cJSON_AddItemToObject(a->values, key, value);
  advance(a);
}

bool rb_assessment_evaluate(rb_assessment *a, char *err, size_t errlen) {
  cJSON_Delete(a->result);
  a->result =
      rb_plugins_evaluate(a->plugins, a->def->id, a->values, err, errlen);
  return a->result != NULL;
}

const cJSON *rb_assessment_result(const rb_assessment *a) { return a->result; }

/* A flag in plain words: the plugin's own words when it gives them (ABI
 * 1.1), else the flag with '_' as spaces, capitalised; a side at its end
 * or start ("tight_glutes_left", "left_knee_pain") becomes the flag's
 * side and "(left)". */
static void flag_words(const rb_assessment *a, const char *flag,
                       rb_result_flag *out) {
  static const char *const SIDES[][2] = {
      {"left", " (left)"}, {"right", " (right)"}, {"both", " (both sides)"}};
  const char *given = rb_plugins_flag_words(a->plugins, a->def->id, flag);
  const char *tail = "", *found = "";
  size_t n = strlen(flag), k = 0;
  char name[RB_SHORT_MAX];

  snprintf(out->flag, sizeof out->flag, "%s", flag);
  for (size_t i = 0; i < sizeof SIDES / sizeof SIDES[0]; i++) {
    size_t p = strlen(SIDES[i][0]) + 1;
    if (n > p && flag[n - p] == '_' &&
        strcmp(flag + n - p + 1, SIDES[i][0]) == 0) {
      n -= p;
    } else if (n > p && strncmp(flag, SIDES[i][0], p - 1) == 0 &&
               flag[p - 1] == '_') {
      flag += p;
      n -= p;
    } else {
      continue;
    }
    tail = SIDES[i][1];
    found = i < 2 ? SIDES[i][0] : "";
    break;
  }
  for (size_t i = 0; i < n && k + 1 < sizeof name; i++) {
    char c = flag[i] == '_' || flag[i] == '-' ? ' ' : flag[i];
    if (c == ' ' && (k == 0 || name[k - 1] == ' '))
      continue;
    name[k++] = c;
  }
  while (k > 0 && name[k - 1] == ' ')
    k--;
  name[k] = '\0';
  if (name[0])
    name[0] = (char)toupper((unsigned char)name[0]);
  snprintf(out->side, sizeof out->side, "%s", name[0] ? found : "");
  if (given && *given)
    snprintf(out->words, sizeof out->words, "%s", given);
  else
    snprintf(out->words, sizeof out->words, "%s%s", name, name[0] ? tail : "");
}

/* One row: a field's values (per side) as numbers and words. */
static void fill_row(const rb_assessment *a, const rbp_field *f,
                     rb_result_row *r) {
  *r = (rb_result_row){.per_side = f->per_side != 0,
                       .numeric = f->kind == RBP_FIELD_NUMBER,
                       .min = f->min,
                       .max = f->max};
  snprintf(r->label, sizeof r->label, "%s", f->label);
  snprintf(r->unit, sizeof r->unit, "%s", f->unit ? f->unit : "");
  for (int side = 0; side < (f->per_side ? 2 : 1); side++) {
    char key[RB_SHORT_MAX * 2], *text;
    const cJSON *val;
    double *num = !f->per_side ? &r->value : side ? &r->right : &r->left;
    char *words = !f->per_side ? r->text : side ? r->text_right : r->text_left;
    if (f->per_side)
      snprintf(key, sizeof key, "%s.%s", f->name, side ? "right" : "left");
    else
      snprintf(key, sizeof key, "%s", f->name);
    val = cJSON_GetObjectItem(a->values, key);
    if (cJSON_IsNumber(val))
      *num = val->valuedouble;
    text = !val || cJSON_IsString(val) || cJSON_IsBool(val)
               ? NULL
               : cJSON_PrintUnformatted(val);
    snprintf(words, sizeof r->text, "%s",
             cJSON_IsString(val) ? val->valuestring
             : cJSON_IsBool(val)
                 ? rb_phrase_text(a->lang, cJSON_IsTrue(val) ? RB_PHRASE_YES
                                                             : RB_PHRASE_NO)
             : text ? text
                    : "");
    free(text);
  }
}

void rb_assessment_view(const rb_assessment *a, rb_view_result *out) {
  const cJSON *e;
  memset(out, 0, sizeof *out);
  for (uint32_t i = 0; i < a->def->nfields && out->nrows < RB_RESULT_ROWS_MAX;
       i++)
    fill_row(a, &a->def->fields[i], &out->rows[out->nrows++]);
  cJSON_ArrayForEach(e, cJSON_GetObjectItem(a->result, "flags")) {
    if (out->nflags < RB_RESULT_FLAGS_MAX && cJSON_IsString(e))
      flag_words(a, e->valuestring, &out->flags[out->nflags++]);
  }
  e = cJSON_GetObjectItem(a->result, "summary");
  snprintf(out->summary, sizeof out->summary, "%s",
           cJSON_IsString(e) ? e->valuestring : "");
  snprintf(out->prompt, sizeof out->prompt, "%s",
           rb_phrase_text(a->lang, RB_PHRASE_OK));
}
