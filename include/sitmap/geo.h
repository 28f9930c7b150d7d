/*
 * geo.h - geodesics on the WGS 84 ellipsoid, through PROJ.
 *
 * Distances and azimuths are solutions of the geodesic problems by PROJ's
 * geodesic routines (Karney's algorithms, accurate to about 15 nm), never a
 * spherical approximation. Angles are in degrees, distances in metres.
 *
 *     double d, az;
 *     sm_geo_inverse(33.5102, 36.29128, 33.77974, 37.68357, &d, &az, NULL);
 *     // d = 133 km and change, az = 76.9 degrees: Damascus to Sabaa Biyar
 */
#ifndef SITMAP_GEO_H
#define SITMAP_GEO_H

#include <stddef.h>

#include "sitmap/error.h"

/* Metres in the units sitmap reads and prints. */
#define SM_M_PER_KM 1000.0
#define SM_M_PER_MI 1609.344   /* international statute mile */
#define SM_M_PER_NMI 1852.0    /* international nautical mile */

/*
 * Inverse problem: distance (metres) and azimuths (degrees clockwise from
 * true north, in [0, 360)) from point 1 to point 2. azi1 is the initial
 * azimuth at point 1, azi2 the forward azimuth at point 2. Any output may be
 * NULL. Latitudes in [-90, 90], longitudes any value (degrees).
 */
void sm_geo_inverse(double lat1, double lon1, double lat2, double lon2,
                    double *dist_m, double *azi1_deg, double *azi2_deg);

/*
 * Direct problem: the point dist_m metres from (lat, lon) along the geodesic
 * leaving at azimuth azi_deg. Longitude is returned in [-180, 180).
 */
void sm_geo_direct(double lat, double lon, double azi_deg, double dist_m,
                   double *lat2, double *lon2);

/* The 16-point compass abbreviation of an azimuth: 0 => "N", 135 => "SE". */
const char *sm_compass16(double azimuth_deg);

/*
 * A direction as people write it, to an azimuth and the rose it belongs to.
 * Accepts abbreviations (N, NE, NNE) and words with or without hyphens or
 * spaces ("north", "north-east", "northeast", "north north-east"), any case.
 * *points is 4, 8 or 16: the finest rose the direction needs, so a claim of
 * "southeast" is judged on the 8-point rose (112.5 to 157.5 degrees).
 * Returns SM_ERR_NOT_FOUND if s is not a direction.
 */
sm_status sm_direction_parse(const char *s, size_t len, double *azimuth_deg,
                             int *points);

/* Area (square metres, positive) of the geodesic polygon through n vertices
 * (degrees), whatever their winding. */
double sm_geo_polygon_area(const double *lat, const double *lon, size_t n);

/* Smallest angle between two azimuths, in [0, 180]. */
double sm_azimuth_diff(double a_deg, double b_deg);

#endif
