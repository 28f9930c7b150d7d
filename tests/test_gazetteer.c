/* test_gazetteer.c - the curated gazetteer: loading, coverage, lookup, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "sitmap/gazetteer.h"

static sm_gazetteer *gz;

static int load_real(void **state)
{
    (void)state;
    sm_error err;
    sm_error_init(&err);
    gz = sm_gazetteer_new();
    if (sm_gazetteer_load_dir(gz, SITMAP_SOURCE_DIR "/gazetteer", &err) != SM_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    return 0;
}

static int free_real(void **state)
{
    (void)state;
    sm_gazetteer_free(gz);
    return 0;
}

static const sm_place *best(const char *name, const sm_lookup_options *o)
{
    sm_candidate c[8];
    sm_error err;
    sm_error_init(&err);
    size_t n = sm_gazetteer_lookup(gz, name, o, c, 8, &err);
    if (n == 0)
        fail_msg("'%s' found nothing: %s", name, err.message);
    return c[0].place;
}

static void test_coverage_and_sources(void **state)
{
    (void)state;
    size_t n = sm_gazetteer_count(gz);
    assert_true(n >= 300);
    size_t sy = 0, iq = 0, jo = 0, lb = 0;
    for (size_t i = 0; i < n; i++) {
        const sm_place *p = sm_gazetteer_place(gz, i);
        /* Every coordinate names where it comes from. */
        assert_true(strlen(p->source) > 5);
        /* Everything lies in the region the gazetteer covers. */
        if (strcmp(p->kind, "country") != 0 &&
            !(p->lat > 29 && p->lat < 38 && p->lon > 34.5 && p->lon < 49))
            fail_msg("%s (%s) at %f,%f is outside the region", p->name, p->id, p->lat, p->lon);
        assert_true(p->precision_km > 0);
        sy += strcmp(p->country, "SY") == 0;
        iq += strcmp(p->country, "IQ") == 0;
        jo += strcmp(p->country, "JO") == 0;
        lb += strcmp(p->country, "LB") == 0;
    }
    assert_true(sy >= 200 && iq >= 100 && jo >= 100 && lb >= 30);
}

/* Every place of the reference report, in every spelling it uses. */
static void test_reference_report_places(void **state)
{
    (void)state;
    static const struct { const char *q, *id; } cases[] = {
        {"Saba’ Biyar", "geonames:165158"},
        {"Sabaa Biyar", "geonames:165158"},
        {"Tanf base", "sitmap:tanf-garrison"},
        {"Tanf", "sitmap:tanf-garrison"},
        {"Bir Qassab", "sitmap:bir-qassab"},
        {"Damascus", "geonames:170654"},
        {"Deir Zor", "geonames:170794"},
        {"Damascus-Baghdad highway", "sitmap:damascus-baghdad-highway"},
        {"Syrian Badia", "sitmap:syrian-badia"},
        {"Badia", "sitmap:syrian-badia"},
        {"al-Waleed border crossing", "sitmap:tanf-crossing"},
        {"Al-Tanf border crossing", "sitmap:tanf-crossing"},
        {"Baghdad", "geonames:98182"},
        {"Amman", "geonames:250441"},
        {"Iraq", "sitmap:country-iq"},
        {"Jordan", "sitmap:country-jo"},
        {"Syria", "sitmap:country-sy"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sm_place *p = best(cases[i].q, NULL);
        if (strcmp(p->id, cases[i].id) != 0)
            fail_msg("'%s' resolved to %s, not %s", cases[i].q, p->id, cases[i].id);
    }
    /* The garrison and the crossing are two places, about 30 km apart. */
    const sm_place *g = sm_gazetteer_by_id(gz, "sitmap:tanf-garrison");
    const sm_place *x = sm_gazetteer_by_id(gz, "sitmap:tanf-crossing");
    assert_non_null(g);
    assert_non_null(x);
    assert_ptr_not_equal(g, x);
}

static void test_lines_and_areas(void **state)
{
    (void)state;
    const sm_place *h = sm_gazetteer_by_id(gz, "sitmap:damascus-baghdad-highway");
    assert_int_equal(h->geometry, SM_GEOM_LINE);
    assert_true(h->n_vertices >= 6);
    /* It starts in Damascus and ends in Baghdad. */
    const sm_place *dam = sm_gazetteer_by_id(gz, "geonames:170654");
    const sm_place *bag = sm_gazetteer_by_id(gz, "geonames:98182");
    assert_near(h->vertices[0], dam->lat, 1e-12);
    assert_near(h->vertices[1], dam->lon, 1e-12);
    assert_near(h->vertices[2 * h->n_vertices - 2], bag->lat, 1e-12);
    assert_near(h->vertices[2 * h->n_vertices - 1], bag->lon, 1e-12);
    const sm_place *b = sm_gazetteer_by_id(gz, "sitmap:syrian-badia");
    assert_int_equal(b->geometry, SM_GEOM_AREA);
    assert_true(b->n_vertices >= 3);
}

static void test_ambiguity_and_filters(void **state)
{
    (void)state;
    sm_candidate c[8];
    size_t n = sm_gazetteer_lookup(gz, "al-Tanf", NULL, c, 8, NULL);
    assert_true(n >= 2);
    bool garrison = false, crossing = false;
    for (size_t i = 0; i < n; i++) {
        garrison |= strcmp(c[i].place->id, "sitmap:tanf-garrison") == 0;
        crossing |= strcmp(c[i].place->id, "sitmap:tanf-crossing") == 0;
        if (i > 0)
            assert_true(c[i].score <= c[i - 1].score);
    }
    assert_true(garrison && crossing);
    sm_lookup_options o = {NULL, "border_crossing"};
    assert_string_equal(best("al-Tanf", &o)->id, "sitmap:tanf-crossing");
    sm_lookup_options jo = {"jo", NULL};
    assert_string_equal(best("Mafraq", &jo)->country, "JO");
    sm_lookup_options lb = {"LB", NULL};
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_gazetteer_lookup(gz, "Damascus", &lb, c, 8, &err), 0);
    assert_int_equal(err.code, SM_ERR_NOT_FOUND);
}

static void test_match_kinds(void **state)
{
    (void)state;
    sm_candidate c[4];
    assert_true(sm_gazetteer_lookup(gz, "Sabaa Biyar", NULL, c, 4, NULL) > 0);
    assert_int_equal(c[0].match, SM_MATCH_EXACT);
    assert_near(c[0].score, 1.0, 1e-12);
    assert_true(sm_gazetteer_lookup(gz, "Deir Zor", NULL, c, 4, NULL) > 0);
    assert_int_equal(c[0].match, SM_MATCH_ALIAS);
    /* A spelling in no list, met only through folding. */
    assert_true(sm_gazetteer_lookup(gz, "Deir az-Zour", NULL, c, 4, NULL) > 0);
    assert_int_equal(c[0].match, SM_MATCH_FOLDED);
    assert_string_equal(c[0].place->id, "geonames:170794");
    /* Arabic script. */
    assert_true(sm_gazetteer_lookup(gz, "دير الزور", NULL, c, 4, NULL) > 0);
    assert_string_equal(c[0].place->id, "geonames:170794");
}

static void test_fuzzy(void **state)
{
    (void)state;
    static const struct { const char *q, *id; } slips[] = {
        {"Sabaa Biyr", "geonames:165158"},   /* a dropped letter */
        {"Damscus", "geonames:170654"},
        {"Damacsus", "geonames:170654"},     /* transposition */
        {"Palmyara", "geonames:163808"},
        {"Bir Qassib", "sitmap:bir-qassab"},
    };
    for (size_t i = 0; i < sizeof slips / sizeof slips[0]; i++) {
        sm_candidate c[4];
        size_t n = sm_gazetteer_lookup(gz, slips[i].q, NULL, c, 4, NULL);
        if (n == 0 || strcmp(c[0].place->id, slips[i].id) != 0)
            fail_msg("'%s' did not find %s first", slips[i].q, slips[i].id);
        assert_int_equal(c[0].match, SM_MATCH_FUZZY);
        assert_true(c[0].score < 0.9);
    }
}

static void test_generic_words_do_not_match(void **state)
{
    (void)state;
    sm_candidate c[4];
    sm_error err;
    sm_error_init(&err);
    /* "Bir Hadad" shares only the generic "Bir" with "Bir Qassab". */
    size_t n = sm_gazetteer_lookup(gz, "Bir Hadad", NULL, c, 4, &err);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(c[i].place->id, "sitmap:bir-qassab");
    /* Short folded keys are no fuzzy targets: "Iraqi" is not Raqqa. */
    n = sm_gazetteer_lookup(gz, "Iraqi", NULL, c, 4, &err);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(c[i].place->id, "geonames:172955");
    n = sm_gazetteer_lookup(gz, "Bir", NULL, c, 4, &err);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(c[i].place->id, "sitmap:bir-qassab");
}

static void test_unknown_suggests(void **state)
{
    (void)state;
    sm_candidate c[4];
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_gazetteer_lookup(gz, "Sbaa Bzr", NULL, c, 4, &err), 0);
    assert_int_equal(err.code, SM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "unknown place 'Sbaa Bzr'"));
    assert_non_null(strstr(err.message, "did you mean"));
    assert_non_null(strstr(err.message, "Sabaa Biyar"));
    sm_error_init(&err);
    assert_int_equal(sm_gazetteer_lookup(gz, "Qwxzvbn", NULL, c, 4, &err), 0);
    assert_non_null(strstr(err.message, "unknown place 'Qwxzvbn'"));
}

static void test_near(void **state)
{
    (void)state;
    const sm_place *g = sm_gazetteer_by_id(gz, "sitmap:tanf-garrison");
    sm_nearby *v;
    size_t n;
    assert_int_equal(sm_gazetteer_near(gz, g->lat, g->lon, 55000, NULL, &v, &n, NULL), SM_OK);
    bool rukban = false, crossing = false;
    for (size_t i = 0; i < n; i++) {
        assert_true(v[i].distance_m <= 55000);
        if (i)
            assert_true(v[i].distance_m >= v[i - 1].distance_m);
        assert_int_equal(v[i].place->geometry, SM_GEOM_POINT);
        rukban |= strcmp(v[i].place->id, "geonames:11428685") == 0;
        crossing |= strcmp(v[i].place->id, "sitmap:tanf-crossing") == 0;
    }
    assert_true(rukban && crossing);
    free(v);
    sm_lookup_options o = {NULL, "camp"};
    assert_int_equal(sm_gazetteer_near(gz, g->lat, g->lon, 55000, &o, &v, &n, NULL), SM_OK);
    assert_int_equal(n, 1);
    free(v);
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_gazetteer_near(gz, 0, 0, -1, NULL, &v, &n, &err), SM_ERR_RANGE);
}

/* ---- fixtures: a small good file and malformed ones -------------------- */

static void test_small_file(void **state)
{
    (void)state;
    sm_gazetteer *g = sm_gazetteer_new();
    const char *paths[] = {SITMAP_TEST_DATA "/good.tsv"};
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_gazetteer_load_files(g, paths, 1, &err), SM_OK);
    assert_int_equal(sm_gazetteer_count(g), 3);
    const sm_place *r = sm_gazetteer_by_id(g, "test:road");
    assert_int_equal(r->n_vertices, 3);
    assert_near(r->vertices[4], 33.7, 1e-12);
    /* A line with no point of its own takes its middle vertex. */
    assert_near(r->lat, 33.6, 1e-12);
    assert_near(r->lon, 36.4, 1e-12);
    sm_candidate c[2];
    assert_int_equal(sm_gazetteer_lookup(g, "ألفا", NULL, c, 2, NULL), 1);
    assert_string_equal(c[0].place->id, "test:a");
    sm_gazetteer_free(g);
    sm_gazetteer_free(NULL); /* a no-op */
}

static void bad_file(const char *name, sm_status want, long line, long col,
                     const char *words)
{
    char path[512];
    snprintf(path, sizeof path, SITMAP_TEST_DATA "/bad/%s", name);
    const char *paths[] = {path};
    sm_gazetteer *g = sm_gazetteer_new();
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_gazetteer_load_files(g, paths, 1, &err);
    if (st != want)
        fail_msg("%s: status %d, want %d (%s)", name, st, want, err.message);
    assert_int_equal(err.line, line);
    if (col)
        assert_int_equal(err.column, col);
    char where[600];
    snprintf(where, sizeof where, "%s:%ld:", path, line);
    if (!strstr(err.message, where) || !strstr(err.message, words))
        fail_msg("%s: message '%s' lacks '%s' or '%s'", name, err.message, where, words);
    assert_int_equal(sm_gazetteer_count(g), 0); /* nothing half-loaded */
    sm_gazetteer_free(g);
}

static void test_malformed_rows(void **state)
{
    (void)state;
    bad_file("kind.tsv", SM_ERR_PARSE, 2, 15, "unknown kind 'castle'");
    bad_file("lat.tsv", SM_ERR_PARSE, 1, 23, "latitude");
    bad_file("columns.tsv", SM_ERR_PARSE, 1, 1, "found 7");
    bad_file("duplicate.tsv", SM_ERR_PARSE, 3, 1, "duplicate id 'test:a'");
    bad_file("utf8.tsv", SM_ERR_ENCODING, 1, 10, "invalid UTF-8");
    bad_file("ref.tsv", SM_ERR_PARSE, 2, 0, "'@test:nowhere'");
    bad_file("country.tsv", SM_ERR_PARSE, 1, 0, "ISO 3166-1");
    bad_file("precision.tsv", SM_ERR_PARSE, 1, 0, "precision_km");
    bad_file("source.tsv", SM_ERR_PARSE, 1, 0, "empty source");
}

static void test_missing_folder(void **state)
{
    (void)state;
    sm_gazetteer *g = sm_gazetteer_new();
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_gazetteer_load_dir(g, "/nonexistent/sitmap", &err), SM_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/sitmap"));
    sm_gazetteer_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage_and_sources),
        cmocka_unit_test(test_reference_report_places),
        cmocka_unit_test(test_lines_and_areas),
        cmocka_unit_test(test_ambiguity_and_filters),
        cmocka_unit_test(test_match_kinds),
        cmocka_unit_test(test_fuzzy),
        cmocka_unit_test(test_generic_words_do_not_match),
        cmocka_unit_test(test_unknown_suggests),
        cmocka_unit_test(test_near),
        cmocka_unit_test(test_small_file),
        cmocka_unit_test(test_malformed_rows),
        cmocka_unit_test(test_missing_folder),
    };
    return cmocka_run_group_tests(tests, load_real, free_real);
}
