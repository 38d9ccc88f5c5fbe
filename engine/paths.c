/* paths: the bundled files' folders (paths.h). */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder this program's file is in; false when it cannot be told. */
static bool exe_dir(char *dir, size_t n) {
  ssize_t len = readlink("/proc/self/exe", dir, n - 1);
  char *slash;
  if (len <= 0)
    return false;
  dir[len] = '\0';
  slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  return true;
}

bool rb_paths_in_build_tree(void) {
  char exe[PATH_MAX], build[PATH_MAX];
  return exe_dir(exe, sizeof exe) && realpath(RB_BUILD_DIR, build) &&
         strcmp(exe, build) == 0;
}

/* PREFIX/rest when this program is PREFIX/bin/rebalance and that is a
 * folder; else false. */
static bool beside(const char *rest, char *buf, size_t n) {
  char exe[PATH_MAX];
  char *slash;
  int k;
  if (!exe_dir(exe, sizeof exe))
    return false;
  slash = strrchr(exe, '/');
  if (!slash || strcmp(slash, "/bin") != 0)
    return false;
  *slash = '\0';
  k = snprintf(buf, n, "%s/%s", exe, rest);
  return k > 0 && (size_t)k < n && is_dir(buf);
}

const char *rb_paths_routines(char *buf, size_t n) {
  if (rb_paths_in_build_tree()) {
    snprintf(buf, n, "%s/scripts/routines", RB_SOURCE_DIR);
    if (is_dir(buf))
      return buf;
  }
  snprintf(buf, n, "%s/routines", RB_DATA_DIR);
  if (is_dir(buf))
    return buf;
  snprintf(buf, n, "%s/scripts/routines", RB_SOURCE_DIR);
  return buf;
}

const char *rb_paths_plugins(char *buf, size_t n) {
  if (rb_paths_in_build_tree()) {
    snprintf(buf, n, "%s", RB_BUILD_PLUGIN_DIR);
    return buf;
  }
  if (beside(RB_PLUGIN_INSTALL_DIR, buf, n))
    return buf;
  snprintf(buf, n, "%s", RB_PLUGIN_DIR);
  return buf;
}

const char *rb_paths_figures(char *buf, size_t n) {
  if (rb_paths_in_build_tree()) {
    snprintf(buf, n, "%s/assets/figures", RB_SOURCE_DIR);
    if (is_dir(buf))
      return buf;
  }
  if (beside("share/rebalance/assets/figures", buf, n))
    return buf;
  snprintf(buf, n, "%s/assets/figures", RB_DATA_DIR);
  if (is_dir(buf))
    return buf;
  snprintf(buf, n, "%s/assets/figures", RB_SOURCE_DIR);
  return buf;
}
