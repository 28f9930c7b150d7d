/* output.c - text tables and JSON lines for the tool (see output.h). */
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "sitmap/geo.h"

struct out_table {
    size_t ncols;
    char **cells;   /* row-major, header first */
    size_t nrows, cap;
    bool *right;
};

out_table *out_table_new(size_t ncols, const char *const *header,
                         const bool *right_align)
{
    out_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->right = calloc(ncols, sizeof *t->right);
    if (!t->right) {
        free(t);
        return NULL;
    }
    if (right_align)
        memcpy(t->right, right_align, ncols * sizeof *t->right);
    if (!out_table_row(t, header)) {
        out_table_free(t);
        return NULL;
    }
    return t;
}

bool out_table_row(out_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c)
            return false;
        t->cells = c;
        t->cap = cap;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        const char *s = cells[i] ? cells[i] : "";
        char *d = malloc(strlen(s) + 1);
        if (!d) {
            for (size_t k = 0; k < i; k++)
                free(t->cells[t->nrows * t->ncols + k]);
            return false;
        }
        strcpy(d, s);
        t->cells[t->nrows * t->ncols + i] = d;
    }
    t->nrows++;
    return true;
}

/* Columns a terminal gives the text: wide CJK 2, combining marks 0. */
static size_t display_width(const char *s)
{
    size_t w = 0, len = strlen(s), i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            i++;
            w++;
            continue;
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        i += (size_t)k;
    }
    return w;
}

void out_table_print(const out_table *t)
{
    if (t->nrows < 2)
        return; /* a header alone says nothing */
    size_t *width = calloc(t->ncols, sizeof *width);
    if (!width)
        return;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = display_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t pad = width[c] - display_width(s);
            bool last = c + 1 == t->ncols;
            if (t->right[c])
                printf("%*s%s", (int)pad, "", s);
            else if (last)
                fputs(s, stdout);
            else
                printf("%s%*s", s, (int)pad, "");
            if (!last)
                fputs("  ", stdout);
        }
        fputc('\n', stdout);
    }
    free(width);
}

void out_table_free(out_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
    free(t);
}

void out_fmt_num(char *buf, size_t cap, double v, int decimals)
{
    if (!isfinite(v)) {
        snprintf(buf, cap, "null");
        return;
    }
    snprintf(buf, cap, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}

json_object *out_json_num(double v, int decimals)
{
    char buf[64];
    out_fmt_num(buf, sizeof buf, v, decimals);
    if (!isfinite(v))
        return NULL;
    return json_object_new_double_s(v, buf);
}

json_object *out_json_str(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

void out_json_line(json_object *obj)
{
    fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE),
          stdout);
    fputc('\n', stdout);
    json_object_put(obj);
}

json_object *out_candidate_json(const sm_candidate *c)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", out_json_str(c->place->name));
    json_object_object_add(o, "id", out_json_str(c->place->id));
    json_object_object_add(o, "lat", out_json_num(c->place->lat, 6));
    json_object_object_add(o, "lon", out_json_num(c->place->lon, 6));
    json_object_object_add(o, "kind", out_json_str(c->place->kind));
    json_object_object_add(o, "country", out_json_str(c->place->country));
    json_object_object_add(o, "match", out_json_str(sm_match_name(c->match)));
    json_object_object_add(o, "score", out_json_num(c->score, 2));
    json_object_object_add(o, "matched_name", out_json_str(c->matched_name));
    return o;
}

const char *out_resolution_kind(const sm_resolution *r)
{
    if (r->place)
        return r->place->kind;
    return r->match == SM_MATCH_RELATIVE ? "relative" : "coordinate";
}

json_object *out_resolution_json(const char *query, const sm_resolution *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "query", out_json_str(query));
    json_object_object_add(o, "name", out_json_str(r->name));
    json_object_object_add(o, "id", r->place ? out_json_str(r->place->id) : NULL);
    json_object_object_add(o, "lat", out_json_num(r->lat, 6));
    json_object_object_add(o, "lon", out_json_num(r->lon, 6));
    json_object_object_add(o, "kind", out_json_str(out_resolution_kind(r)));
    json_object_object_add(o, "country", r->place ? out_json_str(r->place->country) : NULL);
    json_object_object_add(o, "match", out_json_str(sm_match_name(r->match)));
    json_object_object_add(o, "score", out_json_num(r->score, 2));
    json_object *alts = json_object_new_array();
    for (size_t i = 0; i < r->n_alternatives; i++)
        json_object_array_add(alts, out_candidate_json(&r->alternatives[i]));
    json_object_object_add(o, "alternatives", alts);
    if (r->place) {
        json_object_object_add(o, "precision_km", out_json_num(r->place->precision_km, 3));
        json_object_object_add(o, "source", out_json_str(r->place->source));
    }
    if (r->match == SM_MATCH_RELATIVE) {
        json_object *a = json_object_new_object();
        json_object_object_add(a, "name", r->anchor ? out_json_str(r->anchor->name) : NULL);
        json_object_object_add(a, "id", r->anchor ? out_json_str(r->anchor->id) : NULL);
        json_object_object_add(a, "lat", out_json_num(r->anchor_lat, 6));
        json_object_object_add(a, "lon", out_json_num(r->anchor_lon, 6));
        json_object_object_add(o, "anchor", a);
        json_object_object_add(o, "offset_m", out_json_num(r->offset_m, 3));
        json_object_object_add(o, "offset_azimuth_deg", out_json_num(r->offset_azimuth_deg, 6));
        json_object_object_add(o, "offset_compass", out_json_str(sm_compass16(r->offset_azimuth_deg)));
    }
    return o;
}
