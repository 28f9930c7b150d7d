/*
 * resolve.h - any way a user writes a position, to a point on WGS 84.
 *
 * sm_resolve() accepts, in this order of trial:
 *   coordinates            "33.51,36.28", 33°30'50"N 36°16'35"E (coord.h)
 *   a relative position    "50 km SE of Damascus", "some 30 miles north-east
 *                          of Tanf", "12 nmi W of 33.5,36.3"; units km,
 *                          kilometres, m, metres, mi, miles, nmi, nautical
 *                          miles; the point is PROJ's geodesic direct problem
 *   a gazetteer name       any spelling gazetteer.h resolves
 *
 *     sm_resolution r;
 *     if (sm_resolve(gz, "50 km SE of Damascus", NULL, &r, &err) == SM_OK)
 *         printf("%f %f\n", r.lat, r.lon);
 */
#ifndef SITMAP_RESOLVE_H
#define SITMAP_RESOLVE_H

#include "sitmap/gazetteer.h"

#define SM_MAX_ALTERNATIVES 8

typedef struct sm_resolution {
    double lat, lon;             /* the resolved point, degrees */
    sm_match match;              /* how: exact, alias, folded, fuzzy, coordinate, relative */
    double score;                /* 1 for coordinates; the name's score otherwise */
    const sm_place *place;       /* the place, or NULL for coordinates and relative */
    char name[256];              /* display name: the place's, "33.5100, 36.2800",
                                    or "50 km SE of Damascus" */
    /* Other places the name may mean, best first (names only). */
    sm_candidate alternatives[SM_MAX_ALTERNATIVES];
    size_t n_alternatives;
    /* Relative positions: the anchor and the offset from it. */
    const sm_place *anchor;      /* NULL when the anchor was coordinates */
    double anchor_lat, anchor_lon;
    double offset_m, offset_azimuth_deg;
    int offset_points;           /* compass rose of the direction: 4, 8 or 16 */
} sm_resolution;

/* Candidates below this score are not listed as alternatives. */
#define SM_ALTERNATIVE_MIN_SCORE 0.6

/*
 * Resolve query. opts filter gazetteer names (also the anchor of a relative
 * position). Returns SM_OK, SM_ERR_NOT_FOUND (message with suggestions),
 * SM_ERR_PARSE or SM_ERR_RANGE for malformed coordinates or distances,
 * SM_ERR_ENCODING, SM_ERR_LIMIT or SM_ERR_USAGE (empty query).
 * gz may be NULL: then only coordinates resolve.
 */
sm_status sm_resolve(const sm_gazetteer *gz, const char *query,
                     const sm_lookup_options *opts, sm_resolution *out,
                     sm_error *err);

/*
 * Parse "N UNIT DIRECTION of|from REST" without resolving REST: the distance
 * in metres, azimuth and rose, and the byte offset where REST starts.
 * Returns SM_ERR_NOT_FOUND when s is not of that form.
 */
sm_status sm_relative_parse(const char *s, size_t len, double *dist_m,
                            double *azimuth_deg, int *points, size_t *rest);

#endif
