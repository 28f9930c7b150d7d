/* test_briefing.c - briefing files: the example reads, bad files say where. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include <stdbool.h>

#include <stdio.h>
#include <string.h>

#include "sitmap/briefing.h"

static sm_gazetteer *gz;

static int setup(void **state)
{
    (void)state;
    gz = sm_gazetteer_new();
    return sm_gazetteer_load_dir(gz, SITMAP_SOURCE_DIR "/gazetteer", NULL) == SM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sm_gazetteer_free(gz);
    return 0;
}

static void test_example(void **state)
{
    (void)state;
    sm_briefing *b;
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_briefing_load(SITMAP_SOURCE_DIR "/examples/badia-2017-05.yaml", gz, &b, &err);
    if (st != SM_OK)
        fail_msg("%s", err.message);
    assert_non_null(strstr(b->title, "reinforcements"));
    assert_string_equal(b->date, "2017-05-15");
    assert_true(b->n_units >= 4 && b->n_movements >= 2 && b->n_zones >= 1 && b->n_routes >= 1);
    /* Both of the report's spellings meet in one place. */
    bool sabaa = false;
    for (size_t i = 0; i < b->n_places; i++)
        if (b->places[i].at.at.place && strcmp(b->places[i].at.at.place->id, "geonames:165158") == 0)
            sabaa = true;
    assert_true(sabaa);
    /* A4 landscape */
    assert_near(b->page_width_pt, 841.89, 0.01);
    assert_near(b->page_height_pt, 595.276, 0.01);
    /* The deconfliction zone: 55 km around the garrison. */
    assert_int_equal(b->zones[0].shape, SM_ZONE_CIRCLE);
    assert_near(b->zones[0].radius_m, 55000, 1e-9);
    assert_string_equal(b->zones[0].center.at.place->id, "sitmap:tanf-garrison");
    assert_int_equal(b->movements[0].side, SM_SIDE_HOSTILE);
    assert_int_equal(b->movements[0].n_points, 3); /* from, via, to */
    sm_briefing_free(b);
}

static void test_every_feature(void **state)
{
    (void)state;
    sm_briefing *b;
    sm_error err;
    sm_error_init(&err);
    if (sm_briefing_load(SITMAP_TEST_DATA "/briefings/all-sides.yaml", gz, &b, &err) != SM_OK)
        fail_msg("%s", err.message);
    assert_int_equal(b->n_units, 4);
    assert_int_equal(b->units[1].side, SM_SIDE_HOSTILE);
    assert_string_equal(b->units[1].echelon, "brigade");
    assert_true(b->units[3].planned);
    assert_int_equal(b->movements[1].status, SM_MOVE_CLAIMED);
    assert_int_equal(b->zones[1].shape, SM_ZONE_POLYGON);
    assert_int_equal(b->zones[1].n_points, 3);
    assert_int_equal(b->events[0].at.at.match, SM_MATCH_RELATIVE);
    /* 1200 x 850 pixels at 100 dpi, in points */
    assert_near(b->page_width_pt, 1200 * 72.0 / 100, 1e-9);
    sm_briefing_free(b);
}

static void bad(const char *file, sm_status want, long line, long col, const char *words)
{
    char path[512];
    snprintf(path, sizeof path, SITMAP_TEST_DATA "/briefings/%s", file);
    sm_briefing *b = (sm_briefing *)1;
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_briefing_load(path, gz, &b, &err);
    if (st != want)
        fail_msg("%s: status %d, want %d: %s", file, st, want, err.message);
    assert_null(b);
    char where[600];
    snprintf(where, sizeof where, "%s:%ld:%ld: ", path, line, col);
    if (!strstr(err.message, where) || !strstr(err.message, words))
        fail_msg("%s: '%s' lacks '%s' or '%s'", file, err.message, where, words);
}

static void test_bad_files(void **state)
{
    (void)state;
    bad("syntax.yaml", SM_ERR_PARSE, 5, 1, "YAML:");
    bad("unknown-key.yaml", SM_ERR_PARSE, 5, 5, "unknown key 'colour' in a movement");
    bad("unknown-place.yaml", SM_ERR_PARSE, 4, 5, "unknown place 'Sbaa Bzr'; did you mean 'Sabaa Biyar'");
    bad("bad-extent.yaml", SM_ERR_RANGE, 3, 9, "lon_min < lon_max");
    bad("zero-radius.yaml", SM_ERR_RANGE, 3, 45, "radius '0km' must be greater than zero");
    bad("negative-radius.yaml", SM_ERR_RANGE, 5, 15, "must be greater than zero");
    bad("bad-side.yaml", SM_ERR_PARSE, 4, 18, "affiliation 'friendlyish'");
    bad("not-a-route.yaml", SM_ERR_PARSE, 3, 5, "not a gazetteer line");
    bad("empty.yaml", SM_ERR_PARSE, 1, 1, "empty");
    bad("no-title.yaml", SM_ERR_PARSE, 1, 1, "needs a 'title:'");
}

static void test_unknown_place_suggests(void **state)
{
    (void)state;
    const char *y = "title: T\nplaces:\n  - Sabaa Biyr Qx\n";
    sm_briefing *b;
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_briefing_parse(y, strlen(y), "mem.yaml", gz, &b, &err), SM_ERR_PARSE);
    assert_non_null(strstr(err.message, "mem.yaml:3:5: place: unknown place"));
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char y[] = "title: T\nplaces:\n  - Dam\xffscus\n";
    sm_briefing *b;
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_briefing_parse(y, strlen(y), "u.yaml", gz, &b, &err), SM_ERR_ENCODING);
    assert_non_null(strstr(err.message, "u.yaml:3:8: invalid UTF-8"));
}

static void test_missing_file(void **state)
{
    (void)state;
    sm_briefing *b;
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_briefing_load("/nonexistent/b.yaml", gz, &b, &err), SM_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/b.yaml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_every_feature),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_unknown_place_suggests),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
