/* catalog: what the home screen lists. A routine that calls assess() is
 * timed with the plugins a real run has; a file that fails its dry run is
 * left off the list and named with the problems, like one that does not
 * load. */
#include "catalog.h"
#include "plugins.h"
#include "sentry.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char *name, const char *text) {
  char p[128];
  FILE *f;
  snprintf(p, sizeof p, "%s/%s", dir, name);
  f = fopen(p, "w");
  if (!f)
    return;
  fputs(text, f);
  fclose(f);
}

static int find(const rb_catalog *c, const char *id) {
  for (int i = 0; i < rb_catalog_count(c); i++)
    if (strcmp(rb_catalog_meta(c, i)->id, id) == 0)
      return i;
  return -1;
}

int main(void) {
  rb_plugins *plugins;
  rb_catalog *c;
  int i;

  snprintf(dir, sizeof dir, "/tmp/rb-catalog-%d", (int)getpid());
  if (mkdir(dir, 0700) != 0 && errno != EEXIST)
    return 1;
  /* no minutes: timed by a dry run, which needs the plugins */
  write_file(
      "a-test.lua",
      "return routine { id = 'a-test', title = 'Ankle',\n"
      "  run = function()\n"
      "    hold{seconds = 90}\n"
      "    assess('knee_to_wall', { values = {\n"
      "      ['distance_cm.left'] = 12, ['distance_cm.right'] = 11 } })\n"
      "  end }\n");
  /* loads, but fails as soon as it runs */
  write_file("b-broken.lua", "return routine { id = 'b-broken', title = 'B',\n"
                             "  run = function()\n"
                             "    hold{seconds = -5}\n"
                             "  end }\n");
  /* does not load at all */
  write_file("c-syntax.lua", "return routine { id = = 'c' }\n");
  write_file("d-good.lua", "return routine { id = 'd-good', title = 'D',\n"
                           "  minutes = 3, run = function() end }\n");

  plugins = rb_plugins_load(RB_BUILD_PLUGIN_DIR);
  ok(plugins && rb_plugins_loaded(plugins) > 0, "the bundled plugins load");
  c = rb_catalog_load(dir, plugins);
  ok(c != NULL, "the catalog loads");
  if (!c)
    return tap_done();

  i = find(c, "a-test");
  ok(i >= 0, "a routine calling assess() is listed");
  ok(rb_catalog_minutes(c, i) >= 1.5,
     "and timed by its dry run with the plugins (%.2f min)",
     rb_catalog_minutes(c, i));
  ok(!strstr(rb_catalog_problems(c), "no plugins are loaded"),
     "the dry run had the plugins");
  ok(!strstr(rb_catalog_problems(c), "a-test.lua"), "a-test has no problem");

  ok(find(c, "b-broken") < 0, "a routine that fails its dry run is left off");
  like(rb_catalog_problems(c),
       "b-broken.lua:3: ", "and named with FILE:LINE in the problems");
  ok(find(c, "c") < 0, "a file that does not load is left off");
  like(rb_catalog_problems(c), "c-syntax.lua:1: ", "and named");
  ok(find(c, "d-good") >= 0, "a good routine is listed");
  is_int(rb_catalog_count(c), 2, "two of four files are offered");
  {
    char path[512];
    ok(!rb_catalog_resolve(c, "b-broken", path, sizeof path),
       "the broken routine cannot be found by id");
  }
  rb_catalog_free(c);

  /* without plugins the same routine cannot run: left off, said why */
  c = rb_catalog_load(dir, NULL);
  ok(c && find(c, "a-test") < 0,
     "without plugins assess() routines are left off");
  like(c ? rb_catalog_problems(c) : "", "a-test.lua:4: ", "and named");
  rb_catalog_free(c);
  rb_plugins_free(plugins);

  {
    /* a file that held the coach (the sentry's list) is left off until
     * it changes */
    char list[512], good[512];
    snprintf(list, sizeof list, "%s/held-routines", dir);
    snprintf(good, sizeof good, "%s/d-good.lua", dir);
    ok(rb_sentry_remember(list, good), "the sentry's list takes d-good");
    c = rb_catalog_load_except(dir, NULL, list);
    ok(c && find(c, "d-good") < 0, "a file that held the coach is left off");
    like(c ? rb_catalog_problems(c) : "", "d-good.lua: left off: it held",
         "and named, saying why");
    rb_catalog_free(c);
    write_file("d-good.lua",
               "return routine { id = 'd-good', title = 'D',\n"
               "  minutes = 3, run = function() end } -- fixed\n");
    c = rb_catalog_load_except(dir, NULL, list);
    ok(c && find(c, "d-good") >= 0, "saved again, it is offered again");
    rb_catalog_free(c);
    unlink(list);
  }

  {
    const char *names[] = {"a-test.lua", "b-broken.lua", "c-syntax.lua",
                           "d-good.lua"};
    char p[128];
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
      snprintf(p, sizeof p, "%s/%s", dir, names[k]);
      unlink(p);
    }
    rmdir(dir);
  }
  return tap_done();
}
