/* report.c - places and claims in report text (see report.h). */
#include "sitmap/report.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "sitmap/fold.h"
#include "sitmap/geo.h"

const char *sm_verdict_name(sm_verdict v)
{
    switch (v) {
    case SM_VERDICT_CONSISTENT: return "consistent";
    case SM_VERDICT_INCONSISTENT: return "inconsistent";
    case SM_VERDICT_UNRESOLVED: return "unresolved";
    }
    return "unresolved";
}

/* ---- tokens ------------------------------------------------------------- */

typedef struct tok {
    size_t s, e;         /* the word's bytes, a possessive "'s" left out */
    bool cap;            /* starts with a capital (or is in a script without case) */
    bool digit;          /* starts with a digit */
    bool brk_before;     /* punctuation between the previous word and this one */
    bool hyphen_before;  /* joined to the previous word by a hyphen */
    bool sent_start;     /* first word of a sentence */
    bool caseless;       /* in a script without capitals (Arabic): no case cues */
} tok;

typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

static bool is_apos(utf8proc_int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BF ||
           c == 0x02BE || c == '`';
}

static bool is_word_cp(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) || k == UTF8PROC_CATEGORY_ND ||
           k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC;
}

static utf8proc_int32_t cp_at(const char *t, size_t len, size_t i, size_t *n)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t + i, (utf8proc_ssize_t)(len - i), &c);
    if (k <= 0) {
        *n = 1;
        return -1;
    }
    *n = (size_t)k;
    return c;
}

static bool push_tok(toks *out, tok k)
{
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 256;
        tok *v = realloc(out->v, nc * sizeof *v);
        if (!v)
            return false;
        out->v = v;
        out->cap = nc;
    }
    out->v[out->n++] = k;
    return true;
}

/* A newline ends a sentence only where a paragraph ends (a blank line, or
 * the end of the text): reports are hard-wrapped mid-sentence. */
static bool para_break(const char *t, size_t len, size_t nl)
{
    size_t p = nl + 1;
    while (p < len && (t[p] == ' ' || t[p] == '\t' || t[p] == '\r'))
        p++;
    return p >= len || t[p] == '\n';
}

static bool tokenize(const char *t, size_t len, toks *out)
{
    size_t i = 0;
    bool brk = true, hyph = false, sent = true;
    while (i < len) {
        size_t n;
        utf8proc_int32_t c = cp_at(t, len, i, &n);
        if (c >= 0 && is_word_cp(c)) {
            size_t s = i, e;
            utf8proc_category_t k = utf8proc_category(c);
            bool cap = k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LO;
            bool caseless = k == UTF8PROC_CATEGORY_LO;
            bool digit = k == UTF8PROC_CATEGORY_ND;
            i += n;
            for (;;) {
                if (i >= len)
                    break;
                utf8proc_int32_t d = cp_at(t, len, i, &n);
                if (d >= 0 && is_word_cp(d)) {
                    i += n;
                    continue;
                }
                if (d >= 0 && is_apos(d) && i + n < len) {
                    size_t n2;
                    utf8proc_int32_t nx = cp_at(t, len, i + n, &n2);
                    bool poss = (nx == 's' || nx == 'S') &&
                                (i + n + n2 >= len || !is_word_cp(cp_at(t, len, i + n + n2, &n2)));
                    if (!poss && nx >= 0 && is_word_cp(nx)) {
                        i += n; /* Sab'a: the mark is part of the word */
                        continue;
                    }
                }
                if (d == '.' && digit && i + 1 < len && isdigit((unsigned char)t[i + 1])) {
                    i += 1; /* 48.6 */
                    continue;
                }
                if (d == ',' && digit && i + 3 < len && isdigit((unsigned char)t[i + 1]) &&
                    isdigit((unsigned char)t[i + 2]) && isdigit((unsigned char)t[i + 3])) {
                    i += 1; /* 1,500 */
                    continue;
                }
                break;
            }
            e = i;
            /* Arabic writes "and", "in", "so" and "like" as one letter glued
             * to the next word: "والأردن" is "and the Jordan". Before an
             * article (alef lam) the letter is split off as its own word. */
            if (caseless && e - s > 6 && (unsigned char)t[s] == 0xD9 &&
                ((unsigned char)t[s + 1] == 0x88 || (unsigned char)t[s + 1] == 0x81 ||
                 (unsigned char)t[s + 1] == 0x83) &&
                memcmp(t + s + 2, "\xD8\xA7\xD9\x84", 4) == 0) {
                if (!push_tok(out, (tok){s, s + 2, cap, false, brk, hyph, sent, true}))
                    return false;
                brk = hyph = sent = false;
                s += 2;
            } else if (caseless && e - s > 6 && (unsigned char)t[s] == 0xD8 &&
                       (unsigned char)t[s + 1] == 0xA8 && memcmp(t + s + 2, "\xD8\xA7\xD9\x84", 4) == 0) {
                if (!push_tok(out, (tok){s, s + 2, cap, false, brk, hyph, sent, true}))
                    return false; /* "بالعراق": "in the Iraq" */
                brk = hyph = sent = false;
                s += 2;
            }
            if (!push_tok(out, (tok){s, e, cap, digit, brk, hyph, sent, caseless}))
                return false;
            brk = hyph = sent = false;
            continue;
        }
        if (c == '-' || c == 0x2010 || c == 0x2011) {
            hyph = true;
        } else if (c == ' ' || c == '\t' || c == '\r' || (c >= 0 && is_apos(c)) ||
                   (c == '\n' && !para_break(t, len, i))) {
            /* spaces, a wrapped line and stray marks join words of one name */
        } else {
            brk = true;
            hyph = false;
            if (c == '.' || c == '!' || c == '?' || c == '\n')
                sent = true;
        }
        i += n;
    }
    return true;
}

static bool word_is(const char *t, const tok *k, const char *w)
{
    /* the first letter rules out nearly every word before any strlen: this
     * runs for every token against every list */
    if (k->e == k->s || tolower((unsigned char)t[k->s]) != tolower((unsigned char)w[0]))
        return false;
    size_t n = strlen(w);
    return k->e - k->s == n && strncasecmp(t + k->s, w, n) == 0;
}

static bool word_in(const char *t, const tok *k, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (word_is(t, k, list[i]))
            return true;
    return false;
}

static const char *const articles[] = {"al", "el", "as", "ash", "at", "az", "ad", "ar", "an",
                                       "ath", "adh", "ed", "es", "et", "ez", "en", "ul", NULL};
static const char *const titles[] = {
    "major", "maj", "captain", "capt", "colonel", "col", "general", "gen", "lieutenant", "lt",
    "sergeant", "sgt", "minister", "president", "premier", "king", "prince", "queen", "sheikh",
    "shaikh", "mr", "mrs", "ms", "dr", "commander", "spokesman", "spokeswoman", "spokesperson",
    "brigadier", "admiral", "emir", "imam", "ayatollah", "mullah", "abu", "umm", NULL};
/* Capitalised words that may stand before a place without being part of a
 * person's name. */
static const char *const openers[] = {
    "in", "at", "from", "to", "near", "the", "on", "outside", "inside", "around", "across",
    "between", "and", "but", "north", "south", "east", "west", "eastern", "western",
    "northern", "southern", "central", "rural", "outer", "via", "toward", "towards", "for",
    "of", "by", "with", "into", "beyond", "while", "when", "after", "before", "as", "since",
    "if", "both", "or", "nor", "within", "through", "across", "against", "like", "unlike",
    "reuters", "afp", "ap", NULL};
static const char *const speech[] = {
    "said", "says", "say", "announced", "accused", "denied", "claimed", "warned", "insists",
    "insisted", "wants", "rejected", "responded", "told", "blamed", "government", "regime",
    "authorities", "officials", "condemned", "agreed", "demanded", "threatened", "vowed", NULL};
static const char *const capitals[] = {"geonames:170654", "geonames:98182", "geonames:250441",
                                       "geonames:276781", NULL};


/* The first letter of a name past its article ("al-Hamra": h), folded to
 * ASCII lower case, or 0. */
static char initial_of(const char *s, size_t n)
{
    size_t p = 0, w = 0;
    while (w < n && isalpha((unsigned char)s[w]))
        w++;
    if (w < n && (s[w] == '-' || s[w] == ' ')) {
        tok t = {0, w, false, false, false, false, false, false};
        if (word_in(s, &t, articles))
            p = w + 1;
    }
    while (p < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + p, (utf8proc_ssize_t)(n - p), &cp);
        if (k <= 0)
            return 0;
        utf8proc_int32_t d[8];
        int opt;
        utf8proc_ssize_t nd = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &opt);
        if (nd > 0 && d[0] < 128 && isalpha(d[0]))
            return (char)d[0];
        if (cp == 0x02BF || cp == 0x02BE || cp == 0x2018 || cp == '\'')
            return 'a'; /* an initial ayn or hamza is heard as a vowel */
        p += (size_t)k; /* an ayn or hamza mark before the letter */
    }
    return 0;
}

/* Whether two initials may be one sound in two transliterations: the same
 * letter, two vowels (Ain, Ayn, Ein), or a pair spellings trade (Qamishli
 * and Kamishli, Jabrud and Yabroud, Dayr and Deir, Zabadani and Dhabadani). */
static bool initials_agree(char a, char b)
{
    static const char *const groups[] = {"aeiouy", "kqgc", "jyg", "dzt", "sc", "wv", "bp", "fp", "hk", NULL};
    if (!a || !b || a == b)
        return true;
    for (int i = 0; groups[i]; i++)
        if (strchr(groups[i], a) && strchr(groups[i], b))
            return true;
    return false;
}

/* Whether token i is an Arabic article. "at", "as", "an" are English too:
 * lower-case, they are articles only when hyphenated ("as-Sukhnah"), unlike
 * "al" and "el". */
static bool is_article(const char *t, const toks *T, size_t i)
{
    const tok *a = &T->v[i];
    return a->e - a->s <= 3 && word_in(t, a, articles) &&
           (a->cap || word_is(t, a, "al") || word_is(t, a, "el") ||
            (i + 1 < T->n && T->v[i + 1].hyphen_before));
}

/* True when the letters of t[s..e) are all capitals (and there are some). */
static bool all_caps(const char *t, size_t s, size_t e)
{
    bool any = false;
    for (size_t p = s; p < e; p++) {
        unsigned char c = (unsigned char)t[p];
        if (islower(c) || c >= 0x80)
            return false;
        any |= isupper(c) != 0;
    }
    return any;
}

const char *sm_mention_role_name(sm_mention_role r)
{
    switch (r) {
    case SM_ROLE_GOVERNMENT: return "government";
    case SM_ROLE_DATELINE: return "dateline";
    case SM_ROLE_PLACE: break;
    }
    return "place";
}

/* ---- extraction --------------------------------------------------------- */

typedef struct raw_mention {
    size_t ti, tj;               /* tokens */
    sm_candidate c[8];
    size_t nc;
    sm_mention_role role;
} raw_mention;

static void fold_span(const char *t, size_t s, size_t e, char *key, size_t cap, bool *ok)
{
    *ok = e - s <= SM_NAME_MAX && sm_fold(t + s, e - s, key, cap, NULL) == SM_OK;
}

static bool last_char_i(const char *s, size_t n)
{
    return n > 0 && (s[n - 1] == 'i' || s[n - 1] == 'I');
}

static double cand_bonus(const sm_candidate *c, const char *const *countries, size_t ncountries,
                         double clat, double clon, bool have_centre)
{
    double b = c->score;
    for (size_t k = 0; k < ncountries; k++)
        if (strcmp(countries[k], c->place->country) == 0)
            b += 0.05;
    if (have_centre) {
        double d;
        sm_geo_inverse(clat, clon, c->place->lat, c->place->lon, &d, NULL, NULL);
        b += 0.05 * exp(-d / 300000.0);
    }
    return b;
}

sm_status sm_report_extract(const sm_gazetteer *gz, const char *text, size_t len,
                            sm_mention **out, size_t *n_out, sm_error *err)
{
    *out = NULL;
    *n_out = 0;
    size_t bad;
    if (!sm_utf8_valid(text, len, &bad)) {
        long line, col;
        sm_utf8_line_col(text, bad, &line, &col);
        return sm_error_set_at(err, SM_ERR_ENCODING, "report", line, col,
                               "invalid UTF-8 at byte %zu", bad);
    }
    toks T = {NULL, 0, 0};
    if (!tokenize(text, len, &T)) {
        free(T.v);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    raw_mention *rm = NULL;
    size_t nrm = 0, caprm = 0;
    size_t maxw = sm_gazetteer_max_words(gz) + 1; /* one more for an article */
    char key[SM_KEY_MAX], span[SM_NAME_MAX + 1];
    sm_status st = SM_OK;
    for (size_t i = 0; i < T.n; i++) {
        const tok *a = &T.v[i];
        bool article = is_article(text, &T, i);
        size_t head = i; /* the word whose folded form must start a key */
        if (article) {
            if (i + 1 >= T.n || T.v[i + 1].brk_before || !T.v[i + 1].cap)
                continue;
            head = i + 1;
        } else if (!a->cap || a->digit) {
            continue; /* places are written with a capital */
        } else if (i > 0 && !a->brk_before && is_article(text, &T, i - 1)) {
            continue; /* "Ahrar al-Sham": tried, and turned down, from its article */
        }
        bool ok;
        fold_span(text, T.v[head].s, T.v[head].e, key, sizeof key, &ok);
        if (!ok)
            continue;
        char *sp = strchr(key, ' ');
        if (!sm_gazetteer_is_first_word(gz, key, sp ? (size_t)(sp - key) : strlen(key)))
            continue;
        /* the longest span that names a place wins */
        size_t last = i;
        while (last + 1 < T.n && last + 1 - i < maxw && !T.v[last + 1].brk_before)
            last++;
        size_t found = (size_t)-1;
        sm_candidate cands[8];
        size_t nc = 0;
        for (size_t j = last + 1; j-- > head;) {
            fold_span(text, a->s, T.v[j].e, key, sizeof key, &ok);
            if (!ok)
                continue;
            if (sm_gazetteer_lookup_folded(gz, key, cands, 8) > 0) {
                snprintf(span, sizeof span, "%.*s", (int)(T.v[j].e - a->s), text + a->s);
                nc = sm_gazetteer_lookup(gz, span, NULL, cands, 8, NULL);
                if (nc > 0) {
                    found = j;
                    break;
                }
            }
        }
        if (found == (size_t)-1)
            continue;
        const tok *first = &T.v[head], *endt = &T.v[found];
        const tok *prev = i > 0 && !a->brk_before ? &T.v[i - 1] : NULL;
        /* not a place: a title's or a first name's next word ("Major Issam
         * Al Reis", "Ahmed Hama"), a demonym ("Iraqi"), a short word no
         * preposition introduces */
        bool reject = false;
        if (prev && word_in(text, prev, titles))
            reject = true;
        /* "Mr. Hama", "Gen. Ali": an abbreviated title and its full stop */
        if (i > 0 && a->brk_before && word_in(text, &T.v[i - 1], titles) &&
            a->s - T.v[i - 1].e <= 2 && text[T.v[i - 1].e] == '.')
            reject = true;
        /* a folded spelling alone at the head of a sentence is more often an
         * English word ("Many" folds like Ma'an) than a place written
         * unusually: places there are taken as written or as listed */
        if (found == head && !article && a->sent_start && cands[0].match >= SM_MATCH_FOLDED)
            reject = true;
        /* a word opening a sentence and taking an object is a verb ("Tell
         * me more", "Hit the road"): a place there is followed by its verb
         * or a comma, not by a pronoun or an article */
        static const char *const objects[] = {"me", "us", "him", "her", "them", "you", "it",
                                              "the", "a", "an", "this", "that", "these",
                                              "those", "my", "your", "his", "our", "their", NULL};
        if (found == head && !article && a->sent_start && found + 1 < T.n &&
            !T.v[found + 1].brk_before && word_in(text, &T.v[found + 1], objects))
            reject = true;
        if (prev && prev->cap && !prev->caseless && !prev->digit && !word_in(text, prev, openers) &&
            !(nrm > 0 && rm[nrm - 1].tj == i - 1))
            reject = true;
        /* a first name: one word followed by a surname ("Suleiman
         * Al-Khalidi", "Ahmed Tamer") that is no place word */
        static const char *const place_words[] = {
            "governorate", "province", "airport", "airbase", "base", "dam", "district", "desert",
            "valley", "mountains", "mountain", "countryside", "city", "region", "border",
            "crossing", "camp", "river", "lake", "highway", "road", "plain", "plains", "oil",
            "gas", "field", "subdistrict", "suburbs", "outskirts", "said", "says", NULL};
        if (found == head && found + 1 < T.n && !T.v[found + 1].brk_before && T.v[found + 1].cap &&
            !T.v[found + 1].caseless &&
            !word_in(text, &T.v[found + 1], place_words) && !word_in(text, &T.v[found + 1], openers) &&
            !word_in(text, &T.v[found + 1], speech) && !T.v[found + 1].hyphen_before)
            reject = true;
        if (found == head && found + 2 < T.n && word_in(text, &T.v[found + 1], articles) &&
            T.v[found + 2].cap && !T.v[found + 1].brk_before)
            reject = true;
        if (last_char_i(text + endt->s, endt->e - endt->s) &&
            !last_char_i(cands[0].matched_name, strlen(cands[0].matched_name)))
            reject = true;
        if (found == head && first->e - first->s <= 3) {
            static const char *const preps[] = {"of", "in", "near", "town", "city", "village",
                                                "to", "from", "at", "outside", NULL};
            if (!(i > 0 && word_in(text, &T.v[i - 1], preps)))
                reject = true;
        }
        /* calendar words are capitalized but never places, however close
         * their folded form comes to one ("June", Jounieh) */
        static const char *const calendar[] = {
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
            "Thursday", "Friday", "Saturday", "Sunday", NULL};
        if (found == head && word_in(text, first, calendar))
            reject = true;
        /* a folded match keeps the name's initial sound: "Many" folds near
         * an alias of Amman, but no spelling of Amman starts with m */
        if (found == head && cands[0].match >= SM_MATCH_FOLDED &&
            !initials_agree(initial_of(text + a->s, endt->e - a->s),
                            initial_of(cands[0].matched_name, strlen(cands[0].matched_name))))
            reject = true;
        /* a place that reports or is told is an outlet or a body ("Al
         * Jazeera reported", "told Al Jazeera"); capitals and countries
         * speaking are handled as governments below */
        static const char *const outlet[] = {"reported", "reports", "aired", "broadcast",
                                             "quoted", "cited", NULL};
        bool cap_or_country = strcmp(cands[0].place->kind, "country") == 0;
        for (int k = 0; capitals[k]; k++)
            cap_or_country |= strcmp(cands[0].place->id, capitals[k]) == 0;
        if (!cap_or_country &&
            ((found + 1 < T.n && !T.v[found + 1].brk_before &&
              (word_in(text, &T.v[found + 1], outlet) || word_in(text, &T.v[found + 1], speech))) ||
             (i > 0 && !a->brk_before && word_is(text, &T.v[i - 1], "told"))))
            reject = true;
        if (reject)
            continue;
        if (nrm == caprm) {
            size_t c2 = caprm ? caprm * 2 : 32;
            raw_mention *v = realloc(rm, c2 * sizeof *v);
            if (!v) {
                st = sm_error_set(err, SM_ERR_NOMEM, "out of memory");
                break;
            }
            rm = v;
            caprm = c2;
        }
        raw_mention *r = &rm[nrm++];
        r->ti = i;
        r->tj = found;
        r->nc = nc;
        memcpy(r->c, cands, nc * sizeof *cands);
        r->role = SM_ROLE_PLACE;
        /* a dateline: a name in capitals opening a paragraph or closing a
         * byline ("By Suleiman Al-Khalidi | AMMAN"), then an outlet in
         * brackets, a date, a dash or the paragraph's end ("AMMAN (Reuters)
         * -", "BEIRUT, June 12, 2017 (AFP) -"): where the reporter filed,
         * not where the story happens */
        if (!article && all_caps(text, a->s, endt->e)) {
            size_t b = a->s;
            while (b > 0 && text[b - 1] == ' ')
                b--;
            size_t p = endt->e;
            while (p < len && (text[p] == ' ' || text[p] == ','))
                p++;
            bool opens = a->sent_start || (b > 0 && text[b - 1] == '|');
            bool dash = p + 1 < len && (text[p] == '-' || (unsigned char)text[p] == 0xE2);
            if (opens && (p >= len || text[p] == '(' || dash || text[p] == '\n' ||
                          isupper((unsigned char)text[p]) || isdigit((unsigned char)text[p])))
                r->role = SM_ROLE_DATELINE;
        }
        /* a capital that speaks is its government */
        bool capital = false;
        for (int k = 0; capitals[k]; k++)
            capital |= strcmp(cands[0].place->id, capitals[k]) == 0;
        if (capital) {
            const tok *next = found + 1 < T.n && !T.v[found + 1].brk_before ? &T.v[found + 1] : NULL;
            bool pro = i > 0 && a->hyphen_before &&
                       (word_is(text, &T.v[i - 1], "pro") || word_is(text, &T.v[i - 1], "anti"));
            if (pro || (next && word_in(text, next, speech)))
                r->role = SM_ROLE_GOVERNMENT;
        }
        i = found;
    }
    if (st != SM_OK) {
        free(T.v);
        free(rm);
        return st;
    }
    /* The document's own context: the countries it names and where its
     * unambiguous places lie lean the ambiguous ones. */
    const char *countries[32];
    size_t ncountries = 0;
    double slat = 0, slon = 0;
    size_t nsure = 0;
    for (size_t k = 0; k < nrm; k++) {
        if (rm[k].nc != 1)
            continue;
        const sm_place *p = rm[k].c[0].place;
        bool seen = false;
        for (size_t q = 0; q < ncountries; q++)
            seen |= strcmp(countries[q], p->country) == 0;
        if (!seen && ncountries < 32)
            countries[ncountries++] = p->country;
        if (strcmp(p->kind, "country") != 0) {
            slat += p->lat;
            slon += p->lon;
            nsure++;
        }
    }
    sm_mention *m = calloc(nrm ? nrm : 1, sizeof *m);
    if (!m) {
        free(T.v);
        free(rm);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < nrm; k++) {
        raw_mention *r = &rm[k];
        size_t best = 0;
        double bb = -1;
        for (size_t q = 0; r->nc > 1 && q < r->nc; q++) { /* one candidate: nothing to rank */
            double v = cand_bonus(&r->c[q], countries, ncountries, nsure ? slat / nsure : 0,
                                  nsure ? slon / nsure : 0, nsure > 0);
            if (v > bb + 1e-12) {
                bb = v;
                best = q;
            }
        }
        m[k].start = T.v[r->ti].s;
        m[k].end = T.v[r->tj].e;
        m[k].text = malloc(m[k].end - m[k].start + 1);
        if (m[k].text) {
            memcpy(m[k].text, text + m[k].start, m[k].end - m[k].start);
            m[k].text[m[k].end - m[k].start] = '\0';
        }
        m[k].best = r->c[best];
        m[k].role = r->role;
        m[k].n_candidates = r->nc;
    }
    free(T.v);
    free(rm);
    *out = m;
    *n_out = nrm;
    return SM_OK;
}

void sm_mentions_free(sm_mention *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++)
        free(m[i].text);
    free(m);
}

/* ---- claims ------------------------------------------------------------- */

static double unit_metres(const char *t, const tok *k)
{
    static const struct { const char *w; double m; } units[] = {
        {"km", 1000}, {"kms", 1000}, {"kilometres", 1000}, {"kilometers", 1000},
        {"kilometre", 1000}, {"kilometer", 1000}, {"mi", 1609.344}, {"mile", 1609.344},
        {"miles", 1609.344}, {"metres", 1}, {"meters", 1}, {"m", 1}, {"nmi", 1852}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (word_is(t, k, units[i].w))
            return units[i].m;
    return 0;
}

/* The figure's rounding unit: 50 is a round ten, 55 a unit, 48.6 a tenth. */
static double rounding_unit(const char *num)
{
    const char *dot = strchr(num, '.');
    if (dot)
        return pow(10, -(double)strlen(dot + 1));
    size_t n = strlen(num), z = 0;
    while (z + 1 < n && num[n - 1 - z] == '0')
        z++;
    return pow(10, (double)z);
}

/* A number token (with its unit glued on or next), as value, unit, text. */
static bool read_figure(const char *t, const toks *T, size_t i, double *v, double *unit,
                        double *round_unit, size_t *next)
{
    const tok *k = &T->v[i];
    if (!k->digit)
        return false;
    char num[48];
    size_t n = 0;
    size_t p = k->s;
    while (p < k->e && (isdigit((unsigned char)t[p]) || t[p] == '.' || t[p] == ',') && n + 1 < sizeof num) {
        if (t[p] != ',')
            num[n++] = t[p];
        p++;
    }
    num[n] = '\0';
    if (n == 0)
        return false;
    *v = strtod(num, NULL);
    *round_unit = rounding_unit(num);
    if (p < k->e) { /* "50km" */
        tok glued = {p, k->e, false, false, false, false, false, false};
        *unit = unit_metres(t, &glued);
        *next = i + 1;
        return *unit > 0;
    }
    if (i + 1 >= T->n || T->v[i + 1].brk_before)
        return false;
    *unit = unit_metres(t, &T->v[i + 1]);
    *next = i + 2;
    return *unit > 0;
}

/* The first mention that starts at or after pos: mentions are in text
 * order, so a binary search (claims are checked on whole corpora). */
static size_t first_at_or_after(const sm_mention *m, size_t nm, size_t pos)
{
    size_t lo = 0, hi = nm;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const sm_mention *mention_at_or_after(const sm_mention *m, size_t nm, size_t pos, size_t within)
{
    for (size_t k = first_at_or_after(m, nm, pos); k < nm && m[k].start <= pos + within; k++)
        if (m[k].role == SM_ROLE_PLACE)
            return &m[k];
    return NULL;
}

static bool sentence_end_at(const char *t, size_t len, size_t p)
{
    if (t[p] == '.' && p + 1 < len && isdigit((unsigned char)t[p + 1]))
        return false; /* 48.6 */
    return t[p] == '.' || t[p] == '!' || t[p] == '?' || (t[p] == '\n' && para_break(t, len, p));
}

/* The last place (not a country) named before pos in pos's sentence. */
static const sm_mention *mention_before(const char *t, size_t len, const sm_mention *m, size_t nm,
                                         size_t pos)
{
    size_t sstart = pos;
    while (sstart > 0 && !sentence_end_at(t, len, sstart - 1))
        sstart--;
    for (size_t k = first_at_or_after(m, nm, pos); k-- > 0 && m[k].start >= sstart;)
        if (m[k].end <= pos && m[k].role == SM_ROLE_PLACE &&
            strcmp(m[k].best.place->kind, "country") != 0)
            return &m[k];
    return NULL;
}


/* ---- border claims -------------------------------------------------------- */

/* The country a word names, as a name ("Iraq") or a demonym ("Iraqi",
 * "Jordanian", "Syrian", "Lebanese"): the demonym's common endings are taken
 * off until a country remains. */
static const sm_place *country_named(const sm_gazetteer *gz, const char *t, const tok *k)
{
    static const char *const endings[] = {"", "i", "ian", "an", "n", "ese", "ish", NULL};
    size_t len = k->e - k->s;
    if (len < 3 || len > 40)
        return NULL;
    for (size_t e = 0; endings[e]; e++) {
        size_t el = strlen(endings[e]);
        if (el >= len || strncasecmp(t + k->e - el, endings[e], el) != 0)
            continue;
        char key[192];
        if (sm_fold(t + k->s, len - el, key, sizeof key, NULL) != SM_OK)
            continue;
        sm_candidate cand[4];
        size_t nc = sm_gazetteer_lookup_folded(gz, key, cand, 4);
        for (size_t i = 0; i < nc; i++)
            if (strcmp(cand[i].place->kind, "country") == 0)
                return cand[i].place;
    }
    return NULL;
}

typedef struct border_walk {
    double lat, lon;  /* the place */
    double best_m, best_az;
} border_walk;

/* The nearest point of each ring, with its edges sampled every ~1 km so
 * that sparse boundary vertices do not overstate the distance. */
static int border_part(void *ctx, const sm_geom_part *part)
{
    border_walk *w = ctx;
    for (size_t i = 0; i < part->n; i++) {
        size_t steps = 1;
        if (i + 1 < part->n) {
            double dlat = part->lat[i + 1] - part->lat[i], dlon = part->lon[i + 1] - part->lon[i];
            steps = (size_t)(sqrt(dlat * dlat + dlon * dlon) * 111.0) + 1;
            if (steps > 2000)
                steps = 2000;
        }
        for (size_t s = 0; s < steps; s++) {
            double f = (double)s / (double)steps;
            double la = part->lat[i], lo = part->lon[i];
            if (i + 1 < part->n) {
                la += f * (part->lat[i + 1] - part->lat[i]);
                lo += f * (part->lon[i + 1] - part->lon[i]);
            }
            double d, az;
            sm_geo_inverse(w->lat, w->lon, la, lo, &d, &az, NULL);
            if (d < w->best_m) {
                w->best_m = d;
                w->best_az = az;
            }
        }
    }
    return 0;
}

/* Distance from a place to a country's boundary, from the basemap. */
static sm_status border_distance(sm_basemap *bm, const sm_place *from, const sm_place *country,
                                 double *d, double *az, sm_error *err)
{
    char where[160], name[96];
    size_t n = 0;
    for (const char *p = country->name; *p && n + 2 < sizeof name; p++) {
        if (*p == '\'')
            name[n++] = '\''; /* OGR SQL doubles a quote */
        name[n++] = *p;
    }
    name[n] = '\0';
    snprintf(where, sizeof where, "name = '%s'", name);
    border_walk w = {from->lat, from->lon, INFINITY, 0};
    sm_status st = sm_basemap_each(bm, "countries", NULL, where, border_part, &w, err);
    if (st != SM_OK)
        return st;
    if (!isfinite(w.best_m))
        return sm_error_set(err, SM_ERR_NOT_FOUND, "no boundary for %s in the basemap",
                            country->name);
    *d = w.best_m;
    *az = w.best_az;
    return SM_OK;
}

/* Border distances measured once per place and country: a corpus repeats
 * its border claims, and a walk of a boundary costs milliseconds. */
typedef struct border_memo {
    const sm_place *from, *to;
    double d, az;
    bool ok;
    char why[208];
} border_memo;

typedef struct border_cache {
    border_memo v[64];
    size_t n;
} border_cache;

/* True with the distance and the azimuth from the place to the nearest
 * point of the country's boundary; false with why in why (no basemap, no
 * such country on it). */
static bool border_measure(sm_basemap *bm, border_cache *bc, const sm_place *from,
                           const sm_place *to, double *d, double *az, char *why, size_t whycap)
{
    for (size_t q = 0; q < bc->n; q++)
        if (bc->v[q].from == from && bc->v[q].to == to) {
            *d = bc->v[q].d;
            *az = bc->v[q].az;
            snprintf(why, whycap, "%s", bc->v[q].why);
            return bc->v[q].ok;
        }
    if (!bm) {
        snprintf(why, whycap, "no basemap to measure the border on");
        return false;
    }
    sm_error e;
    sm_error_init(&e);
    bool ok = border_distance(bm, from, to, d, az, &e) == SM_OK;
    snprintf(why, whycap, "%.200s", e.message);
    if (bc->n < sizeof bc->v / sizeof bc->v[0]) {
        bc->v[bc->n] = (border_memo){from, to, ok ? *d : 0, ok ? *az : 0, ok, ""};
        snprintf(bc->v[bc->n].why, sizeof bc->v[bc->n].why, "%.200s", e.message);
        bc->n++;
    }
    return ok;
}

/* "the Iraqi border", "the border with Iraq", "the Iraq border" at token k:
 * the country, and the token after the phrase; NULL when not a border. */
static const sm_place *border_phrase(const sm_gazetteer *gz, const char *t, const toks *T, size_t k,
                                     size_t *after)
{
    if (k + 2 >= T->n || !word_is(t, &T->v[k], "the"))
        return NULL;
    const tok *a = &T->v[k + 1], *b = &T->v[k + 2];
    if ((word_is(t, a, "border") || word_is(t, a, "frontier")) && k + 3 < T->n &&
        word_is(t, b, "with")) {
        *after = k + 4;
        return country_named(gz, t, &T->v[k + 3]);
    }
    if (word_is(t, b, "border") || word_is(t, b, "frontier")) {
        *after = k + 3;
        return country_named(gz, t, a);
    }
    return NULL;
}

static int claim_cmp(const void *a, const void *b)
{
    const sm_claim *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

sm_status sm_report_check(const sm_gazetteer *gz, sm_basemap *bm, const char *text, size_t len,
                          const sm_mention *m, size_t nm, sm_claim **out, size_t *n_out,
                          sm_error *err)
{
    *out = NULL;
    *n_out = 0;
    toks T = {NULL, 0, 0};
    if (!tokenize(text, len, &T)) {
        free(T.v);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    static const char *const hedges[] = {"some", "about", "around", "approximately", "roughly",
                                         "nearly", "almost", "over", "under", "approx", NULL};
    /* The rose the report uses: a writer who says "southeast" anywhere
     * would not call a place at 135 degrees "south", so its cardinal points
     * are judged on eight points too. */
    border_cache bc = {.n = 0};
    int doc_pts = 4;
    for (size_t i = 0; i < T.n; i++) {
        double a;
        int p;
        size_t e = T.v[i].e;
        if (i + 1 < T.n && T.v[i + 1].hyphen_before)
            e = T.v[i + 1].e; /* "south-east" */
        if (T.v[i].e - T.v[i].s >= 4 && sm_direction_parse(text + T.v[i].s, e - T.v[i].s, &a, &p) == SM_OK &&
            p > doc_pts)
            doc_pts = p;
    }
    sm_claim *c = NULL;
    size_t nc = 0;
    for (size_t i = 0; i < T.n; i++) {
        double v, unit, ru;
        size_t j;
        if (!read_figure(text, &T, i, &v, &unit, &ru, &j))
            continue;
        /* a figure in brackets glosses the one before it */
        size_t q = T.v[i].s;
        while (q > 0 && isspace((unsigned char)text[q - 1]))
            q--;
        if (q > 0 && text[q - 1] == '(')
            continue;
        bool hedged = i > 0 && !T.v[i].brk_before && word_in(text, &T.v[i - 1], hedges);
        size_t claim_start = hedged ? T.v[i - 1].s : T.v[i].s;
        /* "(30 miles)": a second figure in brackets */
        double v2 = 0, unit2 = 0, ru2 = 0;
        if (j < T.n) {
            size_t p = T.v[j - 1].e;
            while (p < len && isspace((unsigned char)text[p]))
                p++;
            if (p < len && text[p] == '(' && T.v[j].s > p) {
                size_t j2;
                if (read_figure(text, &T, j, &v2, &unit2, &ru2, &j2))
                    j = j2;
                else
                    v2 = 0;
            }
        }
        /* the direction, then "of" or "from" */
        char dir[32] = "";
        double az = 0;
        int pts = 0;
        size_t k = j;
        /* "50 km to the southeast of" */
        if (k + 2 < T.n && word_is(text, &T.v[k], "to") && word_is(text, &T.v[k + 1], "the") &&
            sm_direction_parse(text + T.v[k + 2].s, T.v[k + 2].e - T.v[k + 2].s, NULL, NULL) == SM_OK)
            k += 2;
        if (k < T.n) {
            size_t ds = T.v[k].s, de = T.v[k].e;
            size_t kk = k;
            /* "south-east", "north north-east" */
            while (kk + 1 < T.n && (T.v[kk + 1].hyphen_before || !T.v[kk + 1].brk_before) &&
                   kk - k < 2 && !word_is(text, &T.v[kk + 1], "of") &&
                   !word_is(text, &T.v[kk + 1], "from") &&
                   sm_direction_parse(text + ds, T.v[kk + 1].e - ds, NULL, NULL) == SM_OK) {
                kk++;
                de = T.v[kk].e;
            }
            if (sm_direction_parse(text + ds, de - ds, &az, &pts) == SM_OK) {
                if (pts < doc_pts)
                    pts = doc_pts;
                snprintf(dir, sizeof dir, "%.*s", (int)(de - ds), text + ds);
                k = kk + 1;
            }
        }
        if (k >= T.n || !(word_is(text, &T.v[k], "of") || word_is(text, &T.v[k], "from") ||
                          (!dir[0] && word_is(text, &T.v[k], "outside"))))
            continue;
        /* "within 55 km of al-Tanf" bounds the distance from above */
        bool within = i > 0 && !T.v[i].brk_before && word_is(text, &T.v[i - 1], "within");
        if (within)
            claim_start = T.v[i - 1].s;
        const sm_mention *anchor = mention_at_or_after(m, nm, T.v[k].e, 24);
        const sm_mention *subject = mention_before(text, len, m, nm, claim_start);
        /* a claim is about the place just before it ("Bir Qassab, some 50
         * km", "Rukban lies 25 km", "Ghouta, a rebel enclave some 10 km");
         * when a preposition brings in something else between them ("the
         * Al-Tanf border crossing with Iraq, about 24 km") it may be about
         * another place of the sentence, and is not judged */
        static const char *const other[] = {"with", "in", "of", "near", "from", "to", "at",
                                            "on", "and", "or", "by", "for", "between", NULL};
        bool unclear = false;
        for (size_t w = i; subject && w-- > 0 && T.v[w].s >= subject->end;)
            if (T.v[w].s < claim_start && (word_in(text, &T.v[w], other) || T.v[w].digit))
                unclear = true;
        /* measured from a country is measured from its border: "24 km
         * west of the Iraqi border", "10 km from Jordan" */
        size_t after_b = 0;
        const sm_place *bcountry = border_phrase(gz, text, &T, k + 1, &after_b);
        if (!bcountry && anchor && strcmp(anchor->best.place->kind, "country") == 0)
            bcountry = anchor->best.place;
        sm_claim *v_ = realloc(c, (nc + 1) * sizeof *c);
        if (!v_) {
            sm_claims_free(c, nc);
            free(T.v);
            return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
        }
        c = v_;
        sm_claim *cl = &c[nc++];
        memset(cl, 0, sizeof *cl);
        size_t end = bcountry && after_b ? T.v[after_b - 1].e : anchor ? anchor->end : T.v[k].e;
        cl->start = subject ? subject->start : claim_start;
        cl->end = end;
        cl->text = malloc(cl->end - cl->start + 1);
        if (cl->text) {
            memcpy(cl->text, text + cl->start, cl->end - cl->start);
            cl->text[cl->end - cl->start] = '\0';
        }
        cl->claimed_m = v * unit;
        cl->alt_claimed_m = v2 * unit2;
        cl->has_direction = dir[0] != '\0';
        snprintf(cl->direction, sizeof cl->direction, "%s", dir);
        cl->claimed_azimuth_deg = az;
        cl->points = pts;
        cl->from = subject ? subject->best.place : NULL;
        cl->to = bcountry ? bcountry : anchor ? anchor->best.place : NULL;
        cl->border = bcountry != NULL;
        if (!subject || !cl->to || unclear) {
            cl->verdict = SM_VERDICT_UNRESOLVED;
            if (unclear)
                snprintf(cl->reason, sizeof cl->reason,
                         "not judged: the claim may be about another place than %.80s",
                         subject->best.place->name);
            else
                snprintf(cl->reason, sizeof cl->reason, "%s",
                         !subject ? "no place named before the claim in its sentence"
                                  : "the place it is measured from was not found");
            if (unclear)
                cl->from = NULL;
            continue;
        }
        double d, caz;
        if (bcountry) {
            /* from the nearest point of the border to the place */
            double baz, blat, blon, d2;
            char why[208];
            if (!border_measure(bm, &bc, cl->from, bcountry, &d, &baz, why, sizeof why)) {
                cl->verdict = SM_VERDICT_UNRESOLVED;
                snprintf(cl->reason, sizeof cl->reason, "%s", why);
                continue;
            }
            sm_geo_direct(cl->from->lat, cl->from->lon, baz, d, &blat, &blon);
            sm_geo_inverse(blat, blon, cl->from->lat, cl->from->lon, &d2, &caz, NULL);
        } else {
            sm_geo_inverse(cl->to->lat, cl->to->lon, cl->from->lat, cl->from->lon, &d, &caz, NULL);
        }
        cl->computed_m = d;
        cl->computed_azimuth_deg = caz;
        /* the figure's rounding (a hedged figure a whole unit, else half),
         * capped at a quarter of it, plus where the places may really be */
        double tol = fmin((hedged ? ru : ru / 2) * unit, 0.25 * cl->claimed_m);
        /* a border is drawn to about a kilometre at 1:10m; a country's own
         * precision is its size */
        double prec = (cl->from->precision_km + (bcountry ? 1.0 : cl->to->precision_km)) * 1000;
        cl->tolerance_m = tol + prec;
        cl->at_most = within;
        bool dist_ok = within ? d <= cl->claimed_m + cl->tolerance_m
                              : fabs(d - cl->claimed_m) <= cl->tolerance_m;
        bool alt_ok = true;
        if (v2 > 0) {
            double tol2 = fmin((hedged ? ru2 : ru2 / 2) * unit2, 0.25 * cl->alt_claimed_m);
            alt_ok = fabs(cl->alt_claimed_m - cl->claimed_m) <= tol + tol2;
        }
        bool dir_ok = true;
        double diff = 0, half = 0;
        if (cl->has_direction) {
            half = 180.0 / pts + atan2(prec, fmax(d, 1)) * 180 / 3.14159265358979323846;
            /* "24 km west of the Iraqi border" puts the place on the border's
             * west side: any bearing within a right angle of west */
            if (bcountry)
                half = 90;
            diff = sm_azimuth_diff(caz, az);
            dir_ok = diff <= half;
        }
        double sector = bcountry ? 90 : 180.0 / pts; /* half the sector shown */
        if (dist_ok && alt_ok && dir_ok) {
            cl->verdict = SM_VERDICT_CONSISTENT;
            /* a position derived from such a claim agrees with it by
             * construction: say so rather than lend it weight */
            const sm_place *derived = strncasecmp(cl->from->source, "derived", 7) == 0 ? cl->from
                                      : strncasecmp(cl->to->source, "derived", 7) == 0 ? cl->to
                                                                                        : NULL;
            if (derived) {
                snprintf(cl->reason, sizeof cl->reason,
                         "%.1f km at %.0f° (%s), but the gazetteer derives %.60s from a claim "
                         "like this one, so agreement proves nothing",
                         d / 1000, caz, sm_compass16(caz), derived->name);
                continue;
            }
            if (cl->has_direction)
                snprintf(cl->reason, sizeof cl->reason,
                         "%.1f km at %.0f° (%s); claimed %.1f km ±%.1f km, %s (%.1f° to %.1f°)",
                         d / 1000, caz, sm_compass16(caz), cl->claimed_m / 1000,
                         cl->tolerance_m / 1000, dir, fmod(az - sector + 360, 360),
                         fmod(az + sector, 360));
            else
                snprintf(cl->reason, sizeof cl->reason,
                         "%.1f km at %.0f° (%s); claimed %s%.1f km ±%.1f km", d / 1000, caz,
                         sm_compass16(caz), within ? "within " : "", cl->claimed_m / 1000,
                         cl->tolerance_m / 1000);
        } else {
            cl->verdict = SM_VERDICT_INCONSISTENT;
            if (!alt_ok)
                snprintf(cl->reason, sizeof cl->reason,
                         "the two figures disagree: %.1f km and %.1f km", cl->claimed_m / 1000,
                         cl->alt_claimed_m / 1000);
            else if (!dist_ok && within)
                snprintf(cl->reason, sizeof cl->reason, "%.1f km, not within %.1f km (±%.1f km allowed)",
                         d / 1000, cl->claimed_m / 1000, cl->tolerance_m / 1000);
            else if (!dist_ok)
                snprintf(cl->reason, sizeof cl->reason,
                         "%.1f km, not %.1f km (±%.1f km allowed)", d / 1000, cl->claimed_m / 1000,
                         cl->tolerance_m / 1000);
            else
                snprintf(cl->reason, sizeof cl->reason,
                         "bearing %.0f° (%s) is %.0f° off %s (%.1f° allowed)", caz, sm_compass16(caz),
                         diff, dir, half);
        }
    }
    /* "near the border with Iraq", "near the Iraqi border", "on the border
     * with Jordan", "near its borders with Iraq and Jordan" */
    for (size_t i = 0; i + 3 < T.n; i++) {
        if (!word_is(text, &T.v[i], "near") && !word_is(text, &T.v[i], "on") &&
            !word_is(text, &T.v[i], "along"))
            continue;
        size_t k = i + 1;
        if (!word_is(text, &T.v[k], "the") && !word_is(text, &T.v[k], "its"))
            continue;
        k++;
        const sm_place *countries[2] = {NULL, NULL};
        size_t end = 0;
        if (word_is(text, &T.v[k], "border") || word_is(text, &T.v[k], "borders")) {
            if (k + 2 >= T.n || !word_is(text, &T.v[k + 1], "with"))
                continue;
            countries[0] = country_named(gz, text, &T.v[k + 2]);
            end = T.v[k + 2].e;
            if (countries[0] && k + 4 < T.n && word_is(text, &T.v[k + 3], "and") &&
                (countries[1] = country_named(gz, text, &T.v[k + 4])) != NULL)
                end = T.v[k + 4].e;
        } else if (k + 1 < T.n && (word_is(text, &T.v[k + 1], "border") ||
                                   word_is(text, &T.v[k + 1], "frontier"))) {
            countries[0] = country_named(gz, text, &T.v[k]);
            end = T.v[k + 1].e;
        }
        if (!countries[0])
            continue;
        /* the claim is about the last place named before it in its
         * sentence; "a desert region near the border" names none */
        const sm_mention *subject = mention_before(text, len, m, nm, T.v[i].s);
        if (!subject)
            continue;
        for (size_t ci = 0; ci < 2 && countries[ci]; ci++) {
            if (countries[ci] == subject->best.place)
                continue;
            sm_claim *v_ = realloc(c, (nc + 1) * sizeof *c);
            if (!v_) {
                sm_claims_free(c, nc);
                free(T.v);
                return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
            }
            c = v_;
            sm_claim *cl = &c[nc++];
            memset(cl, 0, sizeof *cl);
            cl->start = subject->start;
            cl->end = end;
            cl->text = malloc(end - subject->start + 1);
            if (cl->text) {
                memcpy(cl->text, text + cl->start, end - cl->start);
                cl->text[end - cl->start] = '\0';
            }
            cl->border = true;
            cl->from = subject->best.place;
            cl->to = countries[ci];
            cl->tolerance_m = (SM_NEAR_BORDER_KM + cl->from->precision_km) * 1000;
            char why[208];
            if (!border_measure(bm, &bc, cl->from, cl->to, &cl->computed_m,
                                &cl->computed_azimuth_deg, why, sizeof why)) {
                cl->verdict = SM_VERDICT_UNRESOLVED;
                snprintf(cl->reason, sizeof cl->reason, "%s", why);
                continue;
            }
            bool ok = cl->computed_m <= cl->tolerance_m;
            cl->verdict = ok ? SM_VERDICT_CONSISTENT : SM_VERDICT_INCONSISTENT;
            snprintf(cl->reason, sizeof cl->reason,
                     "%.1f km from the border with %s, toward %.0f° (%s); \"near\" allows %.0f km",
                     cl->computed_m / 1000, cl->to->name, cl->computed_azimuth_deg,
                     sm_compass16(cl->computed_azimuth_deg), cl->tolerance_m / 1000);
        }
    }
    if (nc > 1)
        qsort(c, nc, sizeof *c, claim_cmp);
    free(T.v);
    *out = c;
    *n_out = nc;
    return SM_OK;
}

void sm_claims_free(sm_claim *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++)
        free(c[i].text);
    free(c);
}
