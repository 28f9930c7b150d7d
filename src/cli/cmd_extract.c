/* cmd_extract.c - `sitmap extract` and `sitmap check`: places and claims in report text. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "output.h"
#include "sitmap/export.h"
#include "sitmap/geo.h"
#include "sitmap/report.h"

#define REPORT_MAX (256L * 1024 * 1024)

static const char extract_usage[] =
    "usage: sitmap extract [--json | --geojson | --briefing] REPORT\n"
    "\n"
    "Find every gazetteer place the report mentions, in any spelling the\n"
    "gazetteer folds (\"Saba' Biyar\", \"Sabaa Biyar\", \"al-Tanf\"), longest name\n"
    "first, leaving out people's names and demonyms, and marking capitals that\n"
    "stand for their governments and the dateline the report was filed from.\n"
    "English or Arabic text. REPORT is a UTF-8 text file, or - for stdin.\n"
    "\n"
    "options:\n"
    "  --json       one JSON object per mention: start end text name id lat lon\n"
    "               kind country match score role (place, government, dateline)\n"
    "               candidates (byte offsets, end exclusive)\n"
    "  --geojson    the places as a FeatureCollection, each with its mentions\n"
    "  --briefing   a draft briefing file (YAML) that sitmap render accepts\n"
    "  -h, --help   show this text\n";

static const char check_usage[] =
    "usage: sitmap check [--json] [--basemap FILE] REPORT\n"
    "\n"
    "Find the report's distance and direction claims (\"X, some 50 km (30 miles)\n"
    "southeast of Y\", \"N miles to the north of Y\", \"N km from/outside Y\",\n"
    "\"within N km of Y\") and judge each against the geodesic: consistent\n"
    "(within the figure's rounding and the places' precision, the direction\n"
    "within its compass sector), inconsistent, or unresolved (which place was\n"
    "not found). \"X, near the border with Iraq\" and \"near the Iraqi border\"\n"
    "are measured to the country's boundary on the basemap; \"near\" allows up\n"
    "to 150 km. Exit 1 when a claim is inconsistent.\n"
    "\n"
    "options:\n"
    "  --json       one JSON object per claim: text from to claimed_m computed_m\n"
    "               claimed_direction computed_azimuth_deg verdict tolerance_m reason\n"
    "               kind (distance or border) at_most (a \"within\" claim)\n"
    "  --basemap FILE  countries for border claims (default: $SITMAP_BASEMAP, else\n"
    "               the bundled basemap)\n"
    "  -h, --help   show this text\n";

static char *read_all(const char *path, size_t *len, int *code)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        cli_error("cannot open report '%s': %s", path, strerror(errno));
        *code = SM_EXIT_IO;
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= (size_t)REPORT_MAX) {
                cli_error("report '%s' is over %ld bytes", path, REPORT_MAX);
                free(buf);
                buf = NULL;
                *code = SM_EXIT_DATA;
                break;
            }
            char *b2 = realloc(buf, cap * 2);
            if (!b2) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b2;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (fp != stdin)
        fclose(fp);
    if (!buf && *code == SM_EXIT_OK) {
        cli_error("out of memory reading '%s'", path);
        *code = SM_EXIT_IO;
    }
    *len = n;
    return buf;
}

static json_object *mention_json(const sm_mention *m)
{
    const sm_place *p = m->best.place;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "start", json_object_new_int64((int64_t)m->start));
    json_object_object_add(o, "end", json_object_new_int64((int64_t)m->end));
    json_object_object_add(o, "text", out_json_str(m->text));
    json_object_object_add(o, "name", out_json_str(p->name));
    json_object_object_add(o, "id", out_json_str(p->id));
    json_object_object_add(o, "lat", out_json_num(p->lat, 6));
    json_object_object_add(o, "lon", out_json_num(p->lon, 6));
    json_object_object_add(o, "kind", out_json_str(p->kind));
    json_object_object_add(o, "country", out_json_str(p->country));
    json_object_object_add(o, "match", out_json_str(sm_match_name(m->best.match)));
    json_object_object_add(o, "score", out_json_num(m->best.score, 2));
    json_object_object_add(o, "role", out_json_str(sm_mention_role_name(m->role)));
    json_object_object_add(o, "candidates", json_object_new_int64((int64_t)m->n_candidates));
    return o;
}

/* YAML double-quoted scalar, escaped by hand but only " and \ matter here;
 * the draft is YAML, not JSON. */
static void yaml_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', fp);
        if ((unsigned char)*s < 0x20) /* a control character: not in a scalar */
            fputc(' ', fp);
        else
            fputc(*s, fp);
    }
    fputc('"', fp);
}

/* The start of the nearest trigger word before pos in the same sentence and
 * at most 100 bytes back, or (size_t)-1. */
static size_t trigger_before(const char *t, size_t len, size_t pos, const char *const *words)
{
    (void)len;
    size_t from = pos > 100 ? pos - 100 : 0;
    for (size_t p = pos; p > from; p--) {
        char c = t[p - 1];
        if (c == '.' || c == '!' || c == '?' || (c == '\n' && p >= 2 && t[p - 2] == '\n')) {
            from = p;
            break;
        }
    }
    size_t best = (size_t)-1;
    for (int i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        for (size_t p = from; p + n <= pos; p++)
            if (strncasecmp(t + p, words[i], n) == 0 &&
                (p == 0 || !isalpha((unsigned char)t[p - 1])) &&
                !isalpha((unsigned char)t[p + n]) && (best == (size_t)-1 || p > best))
                best = p;
    }
    return best;
}

/* True when the word just before pos (spaces and "the town of" aside) is w. */
static bool word_before(const char *t, size_t pos, const char *w)
{
    static const char *const fillers[] = {"the", "town", "city", "village", "of", "base",
                                          "camp", NULL};
    size_t p = pos;
    for (int guard = 0; guard < 6; guard++) {
        while (p > 0 && isspace((unsigned char)t[p - 1]))
            p--;
        size_t e = p;
        while (p > 0 && isalpha((unsigned char)t[p - 1]))
            p--;
        size_t n = e - p;
        if (n == 0)
            return false;
        if (n == strlen(w) && strncasecmp(t + p, w, n) == 0)
            return true;
        bool filler = false;
        for (int i = 0; fillers[i]; i++)
            filler |= n == strlen(fillers[i]) && strncasecmp(t + p, fillers[i], n) == 0;
        if (!filler)
            return false;
    }
    return false;
}

/* The clause from a trigger word to the end of its place, on one line,
 * shortened in the middle when long. */
static void clause_of(const char *t, size_t s, size_t e, char *out, size_t cap)
{
    char buf[512];
    size_t n = 0;
    for (size_t p = s; p < e && n + 1 < sizeof buf; p++) {
        char c = t[p];
        if (isspace((unsigned char)c)) {
            if (n > 0 && buf[n - 1] == ' ')
                continue;
            c = ' ';
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    if (n > 0 && islower((unsigned char)buf[0]))
        buf[0] = (char)toupper((unsigned char)buf[0]);
    if (n + 1 <= cap || cap < 20) {
        snprintf(out, cap, "%s", buf);
        return;
    }
    /* keep the verb and the place: "Moved ... to Sabaa Biyar"; cut at
     * UTF-8 boundaries */
    size_t head = (cap - 6) / 2, tail = cap - 6 - head;
    while (head > 0 && ((unsigned char)buf[head] & 0xC0) == 0x80)
        head--;
    size_t ts = n - tail;
    while (ts < n && ((unsigned char)buf[ts] & 0xC0) == 0x80)
        ts++;
    snprintf(out, cap, "%.*s … %s", (int)head, buf, buf + ts);
}

/* True when another place is named between a trigger at w and mention i:
 * "shelled Daraa, 100 km south of Damascus" is about Daraa only. */
static bool place_between(const char *t, const sm_mention *m, size_t i, size_t w)
{
    /* "seized Umm X, 30 km east of Palmyra": Palmyra only locates it */
    for (size_t p = w; p < m[i].start; p++)
        if (isdigit((unsigned char)t[p]))
            return true;
    for (size_t k = i; k-- > 0 && m[k].start >= w;)
        if (m[k].role == SM_ROLE_PLACE && strcmp(m[k].best.place->kind, "country") != 0)
            return true;
    return false;
}

/* A set of places (or pairs of them): a draft names each once, however
 * often a long text repeats it. Distinct places are few (the gazetteer's),
 * so a list does. */
typedef struct pset {
    const sm_place **v;
    size_t n, cap;
} pset;

/* True when (a, b) was not yet in the set, and adds it; b may be NULL. */
static bool pset_add(pset *ps, const sm_place *a, const sm_place *b)
{
    for (size_t i = 0; i + 1 < ps->n; i += 2)
        if (ps->v[i] == a && ps->v[i + 1] == b)
            return false;
    if (ps->n + 2 > ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 64;
        const sm_place **v = realloc(ps->v, nc * sizeof *v);
        if (!v)
            return false; /* out of memory: the draft names fewer */
        ps->v = v;
        ps->cap = nc;
    }
    ps->v[ps->n++] = a;
    ps->v[ps->n++] = b;
    return true;
}

static void write_briefing(const char *t, size_t len, const sm_mention *m, size_t n)
{
    /* title: the report's first line */
    size_t e = 0;
    while (e < len && t[e] != '\n')
        e++;
    char title[256];
    snprintf(title, sizeof title, "%.*s", (int)(e < 200 ? e : 200), t);
    printf("# Draft briefing made by sitmap extract: check it before it goes out.\n");
    printf("title: ");
    yaml_str(stdout, title[0] ? title : "Report");
    printf("\nsources:\n  - ");
    yaml_str(stdout, title[0] ? title : "the report");
    printf("\nplaces:\n");
    pset places = {0}, route_set = {0}, strikes = {0}, shellings = {0}, pairs = {0}, noted = {0};
    for (size_t i = 0; i < n; i++) {
        const sm_place *p = m[i].best.place;
        if (m[i].role != SM_ROLE_PLACE || strcmp(p->kind, "country") == 0 ||
            p->geometry != SM_GEOM_POINT || !pset_add(&places, p, NULL))
            continue;
        printf("  - ");
        yaml_str(stdout, p->name);
        printf("\n");
    }
    /* the routes it names */
    bool routes = false;
    for (size_t i = 0; i < n; i++) {
        const sm_place *p = m[i].best.place;
        if (p->geometry != SM_GEOM_LINE || !pset_add(&route_set, p, NULL))
            continue;
        if (!routes)
            printf("routes:\n");
        routes = true;
        printf("  - ");
        yaml_str(stdout, p->name);
        printf("\n");
    }
    /* what the report says happened where: "struck X" as an event, "from A
     * ... to B" as a movement, "moved to X" and "captured X" as a note (the
     * report rarely says where a force came from, and a draft must not
     * invent it) */
    static const char *const strike[] = {"struck", "strikes on", "air strike", "airstrike",
                                         "bombed", "bombing", NULL};
    static const char *const shell[] = {"shelled", "shelling", NULL};
    static const char *const moved[] = {"moved", "moving", "sent", "sends", "advanced",
                                        "advancing", "pushed", "reinforcements", NULL};
    static const char *const took[] = {"captured", "seized", "took control", "retook",
                                       "recaptured", NULL};
    bool events = false, notes_h = false, moves = false;
    char clause[120];
    for (size_t i = 0; i < n; i++) {
        const sm_place *p = m[i].best.place;
        if (m[i].role != SM_ROLE_PLACE || p->geometry != SM_GEOM_POINT ||
            strcmp(p->kind, "country") == 0)
            continue;
        size_t w;
        const char *type = NULL;
        if ((w = trigger_before(t, len, m[i].start, strike)) != (size_t)-1)
            type = "airstrike";
        else if ((w = trigger_before(t, len, m[i].start, shell)) != (size_t)-1)
            type = "shelling";
        if (!type || place_between(t, m, i, w) ||
            !pset_add(type[0] == 'a' ? &strikes : &shellings, p, NULL))
            continue;
        if (!events)
            printf("events:\n");
        events = true;
        printf("  - at: ");
        yaml_str(stdout, p->name);
        printf("\n    type: %s\n    label: ", type);
        clause_of(t, w, m[i].end, clause, sizeof clause);
        yaml_str(stdout, clause);
        printf("\n");
    }
    /* movements: a place after "from" and one after "to"/"toward" in the
     * clause of a movement word */
    for (size_t i = 0; i < n; i++) {
        const sm_place *p = m[i].best.place;
        if (m[i].role != SM_ROLE_PLACE || p->geometry != SM_GEOM_POINT ||
            strcmp(p->kind, "country") == 0 || !word_before(t, m[i].start, "from"))
            continue;
        for (size_t k = i + 1; k < n && m[k].start < m[i].end + 120; k++) {
            const sm_place *q = m[k].best.place;
            if (m[k].role != SM_ROLE_PLACE || q->geometry != SM_GEOM_POINT || q == p ||
                strcmp(q->kind, "country") == 0 || !(word_before(t, m[k].start, "to") ||
                                                     word_before(t, m[k].start, "toward") ||
                                                     word_before(t, m[k].start, "towards")))
                continue;
            if (trigger_before(t, len, m[i].start, moved) == (size_t)-1 || !pset_add(&pairs, p, q))
                break;
            if (!moves)
                printf("movements:\n");
            moves = true;
            printf("  - from: ");
            yaml_str(stdout, p->name);
            printf("\n    to: ");
            yaml_str(stdout, q->name);
            printf("\n    affiliation: unknown\n    status: reported\n");
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const sm_place *p = m[i].best.place;
        if (m[i].role != SM_ROLE_PLACE || p->geometry != SM_GEOM_POINT ||
            strcmp(p->kind, "country") == 0)
            continue;
        size_t w = trigger_before(t, len, m[i].start, took);
        if (w == (size_t)-1)
            w = trigger_before(t, len, m[i].start, moved);
        if (w == (size_t)-1 || word_before(t, m[i].start, "from") || place_between(t, m, i, w))
            continue;
        if (!pset_add(&noted, p, NULL))
            continue;
        if (!notes_h)
            printf("notes:\n");
        notes_h = true;
        printf("  - at: ");
        yaml_str(stdout, p->name);
        printf("\n    text: ");
        clause_of(t, w, m[i].end, clause, sizeof clause);
        yaml_str(stdout, clause);
        printf("\n");
    }
    free(places.v);
    free(route_set.v);
    free(strikes.v);
    free(shellings.v);
    free(pairs.v);
    free(noted.v);
}

/* A report error at line:column names the report file, not "report". */
static void report_error(const char *path, const sm_error *err)
{
    size_t fl = strlen(err->file);
    if (err->line > 0 && fl > 0 && strncmp(err->message, err->file, fl) == 0 &&
        err->message[fl] == ':')
        cli_error("%s%s", strcmp(path, "-") == 0 ? "<stdin>" : path, err->message + fl);
    else
        cli_error("%s: %s", path, err->message);
}

/* What extract and check both start with: the gazetteer, the report's
 * text and its mentions. NULL with *code set when any fails (said on
 * stderr); otherwise the caller frees the text and the mentions. */
static char *read_report(sm_cli *cli, const char *path, const sm_gazetteer **gz_out,
                         size_t *len, sm_mention **m, size_t *n, int *code)
{
    *code = SM_EXIT_OK;
    sm_gazetteer *gz = cli_gazetteer(cli, code);
    if (!gz)
        return NULL;
    char *text = read_all(path, len, code);
    if (!text)
        return NULL;
    sm_error err;
    sm_error_init(&err);
    sm_status st = sm_report_extract(gz, text, *len, m, n, &err);
    if (st != SM_OK) {
        report_error(path, &err);
        free(text);
        *code = cli_exit_for(st);
        return NULL;
    }
    *gz_out = gz;
    return text;
}

int cmd_extract(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"geojson", no_argument, NULL, 'g'},
        {"briefing", no_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int mode = 0, ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'j': mode = 1; break;
        case 'g': mode = 2; break;
        case 'b': mode = 3; break;
        case 'h': fputs(extract_usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(cli, "extract needs exactly one report (or - for stdin)");
    int code;
    const sm_gazetteer *gz;
    size_t len, n;
    sm_mention *m;
    char *text = read_report(cli, argv[optind], &gz, &len, &m, &n, &code);
    if (!text)
        return code;
    if (mode == 1) {
        for (size_t i = 0; i < n; i++)
            out_json_line(mention_json(&m[i]));
    } else if (mode == 2) {
        /* built with json-c rather than through OGR: each place carries
         * its mentions as an array of objects, which OGR fields cannot */
        json_object *fc = json_object_new_object(), *feats = json_object_new_array();
        json_object_object_add(fc, "type", json_object_new_string("FeatureCollection"));
        for (size_t i = 0; i < n; i++) {
            const sm_place *p = m[i].best.place;
            bool first = m[i].role == SM_ROLE_PLACE;
            for (size_t k = 0; first && k < i; k++)
                first = !(m[k].best.place == p && m[k].role == SM_ROLE_PLACE);
            if (!first)
                continue;
            json_object *f = json_object_new_object(), *g = json_object_new_object();
            json_object *pr = json_object_new_object(), *xy = json_object_new_array();
            json_object *ml = json_object_new_array();
            json_object_object_add(f, "type", json_object_new_string("Feature"));
            json_object_object_add(g, "type", json_object_new_string("Point"));
            json_object_array_add(xy, out_json_num(p->lon, 6));
            json_object_array_add(xy, out_json_num(p->lat, 6));
            json_object_object_add(g, "coordinates", xy);
            json_object_object_add(pr, "name", out_json_str(p->name));
            json_object_object_add(pr, "id", out_json_str(p->id));
            json_object_object_add(pr, "kind", out_json_str(p->kind));
            json_object_object_add(pr, "country", out_json_str(p->country));
            json_object_object_add(pr, "source", out_json_str(p->source));
            for (size_t k = i; k < n; k++) {
                if (m[k].best.place != p || m[k].role != SM_ROLE_PLACE)
                    continue;
                json_object *mo = json_object_new_object();
                json_object_object_add(mo, "start", json_object_new_int64((int64_t)m[k].start));
                json_object_object_add(mo, "end", json_object_new_int64((int64_t)m[k].end));
                json_object_object_add(mo, "text", out_json_str(m[k].text));
                json_object_object_add(mo, "match", out_json_str(sm_match_name(m[k].best.match)));
                json_object_object_add(mo, "score", out_json_num(m[k].best.score, 2));
                json_object_array_add(ml, mo);
            }
            json_object_object_add(pr, "mention_count",
                                   json_object_new_int64((int64_t)json_object_array_length(ml)));
            json_object_object_add(pr, "mentions", ml);
            json_object_object_add(f, "properties", pr);
            json_object_object_add(f, "geometry", g);
            json_object_array_add(feats, f);
        }
        json_object_object_add(fc, "features", feats);
        out_json_line(fc);
    } else if (mode == 3) {
        write_briefing(text, len, m, n);
    } else {
        const char *header[] = {"START", "END", "TEXT", "NAME", "KIND", "CC", "MATCH", "SCORE", "ROLE", "ID"};
        const bool right[] = {true, true, false, false, false, false, false, true, false, false};
        out_table *t = out_table_new(10, header, right);
        for (size_t i = 0; t && i < n; i++) {
            char s[24], e[24], sc[16];
            snprintf(s, sizeof s, "%zu", m[i].start);
            snprintf(e, sizeof e, "%zu", m[i].end);
            snprintf(sc, sizeof sc, "%.2f", m[i].best.score);
            const char *cells[] = {s, e, m[i].text, m[i].best.place->name, m[i].best.place->kind,
                                   m[i].best.place->country, sm_match_name(m[i].best.match), sc,
                                   sm_mention_role_name(m[i].role),
                                   m[i].best.place->id};
            out_table_row(t, cells);
        }
        if (t) {
            out_table_print(t);
            out_table_free(t);
        }
    }
    if (n == 0)
        cli_error("no gazetteer places found in '%s'", argv[optind]);
    sm_mentions_free(m, n);
    free(text);
    return n == 0 ? cli_worse(code, SM_EXIT_NOT_FOUND) : code;
}

int cmd_check(int argc, char **argv, sm_cli *cli)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"basemap", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    bool json = false;
    const char *env = getenv("SITMAP_BASEMAP");
    const char *basemap = env && *env ? env : SITMAP_BASEMAP_PATH;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = true; break;
        case 'b': basemap = optarg; break;
        case 'h': fputs(check_usage, stdout); return SM_EXIT_OK;
        default:
            return cli_usage_error(cli, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(cli, "check needs exactly one report (or - for stdin)");
    int code;
    const sm_gazetteer *gz;
    size_t len, nm, nc = 0;
    sm_mention *m;
    if (strcmp(basemap, "none") != 0)
        sm_gdal_preload(); /* loads while the report is read */
    char *text = read_report(cli, argv[optind], &gz, &len, &m, &nm, &code);
    if (!text)
        return code;
    sm_error err;
    sm_error_init(&err);
    sm_claim *c = NULL;
    sm_status st = SM_OK;
    /* without a basemap, border claims come out unresolved, saying why */
    sm_basemap *bm = NULL;
    if (strcmp(basemap, "none") != 0) {
        sm_error berr;
        sm_error_init(&berr);
        if (sm_basemap_open(basemap, &bm, &berr) != SM_OK)
            cli_error("note: %s; border claims are not measured", berr.message);
    }
    if (st == SM_OK)
        st = sm_report_check(gz, bm, text, len, m, nm, &c, &nc, &err);
    sm_basemap_close(bm);
    if (st != SM_OK) {
        report_error(argv[optind], &err);
        sm_mentions_free(m, nm);
        free(text);
        return cli_exit_for(st);
    }
    bool bad = false;
    for (size_t i = 0; i < nc; i++) {
        const sm_claim *k = &c[i];
        bad |= k->verdict == SM_VERDICT_INCONSISTENT;
        if (json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "text", out_json_str(k->text));
            json_object_object_add(o, "kind", out_json_str(k->border ? "border" : "distance"));
            json_object_object_add(o, "at_most", json_object_new_boolean(k->at_most));
            json_object_object_add(o, "from", k->from ? out_json_str(k->from->name) : NULL);
            json_object_object_add(o, "to", k->to ? out_json_str(k->to->name) : NULL);
            json_object_object_add(o, "claimed_m", out_json_num(k->claimed_m, 3));
            if (k->alt_claimed_m > 0)
                json_object_object_add(o, "alt_claimed_m", out_json_num(k->alt_claimed_m, 3));
            json_object_object_add(o, "computed_m", k->from && k->to ? out_json_num(k->computed_m, 3) : NULL);
            json_object_object_add(o, "tolerance_m", k->from && k->to ? out_json_num(k->tolerance_m, 3) : NULL);
            json_object_object_add(o, "claimed_direction", k->has_direction ? out_json_str(k->direction) : NULL);
            json_object_object_add(o, "claimed_azimuth_deg", k->has_direction ? out_json_num(k->claimed_azimuth_deg, 3) : NULL);
            json_object_object_add(o, "computed_azimuth_deg", k->from && k->to ? out_json_num(k->computed_azimuth_deg, 6) : NULL);
            json_object_object_add(o, "verdict", out_json_str(sm_verdict_name(k->verdict)));
            json_object_object_add(o, "reason", out_json_str(k->reason));
            json_object_object_add(o, "start", json_object_new_int64((int64_t)k->start));
            json_object_object_add(o, "end", json_object_new_int64((int64_t)k->end));
            out_json_line(o);
        } else {
            /* the claim on one line, however the report wrapped it */
            printf("%s: \"", sm_verdict_name(k->verdict));
            for (const char *p = k->text; p && *p; p++)
                putchar(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
            printf("\"\n    %s\n", k->reason);
        }
    }
    if (nc == 0)
        cli_error("no distance or direction claims found in '%s'", argv[optind]);
    sm_claims_free(c, nc);
    sm_mentions_free(m, nm);
    free(text);
    return bad ? SM_EXIT_NOT_FOUND : code;
}
