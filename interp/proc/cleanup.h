/*
 * cleanup.h: files that must not outlive a failed run (a maildir tmp/
 * file, a dot-lock and its temp name).  They are registered while they
 * exist; a fatal exit (signal, out of memory, error path in main) calls
 * cleanup_run() to remove whatever is still registered.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

/* Remember path for removal; 0, or -1 if out of memory (nothing kept). */
int	cleanup_register(const char *path);
/* The same for a lock file in the mail spool: removed with the spool's
   group taken up (spool.h). */
int	cleanup_register_spool(const char *path);
/* Forget path (after it was renamed away or removed normally). */
void	cleanup_unregister(const char *path);
/*
 * An mbox being appended to: on a fatal exit cut fd back to size (before
 * any dot-lock is removed).  A few at once at most; 0, or -1 when full.
 */
int	cleanup_truncate(int fd, long long size);
void	cleanup_untruncate(int fd);
/*
 * The process group of the child being run, 0 when none.  A fatal exit
 * kills it before our end of its stdin closes, so that it never reads a
 * cut message to its end and takes it for the whole one.
 */
void	cleanup_child(int pgid);
/*
 * Kill the child's group, ftruncate() every registered mbox, then
 * unlink() every registered path, and forget them.  Uses only kill(2),
 * ftruncate(2), unlink(2), setresgid(2) and plain stores, so a signal
 * handler or the xalloc hook may call it.
 */
void	cleanup_run(void);

#endif
