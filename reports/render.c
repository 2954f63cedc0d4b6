/*
 * render.c - lays out the monthly service report (月报) as a PDF with
 * libharu 2.3.0: cover with document control, contents, numbered sections
 * with bookmarks, tables that break across pages with their header
 * repeated, a vector bar chart, and "第 N 页 共 M 页" footers.
 *
 * All text is UTF-8 drawn with one embedded TrueType font (fonts/ builds
 * omsec-cjk.ttf with flattened composite glyphs, see fonts/decompose.py).
 * Every string passes rd_clean (omsec_report_sanitize, then a visible
 * substitute for characters the font lacks) at the one place it is drawn,
 * so bytes from logs or CSV never reach the content stream raw. Lines are
 * wrapped by measuring each UTF-8 character with HPDF_Font_TextWidth.
 *
 * The report's own words come from the message catalogue (messages.def,
 * T(id)) in the report's language, zh-CN or en; table columns name their
 * title by message id and may give English its own width (frac_en).
 *
 * Pages are kept open until the end: the contents page and the footers are
 * drawn last, when the section pages and the page count are known.
 * libharu reports errors through a handler that records the first one; the
 * render returns -1 with it. With source_date set the file is a pure
 * function of the inputs (no random document ID is written by libharu
 * without encryption; the info dates come from source_date).
 * Memory: libharu's document (the PDF is built in memory, then streamed
 * into the atomic output file).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>

#include "out.h"
#include "report.h"

#include "render_int.h"

static void
on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user)
{
	struct doc *d = user;

	if (d->err == 0) {
		d->err = e;
		d->detail = detail;
	}
}

/* ---- text ------------------------------------------------------------ */

float
rd_text_width(struct doc *d, const char *s, size_t n, float size)
{
	HPDF_TextWidth tw;

	if (n == 0)
		return 0;
	tw = HPDF_Font_TextWidth(d->font, (const HPDF_BYTE *)s, (HPDF_UINT)n);
	return (float)tw.width * size / 1000.0f;
}

size_t
rd_u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* 1 if the font has a glyph for the BMP code point cp (cached). */
static int
has_glyph(struct doc *d, unsigned cp)
{
	unsigned byte = cp >> 3, bit = 1u << (cp & 7);

	if (cp > 0xffff)
		return 0;
	if (!(d->glyph_known[byte] & bit)) {
		d->glyph_known[byte] |= bit;
		if (d->fdef == NULL ||
		    HPDF_TTFontDef_GetGlyphid(d->fdef, (HPDF_UINT16)cp) != 0)
			d->glyph[byte] |= bit;
	}
	return (d->glyph[byte] & bit) != 0;
}

/*
 * Sanitises s (omsec_report_sanitize) into dst, then replaces each
 * character the font has no glyph for with d->subst (U+25A1 □, or '?'
 * when the font lacks that too): a missing character is shown, never
 * dropped. Returns the length written.
 */
size_t
rd_clean(struct doc *d, char *dst, size_t cap, const char *s)
{
	char tmp[TEXTMAX * 2];
	size_t n = omsec_report_sanitize(tmp, sizeof(tmp), s, strlen(s));
	size_t i = 0, o = 0, sl = strlen(d->subst);

	while (i < n) {
		const unsigned char *u = (const unsigned char *)tmp + i;
		size_t cl = rd_u8len(u[0]);
		unsigned cp;
		const char *src = tmp + i;
		size_t sn = cl;

		if (i + cl > n)
			break;
		cp = cl == 1 ? u[0] : cl == 2 ? (u[0] & 0x1fu) << 6 |
		    (u[1] & 0x3fu) : (u[0] & 0x0fu) << 12 |
		    (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu);
		if (cl > 3 || (cp >= 0x20 && !has_glyph(d, cp))) {
			src = d->subst;
			sn = sl;
		}
		if (o + sn + 1 > cap)
			break;
		memcpy(dst + o, src, sn);
		o += sn;
		i += cl;
	}
	if (cap > 0)
		dst[o] = '\0';
	return o;
}

void
rd_rgb_fill(struct doc *d, float r, float g, float b)
{
	HPDF_Page_SetRGBFill(d->page, r, g, b);
}

void
rd_rgb_stroke(struct doc *d, float r, float g, float b)
{
	HPDF_Page_SetRGBStroke(d->page, r, g, b);
}

/* Draws s (sanitised here) with its left end at x, baseline y. */
static void
put_on(struct doc *d, HPDF_Page page, float x, float y, float size,
    const char *s)
{
	char buf[TEXTMAX];

	if (rd_clean(d, buf, sizeof(buf), s) == 0)
		return;
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, d->font, size);
	HPDF_Page_TextOut(page, x, y, buf);
	HPDF_Page_EndText(page);
}

void
rd_put(struct doc *d, float x, float y, float size, const char *s)
{
	put_on(d, d->page, x, y, size, s);
}

float
rd_swidth(struct doc *d, const char *s, float size)
{
	char buf[TEXTMAX];
	size_t n = rd_clean(d, buf, sizeof(buf), s);

	return rd_text_width(d, buf, n, size);
}

void
rd_put_right(struct doc *d, float xr, float y, float size, const char *s)
{
	rd_put(d, xr - rd_swidth(d, s, size), y, size, s);
}

void
rd_put_center(struct doc *d, float xc, float y, float size, const char *s)
{
	rd_put(d, xc - rd_swidth(d, s, size) / 2, y, size, s);
}


/* 1 if the n bytes at s begin with one of the nset strings of set. */
static int
starts_with_any(const char *s, size_t n, const char *const *set, size_t nset)
{
	for (size_t i = 0; i < nset; i++)
		if (strlen(set[i]) <= n && memcmp(s, set[i], strlen(set[i])) == 0)
			return 1;
	return 0;
}

/* Characters that must not start a line (Chinese line-breaking rules). */
static int
no_line_start(const char *s, size_t n)
{
	static const char *const set[] = { "，", "。", "、", "；", "：", "？",
	    "！", "）", "》", "」", "』", "”", "’", "%", ")", ",", ".", ";",
	    ":", "!", "?" };

	return starts_with_any(s, n, set, sizeof(set) / sizeof(set[0]));
}

/* Opening brackets and quotes, which must not end a line. */
static int
no_line_end(const char *s, size_t n)
{
	static const char *const set[] = { "（", "《", "「", "『", "“", "‘",
	    "【", "(" };

	return starts_with_any(s, n, set, sizeof(set) / sizeof(set[0]));
}

/*
 * 1 if the character at s is one that Chinese text may break before or
 * after: CJK ideographs, kana, hangul, CJK and full-width punctuation.
 * Other characters (Latin letters, digits, and symbols such as × — “)
 * belong to the word around them.
 */
static int
wide_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;

	if (n < 3 || u[0] < 0xe0 || u[0] >= 0xf0)
		return 0;
	cp = (u[0] & 0x0fu) << 12 | (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu);
	return (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 &&
	    cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6);
}

/*
 * Wraps sanitised text s into lines no wider than width. A line may break
 * after a space, and next to a CJK character unless the next one is
 * closing punctuation, which hangs at the line end instead, or the one
 * before is an opening bracket; after a '/' only when the line has no
 * other break (a path). A word of
 * other characters (an English word, a number such as 18,202, an address,
 * a path) is kept whole unless it is wider than the line. Returns the
 * number of lines.
 */
int
rd_wrap(struct doc *d, const char *s, float size, float width, struct line *ln,
    int max)
{
	size_t n = strlen(s), i = 0, start = 0, brk = 0, brk2 = 0;
	float w = 0, wbrk = 0, wbrk2 = 0;
	int nl = 0, wide = 0, opening;

	while (i < n && nl < max) {
		size_t cl = rd_u8len((unsigned char)s[i]);
		float cw;

		if (i + cl > n)
			cl = n - i;
		cw = rd_text_width(d, s + i, cl, size);
		if (w + cw > width && i > start && !no_line_start(s + i, n - i)) {
			size_t end = i;
			float ew = w;
			/* A break after '/' only where nothing else is: a
			   path, not "Asia/Shanghai" in a sentence. */
			if (brk2 > start) {
				end = brk2;
				ew = wbrk2;
			} else if (brk > start) {
				end = brk;
				ew = wbrk;
			}
			ln[nl].off = start;
			ln[nl].len = end - start;
			ln[nl].w = ew;
			nl++;
			start = end;
			while (start < n && s[start] == ' ')
				start++;
			i = start;
			w = 0;
			brk = brk2 = start;
			wbrk = wbrk2 = 0;
			continue;
		}
		wide = wide_at(s + i, cl);
		opening = no_line_end(s + i, cl);
		w += cw;
		i += cl;
		if (i < n && !opening && !no_line_start(s + i, n - i) &&
		    (wide || s[i - 1] == ' ' || s[i - 1] == '/' ||
		    wide_at(s + i, n - i) || s[i] == ' ')) {
			brk = i;
			wbrk = w;
			if (s[i - 1] != '/' || wide || wide_at(s + i, n - i)) {
				brk2 = i;
				wbrk2 = w;
			}
		}
	}
	if (start < n && nl < max) {
		ln[nl].off = start;
		ln[nl].len = n - start;
		ln[nl].w = w;
		nl++;
	}
	return nl;
}

void
rd_put_n(struct doc *d, float x, float y, float size, const char *s, size_t n)
{
	char buf[TEXTMAX];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rd_put(d, x, y, size, buf);
}

/* ---- pages ----------------------------------------------------------- */

/* Running header: report title left, period right, a rule. */
static void
page_header(struct doc *d, HPDF_Page p)
{
	HPDF_Page save = d->page;

	d->page = p;
	rd_rgb_fill(d, 0.35f, 0.38f, 0.42f);
	rd_put(d, ML, PAGE_H - 46, 8.5f, d->title);
	rd_put_right(d, PAGE_W - MR, PAGE_H - 46, 8.5f, d->period);
	rd_rgb_stroke(d, 0.12f, 0.30f, 0.55f);
	HPDF_Page_SetLineWidth(p, 0.8f);
	HPDF_Page_MoveTo(p, ML, PAGE_H - 52);
	HPDF_Page_LineTo(p, PAGE_W - MR, PAGE_H - 52);
	HPDF_Page_Stroke(p);
	rd_rgb_fill(d, 0, 0, 0);
	d->page = save;
}

int
rd_new_page(struct doc *d)
{
	HPDF_Page p;

	if (d->npages == d->cappages) {
		int nc = d->cappages ? d->cappages * 2 : 16;
		HPDF_Page *np = realloc(d->pages, (size_t)nc * sizeof(*np));
		if (np == NULL) {
			d->oom = 1;
			return -1;
		}
		d->pages = np;
		d->cappages = nc;
	}
	if ((p = HPDF_AddPage(d->pdf)) == NULL)
		return -1;
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	d->pages[d->npages++] = p;
	d->page = p;
	d->y = PAGE_H - MT;
	if (d->npages > 1)
		page_header(d, p);
	return 0;
}

void
rd_need(struct doc *d, float h)
{
	if (d->y - h < MB)
		rd_new_page(d);
}

static void
outline(struct doc *d, int level, const char *title)
{
	char buf[256];
	HPDF_Outline o;
	HPDF_Destination dst;

	omsec_report_sanitize(buf, sizeof(buf), title, strlen(title));
	o = HPDF_CreateOutline(d->pdf, level == 1 ? NULL : d->ol1, buf, d->enc);
	if (o == NULL)
		return;
	dst = HPDF_Page_CreateDestination(d->page);
	HPDF_Destination_SetFitH(dst, d->y + 20);
	HPDF_Outline_SetDestination(o, dst);
	if (level == 1) {
		HPDF_Outline_SetOpened(o, HPDF_TRUE);
		d->ol1 = o;
	}
	if (d->ntoc < MAXTOC) {
		struct tocent *t = &d->toc[d->ntoc++];
		snprintf(t->title, sizeof(t->title), "%s", buf);
		t->level = level;
		t->page = d->npages;
	}
}

/* A level-1 section starts a page; a level-2 one keeps with what follows. */
void
rd_heading(struct doc *d, int level, const char *title)
{
	if (level == 1) {
		rd_new_page(d);
		outline(d, 1, title);
		rd_rgb_fill(d, 0.10f, 0.25f, 0.47f);
		rd_put(d, ML, d->y - SZ_H1, SZ_H1, title);
		d->y -= SZ_H1 + 16;
	} else {
		rd_need(d, 90);
		d->y -= 6;
		outline(d, 2, title);
		rd_rgb_fill(d, 0.10f, 0.25f, 0.47f);
		rd_put(d, ML, d->y - SZ_H2, SZ_H2, title);
		d->y -= SZ_H2 + 10;
	}
	rd_rgb_fill(d, 0, 0, 0);
}

int
rd_section(struct doc *d, const char *title)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%d  %s", ++d->section, title);
	rd_heading(d, 1, buf);
	return d->section;
}

void
rd_sub(struct doc *d, int k, const char *title)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%d.%d  %s", d->section, k, title);
	rd_heading(d, 2, buf);
}

void
rd_sub_keep(struct doc *d, int k, const char *title, float h)
{
	rd_need(d, HEAD2_H + h);
	rd_sub(d, k, title);
}

float
rd_para_height(struct doc *d, const char *s, float size, float indent)
{
	char buf[TEXTMAX * 2];
	struct line ln[MAXLINES];
	int n;

	rd_clean(d, buf, sizeof(buf), s);
	n = rd_wrap(d, buf, size, CW - indent, ln, MAXLINES);
	return (float)n * size * 1.65f + size * 0.5f;
}

void
rd_para_sized(struct doc *d, const char *s, float size, float indent)
{
	char buf[TEXTMAX * 2];
	struct line ln[MAXLINES];
	float lh = size * 1.65f;
	int n, i;

	rd_clean(d, buf, sizeof(buf), s);
	n = rd_wrap(d, buf, size, CW - indent, ln, MAXLINES);
	for (i = 0; i < n; i++) {
		rd_need(d, lh);
		rd_put_n(d, ML + indent, d->y - size, size, buf + ln[i].off,
		    ln[i].len);
		d->y -= lh;
	}
	d->y -= size * 0.5f;
}

/* A list item: the bullet, then s with its wrapped lines under the text. */
void
rd_bullet(struct doc *d, const char *s, float size, float indent)
{
	float bw = rd_swidth(d, T(M_BULLET), size) + size * 0.5f;

	rd_need(d, size * 1.65f);
	rd_put(d, ML + indent, d->y - size, size, T(M_BULLET));
	rd_para_sized(d, s, size, indent + bw);
}

void
rd_para(struct doc *d, const char *s)
{
	rd_para_sized(d, s, SZ_BODY, 0);
}

void
rd_note(struct doc *d, const char *s)
{
	rd_rgb_fill(d, 0.40f, 0.40f, 0.40f);
	rd_para_sized(d, s, SZ_TABLE, 0);
	rd_rgb_fill(d, 0, 0, 0);
}

/* ---- tables ---------------------------------------------------------- */

void
rd_hline(struct doc *d, float x0, float x1, float y, float w, float g)
{
	HPDF_Page_SetLineWidth(d->page, w);
	rd_rgb_stroke(d, g, g, g);
	HPDF_Page_MoveTo(d->page, x0, y);
	HPDF_Page_LineTo(d->page, x1, y);
	HPDF_Page_Stroke(d->page);
}

/*
 * The nl wrapped lines ln of column i's text, the first line's top at top,
 * aligned as the column says (0 left, 1 right, 2 centred).
 */
static void
put_cell(struct doc *d, const struct table *t, int i, const char *text,
    const struct line *ln, int nl, float top, float lh)
{
	for (int j = 0; j < nl; j++) {
		float by = top - SZ_TABLE * 1.05f - (float)j * lh;
		float x = t->x[i] + 4;
		if (t->c[i].align == 1)
			x = t->x[i] + t->w[i] - 4 - ln[j].w;
		else if (t->c[i].align == 2)
			x = t->x[i] + (t->w[i] - ln[j].w) / 2;
		rd_put_n(d, x, by, SZ_TABLE, text + ln[j].off, ln[j].len);
	}
}

/*
 * The header row: each title wrapped in its column (an English title may
 * need two lines where the Chinese one needs one), the row as tall as the
 * tallest title.
 */
static void
table_header(struct doc *d, struct table *t)
{
	char buf[MAXCOLS][256];
	struct line ln[MAXCOLS][3];
	int nl[MAXCOLS] = { 0 }, i, maxl = 1;
	float lh = SZ_TABLE * 1.3f, h;

	for (i = 0; i < t->n; i++) {
		rd_clean(d, buf[i], sizeof(buf[i]), T(t->c[i].title));
		nl[i] = rd_wrap(d, buf[i], SZ_TABLE, t->w[i] - 6, ln[i], 3);
		if (nl[i] > maxl)
			maxl = nl[i];
	}
	h = SZ_TABLE * 1.5f + 8 + (float)(maxl - 1) * lh;
	HPDF_Page_SetRGBFill(d->page, 0.89f, 0.92f, 0.96f);
	HPDF_Page_Rectangle(d->page, ML, d->y - h, CW, h);
	HPDF_Page_Fill(d->page);
	rd_hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
	rd_rgb_fill(d, 0.10f, 0.18f, 0.30f);
	for (i = 0; i < t->n; i++)
		put_cell(d, t, i, buf[i], ln[i], nl[i], d->y - 4, lh);
	rd_rgb_fill(d, 0, 0, 0);
	d->y -= h;
	rd_hline(d, ML, ML + CW, d->y, 0.6f, 0.15f);
}

void
rd_table_layout(struct doc *d, struct table *t, const struct tcol *c, int n)
{
	float x = ML;
	int i;

	t->c = c;
	t->n = n;
	t->row = 0;
	t->nrows = 0;
	for (i = 0; i < n; i++) {
		t->x[i] = x;
		t->w[i] = (d->en && c[i].frac_en > 0 ? c[i].frac_en :
		    c[i].frac) * CW;
		x += t->w[i];
	}
}

void
rd_table_begin(struct doc *d, struct table *t, const struct tcol *c, int n)
{
	rd_table_layout(d, t, c, n);
	rd_need(d, 3 * (SZ_TABLE * 1.5f + 8));
	table_header(d, t);
}

/* The heights table_header and rd_table_row draw, for keeping together. */
float
rd_table_header_height(struct doc *d, const struct table *t)
{
	char buf[256];
	struct line ln[3];
	int i, nl, maxl = 1;

	for (i = 0; i < t->n; i++) {
		rd_clean(d, buf, sizeof(buf), T(t->c[i].title));
		nl = rd_wrap(d, buf, SZ_TABLE, t->w[i] - 6, ln, 3);
		if (nl > maxl)
			maxl = nl;
	}
	return SZ_TABLE * 1.5f + 8 + (float)(maxl - 1) * SZ_TABLE * 1.3f;
}

float
rd_table_row_height(struct doc *d, const struct table *t,
    const char *const *cells)
{
	static char buf[TEXTMAX];
	struct line ln[8];
	int i, nl, maxl = 1;

	for (i = 0; i < t->n; i++) {
		rd_clean(d, buf, sizeof(buf), cells[i]);
		nl = rd_wrap(d, buf, SZ_TABLE, t->w[i] - 8, ln, 8);
		if (nl > maxl)
			maxl = nl;
	}
	return (float)maxl * SZ_TABLE * 1.45f + 6;
}

void
rd_table_begin_rows(struct doc *d, struct table *t, const struct tcol *c,
    int n, int rows)
{
	rd_need(d, TABLE_H(rows));
	rd_table_begin(d, t, c, n);
	t->nrows = rows;
}

void
rd_table_row(struct doc *d, struct table *t, const char *const *cells)
{
	static char buf[MAXCOLS][TEXTMAX];
	struct line ln[MAXCOLS][8];
	int nl[MAXCOLS] = { 0 }, i, maxl = 1;
	float lh = SZ_TABLE * 1.45f, h;

	for (i = 0; i < t->n; i++) {
		rd_clean(d, buf[i], sizeof(buf[i]), cells[i]);
		nl[i] = rd_wrap(d, buf[i], SZ_TABLE, t->w[i] - 8, ln[i], 8);
		if (nl[i] == 8 && ln[i][7].off + ln[i][7].len < strlen(buf[i])) {
			/* Longer than eight lines: the last one ends in an
			   ellipsis that fits the cell, never beyond it. */
			struct line *l = &ln[i][7];
			float ew = rd_text_width(d, "…", strlen("…"), SZ_TABLE);
			while (l->len > 0 && l->w + ew > t->w[i] - 8) {
				size_t k = l->len;
				while (k > 0 && ((unsigned char)buf[i][l->off + k - 1]
				    & 0xc0) == 0x80)
					k--;
				k = k > 0 ? k - 1 : 0;
				l->len = k;
				l->w = rd_text_width(d, buf[i] + l->off, k, SZ_TABLE);
			}
			if (l->off + l->len + strlen("…") < sizeof(buf[i])) {
				memcpy(buf[i] + l->off + l->len, "…", strlen("…"));
				l->len += strlen("…");
				l->w += ew;
			}
		}
		if (nl[i] > maxl)
			maxl = nl[i];
	}
	h = maxl * lh + 6;
	/* Widows: when this row fits but not the last one (of one line or
	   more) after it, both go to the next page. */
	if (d->y - h < MB || (t->nrows > 3 && t->row == t->nrows - 2 &&
	    d->y - h - (lh + 6) < MB)) {
		rd_hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
		rd_new_page(d);
		table_header(d, t);
	}
	if (t->row % 2 == 1) {
		HPDF_Page_SetRGBFill(d->page, 0.965f, 0.972f, 0.98f);
		HPDF_Page_Rectangle(d->page, ML, d->y - h, CW, h);
		HPDF_Page_Fill(d->page);
		rd_rgb_fill(d, 0, 0, 0);
	}
	for (i = 0; i < t->n; i++)
		put_cell(d, t, i, buf[i], ln[i], nl[i], d->y - 3, lh);
	d->y -= h;
	rd_hline(d, ML, ML + CW, d->y, 0.3f, 0.78f);
	t->row++;
}

void
rd_table_end(struct doc *d)
{
	rd_hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
	d->y -= 14;
}

/* ---- formatting ------------------------------------------------------ */

const char *
rd_fmt_u64(char *b, size_t cap, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	int i, o = 0;

	for (i = 0; i < n && (size_t)o + 2 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			b[o++] = ',';
		b[o++] = tmp[i];
	}
	b[o] = '\0';
	return b;
}

const char *
rd_fmt_pct(char *b, size_t cap, double p)
{
	if (p < 0)
		snprintf(b, cap, "—");
	else
		snprintf(b, cap, "%.1f%%", rd_round(p, 1));
	return b;
}

/*
 * v rounded half away from zero to digits decimals: printf rounds an
 * exact half to even (4.125 as "4.12"), a report rounds it up (四舍五入).
 */
double
rd_round(double v, int digits)
{
	double f = digits == 1 ? 10.0 : digits == 2 ? 100.0 : 1000.0;

	return round(v * f) / f;
}

const char *
rd_fmt_dur(struct doc *d, char *b, size_t cap, int64_t ms)
{
	int64_t min = (ms + 30000) / 60000;

	if (ms < 0)
		snprintf(b, cap, "—");
	else if (min < 60)
		TF(b, cap, M_DUR_MIN, (long long)min);
	else if (min % 60 == 0 && min <= 72 * 60)
		TF(b, cap, M_DUR_HOURS, (long long)(min / 60));
	else if (min < 48 * 60)
		TF(b, cap, M_DUR_HM, (long long)(min / 60),
		    (long long)(min % 60));
	else
		TF(b, cap, M_DUR_DAYS, (double)ms / 86400000.0);
	return b;
}

const char *
rd_fmt_local(struct doc *d, char *b, size_t cap, int64_t ms)
{
	struct omsec_civil c;

	omsec_ms_to_civil(ms + (int64_t)omsec_tz_offset_at(d->in->tz, ms) * 1000,
	    &c);
	snprintf(b, cap, "%02d-%02d %02d:%02d", c.month, c.day, c.hour, c.min);
	return b;
}

const char *
rd_cat(struct doc *d, const char *c)
{
	return omsec_msg_category(c, d->en);
}

const char *
rd_rule(struct doc *d, const char *r)
{
	return omsec_msg_rule(r, d->en);
}

const char *
rd_country(struct doc *d, const char *cc)
{
	return omsec_msg_country(cc, d->en);
}

const char *
rd_level(struct doc *d, int level)
{
	return level >= 0 && level < 3 ? T(M_LEVEL_URGENT + level) :
	    T(M_UNKNOWN);
}

const char *
rd_prio(struct doc *d, int prio)
{
	return prio >= 0 && prio < OMSEC_PRIO_COUNT ? T(M_PRIO_URGENT + prio) :
	    T(M_UNKNOWN);
}

const char *
rd_sev(struct doc *d, int sev)
{
	return sev >= 0 && sev < OMSEC_SEV_COUNT ? T(M_SEV_CRITICAL + sev) :
	    T(M_UNKNOWN);
}

const char *
rd_dim(struct doc *d, int dim)
{
	return dim >= 0 && dim < OMSEC_SURVEY_DIMS ? T(M_DIM_SPEED + dim) :
	    T(M_UNKNOWN);
}

/* ---- chart ----------------------------------------------------------- */

double
rd_nice_step(double max)
{
	double raw = max / 5, mag, f;

	if (raw <= 1)
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

void
rd_y_grid(struct doc *d, float x0, float x1, float y0, float h, double step,
    double top)
{
	char b[32];

	for (int k = 0; k * step <= top + 1e-9; k++) {
		float y = y0 + (float)(k * step / top) * h;
		rd_hline(d, x0, x1, y, k == 0 ? 0.8f : 0.3f, k == 0 ? 0.2f : 0.82f);
		rd_put_right(d, x0 - 4, y - 3, 7.5f, rd_fmt_u64(b, sizeof(b),
		    (uint64_t)(k * step)));
	}
}

/* Bar chart of v[0..n-1] with x labels xlab[i] ("": none). */
static void
bar_chart(struct doc *d, const uint64_t *v, const char *const *xlab, int n,
    const char *ytitle, const char *xtitle)
{
	const float h = 170, x0 = ML + 46, x1 = ML + CW - 6;
	float y0, y1, slot, bw;
	uint64_t max = 1;
	double step, top;
	int i, k;

	rd_need(d, CHART_DAILY_H);
	y1 = d->y - 16;
	y0 = y1 - h;
	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	step = rd_nice_step((double)max);
	top = step * ceil((double)max / step);
	rd_rgb_fill(d, 0.30f, 0.30f, 0.30f);
	rd_put(d, ML, y1 + 4, 8, ytitle);
	rd_y_grid(d, x0, x1, y0, h, step, top);
	/* Y axis. */
	HPDF_Page_SetLineWidth(d->page, 0.8f);
	rd_rgb_stroke(d, 0.2f, 0.2f, 0.2f);
	HPDF_Page_MoveTo(d->page, x0, y0);
	HPDF_Page_LineTo(d->page, x0, y1);
	HPDF_Page_Stroke(d->page);
	slot = (x1 - x0) / (float)(n > 0 ? n : 1);
	bw = slot * 0.68f;
	HPDF_Page_SetRGBFill(d->page, 0.20f, 0.45f, 0.72f);
	for (i = 0, k = 0; i < n; i++) {
		float bh = (float)((double)v[i] / top) * h;
		if (v[i] > 0 && bh < 0.6f)
			bh = 0.6f;
		if (bh > 0) {
			HPDF_Page_Rectangle(d->page, x0 + i * slot +
			    (slot - bw) / 2, y0, bw, bh);
			k++;
		}
	}
	/* Fill without a path is a libharu graphics-mode error. */
	if (k > 0)
		HPDF_Page_Fill(d->page);
	rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
	for (i = 0; i < n; i++)
		if (xlab[i][0] != '\0')
			rd_put_center(d, x0 + i * slot + slot / 2, y0 - 10, 6.5f,
			    xlab[i]);
	rd_put_center(d, (x0 + x1) / 2, y0 - 24, 8, xtitle);
	rd_rgb_fill(d, 0, 0, 0);
	d->y = y0 - 36;
}

/* ---- sections -------------------------------------------------------- */

/*
 * The customer and service of the site config. Their defaults are the
 * catalogue's Chinese texts: an English report shows the English ones;
 * anything else is the site's own and shown as written.
 */
const char *
rd_customer(struct doc *d)
{
	const char *c = d->in->cfg->customer;

	return strcmp(c, omsec_msg(M_DEFAULT_CUSTOMER, 0)) == 0 ?
	    T(M_DEFAULT_CUSTOMER) : c;
}

const char *
rd_service(struct doc *d)
{
	const char *c = d->in->cfg->service;

	return strcmp(c, omsec_msg(M_DEFAULT_SERVICE, 0)) == 0 ?
	    T(M_DEFAULT_SERVICE) : c;
}

static void
cover(struct doc *d)
{
	const struct omsec_config *cfg = d->in->cfg;
	char buf[TEXTMAX + 64], date[64];
	struct line ln[8];
	struct omsec_civil c;
	int64_t now;
	int n, i;
	float y;

	rd_new_page(d);
	/* A band across the top and a thin one under it. */
	HPDF_Page_SetRGBFill(d->page, 0.10f, 0.25f, 0.47f);
	HPDF_Page_Rectangle(d->page, 0, PAGE_H - 36, PAGE_W, 36);
	HPDF_Page_Fill(d->page);
	HPDF_Page_SetRGBFill(d->page, 0.80f, 0.60f, 0.20f);
	HPDF_Page_Rectangle(d->page, 0, PAGE_H - 40, PAGE_W, 4);
	HPDF_Page_Fill(d->page);

	rd_rgb_fill(d, 0.10f, 0.25f, 0.47f);
	y = PAGE_H - 210;
	rd_clean(d, buf, sizeof(buf), rd_customer(d));
	if (buf[0] != '\0') {
		n = rd_wrap(d, buf, 22, CW, ln, 8);
		for (i = 0; i < n; i++) {
			char one[TEXTMAX];
			memcpy(one, buf + ln[i].off, ln[i].len);
			one[ln[i].len] = '\0';
			rd_put_center(d, PAGE_W / 2, y, 22, one);
			y -= 34;
		}
	}
	TF(buf, sizeof(buf), M_SERVICE_KIND, rd_service(d), d->kind);
	{
		/* The title at 26 pt, smaller down to 20 pt when it is wider
		   than the text block, and wrapped beyond that. */
		float size = 26;
		char clean[TEXTMAX];
		rd_clean(d, clean, sizeof(clean), buf);
		while (size > 20 && rd_swidth(d, clean, size) > CW)
			size -= 1;
		n = rd_wrap(d, clean, size, CW, ln, 8);
		for (i = 0; i < n; i++) {
			char one[TEXTMAX];
			memcpy(one, clean + ln[i].off, ln[i].len);
			one[ln[i].len] = '\0';
			rd_put_center(d, PAGE_W / 2, y - 8, size, one);
			if (i + 1 < n)
				y -= size * 1.35f;
		}
	}
	y -= 50;
	rd_put_center(d, PAGE_W / 2, y, 18, d->period);
	y -= 30;
	rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
	{
		/* The last day is the day before the (exclusive) end. */
		struct omsec_civil a, b;
		int64_t e = d->in->end - 1;
		omsec_ms_to_civil(d->in->start + (int64_t)omsec_tz_offset_at(
		    d->in->tz, d->in->start) * 1000, &a);
		omsec_ms_to_civil(e + (int64_t)omsec_tz_offset_at(d->in->tz,
		    e) * 1000, &b);
		char da[64], db[64];
		TF(buf, sizeof(buf), M_COVER_RANGE,
		    omsec_msg_date(da, sizeof(da), d->en, a.year, a.month,
		    a.day, 0), omsec_msg_date(db, sizeof(db), d->en, b.year,
		    b.month, b.day, 0));
	}
	rd_put_center(d, PAGE_W / 2, y, 13, buf);

	/* Document control. */
	now = d->in->source_date >= 0 ? d->in->source_date : (int64_t)time(NULL);
	omsec_ms_to_civil(now * 1000 +
	    (int64_t)omsec_tz_offset_at(d->in->tz, now * 1000) * 1000, &c);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", c.year, c.month, c.day);
	{
		const char *rows[4][4] = {
			{ T(M_DC_DOCID), cfg->doc_id, T(M_DC_VERSION), cfg->version },
			{ T(M_DC_AUTHOR), cfg->author, T(M_DC_REVIEWER), cfg->reviewer },
			{ T(M_DC_APPROVER), cfg->approver, T(M_DC_STATUS), cfg->status },
			{ T(M_DC_CLASS), cfg->classification, T(M_DC_ISSUED), date },
		};
		const float cx[5] = { ML + 30, ML + 110, ML + 245, ML + 325,
		    ML + CW - 30 };
		const float rh = 26;
		float top = 300;
		int r, k;

		rd_rgb_fill(d, 0.10f, 0.25f, 0.47f);
		rd_put_center(d, PAGE_W / 2, top + 14, 11, T(M_DC_TITLE));
		for (r = 0; r < 4; r++) {
			float yy = top - r * rh;
			HPDF_Page_SetRGBFill(d->page, 0.93f, 0.95f, 0.98f);
			HPDF_Page_Rectangle(d->page, cx[0], yy - rh,
			    cx[1] - cx[0], rh);
			HPDF_Page_Rectangle(d->page, cx[2], yy - rh,
			    cx[3] - cx[2], rh);
			HPDF_Page_Fill(d->page);
			for (k = 0; k < 4; k++) {
				const char *v = rows[r][k];
				char cut[128];
				rd_rgb_fill(d, 0.15f, 0.15f, 0.15f);
				omsec_report_sanitize(cut, sizeof(cut), v,
				    strlen(v));
				if (cut[0] == '\0')
					snprintf(cut, sizeof(cut), "—");
				rd_put(d, cx[k] + 8, yy - rh + 9, 10, cut);
			}
		}
		HPDF_Page_SetLineWidth(d->page, 0.6f);
		rd_rgb_stroke(d, 0.45f, 0.50f, 0.58f);
		for (r = 0; r <= 4; r++) {
			HPDF_Page_MoveTo(d->page, cx[0], top - r * rh);
			HPDF_Page_LineTo(d->page, cx[4], top - r * rh);
		}
		for (k = 0; k < 5; k++) {
			HPDF_Page_MoveTo(d->page, cx[k], top);
			HPDF_Page_LineTo(d->page, cx[k], top - 4 * rh);
		}
		HPDF_Page_Stroke(d->page);
	}
	rd_rgb_fill(d, 0.15f, 0.15f, 0.15f);
	if (cfg->provider[0] != '\0')
		rd_put_center(d, PAGE_W / 2, 120, 14, cfg->provider);
	omsec_msg_date(buf, sizeof(buf), d->en, c.year, c.month, c.day, 1);
	rd_put_center(d, PAGE_W / 2, 98, 11, buf);
	rd_rgb_fill(d, 0, 0, 0);
}

#define TOC_TOP (PAGE_H - MT - 10)

static float
toc_height(const struct tocent *t)
{
	return t->level == 1 ? 8 + 12 * 1.75f : 10.5f * 1.75f;
}

/*
 * Makes room for the contents: when they do not fit on the page reserved
 * after the cover, pages are inserted after it and every entry's page
 * number moves on by as many. Returns the number of contents pages.
 */
static int
contents_pages(struct doc *d)
{
	float y = TOC_TOP - 60;
	int i, n = 1, k;

	for (i = 0; i < d->ntoc; i++) {
		if (y - toc_height(&d->toc[i]) < MB) {
			n++;
			y = TOC_TOP;
		}
		y -= toc_height(&d->toc[i]);
	}
	for (k = 1; k < n; k++) {
		HPDF_Page p;
		if (d->npages == d->cappages) {
			int nc = d->cappages * 2;
			HPDF_Page *np = realloc(d->pages, (size_t)nc * sizeof(*np));
			if (np == NULL) {
				d->oom = 1;
				return 1;
			}
			d->pages = np;
			d->cappages = nc;
		}
		if ((p = HPDF_InsertPage(d->pdf, d->pages[1 + k])) == NULL)
			return 1;
		HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		memmove(d->pages + 2 + k, d->pages + 1 + k,
		    (size_t)(d->npages - 1 - k) * sizeof(*d->pages));
		d->pages[1 + k] = p;
		d->npages++;
		page_header(d, p);
	}
	for (i = 0; i < d->ntoc; i++)
		d->toc[i].page += n - 1;
	return n;
}

static void
contents(struct doc *d)
{
	HPDF_Page save = d->page;
	float y = TOC_TOP;
	char num[16];
	int i, pg = 1;

	d->page = d->pages[1];
	rd_rgb_fill(d, 0.10f, 0.25f, 0.47f);
	rd_put_center(d, PAGE_W / 2, y - 18, 18, T(M_TOC));
	y -= 60;
	for (i = 0; i < d->ntoc; i++) {
		const struct tocent *t = &d->toc[i];
		float size = t->level == 1 ? 12 : 10.5f;
		float x = ML + (t->level == 1 ? 0 : 20);
		float tw, nw, dx;

		if (y - toc_height(t) < MB) {
			d->page = d->pages[++pg];
			y = TOC_TOP;
		}
		if (t->level == 1)
			y -= 8;
		rd_rgb_fill(d, 0.1f, 0.1f, 0.1f);
		rd_put(d, x, y - size, size, t->title);
		snprintf(num, sizeof(num), "%d", t->page);
		rd_put_right(d, PAGE_W - MR, y - size, size, num);
		tw = rd_swidth(d, t->title, size);
		nw = rd_swidth(d, num, size);
		/* Dotted leader between title and page number. */
		rd_rgb_fill(d, 0.55f, 0.55f, 0.55f);
		dx = x + tw + 8;
		if (dx < PAGE_W - MR - nw - 8) {
			for (; dx < PAGE_W - MR - nw - 8; dx += 5)
				HPDF_Page_Circle(d->page, dx, y - size + 2.5f, 0.55f);
			HPDF_Page_Fill(d->page);
		}
		y -= size * 1.75f;
	}
	rd_rgb_fill(d, 0, 0, 0);
	d->page = save;
}

static void
footers(struct doc *d)
{
	char buf[OMSEC_CFG_STR + 32];
	int i;

	for (i = 1; i < d->npages; i++) {
		HPDF_Page p = d->pages[i];
		HPDF_Page_SetLineWidth(p, 0.4f);
		HPDF_Page_SetRGBStroke(p, 0.6f, 0.6f, 0.6f);
		HPDF_Page_MoveTo(p, ML, 52);
		HPDF_Page_LineTo(p, PAGE_W - MR, 52);
		HPDF_Page_Stroke(p);
		HPDF_Page_SetRGBFill(p, 0.35f, 0.35f, 0.35f);
		TF(buf, sizeof(buf), M_FOOTER_PAGE, i + 1, d->npages);
		d->page = p;
		rd_put_center(d, PAGE_W / 2, 38, 8.5f, buf);
		rd_put(d, ML, 38, 8, d->in->cfg->doc_id);
		TF(buf, sizeof(buf), M_FOOTER_CLASS, d->in->cfg->classification);
		rd_put_right(d, PAGE_W - MR, 38, 8, buf);
	}
}

uint64_t
rd_sum_lines(const struct omsec_rpt_summary *s, int which)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < s->nsrc; i++)
		t += which == 0 ? s->src[i].lines : which == 1 ?
		    s->src[i].events : s->src[i].rejects;
	return t;
}

static void
sec_sla(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	static const struct tcol cols[] = {
		{ M_COL_PRIO, 0.08f, 2, 0.09f },
		{ M_COL_SLA_TARGET, 0.16f, 2, 0.14f },
		{ M_COL_TICKETS, 0.08f, 1, 0 }, { M_COL_RESP_MET, 0.10f, 1, 0 },
		{ M_COL_RESP_PCT, 0.11f, 1, 0.10f },
		{ M_COL_RES_MET, 0.10f, 1, 0.12f },
		{ M_COL_RES_PCT, 0.11f, 1, 0.12f },
		{ M_COL_MTTA, 0.13f, 1, 0.12f }, { M_COL_MTTR, 0.13f, 1, 0 },
	};
	static const struct tcol bcols[] = {
		{ M_COL_TICKET_ID, 0.19f, 0, 0 },
		{ M_COL_PRIO, 0.08f, 2, 0.10f },
		{ M_COL_SLA_ITEM, 0.08f, 2, 0.11f },
		{ M_COL_TOOK, 0.14f, 1, 0.13f },
		{ M_COL_TARGET, 0.10f, 1, 0.08f },
		{ M_COL_SUMMARY, 0.41f, 0, 0.39f },
	};
	struct table t;
	char s[9][48];
	size_t i;
	int p;

	rd_section(d, T(M_SEC_SLA));
	if (in->sla == NULL) {
		rd_para(d, T(M_NO_TICKETS));
		return;
	}
	{
		/* Say which clock each priority runs on: a business-hours
		   priority must not read as 7x24. */
		char clk[512], text[TEXTMAX];
		int nb = 0, q;
		clk[0] = '\0';
		for (q = 0; q < OMSEC_PRIO_COUNT; q++) {
			const char *c = in->records ? in->records->clock[q] : NULL;
			if (c != NULL && strcmp(c, "business") == 0) {
				size_t l = strlen(clk);
				snprintf(clk + l, sizeof(clk) - l, "%s%s",
				    nb ? T(M_LIST_SEP) : "", rd_prio(d, q));
				nb++;
			}
		}
		if (nb == 0)
			snprintf(text, sizeof(text), "%s", T(M_SLA_CLOCK_7X24));
		else if (nb == OMSEC_PRIO_COUNT)
			TF(text, sizeof(text), M_SLA_CLOCK_BUSINESS,
			    in->cfg->cal_hours);
		else
			TF(text, sizeof(text), M_SLA_CLOCK_MIXED, clk,
			    in->cfg->cal_hours);
		strncat(text, T(M_SLA_RULES),
		    sizeof(text) - strlen(text) - 1);
		rd_para(d, text);
	}
	rd_sub(d, 1, T(M_SUB_SLA_BY_PRIO));
	rd_table_begin_rows(d, &t, cols, 9, OMSEC_PRIO_COUNT + 1);
	for (p = 0; p <= OMSEC_PRIO_COUNT; p++) {
		const struct omsec_sla_row *r = p < OMSEC_PRIO_COUNT ?
		    &in->sla->prio[p] : &in->sla->total;
		const char *cells[9];
		char r1[32], r2[32];
		int k;

		if (p < OMSEC_PRIO_COUNT) {
			snprintf(s[0], sizeof(s[0]), "%s", rd_prio(d, p));
			snprintf(s[1], sizeof(s[1]), "%s / %s",
			    rd_fmt_dur(d, r1, sizeof(r1), in->cfg->sla_response[p] * 1000),
			    rd_fmt_dur(d, r2, sizeof(r2), in->cfg->sla_resolve[p] * 1000));
		} else {
			snprintf(s[0], sizeof(s[0]), "%s", T(M_TOTAL));
			snprintf(s[1], sizeof(s[1]), "—");
		}
		snprintf(s[2], sizeof(s[2]), "%u", r->tickets);
		snprintf(s[3], sizeof(s[3]), "%u/%u", r->resp_met,
		    r->resp_met + r->resp_breach);
		rd_fmt_pct(s[4], sizeof(s[4]), omsec_sla_pct(r->resp_met,
		    r->resp_breach));
		snprintf(s[5], sizeof(s[5]), "%u/%u", r->res_met,
		    r->res_met + r->res_breach);
		rd_fmt_pct(s[6], sizeof(s[6]), omsec_sla_pct(r->res_met,
		    r->res_breach));
		rd_fmt_dur(d, s[7], sizeof(s[7]), r->tta_n ? r->tta_sum / r->tta_n : -1);
		rd_fmt_dur(d, s[8], sizeof(s[8]), r->ttr_n ? r->ttr_sum / r->ttr_n : -1);
		for (k = 0; k < 9; k++)
			cells[k] = s[k];
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_note(d, T(M_SLA_NOTE));

	rd_sub(d, 2, T(M_SUB_SLA_BREACHES));
	if (in->sla->nbreaches == 0) {
		rd_para(d, T(M_SLA_ALL_MET));
		return;
	}
	rd_table_begin(d, &t, bcols, 6);
	t.nrows = (int)in->sla->nbreaches;
	for (i = 0; i < in->sla->nbreaches; i++) {
		const struct omsec_sla_breach *b = &in->sla->breaches[i];
		const struct omsec_ticket *tk = &in->tickets->v[b->ticket];
		char took[48], tgt[48];
		const char *cells[6];

		if (b->took < 0)
			snprintf(took, sizeof(took), "%s", T(M_NOT_DONE_AT_END));
		else
			rd_fmt_dur(d, took, sizeof(took), b->took);
		cells[0] = tk->id;
		cells[1] = rd_prio(d, tk->prio);
		cells[2] = b->resolve ? T(M_RESOLUTION) : T(M_RESPONSE);
		cells[3] = took;
		cells[4] = rd_fmt_dur(d, tgt, sizeof(tgt), b->target);
		cells[5] = tk->summary[0] ? tk->summary : "—";
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* 1 if item is an address of the customer's own (private or configured). */
int
rd_is_internal(const struct omsec_config *cfg, const char *item)
{
	struct omsec_ip ip;

	return omsec_ip_parse(&ip, omsec_span_cstr(item)) == 0 &&
	    omsec_config_is_internal(cfg, &ip);
}

/*
 * A heavy hitter's count: exact, or (merged summaries may over-count by up
 * to error) the range [count - error, count] the true count lies in.
 */
static const char *
top_count(char *b, size_t cap, const struct omsec_rpt_top *tp)
{
	char lo[28], hi[28];		/* 20 digits and 6 commas */

	if (tp->error == 0)
		return rd_fmt_u64(b, cap, tp->count);
	rd_fmt_u64(lo, sizeof(lo), tp->error < tp->count ?
	    tp->count - tp->error : 0);
	rd_fmt_u64(hi, sizeof(hi), tp->count);
	snprintf(b, cap, "%s–%s", lo, hi);
	return b;
}

/* A heavy hitter's share of total in percent; no total words it as -1 does. */
static const char *
top_share(char *b, size_t cap, const struct omsec_rpt_top *tp, uint64_t total)
{
	return rd_fmt_pct(b, cap, total ? 100.0 * tp->count / total : -1);
}

static int
top_estimated(const struct omsec_rpt_top *t, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i].error > 0)
			return 1;
	return 0;
}

/*
 * Copies s, cleaned for drawing, into b, cut at the right with a trailing
 * "…" until it fits width at SZ_TABLE: one line, whose height the
 * keep-with-next estimate of its table counts on. Returns b.
 */
static const char *
elide_right(struct doc *d, char *b, size_t cap, const char *s, float width)
{
	char tmp[512];
	size_t n;

	rd_clean(d, tmp, sizeof(tmp), s);
	snprintf(b, cap, "%s", tmp);
	if (rd_swidth(d, b, SZ_TABLE) <= width)
		return b;
	n = strlen(tmp);
	while (n > 0) {
		do
			n--;
		while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80);
		snprintf(b, cap, "%.*s…", (int)n, tmp);
		if (rd_swidth(d, b, SZ_TABLE) <= width)
			break;
	}
	return b;
}

static const char *
crit_name(struct doc *d, int crit)
{
	switch (crit) {
	case OMSEC_CRIT_HIGH:
		return T(M_CRIT_HIGH);
	case OMSEC_CRIT_LOW:
		return T(M_CRIT_LOW);
	default:
		return T(M_CRIT_MEDIUM);
	}
}

/* 6.6: the assets most events concern, named from the inventory. */
static void
top_assets(struct doc *d, const struct omsec_rpt_summary *s, int k)
{
	static const struct tcol cols[] = {
		{ M_COL_NO, 0.07f, 2, 0 }, { M_COL_ASSET_ID, 0.17f, 0, 0 },
		{ M_COL_ASSET_NAME, 0.22f, 0, 0.20f },
		{ M_COL_BIZ_SYSTEM, 0.20f, 0, 0.20f },
		{ M_COL_CRIT, 0.10f, 2, 0.12f }, { M_COL_EVENTS, 0.13f, 1, 0 },
		{ M_COL_SHARE, 0.11f, 1, 0 },
	};
	const struct omsec_assets *inv = d->in->records != NULL ?
	    d->in->records->assets : NULL;
	struct table t;
	char a[32], b[64], c[32];
	float h;
	int i, est;

	if (!s->have_asset || s->ntop_asset == 0) {
		rd_sub_keep(d, k, T(M_SUB_TOP_ASSET), rd_para_height(d,
		    T(M_NO_TOP_ASSET), SZ_BODY, 0));
		rd_para(d, T(M_NO_TOP_ASSET));
		return;
	}
	if (inv != NULL && inv->n == 0)
		inv = NULL;
	est = top_estimated(s->top_asset, s->ntop_asset);
	h = rd_para_height(d, T(M_TOP_ASSET_TEXT), SZ_BODY, 0) +
	    TABLE_H(s->ntop_asset);
	if (inv == NULL)
		h += rd_para_height(d, T(M_TOP_ASSET_NOINV), SZ_BODY, 0);
	rd_sub_keep(d, k, T(M_SUB_TOP_ASSET), h);
	rd_para(d, T(M_TOP_ASSET_TEXT));
	if (inv == NULL)
		rd_para(d, T(M_TOP_ASSET_NOINV));
	rd_table_begin(d, &t, cols, 7);
	t.nrows = s->ntop_asset;
	for (i = 0; i < s->ntop_asset; i++) {
		const struct omsec_rpt_top *tp = &s->top_asset[i];
		const struct omsec_asset *as = inv != NULL ?
		    omsec_assets_find(inv, tp->item) : NULL;
		const char *cells[7];
		snprintf(a, sizeof(a), "%d", i + 1);
		cells[0] = a;
		cells[1] = tp->item;
		if (as != NULL) {
			cells[2] = as->name[0] ? as->name : "—";
			cells[3] = as->system[0] ? as->system : "—";
			cells[4] = crit_name(d, as->crit);
		} else {
			cells[2] = inv != NULL ? T(M_NOT_IN_INVENTORY) : "—";
			cells[3] = cells[4] = "—";
		}
		cells[5] = top_count(b, sizeof(b), tp);
		cells[6] = top_share(c, sizeof(c), tp, s->events);
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	if (est)
		rd_note(d, T(M_TOP_ESTIMATE));
}

/* 6.7: the URLs most requested, each on one line of its cell. */
static void
top_urls(struct doc *d, const struct omsec_rpt_summary *s, int k)
{
	static const struct tcol cols[] = {
		{ M_COL_NO, 0.07f, 2, 0 }, { M_COL_URL, 0.63f, 0, 0 },
		{ M_COL_EVENTS, 0.17f, 1, 0 }, { M_COL_SHARE, 0.13f, 1, 0 },
	};
	struct table t;
	char a[32], b[64], c[32], url[512];
	int i, est;

	if (!s->have_url || s->ntop_url == 0) {
		rd_sub_keep(d, k, T(M_SUB_TOP_URL), rd_para_height(d,
		    T(M_NO_TOP_URL), SZ_BODY, 0));
		rd_para(d, T(M_NO_TOP_URL));
		return;
	}
	est = top_estimated(s->top_url, s->ntop_url);
	rd_sub_keep(d, k, T(M_SUB_TOP_URL), rd_para_height(d,
	    T(M_TOP_URL_TEXT), SZ_BODY, 0) + TABLE_H(s->ntop_url));
	rd_para(d, T(M_TOP_URL_TEXT));
	rd_table_begin(d, &t, cols, 4);
	t.nrows = s->ntop_url;
	for (i = 0; i < s->ntop_url; i++) {
		const struct omsec_rpt_top *tp = &s->top_url[i];
		const char *cells[4];
		snprintf(a, sizeof(a), "%d", i + 1);
		cells[0] = a;
		cells[1] = elide_right(d, url, sizeof(url), tp->item,
		    t.w[1] - 8);
		cells[2] = top_count(b, sizeof(b), tp);
		cells[3] = top_share(c, sizeof(c), tp, s->events);
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	if (est)
		rd_note(d, T(M_TOP_ESTIMATE));
}

static void
sec_events(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_rpt_summary *s = in->summary;
	static const struct tcol ccols[] = {
		{ M_COL_EVENT_CAT, 0.28f, 0, 0 },
		{ M_COL_SUCCESS, 0.14f, 1, 0 }, { M_COL_FAILURE, 0.14f, 1, 0 },
		{ M_COL_UNKNOWN, 0.14f, 1, 0 }, { M_COL_TOTAL, 0.15f, 1, 0 },
		{ M_COL_SHARE, 0.15f, 1, 0 },
	};
	static const struct tcol tcols[] = {
		{ M_COL_NO, 0.08f, 2, 0 }, { M_COL_SRC_IP, 0.37f, 0, 0 },
		{ M_COL_COUNTRY, 0.25f, 0, 0 }, { M_COL_EVENTS, 0.15f, 1, 0 },
		{ M_COL_SHARE, 0.15f, 1, 0 },
	};
	static const struct tcol ucols[] = {
		{ M_COL_NO, 0.08f, 2, 0 }, { M_COL_USER, 0.62f, 0, 0 },
		{ M_COL_EVENTS, 0.15f, 1, 0 }, { M_COL_SHARE, 0.15f, 1, 0 },
	};
	static const struct tcol acols[] = {
		{ M_COL_LEVEL, 0.08f, 2, 0.12f },
		{ M_COL_RULE, 0.22f, 0, 0.25f },
		{ M_COL_ENTITY, 0.26f, 0, 0.25f },
		{ M_COL_FIRST, 0.16f, 2, 0.14f },
		{ M_COL_LAST, 0.16f, 2, 0.14f },
		{ M_COL_COUNT, 0.12f, 1, 0.10f },
	};
	struct table t;
	char text[TEXTMAX], a[32], b[64], c[32], e[32], f[32], g[32];
	int i, k, ndays;

	rd_section(d, T(M_SEC_EVENTS));
	if (s == NULL) {
		rd_para(d, T(M_NO_SUMMARY));
	} else {
		uint64_t tot[3] = { 0, 0, 0 }, all;
		rd_sub(d, 1, T(M_SUB_EVENT_CATS));
		for (k = 0; k < s->ncat; k++)
			for (i = 0; i < 3; i++)
				tot[i] += s->cat_outcome[k][i];
		all = tot[0] + tot[1] + tot[2];
		TF(text, sizeof(text), M_EVENTS_TEXT,
		    rd_fmt_u64(a, sizeof(a), s->events), rd_fmt_u64(b, sizeof(b), tot[0]),
		    rd_fmt_u64(c, sizeof(c), tot[1]), rd_fmt_u64(e, sizeof(e), tot[2]),
		    rd_fmt_u64(f, sizeof(f), s->severity[3] + s->severity[4]));
		rd_para(d, text);
		rd_table_begin(d, &t, ccols, 6);
		for (k = 0; k <= s->ncat; k++) {
			const uint64_t *r = k < s->ncat ? s->cat_outcome[k] : tot;
			uint64_t sum = r[0] + r[1] + r[2];
			char name[96];
			const char *cells[6];
			if (k < s->ncat)
				snprintf(name, sizeof(name), "%s",
				    rd_cat(d, s->cat[k]));
			else
				snprintf(name, sizeof(name), "%s", T(M_TOTAL));
			cells[0] = name;
			cells[1] = rd_fmt_u64(a, sizeof(a), r[0]);
			cells[2] = rd_fmt_u64(b, sizeof(b), r[1]);
			cells[3] = rd_fmt_u64(c, sizeof(c), r[2]);
			cells[4] = rd_fmt_u64(e, sizeof(e), sum);
			cells[5] = rd_fmt_pct(f, sizeof(f), all ? 100.0 * sum / all : -1);
			rd_table_row(d, &t, cells);
		}
		rd_table_end(d);
		if (all > 0) {
			const char *lab[OMSEC_RPT_MAXCAT];
			uint64_t v[OMSEC_RPT_MAXCAT];
			for (k = 0; k < s->ncat; k++) {
				lab[k] = rd_cat(d, s->cat[k]);
				v[k] = s->cat_outcome[k][0] + s->cat_outcome[k][1] +
				    s->cat_outcome[k][2];
			}
			rd_donut(d, lab, v, s->ncat, T(M_CHART_CAT_MIX));
		}

		rd_sub_keep(d, 2, T(M_SUB_DAILY), CHART_DAILY_H);
		ndays = (int)((in->end - in->start + 43200000) / 86400000);
		if (ndays > OMSEC_RPT_MAXDAYS)
			ndays = OMSEC_RPT_MAXDAYS;
		for (i = 0, all = 0; i < ndays; i++)
			all += s->day[i];
		if (all == 0) {
			rd_para(d, T(M_NO_DAILY));
		} else {
			/* A month: every day numbered; longer: the 1st of each
			   month as M/1. */
			static char lab[OMSEC_RPT_MAXDAYS][8];
			const char *lp[OMSEC_RPT_MAXDAYS];
			struct omsec_civil cv;
			int64_t day0;
			omsec_ms_to_civil(in->start + (int64_t)omsec_tz_offset_at(
			    in->tz, in->start) * 1000, &cv);
			day0 = omsec_days_from_civil(cv.year, cv.month, cv.day);
			for (i = 0; i < ndays; i++) {
				int yy, mm, dd;
				omsec_civil_from_days(day0 + i, &yy, &mm, &dd);
				if (ndays <= 31)
					snprintf(lab[i], sizeof(lab[i]), "%d", dd);
				else if (dd == 1)
					snprintf(lab[i], sizeof(lab[i]), "%d/1", mm);
				else
					lab[i][0] = '\0';
				lp[i] = lab[i];
			}
			bar_chart(d, s->day, lp, ndays, T(M_AXIS_EVENTS),
			    ndays <= 31 ? T(M_AXIS_DAY) :
			    T(M_AXIS_MONTH_DAY));
		}

		rd_sub_keep(d, 3, T(M_SUB_HOUR_OF_WEEK), rd_para_height(d,
		    T(M_HOW_TEXT), SZ_BODY, 0) + CHART_HEATMAP_H);
		rd_para(d, T(M_HOW_TEXT));
		rd_heatmap(d, s->how);

		/* A top-N list keeps with its heading and text. */
		rd_sub_keep(d, 4, T(M_SUB_TOP_SRC), rd_para_height(d,
		    T(M_TOP_SRC_TEXT), SZ_BODY, 0) + TABLE_H(s->ntop_src));
		if (s->ntop_src == 0) {
			rd_para(d, T(M_NO_TOP_SRC));
		} else {
			rd_para(d, T(M_TOP_SRC_TEXT));
			rd_table_begin(d, &t, tcols, 5);
			for (i = 0; i < s->ntop_src; i++) {
				const struct omsec_rpt_top *tp = &s->top_src[i];
				const char *cells[5];
				char cty[64];
				snprintf(a, sizeof(a), "%d", i + 1);
				snprintf(cty, sizeof(cty), "%s",
				    rd_is_internal(in->cfg, tp->item) ? T(M_INTERNAL) :
				    rd_country(d, tp->attr));
				cells[0] = a;
				cells[1] = tp->item;
				cells[2] = cty;
				cells[3] = top_count(b, sizeof(b), tp);
				cells[4] = top_share(c, sizeof(c), tp, tot[1]);
				rd_table_row(d, &t, cells);
			}
			rd_table_end(d);
			if (top_estimated(s->top_src, s->ntop_src))
				rd_note(d, T(M_TOP_ESTIMATE));
		}
		rd_sub_keep(d, 5, T(M_SUB_TOP_USER), rd_para_height(d,
		    T(M_TOP_USER_TEXT), SZ_BODY, 0) + TABLE_H(s->ntop_user));
		if (s->ntop_user == 0) {
			rd_para(d, T(M_NO_TOP_USER));
		} else {
			rd_para(d, T(M_TOP_USER_TEXT));
			rd_table_begin(d, &t, ucols, 4);
			for (i = 0; i < s->ntop_user; i++) {
				const struct omsec_rpt_top *tp = &s->top_user[i];
				const char *cells[4];
				snprintf(a, sizeof(a), "%d", i + 1);
				cells[0] = a;
				cells[1] = tp->item;
				cells[2] = top_count(b, sizeof(b), tp);
				cells[3] = top_share(c, sizeof(c), tp, tot[1]);
				rd_table_row(d, &t, cells);
			}
			rd_table_end(d);
			if (top_estimated(s->top_user, s->ntop_user))
				rd_note(d, T(M_TOP_ESTIMATE));
		}
		top_assets(d, s, 6);
		top_urls(d, s, 7);
	}

	if (in->alerts == NULL) {
		rd_sub(d, 8, T(M_SUB_ALERTS));
		rd_para(d, T(M_NO_ALERTS));
		return;
	} else {
		const struct omsec_rpt_alerts *al = in->alerts;
		uint64_t n = al->level[0] + al->level[1] + al->level[2];
		const size_t show = 40;

		TF(text, sizeof(text), M_ALERTS_TEXT,
		    rd_fmt_u64(a, sizeof(a), n), rd_fmt_u64(b, sizeof(b), al->level[0]),
		    rd_fmt_u64(c, sizeof(c), al->level[1]),
		    rd_fmt_u64(e, sizeof(e), al->level[2]), in->cfg->timezone);
		/* The heading and its text with the first rows. */
		rd_sub_keep(d, 8, T(M_SUB_ALERTS), rd_para_height(d, text,
		    SZ_BODY, 0) + TABLE_H(al->n < 3 ? al->n : 3));
		rd_para(d, text);
		if (al->n == 0)
			return;
		rd_table_begin(d, &t, acols, 6);
		t.nrows = (int)(al->n < show ? al->n : show);
		for (i = 0; (size_t)i < al->n && (size_t)i < show; i++) {
			const struct omsec_rpt_alert *x = &al->v[i];
			const char *cells[6];
			cells[0] = rd_level(d, x->level);
			cells[1] = rd_rule(d, x->rule);
			cells[2] = x->entity;
			cells[3] = rd_fmt_local(d, f, sizeof(f), x->first);
			cells[4] = rd_fmt_local(d, g, sizeof(g), x->last);
			cells[5] = rd_fmt_u64(a, sizeof(a), x->count);
			rd_table_row(d, &t, cells);
		}
		rd_table_end(d);
		if (n > show) {
			TF(text, sizeof(text), M_ALERTS_MORE, show,
			    rd_fmt_u64(a, sizeof(a), n - show));
			rd_note(d, text);
		}
	}
}

static void
sec_satisfaction(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	static const struct tcol cols[] = {
		{ M_COL_DIMENSION, 0.40f, 0, 0 },
		{ M_COL_MEAN_SCORE, 0.35f, 1, 0 },
		{ M_COL_NSCORED, 0.25f, 1, 0 },
	};
	struct table t;
	char text[TEXTMAX], a[32], b[32];
	size_t i;
	int k, shown = 0;

	rd_section(d, T(M_SEC_SATISFACTION));
	if (in->sat == NULL || in->sat->respondents == 0) {
		rd_para(d, T(M_NO_SURVEY));
		return;
	}
	TF(text, sizeof(text), M_SAT_TEXT,
	    in->sat->respondents, in->sat->satisfied,
	    rd_fmt_pct(a, sizeof(a), in->sat->csat));
	rd_para(d, text);
	rd_sub(d, 1, T(M_SUB_SAT_DIMS));
	rd_table_begin(d, &t, cols, 3);
	for (k = 0; k < OMSEC_SURVEY_DIMS; k++) {
		const char *cells[3];
		if (in->sat->mean[k] < 0)
			snprintf(a, sizeof(a), "—");
		else
			snprintf(a, sizeof(a), "%.2f", rd_round(in->sat->mean[k],
			    2));
		snprintf(b, sizeof(b), "%u", in->sat->nscored[k]);
		cells[0] = rd_dim(d, k);
		cells[1] = a;
		cells[2] = b;
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_sub(d, 2, T(M_SUB_COMMENTS));
	for (i = 0; i < in->survey->n && shown < 20; i++) {
		const struct omsec_response *r = &in->survey->v[i];
		if (r->comment[0] == '\0')
			continue;
		TF(text, sizeof(text), M_COMMENT,
		    r->respondent[0] ? r->respondent : T(M_ANONYMOUS),
		    r->date[0] ? T(M_PAREN_OPEN) : "", r->date, r->date[0] ? T(M_PAREN_CLOSE) : "",
		    r->comment);
		rd_bullet(d, text, SZ_BODY, 8);
		shown++;
	}
	if (shown == 0)
		rd_para(d, T(M_NO_COMMENTS));
	else {
		int more = 0;
		for (; i < in->survey->n; i++)
			more += in->survey->v[i].comment[0] != '\0';
		if (more > 0) {
			TF(text, sizeof(text), M_COMMENTS_MORE, shown, more);
			rd_note(d, text);
		}
	}
}

/*
 * Compares file names in natural order: runs of digits by value, so a
 * rotated set reads access.log, access.log.1, access.log.2.gz, ...,
 * access.log.10.gz.
 */
int
rd_natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;
			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			for (ea = a; *ea >= '0' && *ea <= '9'; ea++)
				;
			for (eb = b; *eb >= '0' && *eb <= '9'; eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(a, b, la)) != 0)
				return c < 0 ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int
src_cmp(const void *x, const void *y)
{
	const struct omsec_rpt_source *i = *(const struct omsec_rpt_source
	    *const *)x, *j = *(const struct omsec_rpt_source *const *)y;
	int c = rd_natcmp(i->path, j->path);

	/* Equal names keep their order: the element addresses. */
	return c ? c : i < j ? -1 : i > j;
}

/* The data sources and their parse coverage, in natural (rotation) order. */
void
rd_sec_coverage(struct doc *d, int k)
{
	const struct omsec_rpt_summary *s = d->in->summary;
	static const struct tcol cols[] = {
		{ M_COL_LOG_SOURCE, 0.44f, 0, 0 }, { M_COL_LINES, 0.14f, 1, 0 },
		{ M_COL_EVENTS, 0.14f, 1, 0 },
		{ M_COL_REJECTS, 0.14f, 1, 0 },
		{ M_COL_PARSE_RATE, 0.14f, 1, 0 },
	};
	struct table t;
	char a[32], b[32], c[32], e[32];
	const struct omsec_rpt_source **ord;
	size_t i;

	rd_sub(d, k, T(M_SUB_COVERAGE));
	if (s == NULL || s->nsrc == 0) {
		rd_para(d, T(M_NO_SOURCES));
		return;
	}
	if ((ord = malloc(s->nsrc * sizeof(*ord))) == NULL) {
		d->oom = 1;
		return;
	}
	for (i = 0; i < s->nsrc; i++)
		ord[i] = &s->src[i];
	qsort(ord, s->nsrc, sizeof(*ord), src_cmp);
	rd_para(d, T(M_COVERAGE_TEXT));
	rd_table_begin(d, &t, cols, 5);
	t.nrows = (int)s->nsrc + 1;
	for (i = 0; i <= s->nsrc; i++) {
		const struct omsec_rpt_source *x = i < s->nsrc ? ord[i] : NULL;
		uint64_t l = x ? x->lines : rd_sum_lines(s, 0);
		uint64_t ev = x ? x->events : rd_sum_lines(s, 1);
		uint64_t rj = x ? x->rejects : rd_sum_lines(s, 2);
		const char *cells[5];
		cells[0] = x ? x->path : T(M_TOTAL);
		cells[1] = rd_fmt_u64(a, sizeof(a), l);
		cells[2] = rd_fmt_u64(b, sizeof(b), ev);
		cells[3] = rd_fmt_u64(c, sizeof(c), rj);
		/* Rounded down: 99.95% with rejects must not read 100.0%. */
		cells[4] = rd_fmt_pct(e, sizeof(e), l ? floor(1000.0 *
		    (double)(l - rj) / l) / 10 : -1);
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	free(ord);
}

/* ---- service records (issue 6): figures from omsec_records ---------- */

/* 2.3: the distribution of the SLA times and the clock of each priority. */
static void
sec_sla_times(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	static const struct tcol cols[] = {
		{ M_COL_PRIO, 0.08f, 2, 0.10f },
		{ M_COL_CLOCK, 0.10f, 2, 0.12f },
		{ M_COL_RESP_MEDIAN, 0.13f, 1, 0.12f },
		{ M_COL_RESP_P90, 0.12f, 1, 0.11f },
		{ M_COL_RES_MEDIAN, 0.13f, 1, 0.12f },
		{ M_COL_RES_P90, 0.12f, 1, 0.11f },
		{ M_COL_OPEN_END, 0.11f, 1, 0 },
		{ M_COL_REOPENED, 0.10f, 1, 0 },
		{ M_COL_PAUSED, 0.11f, 1, 0 },
	};
	struct table t;
	char s[9][48];
	int p, k;

	if (in->records == NULL || in->sla == NULL)
		return;
	/* The heading, its paragraph and the short table on one page. */
	rd_sub_keep(d, 3, T(M_SUB_SLA_TIMES), rd_para_height(d,
	    T(M_SLA_TIMES_TEXT), SZ_BODY, 0) + TABLE_H(OMSEC_PRIO_COUNT + 1));
	rd_para(d, T(M_SLA_TIMES_TEXT));
	rd_table_begin_rows(d, &t, cols, 9, OMSEC_PRIO_COUNT + 1);
	for (p = 0; p <= OMSEC_PRIO_COUNT; p++) {
		const struct omsec_sla_row *r = p < OMSEC_PRIO_COUNT ?
		    &in->sla->prio[p] : &in->sla->total;
		const char *cells[9];
		const char *clk = p < OMSEC_PRIO_COUNT ?
		    in->records->clock[p] : NULL;

		snprintf(s[0], sizeof(s[0]), "%s", p < OMSEC_PRIO_COUNT ?
		    rd_prio(d, p) : T(M_TOTAL));
		snprintf(s[1], sizeof(s[1]), "%s", clk == NULL ? "—" :
		    strcmp(clk, "business") == 0 ? T(M_CLOCK_BUSINESS) : "7×24");
		rd_fmt_dur(d, s[2], sizeof(s[2]), r->tta_median);
		rd_fmt_dur(d, s[3], sizeof(s[3]), r->tta_p90);
		rd_fmt_dur(d, s[4], sizeof(s[4]), r->ttr_median);
		rd_fmt_dur(d, s[5], sizeof(s[5]), r->ttr_p90);
		snprintf(s[6], sizeof(s[6]), "%u", r->open_end);
		snprintf(s[7], sizeof(s[7]), "%u", r->reopened);
		snprintf(s[8], sizeof(s[8]), "%u", r->paused);
		for (k = 0; k < 9; k++)
			cells[k] = s[k];
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* Appends the months with their satisfaction to the trend rows. */
static int
trend_months(const struct omsec_report_month **row, int n, int max,
    const struct omsec_report_month *m, int nm)
{
	int i;

	for (i = 0; i < nm && n < max; i++)
		row[n++] = &m[i];
	return n;
}

/*
 * The satisfaction trend: each month of the previous period (when its
 * records were given) and of this one, from the records' per-month
 * figures. Shown when there are two months or more to compare.
 */
static void
sec_satisfaction_trend(struct doc *d, int k)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_records *rec = in->records, *pv =
	    in->records_previous;
	static const struct tcol cols[] = {
		{ M_COL_MONTH, 0.20f, 2, 0 },
		{ M_COL_RESPONDENTS, 0.20f, 1, 0 },
		{ M_COL_OVERALL_MEAN, 0.20f, 1, 0 },
		{ M_COL_CSAT, 0.20f, 1, 0 },
		{ M_COL_NPS, 0.20f, 1, 0 },
	};
	const struct omsec_report_month *row[2 * OMSEC_RPT_MAXMONTHS];
	struct table t;
	char s[5][32];
	int n = 0, i, j;

	if (pv != NULL && pv->months != NULL)
		n = trend_months(row, n, 2 * OMSEC_RPT_MAXMONTHS, pv->months,
		    pv->nmonths);
	if (rec != NULL && rec->months != NULL)
		n = trend_months(row, n, 2 * OMSEC_RPT_MAXMONTHS, rec->months,
		    rec->nmonths);
	else if (in->months != NULL && in->period != NULL)
		n = trend_months(row, n, 2 * OMSEC_RPT_MAXMONTHS, in->months,
		    in->period->nmonths);
	if (n < 2)
		return;
	rd_sub(d, k, T(M_SUB_SAT_TREND));
	rd_para(d, pv != NULL && pv->months != NULL ? T(M_SAT_TREND_PREV) :
	    T(M_SAT_TREND_TEXT));
	rd_table_begin(d, &t, cols, 5);
	for (i = 0; i < n; i++) {
		const struct omsec_report_month *m = row[i];
		const char *cells[5];
		snprintf(s[0], sizeof(s[0]), "%d-%02d", m->year, m->month);
		if (m->have_sat) {
			snprintf(s[1], sizeof(s[1]), "%u", m->sat.respondents);
			if (m->sat.mean[OMSEC_SURVEY_DIMS - 1] >= 0)
				snprintf(s[2], sizeof(s[2]), "%.2f", rd_round(
				    m->sat.mean[OMSEC_SURVEY_DIMS - 1], 2));
			else
				snprintf(s[2], sizeof(s[2]), "—");
			rd_fmt_pct(s[3], sizeof(s[3]), m->sat.csat);
			if (m->sat.nps > -1000)
				snprintf(s[4], sizeof(s[4]), "%.1f",
				    rd_round(m->sat.nps, 1));
			else
				snprintf(s[4], sizeof(s[4]), "—");
		} else {
			snprintf(s[1], sizeof(s[1]), "0");
			for (j = 2; j < 5; j++)
				snprintf(s[j], sizeof(s[j]), "—");
		}
		for (j = 0; j < 5; j++)
			cells[j] = s[j];
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* 4.3: NPS and the distribution of the overall score, when asked. */
static void
sec_satisfaction_nps(struct doc *d)
{
	const struct omsec_satisfaction *sat = d->in->sat;
	static const struct tcol cols[] = {
		{ M_COL_DIMENSION, 0.30f, 0, 0 },
		{ M_COL_SCORE_1, 0.14f, 1, 0 }, { M_COL_SCORE_2, 0.14f, 1, 0 },
		{ M_COL_SCORE_3, 0.14f, 1, 0 }, { M_COL_SCORE_4, 0.14f, 1, 0 },
		{ M_COL_SCORE_5, 0.14f, 1, 0 },
	};
	struct table t;
	char text[512], s[5][16];
	int k, j;

	if (sat == NULL || sat->promoters + sat->passives + sat->detractors == 0)
		return;
	rd_sub(d, 3, T(M_SUB_NPS));
	TF(text, sizeof(text), M_NPS_TEXT,
	    sat->promoters + sat->passives + sat->detractors, sat->promoters,
	    sat->passives, sat->detractors, rd_round(sat->nps, 1));
	rd_para(d, text);
	rd_table_begin_rows(d, &t, cols, 6, OMSEC_SURVEY_DIMS);
	for (k = 0; k < OMSEC_SURVEY_DIMS; k++) {
		const char *cells[6];
		cells[0] = rd_dim(d, k);
		for (j = 0; j < 5; j++) {
			snprintf(s[j], sizeof(s[j]), "%u", sat->dist[k][j]);
			cells[j + 1] = s[j];
		}
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* Vulnerability management; returns the next section number. */
static void
sec_vulns(struct doc *d)
{
	const struct omsec_records *rec = d->in->records;
	static const struct tcol cols[] = {
		{ M_COL_SEVERITY, 0.10f, 2, 0 },
		{ M_COL_DEADLINE, 0.12f, 1, 0 },
		{ M_COL_FOUND, 0.10f, 1, 0 }, { M_COL_FIXED, 0.10f, 1, 0 },
		{ M_COL_VERIFIED, 0.10f, 1, 0 },
		{ M_COL_OPEN_AT_END, 0.12f, 1, 0 },
		{ M_COL_OVERDUE, 0.09f, 1, 0 },
		{ M_COL_FIXED_LATE, 0.12f, 1, 0 },
		{ M_COL_VULN_REOPENED, 0.15f, 1, 0 },
	};
	static const struct tcol acols[] = {
		{ M_COL_SEVERITY, 0.20f, 2, 0 }, { M_COL_AGE_0_7, 0.16f, 1, 0 },
		{ M_COL_AGE_8_30, 0.16f, 1, 0 },
		{ M_COL_AGE_31_90, 0.16f, 1, 0 }, { M_COL_AGE_90, 0.16f, 1, 0 },
		{ M_COL_UNKNOWN, 0.16f, 1, 0 },
	};
	static const struct tcol ocols[] = {
		{ M_COL_ASSET, 0.18f, 0, 0 }, { M_COL_ID, 0.20f, 0, 0 },
		{ M_COL_SEVERITY, 0.08f, 2, 0.11f },
		{ M_COL_OPEN_FOR, 0.12f, 1, 0.11f },
		{ M_COL_VULN_NAME, 0.42f, 0, 0.40f },
	};
	struct table t;
	char s[9][48];
	size_t i;
	int k, j;

	if (rec == NULL || rec->vf == NULL)
		return;
	rd_section(d, T(M_SEC_VULNS));
	snprintf(s[0], sizeof(s[0]), "%u", rec->vulns->duplicates);
	{
		char text[512];
		TF(text, sizeof(text), M_VULNS_TEXT,
		    rec->vf->total.found, rec->vf->total.fixed,
		    rec->vf->total.verified, rec->vf->total.open,
		    rec->vf->total.overdue, s[0]);
		rd_para(d, text);
	}
	rd_sub(d, 1, T(M_SUB_VULN_BY_SEV));
	rd_table_begin_rows(d, &t, cols, 9, OMSEC_SEV_COUNT + 1);
	for (k = 0; k <= OMSEC_SEV_COUNT; k++) {
		const struct omsec_vuln_row *r = k < OMSEC_SEV_COUNT ?
		    &rec->vf->sev[k] : &rec->vf->total;
		const char *cells[9];
		snprintf(s[0], sizeof(s[0]), "%s", k < OMSEC_SEV_COUNT ?
		    rd_sev(d, k) : T(M_TOTAL));
		if (k < OMSEC_SEV_COUNT && rec->vf->deadline[k] > 0)
			rd_fmt_dur(d, s[1], sizeof(s[1]), rec->vf->deadline[k] * 1000);
		else
			snprintf(s[1], sizeof(s[1]), "—");
		snprintf(s[2], sizeof(s[2]), "%u", r->found);
		snprintf(s[3], sizeof(s[3]), "%u", r->fixed);
		snprintf(s[4], sizeof(s[4]), "%u", r->verified);
		snprintf(s[5], sizeof(s[5]), "%u", r->open);
		snprintf(s[6], sizeof(s[6]), "%u", r->overdue);
		snprintf(s[7], sizeof(s[7]), "%u", r->fixed_late);
		snprintf(s[8], sizeof(s[8]), "%u", r->reopened);
		for (j = 0; j < 9; j++)
			cells[j] = s[j];
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_sub(d, 2, T(M_SUB_VULN_AGING));
	rd_table_begin_rows(d, &t, acols, 6, OMSEC_SEV_COUNT + 1);
	for (k = 0; k <= OMSEC_SEV_COUNT; k++) {
		const struct omsec_vuln_row *r = k < OMSEC_SEV_COUNT ?
		    &rec->vf->sev[k] : &rec->vf->total;
		const char *cells[6];
		cells[0] = k < OMSEC_SEV_COUNT ? rd_sev(d, k) : T(M_TOTAL);
		for (j = 0; j < OMSEC_VULN_AGES; j++) {
			snprintf(s[j], sizeof(s[j]), "%u", r->age[j]);
			cells[j + 1] = s[j];
		}
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_sub(d, 3, T(M_SUB_VULN_OVERDUE));
	if (rec->vf->noverdue == 0) {
		rd_para(d, T(M_NO_VULN_OVERDUE));
		return;
	}
	rd_table_begin(d, &t, ocols, 5);
	for (i = 0; i < rec->vf->noverdue && i < 50; i++) {
		const struct omsec_vuln *v = &rec->vulns->v[rec->vf->overdue[i]];
		const char *cells[5];
		char nm[192];
		omsec_report_sanitize(s[0], sizeof(s[0]), v->asset,
		    strlen(v->asset));
		omsec_report_sanitize(s[1], sizeof(s[1]), v->id[0] ? v->id :
		    v->cve, strlen(v->id[0] ? v->id : v->cve));
		TF(s[2], sizeof(s[2]), M_DAYS_INT,
		    (long long)((rec->end - v->found) / 86400000));
		omsec_report_sanitize(nm, sizeof(nm), v->name, strlen(v->name));
		cells[0] = s[0];
		cells[1] = s[1];
		cells[2] = rd_sev(d, v->sev);
		cells[3] = s[2];
		cells[4] = nm[0] ? nm : "—";
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* Inspections; returns the next section number. */
static void
sec_inspections(struct doc *d)
{
	const struct omsec_records *rec = d->in->records;
	static const struct tcol cols[] = {
		{ M_COL_ASSET_TYPE, 0.34f, 0, 0 },
		{ M_COL_INSP_DONE, 0.22f, 1, 0 },
		{ M_COL_ABNORMAL, 0.22f, 1, 0 },
		{ M_COL_FOLLOWED, 0.22f, 1, 0 },
	};
	struct table t;
	char text[512], a[16], b[16], c[16];
	int k;

	if (rec == NULL || rec->insp == NULL)
		return;
	rd_section(d, T(M_SEC_INSPECTIONS));
	TF(text, sizeof(text), M_INSP_TEXT,
	    rec->insp->planned, rec->insp->planned_done,
	    rd_fmt_pct(a, sizeof(a), rec->insp->planned ? 100.0 *
	    rec->insp->planned_done / rec->insp->planned : -1),
	    rec->insp->done, rec->insp->abnormal, rec->insp->followed);
	rd_para(d, text);
	rd_table_begin(d, &t, cols, 4);
	for (k = 0; k < rec->insp->ntype; k++) {
		const struct omsec_insp_type *ty = &rec->insp->type[k];
		char nm[64];
		const char *cells[4];
		omsec_report_sanitize(nm, sizeof(nm), ty->type, strlen(ty->type));
		snprintf(a, sizeof(a), "%u", ty->done);
		snprintf(b, sizeof(b), "%u", ty->abnormal);
		snprintf(c, sizeof(c), "%u", ty->followed);
		cells[0] = nm[0] ? nm : T(M_UNCLASSIFIED);
		cells[1] = a;
		cells[2] = b;
		cells[3] = c;
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* Availability per service; returns the next section number. */
static void
sec_availability(struct doc *d)
{
	const struct omsec_records *rec = d->in->records;
	static const struct tcol cols[] = {
		{ M_COL_SERVICE, 0.30f, 0, 0 }, { M_COL_OUTAGES, 0.14f, 1, 0 },
		{ M_COL_DOWNTIME, 0.16f, 1, 0 },
		{ M_COL_AVAILABILITY, 0.14f, 1, 0 },
		{ M_COL_TARGET, 0.12f, 1, 0 }, { M_COL_MET, 0.14f, 2, 0 },
	};
	struct table t;
	char text[256], s[5][48];
	size_t i;

	if (rec == NULL || rec->avail == NULL)
		return;
	rd_section(d, T(M_SEC_AVAILABILITY));
	TF(text, sizeof(text), M_AVAIL_TEXT,
	    rec->avail->target);
	rd_para(d, text);
	if (rec->avail->n == 0) {
		rd_para(d, T(M_NO_OUTAGES));
		return;
	}
	rd_table_begin(d, &t, cols, 6);
	for (i = 0; i < rec->avail->n; i++) {
		const struct omsec_avail_row *r = &rec->avail->v[i];
		const char *cells[6];
		omsec_report_sanitize(s[0], sizeof(s[0]), r->service,
		    strlen(r->service));
		snprintf(s[1], sizeof(s[1]), "%u", r->outages);
		rd_fmt_dur(d, s[2], sizeof(s[2]), r->down);
		snprintf(s[3], sizeof(s[3]), "%.3f%%", r->pct);
		snprintf(s[4], sizeof(s[4]), "%.2f%%", rec->avail->target);
		cells[0] = s[0];
		cells[1] = s[1];
		cells[2] = s[2];
		cells[3] = s[3];
		cells[4] = s[4];
		cells[5] = r->met ? T(M_MET) : T(M_NOT_MET);
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
}

/* Workload, when records beyond tickets and surveys were given. */
static void
sec_workload(struct doc *d)
{
	const struct omsec_records *rec = d->in->records;
	static const struct tcol cols[] = {
		{ M_COL_WORK_ITEM, 0.60f, 0, 0 },
		{ M_COL_WORK_COUNT, 0.40f, 1, 0 },
	};
	struct table t;
	char a[32], lbl[160];
	int k;

	if (rec == NULL || rec->work == NULL || (rec->vf == NULL &&
	    rec->insp == NULL && rec->avail == NULL))
		return;
	rd_section(d, T(M_SEC_WORKLOAD));
	rd_table_begin(d, &t, cols, 2);
#define WROW(label, v) do { const char *c_[2] = { (label), \
	rd_fmt_u64(a, sizeof(a), (v)) }; rd_table_row(d, &t, c_); } while (0)
	WROW(T(M_WL_TICKETS), rec->work->tickets);
	for (k = 0; k < OMSEC_PRIO_COUNT; k++) {
		TF(lbl, sizeof(lbl), M_WL_OF_PRIO, rd_prio(d, k));
		WROW(lbl, rec->work->by_prio[k]);
	}
	for (k = 0; k < rec->work->ncat; k++) {
		char nm[128];
		omsec_report_sanitize(nm, sizeof(nm), rec->work->cat[k],
		    strlen(rec->work->cat[k]));
		TF(lbl, sizeof(lbl), M_WL_OF_CAT, nm);
		WROW(lbl, rec->work->cat_n[k]);
	}
	WROW(T(M_WL_RESOLVED), rec->work->resolved);
	WROW(T(M_WL_INSPECTIONS), rec->work->inspections);
	WROW(T(M_WL_VULNS_FIXED), rec->work->vulns_fixed);
	WROW(T(M_WL_VULNS_VERIFIED), rec->work->vulns_verified);
	if (d->in->summary) {
		WROW(T(M_WL_LOG_LINES), rec->work->log_lines);
		WROW(T(M_WL_EVENTS), rec->work->events);
	}
#undef WROW
	rd_table_end(d);
}

/* ---- document -------------------------------------------------------- */

static void
set_info(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	HPDF_Date dt;
	struct omsec_civil c;
	int64_t now = in->source_date >= 0 ? in->source_date :
	    (int64_t)time(NULL);

	omsec_ms_to_civil(now * 1000, &c);
	memset(&dt, 0, sizeof(dt));
	dt.year = c.year;
	dt.month = c.month;
	dt.day = c.day;
	dt.hour = c.hour;
	dt.minutes = c.min;
	dt.seconds = c.sec;
	dt.ind = 'Z';
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, dt);
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_MOD_DATE, dt);
	{
		char buf[TEXTMAX], t[TEXTMAX];
		snprintf(t, sizeof(t), "%s %s", d->title, d->period);
		omsec_report_sanitize(buf, sizeof(buf), t, strlen(t));
		HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, buf);
		snprintf(t, sizeof(t), "%s%s%s", in->cfg->provider,
		    in->cfg->provider[0] && in->cfg->author[0] ? " " : "",
		    in->cfg->author);
		omsec_report_sanitize(buf, sizeof(buf), t, strlen(t));
		if (buf[0])
			HPDF_SetInfoAttr(d->pdf, HPDF_INFO_AUTHOR, buf);
		TF(t, sizeof(t), M_PDF_SUBJECT,
		    rd_customer(d),
		    d->period, d->kind);
		omsec_report_sanitize(buf, sizeof(buf), t, strlen(t));
		HPDF_SetInfoAttr(d->pdf, HPDF_INFO_SUBJECT, buf);
		TF(t, sizeof(t), M_PDF_KEYWORDS, rd_service(d),
		    d->kind);
		omsec_report_sanitize(buf, sizeof(buf), t, strlen(t));
		HPDF_SetInfoAttr(d->pdf, HPDF_INFO_KEYWORDS, buf);
	}
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "omsec-report");
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_PRODUCER, "omsec-report (libharu)");
}

static int
write_out(struct doc *d, const char *path, char *err, size_t errcap)
{
	struct omsec_atomic a;
	HPDF_BYTE buf[65536];
	HPDF_STATUS st;

	if (HPDF_SaveToStream(d->pdf) != HPDF_OK || d->err) {
		snprintf(err, errcap, "libharu error 0x%04lx (detail %lu) "
		    "while saving", (unsigned long)d->err,
		    (unsigned long)d->detail);
		return -1;
	}
	if (omsec_atomic_open(&a, path) != 0) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	HPDF_ResetStream(d->pdf);
	for (;;) {
		HPDF_UINT32 n = sizeof(buf);
		size_t off = 0;
		st = HPDF_ReadFromStream(d->pdf, buf, &n);
		while (off < n) {
			ssize_t w = write(a.fd, buf + off, n - off);
			if (w == -1 && errno == EINTR)
				continue;
			if (w == -1) {
				snprintf(err, errcap, "%s: %s", path,
				    strerror(errno));
				omsec_atomic_abort(&a);
				return -1;
			}
			off += (size_t)w;
		}
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK) {
			snprintf(err, errcap, "libharu error 0x%04lx while "
			    "reading the document", (unsigned long)st);
			omsec_atomic_abort(&a);
			return -1;
		}
	}
	if (omsec_atomic_commit(&a) != 0) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
omsec_report_render(const struct omsec_report_input *in,
    const char *out_path, int *npages, char *err, size_t errcap)
{
	struct doc d;
	const char *fname;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	d.in = in;
	d.en = in->lang_en != 0;
	{
		/* A monthly input without a period: the month above. */
		struct omsec_period one;
		const struct omsec_period *p = in->period;
		if (p == NULL) {
			memset(&one, 0, sizeof(one));
			one.kind = OMSEC_REPORT_MONTH;
			one.year = in->year;
			one.month = in->month;
			one.nmonths = 1;
			p = &one;
		}
		omsec_period_label(d.period, sizeof(d.period), p, d.en);
		snprintf(d.kind, sizeof(d.kind), "%s", omsec_msg(
		    p->kind == OMSEC_REPORT_YEAR ? M_KIND_YEAR :
		    p->kind == OMSEC_REPORT_QUARTER ? M_KIND_QUARTER :
		    M_KIND_MONTH, d.en));
	}
	d.subst = "□";
	{
		char sk[OMSEC_CFG_STR + 64];
		struct doc *dp = &d;
		omsec_msg_fmt(sk, sizeof(sk), M_SERVICE_KIND, d.en,
		    rd_service(dp), d.kind);
		snprintf(d.title, sizeof(d.title), "%s%s%s", rd_customer(dp),
		    rd_customer(dp)[0] ? " " : "", sk);
	}
	if ((d.pdf = HPDF_New(on_error, &d)) == NULL) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d.pdf);
	HPDF_SetCurrentEncoder(d.pdf, "UTF-8");
	d.enc = HPDF_GetEncoder(d.pdf, "UTF-8");
	fname = HPDF_LoadTTFontFromFile(d.pdf, in->font_path, HPDF_TRUE);
	if (fname == NULL || d.err) {
		snprintf(err, errcap, "%s: cannot load TrueType font "
		    "(libharu error 0x%04lx)", in->font_path,
		    (unsigned long)d.err);
		goto out;
	}
	d.font = HPDF_GetFont(d.pdf, fname, "UTF-8");
	if (d.font == NULL || d.err) {
		snprintf(err, errcap, "%s: libharu error 0x%04lx", in->font_path,
		    (unsigned long)d.err);
		goto out;
	}
	d.fdef = HPDF_GetFontDef(d.pdf, fname);
	if (d.fdef != NULL && (HPDF_TTFontDef_GetGlyphid(d.fdef, 0x25a1) == 0))
		d.subst = "?";
	HPDF_SetPageMode(d.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	set_info(&d);
	cover(&d);
	rd_new_page(&d);	/* contents, drawn last */
	rd_sec_summary(&d);
	sec_sla(&d);
	sec_sla_times(&d);
	sec_availability(&d);
	rd_sec_problems(&d);
	sec_workload(&d);
	sec_events(&d);
	rd_sec_incidents(&d);
	sec_vulns(&d);
	sec_inspections(&d);
	rd_sec_trends(&d);
	sec_satisfaction(&d);
	sec_satisfaction_nps(&d);
	if (d.in->sat != NULL && d.in->sat->respondents > 0)
		sec_satisfaction_trend(&d, d.in->sat->promoters +
		    d.in->sat->passives + d.in->sat->detractors > 0 ? 4 : 3);
	rd_sec_recommend(&d);
	rd_sec_appendix(&d);
	if (d.oom) {
		snprintf(err, errcap, "out of memory");
		goto out;
	}
	contents_pages(&d);
	contents(&d);
	footers(&d);
	if (d.err) {
		snprintf(err, errcap, "libharu error 0x%04lx (detail %lu)",
		    (unsigned long)d.err, (unsigned long)d.detail);
		goto out;
	}
	if (in->user_password != NULL || in->owner_password != NULL) {
		/* Readers may print; not copy, edit or annotate. libharu's
		   encryption writes a random document ID: not reproducible. */
		if (HPDF_SetPassword(d.pdf, in->owner_password,
		    in->user_password ? in->user_password : "") != HPDF_OK ||
		    HPDF_SetEncryptionMode(d.pdf, HPDF_ENCRYPT_R3, 16) != HPDF_OK ||
		    HPDF_SetPermission(d.pdf, HPDF_ENABLE_PRINT) != HPDF_OK) {
			snprintf(err, errcap, "cannot encrypt: libharu error "
			    "0x%04lx", (unsigned long)d.err);
			goto out;
		}
	}
	if (write_out(&d, out_path, err, errcap) != 0)
		goto out;
	if (npages)
		*npages = d.npages;
	rc = 0;
out:
	HPDF_Free(d.pdf);
	free(d.pages);
	return rc;
}
