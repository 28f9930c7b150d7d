/* test_coord.c - coordinate pairs in the forms people write, and their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"
#include <math.h>
#include <string.h>

#include "sitmap/coord.h"

#define DEG_TOL 1e-9 /* parsing is exact arithmetic on short decimals */

static void parses(const char *s, double lat, double lon)
{
    double la = NAN, lo = NAN;
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_coord_parse(s, strlen(s), &la, &lo, &err);
    if (st != SM_OK)
        fail_msg("'%s': %s", s, err.message);
    assert_near(la, lat, DEG_TOL);
    assert_near(lo, lon, DEG_TOL);
}

static void fails(const char *s, sm_status want)
{
    double la, lo;
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_coord_parse(s, strlen(s), &la, &lo, &err);
    if (st != want)
        fail_msg("'%s': got status %d, want %d (%s)", s, st, want, err.message);
    if (want != SM_ERR_NOT_FOUND)
        assert_true(strlen(err.message) > 0);
}

static void test_decimal(void **state)
{
    (void)state;
    parses("33.51,36.28", 33.51, 36.28);
    parses("33.51 36.28", 33.51, 36.28);
    parses("33.51, 36.28", 33.51, 36.28);
    parses("  33.51 ;36.28 ", 33.51, 36.28);
    parses("-33.9 151.2", -33.9, 151.2);
    parses("0 0", 0, 0);
    parses("90,180", 90, 180);
}

static void test_hemispheres(void **state)
{
    (void)state;
    parses("33.51N 36.28E", 33.51, 36.28);
    parses("33.51 N, 36.28 E", 33.51, 36.28);
    parses("N33.51 E36.28", 33.51, 36.28);
    parses("36.28E 33.51N", 33.51, 36.28); /* the letters say which is which */
    parses("33.5S 70.6W", -33.5, -70.6);
}

static void test_dms(void **state)
{
    (void)state;
    const double lat = 33 + 30 / 60.0 + 50 / 3600.0, lon = 36 + 16 / 60.0 + 35 / 3600.0;
    parses("33°30'50\"N 36°16'35\"E", lat, lon);
    parses("33°30′50″N 36°16′35″E", lat, lon);
    parses("33° 30' 50\" N, 36° 16' 35\" E", lat, lon);
    parses("33:30:50N 36:16:35E", lat, lon);
    parses("33:30.5N 36:16.5E", 33 + 30.5 / 60, 36 + 16.5 / 60);
    parses("33°30'N 36°16'E", 33.5, 36 + 16 / 60.0);
    /* The Al-Tanf garrison as Wikipedia writes it. */
    parses("33°30′21″N 38°37′04″E", 33.505833333, 38.617777778);
}

static void test_not_coordinates(void **state)
{
    (void)state;
    fails("Damascus", SM_ERR_NOT_FOUND);
    fails("Sabaa Biyar", SM_ERR_NOT_FOUND);
    fails("", SM_ERR_NOT_FOUND);
    fails("East Ghouta", SM_ERR_NOT_FOUND);
}

static void test_malformed(void **state)
{
    (void)state;
    fails("33.5,", SM_ERR_PARSE);
    fails("33.5", SM_ERR_PARSE);
    fails("33.5 36.2 12", SM_ERR_PARSE);
    fails("33.5N 36.2N", SM_ERR_PARSE);
    fails("33.5x36.2", SM_ERR_PARSE);
    fails("-33.5S 20E", SM_ERR_PARSE);
}

static void test_out_of_range(void **state)
{
    (void)state;
    fails("95,36", SM_ERR_RANGE);
    fails("33,181", SM_ERR_RANGE);
    fails("-90.5 0", SM_ERR_RANGE);
    fails("33:61:00N 36:00:00E", SM_ERR_RANGE);
    fails("33:30:60N 36:00:00E", SM_ERR_RANGE);
    double la, lo;
    sm_error err;
    sm_error_init(&err);
    sm_coord_parse("95,36", 5, &la, &lo, &err);
    assert_non_null(strstr(err.message, "latitude 95"));
}

static void test_fast_decimal(void **state)
{
    (void)state;
    double v;
    assert_int_equal(sm_parse_decimal("33.77974x", 9, &v), 8);
    assert_true(v == 33.77974); /* correctly rounded: bit-identical to strtod */
    assert_int_equal(sm_parse_decimal("-0.1", 4, &v), 4);
    assert_true(v == -0.1);
    assert_int_equal(sm_parse_decimal("123456789.123456789", 19, &v), 19);
    assert_true(v == 123456789.123456789);
    assert_int_equal(sm_parse_decimal("-", 1, &v), 0);
    assert_int_equal(sm_parse_decimal(".", 1, &v), 0);
    assert_int_equal(sm_parse_decimal("abc", 3, &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_hemispheres),
        cmocka_unit_test(test_dms),
        cmocka_unit_test(test_not_coordinates),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_fast_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
