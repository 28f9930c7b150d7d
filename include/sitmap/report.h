/*
 * report.h - reading report text: the places it mentions, and its distance
 * and direction claims checked against geodesy.
 *
 * Mentions are found by folding spans of up to a few words (see fold.h), so
 * "Saba’ Biyar" and "Sabaa Biyar" both find their town, "al-Tanf" its
 * garrison and "Lebanon’s" its country; the longest span wins ("Damascus-
 * Baghdad highway" over "Damascus"). Context keeps out what is not a place:
 * a word after a title ("Major", "Captain", "Minister") or after a first
 * name ("Ahmed Hama"), lower-case words, demonyms ("Iraqi", "Baghdadi").
 * Ambiguous names lean to the countries the report mentions and to places
 * near its other places. A capital that speaks ("Damascus said", "pro-
 * Damascus") is marked as a government, and the place a report was filed
 * from ("AMMAN (Reuters) -") as its dateline; neither is a place of the
 * story. Arabic text works too, without the case cues.
 *
 * Claims are "X, some 50 km (30 miles) southeast of Y", "N miles north of
 * Y", "N km from Y", "within N km of Y", "N km west of the Iraqi border",
 * "near the border with Iraq": the figures are checked against the
 * geodesic distance within the figure's own rounding ("some 50 km" allows
 * more than "48.6 km") plus the places' gazetteer precision; a direction on
 * the rose the report uses ("southeast": 112.5 to 157.5 degrees); the km
 * and miles figures against each other. Distances from a country are
 * measured to its boundary on the basemap.
 */
#ifndef SITMAP_REPORT_H
#define SITMAP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sitmap/basemap.h"
#include "sitmap/gazetteer.h"

typedef enum sm_mention_role {
    SM_ROLE_PLACE = 0,     /* a place on the ground */
    SM_ROLE_GOVERNMENT,    /* a capital standing for its government */
    SM_ROLE_DATELINE       /* where the report was filed: "AMMAN (Reuters) -" */
} sm_mention_role;

/* "place", "government" or "dateline". */
const char *sm_mention_role_name(sm_mention_role r);

typedef struct sm_mention {
    size_t start, end;     /* byte offsets into the text, end exclusive */
    char *text;            /* the mention exactly as written */
    sm_candidate best;     /* the place, how it matched and with what score */
    sm_mention_role role;
    size_t n_candidates;   /* how many places the words could mean */
} sm_mention;

typedef enum sm_verdict {
    SM_VERDICT_CONSISTENT = 0,
    SM_VERDICT_INCONSISTENT,
    SM_VERDICT_UNRESOLVED
} sm_verdict;

const char *sm_verdict_name(sm_verdict v);

typedef struct sm_claim {
    size_t start, end;     /* byte offsets of the claim in the text */
    char *text;            /* as written */
    const sm_place *from;  /* the place the claim is about (NULL: unresolved) */
    const sm_place *to;    /* the place it is measured from (NULL: unresolved) */
    bool border;           /* "near the border with Iraq": `to` is the country,
                            * computed_m the distance to its boundary */
    double claimed_m;      /* the first figure, metres (0 for a border claim) */
    bool at_most;          /* "within 55 km of": the figure is an upper bound */
    double tolerance_m;    /* what its rounding and the places' precision allow */
    double alt_claimed_m;  /* a second figure in brackets ("(30 miles)"), or 0 */
    bool has_direction;
    char direction[32];    /* as written ("southeast") */
    double claimed_azimuth_deg;
    int points;            /* its rose: 4, 8 or 16 */
    double computed_m;     /* geodesic distance from `to` to `from` */
    double computed_azimuth_deg;
    sm_verdict verdict;
    char reason[256];      /* why, in a sentence */
} sm_claim;

/*
 * Find the gazetteer places text[0..len) mentions. *out is allocated (free
 * with sm_mentions_free). SM_ERR_ENCODING (with the byte offset) for text
 * that is not UTF-8.
 */
sm_status sm_report_extract(const sm_gazetteer *gz, const char *text, size_t len,
                            sm_mention **out, size_t *n, sm_error *err);
void sm_mentions_free(sm_mention *m, size_t n);

/*
 * Find and judge the distance and direction claims of text, given its
 * mentions. *out is allocated (free with sm_claims_free). gz names the
 * countries of "near the Iraqi border"; bm (its "countries" layer, polygons
 * with a "name" column) measures "near the border with X" claims, which are
 * unresolved when bm is NULL. "Near" is generous, as news copy is: up to
 * SM_NEAR_BORDER_KM plus the place's precision (Reuters puts Sabaa Biyar,
 * 120 km from Iraq, "near the border with Iraq").
 */
#define SM_NEAR_BORDER_KM 150.0
sm_status sm_report_check(const sm_gazetteer *gz, sm_basemap *bm, const char *text, size_t len,
                          const sm_mention *m, size_t nm, sm_claim **out, size_t *n,
                          sm_error *err);
void sm_claims_free(sm_claim *c, size_t n);

#endif
