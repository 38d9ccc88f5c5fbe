/* store_read: patients, plans, parameters and what routines and exports
 * read back, on the main thread's connection. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- small helpers ------------------------------------------------------- */

static void copy_col(sqlite3_stmt *q, int col, char *out, size_t n) {
  const unsigned char *t = sqlite3_column_text(q, col);
  snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void fail(char *err, size_t errlen, const char *fmt, const char *a,
                 const char *b) {
  if (err && errlen)
    snprintf(err, errlen, fmt, a, b);
}

/* Runs one statement that changes something; SQLITE_OK when done. */
static int change(rb_store *st, const char *sql, const char *a, const char *b,
                  long long n1, long long n2) {
  sqlite3 *db = rb_store_db(st);
  sqlite3_stmt *q;
  int rc;
  if (!rb_store_writable(st))
    return SQLITE_READONLY;
  rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
  if (rc != SQLITE_OK)
    return rc;
  for (int i = 1; i <= sqlite3_bind_parameter_count(q); i++) {
    const char *name = sqlite3_bind_parameter_name(q, i);
    if (!name)
      continue;
    if (strcmp(name, ":a") == 0)
      sqlite3_bind_text(q, i, a, -1, SQLITE_TRANSIENT);
    else if (strcmp(name, ":b") == 0)
      sqlite3_bind_text(q, i, b, -1, SQLITE_TRANSIENT);
    else if (strcmp(name, ":n1") == 0)
      sqlite3_bind_int64(q, i, n1);
    else if (strcmp(name, ":n2") == 0)
      sqlite3_bind_int64(q, i, n2);
  }
  rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
  sqlite3_finalize(q);
  return rc;
}

/* Valid UTF-8 without control characters, 1 to max-1 bytes. */
static bool good_text(const char *s, size_t max) {
  size_t n = strlen(s);
  const unsigned char *p = (const unsigned char *)s;
  if (n == 0 || n >= max)
    return false;
  while (*p) {
    int len = *p < 0x80         ? 1
              : (*p >> 5) == 6  ? 2
              : (*p >> 4) == 14 ? 3
              : (*p >> 3) == 30 ? 4
                                : 0;
    if (len == 0 || (len == 1 && *p < 0x20) || *p == 0x7f)
      return false;
    for (int i = 1; i < len; i++)
      if ((p[i] & 0xc0) != 0x80)
        return false;
    p += len;
  }
  return true;
}

/* --- patients ------------------------------------------------------------ */

#define PATIENT_COLS "id, name, language, pin, uuid, removed"

static void patient_of(sqlite3_stmt *q, rb_patient *p) {
  memset(p, 0, sizeof *p);
  p->id = sqlite3_column_int64(q, 0);
  copy_col(q, 1, p->name, sizeof p->name);
  copy_col(q, 2, p->language, sizeof p->language);
  copy_col(q, 3, p->pin, sizeof p->pin);
  copy_col(q, 4, p->uuid, sizeof p->uuid);
  p->removed = sqlite3_column_int(q, 5) != 0;
}

int rb_store_patients(rb_store *st, rb_patient *out, int max) {
  sqlite3_stmt *q;
  int n = 0;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT " PATIENT_COLS " FROM patients "
                         "WHERE removed=0 ORDER BY name COLLATE NOCASE",
                         -1, &q, NULL) != SQLITE_OK)
    return -1;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (n < max && out)
      patient_of(q, &out[n]);
    n++;
  }
  sqlite3_finalize(q);
  return n;
}

static bool find(rb_store *st, const char *name, bool removed_too,
                 rb_patient *out) {
  sqlite3_stmt *q;
  bool found = false;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT " PATIENT_COLS " FROM patients WHERE "
                         "name=?",
                         -1, &q, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW &&
      (removed_too || sqlite3_column_int(q, 5) == 0)) {
    if (out)
      patient_of(q, out);
    found = true;
  }
  sqlite3_finalize(q);
  return found;
}

bool rb_store_patient_by_id(rb_store *st, long long id, rb_patient *out) {
  sqlite3_stmt *q;
  bool found = false;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT " PATIENT_COLS " FROM patients WHERE id=?", -1,
                         &q, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) == SQLITE_ROW) {
    patient_of(q, out);
    found = true;
  }
  sqlite3_finalize(q);
  return found;
}

bool rb_store_patient_find(rb_store *st, const char *name, rb_patient *out) {
  return find(st, name, false, out);
}

bool rb_store_patient_find_any(rb_store *st, const char *name,
                               rb_patient *out) {
  return find(st, name, true, out);
}

/* true when the only patient (removed ones too) is "default", with no
 * session, plan or parameter: the one made on first use */
static bool only_unused_default(rb_store *st, rb_patient *out) {
  sqlite3_stmt *q;
  bool yes = false;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(
          rb_store_db(st),
          "SELECT (SELECT count(*) FROM patients), "
          "(SELECT count(*) FROM sessions), (SELECT count(*) FROM plans), "
          "(SELECT count(*) FROM params)",
          -1, &q, NULL) != SQLITE_OK)
    return false;
  yes = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1 &&
        sqlite3_column_int(q, 1) == 0 && sqlite3_column_int(q, 2) == 0 &&
        sqlite3_column_int(q, 3) == 0;
  sqlite3_finalize(q);
  return yes && find(st, "default", false, out);
}

bool rb_store_patient_add(rb_store *st, const char *name, bool *renamed,
                          char *err, size_t errlen) {
  rb_patient p;
  int rc;
  if (!good_text(name, RB_STORE_NAME_MAX)) {
    fail(err, errlen,
         "'%s': a name is 1 to %s bytes of text, without control characters",
         name, "63");
    return false;
  }
  if (find(st, name, false, NULL)) {
    fail(err, errlen, "%s is already there%s", name, "");
    return false;
  }
  if (renamed)
    *renamed = false;
  if (!find(st, name, true, NULL) && only_unused_default(st, &p)) {
    /* a kiosk's first named patient takes over the default one that was
     * made for it, so the kiosk does not ask "default or Ann?" */
    rc = change(st, "UPDATE patients SET name=:a WHERE id=:n1", name, NULL,
                p.id, 0);
    if (rc == SQLITE_OK && renamed)
      *renamed = true;
  } else if (find(st, name, true, &p))
    rc = change(st, "UPDATE patients SET removed=0 WHERE id=:n1", NULL, NULL,
                p.id, 0);
  else {
    char id[37];
    rb_store_new_uuid(id);
    rc = change(st,
                "INSERT INTO patients(name, created, uuid) VALUES(:a, :n1, "
                ":b)",
                name, id, (long long)rb_store_now(st), 0);
  }
  if (rc != SQLITE_OK) {
    fail(err, errlen, "%s: %s", rb_store_path(st), sqlite3_errstr(rc));
    return false;
  }
  return true;
}

bool rb_store_patient_remove(rb_store *st, const char *name, char *err,
                             size_t errlen) {
  rb_patient p;
  int rc;
  if (!find(st, name, false, &p)) {
    fail(err, errlen, "no patient called '%s'%s", name, "");
    return false;
  }
  /* their sessions stay, for the clinic's records */
  rc = change(st, "UPDATE patients SET removed=1 WHERE id=:n1", NULL, NULL,
              p.id, 0);
  if (rc != SQLITE_OK) {
    fail(err, errlen, "%s: %s", rb_store_path(st), sqlite3_errstr(rc));
    return false;
  }
  return true;
}

bool rb_store_patient_default(rb_store *st, rb_patient *out) {
  int n = rb_store_patients(st, out, 1);
  if (n == 1)
    return true;
  if (n != 0)
    return false;
  if (!rb_store_patient_add(st, "default", NULL, NULL, 0))
    return false;
  return rb_store_patient_find(st, "default", out);
}

/* ROUTINE.days=N or ROUTINE.NAME=VALUE. A routine id has no dots (see
 * routine{}), so the first dot ends it and a NAME may hold dots. */
static bool set_routine_key(rb_store *st, const rb_patient *p, const char *key,
                            const char *value, char *err, size_t errlen) {
  char routine[128], name[128];
  const char *dot = strchr(key, '.');
  int rc;
  if (!dot || dot == key || !dot[1] || (size_t)(dot - key) >= sizeof routine ||
      strlen(dot + 1) >= sizeof name) {
    fail(err, errlen,
         "'%s': expected language, pin, ROUTINE.days or ROUTINE.NAME%s", key,
         "");
    return false;
  }
  snprintf(routine, sizeof routine, "%.*s", (int)(dot - key), key);
  snprintf(name, sizeof name, "%s", dot + 1);
  if (strcmp(name, "days") == 0) {
    char *end;
    long days = strtol(value, &end, 10);
    if (end == value || *end || days < 0 || days > 7) {
      fail(err, errlen, "%s: days a week is 0 (not assigned) to 7, not '%s'",
           key, value);
      return false;
    }
    rc = days == 0 ? change(st,
                            "DELETE FROM plans WHERE patient_id=:n1 AND "
                            "routine=:a",
                            routine, NULL, p->id, 0)
                   : change(st,
                            "INSERT OR REPLACE INTO plans(patient_id, routine, "
                            "days_per_week) VALUES(:n1, :a, :n2)",
                            routine, NULL, p->id, days);
  } else if (!good_text(value, 512) && value[0]) {
    fail(err, errlen,
         "%s: the value must be text without control "
         "characters%s",
         key, "");
    return false;
  } else {
    char both[256];
    snprintf(both, sizeof both, "%s\n%s", routine, name);
    rc = value[0] ? change(st,
                           "INSERT OR REPLACE INTO params(patient_id, routine, "
                           "name, value) VALUES(:n1, substr(:a, 1, "
                           "instr(:a, char(10)) - 1), substr(:a, instr(:a, "
                           "char(10)) + 1), :b)",
                           both, value, p->id, 0)
                  : change(st,
                           "DELETE FROM params WHERE patient_id=:n1 AND "
                           "routine=substr(:a, 1, instr(:a, char(10)) - 1) "
                           "AND name=substr(:a, instr(:a, char(10)) + 1)",
                           both, NULL, p->id, 0);
  }
  if (rc != SQLITE_OK) {
    fail(err, errlen, "%s: %s", rb_store_path(st), sqlite3_errstr(rc));
    return false;
  }
  return true;
}

bool rb_store_patient_set(rb_store *st, const char *name, const char *key,
                          const char *value, char *err, size_t errlen) {
  rb_patient p;
  int rc;
  if (!find(st, name, false, &p)) {
    fail(err, errlen, "no patient called '%s'%s", name, "");
    return false;
  }
  if (strcmp(key, "name") == 0) {
    if (!good_text(value, RB_STORE_NAME_MAX)) {
      fail(err, errlen,
           "name: 1 to %s bytes of text, without control characters, not "
           "'%s'",
           "63", value);
      return false;
    }
    if (strcmp(value, p.name) != 0 && find(st, value, true, NULL)) {
      fail(err, errlen,
           "name: %s is already taken (by a patient here or one removed, "
           "whose sessions are kept)%s",
           value, "");
      return false;
    }
    rc = change(st, "UPDATE patients SET name=:a WHERE id=:n1", value, NULL,
                p.id, 0);
  } else if (strcmp(key, "language") == 0) {
    if (strlen(value) >= RB_STORE_LANG_MAX ||
        strspn(value,
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") !=
            strlen(value)) {
      fail(err, errlen, "language: a code like en or de-AT, not '%s'%s", value,
           "");
      return false;
    }
    rc = change(st, "UPDATE patients SET language=:a WHERE id=:n1", value, NULL,
                p.id, 0);
  } else if (strcmp(key, "pin") == 0) {
    if (strlen(value) > 8 || strspn(value, "0123456789") != strlen(value)) {
      fail(err, errlen, "pin: up to 8 digits (empty for none), not '%s'%s",
           value, "");
      return false;
    }
    rc = change(st, "UPDATE patients SET pin=:a WHERE id=:n1", value, NULL,
                p.id, 0);
  } else {
    return set_routine_key(st, &p, key, value, err, errlen);
  }
  if (rc != SQLITE_OK) {
    fail(err, errlen, "%s: %s", rb_store_path(st), sqlite3_errstr(rc));
    return false;
  }
  return true;
}

int rb_store_plan(rb_store *st, long long patient, rb_plan_item *out, int max) {
  sqlite3_stmt *q;
  int n = 0;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT routine, days_per_week FROM plans WHERE "
                         "patient_id=? ORDER BY routine",
                         -1, &q, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_int64(q, 1, patient);
  while (sqlite3_step(q) == SQLITE_ROW && n < max) {
    copy_col(q, 0, out[n].routine, sizeof out[n].routine);
    out[n].days_per_week = sqlite3_column_int(q, 1);
    n++;
  }
  sqlite3_finalize(q);
  return n;
}

bool rb_store_param_at(rb_store *st, long long patient, int i, char *key,
                       size_t keylen, char *value, size_t n) {
  sqlite3_stmt *q;
  bool found = false;
  if (i < 0 || !rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT routine || '.' || name, value FROM params "
                         "WHERE patient_id=? ORDER BY routine, name "
                         "LIMIT 1 OFFSET ?",
                         -1, &q, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_int64(q, 1, patient);
  sqlite3_bind_int(q, 2, i);
  if (sqlite3_step(q) == SQLITE_ROW) {
    copy_col(q, 0, key, keylen);
    copy_col(q, 1, value, n);
    found = true;
  }
  sqlite3_finalize(q);
  return found;
}

bool rb_store_param(rb_store *st, long long patient, const char *routine,
                    const char *name, char *out, size_t n) {
  sqlite3_stmt *q;
  bool found = false;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT value FROM params WHERE patient_id=? AND "
                         "routine=? AND name=?",
                         -1, &q, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_int64(q, 1, patient);
  sqlite3_bind_text(q, 2, routine, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    copy_col(q, 0, out, n);
    found = true;
  }
  sqlite3_finalize(q);
  return found;
}

/* --- history ------------------------------------------------------------- */

/* Whole local calendar days from then to now. */
static int days_between(time_t then, time_t now) {
  struct tm a, b;
  localtime_r(&then, &a);
  localtime_r(&now, &b);
  a.tm_hour = b.tm_hour = 12; /* noon: no daylight-saving edge */
  a.tm_min = b.tm_min = a.tm_sec = b.tm_sec = 0;
  a.tm_isdst = b.tm_isdst = -1;
  return (int)((mktime(&b) - mktime(&a) + 43200) / 86400);
}

static void add_date(cJSON *o, time_t when, time_t now) {
  char date[16];
  struct tm tm;
  localtime_r(&when, &tm);
  strftime(date, sizeof date, "%Y-%m-%d", &tm);
  cJSON_AddStringToObject(o, "date", date);
  cJSON_AddNumberToObject(o, "days_ago", days_between(when, now));
}

cJSON *rb_store_history(rb_store *st, long long patient, const char *key, int n,
                        const char *not_session) {
  cJSON *list = cJSON_CreateArray();
  sqlite3_stmt *q;
  if (!list || !rb_store_db(st))
    return list;
  if (n < 1)
    n = 1;
  if (n > 100)
    n = 100;
  if (sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT r.value, s.started FROM results r JOIN "
                         "sessions s ON s.id = r.session_id WHERE "
                         "s.patient_id=? AND r.key=? AND s.uuid<>? ORDER BY "
                         "s.started DESC, s.id DESC, r.seq DESC LIMIT ?",
                         -1, &q, NULL) != SQLITE_OK)
    return list;
  sqlite3_bind_int64(q, 1, patient);
  sqlite3_bind_text(q, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, not_session ? not_session : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(q, 4, n);
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(q, 0);
    cJSON *item = cJSON_CreateObject(), *v = text ? cJSON_Parse(text) : NULL;
    if (!item || !v) {
      cJSON_Delete(item);
      cJSON_Delete(v);
      continue;
    }
    cJSON_AddItemToObject(item, "value", v);
    add_date(item, (time_t)sqlite3_column_int64(q, 1), rb_store_now(st));
    cJSON_AddItemToArray(list, item);
  }
  sqlite3_finalize(q);
  return list;
}

cJSON *rb_store_last_session(rb_store *st, long long patient,
                             const char *routine, const char *not_session) {
  sqlite3_stmt *q;
  cJSON *o = NULL;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT started, status FROM sessions WHERE "
                         "patient_id=?1 AND uuid<>?2 AND (?3 = '' OR "
                         "routine = ?3) ORDER BY started DESC, id DESC LIMIT 1",
                         -1, &q, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64(q, 1, patient);
  sqlite3_bind_text(q, 2, not_session ? not_session : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, routine ? routine : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW && (o = cJSON_CreateObject()) != NULL) {
    char status[16];
    add_date(o, (time_t)sqlite3_column_int64(q, 0), rb_store_now(st));
    copy_col(q, 1, status, sizeof status);
    cJSON_AddStringToObject(o, "status", status);
  }
  sqlite3_finalize(q);
  return o;
}

/* --- everything, for exports and progress -------------------------------- */

int rb_store_each_session(rb_store *st, long long patient, time_t since,
                          bool (*each)(void *ud, const rb_session_row *s),
                          void *ud) {
  sqlite3_stmt *q;
  int n = 0;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT id, uuid, patient_id, routine, title, "
                         "started, ifnull(ended, 0), status, reason, "
                         "ifnull(duration_s, 0) FROM sessions WHERE (?1 = 0 "
                         "OR patient_id = ?1) AND started >= ?2 ORDER BY "
                         "started, id",
                         -1, &q, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_int64(q, 1, patient);
  sqlite3_bind_int64(q, 2, (long long)since);
  while (sqlite3_step(q) == SQLITE_ROW) {
    rb_session_row s;
    memset(&s, 0, sizeof s);
    s.id = sqlite3_column_int64(q, 0);
    copy_col(q, 1, s.uuid, sizeof s.uuid);
    s.patient = sqlite3_column_int64(q, 2);
    copy_col(q, 3, s.routine, sizeof s.routine);
    copy_col(q, 4, s.title, sizeof s.title);
    s.started = (time_t)sqlite3_column_int64(q, 5);
    s.ended = (time_t)sqlite3_column_int64(q, 6);
    copy_col(q, 7, s.status, sizeof s.status);
    copy_col(q, 8, s.reason, sizeof s.reason);
    s.duration_s = sqlite3_column_double(q, 9);
    n++;
    if (!each(ud, &s))
      break;
  }
  sqlite3_finalize(q);
  return n;
}

int rb_store_each_value(rb_store *st, long long session,
                        bool (*each)(void *ud, const rb_value_row *v),
                        void *ud) {
  sqlite3_stmt *q;
  int n = 0;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT key, label, unit, value, seq FROM results "
                         "WHERE session_id=? ORDER BY seq, key",
                         -1, &q, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_int64(q, 1, session);
  while (sqlite3_step(q) == SQLITE_ROW) {
    rb_value_row v;
    const char *text = (const char *)sqlite3_column_text(q, 3);
    bool go;
    memset(&v, 0, sizeof v);
    v.session = session;
    copy_col(q, 0, v.key, sizeof v.key);
    copy_col(q, 1, v.label, sizeof v.label);
    copy_col(q, 2, v.unit, sizeof v.unit);
    v.seq = sqlite3_column_int(q, 4);
    v.value = text ? cJSON_Parse(text) : NULL;
    if (!v.value)
      continue;
    n++;
    go = each(ud, &v);
    cJSON_Delete(v.value);
    if (!go)
      break;
  }
  sqlite3_finalize(q);
  return n;
}

int rb_store_each_event(rb_store *st, long long session,
                        bool (*each)(void *ud, const cJSON *event), void *ud) {
  sqlite3_stmt *q;
  int n = 0;
  if (!rb_store_db(st) ||
      sqlite3_prepare_v2(rb_store_db(st),
                         "SELECT t, event, data FROM events WHERE "
                         "session_id=? ORDER BY seq",
                         -1, &q, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_int64(q, 1, session);
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *data = (const char *)sqlite3_column_text(q, 2);
    cJSON *e = data ? cJSON_Parse(data) : NULL;
    bool go;
    char name[64];
    if (!e)
      continue;
    copy_col(q, 1, name, sizeof name);
    /* the timeline's shape: t and event first */
    cJSON *line = cJSON_CreateObject();
    if (!line) {
      cJSON_Delete(e);
      break;
    }
    cJSON_AddNumberToObject(line, "t", (double)sqlite3_column_int64(q, 0));
    cJSON_AddStringToObject(line, "event", name);
    for (cJSON *c = e->child; c; c = e->child) {
      cJSON_DetachItemViaPointer(e, c);
      cJSON_AddItemToObject(line, c->string, c);
    }
    cJSON_Delete(e);
    n++;
    go = each(ud, line);
    cJSON_Delete(line);
    if (!go)
      break;
  }
  sqlite3_finalize(q);
  return n;
}

/* --- the lookup routines read through ------------------------------------ */

static cJSON *lk_history(void *ud, const char *key, int n) {
  rb_store_reader *r = ud;
  return rb_store_history(r->st, r->patient, key, n, r->session);
}

static cJSON *lk_last_session(void *ud, const char *routine) {
  rb_store_reader *r = ud;
  return rb_store_last_session(r->st, r->patient, routine[0] ? routine : NULL,
                               r->session);
}

static bool lk_param(void *ud, const char *routine, const char *name, char *out,
                     size_t n) {
  rb_store_reader *r = ud;
  return rb_store_param(r->st, r->patient, routine, name, out, n);
}

rb_lookup rb_store_lookup(rb_store_reader *reader) {
  return (rb_lookup){.ud = reader,
                     .history = lk_history,
                     .last_session = lk_last_session,
                     .param = lk_param};
}
