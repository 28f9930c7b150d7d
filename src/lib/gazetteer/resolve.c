/* resolve.c - coordinates, relative positions and names to points (resolve.h). */
#include "sitmap/resolve.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sitmap/coord.h"
#include "sitmap/fold.h"
#include "sitmap/geo.h"

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* A word at s+i matching one of list (case-insensitive, whole word). */
static size_t match_word(const char *s, size_t len, size_t i,
                         const char *const *list)
{
    for (int k = 0; list[k]; k++) {
        size_t n = strlen(list[k]);
        if (len - i >= n && strncasecmp(s + i, list[k], n) == 0 &&
            (i + n == len || !isalpha((unsigned char)s[i + n])))
            return n;
    }
    return 0;
}

sm_status sm_relative_parse(const char *s, size_t len, double *dist_m,
                            double *azimuth_deg, int *points, size_t *rest)
{
    static const char *const hedges[] = {
        "some", "about", "around", "approximately", "roughly", "nearly",
        "almost", "just", "over", "under", "less than", "more than", "~", NULL};
    static const struct { const char *w; double m; } units[] = {
        {"kilometres", 1000}, {"kilometers", 1000}, {"kilometre", 1000},
        {"kilometer", 1000}, {"kms", 1000}, {"km", 1000},
        {"nautical miles", 1852}, {"nautical mile", 1852}, {"nmi", 1852},
        {"nm", 1852}, {"miles", 1609.344}, {"mile", 1609.344},
        {"mi", 1609.344}, {"metres", 1}, {"meters", 1}, {"metre", 1},
        {"meter", 1}, {"m", 1}};
    size_t i = skip_spaces(s, len, 0);
    size_t h;
    while ((h = match_word(s, len, i, hedges)) || (i < len && s[i] == '~')) {
        i = skip_spaces(s, len, i + (h ? h : 1));
    }
    /* The number: digits with an optional point; "1,500" as thousands. */
    char num[32];
    size_t nn = 0;
    while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '.' ||
                       (s[i] == ',' && i + 3 < len && isdigit((unsigned char)s[i + 1]) &&
                        isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3])))) {
        if (s[i] != ',') {
            if (nn + 1 >= sizeof num)
                return SM_ERR_NOT_FOUND;
            num[nn++] = s[i];
        }
        i++;
    }
    if (nn == 0)
        return SM_ERR_NOT_FOUND;
    num[nn] = '\0';
    double v;
    if (sm_parse_decimal(num, nn, &v) != nn)
        return SM_ERR_NOT_FOUND;
    i = skip_spaces(s, len, i);
    double unit = 0;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t n = strlen(units[k].w);
        if (len - i >= n && strncasecmp(s + i, units[k].w, n) == 0 &&
            (i + n == len || !isalpha((unsigned char)s[i + n]))) {
            unit = units[k].m;
            i += n;
            break;
        }
    }
    if (unit == 0)
        return SM_ERR_NOT_FOUND;
    i = skip_spaces(s, len, i);
    if (i < len && s[i] == '(') {
        /* "50 km (30 miles) southeast of": the second figure is a gloss. */
        const char *close = memchr(s + i, ')', len - i);
        if (!close)
            return SM_ERR_NOT_FOUND;
        i = skip_spaces(s, len, (size_t)(close - s) + 1);
    }
    /* The direction runs up to " of " or " from ". */
    size_t dstart = i, dend = i;
    size_t after = 0;
    static const char *const links[] = {"of", "from", NULL};
    while (i < len) {
        size_t w = match_word(s, len, i, links);
        if (w && i > dstart && (s[i - 1] == ' ' || s[i - 1] == '\t')) {
            dend = i;
            after = skip_spaces(s, len, i + w);
            break;
        }
        i++;
    }
    if (dend == dstart || after == 0 || after >= len)
        return SM_ERR_NOT_FOUND;
    while (dend > dstart && (s[dend - 1] == ' ' || s[dend - 1] == '\t'))
        dend--;
    double az;
    int pts;
    if (sm_direction_parse(s + dstart, dend - dstart, &az, &pts) != SM_OK)
        return SM_ERR_NOT_FOUND;
    *dist_m = v * unit;
    *azimuth_deg = az;
    *points = pts;
    *rest = after;
    return SM_OK;
}

static void fill_alternatives(sm_resolution *r, const sm_candidate *c, size_t n)
{
    r->n_alternatives = 0;
    for (size_t i = 1; i < n && r->n_alternatives < SM_MAX_ALTERNATIVES; i++)
        if (c[i].score >= SM_ALTERNATIVE_MIN_SCORE)
            r->alternatives[r->n_alternatives++] = c[i];
}

sm_status sm_resolve(const sm_gazetteer *gz, const char *query,
                     const sm_lookup_options *opts, sm_resolution *r,
                     sm_error *err)
{
    memset(r, 0, sizeof *r);
    size_t len = strlen(query);
    size_t bad;
    if (len > SM_NAME_MAX)
        return sm_error_set(err, SM_ERR_LIMIT, "place is %zu bytes long, over the limit of %d",
                            len, SM_NAME_MAX);
    if (!sm_utf8_valid(query, len, &bad))
        return sm_error_set(err, SM_ERR_ENCODING, "invalid UTF-8 at byte %zu of the place name",
                            bad + 1);
    size_t b = skip_spaces(query, len, 0);
    size_t e = len;
    while (e > b && (query[e - 1] == ' ' || query[e - 1] == '\t' ||
                     query[e - 1] == '\n' || query[e - 1] == '\r'))
        e--;
    if (e == b)
        return sm_error_set(err, SM_ERR_USAGE, "empty place name");
    const char *q = query + b;
    size_t qn = e - b;

    /* Coordinates first: a name never starts with a digit here. */
    double lat, lon;
    sm_error cerr;
    sm_error_init(&cerr);
    sm_status st = sm_coord_parse(q, qn, &lat, &lon, &cerr);
    if (st == SM_OK) {
        r->lat = lat;
        r->lon = lon;
        r->match = SM_MATCH_COORDINATE;
        r->score = 1.0;
        snprintf(r->name, sizeof r->name, "%.5f, %.5f", lat, lon);
        return SM_OK;
    }
    double dist, az;
    int pts;
    size_t rest;
    bool relative = sm_relative_parse(q, qn, &dist, &az, &pts, &rest) == SM_OK;
    if (st != SM_ERR_NOT_FOUND && !relative) {
        if (err)
            *err = cerr;
        return st;
    }
    if (relative) {
        char anchor_q[SM_NAME_MAX + 1];
        snprintf(anchor_q, sizeof anchor_q, "%.*s", (int)(qn - rest), q + rest);
        sm_resolution a;
        st = sm_resolve(gz, anchor_q, opts, &a, err);
        if (st != SM_OK)
            return st;
        if (!(dist >= 0) || dist > 20037508.0)
            return sm_error_set(err, SM_ERR_RANGE,
                                "distance in '%.*s' must be between 0 and half the Earth's circumference",
                                (int)qn, q);
        sm_geo_direct(a.lat, a.lon, az, dist, &r->lat, &r->lon);
        r->match = SM_MATCH_RELATIVE;
        r->score = a.score;
        r->anchor = a.place;
        r->anchor_lat = a.lat;
        r->anchor_lon = a.lon;
        r->offset_m = dist;
        r->offset_azimuth_deg = az;
        r->offset_points = pts;
        memcpy(r->alternatives, a.alternatives, sizeof a.alternatives);
        r->n_alternatives = a.n_alternatives;
        snprintf(r->name, sizeof r->name, "%.*s", (int)qn, q);
        return SM_OK;
    }
    if (!gz)
        return sm_error_set(err, SM_ERR_NOT_FOUND, "unknown place '%.*s' (no gazetteer)",
                            (int)qn, q);
    char name[SM_NAME_MAX + 1];
    snprintf(name, sizeof name, "%.*s", (int)qn, q);
    sm_candidate c[SM_MAX_ALTERNATIVES + 1];
    size_t n = sm_gazetteer_lookup(gz, name, opts, c, SM_MAX_ALTERNATIVES + 1, err);
    if (n == 0)
        return err ? err->code : SM_ERR_NOT_FOUND;
    r->place = c[0].place;
    r->lat = c[0].place->lat;
    r->lon = c[0].place->lon;
    r->match = c[0].match;
    r->score = c[0].score;
    snprintf(r->name, sizeof r->name, "%s", c[0].place->name);
    fill_alternatives(r, c, n);
    return SM_OK;
}
