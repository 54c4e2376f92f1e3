/* tr_tcp.c - one TCP connection over 127.0.0.1 (an ephemeral port), TCP_NODELAY on both ends. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport.h"

/* Listen on 127.0.0.1:0, connect to it, accept: side 0 holds the connecting socket, side 1
 * the accepted one.  The listener is closed before returning. */
static int tcp_open(struct tr_pair *p, char *err, size_t errlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	socklen_t alen = sizeof(a);
	int one = 1, c = -1, s;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0) {
		snprintf(err, errlen, "tcp: socket(AF_INET, SOCK_STREAM): %s (%d)", strerror(errno),
			 errno);
		return -1;
	}
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &alen) < 0) {
		snprintf(err, errlen, "tcp: bind/listen on 127.0.0.1 port 0: %s (%d); is the "
				      "loopback interface up?", strerror(errno), errno);
		goto close_listener;
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		snprintf(err, errlen, "tcp: connect(127.0.0.1:%u): %s (%d)", ntohs(a.sin_port),
			 strerror(errno), errno);
		goto close_client;
	}
	s = accept(l, NULL, NULL);
	if (s < 0) {
		snprintf(err, errlen, "tcp: accept(): %s (%d)", strerror(errno), errno);
		goto close_client;
	}
	if (setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ||
	    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "tcp: setsockopt(TCP_NODELAY): %s (%d)", strerror(errno),
			 errno);
		close(s);
		goto close_client;
	}
	close(l);
	p->end[0].rfd = p->end[0].wfd = c;
	p->end[1].rfd = p->end[1].wfd = s;
	return 0;

close_client:
	if (c >= 0)
		close(c);
close_listener:
	close(l);
	return -1;
}

const struct transport tr_tcp = {
	.name = "tcp",
	.help = "TCP over 127.0.0.1, TCP_NODELAY: a byte stream with no message size limit",
	.caps = TR_STREAM | TR_FD | TR_MSG,
	.open = tcp_open,
	.keep = tr_fd_keep,
	.send = tr_fd_send,
	.recv = tr_fd_recv,
	.close = tr_fd_close,
};
