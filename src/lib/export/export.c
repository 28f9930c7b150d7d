/* export.c - feature sets (see export.h); export_ogr.c writes them through OGR. */
#include "sitmap/export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../render/gdal_api.h"
#include "feature_set.h"
#include "sitmap/geo.h"

sm_feature_set *sm_feature_set_new(void) { return calloc(1, sizeof(sm_feature_set)); }

void sm_feature_set_free(sm_feature_set *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        for (size_t k = 0; k < fs->v[i].nprops; k++)
            free(fs->v[i].props[k].s);
        free(fs->v[i].props);
        free(fs->v[i].ll);
    }
    free(fs->v);
    for (size_t k = 0; k < fs->nkeys; k++)
        free(fs->keys[k]);
    free(fs->keys);
    free(fs->key_real);
    free(fs);
}

size_t sm_feature_set_count(const sm_feature_set *fs) { return fs->n; }

size_t sm_feature_add(sm_feature_set *fs, sm_feature_geometry g, const double *lonlat, size_t n)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 64;
        feat *v = realloc(fs->v, cap * sizeof *v);
        if (!v)
            return (size_t)-1;
        fs->v = v;
        fs->cap = cap;
    }
    feat *f = &fs->v[fs->n];
    memset(f, 0, sizeof *f);
    f->ll = malloc((n ? n : 1) * 2 * sizeof(double));
    if (!f->ll)
        return (size_t)-1;
    memcpy(f->ll, lonlat, n * 2 * sizeof(double));
    f->g = g;
    f->n = n;
    return fs->n++;
}

static size_t key_index(sm_feature_set *fs, const char *key, bool real)
{
    for (size_t k = 0; k < fs->nkeys; k++)
        if (strcmp(fs->keys[k], key) == 0)
            return k;
    char **keys = realloc(fs->keys, (fs->nkeys + 1) * sizeof *keys);
    if (!keys)
        return (size_t)-1;
    fs->keys = keys;
    bool *kr = realloc(fs->key_real, (fs->nkeys + 1) * sizeof *kr);
    if (!kr)
        return (size_t)-1;
    fs->key_real = kr;
    keys[fs->nkeys] = strdup(key);
    if (!keys[fs->nkeys])
        return (size_t)-1;
    kr[fs->nkeys] = real;
    return fs->nkeys++;
}

static void set_prop(sm_feature_set *fs, size_t i, const char *key, const char *s, double d)
{
    if (i >= fs->n)
        return;
    size_t k = key_index(fs, key, s == NULL);
    if (k == (size_t)-1)
        return;
    feat *f = &fs->v[i];
    for (size_t j = 0; j < f->nprops; j++)
        if (f->props[j].key == k) {
            free(f->props[j].s);
            f->props[j].s = s ? strdup(s) : NULL;
            f->props[j].d = d;
            return;
        }
    prop *p = realloc(f->props, (f->nprops + 1) * sizeof *p);
    if (!p)
        return;
    f->props = p;
    p[f->nprops++] = (prop){k, s ? strdup(s) : NULL, d};
}

void sm_feature_set_string(sm_feature_set *fs, size_t i, const char *key, const char *value)
{
    if (value)
        set_prop(fs, i, key, value, 0);
}

void sm_feature_set_real(sm_feature_set *fs, size_t i, const char *key, double value)
{
    if (isfinite(value))
        set_prop(fs, i, key, NULL, value);
}

/* ---- geometry from the model -------------------------------------------- */

typedef struct pts {
    double *v;   /* lon, lat pairs */
    size_t n, cap;
} pts;

static bool push(pts *p, double lon, double lat)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        double *v = realloc(p->v, cap * 2 * sizeof *v);
        if (!v)
            return false;
        p->v = v;
        p->cap = cap;
    }
    p->v[2 * p->n] = lon;
    p->v[2 * p->n + 1] = lat;
    p->n++;
    return true;
}

/* The geodesic from a to b, a vertex at least every 10 km: a straight line
 * in a GIS is a rhumb line or worse, not the path. */
static bool geodesic(pts *p, double lat1, double lon1, double lat2, double lon2, bool first)
{
    double d, az;
    sm_geo_inverse(lat1, lon1, lat2, lon2, &d, &az, NULL);
    size_t steps = (size_t)ceil(d / 10000.0);
    if (steps < 1)
        steps = 1;
    for (size_t i = first ? 0 : 1; i <= steps; i++) {
        double la = lat2, lo = lon2;
        if (i < steps)
            sm_geo_direct(lat1, lon1, az, d * (double)i / (double)steps, &la, &lo);
        /* keep longitudes continuous along the line; OGR splits at the antimeridian */
        if (p->n > 0) {
            double prev = p->v[2 * (p->n - 1)];
            while (lo - prev > 180)
                lo -= 360;
            while (lo - prev < -180)
                lo += 360;
        }
        if (!push(p, lo, la))
            return false;
    }
    return true;
}

size_t sm_feature_add_geodesic(sm_feature_set *fs, double lat1, double lon1, double lat2,
                               double lon2)
{
    pts p = {NULL, 0, 0};
    size_t i = (size_t)-1;
    if (geodesic(&p, lat1, lon1, lat2, lon2, true))
        i = sm_feature_add(fs, SM_FEATURE_LINE, p.v, p.n);
    free(p.v);
    return i;
}

static void point_props(sm_feature_set *fs, size_t i, const sm_bpoint *bp)
{
    const sm_resolution *r = &bp->at;
    sm_feature_set_string(fs, i, "query", bp->query);
    sm_feature_set_string(fs, i, "gazetteer_id", r->place ? r->place->id : NULL);
    sm_feature_set_string(fs, i, "match", sm_match_name(r->match));
    sm_feature_set_real(fs, i, "score", r->score);
    sm_feature_set_string(fs, i, "source", r->place ? r->place->source : NULL);
    if (r->place)
        sm_feature_set_real(fs, i, "precision_km", r->place->precision_km);
}

size_t sm_feature_add_resolution(sm_feature_set *fs, const char *query, const sm_resolution *r)
{
    double ll[2] = {r->lon, r->lat};
    size_t i = sm_feature_add(fs, SM_FEATURE_POINT, ll, 1);
    if (i == (size_t)-1)
        return i;
    sm_feature_set_string(fs, i, "name", r->name);
    sm_feature_set_string(fs, i, "feature_type", "place");
    sm_feature_set_string(fs, i, "kind", r->place ? r->place->kind
                                         : r->match == SM_MATCH_RELATIVE ? "relative" : "coordinate");
    sm_feature_set_string(fs, i, "country", r->place ? r->place->country : NULL);
    sm_feature_set_string(fs, i, "query", query);
    sm_feature_set_string(fs, i, "gazetteer_id", r->place ? r->place->id : NULL);
    sm_feature_set_string(fs, i, "match", sm_match_name(r->match));
    sm_feature_set_real(fs, i, "score", r->score);
    sm_feature_set_string(fs, i, "source", r->place ? r->place->source : NULL);
    if (r->place)
        sm_feature_set_real(fs, i, "precision_km", r->place->precision_km);
    return i;
}

/* Counter-clockwise in longitude/latitude: the right-hand rule of RFC 7946. */
static void make_ccw(pts *p)
{
    double a = 0;
    for (size_t k = 0; k < p->n; k++) {
        size_t j = (k + 1) % p->n;
        a += p->v[2 * k] * p->v[2 * j + 1] - p->v[2 * j] * p->v[2 * k + 1];
    }
    if (a >= 0)
        return;
    for (size_t k = 0; k < p->n / 2; k++) {
        size_t j = p->n - 1 - k;
        double lo = p->v[2 * k], la = p->v[2 * k + 1];
        p->v[2 * k] = p->v[2 * j];
        p->v[2 * k + 1] = p->v[2 * j + 1];
        p->v[2 * j] = lo;
        p->v[2 * j + 1] = la;
    }
}

static double ring_area_km2(const pts *p)
{
    double *la = malloc(p->n * sizeof *la), *lo = malloc(p->n * sizeof *lo);
    double area = 0;
    if (la && lo) {
        for (size_t k = 0; k < p->n; k++) {
            lo[k] = p->v[2 * k];
            la[k] = p->v[2 * k + 1];
        }
        area = sm_geo_polygon_area(la, lo, p->n) / 1e6;
    }
    free(la);
    free(lo);
    return area;
}

static const char *name_of(const sm_bpoint *p) { return p->at.name; }

sm_status sm_feature_set_add_briefing(sm_feature_set *fs, const sm_briefing *b, sm_error *err)
{
    size_t i;
#define ADD_OR_FAIL(expr)                                                      \
    do {                                                                       \
        if ((i = (expr)) == (size_t)-1)                                        \
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");           \
    } while (0)
    for (size_t k = 0; k < b->n_places; k++) {
        const sm_bplace *p = &b->places[k];
        double ll[2] = {p->at.at.lon, p->at.at.lat};
        ADD_OR_FAIL(sm_feature_add(fs, SM_FEATURE_POINT, ll, 1));
        const char *kind = p->kind ? p->kind
                           : p->at.at.place ? p->at.at.place->kind
                                            : sm_match_name(p->at.at.match);
        sm_feature_set_string(fs, i, "name", p->label ? p->label : name_of(&p->at));
        sm_feature_set_string(fs, i, "feature_type", "place");
        sm_feature_set_string(fs, i, "kind", kind);
        sm_feature_set_string(fs, i, "label", p->label ? p->label : name_of(&p->at));
        sm_feature_set_string(fs, i, "country", p->at.at.place ? p->at.at.place->country : NULL);
        point_props(fs, i, &p->at);
    }
    for (size_t k = 0; k < b->n_units; k++) {
        const sm_bunit *u = &b->units[k];
        double ll[2] = {u->at.at.lon, u->at.at.lat};
        ADD_OR_FAIL(sm_feature_add(fs, SM_FEATURE_POINT, ll, 1));
        sm_feature_set_string(fs, i, "name", u->label ? u->label : "unit");
        sm_feature_set_string(fs, i, "feature_type", "unit");
        sm_feature_set_string(fs, i, "kind", u->type);
        sm_feature_set_string(fs, i, "side", sm_side_name(u->side));
        sm_feature_set_string(fs, i, "status", u->planned ? "planned" : "reported");
        sm_feature_set_string(fs, i, "label", u->label);
        sm_feature_set_string(fs, i, "date", u->date);
        sm_feature_set_string(fs, i, "echelon", u->echelon);
        sm_feature_set_string(fs, i, "strength", u->strength);
        point_props(fs, i, &u->at);
    }
    for (size_t k = 0; k < b->n_movements; k++) {
        const sm_bmovement *m = &b->movements[k];
        pts p = {NULL, 0, 0};
        double total = 0;
        bool ok = true;
        for (size_t j = 0; ok && j + 1 < m->n_points; j++) {
            const sm_resolution *a = &m->points[j].at, *c = &m->points[j + 1].at;
            double d;
            sm_geo_inverse(a->lat, a->lon, c->lat, c->lon, &d, NULL, NULL);
            total += d;
            ok = geodesic(&p, a->lat, a->lon, c->lat, c->lon, j == 0);
        }
        i = ok ? sm_feature_add(fs, SM_FEATURE_LINE, p.v, p.n) : (size_t)-1;
        free(p.v);
        if (i == (size_t)-1)
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        const sm_resolution *first = &m->points[0].at, *last = &m->points[m->n_points - 1].at;
        double az;
        sm_geo_inverse(first->lat, first->lon, last->lat, last->lon, NULL, &az, NULL);
        char name[600];
        snprintf(name, sizeof name, "%s to %s", first->name, last->name);
        sm_feature_set_string(fs, i, "name", m->label ? m->label : name);
        sm_feature_set_string(fs, i, "feature_type", "movement");
        sm_feature_set_string(fs, i, "side", sm_side_name(m->side));
        sm_feature_set_string(fs, i, "status", sm_move_status_name(m->status));
        sm_feature_set_string(fs, i, "label", m->label);
        sm_feature_set_string(fs, i, "date", m->date);
        sm_feature_set_string(fs, i, "from", first->name);
        sm_feature_set_string(fs, i, "to", last->name);
        sm_feature_set_real(fs, i, "distance_m", round(total * 1000) / 1000);
        sm_feature_set_real(fs, i, "azimuth_deg", round(az * 1e6) / 1e6);
    }
    for (size_t k = 0; k < b->n_zones; k++) {
        const sm_bzone *z = &b->zones[k];
        pts p = {NULL, 0, 0};
        bool ok = true;
        if (z->shape == SM_ZONE_CIRCLE) {
            /* azimuth decreasing: counter-clockwise seen from above */
            for (int a = 0; ok && a < 128; a++) {
                double la, lo;
                sm_geo_direct(z->center.at.lat, z->center.at.lon, 360.0 - a * 360.0 / 128, z->radius_m,
                              &la, &lo);
                ok = push(&p, lo, la);
            }
        } else {
            for (size_t j = 0; ok && j < z->n_points; j++)
                ok = geodesic(&p, z->points[j].at.lat, z->points[j].at.lon,
                              z->points[(j + 1) % z->n_points].at.lat,
                              z->points[(j + 1) % z->n_points].at.lon, j == 0);
            if (ok && p.n > 1)
                p.n--; /* the last vertex repeats the first: the writer closes rings */
        }
        if (ok)
            make_ccw(&p);
        double area = ok ? ring_area_km2(&p) : 0;
        i = ok ? sm_feature_add(fs, SM_FEATURE_POLYGON, p.v, p.n) : (size_t)-1;
        free(p.v);
        if (i == (size_t)-1)
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        sm_feature_set_string(fs, i, "name", z->label ? z->label : "zone");
        sm_feature_set_string(fs, i, "feature_type", "zone");
        sm_feature_set_string(fs, i, "kind", z->shape == SM_ZONE_CIRCLE ? "circle" : "polygon");
        sm_feature_set_string(fs, i, "side", sm_side_name(z->side));
        sm_feature_set_string(fs, i, "label", z->label);
        if (z->shape == SM_ZONE_CIRCLE) {
            sm_feature_set_real(fs, i, "radius_m", z->radius_m);
            point_props(fs, i, &z->center);
        }
        sm_feature_set_real(fs, i, "area_km2", round(area * 1000) / 1000);
    }
    for (size_t k = 0; k < b->n_routes; k++) {
        const sm_broute *r = &b->routes[k];
        const sm_place *pl = r->ref.at.place;
        pts p = {NULL, 0, 0};
        bool ok = true;
        for (size_t j = 0; ok && j + 1 < pl->n_vertices; j++)
            ok = geodesic(&p, pl->vertices[2 * j], pl->vertices[2 * j + 1], pl->vertices[2 * j + 2],
                          pl->vertices[2 * j + 3], j == 0);
        i = ok ? sm_feature_add(fs, SM_FEATURE_LINE, p.v, p.n) : (size_t)-1;
        free(p.v);
        if (i == (size_t)-1)
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        sm_feature_set_string(fs, i, "name", pl->name);
        sm_feature_set_string(fs, i, "feature_type", "route");
        sm_feature_set_string(fs, i, "kind", pl->kind);
        sm_feature_set_string(fs, i, "label", r->label ? r->label : pl->name);
        point_props(fs, i, &r->ref);
    }
    for (size_t k = 0; k < b->n_events; k++) {
        const sm_bevent *e = &b->events[k];
        double ll[2] = {e->at.at.lon, e->at.at.lat};
        ADD_OR_FAIL(sm_feature_add(fs, SM_FEATURE_POINT, ll, 1));
        sm_feature_set_string(fs, i, "name", e->label ? e->label : e->type);
        sm_feature_set_string(fs, i, "feature_type", "event");
        sm_feature_set_string(fs, i, "kind", e->type);
        sm_feature_set_string(fs, i, "label", e->label);
        sm_feature_set_string(fs, i, "date", e->date);
        point_props(fs, i, &e->at);
    }
    for (size_t k = 0; k < b->n_notes; k++) {
        const sm_bnote *n = &b->notes[k];
        double ll[2] = {n->at.at.lon, n->at.at.lat};
        ADD_OR_FAIL(sm_feature_add(fs, SM_FEATURE_POINT, ll, 1));
        sm_feature_set_string(fs, i, "name", name_of(&n->at));
        sm_feature_set_string(fs, i, "feature_type", "note");
        sm_feature_set_string(fs, i, "label", n->text);
        sm_feature_set_string(fs, i, "text", n->text);
        point_props(fs, i, &n->at);
    }
#undef ADD_OR_FAIL
    return SM_OK;
}

/* ---- writing: through the GDAL module ------------------------------------ */

sm_status sm_feature_set_write(const sm_feature_set *fs, const char *path,
                               const sm_export_options *o, sm_error *err)
{
    const sm_gdal_api *g = sm_gdal_api_get(err);
    return g ? g->write_features(fs, NULL, 0, path, o, err) : SM_ERR_IO;
}

sm_status sm_feature_set_write_with_layers(sm_feature_set *fs, const sm_blayer *layers,
                                           size_t n_layers, const char *path,
                                           const sm_export_options *o, sm_error *err)
{
    /* the columns the copied features fill, declared before the layer is made */
    if (n_layers > 0) {
        static const char *const cols[] = {"name", "feature_type", "label", "side", "date", "layer"};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            if (key_index(fs, cols[k], false) == (size_t)-1)
                return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    const sm_gdal_api *g = sm_gdal_api_get(err);
    return g ? g->write_features(fs, layers, n_layers, path, o, err) : SM_ERR_IO;
}
