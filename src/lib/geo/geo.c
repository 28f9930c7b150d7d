/* geo.c - WGS 84 geodesics through PROJ's geodesic routines (see geo.h). */
#include "sitmap/geo.h"

#include <ctype.h>
#include <geodesic.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static struct geod_geodesic wgs84;
static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;

static void wgs84_init(void)
{
    /* WGS 84: a = 6378137 m, f = 1/298.257223563 (NIMA TR8350.2). */
    geod_init(&wgs84, 6378137.0, 1.0 / 298.257223563);
}

static const struct geod_geodesic *ellipsoid(void)
{
    pthread_once(&wgs84_once, wgs84_init);
    return &wgs84;
}

static double norm360(double a)
{
    a = fmod(a, 360.0);
    if (a < 0)
        a += 360.0;
    /* fmod can give 360 - tiny for -tiny input; keep the range half-open. */
    if (a >= 360.0)
        a = 0.0;
    return a;
}

void sm_geo_inverse(double lat1, double lon1, double lat2, double lon2,
                    double *dist_m, double *azi1_deg, double *azi2_deg)
{
    double s12, azi1, azi2;
    geod_inverse(ellipsoid(), lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    if (dist_m)
        *dist_m = s12;
    if (azi1_deg)
        *azi1_deg = norm360(azi1);
    if (azi2_deg)
        *azi2_deg = norm360(azi2);
}

void sm_geo_direct(double lat, double lon, double azi_deg, double dist_m,
                   double *lat2, double *lon2)
{
    double la, lo;
    geod_direct(ellipsoid(), lat, lon, azi_deg, dist_m, &la, &lo, NULL);
    lo = fmod(lo + 180.0, 360.0);
    if (lo < 0)
        lo += 360.0;
    lo -= 180.0;
    if (lat2)
        *lat2 = la;
    if (lon2)
        *lon2 = lo;
}

static const char *const rose16[16] = {
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};

const char *sm_compass16(double azimuth_deg)
{
    int i = (int)floor(norm360(azimuth_deg) / 22.5 + 0.5) % 16;
    return rose16[i];
}

double sm_azimuth_diff(double a, double b)
{
    double d = fabs(norm360(a) - norm360(b));
    return d > 180.0 ? 360.0 - d : d;
}

sm_status sm_direction_parse(const char *s, size_t len, double *azimuth_deg,
                             int *points)
{
    /* Reduce "north-north-east" and "NNE" alike to "nne". */
    char abbr[8];
    size_t n = 0, i = 0;
    static const struct { const char *word; char letter; } words[] = {
        {"north", 'n'}, {"south", 's'}, {"east", 'e'}, {"west", 'w'}};
    while (i < len) {
        char c = (char)tolower((unsigned char)s[i]);
        if (c == '-' || c == ' ' || c == '_') {
            i++;
            continue;
        }
        bool matched = false;
        for (size_t w = 0; w < 4; w++) {
            size_t wl = strlen(words[w].word);
            if (len - i >= wl && strncasecmp(s + i, words[w].word, wl) == 0) {
                if (n >= 3)
                    return SM_ERR_NOT_FOUND;
                abbr[n++] = words[w].letter;
                i += wl;
                /* "northern", "eastward(s)", "easterly" do not count. */
                matched = true;
                break;
            }
        }
        if (matched)
            continue;
        if (c == 'n' || c == 's' || c == 'e' || c == 'w') {
            if (n >= 3)
                return SM_ERR_NOT_FOUND;
            abbr[n++] = c;
            i++;
            continue;
        }
        return SM_ERR_NOT_FOUND;
    }
    if (n == 0)
        return SM_ERR_NOT_FOUND;
    for (int k = 0; k < 16; k++) {
        const char *r = rose16[k];
        if (strlen(r) != n)
            continue;
        bool eq = true;
        for (size_t j = 0; j < n; j++)
            if (tolower((unsigned char)r[j]) != abbr[j])
                eq = false;
        if (eq) {
            if (azimuth_deg)
                *azimuth_deg = k * 22.5;
            if (points)
                *points = n == 1 ? 4 : n == 2 ? 8 : 16;
            return SM_OK;
        }
    }
    return SM_ERR_NOT_FOUND;
}

double sm_geo_polygon_area(const double *lat, const double *lon, size_t n)
{
    double area = 0, perimeter = 0;
    if (n < 3)
        return 0;
    /* PROJ's geod_polygonarea takes non-const arrays it does not modify. */
    geod_polygonarea(ellipsoid(), (double *)lat, (double *)lon, (int)n, &area, &perimeter);
    return fabs(area);
}
