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


/* Characters that must not start a line (Chinese line-breaking rules). */
static int
no_line_start(const char *s, size_t n)
{
	static const char *const set[] = { "，", "。", "、", "；", "：", "？",
	    "！", "）", "》", "」", "』", "”", "’", "%", ")", ",", ".", ";",
	    ":", "!", "?" };
	size_t i;

	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (strlen(set[i]) <= n && memcmp(s, set[i], strlen(set[i])) == 0)
			return 1;
	return 0;
}

/*
 * Wraps sanitised text s into lines no wider than width. A line may break
 * after a space or '/', and next to a CJK character unless the next one is
 * closing punctuation, which hangs at the line end instead. A Latin run
 * (a number such as 18,202, an address, a path) is kept whole unless it is
 * wider than the line. Returns the number of lines.
 */
int
rd_wrap(struct doc *d, const char *s, float size, float width, struct line *ln,
    int max)
{
	size_t n = strlen(s), i = 0, start = 0, brk = 0;
	float w = 0, wbrk = 0;
	int nl = 0;

	while (i < n && nl < max) {
		size_t cl = rd_u8len((unsigned char)s[i]);
		float cw;

		if (i + cl > n)
			cl = n - i;
		cw = rd_text_width(d, s + i, cl, size);
		if (w + cw > width && i > start && !no_line_start(s + i, n - i)) {
			size_t end = i;
			float ew = w;
			if (brk > start) {
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
			brk = start;
			wbrk = 0;
			continue;
		}
		w += cw;
		i += cl;
		if (i < n && !no_line_start(s + i, n - i) &&
		    (cl > 1 || s[i - 1] == ' ' || s[i - 1] == '/' ||
		    (unsigned char)s[i] >= 0x80 || s[i] == ' ')) {
			brk = i;
			wbrk = w;
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

static void
table_header(struct doc *d, struct table *t)
{
	float h = SZ_TABLE * 1.5f + 8;
	int i;

	HPDF_Page_SetRGBFill(d->page, 0.89f, 0.92f, 0.96f);
	HPDF_Page_Rectangle(d->page, ML, d->y - h, CW, h);
	HPDF_Page_Fill(d->page);
	rd_hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
	rd_rgb_fill(d, 0.10f, 0.18f, 0.30f);
	for (i = 0; i < t->n; i++) {
		float by = d->y - 4 - SZ_TABLE * 1.05f;
		if (t->c[i].align == 1)
			rd_put_right(d, t->x[i] + t->w[i] - 4, by, SZ_TABLE,
			    t->c[i].title);
		else if (t->c[i].align == 2)
			rd_put_center(d, t->x[i] + t->w[i] / 2, by, SZ_TABLE,
			    t->c[i].title);
		else
			rd_put(d, t->x[i] + 4, by, SZ_TABLE, t->c[i].title);
	}
	rd_rgb_fill(d, 0, 0, 0);
	d->y -= h;
	rd_hline(d, ML, ML + CW, d->y, 0.6f, 0.15f);
}

void
rd_table_begin(struct doc *d, struct table *t, const struct tcol *c, int n)
{
	float x = ML;
	int i;

	t->c = c;
	t->n = n;
	t->row = 0;
	for (i = 0; i < n; i++) {
		t->x[i] = x;
		t->w[i] = c[i].frac * CW;
		x += t->w[i];
	}
	rd_need(d, 3 * (SZ_TABLE * 1.5f + 8));
	table_header(d, t);
}

void
rd_table_row(struct doc *d, struct table *t, const char *const *cells)
{
	static char buf[MAXCOLS][TEXTMAX];
	struct line ln[MAXCOLS][8];
	int nl[MAXCOLS] = { 0 }, i, j, maxl = 1;
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
	if (d->y - h < MB) {
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
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < nl[i]; j++) {
			float by = d->y - 3 - SZ_TABLE * 1.05f - j * lh;
			const char *p = buf[i] + ln[i][j].off;
			float x = t->x[i] + 4;
			if (t->c[i].align == 1)
				x = t->x[i] + t->w[i] - 4 - ln[i][j].w;
			else if (t->c[i].align == 2)
				x = t->x[i] + (t->w[i] - ln[i][j].w) / 2;
			rd_put_n(d, x, by, SZ_TABLE, p, ln[i][j].len);
		}
	}
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
		snprintf(b, cap, "%.1f%%", p);
	return b;
}

const char *
rd_fmt_dur(char *b, size_t cap, int64_t ms)
{
	int64_t min = (ms + 30000) / 60000;

	if (ms < 0)
		snprintf(b, cap, "—");
	else if (min < 60)
		snprintf(b, cap, "%lld分钟", (long long)min);
	else if (min % 60 == 0 && min <= 72 * 60)
		snprintf(b, cap, "%lld小时", (long long)(min / 60));
	else if (min < 48 * 60)
		snprintf(b, cap, "%lld小时%02lld分", (long long)(min / 60),
		    (long long)(min % 60));
	else
		snprintf(b, cap, "%.1f天", (double)ms / 86400000.0);
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
rd_cat_zh(const char *c)
{
	static const char *const map[][2] = {
		{ "authentication", "身份认证" }, { "network", "网络访问" },
		{ "intrusion_detection", "入侵检测" }, { "web", "Web 访问" },
		{ "database", "数据库" }, { "iam", "账号与权限" },
		{ "process", "进程" }, { "host", "主机" }, { "other", "其他" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(c, map[i][0]) == 0)
			return map[i][1];
	return c;
}

const char *
rd_rule_zh(const char *r)
{
	static const char *const map[][2] = {
		{ "ssh_bruteforce", "SSH 暴力破解" },
		{ "ssh_success_after_failures", "多次失败后登录成功" },
		{ "ssh_password_spray", "口令喷洒" },
		{ "ssh_distributed_bruteforce", "分布式暴力破解" },
		{ "ssh_privileged_offhours", "特权账号非工作时间登录" },
		{ "ssh_new_country", "新国家/地区登录" },
		{ "sudo_not_in_sudoers", "无权限 sudo 尝试" },
		{ "sudo_auth_failures", "sudo 认证失败" },
		{ "sudo_first_use", "首次使用 sudo" },
		{ "iam_user_created", "新建账号" },
		{ "iam_group_change", "用户组变更" },
		{ "web_sqli", "SQL 注入" }, { "web_xss", "跨站脚本 (XSS)" },
		{ "web_traversal", "目录遍历" },
		{ "web_sensitive_probe", "敏感文件探测" },
		{ "web_scanner", "漏洞扫描器" },
		{ "web_error_burst", "Web 错误突增" },
		{ "log_source_silent", "日志源中断" },
		/* Rules planned in issue 5, named here so reports need no change. */
		{ "port_scan", "端口扫描" }, { "host_scan", "主机扫描" },
		{ "db_login_failures", "数据库登录失败" },
		{ "db_dangerous", "数据库高危操作" },
		{ "ids_burst", "IDS 告警突增" },
		{ "volume_anomaly", "日志量异常" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(r, map[i][0]) == 0)
			return map[i][1];
	return r;
}

const char *
rd_country_zh(const char *cc)
{
	static const char *const map[][2] = {
		{ "CN", "中国" }, { "HK", "中国香港" }, { "TW", "中国台湾" },
		{ "MO", "中国澳门" }, { "US", "美国" }, { "RU", "俄罗斯" },
		{ "JP", "日本" }, { "KR", "韩国" }, { "DE", "德国" },
		{ "FR", "法国" }, { "GB", "英国" }, { "NL", "荷兰" },
		{ "SG", "新加坡" }, { "IN", "印度" }, { "BR", "巴西" },
		{ "VN", "越南" }, { "UA", "乌克兰" }, { "CA", "加拿大" },
		{ "AU", "澳大利亚" }, { "ID", "印度尼西亚" }, { "IR", "伊朗" },
		{ "TR", "土耳其" }, { "TH", "泰国" }, { "PL", "波兰" },
		{ "IT", "意大利" }, { "ES", "西班牙" }, { "SE", "瑞典" },
		{ "BG", "保加利亚" }, { "RO", "罗马尼亚" }, { "ZA", "南非" },
		{ "MX", "墨西哥" }, { "AR", "阿根廷" }, { "CL", "智利" },
		{ "CO", "哥伦比亚" }, { "PE", "秘鲁" }, { "VE", "委内瑞拉" },
		{ "EG", "埃及" }, { "NG", "尼日利亚" }, { "KE", "肯尼亚" },
		{ "MA", "摩洛哥" }, { "DZ", "阿尔及利亚" }, { "TN", "突尼斯" },
		{ "SA", "沙特阿拉伯" }, { "AE", "阿联酋" }, { "IL", "以色列" },
		{ "IQ", "伊拉克" }, { "PK", "巴基斯坦" }, { "BD", "孟加拉国" },
		{ "LK", "斯里兰卡" }, { "NP", "尼泊尔" }, { "MY", "马来西亚" },
		{ "PH", "菲律宾" }, { "KH", "柬埔寨" }, { "MM", "缅甸" },
		{ "LA", "老挝" }, { "MN", "蒙古" }, { "KZ", "哈萨克斯坦" },
		{ "UZ", "乌兹别克斯坦" }, { "KP", "朝鲜" }, { "NZ", "新西兰" },
		{ "IE", "爱尔兰" }, { "BE", "比利时" }, { "CH", "瑞士" },
		{ "AT", "奥地利" }, { "DK", "丹麦" }, { "NO", "挪威" },
		{ "FI", "芬兰" }, { "PT", "葡萄牙" }, { "GR", "希腊" },
		{ "CZ", "捷克" }, { "SK", "斯洛伐克" }, { "HU", "匈牙利" },
		{ "RS", "塞尔维亚" }, { "HR", "克罗地亚" }, { "SI", "斯洛文尼亚" },
		{ "LT", "立陶宛" }, { "LV", "拉脱维亚" }, { "EE", "爱沙尼亚" },
		{ "BY", "白俄罗斯" }, { "MD", "摩尔多瓦" }, { "GE", "格鲁吉亚" },
		{ "AM", "亚美尼亚" }, { "AZ", "阿塞拜疆" }, { "LU", "卢森堡" },
		{ "IS", "冰岛" }, { "CY", "塞浦路斯" }, { "MT", "马耳他" },
		{ "SC", "塞舌尔" }, { "PA", "巴拿马" }, { "EC", "厄瓜多尔" },
		{ "QA", "卡塔尔" }, { "KW", "科威特" }, { "JO", "约旦" },
		{ "LB", "黎巴嫩" }, { "SY", "叙利亚" }, { "AF", "阿富汗" },
		{ "EU", "欧盟" }, { "AP", "亚太地区" },
	};
	size_t i;

	if (cc[0] == '\0' || strcmp(cc, "-") == 0)
		return "未知";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(cc, map[i][0]) == 0)
			return map[i][1];
	return cc;
}

const char *const rd_level_zh[3] = { "紧急", "重要", "一般" };
const char *const rd_dim_zh[OMSEC_SURVEY_DIMS] = { "响应速度", "专业能力",
	"沟通协调", "解决质量", "总体满意度" };

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

/* Bar chart of v[0..n-1] with x labels xlab[i] ("": none). */
static void
bar_chart(struct doc *d, const uint64_t *v, const char *const *xlab, int n,
    const char *ytitle, const char *xtitle)
{
	const float h = 170, x0 = ML + 46, x1 = ML + CW - 6;
	float y0, y1, slot, bw;
	uint64_t max = 1;
	double step, top;
	char b[32];
	int i, k;

	rd_need(d, h + 50);
	y1 = d->y - 16;
	y0 = y1 - h;
	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	step = rd_nice_step((double)max);
	top = step * ceil((double)max / step);
	rd_rgb_fill(d, 0.30f, 0.30f, 0.30f);
	rd_put(d, ML, y1 + 4, 8, ytitle);
	/* Grid and y labels. */
	for (k = 0; k * step <= top + 1e-9; k++) {
		float y = y0 + (float)(k * step / top) * h;
		rd_hline(d, x0, x1, y, k == 0 ? 0.8f : 0.3f, k == 0 ? 0.2f : 0.82f);
		rd_put_right(d, x0 - 4, y - 3, 7.5f, rd_fmt_u64(b, sizeof(b),
		    (uint64_t)(k * step)));
	}
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
	rd_clean(d, buf, sizeof(buf), cfg->customer);
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
	snprintf(buf, sizeof(buf), "%s%s", cfg->service, d->kind);
	rd_put_center(d, PAGE_W / 2, y - 8, 26, buf);
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
		snprintf(buf, sizeof(buf), "报告期：%d年%d月%d日 — %d年%d月%d日",
		    a.year, a.month, a.day, b.year, b.month, b.day);
	}
	rd_put_center(d, PAGE_W / 2, y, 13, buf);

	/* Document control. */
	now = d->in->source_date >= 0 ? d->in->source_date : (int64_t)time(NULL);
	omsec_ms_to_civil(now * 1000 +
	    (int64_t)omsec_tz_offset_at(d->in->tz, now * 1000) * 1000, &c);
	snprintf(date, sizeof(date), "%04d-%02d-%02d", c.year, c.month, c.day);
	{
		const char *rows[4][4] = {
			{ "文档编号", cfg->doc_id, "版本", cfg->version },
			{ "编制", cfg->author, "审核", cfg->reviewer },
			{ "批准", cfg->approver, "受控状态", cfg->status },
			{ "密级", cfg->classification, "发布日期", date },
		};
		const float cx[5] = { ML + 30, ML + 110, ML + 245, ML + 325,
		    ML + CW - 30 };
		const float rh = 26;
		float top = 300;
		int r, k;

		rd_rgb_fill(d, 0.10f, 0.25f, 0.47f);
		rd_put_center(d, PAGE_W / 2, top + 14, 11, "文档控制");
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
	snprintf(buf, sizeof(buf), "%04d年%02d月%02d日", c.year, c.month, c.day);
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
	rd_put_center(d, PAGE_W / 2, y - 18, 18, "目    录");
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
		snprintf(buf, sizeof(buf), "第 %d 页 共 %d 页", i + 1, d->npages);
		d->page = p;
		rd_put_center(d, PAGE_W / 2, 38, 8.5f, buf);
		rd_put(d, ML, 38, 8, d->in->cfg->doc_id);
		snprintf(buf, sizeof(buf), "密级：%s", d->in->cfg->classification);
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
		{ "优先级", 0.08f, 2 }, { "目标(响应/解决)", 0.16f, 2 },
		{ "工单数", 0.08f, 1 }, { "响应达标", 0.10f, 1 },
		{ "响应达标率", 0.11f, 1 }, { "解决达标", 0.10f, 1 },
		{ "解决达标率", 0.11f, 1 }, { "平均响应", 0.13f, 1 },
		{ "平均解决", 0.13f, 1 },
	};
	static const struct tcol bcols[] = {
		{ "工单号", 0.19f, 0 }, { "优先级", 0.08f, 2 },
		{ "考核项", 0.08f, 2 }, { "实际用时", 0.14f, 1 },
		{ "目标", 0.10f, 1 }, { "摘要", 0.41f, 0 },
	};
	struct table t;
	char s[9][48];
	size_t i;
	int p;

	rd_section(d, "服务级别(SLA)达成情况");
	if (in->sla == NULL) {
		rd_para(d, "本期无工单数据。");
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
				    nb ? "、" : "", omsec_priority_zh(q));
				nb++;
			}
		}
		if (nb == 0)
			snprintf(text, sizeof(text), "服务级别按 7×24 小时计时：");
		else if (nb == OMSEC_PRIO_COUNT)
			snprintf(text, sizeof(text), "服务级别按工作时间计时（%s，"
			    "工作日，按法定节假日及调休安排）：",
			    in->cfg->cal_hours);
		else
			snprintf(text, sizeof(text), "服务级别的计时方式按优先级确定："
			    "%s优先级按工作时间（%s，工作日，按法定节假日及调休安排）"
			    "计时，其余优先级按 7×24 小时计时：", clk,
			    in->cfg->cal_hours);
		strncat(text, "自工单创建起，工程师首次响应的时间不超过响应时限即"
		    "响应达标，问题解决的时间不超过解决时限即解决达标；等待客户等"
		    "挂起时段不计入。报告期末尚未响应或解决、且已超过时限的工单计为"
		    "未达标；尚未到时限的工单不计入达标率。",
		    sizeof(text) - strlen(text) - 1);
		rd_para(d, text);
	}
	rd_sub(d, 1, "按优先级统计");
	rd_table_begin(d, &t, cols, 9);
	for (p = 0; p <= OMSEC_PRIO_COUNT; p++) {
		const struct omsec_sla_row *r = p < OMSEC_PRIO_COUNT ?
		    &in->sla->prio[p] : &in->sla->total;
		const char *cells[9];
		char r1[32], r2[32];
		int k;

		if (p < OMSEC_PRIO_COUNT) {
			snprintf(s[0], sizeof(s[0]), "%s", omsec_priority_zh(p));
			snprintf(s[1], sizeof(s[1]), "%s / %s",
			    rd_fmt_dur(r1, sizeof(r1), in->cfg->sla_response[p] * 1000),
			    rd_fmt_dur(r2, sizeof(r2), in->cfg->sla_resolve[p] * 1000));
		} else {
			snprintf(s[0], sizeof(s[0]), "合计");
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
		rd_fmt_dur(s[7], sizeof(s[7]), r->tta_n ? r->tta_sum / r->tta_n : -1);
		rd_fmt_dur(s[8], sizeof(s[8]), r->ttr_n ? r->ttr_sum / r->ttr_n : -1);
		for (k = 0; k < 9; k++)
			cells[k] = s[k];
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_note(d, "注：“响应达标”为达标数/已判定数；平均响应(MTTA)与平均解决(MTTR)"
	    "按本期已响应、已解决的工单计算。");

	rd_sub(d, 2, "未达标工单");
	if (in->sla->nbreaches == 0) {
		rd_para(d, "本期所有已判定的工单均在服务级别时限内完成。");
		return;
	}
	rd_table_begin(d, &t, bcols, 6);
	for (i = 0; i < in->sla->nbreaches; i++) {
		const struct omsec_sla_breach *b = &in->sla->breaches[i];
		const struct omsec_ticket *tk = &in->tickets->v[b->ticket];
		char took[48], tgt[48];
		const char *cells[6];

		if (b->took < 0)
			snprintf(took, sizeof(took), "期末未完成");
		else
			rd_fmt_dur(took, sizeof(took), b->took);
		cells[0] = tk->id;
		cells[1] = omsec_priority_zh(tk->prio);
		cells[2] = b->resolve ? "解决" : "响应";
		cells[3] = took;
		cells[4] = rd_fmt_dur(tgt, sizeof(tgt), b->target);
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

static void
sec_events(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	const struct omsec_rpt_summary *s = in->summary;
	static const struct tcol ccols[] = {
		{ "事件类别", 0.28f, 0 }, { "成功", 0.14f, 1 }, { "失败", 0.14f, 1 },
		{ "未知", 0.14f, 1 }, { "合计", 0.15f, 1 }, { "占比", 0.15f, 1 },
	};
	static const struct tcol tcols[] = {
		{ "序号", 0.08f, 2 }, { "源 IP 地址", 0.37f, 0 },
		{ "国家/地区", 0.25f, 0 }, { "事件数", 0.15f, 1 }, { "占比", 0.15f, 1 },
	};
	static const struct tcol ucols[] = {
		{ "序号", 0.08f, 2 }, { "用户名", 0.62f, 0 },
		{ "事件数", 0.15f, 1 }, { "占比", 0.15f, 1 },
	};
	static const struct tcol acols[] = {
		{ "级别", 0.08f, 2 }, { "告警规则", 0.22f, 0 },
		{ "对象", 0.26f, 0 }, { "首次发生", 0.16f, 2 },
		{ "最后发生", 0.16f, 2 }, { "次数", 0.12f, 1 },
	};
	struct table t;
	char text[TEXTMAX], a[32], b[32], c[32], e[32], f[32], g[32];
	int i, k, ndays;

	rd_section(d, "安全事件统计");
	if (s == NULL) {
		rd_para(d, "本期无事件汇总数据。");
	} else {
		uint64_t tot[3] = { 0, 0, 0 }, all;
		rd_sub(d, 1, "事件分类统计");
		for (k = 0; k < s->ncat; k++)
			for (i = 0; i < 3; i++)
				tot[i] += s->cat_outcome[k][i];
		all = tot[0] + tot[1] + tot[2];
		snprintf(text, sizeof(text), "本期共识别安全事件 %s 条，其中成功 %s 条、"
		    "失败 %s 条、结果未知 %s 条；高危及以上（严重度 3-4）事件 %s 条。",
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
				    rd_cat_zh(s->cat[k]));
			else
				snprintf(name, sizeof(name), "合计");
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
				lab[k] = rd_cat_zh(s->cat[k]);
				v[k] = s->cat_outcome[k][0] + s->cat_outcome[k][1] +
				    s->cat_outcome[k][2];
			}
			rd_donut(d, lab, v, s->ncat, "事件类别构成");
		}

		rd_sub(d, 2, "每日事件趋势");
		ndays = (int)((in->end - in->start + 43200000) / 86400000);
		if (ndays > OMSEC_RPT_MAXDAYS)
			ndays = OMSEC_RPT_MAXDAYS;
		for (i = 0, all = 0; i < ndays; i++)
			all += s->day[i];
		if (all == 0) {
			rd_para(d, "本期无按日统计的事件数据。");
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
			bar_chart(d, s->day, lp, ndays, "事件数（条）",
			    ndays <= 31 ? "日期（本地时间，日）" :
			    "日期（本地时间，月/日）");
		}

		rd_sub(d, 3, "事件时段分布");
		rd_para(d, "按星期与小时（本地时间）统计的事件数，颜色越深事件越多；"
		    "可据此识别非工作时间的异常活动。");
		rd_heatmap(d, s->how);

		rd_sub(d, 4, "主要攻击来源");
		if (s->ntop_src == 0) {
			rd_para(d, "本期无失败事件的来源 IP 统计数据。");
		} else {
			rd_para(d, "按失败事件（登录失败、访问被拒绝、错误请求等）统计的"
			    "来源地址，占比为占本期失败事件的比例。");
			rd_table_begin(d, &t, tcols, 5);
			for (i = 0; i < s->ntop_src; i++) {
				const struct omsec_rpt_top *tp = &s->top_src[i];
				const char *cells[5];
				char cty[64];
				snprintf(a, sizeof(a), "%d", i + 1);
				snprintf(cty, sizeof(cty), "%s",
				    rd_is_internal(in->cfg, tp->item) ? "内网" :
				    rd_country_zh(tp->attr));
				cells[0] = a;
				cells[1] = tp->item;
				cells[2] = cty;
				cells[3] = rd_fmt_u64(b, sizeof(b), tp->count);
				cells[4] = rd_fmt_pct(c, sizeof(c), tot[1] ?
				    100.0 * tp->count / tot[1] : -1);
				rd_table_row(d, &t, cells);
			}
			rd_table_end(d);
		}
		rd_sub(d, 5, "主要目标用户");
		if (s->ntop_user == 0) {
			rd_para(d, "本期无失败事件的用户统计数据。");
		} else {
			rd_para(d, "按失败事件统计的目标账号，占比为占本期失败事件的比例。");
			rd_table_begin(d, &t, ucols, 4);
			for (i = 0; i < s->ntop_user; i++) {
				const struct omsec_rpt_top *tp = &s->top_user[i];
				const char *cells[4];
				snprintf(a, sizeof(a), "%d", i + 1);
				cells[0] = a;
				cells[1] = tp->item;
				cells[2] = rd_fmt_u64(b, sizeof(b), tp->count);
				cells[3] = rd_fmt_pct(c, sizeof(c), tot[1] ?
				    100.0 * tp->count / tot[1] : -1);
				rd_table_row(d, &t, cells);
			}
			rd_table_end(d);
		}
	}

	rd_sub(d, 6, "安全告警");
	if (in->alerts == NULL) {
		rd_para(d, "本期无告警数据。");
		return;
	} else {
		const struct omsec_rpt_alerts *al = in->alerts;
		uint64_t n = al->level[0] + al->level[1] + al->level[2];
		const size_t show = 40;

		snprintf(text, sizeof(text), "本期检测产生告警 %s 条，其中紧急 %s 条、"
		    "重要 %s 条、一般 %s 条。时间为本地时间（%s）。",
		    rd_fmt_u64(a, sizeof(a), n), rd_fmt_u64(b, sizeof(b), al->level[0]),
		    rd_fmt_u64(c, sizeof(c), al->level[1]),
		    rd_fmt_u64(e, sizeof(e), al->level[2]), in->cfg->timezone);
		rd_para(d, text);
		if (al->n == 0)
			return;
		rd_table_begin(d, &t, acols, 6);
		for (i = 0; (size_t)i < al->n && (size_t)i < show; i++) {
			const struct omsec_rpt_alert *x = &al->v[i];
			const char *cells[6];
			cells[0] = rd_level_zh[x->level];
			cells[1] = rd_rule_zh(x->rule);
			cells[2] = x->entity;
			cells[3] = rd_fmt_local(d, f, sizeof(f), x->first);
			cells[4] = rd_fmt_local(d, g, sizeof(g), x->last);
			cells[5] = rd_fmt_u64(a, sizeof(a), x->count);
			rd_table_row(d, &t, cells);
		}
		rd_table_end(d);
		if (n > show) {
			snprintf(text, sizeof(text), "注：按级别和次数排序，列出前 %zu 条，"
			    "其余 %s 条见告警明细文件。", show,
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
		{ "评价维度", 0.40f, 0 }, { "平均分（满分 5 分）", 0.35f, 1 },
		{ "有效评分数", 0.25f, 1 },
	};
	struct table t;
	char text[TEXTMAX], a[32], b[32];
	size_t i;
	int k, shown = 0;

	rd_section(d, "客户满意度");
	if (in->sat == NULL || in->sat->respondents == 0) {
		rd_para(d, "本期无满意度调查数据。");
		return;
	}
	snprintf(text, sizeof(text), "本期共回收满意度调查 %u 份，总体满意度为 4 分"
	    "或 5 分的有 %u 份，客户满意率（CSAT）为 %s。",
	    in->sat->respondents, in->sat->satisfied,
	    rd_fmt_pct(a, sizeof(a), in->sat->csat));
	rd_para(d, text);
	rd_sub(d, 1, "各维度评分");
	rd_table_begin(d, &t, cols, 3);
	for (k = 0; k < OMSEC_SURVEY_DIMS; k++) {
		const char *cells[3];
		if (in->sat->mean[k] < 0)
			snprintf(a, sizeof(a), "—");
		else
			snprintf(a, sizeof(a), "%.2f", in->sat->mean[k]);
		snprintf(b, sizeof(b), "%u", in->sat->nscored[k]);
		cells[0] = rd_dim_zh[k];
		cells[1] = a;
		cells[2] = b;
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_sub(d, 2, "客户意见与建议");
	for (i = 0; i < in->survey->n && shown < 20; i++) {
		const struct omsec_response *r = &in->survey->v[i];
		if (r->comment[0] == '\0')
			continue;
		snprintf(text, sizeof(text), "● %s%s%s%s：%s",
		    r->respondent[0] ? r->respondent : "匿名",
		    r->date[0] ? "（" : "", r->date, r->date[0] ? "）" : "",
		    r->comment);
		rd_para_sized(d, text, SZ_BODY, 8);
		shown++;
	}
	if (shown == 0)
		rd_para(d, "本期调查未收到文字意见。");
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
		{ "日志源", 0.44f, 0 }, { "行数", 0.14f, 1 }, { "事件数", 0.14f, 1 },
		{ "未解析", 0.14f, 1 }, { "解析率", 0.14f, 1 },
	};
	struct table t;
	char a[32], b[32], c[32], e[32];
	const struct omsec_rpt_source **ord;
	size_t i;

	rd_sub(d, k, "日志采集覆盖情况");
	if (s == NULL || s->nsrc == 0) {
		rd_para(d, "本期无日志源统计数据。");
		return;
	}
	if ((ord = malloc(s->nsrc * sizeof(*ord))) == NULL) {
		d->oom = 1;
		return;
	}
	for (i = 0; i < s->nsrc; i++)
		ord[i] = &s->src[i];
	qsort(ord, s->nsrc, sizeof(*ord), src_cmp);
	rd_para(d, "下表按文件名（轮转顺序）列出各日志源本期读取的行数、解析为"
	    "标准化事件的条数和无法解析的行数。未解析行不会被丢弃，可用 "
	    "omsec-parse --rejects 导出复核。");
	rd_table_begin(d, &t, cols, 5);
	for (i = 0; i <= s->nsrc; i++) {
		const struct omsec_rpt_source *x = i < s->nsrc ? ord[i] : NULL;
		uint64_t l = x ? x->lines : rd_sum_lines(s, 0);
		uint64_t ev = x ? x->events : rd_sum_lines(s, 1);
		uint64_t rj = x ? x->rejects : rd_sum_lines(s, 2);
		const char *cells[5];
		cells[0] = x ? x->path : "合计";
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
		{ "优先级", 0.08f, 2 }, { "计时", 0.10f, 2 },
		{ "响应 中位数", 0.13f, 1 }, { "响应 P90", 0.12f, 1 },
		{ "解决 中位数", 0.13f, 1 }, { "解决 P90", 0.12f, 1 },
		{ "期末未解决", 0.11f, 1 }, { "重开", 0.10f, 1 },
		{ "挂起", 0.11f, 1 },
	};
	struct table t;
	char s[9][48];
	int p, k;

	if (in->records == NULL || in->sla == NULL)
		return;
	rd_sub(d, 3, "响应与解决时间分布");
	rd_para(d, "响应与解决时间按各优先级的计时方式计算：7×24 为全天候计时，"
	    "工作时间为工作日的服务时段（按国家法定节假日及调休安排）；"
	    "等待客户等挂起时段不计入。P90 为 90% 的工单不超过的时间。");
	rd_table_begin(d, &t, cols, 9);
	for (p = 0; p <= OMSEC_PRIO_COUNT; p++) {
		const struct omsec_sla_row *r = p < OMSEC_PRIO_COUNT ?
		    &in->sla->prio[p] : &in->sla->total;
		const char *cells[9];
		const char *clk = p < OMSEC_PRIO_COUNT ?
		    in->records->clock[p] : NULL;

		snprintf(s[0], sizeof(s[0]), "%s", p < OMSEC_PRIO_COUNT ?
		    omsec_priority_zh(p) : "合计");
		snprintf(s[1], sizeof(s[1]), "%s", clk == NULL ? "—" :
		    strcmp(clk, "business") == 0 ? "工作时间" : "7×24");
		rd_fmt_dur(s[2], sizeof(s[2]), r->tta_median);
		rd_fmt_dur(s[3], sizeof(s[3]), r->tta_p90);
		rd_fmt_dur(s[4], sizeof(s[4]), r->ttr_median);
		rd_fmt_dur(s[5], sizeof(s[5]), r->ttr_p90);
		snprintf(s[6], sizeof(s[6]), "%u", r->open_end);
		snprintf(s[7], sizeof(s[7]), "%u", r->reopened);
		snprintf(s[8], sizeof(s[8]), "%u", r->paused);
		for (k = 0; k < 9; k++)
			cells[k] = s[k];
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
		{ "评价维度", 0.30f, 0 }, { "1 分", 0.14f, 1 }, { "2 分", 0.14f, 1 },
		{ "3 分", 0.14f, 1 }, { "4 分", 0.14f, 1 }, { "5 分", 0.14f, 1 },
	};
	static const char *const dims[OMSEC_SURVEY_DIMS] = { "响应速度",
		"专业能力", "沟通协调", "解决质量", "总体满意度" };
	struct table t;
	char text[512], s[5][16];
	int k, j;

	if (sat == NULL || sat->promoters + sat->passives + sat->detractors == 0)
		return;
	rd_sub(d, 3, "推荐意愿（NPS）与评分分布");
	snprintf(text, sizeof(text), "推荐意愿（0-10 分）回答 %u 份：推荐者（9-10 分）"
	    "%u 份，中立者（7-8 分）%u 份，贬损者（0-6 分）%u 份，净推荐值 NPS 为 %.1f。",
	    sat->promoters + sat->passives + sat->detractors, sat->promoters,
	    sat->passives, sat->detractors, sat->nps);
	rd_para(d, text);
	rd_table_begin(d, &t, cols, 6);
	for (k = 0; k < OMSEC_SURVEY_DIMS; k++) {
		const char *cells[6];
		cells[0] = dims[k];
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
		{ "等级", 0.10f, 2 }, { "修复时限", 0.12f, 1 },
		{ "新发现", 0.10f, 1 }, { "已修复", 0.10f, 1 },
		{ "已复测", 0.10f, 1 }, { "期末未修复", 0.12f, 1 },
		{ "超期", 0.09f, 1 }, { "超期修复", 0.12f, 1 },
		{ "重新打开", 0.15f, 1 },
	};
	static const struct tcol acols[] = {
		{ "等级", 0.20f, 2 }, { "0-7天", 0.16f, 1 }, { "8-30天", 0.16f, 1 },
		{ "31-90天", 0.16f, 1 }, { "90天以上", 0.16f, 1 }, { "未知", 0.16f, 1 },
	};
	static const struct tcol ocols[] = {
		{ "资产", 0.18f, 0 }, { "编号", 0.20f, 0 }, { "等级", 0.08f, 2 },
		{ "已开放", 0.12f, 1 }, { "漏洞名称", 0.42f, 0 },
	};
	struct table t;
	char s[9][48];
	size_t i;
	int k, j;

	if (rec == NULL || rec->vf == NULL)
		return;
	rd_section(d, "漏洞管理");
	snprintf(s[0], sizeof(s[0]), "%u", rec->vulns->duplicates);
	{
		char text[512];
		snprintf(text, sizeof(text), "本期新发现漏洞 %u 个，修复 %u 个，"
		    "复测验证 %u 个；期末仍未修复 %u 个，其中超过修复时限 %u 个。"
		    "扫描结果中的重复记录已合并 %s 条。",
		    rec->vf->total.found, rec->vf->total.fixed,
		    rec->vf->total.verified, rec->vf->total.open,
		    rec->vf->total.overdue, s[0]);
		rd_para(d, text);
	}
	rd_sub(d, 1, "按风险等级统计");
	rd_table_begin(d, &t, cols, 9);
	for (k = 0; k <= OMSEC_SEV_COUNT; k++) {
		const struct omsec_vuln_row *r = k < OMSEC_SEV_COUNT ?
		    &rec->vf->sev[k] : &rec->vf->total;
		const char *cells[9];
		snprintf(s[0], sizeof(s[0]), "%s", k < OMSEC_SEV_COUNT ?
		    omsec_severity_zh(k) : "合计");
		if (k < OMSEC_SEV_COUNT && rec->vf->deadline[k] > 0)
			rd_fmt_dur(s[1], sizeof(s[1]), rec->vf->deadline[k] * 1000);
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
	rd_sub(d, 2, "未修复漏洞账龄");
	rd_table_begin(d, &t, acols, 6);
	for (k = 0; k <= OMSEC_SEV_COUNT; k++) {
		const struct omsec_vuln_row *r = k < OMSEC_SEV_COUNT ?
		    &rec->vf->sev[k] : &rec->vf->total;
		const char *cells[6];
		cells[0] = k < OMSEC_SEV_COUNT ? omsec_severity_zh(k) : "合计";
		for (j = 0; j < OMSEC_VULN_AGES; j++) {
			snprintf(s[j], sizeof(s[j]), "%u", r->age[j]);
			cells[j + 1] = s[j];
		}
		rd_table_row(d, &t, cells);
	}
	rd_table_end(d);
	rd_sub(d, 3, "超期未修复漏洞（不符合项）");
	if (rec->vf->noverdue == 0) {
		rd_para(d, "本期无超过修复时限的未修复漏洞。");
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
		snprintf(s[2], sizeof(s[2]), "%lld天",
		    (long long)((rec->end - v->found) / 86400000));
		omsec_report_sanitize(nm, sizeof(nm), v->name, strlen(v->name));
		cells[0] = s[0];
		cells[1] = s[1];
		cells[2] = omsec_severity_zh(v->sev);
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
		{ "资产类型", 0.34f, 0 }, { "完成巡检", 0.22f, 1 },
		{ "异常", 0.22f, 1 }, { "已建跟进工单", 0.22f, 1 },
	};
	struct table t;
	char text[512], a[16], b[16], c[16];
	int k;

	if (rec == NULL || rec->insp == NULL)
		return;
	rd_section(d, "巡检与健康检查");
	snprintf(text, sizeof(text), "本期计划巡检 %u 项，已完成 %u 项（完成率 %s）；"
	    "本期实际完成巡检 %u 项，发现异常 %u 项，其中 %u 项已建立跟进工单。",
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
		cells[0] = nm[0] ? nm : "未分类";
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
		{ "服务", 0.30f, 0 }, { "中断次数", 0.14f, 1 },
		{ "中断时长", 0.16f, 1 }, { "可用率", 0.14f, 1 },
		{ "目标", 0.12f, 1 }, { "达标", 0.14f, 2 },
	};
	struct table t;
	char text[256], s[5][48];
	size_t i;

	if (rec == NULL || rec->avail == NULL)
		return;
	rd_section(d, "系统可用性");
	snprintf(text, sizeof(text), "可用率 = 1 − 计划外中断时长 / 本期时长；"
	    "重叠的中断只计一次，计划内维护不计入。目标 %.2f%%。",
	    rec->avail->target);
	rd_para(d, text);
	if (rec->avail->n == 0) {
		rd_para(d, "本期无中断记录。");
		return;
	}
	rd_table_begin(d, &t, cols, 6);
	for (i = 0; i < rec->avail->n; i++) {
		const struct omsec_avail_row *r = &rec->avail->v[i];
		const char *cells[6];
		omsec_report_sanitize(s[0], sizeof(s[0]), r->service,
		    strlen(r->service));
		snprintf(s[1], sizeof(s[1]), "%u", r->outages);
		rd_fmt_dur(s[2], sizeof(s[2]), r->down);
		snprintf(s[3], sizeof(s[3]), "%.3f%%", r->pct);
		snprintf(s[4], sizeof(s[4]), "%.2f%%", rec->avail->target);
		cells[0] = s[0];
		cells[1] = s[1];
		cells[2] = s[2];
		cells[3] = s[3];
		cells[4] = s[4];
		cells[5] = r->met ? "达标" : "未达标";
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
		{ "工作项", 0.60f, 0 }, { "本期数量", 0.40f, 1 },
	};
	struct table t;
	char a[32], lbl[160];
	int k;

	if (rec == NULL || rec->work == NULL || (rec->vf == NULL &&
	    rec->insp == NULL && rec->avail == NULL))
		return;
	rd_section(d, "工作量统计");
	rd_table_begin(d, &t, cols, 2);
#define WROW(label, v) do { const char *c_[2] = { (label), \
	rd_fmt_u64(a, sizeof(a), (v)) }; rd_table_row(d, &t, c_); } while (0)
	WROW("受理工单", rec->work->tickets);
	for (k = 0; k < OMSEC_PRIO_COUNT; k++) {
		snprintf(lbl, sizeof(lbl), "　其中 %s", omsec_priority_zh(k));
		WROW(lbl, rec->work->by_prio[k]);
	}
	for (k = 0; k < rec->work->ncat; k++) {
		char nm[128];
		omsec_report_sanitize(nm, sizeof(nm), rec->work->cat[k],
		    strlen(rec->work->cat[k]));
		snprintf(lbl, sizeof(lbl), "　类别：%s", nm);
		WROW(lbl, rec->work->cat_n[k]);
	}
	WROW("解决工单", rec->work->resolved);
	WROW("完成巡检", rec->work->inspections);
	WROW("修复漏洞", rec->work->vulns_fixed);
	WROW("复测验证漏洞", rec->work->vulns_verified);
	if (d->in->summary) {
		WROW("处理日志行数", rec->work->log_lines);
		WROW("识别安全事件", rec->work->events);
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
		snprintf(t, sizeof(t), "%s %s%s", in->cfg->customer,
		    d->period, d->kind);
		omsec_report_sanitize(buf, sizeof(buf), t, strlen(t));
		HPDF_SetInfoAttr(d->pdf, HPDF_INFO_SUBJECT, buf);
		snprintf(t, sizeof(t), "%s, %s, SLA, 安全事件, 漏洞管理, 巡检, "
		    "满意度, omsec", in->cfg->service, d->kind);
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
	if (in->period) {
		omsec_period_label(d.period, sizeof(d.period), in->period, 0);
		snprintf(d.kind, sizeof(d.kind), "%s",
		    in->period->kind == OMSEC_REPORT_YEAR ? "年度总结报告" :
		    in->period->kind == OMSEC_REPORT_QUARTER ? "季度报告" :
		    "月度报告");
	} else {
		snprintf(d.period, sizeof(d.period), "%d年%d月", in->year,
		    in->month);
		snprintf(d.kind, sizeof(d.kind), "月度报告");
	}
	d.subst = "□";
	snprintf(d.title, sizeof(d.title), "%s%s%s%s", in->cfg->customer,
	    in->cfg->customer[0] ? " " : "", in->cfg->service, d.kind);
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
