/* figure: movement figures drawn by the engine.
 *
 * A figure is a friendly, thick-limbed person on a 2D skeleton (pelvis,
 * trunk, neck, head, upper and lower arms, hands, upper and lower legs,
 * feet), seen from the side or from the front, posed by joint angles, with
 * the props its exercise needs (door frame, wall, floor, mat, step, chair,
 * mirror). A figure file (assets/figures/NAME.lua bundled, figures/NAME.lua
 * beside a clinic's routines) is data only: it returns figure{...} with its
 * key poses and the order the movement goes through them (docs/figures.md).
 * Files are run in a sandbox of their own (no io, os, require, load ...;
 * an instruction and a memory cap; text only, 64 KiB at most) and checked:
 * unknown joints, angles past a joint's human range, poses the sequence
 * names but nobody wrote are "FILE:LINE: message" problems, and a file with
 * any problem is left out.
 *
 * Drawing is cheap: a few hundred triangles through SDL_RenderGeometry, no
 * allocation, no Lua; everything a frame needs was worked out at load. */
#ifndef RB_FIGURE_H
#define RB_FIGURE_H

#include "ui.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct rb_figures rb_figures;

/* Loads every NAME.lua in dirs, in order (a later dir's NAME replaces an
 * earlier one's: a clinic's figures/ over the bundled assets/figures/). A
 * missing dir is no problem. Problems as "FILE:LINE: message" lines. NULL
 * only when out of memory. */
rb_figures *rb_figures_load(const char *const *dirs, int ndirs);
void rb_figures_free(rb_figures *f);
/* "FILE:LINE: message" lines, each ending in '\n'; "" when none. */
const char *rb_figures_problems(const rb_figures *f);
int rb_figures_count(const rb_figures *f);
/* The i-th name, sorted by name; NULL out of range. */
const char *rb_figures_name(const rb_figures *f, int i);
bool rb_figures_has(const rb_figures *f, const char *name);
/* How many key poses the figure's movement goes through: 1 for a still
 * (nothing to animate), 2 or more for a movement; 0 when there is no such
 * figure (or f is NULL). */
int rb_figures_poses(const rb_figures *f, const char *name);
/* The name of the movement's i-th key pose (0 to rb_figures_poses - 1),
 * NULL out of range. */
const char *rb_figures_pose_name(const rb_figures *f, const char *name, int i);
/* Width over height of the figure with its props, over its whole
 * movement (a person lying on a mat is wide, one standing tall); 0 when
 * there is no such figure. */
double rb_figures_aspect(const rb_figures *f, const char *name);
/* How far (px, drawn into box) the figure's farthest-moving joint goes
 * between movement positions pos0 and pos1: a moving figure needs a new
 * frame only when this is more than a pixel or two. */
double rb_figures_motion_px(const rb_figures *f, const char *name, SDL_Rect box,
                            double pos0, double pos1);
/* The file the figure was loaded from; NULL when there is no such figure. */
const char *rb_figures_path(const rb_figures *f, const char *name);

/* Draws figure `name` with its props into box: pos is where the movement
 * is, 0 = its first key pose, 1 = its last, through the poses in between
 * in order, eased in/out between key poses; breath 0..1 is the phase of a
 * slow breath while holding (0 and 1: none; a slight rise of the
 * chest/shoulders); side "left"/"right" mirrors the figure so the working
 * side is that side (and that side's limbs are highlighted in
 * rb_ui_side_color(side)); "" draws it as written, highlighting nothing.
 * The figure keeps its proportions and is centred in box; it scales to the
 * box. False (nothing drawn) when there is no such figure. */
bool rb_figure_draw(rb_ui *ui, const rb_figures *f, const char *name,
                    SDL_Rect box, double pos, double breath, const char *side);

/* --- frames kept for a moving figure ---------------------------------------
 *
 * A moving figure goes through the same poses again and again (a tempo
 * set repeats one movement). With SDL's software renderer a frame copied
 * costs a fraction of one drawn (it fills every triangle's bounding box),
 * so a run screen keeps the frames it drew: the figure on its panel, keyed
 * by figure, side, box size and the position rounded to a step of the
 * movement (small enough that it never shows: at most half the distance
 * after which the run screen draws a new frame). Kept within max_bytes,
 * the least recently used frame going first; a box too large for enough
 * frames, or a breathing figure (a hold), is drawn every time. */
typedef struct rb_figure_frames rb_figure_frames;

/* NULL when out of memory. */
rb_figure_frames *rb_figure_frames_new(size_t max_bytes);
/* Frees the frames (their textures): before the renderer goes. */
void rb_figure_frames_free(rb_figure_frames *c);
/* The panel (radius, colour; the corners outside it in bg) and
 * rb_figure_draw's figure on it, copied from a kept frame when there is
 * one (c NULL: always drawn). False when there is no such figure (the
 * panel is drawn all the same). */
bool rb_figure_draw_kept(rb_figure_frames *c, rb_ui *ui, const rb_figures *f,
                         const char *name, SDL_Rect box, int radius,
                         SDL_Color panel, SDL_Color bg, double pos,
                         double breath, const char *side);
/* Frames copied, and drawn into a new frame (for tests). */
void rb_figure_frames_stats(const rb_figure_frames *c, long *copied,
                            long *drawn);

/* rebalance check on a figure file: true when it loads; else false with
 * "FILE:LINE: message" in err (one line per problem, '\n' between). */
bool rb_figure_check(const char *path, char *err, size_t errlen);

/* Whether `rebalance check` should take path for a figure file: it lies
 * in a folder named figures/, or it returns figure{...}. */
bool rb_figure_file_is(const char *path);

/* (The bundled figures' folder: rb_paths_figures, paths.h.) */
/* A clinic's own figures: the figures/ folder inside its routines folder.
 * Returns buf. */
const char *rb_figures_clinic_dir(const char *routines_dir, char *buf,
                                  size_t n);

/* `rebalance check` on a routine: one "FILE:LINE: warning: ..." line to
 * out for each show{figure = "NAME"} whose NAME is no figure in the
 * bundled or the routine's folder's figures/. Returns how many. Names
 * only known when the routine runs are not seen. */
int rb_figures_check_routine(const char *routine_path, FILE *out);
/* The first figure a routine file names as a literal show{figure = "NAME"}
 * into out (the intro card shows it); false when it names none. */
bool rb_figures_first_in(const char *routine_path, char *out, size_t n);

/* `rebalance figures [--out DIR]`: lists every figure (bundled and the
 * clinic's in routines_dir/figures) with its view, props and poses on
 * out, problems on err; with out_dir, renders each key pose to
 * DIR/NAME-POSE.png (size WxH, default 480x480) on SDL's offscreen
 * driver, and DIR/NAME.png with all its key poses side by side. Returns
 * the exit code (1 when a figure has a problem or a file cannot be
 * written). */
int rb_figures_command(const char *routines_dir, const char *out_dir,
                       const char *font, const char *size, FILE *out,
                       FILE *err);

#endif
