/* cmd_render.c - `sitmap render`: a briefing file to a PNG, PDF or SVG map. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "sitmap/basemap.h"
#include "sitmap/briefing.h"
#include "sitmap/render.h"

static const char usage[] =
    "usage: sitmap render BRIEFING -o FILE [--format png|pdf|svg] [--dpi N]\n"
    "                     [--basemap FILE|none] [--layout-json FILE]\n"
    "\n"
    "Draw the briefing file (YAML, see docs/briefing-format.md) as a map: PNG\n"
    "for slides, PDF for print (vector, text as text), SVG for editing. The\n"
    "format follows the file name unless --format says otherwise. The file is\n"
    "written beside its target and renamed into place: a failed render never\n"
    "leaves a half-written map.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      the map to write\n"
    "  --format FMT           png, pdf or svg\n"
    "  --dpi N                PNG resolution (default: the briefing's, else 150)\n"
    "  --basemap FILE|none    basemap GeoPackage (default: $SITMAP_BASEMAP, else\n"
    "                         " SITMAP_BASEMAP_PATH ")\n"
    "  --layout-json FILE     also write every label, symbol and furniture box in\n"
    "                         page points as JSON ('-' for stdout)\n"
    "  -h, --help             show this text\n"
    "\n"
    "example:\n"
    "  sitmap render examples/badia-2017-05.yaml -o output/badia-2017-05.png\n";

static json_object *box_json(const sm_layout_item *it)
{
    json_object *a = json_object_new_array();
    json_object_array_add(a, out_json_num(it->x, 2));
    json_object_array_add(a, out_json_num(it->y, 2));
    json_object_array_add(a, out_json_num(it->w, 2));
    json_object_array_add(a, out_json_num(it->h, 2));
    return a;
}

static json_object *layout_json(const sm_layout *l, const char *map_path)
{
    static const char *const types[] = {"label", "symbol", "furniture", "leader"};
    json_object *o = json_object_new_object();
    json_object_object_add(o, "map", out_json_str(map_path));
    json_object *page = json_object_new_object();
    json_object_object_add(page, "width_pt", out_json_num(l->page_width_pt, 2));
    json_object_object_add(page, "height_pt", out_json_num(l->page_height_pt, 2));
    json_object_object_add(page, "px_per_pt", out_json_num(l->px_per_pt, 6));
    json_object_object_add(o, "page", page);
    json_object *fr = json_object_new_array();
    for (int i = 0; i < 4; i++)
        json_object_array_add(fr, out_json_num(l->frame[i], 2));
    json_object_object_add(o, "frame", fr);
    json_object *ex = json_object_new_array();
    for (int i = 0; i < 4; i++)
        json_object_array_add(ex, out_json_num(l->extent[i], 6));
    json_object_object_add(o, "extent", ex);
    json_object_object_add(o, "center_lat", out_json_num(l->center_lat, 6));
    json_object_object_add(o, "center_lon", out_json_num(l->center_lon, 6));
    json_object_object_add(o, "projection", out_json_str(sm_projection_definition(l->projection)));
    json_object *items = json_object_new_array();
    for (size_t i = 0; i < l->n_items; i++) {
        const sm_layout_item *it = &l->items[i];
        json_object *j = json_object_new_object();
        json_object_object_add(j, "type", out_json_str(types[it->type]));
        json_object_object_add(j, "kind", out_json_str(it->kind));
        if (it->text)
            json_object_object_add(j, "text", out_json_str(it->text));
        json_object_object_add(j, "box", box_json(it));
        if (it->type == SM_ITEM_SYMBOL) {
            json_object *a = json_object_new_array();
            json_object_array_add(a, out_json_num(it->anchor_x, 2));
            json_object_array_add(a, out_json_num(it->anchor_y, 2));
            json_object_object_add(j, "anchor", a);
            json_object_object_add(j, "lat", out_json_num(it->lat, 6));
            json_object_object_add(j, "lon", out_json_num(it->lon, 6));
            char hex[8];
            snprintf(hex, sizeof hex, "#%02x%02x%02x", (int)(it->fill[0] * 255 + 0.5),
                     (int)(it->fill[1] * 255 + 0.5), (int)(it->fill[2] * 255 + 0.5));
            json_object_object_add(j, "fill", out_json_str(hex));
        }
        if (it->type == SM_ITEM_LEADER) {
            json_object *a = json_object_new_array(), *b = json_object_new_array();
            json_object_array_add(a, out_json_num(it->anchor_x, 2));
            json_object_array_add(a, out_json_num(it->anchor_y, 2));
            json_object_array_add(b, out_json_num(it->end_x, 2));
            json_object_array_add(b, out_json_num(it->end_y, 2));
            json_object_object_add(j, "from", a);
            json_object_object_add(j, "to", b);
        }
        if (strcmp(it->kind, "scale_bar") == 0) {
            json_object_object_add(j, "distance_m", out_json_num(it->value, 3));
            json_object_object_add(j, "length_pt", out_json_num(it->length_pt, 3));
        }
        if (strcmp(it->kind, "north_arrow") == 0)
            json_object_object_add(j, "bearing_deg", out_json_num(it->value, 3));
        json_object_array_add(items, j);
    }
    json_object_object_add(o, "items", items);
    json_object *w = json_object_new_array();
    for (size_t i = 0; i < l->n_warnings; i++)
        json_object_array_add(w, out_json_str(l->warnings[i]));
    json_object_object_add(o, "warnings", w);
    return o;
}

static int write_layout(const sm_layout *l, const char *map_path, const char *path)
{
    json_object *o = layout_json(l, map_path);
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE);
    int code = SM_EXIT_OK;
    if (strcmp(path, "-") == 0) {
        puts(s);
    } else {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
        FILE *fp = fopen(tmp, "w");
        if (!fp || fputs(s, fp) < 0 || fputc('\n', fp) == EOF || fclose(fp) != 0) {
            cli_error("cannot write '%s': %s", path, strerror(errno));
            unlink(tmp);
            code = SM_EXIT_IO;
        } else if (rename(tmp, path) != 0) {
            cli_error("cannot write '%s': %s", path, strerror(errno));
            unlink(tmp);
            code = SM_EXIT_IO;
        }
    }
    json_object_put(o);
    return code;
}

int cmd_render(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"dpi", required_argument, NULL, 'd'},
        {"basemap", required_argument, NULL, 'b'},
        {"layout-json", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL, *fmt = NULL, *layout_path = NULL;
    const char *env = getenv("SITMAP_BASEMAP");
    const char *basemap = env && *env ? env : SITMAP_BASEMAP_PATH;
    double dpi = 0;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': out = optarg; break;
        case 'f': fmt = optarg; break;
        case 'b': basemap = optarg; break;
        case 'l': layout_path = optarg; break;
        case 'd': {
            char *end;
            dpi = strtod(optarg, &end);
            if (*end || dpi < 36 || dpi > 1200)
                return cli_usage_error(cli, "--dpi '%s' must be a number from 36 to 1200", optarg);
            break;
        }
        case 'h': fputs(usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(cli, "render needs exactly one briefing file");
    if (!out)
        return cli_usage_error(cli, "render needs -o FILE");
    sm_error err;
    sm_error_init(&err);
    sm_render_options o = {NULL, SM_RENDER_PNG, dpi};
    if (fmt) {
        char probe[16];
        snprintf(probe, sizeof probe, "x.%s", fmt);
        if (sm_render_format_from_path(probe, &o.format, &err) != SM_OK)
            return cli_usage_error(cli, "--format '%s' is not png, pdf or svg", fmt);
    } else if (sm_render_format_from_path(out, &o.format, &err) != SM_OK) {
        return cli_usage_error(cli, "%s", err.message);
    }
    if (strcmp(basemap, "none") != 0) {
        if (access(basemap, R_OK) != 0) {
            cli_error("basemap '%s' not found: run ./scripts/setup to prepare it, or pass --basemap none",
                      basemap);
            return SM_EXIT_IO;
        }
        o.basemap = basemap;
    }
    /* GDAL loads on the second core while this one reads the gazetteer,
     * the briefing and the fonts. */
    if (o.basemap)
        sm_render_preload();
    int code = SM_EXIT_OK;
    sm_gazetteer *gz = cli_gazetteer(cli, &code);
    if (!gz)
        return code;
    sm_briefing *b;
    sm_status st = sm_briefing_load(argv[optind], gz, &b, &err);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        return st == SM_ERR_NOT_FOUND ? SM_EXIT_DATA : cli_exit_for(st);
    }
    sm_layout *l = NULL;
    st = sm_render(b, out, &o, &l, &err);
    sm_briefing_free(b);
    if (st != SM_OK) {
        cli_error("%s", err.message);
        return cli_exit_for(st);
    }
    for (size_t i = 0; i < l->n_warnings; i++)
        cli_error("warning: %s", l->warnings[i]);
    if (layout_path)
        code = write_layout(l, out, layout_path);
    sm_layout_free(l);
    return code;
}
