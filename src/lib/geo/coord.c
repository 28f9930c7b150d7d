/* coord.c - reading coordinate pairs in the forms listed in coord.h. */
#include "sitmap/coord.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_tab[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

size_t sm_parse_decimal(const char *s, size_t len, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    uint64_t mant = 0;
    int digits = 0, frac = 0;
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (digits < 19) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            if (mant)
                digits++;
        } else {
            digits++;
        }
        i++;
    }
    size_t int_end = i;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                if (mant)
                    digits++;
                frac++;
            } else {
                digits++;
            }
            i++;
        }
    }
    if (i == start || (int_end == start && i == start + 1))
        return 0; /* no digits at all ("-" or ".") */
    if (digits <= 15 && frac <= 22) {
        /* Clinger's fast path: both operands exact, one rounding. */
        double v = (double)mant / pow10_tab[frac];
        *out = neg ? -v : v;
        return i;
    }
    char buf[64];
    size_t n = i < sizeof buf - 1 ? i : sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    return i;
}

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '/';
}

static bool is_hemi(char c)
{
    return c == 'N' || c == 'S' || c == 'E' || c == 'W' || c == 'n' ||
           c == 's' || c == 'e' || c == 'w';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool sm_coord_looks_like(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= len)
        return false;
    if (is_hemi(s[i])) {
        i++;
        while (i < len && s[i] == ' ')
            i++;
    }
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    return i < len && (is_digit(s[i]) || (s[i] == '.' && i + 1 < len && is_digit(s[i + 1])));
}

/* Match one of the UTF-8 or ASCII spellings of a degree/minute/second mark. */
static size_t match_mark(const char *s, size_t len, size_t i, const char *const *marks)
{
    for (int k = 0; marks[k]; k++) {
        size_t n = strlen(marks[k]);
        if (len - i >= n && memcmp(s + i, marks[k], n) == 0)
            return n;
    }
    return 0;
}

static const char *const deg_marks[] = {"\xC2\xB0", "\xC2\xBA", "d", ":", NULL};
static const char *const min_marks[] = {"\xE2\x80\xB2", "'", "\xE2\x80\x99", "m", ":", NULL};
static const char *const sec_marks[] = {"\xE2\x80\xB3", "\"", "''", "\xE2\x80\x9D", "s", NULL};

typedef struct part {
    double value;
    char hemi; /* 'N', 'S', 'E', 'W' or 0 */
} part;

static sm_status parse_part(const char *s, size_t len, size_t *pos, part *p,
                            const char *what, sm_error *err)
{
    size_t i = *pos;
    p->hemi = 0;
    if (i < len && is_hemi(s[i]) && !(i + 1 < len && s[i + 1] >= 'a' && s[i + 1] <= 'z')) {
        p->hemi = (char)(s[i] & ~0x20);
        i++;
        while (i < len && s[i] == ' ')
            i++;
    }
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    double deg, min = 0, sec = 0;
    size_t n = sm_parse_decimal(s + i, len - i, &deg);
    if (n == 0 || s[i] == '-' || s[i] == '+')
        return sm_error_set(err, SM_ERR_PARSE, "expected the %s's degrees at column %zu",
                            what, i + 1);
    i += n;
    size_t m = match_mark(s, len, i, deg_marks);
    if (m) {
        bool colon = s[i] == ':';
        i += m;
        while (i < len && s[i] == ' ')
            i++;
        n = (i < len && is_digit(s[i])) ? sm_parse_decimal(s + i, len - i, &min) : 0;
        if (n) {
            i += n;
            m = match_mark(s, len, i, min_marks);
            if (!m && !colon && !(i >= len || s[i] == ' ' || is_hemi(s[i])))
                return sm_error_set(err, SM_ERR_PARSE,
                                    "expected a minutes mark after the %s's minutes at column %zu",
                                    what, i + 1);
            if (m) {
                colon = s[i] == ':';
                i += m;
                while (i < len && s[i] == ' ')
                    i++;
                n = (i < len && is_digit(s[i])) ? sm_parse_decimal(s + i, len - i, &sec) : 0;
                if (n) {
                    i += n;
                    i += match_mark(s, len, i, sec_marks);
                }
            }
        } else if (colon) {
            return sm_error_set(err, SM_ERR_PARSE, "expected the %s's minutes at column %zu",
                                what, i + 1);
        }
    }
    if (min >= 60 || sec >= 60)
        return sm_error_set(err, SM_ERR_RANGE,
                            "%s minutes and seconds must be under 60", what);
    /* A trailing letter belongs to this part only if it had none in front:
     * in "N33.51 E36.28" the E starts the next part. */
    size_t save = i;
    while (i < len && s[i] == ' ')
        i++;
    if (!p->hemi && i < len && is_hemi(s[i]) &&
        !(i + 1 < len && s[i + 1] >= 'a' && s[i + 1] <= 'z')) {
        p->hemi = (char)(s[i] & ~0x20);
        i++;
    } else {
        i = save;
    }
    double v = deg + min / 60.0 + sec / 3600.0;
    if (neg && (p->hemi == 'S' || p->hemi == 'W'))
        return sm_error_set(err, SM_ERR_PARSE,
                            "both a minus sign and a hemisphere letter for the %s", what);
    if (neg || p->hemi == 'S' || p->hemi == 'W')
        v = -v;
    p->value = v;
    *pos = i;
    return SM_OK;
}

sm_status sm_coord_parse(const char *s, size_t len, double *lat, double *lon,
                         sm_error *err)
{
    if (!sm_coord_looks_like(s, len))
        return SM_ERR_NOT_FOUND;
    size_t i = 0;
    part p[2];
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    sm_status st = parse_part(s, len, &i, &p[0], "first coordinate", err);
    if (st != SM_OK)
        return st;
    size_t before = i;
    while (i < len && is_sep(s[i]))
        i++;
    if (i >= len)
        return sm_error_set(err, SM_ERR_PARSE,
                            "'%.*s' has one number; a position needs latitude and longitude",
                            (int)len, s);
    if (i == before && !(p[0].hemi && (is_digit(s[i]) || is_hemi(s[i]))))
        return sm_error_set(err, SM_ERR_PARSE, "unexpected '%c' at column %zu", s[i], i + 1);
    st = parse_part(s, len, &i, &p[1], "second coordinate", err);
    if (st != SM_OK)
        return st;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len)
        return sm_error_set(err, SM_ERR_PARSE, "unexpected '%c' at column %zu after the coordinates",
                            s[i], i + 1);
    double la, lo;
    bool ns0 = p[0].hemi == 'N' || p[0].hemi == 'S';
    bool ew0 = p[0].hemi == 'E' || p[0].hemi == 'W';
    bool ns1 = p[1].hemi == 'N' || p[1].hemi == 'S';
    bool ew1 = p[1].hemi == 'E' || p[1].hemi == 'W';
    if ((ns0 && ns1) || (ew0 && ew1))
        return sm_error_set(err, SM_ERR_PARSE,
                            "both coordinates are in the %s hemisphere letters; one must be N/S and the other E/W",
                            ns0 ? "N/S" : "E/W");
    if (ew0 || ns1) {
        la = p[1].value;
        lo = p[0].value;
    } else {
        la = p[0].value;
        lo = p[1].value;
    }
    if (!(fabs(la) <= 90.0))
        return sm_error_set(err, SM_ERR_RANGE, "latitude %g is out of range [-90, 90]", la);
    if (!(fabs(lo) <= 180.0))
        return sm_error_set(err, SM_ERR_RANGE, "longitude %g is out of range [-180, 180]", lo);
    *lat = la;
    *lon = lo;
    return SM_OK;
}
