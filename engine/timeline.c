#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rb_timeline {
  int fd;
  bool owns_fd;
};

static rb_timeline *with_fd(int fd, bool owns, char *err, size_t errlen) {
  rb_timeline *tl = calloc(1, sizeof *tl);
  if (!tl) {
    snprintf(err, errlen, "out of memory");
    if (owns)
      close(fd);
    return NULL;
  }
  tl->fd = fd;
  tl->owns_fd = owns;
  return tl;
}

rb_timeline *rb_timeline_open(const char *path, char *err, size_t errlen) {
  int fd;
  if (!path || strcmp(path, "-") == 0)
    return with_fd(STDOUT_FILENO, false, err, errlen);
  /* appended to, never truncated: a second run with the same file adds
   * its lines after the first run's */
  fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  return with_fd(fd, true, err, errlen);
}

rb_timeline *rb_timeline_open_fd(int fd, char *err, size_t errlen) {
  return with_fd(fd, true, err, errlen);
}

void rb_timeline_close(rb_timeline *tl) {
  if (!tl)
    return;
  if (tl->owns_fd)
    close(tl->fd);
  free(tl);
}

/* The length of the valid UTF-8 sequence at p (1-4), 0 when it is not
 * one (overlong forms, surrogates and code points past U+10FFFF too). */
static size_t utf8_len(const unsigned char *p) {
  if (p[0] < 0x80)
    return 1;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    return (p[1] & 0xc0) == 0x80 ? 2 : 0;
  if (p[0] >= 0xe0 && p[0] <= 0xef) {
    if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
      return 0;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))
      return 0;
    return 3;
  }
  if (p[0] >= 0xf0 && p[0] <= 0xf4) {
    if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
      return 0;
    if ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
      return 0;
    return 4;
  }
  return 0;
}

/* text with every byte that is not valid UTF-8 written as \ufffd (bytes
 * above 0x7f only occur inside JSON strings, where the escape is valid),
 * and a newline: a new buffer. */
static char *clean_line(const char *text, size_t *outlen) {
  size_t n = strlen(text), k = 0;
  char *out = malloc(n * 6 + 2);
  if (!out)
    return NULL;
  for (size_t i = 0; i < n;) {
    size_t l = utf8_len((const unsigned char *)text + i);
    if (l == 0) {
      memcpy(out + k, "\\ufffd", 6);
      k += 6;
      i++;
    } else {
      memcpy(out + k, text + i, l);
      k += l;
      i += l;
    }
  }
  out[k++] = '\n';
  *outlen = k;
  return out;
}

void rb_timeline_event(rb_timeline *tl, rb_ms t, const char *event,
                       const cJSON *fields) {
  cJSON *line = cJSON_CreateObject();
  const cJSON *item;
  char *text, *clean;
  size_t len, done = 0;
  if (!line)
    return;
  cJSON_AddNumberToObject(line, "t", (double)t);
  cJSON_AddStringToObject(line, "event", event);
  /* references: the fields stay the caller's; a key once only (the
   * first), so every JSON parser reads the line the same way */
  cJSON_ArrayForEach(item, fields) {
    if (item->string && !cJSON_GetObjectItemCaseSensitive(line, item->string))
      cJSON_AddItemReferenceToObject(line, item->string, (cJSON *)item);
  }
  text = cJSON_PrintUnformatted(line);
  cJSON_Delete(line);
  if (!text)
    return;
  clean = clean_line(text, &len);
  free(text);
  if (!clean)
    return;
  /* one write() a line: with O_APPEND a kill never leaves half a line
   * under another process's next one */
  while (done < len) {
    ssize_t w = write(tl->fd, clean + done, len - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  free(clean);
}

static void sink_event(void *ud, rb_ms t, const char *event,
                       const cJSON *fields) {
  rb_timeline_event(ud, t, event, fields);
}

rb_sink rb_timeline_sink(rb_timeline *tl) {
  return (rb_sink){.ud = tl, .event = sink_event};
}
