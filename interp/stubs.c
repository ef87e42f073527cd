/*
 * stubs.c: weak stand-ins for module entry points that are still being
 * built, so that the tree links while modules land one by one.  A real
 * definition anywhere overrides these; each stand-in reports itself and
 * exits 75 so no message is ever acknowledged by a stand-in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "../builtins/builtins.h"
#include "effects.h"
#include "eval.h"
#include "match.h"
#include "message.h"
#include "options.h"
#include "vars.h"
#include "../grammar/parse.h"

#define WEAK	__attribute__((weak))

static _Noreturn void
missing(const char *what)
{
	fprintf(stderr, "runnel: %s is not built yet\n", what);
	exit(EX_TEMPFAIL);
}

WEAK int runner_main(const struct options *o) { (void)o; missing("runner_main"); }
WEAK int check_main(const struct options *o) { (void)o; missing("check_main"); }
WEAK int dump_ast_main(const struct options *o) { (void)o; missing("dump_ast_main"); }
WEAK struct program *parse_program(struct arena *a, const char *f, const char *t, size_t l, unsigned fl, struct diags *d) { missing("parse_program"); }
WEAK void ast_dump(FILE *fp, const struct program *p) { missing("ast_dump"); }
WEAK void diag_add(struct diags *d, enum diag_level l, struct pos p, const char *m, const char *h, const char *c) { missing("diag_add"); }
WEAK void diag_free(struct diags *d) { missing("diag_free"); }
WEAK void diag_print_compiler(FILE *fp, const struct diag *d, const char *t, size_t l) { missing("diag_print_compiler"); }
WEAK void diag_print_maildrop(FILE *fp, const struct diag *d, const char *t, size_t l) { missing("diag_print_maildrop"); }
WEAK void diag_print_caret(FILE *fp, const char *i, struct pos p, const char *t, size_t l) { missing("diag_print_caret"); }
WEAK enum flow eval_program(struct run *r, const struct program *p) { missing("eval_program"); }
WEAK enum flow eval_expr(struct run *r, const struct expr *e, struct buf *o) { missing("eval_expr"); }
WEAK void eval_subst(struct run *r, const struct pos *p, const char *s, size_t n, struct buf *o) { missing("eval_subst"); }
WEAK int value_true(const char *s, size_t n) { missing("value_true"); }
WEAK double value_number(const char *s, size_t n) { missing("value_number"); }
WEAK void value_format(double d, struct buf *o) { missing("value_format"); }
WEAK enum flow match_message(struct run *r, const struct expr *e, struct buf *o) { missing("match_message"); }
WEAK enum flow match_string(struct run *r, const struct expr *e, const char *s, size_t n, struct buf *o) { missing("match_string"); }
WEAK enum flow match_collect(struct run *r, const struct expr *e, const char *s, size_t n, struct match_set *o) { missing("match_collect"); }
WEAK void match_set_vars(struct run *r, const struct match_caps *c) { missing("match_set_vars"); }
WEAK void match_set_free(struct match_set *s) { missing("match_set_free"); }
WEAK const struct builtin *builtin_find(const char *n) { missing("builtin_find"); }
WEAK void builtins_cleanup(struct run *r) { missing("builtins_cleanup"); }
WEAK struct message *msg_read(int fd, const char *const *x, size_t n, const char *t) { missing("msg_read"); }
WEAK void msg_free(struct message *m) { missing("msg_free"); }
WEAK off_t msg_size(const struct message *m) { missing("msg_size"); }
WEAK size_t msg_lines(const struct message *m) { missing("msg_lines"); }
WEAK size_t msg_nheaders(const struct message *m) { missing("msg_nheaders"); }
WEAK const struct msg_header *msg_header_at(const struct message *m, size_t i) { missing("msg_header_at"); }
WEAK void msg_header_unfold(const struct message *m, size_t i, struct buf *o) { missing("msg_header_unfold"); }
WEAK int msg_each_chunk(const struct message *m, int (*fn)(void *, const char *, size_t), void *a) { missing("msg_each_chunk"); }
WEAK int msg_write_fd(const struct message *m, int fd) { missing("msg_write_fd"); }
WEAK int msg_scan(struct message *m, unsigned w, int (*fn)(void *, const char *, size_t), void *a) { missing("msg_scan"); }
WEAK int msg_replace(struct message *m, int fd) { missing("msg_replace"); }
WEAK int msg_return_path(const struct message *m, struct buf *o) { missing("msg_return_path"); }
WEAK struct vars *vars_new(void) { missing("vars_new"); }
WEAK void vars_free(struct vars *v) { missing("vars_free"); }
WEAK const struct buf *vars_get(const struct vars *v, const char *n, size_t l) { missing("vars_get"); }
WEAK const char *vars_str(const struct vars *v, const char *n) { missing("vars_str"); }
WEAK void vars_set(struct vars *v, const char *n, size_t nl, const char *s, size_t l) { missing("vars_set"); }
WEAK void vars_sets(struct vars *v, const char *n, const char *s) { missing("vars_sets"); }
WEAK void vars_unset(struct vars *v, const char *n, size_t l) { missing("vars_unset"); }
WEAK char **vars_environ(const struct vars *v) { missing("vars_environ"); }
WEAK void vars_envfree(char **e) { missing("vars_envfree"); }
WEAK enum flow run_fail(struct run *r, const struct pos *at, const char *c, const char *h, const char *fmt, ...) { missing("run_fail"); }
WEAK void run_warn(struct run *r, const struct pos *at, const char *m) { missing("run_warn"); }
WEAK int run_exitcode(const struct run *r) { missing("run_exitcode"); }
WEAK const struct effects fx_real = { "missing", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
WEAK const struct effects fx_dryrun = { "missing", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
