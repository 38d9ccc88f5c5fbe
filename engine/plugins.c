/* plugins: the loader of assessment plugins and the host side of the
 * plugin ABI (include/rebalance/plugin.h).
 *
 * Each file is an rbp_context: its path, its descriptor and, when it was
 * refused, the first reason. Assessments are copied into host memory when
 * they are registered (fields converted by their `size`), and dropped
 * again when the file that registered them is refused, so a refused file
 * leaves nothing behind. Shared objects are never dlclose'd. */
#include "plugins.h"
#include "log.h"
#include "plugin_jail.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The end of a member: what a struct's `size` must reach to hold it. */
#define END_OF(type, member)                                                   \
  (offsetof(type, member) + sizeof(((type *)NULL)->member))
/* The ABI 1.0 sizes: a struct from a plugin must cover at least these. */
#define PLUGIN_V1_0_SIZE END_OF(rbp_plugin, init)
#define ASSESSMENT_V1_0_SIZE END_OF(rbp_assessment, user)
#define FIELD_V1_0_SIZE END_OF(rbp_field, help)
/* A field size beyond this is garbage, not a newer struct. */
#define FIELD_SIZE_MAX 4096

#define WORD_MAX 63    /* ids, field names, flags, derived value names */
#define FIELDS_MAX 32  /* per assessment */
#define CHOICES_MAX 32 /* per choice field */
#define TEXT_MAX 1000  /* labels, titles and units: a sanity bound */
#define FLAGS_MAX 32   /* per evaluation */
#define DERIVED_MAX 64 /* per evaluation */
#define SUMMARY_MAX 2000
#define FLAG_WORDS_MAX 64 /* pairs in rbp_assessment.flag_words */
/* A plugin's code in its jail (plugin_jail.c): how long it may take. */
#define JAIL_INIT_MS 5000
#define JAIL_EVAL_MS 3000
#define REASON_MAX 512

struct rbp_context {
  rb_plugins *reg;
  char *path;
  const rbp_plugin *desc; /* NULL when refused before init */
  bool in_init;           /* register_assessment is allowed */
  bool loaded;
  bool broken; /* its evaluate crashed or hung: refused until restart */
  char reason[REASON_MAX]; /* refused: the first reason */
};

typedef struct {
  rbp_assessment a;  /* the host's copy: a.fields == fields */
  rbp_field *fields; /* converted to the host's rbp_field */
  rbp_context *owner;
} rb_assessment_entry;

typedef enum {
  DIR_NONE,       /* no directory given */
  DIR_OK,         /* read */
  DIR_MISSING,    /* does not exist */
  DIR_UNREADABLE, /* exists, cannot be read (dir_error says why) */
} rb_dir_state;

struct rb_plugins {
  char *dir;
  rb_dir_state dir_state;
  char dir_error[128];
  rbp_host host;
  rbp_context **files;
  size_t nfiles, capfiles;
  rb_assessment_entry **entries;
  size_t nentries, capentries;
};

struct rbp_eval {
  const rb_assessment_entry *entry;
  const cJSON *values; /* checked: every field's keys, right kinds */
  bool has_score;
  double score;
  cJSON *flags, *derived;
  char *summary;
  bool oom;
};

/* --- small helpers ------------------------------------------------------ */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  if (!err || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* letters, digits and '_', 1 to WORD_MAX of them */
static bool is_word(const char *s) {
  size_t n = 0;
  if (!s || !*s)
    return false;
  for (; s[n]; n++) {
    char c = s[n];
    if (n >= WORD_MAX || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

static bool is_text(const char *s) {
  return s && *s && strnlen(s, TEXT_MAX + 1) <= TEXT_MAX;
}

static bool is_side(const char *s) {
  return s && (strcmp(s, "left") == 0 || strcmp(s, "right") == 0);
}

/* arr (of n elements of elem bytes) with room for one more: arr itself,
 * a bigger copy, or NULL when out of memory (arr is then unchanged). */
static void *grow(void *arr, size_t elem, size_t n, size_t *cap) {
  void *bigger;
  size_t want;
  if (n < *cap)
    return arr;
  want = *cap ? *cap * 2 : 8;
  bigger = realloc(arr, want * elem);
  if (bigger)
    *cap = want;
  return bigger;
}

/* The reason a file is refused: logged as "FILE: reason"; the first one
 * is kept for rb_plugins_print. */
static void refuse(rbp_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void refuse(rbp_context *ctx, const char *fmt, ...) {
  char reason[REASON_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  rb_log_warn("%s: %s", ctx->path, reason);
  if (!ctx->reason[0])
    snprintf(ctx->reason, sizeof ctx->reason, "%s", reason);
}

static void entry_free(rb_assessment_entry *en) {
  if (!en)
    return;
  for (uint32_t i = 0; en->fields && i < en->a.nfields; i++)
    free((void *)en->fields[i].choices);
  free(en->fields);
  free(en);
}

static const rb_assessment_entry *entry_find(const rb_plugins *p,
                                             const char *id) {
  if (!p || !id)
    return NULL;
  for (size_t i = 0; i < p->nentries; i++)
    if (strcmp(p->entries[i]->a.id, id) == 0)
      return p->entries[i];
  return NULL;
}

static const rbp_field *field_find(const rb_assessment_entry *en,
                                   const char *name) {
  for (uint32_t i = 0; i < en->a.nfields; i++)
    if (strcmp(en->fields[i].name, name) == 0)
      return &en->fields[i];
  return NULL;
}

/* --- host functions during init ----------------------------------------- */

/* Checks one field (already converted to the host's struct, choices set
 * to NULL) and sets its choices to a copy of src, the plugin's list.
 * Returns 0, or -1 with the reason in why (or *oom). */
static int field_check(rbp_field *f, const char *const *src,
                       const rb_assessment_entry *en, uint32_t i, char *why,
                       size_t whylen, bool *oom) {
  const char **copy;
  size_t n = 0;
  if (!is_word(f->name)) {
    snprintf(why, whylen,
             "field %u: the name must be 1 to %d letters, digits or '_'", i,
             WORD_MAX);
    return -1;
  }
  for (uint32_t j = 0; j < i; j++)
    if (strcmp(en->fields[j].name, f->name) == 0) {
      snprintf(why, whylen, "field '%s' is declared twice", f->name);
      return -1;
    }
  if (!is_text(f->label)) {
    snprintf(why, whylen, "field '%s' has no label", f->name);
    return -1;
  }
  if (f->per_side > 1) {
    snprintf(why, whylen, "field '%s': per_side must be 0 or 1, not %u",
             f->name, f->per_side);
    return -1;
  }
  if (f->unit && strnlen(f->unit, TEXT_MAX + 1) > TEXT_MAX)
    f->unit = NULL;
  if (f->help && strnlen(f->help, TEXT_MAX + 1) > TEXT_MAX)
    f->help = NULL;
  switch (f->kind) {
  case RBP_FIELD_NUMBER:
    if (!isfinite(f->min) || !isfinite(f->max) || !(f->min < f->max)) {
      snprintf(why, whylen, "field '%s': min %g is not below max %g", f->name,
               f->min, f->max);
      return -1;
    }
    if (!isfinite(f->step) || !(f->step > 0)) {
      snprintf(why, whylen, "field '%s': step %g is not above 0", f->name,
               f->step);
      return -1;
    }
    return 0;
  case RBP_FIELD_YESNO:
    return 0;
  case RBP_FIELD_CHOICE:
    if (!src) {
      snprintf(why, whylen, "field '%s': a choice field without choices",
               f->name);
      return -1;
    }
    while (n <= CHOICES_MAX && src[n])
      n++;
    if (n == 0 || n > CHOICES_MAX) {
      snprintf(why, whylen,
               "field '%s': choices must be 1 to %d strings and a NULL",
               f->name, CHOICES_MAX);
      return -1;
    }
    for (size_t k = 0; k < n; k++)
      if (!is_text(src[k])) {
        snprintf(why, whylen, "field '%s': choice %zu is empty", f->name, k);
        return -1;
      }
    copy = calloc(n + 1, sizeof *copy);
    if (!copy) {
      *oom = true;
      snprintf(why, whylen, "out of memory");
      return -1;
    }
    memcpy(copy, src, n * sizeof *copy);
    f->choices = copy;
    return 0;
  default:
    snprintf(why, whylen, "field '%s': unknown kind %u", f->name, f->kind);
    return -1;
  }
}

/* Copies a declaration into host memory and checks it. Returns the entry,
 * or NULL with the reason in why. */
static rb_assessment_entry *entry_make(const rbp_assessment *a, char *why,
                                       size_t whylen, bool *oom) {
  rb_assessment_entry *en = NULL;
  uint32_t fsize;
  const char *at;
  if (a->size < ASSESSMENT_V1_0_SIZE) {
    snprintf(why, whylen,
             "an assessment declared with size %u, smaller than ABI 1.0's %zu",
             a->size, (size_t)ASSESSMENT_V1_0_SIZE);
    goto fail;
  }
  en = calloc(1, sizeof *en);
  if (!en) {
    *oom = true;
    snprintf(why, whylen, "out of memory");
    goto fail;
  }
  memcpy(&en->a, a, a->size < sizeof en->a ? a->size : sizeof en->a);
  en->a.size = sizeof en->a;
  en->a.fields = NULL;
  if (!is_word(en->a.id)) {
    snprintf(why, whylen,
             "an assessment id must be 1 to %d letters, digits or '_'",
             WORD_MAX);
    goto fail;
  }
  if (!is_text(en->a.title)) {
    snprintf(why, whylen, "assessment '%s' has no title", en->a.id);
    goto fail;
  }
  if (en->a.instructions &&
      strnlen(en->a.instructions, SUMMARY_MAX + 1) > SUMMARY_MAX) {
    snprintf(why, whylen, "assessment '%s': instructions longer than %d bytes",
             en->a.id, SUMMARY_MAX);
    goto fail;
  }
  if (!en->a.evaluate) {
    snprintf(why, whylen, "assessment '%s' has no evaluate function", en->a.id);
    goto fail;
  }
  if (en->a.flag_words) { /* ABI 1.1: pairs of a flag and its words */
    size_t k = 0;
    for (; k < 2 * FLAG_WORDS_MAX && en->a.flag_words[k]; k += 2)
      if (!is_word(en->a.flag_words[k]) || !is_text(en->a.flag_words[k + 1])) {
        snprintf(why, whylen,
                 "assessment '%s': flag_words %zu: a flag (letters, digits, "
                 "'_') and its words are needed",
                 en->a.id, k / 2 + 1);
        goto fail;
      }
    if (en->a.flag_words[k]) {
      snprintf(why, whylen,
               "assessment '%s': more than %d flag_words, or no NULL at "
               "their end",
               en->a.id, FLAG_WORDS_MAX);
      goto fail;
    }
  }
  if (en->a.nfields < 1 || en->a.nfields > FIELDS_MAX || !a->fields) {
    snprintf(why, whylen, "assessment '%s': %u fields (1 to %d are allowed)",
             en->a.id, a->fields ? en->a.nfields : 0, FIELDS_MAX);
    goto fail;
  }
  /* The plugin's array is laid out with its own sizeof(rbp_field). */
  fsize = a->fields[0].size;
  if (fsize < FIELD_V1_0_SIZE || fsize > FIELD_SIZE_MAX ||
      fsize % _Alignof(rbp_field) != 0) {
    snprintf(why, whylen,
             "assessment '%s': fields declared with size %u (ABI 1.0's is "
             "%zu)",
             en->a.id, fsize, (size_t)FIELD_V1_0_SIZE);
    goto fail;
  }
  en->fields = calloc(en->a.nfields, sizeof *en->fields);
  if (!en->fields) {
    *oom = true;
    snprintf(why, whylen, "out of memory");
    goto fail;
  }
  at = (const char *)a->fields;
  for (uint32_t i = 0; i < en->a.nfields; i++, at += fsize) {
    const rbp_field *src = (const rbp_field *)(const void *)at;
    char fwhy[REASON_MAX - 64];
    if (src->size != fsize) {
      snprintf(why, whylen,
               "assessment '%s': field %u has size %u, field 0 has %u",
               en->a.id, i, src->size, fsize);
      goto fail;
    }
    memcpy(&en->fields[i], src,
           fsize < sizeof en->fields[i] ? fsize : sizeof en->fields[i]);
    en->fields[i].size = sizeof en->fields[i];
    /* choices: only ever the host's own copy (entry_free frees it) */
    en->fields[i].choices = NULL;
    if (field_check(&en->fields[i], src->choices, en, i, fwhy, sizeof fwhy,
                    oom) != 0) {
      snprintf(why, whylen, "assessment '%s': %s", en->a.id, fwhy);
      goto fail;
    }
  }
  en->a.fields = en->fields;
  return en;
fail:
  entry_free(en);
  return NULL;
}

static int host_register(rbp_context *ctx, const rbp_assessment *a) {
  rb_plugins *p;
  rb_assessment_entry *en = NULL, **bigger;
  const rb_assessment_entry *taken;
  char why[REASON_MAX - 32];
  bool oom = false;
  if (!ctx) {
    rb_log_warn("plugin: register_assessment without a context: refused");
    goto fail;
  }
  p = ctx->reg;
  if (!ctx->in_init) {
    rb_log_warn("%s: register_assessment after init: refused", ctx->path);
    goto fail;
  }
  if (!a) {
    refuse(ctx, "register_assessment(NULL)");
    goto fail;
  }
  en = entry_make(a, why, sizeof why, &oom);
  if (!en) {
    refuse(ctx, "%s", why);
    goto fail;
  }
  taken = entry_find(p, en->a.id);
  if (taken) {
    if (taken->owner == ctx)
      refuse(ctx, "assessment id '%s' is registered twice", en->a.id);
    else
      refuse(ctx, "assessment id '%s' is already registered by %s", en->a.id,
             taken->owner->path);
    goto fail;
  }
  bigger = grow(p->entries, sizeof *p->entries, p->nentries, &p->capentries);
  if (!bigger) {
    refuse(ctx, "out of memory");
    goto fail;
  }
  p->entries = bigger;
  en->owner = ctx;
  p->entries[p->nentries++] = en;
  return 0;
fail:
  entry_free(en);
  return -1;
}

/* One line in the log: control characters (a newline) become spaces. */
static void host_log(rbp_context *ctx, int level, const char *message) {
  char line[1024];
  rb_log_level lv = level == RBP_LOG_ERROR  ? RB_LOG_ERROR
                    : level == RBP_LOG_WARN ? RB_LOG_WARN
                                            : RB_LOG_INFO;
  snprintf(line, sizeof line, "%s", message ? message : "(null)");
  for (char *c = line; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      *c = ' ';
  rb_log(lv, "%s: %s", ctx && ctx->path ? ctx->path : "plugin", line);
}

/* --- host functions during evaluate ------------------------------------- */

static void eval_warn(const rbp_eval *e, const char *what) {
  rb_log_warn("%s: assessment '%s': %s", e->entry->owner->path, e->entry->a.id,
              what);
}

/* The entered value of field (of kind) on side, or NULL. */
static const cJSON *eval_value(const rbp_eval *e, const char *field,
                               const char *side, uint32_t kind,
                               const rbp_field **f) {
  char key[WORD_MAX + 8];
  if (!e || !field || !f)
    return NULL;
  *f = field_find(e->entry, field);
  if (!*f || (*f)->kind != kind)
    return NULL;
  if ((*f)->per_side ? !is_side(side) : side != NULL)
    return NULL;
  if (side)
    snprintf(key, sizeof key, "%s.%s", field, side);
  else
    snprintf(key, sizeof key, "%s", field);
  return cJSON_GetObjectItemCaseSensitive(e->values, key);
}

static int host_number(rbp_eval *e, const char *field, const char *side,
                       double *out) {
  const rbp_field *f;
  const cJSON *v = eval_value(e, field, side, RBP_FIELD_NUMBER, &f);
  if (!v || !out || !cJSON_IsNumber(v))
    return -1;
  *out = v->valuedouble;
  return 0;
}

static int host_yesno(rbp_eval *e, const char *field, const char *side,
                      int *out) {
  const rbp_field *f;
  const cJSON *v = eval_value(e, field, side, RBP_FIELD_YESNO, &f);
  if (!v || !out || !cJSON_IsBool(v))
    return -1;
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return 0;
}

/* *out is the plugin's own choice string, so it outlives the evaluation. */
static int host_choice(rbp_eval *e, const char *field, const char *side,
                       const char **out) {
  const rbp_field *f;
  const cJSON *v = eval_value(e, field, side, RBP_FIELD_CHOICE, &f);
  if (!v || !out || !cJSON_IsString(v))
    return -1;
  for (size_t i = 0; f->choices[i]; i++)
    if (strcmp(f->choices[i], v->valuestring) == 0) {
      *out = f->choices[i];
      return 0;
    }
  return -1;
}

static void host_set_score(rbp_eval *e, double score) {
  if (!e)
    return;
  if (!isfinite(score)) {
    eval_warn(e, "set_score with a value that is not a number: ignored");
    return;
  }
  e->has_score = true;
  e->score = score;
}

static void host_add_flag(rbp_eval *e, const char *flag) {
  cJSON *it;
  if (!e)
    return;
  if (!is_word(flag)) {
    eval_warn(e, "add_flag needs letters, digits or '_': ignored");
    return;
  }
  cJSON_ArrayForEach(it, e->flags) {
    if (strcmp(it->valuestring, flag) == 0)
      return; /* once is enough */
  }
  if (cJSON_GetArraySize(e->flags) >= FLAGS_MAX) {
    eval_warn(e, "too many flags: ignored");
    return;
  }
  it = cJSON_CreateString(flag);
  if (!it || !cJSON_AddItemToArray(e->flags, it)) {
    cJSON_Delete(it);
    e->oom = true;
  }
}

static void host_add_value(rbp_eval *e, const char *name, const char *side,
                           double value, const char *unit) {
  cJSON *d;
  if (!e)
    return;
  if (!is_word(name) || (side && !is_side(side)) || !isfinite(value) ||
      (unit && strnlen(unit, TEXT_MAX + 1) > TEXT_MAX)) {
    eval_warn(e, "add_value needs a name (letters, digits, '_'), a side "
                 "(left, right or NULL) and a finite number: ignored");
    return;
  }
  if (cJSON_GetArraySize(e->derived) >= DERIVED_MAX) {
    eval_warn(e, "too many derived values: ignored");
    return;
  }
  d = cJSON_CreateObject();
  if (!d || !cJSON_AddStringToObject(d, "name", name) ||
      (side && !cJSON_AddStringToObject(d, "side", side)) ||
      !cJSON_AddNumberToObject(d, "value", value) ||
      (unit && !cJSON_AddStringToObject(d, "unit", unit)) ||
      !cJSON_AddItemToArray(e->derived, d)) {
    cJSON_Delete(d);
    e->oom = true;
  }
}

static void host_set_summary(rbp_eval *e, const char *text) {
  size_t n;
  char *copy;
  if (!e)
    return;
  if (!text) {
    eval_warn(e, "set_summary(NULL): ignored");
    return;
  }
  n = strnlen(text, SUMMARY_MAX + 1);
  if (n > SUMMARY_MAX) {
    eval_warn(e, "summary longer than 2000 bytes: cut");
    n = SUMMARY_MAX;
    /* not inside a UTF-8 sequence */
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
      n--;
  }
  copy = malloc(n + 1);
  if (!copy) {
    e->oom = true;
    return;
  }
  memcpy(copy, text, n);
  copy[n] = '\0';
  free(e->summary);
  e->summary = copy;
}

/* --- loading ------------------------------------------------------------ */

static bool ends_with_so(const char *name) {
  size_t n = strlen(name);
  return n > 3 && name[0] != '.' && strcmp(name + n - 3, ".so") == 0;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dlopen's reason, without the path it starts with. */
static void refuse_dlopen(rbp_context *ctx) {
  const char *msg = dlerror();
  size_t n = strlen(ctx->path);
  if (!msg)
    msg = "unknown error";
  if (strncmp(msg, ctx->path, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
    msg += n + 2;
  if (strstr(msg, "ELF") || strstr(msg, "file too short"))
    refuse(ctx, "not a plugin: %s", msg);
  else
    refuse(ctx, "cannot load: %s", msg);
}

/* Checks the descriptor. Returns 0, or -1 having refused the file. */
static int check_descriptor(rbp_context *ctx, const rbp_plugin *d) {
  if (!d) {
    refuse(ctx, "%s() returned no descriptor", RBP_ENTRY_SYMBOL);
    return -1;
  }
  if (d->abi_major != RBP_ABI_MAJOR) {
    refuse(ctx,
           "built for plugin ABI %u.%u, but this host loads only ABI %d "
           "(%d.%d and older): %s",
           d->abi_major, d->abi_minor, RBP_ABI_MAJOR, RBP_ABI_MAJOR,
           RBP_ABI_MINOR,
           d->abi_major > RBP_ABI_MAJOR
               ? "update rebalance"
               : "rebuild it against this host's rebalance/plugin.h");
    return -1;
  }
  if (d->abi_minor > RBP_ABI_MINOR) {
    refuse(ctx,
           "built for plugin ABI %u.%u, newer than this host's %d.%d "
           "(update rebalance)",
           d->abi_major, d->abi_minor, RBP_ABI_MAJOR, RBP_ABI_MINOR);
    return -1;
  }
  if (d->size < PLUGIN_V1_0_SIZE) {
    refuse(ctx, "descriptor size %u is smaller than ABI 1.0's %zu", d->size,
           (size_t)PLUGIN_V1_0_SIZE);
    return -1;
  }
  if (!d->name || !*d->name || !d->version || !*d->version || !d->init) {
    refuse(ctx, "descriptor without a %s",
           !d->name || !*d->name         ? "name"
           : !d->version || !*d->version ? "version"
                                         : "init function");
    return -1;
  }
  return 0;
}

/* Loads one file. Returns -1 only when out of memory. */
static int load_here(rb_plugins *p, rbp_context *ctx);

/* In the jail's child, before its filter: the file opened (dlopen reads
 * it; a second dlopen of it in load_here finds it loaded). A file that
 * does not open is said by load_here, in the parent. */
static bool probe_open(void *ud) {
  rbp_context *ctx = ud;
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  /* the load is said once, by the parent's own */
  if (null >= 0) {
    dup2(null, STDERR_FILENO);
    close(null);
  }
  (void)dlopen(ctx->path, RTLD_NOW | RTLD_LOCAL);
  return true;
}

/* In the jail's child: the whole load, on the child's copy. */
static char *probe_child(void *ud) {
  rbp_context *ctx = ud;
  load_here(ctx->reg, ctx);
  return strdup("loaded");
}

/* A new context for path in p's files (the registry owns it), or NULL
 * when out of memory. */
static rbp_context *context_add(rb_plugins *p, const char *path) {
  rbp_context *ctx = NULL, **bigger;
  bigger = grow(p->files, sizeof *p->files, p->nfiles, &p->capfiles);
  if (!bigger)
    goto fail;
  p->files = bigger;
  ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    goto fail;
  ctx->path = strdup(path);
  if (!ctx->path)
    goto fail;
  ctx->reg = p;
  p->files[p->nfiles++] = ctx;
  return ctx;
fail:
  free(ctx);
  return NULL;
}

static int load_file(rb_plugins *p, const char *name) {
  rbp_context *ctx;
  size_t len = strlen(p->dir) + strlen(name) + 2;
  char *path = malloc(len);
  if (!path)
    return -1;
  snprintf(path, len, "%s/%s", p->dir, name);
  ctx = context_add(p, path);
  free(path);
  if (!ctx)
    return -1;

  {
    /* a FIFO or a device would block dlopen's read forever */
    struct stat st;
    if (stat(ctx->path, &st) != 0 || !S_ISREG(st.st_mode)) {
      refuse(ctx, "not a regular file");
      return 0;
    }
  }
  {
    /* its init first runs in a child: a crash, exit() or hang there
     * refuses the file, and the coach (and `rebalance plugins`) go on */
    char *answer = NULL, why[REASON_MAX + 64], what[REASON_MAX];
    snprintf(what, sizeof what, "its init()");
    /* no filter here: the coach loads the file itself next (dlopen
     * reads files); the child only shows init() will not bring it down */
    if (!rb_jail_run(what, JAIL_INIT_MS, false, probe_open, probe_child, ctx,
                     &answer, why, sizeof why)) {
      refuse(ctx, "%s", why);
      return 0;
    }
    free(answer);
  }
  return load_here(p, ctx);
}

/* The descriptor from entry, checked, and its init: in this process. */
static int load_entry(rb_plugins *p, rbp_context *ctx, rbp_entry_fn entry) {
  const rbp_plugin *d;
  size_t before = p->nentries;
  int rc;
  d = entry();
  if (check_descriptor(ctx, d) != 0)
    return 0;
  ctx->desc = d;
  ctx->in_init = true;
  rc = d->init(&p->host, ctx);
  ctx->in_init = false;
  if (rc != 0 && !ctx->reason[0])
    refuse(ctx, "init failed (returned %d)", rc);
  if (rc == 0 && !ctx->reason[0] && p->nentries == before)
    refuse(ctx, "registers no assessment");
  if (ctx->reason[0]) {
    /* a refused file keeps none of its assessments */
    while (p->nentries > before)
      entry_free(p->entries[--p->nentries]);
    return 0;
  }
  ctx->loaded = true;
  rb_log_info("%s: loaded plugin %s %s (%zu assessment%s)", ctx->path, d->name,
              d->version, p->nentries - before,
              p->nentries - before == 1 ? "" : "s");
  return 0;
}

/* dlopen, the entry, then load_entry: in this process. */
static int load_here(rb_plugins *p, rbp_context *ctx) {
  void *handle, *sym;
  rbp_entry_fn entry;
  handle = dlopen(ctx->path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    refuse_dlopen(ctx);
    return 0;
  }
  dlerror();
  sym = dlsym(handle, RBP_ENTRY_SYMBOL);
  if (!sym) {
    refuse(ctx,
           "no %s symbol: not a rebalance plugin (define it with "
           "RBP_PLUGIN)",
           RBP_ENTRY_SYMBOL);
    return 0;
  }
  memcpy(&entry, &sym, sizeof entry);
  return load_entry(p, ctx, entry);
}

/* The *.so names in p->dir, sorted, into *names. Returns their count, or
 * -1 when out of memory. */
static int list_dir(rb_plugins *p, char ***names) {
  DIR *d = opendir(p->dir);
  struct dirent *de;
  char **list = NULL, **bigger;
  size_t n = 0, cap = 0;
  *names = NULL;
  if (!d) {
    if (errno == ENOENT || errno == ENOTDIR) {
      p->dir_state = DIR_MISSING;
    } else {
      p->dir_state = DIR_UNREADABLE;
      snprintf(p->dir_error, sizeof p->dir_error, "%s", strerror(errno));
      rb_log_warn("%s: cannot read the plugin directory: %s", p->dir,
                  p->dir_error);
    }
    return 0;
  }
  p->dir_state = DIR_OK;
  while ((de = readdir(d)) != NULL) {
    char *copy;
    if (!ends_with_so(de->d_name))
      continue;
    bigger = grow(list, sizeof *list, n, &cap);
    if (!bigger)
      goto fail;
    list = bigger;
    copy = strdup(de->d_name);
    if (!copy)
      goto fail;
    list[n++] = copy;
  }
  closedir(d);
  if (n > 1)
    qsort(list, n, sizeof *list, name_cmp);
  *names = list;
  return (int)n;
fail:
  closedir(d);
  while (n > 0)
    free(list[--n]);
  free(list);
  return -1;
}

/* rbp_field.help is taken but not shown yet: said once a load. */
static void say_help_not_shown(const rb_plugins *p) {
  int with_help = 0;
  for (size_t i = 0; i < p->nentries; i++)
    for (uint32_t k = 0; k < p->entries[i]->a.nfields; k++)
      with_help += p->entries[i]->fields[k].help != NULL;
  if (with_help > 0)
    rb_log_info("plugins: %d field%s give help text, which is not shown yet "
                "(the question screen will show it)",
                with_help, with_help == 1 ? "" : "s");
}

rb_plugins *rb_plugins_load(const char *dir) {
  rb_plugins *p = calloc(1, sizeof *p);
  char **names = NULL;
  int n = 0, i = 0;
  if (!p)
    goto fail;
  p->host = (rbp_host){
      .size = sizeof(rbp_host),
      .abi_major = RBP_ABI_MAJOR,
      .abi_minor = RBP_ABI_MINOR,
      .register_assessment = host_register,
      .log = host_log,
      .number = host_number,
      .yesno = host_yesno,
      .choice = host_choice,
      .set_score = host_set_score,
      .add_flag = host_add_flag,
      .add_value = host_add_value,
      .set_summary = host_set_summary,
  };
  p->dir_state = DIR_NONE;
  if (!dir || !*dir)
    return p;
  p->dir = strdup(dir);
  if (!p->dir)
    goto fail;
  n = list_dir(p, &names);
  if (n < 0)
    goto fail;
  for (; i < n; i++)
    if (load_file(p, names[i]) != 0)
      goto fail;
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  say_help_not_shown(p);
  return p;
fail:
  for (i = 0; i < n; i++)
    free(names[i]);
  free(names);
  rb_plugins_free(p);
  return NULL;
}

int rb_plugins_add_entry(rb_plugins *p, const char *path, rbp_entry_fn entry) {
  rbp_context *ctx;
  if (!p || !path || !entry)
    return -1;
  ctx = context_add(p, path);
  if (!ctx)
    return -1;
  return load_entry(p, ctx, entry);
}

void rb_plugins_free(rb_plugins *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->nentries; i++)
    entry_free(p->entries[i]);
  free(p->entries);
  for (size_t i = 0; i < p->nfiles; i++) {
    free(p->files[i]->path);
    free(p->files[i]);
  }
  free(p->files);
  free(p->dir);
  free(p);
}

/* --- what loaded -------------------------------------------------------- */

int rb_plugins_loaded(const rb_plugins *p) {
  int n = 0;
  for (size_t i = 0; p && i < p->nfiles; i++)
    n += p->files[i]->loaded;
  return n;
}

int rb_plugins_refused(const rb_plugins *p) {
  int n = 0;
  for (size_t i = 0; p && i < p->nfiles; i++)
    n += !p->files[i]->loaded;
  return n;
}

bool rb_plugins_problem(const rb_plugins *p, int i, char *out, size_t n) {
  for (size_t k = 0; p && k < p->nfiles; k++)
    if (!p->files[k]->loaded && i-- == 0) {
      snprintf(out, n, "%s: %s", p->files[k]->path,
               p->files[k]->reason[0] ? p->files[k]->reason : "not loaded");
      return true;
    }
  return false;
}

const rbp_assessment *rb_plugins_find(const rb_plugins *p, const char *id) {
  const rb_assessment_entry *en = entry_find(p, id);
  return en ? &en->a : NULL;
}

const char *rb_plugins_flag_words(const rb_plugins *p, const char *id,
                                  const char *flag) {
  const rb_assessment_entry *en = entry_find(p, id);
  for (size_t k = 0; en && flag && en->a.flag_words && en->a.flag_words[k];
       k += 2)
    if (strcmp(en->a.flag_words[k], flag) == 0)
      return en->a.flag_words[k + 1];
  return NULL;
}

static void print_field(const rbp_field *f, FILE *out) {
  fprintf(out, "    %s%s: ", f->name, f->per_side ? " (left, right)" : "");
  switch (f->kind) {
  case RBP_FIELD_NUMBER:
    fprintf(out, "number %g to %g%s%s, step %g", f->min, f->max,
            f->unit && *f->unit ? " " : "", f->unit ? f->unit : "", f->step);
    break;
  case RBP_FIELD_YESNO:
    fputs("yes/no", out);
    break;
  default:
    fputs("choice of", out);
    for (size_t i = 0; f->choices[i]; i++)
      fprintf(out, "%s%s", i ? " | " : " ", f->choices[i]);
    break;
  }
  fprintf(out, ": \"%s\"\n", f->label);
}

void rb_plugins_print(const rb_plugins *p, FILE *out) {
  if (!p || !out)
    return;
  if (!p->dir) {
    fprintf(out, "plugin directory: none (host ABI %d.%d)\n", RBP_ABI_MAJOR,
            RBP_ABI_MINOR);
  } else {
    fprintf(out, "plugin directory: %s (host ABI %d.%d)%s%s\n", p->dir,
            RBP_ABI_MAJOR, RBP_ABI_MINOR,
            p->dir_state == DIR_MISSING      ? ": missing, no plugins"
            : p->dir_state == DIR_UNREADABLE ? ": cannot be read: "
                                             : "",
            p->dir_state == DIR_UNREADABLE ? p->dir_error : "");
  }
  for (size_t i = 0; i < p->nfiles; i++) {
    const rbp_context *ctx = p->files[i];
    if (!ctx->loaded) {
      fprintf(out, "%s: refused: %s\n", ctx->path, ctx->reason);
      continue;
    }
    fprintf(out, "%s: loaded: %s %s, ABI %u.%u\n", ctx->path, ctx->desc->name,
            ctx->desc->version, ctx->desc->abi_major, ctx->desc->abi_minor);
    for (size_t j = 0; j < p->nentries; j++) {
      const rb_assessment_entry *en = p->entries[j];
      if (en->owner != ctx)
        continue;
      fprintf(out, "  assessment %s: %s\n", en->a.id, en->a.title);
      for (uint32_t k = 0; k < en->a.nfields; k++)
        print_field(&en->fields[k], out);
    }
  }
  fprintf(out, "%d loaded, %d refused\n", rb_plugins_loaded(p),
          rb_plugins_refused(p));
}

/* --- evaluating --------------------------------------------------------- */

/* Checks the entered value for key against f and copies it into echo.
 * Returns 0, or -1 with the reason in err. */
static int value_take(const rb_assessment_entry *en, const rbp_field *f,
                      const char *key, const cJSON *values, cJSON *echo,
                      char *err, size_t errlen) {
  const cJSON *v = cJSON_IsObject(values)
                       ? cJSON_GetObjectItemCaseSensitive(values, key)
                       : NULL;
  cJSON *copy;
  bool good = false;
  if (!v) {
    set_err(err, errlen, "%s: no value for %s", en->a.id, key);
    return -1;
  }
  switch (f->kind) {
  case RBP_FIELD_NUMBER:
    if (!cJSON_IsNumber(v)) {
      set_err(err, errlen, "%s: %s must be a number", en->a.id, key);
      return -1;
    }
    if (!isfinite(v->valuedouble) || v->valuedouble < f->min ||
        v->valuedouble > f->max) {
      set_err(err, errlen, "%s: %s is %g, outside %g to %g", en->a.id, key,
              v->valuedouble, f->min, f->max);
      return -1;
    }
    break;
  case RBP_FIELD_YESNO:
    if (!cJSON_IsBool(v)) {
      set_err(err, errlen, "%s: %s must be true or false (yes or no)", en->a.id,
              key);
      return -1;
    }
    break;
  default:
    for (size_t i = 0; cJSON_IsString(v) && f->choices[i]; i++)
      good = good || strcmp(f->choices[i], v->valuestring) == 0;
    if (!good) {
      set_err(err, errlen, "%s: %s must be one of the field's choices",
              en->a.id, key);
      return -1;
    }
    break;
  }
  copy = cJSON_Duplicate(v, false);
  if (!copy || !cJSON_AddItemToObject(echo, key, copy)) {
    cJSON_Delete(copy);
    set_err(err, errlen, "%s: out of memory", en->a.id);
    return -1;
  }
  return 0;
}

typedef struct {
  const rb_plugins *p;
  const rb_assessment_entry *en;
  rbp_eval *e;
} eval_job;

/* In the jail's child: evaluate, and what it set, as one JSON line. */
static char *eval_child(void *ud) {
  eval_job *job = ud;
  rbp_eval *e = job->e;
  cJSON *o = cJSON_CreateObject();
  char *text;
  int rc = job->en->a.evaluate(&job->p->host, e, job->en->a.user);
  if (!o)
    return NULL;
  cJSON_AddNumberToObject(o, "rc", rc);
  cJSON_AddBoolToObject(o, "oom", e->oom);
  if (e->has_score)
    cJSON_AddNumberToObject(o, "score", e->score);
  cJSON_AddItemReferenceToObject(o, "flags", e->flags);
  cJSON_AddItemReferenceToObject(o, "derived", e->derived);
  cJSON_AddStringToObject(o, "summary", e->summary ? e->summary : "");
  text = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return text;
}

/* The child's answer into e; evaluate's return value, INT_MIN when out
 * of memory or the answer is not one. */
static int eval_take(rbp_eval *e, const char *answer) {
  cJSON *o = cJSON_Parse(answer), *rc, *v;
  int out;
  if (!o)
    return INT_MIN;
  rc = cJSON_GetObjectItemCaseSensitive(o, "rc");
  out = cJSON_IsNumber(rc) ? rc->valueint : -1;
  e->oom = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "oom"));
  v = cJSON_GetObjectItemCaseSensitive(o, "score");
  e->has_score = cJSON_IsNumber(v);
  if (e->has_score)
    e->score = v->valuedouble;
  v = cJSON_DetachItemFromObjectCaseSensitive(o, "flags");
  if (cJSON_IsArray(v)) {
    cJSON_Delete(e->flags);
    e->flags = v;
  } else
    cJSON_Delete(v);
  v = cJSON_DetachItemFromObjectCaseSensitive(o, "derived");
  if (cJSON_IsArray(v)) {
    cJSON_Delete(e->derived);
    e->derived = v;
  } else
    cJSON_Delete(v);
  v = cJSON_GetObjectItemCaseSensitive(o, "summary");
  free(e->summary);
  e->summary = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
  cJSON_Delete(o);
  return out;
}

cJSON *rb_plugins_evaluate(const rb_plugins *p, const char *id,
                           const cJSON *values, char *err, size_t errlen) {
  static const char *const sides[] = {"left", "right"};
  const rb_assessment_entry *en = entry_find(p, id);
  rbp_eval e = {0};
  cJSON *result = NULL, *echo;
  int rc;
  set_err(err, errlen, "%s", "");
  if (!en) {
    set_err(err, errlen,
            "no assessment '%s' (is its plugin installed? see "
            "rebalance plugins)",
            id ? id : "(null)");
    goto fail;
  }
  result = cJSON_CreateObject();
  if (!result || !cJSON_AddStringToObject(result, "id", en->a.id))
    goto oom;
  echo = cJSON_AddObjectToObject(result, "values");
  if (!echo)
    goto oom;
  for (uint32_t i = 0; i < en->a.nfields; i++) {
    const rbp_field *f = &en->fields[i];
    for (int s = 0; s < (f->per_side ? 2 : 1); s++) {
      char key[WORD_MAX + 8];
      if (f->per_side)
        snprintf(key, sizeof key, "%s.%s", f->name, sides[s]);
      else
        snprintf(key, sizeof key, "%s", f->name);
      if (value_take(en, f, key, values, echo, err, errlen) != 0)
        goto fail;
    }
  }

  e.entry = en;
  e.values = echo;
  e.flags = cJSON_CreateArray();
  e.derived = cJSON_CreateArray();
  if (!e.flags || !e.derived)
    goto oom;
  if (en->owner->broken) {
    set_err(err, errlen,
            "%s: the plugin %s failed before and is refused until the coach "
            "restarts",
            en->a.id, en->owner->path);
    goto fail;
  }
  {
    /* evaluate runs in a child: a crash, exit() or loop there is the
     * plugin's, named and refused, never the coach's */
    eval_job job = {.p = p, .en = en, .e = &e};
    char *answer = NULL, why[REASON_MAX + 128], what[REASON_MAX];
    snprintf(what, sizeof what, "%s: the plugin %s, evaluating,", en->a.id,
             en->owner->path);
    if (!rb_jail_run(what, JAIL_EVAL_MS, true, NULL, eval_child, &job, &answer,
                     why, sizeof why)) {
      en->owner->broken = true;
      if (!en->owner->reason[0])
        snprintf(en->owner->reason, sizeof en->owner->reason, "%.400s%s", why,
                 "; refused until the coach restarts");
      rb_log_error("%s; refused until the coach restarts", why);
      set_err(err, errlen, "%s; it is refused until the coach restarts", why);
      goto fail;
    }
    rc = eval_take(&e, answer);
    free(answer);
    if (rc == INT_MIN)
      goto oom;
  }
  if (rc != 0) {
    set_err(err, errlen, "%s: evaluate failed (returned %d; %s)", en->a.id, rc,
            en->owner->path);
    goto fail;
  }
  if (e.oom)
    goto oom;
  if (e.has_score && !cJSON_AddNumberToObject(result, "score", e.score))
    goto oom;
  if (!cJSON_AddItemToObject(result, "flags", e.flags))
    goto oom;
  e.flags = NULL;
  if (!cJSON_AddStringToObject(result, "summary", e.summary ? e.summary : ""))
    goto oom;
  if (!cJSON_AddItemToObject(result, "derived", e.derived))
    goto oom;
  e.derived = NULL;
  free(e.summary);
  return result;
oom:
  set_err(err, errlen, "%s: out of memory", id ? id : "(null)");
fail:
  cJSON_Delete(result);
  cJSON_Delete(e.flags);
  cJSON_Delete(e.derived);
  free(e.summary);
  return NULL;
}

bool rb_plugins_field_norms(const rb_plugins *p, const char *id,
                            const char *field, double *lo, double *hi,
                            double *mdc, const char **label,
                            const char **unit) {
  const rbp_assessment *a = rb_plugins_find(p, id);
  *lo = *hi = *mdc = 0;
  if (label)
    *label = NULL;
  if (unit)
    *unit = NULL;
  if (!a)
    return false;
  for (uint32_t i = 0; i < a->nfields; i++) {
    /* the host's own copies, at its struct size (a field of an older
     * plugin has zeros where it had nothing) */
    const rbp_field *f = &a->fields[i];
    if (!f->name || strcmp(f->name, field) != 0)
      continue;
    if (label)
      *label = f->label;
    if (unit)
      *unit = f->unit;
    if (isfinite(f->norm_low) && isfinite(f->norm_high) &&
        f->norm_low < f->norm_high) {
      *lo = f->norm_low;
      *hi = f->norm_high;
    }
    if (isfinite(f->mdc) && f->mdc > 0)
      *mdc = f->mdc;
    return true;
  }
  return false;
}
