/*
 * briefing.h - the briefing model: one map's places, units, movements,
 * zones, routes, events and notes, resolved once to WGS 84, and its reader
 * for briefing files (YAML, read with libyaml; docs/briefing-format.md).
 *
 * Every position in a briefing is written as a gazetteer name, coordinates
 * or a relative position ("50 km SE of Damascus"), and resolved when the
 * file is read; nothing downstream resolves names again.
 *
 *     sm_briefing *b;
 *     if (sm_briefing_load("examples/badia-2017-05.yaml", gz, &b, &err) != SM_OK)
 *         fprintf(stderr, "sitmap: %s\n", err.message); // file:line:col: ...
 *     ...
 *     sm_briefing_free(b);
 */
#ifndef SITMAP_BRIEFING_H
#define SITMAP_BRIEFING_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/error.h"
#include "sitmap/resolve.h"

/* APP-6 / MIL-STD-2525 standard identities. */
typedef enum sm_side {
    SM_SIDE_UNKNOWN = 0, /* yellow quatrefoil */
    SM_SIDE_FRIEND,      /* blue rectangle */
    SM_SIDE_HOSTILE,     /* red diamond */
    SM_SIDE_NEUTRAL      /* green square */
} sm_side;

const char *sm_side_name(sm_side s);

/* How sure a movement is: reported lines are solid, the others dashed. */
typedef enum sm_move_status {
    SM_MOVE_REPORTED = 0,
    SM_MOVE_CLAIMED,
    SM_MOVE_PLANNED
} sm_move_status;

const char *sm_move_status_name(sm_move_status s);

/* A position as the briefing wrote it, and what it resolved to. */
typedef struct sm_bpoint {
    char *query;          /* as written in the file */
    sm_resolution at;     /* lat, lon, match, score, place... */
    long line, column;    /* where in the file */
} sm_bpoint;

typedef struct sm_bplace {
    sm_bpoint at;
    char *label;          /* NULL: the resolved name */
    char *kind;           /* NULL: the gazetteer kind (or "point") */
} sm_bplace;

typedef struct sm_bunit {
    sm_bpoint at;
    sm_side side;
    char *label;
    char *type;           /* infantry, armor, mechanized, artillery, special_forces, militia, air... or NULL */
    char *echelon;        /* team squad section platoon company battalion regiment brigade division corps, or NULL */
    char *strength;       /* free text ("hundreds"), or NULL */
    char *date;           /* free text, or NULL */
    bool planned;         /* dashed frame */
} sm_bunit;

typedef struct sm_bmovement {
    sm_bpoint *points;    /* from, via..., to: at least two */
    size_t n_points;
    sm_side side;
    sm_move_status status;
    char *label;
    char *date;
} sm_bmovement;

typedef enum sm_zone_shape { SM_ZONE_CIRCLE = 0, SM_ZONE_POLYGON } sm_zone_shape;

typedef struct sm_bzone {
    sm_zone_shape shape;
    sm_bpoint center;     /* circle */
    double radius_m;      /* circle, metres, > 0 */
    sm_bpoint *points;    /* polygon vertices, at least three */
    size_t n_points;
    sm_side side;
    char *label;
    char *fill;           /* "hatch" (default), "solid" or "none" */
} sm_bzone;

typedef struct sm_broute {
    sm_bpoint ref;        /* resolves to a gazetteer line (a road, a river) */
    char *label;          /* NULL: the gazetteer name */
} sm_broute;

typedef struct sm_bevent {
    sm_bpoint at;
    char *type;           /* airstrike, shelling, clash, explosion */
    char *label;
    char *date;
} sm_bevent;

typedef struct sm_bnote {
    sm_bpoint at;
    char *text;
} sm_bnote;

/* A layer drawn from any OGR datasource, styled in the briefing. */
typedef struct sm_blayer {
    char *source;         /* as written: a path (relative to the briefing file) or PG:... */
    char *path;           /* what GDAL opens: the path resolved against the briefing's folder */
    char *layer;          /* the layer's name in the datasource (its first by default) */
    char *where;          /* an OGR SQL attribute filter, or NULL */
    char *title;          /* the legend's caption (the layer name by default) */
    char *label_column;   /* column whose value labels each feature, or NULL */
    char *side_column;    /* column giving an affiliation (friend, hostile...), or NULL */
    char *date_column;    /* column giving a date, or NULL */
    double stroke[4];     /* RGBA 0..1: lines and outlines */
    double fill[4];       /* RGBA 0..1: points and polygons */
    double width;         /* line width (points) */
    double size;          /* point symbol radius (points) */
    long line, column;    /* where in the file */
} sm_blayer;

typedef enum sm_extent_mode { SM_EXTENT_AUTO = 0, SM_EXTENT_BBOX, SM_EXTENT_AROUND } sm_extent_mode;

typedef struct sm_briefing {
    char *file;               /* where it was read from */
    char *title, *subtitle, *date;
    char **sources;           /* source lines, n_sources of them */
    size_t n_sources;
    /* Page: in points (1/72 in); pixels are converted at dpi. */
    double page_width_pt, page_height_pt;
    double dpi;               /* raster resolution for PNG, 150 by default */
    /* Extent. */
    sm_extent_mode extent;
    double bbox[4];           /* lon_min, lat_min, lon_max, lat_max (BBOX) */
    sm_bpoint extent_center;  /* AROUND */
    double extent_radius_m;   /* AROUND */
    double margin;            /* AUTO: fraction added on each side, 0.12 by default */
    char *projection;         /* NULL: automatic */
    char *basemap;            /* "natural-earth" (default) or "none" */
    sm_bplace *places;        size_t n_places;
    sm_bunit *units;          size_t n_units;
    sm_bmovement *movements;  size_t n_movements;
    sm_bzone *zones;          size_t n_zones;
    sm_broute *routes;        size_t n_routes;
    sm_bevent *events;        size_t n_events;
    sm_bnote *notes;          size_t n_notes;
    sm_blayer *layers;        size_t n_layers;
} sm_briefing;

/*
 * Read and resolve a briefing file. Failures: SM_ERR_IO (cannot read),
 * SM_ERR_PARSE for YAML syntax, unknown keys, wrong types, bad values,
 * unknown places (file:line:column, the value and what was expected, with
 * "did you mean" suggestions) and layers whose datasource, layer or columns
 * cannot be found (naming the layer and the problem), SM_ERR_RANGE for impossible extents, radii or
 * page sizes, SM_ERR_LIMIT for files over 8 MiB. *out is NULL on failure.
 */
sm_status sm_briefing_load(const char *path, const sm_gazetteer *gz,
                           sm_briefing **out, sm_error *err);

/* As sm_briefing_load from text in memory; name is used in messages. */
sm_status sm_briefing_parse(const char *text, size_t len, const char *name,
                            const sm_gazetteer *gz, sm_briefing **out,
                            sm_error *err);

void sm_briefing_free(sm_briefing *b); /* NULL is a no-op */

#endif
