/*
 * export.h - features out through GDAL/OGR: GeoJSON (RFC 7946), GeoPackage,
 * FlatGeobuf, KML, CSV, Shapefile.
 *
 * A feature set is a list of geometries in WGS 84 with properties; it is
 * built from a briefing (every place, unit, movement densified along the
 * geodesic, zone as a polygon wound by the right-hand rule, route, event and
 * note) or by the CLI from resolve, dist and near answers, and written with
 * one OGR driver. GeoJSON is written as RFC 7946: longitude then latitude,
 * no "crs" member, exterior rings counter-clockwise, geometries crossing the
 * antimeridian split, 6 decimals unless asked otherwise.
 *
 *     sm_feature_set *fs = sm_feature_set_new();
 *     sm_feature_set_add_briefing(fs, b, &err);
 *     sm_export_options o = {NULL, 6};
 *     sm_feature_set_write(fs, "output/badia.geojson", &o, &err);
 *     sm_feature_set_free(fs);
 */
#ifndef SITMAP_EXPORT_H
#define SITMAP_EXPORT_H

#include <stddef.h>

#include "sitmap/briefing.h"

typedef struct sm_feature_set sm_feature_set;

typedef enum sm_feature_geometry {
    SM_FEATURE_POINT = 0,
    SM_FEATURE_LINE,
    SM_FEATURE_POLYGON
} sm_feature_geometry;

sm_feature_set *sm_feature_set_new(void);  /* NULL when out of memory */
void sm_feature_set_free(sm_feature_set *fs); /* NULL is a no-op */
size_t sm_feature_set_count(const sm_feature_set *fs);

/* Start a feature: lon/lat pairs (degrees), n vertices; a polygon's ring is
 * closed by the writer. Returns its index, or (size_t)-1 when out of memory. */
size_t sm_feature_add(sm_feature_set *fs, sm_feature_geometry g, const double *lonlat, size_t n);
/* Properties of feature i; a NULL string is not set. Columns are the union
 * of every feature's keys, in the order first seen. */
void sm_feature_set_string(sm_feature_set *fs, size_t i, const char *key, const char *value);
void sm_feature_set_real(sm_feature_set *fs, size_t i, const char *key, double value);

/* Every feature of a briefing, with the properties a reader needs to trust
 * it (name, feature_type, kind, side, status, label, date, source; query,
 * gazetteer_id, match, score for resolved places; distance_m and
 * azimuth_deg for movements; radius_m and area_km2 for zones). */
sm_status sm_feature_set_add_briefing(sm_feature_set *fs, const sm_briefing *b, sm_error *err);

/* Points from a resolved position (query, name, match, score, gazetteer_id,
 * kind, country, source). Returns the feature's index. */
size_t sm_feature_add_resolution(sm_feature_set *fs, const char *query, const sm_resolution *r);

/* A geodesic from a to b as a densified line (at most every 10 km). */
size_t sm_feature_add_geodesic(sm_feature_set *fs, double lat1, double lon1, double lat2,
                               double lon2);

typedef struct sm_export_options {
    const char *format;   /* OGR driver (GeoJSON, GPKG, FlatGeobuf, KML, CSV, ESRI Shapefile)
                             or a short name (geojson, gpkg, fgb, kml, csv, shp); NULL: from
                             the file name's extension */
    int precision;        /* GeoJSON decimals, 1 to 15; 0 means 6 */
} sm_export_options;

/*
 * Write the set to path ("-" or "/vsistdout/" for GeoJSON on stdout). Files
 * are written into a temporary folder beside the target and renamed into
 * place, so a failure never leaves half a file. SM_ERR_USAGE for a format
 * that cannot be told or is not available, SM_ERR_IO when writing fails.
 */
sm_status sm_feature_set_write(const sm_feature_set *fs, const char *path,
                               const sm_export_options *o, sm_error *err);

/*
 * As sm_feature_set_write, then stream every feature of the given briefing
 * layers (OGR datasources) into the same output, in WGS 84, with
 * feature_type "layer", the layer's title, and name (the label column),
 * side and date from the columns the briefing maps. Features are copied one at a time, so
 * a layer of millions of points never sits in memory.
 */
sm_status sm_feature_set_write_with_layers(sm_feature_set *fs, const sm_blayer *layers,
                                           size_t n_layers, const char *path,
                                           const sm_export_options *o, sm_error *err);

#endif
