/* render.c - a briefing to a map: layout, basemap, symbols, labels, furniture. */
#include "sitmap/render.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "canvas.h"
#include "sitmap/basemap.h"
#include "sitmap/geo.h"

#define PI 3.14159265358979323846

/* ---- colours: APP-6 fills for frames, stronger tones for lines ---------- */

static const rgba BLACK = {0.1, 0.1, 0.1, 1}, WHITE = {1, 1, 1, 1};
static const rgba INK = {0.16, 0.16, 0.18, 1};
static const rgba SEA = {0.80, 0.88, 0.94, 1}, LAND = {0.965, 0.953, 0.918, 1};
static const rgba BORDER = {0.52, 0.50, 0.55, 1}, WATER = {0.36, 0.60, 0.82, 1};
static const rgba GRID = {0.45, 0.52, 0.60, 0.55}, ROAD = {0.78, 0.38, 0.10, 1};
static const rgba HALO = {1, 1, 1, 0.88}, MUTED = {0.38, 0.38, 0.42, 1};
static const rgba COUNTRY_INK = {0.50, 0.47, 0.50, 1}, STRIKE = {0.85, 0.10, 0.10, 1};

static rgba side_fill(sm_side s)
{
    switch (s) {
    case SM_SIDE_FRIEND: return (rgba){0.502, 0.878, 1.0, 1};   /* crystal blue #80E0FF */
    case SM_SIDE_HOSTILE: return (rgba){1.0, 0.502, 0.502, 1};  /* salmon #FF8080 */
    case SM_SIDE_NEUTRAL: return (rgba){0.667, 1.0, 0.667, 1};  /* bamboo green #AAFFAA */
    case SM_SIDE_UNKNOWN: break;
    }
    return (rgba){1.0, 1.0, 0.502, 1};                          /* light yellow #FFFF80 */
}

static rgba side_line(sm_side s)
{
    switch (s) {
    case SM_SIDE_FRIEND: return (rgba){0.0, 0.42, 0.75, 1};
    case SM_SIDE_HOSTILE: return (rgba){0.80, 0.12, 0.14, 1};
    case SM_SIDE_NEUTRAL: return (rgba){0.13, 0.55, 0.20, 1};
    case SM_SIDE_UNKNOWN: break;
    }
    return (rgba){0.70, 0.60, 0.0, 1};
}

static rgba with_alpha(rgba c, double a) { c.a = a; return c; }

/* ---- state -------------------------------------------------------------- */

typedef struct box {
    double x, y, w, h;
} box;

typedef struct label_req {
    char *text;
    char kind[32];
    double ax, ay;        /* anchor */
    double r;             /* clearance around the anchor (symbol half-size) */
    int priority;         /* lower first */
    font f;
    rgba color;
    bool along_path;      /* candidates along a path instead of around a point */
    double *px, *py;      /* the path (page points) */
    size_t np;
    bool callout;         /* a note: boxed text with a leader line */
    double lat, lon;
} label_req;

typedef struct legend_use {
    bool kinds[32];       /* place kinds used, by index in the kinds list */
    bool unit_side[4];
    bool move[4][2];      /* movements drawn, by side and dashed (claimed) */
    bool zone, road, river, airstrike[4], note;
    unsigned layer_drawn[64]; /* per briefing layer: 1 points, 2 lines, 4 areas drawn */
} legend_use;

/* Scratch for projected vertices, grown as needed. */
typedef struct proj_buf {
    double *x, *y;
    bool *ok, *keep;
    size_t *stack;
    size_t cap;
} proj_buf;

typedef struct rctx {
    const sm_briefing *b;
    canvas *cv;
    sm_layout *L;
    sm_projection *proj;
    sm_basemap *bm;
    double fx, fy, fw, fh;      /* map frame */
    proj_buf pbuf;              /* projected vertices of the part being drawn */
    double scale, cx, cy, X0, Y0;
    double geo[4];              /* visible lon/lat bounds */
    box *obst;                  /* what labels must not cover */
    size_t nobst, capobst;
    struct {                    /* the scale bar: reserved before labels, drawn after */
        double x, y, w, h, km, len_km, mi, len_mi;
        size_t obstacle;        /* its box in obst */
    } sb;
    label_req *labels;
    size_t nlabels, caplabels;
    legend_use use;
    sm_error *err;
} rctx;

static const char *const place_kinds[] = {
    "city", "town", "village", "district", "base", "airbase", "border_crossing", "camp",
    "dam", "mountain", "oil_field", "gas_field", "station", "checkpoint", "port", "airport",
    "site", "point", NULL};

static int kind_index(const char *k)
{
    for (int i = 0; place_kinds[i]; i++)
        if (strcmp(place_kinds[i], k) == 0)
            return i;
    return -1;
}

/* ---- bookkeeping -------------------------------------------------------- */

static sm_layout_item *add_item(rctx *c, sm_item_type t, const char *kind, const char *text,
                                double x, double y, double w, double h)
{
    sm_layout *L = c->L;
    sm_layout_item *v = realloc(L->items, (L->n_items + 1) * sizeof *v);
    if (!v)
        return NULL;
    L->items = v;
    sm_layout_item *it = &v[L->n_items++];
    memset(it, 0, sizeof *it);
    it->type = t;
    snprintf(it->kind, sizeof it->kind, "%s", kind);
    it->text = text ? strdup(text) : NULL;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
    return it;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void warn(rctx *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **v = realloc(c->L->warnings, (c->L->n_warnings + 1) * sizeof *v);
    if (!v)
        return;
    c->L->warnings = v;
    v[c->L->n_warnings] = strdup(buf);
    if (v[c->L->n_warnings])
        c->L->n_warnings++;
}

static void add_obstacle(rctx *c, double x, double y, double w, double h)
{
    if (c->nobst == c->capobst) {
        size_t cap = c->capobst ? c->capobst * 2 : 64;
        box *v = realloc(c->obst, cap * sizeof *v);
        if (!v)
            return;
        c->obst = v;
        c->capobst = cap;
    }
    c->obst[c->nobst++] = (box){x, y, w, h};
}

static bool overlaps(box a, box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool box_free(rctx *c, box a)
{
    if (a.x < c->fx + 2 || a.y < c->fy + 2 || a.x + a.w > c->fx + c->fw - 2 ||
        a.y + a.h > c->fy + c->fh - 2)
        return false;
    for (size_t i = 0; i < c->nobst; i++)
        if (overlaps(a, c->obst[i]))
            return false;
    return true;
}

static void symbol_item(rctx *c, const char *kind, double x, double y, double half, rgba fill,
                        double lat, double lon)
{
    sm_layout_item *it = add_item(c, SM_ITEM_SYMBOL, kind, NULL, x - half, y - half, 2 * half,
                                  2 * half);
    if (it) {
        it->anchor_x = x;
        it->anchor_y = y;
        it->lat = lat;
        it->lon = lon;
        it->fill[0] = fill.r;
        it->fill[1] = fill.g;
        it->fill[2] = fill.b;
    }
    add_obstacle(c, x - half, y - half, 2 * half, 2 * half);
}

static void request_label(rctx *c, const char *text, const char *kind, double ax, double ay,
                          double r, int priority, font f, rgba color, double lat, double lon)
{
    if (!text || !*text)
        return;
    if (c->nlabels == c->caplabels) {
        size_t cap = c->caplabels ? c->caplabels * 2 : 32;
        label_req *v = realloc(c->labels, cap * sizeof *v);
        if (!v)
            return;
        c->labels = v;
        c->caplabels = cap;
    }
    label_req *l = &c->labels[c->nlabels++];
    memset(l, 0, sizeof *l);
    l->text = strdup(text);
    snprintf(l->kind, sizeof l->kind, "%s", kind);
    l->ax = ax;
    l->ay = ay;
    l->r = r;
    l->priority = priority;
    l->f = f;
    l->color = color;
    l->lat = lat;
    l->lon = lon;
}

/* ---- projection and page ------------------------------------------------ */

static int to_page(const rctx *c, double lon, double lat, double *x, double *y)
{
    double X, Y;
    if (sm_projection_forward(c->proj, lon, lat, &X, &Y) != 0)
        return -1;
    *x = c->cx + (X - c->X0) * c->scale;
    *y = c->cy - (Y - c->Y0) * c->scale;
    return 0;
}

int sm_layout_geo_to_page(const sm_layout *l, double lon, double lat, double *x, double *y)
{
    double X, Y;
    if (sm_projection_forward(l->projection, lon, lat, &X, &Y) != 0)
        return -1;
    *x = l->origin[0] + (X - l->origin[2]) * l->scale;
    *y = l->origin[1] - (Y - l->origin[3]) * l->scale;
    return 0;
}

int sm_layout_page_to_geo(const sm_layout *l, double x, double y, double *lon, double *lat)
{
    double X = l->origin[2] + (x - l->origin[0]) / l->scale;
    double Y = l->origin[3] - (y - l->origin[1]) / l->scale;
    return sm_projection_inverse(l->projection, X, Y, lon, lat);
}

static void grow(double *bb, double lon, double lat)
{
    if (lon < bb[0]) bb[0] = lon;
    if (lat < bb[1]) bb[1] = lat;
    if (lon > bb[2]) bb[2] = lon;
    if (lat > bb[3]) bb[3] = lat;
}

static void grow_point(double *bb, const sm_bpoint *p) { grow(bb, p->at.lon, p->at.lat); }

static void grow_circle(double *bb, double lat, double lon, double r)
{
    for (int a = 0; a < 360; a += 15) {
        double la, lo;
        sm_geo_direct(lat, lon, a, r, &la, &lo);
        grow(bb, lo, la);
    }
}

/* The lon/lat box the features need, before margins. */
static void feature_bbox(const sm_briefing *b, double *bb)
{
    bb[0] = bb[1] = 1e9;
    bb[2] = bb[3] = -1e9;
    for (size_t i = 0; i < b->n_places; i++)
        grow_point(bb, &b->places[i].at);
    for (size_t i = 0; i < b->n_units; i++)
        grow_point(bb, &b->units[i].at);
    for (size_t i = 0; i < b->n_movements; i++)
        for (size_t k = 0; k < b->movements[i].n_points; k++)
            grow_point(bb, &b->movements[i].points[k]);
    for (size_t i = 0; i < b->n_zones; i++) {
        const sm_bzone *z = &b->zones[i];
        if (z->shape == SM_ZONE_CIRCLE)
            grow_circle(bb, z->center.at.lat, z->center.at.lon, z->radius_m);
        for (size_t k = 0; k < z->n_points; k++)
            grow_point(bb, &z->points[k]);
    }
    for (size_t i = 0; i < b->n_events; i++)
        grow_point(bb, &b->events[i].at);
    for (size_t i = 0; i < b->n_notes; i++)
        grow_point(bb, &b->notes[i].at);
    /* Routes can run far beyond the story (Damascus to Baghdad): they are
     * drawn, but do not stretch the extent. */
    if (bb[0] > bb[2]) {
        for (size_t i = 0; i < b->n_routes; i++)
            grow_point(bb, &b->routes[i].ref);
    }
}

static sm_status choose_extent(rctx *c, double *bb)
{
    const sm_briefing *b = c->b;
    if (b->extent == SM_EXTENT_BBOX) {
        memcpy(bb, b->bbox, sizeof b->bbox);
        return SM_OK;
    }
    if (b->extent == SM_EXTENT_AROUND) {
        bb[0] = bb[1] = 1e9;
        bb[2] = bb[3] = -1e9;
        grow_circle(bb, b->extent_center.at.lat, b->extent_center.at.lon, b->extent_radius_m);
        return SM_OK;
    }
    feature_bbox(b, bb);
    /* Layers do not stretch the map (a national dataset would swamp the
     * story), unless they are all there is. */
    for (size_t i = 0; bb[0] > bb[2] && i < b->n_layers; i++) {
        sm_basemap *bm;
        double lb[4];
        if (sm_basemap_open(b->layers[i].path, &bm, c->err) != SM_OK)
            return c->err ? c->err->code : SM_ERR_IO;
        sm_status st = sm_basemap_extent(bm, b->layers[i].layer, lb, c->err);
        sm_basemap_close(bm);
        if (st == SM_OK) {
            grow(bb, lb[0], lb[1]);
            grow(bb, lb[2], lb[3]);
        }
    }
    if (bb[0] > bb[2])
        return sm_error_set(c->err, SM_ERR_RANGE, "nothing to map: no feature lies anywhere");
    double w = bb[2] - bb[0], h = bb[3] - bb[1];
    /* A single point still deserves a map of its surroundings. */
    if (w < 0.3) {
        bb[0] -= (0.3 - w) / 2;
        bb[2] += (0.3 - w) / 2;
        w = 0.3;
    }
    if (h < 0.3) {
        bb[1] -= (0.3 - h) / 2;
        bb[3] += (0.3 - h) / 2;
        h = 0.3;
    }
    bb[0] -= w * b->margin;
    bb[2] += w * b->margin;
    bb[1] -= h * b->margin;
    bb[3] += h * b->margin;
    if (bb[1] < -85 || bb[3] > 85 || bb[2] - bb[0] > 120)
        return sm_error_set(c->err, SM_ERR_RANGE,
                            "the features span %.0f° of longitude and %.1f°..%.1f° of latitude: too large for a briefing map",
                            bb[2] - bb[0], bb[1], bb[3]);
    return SM_OK;
}

/* Fit the extent in the frame: one scale, centred. */
static sm_status fit(rctx *c, const double *bb)
{
    double xmin = 1e300, ymin = 1e300, xmax = -1e300, ymax = -1e300;
    for (int i = 0; i <= 20; i++) {
        double t = i / 20.0;
        double pts[4][2] = {{bb[0] + t * (bb[2] - bb[0]), bb[1]},
                            {bb[0] + t * (bb[2] - bb[0]), bb[3]},
                            {bb[0], bb[1] + t * (bb[3] - bb[1])},
                            {bb[2], bb[1] + t * (bb[3] - bb[1])}};
        for (int k = 0; k < 4; k++) {
            double X, Y;
            if (sm_projection_forward(c->proj, pts[k][0], pts[k][1], &X, &Y) != 0)
                return sm_error_set(c->err, SM_ERR_RANGE,
                                    "the extent reaches beyond what projection '%s' can show",
                                    sm_projection_definition(c->proj));
            if (X < xmin) xmin = X;
            if (X > xmax) xmax = X;
            if (Y < ymin) ymin = Y;
            if (Y > ymax) ymax = Y;
        }
    }
    double sx = c->fw / (xmax - xmin), sy = c->fh / (ymax - ymin);
    c->scale = sx < sy ? sx : sy;
    c->cx = c->fx + c->fw / 2;
    c->cy = c->fy + c->fh / 2;
    c->X0 = (xmin + xmax) / 2;
    c->Y0 = (ymin + ymax) / 2;
    /* What the frame really shows, for the basemap's spatial filter. */
    c->geo[0] = c->geo[1] = 1e9;
    c->geo[2] = c->geo[3] = -1e9;
    for (int i = 0; i <= 20; i++) {
        double t = i / 20.0;
        double px[4] = {c->fx + t * c->fw, c->fx + t * c->fw, c->fx, c->fx + c->fw};
        double py[4] = {c->fy, c->fy + c->fh, c->fy + t * c->fh, c->fy + t * c->fh};
        for (int k = 0; k < 4; k++) {
            double X = c->X0 + (px[k] - c->cx) / c->scale, Y = c->Y0 - (py[k] - c->cy) / c->scale;
            double lon, lat;
            if (sm_projection_inverse(c->proj, X, Y, &lon, &lat) == 0)
                grow(c->geo, lon, lat);
        }
    }
    return SM_OK;
}

/* ---- basemap ------------------------------------------------------------ */

typedef struct poly_ctx {
    rctx *c;
    rgba fill, line;
    double width;
    bool do_fill;
} poly_ctx;

/* Which edges of the visible box vis (x0, y0, x1, y1) a point lies beyond: 1 left, 2
 * right, 4 above, 8 below. */
static int outcode(const double *vis, double x, double y)
{
    return (x < vis[0]) | (x > vis[2]) << 1 | (y < vis[1]) << 2 | (y > vis[3]) << 3;
}

/* How far (points) a simplified line may stray from the data: on the map a
 * third of a pixel at 150 dpi, 0.05 mm on paper, 150 m on the ground at the
 * example's scale where Natural Earth 1:10m is good to a kilometre; on the
 * inset 0.1 mm, finer than 1:50m data at its scale. */
static const double SIMPLIFY_PT = 0.15, INSET_SIMPLIFY_PT = 0.3;

/* Squared distance from (px, py) to the segment a-b. */
static double seg_dist2(double px, double py, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = ax + t * dx - px, ey = ay + t * dy - py;
    return ex * ex + ey * ey;
}

/* Douglas-Peucker on x, y [0, n): keep[i] set for the vertices that keep
 * the line within tol of itself. stack holds 2n indices. */
static void simplify(const double *x, const double *y, size_t n, double tol, bool *keep,
                     size_t *stack)
{
    for (size_t i = 0; i < n; i++)
        keep[i] = false;
    keep[0] = keep[n - 1] = true;
    size_t top = 0;
    stack[top++] = 0;
    stack[top++] = n - 1;
    double tol2 = tol * tol;
    while (top) {
        size_t b = stack[--top], a = stack[--top];
        double worst = tol2;
        size_t at = 0;
        for (size_t i = a + 1; i < b; i++) {
            double d = seg_dist2(x[i], y[i], x[a], y[a], x[b], y[b]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (at) {
            keep[at] = true;
            stack[top++] = a;
            stack[top++] = at;
            stack[top++] = at;
            stack[top++] = b;
        }
    }
}

/*
 * Emit a projected polyline held in b (ok[i] false: a point the projection
 * cannot place, which lifts the pen), dropping what cannot show in vis:
 * - the inner vertices of a run lying beyond one edge of the vis: the chord
 *   that replaces them stays beyond that edge, so neither a stroke nor a
 *   fill's winding inside the vis changes. Whole countries around the map
 *   and the inset's world otherwise fill the page with invisible vertices;
 * - vertices the line does not need to stay within tol points of itself
 *   (Douglas-Peucker): Natural Earth's 1:10m borders carry vertices metres
 *   apart, far below what a page can show.
 * b's arrays are reused in place.
 */
static void emit_path(canvas *cv, proj_buf *b, size_t n, const double *vis, bool close, double tol)
{
    double *x = b->x, *y = b->y;
    bool *ok = b->ok, *start = b->keep; /* start[k]: the k-th kept point begins a sub-path */
    size_t k = 0;
    bool pen = false;
    int run = 0; /* edges shared by every point since the last one kept */
    for (size_t i = 0; i < n; i++) {
        if (!ok[i]) {
            pen = false;
            continue;
        }
        int oc = outcode(vis, x[i], y[i]);
        if (pen && i + 1 < n && ok[i + 1]) {
            int shared = run & oc & outcode(vis, x[i + 1], y[i + 1]);
            /* Within a tenth of the tolerance of the last point kept: no
             * simplification would keep it, and the search is spared. */
            if (shared || fabs(x[i] - x[k - 1]) + fabs(y[i] - y[k - 1]) <= tol * 0.1) {
                run &= oc;
                continue;
            }
        }
        x[k] = x[i];
        y[k] = y[i];
        start[k++] = !pen;
        run = oc;
        pen = true;
    }
    for (size_t s = 0, e; s < k; s = e) {
        for (e = s + 1; e < k && !start[e]; e++)
            ;
        /* keep[] for this sub-path is written over ok[] (no longer needed). */
        simplify(x + s, y + s, e - s, tol, ok + s, b->stack);
        for (size_t i = s; i < e; i++)
            if (ok[i])
                i == s ? canvas_move_to(cv, x[i], y[i]) : canvas_line_to(cv, x[i], y[i]);
        if (close && e == k)
            canvas_close_path(cv);
    }
}

static bool proj_buf_fit(proj_buf *b, size_t n)
{
    if (n <= b->cap)
        return true;
    double *x = realloc(b->x, n * sizeof *x);
    if (x)
        b->x = x;
    double *y = realloc(b->y, n * sizeof *y);
    if (y)
        b->y = y;
    bool *ok = realloc(b->ok, n * sizeof *ok);
    if (ok)
        b->ok = ok;
    bool *keep = realloc(b->keep, n * sizeof *keep);
    if (keep)
        b->keep = keep;
    size_t *stack = n <= SIZE_MAX / 4 / sizeof *stack ? realloc(b->stack, 2 * n * sizeof *stack) : NULL;
    if (stack)
        b->stack = stack;
    if (!x || !y || !ok || !keep || !stack)
        return false;
    b->cap = n;
    return true;
}

static void proj_buf_free(proj_buf *b)
{
    free(b->x);
    free(b->y);
    free(b->ok);
    free(b->keep);
    free(b->stack);
}

/* Whether the part's longitude-latitude box meets g (w, s, e, n). A ring
 * that does not cannot enclose anything inside g either, so leaving it out
 * changes no fill there; neighbouring countries' far islands and coasts
 * then cost nothing to project. */
static bool part_meets(const double *lon, const double *lat, size_t n, const double *g)
{
    double w = 1e300, s = 1e300, e = -1e300, nn = -1e300;
    for (size_t i = 0; i < n; i++) {
        if (lon[i] < w) w = lon[i];
        if (lon[i] > e) e = lon[i];
        if (lat[i] < s) s = lat[i];
        if (lat[i] > nn) nn = lat[i];
    }
    return !(e < g[0] || w > g[2] || nn < g[1] || s > g[3]);
}

static void path_lonlat(rctx *c, const double *lon, const double *lat, size_t n, bool close)
{
    double g[4] = {c->geo[0] - 0.5, c->geo[1] - 0.5, c->geo[2] + 0.5, c->geo[3] + 0.5};
    if (!part_meets(lon, lat, n, g))
        return;
    if (!proj_buf_fit(&c->pbuf, n))
        return; /* out of memory: the part is left out of the drawing */
    proj_buf *b = &c->pbuf;
    sm_projection_forward_n(c->proj, lon, lat, b->x, b->y, n);
    for (size_t i = 0; i < n; i++) {
        b->ok[i] = b->x[i] != HUGE_VAL;
        b->x[i] = c->cx + (b->x[i] - c->X0) * c->scale;
        b->y[i] = c->cy - (b->y[i] - c->Y0) * c->scale;
    }
    double vis[4] = {c->fx - 20, c->fy - 20, c->fx + c->fw + 20, c->fy + c->fh + 20};
    emit_path(c->cv, &c->pbuf, n, vis, close, SIMPLIFY_PT);
}

static int draw_polygon_part(void *vctx, const sm_geom_part *p)
{
    poly_ctx *pc = vctx;
    if (p->first_of_feature)
        canvas_new_path(pc->c->cv);
    path_lonlat(pc->c, p->lon, p->lat, p->n, p->polygon);
    if (p->last_of_feature) {
        if (pc->do_fill)
            canvas_fill_evenodd(pc->c->cv, pc->fill, pc->width > 0);
        if (pc->width > 0)
            canvas_stroke(pc->c->cv, pc->line, pc->width, NULL, 0, false);
        canvas_new_path(pc->c->cv);
    }
    return 0;
}

static int draw_line_part(void *vctx, const sm_geom_part *p)
{
    poly_ctx *pc = vctx;
    canvas_new_path(pc->c->cv);
    path_lonlat(pc->c, p->lon, p->lat, p->n, false);
    canvas_stroke(pc->c->cv, pc->line, pc->width, NULL, 0, false);
    return 0;
}

typedef struct country_label {
    char *name;
    double lon, lat, area;
} country_label;

typedef struct country_list {
    country_label *v;
    size_t n;
} country_list;

static int collect_country(void *ctx, const char *name, double lon, double lat, double area)
{
    country_list *cl = ctx;
    country_label *v = realloc(cl->v, (cl->n + 1) * sizeof *v);
    if (!v)
        return -1;
    cl->v = v;
    v[cl->n++] = (country_label){strdup(name), lon, lat, area};
    return 0;
}

static sm_status draw_basemap(rctx *c)
{
    canvas_new_path(c->cv);
    canvas_rect(c->cv, c->fx, c->fy, c->fw, c->fh);
    canvas_fill(c->cv, c->bm ? SEA : (rgba){0.97, 0.97, 0.97, 1}, false);
    if (!c->bm)
        return SM_OK;
    double bb[4] = {c->geo[0] - 0.5, c->geo[1] - 0.5, c->geo[2] + 0.5, c->geo[3] + 0.5};
    sm_status st;
    poly_ctx land = {c, LAND, BORDER, 0.6, true};
    const char *layer = sm_basemap_has_layer(c->bm, "countries") ? "countries" : "land";
    if ((st = sm_basemap_each(c->bm, layer, bb, NULL, draw_polygon_part, &land, c->err)) != SM_OK)
        return st;
    poly_ctx water = {c, WATER, WATER, 0.6, false};
    /* Lakes filled where the basemap has them as polygons (scripts/
     * prepare-basemap closes GSHHG's shorelines), else their shores. */
    poly_ctx lakes = {c, SEA, WATER, 0.6, true};
    if (sm_basemap_has_layer(c->bm, "lakes")) {
        if ((st = sm_basemap_each(c->bm, "lakes", bb, NULL, draw_polygon_part, &lakes, c->err)) != SM_OK)
            return st;
    } else if (sm_basemap_has_layer(c->bm, "lake_shores") &&
               (st = sm_basemap_each(c->bm, "lake_shores", bb, NULL, draw_line_part, &water,
                                     c->err)) != SM_OK) {
        return st;
    }
    /* WDBII levels: 0-2 major permanent rivers, 3 further rivers; minor,
     * intermittent (wadis) and canals would bury the desert in blue. */
    if (sm_basemap_has_layer(c->bm, "rivers")) {
        water.width = 0.5;
        water.line = with_alpha(WATER, 0.7);
        if ((st = sm_basemap_each(c->bm, "rivers", bb, "level = 3", draw_line_part, &water,
                                  c->err)) != SM_OK)
            return st;
        water.width = 1.1;
        water.line = WATER;
        if ((st = sm_basemap_each(c->bm, "rivers", bb, "level <= 2", draw_line_part, &water,
                                  c->err)) != SM_OK)
            return st;
    }
    /* Country names: large and spaced, the lowest priority of all labels. */
    if (strcmp(layer, "countries") == 0) {
        country_list cl = {NULL, 0};
        sm_basemap_label_points(c->bm, "countries", c->geo, collect_country, &cl, c->err);
        double frame_area = (c->geo[2] - c->geo[0]) * (c->geo[3] - c->geo[1]);
        for (size_t i = 0; i < cl.n; i++) {
            double x, y;
            if (cl.v[i].area > frame_area * 0.03 && to_page(c, cl.v[i].lon, cl.v[i].lat, &x, &y) == 0) {
                char up[128];
                size_t k = 0;
                for (const char *s = cl.v[i].name; *s && k + 1 < sizeof up; s++)
                    up[k++] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s;
                up[k] = '\0';
                font f = {12, true, false, 2.5, 0};
                request_label(c, up, "country", x, y, 0, 90, f, COUNTRY_INK, cl.v[i].lat, cl.v[i].lon);
            }
            free(cl.v[i].name);
        }
        free(cl.v);
    }
    return SM_OK;
}

/* ---- briefing layers from OGR datasources -------------------------------- */

typedef struct layer_ctx {
    rctx *c;
    const sm_blayer *l;
    size_t index;
    size_t drawn;
    unsigned kinds;           /* 1 points, 2 lines, 4 areas */
    int pass;                 /* 0: lines and areas of every layer; 1: then the points */
} layer_ctx;

static sm_side side_from(const char *s)
{
    if (!s)
        return SM_SIDE_UNKNOWN;
    if (strcasecmp(s, "friend") == 0 || strcasecmp(s, "friendly") == 0 || strcasecmp(s, "blue") == 0)
        return SM_SIDE_FRIEND;
    if (strcasecmp(s, "hostile") == 0 || strcasecmp(s, "enemy") == 0 || strcasecmp(s, "red") == 0)
        return SM_SIDE_HOSTILE;
    if (strcasecmp(s, "neutral") == 0 || strcasecmp(s, "green") == 0)
        return SM_SIDE_NEUTRAL;
    return SM_SIDE_UNKNOWN;
}

static int draw_layer_part(void *vctx, const sm_geom_part *p)
{
    layer_ctx *lc = vctx;
    rctx *c = lc->c;
    const sm_blayer *l = lc->l;
    rgba stroke = {l->stroke[0], l->stroke[1], l->stroke[2], l->stroke[3]};
    rgba fill = {l->fill[0], l->fill[1], l->fill[2], l->fill[3]};
    const char *label = l->label_column ? p->values[0] : NULL;
    const char *side = l->side_column ? p->values[1] : NULL;
    if (side && *side)
        fill = side_fill(side_from(side));
    if (p->point != (lc->pass == 1))
        return 0; /* points go on top of every layer's lines and areas */
    if (p->point) {
        double x, y;
        if (to_page(c, p->lon[0], p->lat[0], &x, &y) != 0 || x < c->fx || x > c->fx + c->fw ||
            y < c->fy || y > c->fy + c->fh)
            return 0;
        canvas_new_path(c->cv);
        canvas_circle(c->cv, x, y, l->size);
        canvas_fill(c->cv, fill, true);
        canvas_stroke(c->cv, stroke, fmin(l->width, 1.2), NULL, 0, false);
        char kind[32];
        snprintf(kind, sizeof kind, "layer %zu", lc->index + 1);
        rgba shown = fill;
        if (fill.a < 1) /* what a translucent fill looks like over land */
            shown = (rgba){fill.r * fill.a + LAND.r * (1 - fill.a), fill.g * fill.a + LAND.g * (1 - fill.a),
                           fill.b * fill.a + LAND.b * (1 - fill.a), 1};
        symbol_item(c, kind, x, y, l->size + 0.5, shown, p->lat[0], p->lon[0]);
        if (label && *label) {
            font f = {7.5, false, false, 0, 0};
            request_label(c, label, "layer", x, y, l->size + 0.5, 70, f, INK, p->lat[0], p->lon[0]);
        }
        lc->drawn++;
        lc->kinds |= 1;
        return 0;
    }
    if (p->first_of_feature)
        canvas_new_path(c->cv);
    path_lonlat(c, p->lon, p->lat, p->n, p->polygon);
    if (!p->polygon) {
        canvas_stroke(c->cv, stroke, l->width, NULL, 0, false);
        lc->drawn++;
        lc->kinds |= 2;
    } else if (p->last_of_feature) {
        canvas_fill_evenodd(c->cv, with_alpha(fill, fmin(fill.a, 0.35)), true);
        canvas_stroke(c->cv, stroke, l->width, NULL, 0, false);
        lc->drawn++;
        lc->kinds |= 4;
    }
    return 0;
}

static sm_status draw_layers(rctx *c)
{
    const sm_briefing *b = c->b;
    size_t n = b->n_layers < 64 ? b->n_layers : 64;
    size_t drawn[64] = {0};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            const sm_blayer *l = &b->layers[i];
            sm_basemap *bm;
            sm_status st = sm_basemap_open(l->path, &bm, c->err);
            if (st != SM_OK)
                return st;
            const char *cols[3] = {l->label_column ? l->label_column : "",
                                   l->side_column ? l->side_column : "",
                                   l->date_column ? l->date_column : ""};
            layer_ctx lc = {c, l, i, 0, 0, pass};
            st = sm_basemap_each_with(bm, l->layer, c->geo, l->where, cols, 3, draw_layer_part,
                                      &lc, c->err);
            sm_basemap_close(bm);
            if (st != SM_OK)
                return st;
            c->use.layer_drawn[i] |= lc.kinds;
            drawn[i] += lc.drawn;
        }
    for (size_t i = 0; i < n; i++)
        if (drawn[i] == 0)
            warn(c, "layer '%s' has no features within the map",
                 b->layers[i].title ? b->layers[i].title : b->layers[i].source);
    return SM_OK;
}

/* ---- graticule ---------------------------------------------------------- */

static double nice_step(double span)
{
    static const double steps[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 8)
            return steps[i];
    return 30;
}

static void fmt_deg(char *buf, size_t cap, double v, char pos, char neg, double step)
{
    int dec = step < 0.5 ? 2 : step < 1 ? 1 : 0;
    snprintf(buf, cap, "%.*f°%c", dec, fabs(v), v < 0 ? neg : pos);
}

/*
 * Draw one graticule line: a meridian at value (degrees of longitude) from
 * lo to hi degrees of latitude, or a parallel (meridian false) at value from
 * lo to hi degrees of longitude, in 61 points simplified like the basemap
 * (meridians are straight in a conic projection: two points do). Returns
 * where it crosses the frame's bottom edge (a meridian: x) or left edge (a
 * parallel: y), or -1.
 */
static double graticule_line(rctx *c, bool meridian, double value, double lo, double hi)
{
    proj_buf *g = &c->pbuf;
    if (!proj_buf_fit(g, 61))
        return -1;
    double edge = meridian ? c->fy + c->fh : c->fx, cross = -1, pa = 0, pb = 0;
    bool pen = false;
    for (int i = 0; i <= 60; i++) {
        double t = lo + (hi - lo) * i / 60.0, x = 0, y = 0;
        g->ok[i] = to_page(c, meridian ? value : t, meridian ? t : value, &x, &y) == 0;
        g->x[i] = x;
        g->y[i] = y;
        if (!g->ok[i])
            continue;
        /* a: the coordinate across the edge, b: the one along it */
        double a = meridian ? y : x, b = meridian ? x : y;
        if (pen && (pa - edge) * (a - edge) <= 0 && a != pa)
            cross = pb + (b - pb) * (edge - pa) / (a - pa);
        pa = a;
        pb = b;
        pen = true;
    }
    double vis[4] = {c->fx - 20, c->fy - 20, c->fx + c->fw + 20, c->fy + c->fh + 20};
    canvas_new_path(c->cv);
    emit_path(c->cv, g, 61, vis, false, SIMPLIFY_PT);
    canvas_stroke(c->cv, GRID, 0.4, NULL, 0, false);
    return cross;
}

static void graticule_label(rctx *c, const char *t, double x, double y, double w, double h)
{
    font f = {7, false, false, 0, 0};
    canvas_text(c->cv, x, y, t, &f, MUTED, HALO, 1.5);
    add_item(c, SM_ITEM_LABEL, "graticule", t, x, y, w, h);
    add_obstacle(c, x, y, w, h);
}

static void draw_graticule(rctx *c)
{
    double step = nice_step(fmax(c->geo[2] - c->geo[0], c->geo[3] - c->geo[1]));
    font f = {7, false, false, 0, 0};
    double lon0 = floor(c->geo[0] / step) * step, lat0 = floor(c->geo[1] / step) * step;
    char t[32];
    double w, h;
    for (double lon = lon0; lon <= c->geo[2] + 1e-9; lon += step) {
        double lx = graticule_line(c, true, lon, c->geo[1] - step, c->geo[3] + step);
        if (lx > c->fx + 20 && lx < c->fx + c->fw - 20) {
            fmt_deg(t, sizeof t, lon, 'E', 'W', step);
            canvas_text_size(c->cv, t, &f, &w, &h);
            graticule_label(c, t, lx - w / 2, c->fy + c->fh - h - 2, w, h);
        }
    }
    for (double lat = lat0; lat <= c->geo[3] + 1e-9; lat += step) {
        double ly = graticule_line(c, false, lat, c->geo[0] - step, c->geo[2] + step);
        if (ly > c->fy + 15 && ly < c->fy + c->fh - 20) {
            fmt_deg(t, sizeof t, lat, 'N', 'S', step);
            canvas_text_size(c->cv, t, &f, &w, &h);
            graticule_label(c, t, c->fx + 3, ly - h - 1, w, h);
        }
    }
}

/* ---- features ----------------------------------------------------------- */

/* A geodesic from a to b as page points, densified so it curves right. */
static size_t geodesic_path(rctx *c, double lat1, double lon1, double lat2, double lon2,
                            double *px, double *py, size_t max)
{
    double d, az;
    sm_geo_inverse(lat1, lon1, lat2, lon2, &d, &az, NULL);
    size_t n = 0;
    size_t steps = max - 1;
    for (size_t i = 0; i <= steps; i++) {
        double la, lo;
        sm_geo_direct(lat1, lon1, az, d * (double)i / (double)steps, &la, &lo);
        if (to_page(c, lo, la, &px[n], &py[n]) == 0)
            n++;
    }
    return n;
}

static void hatch(rctx *c, rgba col)
{
    /* Diagonal lines over the frame, clipped by the caller to the zone. */
    canvas_new_path(c->cv);
    for (double d = -c->fh; d < c->fw + c->fh; d += 7) {
        canvas_move_to(c->cv, c->fx + d, c->fy);
        canvas_line_to(c->cv, c->fx + d + c->fh, c->fy + c->fh);
    }
    canvas_stroke(c->cv, col, 0.6, NULL, 0, false);
}

static void label_along(label_req *l, const double *px, const double *py, size_t n);

static void draw_zones(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_zones; i++) {
        const sm_bzone *z = &b->zones[i];
        double px[362], py[362];
        size_t n = 0;
        if (z->shape == SM_ZONE_CIRCLE) {
            for (int a = 0; a <= 360; a += 2) {
                double la, lo;
                sm_geo_direct(z->center.at.lat, z->center.at.lon, a, z->radius_m, &la, &lo);
                if (to_page(c, lo, la, &px[n], &py[n]) == 0)
                    n++;
            }
        } else {
            for (size_t k = 0; k < z->n_points && n < 360; k++)
                if (to_page(c, z->points[k].at.lon, z->points[k].at.lat, &px[n], &py[n]) == 0)
                    n++;
        }
        if (n < 3)
            continue;
        const char *fill = z->fill ? z->fill : "hatch";
        rgba line = side_line(z->side);
        canvas_save(c->cv);
        canvas_new_path(c->cv);
        canvas_move_to(c->cv, px[0], py[0]);
        for (size_t k = 1; k < n; k++)
            canvas_line_to(c->cv, px[k], py[k]);
        canvas_close_path(c->cv);
        if (strcmp(fill, "none") != 0)
            canvas_fill(c->cv, with_alpha(side_fill(z->side), 0.18), true);
        canvas_clip(c->cv);
        if (strcmp(fill, "hatch") == 0)
            hatch(c, with_alpha(line, 0.35));
        canvas_restore(c->cv);
        canvas_new_path(c->cv);
        canvas_move_to(c->cv, px[0], py[0]);
        for (size_t k = 1; k < n; k++)
            canvas_line_to(c->cv, px[k], py[k]);
        canvas_close_path(c->cv);
        static const double dash[] = {6, 3};
        canvas_stroke(c->cv, line, 1.4, dash, 2, false);
        c->use.zone = true;
        /* The label runs beside the zone's edge, wherever there is room. */
        font f = {8.5, true, true, 0, 0};
        double llat = z->shape == SM_ZONE_CIRCLE ? z->center.at.lat : z->points[0].at.lat;
        double llon = z->shape == SM_ZONE_CIRCLE ? z->center.at.lon : z->points[0].at.lon;
        request_label(c, z->label, "zone", px[0], py[0], 1, 30, f, line, llat, llon);
        if (z->label && c->nlabels > 0 && c->labels[c->nlabels - 1].text &&
            strcmp(c->labels[c->nlabels - 1].kind, "zone") == 0) {
            label_along(&c->labels[c->nlabels - 1], px, py, n);
        }
    }
}

/* A label that runs along a line: it keeps its own copy of the n page
 * points (none when out of memory). */
static void label_along(label_req *l, const double *px, const double *py, size_t n)
{
    l->along_path = true;
    l->np = n;
    l->px = malloc(n * sizeof *l->px);
    l->py = malloc(n * sizeof *l->py);
    if (l->px && l->py) {
        memcpy(l->px, px, n * sizeof *px);
        memcpy(l->py, py, n * sizeof *py);
    } else {
        l->np = 0;
    }
}

static void draw_routes(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_routes; i++) {
        const sm_place *p = b->routes[i].ref.at.place;
        bool river = strcmp(p->kind, "river") == 0;
        size_t cap = p->n_vertices * 24;
        double *px = malloc(cap * sizeof *px), *py = malloc(cap * sizeof *py);
        if (!px || !py) {
            free(px);
            free(py);
            continue;
        }
        size_t n = 0;
        for (size_t k = 0; k + 1 < p->n_vertices; k++) {
            size_t got = geodesic_path(c, p->vertices[2 * k], p->vertices[2 * k + 1],
                                       p->vertices[2 * k + 2], p->vertices[2 * k + 3],
                                       px + n, py + n, 24);
            n += got;
        }
        canvas_new_path(c->cv);
        for (size_t k = 0; k < n; k++)
            k ? canvas_line_to(c->cv, px[k], py[k]) : canvas_move_to(c->cv, px[k], py[k]);
        if (river) {
            canvas_stroke(c->cv, WATER, 2.2, NULL, 0, false);
            c->use.river = true;
        } else {
            canvas_stroke(c->cv, WHITE, 4.2, NULL, 0, true);
            canvas_stroke(c->cv, ROAD, 2.2, NULL, 0, false);
            c->use.road = true;
        }
        /* The label goes along the part of the route inside the frame. */
        size_t lo = n, hi = 0;
        for (size_t k = 0; k < n; k++)
            if (px[k] > c->fx + 10 && px[k] < c->fx + c->fw - 10 && py[k] > c->fy + 10 &&
                py[k] < c->fy + c->fh - 10) {
                if (k < lo) lo = k;
                if (k > hi) hi = k;
            }
        if (lo < hi) {
            font f = {8, false, true, 0, 0};
            const char *text = b->routes[i].label ? b->routes[i].label : p->name;
            request_label(c, text, "route", 0, 0, 3, 50, f, river ? WATER : ROAD, p->lat, p->lon);
            label_along(&c->labels[c->nlabels - 1], px + lo, py + lo, hi - lo + 1);
        }
        free(px);
        free(py);
    }
}

static void arrowhead(rctx *c, double x, double y, double ux, double uy, double len, double hw,
                      rgba col)
{
    canvas_new_path(c->cv);
    canvas_move_to(c->cv, x, y);
    canvas_line_to(c->cv, x - ux * len - uy * hw, y - uy * len + ux * hw);
    canvas_line_to(c->cv, x - ux * len + uy * hw, y - uy * len - ux * hw);
    canvas_close_path(c->cv);
    canvas_fill(c->cv, col, true);
    canvas_stroke(c->cv, WHITE, 0.8, NULL, 0, false);
}

static void draw_movements(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_movements; i++) {
        const sm_bmovement *m = &b->movements[i];
        size_t cap = (m->n_points - 1) * 40;
        double *px = malloc(cap * sizeof *px), *py = malloc(cap * sizeof *py);
        if (!px || !py) {
            free(px);
            free(py);
            continue;
        }
        size_t n = 0;
        for (size_t k = 0; k + 1 < m->n_points; k++)
            n += geodesic_path(c, m->points[k].at.lat, m->points[k].at.lon,
                               m->points[k + 1].at.lat, m->points[k + 1].at.lon, px + n, py + n, 40);
        if (n < 2) {
            free(px);
            free(py);
            continue;
        }
        /* Stand off the symbols at both ends, so the arrow points at the
         * place instead of hiding it. */
        double start_gap = 7, end_gap = 8;
        size_t s = 0, e = n - 1;
        while (s + 1 < n && hypot(px[s] - px[0], py[s] - py[0]) < start_gap)
            s++;
        while (e > s + 1 && hypot(px[e] - px[n - 1], py[e] - py[n - 1]) < end_gap)
            e--;
        double ux = px[e] - px[e - 1], uy = py[e] - py[e - 1], ul = hypot(ux, uy);
        if (ul <= 0) {
            free(px);
            free(py);
            continue;
        }
        ux /= ul;
        uy /= ul;
        double tipx = px[e], tipy = py[e];
        rgba col = side_line(m->side);
        bool dashed = m->status != SM_MOVE_REPORTED;
        static const double dash[] = {7, 4};
        canvas_new_path(c->cv);
        canvas_move_to(c->cv, px[s], py[s]);
        for (size_t k = s + 1; k < e; k++)
            canvas_line_to(c->cv, px[k], py[k]);
        canvas_line_to(c->cv, tipx - ux * 10, tipy - uy * 10);
        canvas_stroke(c->cv, WHITE, 5.5, NULL, 0, true);
        canvas_stroke(c->cv, col, 3.2, dashed ? dash : NULL, dashed ? 2 : 0, false);
        arrowhead(c, tipx, tipy, ux, uy, 13, 6.5, col);
        add_obstacle(c, tipx - 8, tipy - 8, 16, 16);
        c->use.move[m->side][dashed] = true;
        if (m->label) {
            font f = {8.5, true, false, 0, 0};
            request_label(c, m->label, "movement", 0, 0, 5, 20, f, col, m->points[0].at.lat,
                          m->points[0].at.lon);
            label_along(&c->labels[c->nlabels - 1], px + s, py + s, e - s + 1);
        }
        free(px);
        free(py);
    }
}

/* Place symbols by kind, centred on (x, y); returns the half-size. */
static double place_symbol(rctx *c, const char *kind, double x, double y, rgba *fill_out)
{
    canvas *v = c->cv;
    canvas_new_path(v);
    *fill_out = INK;
    if (strcmp(kind, "city") == 0) {
        canvas_circle(v, x, y, 5);
        canvas_fill(v, WHITE, true);
        canvas_stroke(v, INK, 1.4, NULL, 0, false);
        canvas_circle(v, x, y, 2.6);
        canvas_fill(v, INK, false);
        return 5.5;
    }
    if (strcmp(kind, "town") == 0) {
        canvas_circle(v, x, y, 3.6);
        canvas_fill(v, INK, true);
        canvas_stroke(v, WHITE, 0.9, NULL, 0, false);
        return 4;
    }
    if (strcmp(kind, "village") == 0 || strcmp(kind, "district") == 0 ||
        strcmp(kind, "point") == 0) {
        canvas_circle(v, x, y, 2.8);
        canvas_fill(v, WHITE, true);
        canvas_stroke(v, INK, 1.3, NULL, 0, false);
        *fill_out = WHITE;
        return 3.5;
    }
    if (strcmp(kind, "base") == 0) {
        /* a solid square in a white keyline */
        canvas_rect(v, x - 4.5, y - 4.5, 9, 9);
        canvas_fill(v, INK, true);
        canvas_stroke(v, WHITE, 1.2, NULL, 0, false);
        canvas_new_path(v);
        canvas_rect(v, x - 5.5, y - 5.5, 11, 11);
        canvas_stroke(v, INK, 0.8, NULL, 0, false);
        return 6;
    }
    if (strcmp(kind, "airbase") == 0 || strcmp(kind, "airport") == 0) {
        canvas_circle(v, x, y, 6);
        canvas_fill(v, WHITE, true);
        canvas_stroke(v, INK, 1.2, NULL, 0, false);
        canvas_new_path(v); /* an aircraft seen from above */
        canvas_move_to(v, x, y - 4.2);
        canvas_line_to(v, x, y + 4.2);
        canvas_move_to(v, x - 4, y - 0.3);
        canvas_line_to(v, x + 4, y - 0.3);
        canvas_move_to(v, x - 1.8, y + 3.4);
        canvas_line_to(v, x + 1.8, y + 3.4);
        canvas_stroke(v, INK, 1.5, NULL, 0, false);
        return 6.5; /* the centre is where fuselage and wings cross: ink */
    }
    if (strcmp(kind, "border_crossing") == 0 || strcmp(kind, "checkpoint") == 0) {
        canvas_rect(v, x - 5.5, y - 3.5, 11, 7);
        canvas_fill(v, WHITE, true);
        canvas_stroke(v, INK, 1.3, NULL, 0, false);
        canvas_new_path(v); /* a gate: two posts and a bar */
        canvas_move_to(v, x - 2, y - 3.5);
        canvas_line_to(v, x - 2, y + 3.5);
        canvas_move_to(v, x + 2, y - 3.5);
        canvas_line_to(v, x + 2, y + 3.5);
        canvas_stroke(v, INK, 1.3, NULL, 0, false);
        *fill_out = WHITE;
        return 6;
    }
    if (strcmp(kind, "camp") == 0) {
        canvas_move_to(v, x, y - 5);
        canvas_line_to(v, x + 5, y + 4);
        canvas_line_to(v, x - 5, y + 4);
        canvas_close_path(v);
        canvas_fill(v, WHITE, true);
        canvas_stroke(v, INK, 1.3, NULL, 0, false);
        *fill_out = WHITE;
        return 5.5;
    }
    if (strcmp(kind, "mountain") == 0) {
        canvas_move_to(v, x, y - 5);
        canvas_line_to(v, x + 5, y + 4);
        canvas_line_to(v, x - 5, y + 4);
        canvas_close_path(v);
        canvas_fill(v, (rgba){0.45, 0.33, 0.2, 1}, false);
        *fill_out = (rgba){0.45, 0.33, 0.2, 1};
        return 5.5;
    }
    if (strcmp(kind, "dam") == 0) {
        canvas_rect(v, x - 5, y - 2, 10, 4);
        canvas_fill(v, WATER, true);
        canvas_stroke(v, INK, 1.1, NULL, 0, false);
        *fill_out = WATER;
        return 5.5;
    }
    /* oil and gas fields, stations, sites: a small square */
    canvas_rect(v, x - 3.5, y - 3.5, 7, 7);
    canvas_fill(v, WHITE, true);
    canvas_stroke(v, INK, 1.3, NULL, 0, false);
    *fill_out = WHITE;
    return 4;
}

static const char *effective_kind(const sm_bplace *p)
{
    if (p->kind)
        return p->kind;
    if (p->at.at.place && p->at.at.place->geometry == SM_GEOM_POINT)
        return p->at.at.place->kind;
    return "point";
}

static void draw_places(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_places; i++) {
        const sm_bplace *p = &b->places[i];
        const char *kind = effective_kind(p);
        const char *text = p->label ? p->label : p->at.at.name;
        double x, y;
        if (to_page(c, p->at.at.lon, p->at.at.lat, &x, &y) != 0)
            continue;
        bool inside = x > c->fx && x < c->fx + c->fw && y > c->fy && y < c->fy + c->fh;
        if (!inside) {
            warn(c, "place '%s' lies outside the map extent; not drawn", text);
            continue;
        }
        if (strcmp(kind, "country") == 0 || strcmp(kind, "region") == 0 ||
            strcmp(kind, "desert") == 0) {
            /* Areas are named, not marked. */
            font f = {11, false, true, 3, 0};
            request_label(c, text, "place", x, y, 0, 60, f, MUTED, p->at.at.lat, p->at.at.lon);
            continue;
        }
        rgba fill;
        double half = place_symbol(c, kind, x, y, &fill);
        symbol_item(c, kind, x, y, half, fill, p->at.at.lat, p->at.at.lon);
        int ki = kind_index(kind);
        if (ki >= 0)
            c->use.kinds[ki] = true;
        bool major = strcmp(kind, "city") == 0 || strcmp(kind, "base") == 0;
        font f = {major ? 9.5 : 8.5, major, false, 0, 0};
        request_label(c, text, "place", x, y, half, major ? 10 : 15, f, INK, p->at.at.lat,
                      p->at.at.lon);
    }
}

static void starburst(rctx *c, double x, double y, double r, rgba col)
{
    canvas_new_path(c->cv);
    for (int k = 0; k < 16; k++) {
        double a = k * PI / 8, rr = (k % 2) ? r * 0.45 : r;
        double px = x + rr * sin(a), py = y - rr * cos(a);
        k ? canvas_line_to(c->cv, px, py) : canvas_move_to(c->cv, px, py);
    }
    canvas_close_path(c->cv);
    canvas_fill(c->cv, col, true);
    canvas_stroke(c->cv, WHITE, 0.9, NULL, 0, false);
}

static int event_index(const char *t)
{
    static const char *const types[] = {"airstrike", "shelling", "clash", "explosion"};
    for (int i = 0; i < 4; i++)
        if (strcmp(types[i], t) == 0)
            return i;
    return 0;
}

static void draw_events(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_events; i++) {
        const sm_bevent *e = &b->events[i];
        double x, y;
        if (to_page(c, e->at.at.lon, e->at.at.lat, &x, &y) != 0)
            continue;
        /* An event at a marked place sits just off it, so both stay visible. */
        for (size_t k = 0; k < c->nobst; k++) {
            box o = c->obst[k];
            if (x > o.x - 2 && x < o.x + o.w + 2 && y > o.y - 2 && y < o.y + o.h + 2) {
                x = o.x + o.w + 5;
                y = o.y - 4;
                break;
            }
        }
        int t = event_index(e->type);
        rgba col = t == 2 ? (rgba){0.95, 0.55, 0.0, 1} : STRIKE;
        starburst(c, x, y, 7, col);
        symbol_item(c, e->type, x, y, 7, col, e->at.at.lat, e->at.at.lon);
        c->use.airstrike[t] = true;
        if (e->label) {
            font f = {8, false, true, 0, 0};
            request_label(c, e->label, "event", x, y, 7, 40, f, col, e->at.at.lat, e->at.at.lon);
        }
    }
}

/* ---- APP-6 unit frames -------------------------------------------------- */

/* The frame outline of a side, centred on (x, y): w x h is its box. */
static void frame_path(canvas *v, sm_side s, double x, double y, double *w, double *h)
{
    canvas_new_path(v);
    switch (s) {
    case SM_SIDE_FRIEND:
        *w = 30;
        *h = 20;
        canvas_rect(v, x - 15, y - 10, 30, 20);
        break;
    case SM_SIDE_HOSTILE:
        *w = 28;
        *h = 28;
        canvas_move_to(v, x, y - 14);
        canvas_line_to(v, x + 14, y);
        canvas_line_to(v, x, y + 14);
        canvas_line_to(v, x - 14, y);
        canvas_close_path(v);
        break;
    case SM_SIDE_NEUTRAL:
        *w = 22;
        *h = 22;
        canvas_rect(v, x - 11, y - 11, 22, 22);
        break;
    case SM_SIDE_UNKNOWN: {
        /* quatrefoil: four overlapping lobes */
        *w = 26;
        *h = 26;
        canvas_quatrefoil(v, x, y, 6.5);
        break;
    }
    }
}

static const char *echelon_mark(const char *e)
{
    static const struct { const char *e, *m; } t[] = {
        {"team", "Ø"}, {"squad", "•"}, {"section", "••"}, {"platoon", "•••"},
        {"company", "I"}, {"battalion", "II"}, {"regiment", "III"}, {"brigade", "X"},
        {"division", "XX"}, {"corps", "XXX"}, {"army", "XXXX"}};
    for (size_t i = 0; e && i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].e, e) == 0)
            return t[i].m;
    return NULL;
}

static void unit_icon(rctx *c, const sm_bunit *u, double x, double y, double w, double h)
{
    canvas *v = c->cv;
    const char *t = u->type ? u->type : "";
    /* The icon lives in the frame's inner box. */
    double iw = u->side == SM_SIDE_HOSTILE ? 12 : u->side == SM_SIDE_FRIEND ? 26 : 14;
    double ih = u->side == SM_SIDE_HOSTILE ? 12 : u->side == SM_SIDE_FRIEND ? 16 : 14;
    (void)w;
    (void)h;
    canvas_new_path(v);
    bool inf = strcmp(t, "infantry") == 0 || strcmp(t, "mechanized") == 0;
    bool arm = strcmp(t, "armor") == 0 || strcmp(t, "armour") == 0 || strcmp(t, "mechanized") == 0;
    if (inf) {
        canvas_move_to(v, x - iw / 2, y - ih / 2);
        canvas_line_to(v, x + iw / 2, y + ih / 2);
        canvas_move_to(v, x - iw / 2, y + ih / 2);
        canvas_line_to(v, x + iw / 2, y - ih / 2);
        canvas_stroke(v, BLACK, 1.2, NULL, 0, false);
    }
    if (arm) {
        /* armour: a track outline (rounded rectangle approximated by an ellipse) */
        canvas_new_path(v);
        for (int k = 0; k <= 32; k++) {
            double a = 2 * PI * k / 32, px = x + iw * 0.36 * cos(a), py = y + ih * 0.28 * sin(a);
            k ? canvas_line_to(v, px, py) : canvas_move_to(v, px, py);
        }
        canvas_stroke(v, BLACK, 1.2, NULL, 0, false);
    }
    if (strcmp(t, "artillery") == 0) {
        canvas_circle(v, x, y, 2.5);
        canvas_fill(v, BLACK, false);
    }
    const char *text = strcmp(t, "special_forces") == 0 ? "SF"
                       : strcmp(t, "militia") == 0      ? "MIL"
                       : strcmp(t, "air") == 0          ? "AIR"
                                                        : NULL;
    if (text) {
        font f = {6.5, true, false, 0, 0};
        double tw, th;
        canvas_text_size(v, text, &f, &tw, &th);
        canvas_text(v, x - tw / 2, y - th / 2, text, &f, BLACK, WHITE, 0);
    }
}

static void draw_units(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_units; i++) {
        const sm_bunit *u = &b->units[i];
        double ax, ay;
        if (to_page(c, u->at.at.lon, u->at.at.lat, &ax, &ay) != 0)
            continue;
        /* Frames stand off the position they report when something is
         * drawn there; a leader line keeps the true position readable. */
        static const double offs[][2] = {{0, 0}, {-34, -30}, {34, -30}, {-34, 30}, {34, 30},
                                         {0, -44}, {0, 44}, {-50, 0}, {50, 0}, {-60, -50},
                                         {60, -50}, {-60, 50}, {60, 50}};
        double x = ax, y = ay, w = 30, h = 28;
        size_t k;
        for (k = 0; k < sizeof offs / sizeof offs[0]; k++) {
            x = ax + offs[k][0];
            y = ay + offs[k][1];
            box bx = {x - 17, y - 24, 34, 40}; /* frame, echelon above */
            if (box_free(c, bx))
                break;
        }
        if (k == sizeof offs / sizeof offs[0]) {
            x = ax + offs[1][0];
            y = ay + offs[1][1];
        }
        if (k > 0) {
            canvas_new_path(c->cv);
            canvas_move_to(c->cv, ax, ay);
            canvas_line_to(c->cv, x, y);
            canvas_stroke(c->cv, BLACK, 0.9, NULL, 0, false);
            canvas_new_path(c->cv);
            canvas_circle(c->cv, ax, ay, 1.8);
            canvas_fill(c->cv, BLACK, false);
        }
        frame_path(c->cv, u->side, x, y, &w, &h);
        rgba fill = side_fill(u->side);
        canvas_fill(c->cv, fill, true);
        static const double dash[] = {4, 2.5};
        canvas_stroke(c->cv, BLACK, 1.5, u->planned ? dash : NULL, u->planned ? 2 : 0, false);
        unit_icon(c, u, x, y, w, h);
        const char *mark = echelon_mark(u->echelon);
        double top = y - h / 2;
        if (mark) {
            font f = {7.5, true, false, 0, 0};
            double tw, th;
            canvas_text_size(c->cv, mark, &f, &tw, &th);
            canvas_text(c->cv, x - tw / 2, top - th, mark, &f, BLACK, HALO, 1.2);
            top -= th;
        }
        sm_layout_item *it = add_item(c, SM_ITEM_SYMBOL, "unit", NULL, x - w / 2, top, w,
                                      y + h / 2 - top);
        if (it) {
            it->anchor_x = x;
            it->anchor_y = y;
            it->lat = u->at.at.lat;
            it->lon = u->at.at.lon;
            it->fill[0] = fill.r;
            it->fill[1] = fill.g;
            it->fill[2] = fill.b;
        }
        add_obstacle(c, x - w / 2, top, w, y + h / 2 - top);
        c->use.unit_side[u->side] = true;
        char text[512];
        snprintf(text, sizeof text, "%s%s%s", u->label ? u->label : "",
                 u->strength ? "\n" : "", u->strength ? u->strength : "");
        font f = {8.5, true, false, 0, 0};
        request_label(c, text, "unit", x, y, fmax(w, h) / 2 + 1, 5, f, BLACK, u->at.at.lat,
                      u->at.at.lon);
    }
}

static void queue_notes(rctx *c)
{
    const sm_briefing *b = c->b;
    for (size_t i = 0; i < b->n_notes; i++) {
        const sm_bnote *n = &b->notes[i];
        double x, y;
        if (to_page(c, n->at.at.lon, n->at.at.lat, &x, &y) != 0)
            continue;
        /* A small ring marks what the note is about, unless a symbol does. */
        bool marked = false;
        for (size_t k = 0; k < c->nobst; k++)
            marked |= x >= c->obst[k].x && x <= c->obst[k].x + c->obst[k].w &&
                      y >= c->obst[k].y && y <= c->obst[k].y + c->obst[k].h;
        if (!marked) {
            canvas_new_path(c->cv);
            canvas_circle(c->cv, x, y, 2.2);
            canvas_fill(c->cv, WHITE, true);
            canvas_stroke(c->cv, INK, 1.0, NULL, 0, false);
        }
        font f = {7.5, false, false, 0, 150};
        request_label(c, n->text, "note", x, y, 6, 45, f, INK, n->at.at.lat, n->at.at.lon);
        c->labels[c->nlabels - 1].callout = true;
        c->use.note = true;
    }
}

/* ---- labels ------------------------------------------------------------- */

static int label_cmp(const void *a, const void *b)
{
    const label_req *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority - y->priority;
    return strcmp(x->text, y->text);
}

static void draw_label(rctx *c, const label_req *l, double x, double y, double w, double h)
{
    if (l->callout) {
        canvas_new_path(c->cv);
        canvas_rect(c->cv, x - 3, y - 2, w + 6, h + 4);
        canvas_fill(c->cv, (rgba){1, 1, 0.94, 0.95}, true);
        canvas_stroke(c->cv, INK, 0.7, NULL, 0, false);
        canvas_text(c->cv, x, y, l->text, &l->f, l->color, HALO, 0);
    } else {
        canvas_text(c->cv, x, y, l->text, &l->f, l->color, HALO, 2.0);
    }
    sm_layout_item *it = add_item(c, SM_ITEM_LABEL, l->kind, l->text, x, y, w, h);
    if (it) {
        it->anchor_x = l->ax;
        it->anchor_y = l->ay;
        it->lat = l->lat;
        it->lon = l->lon;
    }
}

static void leader(rctx *c, double ax, double ay, double r, box b)
{
    /* From the symbol's edge (not its centre, which it would hide) to the
     * nearest point of the box. */
    double tx = fmax(b.x, fmin(ax, b.x + b.w)), ty = fmax(b.y, fmin(ay, b.y + b.h));
    double dx = tx - ax, dy = ty - ay, d = hypot(dx, dy);
    if (d > r && r > 0) {
        ax += dx / d * r;
        ay += dy / d * r;
    }
    canvas_new_path(c->cv);
    canvas_move_to(c->cv, ax, ay);
    canvas_line_to(c->cv, tx, ty);
    canvas_stroke(c->cv, (rgba){0.25, 0.25, 0.25, 0.9}, 0.7, NULL, 0, false);
    /* Listed for the layout report, and for the scale bar to keep off. */
    sm_layout_item *it = add_item(c, SM_ITEM_LEADER, "leader", NULL, fmin(ax, tx), fmin(ay, ty),
                                  fabs(tx - ax), fabs(ty - ay));
    if (it) {
        it->anchor_x = ax;
        it->anchor_y = ay;
        it->end_x = tx;
        it->end_y = ty;
    }
}

static bool try_point_label(rctx *c, const label_req *l, double w, double h)
{
    double pad = l->callout ? 4 : 0.5;
    double r = l->r + 2.5;
    /* Right, upper right, above, left, lower right, below, upper left, lower
     * left: the cartographer's order of preference; then further out with a
     * leader line. Country and area names centre on their point first. */
    for (int ring = 0; ring < 8; ring++) {
        double d = ring == 0 ? r : r + 10.0 * ring * (l->callout ? 2.5 : 1.5);
        double cand[9][2] = {
            {l->ax + d, l->ay - h / 2},
            {l->ax + d * 0.7, l->ay - d * 0.7 - h},
            {l->ax - w / 2, l->ay - d - h},
            {l->ax - d - w, l->ay - h / 2},
            {l->ax + d * 0.7, l->ay + d * 0.7},
            {l->ax - w / 2, l->ay + d},
            {l->ax - d * 0.7 - w, l->ay - d * 0.7 - h},
            {l->ax - d * 0.7 - w, l->ay + d * 0.7},
            {l->ax - w / 2, l->ay - h / 2}};
        /* Names of areas (countries, the Badia) centre on their point and
         * may shift a little, never with a leader line. */
        bool area = l->r == 0;
        int first = (area && ring == 0) ? 8 : 0;
        int last = (area && ring == 0) ? 9 : 8;
        for (int k = first; k < last; k++) {
            box b = {cand[k][0] - pad, cand[k][1] - pad, w + 2 * pad, h + 2 * pad};
            if (!box_free(c, b))
                continue;
            if ((ring > 0 && !area) || l->callout)
                leader(c, l->ax, l->ay, l->r, b);
            draw_label(c, l, cand[k][0], cand[k][1], w, h);
            add_obstacle(c, b.x, b.y, b.w, b.h);
            return true;
        }
        if (area && ring >= 1)
            return false; /* an area name that does not fit is left off */
    }
    return false;
}

static bool try_path_label(rctx *c, const label_req *l, double w, double h)
{
    static const double fr[] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85};
    if (l->np < 2)
        return false;
    for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++) {
        size_t k = (size_t)(fr[i] * (double)(l->np - 1));
        if (k + 1 >= l->np)
            k = l->np - 2;
        double x = l->px[k], y = l->py[k];
        double dx = l->px[k + 1] - x, dy = l->py[k + 1] - y, dl = hypot(dx, dy);
        if (dl <= 0)
            continue;
        /* beside the line, on either side of it */
        double nx = -dy / dl, ny = dx / dl;
        for (int side = -1; side <= 1; side += 2) {
            double off = l->r + 4;
            double bx = x + side * nx * (off + w / 2) - w / 2;
            double by = y + side * ny * (off + h / 2) - h / 2;
            box b = {bx - 0.5, by - 0.5, w + 1, h + 1};
            if (!box_free(c, b))
                continue;
            draw_label(c, l, bx, by, w, h);
            c->L->items[c->L->n_items - 1].anchor_x = x;
            c->L->items[c->L->n_items - 1].anchor_y = y;
            add_obstacle(c, b.x, b.y, b.w, b.h);
            return true;
        }
    }
    return false;
}

static void place_labels(rctx *c)
{
    qsort(c->labels, c->nlabels, sizeof *c->labels, label_cmp);
    for (size_t i = 0; i < c->nlabels; i++) {
        label_req *l = &c->labels[i];
        double w, h;
        canvas_text_size(c->cv, l->text, &l->f, &w, &h);
        bool ok = l->along_path ? try_path_label(c, l, w, h) : try_point_label(c, l, w, h);
        if (!ok && l->along_path && l->np > 0) {
            /* fall back to a point label at the middle of the path */
            l->ax = l->px[l->np / 2];
            l->ay = l->py[l->np / 2];
            ok = try_point_label(c, l, w, h);
        }
        if (!ok && strcmp(l->kind, "country") != 0)
            warn(c, "label '%s' could not be placed without overlap; dropped", l->text);
    }
}

/* ---- furniture ---------------------------------------------------------- */

static double nice_distance(double target)
{
    double p = pow(10, floor(log10(target)));
    double best = p;
    static const double m[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i] * p <= target)
            best = m[i] * p;
    return best;
}

/* Metres per page point along the parallel through the map centre. */
static double metres_per_point(rctx *c)
{
    double lon1, lat1, lon2, lat2, d;
    double X1 = c->X0 - 50 / c->scale, X2 = c->X0 + 50 / c->scale;
    sm_projection_inverse(c->proj, X1, c->Y0, &lon1, &lat1);
    sm_projection_inverse(c->proj, X2, c->Y0, &lon2, &lat2);
    sm_geo_inverse(lat1, lon1, lat2, lon2, &d, NULL, NULL);
    return d / 100.0;
}

static void scale_bar_row(rctx *c, double x, double y, double len, double units, double unit_m,
                          const char *uname, bool ticks_up)
{
    (void)unit_m;
    font f = {7, false, false, 0, 0};
    int div = 4;
    for (int i = 0; i < div; i++) {
        canvas_new_path(c->cv);
        canvas_rect(c->cv, x + len * i / div, y, len / div, 4);
        canvas_fill(c->cv, (i % 2) ? WHITE : BLACK, true);
        canvas_stroke(c->cv, BLACK, 0.6, NULL, 0, false);
    }
    for (int i = 0; i <= div; i += 2) {
        char t[32];
        double v = units * i / div;
        if (i == div)
            snprintf(t, sizeof t, "%g %s", v, uname);
        else
            snprintf(t, sizeof t, "%g", v);
        double tw, th;
        canvas_text_size(c->cv, t, &f, &tw, &th);
        double tx = x + len * i / div - (i == div ? 4 : tw / 2);
        canvas_text(c->cv, tx, ticks_up ? y - th - 0.5 : y + 4.5, t, &f, BLACK, HALO, 0);
    }
}

/* Whether the segment (x0, y0)-(x1, y1) passes through box b (Liang-Barsky). */
static bool segment_meets(const double *seg, box b)
{
    double t0 = 0, t1 = 1, x0 = seg[0], y0 = seg[1], dx = seg[2] - x0, dy = seg[3] - y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {x0 - b.x, b.x + b.w - x0, y0 - b.y, b.y + b.h - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = fmax(t0, t);
        else
            t1 = fmin(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

static bool crossed_by_leader(const rctx *c, box b)
{
    for (size_t i = 0; i < c->L->n_items; i++) {
        const sm_layout_item *it = &c->L->items[i];
        double seg[4] = {it->anchor_x, it->anchor_y, it->end_x, it->end_y};
        if (it->type == SM_ITEM_LEADER && segment_meets(seg, b))
            return true;
    }
    return false;
}

/* The scale bar's candidate corners, in order: bottom left, bottom right,
 * top left (the north arrow has the top right). */
static box scale_bar_corner(const rctx *c, int k)
{
    double w = c->sb.w, h = c->sb.h;
    return (box){k == 1 ? c->fx + c->fw - w - 8 : c->fx + 8,
                 k == 2 ? c->fy + 8 : c->fy + c->fh - h - 16, w, h};
}

/* Choose the scale bar's corner before labels are placed, and keep labels
 * off it: bottom left unless symbols are there, then bottom right, then top
 * left (the north arrow has the top right); the corner that hides the
 * fewest symbols otherwise. */
static void reserve_scale_bar(rctx *c)
{
    double mpp = metres_per_point(c);
    double target = c->fw * 0.22 * mpp;
    c->sb.km = nice_distance(target / 1000.0);
    c->sb.len_km = c->sb.km * 1000 / mpp;
    c->sb.mi = nice_distance(target / SM_M_PER_MI);
    c->sb.len_mi = c->sb.mi * SM_M_PER_MI / mpp;
    c->sb.w = fmax(c->sb.len_km, c->sb.len_mi) + 34;
    c->sb.h = 44;
    box best = scale_bar_corner(c, 0);
    size_t best_hits = (size_t)-1;
    for (int k = 0; k < 3 && best_hits; k++) {
        box b = scale_bar_corner(c, k), grown = {b.x - 4, b.y - 4, b.w + 8, b.h + 8};
        size_t hits = 0;
        for (size_t i = 0; i < c->L->n_items; i++) {
            const sm_layout_item *it = &c->L->items[i];
            hits += it->type == SM_ITEM_SYMBOL && overlaps(grown, (box){it->x, it->y, it->w, it->h});
        }
        if (hits < best_hits) {
            best_hits = hits;
            best = b;
        }
    }
    c->sb.x = best.x;
    c->sb.y = best.y;
    c->sb.obstacle = c->nobst;
    add_obstacle(c, best.x, best.y, best.w, best.h);
}

/* Draw the scale bar after the labels. If a leader line crosses its corner,
 * another corner that nothing drawn since (label, symbol, leader) would
 * meet takes it; failing that it stays, over the leader. */
static void draw_scale_bar(rctx *c)
{
    box here = {c->sb.x, c->sb.y, c->sb.w, c->sb.h};
    if (crossed_by_leader(c, here)) {
        for (int k = 0; k < 3; k++) {
            box b = scale_bar_corner(c, k);
            bool free = !crossed_by_leader(c, b);
            for (size_t i = 0; free && i < c->nobst; i++)
                free = i == c->sb.obstacle || !overlaps(b, c->obst[i]);
            if (free) {
                here = b;
                c->obst[c->sb.obstacle] = b;
                break;
            }
        }
    }
    double bx = here.x, by = here.y, bw = here.w, bh = here.h;
    canvas_new_path(c->cv);
    canvas_rect(c->cv, bx, by, bw, bh);
    canvas_fill(c->cv, (rgba){1, 1, 1, 0.82}, true);
    canvas_stroke(c->cv, (rgba){0.6, 0.6, 0.6, 1}, 0.5, NULL, 0, false);
    scale_bar_row(c, bx + 8, by + 12, c->sb.len_km, c->sb.km, 1000, "km", true);
    scale_bar_row(c, bx + 8, by + 22, c->sb.len_mi, c->sb.mi, SM_M_PER_MI, "mi", false);
    font f = {5.5, false, true, 0, 0};
    canvas_text(c->cv, bx + 8, by + bh - 8.5, "scale true at the map centre", &f, MUTED, HALO, 0);
    sm_layout_item *it = add_item(c, SM_ITEM_FURNITURE, "scale_bar", NULL, bx, by, bw, bh);
    if (it) {
        it->value = c->sb.km * 1000;
        it->length_pt = c->sb.len_km;
    }
}

static void draw_north_arrow(rctx *c)
{
    double lon = 0, lat = 0, x1 = 0, y1 = 0, x2 = 0, y2 = -1;
    sm_projection_inverse(c->proj, c->X0, c->Y0, &lon, &lat);
    to_page(c, lon, lat, &x1, &y1);
    to_page(c, lon, lat + 0.2, &x2, &y2);
    double ux = x2 - x1, uy = y2 - y1, ul = hypot(ux, uy);
    ux /= ul;
    uy /= ul;
    double cx = c->fx + c->fw - 24, cy = c->fy + 30, L = 15;
    double bx = cx - 16, by = cy - 26, bw = 32, bh = 46;
    canvas_new_path(c->cv);
    canvas_rect(c->cv, bx, by, bw, bh);
    canvas_fill(c->cv, (rgba){1, 1, 1, 0.82}, false);
    double tx = cx + ux * L, ty = cy + uy * L, px = -uy, py = ux;
    canvas_new_path(c->cv);
    canvas_move_to(c->cv, tx, ty);
    canvas_line_to(c->cv, cx - ux * L * 0.6 + px * 6, cy - uy * L * 0.6 + py * 6);
    canvas_line_to(c->cv, cx, cy);
    canvas_close_path(c->cv);
    canvas_fill(c->cv, BLACK, false);
    canvas_new_path(c->cv);
    canvas_move_to(c->cv, tx, ty);
    canvas_line_to(c->cv, cx - ux * L * 0.6 - px * 6, cy - uy * L * 0.6 - py * 6);
    canvas_line_to(c->cv, cx, cy);
    canvas_close_path(c->cv);
    canvas_fill(c->cv, WHITE, true);
    canvas_stroke(c->cv, BLACK, 0.8, NULL, 0, false);
    font f = {8, true, false, 0, 0};
    double tw, th;
    canvas_text_size(c->cv, "N", &f, &tw, &th);
    canvas_text(c->cv, tx + ux * 2 - tw / 2, ty + uy * 2 - th + 1, "N", &f, BLACK, HALO, 0);
    sm_layout_item *it = add_item(c, SM_ITEM_FURNITURE, "north_arrow", NULL, bx, by, bw, bh);
    if (it) /* bearing of true north on the page, clockwise from up */
        it->value = atan2(ux, -uy) * 180 / PI;
    add_obstacle(c, bx, by, bw, bh);
}

typedef struct inset_ctx {
    canvas *cv;
    sm_projection *p;
    double ix, iy, iw, ih, scale, X0, Y0;
    proj_buf *buf;
    double geo[4]; /* what the inset can show, with room to spare */
} inset_ctx;

static void inset_pt(const inset_ctx *ic, double lon, double lat, double *x, double *y, bool *ok)
{
    double X, Y;
    *ok = sm_projection_forward(ic->p, lon, lat, &X, &Y) == 0;
    *x = ic->ix + ic->iw / 2 + (X - ic->X0) * ic->scale;
    *y = ic->iy + ic->ih / 2 - (Y - ic->Y0) * ic->scale;
}

static int inset_part(void *vctx, const sm_geom_part *p)
{
    inset_ctx *ic = vctx;
    if (p->first_of_feature)
        canvas_new_path(ic->cv);
    if (!proj_buf_fit(ic->buf, p->n) || !part_meets(p->lon, p->lat, p->n, ic->geo))
        return 0;
    proj_buf *b = ic->buf;
    sm_projection_forward_n(ic->p, p->lon, p->lat, b->x, b->y, p->n);
    for (size_t i = 0; i < p->n; i++) {
        b->ok[i] = b->x[i] != HUGE_VAL;
        b->x[i] = ic->ix + ic->iw / 2 + (b->x[i] - ic->X0) * ic->scale;
        b->y[i] = ic->iy + ic->ih / 2 - (b->y[i] - ic->Y0) * ic->scale;
    }
    double vis[4] = {ic->ix - 10, ic->iy - 10, ic->ix + ic->iw + 10, ic->iy + ic->ih + 10};
    emit_path(ic->cv, ic->buf, p->n, vis, true, INSET_SIMPLIFY_PT);
    if (p->last_of_feature) {
        canvas_fill_evenodd(ic->cv, LAND, true);
        canvas_stroke(ic->cv, BORDER, 0.35, NULL, 0, false);
        canvas_new_path(ic->cv);
    }
    return 0;
}

static void draw_inset(rctx *c, double x, double y, double w, double h)
{
    canvas_new_path(c->cv);
    canvas_rect(c->cv, x, y, w, h);
    canvas_fill(c->cv, SEA, false);
    /* The wider region: the map's extent grown four times, at least 24° by 16°. */
    double cl = (c->geo[0] + c->geo[2]) / 2, ct = (c->geo[1] + c->geo[3]) / 2;
    double hw = fmax((c->geo[2] - c->geo[0]) * 2, 12), hh = fmax((c->geo[3] - c->geo[1]) * 2, 8);
    double bb[4] = {cl - hw, fmax(ct - hh, -80), cl + hw, fmin(ct + hh, 80)};
    char def[256];
    sm_projection_auto(bb[1], bb[0], bb[3], bb[2], def, sizeof def);
    inset_ctx ic = {c->cv, NULL, x, y, w, h, 1, 0, 0, &c->pbuf,
                    {bb[0] - hw / 4, bb[1] - hh / 4, bb[2] + hw / 4, bb[3] + hh / 4}};
    if (sm_projection_new(def, &ic.p, NULL) != SM_OK)
        return;
    double X1, Y1, X2, Y2, Xa, Ya, Xb, Yb;
    sm_projection_forward(ic.p, bb[0], bb[1], &X1, &Y1);
    sm_projection_forward(ic.p, bb[2], bb[3], &X2, &Y2);
    sm_projection_forward(ic.p, bb[0], bb[3], &Xa, &Ya);
    sm_projection_forward(ic.p, bb[2], bb[1], &Xb, &Yb);
    double xmin = fmin(X1, Xa), xmax = fmax(X2, Xb), ymin = fmin(Y1, Yb), ymax = fmax(Y2, Ya);
    ic.scale = fmin(w / (xmax - xmin), h / (ymax - ymin)) * 1.15;
    sm_projection_forward(ic.p, cl, ct, &ic.X0, &ic.Y0);
    canvas_save(c->cv);
    canvas_new_path(c->cv);
    canvas_rect(c->cv, x, y, w, h);
    canvas_clip(c->cv);
    if (c->bm) {
        /* The 1:50m countries where the basemap has them: at the inset's
         * scale 1:10m is ten times the vertices for nothing to see. */
        const char *layer = sm_basemap_has_layer(c->bm, "countries_50m") ? "countries_50m"
                            : sm_basemap_has_layer(c->bm, "countries") ? "countries" : "land";
        sm_basemap_each(c->bm, layer, bb, NULL, inset_part, &ic, NULL);
    }
    /* The main map's frame, as it falls on the wider region. */
    canvas_new_path(c->cv);
    for (int i = 0; i <= 80; i++) {
        double t = i / 20.0, px, py;
        if (i <= 20) { px = c->fx + t * c->fw; py = c->fy; }
        else if (i <= 40) { px = c->fx + c->fw; py = c->fy + (t - 1) * c->fh; }
        else if (i <= 60) { px = c->fx + c->fw - (t - 2) * c->fw; py = c->fy + c->fh; }
        else { px = c->fx; py = c->fy + c->fh - (t - 3) * c->fh; }
        double lon, lat, ix, iy;
        bool ok;
        if (sm_projection_inverse(c->proj, c->X0 + (px - c->cx) / c->scale,
                                  c->Y0 - (py - c->cy) / c->scale, &lon, &lat) != 0)
            continue;
        inset_pt(&ic, lon, lat, &ix, &iy, &ok);
        i ? canvas_line_to(c->cv, ix, iy) : canvas_move_to(c->cv, ix, iy);
    }
    canvas_close_path(c->cv);
    canvas_fill(c->cv, (rgba){0.85, 0.1, 0.1, 0.15}, true);
    canvas_stroke(c->cv, (rgba){0.85, 0.1, 0.1, 1}, 1.4, NULL, 0, false);
    canvas_restore(c->cv);
    canvas_new_path(c->cv);
    canvas_rect(c->cv, x, y, w, h);
    canvas_stroke(c->cv, BLACK, 0.8, NULL, 0, false);
    sm_projection_free(ic.p);
    add_item(c, SM_ITEM_FURNITURE, "inset", NULL, x, y, w, h);
}

/* One legend row: a sample drawn at (x, y) (its centre) and a caption. */
typedef void (*sample_fn)(rctx *c, double x, double y, const void *arg);

static void sample_place(rctx *c, double x, double y, const void *arg)
{
    rgba f;
    place_symbol(c, (const char *)arg, x, y, &f);
}

static void sample_unit(rctx *c, double x, double y, const void *arg)
{
    sm_side s = *(const sm_side *)arg;
    double w, h;
    canvas_save(c->cv);
    canvas_translate_rotate(c->cv, x, y, 0);
    canvas_scale(c->cv, 0.5); /* a frame at half size fits a legend row */
    frame_path(c->cv, s, 0, 0, &w, &h);
    canvas_fill(c->cv, side_fill(s), true);
    canvas_stroke(c->cv, BLACK, 2.2, NULL, 0, false);
    canvas_restore(c->cv);
}

typedef struct move_sample {
    sm_side side;
    bool dashed;
} move_sample;

static void sample_move(rctx *c, double x, double y, const void *arg)
{
    const move_sample *ms = arg;
    bool dashed = ms->dashed;
    rgba INK_ = side_line(ms->side);
    static const double dash[] = {5, 3};
    canvas_new_path(c->cv);
    canvas_move_to(c->cv, x - 12, y);
    canvas_line_to(c->cv, x + 5, y);
    canvas_stroke(c->cv, INK_, 2.6, dashed ? dash : NULL, dashed ? 2 : 0, false);
    arrowhead(c, x + 13, y, 1, 0, 9, 4.5, INK_);
}

static void sample_zone(rctx *c, double x, double y, const void *arg)
{
    (void)arg;
    static const double dash[] = {4, 2};
    canvas_new_path(c->cv);
    canvas_rect(c->cv, x - 12, y - 6, 24, 12);
    canvas_fill(c->cv, (rgba){0.6, 0.6, 0.6, 0.25}, true);
    canvas_stroke(c->cv, INK, 1.1, dash, 2, false);
}

static void sample_line(rctx *c, double x, double y, const void *arg)
{
    bool river = *(const bool *)arg;
    canvas_new_path(c->cv);
    canvas_move_to(c->cv, x - 12, y);
    canvas_line_to(c->cv, x + 12, y);
    if (!river)
        canvas_stroke(c->cv, WHITE, 4.2, NULL, 0, true);
    canvas_stroke(c->cv, river ? WATER : ROAD, 2.2, NULL, 0, false);
}

static void sample_strike(rctx *c, double x, double y, const void *arg)
{
    (void)arg;
    starburst(c, x, y, 6, STRIKE);
}

static void sample_note(rctx *c, double x, double y, const void *arg)
{
    (void)arg;
    canvas_new_path(c->cv);
    canvas_rect(c->cv, x - 10, y - 6, 20, 12);
    canvas_fill(c->cv, (rgba){1, 1, 0.94, 1}, true);
    canvas_stroke(c->cv, INK, 0.7, NULL, 0, false);
}

typedef struct layer_sample {
    const sm_blayer *l;
    unsigned kinds;
} layer_sample;

static void sample_layer(rctx *c, double x, double y, const void *arg)
{
    const layer_sample *ls = arg;
    const sm_blayer *l = ls->l;
    rgba fill = {l->fill[0], l->fill[1], l->fill[2], l->fill[3]};
    rgba stroke = {l->stroke[0], l->stroke[1], l->stroke[2], l->stroke[3]};
    canvas_new_path(c->cv);
    if (ls->kinds & 1) {
        canvas_circle(c->cv, x, y, fmin(l->size, 5));
        canvas_fill(c->cv, fill, true);
        canvas_stroke(c->cv, stroke, fmin(l->width, 1.2), NULL, 0, false);
    } else if (ls->kinds & 4) {
        canvas_rect(c->cv, x - 12, y - 6, 24, 12);
        canvas_fill(c->cv, with_alpha(fill, fmin(fill.a, 0.35)), true);
        canvas_stroke(c->cv, stroke, l->width, NULL, 0, false);
    } else {
        canvas_move_to(c->cv, x - 12, y);
        canvas_line_to(c->cv, x + 12, y);
        canvas_stroke(c->cv, stroke, l->width, NULL, 0, false);
    }
}

typedef struct legend_row {
    sample_fn fn;
    const void *arg;
    const char *caption;
} legend_row;

static double draw_legend(rctx *c, double x, double y, double w, double max_h)
{
    static const char *const captions[] = {
        "City", "Town", "Village", "District", "Base", "Airbase", "Border crossing", "Camp",
        "Dam", "Mountain", "Oil field", "Gas field", "Station", "Checkpoint", "Port", "Airport",
        "Site", "Point"};
    static const sm_side sides[4] = {SM_SIDE_UNKNOWN, SM_SIDE_FRIEND, SM_SIDE_HOSTILE, SM_SIDE_NEUTRAL};
    static const char *const side_caps[4] = {"Unit, unknown", "Unit, friendly", "Unit, hostile",
                                             "Unit, neutral"};
    static const bool f = false, t = true;
    static const char *const ev_caps[4] = {"Airstrike", "Shelling", "Clash", "Explosion"};
    legend_row rows[64];
    int n = 0;
    for (int s = 1; s <= 3; s++)
        if (c->use.unit_side[sides[s]])
            rows[n++] = (legend_row){sample_unit, &sides[s], side_caps[s]};
    if (c->use.unit_side[SM_SIDE_UNKNOWN])
        rows[n++] = (legend_row){sample_unit, &sides[0], side_caps[0]};
    /* a row per side and status drawn: the arrow's colour is its side,
     * which no unit row may explain when the map has no units */
    static const move_sample msamples[4][2] = {
        {{SM_SIDE_UNKNOWN, false}, {SM_SIDE_UNKNOWN, true}},
        {{SM_SIDE_FRIEND, false}, {SM_SIDE_FRIEND, true}},
        {{SM_SIDE_HOSTILE, false}, {SM_SIDE_HOSTILE, true}},
        {{SM_SIDE_NEUTRAL, false}, {SM_SIDE_NEUTRAL, true}}};
    static const char *const move_caps[4][2] = {
        {"Movement, unknown side, reported", "Movement, unknown side, claimed"},
        {"Movement, friendly, reported", "Movement, friendly, claimed"},
        {"Movement, hostile, reported", "Movement, hostile, claimed"},
        {"Movement, neutral, reported", "Movement, neutral, claimed"}};
    for (int s = 1; s <= 4; s++)
        for (int d = 0; d < 2; d++)
            if (c->use.move[sides[s % 4]][d])
                rows[n++] = (legend_row){sample_move, &msamples[sides[s % 4]][d],
                                         move_caps[sides[s % 4]][d]};
    if (c->use.zone)
        rows[n++] = (legend_row){sample_zone, NULL, "Zone"};
    for (int i = 0; place_kinds[i]; i++)
        if (c->use.kinds[i])
            rows[n++] = (legend_row){sample_place, place_kinds[i], captions[i]};
    for (int i = 0; i < 4; i++)
        if (c->use.airstrike[i])
            rows[n++] = (legend_row){sample_strike, NULL, ev_caps[i]};
    if (c->use.road)
        rows[n++] = (legend_row){sample_line, &f, "Highway"};
    if (c->use.river)
        rows[n++] = (legend_row){sample_line, &t, "River"};
    if (c->use.note)
        rows[n++] = (legend_row){sample_note, NULL, "Note"};
    layer_sample samples[64];
    for (size_t i = 0; i < c->b->n_layers && i < 64 && n < 60; i++)
        if (c->use.layer_drawn[i]) {
            samples[i] = (layer_sample){&c->b->layers[i], c->use.layer_drawn[i]};
            rows[n++] = (legend_row){sample_layer, &samples[i], c->b->layers[i].title};
        }
    if (n == 0)
        return 0;
    font hf = {9, true, false, 0, 0}, rf = {8, false, false, 0, 0};
    double row_h = 17, h = 20 + n * row_h;
    if (h > max_h)
        h = max_h;
    canvas_new_path(c->cv);
    canvas_rect(c->cv, x, y, w, h);
    canvas_fill(c->cv, WHITE, true);
    canvas_stroke(c->cv, (rgba){0.6, 0.6, 0.6, 1}, 0.6, NULL, 0, false);
    canvas_text(c->cv, x + 8, y + 5, "Legend", &hf, BLACK, HALO, 0);
    for (int i = 0; i < n && 20 + (i + 1) * row_h <= h + 0.1; i++) {
        double ry = y + 20 + i * row_h + row_h / 2;
        rows[i].fn(c, x + 22, ry, rows[i].arg);
        double tw, th;
        canvas_text_size(c->cv, rows[i].caption, &rf, &tw, &th);
        canvas_text(c->cv, x + 44, ry - th / 2, rows[i].caption, &rf, BLACK, HALO, 0);
    }
    add_item(c, SM_ITEM_FURNITURE, "legend", NULL, x, y, w, h);
    return h;
}

static double draw_title(rctx *c, double x, double y, double w)
{
    const sm_briefing *b = c->b;
    font tf = {17, true, false, 0, 0}, sf = {10.5, false, false, 0, 0}, mf = {8, false, false, 0, 0};
    double tw, th, yy = y;
    canvas_text_size(c->cv, b->title, &tf, &tw, &th);
    canvas_text(c->cv, x, yy, b->title, &tf, BLACK, HALO, 0);
    yy += th;
    if (b->subtitle) {
        canvas_text_size(c->cv, b->subtitle, &sf, &tw, &th);
        canvas_text(c->cv, x, yy, b->subtitle, &sf, (rgba){0.25, 0.25, 0.28, 1}, HALO, 0);
        yy += th + 1;
    }
    char meta[1024];
    size_t k = 0;
    if (b->date)
        k += (size_t)snprintf(meta + k, sizeof meta - k, "As of %s", b->date);
    for (size_t i = 0; i < b->n_sources && k < sizeof meta; i++)
        k += (size_t)snprintf(meta + k, sizeof meta - k, "%s%s", k ? "   ·   Source: " : "Source: ",
                              b->sources[i]);
    if (k) {
        canvas_text_size(c->cv, meta, &mf, &tw, &th);
        canvas_text(c->cv, x, yy, meta, &mf, MUTED, HALO, 0);
        yy += th;
    }
    add_item(c, SM_ITEM_FURNITURE, "title", b->title, x, y, w, yy - y);
    return yy - y;
}

/* ---- the whole map ------------------------------------------------------ */

void sm_render_preload(void)
{
    canvas_warm_up();
    sm_projection_warm_up();
    sm_gdal_preload();
}

sm_status sm_render_format_from_path(const char *path, sm_render_format *out, sm_error *err)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcasecmp(dot, ".png") == 0)
        *out = SM_RENDER_PNG;
    else if (dot && strcasecmp(dot, ".pdf") == 0)
        *out = SM_RENDER_PDF;
    else if (dot && strcasecmp(dot, ".svg") == 0)
        *out = SM_RENDER_SVG;
    else
        return sm_error_set(err, SM_ERR_USAGE,
                            "cannot tell the format of '%s': name it .png, .pdf or .svg", path);
    return SM_OK;
}

void sm_layout_free(sm_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_items; i++)
        free(l->items[i].text);
    free(l->items);
    for (size_t i = 0; i < l->n_warnings; i++)
        free(l->warnings[i]);
    free(l->warnings);
    sm_projection_free(l->projection);
    free(l);
}

static void release_ctx(rctx *c)
{
    for (size_t i = 0; i < c->nlabels; i++) {
        free(c->labels[i].text);
        free(c->labels[i].px);
        free(c->labels[i].py);
    }
    free(c->labels);
    free(c->obst);
    proj_buf_free(&c->pbuf);
    sm_basemap_close(c->bm);
}

/* The briefing's date as an ISO timestamp for PDF metadata, when it is one. */
static void iso_date(const char *d, char *out, size_t cap)
{
    int y, m, dd;
    out[0] = '\0';
    if (d && sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) == 3)
        snprintf(out, cap, "%04d-%02d-%02dT00:00:00", y, m, dd);
    else
        snprintf(out, cap, "2000-01-01T00:00:00");
}

sm_status sm_render(const sm_briefing *b, const char *path, const sm_render_options *o,
                    sm_layout **layout, sm_error *err)
{
    if (layout)
        *layout = NULL;
    rctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.err = err;
    c.L = calloc(1, sizeof *c.L);
    if (!c.L)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    sm_status st = SM_OK;
    double bb[4];
    if ((st = choose_extent(&c, bb)) != SM_OK)
        goto fail;
    char def[512];
    if (b->projection)
        snprintf(def, sizeof def, "%s", b->projection);
    else
        sm_projection_auto(bb[1], bb[0], bb[3], bb[2], def, sizeof def);
    if ((st = sm_projection_new(def, &c.proj, err)) != SM_OK)
        goto fail;
    bool want_basemap = !b->basemap || strcmp(b->basemap, "none") != 0;
    /* Page layout: title on top, a panel on the right for the inset and the
     * legend, an attribution strip at the bottom, the map in between. */
    double W = b->page_width_pt, H = b->page_height_pt, m = 18;
    double dpi = o->dpi > 0 ? o->dpi : b->dpi;
    c.L->page_width_pt = W;
    c.L->page_height_pt = H;
    c.L->px_per_pt = o->format == SM_RENDER_PNG ? dpi / 72.0 : 1;
    char date[40];
    iso_date(b->date, date, sizeof date);
    if ((st = canvas_new(&c.cv, o->format, W, H, c.L->px_per_pt, path, date, err)) != SM_OK)
        goto fail;
    canvas_new_path(c.cv);
    canvas_rect(c.cv, 0, 0, W, H);
    canvas_fill(c.cv, WHITE, false);
    double title_h = draw_title(&c, m, m, W - 2 * m);
    double panel_w = W > H ? fmin(190, W * 0.24) : 0;
    c.fx = m;
    c.fy = m + title_h + 8;
    c.fw = W - 2 * m - (panel_w > 0 ? panel_w + 10 : 0);
    c.fh = H - c.fy - m - 14;
    if (panel_w == 0)
        c.fh -= 150; /* portrait: inset and legend go under the map */
    if (c.fw < 100 || c.fh < 100) {
        st = sm_error_set(err, SM_ERR_RANGE, "the page is too small for a map (%.0fx%.0f pt)", W, H);
        canvas_abort(c.cv);
        c.cv = NULL;
        goto fail;
    }
    if ((st = fit(&c, bb)) != SM_OK) {
        canvas_abort(c.cv);
        c.cv = NULL;
        goto fail;
    }
    /* Opened only now: GDAL may still be loading (sm_gdal_preload), and
     * everything above needs none of it. */
    if (want_basemap && o->basemap && *o->basemap &&
        (st = sm_basemap_open(o->basemap, &c.bm, err)) != SM_OK) {
        char why[SM_ERROR_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", err ? err->message : "");
        sm_error_set(err, SM_ERR_IO, "basemap '%s' cannot be read: %s", o->basemap, why);
        canvas_abort(c.cv);
        c.cv = NULL;
        goto fail;
    }
    canvas_save(c.cv);
    canvas_new_path(c.cv);
    canvas_rect(c.cv, c.fx, c.fy, c.fw, c.fh);
    canvas_clip(c.cv);
    if ((st = draw_basemap(&c)) != SM_OK) {
        canvas_abort(c.cv);
        c.cv = NULL;
        goto fail;
    }
    draw_graticule(&c);
    if ((st = draw_layers(&c)) != SM_OK) {
        canvas_abort(c.cv);
        c.cv = NULL;
        goto fail;
    }
    draw_zones(&c);
    draw_routes(&c);
    draw_movements(&c);
    draw_places(&c);
    draw_events(&c);
    draw_units(&c);
    reserve_scale_bar(&c); /* after every symbol, to keep clear of them */
    draw_north_arrow(&c);
    queue_notes(&c);
    place_labels(&c);
    draw_scale_bar(&c);
    canvas_restore(c.cv);
    canvas_new_path(c.cv);
    canvas_rect(c.cv, c.fx, c.fy, c.fw, c.fh);
    canvas_stroke(c.cv, BLACK, 1.0, NULL, 0, false);
    /* The panel: inset, then legend. */
    double px = panel_w > 0 ? c.fx + c.fw + 10 : m;
    double py = panel_w > 0 ? c.fy : c.fy + c.fh + 8;
    double pw = panel_w > 0 ? panel_w : (W - 2 * m) / 2 - 5;
    double inset_h = panel_w > 0 ? pw * 0.72 : 140;
    draw_inset(&c, px, py, pw, inset_h);
    if (panel_w > 0)
        draw_legend(&c, px, py + inset_h + 10, pw, c.fy + c.fh - (py + inset_h + 10));
    else
        draw_legend(&c, m + pw + 10, py, pw, 140);
    /* Attribution and projection, in small print. */
    font sp = {6.5, false, false, 0, 0};
    const char *attr = "Basemap: Natural Earth (public domain). Rivers and lakes: GSHHG/WDBII. "
                       "Places: GeoNames (CC BY 4.0), Wikipedia. Made with sitmap.";
    double tw, th;
    canvas_text_size(c.cv, attr, &sp, &tw, &th);
    double ay = H - m - th + 4;
    canvas_text(c.cv, m, ay, attr, &sp, MUTED, HALO, 0);
    add_item(&c, SM_ITEM_FURNITURE, "attribution", attr, m, ay, tw, th);
    char pj[320];
    snprintf(pj, sizeof pj, "Projection: %s", sm_projection_description(c.proj));
    double pw2, ph2;
    canvas_text_size(c.cv, pj, &sp, &pw2, &ph2);
    /* Right-aligned on the same line when both fit, else on the line above. */
    double pjx = W - m - pw2, pjy = ay;
    if (m + tw + 12 > pjx)
        pjy = ay - ph2;
    canvas_text(c.cv, pjx, pjy, pj, &sp, MUTED, HALO, 0);
    add_item(&c, SM_ITEM_FURNITURE, "projection", pj, pjx, pjy, pw2, ph2);
    st = canvas_finish(c.cv, err);
    c.cv = NULL;
    if (st != SM_OK)
        goto fail;
    c.L->frame[0] = c.fx;
    c.L->frame[1] = c.fy;
    c.L->frame[2] = c.fw;
    c.L->frame[3] = c.fh;
    memcpy(c.L->extent, c.geo, sizeof c.geo);
    sm_projection_inverse(c.proj, c.X0, c.Y0, &c.L->center_lon, &c.L->center_lat);
    c.L->projection = c.proj;
    c.L->scale = c.scale;
    c.L->origin[0] = c.cx;
    c.L->origin[1] = c.cy;
    c.L->origin[2] = c.X0;
    c.L->origin[3] = c.Y0;
    c.proj = NULL;
    release_ctx(&c);
    if (layout)
        *layout = c.L;
    else
        sm_layout_free(c.L);
    return SM_OK;
fail:
    if (c.cv)
        canvas_abort(c.cv);
    release_ctx(&c);
    sm_projection_free(c.proj);
    sm_layout_free(c.L);
    return st;
}
