/*
 * lock.h: dot-locks and kernel locks, for mbox delivery (DELIVERY.md
 * §4.2) and for the dotlock / flock statements (§6).  Every wait is
 * bounded: a lock that cannot be had in time fails the run with 75
 * rather than hanging the MTA's delivery slot for ever.
 */
#ifndef LOCK_H
#define LOCK_H

#include <sys/types.h>

#include "../../grammar/ast.h"
#include "../run/run.h"

struct lock;

/*
 * Take the dot-lock lockname (the lock file itself: "MBOX.lock" for a
 * mailbox, the literal name for the dotlock statement) with maildrop's
 * algorithm: DIR/<pid>.<n>.<host> holding "<pid>\n", linked to lockname.
 * LOCKSLEEP, LOCKTIMEOUT and LOCKREFRESH come from r->vars.  A lock whose
 * owner process is gone is removed at once, if the lock file belongs to
 * `owner` (the mailbox's owner) or root; one that does not change for
 * LOCKTIMEOUT seconds is removed as stale.  Gives up after
 * lock_wait_bound() seconds.  Returns 0 and *out, or -1 after run_fail().
 * The lock file is registered with cleanup.h while held.  With spool set
 * (the user's own spool mailbox, spool_mailbox()) the lock files are
 * made and removed with the spool's group up, and with it only.
 */
int	lock_dot(struct run *, const struct pos *why, const char *lockname,
	    uid_t owner, int spool, struct lock **out);

/*
 * What lock_dot() would fail with before it waits, without writing: its
 * temporary file's directory missing or not writable, or the name taken.
 * 0, or -1 after run_fail() with lock_dot()'s line.
 */
int	lock_dot_plan(struct run *, const struct pos *why,
	    const char *lockname, int spool);

/*
 * flock "file": open (creating, mode 0600) and lock it exclusively.
 * Errors: "Unable to create flock file." / "flock() failed.".
 */
int	lock_flock(struct run *, const struct pos *why, const char *path,
	    struct lock **out);

/*
 * Exclusive kernel (fcntl) write lock on the whole of an open file,
 * waiting at most `seconds`.  0, or -1 with errno (ETIMEDOUT when the
 * wait ran out).  Released by close(fd).
 */
int	lock_fd(int fd, unsigned seconds);

/* Release (NULL is fine): unlink the dot-lock / close the flock file. */
void	lock_release(struct lock *);

/*
 * Touch every held dot-lock whose LOCKREFRESH interval has passed, so
 * that others do not take it for stale.  Cheap.  Taking a dot-lock
 * makes it proc/spawn.c's spawn_tick, so it runs while a child runs.
 */
void	lock_refresh(void);

/* How long, in seconds, any lock wait may last for this run. */
unsigned lock_wait_bound(struct run *);

#endif
