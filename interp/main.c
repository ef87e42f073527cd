/*
 * main.c: argv -> mode.  maildrop's options are parsed as maildrop parses
 * them (DELIVERY.md §1: until the first argument not starting with '-', or
 * "--"; a value attached or in the next argument), so an MTA can call
 * runnel in maildrop's place.  runnel's own options are long ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "../grammar/arena.h"
#include "options.h"

#define RUNNEL_VERSION	"0.1"

static void
usage(FILE *fp)
{
	fputs("Usage: maildrop [options] [-d user] [arg] [arg] ...\n"
	    "       maildrop [options] [filterfile [arg] [arg] ...\n"
	    "\n"
	    "runnel, a maildrop-compatible mail delivery agent.\n"
	    "  -d user      delivery mode for user\n"
	    "  -f sender    envelope sender (FROM)\n"
	    "  -A 'H: v'    add a header line\n"
	    "  -V level     debug output to stderr\n"
	    "  -m / -M name embedded mode\n"
	    "  -w percent   quota warning when a maildir is this full\n"
	    "  -W file      quota warning text (default: quotawarnmsg)\n"
	    "  -v           version\n"
	    "  --check FILE...      report syntax errors as FILE:LINE:COL\n"
	    "  --dry-run [filter]   show what the filter would do with the\n"
	    "                       message on stdin, touching no mailbox\n"
	    "  --exec               with --dry-run: also run xfilter, system\n"
	    "                       and backtick commands\n"
	    "  --dump-ast FILE      print the parsed filter\n", fp);
}

static void
version(void)
{
	printf("runnel %s, maildrop-compatible mail delivery agent\n"
	    "GDBM/DB extensions enabled.\n"
	    "Maildir quota extension are now always enabled.\n",
	    RUNNEL_VERSION);
}

static _Noreturn void
bad_args(void)
{
	fputs("maildrop: Bad command line arguments, -h for help.\n", stderr);
	exit(EX_TEMPFAIL);
}

/* Long options are runnel's own; they come before maildrop's letters. */
static int
long_option(struct options *o, const char *arg)
{
	if (strcmp(arg, "--check") == 0)
		o->cmd = CMD_CHECK;
	else if (strcmp(arg, "--dump-ast") == 0)
		o->cmd = CMD_DUMP_AST;
	else if (strcmp(arg, "--dry-run") == 0)
		o->dry_run = 1;
	else if (strcmp(arg, "--exec") == 0)
		o->allow_exec = 1;
	else if (strcmp(arg, "--version") == 0)
		o->cmd = CMD_VERSION;
	else if (strcmp(arg, "--help") == 0) {
		usage(stdout);
		exit(0);
	} else
		return -1;
	return 0;
}

static void
add_header(struct options *o, const char *h)
{
	o->headers = xrealloc(o->headers, (o->nheaders + 1) *
	    sizeof(*o->headers));
	o->headers[o->nheaders++] = h;
}

int
main(int argc, char **argv)
{
	struct options o;
	int i;

	memset(&o, 0, sizeof(o));
	o.cmd = CMD_RUN;
	o.argv0 = argv[0];
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		int letter;

		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (arg[1] == '-') {
			if (long_option(&o, arg) < 0)
				bad_args();
			continue;
		}
		letter = arg[1];
		val = NULL;
		if (strchr("dfAVMwWtD", letter) != NULL) {
			val = arg + 2;
			if (*val == '\0' && i + 1 < argc)
				val = argv[++i];
		} else if (arg[2] != '\0')
			bad_args();
		switch (letter) {
		case 'd':
			o.delivery = 1;
			o.user = *val ? val : NULL;
			break;
		case 'f':
			o.from = val;
			break;
		case 'A':
			add_header(&o, val);
			break;
		case 'V':
			o.verbose = val;
			break;
		case 'm':
			o.embedded = 1;
			break;
		case 'M':
			if (*val == '\0') {
				usage(stderr);
				return EX_TEMPFAIL;
			}
			o.embedded_name = val;
			o.delivery = 1;
			break;
		case 'a':
			o.auth_required = 1;
			break;
		case 'w':
			o.quota_warn = val;
			break;
		case 'W':
			o.warn_file = val;
			break;
		case 't':
		case 'D':
			break;		/* Dovecot/Courier only: accepted */
		case 'v':
			o.cmd = CMD_VERSION;
			break;
		case 'h':
			usage(stdout);
			return EX_TEMPFAIL;
		default:
			bad_args();
		}
	}
	switch (o.cmd) {
	case CMD_VERSION:
		version();
		return 0;
	case CMD_CHECK:
	case CMD_DUMP_AST:
		o.args = argv + i;
		o.nargs = argc - i;
		return o.cmd == CMD_CHECK ? check_main(&o) : dump_ast_main(&o);
	case CMD_RUN:
		break;
	}
	if (!o.delivery && i < argc)
		o.filter = argv[i++];
	else
		o.delivery = 1;
	o.args = argv + i;
	o.nargs = argc - i;
	return runner_main(&o);
}
