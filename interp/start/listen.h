/*
 * listen.h: the socket `--listen` names: unix:PATH, or tcp:HOST:PORT on
 * a loopback address unless any is set (LMTP has no authentication).
 */
#ifndef LISTEN_H
#define LISTEN_H

/*
 * A listening socket, close-on-exec; -1 after printing why to stderr.
 * A unix socket replaces only a stale socket at PATH, never a file.
 */
int	listen_open(const char *spec, int any);
/* Remove a unix socket listen_open() made; nothing for tcp. */
void	listen_close(const char *spec, int fd);

#endif
