/* export.c - feature sets written through OGR (see export.h). */
#include "sitmap/export.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <dirent.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitmap/geo.h"

typedef struct prop {
    size_t key;
    char *s;          /* a string value, or NULL for a real */
    double d;
} prop;

typedef struct feat {
    sm_feature_geometry g;
    double *ll;       /* lon, lat pairs */
    size_t n;
    prop *props;
    size_t nprops;
} feat;

struct sm_feature_set {
    feat *v;
    size_t n, cap;
    char **keys;
    bool *key_real;
    size_t nkeys;
};

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

/* ---- writing ------------------------------------------------------------ */

static const struct {
    const char *ext, *shortname, *driver;
} formats[] = {
    {".geojson", "geojson", "GeoJSON"}, {".json", "json", "GeoJSON"},
    {".gpkg", "gpkg", "GPKG"},         {".fgb", "fgb", "FlatGeobuf"},
    {".kml", "kml", "KML"},            {".csv", "csv", "CSV"},
    {".shp", "shp", "ESRI Shapefile"},
};

static const char *driver_for(const char *path, const char *format)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (format && (strcasecmp(format, formats[i].shortname) == 0 ||
                       strcasecmp(format, formats[i].driver) == 0))
            return formats[i].driver;
        size_t pl = strlen(path), el = strlen(formats[i].ext);
        if (!format && pl > el && strcasecmp(path + pl - el, formats[i].ext) == 0)
            return formats[i].driver;
    }
    return NULL;
}

static OGRGeometryH make_geometry(const feat *f, bool close_ring)
{
    OGRGeometryH g;
    if (f->g == SM_FEATURE_POINT) {
        g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, f->ll[0], f->ll[1]);
        return g;
    }
    OGRGeometryH line = OGR_G_CreateGeometry(f->g == SM_FEATURE_LINE ? wkbLineString : wkbLinearRing);
    for (size_t k = 0; k < f->n; k++)
        OGR_G_AddPoint_2D(line, f->ll[2 * k], f->ll[2 * k + 1]);
    if (f->g == SM_FEATURE_LINE)
        return line;
    if (close_ring && f->n > 0)
        OGR_G_AddPoint_2D(line, f->ll[0], f->ll[1]);
    g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, line);
    return g;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[4200];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

static sm_status write_impl(const sm_feature_set *fs, const sm_blayer *layers, size_t n_layers,
                            const char *path, const sm_export_options *o, sm_error *err);

sm_status sm_feature_set_write(const sm_feature_set *fs, const char *path,
                               const sm_export_options *o, sm_error *err)
{
    return write_impl(fs, NULL, 0, path, o, err);
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
    return write_impl(fs, layers, n_layers, path, o, err);
}

static int field_of(const sm_feature_set *fs, const char *key)
{
    for (size_t k = 0; k < fs->nkeys; k++)
        if (strcmp(fs->keys[k], key) == 0)
            return (int)k;
    return -1;
}

/* Copy one briefing layer's features into the open output layer. */
static sm_status copy_layer(const sm_feature_set *fs, const sm_blayer *bl, OGRLayerH out,
                            int only_group, const char *path, sm_error *err)
{
    GDALDatasetH src = NULL;
    /* The coordinate columns become the geometry and are not copied, so
     * they need not be parsed as fields too. */
    static const char *const csv_opts[] = {
        "X_POSSIBLE_NAMES=longitude,lon,long,lng,x", "Y_POSSIBLE_NAMES=latitude,lat,y",
        "KEEP_GEOM_COLUMNS=NO", NULL};
    size_t pl = strlen(bl->path);
    bool csv = pl > 4 && strcasecmp(bl->path + pl - 4, ".csv") == 0;
    src = GDALOpenEx(bl->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, csv ? csv_opts : NULL, NULL);
    if (!src)
        return sm_error_set(err, SM_ERR_IO, "cannot open layer source '%s'", bl->source);
    OGRLayerH in = bl->layer ? GDALDatasetGetLayerByName(src, bl->layer) : GDALDatasetGetLayer(src, 0);
    sm_status st = SM_OK;
    if (!in) {
        GDALClose(src);
        return sm_error_set(err, SM_ERR_NOT_FOUND, "'%s' has no layer '%s'", bl->source,
                            bl->layer ? bl->layer : "?");
    }
    OGR_L_SetAttributeFilter(in, bl->where);
    OGRSpatialReferenceH s = OGR_L_GetSpatialRef(in);
    OGRCoordinateTransformationH ct = NULL;
    if (s && OSRIsProjected(s)) {
        OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL), s2 = OSRClone(s);
        OSRImportFromEPSG(wgs, 4326);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(s2, wgs);
        OSRDestroySpatialReference(wgs);
        OSRDestroySpatialReference(s2);
    }
    OGRFeatureDefnH idef = OGR_L_GetLayerDefn(in), odef = OGR_L_GetLayerDefn(out);
    int il = bl->label_column ? OGR_FD_GetFieldIndex(idef, bl->label_column) : -1;
    int is = bl->side_column ? OGR_FD_GetFieldIndex(idef, bl->side_column) : -1;
    int id = bl->date_column ? OGR_FD_GetFieldIndex(idef, bl->date_column) : -1;
    int on = field_of(fs, "name"), ot = field_of(fs, "feature_type");
    int os_ = field_of(fs, "side"), od = field_of(fs, "date"), oly = field_of(fs, "layer");
    OGRFeatureH f;
    while (st == SM_OK && (f = OGR_L_GetNextFeature(in))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && only_group >= 0) {
            OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
            int grp = (t == wkbPoint || t == wkbMultiPoint) ? 0
                      : (t == wkbLineString || t == wkbMultiLineString) ? 1 : 2;
            if (grp != only_group) {
                OGR_F_Destroy(f);
                continue;
            }
        }
        OGRFeatureH of = OGR_F_Create(odef);
        if (g) {
            /* taken, not copied: the source feature is thrown away next */
            OGRGeometryH c = OGR_F_StealGeometry(f);
            if (ct)
                OGR_G_Transform(c, ct);
            OGR_F_SetGeometryDirectly(of, c);
        }
        const char *label = il >= 0 && OGR_F_IsFieldSetAndNotNull(f, il) ? OGR_F_GetFieldAsString(f, il) : NULL;
        if (on >= 0)
            OGR_F_SetFieldString(of, on, label ? label : bl->title ? bl->title : bl->source);
        if (ot >= 0)
            OGR_F_SetFieldString(of, ot, "layer");
        if (os_ >= 0 && is >= 0 && OGR_F_IsFieldSetAndNotNull(f, is))
            OGR_F_SetFieldString(of, os_, OGR_F_GetFieldAsString(f, is));
        if (od >= 0 && id >= 0 && OGR_F_IsFieldSetAndNotNull(f, id))
            OGR_F_SetFieldString(of, od, OGR_F_GetFieldAsString(f, id));
        if (oly >= 0)
            OGR_F_SetFieldString(of, oly, bl->title ? bl->title : bl->source);
        if (OGR_L_CreateFeature(out, of) != OGRERR_NONE)
            st = sm_error_set(err, SM_ERR_IO, "cannot write to '%s': %s", path, CPLGetLastErrorMsg());
        OGR_F_Destroy(of);
        OGR_F_Destroy(f);
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    GDALClose(src);
    return st;
}

static sm_status write_impl(const sm_feature_set *fs, const sm_blayer *layers, size_t n_layers,
                            const char *path, const sm_export_options *o, sm_error *err)
{
    bool to_stdout = strcmp(path, "-") == 0 || strcmp(path, "/vsistdout/") == 0;
    const char *drv_name = driver_for(to_stdout ? "x.geojson" : path, o ? o->format : NULL);
    if (!drv_name)
        return sm_error_set(err, SM_ERR_USAGE,
                            o && o->format ? "format '%s' is not one of geojson, gpkg, fgb, kml, csv, shp"
                                           : "cannot tell the format of '%s': name it .geojson, .gpkg, .fgb, .kml, .csv or .shp, or give --format",
                            o && o->format ? o->format : path);
    if (to_stdout && strcmp(drv_name, "GeoJSON") != 0)
        return sm_error_set(err, SM_ERR_USAGE, "only GeoJSON can go to stdout");
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName(drv_name);
    if (!drv)
        return sm_error_set(err, SM_ERR_USAGE, "this GDAL has no %s driver", drv_name);
    int precision = o && o->precision > 0 ? o->precision : 6;
    if (precision > 15)
        precision = 15;
    /* Write into a folder beside the target, then rename: a failure leaves
     * nothing half-written, and multi-file formats (Shapefile) move whole. */
    char tmpdir[5200] = "", target_dir[4096] = ".", base[1024];
    const char *slash = strrchr(path, '/');
    if (slash) {
        snprintf(target_dir, sizeof target_dir, "%.*s", (int)(slash - path), path);
        if (!*target_dir)
            snprintf(target_dir, sizeof target_dir, "/");
    }
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
    char out[8400];
    if (to_stdout) {
        snprintf(out, sizeof out, "/vsistdout/");
    } else {
        snprintf(tmpdir, sizeof tmpdir, "%s/.%s.tmp-%ld", target_dir, base, (long)getpid());
        if (mkdir(tmpdir, 0777) != 0)
            return sm_error_set(err, SM_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
        bool shp = strcmp(drv_name, "ESRI Shapefile") == 0;
        if (shp)
            snprintf(out, sizeof out, "%s", tmpdir); /* a folder of shapefiles, one per geometry */
        else
            snprintf(out, sizeof out, "%s/%s", tmpdir, base);
    }
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALCreate(drv, out, 0, 0, 0, GDT_Unknown, NULL);
    sm_status st = SM_OK;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 4326);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    if (!ds) {
        st = sm_error_set(err, SM_ERR_IO, "cannot create '%s': %s", path, CPLGetLastErrorMsg());
        goto done;
    }
    {
        bool shp = strcmp(drv_name, "ESRI Shapefile") == 0;
        bool csv = strcmp(drv_name, "CSV") == 0;
        char lname[1024];
        snprintf(lname, sizeof lname, "%s", base);
        char *dot = strrchr(lname, '.');
        if (dot && dot != lname)
            *dot = '\0';
        /* Shapefiles hold one geometry type each: points, lines and areas
         * go to NAME.shp, NAME_lines.shp and NAME_polygons.shp. */
        int ngroups = shp ? 3 : 1;
        for (int grp = 0; grp < ngroups && st == SM_OK; grp++) {
            char **lco = NULL;
            if (strcmp(drv_name, "GeoJSON") == 0) {
                lco = CSLSetNameValue(lco, "RFC7946", "YES");
                char pr[16];
                snprintf(pr, sizeof pr, "%d", precision);
                lco = CSLSetNameValue(lco, "COORDINATE_PRECISION", pr);
                lco = CSLSetNameValue(lco, "WRITE_NAME", "NO");
            } else if (csv) {
                lco = CSLSetNameValue(lco, "GEOMETRY", "AS_WKT");
            }
            char ln[1100];
            static const char *const suffix[3] = {"", "_lines", "_polygons"};
            static const OGRwkbGeometryType gtypes[3] = {wkbPoint, wkbLineString, wkbPolygon};
            bool any = n_layers > 0 && grp == 0;
            for (size_t k = 0; k < fs->n; k++)
                any |= !shp || (int)fs->v[k].g == grp;
            if (!any)
                continue;
            snprintf(ln, sizeof ln, "%s%s", lname, suffix[grp]);
            OGRLayerH layer = GDALDatasetCreateLayer(ds, ln, srs, shp ? gtypes[grp] : wkbUnknown, lco);
            CSLDestroy(lco);
            if (!layer) {
                st = sm_error_set(err, SM_ERR_IO, "cannot create a layer in '%s': %s", path,
                                  CPLGetLastErrorMsg());
                break;
            }
            for (size_t k = 0; k < fs->nkeys; k++) {
                OGRFieldDefnH fd = OGR_Fld_Create(fs->keys[k], fs->key_real[k] ? OFTReal : OFTString);
                OGR_L_CreateField(layer, fd, TRUE);
                OGR_Fld_Destroy(fd);
            }
            if (csv) {
                /* and plain lon/lat columns beside the WKT, for spreadsheets */
                static const char *const ll[2] = {"lon", "lat"};
                for (int k = 0; k < 2; k++) {
                    OGRFieldDefnH fd = OGR_Fld_Create(ll[k], OFTReal);
                    OGR_L_CreateField(layer, fd, TRUE);
                    OGR_Fld_Destroy(fd);
                }
            }
            OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
            /* Field indexes by name: drivers may rename (Shapefile: 10 letters). */
            int *idx = malloc((fs->nkeys + 2) * sizeof *idx);
            if (!idx) {
                st = sm_error_set(err, SM_ERR_NOMEM, "out of memory");
                break;
            }
            for (size_t k = 0; k < fs->nkeys; k++)
                idx[k] = (int)k;
            int ilon = csv ? (int)fs->nkeys : -1, ilat = csv ? (int)fs->nkeys + 1 : -1;
            for (size_t k = 0; k < fs->n && st == SM_OK; k++) {
                const feat *f = &fs->v[k];
                if (shp && (int)f->g != grp)
                    continue;
                OGRFeatureH of = OGR_F_Create(defn);
                for (size_t j = 0; j < f->nprops; j++) {
                    const prop *p = &f->props[j];
                    if (p->s)
                        OGR_F_SetFieldString(of, idx[p->key], p->s);
                    else
                        OGR_F_SetFieldDouble(of, idx[p->key], p->d);
                }
                if (csv && f->g == SM_FEATURE_POINT) {
                    OGR_F_SetFieldDouble(of, ilon, f->ll[0]);
                    OGR_F_SetFieldDouble(of, ilat, f->ll[1]);
                }
                OGR_F_SetGeometryDirectly(of, make_geometry(f, true));
                if (OGR_L_CreateFeature(layer, of) != OGRERR_NONE)
                    st = sm_error_set(err, SM_ERR_IO, "cannot write feature %zu to '%s': %s", k + 1,
                                      path, CPLGetLastErrorMsg());
                OGR_F_Destroy(of);
            }
            free(idx);
            for (size_t k = 0; k < n_layers && st == SM_OK; k++)
                st = copy_layer(fs, &layers[k], layer, shp ? grp : -1, path, err);
        }
    }
    CPLErrorReset();
    GDALClose(ds); /* flushes: errors surface here (a full disk) */
    if (CPLGetLastErrorType() >= CE_Failure && st == SM_OK)
        st = sm_error_set(err, SM_ERR_IO, "cannot finish '%s': %s", path, CPLGetLastErrorMsg());
done:
    CPLPopErrorHandler();
    OSRDestroySpatialReference(srs);
    if (to_stdout)
        return st;
    if (st == SM_OK) {
        DIR *d = opendir(tmpdir);
        struct dirent *e;
        char from[8400], to[8400];
        while (d && (e = readdir(d)) && st == SM_OK) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(from, sizeof from, "%s/%s", tmpdir, e->d_name);
            snprintf(to, sizeof to, "%s/%s", target_dir, e->d_name);
            if (rename(from, to) != 0)
                st = sm_error_set(err, SM_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
        }
        if (d)
            closedir(d);
    }
    remove_tree(tmpdir);
    return st;
}
