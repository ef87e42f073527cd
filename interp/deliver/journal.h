/*
 * journal.h: the append journal of an mbox, so that an append cut short
 * by SIGKILL, the OOM killer or a power loss is taken off again by the
 * next delivery (deliver_mbox.c's header tells the whole scheme).
 *
 * The journal is the file MBOX.runnel-journal beside the mailbox.  It is
 * written and made durable before the first byte of an append and
 * removed, durably, only after the append's fsync: a journal present
 * means "this append is not known to be complete", and runnel never
 * exits 0 while its journal stands, so the MTA still has the message.
 * All three functions are called with the mailbox's dot-lock and kernel
 * lock held.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <sys/stat.h>
#include <sys/types.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"

#define JOURNAL_EXT	".runnel-journal"

/*
 * Look for a journal left at jpath by an append that did not finish, and
 * put the mailbox (fd, open for writing; mb, its fstat under the lock)
 * back to its size from before that append.  A journal is believed only
 * when it is a regular file, not a link, owned by the mailbox's owner,
 * by us or by root, writable by nobody else, names this very file
 * (device and inode), and when what stands in the mailbox at its size is
 * the From_ line it recorded, followed by no other message.  Otherwise
 * it is removed and the mailbox left alone, with a warning.  *size is
 * set to the mailbox's size afterwards.  0, or -1 after run_fail().
 */
int	journal_recover(struct run *, const struct pos *why, const char *mbox,
	    const char *jpath, int fd, const struct stat *mb, off_t *size);

/*
 * Write the journal for an append to mb at offset size whose first bytes
 * are first (the From_ line), then fsync it and its directory (which
 * makes a mailbox just created there durable too).  0, or -1 after
 * run_fail().
 */
int	journal_begin(struct run *, const struct pos *why, const char *jpath,
	    const struct stat *mb, off_t size, const struct buf *first);

/*
 * The append is complete and fsynced: remove the journal and, when sync
 * is set, fsync its directory so that the removal survives a power loss.
 * 0, or -1 with errno (the journal may then still be there).
 */
int	journal_end(const char *jpath, int sync);

#endif
