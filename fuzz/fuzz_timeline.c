/* The timeline writer: any JSON object as an event's fields (strings with
 * any bytes, duplicate keys); every line written must parse again. */
#include "fuzz_common.h"
#include "timeline.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  char *text = malloc(n + 1), err[256], line[1 << 16];
  cJSON *fields;
  FILE *back;
  int fd;
  char path[] = "/tmp/rb-fuzz-tl-XXXXXX";
  rb_timeline *tl;
  if (!text)
    return 0;
  memcpy(text, data, n);
  text[n] = '\0';
  fields = cJSON_Parse(text);
  free(text);
  if (!fields)
    return 0;
  fd = mkstemp(path);
  if (fd < 0) {
    cJSON_Delete(fields);
    return 0;
  }
  tl = rb_timeline_open_fd(fd, err, sizeof err);
  if (tl) {
    rb_timeline_event(tl, 1, "record", cJSON_IsObject(fields) ? fields : NULL);
    rb_timeline_close(tl);
  }
  back = fopen(path, "r");
  while (back && fgets(line, sizeof line, back)) {
    cJSON *j = cJSON_Parse(line);
    if (!j && strlen(line) < sizeof line - 1)
      abort(); /* a line that does not parse: the bug this target hunts */
    cJSON_Delete(j);
  }
  if (back)
    fclose(back);
  unlink(path);
  cJSON_Delete(fields);
  return 0;
}
