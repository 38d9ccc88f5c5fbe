/* store: the results store. One SQLite database, DIR/rebalance.db (WAL,
 * synchronous=FULL), made on first use with its schema version and
 * migrated forward when an older one is opened.
 *
 * A session reports to the store as a sink (rb_store_sink): every event
 * is kept as it happens, by a writer thread, so a slow SD card never
 * holds up a countdown. A session cut off by a power loss, kill -9 or a
 * crash stays "running" in the database; the next open marks it
 * "unfinished". Nothing is ever half-written: each batch of events is one
 * transaction.
 *
 * A store that cannot be written (a read-only or full disk) or read (a
 * damaged file) says so once, in plain words, through rb_store_problem
 * and the log; the coach goes on without it. A damaged database is kept
 * beside a new one, never overwritten. */
#ifndef RB_STORE_H
#define RB_STORE_H

#include "lookup.h"
#include "sink.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define RB_STORE_FILE "rebalance.db"
#define RB_STORE_NAME_MAX 64
#define RB_STORE_LANG_MAX 16
#define RB_STORE_PIN_MAX 16
/* The schema this program writes (PRAGMA user_version). */
#define RB_STORE_SCHEMA 3

typedef struct rb_store rb_store;

/* Opens DIR/rebalance.db, making DIR and the database when missing. NULL
 * with a plain message in err when there is no store at all (the
 * directory cannot be made, out of memory); a store that can only be
 * read is returned with rb_store_problem set. */
rb_store *rb_store_open(const char *dir, char *err, size_t errlen);
/* Waits for the writer to finish what it was given, then closes. */
void rb_store_close(rb_store *st);

/* Waits until everything handed to the writer is committed (or failed). */
void rb_store_flush(rb_store *st);
/* The same for at most ms milliseconds (the main loop's way): true when
 * all is written. */
bool rb_store_flush_for(rb_store *st, int ms);
/* "" when all is well; else what is wrong, for the log and the admin
 * screen ("the disk is full: ..."). */
const char *rb_store_problem(rb_store *st);
/* The database's path. */
const char *rb_store_path(const rb_store *st);
/* How many sessions the last open marked unfinished. */
int rb_store_unfinished_found(const rb_store *st);

/* What the writer thread has done: batches (transactions), events in
 * them, and the time their commits took (for rebalance bench). */
typedef struct {
  long batches, events;
  double commit_ms, commit_ms_max;
} rb_store_timing;
void rb_store_stats(rb_store *st, rb_store_timing *out);

/* For tests and generated data: the wall clock the store uses. NULL:
 * time(). */
void rb_store_set_clock(rb_store *st, time_t (*now)(void *ud), void *ud);

/* --- patients --- */

typedef struct {
  long long id;
  char name[RB_STORE_NAME_MAX];
  char language[RB_STORE_LANG_MAX]; /* "" when the routine's is used */
  char pin[RB_STORE_PIN_MAX];       /* "" when none */
  char uuid[37];                    /* pseudonymous, for exports */
  bool removed;
} rb_patient;

/* The patients (not removed ones), by name, the first max into out (out
 * may be NULL); returns how many there are, -1 when the store cannot be
 * read. */
int rb_store_patients(rb_store *st, rb_patient *out, int max);
bool rb_store_patient_find(rb_store *st, const char *name, rb_patient *out);
/* The same, removed patients too (their sessions stay, for the clinic). */
bool rb_store_patient_find_any(rb_store *st, const char *name, rb_patient *out);
/* By id, a removed patient too (exports). */
bool rb_store_patient_by_id(rb_store *st, long long id, rb_patient *out);
/* The one who exercises when nobody says: the only patient, or, with
 * none, a patient "default" made now. False when there are several
 * (then someone must choose) or the store fails. */
bool rb_store_patient_default(rb_store *st, rb_patient *out);
/* false with a message in err ("already there", "no such patient", a
 * bad key or value). Names: 1-63 bytes of valid UTF-8, no control
 * characters. A removed patient's sessions stay for export; adding the
 * name again brings the patient back. The first named patient of a
 * kiosk that has only the unused "default" one takes it over (renamed,
 * *renamed true; NULL when the caller does not care). */
bool rb_store_patient_add(rb_store *st, const char *name, bool *renamed,
                          char *err, size_t errlen);
bool rb_store_patient_remove(rb_store *st, const char *name, char *err,
                             size_t errlen);
/* key=value: name=NEW (renames; not to a name in use, even removed),
 * language=de, pin=1234 (pin= clears), ROUTINE.days=3 (the
 * routine is assigned, 1-7 days a week; 0 unassigns), ROUTINE.NAME=VALUE
 * (a parameter for param()). */
bool rb_store_patient_set(rb_store *st, const char *name, const char *key,
                          const char *value, char *err, size_t errlen);

typedef struct {
  char routine[128];
  int days_per_week;
} rb_plan_item;

/* The routines assigned to a patient; returns how many (up to max). */
int rb_store_plan(rb_store *st, long long patient, rb_plan_item *out, int max);
/* The value set for a patient's routine parameter into out; false when
 * none. */
bool rb_store_param(rb_store *st, long long patient, const char *routine,
                    const char *name, char *out, size_t n);
/* The i-th parameter set for a patient (by routine, then name) as
 * "ROUTINE.NAME" into key and its value; false past the last. */
bool rb_store_param_at(rb_store *st, long long patient, int i, char *key,
                       size_t keylen, char *value, size_t n);

/* --- what routines read --- */

/* The patient's last n (1-100) values of key from sessions other than
 * the one with uuid `not_session` (may be NULL), newest first, as a JSON
 * array of { value, date = "YYYY-MM-DD" (local), days_ago }. Never NULL
 * but out of memory (then an empty array is what the caller gives). */
cJSON *rb_store_history(rb_store *st, long long patient, const char *key, int n,
                        const char *not_session);
/* { date, days_ago, status } of the patient's last session (of routine
 * when not NULL) other than not_session; NULL when there is none. */
cJSON *rb_store_last_session(rb_store *st, long long patient,
                             const char *routine, const char *not_session);

/* What a routine of a patient reads (lookup.h), leaving out the session
 * running now. The caller keeps the reader for as long as the lookup is
 * used. */
typedef struct {
  rb_store *st;
  long long patient;
  char session[37]; /* the running session's uuid */
} rb_store_reader;
rb_lookup rb_store_lookup(rb_store_reader *reader);

/* --- sessions --- */

/* A sink that keeps one session of the patient. The session's uuid (for
 * history's not_session) is written to uuid (37 bytes). The sink's state
 * is freed after its session's end has been written. */
rb_sink rb_store_sink(rb_store *st, long long patient, char uuid[37]);
/* Frees a sink whose session was never made (no event reached it). */
void rb_store_sink_free(rb_sink *sink);

/* --- reading it all back (export, progress) --- */

typedef struct {
  long long id;
  char uuid[37];
  long long patient;
  char routine[128];
  char title[128];
  time_t started, ended; /* ended 0 when it did not end */
  char status[16];       /* running, completed, stopped, error, unfinished */
  char reason[32];
  double duration_s;
} rb_session_row;

typedef struct {
  long long session;
  char key[128];
  char label[128];
  char unit[32];
  cJSON *value; /* owned by the row */
  int seq;
} rb_value_row;

/* Calls each for every session of patient (all patients when 0) that
 * started at or after since (0: all), oldest first; stops when each
 * returns false. Returns the number visited, -1 on a read error. */
int rb_store_each_session(rb_store *st, long long patient, time_t since,
                          bool (*each)(void *ud, const rb_session_row *s),
                          void *ud);
/* Calls each for every recorded value of a session, in order. */
int rb_store_each_value(rb_store *st, long long session,
                        bool (*each)(void *ud, const rb_value_row *v),
                        void *ud);
/* The timeline events of a session as JSON objects, in order. */
int rb_store_each_event(rb_store *st, long long session,
                        bool (*each)(void *ud, const cJSON *event), void *ud);

#endif
