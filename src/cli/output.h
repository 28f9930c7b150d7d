/*
 * output.h - how the tool prints: aligned text tables and JSON lines.
 *
 * JSON goes through json-c, never by hand; numbers are given their decimal
 * text explicitly (json_object_new_double_s) so a latitude prints as 33.77974,
 * not 33.779739999999997.
 */
#ifndef SITMAP_OUTPUT_H
#define SITMAP_OUTPUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "sitmap/resolve.h"

/* A text table: add a header, then rows; print aligns columns by display
 * width (Arabic and accented names included). */
typedef struct out_table out_table;

out_table *out_table_new(size_t ncols, const char *const *header,
                         const bool *right_align);
/* Add a row of ncols cells (copied). False when out of memory. */
bool out_table_row(out_table *t, const char *const *cells);
void out_table_print(const out_table *t);
void out_table_free(out_table *t);

/* v with at most `decimals` decimals, trailing zeros dropped ("33.77974"). */
void out_fmt_num(char *buf, size_t cap, double v, int decimals);

/* A JSON number with the text of out_fmt_num. */
json_object *out_json_num(double v, int decimals);
/* A JSON string, or null for NULL. */
json_object *out_json_str(const char *s);

/* Print obj as one compact line on stdout, then release it. */
void out_json_line(json_object *obj);

/* {"name","id","lat","lon","kind","country","match","score"} of a candidate. */
json_object *out_candidate_json(const sm_candidate *c);

/* The resolve object of one query (keys documented in README.md). */
json_object *out_resolution_json(const char *query, const sm_resolution *r);

/* Display name of a resolution's kind: the place's kind, "coordinate" or
 * "relative". */
const char *out_resolution_kind(const sm_resolution *r);

#endif
