/* gdal_loader.c - finds and loads libsitmap_gdal.so, and forwards basemap.h
 * to it (see gdal_api.h). */
#define _GNU_SOURCE /* RTLD_DEEPBIND */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdal_api.h"

#define MODULE_NAME "libsitmap_gdal.so"

/* Held for the whole load: a caller that arrives while the preload thread
 * works waits for it; one that arrives first loads the module itself. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t preload_done = PTHREAD_COND_INITIALIZER;
static bool tried, preloading;
static const sm_gdal_api *api;
static char why[PATH_MAX + 128];

/* $SITMAP_GDAL_MODULE, else beside the executable (a copied or installed
 * tool), else where the build put it (build/sitmap, the tests). */
static void module_path(char *out, size_t cap)
{
    const char *env = getenv("SITMAP_GDAL_MODULE");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, cap, "%s/%s", exe, MODULE_NAME);
            if (access(out, R_OK) == 0)
                return;
        }
    }
    snprintf(out, cap, "%s", SITMAP_GDAL_MODULE_PATH);
}

static void load_locked(void)
{
    if (tried)
        return;
    tried = true;
    char path[PATH_MAX + 32];
    module_path(path, sizeof path);
    int flags = RTLD_NOW | RTLD_LOCAL;
#ifndef SITMAP_SANITIZE
    /* GDAL's libraries find one another's symbols in their own tree first
     * instead of through everything the program loaded: a third of the load
     * time. (AddressSanitizer cannot run with it.) */
    flags |= RTLD_DEEPBIND;
#endif
    void *h = dlopen(path, flags);
    if (!h) {
        snprintf(why, sizeof why, "%s", dlerror());
        return;
    }
    const sm_gdal_api *(*entry)(void);
    *(void **)&entry = dlsym(h, "sm_gdal_module_api");
    const sm_gdal_api *a = entry ? entry() : NULL;
    if (!a || a->version != SM_GDAL_API_VERSION) {
        snprintf(why, sizeof why, "'%s' is not this sitmap's GDAL module", path);
        return; /* left loaded: unloading GDAL is not worth the risk */
    }
    api = a;
}

static void *preload_main(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    load_locked();
    preloading = false;
    pthread_cond_broadcast(&preload_done);
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* A program that ends while the module is still loading waits for it: an
 * exit mid-dlopen would find the loader's lock held (LeakSanitizer's check
 * at exit, for one, needs it). */
static void wait_for_preload(void)
{
    pthread_mutex_lock(&lock);
    while (preloading)
        pthread_cond_wait(&preload_done, &lock);
    pthread_mutex_unlock(&lock);
}

void sm_gdal_preload(void)
{
    pthread_mutex_lock(&lock);
    bool start = !tried && !preloading;
    preloading = preloading || start;
    pthread_mutex_unlock(&lock);
    if (!start)
        return;
    atexit(wait_for_preload); /* once: only the first call gets here */
    pthread_t t;
    if (pthread_create(&t, NULL, preload_main, NULL) == 0) {
        pthread_detach(t);
    } else {
        pthread_mutex_lock(&lock);
        preloading = false;
        pthread_cond_broadcast(&preload_done);
        pthread_mutex_unlock(&lock);
    }
}

const sm_gdal_api *sm_gdal_api_get(sm_error *err)
{
    pthread_mutex_lock(&lock);
    load_locked();
    const sm_gdal_api *a = api;
    pthread_mutex_unlock(&lock);
    if (!a)
        sm_error_set(err, SM_ERR_IO, "cannot load sitmap's GDAL module: %s", why);
    return a;
}

/* ---- basemap.h, forwarded ------------------------------------------------ */

/* Every sm_basemap came from the module: once one exists, so does the table. */
static const sm_gdal_api *loaded(void)
{
    pthread_mutex_lock(&lock);
    const sm_gdal_api *a = api;
    pthread_mutex_unlock(&lock);
    return a;
}

sm_status sm_basemap_open(const char *path, sm_basemap **out, sm_error *err)
{
    *out = NULL;
    const sm_gdal_api *a = sm_gdal_api_get(err);
    return a ? a->basemap_open(path, out, err) : SM_ERR_IO;
}

void sm_basemap_close(sm_basemap *bm)
{
    if (bm)
        loaded()->basemap_close(bm);
}

bool sm_basemap_has_layer(const sm_basemap *bm, const char *layer)
{
    return loaded()->has_layer(bm, layer);
}

const char *sm_basemap_first_layer(const sm_basemap *bm) { return loaded()->first_layer(bm); }

bool sm_basemap_has_geometry(const sm_basemap *bm, const char *layer)
{
    return loaded()->has_geometry(bm, layer);
}

bool sm_basemap_has_field(const sm_basemap *bm, const char *layer, const char *field)
{
    return loaded()->has_field(bm, layer, field);
}

sm_status sm_basemap_check_filter(sm_basemap *bm, const char *layer, const char *where,
                                  sm_error *err)
{
    return loaded()->check_filter(bm, layer, where, err);
}

sm_status sm_basemap_extent(sm_basemap *bm, const char *layer, double *bbox, sm_error *err)
{
    return loaded()->extent(bm, layer, bbox, err);
}

char *sm_basemap_field_list(const sm_basemap *bm, const char *layer)
{
    return loaded()->field_list(bm, layer);
}

sm_status sm_basemap_each_with(sm_basemap *bm, const char *layer, const double *bbox,
                               const char *where, const char *const *columns,
                               size_t n_columns, sm_part_fn fn, void *ctx, sm_error *err)
{
    return loaded()->each_with(bm, layer, bbox, where, columns, n_columns, fn, ctx, err);
}

sm_status sm_basemap_each(sm_basemap *bm, const char *layer, const double *bbox,
                          const char *where, sm_part_fn fn, void *ctx, sm_error *err)
{
    return loaded()->each_with(bm, layer, bbox, where, NULL, 0, fn, ctx, err);
}

sm_status sm_basemap_label_points(sm_basemap *bm, const char *layer, const double *bbox,
                                  sm_label_fn fn, void *ctx, sm_error *err)
{
    return loaded()->label_points(bm, layer, bbox, fn, ctx, err);
}
