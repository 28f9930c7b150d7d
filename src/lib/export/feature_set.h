/*
 * feature_set.h - the inside of an sm_feature_set, shared by export.c (which
 * builds sets) and export_ogr.c (which writes them through OGR, in the GDAL
 * module, see ../render/gdal_api.h). Private to the library.
 */
#ifndef SITMAP_FEATURE_SET_H
#define SITMAP_FEATURE_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/briefing.h"
#include "sitmap/export.h"

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

/* Write fs (and copies of layers' features) to path: the GDAL module's
 * half of sm_feature_set_write. */
sm_status sm_feature_set_write_ogr(const sm_feature_set *fs, const sm_blayer *layers,
                                   size_t n_layers, const char *path,
                                   const sm_export_options *o, sm_error *err);

#endif
