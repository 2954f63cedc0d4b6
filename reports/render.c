/*
 * render.c - lays out the monthly service report (月报) as a PDF with
 * libharu 2.3.0: cover with document control, contents, numbered sections
 * with bookmarks, tables that break across pages with their header
 * repeated, a vector bar chart, and "第 N 页 共 M 页" footers.
 *
 * All text is UTF-8 drawn with one embedded TrueType font (fonts/ builds
 * omsec-cjk.ttf with flattened composite glyphs, see fonts/decompose.py).
 * Every string passes omsec_report_sanitize at the one place it is drawn,
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

#include "out.h"
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
#define MAXTOC 48
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
};

struct tcol {
	const char *title;
	float frac;		/* of the content width */
	int align;		/* 0 left, 1 right, 2 centre */
};

struct table {
	const struct tcol *c;
	int n;
	float x[MAXCOLS], w[MAXCOLS];
	int row;
};

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

static float
text_width(struct doc *d, const char *s, size_t n, float size)
{
	HPDF_TextWidth tw;

	if (n == 0)
		return 0;
	tw = HPDF_Font_TextWidth(d->font, (const HPDF_BYTE *)s, (HPDF_UINT)n);
	return (float)tw.width * size / 1000.0f;
}

static size_t
u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static void
rgb_fill(struct doc *d, float r, float g, float b)
{
	HPDF_Page_SetRGBFill(d->page, r, g, b);
}

static void
rgb_stroke(struct doc *d, float r, float g, float b)
{
	HPDF_Page_SetRGBStroke(d->page, r, g, b);
}

/* Draws s (sanitised here) with its left end at x, baseline y. */
static void
put_on(struct doc *d, HPDF_Page page, float x, float y, float size,
    const char *s)
{
	char buf[TEXTMAX];

	if (omsec_report_sanitize(buf, sizeof(buf), s, strlen(s)) == 0)
		return;
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, d->font, size);
	HPDF_Page_TextOut(page, x, y, buf);
	HPDF_Page_EndText(page);
}

static void
put(struct doc *d, float x, float y, float size, const char *s)
{
	put_on(d, d->page, x, y, size, s);
}

static float
swidth(struct doc *d, const char *s, float size)
{
	char buf[TEXTMAX];
	size_t n = omsec_report_sanitize(buf, sizeof(buf), s, strlen(s));

	return text_width(d, buf, n, size);
}

static void
put_right(struct doc *d, float xr, float y, float size, const char *s)
{
	put(d, xr - swidth(d, s, size), y, size, s);
}

static void
put_center(struct doc *d, float xc, float y, float size, const char *s)
{
	put(d, xc - swidth(d, s, size) / 2, y, size, s);
}

struct line {
	size_t off, len;
	float w;
};

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
static int
wrap(struct doc *d, const char *s, float size, float width, struct line *ln,
    int max)
{
	size_t n = strlen(s), i = 0, start = 0, brk = 0;
	float w = 0, wbrk = 0;
	int nl = 0;

	while (i < n && nl < max) {
		size_t cl = u8len((unsigned char)s[i]);
		float cw;

		if (i + cl > n)
			cl = n - i;
		cw = text_width(d, s + i, cl, size);
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

static void
put_n(struct doc *d, float x, float y, float size, const char *s, size_t n)
{
	char buf[TEXTMAX];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	put(d, x, y, size, buf);
}

/* ---- pages ----------------------------------------------------------- */

static int
new_page(struct doc *d)
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
	if (d->npages > 1) {
		/* Running header: report title left, period right, a rule. */
		rgb_fill(d, 0.35f, 0.38f, 0.42f);
		put(d, ML, PAGE_H - 46, 8.5f, d->title);
		put_right(d, PAGE_W - MR, PAGE_H - 46, 8.5f, d->period);
		rgb_stroke(d, 0.12f, 0.30f, 0.55f);
		HPDF_Page_SetLineWidth(p, 0.8f);
		HPDF_Page_MoveTo(p, ML, PAGE_H - 52);
		HPDF_Page_LineTo(p, PAGE_W - MR, PAGE_H - 52);
		HPDF_Page_Stroke(p);
		rgb_fill(d, 0, 0, 0);
	}
	return 0;
}

static void
need(struct doc *d, float h)
{
	if (d->y - h < MB)
		new_page(d);
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
static void
heading(struct doc *d, int level, const char *title)
{
	if (level == 1) {
		new_page(d);
		outline(d, 1, title);
		rgb_fill(d, 0.10f, 0.25f, 0.47f);
		put(d, ML, d->y - SZ_H1, SZ_H1, title);
		d->y -= SZ_H1 + 16;
	} else {
		need(d, 90);
		d->y -= 6;
		outline(d, 2, title);
		rgb_fill(d, 0.10f, 0.25f, 0.47f);
		put(d, ML, d->y - SZ_H2, SZ_H2, title);
		d->y -= SZ_H2 + 10;
	}
	rgb_fill(d, 0, 0, 0);
}

static void
para_sized(struct doc *d, const char *s, float size, float indent)
{
	char buf[TEXTMAX * 2];
	struct line ln[MAXLINES];
	float lh = size * 1.65f;
	int n, i;

	omsec_report_sanitize(buf, sizeof(buf), s, strlen(s));
	n = wrap(d, buf, size, CW - indent, ln, MAXLINES);
	for (i = 0; i < n; i++) {
		need(d, lh);
		put_n(d, ML + indent, d->y - size, size, buf + ln[i].off,
		    ln[i].len);
		d->y -= lh;
	}
	d->y -= size * 0.5f;
}

static void
para(struct doc *d, const char *s)
{
	para_sized(d, s, SZ_BODY, 0);
}

static void
note(struct doc *d, const char *s)
{
	rgb_fill(d, 0.40f, 0.40f, 0.40f);
	para_sized(d, s, SZ_TABLE, 0);
	rgb_fill(d, 0, 0, 0);
}

/* ---- tables ---------------------------------------------------------- */

static void
hline(struct doc *d, float x0, float x1, float y, float w, float g)
{
	HPDF_Page_SetLineWidth(d->page, w);
	rgb_stroke(d, g, g, g);
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
	hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
	rgb_fill(d, 0.10f, 0.18f, 0.30f);
	for (i = 0; i < t->n; i++) {
		float by = d->y - 4 - SZ_TABLE * 1.05f;
		if (t->c[i].align == 1)
			put_right(d, t->x[i] + t->w[i] - 4, by, SZ_TABLE,
			    t->c[i].title);
		else if (t->c[i].align == 2)
			put_center(d, t->x[i] + t->w[i] / 2, by, SZ_TABLE,
			    t->c[i].title);
		else
			put(d, t->x[i] + 4, by, SZ_TABLE, t->c[i].title);
	}
	rgb_fill(d, 0, 0, 0);
	d->y -= h;
	hline(d, ML, ML + CW, d->y, 0.6f, 0.15f);
}

static void
table_begin(struct doc *d, struct table *t, const struct tcol *c, int n)
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
	need(d, 3 * (SZ_TABLE * 1.5f + 8));
	table_header(d, t);
}

static void
table_row(struct doc *d, struct table *t, const char *const *cells)
{
	static char buf[MAXCOLS][TEXTMAX];
	struct line ln[MAXCOLS][8];
	int nl[MAXCOLS] = { 0 }, i, j, maxl = 1;
	float lh = SZ_TABLE * 1.45f, h;

	for (i = 0; i < t->n; i++) {
		omsec_report_sanitize(buf[i], sizeof(buf[i]), cells[i],
		    strlen(cells[i]));
		nl[i] = wrap(d, buf[i], SZ_TABLE, t->w[i] - 8, ln[i], 8);
		if (nl[i] > maxl)
			maxl = nl[i];
	}
	h = maxl * lh + 6;
	if (d->y - h < MB) {
		hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
		new_page(d);
		table_header(d, t);
	}
	if (t->row % 2 == 1) {
		HPDF_Page_SetRGBFill(d->page, 0.965f, 0.972f, 0.98f);
		HPDF_Page_Rectangle(d->page, ML, d->y - h, CW, h);
		HPDF_Page_Fill(d->page);
		rgb_fill(d, 0, 0, 0);
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
			put_n(d, x, by, SZ_TABLE, p, ln[i][j].len);
		}
	}
	d->y -= h;
	hline(d, ML, ML + CW, d->y, 0.3f, 0.78f);
	t->row++;
}

static void
table_end(struct doc *d)
{
	hline(d, ML, ML + CW, d->y, 1.2f, 0.15f);
	d->y -= 14;
}

/* ---- formatting ------------------------------------------------------ */

static const char *
fmt_u64(char *b, size_t cap, uint64_t v)
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

static const char *
fmt_pct(char *b, size_t cap, double p)
{
	if (p < 0)
		snprintf(b, cap, "—");
	else
		snprintf(b, cap, "%.1f%%", p);
	return b;
}

static const char *
fmt_dur(char *b, size_t cap, int64_t ms)
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

static const char *
fmt_local(struct doc *d, char *b, size_t cap, int64_t ms)
{
	struct omsec_civil c;

	omsec_ms_to_civil(ms + (int64_t)omsec_tz_offset_at(d->in->tz, ms) * 1000,
	    &c);
	snprintf(b, cap, "%02d-%02d %02d:%02d", c.month, c.day, c.hour, c.min);
	return b;
}

static const char *
cat_zh(const char *c)
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

static const char *
rule_zh(const char *r)
{
	static const char *const map[][2] = {
		{ "ssh_bruteforce", "SSH 暴力破解" },
		{ "ssh_success_after_failures", "多次失败后登录成功" },
		{ "ssh_password_spray", "口令喷洒" },
		{ "port_scan", "端口扫描" }, { "host_scan", "主机扫描" },
		{ "web_attack", "Web 攻击" }, { "web_sqli", "SQL 注入" },
		{ "web_xss", "跨站脚本 (XSS)" }, { "web_traversal", "目录遍历" },
		{ "web_scanner", "漏洞扫描器" }, { "sudo", "特权命令" },
		{ "privileged_activity", "特权操作" },
		{ "user_created", "新建账号" }, { "group_change", "用户组变更" },
		{ "db_login_failures", "数据库登录失败" },
		{ "db_dangerous", "数据库高危操作" },
		{ "ids_burst", "IDS 告警突增" },
		{ "source_silent", "日志源中断" },
		{ "volume_anomaly", "日志量异常" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(r, map[i][0]) == 0)
			return map[i][1];
	return r;
}

static const char *
country_zh(const char *cc)
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
	};
	size_t i;

	if (cc[0] == '\0' || strcmp(cc, "-") == 0)
		return "未知";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(cc, map[i][0]) == 0)
			return map[i][1];
	return cc;
}

static const char *const level_zh[3] = { "紧急", "重要", "一般" };
static const char *const dim_zh[OMSEC_SURVEY_DIMS] = { "响应速度", "专业能力",
	"沟通协调", "解决质量", "总体满意度" };

/* ---- chart ----------------------------------------------------------- */

static double
nice_step(double max)
{
	double raw = max / 5, mag, f;

	if (raw <= 1)
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* Bar chart of v[0..n-1], x labels 1..n (days). */
static void
bar_chart(struct doc *d, const uint64_t *v, int n, const char *ytitle,
    const char *xtitle)
{
	const float h = 170, x0 = ML + 46, x1 = ML + CW - 6;
	float y0, y1, slot, bw;
	uint64_t max = 1;
	double step, top;
	char b[32];
	int i, k;

	need(d, h + 50);
	y1 = d->y - 16;
	y0 = y1 - h;
	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	step = nice_step((double)max);
	top = step * ceil((double)max / step);
	rgb_fill(d, 0.30f, 0.30f, 0.30f);
	put(d, ML, y1 + 4, 8, ytitle);
	/* Grid and y labels. */
	for (k = 0; k * step <= top + 1e-9; k++) {
		float y = y0 + (float)(k * step / top) * h;
		hline(d, x0, x1, y, k == 0 ? 0.8f : 0.3f, k == 0 ? 0.2f : 0.82f);
		put_right(d, x0 - 4, y - 3, 7.5f, fmt_u64(b, sizeof(b),
		    (uint64_t)(k * step)));
	}
	/* Y axis. */
	HPDF_Page_SetLineWidth(d->page, 0.8f);
	rgb_stroke(d, 0.2f, 0.2f, 0.2f);
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
	rgb_fill(d, 0.25f, 0.25f, 0.25f);
	for (i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "%d", i + 1);
		put_center(d, x0 + i * slot + slot / 2, y0 - 10, 6.5f, b);
	}
	put_center(d, (x0 + x1) / 2, y0 - 24, 8, xtitle);
	rgb_fill(d, 0, 0, 0);
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

	new_page(d);
	/* A band across the top and a thin one under it. */
	HPDF_Page_SetRGBFill(d->page, 0.10f, 0.25f, 0.47f);
	HPDF_Page_Rectangle(d->page, 0, PAGE_H - 36, PAGE_W, 36);
	HPDF_Page_Fill(d->page);
	HPDF_Page_SetRGBFill(d->page, 0.80f, 0.60f, 0.20f);
	HPDF_Page_Rectangle(d->page, 0, PAGE_H - 40, PAGE_W, 4);
	HPDF_Page_Fill(d->page);

	rgb_fill(d, 0.10f, 0.25f, 0.47f);
	y = PAGE_H - 210;
	omsec_report_sanitize(buf, sizeof(buf), cfg->customer,
	    strlen(cfg->customer));
	if (buf[0] != '\0') {
		n = wrap(d, buf, 22, CW, ln, 8);
		for (i = 0; i < n; i++) {
			char one[TEXTMAX];
			memcpy(one, buf + ln[i].off, ln[i].len);
			one[ln[i].len] = '\0';
			put_center(d, PAGE_W / 2, y, 22, one);
			y -= 34;
		}
	}
	snprintf(buf, sizeof(buf), "%s月度报告", cfg->service);
	put_center(d, PAGE_W / 2, y - 8, 26, buf);
	y -= 70;
	rgb_fill(d, 0.25f, 0.25f, 0.25f);
	snprintf(buf, sizeof(buf), "报告期：%d年%d月1日 — %d年%d月%d日",
	    d->in->year, d->in->month, d->in->year, d->in->month,
	    (int)((d->in->end - d->in->start + 43200000) / 86400000));
	put_center(d, PAGE_W / 2, y, 13, buf);

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

		rgb_fill(d, 0.10f, 0.25f, 0.47f);
		put_center(d, PAGE_W / 2, top + 14, 11, "文档控制");
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
				rgb_fill(d, 0.15f, 0.15f, 0.15f);
				omsec_report_sanitize(cut, sizeof(cut), v,
				    strlen(v));
				if (cut[0] == '\0')
					snprintf(cut, sizeof(cut), "—");
				put(d, cx[k] + 8, yy - rh + 9, 10, cut);
			}
		}
		HPDF_Page_SetLineWidth(d->page, 0.6f);
		rgb_stroke(d, 0.45f, 0.50f, 0.58f);
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
	rgb_fill(d, 0.15f, 0.15f, 0.15f);
	if (cfg->provider[0] != '\0')
		put_center(d, PAGE_W / 2, 120, 14, cfg->provider);
	snprintf(buf, sizeof(buf), "%04d年%02d月%02d日", c.year, c.month, c.day);
	put_center(d, PAGE_W / 2, 98, 11, buf);
	rgb_fill(d, 0, 0, 0);
}

static void
contents(struct doc *d, HPDF_Page page)
{
	HPDF_Page save = d->page;
	float y = PAGE_H - MT - 10;
	char num[16];
	int i;

	d->page = page;
	rgb_fill(d, 0.10f, 0.25f, 0.47f);
	put_center(d, PAGE_W / 2, y - 18, 18, "目    录");
	y -= 60;
	for (i = 0; i < d->ntoc; i++) {
		const struct tocent *t = &d->toc[i];
		float size = t->level == 1 ? 12 : 10.5f;
		float x = ML + (t->level == 1 ? 0 : 20);
		float tw, nw, dx;

		if (t->level == 1)
			y -= 8;
		rgb_fill(d, 0.1f, 0.1f, 0.1f);
		put(d, x, y, size, t->title);
		snprintf(num, sizeof(num), "%d", t->page);
		put_right(d, PAGE_W - MR, y, size, num);
		tw = swidth(d, t->title, size);
		nw = swidth(d, num, size);
		/* Dotted leader between title and page number. */
		rgb_fill(d, 0.55f, 0.55f, 0.55f);
		dx = x + tw + 8;
		if (dx < PAGE_W - MR - nw - 8) {
			for (; dx < PAGE_W - MR - nw - 8; dx += 5)
				HPDF_Page_Circle(d->page, dx, y + 2.5f, 0.55f);
			HPDF_Page_Fill(d->page);
		}
		y -= size * 2.0f;
	}
	rgb_fill(d, 0, 0, 0);
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
		put_center(d, PAGE_W / 2, 38, 8.5f, buf);
		put(d, ML, 38, 8, d->in->cfg->doc_id);
		snprintf(buf, sizeof(buf), "密级：%s", d->in->cfg->classification);
		put_right(d, PAGE_W - MR, 38, 8, buf);
	}
}

static uint64_t
sum_lines(const struct omsec_rpt_summary *s, int which)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < s->nsrc; i++)
		t += which == 0 ? s->src[i].lines : which == 1 ?
		    s->src[i].events : s->src[i].rejects;
	return t;
}

static void
sec_overview(struct doc *d)
{
	const struct omsec_report_input *in = d->in;
	char text[TEXTMAX], part[512], a[32], b[32], c[32];
	static const struct tcol cols[] = {
		{ "指标", 0.34f, 0 }, { "本期数值", 0.22f, 1 }, { "说明", 0.44f, 0 },
	};
	struct table t;

	heading(d, 1, "1  概述");
	snprintf(text, sizeof(text), "本报告为%s在%d年%d月的%s月度报告，"
	    "汇总本期安全事件监测、告警处置、服务级别达成与客户满意度情况。",
	    in->cfg->customer[0] ? in->cfg->customer : "客户", in->year,
	    in->month, in->cfg->service);
	if (in->summary) {
		uint64_t fail = 0;
		int k;
		for (k = 0; k < in->summary->ncat; k++)
			fail += in->summary->cat_outcome[k][1];
		snprintf(part, sizeof(part), "本期共采集日志 %s 行，识别安全事件 %s 条，"
		    "其中失败类事件 %s 条。", fmt_u64(a, sizeof(a),
		    sum_lines(in->summary, 0)), fmt_u64(b, sizeof(b),
		    in->summary->events), fmt_u64(c, sizeof(c), fail));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->alerts) {
		const struct omsec_rpt_alerts *al = in->alerts;
		snprintf(part, sizeof(part), "检测产生告警 %llu 条（紧急 %llu 条、"
		    "重要 %llu 条、一般 %llu 条）。",
		    (unsigned long long)(al->level[0] + al->level[1] + al->level[2]),
		    (unsigned long long)al->level[0],
		    (unsigned long long)al->level[1],
		    (unsigned long long)al->level[2]);
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->sla) {
		const struct omsec_sla_row *r = &in->sla->total;
		snprintf(part, sizeof(part), "受理工单 %u 张，响应达标率 %s，"
		    "解决达标率 %s。", r->tickets, fmt_pct(a, sizeof(a),
		    omsec_sla_pct(r->resp_met, r->resp_breach)),
		    fmt_pct(b, sizeof(b), omsec_sla_pct(r->res_met, r->res_breach)));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	if (in->sat) {
		snprintf(part, sizeof(part), "客户满意度调查回收 %u 份，"
		    "满意率（CSAT）%s。", in->sat->respondents,
		    fmt_pct(a, sizeof(a), in->sat->csat));
		strncat(text, part, sizeof(text) - strlen(text) - 1);
	}
	para(d, text);

	heading(d, 2, "1.1  关键指标");
	table_begin(d, &t, cols, 3);
	if (in->summary) {
		const char *r1[] = { "安全事件总数", fmt_u64(a, sizeof(a),
		    in->summary->events), "解析后的标准化事件" };
		const char *r2[] = { "日志采集行数", fmt_u64(b, sizeof(b),
		    sum_lines(in->summary, 0)), "全部日志源合计" };
		table_row(d, &t, r1);
		table_row(d, &t, r2);
	}
	if (in->alerts) {
		const struct omsec_rpt_alerts *al = in->alerts;
		const char *r[] = { "告警（紧急 / 重要 / 一般）", part, "检测规则触发" };
		snprintf(part, sizeof(part), "%llu / %llu / %llu",
		    (unsigned long long)al->level[0],
		    (unsigned long long)al->level[1],
		    (unsigned long long)al->level[2]);
		table_row(d, &t, r);
	}
	if (in->sla) {
		const struct omsec_sla_row *r = &in->sla->total;
		char tk[16];
		const char *r1[] = { "工单数", tk, "本期创建的工单" };
		const char *r2[] = { "响应达标率", fmt_pct(a, sizeof(a),
		    omsec_sla_pct(r->resp_met, r->resp_breach)), "按合同响应时限" };
		const char *r3[] = { "解决达标率", fmt_pct(b, sizeof(b),
		    omsec_sla_pct(r->res_met, r->res_breach)), "按合同解决时限" };
		snprintf(tk, sizeof(tk), "%u", r->tickets);
		table_row(d, &t, r1);
		table_row(d, &t, r2);
		table_row(d, &t, r3);
	}
	if (in->sat) {
		const char *r1[] = { "客户满意率（CSAT）", fmt_pct(c, sizeof(c),
		    in->sat->csat), "总体满意度 4-5 分占比" };
		table_row(d, &t, r1);
	}
	table_end(d);
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
		{ "工单号", 0.13f, 0 }, { "优先级", 0.08f, 2 },
		{ "考核项", 0.08f, 2 }, { "实际用时", 0.16f, 1 },
		{ "目标", 0.12f, 1 }, { "摘要", 0.43f, 0 },
	};
	struct table t;
	char s[9][48];
	size_t i;
	int p;

	heading(d, 1, "2  服务级别(SLA)达成情况");
	if (in->sla == NULL) {
		para(d, "本期无工单数据。");
		return;
	}
	para(d, "服务级别按 7×24 小时计时：自工单创建起，工程师首次响应的时间"
	    "不超过响应时限即响应达标，问题解决的时间不超过解决时限即解决达标。"
	    "报告期末尚未响应或解决、且已超过时限的工单计为未达标；尚未到时限的"
	    "工单不计入达标率。");
	heading(d, 2, "2.1  按优先级统计");
	table_begin(d, &t, cols, 9);
	for (p = 0; p <= OMSEC_PRIO_COUNT; p++) {
		const struct omsec_sla_row *r = p < OMSEC_PRIO_COUNT ?
		    &in->sla->prio[p] : &in->sla->total;
		const char *cells[9];
		char r1[32], r2[32];
		int k;

		if (p < OMSEC_PRIO_COUNT) {
			snprintf(s[0], sizeof(s[0]), "%s", omsec_priority_zh(p));
			snprintf(s[1], sizeof(s[1]), "%s / %s",
			    fmt_dur(r1, sizeof(r1), in->cfg->sla_response[p] * 1000),
			    fmt_dur(r2, sizeof(r2), in->cfg->sla_resolve[p] * 1000));
		} else {
			snprintf(s[0], sizeof(s[0]), "合计");
			snprintf(s[1], sizeof(s[1]), "—");
		}
		snprintf(s[2], sizeof(s[2]), "%u", r->tickets);
		snprintf(s[3], sizeof(s[3]), "%u/%u", r->resp_met,
		    r->resp_met + r->resp_breach);
		fmt_pct(s[4], sizeof(s[4]), omsec_sla_pct(r->resp_met,
		    r->resp_breach));
		snprintf(s[5], sizeof(s[5]), "%u/%u", r->res_met,
		    r->res_met + r->res_breach);
		fmt_pct(s[6], sizeof(s[6]), omsec_sla_pct(r->res_met,
		    r->res_breach));
		fmt_dur(s[7], sizeof(s[7]), r->tta_n ? r->tta_sum / r->tta_n : -1);
		fmt_dur(s[8], sizeof(s[8]), r->ttr_n ? r->ttr_sum / r->ttr_n : -1);
		for (k = 0; k < 9; k++)
			cells[k] = s[k];
		table_row(d, &t, cells);
	}
	table_end(d);
	note(d, "注：“响应达标”为达标数/已判定数；平均响应(MTTA)与平均解决(MTTR)"
	    "按本期已响应、已解决的工单计算。");

	heading(d, 2, "2.2  未达标工单");
	if (in->sla->nbreaches == 0) {
		para(d, "本期所有已判定的工单均在服务级别时限内完成。");
		return;
	}
	table_begin(d, &t, bcols, 6);
	for (i = 0; i < in->sla->nbreaches; i++) {
		const struct omsec_sla_breach *b = &in->sla->breaches[i];
		const struct omsec_ticket *tk = &in->tickets->v[b->ticket];
		char took[48], tgt[48];
		const char *cells[6];

		if (b->took < 0)
			snprintf(took, sizeof(took), "期末未完成");
		else
			fmt_dur(took, sizeof(took), b->took);
		cells[0] = tk->id;
		cells[1] = omsec_priority_zh(tk->prio);
		cells[2] = b->resolve ? "解决" : "响应";
		cells[3] = took;
		cells[4] = fmt_dur(tgt, sizeof(tgt), b->target);
		cells[5] = tk->summary[0] ? tk->summary : "—";
		table_row(d, &t, cells);
	}
	table_end(d);
}

/* 1 if item is an address of the customer's own (private or configured). */
static int
is_internal(const struct omsec_config *cfg, const char *item)
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

	heading(d, 1, "3  安全事件统计");
	if (s == NULL) {
		para(d, "本期无事件汇总数据。");
	} else {
		uint64_t tot[3] = { 0, 0, 0 }, all;
		heading(d, 2, "3.1  事件分类统计");
		for (k = 0; k < s->ncat; k++)
			for (i = 0; i < 3; i++)
				tot[i] += s->cat_outcome[k][i];
		all = tot[0] + tot[1] + tot[2];
		snprintf(text, sizeof(text), "本期共识别安全事件 %s 条，其中成功 %s 条、"
		    "失败 %s 条、结果未知 %s 条；高危及以上（严重度 3-4）事件 %s 条。",
		    fmt_u64(a, sizeof(a), s->events), fmt_u64(b, sizeof(b), tot[0]),
		    fmt_u64(c, sizeof(c), tot[1]), fmt_u64(e, sizeof(e), tot[2]),
		    fmt_u64(f, sizeof(f), s->severity[3] + s->severity[4]));
		para(d, text);
		table_begin(d, &t, ccols, 6);
		for (k = 0; k <= s->ncat; k++) {
			const uint64_t *r = k < s->ncat ? s->cat_outcome[k] : tot;
			uint64_t sum = r[0] + r[1] + r[2];
			char name[96];
			const char *cells[6];
			if (k < s->ncat)
				snprintf(name, sizeof(name), "%s",
				    cat_zh(s->cat[k]));
			else
				snprintf(name, sizeof(name), "合计");
			cells[0] = name;
			cells[1] = fmt_u64(a, sizeof(a), r[0]);
			cells[2] = fmt_u64(b, sizeof(b), r[1]);
			cells[3] = fmt_u64(c, sizeof(c), r[2]);
			cells[4] = fmt_u64(e, sizeof(e), sum);
			cells[5] = fmt_pct(f, sizeof(f), all ? 100.0 * sum / all : -1);
			table_row(d, &t, cells);
		}
		table_end(d);

		heading(d, 2, "3.2  每日事件趋势");
		ndays = (int)((in->end - in->start + 43200000) / 86400000);
		if (ndays > 31)
			ndays = 31;
		for (i = 0, all = 0; i < ndays; i++)
			all += s->day[i];
		if (all == 0)
			para(d, "本期无按日统计的事件数据。");
		else
			bar_chart(d, s->day, ndays, "事件数（条）",
			    "日期（本地时间，日）");

		heading(d, 2, "3.3  主要攻击来源");
		if (s->ntop_src == 0) {
			para(d, "本期无失败事件的来源 IP 统计数据。");
		} else {
			para(d, "按失败事件（登录失败、访问被拒绝、错误请求等）统计的"
			    "来源地址，占比为占本期失败事件的比例。");
			table_begin(d, &t, tcols, 5);
			for (i = 0; i < s->ntop_src; i++) {
				const struct omsec_rpt_top *tp = &s->top_src[i];
				const char *cells[5];
				char cty[64];
				snprintf(a, sizeof(a), "%d", i + 1);
				snprintf(cty, sizeof(cty), "%s",
				    is_internal(in->cfg, tp->item) ? "内网" :
				    country_zh(tp->attr));
				cells[0] = a;
				cells[1] = tp->item;
				cells[2] = cty;
				cells[3] = fmt_u64(b, sizeof(b), tp->count);
				cells[4] = fmt_pct(c, sizeof(c), tot[1] ?
				    100.0 * tp->count / tot[1] : -1);
				table_row(d, &t, cells);
			}
			table_end(d);
		}
		heading(d, 2, "3.4  主要目标用户");
		if (s->ntop_user == 0) {
			para(d, "本期无失败事件的用户统计数据。");
		} else {
			para(d, "按失败事件统计的目标账号，占比为占本期失败事件的比例。");
			table_begin(d, &t, ucols, 4);
			for (i = 0; i < s->ntop_user; i++) {
				const struct omsec_rpt_top *tp = &s->top_user[i];
				const char *cells[4];
				snprintf(a, sizeof(a), "%d", i + 1);
				cells[0] = a;
				cells[1] = tp->item;
				cells[2] = fmt_u64(b, sizeof(b), tp->count);
				cells[3] = fmt_pct(c, sizeof(c), tot[1] ?
				    100.0 * tp->count / tot[1] : -1);
				table_row(d, &t, cells);
			}
			table_end(d);
		}
	}

	heading(d, 2, "3.5  安全告警");
	if (in->alerts == NULL) {
		para(d, "本期无告警数据。");
		return;
	} else {
		const struct omsec_rpt_alerts *al = in->alerts;
		uint64_t n = al->level[0] + al->level[1] + al->level[2];
		const size_t show = 40;

		snprintf(text, sizeof(text), "本期检测产生告警 %s 条，其中紧急 %s 条、"
		    "重要 %s 条、一般 %s 条。时间为本地时间（%s）。",
		    fmt_u64(a, sizeof(a), n), fmt_u64(b, sizeof(b), al->level[0]),
		    fmt_u64(c, sizeof(c), al->level[1]),
		    fmt_u64(e, sizeof(e), al->level[2]), in->cfg->timezone);
		para(d, text);
		if (al->n == 0)
			return;
		table_begin(d, &t, acols, 6);
		for (i = 0; (size_t)i < al->n && (size_t)i < show; i++) {
			const struct omsec_rpt_alert *x = &al->v[i];
			const char *cells[6];
			cells[0] = level_zh[x->level];
			cells[1] = rule_zh(x->rule);
			cells[2] = x->entity;
			cells[3] = fmt_local(d, f, sizeof(f), x->first);
			cells[4] = fmt_local(d, g, sizeof(g), x->last);
			cells[5] = fmt_u64(a, sizeof(a), x->count);
			table_row(d, &t, cells);
		}
		table_end(d);
		if (n > show) {
			snprintf(text, sizeof(text), "注：按级别和次数排序，列出前 %zu 条，"
			    "其余 %s 条见告警明细文件。", show,
			    fmt_u64(a, sizeof(a), n - show));
			note(d, text);
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

	heading(d, 1, "4  客户满意度");
	if (in->sat == NULL || in->sat->respondents == 0) {
		para(d, "本期无满意度调查数据。");
		return;
	}
	snprintf(text, sizeof(text), "本期共回收满意度调查 %u 份，总体满意度为 4 分"
	    "或 5 分的有 %u 份，客户满意率（CSAT）为 %s。",
	    in->sat->respondents, in->sat->satisfied,
	    fmt_pct(a, sizeof(a), in->sat->csat));
	para(d, text);
	heading(d, 2, "4.1  各维度评分");
	table_begin(d, &t, cols, 3);
	for (k = 0; k < OMSEC_SURVEY_DIMS; k++) {
		const char *cells[3];
		if (in->sat->mean[k] < 0)
			snprintf(a, sizeof(a), "—");
		else
			snprintf(a, sizeof(a), "%.2f", in->sat->mean[k]);
		snprintf(b, sizeof(b), "%u", in->sat->nscored[k]);
		cells[0] = dim_zh[k];
		cells[1] = a;
		cells[2] = b;
		table_row(d, &t, cells);
	}
	table_end(d);
	heading(d, 2, "4.2  客户意见与建议");
	for (i = 0; i < in->survey->n && shown < 20; i++) {
		const struct omsec_response *r = &in->survey->v[i];
		if (r->comment[0] == '\0')
			continue;
		snprintf(text, sizeof(text), "● %s%s%s%s：%s",
		    r->respondent[0] ? r->respondent : "匿名",
		    r->date[0] ? "（" : "", r->date, r->date[0] ? "）" : "",
		    r->comment);
		para_sized(d, text, SZ_BODY, 8);
		shown++;
	}
	if (shown == 0)
		para(d, "本期调查未收到文字意见。");
}

static void
sec_coverage(struct doc *d)
{
	const struct omsec_rpt_summary *s = d->in->summary;
	static const struct tcol cols[] = {
		{ "日志源", 0.44f, 0 }, { "行数", 0.14f, 1 }, { "事件数", 0.14f, 1 },
		{ "未解析", 0.14f, 1 }, { "解析率", 0.14f, 1 },
	};
	struct table t;
	char a[32], b[32], c[32], e[32];
	size_t i;

	heading(d, 1, "5  日志采集覆盖情况");
	if (s == NULL || s->nsrc == 0) {
		para(d, "本期无日志源统计数据。");
		return;
	}
	para(d, "下表列出各日志源本期读取的行数、解析为标准化事件的条数和无法"
	    "解析的行数。未解析行不会被丢弃，可用 omsec-parse --rejects 导出复核。");
	table_begin(d, &t, cols, 5);
	for (i = 0; i <= s->nsrc; i++) {
		uint64_t l = i < s->nsrc ? s->src[i].lines : sum_lines(s, 0);
		uint64_t ev = i < s->nsrc ? s->src[i].events : sum_lines(s, 1);
		uint64_t rj = i < s->nsrc ? s->src[i].rejects : sum_lines(s, 2);
		const char *cells[5];
		cells[0] = i < s->nsrc ? s->src[i].path : "合计";
		cells[1] = fmt_u64(a, sizeof(a), l);
		cells[2] = fmt_u64(b, sizeof(b), ev);
		cells[3] = fmt_u64(c, sizeof(c), rj);
		/* Rounded down: 99.95% with rejects must not read 100.0%. */
		cells[4] = fmt_pct(e, sizeof(e), l ? floor(1000.0 *
		    (double)(l - rj) / l) / 10 : -1);
		table_row(d, &t, cells);
	}
	table_end(d);
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
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, d->title);
	if (in->cfg->provider[0])
		HPDF_SetInfoAttr(d->pdf, HPDF_INFO_AUTHOR, in->cfg->provider);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "omsec-report");
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
	snprintf(d.title, sizeof(d.title), "%s%s%s月度报告", in->cfg->customer,
	    in->cfg->customer[0] ? " " : "", in->cfg->service);
	snprintf(d.period, sizeof(d.period), "%d年%d月", in->year, in->month);
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
	HPDF_SetPageMode(d.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	set_info(&d);
	cover(&d);
	new_page(&d);		/* contents, drawn last */
	sec_overview(&d);
	sec_sla(&d);
	sec_events(&d);
	sec_satisfaction(&d);
	sec_coverage(&d);
	if (d.oom) {
		snprintf(err, errcap, "out of memory");
		goto out;
	}
	contents(&d, d.pages[1]);
	footers(&d);
	if (d.err) {
		snprintf(err, errcap, "libharu error 0x%04lx (detail %lu)",
		    (unsigned long)d.err, (unsigned long)d.detail);
		goto out;
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
