#include "export.h"

#include "store_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LOINC "http://loinc.org"
#define SNOMED "http://snomed.info/sct"
#define UCUM "http://unitsofmeasure.org"
#define CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define PATIENT_SYSTEM "https://rebalance.invalid/fhir/patient"

static void iso_utc(time_t t, char *out, size_t n) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A value as text: numbers as written, yes/no as true/false. */
static char *value_text(const cJSON *v) {
  char buf[64];
  if (cJSON_IsNumber(v)) {
    snprintf(buf, sizeof buf, "%.10g", v->valuedouble);
    return strdup(buf);
  }
  if (cJSON_IsBool(v))
    return strdup(cJSON_IsTrue(v) ? "true" : "false");
  if (cJSON_IsString(v))
    return strdup(v->valuestring);
  return cJSON_PrintUnformatted(v);
}

static bool is_pain(const char *key) {
  static const char *const PAIN[] = {"pain_before", "pain_during", "pain_after",
                                     "pain_at_stop"};
  for (size_t i = 0; i < sizeof PAIN / sizeof PAIN[0]; i++)
    if (strcmp(key, PAIN[i]) == 0)
      return true;
  return false;
}

/* "left", "right" or NULL from a key's last part. */
static const char *side_of(const char *key) {
  const char *dot = strrchr(key, '.');
  if (dot && strcmp(dot, ".left") == 0)
    return "left";
  if (dot && strcmp(dot, ".right") == 0)
    return "right";
  return NULL;
}

/* --- csv ------------------------------------------------------------------ */

/* One RFC 4180 cell; text that a spreadsheet would run as a formula gets
 * a leading ' (a number is never one). */
static void cell(FILE *out, const char *text, bool number, bool last) {
  bool formula = !number && strchr("=+-@\t\r", text[0]) && text[0];
  bool quote = formula || strpbrk(text, ",\"\r\n") != NULL;
  if (quote)
    fputc('"', out);
  if (formula)
    fputc('\'', out);
  for (const char *c = text; *c; c++) {
    if (*c == '"')
      fputc('"', out);
    fputc(*c, out);
  }
  if (quote)
    fputc('"', out);
  fputs(last ? "\r\n" : ",", out);
}

typedef struct {
  rb_store *st;
  const rb_export_opts *o;
  FILE *out;
  const rb_session_row *s;
  char patient[RB_STORE_NAME_MAX];
  char started[32], ended[32];
  int rows;
} csv_ctx;

static void csv_row(csv_ctx *c, const char *key, const char *label,
                    const char *value, bool number, const char *unit) {
  cell(c->out, c->patient, false, false);
  cell(c->out, c->s->uuid, false, false);
  cell(c->out, c->s->routine, false, false);
  cell(c->out, c->started, false, false);
  cell(c->out, c->ended, false, false);
  cell(c->out, c->s->status, false, false);
  cell(c->out, c->s->reason, false, false);
  cell(c->out, key, false, false);
  cell(c->out, label, false, false);
  cell(c->out, value, number, false);
  cell(c->out, unit, false, true);
  c->rows++;
}

static bool csv_value(void *ud, const rb_value_row *v) {
  csv_ctx *c = ud;
  char *text = value_text(v->value);
  if (text)
    csv_row(c, v->key, v->label, text, cJSON_IsNumber(v->value), v->unit);
  free(text);
  return true;
}

static bool csv_session(void *ud, const rb_session_row *s) {
  csv_ctx *c = ud;
  rb_patient p;
  char len[32];
  c->s = s;
  snprintf(c->patient, sizeof c->patient, "%s",
           rb_store_patient_by_id(c->st, s->patient, &p) ? p.name : "");
  iso_utc(s->started, c->started, sizeof c->started);
  if (s->ended)
    iso_utc(s->ended, c->ended, sizeof c->ended);
  else
    c->ended[0] = '\0';
  rb_store_each_value(c->st, s->id, csv_value, c);
  if (s->ended) {
    snprintf(len, sizeof len, "%.10g", s->duration_s);
    csv_row(c, "duration_s", "Session length", len, true, "s");
  }
  return true;
}

bool rb_export_csv(rb_store *st, const rb_export_opts *o, FILE *out, char *err,
                   size_t errlen) {
  csv_ctx c = {.st = st, .o = o, .out = out};
  fputs("patient,session,routine,started,ended,status,reason,key,label,value,"
        "unit\r\n",
        out);
  if (rb_store_each_session(st, o->patient, o->since, csv_session, &c) < 0) {
    snprintf(err, errlen, "%s cannot be read", rb_store_path(st));
    return false;
  }
  return true;
}

/* --- fhir ----------------------------------------------------------------- */

typedef struct {
  rb_store *st;
  const rb_export_opts *o;
  cJSON *entries;
  long long *patients; /* ids already in the bundle */
  int npatients, cap;
  const rb_session_row *s;
  char patient_ref[64], when[32];
  bool failed;
} fhir_ctx;

static cJSON *coding(const char *system, const char *code,
                     const char *display) {
  cJSON *c = cJSON_CreateObject();
  cJSON_AddStringToObject(c, "system", system);
  cJSON_AddStringToObject(c, "code", code);
  if (display && *display)
    cJSON_AddStringToObject(c, "display", display);
  return c;
}

static cJSON *concept(cJSON *one, const char *text) {
  cJSON *cc = cJSON_CreateObject(),
        *list = cJSON_AddArrayToObject(cc, "coding");
  cJSON_AddItemToArray(list, one);
  if (text && *text)
    cJSON_AddStringToObject(cc, "text", text);
  return cc;
}

static void add_entry(fhir_ctx *c, cJSON *resource, const char *uuid) {
  cJSON *e = cJSON_CreateObject();
  char url[64];
  snprintf(url, sizeof url, "urn:uuid:%s", uuid);
  cJSON_AddStringToObject(e, "fullUrl", url);
  cJSON_AddItemToObject(e, "resource", resource);
  cJSON_AddItemToArray(c->entries, e);
}

/* The patient's resource, once per bundle. */
static void add_patient(fhir_ctx *c, const rb_patient *p) {
  cJSON *r, *ids, *id;
  for (int i = 0; i < c->npatients; i++)
    if (c->patients[i] == p->id)
      return;
  if (c->npatients == c->cap) {
    int cap = c->cap ? 2 * c->cap : 16;
    long long *more = realloc(c->patients, (size_t)cap * sizeof *more);
    if (!more) {
      c->failed = true;
      return;
    }
    c->patients = more;
    c->cap = cap;
  }
  c->patients[c->npatients++] = p->id;
  r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "resourceType", "Patient");
  ids = cJSON_AddArrayToObject(r, "identifier");
  id = cJSON_CreateObject();
  cJSON_AddStringToObject(id, "system", PATIENT_SYSTEM);
  cJSON_AddStringToObject(id, "value", p->uuid);
  cJSON_AddItemToArray(ids, id);
  cJSON_AddBoolToObject(r, "active", !p->removed);
  if (c->o->names) {
    cJSON *names = cJSON_AddArrayToObject(r, "name"), *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "text", p->name);
    cJSON_AddItemToArray(names, n);
  }
  if (p->language[0]) {
    cJSON *comm = cJSON_AddArrayToObject(r, "communication");
    cJSON *one = cJSON_CreateObject();
    cJSON_AddItemToObject(
        one, "language",
        concept(coding("urn:ietf:bcp:47", p->language, NULL), NULL));
    cJSON_AddItemToArray(comm, one);
  }
  add_entry(c, r, p->uuid);
}

/* An Observation of the current session. */
static cJSON *observation(fhir_ctx *c, const char *category) {
  cJSON *o = cJSON_CreateObject(), *cats, *subject;
  cJSON_AddStringToObject(o, "resourceType", "Observation");
  cJSON_AddStringToObject(o, "status", "final");
  cats = cJSON_AddArrayToObject(o, "category");
  cJSON_AddItemToArray(cats, concept(coding(CATEGORY, category, NULL), NULL));
  subject = cJSON_CreateObject();
  cJSON_AddStringToObject(subject, "reference", c->patient_ref);
  cJSON_AddItemToObject(o, "subject", subject);
  cJSON_AddStringToObject(o, "effectiveDateTime", c->when);
  return o;
}

static void quantity(cJSON *o, double value, const char *unit) {
  cJSON *q = cJSON_AddObjectToObject(o, "valueQuantity");
  cJSON_AddNumberToObject(q, "value", value);
  if (unit && *unit) {
    cJSON_AddStringToObject(q, "unit", unit);
    cJSON_AddStringToObject(q, "system", UCUM);
    cJSON_AddStringToObject(q, "code", unit);
  }
}

/* A key for people when it has no label: "knee_to_wall.distance_cm" ->
 * "knee to wall distance cm". */
static void plain_key(const char *key, char *out, size_t n) {
  snprintf(out, n, "%s", key);
  for (char *p = out; *p; p++)
    if (*p == '_' || *p == '.')
      *p = ' ';
}

static bool fhir_value(void *ud, const rb_value_row *v) {
  fhir_ctx *c = ud;
  const char *side = side_of(v->key);
  char code[128], display[160], id[37];
  cJSON *o;
  snprintf(code, sizeof code, "%s", v->key);
  if (side)
    code[strlen(code) - strlen(side) - 1] = '\0'; /* the side is bodySite */
  if (is_pain(v->key)) {
    o = observation(c, "survey");
    cJSON_AddItemToObject(
        o, "code",
        concept(coding(LOINC, "72514-3",
                       "Pain severity - 0-10 verbal numeric rating [Score] - "
                       "Reported"),
                v->label[0] ? v->label : v->key));
    if (cJSON_IsNumber(v->value))
      cJSON_AddNumberToObject(o, "valueInteger", lround(v->value->valuedouble));
    else
      cJSON_AddStringToObject(o, "valueString", "");
  } else {
    o = observation(c, "exam");
    if (v->label[0])
      snprintf(display, sizeof display, "%s", v->label);
    else
      plain_key(code, display, sizeof display);
    cJSON_AddItemToObject(
        o, "code", concept(coding(RB_FHIR_RESULT_SYSTEM, code, display), NULL));
    if (cJSON_IsNumber(v->value))
      quantity(o, v->value->valuedouble, v->unit);
    else if (cJSON_IsBool(v->value))
      cJSON_AddBoolToObject(o, "valueBoolean", cJSON_IsTrue(v->value));
    else {
      char *text = value_text(v->value);
      cJSON_AddStringToObject(o, "valueString", text ? text : "");
      free(text);
    }
  }
  if (side)
    cJSON_AddItemToObject(
        o, "bodySite",
        concept(coding(SNOMED,
                       strcmp(side, "left") == 0 ? "7771000" : "24028007",
                       strcmp(side, "left") == 0 ? "Left" : "Right"),
                NULL));
  rb_store_new_uuid(id);
  add_entry(c, o, id);
  return true;
}

static bool fhir_session(void *ud, const rb_session_row *s) {
  fhir_ctx *c = ud;
  rb_patient p;
  if (!rb_store_patient_by_id(c->st, s->patient, &p))
    return true;
  add_patient(c, &p);
  c->s = s;
  snprintf(c->patient_ref, sizeof c->patient_ref, "urn:uuid:%s", p.uuid);
  iso_utc(s->started, c->when, sizeof c->when);
  rb_store_each_value(c->st, s->id, fhir_value, c);
  if (s->ended) {
    /* the session's length */
    char id[37];
    cJSON *o = observation(c, "activity");
    cJSON_AddItemToObject(o, "code",
                          concept(coding(LOINC, "55411-3", "Exercise duration"),
                                  s->title[0] ? s->title : s->routine));
    quantity(o, round(s->duration_s / 6.0) / 10.0, "min");
    rb_store_new_uuid(id);
    add_entry(c, o, id);
  }
  return !c->failed;
}

bool rb_export_fhir(rb_store *st, const rb_export_opts *o, FILE *out, char *err,
                    size_t errlen) {
  fhir_ctx c = {.st = st, .o = o};
  cJSON *bundle = cJSON_CreateObject();
  char when[32], *text;
  bool ok = false;
  if (!bundle)
    goto done;
  cJSON_AddStringToObject(bundle, "resourceType", "Bundle");
  cJSON_AddStringToObject(bundle, "type", "collection");
  iso_utc(o->now ? o->now : time(NULL), when, sizeof when);
  cJSON_AddStringToObject(bundle, "timestamp", when);
  c.entries = cJSON_AddArrayToObject(bundle, "entry");
  {
    /* every patient, also one without sessions yet */
    rb_patient all[256];
    int n = o->patient ? 0 : rb_store_patients(st, all, 256);
    for (int i = 0; i < n && i < 256; i++)
      add_patient(&c, &all[i]);
    if (o->patient && rb_store_patient_by_id(st, o->patient, &all[0]))
      add_patient(&c, &all[0]);
  }
  if (rb_store_each_session(st, o->patient, o->since, fhir_session, &c) < 0 ||
      c.failed) {
    snprintf(err, errlen, "%s cannot be read", rb_store_path(st));
    goto done;
  }
  text = cJSON_Print(bundle);
  if (!text) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  fputs(text, out);
  fputc('\n', out);
  cJSON_free(text);
  ok = true;
done:
  cJSON_Delete(bundle);
  free(c.patients);
  return ok;
}
