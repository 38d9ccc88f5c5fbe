/* figure_internal: what figure.c (the set, poses, placement, the command),
 * figure_load.c (the sandboxed loader and its checks) and figure_draw.c
 * (triangles) share. Not part of any interface: figure.h is.
 *
 * Figure space is in centimetres of a 170 cm person, y up, the hip centre
 * at the origin until a pose is placed; a side view faces +x. */
#ifndef RB_FIGURE_INTERNAL_H
#define RB_FIGURE_INTERNAL_H

#include "figure.h"

#define FIG_NAME_MAX 48
#define FIG_TITLE_MAX 96
#define FIG_PATH_MAX 512
#define FIG_POSES_MAX 12
#define FIG_SEQ_MAX 16
#define FIG_PROPS_MAX 8
#define FIG_RECTS_MAX 24
#define FIG_PROBLEMS_MAX 24
#define FIG_PROBLEM_LEN 640
/* A figure file is data: a few KiB. */
#define FIG_FILE_MAX ((size_t)64 << 10)
#define FIG_MEMORY_MAX ((size_t)4 << 20)
#define FIG_INSTRUCTIONS_MAX 10000000L
#define FIG_WALL_MS_MAX 500

typedef enum { FIG_VIEW_SIDE = 0, FIG_VIEW_FRONT } fig_view;
typedef enum { FIG_SIDE_NONE = 0, FIG_SIDE_LEFT, FIG_SIDE_RIGHT } fig_side;

/* Limbs, as bits: the working limbs a figure highlights. */
enum {
  FIG_LIMB_ARM_L = 1,
  FIG_LIMB_ARM_R = 2,
  FIG_LIMB_LEG_L = 4,
  FIG_LIMB_LEG_R = 8
};

/* The joints a pose sets, in degrees. Paired joints are _l then _r. */
typedef enum {
  FJ_PELVIS = 0,
  FJ_TRUNK,
  FJ_NECK,
  FJ_HEAD,
  FJ_SHOULDER_L,
  FJ_SHOULDER_R,
  FJ_ELBOW_L,
  FJ_ELBOW_R,
  FJ_WRIST_L,
  FJ_WRIST_R,
  FJ_HIP_L,
  FJ_HIP_R,
  FJ_KNEE_L,
  FJ_KNEE_R,
  FJ_ANKLE_L,
  FJ_ANKLE_R,
  /* how far a bone turns out of the picture (0 to 85 degrees): it is
   * drawn shorter, as a thigh pointing at you looks short */
  FJ_SHOULDER_L_OUT,
  FJ_SHOULDER_R_OUT,
  FJ_ELBOW_L_OUT,
  FJ_ELBOW_R_OUT,
  FJ_HIP_L_OUT,
  FJ_HIP_R_OUT,
  FJ_KNEE_L_OUT,
  FJ_KNEE_R_OUT,
  FJ_COUNT
} fig_joint;

/* Named places on the body (anchor, ground, where props go). */
typedef enum {
  FP_HIP = 0, /* the hip centre: the root */
  FP_HIP_L,
  FP_HIP_R,
  FP_WAIST, /* the middle of the back */
  FP_NECK,  /* the base of the neck */
  FP_SHOULDER_L,
  FP_SHOULDER_R,
  FP_ELBOW_L,
  FP_ELBOW_R,
  FP_WRIST_L,
  FP_WRIST_R,
  FP_HAND_L,
  FP_HAND_R,
  FP_KNEE_L,
  FP_KNEE_R,
  FP_ANKLE_L,
  FP_ANKLE_R,
  FP_HEEL_L,
  FP_HEEL_R,
  FP_TOE_L,
  FP_TOE_R,
  FP_HEAD, /* the centre of the head */
  FP_COUNT
} fig_point;

/* A place: one point, or the middle of two ("knee" = both knees). */
typedef struct {
  signed char a, b; /* fig_point; b == a for one point */
} fig_place;

typedef enum {
  FIG_PROP_FLOOR = 0,
  FIG_PROP_MAT,
  FIG_PROP_WALL,
  FIG_PROP_DOOR_FRAME,
  FIG_PROP_STEP,
  FIG_PROP_CHAIR,
  FIG_PROP_MIRROR,
  FIG_PROP_KINDS
} fig_prop_kind;

typedef struct {
  fig_prop_kind kind;
  bool has_at;
  fig_place at;  /* wall, door_frame: the place it touches; step, chair:
                    the place resting on it (`under`) */
  int pose;      /* index into poses of the pose `at` is taken in */
  double height; /* step: its height when given (cm), else 0 */
  bool behind;   /* wall, door_frame: behind the figure (-x) */
} fig_prop;

/* Flat shapes of the props, in figure space, worked out at load. */
typedef enum {
  FIG_RECT_PROP = 0, /* a wall, a frame, a chair, a step */
  FIG_RECT_EDGE,     /* a lighter edge on a prop */
  FIG_RECT_MAT,
  FIG_RECT_FLOOR, /* spans the whole box */
  FIG_RECT_FRAME  /* an outline (the mirror's frame) */
} fig_rect_style;

typedef struct {
  double x0, y0, x1, y1; /* x0 < x1, y0 < y1 */
  double radius;         /* rounded corners, cm */
  fig_rect_style style;
} fig_rect;

/* One loaded figure. */
typedef struct {
  char name[FIG_NAME_MAX];
  char path[FIG_PATH_MAX];
  char title[FIG_TITLE_MAX];
  fig_view view;
  fig_side side;
  unsigned limbs; /* the working limbs (FIG_LIMB_*): `limbs`, else side's */
  int nposes;
  char pose_names[FIG_POSES_MAX][FIG_NAME_MAX];
  double poses[FIG_POSES_MAX][FJ_COUNT];
  int nseq;
  int seq[FIG_SEQ_MAX];
  fig_place anchor;
  bool has_ground;
  fig_place ground;
  int nprops;
  fig_prop props[FIG_PROPS_MAX];
  /* worked out at load (fig_prepare) */
  double anchor_x; /* the anchor's x in the first pose of the sequence */
  double minx, miny, maxx, maxy; /* everything ever drawn, with a margin */
  double floor_y;                /* the floor's top */
  int nrects;
  fig_rect rects[FIG_RECTS_MAX];
} fig_figure;

/* --- the body of one pose, in figure space --- */

#define FIG_PARTS_MAX 20

typedef enum {
  FIG_TONE_NEAR = 0, /* the near side (side view), or any limb (front) */
  FIG_TONE_FAR,      /* side view: the far side's limbs, a little darker */
} fig_tone;

/* The layers a body is drawn in, back to front; each layer is outlined as
 * one piece, so an arm over the trunk stands out but a knee does not. The
 * names are the side view's; from the front they hold the other leg, the
 * working leg, the body, the other arm and the working arm. */
typedef enum {
  FIG_LAYER_BACK_ARM = 0,
  FIG_LAYER_BACK_LEG,
  FIG_LAYER_BODY,
  FIG_LAYER_FRONT_LEG,
  FIG_LAYER_FRONT_ARM,
  FIG_LAYER_HEAD, /* front view: the head, over a hand laid on it */
  FIG_LAYERS
} fig_layer;

typedef struct {
  double x, y, r;
} fig_circle;

/* A convex part: the hull of up to 4 circles, listed counter-clockwise. */
typedef struct {
  fig_circle c[4];
  int n;
  fig_layer layer;
  fig_tone tone;
  unsigned limb; /* the limb it belongs to (FIG_LIMB_*), 0 for the body */
} fig_part;

typedef struct {
  double px[FP_COUNT], py[FP_COUNT];
  double pr[FP_COUNT]; /* how thick the body is around each place */
  int nparts;
  fig_part parts[FIG_PARTS_MAX];
  double head_up; /* radians: the head's up (side: face is up - 90 deg) */
} fig_body;

/* --- figure_load.c --- */

/* Problems of one file, "FILE:LINE: message" each. */
typedef struct {
  int n;
  char line[FIG_PROBLEMS_MAX][FIG_PROBLEM_LEN];
} fig_problems;

/* Loads and checks one file into *out (name from the file name). False
 * when it has a problem (in probs; at least one). */
bool fig_load_file(const char *path, fig_figure *out, fig_problems *probs);

/* Joint and place names, for messages and the listing. */
const char *fig_joint_name(fig_joint j);
const char *fig_prop_name(fig_prop_kind k);
/* The place called name ("knee_l", "knee", "hip"); false when none. */
bool fig_place_find(const char *name, fig_place *out);
/* Edit distance, capped at 9 (for "did you mean"). */
int fig_distance(const char *a, const char *b);

/* --- figure.c --- */

/* The body in a pose (angles per joint), before placing: hip centre at the
 * origin. breath 0..1 raises the shoulders and the chest a little. */
void fig_pose_body(const fig_figure *fig, const double *angles, double breath,
                   fig_body *out);
/* Where a place is in a body; its thickness in *r (may be NULL). */
void fig_place_at(const fig_body *b, fig_place p, double *x, double *y,
                  double *r);
/* Moves the body so it rests on the floor (its ground place, else its
 * lowest part, at y = 0) and its anchor is where it is in the first pose;
 * from is the body the placement is worked out on (the same pose without
 * breath), to the body moved. */
void fig_place_body(const fig_figure *fig, const fig_body *from, fig_body *to);
/* The angles at pos 0..1 along the sequence, eased in and out. */
void fig_angles_at(const fig_figure *fig, double pos, double *angles);
/* Works out the props' shapes, the anchor and the bounds after loading. */
void fig_prepare(fig_figure *fig);

/* --- figure_draw.c --- */

/* Draws a placed body and the figure's props into box; the limbs in
 * highlight (FIG_LIMB_* bits) are drawn in hl, mirror flips it all left to
 * right. */
void fig_draw(rb_ui *ui, const fig_figure *fig, const fig_body *body,
              SDL_Rect box, bool mirror, unsigned highlight, SDL_Color hl);

#endif
