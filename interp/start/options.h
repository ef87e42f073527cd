/*
 * options.h: what the command line asked for.  maildrop's options
 * (DELIVERY.md §1) plus runnel's own long options.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>

struct effects;
struct run;

enum command {
	CMD_RUN,		/* deliver (or a dry run) */
	CMD_CHECK,		/* --check FILE... */
	CMD_DUMP_AST,		/* --dump-ast FILE */
	CMD_VERSION		/* -v, --version */
};

struct options {
	enum command	 cmd;
	const char	*argv0;
	int		 delivery;	/* -d given, or no filter file */
	const char	*user;		/* -d user, NULL for the invoker */
	const char	*from;		/* -f */
	const char	**headers;	/* -A, in order */
	size_t		 nheaders;
	const char	*verbose;	/* -V */
	int		 embedded;	/* -m */
	const char	*embedded_name;	/* -M */
	const char	*quota_warn;	/* -w percent */
	const char	*warn_file;	/* -W */
	int		 dry_run;	/* --dry-run */
	int		 allow_exec;	/* --dry-run --exec: run xfilter etc. */
	int		 strict;	/* --check --strict: warnings fail */
	int		 json;		/* --format=json (--dry-run, --check) */
	const char	*filter;	/* manual mode filter file */
	char		**args;		/* $1.. (and --check's files) */
	int		 nargs;
	/* --lmtp and --listen: the LMTP service (lmtpd.c) */
	int		 lmtp;
	const char	*listen;	/* unix:PATH or tcp:HOST:PORT */
	int		 listen_any;	/* tcp on an address not loopback */
	int		 max_connections;
	long long	 max_size;	/* bytes of one message */
	int		 lmtp_timeout;	/* seconds per command */
	const char	*rcpt_delimiter; /* "+": user+ext passes ext as $1 */
	int		 no_envelope_headers; /* no Return-Path, Delivered-To */

	/*
	 * `runnel test` only (ruletest.c): the home directory the case runs
	 * with instead of the password file's, the effects instead of the
	 * dry run's, and a call with the finished run before it is freed.
	 */
	const char	*home;
	const struct effects *fx;
	void		(*done)(struct run *, int status, void *arg);
	void		*done_arg;
};

/* runner.c: the startup sequence of DELIVERY.md §2; returns exit status. */
int	runner_main(const struct options *);
/* lmtpd.c: --lmtp, on stdin/stdout or --listen; returns exit status. */
int	lmtpd_main(const struct options *);
/* check.c: --check and --dump-ast; returns exit status. */
int	check_main(const struct options *);
int	dump_ast_main(const struct options *);
/* ruletest.c: runnel test FILTER TESTFILE...; returns exit status. */
int	ruletest_main(int argc, char **argv);

#endif
