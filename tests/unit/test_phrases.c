/* phrases: the engine's words in English and German, language matching. */
#include "phrases.h"
#include "tap.h"

int main(void) {
  static const char *const langs[] = {"en", "de"};
  int missing = 0, same = 0;

  for (int l = 0; l < 2; l++)
    for (int p = 0; p < RB_PHRASE_COUNT; p++) {
      const char *text = rb_phrase_text(langs[l], (rb_phrase)p);
      if (!text || !*text) {
        printf("# %s phrase %d has no text\n", langs[l], p);
        missing++;
      }
    }
  is_int(missing, 0, "every phrase has text in English and German");
  for (int p = 0; p < RB_PHRASE_COUNT; p++)
    if (strcmp(rb_phrase_text("en", (rb_phrase)p),
               rb_phrase_text("de", (rb_phrase)p)) == 0)
      same++;
  is_int(same, 0, "German is not English");

  {
    /* a format has the same conversions, in order, in every language */
    int bad = 0;
    for (int p = RB_PHRASE_SPOKEN_COUNT; p < RB_PHRASE_COUNT; p++) {
      char a[16] = "", b[16] = "";
      const char *t;
      size_t n = 0;
      for (t = rb_phrase_text("en", (rb_phrase)p); *t && n < 15; t++)
        if (*t == '%' && t[1])
          a[n++] = *++t;
      n = 0;
      for (t = rb_phrase_text("de", (rb_phrase)p); *t && n < 15; t++)
        if (*t == '%' && t[1])
          b[n++] = *++t;
      if (strcmp(a, b) != 0) {
        printf("# phrase %d: en %%%s, de %%%s\n", p, a, b);
        bad++;
      }
    }
    is_int(bad, 0, "formats agree between English and German");
  }
  {
    char out[64];
    is_str(rb_phrase_format("en", RB_PHRASE_NEXT_HOLDS, out, sizeof out,
                            "Bridge", 30.0, 2),
           "Bridge, hold 30 s x 2", "a format filled in");
    is_str(rb_phrase_format("de", RB_PHRASE_NEXT_REST, out, sizeof out, 10.0),
           "Pause 10 s", "and in German");
    is_str(rb_phrase_format("en", RB_PHRASE_HALFWAY, out, sizeof out),
           "Halfway", "a plain phrase is copied");
    is_str(rb_phrase_format("en", RB_PHRASE_NEXT_SETS, out, 8, "Bridge", 3, 10),
           "Bridge,", "cut to fit");
  }
  is_str(rb_phrase_text("en", RB_PHRASE_HALFWAY), "Halfway", "en: Halfway");
  is_str(rb_phrase_text("de", RB_PHRASE_HALFWAY), "Halbzeit", "de: Halbzeit");
  is_str(rb_phrase_text("de", RB_PHRASE_LEFT_SIDE), "Linke Seite",
         "de: Linke Seite");
  like(rb_phrase_text("en", RB_PHRASE_STOP_PAIN), "hurt",
       "the pain question after STOP");
  like(rb_phrase_text("de", RB_PHRASE_STOP_PAIN), "Schmerzen", "and in German");

  ok(rb_phrase_text("de-DE", RB_PHRASE_REST) ==
         rb_phrase_text("de", RB_PHRASE_REST),
     "\"de-DE\" matches \"de\"");
  ok(rb_phrase_text("DE_at", RB_PHRASE_REST) ==
         rb_phrase_text("de", RB_PHRASE_REST),
     "case and underscore do not matter");
  ok(rb_phrase_text("en-gb", RB_PHRASE_REST) ==
         rb_phrase_text("en", RB_PHRASE_REST),
     "\"en-gb\" matches \"en\"");
  is_str(rb_phrase_text("fr", RB_PHRASE_WELL_DONE), "Well done",
         "unknown language: English");
  is_str(rb_phrase_text(NULL, RB_PHRASE_WELL_DONE), "Well done",
         "NULL language: English");
  is_str(rb_phrase_text("", RB_PHRASE_WELL_DONE), "Well done",
         "empty language: English");
  is_str(rb_phrase_text("d", RB_PHRASE_WELL_DONE), "Well done",
         "one letter: English");
  is_str(rb_phrase_text("en", RB_PHRASE_COUNT), "",
         "a phrase out of range: empty, never NULL");

  ok(rb_phrase_has_language("en"), "has English");
  ok(rb_phrase_has_language("de"), "has German");
  ok(rb_phrase_has_language("de-DE"), "has de-DE");
  ok(!rb_phrase_has_language("fr"), "no French (falls back)");
  ok(!rb_phrase_has_language(NULL), "NULL: no");
  ok(!rb_phrase_has_language(""), "empty: no");
  return tap_done();
}
