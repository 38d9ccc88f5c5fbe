#include "store.h"

#include "log.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- the schema, as the steps from each version to the next ------------ */

static const char *const MIGRATIONS[RB_STORE_SCHEMA] = {
    /* 0 -> 1: patients, their sessions, every event, the values kept */
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
    "CREATE INDEX results_key ON results(key);",
    /* 1 -> 2: PINs, removed patients, labels and units, plans, params */
    "ALTER TABLE patients ADD COLUMN pin TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE patients ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE results ADD COLUMN label TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE results ADD COLUMN unit TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE plans(patient_id INTEGER NOT NULL REFERENCES patients(id),"
    " routine TEXT NOT NULL, days_per_week INTEGER NOT NULL,"
    " PRIMARY KEY(patient_id, routine));"
    "CREATE TABLE params(patient_id INTEGER NOT NULL REFERENCES patients(id),"
    " routine TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(patient_id, routine, name));",
    /* 2 -> 3: pseudonymous patient ids (for exports), and the start time
     * of the process keeping a session (a cut-off session is told from
     * one still running even when its pid comes round again). Added only
     * where missing: early builds of 2 already had the first. */
    "+patients.uuid TEXT NOT NULL DEFAULT '';"
    "+sessions.pstart INTEGER NOT NULL DEFAULT 0",
};

/* "+TABLE.COLUMN DECL;..." steps: each column added unless there. */
static int add_columns(sqlite3 *db, const char *steps) {
  char buf[512];
  int rc = SQLITE_OK;
  snprintf(buf, sizeof buf, "%s", steps);
  for (char *save = NULL, *one = strtok_r(buf, ";", &save);
       one && rc == SQLITE_OK; one = strtok_r(NULL, ";", &save)) {
    char table[64], column[64], sql[640];
    const char *decl;
    sqlite3_stmt *q;
    bool there = false;
    if (sscanf(one, "+%63[^.].%63s", table, column) != 2)
      return SQLITE_ERROR;
    decl = strchr(one, ' ');
    snprintf(sql, sizeof sql,
             "SELECT 1 FROM pragma_table_info('%s') WHERE "
             "name='%s'",
             table, column);
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL)) != SQLITE_OK)
      return rc;
    there = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (there)
      continue;
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s%s", table, column,
             decl ? decl : "");
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  }
  return rc;
}

/* --- the store ----------------------------------------------------------- */

/* One session being kept. seq is the main thread's; row the writer's. */
typedef struct {
  rb_store *st;
  long long patient;
  char uuid[37];
  int seq;
  long long row; /* 0 until its start is written (or when that failed) */
  bool lost;     /* a batch of it could not be written: keep no more */
} kept;

typedef enum { JOB_EVENT, JOB_END } job_kind;

typedef struct job {
  struct job *next;
  job_kind kind;
  kept *k;
  int seq;
  long long t;
  char *event, *data; /* JOB_EVENT: the name and its fields as JSON */
  time_t when;
  /* JOB_END */
  char status[16], reason[32];
  char *error;
  double duration_s;
  int pain_at_stop;
} job;

struct rb_store {
  char path[PATH_MAX];
  sqlite3 *db;  /* the main thread's: reads, patients */
  sqlite3 *wdb; /* the writer's */
  bool writable;
  int unfinished;
  char boot[40];
  long long pstart; /* this process's start time */
  time_t (*now)(void *ud);
  void *now_ud;

  pthread_t writer;
  bool writer_running;
  pthread_mutex_t lock;
  pthread_cond_t work, idle;
  job *head, *tail;
  int queued; /* jobs given and not yet done */
  bool stopping;
  char notice[512];  /* under lock: stays */
  char problem[512]; /* under lock: goes when writing works again */
  char shown[1030];  /* the main thread's copy of both */
  /* the writer's own timing, for rebalance bench (under lock) */
  long batches, events;
  double commit_ms, commit_ms_max;
};

static time_t now_of(const rb_store *st) {
  return st->now ? st->now(st->now_ud) : time(NULL);
}

void rb_store_set_clock(rb_store *st, time_t (*now)(void *ud), void *ud) {
  if (!st)
    return;
  st->now = now;
  st->now_ud = ud;
}

/* What is wrong, said once to the log: a notice (the database was set
 * aside, is read-only, is newer) stays until the program ends; a write
 * problem (a full disk) goes when writing works again. */
static void say(rb_store *st, bool sticky, const char *fmt, const char *a,
                const char *b) {
  char msg[512];
  bool news;
  snprintf(msg, sizeof msg, fmt, a, b);
  pthread_mutex_lock(&st->lock);
  {
    char *to = sticky ? st->notice : st->problem;
    news = strcmp(to, msg) != 0;
    if (news)
      snprintf(to, 512, "%s", msg);
  }
  pthread_mutex_unlock(&st->lock);
  if (news)
    rb_log_error("results store %s: %s", st->path, msg);
}

static void set_problem(rb_store *st, const char *fmt, const char *a,
                        const char *b) {
  say(st, true, fmt, a, b);
}

const char *rb_store_problem(rb_store *st) {
  static const char none[] = "";
  if (!st)
    return none;
  /* a copy for the main thread: the writer may change its own */
  pthread_mutex_lock(&st->lock);
  snprintf(st->shown, sizeof st->shown, "%s%s%s", st->notice,
           st->notice[0] && st->problem[0] ? "; " : "", st->problem);
  pthread_mutex_unlock(&st->lock);
  return st->shown;
}

const char *rb_store_path(const rb_store *st) { return st ? st->path : ""; }
int rb_store_unfinished_found(const rb_store *st) {
  return st ? st->unfinished : 0;
}

/* A plain word for what SQLite said, for a clinic. */
static const char *why(int rc) {
  switch (rc & 0xff) {
  case SQLITE_FULL:
    return "the disk is full: new results are not kept until there is room";
  case SQLITE_READONLY:
  case SQLITE_PERM:
  case SQLITE_CANTOPEN:
    return "it cannot be written (a read-only disk or folder?): new results "
           "are not kept";
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return "the database is damaged";
  case SQLITE_IOERR:
    return "the disk failed to write: new results may not be kept";
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return "another program holds it: new results are not kept for now";
  default:
    return "it failed";
  }
}

static int exec(sqlite3 *db, const char *sql) {
  return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int user_version(sqlite3 *db, int *v) {
  sqlite3_stmt *q;
  int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *v = sqlite3_column_int(q, 0);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(q);
  return rc;
}

/* Brings the schema from its version to RB_STORE_SCHEMA, a step a
 * transaction. */
static int migrate(rb_store *st, sqlite3 *db) {
  int v = 0, rc = user_version(db, &v), was;
  if (rc != SQLITE_OK)
    return rc;
  if (v > RB_STORE_SCHEMA) {
    char mine[16], theirs[16];
    snprintf(mine, sizeof mine, "%d", RB_STORE_SCHEMA);
    snprintf(theirs, sizeof theirs, "%d", v);
    set_problem(st,
                "it was made by a newer rebalance (schema %s; this one knows "
                "%s): it is read, and new results are not kept",
                theirs, mine);
    st->writable = false;
    return SQLITE_OK;
  }
  was = v;
  for (; v < RB_STORE_SCHEMA; v++) {
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
    rc = exec(db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK)
      rc = MIGRATIONS[v][0] == '+' ? add_columns(db, MIGRATIONS[v])
                                   : exec(db, MIGRATIONS[v]);
    if (rc == SQLITE_OK)
      rc = exec(db, bump);
    if (rc == SQLITE_OK)
      rc = exec(db, "COMMIT");
    if (rc != SQLITE_OK) {
      exec(db, "ROLLBACK");
      return rc;
    }
    if (was > 0)
      rb_log_info("results store %s: schema %d -> %d", st->path, v, v + 1);
  }
  return SQLITE_OK;
}

static void read_boot_id(char *out, size_t n) {
  FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
  out[0] = '\0';
  if (f) {
    if (fgets(out, (int)n, f))
      out[strcspn(out, "\n")] = '\0';
    fclose(f);
  }
}

/* When process pid started (clock ticks since boot, /proc/PID/stat field
 * 22); 0 when it cannot be told. */
static long long start_time(long long pid) {
  char path[64], buf[1024], *p;
  FILE *f;
  size_t got;
  long long t = 0;
  snprintf(path, sizeof path, "/proc/%lld/stat", pid);
  f = fopen(path, "r");
  if (!f)
    return 0;
  got = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[got] = '\0';
  /* after the name in parentheses (which may hold spaces): field 3 on */
  p = strrchr(buf, ')');
  if (!p)
    return 0;
  p++;
  for (int field = 3; field < 22 && p; field++) {
    p = strchr(p + 1, ' ');
  }
  if (p)
    t = strtoll(p + 1, NULL, 10);
  return t;
}

/* Is the program that keeps a session (pid, started at pstart, this
 * boot) still running? A pid that came round again (a restart in a
 * container, a reboot without a boot id) has another start time. */
static bool still_running(long long pid, long long pstart, const char *boot,
                          const char *now) {
  char path[64], cmd[256] = "";
  FILE *f;
  size_t got;
  if (pid <= 0 || !boot[0] || strcmp(boot, now) != 0)
    return false;
  if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
    return false;
  if (pstart)
    return start_time(pid) == pstart;
  snprintf(path, sizeof path, "/proc/%lld/cmdline", pid);
  f = fopen(path, "r");
  if (!f)
    return false;
  got = fread(cmd, 1, sizeof cmd - 1, f);
  fclose(f);
  cmd[got] = '\0';
  return strstr(cmd, "rebalance") != NULL;
}

/* Sessions left "running" by a program that is gone: unfinished. */
static void mark_unfinished(rb_store *st) {
  sqlite3_stmt *q, *u;
  if (sqlite3_prepare_v2(
          st->db,
          "SELECT id, pid, boot, pstart FROM sessions WHERE status='running'",
          -1, &q, NULL) != SQLITE_OK)
    return;
  if (sqlite3_prepare_v2(st->db,
                         "UPDATE sessions SET status='unfinished' WHERE id=?",
                         -1, &u, NULL) != SQLITE_OK) {
    sqlite3_finalize(q);
    return;
  }
  exec(st->db, "BEGIN IMMEDIATE");
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *boot = (const char *)sqlite3_column_text(q, 2);
    if (still_running(sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 3),
                      boot ? boot : "", st->boot))
      continue;
    sqlite3_bind_int64(u, 1, sqlite3_column_int64(q, 0));
    if (sqlite3_step(u) == SQLITE_DONE)
      st->unfinished++;
    sqlite3_reset(u);
  }
  sqlite3_finalize(q);
  sqlite3_finalize(u);
  if (exec(st->db, "COMMIT") != SQLITE_OK)
    exec(st->db, "ROLLBACK");
  if (st->unfinished)
    rb_log_warn("results store %s: %d session%s cut off (power, crash) "
                "marked unfinished",
                st->path, st->unfinished, st->unfinished == 1 ? "" : "s");
}

static int connect(const char *path, bool write, sqlite3 **out) {
  int rc = sqlite3_open_v2(path, out,
                           write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                 : SQLITE_OPEN_READONLY,
                           NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_busy_timeout(*out, 5000);
  sqlite3_extended_result_codes(*out, 0);
  if (write) {
    char *mode = NULL;
    sqlite3_stmt *q;
    /* WAL: readers never wait for the writer, a cut-off write is undone */
    if (sqlite3_prepare_v2(*out, "PRAGMA journal_mode=WAL", -1, &q, NULL) ==
        SQLITE_OK) {
      rc = sqlite3_step(q);
      if (rc == SQLITE_ROW)
        mode = (char *)sqlite3_column_text(q, 0);
      rc = rc == SQLITE_ROW && mode ? SQLITE_OK : sqlite3_errcode(*out);
      sqlite3_finalize(q);
    }
    if (rc == SQLITE_OK)
      rc = exec(*out, "PRAGMA synchronous=FULL");
  }
  /* a quick look that it is a database at all */
  if (rc == SQLITE_OK)
    rc = exec(*out, "SELECT count(*) FROM sqlite_master");
  return rc;
}

/* Sets a damaged database aside (never deleted) for a new one. */
static bool set_aside(rb_store *st) {
  char aside[PATH_MAX + 64], stamp[32];
  time_t t = now_of(st);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  snprintf(aside, sizeof aside, "%s.damaged-%s", st->path, stamp);
  if (rename(st->path, aside) != 0)
    return false;
  for (int i = 0; i < 2; i++) {
    char from[PATH_MAX + 8], to[PATH_MAX + 72];
    snprintf(from, sizeof from, "%s%s", st->path, i ? "-shm" : "-wal");
    snprintf(to, sizeof to, "%s%s", aside, i ? "-shm" : "-wal");
    if (rename(from, to) != 0 && errno != ENOENT)
      rb_log_warn("results store: cannot move %s aside: %s", from,
                  strerror(errno));
  }
  set_problem(st,
              "the database was damaged: it is kept as %s and a new one "
              "was started%s",
              aside, "");
  return true;
}

static bool make_dirs(const char *dir) {
  char buf[PATH_MAX];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof buf)
    return false;
  memcpy(buf, dir, n + 1);
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      if (mkdir(buf, 0750) != 0 && errno != EEXIST)
        return false;
      *p = '/';
    }
  return mkdir(buf, 0750) == 0 || errno == EEXIST;
}

static void make_uuid(char out[37]);

/* Every patient gets a pseudonymous id for exports (one made before ids
 * existed gets it now). */
static void fill_ids(rb_store *st) {
  sqlite3_stmt *q, *u;
  if (sqlite3_prepare_v2(st->db, "SELECT id FROM patients WHERE uuid=''", -1,
                         &q, NULL) != SQLITE_OK)
    return;
  if (sqlite3_prepare_v2(st->db, "UPDATE patients SET uuid=? WHERE id=?", -1,
                         &u, NULL) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      char id[37];
      make_uuid(id);
      sqlite3_bind_text(u, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(u, 2, sqlite3_column_int64(q, 0));
      sqlite3_step(u);
      sqlite3_reset(u);
    }
    sqlite3_finalize(u);
  }
  sqlite3_finalize(q);
}

static void *writer_main(void *arg);

rb_store *rb_store_open(const char *dir, char *err, size_t errlen) {
  rb_store *st = calloc(1, sizeof *st);
  int rc;
  if (!st) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&st->lock, NULL);
  pthread_cond_init(&st->work, NULL);
  pthread_cond_init(&st->idle, NULL);
  read_boot_id(st->boot, sizeof st->boot);
  st->pstart = start_time((long long)getpid());
  if (snprintf(st->path, sizeof st->path, "%s/%s", dir, RB_STORE_FILE) >=
      (int)sizeof st->path) {
    snprintf(err, errlen, "%s: the path is too long", dir);
    goto fail;
  }
  if (!make_dirs(dir) && access(st->path, R_OK) != 0) {
    snprintf(err, errlen, "%s: cannot make the folder: %s", dir,
             strerror(errno));
    goto fail;
  }
  st->writable = true;
  rc = connect(st->path, true, &st->db);
  if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
    sqlite3_close(st->db);
    st->db = NULL;
    if (set_aside(st))
      rc = connect(st->path, true, &st->db);
  }
  if (rc != SQLITE_OK) {
    /* perhaps it can still be read (a read-only disk) */
    sqlite3_close(st->db);
    st->db = NULL;
    set_problem(st, "%s", why(rc), "");
    st->writable = false;
    if (connect(st->path, false, &st->db) != SQLITE_OK) {
      snprintf(err, errlen, "%s: %s", st->path, why(rc));
      goto fail;
    }
  }
  if (st->writable && sqlite3_db_readonly(st->db, "main") == 1) {
    /* the file or its disk cannot be written: SQLite opened it to read */
    set_problem(st, "%s", why(SQLITE_READONLY), "");
    st->writable = false;
  }
  if (st->writable) {
    rc = migrate(st, st->db);
    if (rc != SQLITE_OK) {
      set_problem(st, "%s", why(rc), "");
      st->writable = false;
    }
  }
  if (st->writable) {
    mark_unfinished(st);
    fill_ids(st);
  }
  if (st->writable && connect(st->path, true, &st->wdb) == SQLITE_OK &&
      pthread_create(&st->writer, NULL, writer_main, st) == 0)
    st->writer_running = true;
  else
    st->writable = false;
  return st;
fail:
  rb_store_close(st);
  return NULL;
}

void rb_store_close(rb_store *st) {
  if (!st)
    return;
  if (st->writer_running) {
    pthread_mutex_lock(&st->lock);
    st->stopping = true;
    pthread_cond_signal(&st->work);
    pthread_mutex_unlock(&st->lock);
    pthread_join(st->writer, NULL);
  }
  sqlite3_close(st->wdb);
  sqlite3_close(st->db);
  pthread_cond_destroy(&st->work);
  pthread_cond_destroy(&st->idle);
  pthread_mutex_destroy(&st->lock);
  free(st);
}

bool rb_store_flush_for(rb_store *st, int ms) {
  struct timespec until;
  bool done;
  if (!st || !st->writer_running)
    return true;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&st->lock);
  while (st->queued > 0 &&
         pthread_cond_timedwait(&st->idle, &st->lock, &until) == 0)
    ;
  done = st->queued == 0;
  pthread_mutex_unlock(&st->lock);
  return done;
}

void rb_store_flush(rb_store *st) {
  if (!st || !st->writer_running)
    return;
  pthread_mutex_lock(&st->lock);
  while (st->queued > 0)
    pthread_cond_wait(&st->idle, &st->lock);
  pthread_mutex_unlock(&st->lock);
}

/* --- the writer ---------------------------------------------------------- */

static void job_free(job *j) {
  free(j->event);
  free(j->data);
  free(j->error);
  free(j);
}

static int put_result(sqlite3 *db, long long session, int seq, const char *key,
                      const cJSON *value, const char *label, const char *unit) {
  sqlite3_stmt *q;
  char *text = cJSON_PrintUnformatted(value);
  int rc;
  if (!text)
    return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db,
                          "INSERT OR REPLACE INTO results(session_id, seq, "
                          "key, value, label, unit) VALUES(?,?,?,?,?,?)",
                          -1, &q, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(q, 1, session);
    sqlite3_bind_int(q, 2, seq);
    sqlite3_bind_text(q, 3, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, label ? label : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, unit ? unit : "", -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    sqlite3_finalize(q);
  }
  cJSON_free(text);
  return rc;
}

static const char *str_of(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : "";
}

/* The values an event keeps: record's one, an assessment's each as
 * ID.FIELD.SIDE. */
static int keep_values(sqlite3 *db, const job *j, const cJSON *f) {
  int rc = SQLITE_OK;
  if (strcmp(j->event, "record") == 0) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, "value");
    if (v)
      rc = put_result(db, j->k->row, j->seq, str_of(f, "key"), v,
                      str_of(f, "label"), str_of(f, "unit"));
  } else if (strcmp(j->event, "assess") == 0) {
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "result");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(res, "values");
    const char *id = str_of(f, "id");
    const cJSON *v;
    cJSON_ArrayForEach(v, vals) {
      char key[256];
      if (!v->string)
        continue;
      snprintf(key, sizeof key, "%s.%s", id, v->string);
      rc = put_result(db, j->k->row, j->seq, key, v, "", "");
      if (rc != SQLITE_OK)
        break;
    }
  }
  return rc;
}

static int write_start(rb_store *st, sqlite3 *db, job *j, const cJSON *f) {
  sqlite3_stmt *q;
  int rc = sqlite3_prepare_v2(
      db,
      "INSERT INTO sessions(uuid, patient_id, routine, title, started, "
      "status, pid, boot, pstart) VALUES(?,?,?,?,?,'running',?,?,?)",
      -1, &q, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text(q, 1, j->k->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, j->k->patient);
  sqlite3_bind_text(q, 3, str_of(f, "routine"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 4, str_of(f, "title"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(q, 5, (long long)j->when);
  sqlite3_bind_int64(q, 6, (long long)getpid());
  sqlite3_bind_text(q, 7, st->boot, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 8, st->pstart);
  rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
  sqlite3_finalize(q);
  if (rc == SQLITE_OK)
    j->k->row = sqlite3_last_insert_rowid(db);
  return rc;
}

static int write_event(rb_store *st, sqlite3 *db, job *j) {
  cJSON *f;
  sqlite3_stmt *q;
  int rc = SQLITE_OK;
  if (j->k->lost)
    return SQLITE_OK; /* never a gap: what came after is not kept */
  f = cJSON_Parse(j->data);
  if (strcmp(j->event, "start") == 0 && j->k->row == 0)
    rc = write_start(st, db, j, f);
  if (rc == SQLITE_OK && j->k->row == 0)
    goto done; /* its session could not be kept: nothing to hang it on */
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db,
                            "INSERT OR REPLACE INTO events(session_id, seq, t, "
                            "event, data) VALUES(?,?,?,?,?)",
                            -1, &q, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(q, 1, j->k->row);
    sqlite3_bind_int(q, 2, j->seq);
    sqlite3_bind_int64(q, 3, j->t);
    sqlite3_bind_text(q, 4, j->event, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, j->data, -1, SQLITE_STATIC);
    rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    sqlite3_finalize(q);
  }
  if (rc == SQLITE_OK && f)
    rc = keep_values(db, j, f);
done:
  cJSON_Delete(f);
  return rc;
}

static int write_end(sqlite3 *db, job *j) {
  sqlite3_stmt *q;
  int rc;
  if (j->k->row == 0 || j->k->lost)
    return SQLITE_OK; /* left running: found unfinished at the next open */
  rc = sqlite3_prepare_v2(db,
                          "UPDATE sessions SET status=?, reason=?, error=?, "
                          "duration_s=?, ended=? WHERE id=?",
                          -1, &q, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_text(q, 1, j->status, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, j->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, j->error ? j->error : "", -1, SQLITE_STATIC);
  sqlite3_bind_double(q, 4, j->duration_s);
  sqlite3_bind_int64(q, 5, (long long)j->when);
  sqlite3_bind_int64(q, 6, j->k->row);
  rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
  sqlite3_finalize(q);
  if (rc == SQLITE_OK && j->pain_at_stop >= 0) {
    cJSON *n = cJSON_CreateNumber(j->pain_at_stop);
    rc = n ? put_result(db, j->k->row, j->k->seq, "pain_at_stop", n,
                        "Pain at stop", "")
           : SQLITE_NOMEM;
    cJSON_Delete(n);
  }
  return rc;
}

/* Writes a batch as one transaction; on failure none of it is kept, and
 * sessions started in it are started again when it is tried again. */
static int write_batch(rb_store *st, job *list) {
  int rc = exec(st->wdb, "BEGIN IMMEDIATE");
  for (job *j = list; j && rc == SQLITE_OK; j = j->next)
    rc = j->kind == JOB_EVENT ? write_event(st, st->wdb, j)
                              : write_end(st->wdb, j);
  if (rc == SQLITE_OK)
    rc = exec(st->wdb, "COMMIT");
  if (rc != SQLITE_OK) {
    exec(st->wdb, "ROLLBACK");
    say(st, false, "%s%s", why(rc), "");
    for (job *j = list; j; j = j->next)
      if (j->kind == JOB_EVENT && strcmp(j->event, "start") == 0)
        j->k->row = 0;
  } else {
    bool was;
    pthread_mutex_lock(&st->lock);
    was = st->problem[0] != '\0';
    st->problem[0] = '\0';
    pthread_mutex_unlock(&st->lock);
    if (was) /* it works again (room was made): say so once */
      rb_log_info("results store %s: writing again", st->path);
  }
  return rc;
}

/* Tries a batch until it is written, waiting longer each time (a busy or
 * full disk may clear); at close, or after about a minute, gives up: the
 * sessions in it keep nothing more (their events stay a gap-free start,
 * and the next open finds them unfinished). */
static void write_or_give_up(rb_store *st, job *list) {
  int wait_ms = 250, rc = SQLITE_OK;
  for (int attempt = 0;; attempt++) {
    bool stopping;
    struct timespec until;
    if ((rc = write_batch(st, list)) == SQLITE_OK)
      return;
    pthread_mutex_lock(&st->lock);
    stopping = st->stopping;
    pthread_mutex_unlock(&st->lock);
    if (attempt >= (stopping ? 1 : 8))
      break;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&st->lock);
    if (!st->stopping)
      pthread_cond_timedwait(&st->work, &st->lock, &until);
    pthread_mutex_unlock(&st->lock);
    if (wait_ms < 8000)
      wait_ms *= 2;
  }
  for (job *j = list; j; j = j->next)
    j->k->lost = true;
  say(st, false, "%s; some results of the session under way were not kept",
      why(rc), "");
}

static void *writer_main(void *arg) {
  rb_store *st = arg;
  for (;;) {
    job *list;
    int n = 0;
    pthread_mutex_lock(&st->lock);
    while (!st->head && !st->stopping)
      pthread_cond_wait(&st->work, &st->lock);
    list = st->head;
    st->head = st->tail = NULL;
    pthread_mutex_unlock(&st->lock);
    if (!list)
      break; /* stopping, and all is written */
    {
      struct timespec a, b;
      double ms;
      clock_gettime(CLOCK_MONOTONIC, &a);
      write_or_give_up(st, list);
      clock_gettime(CLOCK_MONOTONIC, &b);
      ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
           (double)(b.tv_nsec - a.tv_nsec) / 1e6;
      pthread_mutex_lock(&st->lock);
      st->batches++;
      st->commit_ms += ms;
      if (ms > st->commit_ms_max)
        st->commit_ms_max = ms;
      pthread_mutex_unlock(&st->lock);
    }
    while (list) {
      job *next = list->next;
      if (list->kind == JOB_END)
        free(list->k);
      job_free(list);
      list = next;
      n++;
    }
    pthread_mutex_lock(&st->lock);
    st->events += n;
    st->queued -= n;
    if (st->queued == 0)
      pthread_cond_broadcast(&st->idle);
    pthread_mutex_unlock(&st->lock);
  }
  return NULL;
}

static void enqueue(rb_store *st, job *j) {
  pthread_mutex_lock(&st->lock);
  if (st->tail)
    st->tail->next = j;
  else
    st->head = j;
  st->tail = j;
  st->queued++;
  pthread_cond_signal(&st->work);
  pthread_mutex_unlock(&st->lock);
}

/* --- the sink ------------------------------------------------------------ */

static void sink_event(void *ud, rb_ms t, const char *event,
                       const cJSON *fields) {
  kept *k = ud;
  job *j;
  if (!k->st->writer_running)
    return;
  j = calloc(1, sizeof *j);
  if (!j)
    return;
  j->kind = JOB_EVENT;
  j->k = k;
  j->seq = k->seq++;
  j->t = t;
  j->when = now_of(k->st);
  j->event = strdup(event);
  j->data = fields ? cJSON_PrintUnformatted(fields) : strdup("{}");
  if (!j->event || !j->data) {
    job_free(j);
    return;
  }
  enqueue(k->st, j);
}

static void sink_ended(void *ud, const rb_session_end *end) {
  kept *k = ud;
  job *j = k->st->writer_running ? calloc(1, sizeof *j) : NULL;
  if (!j) {
    /* nothing will free it on the writer: the session is over */
    if (!k->st->writer_running)
      free(k);
    return;
  }
  j->kind = JOB_END;
  j->k = k;
  j->when = now_of(k->st);
  snprintf(j->status, sizeof j->status, "%s", rb_end_status_name(end->status));
  snprintf(j->reason, sizeof j->reason, "%s", end->reason ? end->reason : "");
  j->error = strdup(end->error ? end->error : "");
  j->duration_s = end->duration_s;
  j->pain_at_stop = end->pain_at_stop;
  enqueue(k->st, j);
}

/* A random (version 4) UUID. */
static void make_uuid(char out[37]) {
  unsigned char b[16];
  if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
    for (size_t i = 0; i < sizeof b; i++)
      b[i] = (unsigned char)rand();
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  snprintf(out, 37,
           "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x"
           "%02x",
           b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
           b[11], b[12], b[13], b[14], b[15]);
}

rb_sink rb_store_sink(rb_store *st, long long patient, char uuid[37]) {
  kept *k = st ? calloc(1, sizeof *k) : NULL;
  uuid[0] = '\0';
  if (!k)
    return (rb_sink){0};
  k->st = st;
  k->patient = patient;
  make_uuid(k->uuid);
  memcpy(uuid, k->uuid, 37);
  return (rb_sink){.ud = k, .event = sink_event, .ended = sink_ended};
}

void rb_store_sink_free(rb_sink *sink) {
  if (sink && sink->event == sink_event) {
    free(sink->ud);
    *sink = (rb_sink){0};
  }
}

/* --- for store_read.c: the main thread's connection ------------------- */

sqlite3 *rb_store_db(rb_store *st) { return st ? st->db : NULL; }
bool rb_store_writable(const rb_store *st) { return st && st->writable; }
time_t rb_store_now(const rb_store *st) { return now_of(st); }
void rb_store_report(rb_store *st, int rc) {
  say(st, false, "%s%s", why(rc), "");
}

void rb_store_new_uuid(char out[37]) { make_uuid(out); }

void rb_store_stats(rb_store *st, rb_store_timing *out) {
  memset(out, 0, sizeof *out);
  if (!st)
    return;
  pthread_mutex_lock(&st->lock);
  out->batches = st->batches;
  out->events = st->events;
  out->commit_ms = st->commit_ms;
  out->commit_ms_max = st->commit_ms_max;
  pthread_mutex_unlock(&st->lock);
}
