/* store: schema and migration, sessions and values round trip, history,
 * patients, unfinished sessions, and a full and a read-only disk (a small
 * tmpfs in a private mount namespace, where the machine allows one). */
#define _GNU_SOURCE
#include "store.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The schema of version 1, as the first release wrote it: the fixture
 * for the migration test. */
static const char V1[] =
    "CREATE TABLE patients(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " language TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL);"
    "CREATE TABLE sessions(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " patient_id INTEGER NOT NULL REFERENCES patients(id),"
    " routine TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',"
    " started INTEGER NOT NULL, ended INTEGER, status TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',"
    " duration_s REAL, pid INTEGER, boot TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX sessions_patient ON sessions(patient_id, started);"
    "CREATE TABLE events(session_id INTEGER NOT NULL REFERENCES sessions(id),"
    " seq INTEGER NOT NULL, t INTEGER NOT NULL, event TEXT NOT NULL,"
    " data TEXT NOT NULL, PRIMARY KEY(session_id, seq));"
    "CREATE TABLE results(session_id INTEGER NOT NULL REFERENCES sessions(id),"
    " seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(session_id, seq, key));"
    "CREATE INDEX results_key ON results(key);"
    "INSERT INTO patients(name, language, created) VALUES('Ann', 'de', 1);"
    "INSERT INTO sessions(uuid, patient_id, routine, started, ended, status)"
    " VALUES('u1', 1, 'ankle-wall-test', 1000, 1300, 'completed');"
    "INSERT INTO results VALUES(1, 3, 'pain_before', '4');"
    "PRAGMA user_version = 1;";

static time_t g_now = 1764316800; /* 2025-11-28 08:00 UTC */
static time_t fake_now(void *ud) {
  (void)ud;
  return g_now;
}

static char g_dir[256];

static void tmpdir(void) {
  snprintf(g_dir, sizeof g_dir, "/tmp/rb-store-XXXXXX");
  if (!mkdtemp(g_dir))
    abort();
}

static void rm_rf(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    fprintf(stderr, "# could not remove %s\n", dir);
}

static int scalar(const char *path, const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *q;
  int v = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return -2;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW)
      v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return v;
}

/* Feeds a whole session through the sink as a routine would. */
static void one_session(rb_store *st, long long patient, double pain,
                        const char *status, char uuid[37]) {
  rb_sink k = rb_store_sink(st, patient, uuid);
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "routine", "ankle-wall-test");
  cJSON_AddStringToObject(f, "title", "Ankle wall test");
  k.event(k.ud, 0, "start", f);
  cJSON_Delete(f);
  f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "key", "pain_before");
  cJSON_AddNumberToObject(f, "value", pain);
  cJSON_AddStringToObject(f, "label", "Pain before");
  k.event(k.ud, 100, "record", f);
  cJSON_Delete(f);
  f = cJSON_Parse("{\"id\":\"knee_to_wall\",\"result\":{\"values\":{"
                  "\"distance_cm.left\":12,\"distance_cm.right\":9.5}}}");
  k.event(k.ud, 200, "assess", f);
  cJSON_Delete(f);
  f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "status", status);
  k.event(k.ud, 300, "end", f);
  cJSON_Delete(f);
  k.ended(k.ud, &(rb_session_end){.routine = "ankle-wall-test",
                                  .status = strcmp(status, "stopped") == 0
                                                ? RB_END_STOPPED
                                                : RB_END_COMPLETED,
                                  .reason = "",
                                  .error = "",
                                  .duration_s = 0.3,
                                  .pain_at_stop = -1});
}

typedef struct {
  int n;
  char keys[16][128];
  char labels[16][128];
  double nums[16];
} values_seen;

static bool see_value(void *ud, const rb_value_row *v) {
  values_seen *s = ud;
  if (s->n < 16) {
    snprintf(s->keys[s->n], 128, "%s", v->key);
    snprintf(s->labels[s->n], 128, "%s", v->label);
    s->nums[s->n] = cJSON_IsNumber(v->value) ? v->value->valuedouble : -1;
  }
  s->n++;
  return true;
}

static bool see_session(void *ud, const rb_session_row *s) {
  rb_session_row *last = ud;
  *last = *s;
  return true;
}

static bool count_event(void *ud, const cJSON *e) {
  int *n = ud;
  (*n) += cJSON_GetObjectItem(e, "t") != NULL;
  return true;
}

static void test_fresh(void) {
  char err[256] = "", path[512], uuid[37];
  rb_store *st;
  rb_patient p;
  rb_session_row last;
  values_seen seen = {0};
  int events = 0;
  tmpdir();
  snprintf(path, sizeof path, "%s/state/deeper/rebalance.db", g_dir);
  {
    char sub[300];
    snprintf(sub, sizeof sub, "%s/state/deeper", g_dir);
    st = rb_store_open(sub, err, sizeof err);
  }
  ok(st != NULL, "open: a new store in a folder made for it (%s)", err);
  if (!st)
    return;
  rb_store_set_clock(st, fake_now, NULL);
  is_str(rb_store_problem(st), "", "open: no problem");
  is_int(scalar(path, "PRAGMA user_version"), RB_STORE_SCHEMA,
         "schema: user_version is the current version");
  is_int(scalar(path, "SELECT count(*) FROM pragma_journal_mode "
                      "WHERE journal_mode='wal'"),
         1, "schema: WAL");
  ok(rb_store_patient_default(st, &p) && strcmp(p.name, "default") == 0,
     "patients: none, so a default one is made");
  one_session(st, p.id, 3, "completed", uuid);
  rb_store_flush(st);
  is_int(rb_store_each_session(st, p.id, 0, see_session, &last), 1,
         "sessions: one kept");
  is_str(last.status, "completed", "sessions: with its status");
  is_str(last.routine, "ankle-wall-test", "sessions: its routine");
  is_str(last.uuid, uuid, "sessions: its uuid");
  ok(last.started == g_now && last.ended == g_now, "sessions: its times");
  rb_store_each_value(st, last.id, see_value, &seen);
  is_int(seen.n, 3, "values: the record and both sides of the assessment");
  is_str(seen.keys[0], "pain_before", "values: record key");
  is_str(seen.labels[0], "Pain before", "values: with its label");
  is_str(seen.keys[1], "knee_to_wall.distance_cm.left",
         "values: an assessment's as ID.FIELD.SIDE");
  ok(seen.nums[2] == 9.5, "values: numbers stay numbers");
  rb_store_each_event(st, last.id, count_event, &events);
  is_int(events, 4, "events: every event kept, as the timeline has them");
  rb_store_close(st);
  rm_rf(g_dir);
}

static void test_history(void) {
  char err[256] = "", u1[37], u2[37], u3[37];
  rb_store *st;
  rb_patient ann, bob;
  cJSON *h, *last;
  tmpdir();
  st = rb_store_open(g_dir, err, sizeof err);
  if (!st) {
    ok(0, "history: open (%s)", err);
    return;
  }
  rb_store_set_clock(st, fake_now, NULL);
  ok(rb_store_patient_add(st, "Ann", NULL, err, sizeof err),
     "patients: add Ann");
  ok(rb_store_patient_add(st, "Bob", NULL, err, sizeof err),
     "patients: add Bob");
  ok(!rb_store_patient_add(st, "Ann", NULL, err, sizeof err) &&
         strstr(err, "already there"),
     "patients: Ann twice is refused (%s)", err);
  ok(!rb_store_patient_add(st, "", NULL, err, sizeof err) &&
         !rb_store_patient_add(st, "a\nb", NULL, err, sizeof err) &&
         !rb_store_patient_add(st, "\xff\xfe", NULL, err, sizeof err),
     "patients: empty, control characters, invalid UTF-8 refused");
  ok(!rb_store_patient_default(st, &ann),
     "patients: with two, nobody is the default");
  rb_store_patient_find(st, "Ann", &ann);
  rb_store_patient_find(st, "Bob", &bob);
  g_now -= 14 * 86400;
  one_session(st, ann.id, 6, "completed", u1);
  g_now += 7 * 86400;
  one_session(st, ann.id, 4, "stopped", u2);
  one_session(st, bob.id, 9, "completed", u3);
  g_now += 7 * 86400;
  rb_store_flush(st);
  h = rb_store_history(st, ann.id, "pain_before", 10, NULL);
  is_int(cJSON_GetArraySize(h), 2, "history: Ann's two, not Bob's");
  ok(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "value")->valuedouble == 4,
     "history: newest first");
  is_int(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "days_ago")->valueint, 7,
         "history: days_ago");
  ok(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetArrayItem(h, 1), "date")),
     "history: a date");
  cJSON_Delete(h);
  h = rb_store_history(st, ann.id, "pain_before", 10, u2);
  is_int(cJSON_GetArraySize(h), 1, "history: the running session left out");
  cJSON_Delete(h);
  h = rb_store_history(st, ann.id, "knee_to_wall.distance_cm.right", 1, NULL);
  ok(cJSON_GetArraySize(h) == 1 &&
         cJSON_GetObjectItem(cJSON_GetArrayItem(h, 0), "value")->valuedouble ==
             9.5,
     "history: an assessment value by its key, n respected");
  cJSON_Delete(h);
  h = rb_store_history(st, ann.id, "no_such_key", 10, NULL);
  is_int(cJSON_GetArraySize(h), 0, "history: none is an empty list");
  cJSON_Delete(h);
  last = rb_store_last_session(st, ann.id, "ankle-wall-test", NULL);
  ok(last && strcmp(cJSON_GetObjectItem(last, "status")->valuestring,
                    "stopped") == 0,
     "last_session: the latest of that routine, with its status");
  cJSON_Delete(last);
  last = rb_store_last_session(st, ann.id, "other-routine", NULL);
  ok(last == NULL, "last_session: none of another routine");
  /* plans and parameters */
  ok(rb_store_patient_set(st, "Ann", "ankle-wall-test.days", "3", err,
                          sizeof err),
     "set: assign a routine 3 days a week");
  ok(rb_store_patient_set(st, "Ann", "ankle-wall-test.hold_s", "45", err,
                          sizeof err),
     "set: a parameter");
  ok(rb_store_patient_set(st, "Ann", "language", "de", err, sizeof err) &&
         rb_store_patient_set(st, "Ann", "pin", "1234", err, sizeof err),
     "set: language and PIN");
  ok(!rb_store_patient_set(st, "Ann", "ankle-wall-test.days", "9", err,
                           sizeof err) &&
         !rb_store_patient_set(st, "Ann", "pin", "12ab", err, sizeof err) &&
         !rb_store_patient_set(st, "Ann", "nodot", "1", err, sizeof err) &&
         !rb_store_patient_set(st, "Zed", "pin", "1", err, sizeof err),
     "set: bad days, PIN, key and patient refused (%s)", err);
  {
    rb_plan_item plan[4];
    char v[64] = "";
    int n = rb_store_plan(st, ann.id, plan, 4);
    ok(n == 1 && plan[0].days_per_week == 3, "plan: read back");
    ok(rb_store_param(st, ann.id, "ankle-wall-test", "hold_s", v, sizeof v) &&
           strcmp(v, "45") == 0,
       "param: read back");
    rb_store_patient_find(st, "Ann", &ann);
    is_str(ann.language, "de", "patient: language kept");
  }
  ok(rb_store_patient_remove(st, "Bob", err, sizeof err) &&
         rb_store_patients(st, NULL, 0) == 1,
     "remove: Bob is no longer listed");
  h = rb_store_history(st, bob.id, "pain_before", 10, NULL);
  is_int(cJSON_GetArraySize(h), 1, "remove: his sessions are kept");
  cJSON_Delete(h);
  ok(rb_store_patient_default(st, &ann) && strcmp(ann.name, "Ann") == 0,
     "patients: with one left, she is the default");
  rb_store_close(st);
  rm_rf(g_dir);
}

static void test_migration(void) {
  char err[256] = "", path[512];
  sqlite3 *db;
  rb_store *st;
  cJSON *h;
  rb_patient p;
  tmpdir();
  snprintf(path, sizeof path, "%s/rebalance.db", g_dir);
  sqlite3_open(path, &db);
  ok(sqlite3_exec(db, V1, NULL, NULL, NULL) == SQLITE_OK,
     "migration: a version 1 database");
  sqlite3_close(db);
  st = rb_store_open(g_dir, err, sizeof err);
  ok(st != NULL, "migration: opens (%s)", err);
  if (!st)
    return;
  is_int(scalar(path, "PRAGMA user_version"), RB_STORE_SCHEMA,
         "migration: brought to the current version");
  ok(rb_store_patient_find(st, "Ann", &p) && strcmp(p.language, "de") == 0,
     "migration: the patient kept");
  ok(strlen(p.uuid) == 36 && p.uuid[14] == '4',
     "migration: she gets a pseudonymous id for exports (%s)", p.uuid);
  h = rb_store_history(st, p.id, "pain_before", 5, NULL);
  ok(cJSON_GetArraySize(h) == 1, "migration: the old session's value kept");
  cJSON_Delete(h);
  ok(rb_store_patient_set(st, "Ann", "pin", "42", err, sizeof err),
     "migration: the new columns work");
  rb_store_close(st);
  /* a database from a newer rebalance is read, not written */
  sqlite3_open(path, &db);
  sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
  sqlite3_close(db);
  st = rb_store_open(g_dir, err, sizeof err);
  ok(st && strstr(rb_store_problem(st), "newer rebalance"),
     "newer schema: said (%s)", st ? rb_store_problem(st) : err);
  ok(st && !rb_store_patient_add(st, "Cy", NULL, err, sizeof err),
     "newer schema: nothing written");
  rb_store_close(st);
  rm_rf(g_dir);
}

static void test_unfinished(void) {
  char err[256] = "", path[512], uuid[37];
  rb_store *st;
  rb_patient p;
  rb_sink k;
  cJSON *f;
  tmpdir();
  snprintf(path, sizeof path, "%s/rebalance.db", g_dir);
  st = rb_store_open(g_dir, err, sizeof err);
  if (!st) {
    ok(0, "unfinished: open (%s)", err);
    return;
  }
  rb_store_patient_default(st, &p);
  k = rb_store_sink(st, p.id, uuid);
  f = cJSON_Parse("{\"routine\":\"r\",\"title\":\"R\"}");
  k.event(k.ud, 0, "start", f);
  k.event(k.ud, 10, "say", f);
  cJSON_Delete(f);
  rb_store_flush(st);
  rb_store_close(st);
  rb_store_sink_free(&k);
  is_int(scalar(path, "SELECT count(*) FROM sessions WHERE status='running'"),
         1, "unfinished: a session cut off stays running");
  /* this process is alive: its own session is not taken for dead */
  st = rb_store_open(g_dir, err, sizeof err);
  is_int(rb_store_unfinished_found(st), 0,
         "unfinished: not while its program runs");
  rb_store_close(st);
  {
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "UPDATE sessions SET pid = 2147483646", NULL, NULL, NULL);
    sqlite3_close(db);
  }
  st = rb_store_open(g_dir, err, sizeof err);
  is_int(rb_store_unfinished_found(st), 1,
         "unfinished: found at the next start when its program is gone");
  is_int(scalar(path, "SELECT count(*) FROM sessions WHERE "
                      "status='unfinished'"),
         1, "unfinished: so marked");
  is_int(scalar(path, "SELECT count(*) FROM events"), 2,
         "unfinished: its events kept");
  rb_store_close(st);
  rm_rf(g_dir);
}

/* Another program holds the database longer than the writer waits (5 s):
 * the batch is tried again, and the session is kept whole. */
static void *hold_lock(void *arg) {
  sqlite3 *db;
  sqlite3_open((const char *)arg, &db);
  sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sleep(6);
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(db);
  return NULL;
}

static void test_busy(void) {
  char err[256] = "", path[512], uuid[37];
  rb_store *st;
  rb_patient p;
  pthread_t t;
  tmpdir();
  snprintf(path, sizeof path, "%s/rebalance.db", g_dir);
  st = rb_store_open(g_dir, err, sizeof err);
  if (!st) {
    ok(0, "busy: open (%s)", err);
    return;
  }
  rb_store_patient_default(st, &p);
  pthread_create(&t, NULL, hold_lock, path);
  usleep(200 * 1000);
  one_session(st, p.id, 4, "completed", uuid);
  ok(!rb_store_flush_for(st, 100),
     "busy: the writer waits, the caller does not");
  pthread_join(t, NULL);
  rb_store_flush(st);
  is_int(scalar(path, "SELECT count(*) FROM sessions WHERE status='completed'"),
         1, "busy: the session is kept whole once the database is free");
  is_int(scalar(path, "SELECT count(*) FROM events"), 4, "busy: every event");
  is_int(scalar(path, "SELECT count(*) FROM results"), 3, "busy: every value");
  rb_store_close(st);
  rm_rf(g_dir);
}

static void test_damaged(void) {
  char err[256] = "", path[512];
  rb_store *st;
  FILE *f;
  tmpdir();
  snprintf(path, sizeof path, "%s/rebalance.db", g_dir);
  f = fopen(path, "w");
  fputs("this is not a database, but somebody's notes\n", f);
  for (int i = 0; i < 200; i++)
    fputs("garbage garbage garbage garbage garbage garbage\n", f);
  fclose(f);
  st = rb_store_open(g_dir, err, sizeof err);
  ok(st != NULL, "damaged: the coach still gets a store (%s)", err);
  ok(st && strstr(rb_store_problem(st), "damaged") &&
         strstr(rb_store_problem(st), ".damaged-"),
     "damaged: said, naming where the old file is kept (%s)",
     st ? rb_store_problem(st) : "");
  {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "grep -qs 'somebody' %s/rebalance.db.damaged-*",
             g_dir);
    ok(system(cmd) == 0, "damaged: the old file is kept, not overwritten");
  }
  ok(st && rb_store_patient_add(st, "Ann", NULL, err, sizeof err),
     "damaged: the new store works");
  rb_store_close(st);
  rm_rf(g_dir);
}

/* --- a full and a read-only disk, in a private mount namespace -------- */

static bool write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  bool okk;
  if (fd < 0)
    return false;
  okk = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
  close(fd);
  return okk;
}

/* In a child: its own mounts (as root, or in a user namespace). */
static bool private_mounts(void) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  char map[64];
  if (unshare(CLONE_NEWNS) != 0) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
      return false;
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
    if (!write_file("/proc/self/uid_map", map))
      return false;
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    if (!write_file("/proc/self/gid_map", map))
      return false;
  }
  return mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

enum {
  FULL_SAID = 1,
  FULL_KEPT = 2,
  FULL_INTACT = 4,
  RO_OPENED = 8,
  RO_SAID = 16,
  RO_READS = 32,
  RO_NO_WRITE = 64
};

static int small_disk_child(const char *dir) {
  char err[256] = "", uuid[37];
  rb_store *st;
  rb_patient p;
  int got = 0;
  signal(SIGXFSZ, SIG_IGN);
  if (mount("tmpfs", dir, "tmpfs", 0, "size=160k") != 0)
    return 200;
  st = rb_store_open(dir, err, sizeof err);
  if (!st)
    return 201;
  rb_store_patient_default(st, &p);
  one_session(st, p.id, 5, "completed", uuid);
  rb_store_flush(st);
  /* fill the disk with sessions until it says so */
  for (int i = 0; i < 400 && !rb_store_problem(st)[0]; i++) {
    rb_sink k = rb_store_sink(st, p.id, uuid);
    cJSON *f = cJSON_CreateObject();
    char pad[2000];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    cJSON_AddStringToObject(f, "routine", "r");
    cJSON_AddStringToObject(f, "title", pad);
    k.event(k.ud, 0, "start", f);
    cJSON_Delete(f);
    k.ended(k.ud, &(rb_session_end){.status = RB_END_COMPLETED,
                                    .reason = "",
                                    .error = "",
                                    .pain_at_stop = -1});
    rb_store_flush_for(st, 2000); /* a failing batch is tried again */
  }
  if (strstr(rb_store_problem(st), "full"))
    got |= FULL_SAID;
  {
    cJSON *h = rb_store_history(st, p.id, "pain_before", 10, NULL);
    if (cJSON_GetArraySize(h) == 1)
      got |= FULL_KEPT;
    cJSON_Delete(h);
  }
  rb_store_close(st);
  {
    char path[512];
    sqlite3 *db;
    sqlite3_stmt *q;
    snprintf(path, sizeof path, "%s/rebalance.db", dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) ==
            SQLITE_OK) {
      if (sqlite3_step(q) == SQLITE_ROW &&
          strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0)
        got |= FULL_INTACT;
      sqlite3_finalize(q);
    }
    sqlite3_close(db);
  }
  /* the same disk read-only */
  if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, "size=160k") != 0)
    return got | 128;
  st = rb_store_open(dir, err, sizeof err);
  if (st) {
    cJSON *h = rb_store_history(st, p.id, "pain_before", 10, NULL);
    got |= RO_OPENED;
    if (strstr(rb_store_problem(st), "cannot be written"))
      got |= RO_SAID;
    if (cJSON_GetArraySize(h) == 1)
      got |= RO_READS;
    cJSON_Delete(h);
    if (!rb_store_patient_add(st, "Zoe", NULL, err, sizeof err))
      got |= RO_NO_WRITE;
    rb_store_close(st);
  }
  return got;
}

static void test_small_disk(void) {
  pid_t pid;
  int status = 0, got;
  tmpdir();
  pid = fork();
  if (pid == 0)
    _exit(private_mounts() ? small_disk_child(g_dir) : 255);
  waitpid(pid, &status, 0);
  got = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (got == 255) {
    printf("ok %d # skip no private mount namespace here (needs root or "
           "user namespaces)\n",
           ++tap_n);
    rm_rf(g_dir);
    return;
  }
  ok(got >= 0 && got < 200, "small disk: no crash (exit %d, signal %d)", got,
     WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  if (got < 0 || got >= 200)
    got = 0;
  ok(got & FULL_SAID, "full disk: said in plain words");
  ok(got & FULL_KEPT, "full disk: what was kept before is still there");
  ok(got & FULL_INTACT, "full disk: integrity_check is ok");
  ok(got & RO_OPENED, "read-only disk: the store opens to be read");
  ok(got & RO_SAID, "read-only disk: said in plain words");
  ok(got & RO_READS, "read-only disk: history still reads");
  ok(got & RO_NO_WRITE, "read-only disk: nothing is written");
  rm_rf(g_dir);
}

/* A home kiosk has made "default" on first use; the therapist then adds
 * the patient by name: the unused default becomes them (no "default or
 * Ann?" question). Once default has a session it stays. Renames. */
static void test_names(void) {
  char err[256] = "";
  rb_store *st;
  rb_patient p, one[4];
  bool renamed = false;
  char uuid[37];
  tmpdir();
  st = rb_store_open(g_dir, err, sizeof err);
  if (!st) {
    ok(0, "names: open (%s)", err);
    return;
  }
  rb_store_set_clock(st, fake_now, NULL);
  ok(rb_store_patient_default(st, &p), "names: default made on first use");
  ok(rb_store_patient_add(st, "Ann", &renamed, err, sizeof err) && renamed,
     "names: the first named patient takes over the unused default");
  is_int(rb_store_patients(st, one, 4), 1, "names: still one patient");
  is_str(one[0].name, "Ann", "names: called Ann");
  ok(rb_store_patient_add(st, "Bob", &renamed, err, sizeof err) && !renamed,
     "names: the second is added beside");
  ok(rb_store_patient_set(st, "Bob", "name", "Robert", err, sizeof err) &&
         rb_store_patient_find(st, "Robert", &p) &&
         !rb_store_patient_find(st, "Bob", NULL),
     "names: set NAME name=NEW renames");
  ok(!rb_store_patient_set(st, "Robert", "name", "Ann", err, sizeof err) &&
         strstr(err, "taken"),
     "names: not to a name in use (%s)", err);
  ok(rb_store_patient_remove(st, "Ann", err, sizeof err) &&
         !rb_store_patient_set(st, "Robert", "name", "Ann", err, sizeof err),
     "names: nor to a removed patient's name (%s)", err);
  ok(!rb_store_patient_set(st, "Robert", "name", "", err, sizeof err) &&
         !rb_store_patient_set(st, "Robert", "name", "a\tb", err, sizeof err),
     "names: empty and control characters refused");
  ok(rb_store_patient_set(st, "Robert", "knee-routine.hold.s", "30", err,
                          sizeof err) &&
         rb_store_param(st, p.id, "knee-routine", "hold.s", err, sizeof err) &&
         strcmp(err, "30") == 0,
     "names: a parameter name may hold dots (the routine ends at the first)");
  rb_store_close(st);
  rm_rf(g_dir);

  /* a default with a session stays beside the new patient */
  tmpdir();
  st = rb_store_open(g_dir, err, sizeof err);
  if (!st) {
    ok(0, "names: open (%s)", err);
    return;
  }
  rb_store_set_clock(st, fake_now, NULL);
  rb_store_patient_default(st, &p);
  one_session(st, p.id, 1, "completed", uuid);
  rb_store_flush(st);
  ok(rb_store_patient_add(st, "Ann", &renamed, err, sizeof err) && !renamed &&
         rb_store_patients(st, one, 4) == 2,
     "names: a default that has exercised is kept");
  rb_store_close(st);
  rm_rf(g_dir);
}

int main(void) {
  test_fresh();
  test_history();
  test_names();
  test_migration();
  test_unfinished();
  test_damaged();
  test_busy();
  test_small_disk();
  return tap_done();
}
