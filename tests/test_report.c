/* test_report.c - the report module through its API: mentions, claims and
 * their tolerances, border claims with and without a basemap, bad text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sitmap/report.h"

static sm_gazetteer *gz;
static sm_basemap *bm;

static int setup(void **state)
{
    (void)state;
    gz = sm_gazetteer_new();
    if (sm_gazetteer_load_dir(gz, SITMAP_SOURCE_DIR "/gazetteer", NULL) != SM_OK)
        return -1;
    return sm_basemap_open(SITMAP_BASEMAP_PATH, &bm, NULL) == SM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sm_basemap_close(bm);
    sm_gazetteer_free(gz);
    return 0;
}

/* Extract then check text; the caller frees both. */
static void read_report(const char *text, sm_basemap *with, sm_mention **m, size_t *nm,
                        sm_claim **c, size_t *nc)
{
    sm_error err;
    sm_error_init(&err);
    if (sm_report_extract(gz, text, strlen(text), m, nm, &err) != SM_OK)
        fail_msg("extract: %s", err.message);
    if (sm_report_check(gz, with, text, strlen(text), *m, *nm, c, nc, &err) != SM_OK)
        fail_msg("check: %s", err.message);
}

static void test_mentions_offsets_and_longest(void **state)
{
    (void)state;
    const char *t = "Troops moved along the Damascus-Baghdad highway to Sabaa Biyar.";
    sm_mention *m;
    size_t n;
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_report_extract(gz, t, strlen(t), &m, &n, &err), SM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].best.place->name, "Damascus–Baghdad highway");
    assert_int_equal(m[0].start, strstr(t, "Damascus") - t);
    assert_int_equal(m[0].end, strstr(t, " to") - t);
    assert_string_equal(m[1].text, "Sabaa Biyar");
    assert_int_equal(m[1].role, SM_ROLE_PLACE);
    sm_mentions_free(m, n);
}

static void test_government_role(void **state)
{
    (void)state;
    const char *t = "Damascus said the pro-Damascus forces would reach Palmyra.";
    sm_mention *m;
    size_t n;
    assert_int_equal(sm_report_extract(gz, t, strlen(t), &m, &n, NULL), SM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(m[0].role, SM_ROLE_GOVERNMENT);
    assert_int_equal(m[1].role, SM_ROLE_GOVERNMENT);
    assert_int_equal(m[2].role, SM_ROLE_PLACE);
    sm_mentions_free(m, n);
}

static void test_hedged_figure_tolerates_more(void **state)
{
    (void)state;
    /* Palmyra is 217.9 km from Damascus: "some 200 km" (hedged, 25% cap)
     * passes, a precise "200.0 km" does not */
    sm_mention *m;
    sm_claim *c;
    size_t nm, nc;
    read_report("Palmyra, some 200 km northeast of Damascus.", bm, &m, &nm, &c, &nc);
    assert_int_equal(nc, 1);
    assert_int_equal(c[0].verdict, SM_VERDICT_CONSISTENT);
    assert_near(c[0].computed_m, 217900, 300);
    assert_near(c[0].claimed_azimuth_deg, 45, 1e-9);
    assert_int_equal(c[0].points, 8);
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
    read_report("Palmyra, 200.0 km northeast of Damascus.", bm, &m, &nm, &c, &nc);
    assert_int_equal(nc, 1);
    assert_int_equal(c[0].verdict, SM_VERDICT_INCONSISTENT);
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
}

static void test_direction_sector(void **state)
{
    (void)state;
    /* Palmyra lies at 57 degrees from Damascus: northeast, not east */
    sm_mention *m;
    sm_claim *c;
    size_t nm, nc;
    read_report("Palmyra, 218 km east of Damascus, and Daraa, 100 km southwest of Damascus.", bm,
                &m, &nm, &c, &nc);
    assert_int_equal(nc, 2);
    assert_int_equal(c[0].verdict, SM_VERDICT_INCONSISTENT);
    assert_non_null(strstr(c[0].reason, "off east"));
    /* Daraa at 190 degrees is not southwest (202.5 to 247.5) */
    assert_int_equal(c[1].verdict, SM_VERDICT_INCONSISTENT);
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
}

static void test_bracket_figures_must_agree(void **state)
{
    (void)state;
    sm_mention *m;
    sm_claim *c;
    size_t nm, nc;
    read_report("Palmyra, 218 km (135 miles) northeast of Damascus.", bm, &m, &nm, &c, &nc);
    assert_int_equal(nc, 1);
    assert_int_equal(c[0].verdict, SM_VERDICT_CONSISTENT);
    assert_near(c[0].alt_claimed_m, 135 * 1609.344, 1e-6);
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
    read_report("Palmyra, 218 km (35 miles) northeast of Damascus.", bm, &m, &nm, &c, &nc);
    assert_int_equal(c[0].verdict, SM_VERDICT_INCONSISTENT);
    assert_non_null(strstr(c[0].reason, "disagree"));
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
}

static void test_border_claims(void **state)
{
    (void)state;
    sm_mention *m;
    sm_claim *c;
    size_t nm, nc;
    const char *t = "Fighting raged in Abu Kamal, near the border with Iraq.";
    read_report(t, bm, &m, &nm, &c, &nc);
    assert_int_equal(nc, 1);
    assert_true(c[0].border);
    assert_string_equal(c[0].to->name, "Iraq");
    assert_int_equal(c[0].verdict, SM_VERDICT_CONSISTENT);
    assert_true(c[0].computed_m > 0 && c[0].computed_m < 20000);
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
    /* without a basemap the claim is kept, unresolved, saying why */
    read_report(t, NULL, &m, &nm, &c, &nc);
    assert_int_equal(nc, 1);
    assert_int_equal(c[0].verdict, SM_VERDICT_UNRESOLVED);
    assert_non_null(strstr(c[0].reason, "no basemap"));
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
}

static void test_invalid_utf8_located(void **state)
{
    (void)state;
    const char t[] = "Convoys reached\nSab\xc3\xa4 \xff Biyar";
    sm_mention *m = NULL;
    size_t n = 0;
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_report_extract(gz, t, sizeof t - 1, &m, &n, &err), SM_ERR_ENCODING);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 6); /* "Sabä " is five characters */
    assert_null(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mentions_offsets_and_longest),
        cmocka_unit_test(test_government_role),
        cmocka_unit_test(test_hedged_figure_tolerates_more),
        cmocka_unit_test(test_direction_sector),
        cmocka_unit_test(test_bracket_figures_must_agree),
        cmocka_unit_test(test_border_claims),
        cmocka_unit_test(test_invalid_utf8_located),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
