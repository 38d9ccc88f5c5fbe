/* figure: the set of figures, the skeleton, poses and placing them.
 *
 * The skeleton hangs from the hip centre. The pelvis angle turns the whole
 * body in the picture (0 upright, 90 face down or, seen from the front,
 * lying on the left side; -90 on the back); every other joint turns its
 * bone from its parent's. The trunk bends in two halves (low back, upper
 * back), so a flexed trunk is drawn curved. Seen from the side the figure
 * faces +x and shows its left side; from the front its left side is on
 * the picture's right. */
#include "figure_internal.h"
#include "paths.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEG (M_PI / 180.0)

struct rb_figures {
  fig_figure **figs; /* sorted by name */
  int n;
  char *problems;
  size_t problems_len;
};

/* --- the skeleton --------------------------------------------------------- */

/* Lengths and thicknesses in cm, a 170 cm adult drawn a little sturdy. */
#define LEN_LUMBAR 22.0
#define LEN_THORAX 28.0
#define LEN_NECK 8.0
#define LEN_HEAD 10.0 /* top of the neck to the centre of the head */
#define LEN_UPPER_ARM 29.0
#define LEN_FOREARM 25.0
#define LEN_HAND 5.5
#define LEN_THIGH 43.0
#define LEN_SHIN 42.0
#define R_HEAD 11.5
#define R_HAND 5.0
#define BREATH_RISE 1.6  /* shoulders, cm */
#define BREATH_CHEST 1.2 /* chest, cm */

typedef struct {
  double x, y;
} vec;

static vec dir(double deg) {
  vec v = {cos(deg * DEG), sin(deg * DEG)};
  return v;
}
static vec add(vec a, vec b) {
  vec v = {a.x + b.x, a.y + b.y};
  return v;
}
static vec mul(vec a, double k) {
  vec v = {a.x * k, a.y * k};
  return v;
}
static vec along(vec p, double deg, double len) {
  return add(p, mul(dir(deg), len));
}

static void set_point(fig_body *b, fig_point p, vec v, double r) {
  b->px[p] = v.x;
  b->py[p] = v.y;
  b->pr[p] = r;
}

static fig_part *new_part(fig_body *b, fig_layer layer, fig_tone tone,
                          unsigned limb) {
  fig_part *p;
  if (b->nparts >= FIG_PARTS_MAX)
    return NULL;
  p = &b->parts[b->nparts++];
  p->n = 0;
  p->layer = layer;
  p->tone = tone;
  p->limb = limb;
  return p;
}

static void part_circle(fig_part *p, vec c, double r) {
  if (!p || p->n >= 4)
    return;
  p->c[p->n].x = c.x;
  p->c[p->n].y = c.y;
  p->c[p->n].r = r;
  p->n++;
}

static void capsule(fig_body *b, fig_layer layer, fig_tone tone, unsigned limb,
                    vec a, double ra, vec c, double rc) {
  fig_part *p = new_part(b, layer, tone, limb);
  part_circle(p, a, ra);
  part_circle(p, c, rc);
}

/* One arm from the shoulder s; down is the direction of a hanging arm,
 * sign +1 when positive angles turn it counter-clockwise. */
static void arm(fig_body *b, const double *ang, int side, vec s, double down,
                double sign, fig_layer layer, fig_tone tone) {
  int k = side == FIG_SIDE_LEFT ? 0 : 1;
  double ua = down + sign * ang[FJ_SHOULDER_L + k];
  double fa = ua + sign * ang[FJ_ELBOW_L + k];
  double ha = fa + sign * ang[FJ_WRIST_L + k];
  vec e = along(s, ua, LEN_UPPER_ARM * cos(ang[FJ_SHOULDER_L_OUT + k] * DEG));
  vec w = along(e, fa, LEN_FOREARM * cos(ang[FJ_ELBOW_L_OUT + k] * DEG));
  vec h = along(w, ha, LEN_HAND);
  set_point(b, (fig_point)(FP_SHOULDER_L + k), s, 6.0);
  set_point(b, (fig_point)(FP_ELBOW_L + k), e, 4.8);
  set_point(b, (fig_point)(FP_WRIST_L + k), w, 4.0);
  set_point(b, (fig_point)(FP_HAND_L + k), h, R_HAND);
  unsigned limb = k ? FIG_LIMB_ARM_R : FIG_LIMB_ARM_L;
  capsule(b, layer, tone, limb, s, 5.6, e, 4.8);
  capsule(b, layer, tone, limb, e, 4.7, w, 4.0);
  {
    fig_part *p = new_part(b, layer, tone, limb);
    part_circle(p, h, R_HAND);
  }
}

/* One leg from the hip joint hp; down as for arm(). The knee bends the
 * other way from the hip in a side view (sign of the knee: knee_sign). */
static void leg(fig_body *b, const double *ang, int side, vec hp, double down,
                double sign, double knee_sign, bool front, fig_layer layer,
                fig_tone tone) {
  int k = side == FIG_SIDE_LEFT ? 0 : 1;
  double ta = down + sign * ang[FJ_HIP_L + k];
  double sa = ta + knee_sign * ang[FJ_KNEE_L + k];
  vec kn = along(hp, ta, LEN_THIGH * cos(ang[FJ_HIP_L_OUT + k] * DEG));
  vec an = along(kn, sa, LEN_SHIN * cos(ang[FJ_KNEE_L_OUT + k] * DEG));
  vec heel, toe;
  double rheel, rtoe;
  if (front) {
    /* from the front a foot is a short blob turned a little out */
    double fa = sa + sign * (90.0 + ang[FJ_ANKLE_L + k]);
    heel = along(an, sa, 4.6);
    toe = along(heel, fa, 4.8);
    rheel = 4.5;
    rtoe = 4.2;
  } else {
    /* the foot points forward, square to the shin; dorsiflexion lifts
     * the toes */
    double fa = sa + 90.0 + ang[FJ_ANKLE_L + k];
    heel = along(along(an, sa, 5.2), fa, -3.6);
    toe = along(along(an, sa, 6.2), fa, 15.0);
    rheel = 4.3;
    rtoe = 3.2;
  }
  set_point(b, (fig_point)(FP_HIP_L + k), hp, 8.8);
  set_point(b, (fig_point)(FP_KNEE_L + k), kn, 6.3);
  set_point(b, (fig_point)(FP_ANKLE_L + k), an, 4.5);
  set_point(b, (fig_point)(FP_HEEL_L + k), heel, rheel);
  set_point(b, (fig_point)(FP_TOE_L + k), toe, rtoe);
  unsigned limb = k ? FIG_LIMB_LEG_R : FIG_LIMB_LEG_L;
  capsule(b, layer, tone, limb, hp, 8.8, kn, 6.4);
  capsule(b, layer, tone, limb, kn, 6.2, an, 4.5);
  capsule(b, layer, tone, limb, heel, rheel, toe, rtoe);
}

/* The head: a circle, with a nose seen from the side. From the front it
 * is drawn last, so a hand laid on it does not hide the face. */
static void head(fig_body *b, vec neck_top, double a_head, bool side_view) {
  vec c = along(neck_top, a_head, LEN_HEAD);
  fig_part *p = new_part(b, side_view ? FIG_LAYER_BODY : FIG_LAYER_HEAD,
                         FIG_TONE_NEAR, 0);
  set_point(b, FP_HEAD, c, R_HEAD);
  part_circle(p, c, R_HEAD);
  if (side_view) /* nose: forward is the head's up turned clockwise */
    part_circle(p, along(along(c, a_head - 90.0, 10.6), a_head, -0.8), 2.6);
  b->head_up = a_head * DEG;
}

void fig_pose_body(const fig_figure *fig, const double *ang, double breath,
                   fig_body *out) {
  bool front = fig->view == FIG_VIEW_FRONT;
  double up = 90.0 - ang[FJ_PELVIS];
  double a_lt = up - ang[FJ_TRUNK] / 2.0;
  double a_ut = a_lt - ang[FJ_TRUNK] / 2.0;
  double a_neck = a_ut - ang[FJ_NECK];
  double a_head = a_neck - ang[FJ_HEAD];
  vec hip = {0, 0};
  vec waist = along(hip, a_lt, LEN_LUMBAR);
  vec neck = along(along(waist, a_ut, LEN_THORAX), a_ut, breath * BREATH_RISE);
  vec neck_top = along(neck, a_neck, LEN_NECK);
  double chest = breath * BREATH_CHEST;
  /* which side is drawn in front: side view, the near (left) side; front
   * view, the working side (the file's, else the left) */
  fig_side work = fig->side == FIG_SIDE_RIGHT ? FIG_SIDE_RIGHT : FIG_SIDE_LEFT;
  fig_side other = work == FIG_SIDE_LEFT ? FIG_SIDE_RIGHT : FIG_SIDE_LEFT;

  memset(out, 0, sizeof *out);
  set_point(out, FP_HIP, hip, 12.0);
  set_point(out, FP_WAIST, waist, 11.5);
  set_point(out, FP_NECK, neck, 5.5);
  if (!front) {
    vec shoulder = along(neck, a_ut, -6.0);
    /* behind the body: the far (right) arm and leg */
    arm(out, ang, FIG_SIDE_RIGHT, shoulder, a_ut + 180.0, 1.0,
        FIG_LAYER_BACK_ARM, FIG_TONE_FAR);
    leg(out, ang, FIG_SIDE_RIGHT, hip, 270.0 - ang[FJ_PELVIS], 1.0, -1.0, false,
        FIG_LAYER_BACK_LEG, FIG_TONE_FAR);
    capsule(out, FIG_LAYER_BODY, FIG_TONE_NEAR, 0, hip, 12.5, waist,
            11.6 + chest / 2);
    capsule(out, FIG_LAYER_BODY, FIG_TONE_NEAR, 0, waist, 11.6 + chest / 2,
            along(neck, a_ut, -5.0), 10.6 + chest);
    capsule(out, FIG_LAYER_BODY, FIG_TONE_NEAR, 0, along(neck, a_ut, -3.0), 5.3,
            neck_top, 5.3);
    head(out, neck_top, a_head, true);
    leg(out, ang, FIG_SIDE_LEFT, hip, 270.0 - ang[FJ_PELVIS], 1.0, -1.0, false,
        FIG_LAYER_FRONT_LEG, FIG_TONE_NEAR);
    arm(out, ang, FIG_SIDE_LEFT, shoulder, a_ut + 180.0, 1.0,
        FIG_LAYER_FRONT_ARM, FIG_TONE_NEAR);
  } else {
    vec l = dir(up - 90.0), llt = dir(a_lt - 90.0), lut = dir(a_ut - 90.0);
    vec top = along(neck, a_ut, -4.5);
    vec sh = along(neck, a_ut, -3.8);
    vec hips[2] = {add(hip, mul(l, 9.0)), add(hip, mul(l, -9.0))};
    vec shoulders[2] = {add(sh, mul(lut, 16.5)), add(sh, mul(lut, -16.5))};
    fig_part *p;
    for (int i = 0; i < 2; i++) {
      fig_side s = i == 0 ? other : work;
      int k = s == FIG_SIDE_LEFT ? 0 : 1;
      /* positive turns a left limb counter-clockwise: away from the
       * middle; the right one the other way */
      double sign = s == FIG_SIDE_LEFT ? 1.0 : -1.0;
      leg(out, ang, s, hips[k], 270.0 - ang[FJ_PELVIS], sign, sign, true,
          i == 0 ? FIG_LAYER_BACK_ARM : FIG_LAYER_BACK_LEG, FIG_TONE_NEAR);
    }
    p = new_part(out, FIG_LAYER_BODY, FIG_TONE_NEAR, 0);
    part_circle(p, add(hip, mul(l, -10.5)), 7.0);
    part_circle(p, add(hip, mul(l, 10.5)), 7.0);
    part_circle(p, add(waist, mul(llt, 9.5)), 6.5 + chest / 2);
    part_circle(p, add(waist, mul(llt, -9.5)), 6.5 + chest / 2);
    p = new_part(out, FIG_LAYER_BODY, FIG_TONE_NEAR, 0);
    part_circle(p, add(waist, mul(lut, -9.5)), 6.5 + chest / 2);
    part_circle(p, add(waist, mul(lut, 9.5)), 6.5 + chest / 2);
    part_circle(p, add(top, mul(lut, 13.0)), 7.0 + chest);
    part_circle(p, add(top, mul(lut, -13.0)), 7.0 + chest);
    capsule(out, FIG_LAYER_BODY, FIG_TONE_NEAR, 0, along(neck, a_ut, -3.0), 5.5,
            neck_top, 5.3);
    head(out, neck_top, a_head, false);
    for (int i = 0; i < 2; i++) {
      fig_side s = i == 0 ? other : work;
      int k = s == FIG_SIDE_LEFT ? 0 : 1;
      double sign = s == FIG_SIDE_LEFT ? 1.0 : -1.0;
      arm(out, ang, s, shoulders[k], a_ut + 180.0, sign,
          i == 0 ? FIG_LAYER_FRONT_LEG : FIG_LAYER_FRONT_ARM, FIG_TONE_NEAR);
    }
  }
}

void fig_place_at(const fig_body *b, fig_place p, double *x, double *y,
                  double *r) {
  *x = (b->px[p.a] + b->px[p.b]) / 2;
  *y = (b->py[p.a] + b->py[p.b]) / 2;
  if (r) /* the middle of two places is only as low as the lower one */
    *r = p.a == p.b
             ? b->pr[p.a]
             : fmax(b->pr[p.a], b->pr[p.b]) - fabs(b->py[p.a] - b->py[p.b]) / 2;
}

/* The lowest any part of the body reaches. */
static double body_bottom(const fig_body *b) {
  double lo = HUGE_VAL;
  for (int i = 0; i < b->nparts; i++)
    for (int k = 0; k < b->parts[i].n; k++)
      lo = fmin(lo, b->parts[i].c[k].y - b->parts[i].c[k].r);
  return lo;
}

static void move_body(fig_body *b, double dx, double dy) {
  for (int i = 0; i < FP_COUNT; i++) {
    b->px[i] += dx;
    b->py[i] += dy;
  }
  for (int i = 0; i < b->nparts; i++)
    for (int k = 0; k < b->parts[i].n; k++) {
      b->parts[i].c[k].x += dx;
      b->parts[i].c[k].y += dy;
    }
}

void fig_place_body(const fig_figure *fig, const fig_body *from, fig_body *to) {
  double ax, ay, gy;
  fig_place_at(from, fig->anchor, &ax, &ay, NULL);
  if (fig->has_ground) {
    double gx, gr;
    fig_place_at(from, fig->ground, &gx, &gy, &gr);
    gy -= gr;
  } else {
    gy = body_bottom(from);
  }
  move_body(to, fig->anchor_x - ax, -gy);
}

static double ease(double t) {
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return t * t * (3.0 - 2.0 * t);
}

void fig_angles_at(const fig_figure *fig, double pos, double *angles) {
  int k;
  double u, t;
  const double *a, *b;
  if (fig->nseq <= 1 || !(pos > 0)) {
    memcpy(angles, fig->poses[fig->seq[0]], sizeof(double) * FJ_COUNT);
    return;
  }
  if (pos >= 1) {
    memcpy(angles, fig->poses[fig->seq[fig->nseq - 1]],
           sizeof(double) * FJ_COUNT);
    return;
  }
  u = pos * (fig->nseq - 1);
  k = (int)floor(u);
  if (k > fig->nseq - 2)
    k = fig->nseq - 2;
  t = ease(u - k);
  a = fig->poses[fig->seq[k]];
  b = fig->poses[fig->seq[k + 1]];
  for (int j = 0; j < FJ_COUNT; j++)
    angles[j] = a[j] + (b[j] - a[j]) * t;
}

/* The placed body at pos (with a full breath when breath). */
static void placed_at(const fig_figure *fig, double pos, double breath,
                      fig_body *out) {
  double ang[FJ_COUNT];
  fig_body still;
  fig_angles_at(fig, pos, ang);
  fig_pose_body(fig, ang, 0, &still);
  fig_pose_body(fig, ang, breath, out);
  fig_place_body(fig, &still, out);
}

/* The placed body in key pose i (an index into poses). */
static void placed_pose(const fig_figure *fig, int i, fig_body *out) {
  fig_body still;
  fig_pose_body(fig, fig->poses[i], 0, &still);
  *out = still;
  fig_place_body(fig, &still, out);
}

/* --- props ---------------------------------------------------------------- */

static void add_rect(fig_figure *f, double x0, double y0, double x1, double y1,
                     double radius, fig_rect_style style) {
  fig_rect *r;
  if (f->nrects >= FIG_RECTS_MAX)
    return;
  r = &f->rects[f->nrects++];
  r->x0 = fmin(x0, x1);
  r->x1 = fmax(x0, x1);
  r->y0 = fmin(y0, y1);
  r->y1 = fmax(y0, y1);
  r->radius = radius;
  r->style = style;
}

typedef struct {
  double minx, maxx, miny, maxy;
} box_cm;

static void grow(box_cm *b, double x0, double y0, double x1, double y1) {
  b->minx = fmin(b->minx, x0);
  b->miny = fmin(b->miny, y0);
  b->maxx = fmax(b->maxx, x1);
  b->maxy = fmax(b->maxy, y1);
}

static void grow_body(box_cm *bx, const fig_body *b) {
  for (int i = 0; i < b->nparts; i++)
    for (int k = 0; k < b->parts[i].n; k++) {
      const fig_circle *c = &b->parts[i].c[k];
      grow(bx, c->x - c->r, c->y - c->r, c->x + c->r, c->y + c->r);
    }
}

/* The place a prop is set by, in its pose: x, y and the body's thickness
 * there; false when the prop gave none. */
static bool prop_place(const fig_figure *f, const fig_prop *p, double *x,
                       double *y, double *r) {
  fig_body b;
  if (!p->has_at)
    return false;
  placed_pose(f, p->pose, &b);
  fig_place_at(&b, p->at, x, y, r);
  return true;
}

static void prop_shapes(fig_figure *f, const box_cm *body) {
  bool front = f->view == FIG_VIEW_FRONT;
  double top = body->maxy;
  double x, y, r;
  f->floor_y = 0;
  /* the floor first: a mat or a step with a height lifts the body off it */
  for (int i = 0; i < f->nprops; i++) {
    const fig_prop *p = &f->props[i];
    if (p->kind == FIG_PROP_MAT)
      f->floor_y = fmin(f->floor_y, front ? -22.0 : -3.5);
    if (p->kind == FIG_PROP_STEP && p->height > 0 &&
        prop_place(f, p, &x, &y, &r))
      f->floor_y = fmin(f->floor_y, y - r - p->height);
  }
  for (int i = 0; i < f->nprops; i++) {
    const fig_prop *p = &f->props[i];
    bool at = prop_place(f, p, &x, &y, &r);
    switch (p->kind) {
    case FIG_PROP_FLOOR:
      break;
    case FIG_PROP_MAT:
      if (front)
        add_rect(f, body->minx - 8, -22.0, body->maxx + 8, 3.0, 2.0,
                 FIG_RECT_MAT);
      else
        add_rect(f, body->minx - 6, f->floor_y, body->maxx + 6, 0.0, 1.2,
                 FIG_RECT_MAT);
      break;
    case FIG_PROP_WALL: {
      double face;
      if (at)
        face = p->behind ? x - r : x + r;
      else
        face = p->behind ? body->minx : body->maxx;
      add_rect(f, face, f->floor_y, face + (p->behind ? -14 : 14), top + 25, 0,
               FIG_RECT_PROP);
      add_rect(f, face, f->floor_y, face + (p->behind ? -1.6 : 1.6), top + 25,
               0, FIG_RECT_EDGE);
      break;
    }
    case FIG_PROP_DOOR_FRAME: {
      double height = fmax(top + 25, 200.0);
      if (!at) {
        x = p->behind ? body->minx : body->maxx;
        r = 0;
      }
      if (!front) {
        /* seen from the side, the jamb is the wall's depth; the figure
         * stands in it */
        add_rect(f, x - 7, f->floor_y, x + 7, height, 0, FIG_RECT_PROP);
        add_rect(f, x - 7, f->floor_y, x - 5.6, height, 0, FIG_RECT_EDGE);
        add_rect(f, x + 5.6, f->floor_y, x + 7, height, 0, FIG_RECT_EDGE);
      } else {
        /* seen from the front: two posts and the head of the frame, the
         * place touching the inner face of one post */
        fig_body b;
        double inner, mid;
        placed_pose(f, p->pose, &b);
        mid = b.px[FP_HIP];
        inner = x + (x >= mid ? r : -r);
        {
          double other = 2 * mid - inner;
          double lo = fmin(inner, other), hi = fmax(inner, other);
          add_rect(f, lo - 10, f->floor_y, lo, height, 0, FIG_RECT_PROP);
          add_rect(f, hi, f->floor_y, hi + 10, height, 0, FIG_RECT_PROP);
          add_rect(f, lo - 10, height - 10, hi + 10, height, 0, FIG_RECT_PROP);
          add_rect(f, lo - 1.6, f->floor_y, lo, height - 10, 0, FIG_RECT_EDGE);
          add_rect(f, hi, f->floor_y, hi + 1.6, height - 10, 0, FIG_RECT_EDGE);
        }
      }
      break;
    }
    case FIG_PROP_STEP: {
      double ytop, bottom;
      if (!at) {
        fig_body b;
        placed_pose(f, f->seq[0], &b);
        fig_place_at(&b, (fig_place){FP_HEEL_L, FP_HEEL_R}, &x, &y, &r);
      }
      ytop = y - r;
      bottom = p->height > 0 ? ytop - p->height : f->floor_y;
      if (front) {
        add_rect(f, x - 22, bottom, x + 22, ytop, 1.0, FIG_RECT_PROP);
        add_rect(f, x - 22, ytop - 1.6, x + 22, ytop, 0.8, FIG_RECT_EDGE);
      } else {
        add_rect(f, x - 7, bottom, x + 32, ytop, 1.0, FIG_RECT_PROP);
        add_rect(f, x - 7, ytop - 1.6, x + 32, ytop, 0.8, FIG_RECT_EDGE);
      }
      break;
    }
    case FIG_PROP_CHAIR: {
      double seat;
      if (!at) {
        fig_body b;
        placed_pose(f, f->seq[0], &b);
        x = b.px[FP_HIP];
        y = b.py[FP_HIP];
        r = b.pr[FP_HIP];
      }
      seat = y - r;
      if (front) {
        add_rect(f, x - 20, seat, x + 20, seat + 46, 1.5, FIG_RECT_PROP);
        add_rect(f, x - 24, seat - 5, x + 24, seat, 1.0, FIG_RECT_EDGE);
        add_rect(f, x - 23, f->floor_y, x - 19, seat - 5, 0, FIG_RECT_PROP);
        add_rect(f, x + 19, f->floor_y, x + 23, seat - 5, 0, FIG_RECT_PROP);
      } else {
        add_rect(f, x - 25, seat, x - 20, seat + 48, 1.5, FIG_RECT_PROP);
        add_rect(f, x - 25, seat - 5, x + 20, seat, 1.0, FIG_RECT_EDGE);
        add_rect(f, x - 24, f->floor_y, x - 20, seat - 5, 0, FIG_RECT_PROP);
        add_rect(f, x + 15, f->floor_y, x + 19, seat - 5, 0, FIG_RECT_PROP);
      }
      break;
    }
    case FIG_PROP_MIRROR:
      if (front)
        add_rect(f, body->minx - 14, f->floor_y + 6, body->maxx + 14, top + 12,
                 5.0, FIG_RECT_FRAME);
      else
        add_rect(f, body->maxx + 14, f->floor_y + 30, body->maxx + 17, top + 12,
                 1.0, FIG_RECT_EDGE);
      break;
    default:
      break;
    }
  }
  /* the floor spans the box; its height counts */
  add_rect(f, body->minx, f->floor_y - 3, body->maxx, f->floor_y, 0,
           FIG_RECT_FLOOR);
}

void fig_prepare(fig_figure *f) {
  fig_body b, still;
  box_cm bx = {HUGE_VAL, -HUGE_VAL, HUGE_VAL, -HUGE_VAL};
  double m;
  f->anchor_x = 0;
  fig_pose_body(f, f->poses[f->seq[0]], 0, &still);
  fig_place_at(&still, f->anchor, &f->anchor_x, &m, NULL);
  /* everywhere the movement goes, breathing in */
  for (int k = 0; k <= 16 * (f->nseq > 1 ? f->nseq - 1 : 0); k++) {
    double pos = f->nseq > 1 ? (double)k / (16.0 * (f->nseq - 1)) : 0;
    placed_at(f, pos, 1.0, &b);
    grow_body(&bx, &b);
  }
  f->nrects = 0;
  prop_shapes(f, &bx);
  for (int i = 0; i < f->nrects; i++)
    grow(&bx, f->rects[i].x0, f->rects[i].y0, f->rects[i].x1, f->rects[i].y1);
  m = 6.0 + 0.04 * fmax(bx.maxx - bx.minx, bx.maxy - bx.miny);
  f->minx = bx.minx - m;
  f->maxx = bx.maxx + m;
  f->miny = bx.miny - m;
  f->maxy = bx.maxy + m;
}

/* --- the set -------------------------------------------------------------- */

static void add_problem(rb_figures *f, const char *line) {
  size_t len = strlen(line);
  char *grown = realloc(f->problems, f->problems_len + len + 2);
  if (!grown)
    return;
  f->problems = grown;
  memcpy(f->problems + f->problems_len, line, len);
  f->problems_len += len;
  f->problems[f->problems_len++] = '\n';
  f->problems[f->problems_len] = '\0';
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_fig_name(const void *a, const void *b) {
  return strcmp((*(fig_figure *const *)a)->name,
                (*(fig_figure *const *)b)->name);
}

static bool is_lua(const char *name) {
  size_t n = strlen(name);
  return n > 4 && name[0] != '.' && strcmp(name + n - 4, ".lua") == 0;
}

static fig_figure *find(const rb_figures *f, const char *name) {
  int lo = 0, hi;
  if (!f || !name)
    return NULL;
  hi = f->n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2, c = strcmp(f->figs[mid]->name, name);
    if (c == 0)
      return f->figs[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return NULL;
}

/* Loads one folder's files into f; false only when out of memory. */
static bool load_dir(rb_figures *f, const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *de;
  char **names = NULL;
  size_t nnames = 0;
  fig_problems *probs = NULL;
  fig_figure *fig = NULL;
  bool ok = false;
  if (!d)
    return true; /* a missing folder is no problem */
  while ((de = readdir(d)) != NULL) {
    char **grown;
    if (!is_lua(de->d_name))
      continue;
    grown = realloc(names, (nnames + 1) * sizeof *names);
    if (!grown)
      goto done;
    names = grown;
    names[nnames] = strdup(de->d_name);
    if (!names[nnames])
      goto done;
    nnames++;
  }
  qsort(names, nnames, sizeof *names, by_name);
  probs = malloc(sizeof *probs);
  if (!probs)
    goto done;
  for (size_t i = 0; i < nnames; i++) {
    char path[FIG_PATH_MAX];
    int k;
    probs->n = 0;
    if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >=
        (int)sizeof path) {
      char line[FIG_PATH_MAX + 64];
      snprintf(line, sizeof line, "%s/%s: the path is too long", dir, names[i]);
      add_problem(f, line);
      continue;
    }
    if (!fig) {
      fig = malloc(sizeof *fig);
      if (!fig)
        goto done;
    }
    if (!fig_load_file(path, fig, probs)) {
      for (int p = 0; p < probs->n; p++)
        add_problem(f, probs->line[p]);
      continue;
    }
    for (k = 0; k < f->n; k++)
      if (strcmp(f->figs[k]->name, fig->name) == 0)
        break;
    if (k < f->n) { /* a later folder's figure replaces an earlier one's */
      free(f->figs[k]);
      f->figs[k] = fig;
    } else {
      fig_figure **grown = realloc(f->figs, (size_t)(f->n + 1) * sizeof *grown);
      if (!grown)
        goto done;
      f->figs = grown;
      f->figs[f->n++] = fig;
    }
    fig = NULL;
  }
  ok = true;
done:
  free(fig);
  free(probs);
  for (size_t i = 0; i < nnames; i++)
    free(names[i]);
  free(names);
  closedir(d);
  return ok;
}

rb_figures *rb_figures_load(const char *const *dirs, int ndirs) {
  rb_figures *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  for (int i = 0; i < ndirs; i++)
    if (dirs[i] && !load_dir(f, dirs[i])) {
      rb_figures_free(f);
      return NULL;
    }
  if (f->n > 1)
    qsort(f->figs, (size_t)f->n, sizeof *f->figs, by_fig_name);
  return f;
}

void rb_figures_free(rb_figures *f) {
  if (!f)
    return;
  for (int i = 0; i < f->n; i++)
    free(f->figs[i]);
  free(f->figs);
  free(f->problems);
  free(f);
}

const char *rb_figures_problems(const rb_figures *f) {
  return f && f->problems ? f->problems : "";
}

int rb_figures_count(const rb_figures *f) { return f ? f->n : 0; }

const char *rb_figures_name(const rb_figures *f, int i) {
  return f && i >= 0 && i < f->n ? f->figs[i]->name : NULL;
}

bool rb_figures_has(const rb_figures *f, const char *name) {
  return find(f, name) != NULL;
}

int rb_figures_poses(const rb_figures *f, const char *name) {
  const fig_figure *fig = find(f, name);
  return fig ? fig->nseq : 0;
}

const char *rb_figures_pose_name(const rb_figures *f, const char *name, int i) {
  const fig_figure *fig = find(f, name);
  return fig && i >= 0 && i < fig->nseq ? fig->pose_names[fig->seq[i]] : NULL;
}

const char *rb_figures_path(const rb_figures *f, const char *name) {
  const fig_figure *fig = find(f, name);
  return fig ? fig->path : NULL;
}

double rb_figures_motion_px(const rb_figures *f, const char *name, SDL_Rect box,
                            double pos0, double pos1) {
  const fig_figure *fig = find(f, name);
  fig_body a, b;
  double w, h, s, most = 0;
  if (!fig || box.w <= 0 || box.h <= 0)
    return 0;
  w = fig->maxx - fig->minx;
  h = fig->maxy - fig->miny;
  if (w <= 0 || h <= 0)
    return 0;
  s = fmin(box.w / w, box.h / h); /* px per cm, as rb_figure_draw scales */
  placed_at(fig, pos0, 0, &a);
  placed_at(fig, pos1, 0, &b);
  for (int i = 0; i < FP_COUNT; i++)
    most = fmax(most, hypot(b.px[i] - a.px[i], b.py[i] - a.py[i]));
  return most * s;
}

double rb_figures_aspect(const rb_figures *f, const char *name) {
  const fig_figure *fig = find(f, name);
  if (!fig || fig->maxy <= fig->miny)
    return 0;
  return (fig->maxx - fig->minx) / (fig->maxy - fig->miny);
}

static fig_side side_of(const char *s) {
  if (s && strcmp(s, "left") == 0)
    return FIG_SIDE_LEFT;
  if (s && strcmp(s, "right") == 0)
    return FIG_SIDE_RIGHT;
  return FIG_SIDE_NONE;
}

bool rb_figure_draw(rb_ui *ui, const rb_figures *f, const char *name,
                    SDL_Rect box, double pos, double breath, const char *side) {
  const fig_figure *fig = find(f, name);
  fig_side want = side_of(side);
  unsigned limbs = 0;
  bool mirror = false;
  fig_body body;
  double b = 0;
  if (!fig || box.w <= 0 || box.h <= 0)
    return false;
  if (!isfinite(pos))
    pos = 0;
  if (isfinite(breath) && breath > 0 && breath < 1)
    b = sin(M_PI * breath);
  placed_at(fig, pos, b, &body);
  if (want != FIG_SIDE_NONE) {
    if (fig->side != FIG_SIDE_NONE) {
      /* the working limbs as written, turned to the side asked for */
      limbs = fig->limbs;
      mirror = want != fig->side;
    } else if (fig->view == FIG_VIEW_SIDE) {
      /* the near (left) side as written */
      limbs = FIG_LIMB_ARM_L | FIG_LIMB_LEG_L;
      mirror = want == FIG_SIDE_RIGHT;
    } else {
      limbs = want == FIG_SIDE_LEFT ? FIG_LIMB_ARM_L | FIG_LIMB_LEG_L
                                    : FIG_LIMB_ARM_R | FIG_LIMB_LEG_R;
    }
  }
  fig_draw(ui, fig, &body, box, mirror, limbs, rb_ui_side_color(side));
  return true;
}

bool rb_figure_check(const char *path, char *err, size_t errlen) {
  fig_problems *probs = malloc(sizeof *probs);
  fig_figure *fig = malloc(sizeof *fig);
  bool ok = false;
  size_t len = 0;
  if (errlen)
    err[0] = '\0';
  if (!probs || !fig) {
    if (errlen)
      snprintf(err, errlen, "%s:1: not enough memory", path);
    goto done;
  }
  probs->n = 0;
  ok = fig_load_file(path, fig, probs);
  for (int i = 0; i < probs->n && len + 1 < errlen; i++) {
    int k = snprintf(err + len, errlen - len, "%s%s", i ? "\n" : "",
                     probs->line[i]);
    if (k < 0)
      break;
    len += (size_t)k;
  }
done:
  free(probs);
  free(fig);
  return ok;
}

bool rb_figure_file_is(const char *path) {
  char buf[4096];
  const char *slash = strrchr(path, '/');
  size_t n;
  FILE *fp;
  bool is = false;
  /* in a figures/ folder */
  if (slash && slash - path >= 7 && strncmp(slash - 7, "figures", 7) == 0 &&
      (slash - path == 7 || slash[-8] == '/'))
    return true;
  /* or returns figure{...} */
  fp = fopen(path, "r");
  if (!fp)
    return false;
  n = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  buf[n] = '\0';
  for (char *p = strstr(buf, "return"); p && !is; p = strstr(p + 6, "return")) {
    const char *q = p + 6;
    if (p > buf && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
      continue;
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
      q++;
    is = strncmp(q, "figure", 6) == 0 &&
         (q[6] == ' ' || q[6] == '{' || q[6] == '(' || q[6] == '\n' ||
          q[6] == '\t' || q[6] == '\r');
  }
  return is;
}

/* --- where the figures are ------------------------------------------------ */

const char *rb_figures_clinic_dir(const char *routines_dir, char *buf,
                                  size_t n) {
  if (snprintf(buf, n, "%s/figures", routines_dir ? routines_dir : ".") >=
      (int)n)
    buf[0] = '\0'; /* too long a path: no clinic figures, not a wrong one */
  return buf;
}

/* --- check: the figures a routine names ----------------------------------- */

/* The next figure = "NAME" (or 'NAME') in src at or after *p, outside
 * comments and strings; its line in *line. */
static bool next_figure_name(const char **p, int *line, char *name, size_t n) {
  const char *s = *p;
  while (*s) {
    if (*s == '\n') {
      (*line)++;
      s++;
    } else if (s[0] == '-' && s[1] == '-') {
      s += 2;
      if (s[0] == '[' && (s[1] == '[' || s[1] == '=')) {
        const char *end = strstr(s, "]]");
        for (; *s && s != end; s++)
          *line += *s == '\n';
        if (*s)
          s += 2;
      } else {
        while (*s && *s != '\n')
          s++;
      }
    } else if (*s == '"' || *s == '\'') {
      char q = *s++;
      while (*s && *s != q && *s != '\n') {
        if (*s == '\\' && s[1])
          s++;
        s++;
      }
      if (*s == q)
        s++;
    } else if (strncmp(s, "figure", 6) == 0 &&
               (s == *p || !(s[-1] == '_' || (s[-1] >= 'a' && s[-1] <= 'z') ||
                             (s[-1] >= 'A' && s[-1] <= 'Z') ||
                             (s[-1] >= '0' && s[-1] <= '9')))) {
      const char *q = s + 6;
      while (*q == ' ' || *q == '\t')
        q++;
      if (*q == '=' && q[1] != '=') {
        q++;
        while (*q == ' ' || *q == '\t')
          q++;
        if (*q == '"' || *q == '\'') {
          char quote = *q++;
          size_t len = 0;
          while (q[len] && q[len] != quote && q[len] != '\n')
            len++;
          if (len < n && q[len] == quote) {
            memcpy(name, q, len);
            name[len] = '\0';
            *p = q + len + 1;
            return true;
          }
        }
      }
      s += 6;
    } else {
      s++;
    }
  }
  *p = s;
  return false;
}

bool rb_figures_first_in(const char *routine_path, char *out, size_t n) {
  char buf[1 << 16], name[FIG_NAME_MAX * 2];
  const char *p = buf;
  int line = 1;
  size_t got;
  FILE *fp = fopen(routine_path, "r");
  bool found = false;
  out[0] = '\0';
  if (!fp)
    return false;
  /* the first 64 KiB: where a routine's first show{} is */
  got = fread(buf, 1, sizeof buf - 1, fp);
  buf[got] = '\0';
  fclose(fp);
  if (next_figure_name(&p, &line, name, sizeof name)) {
    snprintf(out, n, "%s", name);
    found = out[0] != '\0';
  }
  return found;
}

int rb_figures_check_routine(const char *routine_path, FILE *out) {
  char bundled[FIG_PATH_MAX], clinic[FIG_PATH_MAX], dir[FIG_PATH_MAX];
  const char *dirs[2] = {bundled, clinic};
  const char *slash = strrchr(routine_path, '/');
  rb_figures *figs = NULL;
  char *src = NULL;
  const char *p;
  FILE *fp;
  long size;
  int line = 1, count = 0;
  char name[FIG_NAME_MAX * 2];

  fp = fopen(routine_path, "r");
  if (!fp)
    return 0;
  if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
      size > (long)(1 << 20) || fseek(fp, 0, SEEK_SET) != 0)
    goto done;
  src = malloc((size_t)size + 1);
  if (!src)
    goto done;
  src[fread(src, 1, (size_t)size, fp)] = '\0';
  if (slash)
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - routine_path),
             routine_path);
  else
    snprintf(dir, sizeof dir, ".");
  rb_paths_figures(bundled, sizeof bundled);
  rb_figures_clinic_dir(dir, clinic, sizeof clinic);
  p = src;
  while (next_figure_name(&p, &line, name, sizeof name)) {
    char hint[FIG_NAME_MAX + 32] = "";
    int best = 3;
    if (!figs) {
      figs = rb_figures_load(dirs, 2);
      if (!figs)
        goto done;
    }
    if (rb_figures_has(figs, name))
      continue;
    for (int i = 0; i < figs->n; i++) {
      int d = fig_distance(name, figs->figs[i]->name);
      if (d < best) {
        best = d;
        snprintf(hint, sizeof hint, " (did you mean \"%s\"?)",
                 figs->figs[i]->name);
      }
    }
    {
      char file[FIG_NAME_MAX * 2 + 8];
      snprintf(file, sizeof file, "/%s.lua:", name);
      if (strstr(rb_figures_problems(figs), file))
        fprintf(out,
                "%s:%d: warning: show{figure = \"%s\"}: that figure does "
                "not load (rebalance check its file); the step is shown "
                "without it\n",
                routine_path, line, name);
      else
        fprintf(out,
                "%s:%d: warning: show{figure = \"%s\"}: no figure of that "
                "name%s; the step is shown without one (figures: %s and "
                "%s)\n",
                routine_path, line, name, hint, bundled, clinic);
    }
    count++;
  }
done:
  rb_figures_free(figs);
  free(src);
  fclose(fp);
  return count;
}
