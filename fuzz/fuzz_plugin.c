/* Plugin descriptor validation: any bytes become a plugin's descriptor
 * and the assessments its init() registers (sizes of any ABI, strings of
 * any bytes and lengths, NULLs, counts past the limits, numbers that are
 * NaN or infinite), loaded as a shared object's would be. An assessment
 * and a field array take exactly the memory their sizes declare (the ABI
 * lets the host read that much, no more: ASan sees a read past it); the
 * descriptor is a whole rbp_plugin whatever size it claims.
 *
 * The bytes, read in order (0 once they run out):
 *   flags (bit 0: the entry returns NULL), abi_major % 3, abi_minor % 4,
 *   descriptor size (% 4: sizeof, sizeof - 8, 0, sizeof + 64), name,
 *   version, init flags (bit 0: no init, 1: returns -1, 2: registers NULL
 *   first, 3: logs), assessments % 4, and each assessment: size (% 4:
 *   sizeof, ABI 1.0's, 8, sizeof + 32), id, title, instructions, evaluate
 *   (bit 0), flag_words (255: NULL, else pairs % 70 then their strings),
 *   fields (bit 7: NULL, else % 36), field size (% 5: sizeof, ABI 1.0's,
 *   sizeof + 8, 8, 5000), and each field: bit 0 of a byte its size is
 *   wrong, name, label, kind % 5, per_side % 3, unit, min, max, step,
 *   choices (255: NULL, else % 40 then their strings), help, norm_low,
 *   norm_high, mdc.
 * A string: a length byte (255 NULL, 254 1200 bytes of text, 253 a
 * 70-letter word) then that many bytes. A number: a byte (0-200: -100 to
 * 100, 201 NaN, 202 inf, 203 -inf, 204 0.5, 205 8 raw bytes, else b/10). */
#include "fuzz_common.h"
#include "log.h"
#include "plugins.h"

#include <stdbool.h>
#include <string.h>

#define END_OF(type, member)                                                   \
  (offsetof(type, member) + sizeof(((type *)NULL)->member))

typedef struct {
  const uint8_t *p;
  size_t n;
  void *owned[4096]; /* everything allocated for this input */
  size_t nowned;
} fz_reader;

static fz_reader rd;
static rbp_plugin desc;

static uint8_t u8(void) {
  if (rd.n == 0)
    return 0;
  rd.n--;
  return *rd.p++;
}

static void *keep(size_t n) {
  void *m;
  if (rd.nowned >= sizeof rd.owned / sizeof rd.owned[0])
    return NULL;
  m = calloc(1, n ? n : 1);
  if (m)
    rd.owned[rd.nowned++] = m;
  return m;
}

static const char *str(void) {
  uint8_t len = u8();
  char *s;
  if (len == 255)
    return NULL;
  if (len == 254 || len == 253) {
    size_t k = len == 254 ? 1200 : 70;
    s = keep(k + 1);
    if (s)
      memset(s, len == 254 ? 'x' : 'w', k);
    return s;
  }
  s = keep((size_t)len + 1);
  for (size_t i = 0; s && i < len; i++)
    s[i] = (char)u8();
  return s;
}

static double num(void) {
  uint8_t b = u8();
  double d = 0;
  if (b <= 200)
    return (double)b - 100;
  switch (b) {
  case 201:
    return __builtin_nan("");
  case 202:
    return __builtin_inf();
  case 203:
    return -__builtin_inf();
  case 204:
    return 0.5;
  case 205: {
    uint8_t raw[sizeof d] = {0};
    for (size_t i = 0; i < sizeof raw; i++)
      raw[i] = u8();
    memcpy(&d, raw, sizeof d);
    return d;
  }
  default:
    return b / 10.0;
  }
}

static int fake_evaluate(const rbp_host *host, rbp_eval *e, void *user) {
  (void)host, (void)e, (void)user;
  return 0;
}

#define FIELDS_BUILT 36 /* past the host's 32 */

static const rbp_field *make_fields(uint32_t n, uint32_t *fsize_out) {
  static const size_t sizes[] = {sizeof(rbp_field), END_OF(rbp_field, help),
                                 sizeof(rbp_field) + 8, 8, 5000};
  size_t fsize = sizes[u8() % 5], stride;
  rbp_field f[FIELDS_BUILT];
  char *buf;
  if (n > FIELDS_BUILT)
    n = FIELDS_BUILT;
  memset(f, 0, sizeof f);
  for (uint32_t i = 0; i < n; i++) {
    uint8_t count;
    f[i].size = (uint32_t)fsize + ((u8() & 1) ? 8 : 0);
    f[i].name = str();
    f[i].label = str();
    f[i].kind = u8() % 5;
    f[i].per_side = u8() % 3;
    f[i].unit = str();
    f[i].min = num();
    f[i].max = num();
    f[i].step = num();
    count = u8();
    if (count != 255) {
      const char **choices = keep((count % 40 + 1) * sizeof *choices);
      for (int k = 0; choices && k < count % 40; k++)
        choices[k] = str();
      f[i].choices = choices;
    }
    f[i].help = str();
    f[i].norm_low = num();
    f[i].norm_high = num();
    f[i].mdc = num();
  }
  /* the array is laid out as field 0's size says (the ABI's stride),
   * exactly n of them: a read past them is ASan's to see */
  stride = n ? f[0].size : fsize;
  buf = keep(n * stride);
  *fsize_out = (uint32_t)stride;
  for (uint32_t i = 0; buf && i < n; i++)
    memcpy(buf + i * stride, &f[i],
           stride < sizeof f[i] ? stride : sizeof f[i]);
  return (const rbp_field *)(void *)buf;
}

static const rbp_assessment *make_assessment(void) {
  static const size_t sizes[] = {sizeof(rbp_assessment),
                                 END_OF(rbp_assessment, user), 8,
                                 sizeof(rbp_assessment) + 32};
  size_t size = sizes[u8() % 4];
  rbp_assessment a;
  uint8_t b;
  char *buf = keep(size); /* exactly its declared size */
  if (!buf)
    return NULL;
  memset(&a, 0, sizeof a);
  a.size = (uint32_t)size;
  a.id = str();
  a.title = str();
  a.instructions = str();
  a.evaluate = (u8() & 1) ? fake_evaluate : NULL;
  b = u8();
  if (b != 255) {
    size_t pairs = b % 70;
    const char **words = keep((2 * pairs + 1) * sizeof *words);
    for (size_t k = 0; words && k < 2 * pairs; k++)
      words[k] = str();
    a.flag_words = words;
  }
  b = u8();
  if (!(b & 0x80)) {
    a.nfields = b % 36;
    a.fields = make_fields(a.nfields, &(uint32_t){0});
  } else {
    a.nfields = b % 36;
  }
  memcpy(buf, &a, size < sizeof a ? size : sizeof a);
  return (const rbp_assessment *)(void *)buf;
}

static int fake_init(const rbp_host *host, rbp_context *ctx) {
  uint8_t flags = u8();
  int n = u8() % 4;
  if (flags & 4)
    host->register_assessment(ctx, NULL);
  if (flags & 8)
    host->log(ctx, u8() % 5, str() ? "a line\nwith a newline" : "x");
  for (int i = 0; i < n; i++) {
    const rbp_assessment *a = make_assessment();
    if (a)
      host->register_assessment(ctx, a);
  }
  return (flags & 2) ? -1 : 0;
}

static const rbp_plugin *fake_entry(void) {
  static const uint32_t sizes[] = {sizeof(rbp_plugin), sizeof(rbp_plugin) - 8,
                                   0, sizeof(rbp_plugin) + 64};
  uint8_t flags = u8();
  memset(&desc, 0, sizeof desc);
  desc.abi_major = u8() % 3;
  desc.abi_minor = u8() % 4;
  desc.size = sizes[u8() % 4];
  desc.name = str();
  desc.version = str();
  /* the init flags are read by fake_init itself: bit 0 is peeked here */
  desc.init = (rd.n && (rd.p[0] & 1)) ? NULL : fake_init;
  return (flags & 1) ? NULL : &desc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
  /* FUZZ_VERBOSE=1: what the host says of this input (to read a crash) */
  bool verbose = getenv("FUZZ_VERBOSE") != NULL;
  FILE *null =
      verbose ? fdopen(dup(STDOUT_FILENO), "w") : fopen("/dev/null", "w");
  rb_plugins *p;
  rb_log_set_level(verbose ? RB_LOG_INFO : RB_LOG_ERROR);
  rd.p = data;
  rd.n = n;
  rd.nowned = 0;
  p = rb_plugins_load(NULL);
  if (p && null) {
    rb_plugins_add_entry(p, "fuzz.so", fake_entry);
    rb_plugins_print(p, null);
    (void)rb_plugins_loaded(p);
    (void)rb_plugins_refused(p);
    {
      char why[600];
      for (int i = 0; rb_plugins_problem(p, i, why, sizeof why); i++)
        ;
    }
  }
  rb_plugins_free(p);
  if (null)
    fclose(null);
  for (size_t i = 0; i < rd.nowned; i++)
    free(rd.owned[i]);
  return 0;
}
