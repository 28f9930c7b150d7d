/* projection.c - WGS 84 to map coordinates through PROJ (see projection.h). */
#include "sitmap/projection.h"

#include <math.h>
#include <stdbool.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sm_projection {
    PJ_CONTEXT *ctx; /* one context per projection: PROJ contexts are not shared across threads */
    PJ *op;          /* EPSG:4326 (lon, lat order) to the target CRS */
    char definition[512];
    char description[600];
};

void sm_projection_auto(double lat_min, double lon_min, double lat_max,
                        double lon_max, char *buf, size_t cap)
{
    double dlat = lat_max - lat_min;
    double lat1 = lat_min + dlat / 6.0, lat2 = lat_max - dlat / 6.0;
    double lat0 = (lat_min + lat_max) / 2.0, lon0 = (lon_min + lon_max) / 2.0;
    if (fabs(lat1 - lat2) < 0.01) { /* a sliver of an extent: keep the cone sane */
        lat1 = lat0 - 0.5;
        lat2 = lat0 + 0.5;
    }
    snprintf(buf, cap,
             "+proj=lcc +lat_1=%.4f +lat_2=%.4f +lat_0=%.4f +lon_0=%.4f "
             "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
             lat1, lat2, lat0, lon0);
}

static void describe(sm_projection *p)
{
    const char *d = p->definition;
    double a, b;
    const char *l1 = strstr(d, "+lat_1="), *l2 = strstr(d, "+lat_2=");
    if (strstr(d, "+proj=lcc") && l1 && l2 && sscanf(l1, "+lat_1=%lf", &a) == 1 &&
        sscanf(l2, "+lat_2=%lf", &b) == 1) {
        snprintf(p->description, sizeof p->description,
                 "Lambert Conformal Conic, standard parallels %.1f°%c and %.1f°%c, WGS 84",
                 fabs(a), a < 0 ? 'S' : 'N', fabs(b), b < 0 ? 'S' : 'N');
        return;
    }
    PJ *crs = proj_get_target_crs(p->ctx, p->op);
    const char *name = crs ? proj_get_name(crs) : NULL;
    snprintf(p->description, sizeof p->description, "%s",
             name && *name && strcmp(name, "unknown") != 0 ? name : d);
    proj_destroy(crs);
}

/* Whether token (e.g. "+towgs84") appears in def as a parameter name. */
static bool has_param(const char *def, const char *token)
{
    size_t n = strlen(token);
    for (const char *s = strstr(def, token); s; s = strstr(s + 1, token))
        if ((s == def || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' ' || s[n] == '='))
            return true;
    return false;
}

/*
 * A projection on the WGS 84 ellipsoid with no datum shift (what
 * sm_projection_auto writes) is the conversion alone: PROJ's
 * crs-to-crs search would find that after consulting its database, which
 * costs a render more than drawing its basemap. Anything else (another
 * datum, grids, a prime meridian, an axis order, an authority code) goes
 * through the search. direct_ok says whether the shortcut applies;
 * direct_operation builds it (NULL if PROJ rejects it after all).
 */
static bool direct_ok(const char *def)
{
    static const char *const defer[] = {"+towgs84", "+nadgrids", "+geoidgrids", "+init",
                                        "+pm", "+axis", "+geoc", "+over", "+lon_wrap",
                                        "+vunits", "+to_meter", "+step", "+inv"};
    if (strncmp(def, "+proj=", 6) != 0 || strlen(def) > 400)
        return false;
    if (!has_param(def, "+datum=WGS84") && !has_param(def, "+ellps=WGS84"))
        return false;
    if (strstr(def, "+proj=longlat") || strstr(def, "+proj=latlong") ||
        strstr(def, "+proj=lonlat") || strstr(def, "+proj=latlon") ||
        strstr(def, "+proj=pipeline"))
        return false; /* the target would be in radians, or is not one step */
    for (size_t i = 0; i < sizeof defer / sizeof *defer; i++)
        if (has_param(def, defer[i]))
            return false;
    const char *u = strstr(def, "+units=");
    if (u && strncmp(u, "+units=m", 8) != 0)
        return false;
    return !u || u[8] == '\0' || u[8] == ' ';
}

static PJ *direct_operation(PJ_CONTEXT *ctx, const char *def)
{
    char pipe[600], step[420];
    /* The step must not say "+type=crs" (a CRS is not a pipeline step). */
    size_t k = 0;
    for (const char *s = def; *s && k + 1 < sizeof step;) {
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (!(n == 9 && strncmp(s, "+type=crs", 9) == 0) && !(n == 8 && strncmp(s, "+no_defs", 8) == 0)) {
            if (k + n + 2 > sizeof step)
                return NULL;
            memcpy(step + k, s, n);
            k += n;
            step[k++] = ' ';
        }
        s += n;
        while (*s == ' ')
            s++;
    }
    step[k] = '\0';
    snprintf(pipe, sizeof pipe,
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step %s", step);
    return proj_create(ctx, pipe);
}

sm_status sm_projection_new(const char *definition, sm_projection **out,
                            sm_error *err)
{
    *out = NULL;
    sm_projection *p = calloc(1, sizeof *p);
    if (!p)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    snprintf(p->definition, sizeof p->definition, "%s", definition);
    p->ctx = proj_context_create();
    if (!p->ctx) {
        free(p);
        return sm_error_set(err, SM_ERR_INTERNAL, "PROJ: cannot create a context");
    }
    proj_context_set_enable_network(p->ctx, 0);
    proj_log_level(p->ctx, PJ_LOG_NONE);
    /* "+proj=..." names an operation; "+type=crs" makes it a CRS PROJ can
     * pair with WGS 84 geographic coordinates. */
    char target[600];
    if (definition[0] == '+' && !strstr(definition, "+type=crs"))
        snprintf(target, sizeof target, "%s +type=crs", definition);
    else
        snprintf(target, sizeof target, "%s", definition);
    PJ *op = direct_ok(definition) ? direct_operation(p->ctx, definition) : NULL;
    if (op) {
        p->op = op; /* already longitude first, degrees in, metres out */
        describe(p);
        *out = p;
        return SM_OK;
    }
    op = proj_create_crs_to_crs(p->ctx, "EPSG:4326", target, NULL);
    if (!op) {
        int e = proj_context_errno(p->ctx);
        sm_error_set(err, SM_ERR_PARSE, "projection '%s' not understood by PROJ: %s",
                     definition, proj_context_errno_string(p->ctx, e));
        sm_projection_free(p);
        return SM_ERR_PARSE;
    }
    /* Longitude first, whatever the CRS's own axis order says. */
    p->op = proj_normalize_for_visualization(p->ctx, op);
    proj_destroy(op);
    if (!p->op) {
        sm_projection_free(p);
        return sm_error_set(err, SM_ERR_INTERNAL, "PROJ cannot normalise '%s'", definition);
    }
    describe(p);
    *out = p;
    return SM_OK;
}

void sm_projection_warm_up(void)
{
    /* Settling the network flag makes PROJ find its data directory, which
     * it keeps for the process: it asks the dynamic linker where libproj
     * lives (dladdr), and that would wait while another thread loads GDAL. */
    PJ_CONTEXT *ctx = proj_context_create();
    if (ctx) {
        proj_log_level(ctx, PJ_LOG_NONE);
        proj_context_set_enable_network(ctx, 0);
        proj_context_destroy(ctx);
    }
}

void sm_projection_free(sm_projection *p)
{
    if (!p)
        return;
    proj_destroy(p->op);
    proj_context_destroy(p->ctx);
    free(p);
}

static int trans(const sm_projection *p, PJ_DIRECTION dir, double a, double b,
                 double *x, double *y)
{
    PJ_COORD c = proj_coord(a, b, 0, 0);
    PJ_COORD r = proj_trans(p->op, dir, c);
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y) || r.xy.x == HUGE_VAL) {
        *x = *y = HUGE_VAL;
        return -1;
    }
    *x = r.xy.x;
    *y = r.xy.y;
    return 0;
}

int sm_projection_forward(const sm_projection *p, double lon, double lat,
                          double *x, double *y)
{
    return trans(p, PJ_FWD, lon, lat, x, y);
}

size_t sm_projection_forward_n(const sm_projection *p, const double *lon, const double *lat,
                               double *x, double *y, size_t n)
{
    /* One call for a whole part (proj_trans_generic), the failures marked
     * as sm_projection_forward marks them. */
    for (size_t i = 0; i < n; i++) {
        x[i] = lon[i];
        y[i] = lat[i];
    }
    proj_trans_generic(p->op, PJ_FWD, x, sizeof *x, n, y, sizeof *y, n, NULL, 0, 0, NULL, 0, 0);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL) {
            x[i] = y[i] = HUGE_VAL;
            bad++;
        }
    return bad;
}

int sm_projection_inverse(const sm_projection *p, double x, double y,
                          double *lon, double *lat)
{
    return trans(p, PJ_INV, x, y, lon, lat);
}

const char *sm_projection_definition(const sm_projection *p) { return p->definition; }
const char *sm_projection_description(const sm_projection *p) { return p->description; }
