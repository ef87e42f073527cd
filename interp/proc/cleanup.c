/*
 * cleanup.c: the registry behind cleanup_run().  A signal may arrive at
 * any instruction, so the list is only ever extended at its head with a
 * node that is complete before it is published, and nodes are never
 * freed: a removed entry just goes dead and is reused later.  The walk
 * in cleanup_run() then needs neither locks nor malloc.  A run holds a
 * handful of such files at once, so a list is fast enough.
 *
 * This is run state kept in file-scope statics rather than in struct
 * run, on purpose: a signal handler (and the out-of-memory hook) gets no
 * struct run to reach it through, so what it must undo has to be here.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "../run/spool.h"

struct cleanup_node {
	struct cleanup_node	*next;
	volatile sig_atomic_t	 live;	/* path is set and must go */
	volatile sig_atomic_t	 spool;	/* a spool lock: needs the group */
	size_t			 cap;
	char			*path;
};

static struct cleanup_node *volatile head;

/* mboxes being appended to: fixed slots, no allocation at all. */
static struct {
	volatile sig_atomic_t	 live;
	int			 fd;
	off_t			 size;
} cuts[8];

static volatile sig_atomic_t child;	/* its process group, or 0 */

void
cleanup_child(int pgid)
{
	child = pgid;
}

int
cleanup_truncate(int fd, long long size)
{
	size_t i;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		if (!cuts[i].live) {
			cuts[i].fd = fd;
			cuts[i].size = (off_t)size;
			cuts[i].live = 1;
			return 0;
		}
	return -1;
}

void
cleanup_untruncate(int fd)
{
	size_t i;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		if (cuts[i].live && cuts[i].fd == fd)
			cuts[i].live = 0;
}

static int
reg(const char *path, int spool)
{
	struct cleanup_node *n;
	size_t len = strlen(path);

	for (n = head; n != NULL; n = n->next)
		if (!n->live && n->cap > len)
			break;
	if (n == NULL) {
		if ((n = malloc(sizeof(*n))) == NULL)
			return -1;
		if ((n->path = malloc(len + 1)) == NULL) {
			free(n);
			return -1;
		}
		n->cap = len + 1;
		n->live = 0;
		n->next = head;
		head = n;
	}
	memcpy(n->path, path, len + 1);
	n->spool = spool;
	n->live = 1;
	return 0;
}

int
cleanup_register(const char *path)
{
	return reg(path, 0);
}

int
cleanup_register_spool(const char *path)
{
	return reg(path, 1);
}

void
cleanup_unregister(const char *path)
{
	struct cleanup_node *n;

	for (n = head; n != NULL; n = n->next)
		if (n->live && strcmp(n->path, path) == 0) {
			n->live = 0;
			return;
		}
}

void
cleanup_run(void)
{
	struct cleanup_node *n;
	size_t i;

	if (child > 0) {
		(void)kill(-(pid_t)child, SIGKILL);
		child = 0;
	}
	/* A signal may come while the spool's group is up (a lock wait):
	   only the spool's own lock files get it back below. */
	spool_down();
	/* First the mboxes, while their dot-locks still stand. */
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		if (cuts[i].live) {
			cuts[i].live = 0;
			(void)ftruncate(cuts[i].fd, cuts[i].size);
		}
	for (n = head; n != NULL; n = n->next)
		if (n->live) {
			n->live = 0;
			if (n->spool && spool_up() == 0) {
				(void)unlink(n->path);
				spool_down();
			} else
				(void)unlink(n->path);
		}
}
