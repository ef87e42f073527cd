/*
 * testfile.h: the test files of `runnel test` (README "Testing your
 * rules"): one case per line, a message file and where it must go, and
 * the settings every case of the file shares.
 */
#ifndef TESTFILE_H
#define TESTFILE_H

#include <stddef.h>

/* One `; header NAME: /RE/` check. */
struct tf_header {
	char	*name;
	char	*re;
};

/* One case: MESSAGE -> EXPECTED [; check]... */
struct tf_case {
	unsigned	 line;
	char		*message;	/* as written, for the report */
	char		*message_path;	/* resolved beside the test file */
	char		*expect;	/* the text after "->", for the report */
	char		**dests;	/* folders, mboxes, !addr, |cmd */
	size_t		 ndests;
	int		 status;	/* expected exit status, -1: 0 */
	int		 defer;		/* expects 75, deliveries aside */
	char		**logs;		/* log contains "..." */
	size_t		 nlogs;
	struct tf_header *headers;
	size_t		 nheaders;
};

/* `stub "CMD" "REPLACEMENT"`: the filter's command CMD runs as this. */
struct tf_stub {
	char	*cmd;
	char	*with;
};

struct testfile {
	const char	*name;		/* as given on the command line */
	int		 exec;		/* `exec`: every command runs */
	char		**env;		/* `env NAME=value` */
	size_t		 nenv;
	struct tf_stub	*stubs;
	size_t		 nstubs;
	struct tf_case	*cases;
	size_t		 ncases;
};

/*
 * Read and parse the test file at path.  Every mistake is printed to
 * stderr as FILE:LINE: error: ..., with the fix; returns how many there
 * were (0: tf is ready, the cases may run).
 */
int	testfile_read(const char *path, struct testfile *tf);
void	testfile_free(struct testfile *);

#endif
