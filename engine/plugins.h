/* plugins: assessment plugins (include/rebalance/plugin.h) loaded from a
 * directory at start.
 *
 * Every *.so is dlopen'ed with RTLD_NOW | RTLD_LOCAL and never unloaded.
 * A file is refused, with a log line naming it and the reason, when it
 * is not a shared object, lacks the entry symbol, was built for another
 * ABI major or a newer minor, has a bad descriptor, or registers an
 * assessment whose id is taken; the rest load. */
#ifndef RB_PLUGINS_H
#define RB_PLUGINS_H

#include <cjson/cJSON.h>
#include <rebalance/plugin.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct rb_plugins rb_plugins;

/* dir NULL or missing: no plugins (not an error). NULL only when out of
 * memory. */
rb_plugins *rb_plugins_load(const char *dir);
/* Loads the plugin whose entry function is entry as if from file path:
 * its descriptor and declarations checked and its init run here, without
 * a shared object or a jail (fuzz/fuzz_plugin.c). Returns -1 only when
 * out of memory; a refused plugin is said as a file's would be. */
int rb_plugins_add_entry(rb_plugins *p, const char *path, rbp_entry_fn entry);
/* Frees the registry; the shared objects stay loaded (never unloaded). */
void rb_plugins_free(rb_plugins *p);

/* `rebalance plugins`: what loaded (file, ABI, assessments and their
 * fields) and what was refused and why. */
void rb_plugins_print(const rb_plugins *p, FILE *out);
int rb_plugins_loaded(const rb_plugins *p);
int rb_plugins_refused(const rb_plugins *p);
/* The i-th refused file as "FILE: reason"; false past the last. */
bool rb_plugins_problem(const rb_plugins *p, int i, char *out, size_t n);

/* The assessment registered as id, NULL when none. Valid until
 * rb_plugins_free. */
const rbp_assessment *rb_plugins_find(const rb_plugins *p, const char *id);

/* A flag of assessment id in plain words, as its plugin gives them (ABI
 * 1.1 flag_words), or NULL when it gives none. */
const char *rb_plugins_flag_words(const rb_plugins *p, const char *id,
                                  const char *flag);

/* ABI 1.2: a number field's usual range (*lo, *hi; both 0 when not
 * given) and smallest real change (*mdc; 0 when not given), with its
 * label and unit (may be NULL). False when there is no such field. */
bool rb_plugins_field_norms(const rb_plugins *p, const char *id,
                            const char *field, double *lo, double *hi,
                            double *mdc, const char **label, const char **unit);

/* Evaluates assessment id on values, an object of entered values keyed
 * "FIELD" or "FIELD.SIDE" (numbers, booleans for yes/no, strings for
 * choices). Returns the result as DESIGN.md describes it for Lua:
 * {"id", "values": {...}, "score" (absent when none), "flags": [...],
 * "summary", "derived": [{"name","side","value","unit"}...]}, or NULL
 * with a reason in err. */
cJSON *rb_plugins_evaluate(const rb_plugins *p, const char *id,
                           const cJSON *values, char *err, size_t errlen);

#endif
