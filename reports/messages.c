/*
 * messages.c - the report's message catalogue: the table built from
 * messages.def, its formatter (plural choices), and the keyed names of
 * detection rules, alert entity types, event categories and countries in
 * zh-CN and en. The detect area adds the Chinese and
 * English names of a new rule to rules[] below; a rule missing here is
 * shown by its id.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "messages.h"

static const char *const msgs[OMSEC_MSG_COUNT][2] = {
#define MSG(id, zh, en) [id] = { zh, en },
#include "messages.def"
#undef MSG
};

const char *
omsec_msg(int id, int en)
{
	if (id < 0 || id >= OMSEC_MSG_COUNT)
		return "";
	return msgs[id][en ? 1 : 0];
}

/* The argument types a catalogue format takes, as va_arg reads them. */
enum argk {
	A_NONE, A_INT, A_LONG, A_LLONG, A_UINT, A_ULONG, A_ULLONG, A_SIZE,
	A_DOUBLE, A_STR, A_PTR
};

#define MAXARGS 16

/* A directive of a format: a conversion or a plural choice. */
struct dir {
	int pos;		/* its argument, 1-based; 0: plain '%' */
	int kind;		/* enum argk; A_NONE: the choice "%N{a|b}" */
	const char *spec;	/* conversion: after "N$", up to end */
	const char *one, *other; /* choice: the two texts */
	size_t lone, lother;
	const char *end;	/* after the directive */
};

/*
 * Reads the directive after the '%' at p. Returns 1 for a conversion or
 * a choice, 0 when the '%' starts neither ("%%", or "90% 的" in a text)
 * and d->end is where the text goes on, -1 for what a catalogue format
 * must not use ('*' widths, long double, an unclosed choice).
 */
static int
directive(const char *p, struct dir *d)
{
	const char *q = p, *bar, *close;
	int pos = 0, ll = 0, h = 0, z = 0, c;

	memset(d, 0, sizeof(*d));
	if (*q == '%') {
		d->end = q + 1;
		return 0;
	}
	while (*q >= '0' && *q <= '9' && pos < 100)
		pos = pos * 10 + (*q++ - '0');
	if (pos > 0 && *q == '{') {
		bar = strchr(q, '|');
		close = strchr(q, '}');
		if (bar == NULL || close == NULL || bar > close)
			return -1;
		d->pos = pos;
		d->one = q + 1;
		d->lone = (size_t)(bar - q - 1);
		d->other = bar + 1;
		d->lother = (size_t)(close - bar - 1);
		d->end = close + 1;
		return 1;
	}
	if (pos > 0 && *q == '$')
		d->spec = ++q;
	else {
		d->spec = q = p;
		pos = 0;
	}
	d->pos = pos;
	while (*q != '\0' && strchr("-+ #0", *q) != NULL)
		q++;
	while ((*q >= '0' && *q <= '9') || *q == '.')
		q++;
	if (*q == '*')
		return -1;
	for (;; q++) {
		if (*q == 'l')
			ll++;
		else if (*q == 'h')
			h++;
		else if (*q == 'z')
			z++;
		else
			break;
	}
	if (*q == 'L' || *q == 'j' || *q == 't')
		return -1;
	c = (unsigned char)*q;
	if (c == '\0' || strchr("diouxXcsfFeEgGp", c) == NULL) {
		d->end = p;
		return 0;
	}
	d->end = q + 1;
	if (ll > 2 || h > 2 || z > 1 || (z && (ll || h)))
		return -1;
	if (c == 'd' || c == 'i' || c == 'c')
		d->kind = z ? A_SIZE : ll == 2 ? A_LLONG : ll ? A_LONG : A_INT;
	else if (strchr("ouxX", c) != NULL)
		d->kind = z ? A_SIZE : ll == 2 ? A_ULLONG : ll ? A_ULONG :
		    A_UINT;
	else if (c == 's')
		d->kind = A_STR;
	else if (c == 'p')
		d->kind = A_PTR;
	else
		d->kind = A_DOUBLE;
	if (c == 'c' && d->kind != A_INT)
		return -1;
	return 1;
}

union arg {
	long long i;
	unsigned long long u;
	double f;
	const char *s;
	const void *p;
};

/* Appends n bytes to buf as snprintf would, counting what does not fit. */
static void
put(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len < cap) {
		size_t k = cap - *len - 1 < n ? cap - *len - 1 : n;
		memcpy(buf + *len, s, k);
		buf[*len + k] = '\0';
	}
	*len += n;
}

/* One conversion, its "N$" left out, of argument a. */
static void
convert(char *buf, size_t cap, size_t *len, const struct dir *d,
    const union arg *a)
{
	char sp[32], *o = buf + *len;
	size_t n = (size_t)(d->end - d->spec), room = *len < cap ?
	    cap - *len : 0;
	int k = 0;

	if (n + 2 > sizeof(sp))
		return;
	sp[0] = '%';
	memcpy(sp + 1, d->spec, n);
	sp[n + 1] = '\0';
	if (room == 0)
		o = NULL;
	switch (d->kind) {
	case A_INT:
		k = snprintf(o, room, sp, (int)a->i);
		break;
	case A_LONG:
		k = snprintf(o, room, sp, (long)a->i);
		break;
	case A_LLONG:
		k = snprintf(o, room, sp, a->i);
		break;
	case A_UINT:
		k = snprintf(o, room, sp, (unsigned)a->u);
		break;
	case A_ULONG:
		k = snprintf(o, room, sp, (unsigned long)a->u);
		break;
	case A_ULLONG:
		k = snprintf(o, room, sp, a->u);
		break;
	case A_SIZE:
		k = snprintf(o, room, sp, (size_t)a->u);
		break;
	case A_DOUBLE:
		k = snprintf(o, room, sp, a->f);
		break;
	case A_STR:
		k = snprintf(o, room, sp, a->s);
		break;
	case A_PTR:
		k = snprintf(o, room, sp, a->p);
		break;
	}
	if (k > 0)
		*len += (size_t)k;
}

static int
is_one(int kind, const union arg *a)
{
	switch (kind) {
	case A_INT: case A_LONG: case A_LLONG:
		return a->i == 1;
	case A_UINT: case A_ULONG: case A_ULLONG: case A_SIZE:
		return a->u == 1;
	case A_STR:
		return a->s != NULL && strcmp(a->s, "1") == 0;
	}
	return 0;
}

/*
 * A format without a choice goes to vsnprintf as it is, so the texts
 * without one (all the Chinese ones) are exactly printf's. With a choice,
 * the arguments are read by the types of their conversions first (a
 * choice may name any of them, numbered formats in any order), then each
 * conversion is printed alone.
 */
int
omsec_msg_vfmt(char *buf, size_t cap, const char *fmt, va_list ap)
{
	int kind[MAXARGS + 1] = { 0 }, next = 1, nargs = 0, choice = 0, r, i;
	union arg arg[MAXARGS + 1];
	const char *p;
	struct dir d;
	size_t len = 0;

	if (cap > 0)
		buf[0] = '\0';
	for (p = fmt; (p = strchr(p, '%')) != NULL; p = d.end) {
		if ((r = directive(p + 1, &d)) < 0)
			return -1;
		if (r == 0)
			continue;
		if (d.kind == A_NONE) {
			if (d.pos > choice)
				choice = d.pos;
			continue;
		}
		if (d.pos == 0)
			d.pos = next++;
		if (d.pos > MAXARGS || (kind[d.pos] != A_NONE &&
		    kind[d.pos] != d.kind))
			return -1;
		kind[d.pos] = d.kind;
		if (d.pos > nargs)
			nargs = d.pos;
	}
	if (choice == 0)
		return vsnprintf(buf, cap, fmt, ap);
	if (choice > nargs)
		return -1;
	for (i = 1; i <= nargs; i++)
		switch (kind[i]) {
		case A_INT:
			arg[i].i = va_arg(ap, int);
			break;
		case A_LONG:
			arg[i].i = va_arg(ap, long);
			break;
		case A_LLONG:
			arg[i].i = va_arg(ap, long long);
			break;
		case A_UINT:
			arg[i].u = va_arg(ap, unsigned);
			break;
		case A_ULONG:
			arg[i].u = va_arg(ap, unsigned long);
			break;
		case A_ULLONG:
			arg[i].u = va_arg(ap, unsigned long long);
			break;
		case A_SIZE:
			arg[i].u = va_arg(ap, size_t);
			break;
		case A_DOUBLE:
			arg[i].f = va_arg(ap, double);
			break;
		case A_STR:
			arg[i].s = va_arg(ap, const char *);
			break;
		case A_PTR:
			arg[i].p = va_arg(ap, const void *);
			break;
		default:
			/* An argument no conversion reads has no type. */
			return -1;
		}
	next = 1;
	for (p = fmt; *p != '\0'; p = d.end) {
		const char *pc = strchr(p, '%');

		if (pc == NULL) {
			put(buf, cap, &len, p, strlen(p));
			break;
		}
		put(buf, cap, &len, p, (size_t)(pc - p));
		r = directive(pc + 1, &d);
		if (r == 0) {
			/* "%%" is one '%'; a '%' before text is itself. */
			put(buf, cap, &len, "%", 1);
			continue;
		}
		if (d.kind == A_NONE) {
			if (is_one(kind[d.pos], &arg[d.pos]))
				put(buf, cap, &len, d.one, d.lone);
			else
				put(buf, cap, &len, d.other, d.lother);
			continue;
		}
		if (d.pos == 0)
			d.pos = next++;
		convert(buf, cap, &len, &d, &arg[d.pos]);
	}
	return len > (size_t)0x7fffffff ? -1 : (int)len;
}

int
omsec_msg_fmt(char *buf, size_t cap, int id, int en, ...)
{
	va_list ap;
	int r;

	va_start(ap, en);
	r = omsec_msg_vfmt(buf, cap, omsec_msg(id, en), ap);
	va_end(ap);
	return r;
}

struct keyed {
	const char *key, *zh, *en;
};

static const char *
lookup(const struct keyed *t, size_t n, const char *key, int en)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(key, t[i].key) == 0)
			return en ? t[i].en : t[i].zh;
	return key;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct keyed rules[] = {
	{ "ssh_bruteforce", "SSH 暴力破解", "SSH brute force" },
	{ "ssh_success_after_failures", "多次失败后登录成功",
	    "Login success after failures" },
	{ "ssh_password_spray", "口令喷洒", "Password spraying" },
	{ "ssh_distributed_bruteforce", "分布式暴力破解",
	    "Distributed brute force" },
	{ "ssh_privileged_offhours", "特权账号非工作时间登录",
	    "Privileged login out of hours" },
	{ "ssh_new_country", "新国家/地区登录", "Login from a new country" },
	{ "sudo_not_in_sudoers", "无权限 sudo 尝试",
	    "sudo attempt without permission" },
	{ "sudo_auth_failures", "sudo 认证失败", "sudo authentication failures" },
	{ "sudo_first_use", "首次使用 sudo", "First use of sudo" },
	{ "iam_user_created", "新建账号", "Account created" },
	{ "iam_group_change", "用户组变更", "Group membership change" },
	{ "web_sqli", "SQL 注入", "SQL injection" },
	{ "web_xss", "跨站脚本 (XSS)", "Cross-site scripting (XSS)" },
	{ "web_traversal", "目录遍历", "Path traversal" },
	{ "web_sensitive_probe", "敏感文件探测", "Sensitive file probe" },
	{ "web_scanner", "漏洞扫描器", "Vulnerability scanner" },
	{ "web_error_burst", "Web 错误突增", "Web error burst" },
	{ "log_source_silent", "日志源中断", "Log source silent" },
	{ "net_port_scan", "端口扫描", "Port scan" },
	{ "net_host_scan", "主机扫描", "Host scan" },
	{ "net_bad_range", "恶意地址段通信", "Traffic with a listed bad range" },
	{ "db_auth_failures", "数据库登录失败", "Database login failures" },
	{ "db_dangerous_statement", "数据库高危操作",
	    "Dangerous database statement" },
	{ "db_mass_export", "数据库批量导出", "Database mass export" },
	{ "ids_signature_burst", "IDS 告警突增", "IDS alert burst" },
	{ "ids_high_priority", "IDS 高优先级告警", "High-priority IDS alert" },
	/* Planned in issue 5, named here so reports need no change. */
	{ "volume_anomaly", "日志量异常", "Log volume anomaly" },
	/* The names planned before issue 5 chose the ones above: alerts
	   files written with them (tests/data/reports/q4) still read. */
	{ "port_scan", "端口扫描", "Port scan" },
	{ "host_scan", "主机扫描", "Host scan" },
	{ "db_login_failures", "数据库登录失败", "Database login failures" },
	{ "db_dangerous", "数据库高危操作", "Dangerous database operation" },
	{ "ids_burst", "IDS 告警突增", "IDS alert burst" },
};

/* The kinds of what an alert is about (docs/alerts.md, entity_type). */
static const struct keyed etypes[] = {
	{ "src_ip", "源地址", "source address" },
	{ "user", "账号", "account" },
	{ "host", "主机", "host" },
	{ "source", "日志源", "log source" },
};

static const struct keyed cats[] = {
	{ "authentication", "身份认证", "Authentication" },
	{ "network", "网络访问", "Network" },
	{ "intrusion_detection", "入侵检测", "Intrusion detection" },
	{ "web", "Web 访问", "Web" },
	{ "database", "数据库", "Database" },
	{ "iam", "账号与权限", "Accounts and permissions" },
	{ "process", "进程", "Process" },
	{ "host", "主机", "Host" },
	{ "other", "其他", "Other" },
};

static const struct keyed countries[] = {
	{ "CN", "中国", "China" }, { "HK", "中国香港", "Hong Kong, China" },
	{ "TW", "中国台湾", "Taiwan, China" }, { "MO", "中国澳门", "Macao, China" },
	{ "US", "美国", "United States" }, { "RU", "俄罗斯", "Russia" },
	{ "JP", "日本", "Japan" }, { "KR", "韩国", "South Korea" },
	{ "DE", "德国", "Germany" }, { "FR", "法国", "France" },
	{ "GB", "英国", "United Kingdom" }, { "NL", "荷兰", "Netherlands" },
	{ "SG", "新加坡", "Singapore" }, { "IN", "印度", "India" },
	{ "BR", "巴西", "Brazil" }, { "VN", "越南", "Vietnam" },
	{ "UA", "乌克兰", "Ukraine" }, { "CA", "加拿大", "Canada" },
	{ "AU", "澳大利亚", "Australia" }, { "ID", "印度尼西亚", "Indonesia" },
	{ "IR", "伊朗", "Iran" }, { "TR", "土耳其", "Turkey" },
	{ "TH", "泰国", "Thailand" }, { "PL", "波兰", "Poland" },
	{ "IT", "意大利", "Italy" }, { "ES", "西班牙", "Spain" },
	{ "SE", "瑞典", "Sweden" }, { "BG", "保加利亚", "Bulgaria" },
	{ "RO", "罗马尼亚", "Romania" }, { "ZA", "南非", "South Africa" },
	{ "MX", "墨西哥", "Mexico" }, { "AR", "阿根廷", "Argentina" },
	{ "CL", "智利", "Chile" }, { "CO", "哥伦比亚", "Colombia" },
	{ "PE", "秘鲁", "Peru" }, { "VE", "委内瑞拉", "Venezuela" },
	{ "EG", "埃及", "Egypt" }, { "NG", "尼日利亚", "Nigeria" },
	{ "KE", "肯尼亚", "Kenya" }, { "MA", "摩洛哥", "Morocco" },
	{ "DZ", "阿尔及利亚", "Algeria" }, { "TN", "突尼斯", "Tunisia" },
	{ "SA", "沙特阿拉伯", "Saudi Arabia" },
	{ "AE", "阿联酋", "United Arab Emirates" }, { "IL", "以色列", "Israel" },
	{ "IQ", "伊拉克", "Iraq" }, { "PK", "巴基斯坦", "Pakistan" },
	{ "BD", "孟加拉国", "Bangladesh" }, { "LK", "斯里兰卡", "Sri Lanka" },
	{ "NP", "尼泊尔", "Nepal" }, { "MY", "马来西亚", "Malaysia" },
	{ "PH", "菲律宾", "Philippines" }, { "KH", "柬埔寨", "Cambodia" },
	{ "MM", "缅甸", "Myanmar" }, { "LA", "老挝", "Laos" },
	{ "MN", "蒙古", "Mongolia" }, { "KZ", "哈萨克斯坦", "Kazakhstan" },
	{ "UZ", "乌兹别克斯坦", "Uzbekistan" }, { "KP", "朝鲜", "North Korea" },
	{ "NZ", "新西兰", "New Zealand" }, { "IE", "爱尔兰", "Ireland" },
	{ "BE", "比利时", "Belgium" }, { "CH", "瑞士", "Switzerland" },
	{ "AT", "奥地利", "Austria" }, { "DK", "丹麦", "Denmark" },
	{ "NO", "挪威", "Norway" }, { "FI", "芬兰", "Finland" },
	{ "PT", "葡萄牙", "Portugal" }, { "GR", "希腊", "Greece" },
	{ "CZ", "捷克", "Czechia" }, { "SK", "斯洛伐克", "Slovakia" },
	{ "HU", "匈牙利", "Hungary" }, { "RS", "塞尔维亚", "Serbia" },
	{ "HR", "克罗地亚", "Croatia" }, { "SI", "斯洛文尼亚", "Slovenia" },
	{ "LT", "立陶宛", "Lithuania" }, { "LV", "拉脱维亚", "Latvia" },
	{ "EE", "爱沙尼亚", "Estonia" }, { "BY", "白俄罗斯", "Belarus" },
	{ "MD", "摩尔多瓦", "Moldova" }, { "GE", "格鲁吉亚", "Georgia" },
	{ "AM", "亚美尼亚", "Armenia" }, { "AZ", "阿塞拜疆", "Azerbaijan" },
	{ "LU", "卢森堡", "Luxembourg" }, { "IS", "冰岛", "Iceland" },
	{ "CY", "塞浦路斯", "Cyprus" }, { "MT", "马耳他", "Malta" },
	{ "SC", "塞舌尔", "Seychelles" }, { "PA", "巴拿马", "Panama" },
	{ "EC", "厄瓜多尔", "Ecuador" }, { "QA", "卡塔尔", "Qatar" },
	{ "KW", "科威特", "Kuwait" }, { "JO", "约旦", "Jordan" },
	{ "LB", "黎巴嫩", "Lebanon" }, { "SY", "叙利亚", "Syria" },
	{ "AF", "阿富汗", "Afghanistan" }, { "EU", "欧盟", "European Union" },
	{ "AP", "亚太地区", "Asia-Pacific" },
};

const char *
omsec_msg_rule(const char *rule, int en)
{
	return lookup(rules, NELEM(rules), rule, en);
}

size_t
omsec_msg_nrules(void)
{
	return NELEM(rules);
}

const char *
omsec_msg_rule_id(size_t i)
{
	return i < NELEM(rules) ? rules[i].key : NULL;
}

const char *
omsec_msg_entity_type(const char *type, int en)
{
	return lookup(etypes, NELEM(etypes), type, en);
}

const char *
omsec_msg_category(const char *cat, int en)
{
	return lookup(cats, NELEM(cats), cat, en);
}

const char *
omsec_msg_country(const char *cc, int en)
{
	if (cc[0] == '\0' || strcmp(cc, "-") == 0)
		return omsec_msg(M_UNKNOWN, en);
	return lookup(countries, NELEM(countries), cc, en);
}

/*
 * The one place a date's form depends on the language: Chinese dates are
 * numeric (年月日), English ones spell the month, day first.
 */
const char *
omsec_msg_date(char *buf, size_t cap, int en, int year, int month, int day,
    int pad)
{
	if (month < 1 || month > 12)
		snprintf(buf, cap, "%04d-%02d-%02d", year, month, day);
	else if (en)
		snprintf(buf, cap, "%d %s %d", day,
		    omsec_msg(M_MONTH_1 + month - 1, 1), year);
	else if (pad)
		snprintf(buf, cap, "%04d年%02d月%02d日", year, month, day);
	else
		snprintf(buf, cap, "%d年%d月%d日", year, month, day);
	return buf;
}
