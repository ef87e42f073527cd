/*
 * session.h: one LMTP connection (RFC 2033): the greeting, the commands,
 * the message received once into an unnamed temp file, and one reply
 * per accepted recipient after DATA.  Who a recipient is and how a
 * message is delivered are the caller's (interp/start/lmtpd.c), handed
 * in as two functions.
 */
#ifndef LMTP_SESSION_H
#define LMTP_SESSION_H

#include <signal.h>
#include <stddef.h>

#include "../../grammar/buf.h"

struct lmtp_config {
	const char	*hostname;	/* in the greeting and LHLO reply */
	long long	 max_size;	/* bytes of message, SIZE advertised */
	size_t		 max_rcpts;	/* recipients per transaction */
	int		 cmd_timeout;	/* seconds to wait for a line */
	int		 conn_timeout;	/* seconds a connection may last */
	const char	*tmpdir;	/* the message's temp file; NULL: TMPDIR */
	/* set from a signal handler: finish the transaction, then 421 */
	volatile sig_atomic_t *stop;
	/*
	 * RCPT: put the reply line (code, enhanced code, text) in reply;
	 * a 2xx reply accepts the recipient.
	 */
	void	(*rcpt)(void *arg, const char *rcpt, struct buf *reply);
	/*
	 * After DATA, once per accepted recipient: deliver the message
	 * held in fd (read it from offset 0) and put the reply line in
	 * reply.  A 250 must mean the message is on disk.
	 */
	void	(*deliver)(void *arg, int fd, const char *from,
		    const char *rcpt, struct buf *reply);
	void	*arg;
};

/*
 * Serve one connection: read commands from in, write replies to out,
 * until QUIT, end of input, a timeout or stop.  Returns 0 after QUIT,
 * 1 when the connection ended otherwise.
 */
int	lmtp_session(int in, int out, const struct lmtp_config *);

#endif
