/*
 * projection.h - map projections through PROJ, from WGS 84 longitude and
 * latitude (degrees) to projected metres and back.
 *
 * sm_projection_auto() chooses a projection that keeps shapes and distances
 * honest for a regional map: Lambert Conformal Conic on WGS 84, with
 * standard parallels one sixth of the way in from the extent's top and
 * bottom (Kavrayskiy's rule) and the central meridian through the middle of
 * the extent. Any PROJ string or authority code ("EPSG:32637") works too.
 * PROJ's network access is turned off: no grids are fetched at run time.
 *
 *     sm_projection *p;
 *     char def[256];
 *     sm_projection_auto(32, 35, 37, 42, def, sizeof def);
 *     if (sm_projection_new(def, &p, &err) == SM_OK) {
 *         double x, y;
 *         sm_projection_forward(p, 36.29, 33.51, &x, &y);
 *         sm_projection_free(p);
 *     }
 */
#ifndef SITMAP_PROJECTION_H
#define SITMAP_PROJECTION_H

#include <stddef.h>

#include "sitmap/error.h"

typedef struct sm_projection sm_projection;

/* A PROJ definition for the extent (degrees): written to buf (NUL-ended). */
void sm_projection_auto(double lat_min, double lon_min, double lat_max,
                        double lon_max, char *buf, size_t cap);

/* Make a projection from a PROJ string or "AUTH:CODE". SM_ERR_PARSE with
 * PROJ's own words for a definition PROJ rejects. */
sm_status sm_projection_new(const char *definition, sm_projection **out,
                            sm_error *err);
void sm_projection_free(sm_projection *p); /* NULL is a no-op */

/* lon, lat (degrees) to x, y (metres). Returns 0, or -1 when the point has
 * no image (beyond the projection's domain); then x and y are HUGE_VAL. */
int sm_projection_forward(const sm_projection *p, double lon, double lat,
                          double *x, double *y);
/* n points at once (x, y may not alias lon, lat). A point with no image
 * gets HUGE_VAL in x and y; returns how many had none. */
size_t sm_projection_forward_n(const sm_projection *p, const double *lon, const double *lat,
                               double *x, double *y, size_t n);
/* x, y (metres) to lon, lat (degrees); 0 or -1 as above. */
int sm_projection_inverse(const sm_projection *p, double x, double y,
                          double *lon, double *lat);

/* PROJ's one-time set-up (where its data lives), done now rather than
 * inside the first sm_projection_new (see sm_render_preload). */
void sm_projection_warm_up(void);

/* The definition in use, and a one-line description for a map's margin
 * ("Lambert Conformal Conic, standard parallels 32.8°N and 36.2°N, WGS 84"). */
const char *sm_projection_definition(const sm_projection *p);
const char *sm_projection_description(const sm_projection *p);

#endif
