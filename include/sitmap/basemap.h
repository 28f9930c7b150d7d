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
    bool point;               /* a point (n == 1) */
    bool polygon;             /* a ring of a polygon (closed) */
    bool first_of_feature;    /* the first part of a new feature */
    bool last_of_feature;     /* the last part: fill a polygon now */
    const char *name;         /* the feature's "name" field, or NULL */
    const char *const *values; /* the requested columns' values ("" when null) */
    size_t n_values;
} sm_geom_part;

typedef int (*sm_part_fn)(void *ctx, const sm_geom_part *part);

/*
 * Start loading sitmap's GDAL support on a second thread and return at
 * once. GDAL and its libraries take tens of milliseconds to load; a program
 * that will read a basemap or write an export calls this first, does its
 * other work, and the first GDAL-backed call waits only for what remains.
 * Optional: without it the first such call loads GDAL itself.
 */
void sm_gdal_preload(void);

/* Open a vector datasource read-only: a file GDAL reads (GeoPackage,
 * GeoJSON, Shapefile, FlatGeobuf, KML...), a CSV with longitude/latitude
 * columns (lon, longitude, x / lat, latitude, y, as ACLED exports have), or
 * a connection string such as "PG:dbname=gis". SM_ERR_IO when GDAL cannot. */
sm_status sm_basemap_open(const char *path, sm_basemap **out, sm_error *err);
void sm_basemap_close(sm_basemap *bm); /* NULL is a no-op */

/* True when the datasource has a layer of that name. */
bool sm_basemap_has_layer(const sm_basemap *bm, const char *layer);

/* The name of the datasource's first layer, or NULL when it has none. */
const char *sm_basemap_first_layer(const sm_basemap *bm);

/* True when layer has geometries at all (a CSV without coordinate columns
 * does not). */
bool sm_basemap_has_geometry(const sm_basemap *bm, const char *layer);

/* True when layer has an attribute column of that name. */
bool sm_basemap_has_field(const sm_basemap *bm, const char *layer, const char *field);

/* Check an OGR SQL attribute filter on layer: SM_ERR_PARSE if OGR rejects it. */
sm_status sm_basemap_check_filter(sm_basemap *bm, const char *layer, const char *where,
                                  sm_error *err);

/* The layer's extent in WGS 84 (lon_min, lat_min, lon_max, lat_max). */
sm_status sm_basemap_extent(sm_basemap *bm, const char *layer, double *bbox, sm_error *err);

/* The layer's column names, comma-separated, for messages (caller frees). */
char *sm_basemap_field_list(const sm_basemap *bm, const char *layer);

/*
 * As sm_basemap_each, and each part carries the values of the named columns
 * (n_columns of them) in part->values. Geometries in another CRS are
 * transformed to WGS 84 first; points come as one-vertex parts.
 */
sm_status sm_basemap_each_with(sm_basemap *bm, const char *layer, const double *bbox,
                               const char *where, const char *const *columns,
                               size_t n_columns, sm_part_fn fn, void *ctx, sm_error *err);

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
