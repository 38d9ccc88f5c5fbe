/* rebalance plugin ABI, version 1.2 (1.0 and 1.1 plugins load unchanged).
 *
 * An assessment plugin is a shared object that exports one function,
 * rebalance_plugin_entry, returning a const rbp_plugin descriptor. The
 * host checks the descriptor's ABI version, then calls its init with a
 * table of host functions; init registers the plugin's assessments.
 *
 * Rules that keep old plugins working with new hosts and the reverse:
 * - every struct that crosses the boundary starts with its own `size`
 *   (sizeof as the other side was built); members are only ever added at
 *   the end, and a side reads a member only if `size` covers it;
 * - abi_major changes only when something is removed or changes meaning:
 *   the host loads a plugin only with its own major;
 * - abi_minor grows when members are added: the host loads plugins with
 *   the same or an older minor, and refuses newer ones (they may need
 *   host functions it does not have);
 * - strings the plugin hands over (ids, labels, flags) must live as long
 *   as the plugin is loaded (string literals are ideal); the host copies
 *   what it keeps from an evaluation;
 * - a plugin is never unloaded, and is called from one thread only.
 *
 * Build out of tree with:  cc -shared -fPIC $(pkg-config --cflags
 * rebalance-plugin) my_test.c -o my_test.so  (see docs/plugins.md). */
#ifndef REBALANCE_PLUGIN_H
#define REBALANCE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RBP_ABI_MAJOR 1
#define RBP_ABI_MINOR 2
#define RBP_ENTRY_SYMBOL "rebalance_plugin_entry"

/* --- what an assessment asks for --------------------------------------- */

typedef enum {
  RBP_FIELD_NUMBER = 1, /* a measurement: unit, min, max, step */
  RBP_FIELD_YESNO = 2,  /* yes or no */
  RBP_FIELD_CHOICE = 3  /* one of `choices` */
} rbp_field_kind;

typedef struct rbp_field {
  uint32_t size;     /* sizeof(rbp_field) */
  const char *name;  /* "distance_cm": letters, digits, '_' */
  const char *label; /* what the patient is asked: "Toe to wall" */
  uint32_t kind;     /* rbp_field_kind */
  uint32_t per_side; /* 1: asked for the left and then the right side */
  const char *unit;  /* numbers: "cm" */
  double min, max;   /* numbers: the range */
  double step;       /* numbers: the entry step (0.5) */
  const char *const *choices; /* choices: NULL-terminated list */
  const char *help;           /* optional: how to take this measurement */
  /* ABI 1.2, numbers: the usual range of healthy adults (norm_low below
   * norm_high; both 0 when not known), and the smallest change between
   * two tests that is more than measurement error (0 when not known).
   * The patient's progress chart shades the range, and shows a change
   * within mdc as no real change. */
  double norm_low, norm_high;
  double mdc;
} rbp_field;

/* --- the host's functions ---------------------------------------------- */

typedef struct rbp_context rbp_context; /* the plugin being loaded */
typedef struct rbp_eval rbp_eval;       /* one evaluation */
typedef struct rbp_assessment rbp_assessment;

enum { RBP_LOG_INFO = 1, RBP_LOG_WARN = 2, RBP_LOG_ERROR = 3 };

typedef struct rbp_host {
  uint32_t size; /* sizeof(rbp_host) of the host */
  uint32_t abi_major, abi_minor;
  /* During init: registers an assessment (copied by the host). Returns 0,
   * or -1 when it is refused (a bad declaration, a duplicate id: the
   * reason is logged with the plugin's file). */
  int (*register_assessment)(rbp_context *ctx, const rbp_assessment *a);
  /* A line in the host's log, naming the plugin. */
  void (*log)(rbp_context *ctx, int level, const char *message);

  /* During evaluate: the entered values. side is "left", "right" or
   * NULL for fields that are not per side. Return 0, or -1 when the
   * field does not exist or has another kind. */
  int (*number)(rbp_eval *e, const char *field, const char *side, double *out);
  int (*yesno)(rbp_eval *e, const char *field, const char *side, int *out);
  int (*choice)(rbp_eval *e, const char *field, const char *side,
                const char **out);

  /* During evaluate: the result. */
  void (*set_score)(rbp_eval *e, double score);
  /* A short machine word: "asymmetry", "limited_left" ... */
  void (*add_flag)(rbp_eval *e, const char *flag);
  /* A derived number worth showing ("dorsiflexion_deg", "left", 43.2). */
  void (*add_value)(rbp_eval *e, const char *name, const char *side,
                    double value, const char *unit);
  /* The plain-language result, spoken and shown (a few sentences). */
  void (*set_summary)(rbp_eval *e, const char *text);
} rbp_host;

/* --- an assessment ------------------------------------------------------ */

struct rbp_assessment {
  uint32_t size;            /* sizeof(rbp_assessment) */
  const char *id;           /* "knee_to_wall": what routines call */
  const char *title;        /* "Knee-to-wall test" */
  const char *instructions; /* shown before the first field */
  const rbp_field *fields;
  uint32_t nfields;
  /* Turns the entered values into a result through the host functions.
   * Returns 0, or -1 when it cannot (the routine then ends with an
   * error naming the assessment). */
  int (*evaluate)(const rbp_host *host, rbp_eval *e, void *user);
  void *user; /* passed to evaluate */
  /* ABI 1.1: the flags evaluate may add, each followed by its plain
   * words for the result screen, in one NULL-terminated list:
   * {"asymmetry", "Sides differ", "limited_left", "Left side limited",
   *  NULL}. A flag not listed is shown as its word with '_' as spaces,
   * and a flag ending in _left or _right is drawn in that side's colour.
   * NULL: none listed. */
  const char *const *flag_words;
};

/* --- the plugin --------------------------------------------------------- */

typedef struct rbp_plugin {
  uint32_t abi_major;  /* RBP_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor;  /* RBP_ABI_MINOR */
  uint32_t size;       /* sizeof(rbp_plugin) */
  const char *name;    /* "knee_to_wall" */
  const char *version; /* "1.0.0" */
  /* Registers the assessments. Returns 0, or -1 to refuse loading. */
  int (*init)(const rbp_host *host, rbp_context *ctx);
} rbp_plugin;

typedef const rbp_plugin *(*rbp_entry_fn)(void);

/* True when the host has function `member` (a newer plugin may run on an
 * older host): its size covers the member and it is set. */
#define RBP_HOST_HAS(host, member)                                             \
  ((host)->size >= offsetof(rbp_host, member) + sizeof((host)->member) &&      \
   (host)->member != NULL)

/* In the plugin: RBP_PLUGIN("name", "1.0.0", init_function) defines the
 * entry symbol with the ABI version this header has. */
#define RBP_PLUGIN(name_, version_, init_)                                     \
  __attribute__((visibility("default"))) const rbp_plugin *                    \
  rebalance_plugin_entry(void) {                                               \
    static const rbp_plugin plugin = {RBP_ABI_MAJOR,      RBP_ABI_MINOR,       \
                                      sizeof(rbp_plugin), name_,               \
                                      version_,           init_};              \
    return &plugin;                                                            \
  }

#ifdef __cplusplus
}
#endif

#endif
