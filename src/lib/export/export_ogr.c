/* export_ogr.c - feature sets written through OGR: the GDAL module's half of
 * export.h (see feature_set.h). */
#include <cpl_conv.h>
#include <cpl_string.h>
#include <dirent.h>
#include <errno.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feature_set.h"

/* ---- writing ------------------------------------------------------------ */

static const struct {
    const char *ext, *shortname, *driver;
} formats[] = {
    {".geojson", "geojson", "GeoJSON"}, {".json", "json", "GeoJSON"},
    {".gpkg", "gpkg", "GPKG"},         {".fgb", "fgb", "FlatGeobuf"},
    {".kml", "kml", "KML"},            {".csv", "csv", "CSV"},
    {".shp", "shp", "ESRI Shapefile"},
};

static const char *driver_for(const char *path, const char *format)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (format && (strcasecmp(format, formats[i].shortname) == 0 ||
                       strcasecmp(format, formats[i].driver) == 0))
            return formats[i].driver;
        size_t pl = strlen(path), el = strlen(formats[i].ext);
        if (!format && pl > el && strcasecmp(path + pl - el, formats[i].ext) == 0)
            return formats[i].driver;
    }
    return NULL;
}

static OGRGeometryH make_geometry(const feat *f, bool close_ring)
{
    OGRGeometryH g;
    if (f->g == SM_FEATURE_POINT) {
        g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, f->ll[0], f->ll[1]);
        return g;
    }
    OGRGeometryH line = OGR_G_CreateGeometry(f->g == SM_FEATURE_LINE ? wkbLineString : wkbLinearRing);
    for (size_t k = 0; k < f->n; k++)
        OGR_G_AddPoint_2D(line, f->ll[2 * k], f->ll[2 * k + 1]);
    if (f->g == SM_FEATURE_LINE)
        return line;
    if (close_ring && f->n > 0)
        OGR_G_AddPoint_2D(line, f->ll[0], f->ll[1]);
    g = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometryDirectly(g, line);
    return g;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[4200];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

static int field_of(const sm_feature_set *fs, const char *key)
{
    for (size_t k = 0; k < fs->nkeys; k++)
        if (strcmp(fs->keys[k], key) == 0)
            return (int)k;
    return -1;
}

/* Copy one briefing layer's features into the open output layer. */
static sm_status copy_layer(const sm_feature_set *fs, const sm_blayer *bl, OGRLayerH out,
                            int only_group, const char *path, sm_error *err)
{
    GDALDatasetH src = NULL;
    /* The coordinate columns become the geometry and are not copied, so
     * they need not be parsed as fields too. */
    static const char *const csv_opts[] = {
        "X_POSSIBLE_NAMES=longitude,lon,long,lng,x", "Y_POSSIBLE_NAMES=latitude,lat,y",
        "KEEP_GEOM_COLUMNS=NO", NULL};
    size_t pl = strlen(bl->path);
    bool csv = pl > 4 && strcasecmp(bl->path + pl - 4, ".csv") == 0;
    src = GDALOpenEx(bl->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, csv ? csv_opts : NULL, NULL);
    if (!src)
        return sm_error_set(err, SM_ERR_IO, "cannot open layer source '%s'", bl->source);
    OGRLayerH in = bl->layer ? GDALDatasetGetLayerByName(src, bl->layer) : GDALDatasetGetLayer(src, 0);
    sm_status st = SM_OK;
    if (!in) {
        GDALClose(src);
        return sm_error_set(err, SM_ERR_NOT_FOUND, "'%s' has no layer '%s'", bl->source,
                            bl->layer ? bl->layer : "?");
    }
    OGR_L_SetAttributeFilter(in, bl->where);
    OGRSpatialReferenceH s = OGR_L_GetSpatialRef(in);
    OGRCoordinateTransformationH ct = NULL;
    if (s && OSRIsProjected(s)) {
        OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL), s2 = OSRClone(s);
        OSRImportFromEPSG(wgs, 4326);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(s2, wgs);
        OSRDestroySpatialReference(wgs);
        OSRDestroySpatialReference(s2);
    }
    OGRFeatureDefnH idef = OGR_L_GetLayerDefn(in), odef = OGR_L_GetLayerDefn(out);
    int il = bl->label_column ? OGR_FD_GetFieldIndex(idef, bl->label_column) : -1;
    int is = bl->side_column ? OGR_FD_GetFieldIndex(idef, bl->side_column) : -1;
    int id = bl->date_column ? OGR_FD_GetFieldIndex(idef, bl->date_column) : -1;
    int on = field_of(fs, "name"), ot = field_of(fs, "feature_type");
    int os_ = field_of(fs, "side"), od = field_of(fs, "date"), oly = field_of(fs, "layer");
    OGRFeatureH f;
    while (st == SM_OK && (f = OGR_L_GetNextFeature(in))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && only_group >= 0) {
            OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
            int grp = (t == wkbPoint || t == wkbMultiPoint) ? 0
                      : (t == wkbLineString || t == wkbMultiLineString) ? 1 : 2;
            if (grp != only_group) {
                OGR_F_Destroy(f);
                continue;
            }
        }
        OGRFeatureH of = OGR_F_Create(odef);
        if (g) {
            /* taken, not copied: the source feature is thrown away next */
            OGRGeometryH c = OGR_F_StealGeometry(f);
            if (ct)
                OGR_G_Transform(c, ct);
            OGR_F_SetGeometryDirectly(of, c);
        }
        const char *label = il >= 0 && OGR_F_IsFieldSetAndNotNull(f, il) ? OGR_F_GetFieldAsString(f, il) : NULL;
        if (on >= 0)
            OGR_F_SetFieldString(of, on, label ? label : bl->title ? bl->title : bl->source);
        if (ot >= 0)
            OGR_F_SetFieldString(of, ot, "layer");
        if (os_ >= 0 && is >= 0 && OGR_F_IsFieldSetAndNotNull(f, is))
            OGR_F_SetFieldString(of, os_, OGR_F_GetFieldAsString(f, is));
        if (od >= 0 && id >= 0 && OGR_F_IsFieldSetAndNotNull(f, id))
            OGR_F_SetFieldString(of, od, OGR_F_GetFieldAsString(f, id));
        if (oly >= 0)
            OGR_F_SetFieldString(of, oly, bl->title ? bl->title : bl->source);
        if (OGR_L_CreateFeature(out, of) != OGRERR_NONE)
            st = sm_error_set(err, SM_ERR_IO, "cannot write to '%s': %s", path, CPLGetLastErrorMsg());
        OGR_F_Destroy(of);
        OGR_F_Destroy(f);
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    GDALClose(src);
    return st;
}

sm_status sm_feature_set_write_ogr(const sm_feature_set *fs, const sm_blayer *layers,
                                   size_t n_layers, const char *path,
                                   const sm_export_options *o, sm_error *err)
{
    bool to_stdout = strcmp(path, "-") == 0 || strcmp(path, "/vsistdout/") == 0;
    const char *drv_name = driver_for(to_stdout ? "x.geojson" : path, o ? o->format : NULL);
    if (!drv_name)
        return sm_error_set(err, SM_ERR_USAGE,
                            o && o->format ? "format '%s' is not one of geojson, gpkg, fgb, kml, csv, shp"
                                           : "cannot tell the format of '%s': name it .geojson, .gpkg, .fgb, .kml, .csv or .shp, or give --format",
                            o && o->format ? o->format : path);
    if (to_stdout && strcmp(drv_name, "GeoJSON") != 0)
        return sm_error_set(err, SM_ERR_USAGE, "only GeoJSON can go to stdout");
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName(drv_name);
    if (!drv)
        return sm_error_set(err, SM_ERR_USAGE, "this GDAL has no %s driver", drv_name);
    int precision = o && o->precision > 0 ? o->precision : 6;
    if (precision > 15)
        precision = 15;
    /* Write into a folder beside the target, then rename: a failure leaves
     * nothing half-written, and multi-file formats (Shapefile) move whole. */
    char tmpdir[5200] = "", target_dir[4096] = ".", base[1024];
    const char *slash = strrchr(path, '/');
    if (slash) {
        snprintf(target_dir, sizeof target_dir, "%.*s", (int)(slash - path), path);
        if (!*target_dir)
            snprintf(target_dir, sizeof target_dir, "/");
    }
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
    char out[8400];
    if (to_stdout) {
        snprintf(out, sizeof out, "/vsistdout/");
    } else {
        snprintf(tmpdir, sizeof tmpdir, "%s/.%s.tmp-%ld", target_dir, base, (long)getpid());
        if (mkdir(tmpdir, 0777) != 0)
            return sm_error_set(err, SM_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
        bool shp = strcmp(drv_name, "ESRI Shapefile") == 0;
        if (shp)
            snprintf(out, sizeof out, "%s", tmpdir); /* a folder of shapefiles, one per geometry */
        else
            snprintf(out, sizeof out, "%s/%s", tmpdir, base);
    }
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALCreate(drv, out, 0, 0, 0, GDT_Unknown, NULL);
    sm_status st = SM_OK;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 4326);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    if (!ds) {
        st = sm_error_set(err, SM_ERR_IO, "cannot create '%s': %s", path, CPLGetLastErrorMsg());
        goto done;
    }
    {
        bool shp = strcmp(drv_name, "ESRI Shapefile") == 0;
        bool csv = strcmp(drv_name, "CSV") == 0;
        char lname[1024];
        snprintf(lname, sizeof lname, "%s", base);
        char *dot = strrchr(lname, '.');
        if (dot && dot != lname)
            *dot = '\0';
        /* Shapefiles hold one geometry type each: points, lines and areas
         * go to NAME.shp, NAME_lines.shp and NAME_polygons.shp. */
        int ngroups = shp ? 3 : 1;
        for (int grp = 0; grp < ngroups && st == SM_OK; grp++) {
            char **lco = NULL;
            if (strcmp(drv_name, "GeoJSON") == 0) {
                lco = CSLSetNameValue(lco, "RFC7946", "YES");
                char pr[16];
                snprintf(pr, sizeof pr, "%d", precision);
                lco = CSLSetNameValue(lco, "COORDINATE_PRECISION", pr);
                lco = CSLSetNameValue(lco, "WRITE_NAME", "NO");
            } else if (csv) {
                lco = CSLSetNameValue(lco, "GEOMETRY", "AS_WKT");
            }
            char ln[1100];
            static const char *const suffix[3] = {"", "_lines", "_polygons"};
            static const OGRwkbGeometryType gtypes[3] = {wkbPoint, wkbLineString, wkbPolygon};
            bool any = n_layers > 0 && grp == 0;
            for (size_t k = 0; k < fs->n; k++)
                any |= !shp || (int)fs->v[k].g == grp;
            if (!any)
                continue;
            snprintf(ln, sizeof ln, "%s%s", lname, suffix[grp]);
            OGRLayerH layer = GDALDatasetCreateLayer(ds, ln, srs, shp ? gtypes[grp] : wkbUnknown, lco);
            CSLDestroy(lco);
            if (!layer) {
                st = sm_error_set(err, SM_ERR_IO, "cannot create a layer in '%s': %s", path,
                                  CPLGetLastErrorMsg());
                break;
            }
            for (size_t k = 0; k < fs->nkeys; k++) {
                OGRFieldDefnH fd = OGR_Fld_Create(fs->keys[k], fs->key_real[k] ? OFTReal : OFTString);
                OGR_L_CreateField(layer, fd, TRUE);
                OGR_Fld_Destroy(fd);
            }
            if (csv) {
                /* and plain lon/lat columns beside the WKT, for spreadsheets */
                static const char *const ll[2] = {"lon", "lat"};
                for (int k = 0; k < 2; k++) {
                    OGRFieldDefnH fd = OGR_Fld_Create(ll[k], OFTReal);
                    OGR_L_CreateField(layer, fd, TRUE);
                    OGR_Fld_Destroy(fd);
                }
            }
            OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
            /* Field indexes by name: drivers may rename (Shapefile: 10 letters). */
            int *idx = malloc((fs->nkeys + 2) * sizeof *idx);
            if (!idx) {
                st = sm_error_set(err, SM_ERR_NOMEM, "out of memory");
                break;
            }
            for (size_t k = 0; k < fs->nkeys; k++)
                idx[k] = (int)k;
            int ilon = csv ? (int)fs->nkeys : -1, ilat = csv ? (int)fs->nkeys + 1 : -1;
            for (size_t k = 0; k < fs->n && st == SM_OK; k++) {
                const feat *f = &fs->v[k];
                if (shp && (int)f->g != grp)
                    continue;
                OGRFeatureH of = OGR_F_Create(defn);
                for (size_t j = 0; j < f->nprops; j++) {
                    const prop *p = &f->props[j];
                    if (p->s)
                        OGR_F_SetFieldString(of, idx[p->key], p->s);
                    else
                        OGR_F_SetFieldDouble(of, idx[p->key], p->d);
                }
                if (csv && f->g == SM_FEATURE_POINT) {
                    OGR_F_SetFieldDouble(of, ilon, f->ll[0]);
                    OGR_F_SetFieldDouble(of, ilat, f->ll[1]);
                }
                OGR_F_SetGeometryDirectly(of, make_geometry(f, true));
                if (OGR_L_CreateFeature(layer, of) != OGRERR_NONE)
                    st = sm_error_set(err, SM_ERR_IO, "cannot write feature %zu to '%s': %s", k + 1,
                                      path, CPLGetLastErrorMsg());
                OGR_F_Destroy(of);
            }
            free(idx);
            for (size_t k = 0; k < n_layers && st == SM_OK; k++)
                st = copy_layer(fs, &layers[k], layer, shp ? grp : -1, path, err);
        }
    }
    CPLErrorReset();
    GDALClose(ds); /* flushes: errors surface here (a full disk) */
    if (CPLGetLastErrorType() >= CE_Failure && st == SM_OK)
        st = sm_error_set(err, SM_ERR_IO, "cannot finish '%s': %s", path, CPLGetLastErrorMsg());
done:
    CPLPopErrorHandler();
    OSRDestroySpatialReference(srs);
    if (to_stdout)
        return st;
    if (st == SM_OK) {
        DIR *d = opendir(tmpdir);
        struct dirent *e;
        char from[8400], to[8400];
        while (d && (e = readdir(d)) && st == SM_OK) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(from, sizeof from, "%s/%s", tmpdir, e->d_name);
            snprintf(to, sizeof to, "%s/%s", target_dir, e->d_name);
            if (rename(from, to) != 0)
                st = sm_error_set(err, SM_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
        }
        if (d)
            closedir(d);
    }
    remove_tree(tmpdir);
    return st;
}
