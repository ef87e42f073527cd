/*
 * tools.h: maildrop's companion commands in runnel's binary, chosen by
 * the name it was started under.  Each takes main()'s arguments and
 * returns the exit status.
 */
#ifndef TOOLS_H
#define TOOLS_H

#include <sys/types.h>

int	maildirmake_main(int argc, char **argv);
int	deliverquota_main(int argc, char **argv);
int	reformail_main(int argc, char **argv);

/*
 * maildirmake's work: dir with tmp/ new/ cur/ (mode 0700; shared: the
 * top 0755, and a folder's subdirectories too); a folder (name != NULL) is dir/.name with a maildirfolder
 * file.  Prints "maildirmake: PATH: error" and returns -1 on failure.
 */
int	tools_maildir_make(const char *prog, const char *dir,
	    const char *folder, int shared);

/*
 * reformail -s: each message of the mbox on stdin piped to its own run of
 * cmd (argv, NULL-terminated; no shell).  Returns the exit status.
 */
int	reformail_split(char **cmd);

/*
 * maildirmake --add NAME=PATH / --del NAME: the entry NAME of dir's
 * shared-maildirs list.  Print Courier's texts and return its exit
 * status (0, 1, or 2 for a name already listed).
 */
int	tools_shared_add(const char *dir, const char *name, const char *path);
int	tools_shared_del(const char *dir, const char *name);

#endif
