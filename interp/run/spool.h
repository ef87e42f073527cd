/*
 * spool.h: the system mail spool (SPOOL_DIR, /var/mail on Debian) and
 * the one group that may write it.  Debian ships the spool root:mail
 * 2775, so a user cannot make the dot-lock MAILBOX.lock beside their own
 * mailbox there; maildrop is installed set-gid mail for that.  runnel
 * keeps the mail group only as its saved group id and takes it up only
 * around the few file operations on the user's own spool mailbox that
 * need it (its dot-lock, the lock's temporary file, the append journal,
 * creating the mailbox), never while a filter, a command or any other
 * file is at work.  README.md, "Install modes", says why.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <sys/types.h>

#ifndef SPOOL_DIR
#define SPOOL_DIR	"/var/mail"
#endif

/*
 * First thing at start: a set-gid start drops the group from the real
 * and effective gids and keeps it as the saved gid, if the spool is as
 * Debian ships it (a directory, not a link, of root, writable by that
 * group, started by someone other than root); otherwise the group is
 * dropped for good.  With `all` set (the companion commands) every set-id
 * privilege goes for good, set-uid root too; without it a set-uid root
 * start stays root for user.c to check the caller.  0, or -1 with errno
 * when the kernel refused (the caller must stop).
 */
int	spool_start(int all);

/*
 * The spool's group, when root is about to become a user (-d user run by
 * root): the gid to keep as saved gid, or (gid_t)-1 when the spool is
 * not a root-owned directory writable by a group.
 */
gid_t	spool_group_of_dir(void);

/* Root has become the user and kept g (from above) as the saved gid. */
void	spool_keep(gid_t g);

/*
 * 1 when path is `user`'s own mailbox in the spool, spelled exactly
 * SPOOL_DIR/user, and the group is at hand: the only mailbox whose
 * locking may use it.
 */
int	spool_mailbox(const char *path, const char *user);

/*
 * Take the group up as the effective gid / put it down again.  up is 0,
 * or -1 when there is no group to take (nothing changes).  down cannot
 * fail quietly: if the kernel refused, the process ends with 75 rather
 * than go on with the group.
 */
int	spool_up(void);
void	spool_down(void);

/*
 * For an error creating a file in dir (EACCES): when dir is the spool and
 * runnel has no group for it, the fix to name (install set-gid mail);
 * else NULL.
 */
const char *spool_hint(const char *path);

#endif
