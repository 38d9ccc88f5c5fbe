/* lua_test: helpers the lua_host tests share: fixture paths, routine files
 * written on the fly (so each case knows its line numbers), and hooks
 * that remember what a routine showed, recorded and printed. */
#ifndef RB_LUA_TEST_H
#define RB_LUA_TEST_H

#include "lua_host.h"
#include "tap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE(name) RB_SOURCE_DIR "/tests/fixtures/" name

static char lt_dir[128];
static char lt_files[256][512];
static int lt_nfiles;

/* Writes src to a new file in a private temp dir; returns its path. */
static inline const char *lt_write(const char *name, const char *src) {
  FILE *f;
  char *p;
  if (!lt_dir[0]) {
    snprintf(lt_dir, sizeof lt_dir, "/tmp/rb_lua_test_XXXXXX");
    if (!mkdtemp(lt_dir)) {
      perror("mkdtemp");
      exit(2);
    }
  }
  if (lt_nfiles >= 256) {
    fprintf(stderr, "too many test files\n");
    exit(2);
  }
  p = lt_files[lt_nfiles++];
  snprintf(p, 512, "%s/%s", lt_dir, name);
  f = fopen(p, "w");
  if (!f || fputs(src, f) < 0 || fclose(f) != 0) {
    perror(p);
    exit(2);
  }
  return p;
}

static inline void lt_cleanup(void) {
  for (int i = 0; i < lt_nfiles; i++)
    unlink(lt_files[i]);
  if (lt_dir[0])
    rmdir(lt_dir);
}

/* Wraps body in a routine whose run() starts on line 4:
 *   1 return routine {
 *   2   id = "t", title = "T",
 *   3   run = function()
 *   4     <body> */
static inline const char *lt_routine(const char *name, const char *body) {
  char src[4096];
  snprintf(src, sizeof src,
           "return routine {\n"
           "  id = \"t\", title = \"T\",\n"
           "  run = function()\n"
           "%s\n"
           "  end,\n"
           "}\n",
           body);
  return lt_write(name, src);
}

typedef struct {
  int nshow;
  char title[RB_SHORT_MAX], text[RB_TEXT_MAX], side[8], figure[RB_SHORT_MAX];
  int nrecord;
  char keys[32][RB_SHORT_MAX];
  char values[32][256];               /* unformatted JSON */
  char labels[32][RB_SHORT_MAX + 40]; /* "label|unit" */
  int nprint;
  char print_where[RB_TEXT_MAX + 16], print_msg[256];
} lt_seen;

static inline void lt_on_show(void *ud, const char *title, const char *text,
                              const char *side, const char *figure) {
  lt_seen *s = ud;
  s->nshow++;
  snprintf(s->title, sizeof s->title, "%s", title);
  snprintf(s->text, sizeof s->text, "%s", text);
  snprintf(s->side, sizeof s->side, "%s", side);
  snprintf(s->figure, sizeof s->figure, "%s", figure);
}

static inline void lt_on_record(void *ud, const char *key, cJSON *value,
                                const char *label, const char *unit) {
  lt_seen *s = ud;
  if (s->nrecord < 32) {
    snprintf(s->labels[s->nrecord], sizeof s->labels[0], "%s|%s", label, unit);
    char *j = cJSON_PrintUnformatted(value);
    snprintf(s->keys[s->nrecord], RB_SHORT_MAX, "%s", key);
    snprintf(s->values[s->nrecord], 256, "%s", j ? j : "?");
    free(j);
    s->nrecord++;
  }
  cJSON_Delete(value);
}

static inline void lt_on_print(void *ud, const char *where, const char *msg) {
  lt_seen *s = ud;
  s->nprint++;
  snprintf(s->print_where, sizeof s->print_where, "%s", where);
  snprintf(s->print_msg, sizeof s->print_msg, "%s", msg);
}

static inline void lt_hook_up(rb_routine *r, lt_seen *seen) {
  rb_routine_hooks h = {.ud = seen,
                        .show = lt_on_show,
                        .record = lt_on_record,
                        .print = lt_on_print};
  memset(seen, 0, sizeof *seen);
  rb_routine_set_hooks(r, &h);
}

/* Value recorded under key, or NULL. */
static inline const char *lt_recorded(const lt_seen *s, const char *key) {
  for (int i = s->nrecord - 1; i >= 0; i--)
    if (strcmp(s->keys[i], key) == 0)
      return s->values[i];
  return NULL;
}

/* Loads path and resumes run() once; fills *rq. Returns the routine (the
 * caller frees it) or NULL with err filled. */
static inline rb_routine *lt_start(const char *path, const rb_limits *lim,
                                   rb_request *rq, char *err, size_t errlen) {
  rb_routine *r = rb_routine_load(path, lim, 1, err, errlen);
  if (!r)
    return NULL;
  rb_routine_resume(r, NULL, rq);
  return r;
}

/* Resumes with no reply until the routine errors or ends; load errors
 * come back as RB_REQ_ERROR too. */
static inline rb_req_kind lt_final(const char *path, rb_request *rq) {
  char err[RB_ERROR_MAX];
  rb_routine *r;
  memset(rq, 0, sizeof *rq);
  r = lt_start(path, NULL, rq, err, sizeof err);
  if (!r) {
    rq->kind = RB_REQ_ERROR;
    snprintf(rq->error, sizeof rq->error, "%s", err);
    return RB_REQ_ERROR;
  }
  for (int i = 0; i < 50 && rq->kind != RB_REQ_ERROR && rq->kind != RB_REQ_DONE;
       i++)
    rb_routine_resume(r, NULL, rq);
  rq->assess_opts = NULL; /* owned by r, which goes now */
  rb_routine_free(r);
  return rq->kind;
}

#endif
