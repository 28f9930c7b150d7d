/*
 * render.h - briefing maps: a briefing drawn to PNG, PDF or SVG with Cairo
 * and Pango, and the layout of everything drawn.
 *
 * The map has a basemap (land, sea, borders, rivers and lake shores, country
 * names), the briefing's features (zones, routes, movements as arrows along
 * the geodesic, place symbols by kind, APP-6 unit frames, events, notes),
 * labels placed without overlap, and the furniture a reader expects: title
 * block with date and source, a legend of the symbols drawn, a scale bar in
 * km and miles true at the map centre, a north arrow to true north, a
 * graticule with degree labels, a locator inset, the projection and the
 * attribution. The layout lists every label, symbol and furniture box in
 * page points, for tests and for anyone checking the map.
 *
 *     sm_render_options o = {"data/basemap.gpkg", SM_RENDER_PNG, 0};
 *     sm_layout *l;
 *     if (sm_render(b, "output/badia.png", &o, &l, &err) == SM_OK) {
 *         for (size_t i = 0; i < l->n_warnings; i++) puts(l->warnings[i]);
 *         sm_layout_free(l);
 *     }
 */
#ifndef SITMAP_RENDER_H
#define SITMAP_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/briefing.h"
#include "sitmap/projection.h"

typedef enum sm_render_format {
    SM_RENDER_PNG = 0,
    SM_RENDER_PDF,
    SM_RENDER_SVG
} sm_render_format;

/* The format a file name asks for (.png .pdf .svg, any case);
 * SM_ERR_USAGE for anything else. */
sm_status sm_render_format_from_path(const char *path, sm_render_format *out, sm_error *err);

typedef struct sm_render_options {
    const char *basemap;       /* GeoPackage of scripts/prepare-basemap; NULL or "" for none */
    sm_render_format format;
    double dpi;                /* PNG resolution; 0: the briefing's (150 by default) */
} sm_render_options;

typedef enum sm_item_type {
    SM_ITEM_LABEL = 0,         /* text placed by the label engine */
    SM_ITEM_SYMBOL,            /* a point symbol or unit frame */
    SM_ITEM_FURNITURE,         /* title, legend, scale bar, north arrow, inset... */
    SM_ITEM_LEADER             /* a line from a symbol to its label set apart */
} sm_item_type;

/* One thing on the page. Boxes are in page points, origin top left. */
typedef struct sm_layout_item {
    sm_item_type type;
    char kind[32];             /* label: what it names (place, unit, movement, zone,
                                  route, event, note, country, graticule);
                                  symbol: city, town, ..., unit, airstrike...;
                                  furniture: title, legend, scale_bar, north_arrow,
                                  inset, attribution, projection; leader */
    char *text;                /* label text, or NULL */
    double x, y, w, h;         /* the box */
    double anchor_x, anchor_y; /* symbols: the feature's projected position;
                                  leaders: the end at the symbol */
    double end_x, end_y;       /* leaders: the end at the label */
    double lat, lon;           /* symbols: the feature's position (degrees) */
    double fill[3];            /* symbols: fill colour (0..1 RGB) at the anchor */
    double value;              /* scale bar: the distance it claims (metres);
                                  north arrow: its bearing on the page (degrees) */
    double length_pt;          /* scale bar: its length on the page (points) */
} sm_layout_item;

typedef struct sm_layout {
    double page_width_pt, page_height_pt;
    double px_per_pt;          /* PNG pixels per point (1 for PDF and SVG) */
    double frame[4];           /* map frame: x, y, w, h (points) */
    double extent[4];          /* lon_min, lat_min, lon_max, lat_max shown */
    double center_lat, center_lon;
    sm_projection *projection; /* page positions to WGS 84: sm_layout_page_to_geo */
    double scale;              /* page points per projected metre */
    double origin[4];          /* frame centre (page x, y) and projected centre (X, Y) */
    sm_layout_item *items;
    size_t n_items;
    char **warnings;           /* labels dropped and the like, for stderr */
    size_t n_warnings;
} sm_layout;

/*
 * Render b to path in o->format. Writes a temporary file beside path and
 * renames it into place, so a failure never leaves a half-written map over a
 * good one. *layout (if non-NULL) receives what was drawn; free it with
 * sm_layout_free. Failures: SM_ERR_IO (cannot write, basemap unreadable),
 * SM_ERR_PARSE (a projection PROJ rejects), SM_ERR_RANGE (an extent the
 * projection cannot show).
 */
sm_status sm_render(const sm_briefing *b, const char *path, const sm_render_options *o,
                    sm_layout **layout, sm_error *err);

void sm_layout_free(sm_layout *l); /* NULL is a no-op */

/*
 * Get a render under way before its briefing is read: load this thread's
 * fonts and PROJ's settings (a few milliseconds), then start loading GDAL on
 * a second thread (sm_gdal_preload). The order matters: Pango and PROJ each
 * wait on the dynamic linker if they first start while GDAL is loading.
 * Optional: sm_render does all of it itself otherwise.
 */
void sm_render_preload(void);

/* Page point to WGS 84 and back through the layout's projection; 0 or -1. */
int sm_layout_page_to_geo(const sm_layout *l, double x, double y, double *lon, double *lat);
int sm_layout_geo_to_page(const sm_layout *l, double lon, double lat, double *x, double *y);

#endif
