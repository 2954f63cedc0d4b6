/*
 * assets.c - the asset inventory (资产识别表): its CSV reader, and an index
 * that finds the asset of an address by longest-prefix match, or of a host
 * name or asset id, for omsec-enrich, omsec-detect and the report.
 *
 * Example row (docs/records.md, template samples/assets.csv):
 *   A-001,fw01,"10.20.0.1; 10.20.255.0/24",防火墙,李洋,全行网络,高
 * The index keeps every address and range of every asset, masked, sorted
 * by prefix length (longest first) and then by bytes; a lookup masks the
 * address once per distinct prefix length in the inventory and binary
 * searches that length's slice, so the first hit is the longest prefix.
 * Names and ids are a second sorted array. A lookup allocates nothing.
 * Cost: build O(n log n) over the ranges; lookup O(L log n) for L distinct
 * prefix lengths (a handful: /32, /24, /16, ...). Memory: 24 bytes a range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "records_int.h"

/* ---- assets ---------------------------------------------------------- */

enum { A_ID, A_NAME, A_ADDR, A_TYPE, A_OWNER, A_SYSTEM, A_CRIT, A_N };

static const struct rec_colspec asset_cols[A_N] = {
	{ { "id", "资产编号", "编号" }, 0 },
	{ { "name", "资产名称", "名称", "主机名" }, 1 },
	{ { "addresses", "IP地址", "地址", "网段", "address" }, 0 },
	{ { "type", "资产类型", "类型" }, 0 },
	{ { "owner", "责任人", "负责人" }, 0 },
	{ { "system", "业务系统", "所属系统" }, 0 },
	{ { "criticality", "重要程度", "重要性", "等级" }, 0 },
};

static const char *const w_high[] = { "high", "高", "核心", "关键",
	"critical", NULL };
static const char *const w_medium[] = { "medium", "中", "重要", NULL };
static const char *const w_low[] = { "low", "低", "一般", NULL };

/* Next address token: separators , ; space and the full-width 、；，. */
static size_t
addr_token(const char *p, size_t *skip)
{
	size_t n = 0, s = 0;

	for (;;) {
		if (p[s] == ',' || p[s] == ';' || p[s] == ' ' || p[s] == '\n' ||
		    p[s] == '\r' || p[s] == '\t')
			s++;
		else if (strncmp(p + s, "、", 3) == 0 ||
		    strncmp(p + s, "；", 3) == 0 || strncmp(p + s, "，", 3) == 0)
			s += 3;
		else
			break;
	}
	while (p[s + n] && !strchr(",; \n\r\t", p[s + n]) &&
	    (unsigned char)p[s + n] < 0x80)
		n++;
	*skip = s;
	return n;
}

static int
asset_row(struct rec_csv *r, const char *const *f, char *msg, size_t cap)
{
	struct omsec_assets *as = r->ctx;
	struct omsec_asset a;
	const char *p = f[A_ADDR];
	char esc[96];

	memset(&a, 0, sizeof(a));
	a.line = r->row_line;
	if (*f[A_NAME] == '\0') {
		snprintf(msg, cap, "empty asset name");
		return A_NAME;
	}
	while (*p) {
		size_t skip, n = addr_token(p, &skip);
		p += skip;
		if (n == 0) {
			if (*p == '\0')
				break;
			snprintf(msg, cap, "bad address list '%s'",
			    rec_esc(esc, sizeof(esc), f[A_ADDR]));
			return A_ADDR;
		}
		if (a.nnet == OMSEC_ASSET_MAXNET) {
			snprintf(msg, cap, "more than %d addresses or ranges",
			    OMSEC_ASSET_MAXNET);
			return A_ADDR;
		}
		if (omsec_cidr_parse(&a.net[a.nnet], omsec_span_make(p, n))) {
			char tok[64];
			snprintf(tok, sizeof(tok), "%.*s", (int)(n > 60 ? 60 : n),
			    p);
			snprintf(msg, cap, "bad address or CIDR '%s'",
			    rec_esc(esc, sizeof(esc), tok));
			return A_ADDR;
		}
		a.nnet++;
		p += n;
	}
	if (*f[A_CRIT] == '\0' || rec_word(f[A_CRIT], w_medium))
		a.crit = OMSEC_CRIT_MEDIUM;
	else if (rec_word(f[A_CRIT], w_high))
		a.crit = OMSEC_CRIT_HIGH;
	else if (rec_word(f[A_CRIT], w_low))
		a.crit = OMSEC_CRIT_LOW;
	else {
		snprintf(msg, cap, "unknown criticality '%s' (高/中/低)",
		    rec_esc(esc, sizeof(esc), f[A_CRIT]));
		return A_CRIT;
	}
	rec_copy(a.id, sizeof(a.id), f[A_ID]);
	rec_copy(a.name, sizeof(a.name), f[A_NAME]);
	if (a.name[0] == '\0') {
		/* Cut to nothing: only stray UTF-8 continuation bytes. */
		snprintf(msg, cap, "asset name not UTF-8 text");
		return A_NAME;
	}
	rec_copy(a.type, sizeof(a.type), f[A_TYPE]);
	rec_copy(a.owner, sizeof(a.owner), f[A_OWNER]);
	rec_copy(a.system, sizeof(a.system), f[A_SYSTEM]);
	return rec_append(&as->v, &as->cap, &as->n, sizeof(*as->v), &a,
	    msg, cap);
}

int
omsec_assets_read(struct omsec_assets *a, const char *path,
    struct omsec_report_diag *diag)
{
	return rec_csv_read(path, asset_cols, A_N, asset_row, a, diag);
}

void
omsec_assets_free(struct omsec_assets *a)
{
	if (a == NULL)
		return;
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

const struct omsec_asset *
omsec_assets_find(const struct omsec_assets *a, const char *s)
{
	size_t i;

	if (a == NULL || *s == '\0')
		return NULL;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, s) == 0 ||
		    (a->v[i].id[0] && strcmp(a->v[i].id, s) == 0))
			return &a->v[i];
	return NULL;
}

/* ---- the index ------------------------------------------------------- */

static void
mask(uint8_t out[16], const uint8_t in[16], int bits)
{
	int i;

	for (i = 0; i < 16; i++) {
		int keep = bits - 8 * i;
		out[i] = keep >= 8 ? in[i] : keep <= 0 ? 0 :
		    (uint8_t)(in[i] & (0xff << (8 - keep)));
	}
}

static int
net_cmp(const void *a, const void *b)
{
	const struct omsec_asset_net *x = a, *y = b;
	int c;

	if (x->bits != y->bits)
		return x->bits > y->bits ? -1 : 1;
	if ((c = memcmp(x->b, y->b, 16)) != 0)
		return c;
	/* The first row of the inventory wins a range two assets claim. */
	return x->asset < y->asset ? -1 : x->asset > y->asset;
}

static const struct omsec_assets *name_base;

static const char *
key_of(const struct omsec_asset_key *k)
{
	const struct omsec_asset *a = &name_base->v[k->asset];

	return k->is_id ? a->id : a->name;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct omsec_asset_key *x = a, *y = b;
	int c = strcmp(key_of(x), key_of(y));

	if (c != 0)
		return c;
	return x->asset < y->asset ? -1 : x->asset > y->asset;
}

int
omsec_asset_index_build(struct omsec_asset_index *x,
    const struct omsec_assets *a)
{
	size_t i, j, n = 0, k = 0;
	int l;

	memset(x, 0, sizeof(*x));
	x->assets = a;
	for (i = 0; i < a->n; i++)
		n += (size_t)a->v[i].nnet;
	if ((n > 0 && (x->net = calloc(n, sizeof(*x->net))) == NULL) ||
	    (a->n > 0 && (x->key = calloc(2 * a->n, sizeof(*x->key))) ==
	    NULL)) {
		omsec_asset_index_free(x);
		return -1;
	}
	for (i = 0; i < a->n; i++) {
		for (l = 0; l < a->v[i].nnet; l++) {
			struct omsec_asset_net *e = &x->net[x->nnet++];
			e->bits = a->v[i].net[l].bits;
			mask(e->b, a->v[i].net[l].ip.b, e->bits);
			e->asset = (uint32_t)i;
		}
		x->key[k].asset = (uint32_t)i;
		x->key[k++].is_id = 0;
		if (a->v[i].id[0] != '\0') {
			x->key[k].asset = (uint32_t)i;
			x->key[k++].is_id = 1;
		}
	}
	x->nkey = k;
	if (x->nnet > 1)
		qsort(x->net, x->nnet, sizeof(*x->net), net_cmp);
	/* A range claimed twice: the first asset keeps it. */
	for (i = j = 0; i < x->nnet; i++)
		if (j == 0 || x->net[j - 1].bits != x->net[i].bits ||
		    memcmp(x->net[j - 1].b, x->net[i].b, 16) != 0)
			x->net[j++] = x->net[i];
		else
			x->shadowed++;
	x->nnet = j;
	for (i = 0; i < x->nnet; i++)
		if (x->nlen == 0 || x->len[x->nlen - 1].bits != x->net[i].bits) {
			x->len[x->nlen].bits = x->net[i].bits;
			x->len[x->nlen].lo = i;
			x->nlen++;
		}
	for (l = 0; l < x->nlen; l++)
		x->len[l].hi = l + 1 < x->nlen ? x->len[l + 1].lo : x->nnet;
	name_base = a;
	if (x->nkey > 1)
		qsort(x->key, x->nkey, sizeof(*x->key), key_cmp);
	return 0;
}

void
omsec_asset_index_free(struct omsec_asset_index *x)
{
	free(x->net);
	free(x->key);
	memset(x, 0, sizeof(*x));
}

const struct omsec_asset *
omsec_asset_by_ip(const struct omsec_asset_index *x, const struct omsec_ip *ip)
{
	uint8_t m[16];
	int l;

	for (l = 0; l < x->nlen; l++) {
		size_t lo = x->len[l].lo, hi = x->len[l].hi;
		mask(m, ip->b, x->len[l].bits);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = memcmp(x->net[mid].b, m, 16);
			if (c == 0)
				return &x->assets->v[x->net[mid].asset];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

const struct omsec_asset *
omsec_asset_by_name(const struct omsec_asset_index *x, struct omsec_span s)
{
	size_t lo = 0, hi = x->nkey;

	if (s.n == 0)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct omsec_asset *a = &x->assets->v[x->key[mid].asset];
		const char *k = x->key[mid].is_id ? a->id : a->name;
		size_t kn = strlen(k);
		int c = memcmp(k, s.p, kn < s.n ? kn : s.n);
		if (c == 0)
			c = kn < s.n ? -1 : kn > s.n;
		if (c == 0) {
			/* The first row of that name or id. */
			while (mid > lo && strlen(k) == s.n) {
				const struct omsec_asset *b =
				    &x->assets->v[x->key[mid - 1].asset];
				const char *kb = x->key[mid - 1].is_id ? b->id :
				    b->name;
				if (strlen(kb) != s.n || memcmp(kb, s.p, s.n) != 0)
					break;
				mid--;
			}
			return &x->assets->v[x->key[mid].asset];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct omsec_asset *
omsec_asset_of(const struct omsec_asset_index *x, struct omsec_span host)
{
	const struct omsec_asset *a;
	struct omsec_ip ip;

	if ((a = omsec_asset_by_name(x, host)) != NULL)
		return a;
	if (host.n > 0 && omsec_ip_parse(&ip, host) == 0)
		return omsec_asset_by_ip(x, &ip);
	return NULL;
}

int
omsec_assets_load(struct omsec_assets *a, struct omsec_asset_index *x,
    const char *path, struct omsec_report_diag *diag)
{
	memset(a, 0, sizeof(*a));
	if (omsec_assets_read(a, path, diag) != 0)
		return -1;
	if (omsec_asset_index_build(x, a) != 0) {
		omsec_assets_free(a);
		rec_diagf(diag, "%s: out of memory", path);
		return -1;
	}
	return 0;
}
