/*
 * render_chart.c - vector charts of the report: line chart, stacked bars,
 * donut and the hour-of-week heat map, drawn with libharu path operators
 * at the current position (d->y) and moving it down.
 *
 * Colours survive greyscale printing: the series palette steps through
 * distinct lightness (about 0.2, 0.44, 0.63, 0.81, 0.30, 0.89 in luminance)
 * and stacked segments and donut slices are separated by white rules; line
 * series also differ by marker and dash. The heat map uses one hue from
 * white to navy, so darker always means more. Axis ticks are 1, 2 or 5
 * times a power of ten (rd_nice_step). Labels go through rd_put, so they
 * are sanitised and missing glyphs are substituted.
 * Cost: linear in the points drawn; no allocation.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_int.h"

#define NPAL 6

static const float pal[NPAL][3] = {
	{ 0.09f, 0.21f, 0.40f }, { 0.75f, 0.35f, 0.05f },
	{ 0.45f, 0.68f, 0.88f }, { 0.95f, 0.80f, 0.45f },
	{ 0.30f, 0.30f, 0.30f }, { 0.85f, 0.90f, 0.95f },
};

void
rd_series_fill(struct doc *d, int i)
{
	const float *c = pal[i % NPAL];

	HPDF_Page_SetRGBFill(d->page, c[0], c[1], c[2]);
}

static void
series_stroke(struct doc *d, int i)
{
	const float *c = pal[i % NPAL];

	HPDF_Page_SetRGBStroke(d->page, c[0], c[1], c[2]);
}

/* y axis from 0 to top with nice ticks; returns top. */
static double
y_axis(struct doc *d, float x0, float x1, float y0, float h, uint64_t max,
    const char *ytitle)
{
	double step = rd_nice_step((double)(max ? max : 1));
	double top = step * ceil((double)(max ? max : 1) / step);

	rd_rgb_fill(d, 0.30f, 0.30f, 0.30f);
	rd_put(d, ML, y0 + h + 6, 8, ytitle);
	rd_y_grid(d, x0, x1, y0, h, step, top);
	HPDF_Page_SetLineWidth(d->page, 0.8f);
	rd_rgb_stroke(d, 0.2f, 0.2f, 0.2f);
	HPDF_Page_MoveTo(d->page, x0, y0);
	HPDF_Page_LineTo(d->page, x0, y0 + h);
	HPDF_Page_Stroke(d->page);
	return top;
}

/* A legend row of coloured keys under a chart at y; returns the new y. */
static float
legend(struct doc *d, const struct series *s, int ns, float y, int lines)
{
	float x = ML + 46;
	int i;

	for (i = 0; i < ns; i++) {
		float w = rd_swidth(d, s[i].name, 8) + 26;
		if (x + w > ML + CW) {
			x = ML + 46;
			y -= 13;
		}
		if (lines) {
			HPDF_Page_SetLineWidth(d->page, 1.6f);
			series_stroke(d, i);
			HPDF_Page_MoveTo(d->page, x, y + 3);
			HPDF_Page_LineTo(d->page, x + 14, y + 3);
			HPDF_Page_Stroke(d->page);
		} else {
			rd_series_fill(d, i);
			HPDF_Page_Rectangle(d->page, x, y, 10, 7);
			HPDF_Page_Fill(d->page);
			HPDF_Page_SetLineWidth(d->page, 0.4f);
			rd_rgb_stroke(d, 0.3f, 0.3f, 0.3f);
			HPDF_Page_Rectangle(d->page, x, y, 10, 7);
			HPDF_Page_Stroke(d->page);
		}
		rd_rgb_fill(d, 0.2f, 0.2f, 0.2f);
		rd_put(d, x + 17, y, 8, s[i].name);
		x += w;
	}
	return y - 14;
}

static void
marker(struct doc *d, int kind, float x, float y)
{
	switch (kind % 3) {
	case 0:
		HPDF_Page_Circle(d->page, x, y, 2.4f);
		break;
	case 1:
		HPDF_Page_Rectangle(d->page, x - 2.2f, y - 2.2f, 4.4f, 4.4f);
		break;
	default:
		HPDF_Page_MoveTo(d->page, x, y + 2.8f);
		HPDF_Page_LineTo(d->page, x + 2.8f, y - 2.2f);
		HPDF_Page_LineTo(d->page, x - 2.8f, y - 2.2f);
		HPDF_Page_ClosePath(d->page);
		break;
	}
}

void
rd_line_chart(struct doc *d, const char *const *xlab, int n,
    const struct series *s, int ns, const char *ytitle)
{
	const float h = 150, x0 = ML + 46, x1 = ML + CW - 10;
	float y0, slot;
	uint64_t max = 0;
	double top;
	int i, k;

	if (n <= 0 || ns <= 0)
		return;
	rd_need(d, CHART_LINE_H);
	y0 = d->y - 16 - h;
	for (k = 0; k < ns; k++)
		for (i = 0; i < n; i++)
			if (s[k].v[i] > max)
				max = s[k].v[i];
	top = y_axis(d, x0, x1, y0, h, max, ytitle);
	slot = (x1 - x0) / (float)n;
	for (k = 0; k < ns; k++) {
		static const HPDF_UINT16 dash[2][2] = { { 4, 2 }, { 1, 2 } };
		HPDF_Page_SetLineWidth(d->page, 1.6f);
		series_stroke(d, k);
		if (k > 0)
			HPDF_Page_SetDash(d->page, dash[(k - 1) % 2], 2, 0);
		for (i = 0; i < n; i++) {
			float x = x0 + slot * (i + 0.5f);
			float y = y0 + (float)((double)s[k].v[i] / top) * h;
			if (i == 0)
				HPDF_Page_MoveTo(d->page, x, y);
			else
				HPDF_Page_LineTo(d->page, x, y);
		}
		HPDF_Page_Stroke(d->page);
		HPDF_Page_SetDash(d->page, NULL, 0, 0);
		rd_series_fill(d, k);
		for (i = 0; i < n; i++)
			marker(d, k, x0 + slot * (i + 0.5f), y0 +
			    (float)((double)s[k].v[i] / top) * h);
		HPDF_Page_Fill(d->page);
	}
	rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
	for (i = 0; i < n; i++)
		rd_put_center(d, x0 + slot * (i + 0.5f), y0 - 11, 7.5f, xlab[i]);
	d->y = legend(d, s, ns, y0 - 28, 1) - 6;
	rd_rgb_fill(d, 0, 0, 0);
}

void
rd_stacked_bars(struct doc *d, const char *const *xlab, int n,
    const struct series *s, int ns, const char *ytitle)
{
	const float h = 160, x0 = ML + 46, x1 = ML + CW - 10;
	float y0, slot, bw;
	uint64_t max = 0;
	double top;
	int i, k;

	if (n <= 0 || ns <= 0)
		return;
	rd_need(d, CHART_BARS_H);
	y0 = d->y - 16 - h;
	for (i = 0; i < n; i++) {
		uint64_t t = 0;
		for (k = 0; k < ns; k++)
			t += s[k].v[i];
		if (t > max)
			max = t;
	}
	top = y_axis(d, x0, x1, y0, h, max, ytitle);
	slot = (x1 - x0) / (float)n;
	bw = slot * 0.6f;
	for (i = 0; i < n; i++) {
		float y = y0, bx = x0 + slot * i + (slot - bw) / 2;
		for (k = 0; k < ns; k++) {
			float bh = (float)((double)s[k].v[i] / top) * h;
			if (bh <= 0)
				continue;
			rd_series_fill(d, k);
			HPDF_Page_Rectangle(d->page, bx, y, bw, bh);
			HPDF_Page_Fill(d->page);
			/* A white rule between segments reads in greyscale. */
			HPDF_Page_SetLineWidth(d->page, 0.6f);
			HPDF_Page_SetRGBStroke(d->page, 1, 1, 1);
			HPDF_Page_MoveTo(d->page, bx, y + bh);
			HPDF_Page_LineTo(d->page, bx + bw, y + bh);
			HPDF_Page_Stroke(d->page);
			y += bh;
		}
	}
	rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
	for (i = 0; i < n; i++)
		rd_put_center(d, x0 + slot * (i + 0.5f), y0 - 11, 7.5f, xlab[i]);
	d->y = legend(d, s, ns, y0 - 28, 0) - 6;
	rd_rgb_fill(d, 0, 0, 0);
}

void
rd_donut(struct doc *d, const char *const *lab, const uint64_t *v, int n,
    const char *title)
{
	const float r = 58, ring = 26, cx = ML + 90;
	const char *sl[NPAL];
	uint64_t sv[NPAL], tot = 0;
	double a;
	float cy, ly;
	char b[64], p[32];
	int i, ns = 0;

	/* The first NPAL-1 categories, the rest as 其他 (others). */
	for (i = 0; i < n; i++) {
		tot += v[i];
		if (i < NPAL - 1 || n == NPAL) {
			sl[ns] = lab[i];
			sv[ns++] = v[i];
		} else if (i == NPAL - 1) {
			sl[ns] = T(M_OTHER);
			sv[ns++] = v[i];
		} else
			sv[ns - 1] += v[i];
	}
	if (tot == 0)
		return;
	rd_need(d, CHART_DONUT_H);
	cy = d->y - 20 - r;
	rd_rgb_fill(d, 0.30f, 0.30f, 0.30f);
	rd_put(d, ML, d->y - 8, 8.5f, title);
	/* Each slice is an arc stroked as wide as the ring (0 deg = north). */
	HPDF_Page_SetLineCap(d->page, HPDF_BUTT_END);
	HPDF_Page_SetLineWidth(d->page, ring);
	for (i = 0, a = 0; i < ns; i++) {
		double span = 360.0 * (double)sv[i] / (double)tot;
		if (span >= 0.2) {
			/* libharu refuses an arc of 360 degrees (one
			 * category): draw it as two halves. */
			int k = span >= 359.0 ? 2 : 1;
			series_stroke(d, i);
			for (int h = 0; h < k; h++)
				HPDF_Page_Arc(d->page, cx, cy, r - ring / 2,
				    (HPDF_REAL)(a + h * span / k),
				    (HPDF_REAL)(a + (h + 1) * span / k));
			HPDF_Page_Stroke(d->page);
		}
		a += span;
	}
	/* White spokes between the slices read in greyscale. */
	HPDF_Page_SetLineWidth(d->page, 1.0f);
	HPDF_Page_SetRGBStroke(d->page, 1, 1, 1);
	for (i = 0, a = 0; i < ns && ns > 1; i++) {
		double rad = a * M_PI / 180.0;
		HPDF_Page_MoveTo(d->page, cx + (r - ring) * (float)sin(rad),
		    cy + (r - ring) * (float)cos(rad));
		HPDF_Page_LineTo(d->page, cx + r * (float)sin(rad),
		    cy + r * (float)cos(rad));
		a += 360.0 * (double)sv[i] / (double)tot;
	}
	if (ns > 1)
		HPDF_Page_Stroke(d->page);
	rd_rgb_fill(d, 0.15f, 0.15f, 0.15f);
	rd_put_center(d, cx, cy - 3, 9, rd_fmt_u64(b, sizeof(b), tot));
	/* Legend with count and share. */
	ly = cy + r - 14;
	for (i = 0; i < ns; i++) {
		rd_series_fill(d, i);
		HPDF_Page_Rectangle(d->page, cx + r + 40, ly, 10, 7);
		HPDF_Page_Fill(d->page);
		HPDF_Page_SetLineWidth(d->page, 0.4f);
		rd_rgb_stroke(d, 0.3f, 0.3f, 0.3f);
		HPDF_Page_Rectangle(d->page, cx + r + 40, ly, 10, 7);
		HPDF_Page_Stroke(d->page);
		rd_rgb_fill(d, 0.15f, 0.15f, 0.15f);
		rd_put(d, cx + r + 56, ly, 8.5f, sl[i]);
		rd_put_right(d, cx + r + 250, ly, 8.5f, rd_fmt_u64(b, sizeof(b),
		    sv[i]));
		rd_put_right(d, cx + r + 300, ly, 8.5f, rd_fmt_pct(p, sizeof(p),
		    100.0 * (double)sv[i] / (double)tot));
		ly -= 15;
	}
	rd_rgb_fill(d, 0, 0, 0);
	d->y = cy - r - 14;
}

void
rd_heatmap(struct doc *d, const uint64_t how[7][24])
{
	static const int wd[7] = { M_WD_MON, M_WD_TUE, M_WD_WED, M_WD_THU,
	    M_WD_FRI, M_WD_SAT, M_WD_SUN };
	const float x0 = ML + 40, cw = (CW - 50) / 24, ch = 15;
	uint64_t max = 0;
	float y0;
	char b[32];
	int r, c;

	for (r = 0; r < 7; r++)
		for (c = 0; c < 24; c++)
			if (how[r][c] > max)
				max = how[r][c];
	rd_need(d, CHART_HEATMAP_H);
	y0 = d->y - 6;
	for (r = 0; r < 7; r++) {
		float y = y0 - (r + 1) * ch;
		rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
		rd_put(d, ML + 6, y + 4, 8, T(wd[r]));
		for (c = 0; c < 24; c++) {
			/* White (none) to navy (the busiest hour): lightness
			   falls with the count, so greyscale keeps the order. */
			double t = max ? sqrt((double)how[r][c] / (double)max) : 0;
			HPDF_Page_SetRGBFill(d->page, (float)(1 - 0.91 * t),
			    (float)(1 - 0.79 * t), (float)(1 - 0.60 * t));
			HPDF_Page_Rectangle(d->page, x0 + c * cw, y, cw, ch);
			HPDF_Page_Fill(d->page);
		}
	}
	HPDF_Page_SetLineWidth(d->page, 0.5f);
	HPDF_Page_SetRGBStroke(d->page, 1, 1, 1);
	for (c = 1; c < 24; c++) {
		HPDF_Page_MoveTo(d->page, x0 + c * cw, y0);
		HPDF_Page_LineTo(d->page, x0 + c * cw, y0 - 7 * ch);
	}
	for (r = 1; r < 7; r++) {
		HPDF_Page_MoveTo(d->page, x0, y0 - r * ch);
		HPDF_Page_LineTo(d->page, x0 + 24 * cw, y0 - r * ch);
	}
	HPDF_Page_Stroke(d->page);
	rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
	for (c = 0; c < 24; c += 2) {
		snprintf(b, sizeof(b), "%d", c);
		rd_put_center(d, x0 + c * cw + cw / 2, y0 - 7 * ch - 10, 7, b);
	}
	/* Scale: white to navy, 0 to the maximum. */
	{
		float ly = y0 - 7 * ch - 28, lx = x0;
		int k;
		rd_put(d, lx, ly, 7.5f, "0");
		for (k = 0; k < 10; k++) {
			double t = sqrt(k / 9.0);
			HPDF_Page_SetRGBFill(d->page, (float)(1 - 0.91 * t),
			    (float)(1 - 0.79 * t), (float)(1 - 0.60 * t));
			HPDF_Page_Rectangle(d->page, lx + 12 + k * 12, ly, 12, 7);
			HPDF_Page_Fill(d->page);
		}
		HPDF_Page_SetLineWidth(d->page, 0.4f);
		rd_rgb_stroke(d, 0.5f, 0.5f, 0.5f);
		HPDF_Page_Rectangle(d->page, lx + 12, ly, 120, 7);
		HPDF_Page_Stroke(d->page);
		rd_rgb_fill(d, 0.25f, 0.25f, 0.25f);
		rd_put(d, lx + 136, ly, 7.5f, rd_fmt_u64(b, sizeof(b), max));
		rd_put(d, lx + 136 + rd_swidth(d, b, 7.5f) + 4, ly, 7.5f,
		    T(M_HEATMAP_NOTE));
		d->y = ly - 14;
	}
	rd_rgb_fill(d, 0, 0, 0);
}
