/* app: the drive loop's host, as the kiosk runs it, headless but drawing
 * every frame a display would show, on the virtual clock. */
#include "app.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static const char *write_file(const char *name, const char *text) {
  static char path[128];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "w");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
  return path;
}

int main(void) {
  rb_app_opts o = {
      .headless = true, .virtual_clock = true, .draw_offscreen = true};
  char routine[128], input[128];
  int code;
  snprintf(dir, sizeof dir, "/tmp/rb-app-%d", (int)getpid());
  mkdir(dir, 0700);
  snprintf(routine, sizeof routine, "%s",
           write_file("hold.lua", "return routine { id = 'h', title = 'H',\n"
                                  "  run = function()\n"
                                  "    wait_next()\n"
                                  "    hold{seconds = 20}\n"
                                  "  end }\n"));
  snprintf(input, sizeof input, "%s", write_file("in.txt", "1000 NEXT\n"));
  o.routine = routine;
  o.routines_dir = dir;
  o.input = input;
  code = rb_app_run(&o);
  is_int(code, 0, "the hold completes");
  /* the ring moves 4 times a second: about 80 frames in 20 s; a loop
   * that only woke for cues after a press drew a handful */
  ok(o.frames >= 60, "the ring is drawn as it moves after a press (%d frames)",
     o.frames);
  unlink(routine);
  unlink(input);
  rmdir(dir);
  return tap_done();
}
