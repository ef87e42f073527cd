/*
 * main.c: argv -> mode.  maildrop's options are parsed as maildrop parses
 * them (DELIVERY.md §1: until the first argument not starting with '-', or
 * "--"; a value attached or in the next argument), so an MTA can call
 * runnel in maildrop's place.  runnel's own options are long ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "../../grammar/arena.h"
#include "../run/spool.h"
#include "../tools/tools.h"
#include "options.h"

#define RUNNEL_VERSION	"0.1"

/* maildrop's -h text, word for word: an MTA's wrapper may show it. */
static const char maildrop_usage[] =
    "Usage: maildrop [options] [-d user] [arg] [arg] ...\n"
    "       maildrop [options] [filterfile [arg] [arg] ...\n";

/*
 * --help: runnel's own text.  Scripts that parse maildrop's usage lines
 * ask -h, which prints them unchanged (and exits 75, as maildrop).
 */
static const char runnel_help[] =
    "Usage: runnel [options] [-d user] [arg ...]\n"
    "       runnel [options] [filterfile [arg ...]]\n"
    "       runnel --check [--strict] FILE...\n"
    "       runnel --lmtp [--listen unix:PATH|tcp:HOST:PORT] [options]\n"
    "       runnel --dry-run [--exec] [options] [filterfile [arg ...]] < message\n"
    "       runnel test [--home DIR] FILTER TESTFILE...  (runnel test --help)\n"
    "\n"
    "runnel, a maildrop-compatible mail delivery agent: the message on\n"
    "standard input is filtered by /etc/maildroprc and ~/.mailfilter (with\n"
    "-d or no filter file) or by filterfile, and delivered.\n"
    "\n"
    "maildrop's options (an MTA may call runnel in maildrop's place):\n"
    "  -d user       delivery mode for user (empty: the invoking user)\n"
    "  -f sender     the envelope sender ($FROM)\n"
    "  -A 'H: v'     add a header line (repeatable)\n"
    "  -V level      debug trace to stderr (VERBOSE)\n"
    "  -m            embedded mode: run filterfile, deliver nothing\n"
    "  -M name       run $HOME/.mailfilters/name, in delivery mode\n"
    "  -w percent    quota warning when a maildir++ is this full\n"
    "  -W file       the quota warning text (default:\n"
    "                $RUNNEL_SYSCONFDIR/quotawarnmsg)\n"
    "  -a            accepted; users are looked up in passwd only\n"
    "  -v            the version\n"
    "  -h            maildrop's two usage lines (exit 75)\n"
    "  --            the end of the options\n"
    "\n"
    "runnel's own options (before maildrop's):\n"
    "  --check FILE...     report every syntax error as FILE:LINE:COL\n"
    "                      (exit 1 on an error), and warn of what would\n"
    "                      not work as meant: message text run as shell\n"
    "                      code, missing folders, statements that never\n"
    "                      run, variables never set, patterns for =?..?=\n"
    "  --strict            with --check: warnings are errors (exit 1)\n"
    "  --dry-run           show what the filter would do with the message,\n"
    "                      touching no mailbox and running no command\n"
    "  --exec              with --dry-run: do run xfilter, system and\n"
    "                      backtick commands\n"
    "  --format=json       with --dry-run or --check: one JSON document\n"
    "                      on stdout (tests/spec/trace.schema.json)\n"
    "  --dump-ast FILE     print the parsed filter\n"
    "  --lmtp              serve LMTP on stdin and stdout (one connection)\n"
    "  --listen unix:PATH  serve LMTP on a socket (or tcp:127.0.0.1:PORT);\n"
    "                      each recipient is one -d delivery in a child\n"
    "  --listen-any        allow a tcp address that is not loopback\n"
    "  --max-connections N at most N connections at once (default 16)\n"
    "  --max-size BYTES    the largest message (default 52428800)\n"
    "  --lmtp-timeout SECS seconds to wait for a command or data line\n"
    "                      (default 300)\n"
    "  --recipient-delimiter C  user+ext delivers to user with $1=ext\n"
    "  --no-envelope-headers    add no Return-Path: and Delivered-To:\n"
    "  --version           the version\n"
    "  --help              this text\n"
    "\n"
    "Settings, read from the caller's environment only (a filter cannot\n"
    "change them):\n"
    "  RUNNEL_SYSCONFDIR      where maildroprc, maildroprcs/ and\n"
    "                         quotawarnmsg are (default /etc)\n"
    "  RUNNEL_TIMEOUT         seconds the whole filter may run (default\n"
    "                         300, 0: no limit)\n"
    "  RUNNEL_MATCH_TIME      seconds all pattern matching may take; a\n"
    "                         search past it does not match (default 30)\n"
    "  RUNNEL_MAX_STATEMENTS  statements the filter may run (default\n"
    "                         10000000)\n"
    "  RUNNEL_MAX_VALUE       bytes one value may hold (default 64 MiB)\n"
    "  RUNNEL_MAX_VARS        bytes all variables may hold (default 256 MiB)\n"
    "  RUNNEL_CHILD_TIMEOUT   seconds one command (pipe, xfilter, forward,\n"
    "                         system, backticks) may run (default 300, 0: none)\n"
    "  RUNNEL_FORWARD_SENDER  the envelope sender of '!address' forwards\n"
    "                         (default empty: -f '')\n"
    "  RUNNEL_STORE_MARKER    a file there only while the mail store is\n"
    "                         mounted; missing: 75 (\"Mail store is not\n"
    "                         available.\")\n"
    "  RUNNEL_CLOCK_SKEW      seconds a new maildir file's time may differ\n"
    "                         from this host's clock before a warning\n"
    "                         (default 60, 0: no check)\n"
    "  RUNNEL_SYSLOG          1: one line per message to syslog (facility\n"
    "                         mail), 0: none (default: 1 with -d, else 0)\n"
    "  TMPDIR                 where a message read from a pipe is spooled\n"
    "                         (default /tmp)\n"
    "  RUNNEL_TRACE_FILES     traces the trace directory keeps (default\n"
    "                         100, 0: no traces)\n"
    "  RUNNEL_TRACE_BYTES     bytes of one trace (default 1048576)\n"
    "\n"
    "The trace of real deliveries: when ~/.runnel-trace/ is a directory\n"
    "of the user's (not a link, writable by no one else), each delivery\n"
    "leaves a file there with what the filter decided and did, in the\n"
    "words of --dry-run.  An administrator can name one for every user\n"
    "in maildroprc:\n"
    "  RUNNEL_TRACEDIR        e.g. RUNNEL_TRACEDIR=\"/var/log/runnel/$LOGNAME\"\n"
    "\n"
    "Exit status:\n"
    "  0     delivered, or the filter's EXITCODE (to, exit, a pipe's status)\n"
    "  1     --check found an error (or, with --strict, a warning)\n"
    "  67    -d names an unknown user (EX_NOUSER)\n"
    "  75    try again later (EX_TEMPFAIL): a failed delivery, a syntax\n"
    "        error, an unsafe filter or home, over quota, a timeout, bad\n"
    "        options, -h\n"
    "\n"
    "The filter language, the delivery and the differences from maildrop\n"
    "(DIFFERENCES.md B2 in a message is its section B2) are described in\n"
    "LANGUAGE.md, DELIVERY.md and DIFFERENCES.md, in tests/spec/ of the\n"
    "source and in share/doc/runnel/ where runnel is installed.\n";

static void
help(void)
{
	fputs(runnel_help, stdout);
}

/*
 * An MTA may start us with fd 0, 1 or 2 closed.  The next open() would
 * take the number, and echo's text or an error line would go into a log
 * file or a mailbox.  /dev/null holds each free one; stdin's copy is
 * write-only so that reading it still fails ("Unable to read message.",
 * 75) instead of passing for an empty message.
 */
static void
hold_stdio(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_WRONLY : O_RDWR) != fd)
			_exit(EX_TEMPFAIL);
	}
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

/* A number for a long option, else the usage error. */
static long long
number(int argc, char **argv, int *i)
{
	char *end;
	long long v;

	if (*i + 1 >= argc)
		bad_args();
	v = strtoll(argv[++*i], &end, 10);
	if (end == argv[*i] || *end != '\0' || v < 0 || v > 1LL << 40) {
		fprintf(stderr, "runnel: %s: want a number, not \"%s\"\n",
		    argv[*i - 1], argv[*i]);
		exit(EX_USAGE);
	}
	return v;
}

/* The LMTP service's options (lmtpd.c); 0, or -1 for none of them. */
static int
lmtp_option(struct options *o, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (strcmp(arg, "--lmtp") == 0)
		o->lmtp = 1;
	else if (strcmp(arg, "--listen") == 0 && *i + 1 < argc) {
		o->lmtp = 1;
		o->listen = argv[++*i];
	} else if (strcmp(arg, "--listen-any") == 0)
		o->listen_any = 1;
	else if (strcmp(arg, "--max-connections") == 0)
		o->max_connections = (int)number(argc, argv, i);
	else if (strcmp(arg, "--max-size") == 0)
		o->max_size = number(argc, argv, i);
	else if (strcmp(arg, "--lmtp-timeout") == 0)
		o->lmtp_timeout = (int)number(argc, argv, i);
	else if (strcmp(arg, "--recipient-delimiter") == 0 && *i + 1 < argc)
		o->rcpt_delimiter = argv[++*i];
	else if (strcmp(arg, "--no-envelope-headers") == 0)
		o->no_envelope_headers = 1;
	else
		return -1;
	return 0;
}

/* Long options are runnel's own; they come before maildrop's letters. */
static int
long_option(struct options *o, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (lmtp_option(o, argc, argv, i) == 0)
		return 0;
	if (strcmp(arg, "--check") == 0)
		o->cmd = CMD_CHECK;
	else if (strcmp(arg, "--dump-ast") == 0)
		o->cmd = CMD_DUMP_AST;
	else if (strcmp(arg, "--dry-run") == 0)
		o->dry_run = 1;
	else if (strcmp(arg, "--exec") == 0)
		o->allow_exec = 1;
	else if (strcmp(arg, "--strict") == 0)
		o->strict = 1;
	else if (strcmp(arg, "--format=json") == 0)
		o->json = 1;
	else if (strcmp(arg, "--format=text") == 0)
		o->json = 0;
	else if (strcmp(arg, "--version") == 0)
		o->cmd = CMD_VERSION;
	else if (strcmp(arg, "--help") == 0) {
		help();
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

/*
 * An option with a value: the rest of its argument, else the next
 * argument, else "" (maildrop's rule, so "-d -f" delivers for user "-f").
 */
static const char *
value(int argc, char **argv, int *i)
{
	const char *v = argv[*i] + 2;

	if (*v == '\0' && *i + 1 < argc)
		v = argv[++*i];
	return v;
}

/*
 * One of maildrop's letters.  Returns -1 to go on, else the exit status:
 * -v and -h act at once, whatever follows.  As in maildrop an empty -f,
 * -A, -w or -W value is no value (an earlier one stays), and a letter
 * without a value ignores the rest of its argument ("-mx" is -m).
 */
static int
letter_option(struct options *o, int argc, char **argv, int *i)
{
	const char *val;

	switch (argv[*i][1]) {
	case 'd':
		val = value(argc, argv, i);
		o->delivery = 1;
		o->user = *val ? val : NULL;
		break;
	case 'f':
		if (*(val = value(argc, argv, i)) != '\0')
			o->from = val;
		break;
	case 'A':
		if (*(val = value(argc, argv, i)) != '\0')
			add_header(o, val);
		break;
	case 'V':
		o->verbose = value(argc, argv, i);
		break;
	case 'm':
		o->embedded = 1;
		break;
	case 'M':
		val = value(argc, argv, i);
		if (*val == '\0') {
			fputs(maildrop_usage, stdout);
			return EX_TEMPFAIL;
		}
		o->embedded_name = val;
		o->delivery = 1;
		break;
	case 'a':
		break;		/* authlib's: runnel reads only passwd */
	case 'w':
		if (*(val = value(argc, argv, i)) != '\0')
			o->quota_warn = val;
		break;
	case 'W':
		if (*(val = value(argc, argv, i)) != '\0')
			o->warn_file = val;
		break;
	case 'v':
		version();
		return 0;
	case 'h':
		fputs(maildrop_usage, stdout);
		return EX_TEMPFAIL;
	default:
		/* "-", and -t and -D: Debian's maildrop has neither. */
		bad_args();
	}
	return -1;
}

/*
 * Started as one of maildrop's companion commands (make install-compat
 * links them to runnel): that command's own command line.
 */
static const struct {
	const char	*name;
	int		(*run)(int, char **);
} tools[] = {
	{ "maildirmake", maildirmake_main },
	{ "deliverquota", deliverquota_main },
	{ "reformail", reformail_main },
};

int
main(int argc, char **argv)
{
	struct options o;
	const char *base;
	size_t t;
	int i, rc, test;

	hold_stdio();
	base = argc < 1 ? "" : strrchr(argv[0], '/') != NULL ?
	    strrchr(argv[0], '/') + 1 : argv[0];
	for (t = 0; t < sizeof(tools) / sizeof(tools[0]); t++)
		if (strcmp(base, tools[t].name) == 0)
			break;
	/*
	 * Before anything else: a set-gid install keeps its group only as
	 * the saved gid; the companion commands and `runnel test` keep no
	 * set-id privilege at all.
	 */
	test = t == sizeof(tools) / sizeof(tools[0]) && argc > 1 &&
	    strcmp(argv[1], "test") == 0;
	if (spool_start(t < sizeof(tools) / sizeof(tools[0]) || test) != 0) {
		fprintf(stderr, "maildrop: Cannot set my user or group id.\n"
		    "  %s\n", strerror(errno));
		return EX_TEMPFAIL;
	}
	if (t < sizeof(tools) / sizeof(tools[0]))
		return tools[t].run(argc, argv);
	/* runnel's own command; a filter file named "test" is ./test */
	if (test)
		return ruletest_main(argc - 1, argv + 1);
	memset(&o, 0, sizeof(o));
	o.cmd = CMD_RUN;
	o.argv0 = argv[0];
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][1] == '-') {
			if (long_option(&o, argc, argv, &i) < 0)
				bad_args();
		} else if ((rc = letter_option(&o, argc, argv, &i)) >= 0)
			return rc;
	}
	if (o.json && o.cmd != CMD_CHECK && (o.cmd != CMD_RUN ||
	    !o.dry_run)) {
		fputs("runnel: --format=json goes with --dry-run or --check\n",
		    stderr);
		return EX_USAGE;
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
	if (o.lmtp)
		return lmtpd_main(&o);
	if (!o.delivery && i < argc)
		o.filter = argv[i++];
	else
		o.delivery = 1;
	o.args = argv + i;
	o.nargs = argc - i;
	rc = runner_main(&o);
	free(o.headers);
	return rc;
}
