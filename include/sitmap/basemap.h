/*
 * basemap.h - reading basemap layers (countries, land, rivers, lake shores,
 * or any OGR datasource) through GDAL/OGR, only what an extent needs.
 *
 * The cache scripts/prepare-basemap builds is a GeoPackage with R-tree
 * indexes; a spatial filter on the layer makes OGR read just the features
 * that cross the map. Geometries come back part by part (a polygon's rings,
 * a line's vertices) in WGS 84 degrees.
 *
 *     sm_basemap *bm;
 *     if (sm_basemap_open("data/basemap.gpkg", &bm, &err) == SM_OK) {
 *         sm_basemap_each(bm, "rivers", bbox, draw_part, ctx, &err);
 *         sm_basemap_close(bm);
 *     }
 */
#ifndef SITMAP_BASEMAP_H
#define SITMAP_BASEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/error.h"

typedef struct sm_basemap sm_basemap;

/* One part of a feature's geometry: a ring of a polygon or a line. */
typedef struct sm_geom_part {
    const double *lon, *lat;  /* n vertices, degrees */
    size_t n;
    bool polygon;             /* a ring of a polygon (closed) */
    bool first_of_feature;    /* the first part of a new feature */
    bool last_of_feature;     /* the last part: fill a polygon now */
    const char *name;         /* the feature's "name" field, or NULL */
} sm_geom_part;

typedef int (*sm_part_fn)(void *ctx, const sm_geom_part *part);

/* Open a vector datasource read-only. SM_ERR_IO when GDAL cannot. */
sm_status sm_basemap_open(const char *path, sm_basemap **out, sm_error *err);
void sm_basemap_close(sm_basemap *bm); /* NULL is a no-op */

/* True when the datasource has a layer of that name. */
bool sm_basemap_has_layer(const sm_basemap *bm, const char *layer);

/*
 * Call fn for every part of every feature of layer that crosses bbox
 * (lon_min, lat_min, lon_max, lat_max; NULL for all) and matches where (an
 * OGR SQL attribute filter such as "level <= 2"; NULL for all). A non-zero
 * return from fn stops the walk. SM_ERR_NOT_FOUND for a missing layer,
 * SM_ERR_PARSE for a filter OGR rejects.
 */
sm_status sm_basemap_each(sm_basemap *bm, const char *layer, const double *bbox,
                          const char *where, sm_part_fn fn, void *ctx, sm_error *err);

/*
 * For each feature of layer crossing bbox, a point inside the part of it
 * that lies within bbox (for labels such as country names), with its name.
 */
typedef int (*sm_label_fn)(void *ctx, const char *name, double lon, double lat,
                           double area_deg2);
sm_status sm_basemap_label_points(sm_basemap *bm, const char *layer, const double *bbox,
                                  sm_label_fn fn, void *ctx, sm_error *err);

#endif
