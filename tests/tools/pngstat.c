/* pngstat: numbers about screenshots, for the screen tests.
 *
 *   pngstat A.png          prints "width height colours coverage"
 *   pngstat A.png B.png    prints the same for A and, on the same line,
 *                          the mean absolute per-channel difference (0-255)
 *                          between A and B
 *
 * colours is the number of distinct RGB colours; coverage is the fraction
 * of pixels that differ from the most common colour (the background, in a
 * drawn screen). Exit status: 0 fine, 1 the two images differ in size,
 * 2 usage or an image that cannot be read. */
#include <SDL.h>
#include <SDL_image.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads a PNG as packed 32-bit RGBA pixels; NULL (with a message) when it
 * cannot. */
static SDL_Surface *load(const char *path) {
  SDL_Surface *img = IMG_Load(path), *rgba;
  if (!img) {
    fprintf(stderr, "pngstat: %s: %s\n", path, IMG_GetError());
    return NULL;
  }
  rgba = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_RGBA32, 0);
  SDL_FreeSurface(img);
  if (!rgba)
    fprintf(stderr, "pngstat: %s: %s\n", path, SDL_GetError());
  return rgba;
}

/* The RGB value of pixel (x, y), alpha left out. */
static uint32_t rgb_at(const SDL_Surface *s, int x, int y) {
  const uint8_t *p = (const uint8_t *)s->pixels + (size_t)y * s->pitch + 4 * x;
  return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Prints "width height colours coverage" for s, without the newline. */
static int stat_image(const SDL_Surface *s) {
  size_t n = (size_t)s->w * s->h, colours = 0, best = 0, run = 0;
  uint32_t *px = malloc(n ? n * sizeof *px : 1);
  if (!px) {
    fprintf(stderr, "pngstat: out of memory\n");
    return 0;
  }
  for (int y = 0; y < s->h; y++)
    for (int x = 0; x < s->w; x++)
      px[(size_t)y * s->w + x] = rgb_at(s, x, y);
  qsort(px, n, sizeof *px, cmp_u32);
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || px[i] != px[i - 1]) {
      colours++;
      run = 0;
    }
    if (++run > best)
      best = run;
  }
  free(px);
  printf("%d %d %zu %.6f", s->w, s->h, colours,
         n ? (double)(n - best) / (double)n : 0.0);
  return 1;
}

/* Mean absolute difference over the R, G and B channels of every pixel. */
static double mean_diff(const SDL_Surface *a, const SDL_Surface *b) {
  double sum = 0;
  for (int y = 0; y < a->h; y++)
    for (int x = 0; x < a->w; x++) {
      uint32_t p = rgb_at(a, x, y), q = rgb_at(b, x, y);
      for (int sh = 0; sh <= 16; sh += 8)
        sum += abs((int)(p >> sh & 0xff) - (int)(q >> sh & 0xff));
    }
  return a->w && a->h ? sum / (3.0 * a->w * a->h) : 0.0;
}

int main(int argc, char **argv) {
  SDL_Surface *a = NULL, *b = NULL;
  int code = 2;

  if (argc < 2 || argc > 3 || strcmp(argv[1], "--help") == 0) {
    fprintf(stderr, "usage: pngstat A.png [B.png]\n"
                    "  prints: width height colours coverage [meandiff]\n");
    return 2;
  }
  if (!(IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG)) {
    fprintf(stderr, "pngstat: no PNG support: %s\n", IMG_GetError());
    return 2;
  }
  a = load(argv[1]);
  if (argc == 3)
    b = load(argv[2]);
  if (!a || (argc == 3 && !b))
    goto done;
  if (!stat_image(a))
    goto done;
  code = 0;
  if (b && (a->w != b->w || a->h != b->h)) {
    printf("\n");
    fprintf(stderr, "pngstat: sizes differ: %dx%d and %dx%d\n", a->w, a->h,
            b->w, b->h);
    code = 1;
  } else if (b) {
    printf(" %.4f\n", mean_diff(a, b));
  } else {
    printf("\n");
  }
done:
  SDL_FreeSurface(a);
  SDL_FreeSurface(b);
  IMG_Quit();
  return code;
}
