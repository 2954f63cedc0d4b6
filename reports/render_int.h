/*
 * render_int.h - private to the report renderer: the document being laid
 * out and the drawing helpers of render.c that the other render_*.c files
 * (sections, charts) share. Every helper draws through the sanitiser and
 * the missing-glyph substitution (rd_clean), so bytes from logs or CSV
 * never reach a content stream raw and no character is silently dropped.
 */
#ifndef OMSEC_RENDER_INT_H
#define OMSEC_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "messages.h"
#include "report.h"

#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define ML 62.0f
#define MR 62.0f
#define MT 78.0f
#define MB 70.0f
#define CW (PAGE_W - ML - MR)

#define SZ_BODY 10.5f
#define SZ_TABLE 9.0f
#define SZ_H1 16.0f
#define SZ_H2 12.5f
#define TEXTMAX 2048
#define MAXTOC 64
#define MAXCOLS 10
#define MAXLINES 64

struct tocent {
	char title[256];
	int level;
	int page;
};

struct doc {
	HPDF_Doc pdf;
	HPDF_Font font;
	HPDF_Encoder enc;
	HPDF_Page *pages;
	int npages, cappages;
	HPDF_Page page;
	float y;
	struct tocent toc[MAXTOC];
	int ntoc;
	HPDF_Outline ol1;
	HPDF_STATUS err, detail;
	int oom;
	const struct omsec_report_input *in;
	char title[1024];
	char period[64];
	char kind[32];		/* 月度报告, 季度报告, 年度总结报告 */
	int section;		/* number of the last level-1 section */
	HPDF_FontDef fdef;	/* for the glyph check */
	uint8_t glyph[8192];	/* BMP: bit set = glyph present */
	uint8_t glyph_known[8192]; /* bit set = checked */
	const char *subst;	/* drawn for a missing glyph */
	int en;			/* the language: 0 zh-CN, 1 en */
};

/* The text of message id (messages.def) in the report's language. */
#define T(id) omsec_msg((id), d->en)
/* snprintf of the format id, with its plural choices (messages.h). */
#define TF(buf, cap, id, ...) \
	omsec_msg_fmt((buf), (cap), (id), d->en, __VA_ARGS__)

struct tcol {
	int title;		/* message id */
	float frac;		/* of the content width */
	int align;		/* 0 left, 1 right, 2 centre */
	float frac_en;		/* in English, when its words need another
				   share; 0: frac */
};

struct table {
	const struct tcol *c;
	int n;
	float x[MAXCOLS], w[MAXCOLS];
	int row;
	int nrows;		/* rows to come when known, else 0: the last
				   one then never starts a page alone */
};


struct line {
	size_t off, len;
	float w;
};

/* render.c */
float rd_text_width(struct doc *d, const char *s, size_t n, float size);
size_t rd_u8len(unsigned char c);
size_t rd_clean(struct doc *d, char *dst, size_t cap, const char *s);
void rd_rgb_fill(struct doc *d, float r, float g, float b);
void rd_rgb_stroke(struct doc *d, float r, float g, float b);
void rd_put(struct doc *d, float x, float y, float size, const char *s);
void rd_put_n(struct doc *d, float x, float y, float size, const char *s,
    size_t n);
float rd_swidth(struct doc *d, const char *s, float size);
void rd_put_right(struct doc *d, float xr, float y, float size,
    const char *s);
void rd_put_center(struct doc *d, float xc, float y, float size,
    const char *s);
int rd_wrap(struct doc *d, const char *s, float size, float width,
    struct line *ln, int max);
int rd_new_page(struct doc *d);
void rd_need(struct doc *d, float h);
void rd_heading(struct doc *d, int level, const char *title);
/* A numbered level-1 section "N  title"; returns N. */
int rd_section(struct doc *d, const char *title);
/* A level-2 heading "N.k  title" under the current section. */
void rd_sub(struct doc *d, int k, const char *title);
/* As rd_sub, on a new page unless h more points fit below the heading. */
void rd_sub_keep(struct doc *d, int k, const char *title, float h);
/* The height rd_para_sized takes for s. */
float rd_para_height(struct doc *d, const char *s, float size, float indent);
void rd_para_sized(struct doc *d, const char *s, float size, float indent);
void rd_para(struct doc *d, const char *s);
void rd_bullet(struct doc *d, const char *s, float size, float indent);
void rd_note(struct doc *d, const char *s);
void rd_hline(struct doc *d, float x0, float x1, float y, float w, float g);
void rd_table_begin(struct doc *d, struct table *t, const struct tcol *c,
    int n);
/* The columns of a table, without drawing (to measure rows first). */
void rd_table_layout(struct doc *d, struct table *t, const struct tcol *c,
    int n);
float rd_table_header_height(struct doc *d, const struct table *t);
float rd_table_row_height(struct doc *d, const struct table *t,
    const char *const *cells);
/* As rd_table_begin, keeping a short table of rows rows on one page. */
void rd_table_begin_rows(struct doc *d, struct table *t, const struct tcol *c,
    int n, int rows);
void rd_table_row(struct doc *d, struct table *t, const char *const *cells);
void rd_table_end(struct doc *d);
const char *rd_fmt_u64(char *b, size_t cap, uint64_t v);
const char *rd_fmt_pct(char *b, size_t cap, double p);
double rd_round(double v, int digits);
const char *rd_fmt_dur(struct doc *d, char *b, size_t cap, int64_t ms);
const char *rd_fmt_local(struct doc *d, char *b, size_t cap, int64_t ms);
/* The site's customer and service; their defaults in the language. */
const char *rd_customer(struct doc *d);
const char *rd_service(struct doc *d);
/* Names in the report's language (messages.c). */
const char *rd_cat(struct doc *d, const char *c);
const char *rd_rule(struct doc *d, const char *r);
const char *rd_country(struct doc *d, const char *cc);
const char *rd_level(struct doc *d, int level);
const char *rd_prio(struct doc *d, int prio);
const char *rd_sev(struct doc *d, int sev);
const char *rd_dim(struct doc *d, int dim);
double rd_nice_step(double max);
/* A chart's grid lines and y labels, every step from y0 (0) up to top
   (h points above). */
void rd_y_grid(struct doc *d, float x0, float x1, float y0, float h,
    double step, double top);
uint64_t rd_sum_lines(const struct omsec_rpt_summary *s, int which);
int rd_is_internal(const struct omsec_config *cfg, const char *item);
int rd_natcmp(const char *a, const char *b);
void rd_sec_coverage(struct doc *d, int k);

/*
 * The height each chart takes below d->y: it starts a page when less is
 * left, and a heading that introduces it asks for its own height and this
 * (rd_sub_keep), so it never stays alone at the foot of a page.
 */
#define CHART_LINE_H 210.0f	/* rd_line_chart */
#define CHART_BARS_H 230.0f	/* rd_stacked_bars */
#define CHART_DAILY_H 220.0f	/* the daily bars of render.c */
#define CHART_DONUT_H 156.0f	/* rd_donut */
#define CHART_HEATMAP_H 165.0f	/* rd_heatmap */
/* A level-2 heading: the space above, the title and below. */
#define HEAD2_H (6 + SZ_H2 + 10)
/* A table of rows one-line rows under a header of up to two lines. */
#define TABLE_H(rows) (36 + (float)(rows) * (SZ_TABLE * 1.45f + 6))

/* render_chart.c: vector charts, each drawn at d->y and moving it down. */
struct series {
	const char *name;
	const uint64_t *v;
};
/* Greyscale-safe fill of series i: distinct lightness and a pattern. */
void rd_series_fill(struct doc *d, int i);
void rd_line_chart(struct doc *d, const char *const *xlab, int n,
    const struct series *s, int ns, const char *ytitle);
void rd_stacked_bars(struct doc *d, const char *const *xlab, int n,
    const struct series *s, int ns, const char *ytitle);
void rd_donut(struct doc *d, const char *const *lab, const uint64_t *v,
    int n, const char *title);
void rd_heatmap(struct doc *d, const uint64_t how[7][24]);

/* render_sections.c */
void rd_sec_summary(struct doc *d);
void rd_sec_problems(struct doc *d);
void rd_sec_incidents(struct doc *d);
void rd_sec_trends(struct doc *d);
void rd_sec_recommend(struct doc *d);
void rd_sec_appendix(struct doc *d);

#endif
