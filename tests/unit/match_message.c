/*
 * match_message.c: message patterns on a real parsed message, with
 * hand-built pattern nodes: which lines each option letter reaches,
 * weighted scores, MATCH variables, the foreach collection and the
 * built-in table.  Values were checked against maildrop 2.9.3 (weighted
 * scores, MATCH) and the 4.x source (H, A1, A2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../builtins/builtins.h"
#include "../../grammar/arena.h"
#include "../../interp/pattern/match.h"
#include "../../interp/message/message.h"
#include "../../interp/run/vars.h"
#include "unit.h"

static const char text[] =
    "From: Joe <joe@example.com>\n"
    "To: bob@example.org\n"
    "Subject: hello money\n"
    "Mime-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"BB\"\n"
    "\n"
    "--BB\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "body money\n"
    "more money money\n"
    "--BB\n"
    "Content-Type: text/html; charset=UTF-8\n"
    "\n"
    "<p>html money</p>\n"
    "--BB--\n";

static struct expr *
pat(const char *re, unsigned flags, int weighted, double w, double f)
{
	struct pattern *p = calloc(1, sizeof(*p));
	struct expr *e = calloc(1, sizeof(*e));

	p->re = re;
	p->relen = strlen(re);
	p->opts = "";
	p->flags = flags;
	p->weighted = weighted;
	p->weight = w;
	p->factor = f;
	e->kind = E_PATTERN;
	e->pat = p;
	e->pos.file = "t";
	e->pos.line = 1;
	return e;
}

static const char *
search(struct run *r, struct expr *e)
{
	static struct buf out;

	buf_reset(&out);
	if (match_message(r, e, &out) != FLOW_NEXT)
		return "(fail)";
	return buf_cstr(&out);
}

static void
table(void)
{
	static const char *const names[] = {
		"escape", "gdbmclose", "gdbmfetch", "gdbmopen", "gdbmstore",
		"getaddr", "hasaddr", "length", "lookup", "substr", "time",
		"tolower", "toupper"
	};
	const struct builtin *b;
	size_t i, found = 0;

	for (i = 0; i < nitems(names); i++)
		if ((b = builtin_find(names[i])) != NULL &&
		    strcmp(b->syn.name, names[i]) == 0 && b->fn != NULL &&
		    builtin_fns.find(names[i], strlen(names[i])) == &b->syn &&
		    (b->syn.form == FN_UNARY ? b->syn.min_args == 1 &&
		    b->syn.max_args == 1 : b->syn.form == FN_BARE ?
		    b->syn.max_args == 0 : b->syn.min_args >= 1 &&
		    b->syn.min_args <= b->syn.max_args))
			found++;
	unit_check(found == nitems(names), "builtin table finds every function",
	    "%zu of %zu found", found, nitems(names));
	unit_check(builtin_find("nosuch") == NULL && builtin_find("") == NULL &&
	    builtin_find("Length") == NULL &&
	    builtin_fns.find("lengthy", 5) == NULL &&
	    builtin_fns.find("lengthy", 7) == NULL &&
	    builtin_fns.find("lengthy", 6) != NULL,
	    "builtin table rejects other names", "found a name it does not "
	    "have");
	b = builtin_find("substr");
	unit_check(b != NULL && b->syn.min_args == 2 && b->syn.max_args == 3,
	    "substr takes 2 or 3 arguments", "wrong arity");
}

int
main(void)
{
	struct run r;
	struct match_set set = { NULL, 0, 0, 0 };
	char path[] = "/tmp/match_message.XXXXXX";
	int fd;
	size_t i;
	struct buf all = BUF_INIT;

	table();
	memset(&r, 0, sizeof(r));
	r.vars = vars_new();
	arena_init(&r.scratch);
	if ((fd = mkstemp(path)) < 0 ||
	    write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		unit_check(0, "setup", "no temp file");
		return unit_done();
	}
	unlink(path);
	if ((r.msg = msg_read(fd, NULL, 0, NULL)) == NULL) {
		unit_check(0, "setup", "msg_read failed");
		return unit_done();
	}
	close(fd);

	unit_str("default is headers",
	    search(&r, pat("^Subject: hello", 0, 0, 1, 1)), "1");
	unit_str("MATCH is the line part", vars_str(r.vars, "MATCH"),
	    "Subject: hello");
	unit_str("default skips body",
	    search(&r, pat("^body money", 0, 0, 1, 1)), "0");
	unit_str("b finds body",
	    search(&r, pat("^body (money)$", PAT_B, 0, 1, 1)), "1");
	unit_str("MATCH1 from body", vars_str(r.vars, "MATCH1"), "money");
	unit_str("b skips headers",
	    search(&r, pat("^Subject:", PAT_B, 0, 1, 1)), "0");
	unit_str("h reaches part headers",
	    search(&r, pat("^Content-Type: text/html", PAT_H, 0, 1, 1)), "1");
	unit_str("H is the top header only",
	    search(&r, pat("^Content-Type: text/html", PAT_TOPH, 0, 1, 1)),
	    "0");
	unit_str("H sees the top header",
	    search(&r, pat("^Content-Type: multipart", PAT_TOPH, 0, 1, 1)),
	    "1");
	unit_str("w adds body", search(&r, pat("^more money", PAT_W, 0, 1, 1)),
	    "1");
	unit_str("w with h does not",
	    search(&r, pat("^more money", PAT_W | PAT_H, 0, 1, 1)), "0");
	unit_str("D", search(&r, pat("^SUBJECT", PAT_D, 0, 1, 1)), "0");
	unit_str("weighted lines count once",
	    search(&r, pat("money", PAT_B, 1, 1, 1)), "3");
	unit_str("weighted factor", search(&r, pat("money", PAT_B, 1, 2, 0.5)),
	    "3.5");
	unit_str("weighted hb", search(&r, pat("money", PAT_H | PAT_B, 1, 1,
	    1)), "4");
	unit_str("weighted leaves MATCH1", vars_str(r.vars, "MATCH1"), "money");
	unit_str("miss leaves MATCH", search(&r, pat("^(nothing)", 0, 0, 1, 1)),
	    "0");
	unit_str("MATCH kept", vars_str(r.vars, "MATCH"), "more money");

	if (match_collect(&r, pat("(m)oney", PAT_B, 0, 1, 1), NULL,
	    &set) != FLOW_NEXT)
		unit_check(0, "collect", "not FLOW_NEXT");
	for (i = 0; i < set.n; i++) {
		buf_add(&all, set.v[i].caps[0].p, set.v[i].caps[0].len);
		buf_addc(&all, ',');
	}
	unit_str("collect: one per line", buf_cstr(&all), "money,money,money,");
	match_set_free(&set);
	unit_str("invalid pattern is 0", search(&r, pat("a{2,1}", 0, 0, 1, 1)),
	    "0");
	buf_free(&all);
	msg_free(r.msg);
	vars_free(r.vars);
	return unit_done();
}
