/* check: the errors of a routine's branches and the warnings about its
 * length and its words (see check.h). */
#include "check.h"

#include "explore.h"
#include "ui.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

/* How many runs along a routine's branches: every answer of a dozen
 * questions, a second or two under ASan. */
#define CHECK_RUNS 96
#define CHECK_TEXTS_MAX 256
#define SESSION_MAX_S (20 * 60)

/* A text the patient reads, gathered from the runs' events. */
typedef struct {
  const char *what; /* "title", "instruction", "question", "words" */
  char text[RB_TEXT_MAX];
} seen_text;

typedef struct {
  seen_text t[CHECK_TEXTS_MAX];
  int n;
} texts;

static void keep(texts *ts, const char *what, const cJSON *f, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, key);
  if (!cJSON_IsString(v) || !v->valuestring[0] || ts->n >= CHECK_TEXTS_MAX)
    return;
  for (int i = 0; i < ts->n; i++)
    if (strcmp(ts->t[i].text, v->valuestring) == 0 &&
        strcmp(ts->t[i].what, what) == 0)
      return;
  ts->t[ts->n].what = what;
  snprintf(ts->t[ts->n].text, sizeof ts->t[0].text, "%s", v->valuestring);
  ts->n++;
}

static void on_event(void *ud, rb_ms t, const char *event,
                     const cJSON *fields) {
  texts *ts = ud;
  (void)t;
  if (!fields)
    return;
  if (strcmp(event, "show") == 0) {
    keep(ts, "title", fields, "title");
    keep(ts, "instruction", fields, "text");
  } else if (strcmp(event, "say") == 0) {
    keep(ts, "words", fields, "text");
  } else if (strcmp(event, "ask") == 0 || strcmp(event, "ask_scale") == 0) {
    keep(ts, "question", fields, "question");
  } else if (strcmp(event, "measure") == 0) {
    keep(ts, "question", fields, "name");
  }
}

/* The line of the routine file where text (or its first words) is
 * written; fallback when it is built at run time. */
static int line_of(const char *path, const char *text, int fallback) {
  FILE *f = fopen(path, "r");
  char line[4096], probe[25];
  int n = 0, found = 0;
  if (!f)
    return fallback;
  snprintf(probe, sizeof probe, "%s", text);
  /* up to the first character written as an escape in the file, maybe */
  for (char *c = probe; *c; c++)
    if ((unsigned char)*c >= 0x80 || *c == '\\' || *c == '"') {
      *c = '\0';
      break;
    }
  if (strlen(probe) < 4) {
    fclose(f);
    return fallback;
  }
  while (!found && fgets(line, sizeof line, f)) {
    n++;
    if (strstr(line, probe))
      found = n;
  }
  fclose(f);
  return found ? found : fallback;
}

/* The boxes a text has at 800x480 (screen_run.c, screen_question.c): a
 * title on two lines of the primary size across the screen; an
 * instruction in the stage beside the panel, down to the smallest size;
 * a question over the answers. */
static bool fits(rb_ui *ui, const seen_text *t) {
  if (strcmp(t->what, "title") == 0)
    return rb_ui_text_box_fits(ui, RB_FONT_BOLD, RB_TEXT_PRIMARY,
                               RB_TEXT_PRIMARY, t->text, 768, 112);
  if (strcmp(t->what, "instruction") == 0)
    return rb_ui_text_box_fits(ui, RB_FONT_REGULAR, 52, RB_TEXT_MIN, t->text,
                               440, 200);
  if (strcmp(t->what, "question") == 0)
    return rb_ui_text_box_fits(ui, RB_FONT_BOLD, RB_TEXT_PRIMARY, RB_TEXT_MIN,
                               t->text, 768, 150);
  return true; /* spoken words go by as a caption */
}

static void text_warnings(const char *path, int line0, const texts *ts,
                          FILE *out) {
  SDL_Surface *s =
      SDL_CreateRGBSurfaceWithFormat(0, 800, 480, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
  char err[256];
  rb_ui *ui = r ? rb_ui_new(r, NULL, err, sizeof err) : NULL;
  if (!ui)
    goto done;
  rb_ui_resize(ui, 800, 480);
  for (int i = 0; i < ts->n; i++) {
    const seen_text *t = &ts->t[i];
    Uint32 cp;
    int line = line_of(path, t->text, line0);
    if (rb_ui_glyph_missing(ui, t->text, &cp))
      fprintf(out,
              "%s:%d: warning: the %s \"%s\" has a character the screen "
              "cannot draw (U+%04X): it shows as an empty box\n",
              path, line, t->what, t->text, (unsigned)cp);
    else if (!fits(ui, t))
      fprintf(out,
              "%s:%d: warning: the %s \"%s\" does not fit the 800x480 "
              "screen at a size a patient reads from 2-3 m: shorten it\n",
              path, line, t->what, t->text);
  }
done:
  rb_ui_free(ui);
  if (r)
    SDL_DestroyRenderer(r);
  SDL_FreeSurface(s);
}

static void mmss(double s, char *out, size_t n) {
  snprintf(out, n, "%d min %02d s", (int)s / 60, (int)s % 60);
}

static void length_warning(const char *path, const rb_meta *m,
                           const rb_explore *ex, FILE *out) {
  char a[32], when[RB_ERROR_MAX + 16] = "";
  mmss(ex->longest_s, a, sizeof a);
  if (ex->longest_how[0])
    snprintf(when, sizeof when, " (when %s)", ex->longest_how);
  if (m->minutes > 0 && ex->longest_s > m->minutes * 60)
    fprintf(out,
            "%s:%d: warning: a session can take %s of timed steps%s, longer "
            "than the %g minutes the routine announces\n",
            path, m->line, a, when, m->minutes);
  else if (ex->longest_s > SESSION_MAX_S)
    fprintf(out,
            "%s:%d: warning: a session can take %s of timed steps%s, more "
            "than 20 minutes: patients stop before the end\n",
            path, m->line, a, when);
}

int rb_check_routine(const char *path, const struct rb_plugins *plugins,
                     double *seconds, FILE *out) {
  rb_explore *ex = calloc(1, sizeof *ex);
  texts *ts = calloc(1, sizeof *ts);
  rb_session_opts o = {.plugins = plugins};
  char err[RB_ERROR_MAX];
  rb_routine *r = NULL;
  int n = 1;
  *seconds = 0;
  if (!ex || !ts) {
    fprintf(out, "%s: out of memory\n", path);
    goto done;
  }
  o.sinks[o.nsinks++] = (rb_sink){.ud = ts, .event = on_event};
  rb_explore_run(path, &o, CHECK_RUNS, ex);
  n = ex->nerrors;
  for (int i = 0; i < ex->nerrors; i++)
    fprintf(out, "%s%s%s%s\n", ex->errors[i], ex->how[i][0] ? " (when " : "",
            ex->how[i], ex->how[i][0] ? ")" : "");
  *seconds = ex->default_s;
  if (n)
    goto done;
  r = rb_routine_load(path, NULL, 1, err, sizeof err);
  if (r) {
    length_warning(path, rb_routine_meta(r), ex, out);
    text_warnings(path, rb_routine_meta(r)->line, ts, out);
  }
  if (ex->dup_line)
    fprintf(out,
            "%s:%d: warning: the question \"%s\" is asked at line %d too: "
            "give each its own text (--answer and the results tell them "
            "apart by it)\n",
            path, ex->dup_line, ex->dup_text, ex->dup_first);
  if (!ex->complete)
    fprintf(out, "%s: note: %d runs took some of its branches, not all\n", path,
            ex->runs);
done:
  rb_routine_free(r);
  free(ex);
  free(ts);
  return n;
}
