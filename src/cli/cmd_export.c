/* cmd_export.c - `sitmap export`: a briefing's features to GeoJSON and other GIS formats. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sitmap/basemap.h"
#include "sitmap/briefing.h"
#include "sitmap/export.h"

static const char usage[] =
    "usage: sitmap export BRIEFING -o FILE [--format FMT] [--precision N]\n"
    "\n"
    "Write every feature of the briefing through GDAL/OGR: places, units,\n"
    "events and notes as points, movements as lines along the geodesic, zones\n"
    "as polygons (geodesic circles densified, right-hand rule), routes as\n"
    "lines, with the properties a reader needs to trust them (name,\n"
    "feature_type, kind, side, status, label, date, source, query,\n"
    "gazetteer_id, match, score, distance_m, azimuth_deg, radius_m, area_km2).\n"
    "The features of the briefing's layers follow, with feature_type 'layer',\n"
    "the layer's title, and name (the label column), side and date.\n"
    "\n"
    "GeoJSON is written as RFC 7946 (longitude first, WGS 84, no crs member,\n"
    "counter-clockwise exterior rings, antimeridian split). The format follows\n"
    "the file name: .geojson .gpkg .fgb .kml .csv (WKT and lon/lat columns)\n"
    ".shp (points, _lines and _polygons files); '-o -' writes GeoJSON to stdout.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   where to write ('-' for stdout)\n"
    "  --format FMT        geojson, gpkg, fgb, kml, csv or shp\n"
    "  --precision N       GeoJSON coordinate decimals (default 6, about 10 cm)\n"
    "  -h, --help          show this text\n"
    "\n"
    "example:\n"
    "  sitmap export examples/badia-2017-05.yaml -o output/badia-2017-05.geojson\n";

int cli_parse_precision(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 15)
        return -1;
    *out = (int)v;
    return 0;
}

int cmd_export(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"precision", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL;
    sm_export_options o = {NULL, 6};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': out = optarg; break;
        case 'f': o.format = optarg; break;
        case 'p':
            if (cli_parse_precision(optarg, &o.precision) != 0)
                return cli_usage_error(cli, "--precision '%s' must be a whole number from 1 to 15", optarg);
            break;
        case 'h': fputs(usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(cli, "export needs exactly one briefing file");
    if (!out)
        return cli_usage_error(cli, "export needs -o FILE (or -o - for stdout)");
    sm_gdal_preload(); /* GDAL writes the file: it loads while the briefing is read */
    int code = SM_EXIT_OK;
    sm_gazetteer *gz = cli_gazetteer(cli, &code);
    if (!gz)
        return code;
    sm_error err;
    sm_error_init(&err);
    sm_briefing *b;
    sm_status st = sm_briefing_load(argv[optind], gz, &b, &err);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        return st == SM_ERR_NOT_FOUND ? SM_EXIT_DATA : cli_exit_for(st);
    }
    sm_feature_set *fs = sm_feature_set_new();
    st = fs ? sm_feature_set_add_briefing(fs, b, &err) : sm_error_set(&err, SM_ERR_NOMEM, "out of memory");
    if (st == SM_OK) {
        fflush(stdout);
        st = sm_feature_set_write_with_layers(fs, b->layers, b->n_layers, out, &o, &err);
    }
    sm_feature_set_free(fs);
    sm_briefing_free(b);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        return cli_exit_for(st);
    }
    return SM_EXIT_OK;
}
