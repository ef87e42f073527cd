/*
 * ast_dump.c: the tree as text, one node per line, indented, each with
 * its LINE:COL.  tests/parse compares this output byte for byte, so it is
 * stable (no addresses, fixed field order) and complete: every field the
 * evaluator reads is shown, string text is escaped so any byte shows.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"

static void	dump_stmts(FILE *, const struct stmt *, int);
static void	dump_expr(FILE *, const struct expr *, int);

static void
indent(FILE *fp, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", fp);
}

static void
quote(FILE *fp, const char *s, size_t n)
{
	size_t i;
	int c;

	putc('"', fp);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			putc(c, fp);
	}
	putc('"', fp);
}

static void
at(FILE *fp, int depth, struct pos pos)
{
	indent(fp, depth);
	fprintf(fp, "%u:%u ", pos.line, pos.col);
}

static void
dump_pattern(FILE *fp, const struct pattern *pat)
{
	static const struct {
		unsigned	 bit;
		char		 letter;
	} letters[] = {
		{ PAT_H, 'h' }, { PAT_TOPH, 'H' }, { PAT_B, 'b' },
		{ PAT_D, 'D' }, { PAT_W, 'w' },
	};
	size_t i;

	fputs("pattern /", fp);
	fwrite(pat->re, 1, pat->relen, fp);
	fputs("/ opts=", fp);
	quote(fp, pat->opts, strlen(pat->opts));
	fputs(" flags=", fp);
	if (pat->flags == 0)
		putc('-', fp);
	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (pat->flags & letters[i].bit)
			putc(letters[i].letter, fp);
	if (pat->weighted)
		fprintf(fp, " weight=%g factor=%g", pat->weight, pat->factor);
	if (pat->has_dollar)
		fputs(" dollar", fp);
	putc('\n', fp);
}

static const char *
op_name(enum expr_kind k)
{
	switch (k) {
	case E_OR:	return "||";
	case E_AND:	return "&&";
	case E_LT:	return "<";
	case E_LE:	return "<=";
	case E_GT:	return ">";
	case E_GE:	return ">=";
	case E_EQ:	return "==";
	case E_NE:	return "!=";
	case E_SLT:	return "lt";
	case E_SLE:	return "le";
	case E_SGT:	return "gt";
	case E_SGE:	return "ge";
	case E_SEQ:	return "eq";
	case E_SNE:	return "ne";
	case E_BITOR:	return "|";
	case E_BITAND:	return "&";
	case E_ADD:	return "+";
	case E_SUB:	return "-";
	case E_MUL:	return "*";
	case E_DIV:	return "/";
	case E_NOT:	return "!";
	case E_BITNOT:	return "~";
	default:	return "?";
	}
}

static const char *
part_name(enum part_kind k)
{
	switch (k) {
	case P_WORD:	return "word";
	case P_DQ:	return "dq";
	case P_SQ:	return "sq";
	case P_BT:	return "bt";
	}
	return "?";
}

static void
dump_expr(FILE *fp, const struct expr *e, int depth)
{
	size_t i;

	if (e == NULL) {
		indent(fp, depth);
		fputs("(none)\n", fp);
		return;
	}
	at(fp, depth, e->pos);
	switch (e->kind) {
	case E_STRING:
		fputs("string\n", fp);
		for (i = 0; i < e->nparts; i++) {
			at(fp, depth + 1, e->parts[i].pos);
			fprintf(fp, "%s ", part_name(e->parts[i].kind));
			quote(fp, e->parts[i].text, e->parts[i].len);
			putc('\n', fp);
		}
		break;
	case E_PATTERN:
		dump_pattern(fp, e->pat);
		break;
	case E_MATCH:
		fputs("match =~\n", fp);
		dump_expr(fp, e->lhs, depth + 1);
		indent(fp, depth + 1);
		dump_pattern(fp, e->pat);
		break;
	case E_ASSIGN:
		fputs("assign ", fp);
		quote(fp, e->name, e->namelen);
		putc('\n', fp);
		dump_expr(fp, e->rhs, depth + 1);
		break;
	case E_CALL:
		fprintf(fp, "call %s\n", e->name);
		for (i = 0; i < e->nargs; i++)
			dump_expr(fp, e->args[i], depth + 1);
		break;
	case E_NOT:
	case E_BITNOT:
		fprintf(fp, "op %s\n", op_name(e->kind));
		dump_expr(fp, e->lhs, depth + 1);
		break;
	case E_OR: case E_AND:
	case E_LT: case E_LE: case E_GT: case E_GE: case E_EQ: case E_NE:
	case E_SLT: case E_SLE: case E_SGT: case E_SGE: case E_SEQ: case E_SNE:
	case E_BITOR: case E_BITAND:
	case E_ADD: case E_SUB: case E_MUL: case E_DIV:
		fprintf(fp, "op %s\n", op_name(e->kind));
		dump_expr(fp, e->lhs, depth + 1);
		dump_expr(fp, e->rhs, depth + 1);
		break;
	}
}

static const char *
stmt_name(enum stmt_kind k)
{
	switch (k) {
	case S_EXPR:	return "expr";
	case S_IF:	return "if";
	case S_WHILE:	return "while";
	case S_FOREACH:	return "foreach";
	case S_BLOCK:	return "block";
	case S_TO:	return "to";
	case S_CC:	return "cc";
	case S_EXCEPTION: return "exception";
	case S_ECHO:	return "echo";
	case S_LOG:	return "log";
	case S_LOGFILE:	return "logfile";
	case S_XFILTER:	return "xfilter";
	case S_SYSTEM:	return "system";
	case S_INCLUDE:	return "include";
	case S_IMPORT:	return "import";
	case S_UNSET:	return "unset";
	case S_DOTLOCK:	return "dotlock";
	case S_FLOCK:	return "flock";
	case S_EXIT:	return "exit";
	}
	return "?";
}

/* A labelled body: "then", "else", "do"; "(empty)" per §3.3. */
static void
dump_body(FILE *fp, const char *label, const struct stmt *body, int depth)
{
	indent(fp, depth);
	fprintf(fp, "%s%s\n", label, body == NULL ? " (empty)" : "");
	dump_stmts(fp, body, depth + 1);
}

static void
dump_stmt(FILE *fp, const struct stmt *s, int depth)
{
	at(fp, depth, s->pos);
	fprintf(fp, "%s\n", stmt_name(s->kind));
	switch (s->kind) {
	case S_IF:
		dump_expr(fp, s->expr, depth + 1);
		dump_body(fp, "then", s->body, depth + 1);
		if (s->otherwise != NULL)
			dump_body(fp, "else", s->otherwise, depth + 1);
		break;
	case S_WHILE:
	case S_FOREACH:
	case S_DOTLOCK:
	case S_FLOCK:
		dump_expr(fp, s->expr, depth + 1);
		dump_body(fp, "do", s->body, depth + 1);
		break;
	case S_EXCEPTION:
		dump_body(fp, "do", s->body, depth + 1);
		break;
	case S_BLOCK:
		dump_stmts(fp, s->body, depth + 1);
		break;
	case S_EXIT:
		break;
	case S_EXPR: case S_TO: case S_CC: case S_ECHO: case S_LOG:
	case S_LOGFILE: case S_XFILTER: case S_SYSTEM: case S_INCLUDE:
	case S_IMPORT: case S_UNSET:
		dump_expr(fp, s->expr, depth + 1);
		break;
	}
}

static void
dump_stmts(FILE *fp, const struct stmt *s, int depth)
{
	for (; s != NULL; s = s->next)
		dump_stmt(fp, s, depth);
}

void
ast_dump(FILE *fp, const struct program *prog)
{
	fprintf(fp, "program %s\n", prog->file);
	dump_stmts(fp, prog->body, 1);
}
