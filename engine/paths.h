/* paths: where the program finds what it ships with.
 *
 * Run from the tree it was built in, it uses that tree: the source tree's
 * routines and figures, the build's plugins. Installed, it looks next to
 * itself first (PREFIX/bin/rebalance: PREFIX/share/rebalance and
 * PREFIX/lib/rebalance/plugins, also when the tree was installed with
 * another prefix), then in the prefix it was configured with. */
#ifndef RB_PATHS_H
#define RB_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* True when this program runs from the tree it was built in. */
bool rb_paths_in_build_tree(void);
/* The bundled routines, plugins and figures, written to buf (n bytes);
 * buf is returned. */
const char *rb_paths_routines(char *buf, size_t n);
const char *rb_paths_plugins(char *buf, size_t n);
const char *rb_paths_figures(char *buf, size_t n);

#endif
