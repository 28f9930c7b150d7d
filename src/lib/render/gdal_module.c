/* gdal_module.c - the entry point of libsitmap_gdal.so (see gdal_api.h).
 * Built with hidden visibility: this table is all the module exports, so its
 * sm_basemap_* functions never meet the loader's of the same names. */
#include "../export/feature_set.h"
#include "gdal_api.h"

__attribute__((visibility("default"))) const sm_gdal_api *sm_gdal_module_api(void)
{
    static const sm_gdal_api api = {
        SM_GDAL_API_VERSION,      sm_basemap_open,         sm_basemap_close,
        sm_basemap_has_layer,     sm_basemap_first_layer,  sm_basemap_has_geometry,
        sm_basemap_has_field,     sm_basemap_check_filter, sm_basemap_extent,
        sm_basemap_field_list,    sm_basemap_each_with,    sm_basemap_label_points,
        sm_feature_set_write_ogr,
    };
    return &api;
}
