/* cmd_near.c - `sitmap near`: gazetteer places within a radius, nearest first. */
#include <getopt.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "sitmap/export.h"
#include "sitmap/geo.h"
#include "sitmap/resolve.h"

static const char usage[] =
    "usage: sitmap near PLACE --within DISTANCE [--kind KIND] [--country CC] [--limit N] [--json]\n"
    "\n"
    "Gazetteer places within DISTANCE of PLACE, nearest first, with the\n"
    "geodesic distance and the azimuth from PLACE to each.\n"
    "\n"
    "options:\n"
    "  --within D      radius: 55km, 55 km, 30mi, 10nmi, 500m (bare number: km)\n"
    "  --kind KIND     only places of this kind (base, airbase, town, ...)\n"
    "  --country CC    only places in this country\n"
    "  --limit N       at most N places\n"
    "  --json          one JSON object per place: name id lat lon kind country\n"
    "                  distance_m azimuth_deg compass\n"
    "  --geojson       the places as a GeoJSON FeatureCollection (-o FILE to\n"
    "                  write there)\n"
    "  -h, --help      show this text\n"
    "\n"
    "example:\n"
    "  sitmap near \"Tanf garrison\" --within 55km\n";

int cmd_near(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"within", required_argument, NULL, 'w'},
        {"kind", required_argument, NULL, 'k'},
        {"country", required_argument, NULL, 'c'},
        {"limit", required_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"geojson", no_argument, NULL, 'g'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    bool json = false;
    sm_feature_set *fs = NULL;
    bool want_geojson = false;
    const char *out_path = "-";
    sm_export_options eo = {"geojson", 6};
    double radius = -1;
    long limit = -1;
    sm_lookup_options filt = {NULL, NULL};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'g': want_geojson = true; break;
        case 'o': out_path = optarg; eo.format = strcmp(optarg, "-") ? NULL : "geojson"; break;
        case 'w':
            if (!cli_parse_distance(optarg, &radius))
                return cli_usage_error(cli, "--within '%s' is not a distance such as 55km", optarg);
            break;
        case 'k': filt.kind = optarg; break;
        case 'c': filt.country = optarg; break;
        case 'l': {
            char *end;
            limit = strtol(optarg, &end, 10);
            if (*end || limit < 1)
                return cli_usage_error(cli, "--limit '%s' is not a positive whole number", optarg);
            break;
        }
        case 'j': json = true; break;
        case 'h': fputs(usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(cli, "near needs exactly one place");
    if (radius < 0)
        return cli_usage_error(cli, "near needs --within DISTANCE");
    const char *k = filt.kind;
    if (k) {
        const char *const *all = sm_gazetteer_kinds();
        bool ok = false;
        for (int i = 0; all[i]; i++)
            if (strcmp(all[i], k) == 0)
                ok = true;
        if (!ok)
            return cli_usage_error(cli, "unknown kind '%s'", k);
    }
    int code = SM_EXIT_OK;
    sm_gazetteer *gz = cli_gazetteer(cli, &code);
    if (!gz)
        return code;
    sm_error err;
    sm_error_init(&err);
    sm_resolution c;
    /* The centre is any place; the filters are for what is found near it. */
    sm_status st = sm_resolve(gz, argv[optind], NULL, &c, &err);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        return cli_exit_for(st);
    }
    if (want_geojson && !(fs = sm_feature_set_new())) {
        cli_error("out of memory");
        return SM_EXIT_IO;
    }
    sm_nearby *v;
    size_t n;
    st = sm_gazetteer_near(gz, c.lat, c.lon, radius, &filt, &v, &n, &err);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        sm_feature_set_free(fs);
        return cli_exit_for(st);
    }
    const char *header[] = {"NAME", "KIND", "CC", "KM", "AZIMUTH", "DIR", "ID"};
    const bool right[] = {false, false, false, true, true, false, false};
    out_table *t = json || fs ? NULL : out_table_new(7, header, right);
    long shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].place == c.place)
            continue; /* a place is not near itself */
        if (limit > 0 && shown >= limit)
            break;
        shown++;
        const sm_place *p = v[i].place;
        if (fs) {
            double ll[2] = {p->lon, p->lat};
            size_t f = sm_feature_add(fs, SM_FEATURE_POINT, ll, 1);
            sm_feature_set_string(fs, f, "name", p->name);
            sm_feature_set_string(fs, f, "feature_type", "place");
            sm_feature_set_string(fs, f, "gazetteer_id", p->id);
            sm_feature_set_string(fs, f, "kind", p->kind);
            sm_feature_set_string(fs, f, "country", p->country);
            sm_feature_set_string(fs, f, "source", p->source);
            sm_feature_set_real(fs, f, "distance_m", round(v[i].distance_m * 1000) / 1000);
            sm_feature_set_real(fs, f, "azimuth_deg", round(v[i].azimuth_deg * 1e6) / 1e6);
            sm_feature_set_string(fs, f, "compass", sm_compass16(v[i].azimuth_deg));
        } else if (json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "name", out_json_str(p->name));
            json_object_object_add(o, "id", out_json_str(p->id));
            json_object_object_add(o, "lat", out_json_num(p->lat, 6));
            json_object_object_add(o, "lon", out_json_num(p->lon, 6));
            json_object_object_add(o, "kind", out_json_str(p->kind));
            json_object_object_add(o, "country", out_json_str(p->country));
            json_object_object_add(o, "distance_m", out_json_num(v[i].distance_m, 3));
            json_object_object_add(o, "azimuth_deg", out_json_num(v[i].azimuth_deg, 6));
            json_object_object_add(o, "compass", out_json_str(sm_compass16(v[i].azimuth_deg)));
            out_json_line(o);
        } else if (t) {
            char km[32], az[32];
            snprintf(km, sizeof km, "%.1f", v[i].distance_m / SM_M_PER_KM);
            snprintf(az, sizeof az, "%.1f°", v[i].azimuth_deg);
            const char *cells[] = {p->name, p->kind, p->country, km, az,
                                   sm_compass16(v[i].azimuth_deg), p->id};
            out_table_row(t, cells);
        }
    }
    if (t) {
        out_table_print(t);
        out_table_free(t);
    }
    free(v);
    if (fs) {
        if (shown > 0) {
            fflush(stdout);
            if (sm_feature_set_write(fs, out_path, &eo, &err) != SM_OK) {
                cli_error("%s", err.message);
                sm_feature_set_free(fs);
                return cli_exit_for(err.code);
            }
        }
        sm_feature_set_free(fs);
    }
    if (shown == 0) {
        char rs[32];
        out_fmt_num(rs, sizeof rs, radius / 1000.0, 3);
        cli_error("no places within %s km of %s", rs, c.name);
        return SM_EXIT_NOT_FOUND;
    }
    return SM_EXIT_OK;
}
