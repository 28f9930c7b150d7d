/* bench_resolve.c - gazetteer lookups per second: exact, folded and fuzzy.
 *
 * Queries come from the gazetteer itself: exact are names and aliases as
 * written; folded are names with an article glued on ("al-Damascus") so only
 * the folded key meets; fuzzy are names of 9+ folded letters with one letter
 * dropped. Each tier runs for about two seconds. Prints one line per tier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitmap/fold.h"
#include "sitmap/gazetteer.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct qset {
    char **q;
    size_t n;
} qset;

static void add(qset *s, const char *q)
{
    s->q = realloc(s->q, (s->n + 1) * sizeof *s->q);
    s->q[s->n] = malloc(strlen(q) + 1);
    strcpy(s->q[s->n++], q);
}

static void run(const sm_gazetteer *gz, const char *tier, qset *s, sm_match want)
{
    sm_candidate c[8];
    size_t hits = 0, calls = 0, right = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < s->n; i++) {
            size_t n = sm_gazetteer_lookup(gz, s->q[i], NULL, c, 8, NULL);
            hits += n > 0;
            right += n > 0 && (c[0].match == want ||
                               (want == SM_MATCH_EXACT && c[0].match == SM_MATCH_ALIAS));
        }
        calls += s->n;
        t = now() - t0;
    } while (t < 2.0);
    printf("%-7s %8zu queries  %10.0f lookups/s  %5.1f%% at this tier\n", tier,
           s->n, calls / t, 100.0 * right / (double)calls);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "gazetteer";
    sm_error err;
    sm_error_init(&err);
    sm_gazetteer *gz = sm_gazetteer_new();
    if (sm_gazetteer_load_dir(gz, dir, &err) != SM_OK) {
        fprintf(stderr, "bench_resolve: %s\n", err.message);
        return 1;
    }
    qset exact = {0}, folded = {0}, fuzzy = {0};
    char buf[2 * SM_NAME_MAX], key[SM_KEY_MAX];
    for (size_t i = 0; i < sm_gazetteer_count(gz); i++) {
        const sm_place *p = sm_gazetteer_place(gz, i);
        add(&exact, p->name);
        for (size_t a = 0; a < p->n_aliases; a++)
            add(&exact, p->aliases[a]);
        snprintf(buf, sizeof buf, "al-%s", p->name);
        add(&folded, buf);
        if (sm_fold(p->name, strlen(p->name), key, sizeof key, NULL) == SM_OK &&
            strlen(key) >= 10 && strlen(p->name) > 9) {
            size_t n = strlen(p->name);
            memcpy(buf, p->name, n / 2);
            memcpy(buf + n / 2, p->name + n / 2 + 1, n - n / 2);
            add(&fuzzy, buf);
        }
    }
    run(gz, "exact", &exact, SM_MATCH_EXACT);
    run(gz, "folded", &folded, SM_MATCH_FOLDED);
    run(gz, "fuzzy", &fuzzy, SM_MATCH_FUZZY);
    sm_gazetteer_free(gz);
    return 0;
}
