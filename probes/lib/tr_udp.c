/* tr_udp.c - two UDP sockets on 127.0.0.1 (ephemeral ports), each connect()ed to the other. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport.h"

/* The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
#define UDP_MAX_PAYLOAD 65507

/* A socket bound to 127.0.0.1:0; its address goes into a. */
static int udp_socket(struct sockaddr_in *a, char *err, size_t errlen)
{
	socklen_t alen = sizeof(*a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		snprintf(err, errlen, "udp: socket(AF_INET, SOCK_DGRAM): %s (%d)", strerror(errno),
			 errno);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)a, sizeof(*a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)a, &alen) < 0) {
		snprintf(err, errlen, "udp: bind(127.0.0.1 port 0): %s (%d); is the loopback "
				      "interface up?", strerror(errno), errno);
		close(fd);
		return -1;
	}
	return fd;
}

static int udp_open(struct tr_pair *p, char *err, size_t errlen)
{
	struct sockaddr_in a0, a1;
	int s0 = udp_socket(&a0, err, errlen);
	if (s0 < 0)
		return -1;
	int s1 = udp_socket(&a1, err, errlen);
	if (s1 < 0)
		goto close_s0;
	if (connect(s0, (struct sockaddr *)&a1, sizeof(a1)) < 0 ||
	    connect(s1, (struct sockaddr *)&a0, sizeof(a0)) < 0) {
		snprintf(err, errlen, "udp: connect(127.0.0.1): %s (%d)", strerror(errno), errno);
		goto close_s1;
	}
	p->end[0].rfd = p->end[0].wfd = s0;
	p->end[1].rfd = p->end[1].wfd = s1;
	return 0;

close_s1:
	close(s1);
close_s0:
	close(s0);
	return -1;
}

const struct transport tr_udp = {
	.name = "udp",
	.help = "UDP over 127.0.0.1, connected sockets: datagrams of at most 65507 bytes "
		"(65535 less the IPv4 and UDP headers), dropped when the receiver falls behind",
	.caps = TR_DGRAM | TR_FD | TR_MSG | TR_LOSSY | TR_IPV4DGRAM,
	.max_msg = UDP_MAX_PAYLOAD,
	.open = udp_open,
	.keep = tr_fd_keep,
	.send = tr_fd_send,
	.recv = tr_fd_recv,
	.close = tr_fd_close,
};
