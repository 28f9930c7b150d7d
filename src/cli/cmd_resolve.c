/* cmd_resolve.c - `sitmap resolve`: names, coordinates, relative positions. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "sitmap/export.h"
#include "sitmap/fold.h"
#include "sitmap/resolve.h"

static const char usage[] =
    "usage: sitmap resolve [--json] [--country CC] [--kind KIND] PLACE...\n"
    "       sitmap resolve [options] -    (one place per line on stdin)\n"
    "\n"
    "Resolve each PLACE to coordinates and say how it matched (exact, alias,\n"
    "folded, fuzzy, coordinate, relative), with what score, and which other\n"
    "places the name may mean.\n"
    "\n"
    "options:\n"
    "  --json          one JSON object per query: query name id lat lon kind\n"
    "                  country match score alternatives precision_km source\n"
    "  --geojson       a GeoJSON FeatureCollection (RFC 7946) of the places\n"
    "  -o FILE         with --geojson: write there (any format export knows)\n"
    "  --precision N   with --geojson: coordinate decimals (default 6)\n"
    "  --country CC    only places in this country (ISO 3166-1 alpha-2)\n"
    "  --kind KIND     only places of this kind (city, town, base, ...)\n"
    "  -h, --help      show this text\n"
    "\n"
    "examples:\n"
    "  sitmap resolve \"Saba' Biyar\" \"Deir Zor\" al-Tanf\n"
    "  sitmap resolve --json \"50 km SE of Damascus\"\n";

typedef struct resolve_opts {
    bool json;
    sm_lookup_options lookup;
    sm_feature_set *geo;   /* --geojson: features collected here */
} resolve_opts;

static void add_text_row(out_table *t, const char *query, const sm_resolution *r)
{
    char lat[32], lon[32], score[16], prec[16];
    out_fmt_num(lat, sizeof lat, r->lat, 5);
    out_fmt_num(lon, sizeof lon, r->lon, 5);
    snprintf(score, sizeof score, "%.2f", r->score);
    if (r->place)
        out_fmt_num(prec, sizeof prec, r->place->precision_km, 1);
    else
        snprintf(prec, sizeof prec, "-");
    const char *cells[] = {query, r->name, lat, lon, out_resolution_kind(r),
                           r->place ? r->place->country : "-",
                           sm_match_name(r->match), score, prec,
                           r->place ? r->place->id : "-",
                           r->place ? r->place->source : "-"};
    out_table_row(t, cells);
}

static int resolve_one(sm_cli *cli, const resolve_opts *o, const char *query,
                       out_table *t, char **notes, size_t *nnotes)
{
    int code = SM_EXIT_OK;
    sm_gazetteer *gz = cli_gazetteer(cli, &code);
    if (!gz)
        return code;
    sm_error err;
    sm_error_init(&err);
    sm_resolution r;
    sm_status st = sm_resolve(gz, query, &o->lookup, &r, &err);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        return cli_exit_for(st);
    }
    if (o->geo) {
        if (sm_feature_add_resolution(o->geo, query, &r) == (size_t)-1) {
            cli_error("out of memory");
            return SM_EXIT_IO;
        }
        return SM_EXIT_OK;
    }
    if (o->json) {
        out_json_line(out_resolution_json(query, &r));
        return SM_EXIT_OK;
    }
    add_text_row(t, query, &r);
    for (size_t i = 0; i < r.n_alternatives; i++) {
        const sm_candidate *c = &r.alternatives[i];
        char *line = malloc(512);
        if (!line)
            break;
        snprintf(line, 512, "'%s' may also mean %s (%s, %s, %s %.2f, %s)", query,
                 c->place->name, c->place->kind, c->place->country,
                 sm_match_name(c->match), c->score, c->place->id);
        notes[(*nnotes)++] = line;
        if (*nnotes >= 256)
            break;
    }
    return SM_EXIT_OK;
}

int cmd_resolve(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"geojson", no_argument, NULL, 'g'},
        {"output", required_argument, NULL, 'o'},
        {"precision", required_argument, NULL, 'p'},
        {"country", required_argument, NULL, 'c'},
        {"kind", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    resolve_opts o = {false, {NULL, NULL}, NULL};
    bool geojson = false;
    const char *out_path = "-";
    sm_export_options eo = {"geojson", 6};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'j': o.json = true; break;
        case 'g': geojson = true; break;
        case 'o': out_path = optarg; break;
        case 'p':
            if (cli_parse_precision(optarg, &eo.precision) != 0)
                return cli_usage_error(cli, "--precision '%s' must be a whole number from 1 to 15", optarg);
            break;
        case 'c': o.lookup.country = optarg; break;
        case 'k': o.lookup.kind = optarg; break;
        case 'h': fputs(usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cli, "resolve needs at least one place");
    if (geojson) {
        o.geo = sm_feature_set_new();
        if (!o.geo) {
            cli_error("out of memory");
            return SM_EXIT_IO;
        }
        if (strcmp(out_path, "-") != 0)
            eo.format = NULL; /* from the file name */
    }
    static const char header0[] = "QUERY";
    const char *header[] = {header0, "NAME", "LAT", "LON", "KIND", "CC", "MATCH",
                            "SCORE", "PREC_KM", "ID", "SOURCE"};
    const bool right[] = {false, false, true, true, false, false, false, true, true,
                          false, false};
    bool tabular = !o.json && !o.geo;
    out_table *t = tabular ? out_table_new(11, header, right) : NULL;
    if (tabular && !t) {
        cli_error("out of memory");
        return SM_EXIT_IO;
    }
    char *notes[256];
    size_t nnotes = 0;
    int code = SM_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            /* One query per line; long lines are refused, not truncated. */
            char line[SM_NAME_MAX + 2];
            long lineno = 0;
            while (fgets(line, sizeof line, stdin)) {
                lineno++;
                size_t n = strlen(line);
                if (n == sizeof line - 1 && line[n - 1] != '\n') {
                    cli_error("stdin:%ld: line over %d bytes", lineno, SM_NAME_MAX);
                    code = cli_worse(code, SM_EXIT_DATA);
                    int c;
                    while ((c = getchar()) != EOF && c != '\n')
                        ;
                    continue;
                }
                while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                    line[--n] = '\0';
                if (n == 0)
                    continue;
                code = cli_worse(code, resolve_one(cli, &o, line, t, notes, &nnotes));
            }
        } else {
            code = cli_worse(code, resolve_one(cli, &o, argv[i], t, notes, &nnotes));
        }
        if (code == SM_EXIT_IO)
            break;
    }
    if (t) {
        out_table_print(t);
        out_table_free(t);
    }
    for (size_t i = 0; i < nnotes; i++) {
        cli_error("note: %s", notes[i]);
        free(notes[i]);
    }
    if (o.geo) {
        sm_error err;
        sm_error_init(&err);
        fflush(stdout);
        if (sm_feature_set_count(o.geo) > 0 &&
            sm_feature_set_write(o.geo, out_path, &eo, &err) != SM_OK) {
            cli_error("%s", err.message);
            code = cli_worse(code, cli_exit_for(err.code));
        }
        sm_feature_set_free(o.geo);
    }
    return code;
}
