/* cmd_dist.c - `sitmap dist`: geodesic distances and bearings, and the batch path. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "sitmap/coord.h"
#include "sitmap/export.h"
#include "sitmap/geo.h"
#include "sitmap/fold.h"
#include "sitmap/resolve.h"

static const char usage[] =
    "usage: sitmap dist [--json] [--matrix] [--country CC] [--kind KIND] PLACE PLACE [PLACE...]\n"
    "       sitmap dist --batch [--json] < pairs.tsv\n"
    "\n"
    "Geodesic distance on WGS 84 (PROJ) for each leg, in km, statute miles and\n"
    "nautical miles, with the initial azimuth and its 16-point compass direction;\n"
    "a total for routes of more than two places.\n"
    "\n"
    "options:\n"
    "  --json          one JSON object per leg: from to distance_m distance_km\n"
    "                  distance_mi distance_nmi azimuth_deg compass\n"
    "  --matrix        every pair of the places instead of the legs of a route\n"
    "  --geojson       the legs as GeoJSON LineStrings along the geodesic, with\n"
    "                  from, to, distance_m, distance_km, distance_mi,\n"
    "                  distance_nmi, azimuth_deg, compass (-o FILE to write there)\n"
    "  --batch         read \"PLACE<TAB>PLACE\" lines from stdin; print one line per\n"
    "                  input line: distance_m<TAB>azimuth_deg<TAB>compass\n"
    "                  (a line that fails prints -<TAB>-<TAB>- and a message)\n"
    "  --country CC    resolve names only to places in this country\n"
    "  --kind KIND     resolve names only to places of this kind\n"
    "  -h, --help      show this text\n"
    "\n"
    "examples:\n"
    "  sitmap dist Damascus \"Sabaa Biyar\" \"Tanf garrison\"\n"
    "  sitmap dist --json \"Bir Qassab\" Damascus\n"
    "  printf '33.51 36.29\\t33.78 37.68\\n' | sitmap dist --batch\n";

typedef struct dist_opts {
    bool json, matrix, batch, geojson;
    sm_lookup_options lookup;
} dist_opts;

typedef struct leg {
    double d, az;
} leg;

static json_object *point_json(const sm_resolution *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", out_json_str(r->name));
    json_object_object_add(o, "lat", out_json_num(r->lat, 6));
    json_object_object_add(o, "lon", out_json_num(r->lon, 6));
    json_object_object_add(o, "id", r->place ? out_json_str(r->place->id) : NULL);
    json_object_object_add(o, "match", out_json_str(sm_match_name(r->match)));
    return o;
}

static json_object *leg_json(const sm_resolution *a, const sm_resolution *b,
                             double d, double az)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "from", point_json(a));
    json_object_object_add(o, "to", point_json(b));
    json_object_object_add(o, "distance_m", out_json_num(d, 3));
    json_object_object_add(o, "distance_km", out_json_num(d / SM_M_PER_KM, 6));
    json_object_object_add(o, "distance_mi", out_json_num(d / SM_M_PER_MI, 6));
    json_object_object_add(o, "distance_nmi", out_json_num(d / SM_M_PER_NMI, 6));
    json_object_object_add(o, "azimuth_deg", out_json_num(az, 6));
    json_object_object_add(o, "compass", out_json_str(sm_compass16(az)));
    return o;
}

static void leg_row(out_table *t, const char *from, const char *to, double d,
                    const double *az)
{
    char km[32], mi[32], nmi[32], azs[32];
    snprintf(km, sizeof km, "%.1f", d / SM_M_PER_KM);
    snprintf(mi, sizeof mi, "%.1f", d / SM_M_PER_MI);
    snprintf(nmi, sizeof nmi, "%.1f", d / SM_M_PER_NMI);
    if (az)
        snprintf(azs, sizeof azs, "%.1f°", *az);
    else
        snprintf(azs, sizeof azs, "-");
    const char *cells[] = {from, to, km, mi, nmi, azs, az ? sm_compass16(*az) : "-"};
    out_table_row(t, cells);
}

/* Say on stderr when a name did not match as written: the reader should know
 * what was measured. */
static void note_resolution(const char *query, const sm_resolution *r)
{
    if (r->match == SM_MATCH_FUZZY)
        cli_error("note: '%s' taken as %s (%s, %s; fuzzy match %.2f)", query,
                  r->name, r->place->kind, r->place->country, r->score);
    if (r->n_alternatives > 0) {
        const sm_place *p = r->place ? r->place : r->anchor;
        const sm_candidate *c = &r->alternatives[0];
        cli_error("note: '%s' taken as %s (%s, %s); it may also mean %s (%s, %s)%s",
                  query, p ? p->name : r->name, p ? p->kind : "-", p ? p->country : "-",
                  c->place->name, c->place->kind, c->place->country,
                  r->n_alternatives > 1 ? " and others" : "");
    }
}

/* ---- the batch path: parse, solve, print, as fast as the geodesic allows */

/* "lat lon" or "lat,lon" as plain decimals; false for anything else, which
 * then goes through the full resolver. */
static bool fast_pair(const char *s, size_t n, double *lat, double *lon)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    size_t k = sm_parse_decimal(s + i, n - i, lat);
    if (!k)
        return false;
    i += k;
    size_t sep = i;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && s[i] == ',') {
        i++;
        while (i < n && s[i] == ' ')
            i++;
    }
    if (i == sep)
        return false;
    k = sm_parse_decimal(s + i, n - i, lon);
    if (!k)
        return false;
    i += k;
    while (i < n && s[i] == ' ')
        i++;
    return i == n && fabs(*lat) <= 90 && fabs(*lon) <= 180;
}

/* Fixed-point decimal into p; returns bytes written. |v| < 9e12/10^dec. */
static size_t put_fixed(char *p, double v, int dec)
{
    static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    char tmp[32];
    size_t n = 0, o = 0;
    if (v < 0) {
        p[o++] = '-';
        v = -v;
    }
    uint64_t x = (uint64_t)llround(v * scale[dec]);
    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x || n <= (size_t)dec);
    while (n > (size_t)dec)
        p[o++] = tmp[--n];
    if (dec) {
        p[o++] = '.';
        while (n)
            p[o++] = tmp[--n];
    }
    return o;
}

typedef struct outbuf {
    char *b;
    size_t n, cap;
    bool failed;
} outbuf;

static void ob_flush(outbuf *o)
{
    if (o->n && fwrite(o->b, 1, o->n, stdout) != o->n)
        o->failed = true;
    o->n = 0;
}

static void ob_put(outbuf *o, const char *s, size_t n)
{
    if (o->n + n > o->cap)
        ob_flush(o);
    if (n > o->cap) {
        if (fwrite(s, 1, n, stdout) != n)
            o->failed = true;
        return;
    }
    memcpy(o->b + o->n, s, n);
    o->n += n;
}

static int resolve_field(sm_cli *cli, const dist_opts *opt, const char *s,
                         size_t n, sm_resolution *r, long lineno, int *code)
{
    if (!opt->json && fast_pair(s, n, &r->lat, &r->lon)) {
        r->match = SM_MATCH_COORDINATE;
        return 1;
    }
    sm_gazetteer *gz = cli_gazetteer(cli, code);
    if (!gz)
        return -1;
    char q[SM_NAME_MAX + 1];
    if (n > SM_NAME_MAX) {
        cli_error("stdin:%ld: place over %d bytes", lineno, SM_NAME_MAX);
        *code = cli_worse(*code, SM_EXIT_DATA);
        return 0;
    }
    memcpy(q, s, n);
    q[n] = '\0';
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_resolve(gz, q, &opt->lookup, r, &err);
    if (st != SM_OK) {
        cli_error("stdin:%ld: %s", lineno, err.message);
        *code = cli_worse(*code, cli_exit_for(st));
        return 0;
    }
    return 1;
}

#define BATCH_LINE_MAX 65536

static int batch_line(sm_cli *cli, const dist_opts *opt, const char *l, size_t n,
                      long lineno, outbuf *ob, int *code)
{
    static const char fail[] = "-\t-\t-\n";
    const char *tab = memchr(l, '\t', n);
    if (n == 0) {
        ob_put(ob, "\n", 1);
        return 0;
    }
    if (!tab) {
        cli_error("stdin:%ld: expected two places separated by a tab", lineno);
        *code = cli_worse(*code, SM_EXIT_DATA);
        ob_put(ob, fail, sizeof fail - 1);
        return 0;
    }
    sm_resolution a, b;
    int ra = resolve_field(cli, opt, l, (size_t)(tab - l), &a, lineno, code);
    if (ra < 0)
        return -1;
    int rb = ra ? resolve_field(cli, opt, tab + 1, n - (size_t)(tab + 1 - l), &b, lineno, code) : 0;
    if (rb < 0)
        return -1;
    if (!ra || !rb) {
        if (opt->json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "line", json_object_new_int64(lineno));
            json_object_object_add(o, "error", json_object_new_string("unresolved"));
            ob_flush(ob);
            out_json_line(o);
        } else {
            ob_put(ob, fail, sizeof fail - 1);
        }
        return 0;
    }
    double d, az;
    sm_geo_inverse(a.lat, a.lon, b.lat, b.lon, &d, &az, NULL);
    if (opt->json) {
        ob_flush(ob);
        out_json_line(leg_json(&a, &b, d, az));
        return 0;
    }
    char buf[96];
    size_t k = put_fixed(buf, d, 3);
    buf[k++] = '\t';
    k += put_fixed(buf + k, az, 6);
    buf[k++] = '\t';
    const char *c = sm_compass16(az);
    size_t cl = strlen(c);
    memcpy(buf + k, c, cl);
    k += cl;
    buf[k++] = '\n';
    ob_put(ob, buf, k);
    return 0;
}

static int run_batch(sm_cli *cli, const dist_opts *opt)
{
    int code = SM_EXIT_OK;
    size_t cap = 1 << 20;
    char *in = malloc(cap + BATCH_LINE_MAX);
    char *ob_mem = malloc(1 << 16);
    if (!in || !ob_mem) {
        free(in);
        free(ob_mem);
        cli_error("out of memory");
        return SM_EXIT_IO;
    }
    outbuf ob = {ob_mem, 0, 1 << 16, false};
    size_t have = 0;
    long lineno = 0;
    bool eof = false, skipping = false;
    while (!eof || have) {
        if (!eof) {
            size_t got = fread(in + have, 1, cap + BATCH_LINE_MAX - have, stdin);
            if (got == 0) {
                if (ferror(stdin)) {
                    cli_error("cannot read stdin");
                    code = SM_EXIT_IO;
                    break;
                }
                eof = true;
            }
            have += got;
        }
        size_t pos = 0;
        for (;;) {
            char *nl = memchr(in + pos, '\n', have - pos);
            if (!nl) {
                if (eof && pos < have && !skipping) {
                    /* the last line, without a newline */
                    lineno++;
                    size_t n = have - pos;
                    if (in[pos + n - 1] == '\r')
                        n--;
                    if (batch_line(cli, opt, in + pos, n, lineno, &ob, &code) < 0)
                        goto out;
                    pos = have;
                }
                break;
            }
            size_t n = (size_t)(nl - (in + pos));
            if (skipping) {
                skipping = false; /* the tail of an overlong line */
                pos += n + 1;
                continue;
            }
            lineno++;
            if (n > BATCH_LINE_MAX) {
                cli_error("stdin:%ld: line over %d bytes", lineno, BATCH_LINE_MAX);
                code = cli_worse(code, SM_EXIT_DATA);
                ob_put(&ob, "-\t-\t-\n", 6);
                pos += n + 1;
                continue;
            }
            if (n && in[pos + n - 1] == '\r')
                n--;
            if (batch_line(cli, opt, in + pos, n, lineno, &ob, &code) < 0)
                goto out;
            pos = (size_t)(nl - in) + 1;
        }
        memmove(in, in + pos, have - pos);
        have -= pos;
        if (have >= cap + BATCH_LINE_MAX - 1) {
            /* No newline in the whole window: an overlong line, reported
             * once however long it runs. */
            if (!skipping) {
                lineno++;
                cli_error("stdin:%ld: line over %d bytes", lineno, BATCH_LINE_MAX);
                code = cli_worse(code, SM_EXIT_DATA);
                ob_put(&ob, "-\t-\t-\n", 6);
            }
            have = 0;
            skipping = true;
        }
        if (eof && have == 0)
            break;
        if (ob.failed)
            break;
    }
out:
    ob_flush(&ob);
    if (ob.failed) {
        cli_error("cannot write output");
        code = SM_EXIT_IO;
    }
    free(in);
    free(ob_mem);
    return code;
}

int cmd_dist(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"matrix", no_argument, NULL, 'm'},
        {"batch", no_argument, NULL, 'b'},
        {"geojson", no_argument, NULL, 'g'},
        {"output", required_argument, NULL, 'o'},
        {"precision", required_argument, NULL, 'p'},
        {"country", required_argument, NULL, 'c'},
        {"kind", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    dist_opts o = {false, false, false, false, {NULL, NULL}};
    const char *out_path = "-";
    sm_export_options eo = {"geojson", 6};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'g': o.geojson = true; break;
        case 'o': out_path = optarg; eo.format = strcmp(optarg, "-") ? NULL : "geojson"; break;
        case 'p':
            if (cli_parse_precision(optarg, &eo.precision) != 0)
                return cli_usage_error(cli, "--precision '%s' must be a whole number from 1 to 15", optarg);
            break;
        case 'j': o.json = true; break;
        case 'm': o.matrix = true; break;
        case 'b': o.batch = true; break;
        case 'c': o.lookup.country = optarg; break;
        case 'k': o.lookup.kind = optarg; break;
        case 'h': fputs(usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (o.batch && o.geojson)
        return cli_usage_error(cli, "--batch and --geojson do not go together");
    if (o.batch) {
        if (optind < argc)
            return cli_usage_error(cli, "--batch reads places from stdin, not arguments");
        if (o.matrix)
            return cli_usage_error(cli, "--batch and --matrix do not go together");
        return run_batch(cli, &o);
    }
    int n = argc - optind;
    if (n < 2)
        return cli_usage_error(cli, "dist needs at least two places");
    int code = SM_EXIT_OK;
    sm_gazetteer *gz = cli_gazetteer(cli, &code);
    if (!gz)
        return code;
    sm_resolution *r = calloc((size_t)n, sizeof *r);
    if (!r) {
        cli_error("out of memory");
        return SM_EXIT_IO;
    }
    for (int i = 0; i < n; i++) {
        sm_error err;
        sm_error_init(&err);
        sm_status st = sm_resolve(gz, argv[optind + i], &o.lookup, &r[i], &err);
        if (st != SM_OK) {
            cli_error("%s", err.message);
            code = cli_worse(code, cli_exit_for(st));
        }
    }
    if (code != SM_EXIT_OK) {
        free(r);
        return code; /* a route with a hole in it measures nothing */
    }
    for (int i = 0; i < n; i++)
        note_resolution(argv[optind + i], &r[i]);
    const char *header[] = {"FROM", "TO", "KM", "MI", "NMI", "AZIMUTH", "DIR"};
    const bool right[] = {false, false, true, true, true, true, false};
    sm_feature_set *fs = o.geojson ? sm_feature_set_new() : NULL;
    out_table *t = o.json || o.geojson ? NULL : out_table_new(7, header, right);
    double total = 0;
    int legs = 0;
    for (int i = 0; i < n; i++) {
        int jend = o.matrix ? n : (i + 2 < n ? i + 2 : n);
        for (int j = i + 1; j < jend; j++) {
            double d, az;
            sm_geo_inverse(r[i].lat, r[i].lon, r[j].lat, r[j].lon, &d, &az, NULL);
            total += d;
            legs++;
            if (fs) {
                size_t f = sm_feature_add_geodesic(fs, r[i].lat, r[i].lon, r[j].lat, r[j].lon);
                sm_feature_set_string(fs, f, "from", r[i].name);
                sm_feature_set_string(fs, f, "to", r[j].name);
                sm_feature_set_string(fs, f, "feature_type", "leg");
                sm_feature_set_real(fs, f, "distance_m", round(d * 1000) / 1000);
                sm_feature_set_real(fs, f, "distance_km", d / SM_M_PER_KM);
                sm_feature_set_real(fs, f, "distance_mi", d / SM_M_PER_MI);
                sm_feature_set_real(fs, f, "distance_nmi", d / SM_M_PER_NMI);
                sm_feature_set_real(fs, f, "azimuth_deg", round(az * 1e6) / 1e6);
                sm_feature_set_string(fs, f, "compass", sm_compass16(az));
            } else if (o.json)
                out_json_line(leg_json(&r[i], &r[j], d, az));
            else if (t)
                leg_row(t, r[i].name, r[j].name, d, &az);
        }
    }
    if (fs) {
        sm_error err;
        sm_error_init(&err);
        fflush(stdout);
        if (sm_feature_set_write(fs, out_path, &eo, &err) != SM_OK) {
            cli_error("%s", err.message);
            code = cli_worse(code, cli_exit_for(err.code));
        }
        sm_feature_set_free(fs);
    } else if (!o.matrix && legs > 1) {
        if (o.json) {
            json_object *tot = json_object_new_object();
            json_object_object_add(tot, "legs", json_object_new_int(legs));
            json_object_object_add(tot, "total_distance_m", out_json_num(total, 3));
            json_object_object_add(tot, "total_distance_km", out_json_num(total / SM_M_PER_KM, 6));
            json_object_object_add(tot, "total_distance_mi", out_json_num(total / SM_M_PER_MI, 6));
            json_object_object_add(tot, "total_distance_nmi", out_json_num(total / SM_M_PER_NMI, 6));
            out_json_line(tot);
        } else if (t) {
            leg_row(t, "TOTAL", "", total, NULL);
        }
    }
    if (t) {
        out_table_print(t);
        out_table_free(t);
    }
    free(r);
    return code;
}
