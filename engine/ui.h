/* ui: drawing for screens. Fonts, a cache of rendered text textures, and
 * a layout scale taken from the window size (800x480 up to 1920x1080,
 * portrait 720x1280). Drawing primitives are added below by the screens
 * work; the app uses only the lifecycle functions. */
#ifndef RB_UI_H
#define RB_UI_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rb_ui rb_ui;

/* font_path NULL finds DejaVu Sans (fonts-dejavu-core) on the system. */
rb_ui *rb_ui_new(SDL_Renderer *r, const char *font_path, char *err,
                 size_t errlen);
void rb_ui_free(rb_ui *ui);
/* The output size changed: re-lay out, scale fonts. */
void rb_ui_resize(rb_ui *ui, int w, int h);
/* SDL_RENDER_TARGETS_RESET / DEVICE_RESET: drop every cached texture. */
void rb_ui_textures_lost(rb_ui *ui);

#endif
