/* test_output.c - number text and JSON objects the tool prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"
#include <math.h>
#include <string.h>

#include "output.h"

static void test_fmt_num(void **state)
{
    (void)state;
    char b[64];
    out_fmt_num(b, sizeof b, 33.77974, 6);
    assert_string_equal(b, "33.77974");
    out_fmt_num(b, sizeof b, 50000.0, 3);
    assert_string_equal(b, "50000");
    out_fmt_num(b, sizeof b, -0.0000001, 3);
    assert_string_equal(b, "0");
    out_fmt_num(b, sizeof b, 1.23456789, 2);
    assert_string_equal(b, "1.23");
    out_fmt_num(b, sizeof b, NAN, 2);
    assert_string_equal(b, "null");
}

static void test_resolution_json(void **state)
{
    (void)state;
    sm_resolution r;
    memset(&r, 0, sizeof r);
    r.lat = 33.51;
    r.lon = 36.28;
    r.match = SM_MATCH_COORDINATE;
    r.score = 1;
    strcpy(r.name, "33.51000, 36.28000");
    json_object *o = out_resolution_json("33.51,36.28", &r);
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    assert_non_null(strstr(s, "\"lat\":33.51,"));
    assert_non_null(strstr(s, "\"id\":null"));
    assert_non_null(strstr(s, "\"match\":\"coordinate\""));
    assert_non_null(strstr(s, "\"alternatives\":[]"));
    /* json-c escapes what needs escaping: a quote in a query. */
    json_object_put(o);
    o = out_resolution_json("Saba\"a", &r);
    s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    assert_non_null(strstr(s, "\"query\":\"Saba\\\"a\""));
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_num),
        cmocka_unit_test(test_resolution_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
