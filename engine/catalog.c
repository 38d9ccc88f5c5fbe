#include "catalog.h"
#include "sentry.h"

#include "drive.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  rb_meta meta;
  double minutes;
} entry;

struct rb_catalog {
  char dir[RB_TEXT_MAX];
  entry *entries;
  int n;
  char *problems; /* grows with add_problem */
  size_t problems_len;
};

static void add_problem(rb_catalog *c, const char *line) {
  size_t len = strlen(line);
  char *grown = realloc(c->problems, c->problems_len + len + 2);
  if (!grown)
    return;
  c->problems = grown;
  memcpy(c->problems + c->problems_len, line, len);
  c->problems_len += len;
  c->problems[c->problems_len++] = '\n';
  c->problems[c->problems_len] = '\0';
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_lua(const char *name) {
  size_t n = strlen(name);
  return n > 4 && name[0] != '.' && strcmp(name + n - 4, ".lua") == 0;
}

/* Adds one routine file; false only when out of memory. */
static bool add_file(rb_catalog *c, const char *path,
                     const struct rb_plugins *plugins, const char *held) {
  char err[RB_ERROR_MAX];
  rb_routine *r;
  entry *grown, *e;
  rb_meta meta;
  double minutes;
  if (held && rb_sentry_remembered(held, path)) {
    /* it would hold the coach again: its start would never end */
    snprintf(err, sizeof err,
             "%s: left off: it held the coach inside a library call or a "
             "host function, which ended the coach (see the log before the "
             "restart); save the file again once it is fixed",
             path);
    add_problem(c, err);
    return true;
  }
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  if (!r) {
    add_problem(c, err);
    return true;
  }
  for (int i = 0; i < c->n; i++)
    if (strcmp(c->entries[i].meta.id, rb_routine_meta(r)->id) == 0) {
      char dup[RB_ERROR_MAX + 2 * RB_TEXT_MAX];
      snprintf(dup, sizeof dup, "%s:%d: id '%s' is already used by %s", path,
               rb_routine_meta(r)->line, rb_routine_meta(r)->id,
               c->entries[i].meta.path);
      add_problem(c, dup);
      rb_routine_free(r);
      return true;
    }
  /* A file whose dry run fails would fail in front of a patient: it is
   * left off the list and named with the problems, like one that does not
   * load. The dry run has the plugins a real run has, so assess() works. */
  meta = *rb_routine_meta(r);
  rb_routine_free(r);
  minutes = meta.minutes;
  if (minutes <= 0) {
    double seconds;
    /* one slow routine must not hold up the kiosk's start */
    rb_session_opts so = {.plugins = plugins, .dry_run_ms = 3000};
    if (rb_drive_simulate(path, &so, &seconds, err, sizeof err) !=
        RB_END_COMPLETED) {
      add_problem(c, err);
      return true;
    }
    minutes = seconds / 60.0;
  }
  grown = realloc(c->entries, (size_t)(c->n + 1) * sizeof *grown);
  if (!grown)
    return false;
  c->entries = grown;
  e = &c->entries[c->n++];
  e->meta = meta;
  e->minutes = minutes;
  return true;
}

rb_catalog *rb_catalog_load(const char *dir, const struct rb_plugins *plugins) {
  return rb_catalog_load_except(dir, plugins, NULL);
}

rb_catalog *rb_catalog_load_except(const char *dir,
                                   const struct rb_plugins *plugins,
                                   const char *held) {
  rb_catalog *c = calloc(1, sizeof *c);
  DIR *d = NULL;
  struct dirent *de;
  char **names = NULL, line[RB_TEXT_MAX + 64];
  size_t nnames = 0;
  if (!c)
    return NULL;
  snprintf(c->dir, sizeof c->dir, "%s", dir ? dir : ".");
  d = opendir(c->dir);
  if (!d) {
    snprintf(line, sizeof line, "%s: %s", c->dir, strerror(errno));
    add_problem(c, line);
    return c;
  }
  while ((de = readdir(d)) != NULL) {
    char **grown;
    if (!is_lua(de->d_name))
      continue;
    grown = realloc(names, (nnames + 1) * sizeof *names);
    if (!grown)
      goto fail;
    names = grown;
    names[nnames] = strdup(de->d_name);
    if (!names[nnames])
      goto fail;
    nnames++;
  }
  if (nnames > 1) /* an empty folder: no list to sort (names is NULL) */
    qsort(names, nnames, sizeof *names, by_name);
  for (size_t i = 0; i < nnames; i++) {
    char path[RB_TEXT_MAX];
    if (snprintf(path, sizeof path, "%s/%s", c->dir, names[i]) >=
        (int)sizeof path) {
      snprintf(line, sizeof line, "%s: path too long", names[i]);
      add_problem(c, line);
      continue;
    }
    if (!add_file(c, path, plugins, held))
      goto fail;
  }
  if (nnames == 0) {
    snprintf(line, sizeof line, "%s: no routines (*.lua) here", c->dir);
    add_problem(c, line);
  }
  goto done;
fail:
  rb_catalog_free(c);
  c = NULL;
done:
  for (size_t i = 0; i < nnames; i++)
    free(names[i]);
  free(names);
  closedir(d);
  return c;
}

void rb_catalog_free(rb_catalog *c) {
  if (!c)
    return;
  free(c->entries);
  free(c->problems);
  free(c);
}

const char *rb_catalog_dir(const rb_catalog *c) { return c->dir; }
int rb_catalog_count(const rb_catalog *c) { return c->n; }

const rb_meta *rb_catalog_meta(const rb_catalog *c, int i) {
  return i >= 0 && i < c->n ? &c->entries[i].meta : NULL;
}

double rb_catalog_minutes(const rb_catalog *c, int i) {
  return i >= 0 && i < c->n ? c->entries[i].minutes : 0;
}

const char *rb_catalog_problems(const rb_catalog *c) {
  return c->problems ? c->problems : "";
}

bool rb_catalog_resolve(const rb_catalog *c, const char *id_or_file, char *path,
                        size_t n) {
  struct stat st;
  size_t len = strlen(id_or_file);
  if ((strchr(id_or_file, '/') ||
       (len > 4 && strcmp(id_or_file + len - 4, ".lua") == 0)) &&
      stat(id_or_file, &st) == 0 && S_ISREG(st.st_mode)) {
    snprintf(path, n, "%s", id_or_file);
    return true;
  }
  for (int i = 0; i < c->n; i++)
    if (strcmp(c->entries[i].meta.id, id_or_file) == 0) {
      snprintf(path, n, "%s", c->entries[i].meta.path);
      return true;
    }
  return false;
}
