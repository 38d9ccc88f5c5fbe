/* paths: the bundled folders. A test program runs from build/tests/, not
 * from the build tree's top, so it finds the installed folders when there
 * are some and the source tree's otherwise; either way each is the kind
 * of folder asked for, and an existing one. */
#include "../tap.h"
#include "paths.h"

#include <string.h>
#include <sys/stat.h>

static bool ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), k = strlen(tail);
  return n >= k && strcmp(s + n - k, tail) == 0;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(void) {
  char buf[4096];
  ok(!rb_paths_in_build_tree(),
     "a test program is not the build tree's rebalance");
  ok(ends_with(rb_paths_routines(buf, sizeof buf), "routines") && is_dir(buf),
     "routines: a routines folder that exists (%s)", buf);
  ok(ends_with(rb_paths_figures(buf, sizeof buf), "assets/figures") &&
         is_dir(buf),
     "figures: an assets/figures folder that exists (%s)", buf);
  ok(ends_with(rb_paths_plugins(buf, sizeof buf), "plugins"),
     "plugins: a plugins folder (%s)", buf);
  {
    char small[8];
    rb_paths_routines(small, sizeof small);
    ok(strlen(small) < sizeof small, "a small buffer is never overrun");
  }
  return tap_done();
}
