/* basemap.c - OGR layers read by extent, geometries walked part by part. */
#include "sitmap/basemap.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <strings.h>

struct sm_basemap {
    GDALDatasetH ds;
};

/* From GDAL's public ogrsf_frmts.h, a C++ header; the function has C
 * linkage. */
void RegisterOGRGeoPackage(void);

/* Every driver, or (only_gpkg) just the GeoPackage one: registering GDAL's
 * two hundred drivers took 2 ms of every render (perf), and the basemap is
 * a GeoPackage. */
static void gdal_init(bool only_gpkg)
{
    static int all, gpkg;
    if (!all && !gpkg)
        /* Offline at run time: no remote datasources unless given by URL. */
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
    if (only_gpkg && !all && !gpkg) {
        RegisterOGRGeoPackage();
        gpkg = 1;
    } else if (!only_gpkg && !all) {
        GDALAllRegister();
        all = 1;
    }
}

sm_status sm_basemap_open(const char *path, sm_basemap **out, sm_error *err)
{
    *out = NULL;
    /* A file that is not there deserves a plainer message than GDAL gives;
     * connection strings ("PG:...") and /vsi paths go to GDAL as they are. */
    if (!strchr(path, ':') && strncmp(path, "/vsi", 4) != 0 && access(path, R_OK) != 0)
        return sm_error_set(err, SM_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    size_t pl = strlen(path);
    bool gpkg = pl > 5 && strcasecmp(path + pl - 5, ".gpkg") == 0;
    gdal_init(gpkg);
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    /* CSV: find the position in the columns people name (ACLED: latitude,
     * longitude), and keep numbers as numbers. */
    static const char *const csv_opts[] = {
        "X_POSSIBLE_NAMES=longitude,lon,long,lng,x", "Y_POSSIBLE_NAMES=latitude,lat,y",
        "KEEP_GEOM_COLUMNS=YES", "AUTODETECT_TYPE=YES", NULL};
    bool csv = pl > 4 && strcasecmp(path + pl - 4, ".csv") == 0;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                 csv ? csv_opts : NULL, NULL);
    if (!ds && gpkg) { /* not a GeoPackage after all: let every driver try */
        gdal_init(false);
        CPLErrorReset();
        ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    }
    CPLPopErrorHandler();
    if (!ds) {
        const char *m = CPLGetLastErrorMsg();
        return sm_error_set(err, SM_ERR_IO, "cannot open '%s' as a vector datasource%s%s", path,
                            m && *m ? ": " : "", m ? m : "");
    }
    sm_basemap *bm = calloc(1, sizeof *bm);
    if (!bm) {
        GDALClose(ds);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    bm->ds = ds;
    *out = bm;
    return SM_OK;
}

void sm_basemap_close(sm_basemap *bm)
{
    if (!bm)
        return;
    GDALClose(bm->ds);
    free(bm);
}

bool sm_basemap_has_layer(const sm_basemap *bm, const char *layer)
{
    return GDALDatasetGetLayerByName(bm->ds, layer) != NULL;
}

const char *sm_basemap_first_layer(const sm_basemap *bm)
{
    if (GDALDatasetGetLayerCount(bm->ds) < 1)
        return NULL;
    return OGR_L_GetName(GDALDatasetGetLayer(bm->ds, 0));
}

bool sm_basemap_has_geometry(const sm_basemap *bm, const char *layer)
{
    OGRLayerH l = GDALDatasetGetLayerByName(bm->ds, layer);
    return l && OGR_L_GetGeomType(l) != wkbNone;
}

bool sm_basemap_has_field(const sm_basemap *bm, const char *layer, const char *field)
{
    OGRLayerH l = GDALDatasetGetLayerByName(bm->ds, layer);
    return l && OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), field) >= 0;
}

sm_status sm_basemap_check_filter(sm_basemap *bm, const char *layer, const char *where,
                                  sm_error *err)
{
    OGRLayerH l = GDALDatasetGetLayerByName(bm->ds, layer);
    if (!l)
        return sm_error_set(err, SM_ERR_NOT_FOUND, "no layer '%s'", layer);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGRErr e = OGR_L_SetAttributeFilter(l, where);
    CPLPopErrorHandler();
    OGR_L_SetAttributeFilter(l, NULL);
    if (e != OGRERR_NONE)
        return sm_error_set(err, SM_ERR_PARSE, "filter '%s' not understood: %s", where,
                            CPLGetLastErrorMsg());
    return SM_OK;
}

typedef struct grow_ctx {
    double *bb;
} grow_ctx;

static int grow_part(void *ctx, const sm_geom_part *p)
{
    double *bb = ((grow_ctx *)ctx)->bb;
    for (size_t i = 0; i < p->n; i++) {
        if (p->lon[i] < bb[0]) bb[0] = p->lon[i];
        if (p->lat[i] < bb[1]) bb[1] = p->lat[i];
        if (p->lon[i] > bb[2]) bb[2] = p->lon[i];
        if (p->lat[i] > bb[3]) bb[3] = p->lat[i];
    }
    return 0;
}

sm_status sm_basemap_extent(sm_basemap *bm, const char *layer, double *bbox, sm_error *err)
{
    /* Walked rather than asked of OGR: the answer must be in WGS 84 whatever
     * the layer's CRS, and a briefing's layers are small. */
    bbox[0] = bbox[1] = 1e300;
    bbox[2] = bbox[3] = -1e300;
    grow_ctx g = {bbox};
    sm_status st = sm_basemap_each_with(bm, layer, NULL, NULL, NULL, 0, grow_part, &g, err);
    if (st == SM_OK && bbox[0] > bbox[2])
        return sm_error_set(err, SM_ERR_NOT_FOUND, "layer '%s' has no features", layer);
    return st;
}

char *sm_basemap_field_list(const sm_basemap *bm, const char *layer)
{
    OGRLayerH l = GDALDatasetGetLayerByName(bm->ds, layer);
    size_t cap = 1024, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    if (!l)
        return s;
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < OGR_FD_GetFieldCount(d); i++) {
        const char *nm = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
        size_t k = strlen(nm);
        if (n + k + 3 > cap)
            break;
        n += (size_t)snprintf(s + n, cap - n, "%s%s", n ? ", " : "", nm);
    }
    return s;
}

typedef struct walk {
    sm_part_fn fn;
    void *ctx;
    double *lon, *lat;
    size_t cap;
    const char *name;
    const char *const *values;
    size_t n_values;
    int stop;
} walk;

static int emit(walk *w, OGRGeometryH g, bool polygon, bool first, bool last)
{
    int n = OGR_G_GetPointCount(g);
    bool point = wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint;
    if (n < (point ? 1 : 2))
        return 0;
    if ((size_t)n > w->cap) {
        double *a = realloc(w->lon, (size_t)n * sizeof *a), *b;
        if (!a)
            return -1;
        w->lon = a;
        b = realloc(w->lat, (size_t)n * sizeof *b);
        if (!b)
            return -1;
        w->lat = b;
        w->cap = (size_t)n;
    }
    OGR_G_GetPoints(g, w->lon, sizeof(double), w->lat, sizeof(double), NULL, 0);
    sm_geom_part part = {w->lon, w->lat, (size_t)n, point, polygon, first, last, w->name,
                         w->values, w->n_values};
    return w->fn(w->ctx, &part);
}

/* Walk a geometry: polygons ring by ring, collections member by member. */
static int walk_geom(walk *w, OGRGeometryH g, bool *first)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int rc = 0;
    if (t == wkbPolygon) {
        int nr = OGR_G_GetGeometryCount(g);
        for (int i = 0; i < nr && !rc; i++) {
            rc = emit(w, OGR_G_GetGeometryRef(g, i), true, *first, i == nr - 1);
            *first = false;
        }
    } else if (t == wkbLineString || t == wkbLinearRing || t == wkbPoint) {
        rc = emit(w, g, false, *first, true);
        *first = false;
    } else if (t == wkbMultiPolygon || t == wkbMultiLineString || t == wkbMultiPoint ||
               t == wkbGeometryCollection) {
        int n = OGR_G_GetGeometryCount(g);
        for (int i = 0; i < n && !rc; i++)
            rc = walk_geom(w, OGR_G_GetGeometryRef(g, i), first);
    }
    return rc;
}

static OGRLayerH layer_for(sm_basemap *bm, const char *layer, const double *bbox, sm_error *err)
{
    OGRLayerH l = GDALDatasetGetLayerByName(bm->ds, layer);
    if (!l) {
        sm_error_set(err, SM_ERR_NOT_FOUND, "the basemap has no layer '%s'", layer);
        return NULL;
    }
    if (bbox)
        OGR_L_SetSpatialFilterRect(l, bbox[0], bbox[1], bbox[2], bbox[3]);
    else
        OGR_L_SetSpatialFilter(l, NULL);
    OGR_L_ResetReading(l);
    return l;
}

sm_status sm_basemap_each(sm_basemap *bm, const char *layer, const double *bbox,
                          const char *where, sm_part_fn fn, void *ctx, sm_error *err)
{
    return sm_basemap_each_with(bm, layer, bbox, where, NULL, 0, fn, ctx, err);
}

/* name as an SQL identifier, in double quotes. NULL if it does not fit. */
static bool sql_ident(char *out, size_t cap, const char *name)
{
    size_t k = 0;
    out[k++] = '"';
    for (const char *s = name; *s; s++) {
        if (k + 4 > cap)
            return false;
        if (*s == '"')
            out[k++] = '"';
        out[k++] = *s;
    }
    out[k++] = '"';
    out[k] = '\0';
    return true;
}

/*
 * For a GeoPackage layer: an attribute filter that selects the features
 * whose envelope meets bbox through the layer's R*Tree, and where. (A
 * spatial filter would use the same index and then test every feature's
 * exact geometry against the box with GEOS: whole countries, converted
 * for a yes the drawing does not need, since what lies outside the page
 * is cut there.) NULL when the layer is not in a GeoPackage.
 */
static char *rtree_filter(sm_basemap *bm, OGRLayerH l, const double *bbox, const char *where)
{
    GDALDriverH drv = GDALGetDatasetDriver(bm->ds);
    if (!drv || strcmp(GDALGetDriverShortName(drv), "GPKG") != 0)
        return NULL;
    const char *fid = OGR_L_GetFIDColumn(l), *geom = OGR_L_GetGeometryColumn(l);
    if (!fid || !*fid || !geom || !*geom)
        return NULL;
    char rtree[512], fidq[256], idx[600];
    if (snprintf(rtree, sizeof rtree, "rtree_%s_%s", OGR_L_GetName(l), geom) >= (int)sizeof rtree ||
        !sql_ident(idx, sizeof idx, rtree) || !sql_ident(fidq, sizeof fidq, fid))
        return NULL;
    size_t cap = strlen(idx) + strlen(fidq) + (where ? strlen(where) : 0) + 256;
    char *f = malloc(cap);
    if (!f)
        return NULL;
    snprintf(f, cap,
             "%s%s%s%s IN (SELECT id FROM %s WHERE minx <= %.10f AND maxx >= %.10f AND "
             "miny <= %.10f AND maxy >= %.10f)",
             where ? "(" : "", where ? where : "", where ? ") AND " : "", fidq, idx, bbox[2],
             bbox[0], bbox[3], bbox[1]);
    return f;
}

sm_status sm_basemap_each_with(sm_basemap *bm, const char *layer, const double *bbox,
                               const char *where, const char *const *columns,
                               size_t n_columns, sm_part_fn fn, void *ctx, sm_error *err)
{
    OGRLayerH l = GDALDatasetGetLayerByName(bm->ds, layer);
    if (!l)
        return sm_error_set(err, SM_ERR_NOT_FOUND, "the datasource has no layer '%s'", layer);
    /* A layer in another CRS is filtered and read through a transformation
     * to WGS 84, longitude first. */
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(l);
    OGRSpatialReferenceH wgs = NULL;
    OGRCoordinateTransformationH ct = NULL;
    /* Geographic layers are read as longitude and latitude as they are
     * (TopoJSON comes with an "undefined" geographic CRS); projected ones
     * are transformed. (WGS 84 is looked up only then: it is a query of
     * PROJ's database each time.) */
    if (src && OSRIsProjected(src)) {
        wgs = OSRNewSpatialReference(NULL);
        OSRSetWellKnownGeogCS(wgs, "WGS84");
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OGRSpatialReferenceH s2 = OSRClone(src);
        OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(s2, wgs);
        OSRDestroySpatialReference(s2);
    }
    char *indexed = bbox && !ct ? rtree_filter(bm, l, bbox, where) : NULL;
    OGR_L_SetSpatialFilter(l, NULL);
    if (indexed) {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        OGRErr e = OGR_L_SetAttributeFilter(l, indexed);
        CPLPopErrorHandler();
        free(indexed);
        if (e != OGRERR_NONE)
            indexed = NULL; /* no index after all: filter the usual way */
    }
    if (bbox && !ct && !indexed)
        OGR_L_SetSpatialFilterRect(l, bbox[0], bbox[1], bbox[2], bbox[3]);
    OGR_L_ResetReading(l);
    if (!indexed && OGR_L_SetAttributeFilter(l, where) != OGRERR_NONE) {
        if (ct)
            OCTDestroyCoordinateTransformation(ct);
        if (wgs)
            OSRDestroySpatialReference(wgs);
        return sm_error_set(err, SM_ERR_PARSE, "layer '%s': filter '%s' not understood", layer,
                            where);
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    int name_idx = OGR_FD_GetFieldIndex(defn, "name");
    int *idx = calloc(n_columns ? n_columns : 1, sizeof *idx);
    const char **vals = calloc(n_columns ? n_columns : 1, sizeof *vals);
    walk w = {fn, ctx, NULL, NULL, 0, NULL, vals, n_columns, 0};
    int rc = idx && vals ? 0 : -1;
    for (size_t i = 0; !rc && i < n_columns; i++)
        idx[i] = OGR_FD_GetFieldIndex(defn, columns[i]);
    OGRFeatureH f;
    while (!rc && (f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        w.name = name_idx >= 0 ? OGR_F_GetFieldAsString(f, name_idx) : NULL;
        for (size_t i = 0; i < n_columns; i++)
            vals[i] = idx[i] >= 0 && OGR_F_IsFieldSetAndNotNull(f, idx[i])
                          ? OGR_F_GetFieldAsString(f, idx[i]) : "";
        bool first = true;
        if (g && ct) {
            OGRGeometryH t = OGR_G_Clone(g);
            if (OGR_G_Transform(t, ct) == OGRERR_NONE)
                rc = walk_geom(&w, t, &first);
            OGR_G_DestroyGeometry(t);
        } else if (g) {
            rc = walk_geom(&w, g, &first);
        }
        OGR_F_Destroy(f);
    }
    free(w.lon);
    free(w.lat);
    free(idx);
    free(vals);
    OGR_L_SetAttributeFilter(l, NULL);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (wgs)
        OSRDestroySpatialReference(wgs);
    if (rc < 0)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory reading layer '%s'", layer);
    return SM_OK;
}

sm_status sm_basemap_label_points(sm_basemap *bm, const char *layer, const double *bbox,
                                  sm_label_fn fn, void *ctx, sm_error *err)
{
    OGRLayerH l = layer_for(bm, layer, bbox, err);
    if (!l)
        return SM_ERR_NOT_FOUND;
    int name_idx = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), "name");
    OGRGeometryH box = NULL;
    if (bbox) {
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        OGR_G_AddPoint_2D(ring, bbox[0], bbox[1]);
        OGR_G_AddPoint_2D(ring, bbox[2], bbox[1]);
        OGR_G_AddPoint_2D(ring, bbox[2], bbox[3]);
        OGR_G_AddPoint_2D(ring, bbox[0], bbox[3]);
        OGR_G_AddPoint_2D(ring, bbox[0], bbox[1]);
        box = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometryDirectly(box, ring);
    }
    OGRFeatureH f;
    int rc = 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    while (!rc && (f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        const char *name = name_idx >= 0 ? OGR_F_GetFieldAsString(f, name_idx) : NULL;
        if (g && name && *name) {
            OGRGeometryH inside = box ? OGR_G_Intersection(g, box) : OGR_G_Clone(g);
            if (inside && !OGR_G_IsEmpty(inside)) {
                double area = OGR_G_Area(inside);
                OGRGeometryH pt = OGR_G_PointOnSurface(inside);
                if (pt && !OGR_G_IsEmpty(pt))
                    rc = fn(ctx, name, OGR_G_GetX(pt, 0), OGR_G_GetY(pt, 0), area);
                OGR_G_DestroyGeometry(pt);
            }
            OGR_G_DestroyGeometry(inside);
        }
        OGR_F_Destroy(f);
    }
    CPLPopErrorHandler();
    OGR_G_DestroyGeometry(box);
    return SM_OK;
}
