/*
 * canvas.h - the drawing interface the renderer uses; canvas.c implements
 * it with Cairo and Pango for PNG, PDF and SVG, and is the only file that
 * includes <cairo.h> or <pango/...>.
 *
 * Coordinates are page points (1/72 inch), origin at the top left, y down.
 * Output goes to a temporary file beside the target, renamed into place by
 * canvas_finish(): a failed render never leaves a half-written map.
 * (Internal to libsitmap: not a public header.)
 */
#ifndef SITMAP_CANVAS_H
#define SITMAP_CANVAS_H

#include <stdbool.h>

#include "sitmap/error.h"
#include "sitmap/render.h"

typedef struct canvas canvas;

typedef struct rgba {
    double r, g, b, a;
} rgba;

typedef struct font {
    double size_pt;
    bool bold, italic;
    double letter_spacing_pt; /* extra space between letters, for country names */
    double wrap_pt;           /* wrap lines at this width; 0: no wrapping */
} font;

/* A canvas of w x h points writing `format` to path; raster formats at
 * px_per_pt pixels per point. */
sm_status canvas_new(canvas **out, sm_render_format format, double w_pt, double h_pt,
                     double px_per_pt, const char *path, const char *date_iso,
                     sm_error *err);
/* Write the file and release everything; on failure nothing is left on disk. */
sm_status canvas_finish(canvas *c, sm_error *err);
/* Release without writing (after an error elsewhere). */
void canvas_abort(canvas *c);
/* Load fontconfig and the font sets pages use, for this thread. */
void canvas_warm_up(void);

void canvas_save(canvas *c);
void canvas_restore(canvas *c);
void canvas_new_path(canvas *c);
void canvas_move_to(canvas *c, double x, double y);
void canvas_line_to(canvas *c, double x, double y);
void canvas_close_path(canvas *c);
void canvas_rect(canvas *c, double x, double y, double w, double h);
void canvas_circle(canvas *c, double x, double y, double r);
/* The APP-6 unknown frame: four lobes of radius r around (x, y), one outline. */
void canvas_quatrefoil(canvas *c, double x, double y, double r);
/* Fill / stroke the current path; _preserve keeps it for another op. */
void canvas_fill(canvas *c, rgba color, bool preserve);
void canvas_fill_evenodd(canvas *c, rgba color, bool preserve);
void canvas_stroke(canvas *c, rgba color, double width, const double *dash, int ndash,
                   bool preserve);
void canvas_clip(canvas *c);
void canvas_translate_rotate(canvas *c, double x, double y, double angle_rad);
void canvas_scale(canvas *c, double s);

/* Size of text set in font (points); Arabic and mixed text shaped by Pango. */
void canvas_text_size(canvas *c, const char *text, const font *f, double *w, double *h);
/* Text with its top-left corner at (x, y), optionally with a halo (a light
 * outline so it reads over any background); halo_width 0 for none. */
void canvas_text(canvas *c, double x, double y, const char *text, const font *f, rgba color,
                 rgba halo, double halo_width);

#endif
