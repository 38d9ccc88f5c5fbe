/* figure_draw: a placed body and its props as triangles.
 *
 * Every part of the body is the convex hull of a few circles (a capsule
 * for a limb, four for a torso seen from the front). A layer of parts (an
 * arm, a leg, the body) is drawn in three passes through one
 * SDL_RenderGeometry call: the dark outline of every part, a one-pixel
 * band that fades from the fill to the outline (the anti-aliasing, opaque,
 * so the software renderer stays on its fast path), then the fills. So an
 * arm over the trunk has its outline and a bent knee has none. Props are
 * flat, axis-aligned shapes behind the figure. Nothing is allocated: the
 * vertices of a layer fit in a buffer on the stack. */
#include "figure_internal.h"

#include <math.h>
#include <string.h>

#define HULL_MAX 160
#define LAYER_PARTS_MAX 5
/* a part: its outline ring and edge band (2 points each) and fill fan */
#define DRAW_VERTS (LAYER_PARTS_MAX * (5 * HULL_MAX + 2))
#define RUN_IDX (LAYER_PARTS_MAX * 6 * HULL_MAX)
#define DRAW_IDX (3 * RUN_IDX)
/* A straight edge is cut into pieces of about this many px: SDL's software
 * renderer walks the bounding box of every triangle, and a long thin one
 * lying diagonally walks a square for a line of pixels. */
#define EDGE_PIECE_PX 8
#define EDGE_PIECES_MAX 24

/* The figure's colours: light on the dark screen, the far side a little
 * darker, outlines in the background's near-black. */
#define COL_BODY RB_COL_TEXT_DIM
#define COL_BODY_FAR RB_RGB(0x8d, 0x97, 0xa2)
#define COL_OUTLINE RB_COL_BG
#define COL_FACE RB_RGB(0x2a, 0x30, 0x38)
#define COL_PROP RB_RGB(0x46, 0x50, 0x5c)
#define COL_PROP_EDGE RB_RGB(0x6c, 0x78, 0x84)
#define COL_MAT RB_RGB(0x2a, 0x6e, 0x58)
#define COL_FLOOR RB_RGB(0x5a, 0x64, 0x70)

typedef struct {
  double s;      /* px per cm */
  double ox, oy; /* px of the origin */
  bool mirror;
  double mx; /* x' = mx - x when mirrored */
  /* SDL's software renderer truncates a vertex to whole pixels, which
   * would put a mirrored figure a pixel off: round first, the same way
   * for either side */
  bool whole;
} xform;

static float tx(const xform *t, double x) {
  double px = t->ox + t->s * x;
  if (t->whole)
    px = floor(px + 0.5);
  return (float)(t->mirror ? t->mx - px : px);
}

static float ty(const xform *t, double y) {
  double py = t->oy - t->s * y;
  return (float)(t->whole ? floor(py + 0.5) : py);
}

/* --- hulls ---------------------------------------------------------------- */

typedef struct {
  double x, y;
} pt;

/* Points per full circle of r px, so no chord strays 0.45 px from it. */
static int circle_segments(double rpx) {
  int n;
  if (rpx <= 0.9)
    return 8;
  n = (int)ceil(2 * M_PI / (2 * acos(1 - 0.45 / rpx)));
  return n < 8 ? 8 : n > 48 ? 48 : n;
}

/* The outline of the hull of c[0..n) (counter-clockwise, figure space),
 * every radius grown by grow cm, in figure space; segments follow the
 * radii in px (scale s), and straight edges are cut in pieces by their
 * length ungrown, so outlines grown by different amounts match point for
 * point. extra (may be NULL) marks the points that only cut a straight
 * edge. Returns the count. */
static int hull(const fig_circle *c, int n, double grow, double s, pt *out,
                bool *extra) {
  pt nrm[4];
  int k = 0;
  if (n == 1) {
    int m = circle_segments(c[0].r * s);
    for (int i = 0; i < m; i++) {
      double a = 2 * M_PI * i / m;
      out[k].x = c[0].x + (c[0].r + grow) * cos(a);
      out[k].y = c[0].y + (c[0].r + grow) * sin(a);
      if (extra)
        extra[k] = false;
      k++;
    }
    return k;
  }
  /* the outward normal of the tangent from circle i to circle i+1 */
  for (int i = 0; i < n; i++) {
    const fig_circle *a = &c[i], *b = &c[(i + 1) % n];
    double dx = b->x - a->x, dy = b->y - a->y, len = hypot(dx, dy), sn, cs;
    double ux = dx / len, uy = dy / len;
    sn = (a->r - b->r) / len;
    sn = sn < -1 ? -1 : sn > 1 ? 1 : sn;
    cs = sqrt(1 - sn * sn);
    nrm[i].x = sn * ux + cs * uy;
    nrm[i].y = sn * uy - cs * ux;
  }
  for (int i = 0; i < n; i++) {
    const pt *in = &nrm[(i + n - 1) % n], *outn = &nrm[i];
    double a0 = atan2(in->y, in->x), a1 = atan2(outn->y, outn->x);
    double sweep = a1 - a0, r = c[i].r + grow;
    int m;
    while (sweep < 0)
      sweep += 2 * M_PI;
    while (sweep >= 2 * M_PI)
      sweep -= 2 * M_PI;
    m = (int)ceil(sweep / (2 * M_PI) * circle_segments(c[i].r * s));
    if (m < 1)
      m = 1;
    for (int j = 0; j <= m && k < HULL_MAX; j++) {
      double a = a0 + sweep * j / m;
      out[k].x = c[i].x + r * cos(a);
      out[k].y = c[i].y + r * sin(a);
      if (extra)
        extra[k] = false;
      k++;
    }
    {
      /* the straight edge to the next circle, in pieces */
      const fig_circle *b = &c[(i + 1) % n];
      double ex = b->x - c[i].x + (b->r - c[i].r) * outn->x;
      double ey = b->y - c[i].y + (b->r - c[i].r) * outn->y;
      int pieces = (int)(hypot(ex, ey) * s / EDGE_PIECE_PX);
      double rb = b->r + grow;
      pt from = out[k - 1];
      pt to = {b->x + rb * outn->x, b->y + rb * outn->y};
      if (pieces > EDGE_PIECES_MAX)
        pieces = EDGE_PIECES_MAX;
      for (int j = 1; j < pieces && k < HULL_MAX; j++) {
        out[k].x = from.x + (to.x - from.x) * j / pieces;
        out[k].y = from.y + (to.y - from.y) * j / pieces;
        if (extra)
          extra[k] = true;
        k++;
      }
    }
  }
  return k;
}

/* The part's circles without any that lies inside another (a hull of
 * nested circles has no tangent between them). */
static int clean_circles(const fig_part *p, fig_circle *out) {
  int n = 0;
  for (int i = 0; i < p->n; i++) {
    bool inside = false;
    for (int j = 0; j < p->n && !inside; j++)
      if (j != i) {
        double d = hypot(p->c[i].x - p->c[j].x, p->c[i].y - p->c[j].y);
        inside = d + p->c[i].r <= p->c[j].r + 1e-6 &&
                 (p->c[i].r < p->c[j].r || j < i);
      }
    if (!inside)
      out[n++] = p->c[i];
  }
  return n;
}

/* --- batches of triangles ------------------------------------------------- */

typedef struct {
  SDL_Vertex v[DRAW_VERTS];
  int idx[DRAW_IDX];
  int nv;
  int na, nb, nc; /* outline, band, fill indices, each in its own run */
  int a[RUN_IDX], b[RUN_IDX], c[RUN_IDX];
} batch;

static int vertex(batch *bt, const xform *t, pt p, SDL_Color col) {
  SDL_Vertex *v = &bt->v[bt->nv];
  v->position.x = tx(t, p.x);
  v->position.y = ty(t, p.y);
  v->color = col;
  v->tex_coord.x = 0;
  v->tex_coord.y = 0;
  return bt->nv++;
}

static pt centroid(const pt *p, int n) {
  pt c = {0, 0};
  for (int i = 0; i < n; i++) {
    c.x += p[i].x;
    c.y += p[i].y;
  }
  c.x /= n;
  c.y /= n;
  return c;
}

/* A fan over a convex outline into run (a or c), leaving out the points
 * that only cut a straight edge (skip may be NULL): a fan's slices are
 * long whatever their base. */
static void fan(batch *bt, const xform *t, const pt *p, const bool *skip, int n,
                SDL_Color col, int *run, int *nrun, int max) {
  int c0, first, m = 0;
  if (n < 3 || bt->nv + n + 1 > DRAW_VERTS || *nrun + 3 * n > max)
    return;
  c0 = vertex(bt, t, centroid(p, n), col);
  first = bt->nv;
  for (int i = 0; i < n; i++)
    if (!skip || !skip[i]) {
      vertex(bt, t, p[i], col);
      m++;
    }
  for (int i = 0; i < m; i++) {
    run[(*nrun)++] = c0;
    run[(*nrun)++] = first + i;
    run[(*nrun)++] = first + (i + 1) % m;
  }
}

/* The band between two matching outlines into run (a or b), colour
 * fading across it. */
static void band(batch *bt, const xform *t, const pt *in, const pt *out, int n,
                 SDL_Color cin, SDL_Color cout, int *run, int *nrun) {
  int first;
  if (n < 3 || bt->nv + 2 * n > DRAW_VERTS || *nrun + 6 * n > RUN_IDX)
    return;
  first = bt->nv;
  for (int i = 0; i < n; i++) {
    vertex(bt, t, in[i], cin);
    vertex(bt, t, out[i], cout);
  }
  for (int i = 0; i < n; i++) {
    int a = first + 2 * i, b = first + 2 * ((i + 1) % n);
    run[(*nrun)++] = a;
    run[(*nrun)++] = b;
    run[(*nrun)++] = a + 1;
    run[(*nrun)++] = a + 1;
    run[(*nrun)++] = b;
    run[(*nrun)++] = b + 1;
  }
}

static void flush(batch *bt, SDL_Renderer *r) {
  int n = 0;
  if (bt->na + bt->nb + bt->nc > 0) {
    memmove(bt->idx, bt->a, sizeof(int) * (size_t)bt->na);
    n = bt->na;
    memcpy(bt->idx + n, bt->b, sizeof(int) * (size_t)bt->nb);
    n += bt->nb;
    memcpy(bt->idx + n, bt->c, sizeof(int) * (size_t)bt->nc);
    n += bt->nc;
    SDL_RenderGeometry(r, NULL, bt->v, bt->nv, bt->idx, n);
  }
  bt->nv = bt->na = bt->nb = bt->nc = 0;
}

static SDL_Color darker(SDL_Color c, double k) {
  SDL_Color d = {(Uint8)(c.r * k), (Uint8)(c.g * k), (Uint8)(c.b * k), 255};
  return d;
}

/* One part into the batch: its outline, a band that fades from the fill
 * to the outline across the edge's pixel (the anti-aliasing), and its
 * fill. */
static void part(batch *bt, const xform *t, const fig_part *p, SDL_Color fill,
                 double outline_cm) {
  fig_circle c[4];
  pt o[HULL_MAX], in[HULL_MAX], out[HULL_MAX];
  bool extra[HULL_MAX];
  double half = 0.5 / t->s; /* half a pixel, in cm */
  int n = clean_circles(p, c), ni;
  if (n == 0)
    return;
  /* the outline is a ring outside the edge's band, not a fan under the
   * whole part: the fill would walk the part's pixels a second time */
  ni = hull(c, n, -half, t->s, in, extra);
  hull(c, n, half, t->s, out, NULL);
  hull(c, n, outline_cm, t->s, o, NULL);
  band(bt, t, out, o, ni, COL_OUTLINE, COL_OUTLINE, bt->a, &bt->na);
  band(bt, t, in, out, ni, fill, COL_OUTLINE, bt->b, &bt->nb);
  fan(bt, t, in, extra, ni, fill, bt->c, &bt->nc, RUN_IDX);
}

/* A dot (an eye): a small circle with a soft edge. */
static void dot(batch *bt, const xform *t, double x, double y, double r,
                SDL_Color col, SDL_Color bg) {
  fig_part p = {.n = 1};
  pt in[HULL_MAX], out[HULL_MAX];
  double half = 0.5 / t->s;
  int n;
  p.c[0].x = x;
  p.c[0].y = y;
  p.c[0].r = r;
  n = hull(p.c, 1, -half, t->s, in, NULL);
  hull(p.c, 1, half, t->s, out, NULL);
  band(bt, t, in, out, n, col, bg, bt->b, &bt->nb);
  fan(bt, t, in, NULL, n, col, bt->c, &bt->nc, RUN_IDX);
}

/* A thick arc (the smile), as one band in the fill run. */
static void arc(batch *bt, const xform *t, double cx, double cy, double r,
                double a0, double a1, double w, SDL_Color col) {
  enum { SEG = 10 };
  int first = bt->nv;
  if (bt->nv + 2 * (SEG + 1) > DRAW_VERTS || bt->nc + 6 * SEG > RUN_IDX)
    return;
  for (int i = 0; i <= SEG; i++) {
    double a = a0 + (a1 - a0) * i / SEG;
    pt pi = {cx + (r - w / 2) * cos(a), cy + (r - w / 2) * sin(a)};
    pt po = {cx + (r + w / 2) * cos(a), cy + (r + w / 2) * sin(a)};
    vertex(bt, t, pi, col);
    vertex(bt, t, po, col);
  }
  for (int i = 0; i < SEG; i++) {
    int a = first + 2 * i, b = a + 2;
    bt->c[bt->nc++] = a;
    bt->c[bt->nc++] = b;
    bt->c[bt->nc++] = a + 1;
    bt->c[bt->nc++] = a + 1;
    bt->c[bt->nc++] = b;
    bt->c[bt->nc++] = b + 1;
  }
}

static void face(batch *bt, const xform *t, const fig_figure *fig,
                 const fig_body *b) {
  double cx = b->px[FP_HEAD], cy = b->py[FP_HEAD];
  double ux = cos(b->head_up), uy = sin(b->head_up);
  double fx = uy, fy = -ux; /* up turned clockwise: forward, or left */
  double er = fmax(1.45, 1.0 / t->s);
  if (fig->view == FIG_VIEW_SIDE) {
    dot(bt, t, cx + 5.4 * fx + 2.6 * ux, cy + 5.4 * fy + 2.6 * uy, er, COL_FACE,
        COL_BODY);
    /* a small smile toward the front */
    arc(bt, t, cx + 5.2 * fx - 1.0 * ux, cy + 5.2 * fy - 1.0 * uy, 4.0,
        b->head_up + M_PI + 0.25, b->head_up + M_PI + 1.35,
        fmax(0.9, 1.2 / t->s), COL_FACE);
  } else {
    dot(bt, t, cx + 4.3 * fx + 2.4 * ux, cy + 4.3 * fy + 2.4 * uy, er, COL_FACE,
        COL_BODY);
    dot(bt, t, cx - 4.3 * fx + 2.4 * ux, cy - 4.3 * fy + 2.4 * uy, er, COL_FACE,
        COL_BODY);
    arc(bt, t, cx + 0.8 * ux, cy + 0.8 * uy, 5.6, b->head_up + M_PI - 0.85,
        b->head_up + M_PI + 0.85, fmax(0.9, 1.2 / t->s), COL_FACE);
  }
}

/* --- props ---------------------------------------------------------------- */

static void props(rb_ui *ui, const xform *t, const fig_figure *fig,
                  SDL_Rect box) {
  for (int i = 0; i < fig->nrects; i++) {
    const fig_rect *r = &fig->rects[i];
    float xa = tx(t, r->x0), xb = tx(t, r->x1);
    float ya = ty(t, r->y1), yb = ty(t, r->y0);
    SDL_Rect px;
    SDL_Color c;
    int rad = (int)lround(r->radius * t->s);
    if (xa > xb) {
      float s = xa;
      xa = xb;
      xb = s;
    }
    if (r->style == FIG_RECT_FLOOR) {
      xa = (float)box.x;
      xb = (float)(box.x + box.w);
    }
    px.x = (int)lroundf(xa);
    px.y = (int)lroundf(ya);
    px.w = (int)lroundf(xb) - px.x;
    px.h = (int)lroundf(yb) - px.y;
    if (px.w < 1)
      px.w = 1;
    if (px.h < 1)
      px.h = 1;
    switch (r->style) {
    case FIG_RECT_EDGE:
      c = COL_PROP_EDGE;
      break;
    case FIG_RECT_MAT:
      c = COL_MAT;
      break;
    case FIG_RECT_FLOOR:
      c = COL_FLOOR;
      break;
    default:
      c = COL_PROP;
      break;
    }
    if (r->style == FIG_RECT_FRAME) {
      int th = (int)lround(fmax(2.0, 1.8 * t->s));
      rb_ui_round_rect_outline(ui, px, rad, th, COL_PROP_EDGE);
    } else if (rad > 1) {
      rb_ui_fill_round_rect(ui, px, rad, c);
    } else {
      rb_ui_fill_rect(ui, px, c);
    }
  }
}

/* --- the figure ----------------------------------------------------------- */

void fig_draw(rb_ui *ui, const fig_figure *fig, const fig_body *body,
              SDL_Rect box, bool mirror, unsigned highlight, SDL_Color hl) {
  SDL_Renderer *r = rb_ui_renderer(ui);
  SDL_BlendMode old;
  xform t;
  double w = fig->maxx - fig->minx, h = fig->maxy - fig->miny, outline_cm;
  batch bt;

  t.s = fmin(box.w / w, box.h / h);
  t.ox = box.x + box.w / 2.0 - t.s * (fig->minx + fig->maxx) / 2.0;
  t.oy = box.y + box.h / 2.0 + t.s * (fig->miny + fig->maxy) / 2.0;
  t.mirror = mirror;
  t.mx = 2.0 * box.x + box.w;
  {
    SDL_RendererInfo info;
    t.whole = SDL_GetRendererInfo(r, &info) == 0 &&
              (info.flags & SDL_RENDERER_SOFTWARE);
  }
  outline_cm = fmax(1.6 / t.s, 1.1);

  SDL_GetRenderDrawBlendMode(r, &old);
  SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
  props(ui, &t, fig, box);
  bt.nv = bt.na = bt.nb = bt.nc = 0;
  for (int layer = 0; layer < FIG_LAYERS; layer++) {
    for (int i = 0; i < body->nparts; i++) {
      const fig_part *p = &body->parts[i];
      SDL_Color fill;
      if ((int)p->layer != layer)
        continue;
      if (p->limb & highlight)
        fill = p->tone == FIG_TONE_FAR ? darker(hl, 0.9) : hl;
      else
        fill = p->tone == FIG_TONE_FAR ? COL_BODY_FAR : COL_BODY;
      part(&bt, &t, p, fill, outline_cm);
    }
    if (layer ==
        (fig->view == FIG_VIEW_SIDE ? FIG_LAYER_BODY : FIG_LAYER_HEAD)) {
      flush(&bt, r);
      face(&bt, &t, fig, body);
    }
    flush(&bt, r);
  }
  SDL_SetRenderDrawBlendMode(r, old);
}
