/* fold.c - exact and transliteration-blind keys for place names (see fold.h). */
#include "sitmap/fold.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A word being folded: ASCII for Latin script, UTF-8 bytes otherwise. */
typedef struct word {
    char b[SM_KEY_MAX];
    size_t n;
    bool ascii;
} word;

void sm_utf8_line_col(const char *s, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            ++*col; /* continuation bytes are not characters */
        }
    }
}

bool sm_utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            if (bad)
                *bad = i;
            return false;
        }
        i += (size_t)k;
    }
    return true;
}

static sm_status check_input(const char *s, size_t len, sm_error *err)
{
    size_t bad;
    if (len > SM_NAME_MAX)
        return sm_error_set(err, SM_ERR_LIMIT,
                            "name is %zu bytes long, over the limit of %d",
                            len, SM_NAME_MAX);
    if (!sm_utf8_valid(s, len, &bad)) {
        sm_error_set(err, SM_ERR_ENCODING,
                     "invalid UTF-8 at byte %zu of the name", bad + 1);
        if (err)
            err->column = (long)bad + 1;
        return SM_ERR_ENCODING;
    }
    return SM_OK;
}

static bool is_space_cp(utf8proc_int32_t cp)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
        cp == '\f')
        return true;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

sm_status sm_fold_exact(const char *s, size_t len, char *out, size_t cap,
                        sm_error *err)
{
    sm_status st = check_input(s, len, err);
    if (st != SM_OK)
        return st;
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    size_t o = 0;
    bool pending_space = false;
    if (ascii) {
        /* The hot path of exact lookups: no allocation, no tables. */
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
                c == '\f') {
                pending_space = o > 0;
                continue;
            }
            if (o + 2 >= cap)
                return sm_error_set(err, SM_ERR_LIMIT, "name key too long");
            if (pending_space) {
                out[o++] = ' ';
                pending_space = false;
            }
            out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
    } else {
        utf8proc_uint8_t *m = NULL;
        utf8proc_ssize_t r = utf8proc_map(
            (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
            UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
        if (r < 0)
            return sm_error_set(err, SM_ERR_ENCODING, "cannot normalise name: %s",
                                utf8proc_errmsg(r));
        utf8proc_ssize_t i = 0;
        while (i < r) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(m + i, r - i, &cp);
            if (k <= 0)
                break;
            if (is_space_cp(cp)) {
                pending_space = o > 0;
            } else {
                if (o + (size_t)k + 2 >= cap) {
                    free(m);
                    return sm_error_set(err, SM_ERR_LIMIT, "name key too long");
                }
                if (pending_space) {
                    out[o++] = ' ';
                    pending_space = false;
                }
                memcpy(out + o, m + i, (size_t)k);
                o += (size_t)k;
            }
            i += k;
        }
        free(m);
    }
    out[o] = '\0';
    if (o == 0)
        return sm_error_set(err, SM_ERR_USAGE, "empty name");
    return SM_OK;
}

/* ---- folding ------------------------------------------------------------ */

static bool is_apostrophe(utf8proc_int32_t cp)
{
    switch (cp) {
    case '\'': case '`': case 0x00B4: case 0x2018: case 0x2019: case 0x201B:
    case 0x02BC: case 0x02BB: case 0x02BE: case 0x02BF: case 0x02B9:
    case 0x2032: case 0x02C8: case 0xFF07:
        return true;
    default:
        return false;
    }
}

/* Arabic letters that spell one sound several ways; 0 drops the code point. */
static utf8proc_int32_t arabic_norm(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627; /* alef */
    case 0x0629: return 0x0647;                 /* ta marbuta => ha */
    case 0x0649: return 0x064A;                 /* alef maqsura => ya */
    case 0x0624: return 0x0648;                 /* waw with hamza */
    case 0x0626: return 0x064A;                 /* ya with hamza */
    case 0x06A9: return 0x0643;                 /* Persian kaf */
    case 0x06CC: return 0x064A;                 /* Persian ya */
    case 0x0640: return 0;                      /* tatweel */
    default: break;
    }
    if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0654 ||
        cp == 0x0655)
        return 0;                               /* harakat, hamza marks */
    return cp;
}

static bool is_vowel(char c) { return c == 'a' || c == 'i' || c == 'u'; }

static bool word_eq(const word *w, const char *lit)
{
    size_t n = strlen(lit);
    return w->n == n && memcmp(w->b, lit, n) == 0;
}

static bool is_article(const word *w)
{
    static const char *const articles[] = {
        "al", "el", "ad", "ar", "as", "ash", "at", "az", "adh", "an", "ath",
        "ed", "er", "es", "et", "ez", "en", "esh", "ul", "il", "ud", "ur",
        "us", "ut", "uz", "un", NULL};
    /* every article has two or three letters: most words stop here, and
     * this runs for every word of every report */
    if (!w->ascii || w->n < 2 || w->n > 3)
        return false;
    for (int i = 0; articles[i]; i++)
        if (word_eq(w, articles[i]))
            return true;
    return false;
}

/* "ezzor" => "zor": an article assimilated to a sun letter and glued on. */
static void strip_glued_article(word *w)
{
    static const char sun[] = "tdrzsnl";
    if (!w->ascii || w->n < 5 || (w->b[0] != 'a' && w->b[0] != 'e'))
        return;
    char c = w->b[1];
    if (!strchr(sun, c) || w->b[2] != c)
        return;
    memmove(w->b, w->b + 2, w->n - 2);
    w->n -= 2;
}

/* Rules 6-10 of fold.h on one ASCII word. */
static void fold_latin_word(word *w)
{
    char t[SM_KEY_MAX];
    size_t n = 0, i = 0;
    /* 6: diphthongs */
    while (i < w->n) {
        char a = w->b[i], b = i + 1 < w->n ? w->b[i + 1] : '\0';
        if ((a == 'e' && (b == 'i' || b == 'y')) || (a == 'a' && b == 'i')) {
            t[n++] = 'a';
            t[n++] = 'y';
            i += 2;
        } else if (a == 'a' && (b == 'w' || b == 'u')) {
            t[n++] = 'o';
            i += 2;
        } else if ((a == 'o' && (b == 'u' || b == 'o'))) {
            t[n++] = 'u';
            i += 2;
        } else {
            t[n++] = a;
            i++;
        }
    }
    /* 7: five written vowels to three */
    for (i = 0; i < n; i++) {
        if (t[i] == 'e')
            t[i] = 'i';
        else if (t[i] == 'o')
            t[i] = 'u';
    }
    /* 8 and 9: "iy"+vowel => "i"+vowel, doubled letters single */
    size_t m = 0;
    for (i = 0; i < n; i++) {
        char c = t[i];
        if (c == 'y' && m > 0 && t[m - 1] == 'i' && i + 1 < n && is_vowel(t[i + 1]))
            continue;
        if (m > 0 && t[m - 1] == c)
            continue;
        t[m++] = c;
    }
    n = m;
    /* 10: word endings */
    if (n > 3 && t[n - 1] == 'h' && is_vowel(t[n - 2]))
        n--;
    if (n > 1 && t[n - 1] == 'y')
        t[n - 1] = 'i';
    if (n > 3 && is_vowel(t[n - 1]))
        n--;
    memcpy(w->b, t, n);
    w->n = n;
}

/* Rule 4's article: "الرقة" => "رقة" for words over three letters. */
static void strip_arabic_article(word *w)
{
    /* U+0627 U+0644 in UTF-8 */
    static const char al[] = "\xD8\xA7\xD9\x84";
    size_t letters = 0;
    for (size_t i = 0; i < w->n; i++)
        if (((unsigned char)w->b[i] & 0xC0) != 0x80)
            letters++;
    if (letters > 3 && w->n > 4 && memcmp(w->b, al, 4) == 0) {
        memmove(w->b, w->b + 4, w->n - 4);
        w->n -= 4;
    }
}

#define MAX_WORDS 64

typedef struct folder {
    word words[MAX_WORDS];
    size_t nwords;
    word *cur;
} folder;

static sm_status push_cp(folder *f, utf8proc_int32_t cp, sm_error *err)
{
    if (!f->cur) {
        if (f->nwords == MAX_WORDS)
            return sm_error_set(err, SM_ERR_LIMIT, "name has over %d words",
                                MAX_WORDS);
        f->cur = &f->words[f->nwords++];
        f->cur->n = 0;
        f->cur->ascii = true;
    }
    word *w = f->cur;
    if (w->n + 4 >= sizeof w->b)
        return sm_error_set(err, SM_ERR_LIMIT, "name word too long");
    if (cp < 0x80) {
        w->b[w->n++] = (char)cp;
    } else {
        w->ascii = false;
        w->n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)w->b + w->n);
    }
    return SM_OK;
}

static void end_word(folder *f) { f->cur = NULL; }

/* Rules 1-4 for one code point of the input. */
static sm_status feed(folder *f, utf8proc_int32_t cp, sm_error *err)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            return push_cp(f, cp + 32, err);
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            return push_cp(f, cp, err);
        if (cp == '\'' || cp == '`')
            return SM_OK;
        end_word(f);
        return SM_OK;
    }
    if (is_apostrophe(cp))
        return SM_OK;
    utf8proc_int32_t buf[16];
    int opts = UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
               UTF8PROC_STRIPMARK;
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, 16,
                                                 (utf8proc_option_t)opts, &last);
    if (n < 0 || n > 16)
        return sm_error_set(err, SM_ERR_ENCODING, "cannot decompose U+%04X",
                            (unsigned)cp);
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = buf[i];
        if (is_apostrophe(c))
            continue;
        if (c >= 0x0600 && c <= 0x06FF) {
            c = arabic_norm(c);
            if (c == 0)
                continue;
        }
        /* Latin letters that have no decomposition to ASCII. */
        switch (c) {
        case 0x0131: c = 'i'; break;    /* dotless i */
        case 0x0142: c = 'l'; break;    /* l with stroke */
        case 0x00F8: c = 'o'; break;    /* o with stroke */
        case 0x0111: c = 'd'; break;    /* d with stroke */
        case 0x0127: c = 'h'; break;    /* h with stroke */
        case 0x00E6: push_cp(f, 'a', err); c = 'e'; break;
        case 0x0153: push_cp(f, 'o', err); c = 'e'; break;
        case 0x00FE: push_cp(f, 't', err); c = 'h'; break;
        case 0x00F0: c = 'd'; break;
        case 0x0259: c = 'a'; break;    /* schwa, as in Azerbaijani spellings */
        default: break;
        }
        utf8proc_category_t cat = utf8proc_category(c);
        bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                    cat == UTF8PROC_CATEGORY_ND;
        if (!keep) {
            if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
                cat == UTF8PROC_CATEGORY_CF)
                continue;       /* marks and format characters join, not split */
            end_word(f);
            continue;
        }
        sm_status st = push_cp(f, c, err);
        if (st != SM_OK)
            return st;
    }
    return SM_OK;
}

sm_status sm_fold(const char *s, size_t len, char *out, size_t cap,
                  sm_error *err)
{
    sm_status st = check_input(s, len, err);
    if (st != SM_OK)
        return st;
    folder f;
    f.nwords = 0;
    f.cur = NULL;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        utf8proc_int32_t cp;
        if (c < 0x80) {
            cp = c;
            i++;
        } else {
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                  (utf8proc_ssize_t)(len - i), &cp);
            i += (size_t)k; /* valid: checked above */
        }
        st = feed(&f, cp, err);
        if (st != SM_OK)
            return st;
    }
    /* Rule 5 and 4's article, then 6-10 word by word. */
    size_t o = 0;
    bool first = true;
    for (size_t k = 0; k < f.nwords; k++) {
        word *w = &f.words[k];
        if (w->n == 0)
            continue;
        if (k + 1 < f.nwords && is_article(w))
            continue;
        if (w->ascii) {
            if (!first)
                strip_glued_article(w);
            fold_latin_word(w);
        } else {
            strip_arabic_article(w);
        }
        if (w->n == 0)
            continue;
        if (o + w->n + 2 > cap)
            return sm_error_set(err, SM_ERR_LIMIT, "name key too long");
        if (!first)
            out[o++] = ' ';
        memcpy(out + o, w->b, w->n);
        o += w->n;
        first = false;
    }
    if (cap > 0)
        out[o] = '\0';
    if (o == 0)
        return sm_error_set(err, SM_ERR_USAGE, "empty name");
    return SM_OK;
}

bool sm_fold_is_generic(const char *w, size_t n)
{
    /* Folded forms: "wadi" folds to "wad", "tell" to "til", "umm" to "um". */
    static const char *const generic[] = {
        "bir", "jabal", "jibil", "wad", "tal", "til", "khirbat", "khirbit",
        "khirba", "dayr", "ayn", "ras", "abu", "um", "qasr", "kafr", "bayt",
        "nahr", "jisr", "hisn", "sabkhat", "mazrat", "qaryat", "tala", "sad",
        "mukhayam", "qalat", "marj", "khan", "sahl", "birkat", NULL};
    for (int i = 0; generic[i]; i++)
        if (strlen(generic[i]) == n && memcmp(generic[i], w, n) == 0)
            return true;
    return false;
}
