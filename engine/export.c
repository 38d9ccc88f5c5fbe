#include "export.h"

#include "store_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOINC "http://loinc.org"
#define SNOMED "http://snomed.info/sct"
#define UCUM "http://unitsofmeasure.org"
#define CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define ABSENT "http://terminology.hl7.org/CodeSystem/data-absent-reason"
#define URI_SYSTEM "urn:ietf:rfc:3986"
#define PATIENT_SYSTEM "https://rebalance.invalid/fhir/patient"
#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

static void iso_utc(time_t t, char *out, size_t n) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --- text ----------------------------------------------------------------- */

/* The length (1-4) of the UTF-8 character at p; 0 when the bytes there are
 * not one (or p is at the end). */
static size_t utf8_len(const unsigned char *p) {
  unsigned char lo = 0x80, hi = 0xBF;
  size_t more;
  if (p[0] == 0)
    return 0;
  if (p[0] < 0x80)
    return 1;
  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    more = 1;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
    more = 2;
    if (p[0] == 0xE0)
      lo = 0xA0;
    else if (p[0] == 0xED)
      hi = 0x9F; /* no surrogates */
  } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
    more = 3;
    if (p[0] == 0xF0)
      lo = 0x90;
    else if (p[0] == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  if (p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i <= more; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return more + 1;
}

/* A control character FHIR's strings cannot hold (tab, CR and LF they
 * can). */
static bool bad_control(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\r' && c != '\n';
}

static bool fhir_clean(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t k = utf8_len(p);
    if (k == 0 || (k == 1 && bad_control(*p)))
      return false;
    p += k;
  }
  return true;
}

/* s with what is not UTF-8 and the control characters FHIR refuses as
 * U+FFFD; NULL when out of memory. */
static char *fhir_cleaned(const char *s) {
  size_t n = strlen(s);
  char *out = n < SIZE_MAX / 3 ? malloc(3 * n + 1) : NULL, *o = out;
  const unsigned char *p = (const unsigned char *)s;
  if (!out)
    return NULL;
  while (*p) {
    size_t k = utf8_len(p);
    if (k == 0 || (k == 1 && bad_control(*p))) {
      memcpy(o, REPLACEMENT, 3);
      o += 3;
      p++;
    } else {
      memcpy(o, p, k);
      o += k;
      p += k;
    }
  }
  *o = '\0';
  return out;
}

/* Every string in the tree made fit for FHIR (what the store holds came
 * from routines and plugins, or from a file someone edited); false when
 * out of memory. */
static bool clean_strings(cJSON *n) {
  for (; n; n = n->next) {
    if (cJSON_IsString(n) && n->valuestring && !fhir_clean(n->valuestring)) {
      char *text = fhir_cleaned(n->valuestring);
      bool ok = text && cJSON_SetValuestring(n, text);
      free(text);
      if (!ok)
        return false;
    }
    if (n->child && !clean_strings(n->child))
      return false;
  }
  return true;
}

/* true when s holds more than white space. */
static bool has_text(const char *s) {
  return s && s[strspn(s, " \t\r\n\v\f")] != '\0';
}

/* A number as text that reads back as the same number: 0.1, 12345678901,
 * 1e+300; NaN and infinities by name. */
static void number_text(double d, char *out, size_t n) {
  if (isnan(d))
    snprintf(out, n, "NaN");
  else if (isinf(d))
    snprintf(out, n, "%s", d > 0 ? "Infinity" : "-Infinity");
  else {
    snprintf(out, n, "%.15g", d);
    if (strtod(out, NULL) != d)
      snprintf(out, n, "%.17g", d);
  }
}

/* A value as text: numbers as written, yes/no as true/false; NULL when out
 * of memory. */
static char *value_text(const cJSON *v) {
  char buf[64];
  if (cJSON_IsNumber(v)) {
    number_text(v->valuedouble, buf, sizeof buf);
    return strdup(buf);
  }
  if (cJSON_IsBool(v))
    return strdup(cJSON_IsTrue(v) ? "true" : "false");
  if (cJSON_IsString(v))
    return strdup(v->valuestring ? v->valuestring : "");
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
 * a leading ' (a number is never one). Bytes that are not UTF-8 are
 * written as U+FFFD, so one bad byte cannot make the file unreadable. */
static void cell(FILE *out, const char *text, bool number, bool last) {
  bool formula = !number && text[0] && strchr("=+-@\t\r", text[0]);
  bool quote = formula || strpbrk(text, ",\"\r\n") != NULL;
  const unsigned char *p = (const unsigned char *)text;
  if (quote)
    fputc('"', out);
  if (formula)
    fputc('\'', out);
  while (*p) {
    size_t k = utf8_len(p);
    if (k == 0) {
      fputs(REPLACEMENT, out);
      p++;
      continue;
    }
    if (*p == '"')
      fputc('"', out);
    fwrite(p, 1, k, out);
    p += k;
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
  bool failed;
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
  if (!text) {
    c->failed = true;
    return false;
  }
  /* "-Infinity" is text a spreadsheet must not run */
  csv_row(c, v->key, v->label, text,
          cJSON_IsNumber(v->value) && isfinite(v->value->valuedouble), v->unit);
  free(text);
  return true;
}

static bool csv_session(void *ud, const rb_session_row *s) {
  csv_ctx *c = ud;
  rb_patient p;
  char len[64];
  c->s = s;
  /* pseudonymous unless the clinic allows names, as in the FHIR export */
  if (rb_store_patient_by_id(c->st, s->patient, &p))
    snprintf(c->patient, sizeof c->patient, "%s",
             c->o->names ? p.name : p.uuid);
  else
    c->patient[0] = '\0';
  iso_utc(s->started, c->started, sizeof c->started);
  if (s->ended)
    iso_utc(s->ended, c->ended, sizeof c->ended);
  else
    c->ended[0] = '\0';
  if (rb_store_each_value(c->st, s->id, csv_value, c) < 0)
    c->failed = true;
  if (c->failed)
    return false;
  if (s->ended) {
    number_text(s->duration_s, len, sizeof len);
    csv_row(c, "duration_s", "Session length", len, isfinite(s->duration_s),
            "s");
  }
  return true;
}

bool rb_export_csv(rb_store *st, const rb_export_opts *o, FILE *out, char *err,
                   size_t errlen) {
  csv_ctx c = {.st = st, .o = o, .out = out};
  fputs("patient,session,routine,started,ended,status,reason,key,label,value,"
        "unit\r\n",
        out);
  if (rb_store_each_session(st, o->patient, o->since, csv_session, &c) < 0 ||
      c.failed) {
    snprintf(err, errlen, "%s cannot be read", rb_store_path(st));
    return false;
  }
  return true;
}

/* --- name-based ids (SHA-1 after FIPS 180-4, UUID version 5 after RFC
 * 9562) ------------------------------------------------------------------ */

typedef struct {
  uint32_t h[5];
  uint64_t bytes;
  unsigned char block[64];
  size_t used;
} sha1_state;

static uint32_t rotl(uint32_t x, int k) { return x << k | x >> (32 - k); }

static void sha1_block(uint32_t h[5], const unsigned char *p) {
  uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 80; i++)
    w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  for (int i = 0; i < 80; i++) {
    uint32_t f, k, t;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6;
    }
    t = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

static void sha1_init(sha1_state *s) {
  *s = (sha1_state){
      .h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}};
}

static void sha1_add(sha1_state *s, const void *data, size_t n) {
  const unsigned char *p = data;
  s->bytes += n;
  while (n--) {
    s->block[s->used++] = *p++;
    if (s->used == sizeof s->block) {
      sha1_block(s->h, s->block);
      s->used = 0;
    }
  }
}

static void sha1_end(sha1_state *s, unsigned char out[20]) {
  uint64_t bits = s->bytes * 8;
  unsigned char one = 0x80, zero = 0, length[8];
  for (int i = 0; i < 8; i++)
    length[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha1_add(s, &one, 1);
  while (s->used != 56)
    sha1_add(s, &zero, 1);
  sha1_add(s, length, 8);
  for (int i = 0; i < 20; i++)
    out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

/* The version 5 UUID of name in the namespace ns. */
static void uuid5(const unsigned char ns[16], const char *name,
                  unsigned char out[16]) {
  sha1_state s;
  unsigned char h[20];
  sha1_init(&s);
  sha1_add(&s, ns, 16);
  sha1_add(&s, name, strlen(name));
  sha1_end(&s, h);
  memcpy(out, h, 16);
  out[6] = (unsigned char)((out[6] & 0x0F) | 0x50);
  out[8] = (unsigned char)((out[8] & 0x3F) | 0x80);
}

static void uuid_text(const unsigned char u[16], char out[37]) {
  static const char HEX[] = "0123456789abcdef";
  char *o = out;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    *o++ = HEX[u[i] >> 4];
    *o++ = HEX[u[i] & 15];
  }
  *o = '\0';
}

/* An Observation's id, the same in every export of the same value (see
 * RB_FHIR_OBSERVATION_IDS). */
static void observation_id(const char *name, char out[37]) {
  static const unsigned char URL_NAMESPACE[16] = {
      0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
      0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}; /* RFC 9562 */
  unsigned char ns[16], u[16];
  uuid5(URL_NAMESPACE, RB_FHIR_OBSERVATION_IDS, ns);
  uuid5(ns, name, u);
  uuid_text(u, out);
}

/* --- units ---------------------------------------------------------------- */

/* s without white space around it into out; false when it does not fit. */
static bool trimmed(const char *s, char *out, size_t n) {
  size_t start, len;
  if (!s)
    s = "";
  start = strspn(s, " \t\r\n\v\f");
  len = strlen(s + start);
  while (len && strchr(" \t\r\n\v\f", s[start + len - 1]))
    len--;
  if (len >= n)
    return false;
  memcpy(out, s + start, len);
  out[len] = '\0';
  return true;
}

/* ASCII letters alike whatever their case. */
static bool same_word(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
    if (x != y)
      return false;
  }
  return *a == *b;
}

/* The UCUM code of a unit as routines write it, NULL when it is not one
 * rebalance knows (then the unit is only shown, not coded). One-letter
 * units must match exactly: UCUM's S is siemens, not seconds. */
static const char *ucum_code(const char *unit) {
  static const struct {
    const char *spelling, *code;
  } UNITS[] = {
      {"cm", "cm"},
      {"centimeter", "cm"},
      {"centimeters", "cm"},
      {"centimetre", "cm"},
      {"centimetres", "cm"},
      {"mm", "mm"},
      {"millimeter", "mm"},
      {"millimeters", "mm"},
      {"millimetre", "mm"},
      {"millimetres", "mm"},
      {"m", "m"},
      {"meter", "m"},
      {"meters", "m"},
      {"metre", "m"},
      {"metres", "m"},
      {"deg", "deg"},
      {"degree", "deg"},
      {"degrees", "deg"},
      {"\xC2\xB0", "deg"},
      {"s", "s"},
      {"sec", "s"},
      {"secs", "s"},
      {"second", "s"},
      {"seconds", "s"},
      {"min", "min"},
      {"mins", "min"},
      {"minute", "min"},
      {"minutes", "min"},
      {"kg", "kg"},
      {"kilogram", "kg"},
      {"kilograms", "kg"},
      {"%", "%"},
      {"percent", "%"},
      {"1", "1"},
      {"rep", "1"},
      {"reps", "1"},
      {"repetition", "1"},
      {"repetitions", "1"},
      {"count", "1"},
      {"times", "1"},
  };
  char word[32];
  if (!trimmed(unit, word, sizeof word) || !word[0])
    return NULL;
  for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
    if (strlen(UNITS[i].spelling) == 1 ? strcmp(word, UNITS[i].spelling) == 0
                                       : same_word(word, UNITS[i].spelling))
      return UNITS[i].code;
  return NULL;
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
  if (has_text(display))
    cJSON_AddStringToObject(c, "display", display);
  return c;
}

static cJSON *concept(cJSON *one, const char *text) {
  cJSON *cc = cJSON_CreateObject(),
        *list = cJSON_AddArrayToObject(cc, "coding");
  cJSON_AddItemToArray(list, one);
  if (has_text(text))
    cJSON_AddStringToObject(cc, "text", text);
  return cc;
}

static void add_entry(fhir_ctx *c, cJSON *resource, const char *uuid) {
  cJSON *e = cJSON_CreateObject();
  char url[64];
  if (!e || !resource) {
    cJSON_Delete(e);
    cJSON_Delete(resource);
    c->failed = true;
    return;
  }
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

/* final for a session that ended as it should (completed, or stopped by
 * the patient); preliminary for one still running, cut off (unfinished)
 * or ended by an error: its values may not be all there is. */
static const char *observation_status(const rb_session_row *s) {
  return strcmp(s->status, "completed") == 0 ||
                 strcmp(s->status, "stopped") == 0
             ? "final"
             : "preliminary";
}

/* An Observation of the current session; name makes its id (id, 37
 * bytes). */
static cJSON *observation(fhir_ctx *c, const char *category, const char *name,
                          char *id) {
  cJSON *o = cJSON_CreateObject(), *ids, *one, *cats, *subject;
  char url[64];
  observation_id(name, id);
  snprintf(url, sizeof url, "urn:uuid:%s", id);
  cJSON_AddStringToObject(o, "resourceType", "Observation");
  ids = cJSON_AddArrayToObject(o, "identifier");
  one = cJSON_CreateObject();
  cJSON_AddStringToObject(one, "system", URI_SYSTEM);
  cJSON_AddStringToObject(one, "value", url);
  cJSON_AddItemToArray(ids, one);
  cJSON_AddStringToObject(o, "status", observation_status(c->s));
  cats = cJSON_AddArrayToObject(o, "category");
  cJSON_AddItemToArray(cats, concept(coding(CATEGORY, category, NULL), NULL));
  subject = cJSON_CreateObject();
  cJSON_AddStringToObject(subject, "reference", c->patient_ref);
  cJSON_AddItemToObject(o, "subject", subject);
  cJSON_AddStringToObject(o, "effectiveDateTime", c->when);
  return o;
}

/* A number with its unit: coded in UCUM when rebalance knows the unit,
 * else only shown. */
static void quantity(cJSON *o, double value, const char *unit) {
  cJSON *q = cJSON_AddObjectToObject(o, "valueQuantity");
  const char *code = ucum_code(unit);
  char shown[64]; /* the store keeps units of up to 31 bytes */
  cJSON_AddNumberToObject(q, "value", value);
  if (trimmed(unit, shown, sizeof shown) && shown[0])
    cJSON_AddStringToObject(q, "unit", shown);
  if (code) {
    cJSON_AddStringToObject(q, "system", UCUM);
    cJSON_AddStringToObject(q, "code", code);
  }
}

/* Why an Observation has no value. */
static void absent(cJSON *o, const char *code, const char *display) {
  cJSON_AddItemToObject(o, "dataAbsentReason",
                        concept(coding(ABSENT, code, display), NULL));
}

/* Observation.value[x] of a recorded value, or why there is none: pain is
 * an integer 0-10 on its scale, and given as a plain quantity when it is
 * not; a number FHIR cannot write (NaN, an infinity) and empty text are
 * absent. False when out of memory. */
static bool set_value(cJSON *o, const cJSON *v, const char *unit, bool pain) {
  if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if (isnan(d))
      absent(o, "not-a-number", "Not a Number (NaN)");
    else if (isinf(d))
      absent(o, d > 0 ? "positive-infinity" : "negative-infinity",
             d > 0 ? "Positive Infinity (PINF)" : "Negative Infinity (NINF)");
    else if (pain && d == floor(d) && d >= 0 && d <= 10)
      cJSON_AddNumberToObject(o, "valueInteger", (int)d); /* no -0 */
    else
      quantity(o, d, unit);
  } else if (cJSON_IsBool(v))
    cJSON_AddBoolToObject(o, "valueBoolean", cJSON_IsTrue(v));
  else if (cJSON_IsString(v)) {
    if (has_text(v->valuestring))
      cJSON_AddStringToObject(o, "valueString", v->valuestring);
    else
      absent(o, "unknown", "Unknown");
  } else if (cJSON_IsNull(v))
    absent(o, "unknown", "Unknown");
  else {
    char *text = cJSON_PrintUnformatted(v); /* a list or a table */
    if (!text)
      return false;
    cJSON_AddStringToObject(o, "valueString", text);
    cJSON_free(text);
  }
  return true;
}

/* A key as a FHIR code: white space only as single spaces between
 * words. */
static void code_of(const char *key, char *out, size_t n) {
  size_t len = 0;
  bool space = false;
  for (const char *p = key; *p && len + 1 < n; p++) {
    if (strchr(" \t\r\n\v\f", *p)) {
      space = len > 0;
      continue;
    }
    if (space && len + 2 < n)
      out[len++] = ' ';
    space = false;
    out[len++] = *p;
  }
  out[len] = '\0';
  if (len == 0)
    snprintf(out, n, "unnamed");
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
  char key[sizeof v->key], code[sizeof v->key], display[160], name[256], id[37];
  bool pain = is_pain(v->key);
  cJSON *o;
  snprintf(key, sizeof key, "%s", v->key);
  if (side)
    key[strlen(key) - strlen(side) - 1] = '\0'; /* the side is bodySite */
  code_of(key, code, sizeof code);
  snprintf(name, sizeof name, "%s/%d/%s", c->s->uuid, v->seq, v->key);
  o = observation(c, pain ? "survey" : "exam", name, id);
  if (pain)
    cJSON_AddItemToObject(
        o, "code",
        concept(coding(LOINC, "72514-3",
                       "Pain severity - 0-10 verbal numeric rating [Score] - "
                       "Reported"),
                v->label[0] ? v->label : v->key));
  else {
    if (has_text(v->label))
      snprintf(display, sizeof display, "%s", v->label);
    else
      plain_key(code, display, sizeof display);
    cJSON_AddItemToObject(
        o, "code", concept(coding(RB_FHIR_RESULT_SYSTEM, code, display), NULL));
  }
  if (!set_value(o, v->value, v->unit, pain))
    c->failed = true;
  if (side)
    cJSON_AddItemToObject(
        o, "bodySite",
        concept(coding(SNOMED,
                       strcmp(side, "left") == 0 ? "7771000" : "24028007",
                       strcmp(side, "left") == 0 ? "Left" : "Right"),
                NULL));
  add_entry(c, o, id);
  return !c->failed;
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
  if (rb_store_each_value(c->st, s->id, fhir_value, c) < 0)
    c->failed = true;
  if (s->ended && !c->failed) {
    /* the session's length */
    char id[37], name[64];
    cJSON *o;
    snprintf(name, sizeof name, "%s/duration", s->uuid);
    o = observation(c, "activity", name, id);
    cJSON_AddItemToObject(o, "code",
                          concept(coding(LOINC, "55411-3", "Exercise duration"),
                                  s->title[0] ? s->title : s->routine));
    if (isfinite(s->duration_s))
      quantity(o, round(s->duration_s / 6.0) / 10.0, "min");
    else
      absent(o, "unknown", "Unknown");
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
  if (!bundle) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
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
  if (!clean_strings(bundle) || !(text = cJSON_Print(bundle))) {
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
