/*
 * store.h: small helpers shared by the files that store mail and take
 * locks (mailbox.c, deliver_maildir.c, deliver_mbox.c, quota.c, lock.c),
 * so that every error names the user and every mode honours UMASK the
 * same way.
 */
#ifndef STORE_H
#define STORE_H

#include <sys/types.h>

struct run;

/* The effective user's login name (or "uid N"), for error messages. */
const char	*store_user(void);
/* This host's name as maildrop puts it in file names ('/' and ':' mapped). */
const char	*store_host(void);
/* 0666 & ~UMASK (UMASK octal; missing or invalid: 077). */
mode_t		 store_mode(struct run *);
/* write(2) all of it, retrying short writes and EINTR; 0 or -1/errno. */
int		 store_write_all(int fd, const void *p, size_t n);
/* fsync a directory by name; 0 or -1/errno. */
int		 store_sync_dir(const char *dir);
/* fsync the directory that holds path (a file just created there). */
int		 store_sync_parent(const char *path);

#endif
