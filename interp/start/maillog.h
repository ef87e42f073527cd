/*
 * maillog.h: the line a delivery leaves in the system log (facility
 * mail), as Postfix's local(8) and Dovecot's LDA leave theirs.
 */
#ifndef MAILLOG_H
#define MAILLOG_H

#include "../run/run.h"

/*
 * Whether to log this run: on in delivery mode, off in manual mode and
 * in a dry run; RUNNEL_SYSLOG from the caller's environment (setting,
 * may be NULL) turns it on (1) or off (0).
 */
int	maillog_wanted(const struct run *, const char *setting);

/*
 * One line for the run that ended with status: user (the -d name when
 * no user was found), Message-ID, size, where the message went, the
 * error if there was one, the status.
 */
void	maillog_run(const struct run *, const char *user, int status);

#endif
