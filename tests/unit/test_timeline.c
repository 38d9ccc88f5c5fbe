/* timeline: a sink writing one JSON object a line, t and event first,
 * written whole as it goes, appended, every line valid JSON. */
#include "tap.h"
#include "timeline.h"

#include <stdlib.h>
#include <unistd.h>

int main(void) {
  char path[] = "/tmp/rb-timeline-XXXXXX", err[256], line[512];
  int fd = mkstemp(path);
  rb_timeline *tl;
  rb_sink sink;
  cJSON *f;
  FILE *in;
  ok(fd >= 0, "temp file");
  close(fd);
  tl = rb_timeline_open(path, err, sizeof err);
  ok(tl != NULL, "open a timeline file");
  f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "routine", "demo");
  cJSON_AddStringToObject(f, "title", "Demo \"quoted\"");
  rb_timeline_event(tl, 0, "start", f);
  ok(cJSON_GetObjectItem(f, "routine") != NULL, "the fields stay the caller's");
  cJSON_Delete(f);
  sink = rb_timeline_sink(tl);
  ok(sink.event != NULL && sink.ud == tl, "a timeline is a sink");
  sink.event(sink.ud, 1500, "pause", NULL);
  /* flushed at once: readable before close (a power cut loses nothing) */
  in = fopen(path, "r");
  ok(in && fgets(line, sizeof line, in), "first line readable before close");
  is_str(line,
         "{\"t\":0,\"event\":\"start\",\"routine\":\"demo\",\"title\":\"Demo "
         "\\\"quoted\\\"\"}\n",
         "t and event come first, strings escaped");
  ok(fgets(line, sizeof line, in) != NULL, "second line");
  is_str(line, "{\"t\":1500,\"event\":\"pause\"}\n", "event with no fields");
  fclose(in);
  rb_timeline_close(tl);

  /* the same file again: appended to, never truncated; a key once; bytes
   * that are not UTF-8 replaced, so every line parses */
  tl = rb_timeline_open(path, err, sizeof err);
  f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "t", "forged");
  cJSON_AddStringToObject(f, "text", "caf\xc3 \xff end");
  cJSON_AddStringToObject(f, "text", "second");
  rb_timeline_event(tl, 2000, "say", f);
  cJSON_Delete(f);
  rb_timeline_close(tl);
  in = fopen(path, "r");
  {
    int n = 0;
    char last[512] = "";
    while (in && fgets(line, sizeof line, in)) {
      n++;
      snprintf(last, sizeof last, "%s", line);
    }
    is_int(n, 3, "opened again: the two old lines are kept, one added");
    cJSON *j = cJSON_Parse(last);
    ok(j != NULL, "the line with broken UTF-8 parses (%s)", last);
    is_str(j && cJSON_IsString(cJSON_GetObjectItem(j, "text"))
               ? cJSON_GetObjectItem(j, "text")->valuestring
               : "",
           "caf\xef\xbf\xbd \xef\xbf\xbd end",
           "invalid bytes became U+FFFD, the first text kept");
    ok(j && cJSON_IsNumber(cJSON_GetObjectItem(j, "t")),
       "a field named t cannot replace the time");
    {
      int keys = 0;
      const cJSON *it;
      cJSON_ArrayForEach(it, j) keys++;
      is_int(keys, 3, "t, event, text: each key once");
    }
    cJSON_Delete(j);
  }
  if (in)
    fclose(in);
  unlink(path);

  tl = rb_timeline_open("/nonexistent/dir/tl.jsonl", err, sizeof err);
  ok(tl == NULL, "unwritable path refused");
  like(err, "/nonexistent/dir/tl.jsonl", "naming the path");
  return tap_done();
}
