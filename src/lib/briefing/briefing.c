/* briefing.c - reading briefing files with libyaml into the model (briefing.h). */
#include "sitmap/briefing.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "sitmap/basemap.h"
#include "sitmap/coord.h"
#include "sitmap/fold.h"

#define BRIEFING_MAX_BYTES (8L * 1024 * 1024)

const char *sm_side_name(sm_side s)
{
    switch (s) {
    case SM_SIDE_FRIEND: return "friend";
    case SM_SIDE_HOSTILE: return "hostile";
    case SM_SIDE_NEUTRAL: return "neutral";
    case SM_SIDE_UNKNOWN: return "unknown";
    }
    return "unknown";
}

const char *sm_move_status_name(sm_move_status s)
{
    switch (s) {
    case SM_MOVE_REPORTED: return "reported";
    case SM_MOVE_CLAIMED: return "claimed";
    case SM_MOVE_PLANNED: return "planned";
    }
    return "reported";
}

/* The reader's state: the document, where messages point, and the result. */
typedef struct reader {
    yaml_document_t doc;
    const char *name;
    const sm_gazetteer *gz;
    sm_briefing *b;
    sm_error *err;
} reader;

static yaml_node_t *node_at(reader *r, int i)
{
    return yaml_document_get_node(&r->doc, i);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static sm_status fail(reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[SM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sm_error_set_at(r->err, SM_ERR_PARSE, r->name, (long)n->start_mark.line + 1,
                           (long)n->start_mark.column + 1, "%s", msg);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static sm_status want_scalar(reader *r, const yaml_node_t *n, const char *what,
                             const char **out)
{
    *out = scalar(n);
    if (!*out)
        return fail(r, n, "%s must be a single value, not a list or a mapping", what);
    return SM_OK;
}

static sm_status dup_scalar(reader *r, const yaml_node_t *n, const char *what, char **out)
{
    const char *s;
    sm_status st = want_scalar(r, n, what, &s);
    if (st != SM_OK)
        return st;
    free(*out);
    *out = strdup(s);
    return *out ? SM_OK : sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
}

/* Look a key up in the allowed list; an unknown key is an error that lists
 * what was expected. */
static sm_status check_key(reader *r, const yaml_node_t *k, const char *where,
                           const char *const *allowed, const char **key)
{
    *key = scalar(k);
    if (!*key)
        return fail(r, k, "a key in %s must be a plain word", where);
    for (int i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], *key) == 0)
            return SM_OK;
    char list[256] = "";
    size_t n = 0;
    for (int i = 0; allowed[i]; i++)
        n += (size_t)snprintf(list + n, n < sizeof list ? sizeof list - n : 0, "%s%s",
                              i ? ", " : "", allowed[i]);
    return fail(r, k, "unknown key '%s' in %s (expected one of: %s)", *key, where, list);
}

static sm_status resolve_point(reader *r, const yaml_node_t *n, const char *what,
                               sm_bpoint *p)
{
    const char *q;
    sm_status st = want_scalar(r, n, what, &q);
    if (st != SM_OK)
        return st;
    p->query = strdup(q);
    if (!p->query)
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    p->line = (long)n->start_mark.line + 1;
    p->column = (long)n->start_mark.column + 1;
    sm_error e;
    sm_error_init(&e);
    st = sm_resolve(r->gz, q, NULL, &p->at, &e);
    if (st != SM_OK)
        return fail(r, n, "%s: %s", what, e.message);
    return SM_OK;
}

static sm_status parse_side(reader *r, const yaml_node_t *n, sm_side *side)
{
    static const struct { const char *w; sm_side s; } t[] = {
        {"friend", SM_SIDE_FRIEND}, {"friendly", SM_SIDE_FRIEND},
        {"hostile", SM_SIDE_HOSTILE}, {"enemy", SM_SIDE_HOSTILE},
        {"neutral", SM_SIDE_NEUTRAL}, {"unknown", SM_SIDE_UNKNOWN}};
    const char *s;
    sm_status st = want_scalar(r, n, "affiliation", &s);
    if (st != SM_OK)
        return st;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcasecmp(t[i].w, s) == 0) {
            *side = t[i].s;
            return SM_OK;
        }
    return fail(r, n, "affiliation '%s' is not one of friend, hostile, neutral, unknown", s);
}

static sm_status parse_number(reader *r, const yaml_node_t *n, const char *what, double *v)
{
    const char *s;
    sm_status st = want_scalar(r, n, what, &s);
    if (st != SM_OK)
        return st;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(*v))
        return fail(r, n, "%s '%s' is not a number", what, s);
    return SM_OK;
}

/* "55km", "55 km", "30 mi", "10nmi", "800 m"; a bare number is km. */
static sm_status parse_distance(reader *r, const yaml_node_t *n, const char *what, double *m)
{
    static const struct { const char *u; double m; } units[] = {
        {"", 1000}, {"km", 1000}, {"kilometres", 1000}, {"kilometers", 1000},
        {"mi", 1609.344}, {"miles", 1609.344}, {"nmi", 1852}, {"m", 1},
        {"metres", 1}, {"meters", 1}};
    const char *s;
    sm_status st = want_scalar(r, n, what, &s);
    if (st != SM_OK)
        return st;
    double v;
    size_t k = sm_parse_decimal(s, strlen(s), &v);
    if (k == 0)
        return fail(r, n, "%s '%s' is not a distance such as 55km", what, s);
    const char *u = s + k;
    while (*u == ' ')
        u++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(u, units[i].u) == 0) {
            *m = v * units[i].m;
            return SM_OK;
        }
    return fail(r, n, "%s '%s' has an unknown unit (km, mi, nmi, m)", what, s);
}

/* Iterate a sequence node; a single scalar counts as a one-item list. */
typedef sm_status (*item_fn)(reader *r, const yaml_node_t *item, size_t i);

static sm_status each_item(reader *r, const yaml_node_t *n, const char *what, item_fn fn,
                           void **array, size_t elem, size_t *count)
{
    size_t len;
    yaml_node_item_t *items = NULL;
    if (n->type == YAML_SEQUENCE_NODE) {
        items = n->data.sequence.items.start;
        len = (size_t)(n->data.sequence.items.top - items);
    } else if (n->type == YAML_SCALAR_NODE && scalar(n)[0] == '\0') {
        len = 0; /* "places:" with nothing after it */
    } else {
        return fail(r, n, "%s must be a list (one '- ' item per line)", what);
    }
    if (len > 100000)
        return sm_error_set(r->err, SM_ERR_LIMIT, "%s: over 100000 items", what);
    *array = calloc(len ? len : 1, elem);
    if (!*array)
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    *count = 0;
    for (size_t i = 0; i < len; i++) {
        sm_status st = fn(r, node_at(r, items[i]), i);
        (*count)++; /* even on failure: what was allocated gets freed */
        if (st != SM_OK)
            return st;
    }
    return SM_OK;
}

#define FOR_PAIRS(n, pair)                                                     \
    for (yaml_node_pair_t *pair = (n)->data.mapping.pairs.start;              \
         pair < (n)->data.mapping.pairs.top; pair++)

static sm_status want_mapping(reader *r, const yaml_node_t *n, const char *what)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(r, n, "%s must be a mapping of 'key: value' lines", what);
    return SM_OK;
}

/* ---- the feature kinds -------------------------------------------------- */

static sm_status place_item(reader *r, const yaml_node_t *n, size_t i)
{
    sm_bplace *p = &r->b->places[i];
    if (n->type == YAML_SCALAR_NODE)
        return resolve_point(r, n, "place", &p->at);
    sm_status st = want_mapping(r, n, "a place");
    static const char *const keys[] = {"at", "label", "kind", NULL};
    bool have_at = false;
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a place", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "at") == 0) {
            st = resolve_point(r, v, "place", &p->at);
            have_at = true;
        } else if (strcmp(k, "label") == 0) {
            st = dup_scalar(r, v, "label", &p->label);
        } else {
            const char *kind;
            if ((st = want_scalar(r, v, "kind", &kind)) != SM_OK)
                return st;
            const char *const *kinds = sm_gazetteer_kinds();
            bool ok = false;
            for (int j = 0; kinds[j]; j++)
                ok |= strcmp(kinds[j], kind) == 0;
            if (!ok)
                return fail(r, v, "kind '%s' is not a gazetteer kind (city, town, village, base, airbase, border_crossing, camp, ...)", kind);
            st = dup_scalar(r, v, "kind", &p->kind);
        }
        if (st != SM_OK)
            return st;
    }
    return have_at ? SM_OK : fail(r, n, "a place needs 'at: <place>'");
}

static sm_status unit_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"at", "affiliation", "label", "type", "echelon",
                                       "strength", "date", "planned", NULL};
    static const char *const echelons[] = {"team", "squad", "section", "platoon", "company",
                                           "battalion", "regiment", "brigade", "division",
                                           "corps", "army", NULL};
    sm_bunit *u = &r->b->units[i];
    sm_status st = want_mapping(r, n, "a unit");
    bool have_at = false;
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a unit", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "at") == 0) {
            st = resolve_point(r, v, "unit", &u->at);
            have_at = true;
        } else if (strcmp(k, "affiliation") == 0) {
            st = parse_side(r, v, &u->side);
        } else if (strcmp(k, "label") == 0) {
            st = dup_scalar(r, v, "label", &u->label);
        } else if (strcmp(k, "type") == 0) {
            st = dup_scalar(r, v, "type", &u->type);
        } else if (strcmp(k, "echelon") == 0) {
            const char *e;
            if ((st = want_scalar(r, v, "echelon", &e)) != SM_OK)
                return st;
            bool ok = false;
            for (int j = 0; echelons[j]; j++)
                ok |= strcmp(echelons[j], e) == 0;
            if (!ok)
                return fail(r, v, "echelon '%s' is not one of team, squad, section, platoon, company, battalion, regiment, brigade, division, corps, army", e);
            st = dup_scalar(r, v, "echelon", &u->echelon);
        } else if (strcmp(k, "strength") == 0) {
            st = dup_scalar(r, v, "strength", &u->strength);
        } else if (strcmp(k, "date") == 0) {
            st = dup_scalar(r, v, "date", &u->date);
        } else {
            const char *b;
            if ((st = want_scalar(r, v, "planned", &b)) != SM_OK)
                return st;
            if (strcmp(b, "true") && strcmp(b, "false") && strcmp(b, "yes") && strcmp(b, "no"))
                return fail(r, v, "planned must be true or false, not '%s'", b);
            u->planned = strcmp(b, "true") == 0 || strcmp(b, "yes") == 0;
        }
        if (st != SM_OK)
            return st;
    }
    return have_at ? SM_OK : fail(r, n, "a unit needs 'at: <place>'");
}

static sm_status point_list(reader *r, const yaml_node_t *n, const char *what,
                            sm_bpoint **pts, size_t *np, size_t extra_front)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(r, n, "%s must be a list of places", what);
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    sm_bpoint *v = realloc(*pts, (extra_front + len + 1) * sizeof *v);
    if (!v)
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    memset(v + *np, 0, (extra_front + len + 1 - *np) * sizeof *v);
    *pts = v;
    for (size_t i = 0; i < len; i++) {
        sm_status st = resolve_point(r, node_at(r, n->data.sequence.items.start[i]), what,
                                     &v[*np]);
        (*np)++;
        if (st != SM_OK)
            return st;
    }
    return SM_OK;
}

static sm_status movement_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"from", "via", "to", "affiliation", "status",
                                       "label", "date", NULL};
    sm_bmovement *m = &r->b->movements[i];
    sm_status st = want_mapping(r, n, "a movement");
    const yaml_node_t *from = NULL, *to = NULL, *via = NULL;
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a movement", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "from") == 0) {
            from = v;
        } else if (strcmp(k, "to") == 0) {
            to = v;
        } else if (strcmp(k, "via") == 0) {
            via = v;
        } else if (strcmp(k, "affiliation") == 0) {
            st = parse_side(r, v, &m->side);
        } else if (strcmp(k, "status") == 0) {
            const char *s;
            if ((st = want_scalar(r, v, "status", &s)) != SM_OK)
                return st;
            if (strcmp(s, "reported") == 0 || strcmp(s, "confirmed") == 0)
                m->status = SM_MOVE_REPORTED;
            else if (strcmp(s, "claimed") == 0 || strcmp(s, "assessed") == 0)
                m->status = SM_MOVE_CLAIMED;
            else if (strcmp(s, "planned") == 0 || strcmp(s, "anticipated") == 0)
                m->status = SM_MOVE_PLANNED;
            else
                return fail(r, v, "status '%s' is not one of reported, claimed, planned", s);
        } else if (strcmp(k, "label") == 0) {
            st = dup_scalar(r, v, "label", &m->label);
        } else {
            st = dup_scalar(r, v, "date", &m->date);
        }
        if (st != SM_OK)
            return st;
    }
    if (!from || !to)
        return fail(r, n, "a movement needs 'from: <place>' and 'to: <place>'");
    m->points = calloc(1, sizeof *m->points);
    if (!m->points)
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    st = resolve_point(r, from, "movement 'from'", &m->points[0]);
    m->n_points = 1;
    if (st == SM_OK && via)
        st = point_list(r, via, "movement 'via'", &m->points, &m->n_points, 0);
    if (st != SM_OK)
        return st;
    sm_bpoint *v = realloc(m->points, (m->n_points + 1) * sizeof *v);
    if (!v)
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    m->points = v;
    memset(&v[m->n_points], 0, sizeof *v);
    st = resolve_point(r, to, "movement 'to'", &v[m->n_points]);
    m->n_points++;
    return st;
}

static sm_status zone_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"circle", "polygon", "affiliation", "label", "fill", NULL};
    static const char *const circle_keys[] = {"center", "radius", NULL};
    sm_bzone *z = &r->b->zones[i];
    sm_status st = want_mapping(r, n, "a zone");
    bool shaped = false;
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a zone", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "circle") == 0) {
            if (shaped)
                return fail(r, v, "a zone is a circle or a polygon, not both");
            shaped = true;
            z->shape = SM_ZONE_CIRCLE;
            if ((st = want_mapping(r, v, "circle")) != SM_OK)
                return st;
            bool c = false, rad = false;
            FOR_PAIRS(v, cp) {
                const char *ck;
                yaml_node_t *cv = node_at(r, cp->value);
                if ((st = check_key(r, node_at(r, cp->key), "a circle", circle_keys, &ck)) != SM_OK)
                    return st;
                if (strcmp(ck, "center") == 0) {
                    st = resolve_point(r, cv, "circle center", &z->center);
                    c = true;
                } else {
                    st = parse_distance(r, cv, "radius", &z->radius_m);
                    if (st == SM_OK && !(z->radius_m > 0))
                        return sm_error_set_at(r->err, SM_ERR_RANGE, r->name,
                                               (long)cv->start_mark.line + 1,
                                               (long)cv->start_mark.column + 1,
                                               "radius '%s' must be greater than zero", scalar(cv));
                    if (st == SM_OK && z->radius_m > 5000e3)
                        return sm_error_set_at(r->err, SM_ERR_RANGE, r->name,
                                               (long)cv->start_mark.line + 1,
                                               (long)cv->start_mark.column + 1,
                                               "radius '%s' is over 5000 km: not a briefing map's zone",
                                               scalar(cv));
                    rad = true;
                }
                if (st != SM_OK)
                    return st;
            }
            if (!c || !rad)
                return fail(r, v, "a circle needs 'center: <place>' and 'radius: <distance>'");
        } else if (strcmp(k, "polygon") == 0) {
            if (shaped)
                return fail(r, v, "a zone is a circle or a polygon, not both");
            shaped = true;
            z->shape = SM_ZONE_POLYGON;
            if ((st = point_list(r, v, "polygon", &z->points, &z->n_points, 0)) != SM_OK)
                return st;
            if (z->n_points < 3)
                return fail(r, v, "a polygon needs at least three places");
        } else if (strcmp(k, "affiliation") == 0) {
            st = parse_side(r, v, &z->side);
        } else if (strcmp(k, "label") == 0) {
            st = dup_scalar(r, v, "label", &z->label);
        } else {
            const char *f;
            if ((st = want_scalar(r, v, "fill", &f)) != SM_OK)
                return st;
            if (strcmp(f, "hatch") && strcmp(f, "solid") && strcmp(f, "none"))
                return fail(r, v, "fill '%s' is not one of hatch, solid, none", f);
            st = dup_scalar(r, v, "fill", &z->fill);
        }
        if (st != SM_OK)
            return st;
    }
    return shaped ? SM_OK : fail(r, n, "a zone needs 'circle:' or 'polygon:'");
}

static sm_status route_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"route", "label", NULL};
    sm_broute *rt = &r->b->routes[i];
    sm_status st;
    const yaml_node_t *ref = n;
    if (n->type == YAML_MAPPING_NODE) {
        ref = NULL;
        FOR_PAIRS(n, pair) {
            const char *k;
            yaml_node_t *v = node_at(r, pair->value);
            if ((st = check_key(r, node_at(r, pair->key), "a route", keys, &k)) != SM_OK)
                return st;
            if (strcmp(k, "route") == 0)
                ref = v;
            else if ((st = dup_scalar(r, v, "label", &rt->label)) != SM_OK)
                return st;
        }
        if (!ref)
            return fail(r, n, "a route needs 'route: <gazetteer line>'");
    }
    if ((st = resolve_point(r, ref, "route", &rt->ref)) != SM_OK)
        return st;
    const sm_place *p = rt->ref.at.place;
    if (!p || p->geometry != SM_GEOM_LINE)
        return fail(r, ref, "route '%s' is not a gazetteer line (a road or a river such as 'Damascus-Baghdad highway')",
                    rt->ref.query);
    return SM_OK;
}

static sm_status event_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"at", "type", "label", "date", NULL};
    static const char *const types[] = {"airstrike", "shelling", "clash", "explosion", NULL};
    sm_bevent *e = &r->b->events[i];
    sm_status st = want_mapping(r, n, "an event");
    bool have_at = false;
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "an event", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "at") == 0) {
            st = resolve_point(r, v, "event", &e->at);
            have_at = true;
        } else if (strcmp(k, "type") == 0) {
            const char *t;
            if ((st = want_scalar(r, v, "type", &t)) != SM_OK)
                return st;
            bool ok = false;
            for (int j = 0; types[j]; j++)
                ok |= strcmp(types[j], t) == 0;
            if (!ok)
                return fail(r, v, "event type '%s' is not one of airstrike, shelling, clash, explosion", t);
            st = dup_scalar(r, v, "type", &e->type);
        } else if (strcmp(k, "label") == 0) {
            st = dup_scalar(r, v, "label", &e->label);
        } else {
            st = dup_scalar(r, v, "date", &e->date);
        }
        if (st != SM_OK)
            return st;
    }
    if (!have_at)
        return fail(r, n, "an event needs 'at: <place>'");
    if (!e->type && !(e->type = strdup("airstrike")))
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    return SM_OK;
}

static sm_status note_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"at", "text", NULL};
    sm_bnote *no = &r->b->notes[i];
    sm_status st = want_mapping(r, n, "a note");
    bool have_at = false;
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a note", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "at") == 0) {
            st = resolve_point(r, v, "note", &no->at);
            have_at = true;
        } else {
            st = dup_scalar(r, v, "text", &no->text);
        }
        if (st != SM_OK)
            return st;
    }
    if (!have_at || !no->text)
        return fail(r, n, "a note needs 'at: <place>' and 'text: ...'");
    return SM_OK;
}

/* "#rrggbb" or "#rrggbbaa" to RGBA 0..1. */
static sm_status parse_color(reader *r, const yaml_node_t *n, double *rgba)
{
    const char *s;
    sm_status st = want_scalar(r, n, "colour", &s);
    if (st != SM_OK)
        return st;
    size_t len = strlen(s);
    unsigned v[4] = {0, 0, 0, 255};
    if ((len != 7 && len != 9) || s[0] != '#' ||
        sscanf(s + 1, "%2x%2x%2x", &v[0], &v[1], &v[2]) != 3 ||
        (len == 9 && sscanf(s + 7, "%2x", &v[3]) != 1) || strspn(s + 1, "0123456789abcdefABCDEF") != len - 1)
        return fail(r, n, "colour '%s' is not #rrggbb or #rrggbbaa", s);
    for (int i = 0; i < 4; i++)
        rgba[i] = v[i] / 255.0;
    return SM_OK;
}

static sm_status layer_style(reader *r, const yaml_node_t *n, sm_blayer *l)
{
    static const char *const keys[] = {"stroke", "fill", "width", "size", NULL};
    sm_status st = want_mapping(r, n, "a layer style");
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a layer style", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "stroke") == 0)
            st = parse_color(r, v, l->stroke);
        else if (strcmp(k, "fill") == 0)
            st = parse_color(r, v, l->fill);
        else if (strcmp(k, "width") == 0) {
            st = parse_number(r, v, "width", &l->width);
            if (st == SM_OK && (l->width < 0 || l->width > 20))
                return fail(r, v, "width %g must be between 0 and 20 points", l->width);
        } else {
            st = parse_number(r, v, "size", &l->size);
            if (st == SM_OK && (l->size <= 0 || l->size > 30))
                return fail(r, v, "size %g must be between 0 and 30 points", l->size);
        }
        if (st != SM_OK)
            return st;
    }
    return SM_OK;
}

/* The datasource, its layer and the mapped columns must exist: say which
 * layer and what is wrong now, not half-way through a render. */
static sm_status check_layer(reader *r, const yaml_node_t *n, size_t i, sm_blayer *l)
{
    sm_basemap *bm;
    sm_error e;
    sm_error_init(&e);
    if (sm_basemap_open(l->path, &bm, &e) != SM_OK)
        return fail(r, n, "layer %zu: %s", i + 1, e.message);
    sm_status st = SM_OK;
    if (!l->layer) {
        const char *first = sm_basemap_first_layer(bm);
        if (!first) {
            sm_basemap_close(bm);
            return fail(r, n, "layer %zu: '%s' has no layers", i + 1, l->source);
        }
        l->layer = strdup(first);
    } else if (!sm_basemap_has_layer(bm, l->layer)) {
        st = fail(r, n, "layer %zu: '%s' has no layer '%s'", i + 1, l->source, l->layer);
    }
    if (st == SM_OK && !sm_basemap_has_geometry(bm, l->layer)) {
        char *list = sm_basemap_field_list(bm, l->layer);
        st = fail(r, n, "layer %zu: '%s' has no geometry (a CSV needs longitude and latitude columns; it has: %s)",
                  i + 1, l->source, list ? list : "?");
        free(list);
    }
    const char *cols[3] = {l->label_column, l->side_column, l->date_column};
    static const char *const what[3] = {"label", "side", "date"};
    for (int k = 0; st == SM_OK && k < 3; k++)
        if (cols[k] && !sm_basemap_has_field(bm, l->layer, cols[k])) {
            char *list = sm_basemap_field_list(bm, l->layer);
            st = fail(r, n, "layer %zu: '%s' has no column '%s' for the %s (columns: %s)", i + 1,
                      l->source, cols[k], what[k], list ? list : "?");
            free(list);
        }
    if (st == SM_OK && l->where) {
        sm_error_init(&e);
        if (sm_basemap_check_filter(bm, l->layer, l->where, &e) != SM_OK)
            st = fail(r, n, "layer %zu: %s", i + 1, e.message);
    }
    if (!l->title && l->layer)
        l->title = strdup(l->layer);
    sm_basemap_close(bm);
    return st;
}

static sm_status layer_item(reader *r, const yaml_node_t *n, size_t i)
{
    static const char *const keys[] = {"source", "layer", "where", "title", "label", "side",
                                       "date", "style", NULL};
    sm_blayer *l = &r->b->layers[i];
    l->line = (long)n->start_mark.line + 1;
    l->column = (long)n->start_mark.column + 1;
    /* Defaults: dark grey lines, a muted purple for points and areas. */
    double stroke[4] = {0.25, 0.25, 0.3, 1}, fill[4] = {0.45, 0.3, 0.6, 0.85};
    memcpy(l->stroke, stroke, sizeof stroke);
    memcpy(l->fill, fill, sizeof fill);
    l->width = 1.0;
    l->size = 3.5;
    sm_status st = want_mapping(r, n, "a layer");
    if (st != SM_OK)
        return st;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "a layer", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "source") == 0)
            st = dup_scalar(r, v, "source", &l->source);
        else if (strcmp(k, "layer") == 0)
            st = dup_scalar(r, v, "layer", &l->layer);
        else if (strcmp(k, "where") == 0)
            st = dup_scalar(r, v, "where", &l->where);
        else if (strcmp(k, "title") == 0)
            st = dup_scalar(r, v, "title", &l->title);
        else if (strcmp(k, "label") == 0)
            st = dup_scalar(r, v, "label", &l->label_column);
        else if (strcmp(k, "side") == 0)
            st = dup_scalar(r, v, "side", &l->side_column);
        else if (strcmp(k, "date") == 0)
            st = dup_scalar(r, v, "date", &l->date_column);
        else
            st = layer_style(r, v, l);
        if (st != SM_OK)
            return st;
    }
    if (!l->source)
        return fail(r, n, "a layer needs 'source: <file or connection string>'");
    /* Relative paths are relative to the briefing file, so a briefing and
     * its data move together. */
    const char *slash = strrchr(r->name, '/');
    bool relative = l->source[0] != '/' && !strchr(l->source, ':');
    if (relative && slash) {
        size_t dl = (size_t)(slash - r->name) + 1;
        l->path = malloc(dl + strlen(l->source) + 1);
        if (l->path) {
            memcpy(l->path, r->name, dl);
            strcpy(l->path + dl, l->source);
        }
    } else {
        l->path = strdup(l->source);
    }
    if (!l->path)
        return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
    return check_layer(r, n, i, l);
}

static sm_status source_item(reader *r, const yaml_node_t *n, size_t i)
{
    return dup_scalar(r, n, "a source", &r->b->sources[i]);
}

/* ---- page and extent ---------------------------------------------------- */

static sm_status parse_page(reader *r, const yaml_node_t *n)
{
    sm_briefing *b = r->b;
    static const struct { const char *name; double w, h; } sizes[] = {
        {"A4", 595.276, 841.890}, {"A3", 841.890, 1190.551}, {"Letter", 612, 792},
        {"Legal", 612, 1008}};
    const char *size = NULL, *orient = "landscape";
    const yaml_node_t *where = n;
    double wpx = 0, hpx = 0;
    sm_status st;
    char buf[64];
    if (n->type == YAML_SCALAR_NODE) {
        /* "A4", "A4 landscape", "Letter portrait" */
        snprintf(buf, sizeof buf, "%s", scalar(n));
        char *sp = strchr(buf, ' ');
        if (sp) {
            *sp = '\0';
            orient = sp + 1;
        }
        size = buf;
    } else {
        static const char *const keys[] = {"size", "orientation", "width", "height", NULL};
        if ((st = want_mapping(r, n, "page")) != SM_OK)
            return st;
        FOR_PAIRS(n, pair) {
            const char *k;
            yaml_node_t *v = node_at(r, pair->value);
            if ((st = check_key(r, node_at(r, pair->key), "page", keys, &k)) != SM_OK)
                return st;
            if (strcmp(k, "size") == 0)
                st = want_scalar(r, v, "page size", &size);
            else if (strcmp(k, "orientation") == 0)
                st = want_scalar(r, v, "orientation", &orient);
            else if (strcmp(k, "width") == 0)
                st = parse_number(r, v, "page width (pixels)", &wpx);
            else
                st = parse_number(r, v, "page height (pixels)", &hpx);
            if (st != SM_OK)
                return st;
        }
    }
    if (size) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            if (strcasecmp(sizes[i].name, size) == 0) {
                b->page_width_pt = sizes[i].w;
                b->page_height_pt = sizes[i].h;
                if (strcasecmp(orient, "landscape") == 0) {
                    b->page_width_pt = sizes[i].h;
                    b->page_height_pt = sizes[i].w;
                } else if (strcasecmp(orient, "portrait") != 0) {
                    return fail(r, where, "orientation '%s' is not landscape or portrait", orient);
                }
                return SM_OK;
            }
        return fail(r, where, "page size '%s' is not one of A4, A3, Letter, Legal (or give width and height in pixels)", size);
    }
    if (wpx <= 0 || hpx <= 0)
        return fail(r, where, "page needs 'size: A4' or 'width:' and 'height:' in pixels");
    if (wpx < 300 || hpx < 300 || wpx > 12000 || hpx > 12000)
        return sm_error_set_at(r->err, SM_ERR_RANGE, r->name, (long)where->start_mark.line + 1,
                               (long)where->start_mark.column + 1,
                               "page of %gx%g pixels: each side must be 300 to 12000", wpx, hpx);
    /* Pixels become points at the raster resolution. */
    b->page_width_pt = wpx * 72.0 / b->dpi;
    b->page_height_pt = hpx * 72.0 / b->dpi;
    return SM_OK;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static sm_status range_at(reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[SM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sm_error_set_at(r->err, SM_ERR_RANGE, r->name, (long)n->start_mark.line + 1,
                           (long)n->start_mark.column + 1, "%s", msg);
}

static sm_status parse_extent(reader *r, const yaml_node_t *n)
{
    sm_briefing *b = r->b;
    sm_status st;
    if (n->type == YAML_SCALAR_NODE) {
        if (strcmp(scalar(n), "auto") == 0) {
            b->extent = SM_EXTENT_AUTO;
            return SM_OK;
        }
        return fail(r, n, "extent '%s' is not 'auto', a bbox or an 'around' mapping", scalar(n));
    }
    static const char *const keys[] = {"bbox", "around", "radius", NULL};
    if ((st = want_mapping(r, n, "extent")) != SM_OK)
        return st;
    const yaml_node_t *bbox = NULL, *around = NULL, *radius = NULL;
    FOR_PAIRS(n, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "extent", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "bbox") == 0)
            bbox = v;
        else if (strcmp(k, "around") == 0)
            around = v;
        else
            radius = v;
    }
    if (bbox) {
        if (bbox->type != YAML_SEQUENCE_NODE ||
            bbox->data.sequence.items.top - bbox->data.sequence.items.start != 4)
            return fail(r, bbox, "bbox must be [lon_min, lat_min, lon_max, lat_max]");
        for (int i = 0; i < 4; i++)
            if ((st = parse_number(r, node_at(r, bbox->data.sequence.items.start[i]),
                                   "bbox value", &b->bbox[i])) != SM_OK)
                return st;
        if (!(b->bbox[0] < b->bbox[2]) || !(b->bbox[1] < b->bbox[3]))
            return range_at(r, bbox, "bbox must have lon_min < lon_max and lat_min < lat_max");
        if (fabs(b->bbox[1]) > 90 || fabs(b->bbox[3]) > 90 || fabs(b->bbox[0]) > 180 ||
            fabs(b->bbox[2]) > 180)
            return range_at(r, bbox, "bbox is outside -180..180 longitude, -90..90 latitude");
        if (b->bbox[3] - b->bbox[1] > 60 || b->bbox[2] - b->bbox[0] > 90)
            return range_at(r, bbox, "bbox spans %g degrees: too large for a briefing map (60 of latitude, 90 of longitude at most)",
                            fmax(b->bbox[3] - b->bbox[1], b->bbox[2] - b->bbox[0]));
        if (b->bbox[3] - b->bbox[1] < 0.005 || b->bbox[2] - b->bbox[0] < 0.005)
            return range_at(r, bbox, "bbox is under 500 m across");
        b->extent = SM_EXTENT_BBOX;
        return SM_OK;
    }
    if (!around || !radius)
        return fail(r, n, "extent needs 'bbox: [...]' or 'around: <place>' with 'radius: <distance>'");
    if ((st = resolve_point(r, around, "extent 'around'", &b->extent_center)) != SM_OK)
        return st;
    if ((st = parse_distance(r, radius, "extent radius", &b->extent_radius_m)) != SM_OK)
        return st;
    if (!(b->extent_radius_m > 0))
        return range_at(r, radius, "extent radius must be greater than zero");
    if (b->extent_radius_m > 3000e3)
        return range_at(r, radius, "extent radius of %g km is too large for a briefing map (3000 km at most)",
                        b->extent_radius_m / 1000);
    b->extent = SM_EXTENT_AROUND;
    return SM_OK;
}

/* ---- the document ------------------------------------------------------- */

static sm_status read_root(reader *r)
{
    static const char *const keys[] = {"title", "subtitle", "date", "sources", "page", "dpi",
                                       "extent", "margin", "projection", "basemap", "places",
                                       "units", "movements", "zones", "routes", "events",
                                       "notes", "layers", NULL};
    sm_briefing *b = r->b;
    yaml_node_t *root = yaml_document_get_root_node(&r->doc);
    if (!root)
        return sm_error_set_at(r->err, SM_ERR_PARSE, r->name, 1, 1, "the briefing file is empty");
    sm_status st = want_mapping(r, root, "a briefing file");
    if (st != SM_OK)
        return st;
    /* dpi first: a page in pixels needs it. */
    FOR_PAIRS(root, pair) {
        const char *k = scalar(node_at(r, pair->key));
        if (k && strcmp(k, "dpi") == 0) {
            yaml_node_t *v = node_at(r, pair->value);
            if ((st = parse_number(r, v, "dpi", &b->dpi)) != SM_OK)
                return st;
            if (b->dpi < 36 || b->dpi > 1200)
                return range_at(r, v, "dpi %g must be between 36 and 1200", b->dpi);
        }
    }
    const yaml_node_t *page = NULL;
    FOR_PAIRS(root, pair) {
        const char *k;
        yaml_node_t *v = node_at(r, pair->value);
        if ((st = check_key(r, node_at(r, pair->key), "the briefing", keys, &k)) != SM_OK)
            return st;
        if (strcmp(k, "title") == 0)
            st = dup_scalar(r, v, "title", &b->title);
        else if (strcmp(k, "subtitle") == 0)
            st = dup_scalar(r, v, "subtitle", &b->subtitle);
        else if (strcmp(k, "date") == 0)
            st = dup_scalar(r, v, "date", &b->date);
        else if (strcmp(k, "sources") == 0) {
            if (v->type == YAML_SCALAR_NODE) {
                b->sources = calloc(1, sizeof *b->sources);
                if (!b->sources)
                    return sm_error_set(r->err, SM_ERR_NOMEM, "out of memory");
                b->n_sources = 1;
                st = dup_scalar(r, v, "sources", &b->sources[0]);
            } else {
                st = each_item(r, v, "sources", source_item, (void **)&b->sources,
                               sizeof *b->sources, &b->n_sources);
            }
        } else if (strcmp(k, "page") == 0)
            page = v;
        else if (strcmp(k, "dpi") == 0)
            st = SM_OK;
        else if (strcmp(k, "extent") == 0)
            st = parse_extent(r, v);
        else if (strcmp(k, "margin") == 0) {
            st = parse_number(r, v, "margin", &b->margin);
            if (st == SM_OK && (b->margin < 0 || b->margin > 2))
                return range_at(r, v, "margin %g must be between 0 and 2 (a fraction of the extent)", b->margin);
        } else if (strcmp(k, "projection") == 0) {
            const char *p;
            if ((st = want_scalar(r, v, "projection", &p)) == SM_OK && strcmp(p, "auto") != 0)
                st = dup_scalar(r, v, "projection", &b->projection);
        } else if (strcmp(k, "basemap") == 0) {
            const char *m;
            if ((st = want_scalar(r, v, "basemap", &m)) != SM_OK)
                return st;
            if (strcmp(m, "natural-earth") && strcmp(m, "none"))
                return fail(r, v, "basemap '%s' is not natural-earth or none", m);
            st = dup_scalar(r, v, "basemap", &b->basemap);
        } else if (strcmp(k, "places") == 0)
            st = each_item(r, v, "places", place_item, (void **)&b->places, sizeof *b->places,
                           &b->n_places);
        else if (strcmp(k, "units") == 0)
            st = each_item(r, v, "units", unit_item, (void **)&b->units, sizeof *b->units,
                           &b->n_units);
        else if (strcmp(k, "movements") == 0)
            st = each_item(r, v, "movements", movement_item, (void **)&b->movements,
                           sizeof *b->movements, &b->n_movements);
        else if (strcmp(k, "zones") == 0)
            st = each_item(r, v, "zones", zone_item, (void **)&b->zones, sizeof *b->zones,
                           &b->n_zones);
        else if (strcmp(k, "routes") == 0)
            st = each_item(r, v, "routes", route_item, (void **)&b->routes, sizeof *b->routes,
                           &b->n_routes);
        else if (strcmp(k, "events") == 0)
            st = each_item(r, v, "events", event_item, (void **)&b->events, sizeof *b->events,
                           &b->n_events);
        else if (strcmp(k, "layers") == 0)
            st = each_item(r, v, "layers", layer_item, (void **)&b->layers, sizeof *b->layers,
                           &b->n_layers);
        else
            st = each_item(r, v, "notes", note_item, (void **)&b->notes, sizeof *b->notes,
                           &b->n_notes);
        if (st != SM_OK)
            return st;
    }
    if (page && (st = parse_page(r, page)) != SM_OK)
        return st;
    if (!b->title)
        return sm_error_set_at(r->err, SM_ERR_PARSE, r->name, (long)root->start_mark.line + 1, 1,
                               "the briefing needs a 'title:'");
    size_t features = b->n_places + b->n_units + b->n_movements + b->n_zones + b->n_routes +
                      b->n_events + b->n_notes + b->n_layers;
    if (features == 0 && b->extent == SM_EXTENT_AUTO)
        return sm_error_set_at(r->err, SM_ERR_PARSE, r->name, (long)root->start_mark.line + 1, 1,
                               "nothing to map: no places, units, movements, zones, routes, events or notes, and no extent");
    return SM_OK;
}

static void free_point(sm_bpoint *p) { free(p->query); }

void sm_briefing_free(sm_briefing *b)
{
    if (!b)
        return;
    free(b->file);
    free(b->title);
    free(b->subtitle);
    free(b->date);
    for (size_t i = 0; i < b->n_sources; i++)
        free(b->sources[i]);
    free(b->sources);
    free_point(&b->extent_center);
    free(b->projection);
    free(b->basemap);
    for (size_t i = 0; i < b->n_places; i++) {
        free_point(&b->places[i].at);
        free(b->places[i].label);
        free(b->places[i].kind);
    }
    free(b->places);
    for (size_t i = 0; i < b->n_units; i++) {
        sm_bunit *u = &b->units[i];
        free_point(&u->at);
        free(u->label);
        free(u->type);
        free(u->echelon);
        free(u->strength);
        free(u->date);
    }
    free(b->units);
    for (size_t i = 0; i < b->n_movements; i++) {
        sm_bmovement *m = &b->movements[i];
        for (size_t k = 0; k < m->n_points; k++)
            free_point(&m->points[k]);
        free(m->points);
        free(m->label);
        free(m->date);
    }
    free(b->movements);
    for (size_t i = 0; i < b->n_zones; i++) {
        sm_bzone *z = &b->zones[i];
        free_point(&z->center);
        for (size_t k = 0; k < z->n_points; k++)
            free_point(&z->points[k]);
        free(z->points);
        free(z->label);
        free(z->fill);
    }
    free(b->zones);
    for (size_t i = 0; i < b->n_routes; i++) {
        free_point(&b->routes[i].ref);
        free(b->routes[i].label);
    }
    free(b->routes);
    for (size_t i = 0; i < b->n_events; i++) {
        free_point(&b->events[i].at);
        free(b->events[i].type);
        free(b->events[i].label);
        free(b->events[i].date);
    }
    free(b->events);
    for (size_t i = 0; i < b->n_notes; i++) {
        free_point(&b->notes[i].at);
        free(b->notes[i].text);
    }
    free(b->notes);
    for (size_t i = 0; i < b->n_layers; i++) {
        sm_blayer *l = &b->layers[i];
        free(l->source);
        free(l->path);
        free(l->layer);
        free(l->where);
        free(l->title);
        free(l->label_column);
        free(l->side_column);
        free(l->date_column);
    }
    free(b->layers);
    free(b);
}

sm_status sm_briefing_parse(const char *text, size_t len, const char *name,
                            const sm_gazetteer *gz, sm_briefing **out, sm_error *err)
{
    *out = NULL;
    size_t bad;
    if (!sm_utf8_valid(text, len, &bad)) {
        long line, col;
        sm_utf8_line_col(text, bad, &line, &col);
        return sm_error_set_at(err, SM_ERR_ENCODING, name, line, col, "invalid UTF-8");
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.gz = gz;
    r.err = err;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &r.doc)) {
        sm_status st = sm_error_set_at(err, SM_ERR_PARSE, name, (long)parser.problem_mark.line + 1,
                                       (long)parser.problem_mark.column + 1, "YAML: %s%s%s",
                                       parser.problem ? parser.problem : "syntax error",
                                       parser.context ? " " : "",
                                       parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return st;
    }
    yaml_parser_delete(&parser);
    r.b = calloc(1, sizeof *r.b);
    if (!r.b) {
        yaml_document_delete(&r.doc);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    r.b->dpi = 150;
    r.b->margin = 0.12;
    r.b->page_width_pt = 841.890; /* A4 landscape */
    r.b->page_height_pt = 595.276;
    r.b->file = strdup(name);
    sm_status st = r.b->file ? read_root(&r) : sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    yaml_document_delete(&r.doc);
    if (st != SM_OK) {
        sm_briefing_free(r.b);
        return st;
    }
    *out = r.b;
    return SM_OK;
}

sm_status sm_briefing_load(const char *path, const sm_gazetteer *gz, sm_briefing **out,
                           sm_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return sm_error_set(err, SM_ERR_IO, "cannot open briefing '%s': %s", path, strerror(errno));
    char *buf = malloc(BRIEFING_MAX_BYTES + 1);
    if (!buf) {
        fclose(fp);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, BRIEFING_MAX_BYTES + 1, fp);
    bool rerr = ferror(fp);
    fclose(fp);
    if (rerr) {
        free(buf);
        return sm_error_set(err, SM_ERR_IO, "cannot read briefing '%s'", path);
    }
    if (n > BRIEFING_MAX_BYTES) {
        free(buf);
        return sm_error_set(err, SM_ERR_LIMIT, "briefing '%s' is over %ld bytes", path,
                            BRIEFING_MAX_BYTES);
    }
    sm_status st = sm_briefing_parse(buf, n, path, gz, out, err);
    free(buf);
    return st;
}
