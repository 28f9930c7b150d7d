/* test_render.c - maps checked by what cannot be faked: pixels at projected
 * positions, the scale bar against geodesics, labels against each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include <cairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitmap/basemap.h"
#include "sitmap/geo.h"
#include "sitmap/render.h"

static sm_gazetteer *gz;
static char dir[256];

static int setup(void **state)
{
    (void)state;
    gz = sm_gazetteer_new();
    if (sm_gazetteer_load_dir(gz, SITMAP_SOURCE_DIR "/gazetteer", NULL) != SM_OK)
        return -1;
    snprintf(dir, sizeof dir, "/tmp/sitmap-test-render-%ld", (long)getpid());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sm_gazetteer_free(gz);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static sm_layout *render(const char *briefing, const char *name, sm_render_format fmt)
{
    sm_briefing *b;
    sm_error err;
    sm_error_init(&err);
    if (sm_briefing_load(briefing, gz, &b, &err) != SM_OK)
        fail_msg("%s", err.message);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sm_render_options o = {SITMAP_BASEMAP_PATH, fmt, 0};
    sm_layout *l;
    if (sm_render(b, path, &o, &l, &err) != SM_OK)
        fail_msg("%s", err.message);
    sm_briefing_free(b);
    return l;
}

static const char *example = SITMAP_SOURCE_DIR "/examples/badia-2017-05.yaml";

static bool inside(double x, double y, const sm_layout_item *it)
{
    return x >= it->x && x <= it->x + it->w && y >= it->y && y <= it->y + it->h;
}

/* The pixel under a page point, 0..1 RGB. */
static void pixel(cairo_surface_t *s, const sm_layout *l, double x, double y, double *rgb)
{
    int px = (int)(x * l->px_per_pt), py = (int)(y * l->px_per_pt);
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t v = *(uint32_t *)(d + py * stride + px * 4);
    rgb[0] = ((v >> 16) & 0xff) / 255.0;
    rgb[1] = ((v >> 8) & 0xff) / 255.0;
    rgb[2] = (v & 0xff) / 255.0;
}

static void check_symbol_pixels(const char *briefing, const char *name)
{
    sm_layout *l = render(briefing, name, SM_RENDER_PNG);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), (int)(l->page_width_pt * l->px_per_pt + 0.5));
    cairo_surface_flush(s);
    size_t checked = 0;
    for (size_t i = 0; i < l->n_items; i++) {
        const sm_layout_item *it = &l->items[i];
        if (it->type != SM_ITEM_SYMBOL)
            continue;
        /* A symbol's own position must be where the projection puts it. */
        double ex, ey;
        assert_int_equal(sm_layout_geo_to_page(l, it->lon, it->lat, &ex, &ey), 0);
        bool unit = strcmp(it->kind, "unit") == 0;
        /* Units and events may stand off their position (leader line);
         * place symbols sit exactly on it. */
        if (!unit && strcmp(it->kind, "airstrike") != 0) {
            assert_near(it->anchor_x, ex, 0.01);
            assert_near(it->anchor_y, ey, 0.01);
        }
        double sx = it->anchor_x, sy = unit ? it->anchor_y - 6 : it->anchor_y;
        /* Skip a point that something drawn later covers. */
        bool covered = false;
        for (size_t k = i + 1; k < l->n_items; k++)
            if (l->items[k].type != SM_ITEM_FURNITURE && l->items[k].type != SM_ITEM_LEADER &&
                inside(sx, sy, &l->items[k]))
                covered = true;
        for (size_t k = 0; k < l->n_items; k++)
            if (k != i && strcmp(l->items[k].kind, "unit") == 0 && l->items[k].lat == it->lat &&
                l->items[k].lon == it->lon && !unit)
                covered = true; /* a unit's leader line ends on this place */
        if (covered)
            continue;
        double rgb[3];
        pixel(s, l, sx, sy, rgb);
        for (int c = 0; c < 3; c++)
            if (fabs(rgb[c] - it->fill[c]) > 0.04)
                fail_msg("%s symbol at (%.1f, %.1f): pixel %.2f %.2f %.2f, want %.2f %.2f %.2f",
                         it->kind, sx, sy, rgb[0], rgb[1], rgb[2], it->fill[0], it->fill[1],
                         it->fill[2]);
        checked++;
    }
    assert_true(checked >= 5);
    cairo_surface_destroy(s);
    sm_layout_free(l);
}

static void test_symbols_at_projected_positions(void **state)
{
    (void)state;
    check_symbol_pixels(example, "example.png");
    check_symbol_pixels(SITMAP_TEST_DATA "/briefings/all-sides.yaml", "all.png");
    check_symbol_pixels(SITMAP_TEST_DATA "/briefings/layers.yaml", "layers.png");
}

/* Whether page point (x, y) is free of every drawn item and well inside the
 * frame, so the basemap alone decides its colour. */
static bool bare(const sm_layout *l, double x, double y)
{
    if (x < l->frame[0] + 10 || y < l->frame[1] + 10 || x > l->frame[0] + l->frame[2] - 10 ||
        y > l->frame[1] + l->frame[3] - 10)
        return false;
    for (size_t k = 0; k < l->n_items; k++) {
        const sm_layout_item *it = &l->items[k];
        if (x >= it->x - 3 && x <= it->x + it->w + 3 && y >= it->y - 3 && y <= it->y + it->h + 3)
            return false;
    }
    return true;
}

typedef struct border_pts {
    double lon[64], lat[64];
    size_t n;
} border_pts;

static int take_vertices(void *ctx, const sm_geom_part *p)
{
    border_pts *b = ctx;
    for (size_t i = 0; i < p->n && b->n < 64; i += 97) { /* spread along the ring */
        b->lon[b->n] = p->lon[i];
        b->lat[b->n++] = p->lat[i];
    }
    return 0;
}

static void test_basemap_where_it_belongs(void **state)
{
    (void)state;
    sm_layout *l = render(SITMAP_TEST_DATA "/briefings/basemap-check.yaml", "basemap.png",
                          SM_RENDER_PNG);
    char path[512];
    snprintf(path, sizeof path, "%s/basemap.png", dir);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    static const double sea[3] = {0.80, 0.88, 0.94}, land[3] = {0.965, 0.953, 0.918};
    /* The Mediterranean off Haifa and Tel Aviv, and two lakes, filled: the
     * Dead Sea and the Sea of Galilee; the Jordanian and Syrian deserts, the
     * Sinai. */
    static const double sea_pts[][2] = {{34.15, 32.45}, {33.55, 33.45}, {34.25, 31.85},
                                        {35.50, 31.55}, {35.59, 32.82}};
    static const double land_pts[][2] = {{36.85, 31.25}, {37.45, 32.35}, {37.25, 33.85}, {33.75, 30.85}};
    struct { const double (*p)[2]; size_t n; const double *want; } sets[] = {
        {sea_pts, 5, sea}, {land_pts, 4, land}};
    size_t checked = 0;
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < sets[k].n; i++) {
            double x, y, rgb[3];
            assert_int_equal(sm_layout_geo_to_page(l, sets[k].p[i][0], sets[k].p[i][1], &x, &y), 0);
            if (!bare(l, x, y))
                continue;
            pixel(s, l, x, y, rgb);
            for (int c = 0; c < 3; c++)
                if (fabs(rgb[c] - sets[k].want[c]) > 0.02)
                    fail_msg("%.1fE %.1fN: pixel %.3f %.3f %.3f, want %s", sets[k].p[i][0],
                             sets[k].p[i][1], rgb[0], rgb[1], rgb[2], k ? "land" : "sea");
            checked++;
        }
    assert_true(checked >= 7);
    /* Jordan's boundary, from the basemap itself: a line is drawn on it
     * (border grey, or a river or shore where it follows one). */
    sm_basemap *bm;
    sm_error err;
    sm_error_init(&err);
    assert_int_equal(sm_basemap_open(SITMAP_BASEMAP_PATH, &bm, &err), SM_OK);
    border_pts b = {.n = 0};
    double view[4] = {33.0, 30.5, 38.0, 34.5};
    assert_int_equal(sm_basemap_each(bm, "countries", view, "name = 'Jordan'", take_vertices, &b,
                                     &err), SM_OK);
    sm_basemap_close(bm);
    size_t on_line = 0, tried = 0;
    for (size_t i = 0; i < b.n; i++) {
        double x, y, rgb[3];
        if (sm_layout_geo_to_page(l, b.lon[i], b.lat[i], &x, &y) != 0 || !bare(l, x, y))
            continue;
        pixel(s, l, x, y, rgb);
        tried++;
        double off = 0;
        for (int c = 0; c < 3; c++)
            off = fmax(off, fabs(rgb[c] - land[c]));
        on_line += off > 0.08;
    }
    assert_true(tried >= 3);
    assert_int_equal(on_line, tried);
    cairo_surface_destroy(s);
    sm_layout_free(l);
}

/* Whether the segment (x0, y0)-(x1, y1) passes through the item's box. */
static bool segment_meets_box(double x0, double y0, double x1, double y1, const sm_layout_item *b)
{
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {x0 - b->x, b->x + b->w - x0, y0 - b->y, b->y + b->h - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = fmax(t0, t);
        else
            t1 = fmin(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

static void test_leaders_clear_of_furniture(void **state)
{
    (void)state;
    /* The example's airstrike label needs a leader that would cross the
     * scale bar in its first corner: the bar must have moved. */
    const char *briefings[] = {example, SITMAP_TEST_DATA "/briefings/all-sides.yaml"};
    size_t leaders = 0;
    for (size_t n = 0; n < 2; n++) {
        sm_layout *l = render(briefings[n], "leaders.png", SM_RENDER_PNG);
        for (size_t i = 0; i < l->n_items; i++) {
            const sm_layout_item *a = &l->items[i];
            if (a->type != SM_ITEM_LEADER)
                continue;
            leaders++;
            for (size_t k = 0; k < l->n_items; k++) {
                const sm_layout_item *b = &l->items[k];
                if (b->type == SM_ITEM_FURNITURE &&
                    (strcmp(b->kind, "scale_bar") == 0 || strcmp(b->kind, "north_arrow") == 0) &&
                    segment_meets_box(a->anchor_x, a->anchor_y, a->end_x, a->end_y, b))
                    fail_msg("a leader line (%.1f, %.1f)-(%.1f, %.1f) crosses the %s", a->anchor_x,
                             a->anchor_y, a->end_x, a->end_y, b->kind);
            }
        }
        sm_layout_free(l);
    }
    assert_true(leaders >= 3);
}

static void test_scale_bar_is_true(void **state)
{
    (void)state;
    sm_layout *l = render(example, "scale.png", SM_RENDER_PNG);
    const sm_layout_item *bar = NULL;
    for (size_t i = 0; i < l->n_items; i++)
        if (strcmp(l->items[i].kind, "scale_bar") == 0)
            bar = &l->items[i];
    assert_non_null(bar);
    /* The bar's page length laid across the map centre must span the
     * geodesic distance the bar claims, within 1%. */
    double cx = l->origin[0], cy = l->origin[1], lon1, lat1, lon2, lat2, d;
    assert_int_equal(sm_layout_page_to_geo(l, cx - bar->length_pt / 2, cy, &lon1, &lat1), 0);
    assert_int_equal(sm_layout_page_to_geo(l, cx + bar->length_pt / 2, cy, &lon2, &lat2), 0);
    sm_geo_inverse(lat1, lon1, lat2, lon2, &d, NULL, NULL);
    if (fabs(d - bar->value) > 0.01 * bar->value)
        fail_msg("scale bar claims %.0f m over %.1f pt; the map gives %.0f m", bar->value,
                 bar->length_pt, d);
    /* A round number: 1, 2, 2.5 or 5 times a power of ten, in km. */
    double km = bar->value / 1000, p = pow(10, floor(log10(km))), m = km / p;
    assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 2.5) < 1e-9 ||
                fabs(m - 5) < 1e-9);
    sm_layout_free(l);
}

static void test_north_arrow_points_north(void **state)
{
    (void)state;
    sm_layout *l = render(example, "north.png", SM_RENDER_PNG);
    double x1, y1, x2, y2;
    sm_layout_geo_to_page(l, l->center_lon, l->center_lat, &x1, &y1);
    sm_layout_geo_to_page(l, l->center_lon, l->center_lat + 0.05, &x2, &y2);
    double want = atan2(x2 - x1, -(y2 - y1)) * 180 / 3.14159265358979;
    bool found = false;
    for (size_t i = 0; i < l->n_items; i++)
        if (strcmp(l->items[i].kind, "north_arrow") == 0) {
            assert_near(l->items[i].value, want, 0.5);
            found = true;
        }
    assert_true(found);
    sm_layout_free(l);
}

static bool overlap(const sm_layout_item *a, const sm_layout_item *b)
{
    const double e = 0.01;
    return a->x + e < b->x + b->w && b->x + e < a->x + a->w && a->y + e < b->y + b->h &&
           b->y + e < a->y + a->h;
}

static void check_no_overlaps(const char *briefing, const char *name)
{
    sm_layout *l = render(briefing, name, SM_RENDER_PNG);
    size_t labels = 0;
    for (size_t i = 0; i < l->n_items; i++) {
        const sm_layout_item *a = &l->items[i];
        if (a->type != SM_ITEM_LABEL)
            continue;
        labels++;
        for (size_t k = 0; k < l->n_items; k++) {
            const sm_layout_item *b = &l->items[k];
            if (k == i || b->type == SM_ITEM_FURNITURE || b->type == SM_ITEM_LEADER)
                continue;
            if (overlap(a, b))
                fail_msg("label '%s' overlaps %s '%s'", a->text, b->type == SM_ITEM_LABEL ? "label" : "symbol",
                         b->text ? b->text : b->kind);
        }
        /* and stays inside the map frame */
        if (strcmp(a->kind, "graticule") != 0)
            assert_true(a->x >= l->frame[0] && a->y >= l->frame[1] &&
                        a->x + a->w <= l->frame[0] + l->frame[2] &&
                        a->y + a->h <= l->frame[1] + l->frame[3]);
    }
    assert_true(labels >= 10);
    sm_layout_free(l);
}

static void test_labels_do_not_overlap(void **state)
{
    (void)state;
    check_no_overlaps(example, "overlap.png");
    check_no_overlaps(SITMAP_TEST_DATA "/briefings/all-sides.yaml", "overlap-all.png");
}

static void test_furniture_present(void **state)
{
    (void)state;
    sm_layout *l = render(example, "furniture.png", SM_RENDER_PNG);
    static const char *const need[] = {"title", "legend", "scale_bar", "north_arrow", "inset",
                                       "attribution", "projection"};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
        bool found = false;
        for (size_t i = 0; i < l->n_items; i++)
            found |= l->items[i].type == SM_ITEM_FURNITURE && strcmp(l->items[i].kind, need[k]) == 0;
        if (!found)
            fail_msg("no %s on the map", need[k]);
    }
    /* Graticule labels say degrees. */
    size_t grat = 0;
    for (size_t i = 0; i < l->n_items; i++)
        if (strcmp(l->items[i].kind, "graticule") == 0 && strstr(l->items[i].text, "°"))
            grat++;
    assert_true(grat >= 4);
    sm_layout_free(l);
}

static void read_file(const char *path, char **buf, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    *buf = malloc(*n + 1);
    assert_int_equal(fread(*buf, 1, *n, f), *n);
    (*buf)[*n] = '\0';
    fclose(f);
}

static void test_formats_and_determinism(void **state)
{
    (void)state;
    sm_layout_free(render(example, "a.pdf", SM_RENDER_PDF));
    sm_layout_free(render(example, "b.pdf", SM_RENDER_PDF));
    sm_layout_free(render(example, "a.svg", SM_RENDER_SVG));
    sm_layout_free(render(example, "a.png", SM_RENDER_PNG));
    sm_layout_free(render(example, "b.png", SM_RENDER_PNG));
    char p[512], *a, *b;
    size_t na, nb;
    snprintf(p, sizeof p, "%s/a.pdf", dir);
    read_file(p, &a, &na);
    assert_true(na > 10000 && memcmp(a, "%PDF-", 5) == 0);
    snprintf(p, sizeof p, "%s/b.pdf", dir);
    read_file(p, &b, &nb);
    assert_true(na == nb && memcmp(a, b, na) == 0); /* same briefing, same bytes */
    free(a);
    free(b);
    snprintf(p, sizeof p, "%s/a.png", dir);
    read_file(p, &a, &na);
    snprintf(p, sizeof p, "%s/b.png", dir);
    read_file(p, &b, &nb);
    assert_true(na == nb && memcmp(a, b, na) == 0);
    assert_true(memcmp(a, "\x89PNG", 4) == 0);
    free(a);
    free(b);
    snprintf(p, sizeof p, "%s/a.svg", dir);
    read_file(p, &a, &na);
    assert_non_null(strstr(a, "<svg"));
    assert_non_null(strstr(a, "</svg>"));
    free(a);
    /* No temporary file is left beside the maps. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp-", dir);
    assert_int_not_equal(system(cmd), 0);
}

static void test_unwritable_target(void **state)
{
    (void)state;
    sm_briefing *b;
    assert_int_equal(sm_briefing_load(example, gz, &b, NULL), SM_OK);
    sm_render_options o = {SITMAP_BASEMAP_PATH, SM_RENDER_PNG, 0};
    sm_error err;
    sm_error_init(&err);
    sm_layout *l = (sm_layout *)1;
    assert_int_equal(sm_render(b, "/nonexistent/dir/map.png", &o, &l, &err), SM_ERR_IO);
    assert_null(l);
    assert_non_null(strstr(err.message, "/nonexistent/dir/map.png"));
    o.basemap = "/nonexistent/basemap.gpkg";
    char path[512];
    snprintf(path, sizeof path, "%s/never.png", dir);
    assert_int_equal(sm_render(b, path, &o, &l, &err), SM_ERR_IO);
    assert_int_equal(access(path, F_OK), -1);
    sm_briefing_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symbols_at_projected_positions),
        cmocka_unit_test(test_basemap_where_it_belongs),
        cmocka_unit_test(test_leaders_clear_of_furniture),
        cmocka_unit_test(test_scale_bar_is_true),
        cmocka_unit_test(test_north_arrow_points_north),
        cmocka_unit_test(test_labels_do_not_overlap),
        cmocka_unit_test(test_furniture_present),
        cmocka_unit_test(test_formats_and_determinism),
        cmocka_unit_test(test_unwritable_target),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
