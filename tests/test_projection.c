/* test_projection.c - map projections: the automatic choice, and sitmap's
 * answers against PROJ's own crs-to-crs transformation of the same points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

#include "sitmap/projection.h"

/* The reference report's region and a few far corners of a regional map. */
static const double pts[][2] = {
    {36.2913, 33.5102}, {38.1, 33.6}, {40.1, 35.33}, {35.0, 31.0}, {43.0, 37.5}, {30.0, 25.0},
};

/* PROJ asked directly, the long way: EPSG:4326 to the CRS, lon/lat order. */
static void proj_reference(const char *def, double lon, double lat, double *x, double *y)
{
    PJ_CONTEXT *ctx = proj_context_create();
    char target[600];
    snprintf(target, sizeof target, "%s%s", def, def[0] == '+' ? " +type=crs" : "");
    PJ *op = proj_create_crs_to_crs(ctx, "EPSG:4326", target, NULL);
    assert_non_null(op);
    PJ *norm = proj_normalize_for_visualization(ctx, op);
    assert_non_null(norm);
    PJ_COORD r = proj_trans(norm, PJ_FWD, proj_coord(lon, lat, 0, 0));
    *x = r.xy.x;
    *y = r.xy.y;
    proj_destroy(norm);
    proj_destroy(op);
    proj_context_destroy(ctx);
}

static void agree_with_proj(const char *def)
{
    sm_projection *p;
    sm_error err = {0};
    assert_int_equal(sm_projection_new(def, &p, &err), SM_OK);
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        double x, y, rx, ry, lon, lat;
        assert_int_equal(sm_projection_forward(p, pts[i][0], pts[i][1], &x, &y), 0);
        proj_reference(def, pts[i][0], pts[i][1], &rx, &ry);
        /* Same ellipsoid, same conversion: a micrometre is rounding. */
        assert_float_equal(x, rx, 1e-6);
        assert_float_equal(y, ry, 1e-6);
        assert_int_equal(sm_projection_inverse(p, x, y, &lon, &lat), 0);
        assert_float_equal(lon, pts[i][0], 1e-9);
        assert_float_equal(lat, pts[i][1], 1e-9);
    }
    sm_projection_free(p);
}

static void test_auto_lcc(void **state)
{
    (void)state;
    char def[256];
    sm_projection_auto(32, 35, 38, 42, def, sizeof def);
    /* Kavrayskiy: standard parallels a sixth of the way in. */
    assert_non_null(strstr(def, "+proj=lcc"));
    assert_non_null(strstr(def, "+lat_1=33.0000"));
    assert_non_null(strstr(def, "+lat_2=37.0000"));
    assert_non_null(strstr(def, "+lon_0=38.5000"));
    sm_projection *p;
    sm_error err = {0};
    assert_int_equal(sm_projection_new(def, &p, &err), SM_OK);
    assert_string_equal(sm_projection_description(p),
                        "Lambert Conformal Conic, standard parallels 33.0°N and 37.0°N, WGS 84");
    /* The central meridian and latitude of origin map to (0, 0). */
    double x, y;
    assert_int_equal(sm_projection_forward(p, 38.5, 35.0, &x, &y), 0);
    assert_float_equal(x, 0, 1e-6);
    assert_float_equal(y, 0, 1e-6);
    sm_projection_free(p);
    agree_with_proj(def);
}

static void test_agree_with_proj(void **state)
{
    (void)state;
    agree_with_proj("+proj=aeqd +lat_0=33.5 +lon_0=38 +datum=WGS84 +units=m +no_defs");
    agree_with_proj("+proj=tmerc +lat_0=0 +lon_0=39 +k=0.9996 +x_0=500000 +ellps=WGS84");
    /* Through PROJ's search: a datum shift, an authority code. */
    agree_with_proj("+proj=lcc +lat_1=33 +lat_2=37 +lat_0=35 +lon_0=38 +ellps=clrk80 "
                    "+towgs84=-143,-90,-294,0,0,0,0 +units=m");
    agree_with_proj("EPSG:32637");
}

static void test_units_other_than_metres(void **state)
{
    (void)state;
    /* Kilometres: the conversion must honour them whichever way it goes. */
    sm_projection *m, *km;
    sm_error err = {0};
    assert_int_equal(sm_projection_new("+proj=aeqd +lat_0=33.5 +lon_0=36.3 +datum=WGS84 +units=m",
                                       &m, &err), SM_OK);
    assert_int_equal(sm_projection_new("+proj=aeqd +lat_0=33.5 +lon_0=36.3 +datum=WGS84 +units=km",
                                       &km, &err), SM_OK);
    double x1, y1, x2, y2;
    assert_int_equal(sm_projection_forward(m, 38.1, 33.6, &x1, &y1), 0);
    assert_int_equal(sm_projection_forward(km, 38.1, 33.6, &x2, &y2), 0);
    assert_float_equal(x1 / 1000, x2, 1e-9);
    assert_float_equal(y1 / 1000, y2, 1e-9);
    sm_projection_free(m);
    sm_projection_free(km);
}

static void test_beyond_domain(void **state)
{
    (void)state;
    sm_projection *p;
    sm_error err = {0};
    assert_int_equal(sm_projection_new("+proj=ortho +lat_0=33.5 +lon_0=36.3 +datum=WGS84", &p, &err),
                     SM_OK);
    double x, y;
    /* The far side of the globe has no image in an orthographic view. */
    assert_int_equal(sm_projection_forward(p, 36.3 - 180, -33.5, &x, &y), -1);
    assert_true(x == HUGE_VAL && y == HUGE_VAL);
    sm_projection_free(p);
}

static void test_forward_many(void **state)
{
    (void)state;
    sm_projection *p;
    sm_error err = {0};
    assert_int_equal(sm_projection_new("+proj=ortho +lat_0=33.5 +lon_0=36.3 +datum=WGS84", &p, &err),
                     SM_OK);
    /* One call for many points gives what one call a point gives, and
     * marks the point on the far side of the globe. */
    double lon[4] = {36.29, 38.1, 36.3 - 180, 40.1}, lat[4] = {33.51, 33.6, -33.5, 35.33};
    double x[4], y[4];
    assert_int_equal(sm_projection_forward_n(p, lon, lat, x, y, 4), 1);
    for (int i = 0; i < 4; i++) {
        double xi, yi;
        int r = sm_projection_forward(p, lon[i], lat[i], &xi, &yi);
        if (i == 2) {
            assert_int_equal(r, -1);
            assert_true(x[i] == HUGE_VAL && y[i] == HUGE_VAL);
        } else {
            assert_int_equal(r, 0);
            assert_float_equal(x[i], xi, 1e-9);
            assert_float_equal(y[i], yi, 1e-9);
        }
    }
    sm_projection_free(p);
}

static void test_rejected(void **state)
{
    (void)state;
    sm_projection *p = (sm_projection *)1;
    sm_error err = {0};
    assert_int_equal(sm_projection_new("+proj=nosuchthing +datum=WGS84", &p, &err), SM_ERR_PARSE);
    assert_null(p);
    assert_non_null(strstr(err.message, "nosuchthing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_lcc),
        cmocka_unit_test(test_agree_with_proj),
        cmocka_unit_test(test_units_other_than_metres),
        cmocka_unit_test(test_beyond_domain),
        cmocka_unit_test(test_forward_many),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
