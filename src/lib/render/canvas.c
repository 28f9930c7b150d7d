/* canvas.c - Cairo and Pango behind canvas.h: PNG, PDF and SVG. */
#include "canvas.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <pango/pangocairo.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A halo font: the glyphs of base, stroked with a line width of ratio em.
 * See canvas_text for why vector pages draw halos through it. */
typedef struct halo_face {
    cairo_font_face_t *base;
    double ratio;
    cairo_font_face_t *face;
} halo_face;

struct canvas {
    cairo_surface_t *surface;
    cairo_t *cr;
    sm_render_format format;
    char *path;     /* the target */
    char *tmp;      /* written first, renamed over the target */
    PangoFontMap *fontmap;
    PangoContext *pctx;
    halo_face *halos;
    size_t n_halos;
};

static void free_halo(void *p)
{
    halo_face *h = p;
    cairo_font_face_destroy(h->base);
    free(h);
}

static const char *FONT_FAMILY = "Noto Sans, Noto Sans Arabic, DejaVu Sans, sans-serif";

/*
 * Every layout is set at one size, LAYOUT_PT, and scaled to the size asked
 * for when drawn. Pango keys its font sets by size and sorts all the
 * system's fonts for each new one (395 fonts with fonts-noto-core): one size
 * for all text is a few sorts a map instead of dozens. Hinting is off, so
 * glyph outlines and advances scale exactly.
 */
static const double LAYOUT_PT = 10.0;

/* A Pango context for pages: points at 72 "dpi" whatever the surface, no
 * hinting, exact glyph positions. */
static PangoContext *new_context(PangoFontMap *fm)
{
    PangoContext *pctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(pctx, 72.0);
    /* Pango rounds glyph positions to whole units by default: whole points
     * here, which spaces letters unevenly in a PDF. */
    pango_context_set_round_glyph_positions(pctx, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pctx, fo);
    cairo_font_options_destroy(fo);
    return pctx;
}

sm_status canvas_new(canvas **out, sm_render_format format, double w_pt, double h_pt,
                     double px_per_pt, const char *path, const char *date_iso, sm_error *err)
{
    *out = NULL;
    canvas *c = calloc(1, sizeof *c);
    if (!c)
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    c->format = format;
    c->path = strdup(path);
    size_t tl = strlen(path) + 32;
    c->tmp = malloc(tl);
    if (!c->path || !c->tmp) {
        canvas_abort(c);
        return sm_error_set(err, SM_ERR_NOMEM, "out of memory");
    }
    /* Beside the target, so the rename stays on one file system. */
    snprintf(c->tmp, tl, "%s.tmp-%ld", path, (long)getpid());
    switch (format) {
    case SM_RENDER_PNG:
        c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(w_pt * px_per_pt + 0.5),
                                                (int)(h_pt * px_per_pt + 0.5));
        break;
    case SM_RENDER_PDF:
        c->surface = cairo_pdf_surface_create(c->tmp, w_pt, h_pt);
        if (cairo_surface_status(c->surface) == CAIRO_STATUS_SUCCESS) {
            /* Same briefing, same bytes: no wall-clock dates in the file. */
            if (date_iso) {
                cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATE_DATE, date_iso);
                cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_MOD_DATE, date_iso);
            }
            cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATOR, "sitmap");
        }
        break;
    case SM_RENDER_SVG:
        c->surface = cairo_svg_surface_create(c->tmp, w_pt, h_pt);
        if (cairo_surface_status(c->surface) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_set_document_unit(c->surface, CAIRO_SVG_UNIT_PT);
        break;
    }
    if (!c->surface || cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
        sm_status st = sm_error_set(err, SM_ERR_IO, "cannot create '%s': %s", c->tmp,
                                    c->surface ? cairo_status_to_string(cairo_surface_status(c->surface))
                                               : "no surface");
        canvas_abort(c);
        return st;
    }
    c->cr = cairo_create(c->surface);
    if (format == SM_RENDER_PNG)
        cairo_scale(c->cr, px_per_pt, px_per_pt);
    /* The thread's default font map: Pango keeps it, and the font sets it
     * has sorted, from one page to the next (see canvas_warm_up). */
    c->fontmap = g_object_ref(pango_cairo_font_map_get_default());
    c->pctx = new_context(c->fontmap);
    *out = c;
    return SM_OK;
}

static void release(canvas *c)
{
    for (size_t i = 0; i < c->n_halos; i++)
        cairo_font_face_destroy(c->halos[i].face);
    free(c->halos);
    if (c->pctx)
        g_object_unref(c->pctx);
    if (c->fontmap)
        g_object_unref(c->fontmap);
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface)
        cairo_surface_destroy(c->surface);
    free(c->path);
    free(c->tmp);
    free(c);
}


void canvas_abort(canvas *c)
{
    if (!c)
        return;
    if (c->surface && c->format != SM_RENDER_PNG)
        cairo_surface_finish(c->surface);
    if (c->tmp)
        unlink(c->tmp);
    release(c);
}

/* Write the page as an opaque RGB PNG. cairo's own writer keeps the alpha
 * channel and compresses hard; a map page is opaque, and light compression
 * with the Sub filter writes it several times faster for a few percent of
 * size. */
static cairo_status_t write_png(cairo_surface_t *s, const char *path)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return CAIRO_STATUS_WRITE_ERROR;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = malloc((size_t)w * 3);
    cairo_status_t st = CAIRO_STATUS_SUCCESS;
    if (!png || !info || !row) {
        st = CAIRO_STATUS_NO_MEMORY;
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        st = CAIRO_STATUS_WRITE_ERROR;
        goto done;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 3);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            uint32_t v = src[x]; /* premultiplied ARGB; the page is opaque */
            row[3 * x] = (unsigned char)(v >> 16);
            row[3 * x + 1] = (unsigned char)(v >> 8);
            row[3 * x + 2] = (unsigned char)v;
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
done:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    free(row);
    if (fclose(fp) != 0 && st == CAIRO_STATUS_SUCCESS)
        st = CAIRO_STATUS_WRITE_ERROR;
    return st;
}

sm_status canvas_finish(canvas *c, sm_error *err)
{
    sm_status st = SM_OK;
    cairo_status_t cs = cairo_status(c->cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        if (c->format == SM_RENDER_PNG)
            cs = write_png(c->surface, c->tmp);
        else {
            cairo_surface_finish(c->surface);
            cs = cairo_surface_status(c->surface);
        }
    }
    if (cs != CAIRO_STATUS_SUCCESS)
        st = sm_error_set(err, SM_ERR_IO, "cannot write '%s': %s", c->path,
                          cairo_status_to_string(cs));
    else if (rename(c->tmp, c->path) != 0)
        st = sm_error_set(err, SM_ERR_IO, "cannot write '%s': %s", c->path, strerror(errno));
    if (st != SM_OK)
        unlink(c->tmp);
    release(c);
    return st;
}

void canvas_save(canvas *c) { cairo_save(c->cr); }
void canvas_restore(canvas *c) { cairo_restore(c->cr); }
void canvas_new_path(canvas *c) { cairo_new_path(c->cr); }
void canvas_move_to(canvas *c, double x, double y) { cairo_move_to(c->cr, x, y); }
void canvas_line_to(canvas *c, double x, double y) { cairo_line_to(c->cr, x, y); }
void canvas_close_path(canvas *c) { cairo_close_path(c->cr); }
void canvas_rect(canvas *c, double x, double y, double w, double h) { cairo_rectangle(c->cr, x, y, w, h); }

void canvas_circle(canvas *c, double x, double y, double r)
{
    cairo_new_sub_path(c->cr);
    cairo_arc(c->cr, x, y, r, 0, 2 * G_PI);
    cairo_close_path(c->cr);
}

void canvas_quatrefoil(canvas *c, double x, double y, double r)
{
    /* Each lobe contributes its outer half; together one closed outline. */
    cairo_new_sub_path(c->cr);
    cairo_arc(c->cr, x, y - r, r, G_PI, 2 * G_PI);
    cairo_arc(c->cr, x + r, y, r, 1.5 * G_PI, 2.5 * G_PI);
    cairo_arc(c->cr, x, y + r, r, 0, G_PI);
    cairo_arc(c->cr, x - r, y, r, 0.5 * G_PI, 1.5 * G_PI);
    cairo_close_path(c->cr);
}

void canvas_scale(canvas *c, double s) { cairo_scale(c->cr, s, s); }

static void set_color(canvas *c, rgba k) { cairo_set_source_rgba(c->cr, k.r, k.g, k.b, k.a); }

void canvas_fill(canvas *c, rgba color, bool preserve)
{
    set_color(c, color);
    cairo_set_fill_rule(c->cr, CAIRO_FILL_RULE_WINDING);
    preserve ? cairo_fill_preserve(c->cr) : cairo_fill(c->cr);
}

void canvas_fill_evenodd(canvas *c, rgba color, bool preserve)
{
    set_color(c, color);
    cairo_set_fill_rule(c->cr, CAIRO_FILL_RULE_EVEN_ODD);
    preserve ? cairo_fill_preserve(c->cr) : cairo_fill(c->cr);
    cairo_set_fill_rule(c->cr, CAIRO_FILL_RULE_WINDING);
}

void canvas_stroke(canvas *c, rgba color, double width, const double *dash, int ndash,
                   bool preserve)
{
    set_color(c, color);
    cairo_set_line_width(c->cr, width);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(c->cr, ndash ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
    cairo_set_dash(c->cr, dash, ndash, 0);
    preserve ? cairo_stroke_preserve(c->cr) : cairo_stroke(c->cr);
    cairo_set_dash(c->cr, NULL, 0, 0);
}

void canvas_clip(canvas *c) { cairo_clip(c->cr); }

void canvas_translate_rotate(canvas *c, double x, double y, double angle_rad)
{
    cairo_translate(c->cr, x, y);
    cairo_rotate(c->cr, angle_rad);
}


static PangoLayout *layout_in(PangoContext *pctx, const char *text, const font *f)
{
    double k = LAYOUT_PT / f->size_pt; /* page points to layout points */
    PangoLayout *l = pango_layout_new(pctx);
    PangoFontDescription *d = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(d, LAYOUT_PT * PANGO_SCALE);
    pango_font_description_set_weight(d, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, f->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(l, d);
    pango_font_description_free(d);
    if (f->letter_spacing_pt > 0) {
        PangoAttrList *al = pango_attr_list_new();
        pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)(f->letter_spacing_pt * k * PANGO_SCALE)));
        pango_layout_set_attributes(l, al);
        pango_attr_list_unref(al);
    }
    if (f->wrap_pt > 0) {
        pango_layout_set_width(l, (int)(f->wrap_pt * k * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    }
    pango_layout_set_text(l, text, -1);
    return l;
}

static PangoLayout *layout_for(canvas *c, const char *text, const font *f)
{
    return layout_in(c->pctx, text, f);
}

void canvas_warm_up(void)
{
    /* Every font set a page uses: the four faces at the one layout size,
     * and the Arabic fallback. Pango sorts font sets on threads of its own,
     * which cannot start while another thread is loading libraries. */
    PangoContext *pctx = new_context(pango_cairo_font_map_get_default());
    for (int k = 0; k < 4; k++) {
        font f = {LAYOUT_PT, k & 1, k & 2, 0, 0};
        PangoLayout *l = layout_in(pctx, "Ag \xd8\xa7\xd9\x84", &f); /* Latin and Arabic */
        int w, h;
        pango_layout_get_size(l, &w, &h);
        g_object_unref(l);
    }
    g_object_unref(pctx);
}

void canvas_text_size(canvas *c, const char *text, const font *f, double *w, double *h)
{
    PangoLayout *l = layout_for(c, text, f);
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    double s = f->size_pt / LAYOUT_PT;
    *w = (double)logical.width / PANGO_SCALE * s;
    *h = (double)logical.height / PANGO_SCALE * s;
    g_object_unref(l);
}

static const cairo_user_data_key_t halo_key;

/* Draw the base font's glyph outline, stroked, in the user font's em space.
 * The outline is taken at 1000 units to the em: FreeType's outlines are in
 * 1/64 units, far too coarse at a size of one. */
static cairo_status_t halo_render_glyph(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                        cairo_text_extents_t *ext)
{
    const halo_face *h = cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(sf), &halo_key);
    if (!h)
        return CAIRO_STATUS_USER_FONT_ERROR;
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_scale(cr, 0.001, 0.001);
    cairo_set_font_face(cr, h->base);
    cairo_set_font_size(cr, 1000);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    cairo_glyph_t g = {glyph, 0, 0};
    cairo_text_extents_t te;
    cairo_glyph_extents(cr, &g, 1, &te);
    cairo_glyph_path(cr, &g, 1);
    cairo_set_line_width(cr, h->ratio * 1000);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    double r = h->ratio / 2;
    ext->x_bearing = te.x_bearing / 1000 - r;
    ext->y_bearing = te.y_bearing / 1000 - r;
    ext->width = te.width / 1000 + 2 * r;
    ext->height = te.height / 1000 + 2 * r;
    ext->x_advance = te.x_advance / 1000;
    ext->y_advance = te.y_advance / 1000;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_font_face_t *halo_face_for(canvas *c, cairo_font_face_t *base, double ratio)
{
    for (size_t i = 0; i < c->n_halos; i++)
        if (c->halos[i].base == base && fabs(c->halos[i].ratio - ratio) < 1e-9)
            return c->halos[i].face;
    halo_face *v = realloc(c->halos, (c->n_halos + 1) * sizeof *v);
    if (!v)
        return NULL;
    c->halos = v;
    halo_face *h = malloc(sizeof *h);
    if (!h)
        return NULL;
    h->base = cairo_font_face_reference(base);
    h->ratio = ratio;
    h->face = cairo_user_font_face_create();
    cairo_user_font_face_set_render_glyph_func(h->face, halo_render_glyph);
    /* The face owns h (and through it a reference to base). */
    if (cairo_font_face_set_user_data(h->face, &halo_key, h, free_halo) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(h->face);
        free_halo(h);
        return NULL; /* the caller draws outline halos instead */
    }
    v[c->n_halos++] = *h;
    return h->face;
}

/*
 * The halo of a layout as text in a halo font, for PDF. The file then holds
 * each stroked glyph once (a Type 3 font), where outline paths would repeat
 * every glyph of every label: half the page's content and the time to
 * write it. Each halo glyph stands for a space in the text layer, so copying
 * or searching the PDF reads every label once. SVG keeps outline paths:
 * cairo writes user-font glyphs there as symbols that are no smaller.
 */
static bool halo_as_text(canvas *c, PangoLayout *l, rgba halo, double width)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    bool ok = true;
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it, NULL, &logical);
        double bx = (double)logical.x / PANGO_SCALE;
        double by = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
        if (!sf) {
            ok = false;
            break;
        }
        cairo_matrix_t fm;
        cairo_scaled_font_get_font_matrix(sf, &fm);
        double size = hypot(fm.yx, fm.yy);
        cairo_font_face_t *face = size > 0 ? halo_face_for(c, cairo_scaled_font_get_font_face(sf),
                                                           2 * width / size) : NULL;
        if (!face) {
            ok = false;
            break;
        }
        PangoGlyphString *gs = run->glyphs;
        cairo_glyph_t *g = malloc((size_t)(gs->num_glyphs ? gs->num_glyphs : 1) * sizeof *g);
        if (!g) {
            ok = false;
            break;
        }
        int n = 0;
        double pen = 0;
        for (int i = 0; i < gs->num_glyphs; i++) {
            PangoGlyphInfo *gi = &gs->glyphs[i];
            if (gi->glyph != PANGO_GLYPH_EMPTY && !(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                g[n++] = (cairo_glyph_t){gi->glyph, bx + (pen + gi->geometry.x_offset) / PANGO_SCALE,
                                         by + (double)gi->geometry.y_offset / PANGO_SCALE};
            pen += gi->geometry.width;
        }
        cairo_set_font_face(c->cr, face);
        cairo_set_font_matrix(c->cr, &fm);
        set_color(c, halo);
        /* Text extraction must not read the halo: its glyphs all stand
         * for one space (a PDF ActualText span), not for the label again. */
        cairo_text_cluster_t cl = {1, n};
        if (n > 0)
            cairo_show_text_glyphs(c->cr, " ", 1, g, n, &cl, 1, 0);
        free(g);
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    return ok;
}

void canvas_text(canvas *c, double x, double y, const char *text, const font *f, rgba color,
                 rgba halo, double halo_width)
{
    PangoLayout *l = layout_for(c, text, f);
    double s = f->size_pt / LAYOUT_PT;
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    cairo_scale(c->cr, s, s);
    /* Widths below are in layout points, as is everything under the scale. */
    if (halo_width > 0 && c->format == SM_RENDER_PDF && halo_as_text(c, l, halo, halo_width / s))
        halo_width = 0;
    if (halo_width > 0) {
        /* The halo is an outline path under the text; the text itself is
         * drawn as text, so a PDF keeps it searchable. */
        cairo_move_to(c->cr, 0, 0);
        pango_cairo_layout_path(c->cr, l);
        set_color(c, halo);
        cairo_set_line_width(c->cr, halo_width * 2 / s);
        cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(c->cr);
    }
    cairo_move_to(c->cr, 0, 0);
    set_color(c, color);
    pango_cairo_show_layout(c->cr, l);
    cairo_new_path(c->cr);
    cairo_restore(c->cr);
    g_object_unref(l);
}
