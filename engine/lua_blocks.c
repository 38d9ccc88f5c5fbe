/* lua_blocks: which block a routine with a syntax error left open.
 *
 * Lua reports a missing `end` where it finally gives up, often the last
 * line of the file ("unexpected symbol near '}'"), far from the `for` or
 * `if` that lacks it. Therapists indent their blocks, so the block whose
 * `end` is missing is the one an `end` closes at a smaller indent than
 * its own line's, while an outer block at that indent is open. This walks
 * the file's words (not inside strings or comments) to find it. */
#include "lua_host_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCKS_MAX 200
#define BLOCKS_FILE_MAX (4 << 20)

typedef struct {
  char kw[12]; /* the word that opened it: for, while, if, function, do, repeat
                */
  int line, indent;
} block;

/* Skips a long bracket [[...]] / [==[...]==] at p (p at '['); returns the
 * end, or NULL when p is not one. */
static const char *long_bracket(const char *p, const char *end, int *line) {
  int level = 0;
  const char *q = p + 1;
  while (q < end && *q == '=') {
    level++;
    q++;
  }
  if (q >= end || *q != '[')
    return NULL;
  for (q++; q < end; q++) {
    if (*q == '\n')
      (*line)++;
    if (*q == ']') {
      int k = 0;
      const char *e = q + 1;
      while (e < end && *e == '=') {
        k++;
        e++;
      }
      if (k == level && e < end && *e == ']')
        return e + 1;
    }
  }
  return end;
}

static int indent_at(const char *text, const char *p) {
  const char *s = p;
  int n = 0;
  while (s > text && s[-1] != '\n')
    s--;
  for (; s < p && (*s == ' ' || *s == '\t'); s++)
    n += *s == '\t' ? 4 : 1;
  return n;
}

static bool word_is(const char *w, size_t n, const char *kw) {
  return strlen(kw) == n && memcmp(w, kw, n) == 0;
}

static bool scan(const char *text, size_t len, int stop_line, char *out,
                 size_t n) {
  block st[BLOCKS_MAX] = {{"", 0, 0}};
  int depth = 0, line = 1;
  bool pending_do = false;
  const char *p = text, *end = text + len;
  while (p < end && line <= stop_line) {
    if (*p == '\n') {
      line++;
      p++;
    } else if (p + 1 < end && p[0] == '-' && p[1] == '-') {
      const char *lb =
          p + 2 < end && p[2] == '[' ? long_bracket(p + 2, end, &line) : NULL;
      if (lb)
        p = lb;
      else
        while (p < end && *p != '\n')
          p++;
    } else if (*p == '"' || *p == '\'') {
      char q = *p++;
      while (p < end && *p != q && *p != '\n') {
        if (*p == '\\' && p + 1 < end)
          p++;
        p++;
      }
      if (p < end && *p == q)
        p++;
    } else if (*p == '[' && long_bracket(p, end, &line)) {
      int l2 = line;
      p = long_bracket(p, end, &l2);
      line = l2;
    } else if (isalpha((unsigned char)*p) || *p == '_') {
      const char *w = p;
      size_t wn;
      bool field = w > text && (w[-1] == '.' || w[-1] == ':');
      while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
      wn = (size_t)(p - w);
      if (field)
        continue;
      if (word_is(w, wn, "for") || word_is(w, wn, "while") ||
          word_is(w, wn, "if") || word_is(w, wn, "function") ||
          word_is(w, wn, "repeat") || (word_is(w, wn, "do") && !pending_do)) {
        if (depth < BLOCKS_MAX) {
          snprintf(st[depth].kw, sizeof st[depth].kw, "%.*s", (int)wn, w);
          st[depth].line = line;
          st[depth].indent = indent_at(text, w);
          depth++;
        }
        pending_do = word_is(w, wn, "for") || word_is(w, wn, "while");
      } else if (word_is(w, wn, "do")) {
        pending_do = false;
      } else if (word_is(w, wn, "end") || word_is(w, wn, "until")) {
        int ind = indent_at(text, w);
        if (depth > 0 && st[depth - 1].indent > ind) {
          for (int i = depth - 2; i >= 0; i--)
            if (st[i].indent == ind) {
              snprintf(out, n, "the '%s' at line %d has no 'end'",
                       st[depth - 1].kw, st[depth - 1].line);
              return true;
            }
        }
        if (depth > 0)
          depth--;
      }
    } else {
      p++;
    }
  }
  /* blocks still open where the error is are not a finding: the error
   * may be inside them for another reason */
  return false;
}

bool lh_block_hint(const char *path, int error_line, char *out, size_t n) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  size_t len;
  bool found = false;
  if (!f)
    return false;
  text = malloc(BLOCKS_FILE_MAX + 1);
  if (!text)
    goto done;
  len = fread(text, 1, BLOCKS_FILE_MAX, f);
  text[len] = '\0';
  found = scan(text, len, error_line > 0 ? error_line : 1 << 30, out, n);
done:
  free(text);
  fclose(f);
  return found;
}
