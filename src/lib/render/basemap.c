/* basemap.c - OGR layers read by extent, geometries walked part by part. */
#include "sitmap/basemap.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

struct sm_basemap {
    GDALDatasetH ds;
};

static void gdal_init(void)
{
    static int done;
    if (!done) {
        GDALAllRegister();
        /* Offline at run time: no remote datasources unless given by URL. */
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        done = 1;
    }
}

sm_status sm_basemap_open(const char *path, sm_basemap **out, sm_error *err)
{
    *out = NULL;
    gdal_init();
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
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

typedef struct walk {
    sm_part_fn fn;
    void *ctx;
    double *lon, *lat;
    size_t cap;
    const char *name;
    int stop;
} walk;

static int emit(walk *w, OGRGeometryH g, bool polygon, bool first, bool last)
{
    int n = OGR_G_GetPointCount(g);
    if (n < 2)
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
    sm_geom_part part = {w->lon, w->lat, (size_t)n, polygon, first, last, w->name};
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
    } else if (t == wkbLineString || t == wkbLinearRing) {
        rc = emit(w, g, false, *first, true);
        *first = false;
    } else if (t == wkbMultiPolygon || t == wkbMultiLineString || t == wkbGeometryCollection) {
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
    OGRLayerH l = layer_for(bm, layer, bbox, err);
    if (!l)
        return SM_ERR_NOT_FOUND;
    if (OGR_L_SetAttributeFilter(l, where) != OGRERR_NONE)
        return sm_error_set(err, SM_ERR_PARSE, "layer '%s': filter '%s' not understood", layer,
                            where);
    int name_idx = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), "name");
    walk w = {fn, ctx, NULL, NULL, 0, NULL, 0};
    OGRFeatureH f;
    int rc = 0;
    while (!rc && (f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        w.name = name_idx >= 0 ? OGR_F_GetFieldAsString(f, name_idx) : NULL;
        bool first = true;
        if (g)
            rc = walk_geom(&w, g, &first);
        OGR_F_Destroy(f);
    }
    free(w.lon);
    free(w.lat);
    OGR_L_SetAttributeFilter(l, NULL);
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
