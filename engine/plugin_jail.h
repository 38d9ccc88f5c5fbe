/* plugin_jail: running a plugin's code where a fault is contained (see
 * plugin_jail.c): a fork of the coach, a time limit, a seccomp filter. */
#ifndef RB_PLUGIN_JAIL_H
#define RB_PLUGIN_JAIL_H

#include <stdbool.h>
#include <stddef.h>

/* Runs in the child: returns its answer as a new string (one line, no
 * '\n'), or NULL for none. */
typedef char *(*rb_jail_fn)(void *ud);
/* Runs in the child before the seccomp filter (opening the plugin's
 * file); false ends the child without an answer. May be NULL. */
typedef bool (*rb_jail_prepare_fn)(void *ud);

/* Runs fn(ud) in a child process for at most timeout_ms, under the
 * seccomp filter when filter is true. True with its
 * answer in *answer (the caller frees it); false with why ("WHAT crashed
 * (Segmentation fault)", "WHAT did not finish within 3 s", "WHAT ended
 * the process (exit 3) before it answered") when the child did not
 * answer whole. what names the code for those messages. */
bool rb_jail_run(const char *what, int timeout_ms, bool filter,
                 rb_jail_prepare_fn prepare, rb_jail_fn fn, void *ud,
                 char **answer, char *why, size_t whylen);

#endif
