/*
 * coord.h - coordinates as people write them.
 *
 * Accepted, with any separator (comma, semicolon, slash, spaces) between the
 * two parts:
 *   decimal degrees          "33.51,36.28"   "33.51 36.28"   "-33.9 151.2"
 *   with hemispheres         "33.51N 36.28E" "N33.51 E36.28" "36.28E, 33.51N"
 *   degrees-minutes-seconds  33°30'50"N 36°16'35"E   (also ′ ″ º, and spaces)
 *   colon-separated          "33:30:50N 36:16:35E"   "33:30.5N 36:16.6E"
 * Without hemisphere letters the order is latitude then longitude.
 */
#ifndef SITMAP_COORD_H
#define SITMAP_COORD_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/error.h"

/*
 * Parse s[0..len) as a coordinate pair. Returns SM_OK; SM_ERR_NOT_FOUND when
 * s does not look like coordinates at all (a place name, say), so a caller
 * can go on to the gazetteer; SM_ERR_PARSE for something coordinate-like but
 * malformed ("33.5,"), SM_ERR_RANGE for latitude beyond +-90, longitude
 * beyond +-180, minutes or seconds of 60 or more. err names the part.
 */
sm_status sm_coord_parse(const char *s, size_t len, double *lat, double *lon,
                         sm_error *err);

/* True when s starts like a coordinate (a digit, sign or hemisphere letter
 * followed by a digit): cheap test before sm_coord_parse. */
bool sm_coord_looks_like(const char *s, size_t len);

/*
 * Fast decimal number reader for the batch path: digits with an optional sign,
 * point and fraction (no exponent). Correctly rounded for up to 15 significant
 * digits; otherwise falls back to strtod. Returns the number of bytes read,
 * 0 if none.
 */
size_t sm_parse_decimal(const char *s, size_t len, double *out);

#endif
