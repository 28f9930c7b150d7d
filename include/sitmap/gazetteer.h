/*
 * gazetteer.h - curated places, their names, and finding them by any spelling.
 *
 * A gazetteer is loaded from a folder of tab-separated files (*.tsv, read in
 * name order). Each row is one place:
 *
 *   id  name  aliases  kind  country  lat  lon  precision_km  source  [geometry]
 *
 * aliases are separated by '|'; kind is one of sm_gazetteer_kinds(); country
 * is ISO 3166-1 alpha-2; lat/lon in decimal degrees (WGS 84); precision_km is
 * how far the real place may be from the point; source names where the
 * coordinate comes from ("GeoNames 165158", "Wikipedia: Al-Tanf"). The
 * optional geometry makes the row a line or an area:
 *
 *   line:@geonames:170654;@sitmap:tanf-garrison;33.43 38.94
 *   area:@geonames:170589;...
 *
 * each vertex a gazetteer id after '@' or "lat lon". A line or area may leave
 * lat and lon empty: its point is then its middle vertex.
 *
 * Lookups go through three tiers, best first: the name or an alias as written
 * (sm_fold_exact), then the folded key (sm_fold), then a fuzzy match on the
 * folded key (optimal string alignment distance; by the shorter key, none
 * under 5 letters, 1 edit under 9 and 2 from 9; generic words such as Bir or
 * Jabal do not count as a match). The fuzzy tier runs only when nothing
 * matched better.
 *
 *     sm_error err;
 *     sm_gazetteer *gz = sm_gazetteer_new();
 *     if (sm_gazetteer_load_dir(gz, "gazetteer", &err) != SM_OK) ...
 *     sm_candidate c[8];
 *     size_t n = sm_gazetteer_lookup(gz, "Saba' Biyar", NULL, c, 8, &err);
 *     // c[0].place->name == "Sabaa Biyar", c[0].match == SM_MATCH_FOLDED
 *     sm_gazetteer_free(gz);
 */
#ifndef SITMAP_GAZETTEER_H
#define SITMAP_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/error.h"

typedef enum sm_geometry {
    SM_GEOM_POINT = 0,
    SM_GEOM_LINE,
    SM_GEOM_AREA
} sm_geometry;

/* One place. Owned by its gazetteer; valid until sm_gazetteer_free. */
typedef struct sm_place {
    const char *id;           /* "geonames:165158", "sitmap:tanf-garrison" */
    const char *name;         /* preferred name, as a reader expects it */
    const char *const *aliases; /* n_aliases other spellings, Latin and Arabic */
    size_t n_aliases;
    const char *kind;         /* "town", "base", "border_crossing"... */
    const char *country;      /* ISO 3166-1 alpha-2, "SY" */
    double lat, lon;          /* degrees, WGS 84 */
    double precision_km;      /* radius within which the real place lies */
    const char *source;       /* where lat/lon come from */
    sm_geometry geometry;     /* point, line or area */
    const double *vertices;   /* lat,lon pairs of a line or area, else NULL */
    size_t n_vertices;
    const char *file;         /* file and line the row was read from */
    long line;
} sm_place;

/* How a name found its place; sm_match_name() gives the JSON word. */
typedef enum sm_match {
    SM_MATCH_EXACT = 0,   /* the preferred name as written */
    SM_MATCH_ALIAS,       /* an alias as written */
    SM_MATCH_FOLDED,      /* equal after transliteration folding */
    SM_MATCH_FUZZY,       /* a near miss of a folded key */
    SM_MATCH_COORDINATE,  /* the query was a coordinate pair */
    SM_MATCH_RELATIVE     /* "50 km SE of Damascus" */
} sm_match;

const char *sm_match_name(sm_match m);

/* A place a name may mean, with how and how well it matched. */
typedef struct sm_candidate {
    const sm_place *place;
    sm_match match;
    double score;             /* 1 exact, 0.97 alias, 0.9 folded, <0.8 fuzzy */
    const char *matched_name; /* the gazetteer name or alias that matched */
} sm_candidate;

/* Filters for lookups; NULL or empty fields filter nothing. */
typedef struct sm_lookup_options {
    const char *country;      /* "SY", case-insensitive */
    const char *kind;         /* "base" */
} sm_lookup_options;

typedef struct sm_gazetteer sm_gazetteer;

/* An empty gazetteer, or NULL when out of memory. */
sm_gazetteer *sm_gazetteer_new(void);
void sm_gazetteer_free(sm_gazetteer *gz); /* NULL is a no-op */

/*
 * Load every *.tsv file of dir, in name order, then index the names. On any
 * malformed row, returns SM_ERR_PARSE with file:line:column in err and leaves
 * gz empty. May be called once per gazetteer.
 */
sm_status sm_gazetteer_load_dir(sm_gazetteer *gz, const char *dir, sm_error *err);

/* As sm_gazetteer_load_dir for an explicit list of files. */
sm_status sm_gazetteer_load_files(sm_gazetteer *gz, const char *const *paths,
                                  size_t n, sm_error *err);

size_t sm_gazetteer_count(const sm_gazetteer *gz);
const sm_place *sm_gazetteer_place(const sm_gazetteer *gz, size_t i);
const sm_place *sm_gazetteer_by_id(const sm_gazetteer *gz, const char *id);

/* The kinds a row may have, NULL-terminated. */
const char *const *sm_gazetteer_kinds(void);

/*
 * The places name may mean, best first, at most max of them (distinct
 * places). Returns how many were written; 0 with err set to SM_ERR_NOT_FOUND
 * (message with up to three "did you mean" suggestions) when none, or to
 * another code for a malformed name (invalid UTF-8, empty, too long).
 */
size_t sm_gazetteer_lookup(const sm_gazetteer *gz, const char *name,
                           const sm_lookup_options *opts, sm_candidate *out,
                           size_t max, sm_error *err);

/* Lookup by folded key only, no fuzzy tier: the fast path for report text.
 * key must already be folded with sm_fold. */
size_t sm_gazetteer_lookup_folded(const sm_gazetteer *gz, const char *key,
                                  sm_candidate *out, size_t max);

/* True when some folded gazetteer key starts with this folded word (len
 * bytes): the cheap test a text scanner makes before trying longer spans. */
bool sm_gazetteer_is_first_word(const sm_gazetteer *gz, const char *word, size_t len);

/* The longest folded key's number of words: how far a scanner need look. */
size_t sm_gazetteer_max_words(const sm_gazetteer *gz);

/* A place within a radius, with its distance and azimuth from the centre. */
typedef struct sm_nearby {
    const sm_place *place;
    double distance_m;
    double azimuth_deg;       /* from the centre to the place */
} sm_nearby;

/*
 * Places within radius_m of (lat, lon), nearest first, filtered by opts.
 * *out is allocated (free() it) and *n set; places exactly at the centre are
 * included; lines and areas are not. Returns SM_ERR_RANGE for a negative or non-finite radius.
 */
sm_status sm_gazetteer_near(const sm_gazetteer *gz, double lat, double lon,
                            double radius_m, const sm_lookup_options *opts,
                            sm_nearby **out, size_t *n, sm_error *err);

#endif
