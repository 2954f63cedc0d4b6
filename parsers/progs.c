/*
 * progs.c - program parsers for PAM, sudo, cron and the shadow-utils account
 * tools, on the syslog message after "prog[pid]: ".
 *
 *   pam:      pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=218.188.2.4  user=root
 *             (also the bare text after a "sshd(pam_unix)[19939]:" tag)
 *   sudo:     vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls
 *   cron:     (root) CMD (cd / && run-parts --report /etc/cron.hourly)
 *   accounts: new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin
 *   su:       FAILED SU (to root) alice on pts/0
 *   logind:   New session 12 of user alice.
 *
 * Sources: Linux-PAM pam_unix (pam_unix_auth.c, pam_unix_sess.c), sudo's
 * logging.c, Debian cron's do_command.c, shadow-utils useradd.c/groupadd.c.
 * The table of programs is at the end. Cost: prefix compares and a scan of
 * the key=value part; no allocation.
 */
#include <string.h>

#include "pint.h"

#define S OMSEC_SPAN_LIT

/* Value of " key=" (or key= at the start) up to a space or ';'. */
static int
kv(struct omsec_span s, const char *key, struct omsec_span *val)
{
	size_t kn = strlen(key);
	const char *p = s.p, *end = s.p + s.n;

	for (;;) {
		long at = omsec_span_find(omsec_span_make(p, (size_t)(end - p)), key);
		if (at < 0)
			return 0;
		const char *k = p + at;
		if (k == s.p || k[-1] == ' ' || k[-1] == ';') {
			const char *v = k + kn, *e = v;
			while (e < end && *e != ' ' && *e != ';' && *e != ',')
				e++;
			*val = omsec_span_make(v, (size_t)(e - v));
			return 1;
		}
		p = k + 1;
	}
}

void
omsec_pam_kv(struct omsec_event *ev, struct omsec_span s)
{
	struct omsec_span v;

	if (kv(s, "rhost=", &v) && omsec_span_isip(v))
		ev->f[OMSEC_F_SRC_IP] = v;
	if (kv(s, "user=", &v) && v.n > 0)
		ev->f[OMSEC_F_USER] = v;
}

/* "root(uid=0)" -> "root" */
static struct omsec_span
cut_paren(struct omsec_span u)
{
	const char *q = memchr(u.p, '(', u.n);
	if (q != NULL)
		u.n = (size_t)(q - u.p);
	return u;
}

int
omsec_pam_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	struct omsec_span mod = cx->module, svc = OMSEC_SPAN_NULL;
	int cron;

	if (mod.n == 0)
		return OMSEC_P_NOMATCH;
	/* "pam_unix(cron:session): " and friends (pam_sss, pam_ldap...). */
	if (omsec_cur_lit(&c, "pam_")) {
		const char *o = memchr(c.p, '(', (size_t)(c.end - c.p));
		const char *e = o ? memchr(o, ')', (size_t)(c.end - o)) : NULL;
		if (e == NULL || e + 2 >= c.end || e[1] != ':' || e[2] != ' ')
			return OMSEC_P_NOMATCH;
		svc = omsec_span_make(o + 1, (size_t)(e - o - 1));
		c.p = e + 3;
	}
	cron = omsec_span_eq(mod, "cron") || omsec_span_has_prefix(svc, "cron:");
	if (omsec_cur_lit(&c, "authentication failure;")) {
		omsec_pam_kv(ev, omsec_cur_rest(&c));
		set_class(ev, mod, S("authentication"), S("pam_auth_failure"),
		    S("failure"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "session opened for user ")) {
		ev->f[OMSEC_F_USER] = cut_paren(omsec_cur_word(&c));
		set_class(ev, mod, cron ? S("process") : S("authentication"),
		    S("session_open"), S("success"), OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "session closed for user ")) {
		ev->f[OMSEC_F_USER] = cut_paren(omsec_cur_word(&c));
		set_class(ev, mod, cron ? S("process") : S("authentication"),
		    S("session_close"), S("success"), OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "check pass; user unknown")) {
		set_class(ev, mod, S("authentication"), S("user_unknown"),
		    S("failure"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "password changed for ")) {
		ev->f[OMSEC_F_USER] = omsec_cur_word(&c);
		set_class(ev, mod, S("iam"), S("password_changed"), S("success"),
		    OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	return OMSEC_P_NOMATCH;
}

int
omsec_sudo_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	struct omsec_span rest;
	long at;

	omsec_cur_spaces(&c);
	rest = omsec_cur_rest(&c);
	at = omsec_span_find(rest, " : ");
	if (at <= 0 || memchr(rest.p, ' ', (size_t)at) != NULL)
		return omsec_pam_parse(cx, ev, msg);
	ev->f[OMSEC_F_USER] = omsec_span_make(rest.p, (size_t)at);
	c.p = rest.p + at + 3;
	if (omsec_cur_lit(&c, "TTY=") || omsec_cur_lit(&c, "PWD=")) {
		set_class(ev, cx->module, S("process"), S("sudo"), S("success"),
		    OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "user NOT in sudoers") ||
	    omsec_cur_lit(&c, "user NOT authorized on host")) {
		set_class(ev, cx->module, S("process"), S("sudo"), S("failure"),
		    OMSEC_SEV_HIGH);
		return OMSEC_P_MATCH;
	}
	rest = omsec_cur_word(&c);
	if ((omsec_span_isnum(rest, 4) &&
	    omsec_cur_lit(&c, " incorrect password attempt")) ||
	    omsec_cur_lit(&c, "command not allowed") ||
	    omsec_span_eq(rest, "command")) {
		set_class(ev, cx->module, S("process"), S("sudo"), S("failure"),
		    OMSEC_SEV_MEDIUM);
		return OMSEC_P_MATCH;
	}
	return OMSEC_P_NOMATCH;
}

int
omsec_cron_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	const char *u;

	if (!omsec_cur_lit(&c, "("))
		return omsec_pam_parse(cx, ev, msg);
	u = c.p;
	while (c.p < c.end && *c.p != ')')
		c.p++;
	if (c.p == c.end)
		return OMSEC_P_NOMATCH;
	ev->f[OMSEC_F_USER] = omsec_span_make(u, (size_t)(c.p - u));
	c.p++;
	if (!omsec_cur_lit(&c, " CMD "))
		return OMSEC_P_NOMATCH;
	set_class(ev, cx->module, S("process"), S("exec"), S("success"),
	    OMSEC_SEV_INFO);
	return OMSEC_P_MATCH;
}

/* shadow-utils quotes names as 'x' in some messages. */
static struct omsec_span
unquote(struct omsec_span s)
{
	if (s.n >= 2 && s.p[0] == '\'' && s.p[s.n - 1] == '\'') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

int
omsec_accounts_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	struct omsec_span v;

	if (omsec_cur_lit(&c, "new user: ")) {
		if (!kv(omsec_cur_rest(&c), "name=", &v) || v.n == 0)
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_USER] = v;
		set_class(ev, cx->module, S("iam"), S("user_created"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "new group: ")) {
		if (!kv(omsec_cur_rest(&c), "name=", &v) || v.n == 0)
			return OMSEC_P_NOMATCH;
		set_class(ev, cx->module, S("iam"), S("group_created"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "delete user ")) {
		ev->f[OMSEC_F_USER] = unquote(omsec_cur_word(&c));
		set_class(ev, cx->module, S("iam"), S("user_deleted"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "add ")) {
		struct omsec_span u = unquote(omsec_cur_word(&c));
		if (!omsec_cur_lit(&c, " to group ") &&
		    !omsec_cur_lit(&c, " to shadow group "))
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_USER] = u;
		set_class(ev, cx->module, S("iam"), S("group_member_added"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	/* gpasswd: "user bob added by root to group sudo" / "removed by". */
	if (omsec_cur_lit(&c, "user ")) {
		struct omsec_span u = unquote(omsec_cur_word(&c));
		if (omsec_cur_lit(&c, " added by ")) {
			ev->f[OMSEC_F_USER] = u;
			set_class(ev, cx->module, S("iam"),
			    S("group_member_added"),
			    S("success"), OMSEC_SEV_LOW);
			return OMSEC_P_MATCH;
		}
		if (omsec_cur_lit(&c, " removed by ")) {
			ev->f[OMSEC_F_USER] = u;
			set_class(ev, cx->module, S("iam"),
			    S("group_member_removed"),
			    S("success"), OMSEC_SEV_LOW);
			return OMSEC_P_MATCH;
		}
		return omsec_pam_parse(cx, ev, msg);
	}
	/* usermod: "change user 'bob' password", "lock user 'bob' password". */
	if (omsec_cur_lit(&c, "change user ") || omsec_cur_lit(&c, "lock user ") ||
	    omsec_cur_lit(&c, "unlock user ")) {
		int lock = msg.p[0] == 'l', unlock = msg.p[0] == 'u';
		ev->f[OMSEC_F_USER] = unquote(omsec_cur_word(&c));
		set_class(ev, cx->module, S("iam"), lock ? S("user_locked") :
		    unlock ? S("user_unlocked") : S("user_changed"), S("success"),
		    OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	/* passwd, chpasswd (shadow): "password for 'bob' changed by 'root'". */
	if (omsec_cur_lit(&c, "password for ")) {
		struct omsec_span u = unquote(omsec_cur_word(&c));
		if (!omsec_cur_lit(&c, " changed by "))
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_USER] = u;
		set_class(ev, cx->module, S("iam"), S("password_changed"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	/* groupdel, userdel: "group 'dev' removed", "removed group 'bob' ...". */
	if (omsec_cur_lit(&c, "group ")) {
		(void)omsec_cur_word(&c);
		if (omsec_cur_lit(&c, " removed")) {
			set_class(ev, cx->module, S("iam"), S("group_deleted"),
			    S("success"), OMSEC_SEV_LOW);
			return OMSEC_P_MATCH;
		}
		return omsec_pam_parse(cx, ev, msg);
	}
	if (omsec_cur_lit(&c, "remove group ") ||
	    omsec_cur_lit(&c, "removed group ")) {
		set_class(ev, cx->module, S("iam"), S("group_deleted"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "group changed in ")) {
		set_class(ev, cx->module, S("iam"), S("group_changed"),
		    S("success"), OMSEC_SEV_LOW);
		return OMSEC_P_MATCH;
	}
	return omsec_pam_parse(cx, ev, msg);
}

/*
 * su (util-linux and shadow-utils):
 *   (to root) alice on pts/0            FAILED SU (to root) alice on pts/0
 *   Successful su for root by alice     FAILED su for root by alice
 *   + pts/0 alice:root                  - pts/0 alice:root
 * user is who ran su; the target account is in msg. Category process,
 * action su, like sudo.
 */
int
omsec_su_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	int ok = 1;

	if (omsec_cur_lit(&c, "FAILED SU ") || omsec_cur_lit(&c, "FAILED su "))
		ok = 0;
	if (omsec_cur_lit(&c, "(to ")) {
		(void)omsec_cur_word(&c);
		if (!omsec_cur_lit(&c, " "))
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_USER] = omsec_cur_word(&c);
	} else if (omsec_cur_lit(&c, "Successful su for ") ||
	    (!ok && omsec_cur_lit(&c, "for "))) {
		(void)omsec_cur_word(&c);
		if (!omsec_cur_lit(&c, " by "))
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_USER] = omsec_cur_word(&c);
	} else if (ok && (omsec_cur_lit(&c, "+ ") || omsec_cur_lit(&c, "- "))) {
		struct omsec_span w;
		ok = msg.p[0] == '+';
		(void)omsec_cur_word(&c);
		omsec_cur_spaces(&c);
		w = omsec_cur_word(&c);
		const char *colon = memchr(w.p, ':', w.n);
		if (colon == NULL)
			return OMSEC_P_NOMATCH;
		ev->f[OMSEC_F_USER] = omsec_span_make(w.p, (size_t)(colon - w.p));
	} else {
		return omsec_pam_parse(cx, ev, msg);
	}
	if (ev->f[OMSEC_F_USER].n == 0)
		return OMSEC_P_NOMATCH;
	set_class(ev, cx->module, S("process"), S("su"), ok ? S("success") :
	    S("failure"), ok ? OMSEC_SEV_INFO : OMSEC_SEV_MEDIUM);
	return OMSEC_P_MATCH;
}

/*
 * systemd-logind:
 *   New session 12 of user alice.        -> session_start, user alice
 *   Removed session 12.                  -> session_end
 *   Session 12 logged out. Waiting for processes to exit.  -> session_end
 * Other logind lines (seats, buttons) are generic syslog events.
 */
int
omsec_logind_parse(struct omsec_pctx *cx, struct omsec_event *ev,
    struct omsec_span msg)
{
	struct omsec_cur c = omsec_cur_of(msg);
	struct omsec_span u;

	if (omsec_cur_lit(&c, "New session ")) {
		(void)omsec_cur_word(&c);
		if (!omsec_cur_lit(&c, " of user "))
			return OMSEC_P_NOMATCH;
		u = omsec_cur_word(&c);
		if (u.n > 0 && u.p[u.n - 1] == '.')
			u.n--;
		ev->f[OMSEC_F_USER] = u;
		set_class(ev, cx->module, S("authentication"),
		    S("session_start"), S("success"), OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	}
	if (omsec_cur_lit(&c, "Removed session ") ||
	    (omsec_cur_lit(&c, "Session ") &&
	    omsec_span_find(omsec_cur_rest(&c), " logged out.") >= 0)) {
		set_class(ev, cx->module, S("authentication"), S("session_end"),
		    S("success"), OMSEC_SEV_INFO);
		return OMSEC_P_MATCH;
	}
	return OMSEC_P_NOMATCH;
}

/* Program table: the syslog tag (before '[' or '('), its module, parser. */
const struct omsec_prog_row omsec_progs[] = {
	{ S("sshd"), S("sshd"), omsec_sshd_parse },
	{ S("sudo"), S("sudo"), omsec_sudo_parse },
	{ S("cron"), S("cron"), omsec_cron_parse },
	{ S("crond"), S("cron"), omsec_cron_parse },
	{ S("useradd"), S("useradd"), omsec_accounts_parse },
	{ S("groupadd"), S("groupadd"), omsec_accounts_parse },
	{ S("userdel"), S("userdel"), omsec_accounts_parse },
	{ S("usermod"), S("usermod"), omsec_accounts_parse },
	{ S("gpasswd"), S("gpasswd"), omsec_accounts_parse },
	{ S("groupdel"), S("groupdel"), omsec_accounts_parse },
	{ S("groupmod"), S("groupmod"), omsec_accounts_parse },
	{ S("passwd"), S("passwd"), omsec_accounts_parse },
	{ S("chpasswd"), S("chpasswd"), omsec_accounts_parse },
	{ S("su"), S("su"), omsec_su_parse },
	{ S("systemd-logind"), S("systemd-logind"), omsec_logind_parse },
};
const int omsec_nprogs = sizeof(omsec_progs) / sizeof(omsec_progs[0]);
