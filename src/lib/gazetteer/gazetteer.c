/* gazetteer.c - loading, indexing and searching curated places (gazetteer.h). */
#include "sitmap/gazetteer.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sitmap/fold.h"
#include "sitmap/geo.h"

#define GZ_FILE_MAX (64L * 1024 * 1024) /* a gazetteer file over this is refused */
#define GZ_LINE_MAX 65536

/* ---- a bump allocator: every string of a gazetteer lives and dies with it */

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

typedef struct arena {
    chunk *head;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        chunk *c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void arena_release(arena *a)
{
    chunk *c = a->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

/* ---- the index: key -> postings, open addressing over groups ------------ */

typedef struct posting {
    const char *key;       /* exact or folded key, in the arena */
    uint32_t place;        /* index into places */
    uint32_t name_is_alias; /* 0 for the preferred name */
    const char *name;      /* the name as written in the gazetteer */
} posting;

typedef struct slot {
    uint64_t hash;
    uint32_t first, count; /* count 0: empty slot */
} slot;

typedef struct index {
    posting *posts;
    size_t n, cap;
    slot *slots;
    size_t nslots;         /* a power of two */
} index_t;

static uint64_t hash_mem(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t hash_str(const char *s)
{
    /* FNV-1a: keys are short; this is not where lookup time goes. */
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int posting_cmp(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->place != y->place)
        return x->place < y->place ? -1 : 1;
    return (int)x->name_is_alias - (int)y->name_is_alias;
}

static bool index_add(index_t *ix, const char *key, uint32_t place, bool alias,
                      const char *name)
{
    if (ix->n == ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 1024;
        posting *p = realloc(ix->posts, cap * sizeof *p);
        if (!p)
            return false;
        ix->posts = p;
        ix->cap = cap;
    }
    ix->posts[ix->n++] = (posting){key, place, alias ? 1u : 0u, name};
    return true;
}

static bool index_build(index_t *ix)
{
    if (ix->n == 0)
        return true;
    qsort(ix->posts, ix->n, sizeof *ix->posts, posting_cmp);
    /* One posting per (key, place): the preferred name wins over an alias. */
    size_t w = 0;
    for (size_t r = 0; r < ix->n; r++) {
        if (w > 0 && ix->posts[w - 1].place == ix->posts[r].place &&
            strcmp(ix->posts[w - 1].key, ix->posts[r].key) == 0)
            continue;
        ix->posts[w++] = ix->posts[r];
    }
    ix->n = w;
    size_t groups = 0;
    for (size_t i = 0; i < ix->n; i++)
        if (i == 0 || strcmp(ix->posts[i - 1].key, ix->posts[i].key) != 0)
            groups++;
    ix->nslots = 16;
    while (ix->nslots < groups * 2)
        ix->nslots *= 2;
    ix->slots = calloc(ix->nslots, sizeof *ix->slots);
    if (!ix->slots)
        return false;
    for (size_t i = 0; i < ix->n;) {
        size_t j = i + 1;
        while (j < ix->n && strcmp(ix->posts[i].key, ix->posts[j].key) == 0)
            j++;
        uint64_t h = hash_str(ix->posts[i].key);
        size_t s = (size_t)h & (ix->nslots - 1);
        while (ix->slots[s].count)
            s = (s + 1) & (ix->nslots - 1);
        ix->slots[s] = (slot){h, (uint32_t)i, (uint32_t)(j - i)};
        i = j;
    }
    return true;
}

static const slot *index_find(const index_t *ix, const char *key)
{
    if (!ix->nslots)
        return NULL;
    uint64_t h = hash_str(key);
    size_t s = (size_t)h & (ix->nslots - 1);
    while (ix->slots[s].count) {
        if (ix->slots[s].hash == h &&
            strcmp(ix->posts[ix->slots[s].first].key, key) == 0)
            return &ix->slots[s];
        s = (s + 1) & (ix->nslots - 1);
    }
    return NULL;
}

static void index_release(index_t *ix)
{
    free(ix->posts);
    free(ix->slots);
    memset(ix, 0, sizeof *ix);
}

/* ---- the gazetteer ------------------------------------------------------ */

/* A folded key with its words split into generic and specific parts, for the
 * fuzzy tier. */
typedef struct fuzzy_key {
    const char *key;
    const char *specific; /* the key without generic words */
    uint32_t len, slen;
    uint32_t group;       /* first posting of the key in the folded index */
    uint32_t count;
} fuzzy_key;

struct sm_gazetteer {
    arena mem;
    sm_place *places;
    size_t n, cap;
    index_t exact, folded;
    fuzzy_key *fuzzy;
    size_t nfuzzy;
    const char **first;        /* open-addressing set of first words of folded keys */
    size_t nfirst;             /* slots, a power of two */
    size_t max_words;
    bool loaded;
};

static const char *const kinds[] = {
    "country", "city", "town", "village", "district", "region", "base",
    "airbase", "border_crossing", "camp", "road", "river", "lake", "oil_field",
    "gas_field", "dam", "station", "mountain", "desert", "checkpoint", "port",
    "airport", "site", NULL};

const char *const *sm_gazetteer_kinds(void) { return kinds; }

const char *sm_match_name(sm_match m)
{
    switch (m) {
    case SM_MATCH_EXACT: return "exact";
    case SM_MATCH_ALIAS: return "alias";
    case SM_MATCH_FOLDED: return "folded";
    case SM_MATCH_FUZZY: return "fuzzy";
    case SM_MATCH_COORDINATE: return "coordinate";
    case SM_MATCH_RELATIVE: return "relative";
    }
    return "unknown";
}

/* Kinds in order of how much a bare name is likely to mean them. */
static int kind_weight(const char *kind)
{
    static const struct { const char *k; int w; } t[] = {
        {"country", 10}, {"city", 9}, {"region", 8}, {"desert", 8},
        {"base", 7}, {"airbase", 7}, {"town", 7}, {"border_crossing", 6},
        {"road", 6}, {"river", 6}, {"camp", 5}, {"dam", 5}, {"oil_field", 5},
        {"gas_field", 5}, {"mountain", 5}, {"airport", 5}, {"village", 4},
        {"station", 4}, {"district", 2}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].k, kind) == 0)
            return t[i].w;
    return 3;
}

sm_gazetteer *sm_gazetteer_new(void)
{
    return calloc(1, sizeof(sm_gazetteer));
}

static void gz_clear(sm_gazetteer *gz)
{
    for (size_t i = 0; i < gz->n; i++)
        free((void *)gz->places[i].aliases);
    free(gz->places);
    index_release(&gz->exact);
    index_release(&gz->folded);
    free(gz->fuzzy);
    free(gz->first);
    gz->first = NULL;
    gz->nfirst = gz->max_words = 0;
    arena_release(&gz->mem);
    gz->places = NULL;
    gz->fuzzy = NULL;
    gz->n = gz->cap = gz->nfuzzy = 0;
}

void sm_gazetteer_free(sm_gazetteer *gz)
{
    if (!gz)
        return;
    gz_clear(gz);
    free(gz);
}

size_t sm_gazetteer_count(const sm_gazetteer *gz) { return gz->n; }

const sm_place *sm_gazetteer_place(const sm_gazetteer *gz, size_t i)
{
    return i < gz->n ? &gz->places[i] : NULL;
}

const sm_place *sm_gazetteer_by_id(const sm_gazetteer *gz, const char *id)
{
    /* Rows are few (hundreds to thousands) and by-id lookups rare. */
    for (size_t i = 0; i < gz->n; i++)
        if (strcmp(gz->places[i].id, id) == 0)
            return &gz->places[i];
    return NULL;
}

/* ---- reading rows ------------------------------------------------------- */

typedef struct field {
    const char *s;
    size_t n;
    long col; /* 1-based column of the field's first byte */
} field;

/* Columns in characters, not bytes, so an editor's column matches. */
static long char_col(const char *line, size_t byte_off)
{
    long col = 1;
    for (size_t i = 0; i < byte_off; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            col++;
    return col;
}

static bool parse_double_field(const field *f, double *out)
{
    char buf[64];
    if (f->n == 0 || f->n >= sizeof buf)
        return false;
    memcpy(buf, f->s, f->n);
    buf[f->n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end != '\0' || errno != 0 || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Geometry references are resolved after every file is read. */
typedef struct pending_vertex {
    size_t place;
    size_t vertex;
    const char *ref;
    long line;
    long col;
    const char *file;
} pending_vertex;

typedef struct loader {
    sm_gazetteer *gz;
    pending_vertex *pend;
    size_t npend, cappend;
} loader;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static sm_status row_error(sm_error *err, const char *file, long line,
                           const char *lstart, const field *f, const char *fmt, ...)
{
    char msg[SM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long col = f ? char_col(lstart, (size_t)(f->s - lstart)) : 1;
    return sm_error_set_at(err, SM_ERR_PARSE, file, line, col, "%s", msg);
}

static sm_status parse_geometry(loader *ld, size_t pi, const field *f,
                                const char *file, long line, const char *lstart,
                                sm_error *err)
{
    sm_gazetteer *gz = ld->gz;
    sm_place *p = &gz->places[pi];
    const char *s = f->s, *end = f->s + f->n;
    if (f->n > 5 && strncmp(s, "line:", 5) == 0) {
        p->geometry = SM_GEOM_LINE;
        s += 5;
    } else if (f->n > 5 && strncmp(s, "area:", 5) == 0) {
        p->geometry = SM_GEOM_AREA;
        s += 5;
    } else {
        return row_error(err, file, line, lstart, f,
                         "geometry must start with 'line:' or 'area:'%s", "");
    }
    size_t nv = 1;
    for (const char *q = s; q < end; q++)
        if (*q == ';')
            nv++;
    if (nv < 2 || (p->geometry == SM_GEOM_AREA && nv < 3))
        return row_error(err, file, line, lstart, f,
                         "a %s needs more vertices", p->geometry == SM_GEOM_LINE ? "line" : "area");
    double *v = arena_alloc(&gz->mem, nv * 2 * sizeof(double));
    if (!v)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    size_t k = 0;
    while (s <= end && k < nv) {
        const char *e = memchr(s, ';', (size_t)(end - s));
        if (!e)
            e = end;
        while (s < e && *s == ' ')
            s++;
        size_t n = (size_t)(e - s);
        while (n > 0 && s[n - 1] == ' ')
            n--;
        field vf = {s, n, 0};
        if (n > 1 && s[0] == '@') {
            if (ld->npend == ld->cappend) {
                size_t cap = ld->cappend ? ld->cappend * 2 : 64;
                pending_vertex *pv = realloc(ld->pend, cap * sizeof *pv);
                if (!pv)
                    return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
                ld->pend = pv;
                ld->cappend = cap;
            }
            ld->pend[ld->npend++] = (pending_vertex){
                pi, k, arena_strndup(&gz->mem, s + 1, n - 1), line,
                char_col(lstart, (size_t)(s - lstart)), file};
            v[2 * k] = v[2 * k + 1] = NAN;
        } else {
            char buf[128];
            if (n == 0 || n >= sizeof buf)
                return row_error(err, file, line, lstart, &vf,
                                 "empty or overlong geometry vertex%s", "");
            memcpy(buf, s, n);
            buf[n] = '\0';
            char *e2;
            double la = strtod(buf, &e2);
            double lo = strtod(e2, &e2);
            while (*e2 == ' ')
                e2++;
            if (*e2 || !(fabs(la) <= 90) || !(fabs(lo) <= 180))
                return row_error(err, file, line, lstart, &vf,
                                 "vertex must be '@id' or 'lat lon' in range%s", "");
            v[2 * k] = la;
            v[2 * k + 1] = lo;
        }
        k++;
        s = e + 1;
    }
    p->vertices = v;
    p->n_vertices = nv;
    return SM_OK;
}

static sm_status parse_row(loader *ld, const char *file, long line,
                           const char *l, size_t len, sm_error *err)
{
    sm_gazetteer *gz = ld->gz;
    field f[11];
    size_t nf = 0;
    const char *s = l, *end = l + len;
    while (nf < 11) {
        const char *t = memchr(s, '\t', (size_t)(end - s));
        if (!t)
            t = end;
        f[nf++] = (field){s, (size_t)(t - s), 0};
        if (t == end)
            break;
        s = t + 1;
    }
    if (nf < 9 || nf > 10)
        return sm_error_set_at(err, SM_ERR_PARSE, file, line, 1,
                               "expected 9 or 10 tab-separated columns "
                               "(id name aliases kind country lat lon precision_km source [geometry]), found %zu",
                               nf);
    static const char *const names[] = {"id", "name", NULL, "kind", "country",
                                         NULL, NULL, "precision_km", "source"};
    for (int i = 0; i < 9; i++)
        if (names[i] && f[i].n == 0)
            return row_error(err, file, line, l, &f[i], "empty %s", names[i]);
    if (gz->n == gz->cap) {
        size_t cap = gz->cap ? gz->cap * 2 : 512;
        sm_place *p = realloc(gz->places, cap * sizeof *p);
        if (!p)
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        gz->places = p;
        gz->cap = cap;
    }
    sm_place *p = &gz->places[gz->n];
    memset(p, 0, sizeof *p);
    p->file = file;
    p->line = line;
    /* kind */
    const char *kind = NULL;
    for (int i = 0; kinds[i]; i++)
        if (strlen(kinds[i]) == f[3].n && memcmp(kinds[i], f[3].s, f[3].n) == 0)
            kind = kinds[i];
    if (!kind) {
        char k[64];
        snprintf(k, sizeof k, "%.*s", (int)(f[3].n < 40 ? f[3].n : 40), f[3].s);
        return row_error(err, file, line, l, &f[3],
                         "unknown kind '%s' (see sm_gazetteer_kinds: city, town, village, base, ...)", k);
    }
    p->kind = kind;
    if (f[4].n != 2 || f[4].s[0] < 'A' || f[4].s[0] > 'Z' || f[4].s[1] < 'A' ||
        f[4].s[1] > 'Z')
        return row_error(err, file, line, l, &f[4],
                         "country must be an ISO 3166-1 alpha-2 code such as SY%s", "");
    bool has_geom = nf == 10 && f[9].n > 0;
    if (f[5].n == 0 && f[6].n == 0 && has_geom) {
        p->lat = p->lon = NAN; /* from the geometry, once references resolve */
    } else {
        if (!parse_double_field(&f[5], &p->lat) || fabs(p->lat) > 90)
            return row_error(err, file, line, l, &f[5],
                             "latitude must be a number in [-90, 90]%s", "");
        if (!parse_double_field(&f[6], &p->lon) || fabs(p->lon) > 180)
            return row_error(err, file, line, l, &f[6],
                             "longitude must be a number in [-180, 180]%s", "");
    }
    if (!parse_double_field(&f[7], &p->precision_km) || !(p->precision_km > 0))
        return row_error(err, file, line, l, &f[7],
                         "precision_km must be a positive number%s", "");
    p->id = arena_strndup(&gz->mem, f[0].s, f[0].n);
    p->name = arena_strndup(&gz->mem, f[1].s, f[1].n);
    p->country = arena_strndup(&gz->mem, f[4].s, 2);
    p->source = arena_strndup(&gz->mem, f[8].s, f[8].n);
    if (!p->id || !p->name || !p->country || !p->source)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    /* aliases */
    size_t na = 0;
    if (f[2].n) {
        na = 1;
        for (size_t i = 0; i < f[2].n; i++)
            if (f[2].s[i] == '|')
                na++;
    }
    const char **al = na ? calloc(na, sizeof *al) : NULL;
    if (na && !al)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    size_t k = 0;
    s = f[2].s;
    end = f[2].s + f[2].n;
    while (k < na) {
        const char *t = memchr(s, '|', (size_t)(end - s));
        if (!t)
            t = end;
        if (t > s) {
            al[k] = arena_strndup(&gz->mem, s, (size_t)(t - s));
            if (!al[k]) {
                free(al);
                return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
            }
            k++;
        } else {
            na--; /* "a||b": an empty alias is skipped, not an error */
        }
        s = t + 1;
    }
    p->aliases = al;
    p->n_aliases = na;
    gz->n++;
    if (has_geom) {
        sm_status st = parse_geometry(ld, gz->n - 1, &f[9], file, line, l, err);
        if (st != SM_OK)
            return st;
    }
    return SM_OK;
}

static sm_status load_file(loader *ld, const char *path, sm_error *err)
{
    sm_gazetteer *gz = ld->gz;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return sm_error_set(err, SM_ERR_IO, "cannot open gazetteer file '%s': %s",
                            path, strerror(errno));
    if (fseek(fp, 0, SEEK_END) != 0) {
        fclose(fp);
        return sm_error_set(err, SM_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
    }
    long size = ftell(fp);
    if (size < 0 || size > GZ_FILE_MAX) {
        fclose(fp);
        return sm_error_set(err, SM_ERR_LIMIT, "gazetteer file '%s' is over %ld bytes",
                            path, GZ_FILE_MAX);
    }
    rewind(fp);
    char *buf = malloc((size_t)size + 1);
    if (!buf) {
        fclose(fp);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory reading '%s'", path);
    }
    size_t got = fread(buf, 1, (size_t)size, fp);
    bool rerr = ferror(fp);
    fclose(fp);
    if (rerr || got != (size_t)size) {
        free(buf);
        return sm_error_set(err, SM_ERR_IO, "cannot read '%s'", path);
    }
    buf[got] = '\0';
    const char *file = arena_strndup(&gz->mem, path, strlen(path));
    sm_status st = SM_OK;
    long line = 0;
    size_t i = 0;
    if (got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a BOM from a spreadsheet export */
    while (i < got && st == SM_OK) {
        line++;
        char *nl = memchr(buf + i, '\n', got - i);
        size_t n = nl ? (size_t)(nl - (buf + i)) : got - i;
        char *l = buf + i;
        i += n + 1;
        if (n > 0 && l[n - 1] == '\r')
            n--;
        if (n > GZ_LINE_MAX) {
            st = sm_error_set_at(err, SM_ERR_LIMIT, file, line, 1,
                                 "line is %zu bytes long, over the limit of %d", n, GZ_LINE_MAX);
            break;
        }
        size_t bad;
        if (!sm_utf8_valid(l, n, &bad)) {
            st = sm_error_set_at(err, SM_ERR_ENCODING, file, line, char_col(l, bad),
                                 "invalid UTF-8 (byte 0x%02X)", (unsigned char)l[bad]);
            break;
        }
        size_t j = 0;
        while (j < n && (l[j] == ' ' || l[j] == '\t'))
            j++;
        if (j == n || l[j] == '#')
            continue;
        st = parse_row(ld, file, line, l, n, err);
    }
    free(buf);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int place_id_cmp(const void *a, const void *b)
{
    const sm_place *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

/* The key without its generic words ("bir qasab" => "qasab"), for the fuzzy
 * tier: generic words alone must not make two names alike. */
static void specific_part(const char *k, char *spec, size_t *sn)
{
    *sn = 0;
    const char *w = k;
    while (*w) {
        const char *e = strchr(w, ' ');
        size_t wl = e ? (size_t)(e - w) : strlen(w);
        if (!sm_fold_is_generic(w, wl)) {
            if (*sn)
                spec[(*sn)++] = ' ';
            memcpy(spec + *sn, w, wl);
            *sn += wl;
        }
        w += wl;
        if (*w == ' ')
            w++;
    }
    spec[*sn] = '\0';
}

static sm_status finish(loader *ld, sm_error *err)
{
    sm_gazetteer *gz = ld->gz;
    /* Unique ids, found through a sorted copy. */
    const sm_place **byid = malloc((gz->n ? gz->n : 1) * sizeof *byid);
    if (!byid)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < gz->n; i++)
        byid[i] = &gz->places[i];
    qsort(byid, gz->n, sizeof *byid, place_id_cmp);
    for (size_t i = 1; i < gz->n; i++)
        if (strcmp(byid[i]->id, byid[i - 1]->id) == 0) {
            const sm_place *a = byid[i - 1], *b = byid[i];
            if (a->line > b->line && strcmp(a->file, b->file) == 0) {
                const sm_place *t = a;
                a = b;
                b = t;
            }
            free(byid);
            return sm_error_set_at(err, SM_ERR_PARSE, b->file, b->line, 1,
                                   "duplicate id '%s' (first at %s:%ld)", b->id,
                                   a->file, a->line);
        }
    for (size_t i = 0; i < ld->npend; i++) {
        pending_vertex *pv = &ld->pend[i];
        sm_place key = {.id = pv->ref};
        const sm_place *kp = &key;
        const sm_place **hit = bsearch(&kp, byid, gz->n, sizeof *byid, place_id_cmp);
        if (!hit || (*hit)->geometry != SM_GEOM_POINT || isnan((*hit)->lat)) {
            free(byid);
            return sm_error_set_at(err, SM_ERR_PARSE, pv->file, pv->line, pv->col,
                                   "geometry vertex '@%s' is not the id of a point place",
                                   pv->ref);
        }
        double *v = (double *)gz->places[pv->place].vertices;
        v[2 * pv->vertex] = (*hit)->lat;
        v[2 * pv->vertex + 1] = (*hit)->lon;
    }
    free(byid);
    for (size_t i = 0; i < gz->n; i++) {
        sm_place *p = &gz->places[i];
        if (isnan(p->lat)) {
            size_t mid = p->n_vertices / 2;
            p->lat = p->vertices[2 * mid];
            p->lon = p->vertices[2 * mid + 1];
        }
    }
    /* Index every name and alias under both keys. */
    char key[SM_KEY_MAX];
    for (size_t i = 0; i < gz->n; i++) {
        sm_place *p = &gz->places[i];
        for (size_t a = 0; a <= p->n_aliases; a++) {
            const char *nm = a == 0 ? p->name : p->aliases[a - 1];
            sm_error e2;
            sm_error_init(&e2);
            if (sm_fold_exact(nm, strlen(nm), key, sizeof key, &e2) != SM_OK)
                return sm_error_set_at(err, SM_ERR_PARSE, p->file, p->line, 1,
                                       "name '%s': %s", nm, e2.message);
            char *k1 = arena_strndup(&gz->mem, key, strlen(key));
            if (!k1 || !index_add(&gz->exact, k1, (uint32_t)i, a > 0, nm))
                return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
            if (sm_fold(nm, strlen(nm), key, sizeof key, &e2) != SM_OK)
                continue; /* e.g. a name of punctuation only: exact key only */
            char *k2 = arena_strndup(&gz->mem, key, strlen(key));
            if (!k2 || !index_add(&gz->folded, k2, (uint32_t)i, a > 0, nm))
                return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        }
    }
    if (!index_build(&gz->exact) || !index_build(&gz->folded))
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    /* The fuzzy tier walks the distinct folded keys. */
    size_t groups = 0;
    for (size_t i = 0; i < gz->folded.n; i++)
        if (i == 0 || strcmp(gz->folded.posts[i - 1].key, gz->folded.posts[i].key))
            groups++;
    gz->fuzzy = calloc(groups ? groups : 1, sizeof *gz->fuzzy);
    if (!gz->fuzzy)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < gz->folded.n;) {
        size_t j = i + 1;
        while (j < gz->folded.n &&
               strcmp(gz->folded.posts[i].key, gz->folded.posts[j].key) == 0)
            j++;
        const char *k = gz->folded.posts[i].key;
        char spec[SM_KEY_MAX];
        size_t sn;
        specific_part(k, spec, &sn);
        fuzzy_key *fk = &gz->fuzzy[gz->nfuzzy++];
        fk->key = k;
        fk->len = (uint32_t)strlen(k);
        fk->specific = arena_strndup(&gz->mem, spec, sn);
        fk->slen = (uint32_t)sn;
        fk->group = (uint32_t)i;
        fk->count = (uint32_t)(j - i);
        if (!fk->specific)
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        i = j;
    }
    /* First words of the folded keys, for text scanning. */
    gz->nfirst = 64;
    while (gz->nfirst < gz->nfuzzy * 2)
        gz->nfirst *= 2;
    gz->first = calloc(gz->nfirst, sizeof *gz->first);
    if (!gz->first)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < gz->nfuzzy; i++) {
        const char *k = gz->fuzzy[i].key;
        const char *sp = strchr(k, ' ');
        size_t wl = sp ? (size_t)(sp - k) : strlen(k);
        size_t words = 1;
        for (const char *q = k; *q; q++)
            words += *q == ' ';
        if (words > gz->max_words)
            gz->max_words = words;
        size_t slotn = (size_t)hash_mem(k, wl) & (gz->nfirst - 1);
        bool dup = false;
        while (gz->first[slotn]) {
            const char *f = gz->first[slotn];
            if (strncmp(f, k, wl) == 0 && (f[wl] == ' ' || f[wl] == '\0')) {
                dup = true;
                break;
            }
            slotn = (slotn + 1) & (gz->nfirst - 1);
        }
        if (!dup)
            gz->first[slotn] = k; /* the key itself: its first word ends at ' ' or NUL */
    }
    gz->loaded = true;
    return SM_OK;
}

bool sm_gazetteer_is_first_word(const sm_gazetteer *gz, const char *word, size_t len)
{
    if (!gz->first || len == 0)
        return false;
    size_t s = (size_t)hash_mem(word, len) & (gz->nfirst - 1);
    while (gz->first[s]) {
        const char *f = gz->first[s];
        if (strncmp(f, word, len) == 0 && (f[len] == ' ' || f[len] == '\0'))
            return true;
        s = (s + 1) & (gz->nfirst - 1);
    }
    return false;
}

size_t sm_gazetteer_max_words(const sm_gazetteer *gz) { return gz->max_words; }

sm_status sm_gazetteer_load_files(sm_gazetteer *gz, const char *const *paths,
                                  size_t n, sm_error *err)
{
    if (gz->loaded)
        return sm_error_set(err, SM_ERR_USAGE, "gazetteer already loaded");
    loader ld = {gz, NULL, 0, 0};
    sm_status st = SM_OK;
    for (size_t i = 0; i < n && st == SM_OK; i++)
        st = load_file(&ld, paths[i], err);
    if (st == SM_OK && gz->n == 0)
        st = sm_error_set(err, SM_ERR_PARSE, "the gazetteer has no places");
    if (st == SM_OK)
        st = finish(&ld, err);
    free(ld.pend);
    if (st != SM_OK)
        gz_clear(gz);
    return st;
}

sm_status sm_gazetteer_load_dir(sm_gazetteer *gz, const char *dir, sm_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sm_error_set(err, SM_ERR_IO, "cannot open gazetteer folder '%s': %s",
                            dir, strerror(errno));
    char **paths = NULL;
    size_t n = 0, cap = 0;
    sm_status st = SM_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".tsv") != 0 || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            char **np = realloc(paths, cap * sizeof *np);
            if (!np) {
                st = sm_error_set(err, SM_ERR_NOMEM, "out of memory");
                break;
            }
            paths = np;
        }
        size_t pl = strlen(dir) + l + 2;
        paths[n] = malloc(pl);
        if (!paths[n]) {
            st = sm_error_set(err, SM_ERR_NOMEM, "out of memory");
            break;
        }
        snprintf(paths[n], pl, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (st == SM_OK && n == 0)
        st = sm_error_set(err, SM_ERR_IO, "no *.tsv files in gazetteer folder '%s'", dir);
    if (st == SM_OK) {
        qsort(paths, n, sizeof *paths, cmp_str);
        st = sm_gazetteer_load_files(gz, (const char *const *)paths, n, err);
    }
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return st;
}

/* ---- lookup ------------------------------------------------------------- */

static bool passes(const sm_place *p, const sm_lookup_options *o)
{
    if (!o)
        return true;
    if (o->country && *o->country && strcasecmp(o->country, p->country) != 0)
        return false;
    if (o->kind && *o->kind && strcmp(o->kind, p->kind) != 0)
        return false;
    return true;
}

typedef struct cands {
    sm_candidate *v;
    size_t n, max;
} cands;

/* Keep the best candidate per place. */
static void cand_add(cands *c, const sm_place *p, sm_match m, double score,
                     const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].place == p) {
            if (score > c->v[i].score)
                c->v[i] = (sm_candidate){p, m, score, name};
            return;
        }
    if (c->n < c->max)
        c->v[c->n++] = (sm_candidate){p, m, score, name};
}

static int cand_cmp(const void *a, const void *b)
{
    const sm_candidate *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    int wx = kind_weight(x->place->kind), wy = kind_weight(y->place->kind);
    if (wx != wy)
        return wy - wx;
    /* Curated rows were added for a reason: they win ties with imports. */
    bool cx = strncmp(x->place->id, "geonames:", 9) != 0;
    bool cy = strncmp(y->place->id, "geonames:", 9) != 0;
    if (cx != cy)
        return cx ? -1 : 1;
    return strcmp(x->place->id, y->place->id);
}

/* Optimal string alignment distance, giving up past bound. */
static unsigned osa_distance(const char *a, size_t n, const char *b, size_t m,
                             unsigned bound)
{
    if ((n > m ? n - m : m - n) > bound)
        return bound + 1;
    if (n > 64 || m > 64)
        return bound + 1;
    unsigned d[66][66];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        unsigned rowmin = bound + 1;
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > bound)
            return bound + 1;
    }
    return d[n][m];
}

/* Edits allowed between a query key and a gazetteer key, by the shorter of
 * the two: short folded keys ("raq" for Raqqa) are too easy to hit, so
 * "Iraq" must not become Raqqa. */
static unsigned fuzzy_bound(size_t a, size_t b)
{
    size_t len = a < b ? a : b;
    if (len < 5)
        return 0;
    return len < 9 ? 1 : 2;
}

size_t sm_gazetteer_lookup_folded(const sm_gazetteer *gz, const char *key,
                                  sm_candidate *out, size_t max)
{
    cands c = {out, 0, max};
    const slot *s = index_find(&gz->folded, key);
    if (s)
        for (uint32_t i = 0; i < s->count; i++) {
            const posting *p = &gz->folded.posts[s->first + i];
            cand_add(&c, &gz->places[p->place], SM_MATCH_FOLDED, 0.9, p->name);
        }
    qsort(c.v, c.n, sizeof *c.v, cand_cmp);
    return c.n;
}

size_t sm_gazetteer_lookup(const sm_gazetteer *gz, const char *name,
                           const sm_lookup_options *opts, sm_candidate *out,
                           size_t max, sm_error *err)
{
    char key[SM_KEY_MAX], fkey[SM_KEY_MAX];
    sm_candidate buf[64];
    cands c = {buf, 0, sizeof buf / sizeof buf[0]};
    size_t len = strlen(name);
    sm_status st = sm_fold_exact(name, len, key, sizeof key, err);
    if (st != SM_OK)
        return 0;
    const slot *s = index_find(&gz->exact, key);
    if (s)
        for (uint32_t i = 0; i < s->count; i++) {
            const posting *p = &gz->exact.posts[s->first + i];
            const sm_place *pl = &gz->places[p->place];
            if (passes(pl, opts))
                cand_add(&c, pl, p->name_is_alias ? SM_MATCH_ALIAS : SM_MATCH_EXACT,
                         p->name_is_alias ? 0.97 : 1.0, p->name);
        }
    bool have_fkey = sm_fold(name, len, fkey, sizeof fkey, NULL) == SM_OK;
    if (have_fkey) {
        s = index_find(&gz->folded, fkey);
        if (s)
            for (uint32_t i = 0; i < s->count; i++) {
                const posting *p = &gz->folded.posts[s->first + i];
                const sm_place *pl = &gz->places[p->place];
                if (passes(pl, opts))
                    cand_add(&c, pl, SM_MATCH_FOLDED, 0.9, p->name);
            }
    }
    /* Fuzzy only when nothing matched better: a slip, not a second opinion. */
    if (c.n == 0 && have_fkey) {
        size_t flen = strlen(fkey);
        unsigned maxbound = fuzzy_bound(flen, flen);
        char spec[SM_KEY_MAX];
        size_t sn;
        specific_part(fkey, spec, &sn);
        if (maxbound > 0 && sn >= 3) {
            for (size_t i = 0; i < gz->nfuzzy; i++) {
                const fuzzy_key *fk = &gz->fuzzy[i];
                unsigned bound = fuzzy_bound(flen, fk->len);
                if (bound == 0 ||
                    (fk->len > flen ? fk->len - flen : flen - fk->len) > bound)
                    continue;
                unsigned d = osa_distance(fkey, flen, fk->key, fk->len, bound);
                if (d > bound || d == 0)
                    continue;
                /* The specific words must be as close on their own: "Bir
                 * Mdad" is not a slip of "Bir Qassab". */
                unsigned ds = osa_distance(spec, sn, fk->specific, fk->slen, bound);
                if (ds > bound || fk->slen == 0)
                    continue;
                double score = 0.85 - 0.1 * d;
                for (uint32_t k = 0; k < fk->count; k++) {
                    const posting *p = &gz->folded.posts[fk->group + k];
                    const sm_place *pl = &gz->places[p->place];
                    if (passes(pl, opts))
                        cand_add(&c, pl, SM_MATCH_FUZZY, score, p->name);
                }
            }
        }
    }
    if (c.n == 0) {
        /* Suggestions: nearest folded keys within 3 edits, any filter. */
        const char *sug[3] = {NULL, NULL, NULL};
        unsigned sd[3] = {99, 99, 99};
        if (have_fkey) {
            size_t flen = strlen(fkey);
            for (size_t i = 0; i < gz->nfuzzy; i++) {
                const fuzzy_key *fk = &gz->fuzzy[i];
                unsigned d = osa_distance(fkey, flen, fk->key, fk->len, 3);
                if (d > 3 || fk->slen == 0)
                    continue;
                const char *nm = gz->places[gz->folded.posts[fk->group].place].name;
                bool dup = false;
                for (int k = 0; k < 3; k++)
                    if (sug[k] && strcmp(sug[k], nm) == 0)
                        dup = true;
                if (dup)
                    continue;
                for (int k = 0; k < 3; k++)
                    if (d < sd[k]) {
                        for (int j = 2; j > k; j--) {
                            sug[j] = sug[j - 1];
                            sd[j] = sd[j - 1];
                        }
                        sug[k] = nm;
                        sd[k] = d;
                        break;
                    }
            }
        }
        const char *filt = (opts && ((opts->country && *opts->country) ||
                                     (opts->kind && *opts->kind)))
                               ? " with the given filters" : "";
        char list[320] = "";
        size_t ll = 0;
        for (int k = 0; k < 3 && sug[k]; k++)
            ll += (size_t)snprintf(list + ll, ll < sizeof list ? sizeof list - ll : 0,
                                   "%s'%s'", k ? ", " : "", sug[k]);
        if (sug[0])
            sm_error_set(err, SM_ERR_NOT_FOUND, "unknown place '%s'%s; did you mean %s?",
                         name, filt, list);
        else
            sm_error_set(err, SM_ERR_NOT_FOUND, "unknown place '%s'%s", name, filt);
        return 0;
    }
    qsort(c.v, c.n, sizeof *c.v, cand_cmp);
    size_t n = c.n < max ? c.n : max;
    memcpy(out, c.v, n * sizeof *out);
    return n;
}

/* ---- near --------------------------------------------------------------- */

static int nearby_cmp(const void *a, const void *b)
{
    const sm_nearby *x = a, *y = b;
    if (x->distance_m != y->distance_m)
        return x->distance_m < y->distance_m ? -1 : 1;
    return strcmp(x->place->id, y->place->id);
}

sm_status sm_gazetteer_near(const sm_gazetteer *gz, double lat, double lon,
                            double radius_m, const sm_lookup_options *opts,
                            sm_nearby **out, size_t *n, sm_error *err)
{
    *out = NULL;
    *n = 0;
    if (!(radius_m >= 0) || !isfinite(radius_m))
        return sm_error_set(err, SM_ERR_RANGE, "radius must be a finite distance of 0 or more");
    sm_nearby *v = malloc((gz->n ? gz->n : 1) * sizeof *v);
    if (!v)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < gz->n; i++) {
        const sm_place *p = &gz->places[i];
        /* A region's or a road's single point is no place to be near. */
        if (p->geometry != SM_GEOM_POINT || !passes(p, opts))
            continue;
        double d, az;
        sm_geo_inverse(lat, lon, p->lat, p->lon, &d, &az, NULL);
        if (d <= radius_m)
            v[k++] = (sm_nearby){p, d, az};
    }
    qsort(v, k, sizeof *v, nearby_cmp);
    *out = v;
    *n = k;
    return SM_OK;
}
