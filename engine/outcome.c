#include "outcome.h"

#include "phrases.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Units a record key may end in ("reach_cm"), shown after the name. */
static const char *const UNITS[] = {"cm", "mm", "kg", "deg"};

/* A record key for people: "pain_after" -> "Pain after",
 * "knee_to_wall_cm.left" -> "Knee to wall left (cm)",
 * "knee_to_wall_gap_cm" -> "Knee to wall gap (cm)". */
void rb_outcome_label(const char *key, char *out, size_t outlen) {
  char name[RB_SHORT_MAX];
  const char *dot = strrchr(key, '.'), *unit = NULL;
  size_t n = dot ? (size_t)(dot - key) : strlen(key);

  if (n >= sizeof name)
    n = sizeof name - 1;
  memcpy(name, key, n);
  name[n] = '\0';
  for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
    size_t u = strlen(UNITS[i]);
    if (n > u + 1 && name[n - u - 1] == '_' &&
        strcmp(name + n - u, UNITS[i]) == 0) {
      unit = UNITS[i];
      name[n - u - 1] = '\0';
      break;
    }
  }
  snprintf(out, outlen, "%s%s%s%s%s%s", name, dot ? " " : "",
           dot ? dot + 1 : "", unit ? " (" : "", unit ? unit : "",
           unit ? ")" : "");
  for (char *c = out; *c; c++)
    if (*c == '_' || *c == '.')
      *c = ' ';
  if (out[0])
    out[0] = (char)toupper((unsigned char)out[0]);
}

static bool parse_number(const char *s, double *out) {
  char *end;
  double v;
  if (!s || !*s)
    return false;
  v = strtod(s, &end);
  if (*end || !isfinite(v))
    return false;
  *out = v;
  return true;
}

/* The highest pain the session knows: the answer after STOP or any
 * recorded value whose key says pain. -1 when none. */
static double session_pain(const rb_view *v) {
  double pain = v->ended.pain_at_stop >= 0 ? v->ended.pain_at_stop : -1, x;
  for (int i = 0; i < v->ended.nrecords && i < RB_RECORDS_MAX; i++)
    if (strstr(v->ended.record_keys[i], "pain") &&
        parse_number(v->ended.record_values[i], &x) && x > pain)
      pain = x;
  return pain;
}

void rb_outcome_duration(const char *lang, double s, char *out, size_t outlen) {
  long m = lround(s / 60);
  if (!(s >= 0))
    snprintf(out, outlen, "%s", "");
  else if (s < 60)
    rb_phrase_format(lang, RB_PHRASE_SECONDS, out, outlen, lround(s));
  else if (m == 1)
    snprintf(out, outlen, "%s", rb_phrase_text(lang, RB_PHRASE_ONE_MINUTE));
  else
    rb_phrase_format(lang, RB_PHRASE_MINUTES, out, outlen, m);
}

static void add_line(char *list, size_t size, size_t *len, const char *key,
                     const char *value) {
  int k;
  if (*len >= size)
    return;
  k = snprintf(list + *len, size - *len, "%s%s: %s", *len ? "\n" : "", key,
               value);
  if (k > 0)
    *len += (size_t)k;
}

static int find_record(const rb_view *v, const char *key) {
  for (int i = 0; i < v->ended.nrecords && i < RB_RECORDS_MAX; i++)
    if (strcmp(v->ended.record_keys[i], key) == 0)
      return i;
  return -1;
}

/* What was recorded, one "Name: value" a line: pain first, always in the
 * same order (before, after, at STOP, then any other pain record), then
 * the rest as the routine recorded it. */
void rb_outcome_records(const rb_view *v, const char *lang, char *list,
                        size_t size) {
  static const char *const FIRST[] = {"pain_before", "pain_after"};
  char key[RB_SHORT_MAX + 16], num[16];
  size_t len = 0;
  bool shown[RB_RECORDS_MAX] = {false};
  int i;

  list[0] = '\0';
  for (size_t f = 0; f < sizeof FIRST / sizeof FIRST[0]; f++) {
    if ((i = find_record(v, FIRST[f])) < 0)
      continue;
    rb_outcome_label(v->ended.record_keys[i], key, sizeof key);
    add_line(list, size, &len, key, v->ended.record_values[i]);
    shown[i] = true;
  }
  if (v->ended.pain_at_stop >= 0) {
    snprintf(num, sizeof num, "%d", v->ended.pain_at_stop);
    add_line(list, size, &len, rb_phrase_text(lang, RB_PHRASE_PAIN_AT_STOP),
             num);
  }
  for (int pass = 0; pass < 2; pass++)
    for (i = 0; i < v->ended.nrecords && i < RB_RECORDS_MAX; i++) {
      bool pain = strstr(v->ended.record_keys[i], "pain") != NULL;
      if (shown[i] || pain != (pass == 0))
        continue;
      rb_outcome_label(v->ended.record_keys[i], key, sizeof key);
      add_line(list, size, &len, key, v->ended.record_values[i]);
      shown[i] = true;
    }
}

const char *rb_outcome_headline(const rb_view *v, const char *lang) {
  if (v->ended.status == RB_END_STOPPED)
    return rb_phrase_text(lang, RB_PHRASE_STOPPED);
  if (rb_view_ended_pain_rose(&v->ended, NULL, NULL))
    return rb_phrase_text(lang, RB_PHRASE_PAIN_ROSE);
  if (v->ended.status == RB_END_ERROR)
    return rb_phrase_text(lang, RB_PHRASE_PROBLEM_TITLE);
  return rb_phrase_text(lang, RB_PHRASE_WELL_DONE);
}

bool rb_outcome_tell(const rb_view *v, const char *lang, char *out,
                     size_t outlen) {
  double before = 0, after = 0;
  if (v->ended.message[0]) { /* the routine's own words, or the rule's */
    snprintf(out, outlen, "%s", v->ended.message);
    return true;
  }
  if (rb_view_ended_pain_rose(&v->ended, &before, &after)) {
    rb_phrase_format(lang, RB_PHRASE_PAIN_ROSE_TELL, out, outlen, before,
                     after);
    return true;
  }
  if (session_pain(v) >= RB_OUTCOME_PAIN_TELL) {
    snprintf(out, outlen, "%s", rb_phrase_text(lang, RB_PHRASE_TELL_PAIN));
    return true;
  }
  if (outlen)
    out[0] = '\0';
  return false;
}
