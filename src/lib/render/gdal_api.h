/*
 * gdal_api.h - the GDAL module: everything in sitmap that calls GDAL
 * (basemap.c, ../export/export_ogr.c) is built as a separate shared object,
 * libsitmap_gdal.so, and reached through this table.
 *
 * Why: GDAL and the 130 libraries it links take 40 ms to load, more than
 * everything else `sitmap resolve` does. Commands that never touch GDAL no
 * longer pay for it, and those that do (render, check, export) start the
 * load on a second thread (sm_gdal_preload) while they read the gazetteer,
 * the briefing and the fonts. Private to the library.
 */
#ifndef SITMAP_GDAL_API_H
#define SITMAP_GDAL_API_H

#include "sitmap/basemap.h"
#include "sitmap/briefing.h"
#include "sitmap/export.h"

#define SM_GDAL_API_VERSION 1

typedef struct sm_gdal_api {
    int version; /* SM_GDAL_API_VERSION */
    sm_status (*basemap_open)(const char *path, sm_basemap **out, sm_error *err);
    void (*basemap_close)(sm_basemap *bm);
    bool (*has_layer)(const sm_basemap *bm, const char *layer);
    const char *(*first_layer)(const sm_basemap *bm);
    bool (*has_geometry)(const sm_basemap *bm, const char *layer);
    bool (*has_field)(const sm_basemap *bm, const char *layer, const char *field);
    sm_status (*check_filter)(sm_basemap *bm, const char *layer, const char *where, sm_error *err);
    sm_status (*extent)(sm_basemap *bm, const char *layer, double *bbox, sm_error *err);
    char *(*field_list)(const sm_basemap *bm, const char *layer);
    sm_status (*each_with)(sm_basemap *bm, const char *layer, const double *bbox, const char *where,
                           const char *const *columns, size_t n_columns, sm_part_fn fn, void *ctx,
                           sm_error *err);
    sm_status (*label_points)(sm_basemap *bm, const char *layer, const double *bbox,
                              sm_label_fn fn, void *ctx, sm_error *err);
    sm_status (*write_features)(const sm_feature_set *fs, const sm_blayer *layers, size_t n_layers,
                                const char *path, const sm_export_options *o, sm_error *err);
} sm_gdal_api;

/* The module's one exported symbol (gdal_module.c). */
const sm_gdal_api *sm_gdal_module_api(void);

/* The table, loading the module (or waiting for sm_gdal_preload's thread)
 * on first use; NULL with SM_ERR_IO in err when the module cannot load. */
const sm_gdal_api *sm_gdal_api_get(sm_error *err);

#endif
