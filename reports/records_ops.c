/*
 * records_ops.c - inspections (巡检/健康检查) and outages (for availability):
 * CSV readers and the figures of a period (assets: assets.c).
 *
 * Example rows (docs/records.md, templates in samples/):
 *   inspections.csv  2026-11-02,2026-11-02,db01,数据库,备份作业,异常,备份目录满,王芳,OPS-202611-004
 *   outages.csv      网上银行,2026-11-20 02:10,2026-11-20 02:52,数据库主备切换,否
 * Availability merges a service's overlapping outages (sorted by start) so
 * that an hour down is counted once however many rows describe it.
 * Cost: linear per reader; availability O(n log n). Memory: the records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "out.h"
#include "records_int.h"
#include "strnum.h"

/* ---- inspections ----------------------------------------------------- */

enum { I_PLANNED, I_DATE, I_ASSET, I_TYPE, I_ITEM, I_RESULT, I_NOTE,
	I_WHO, I_TICKET, I_N };

static const struct rec_colspec insp_cols[I_N] = {
	{ { "planned", "计划日期", "计划时间" }, 0 },
	{ { "date", "巡检日期", "日期", "完成日期" }, 1 },
	{ { "asset", "资产", "设备" }, 1 },
	{ { "asset_type", "资产类型", "设备类型" }, 0 },
	{ { "item", "检查项", "巡检项" }, 0 },
	{ { "result", "结果", "巡检结果" }, 1 },
	{ { "note", "备注", "说明" }, 0 },
	{ { "inspector", "巡检人", "检查人" }, 0 },
	{ { "ticket", "跟进工单", "工单号" }, 0 },
};

static const char *const w_normal[] = { "normal", "正常", "ok", "pass",
	"通过", NULL };
static const char *const w_abnormal[] = { "abnormal", "异常", "fail",
	"failed", "不正常", "不通过", NULL };

struct insp_ctx {
	struct omsec_inspections *s;
	struct omsec_tz *tz;
};

/* A date cell as local midnight; "" = -1. Returns 0 or -1. */
static int
day_cell(int64_t *ms, const char *s, struct omsec_tz *tz)
{
	if (*s != '\0' && strlen(s) != 10)
		return -1;
	return rec_time(ms, s, tz);
}

static int
insp_row(struct rec_csv *r, const char *const *f, char *msg, size_t cap)
{
	struct insp_ctx *c = r->ctx;
	struct omsec_inspections *s = c->s;
	struct omsec_inspection in;
	char esc[96];

	memset(&in, 0, sizeof(in));
	in.line = r->row_line;
	if (day_cell(&in.planned, f[I_PLANNED], c->tz) != 0) {
		snprintf(msg, cap, "bad date '%s' (want YYYY-MM-DD)",
		    rec_esc(esc, sizeof(esc), f[I_PLANNED]));
		return I_PLANNED;
	}
	if (day_cell(&in.done, f[I_DATE], c->tz) != 0) {
		snprintf(msg, cap, "bad date '%s' (want YYYY-MM-DD)",
		    rec_esc(esc, sizeof(esc), f[I_DATE]));
		return I_DATE;
	}
	if (in.planned < 0 && in.done < 0) {
		snprintf(msg, cap, "neither a planned nor a done date");
		return I_DATE;
	}
	if (*f[I_ASSET] == '\0') {
		snprintf(msg, cap, "empty asset");
		return I_ASSET;
	}
	if (*f[I_RESULT] == '\0')
		in.result = OMSEC_INSP_NOT_DONE;
	else if (rec_word(f[I_RESULT], w_normal))
		in.result = OMSEC_INSP_NORMAL;
	else if (rec_word(f[I_RESULT], w_abnormal))
		in.result = OMSEC_INSP_ABNORMAL;
	else {
		snprintf(msg, cap, "unknown result '%s' (正常/异常)",
		    rec_esc(esc, sizeof(esc), f[I_RESULT]));
		return I_RESULT;
	}
	if ((in.done >= 0) != (in.result != OMSEC_INSP_NOT_DONE)) {
		snprintf(msg, cap, in.done >= 0 ? "done without a result" :
		    "a result without the date it was done");
		return in.done >= 0 ? I_RESULT : I_DATE;
	}
	rec_copy(in.asset, sizeof(in.asset), f[I_ASSET]);
	rec_copy(in.type, sizeof(in.type), f[I_TYPE]);
	rec_copy(in.item, sizeof(in.item), f[I_ITEM]);
	rec_copy(in.note, sizeof(in.note), f[I_NOTE]);
	rec_copy(in.inspector, sizeof(in.inspector), f[I_WHO]);
	rec_copy(in.ticket, sizeof(in.ticket), f[I_TICKET]);
	return rec_append(&s->v, &s->cap, &s->n, sizeof(*s->v), &in,
	    msg, cap);
}

int
omsec_inspections_read(struct omsec_inspections *s, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct insp_ctx c = { s, tz };

	return rec_csv_read(path, insp_cols, I_N, insp_row, &c, diag);
}

void
omsec_inspections_free(struct omsec_inspections *s)
{
	if (s == NULL)
		return;
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int
type_cmp(const void *a, const void *b)
{
	const struct omsec_insp_type *x = a, *y = b;

	/* The unknown type ("") goes last. */
	if (x->type[0] == '\0' || y->type[0] == '\0')
		return (x->type[0] == '\0') - (y->type[0] == '\0');
	return strcmp(x->type, y->type);
}

void
omsec_insp_compute(struct omsec_insp_figures *out,
    const struct omsec_inspections *s, const struct omsec_assets *assets,
    int64_t start, int64_t end)
{
	size_t i;
	int k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < s->n; i++) {
		const struct omsec_inspection *in = &s->v[i];
		const struct omsec_asset *a;
		const char *type = in->type;
		struct omsec_insp_type *t = NULL;

		if (in->planned >= start && in->planned < end) {
			out->planned++;
			if (in->done >= 0)
				out->planned_done++;
		}
		if (in->done < start || in->done >= end)
			continue;
		out->done++;
		if (in->result == OMSEC_INSP_ABNORMAL) {
			out->abnormal++;
			if (in->ticket[0])
				out->followed++;
		}
		if (type[0] == '\0' && (a = omsec_assets_find(assets,
		    in->asset)) != NULL)
			type = a->type;
		for (k = 0; k < out->ntype; k++)
			if (strcmp(out->type[k].type, type) == 0)
				t = &out->type[k];
		if (t == NULL && out->ntype < OMSEC_INSP_MAXTYPES) {
			t = &out->type[out->ntype++];
			rec_copy(t->type, sizeof(t->type), type);
		}
		if (t == NULL) {
			/* The last slot becomes "其他" for the overflow. */
			t = &out->type[OMSEC_INSP_MAXTYPES - 1];
			rec_copy(t->type, sizeof(t->type), "其他");
		}
		t->done++;
		if (in->result == OMSEC_INSP_ABNORMAL) {
			t->abnormal++;
			if (in->ticket[0])
				t->followed++;
		}
	}
	qsort(out->type, (size_t)out->ntype, sizeof(out->type[0]), type_cmp);
}

/* ---- outages and availability --------------------------------------- */

enum { O_SERVICE, O_START, O_END, O_CAUSE, O_PLANNED, O_N };

static const struct rec_colspec outage_cols[O_N] = {
	{ { "service", "服务", "业务系统", "asset", "资产" }, 1 },
	{ { "start", "开始时间", "中断时间" }, 1 },
	{ { "end", "结束时间", "恢复时间" }, 1 },
	{ { "cause", "原因", "中断原因" }, 0 },
	{ { "planned", "计划内", "计划停机" }, 0 },
};

static const char *const w_yes[] = { "yes", "是", "y", "true", "1",
	"计划内", NULL };
static const char *const w_no[] = { "no", "否", "n", "false", "0",
	"计划外", NULL };

struct outage_ctx {
	struct omsec_outages *o;
	struct omsec_tz *tz;
};

static int
outage_row(struct rec_csv *r, const char *const *f, char *msg, size_t cap)
{
	struct outage_ctx *c = r->ctx;
	struct omsec_outages *os = c->o;
	struct omsec_outage o;
	char esc[96];

	memset(&o, 0, sizeof(o));
	o.line = r->row_line;
	if (*f[O_SERVICE] == '\0') {
		snprintf(msg, cap, "empty service");
		return O_SERVICE;
	}
	if (*f[O_START] == '\0' || rec_time(&o.start, f[O_START], c->tz)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM)",
		    rec_esc(esc, sizeof(esc), f[O_START]));
		return O_START;
	}
	if (rec_time(&o.end, f[O_END], c->tz) != 0 ||
	    (o.end >= 0 && o.end < o.start)) {
		snprintf(msg, cap, "bad time '%s' (want YYYY-MM-DD HH:MM, not "
		    "before start; empty = ongoing)",
		    rec_esc(esc, sizeof(esc), f[O_END]));
		return O_END;
	}
	if (*f[O_PLANNED] == '\0' || rec_word(f[O_PLANNED], w_no))
		o.planned = 0;
	else if (rec_word(f[O_PLANNED], w_yes))
		o.planned = 1;
	else {
		snprintf(msg, cap, "planned '%s' is not yes/no (是/否)",
		    rec_esc(esc, sizeof(esc), f[O_PLANNED]));
		return O_PLANNED;
	}
	rec_copy(o.service, sizeof(o.service), f[O_SERVICE]);
	rec_copy(o.cause, sizeof(o.cause), f[O_CAUSE]);
	return rec_append(&os->v, &os->cap, &os->n, sizeof(*os->v), &o,
	    msg, cap);
}

int
omsec_outages_read(struct omsec_outages *o, const char *path,
    struct omsec_tz *tz, struct omsec_report_diag *diag)
{
	struct outage_ctx c = { o, tz };

	return rec_csv_read(path, outage_cols, O_N, outage_row, &c, diag);
}

void
omsec_outages_free(struct omsec_outages *o)
{
	if (o == NULL)
		return;
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}

static const struct omsec_outage *out_base;

static int
outage_cmp(const void *a, const void *b)
{
	const struct omsec_outage *x = &out_base[*(const size_t *)a];
	const struct omsec_outage *y = &out_base[*(const size_t *)b];
	int c = strcmp(x->service, y->service);

	if (c != 0)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

int
omsec_availability_compute(struct omsec_availability *out,
    const struct omsec_outages *o, double target, int64_t start,
    int64_t end)
{
	size_t *idx = NULL, i, j, nserv = 0;

	memset(out, 0, sizeof(*out));
	out->target = target;
	if (o->n == 0)
		return 0;
	if ((idx = malloc(o->n * sizeof(*idx))) == NULL ||
	    (out->v = calloc(o->n, sizeof(*out->v))) == NULL) {
		free(idx);
		return -1;
	}
	for (i = 0; i < o->n; i++)
		idx[i] = i;
	out_base = o->v;
	qsort(idx, o->n, sizeof(*idx), outage_cmp);
	for (i = 0; i < o->n; i = j) {
		struct omsec_avail_row *row = &out->v[nserv++];
		int64_t cur_a = -1, cur_b = -1;

		rec_copy(row->service, sizeof(row->service),
		    o->v[idx[i]].service);
		for (j = i; j < o->n && strcmp(o->v[idx[j]].service,
		    row->service) == 0; j++) {
			const struct omsec_outage *x = &o->v[idx[j]];
			int64_t a = x->start < start ? start : x->start;
			int64_t b = x->end < 0 || x->end > end ? end : x->end;
			if (x->planned || b <= a)
				continue;
			row->outages++;
			/* Sorted by start: extend or close the current run. */
			if (cur_b >= 0 && a <= cur_b) {
				if (b > cur_b)
					cur_b = b;
				continue;
			}
			if (cur_b >= 0)
				row->down += cur_b - cur_a;
			cur_a = a;
			cur_b = b;
		}
		if (cur_b >= 0)
			row->down += cur_b - cur_a;
		row->pct = end > start ? 100.0 * (double)(end - start -
		    row->down) / (double)(end - start) : 100.0;
		row->met = row->pct >= target;
	}
	out->n = nserv;
	free(idx);
	return 0;
}

void
omsec_availability_free(struct omsec_availability *a)
{
	if (a == NULL)
		return;
	free(a->v);
	a->v = NULL;
	a->n = 0;
}
