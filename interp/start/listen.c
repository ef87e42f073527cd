/*
 * listen.c: the server's socket.  A tcp address that is not loopback is
 * refused without --listen-any: whoever can connect can hand mail to any
 * local user with any sender.  A unix socket's access is its directory's
 * (Postfix's private/ is the usual place): the socket itself is 0666.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "listen.h"

#define BACKLOG	64

static int
listen_unix(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "runnel: --listen unix:%s: the path is too long "
		    "(at most %zu bytes)\n", path, sizeof(sa.sun_path) - 1);
		return -1;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "runnel: --listen unix:%s: a file that "
			    "is not a socket is there; remove it or choose "
			    "another path\n", path);
			return -1;
		}
		(void)unlink(path);	/* a stale socket of an earlier run */
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, BACKLOG) < 0) {
		fprintf(stderr, "runnel: --listen unix:%s: %s\n", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/*
	 * Connecting takes write permission on the socket; the MTA's
	 * client runs as its own user.  Who may connect is the
	 * directory's to say, as with Dovecot's LMTP socket.
	 */
	(void)chmod(path, 0666);
	return fd;
}

static int
loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr)
		    >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(
		    &((const struct sockaddr_in6 *)sa)->sin6_addr);
	return 0;
}

static int
listen_tcp(const char *spec, int any)
{
	struct addrinfo hints, *ai = NULL;
	char *host = strdup(spec), *port;
	int fd = -1, one = 1, e;

	if (host == NULL)
		return -1;
	/* tcp:HOST:PORT, or tcp:[V6]:PORT */
	port = strrchr(host, ':');
	if (port == NULL || port[1] == '\0') {
		fprintf(stderr, "runnel: --listen tcp:%s: want tcp:HOST:PORT, "
		    "e.g. tcp:127.0.0.1:24\n", spec);
		goto out;
	}
	*port++ = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((e = getaddrinfo(*host ? host : NULL, port, &hints, &ai)) != 0) {
		fprintf(stderr, "runnel: --listen tcp:%s: %s\n", spec,
		    gai_strerror(e));
		goto out;
	}
	if (!any && !loopback(ai->ai_addr)) {
		fprintf(stderr, "runnel: --listen tcp:%s: not a loopback "
		    "address; LMTP has no authentication, so anyone who can "
		    "connect can deliver mail to any user.  Add --listen-any "
		    "if a firewall keeps others out\n", spec);
		goto out;
	}
	if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, BACKLOG) < 0) {
		fprintf(stderr, "runnel: --listen tcp:%s: %s\n", spec,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
out:
	if (ai != NULL)
		freeaddrinfo(ai);
	free(host);
	return fd;
}

int
listen_open(const char *spec, int any)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return listen_unix(spec + 5);
	if (strncmp(spec, "tcp:", 4) == 0)
		return listen_tcp(spec + 4, any);
	fprintf(stderr, "runnel: --listen %s: want unix:PATH or "
	    "tcp:127.0.0.1:PORT\n", spec);
	return -1;
}

void
listen_close(const char *spec, int fd)
{
	close(fd);
	if (strncmp(spec, "unix:", 5) == 0)
		(void)unlink(spec + 5);
}
