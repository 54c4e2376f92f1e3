/* transport.h - the transport table: one ops struct per IPC mechanism (probes/lib/tr_<name>.c),
 * one line each in transport.c.  Cases pick transports by capability flags, never by name.
 *
 * A pair is a two-way channel between side 0 and side 1, opened in one process before
 * fork(); after fork each process calls keep() for its own side.  A transport compiled out on
 * this platform is still in the table: its unsupported() hook returns the reason.
 */
#ifndef IPCPROBE_TRANSPORT_H
#define IPCPROBE_TRANSPORT_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Capability flags. */
#define TR_STREAM	(1u << 0)	/* byte stream: messages may be split or merged */
#define TR_DGRAM	(1u << 1)	/* message boundaries are kept */
#define TR_FD		(1u << 2)	/* ends are file descriptors: poll(), O_NONBLOCK work */
#define TR_FILL		(1u << 3)	/* a non-blocking writer fills it until EAGAIN (capacity) */
#define TR_PIPESZ	(1u << 4)	/* F_GETPIPE_SZ / F_SETPIPE_SZ apply to the write end */
#define TR_SOCKBUF	(1u << 5)	/* SO_SNDBUF / SO_RCVBUF apply */
#define TR_INQ		(1u << 6)	/* FIONREAD on the read end counts the bytes queued */
#define TR_NULL		(1u << 7)	/* no IPC at all: the harness testing itself */
#define TR_MSG		(1u << 8)	/* carries a ping-pong message between two processes */
#define TR_WORD		(1u << 9)	/* a message is one fixed-width word (max_msg bytes): shorter
					 * ones are zero-padded, so the receiver asks for exactly
					 * the length it expects; one message in flight per direction */
#define TR_LOSSY	(1u << 10)	/* may drop messages when the receiver falls behind (udp) */
#define TR_IPV4DGRAM	(1u << 11)	/* a datagram travels in one IPv4 packet: at most 65535 bytes
					 * less the IP (20) and UDP (8) headers, whatever the
					 * socket buffers say */
#define TR_MQATTR	(1u << 12)	/* a POSIX message queue: mq_open's mq_msgsize / mq_maxmsg
					 * limits (sysctls, CAP_SYS_RESOURCE) apply */
#define TR_SYSVMSGQ	(1u << 13)	/* a System V message queue: msgmax / msgmnb apply */

/* One side's ends.  rfd/wfd are -1 where the transport has no descriptor. */
struct tr_end {
	int rfd;
	int wfd;
	void *priv;
};

struct transport;

struct tr_pair {
	const struct transport *tr;
	struct tr_end end[2];
	void *priv;
};

/* What the OS says about a channel's capacity in one direction: value is the one figure
 * that bounds what a writer gets in (source names it exactly), the others are beside it. */
struct tr_oscap {
	const char *source;	/* "F_GETPIPE_SZ", "SO_SNDBUF (sending socket)", ... */
	long long value;	/* bytes */
	long long sndbuf;	/* sockets: the sender's SO_SNDBUF, else -1 */
	long long rcvbuf;	/* sockets: the receiver's SO_RCVBUF, else -1 */
};

struct transport {
	const char *name;	/* kebab-case: pipe, fifo, unix-stream, ... */
	const char *help;
	unsigned caps;
	size_t max_msg;		/* largest message it claims to carry whole; 0 = no limit */
	/* Optional.  The largest message it carries here when that is only known at run time
	 * (a sysctl, a resource limit); overrides max_msg.  why gets where the figure comes from
	 * ("/proc/sys/fs/mqueue/msgsize_max").  Use tr_max_msg(), not the fields. */
	size_t (*msg_limit)(char *why, size_t whylen);

	/* NULL when usable here, else the reason (a static string). */
	const char *(*unsupported)(void);

	/* Create both sides.  Returns 0, or -1 with a reason in err (call, errno, advice). */
	int (*open)(struct tr_pair *p, char *err, size_t errlen);
	/* After fork: keep side's ends, close the other side's. */
	void (*keep)(struct tr_pair *p, int side);
	/* Move bytes; same contract as write(2)/read(2) (may be partial on streams). */
	ssize_t (*send)(struct tr_end *e, const void *buf, size_t len);
	ssize_t (*recv)(struct tr_end *e, void *buf, size_t len);
	/* Release whatever this process still holds of the pair, and any name it created. */
	void (*close)(struct tr_pair *p);

	/* Optional.  What the OS reports for the direction side 0 -> side 1; 0, or -1 with the
	 * reason in err (the call, errno, or that the platform lacks it). */
	int (*oscap)(struct tr_pair *p, struct tr_oscap *out, char *err, size_t errlen);
	/* Optional.  Ask for capacity want (bytes) for side 0 -> side 1; returns the bytes
	 * granted, as the OS reports the same quantity oscap() gives as value (Linux reports
	 * twice a socket buffer's request), or -1 with the reason in err. */
	long long (*setcap)(struct tr_pair *p, long long want, char *err, size_t errlen);
};

/* The table, ending with NULL. */
extern const struct transport *const transports[];

const struct transport *tr_find(const char *name);

/* The largest message tr carries whole here (0 = no limit); why gets where that comes from. */
size_t tr_max_msg(const struct transport *tr, char *why, size_t whylen);

/* Open a pair of tr, zeroing p first.  Returns 0 or -1 with err. */
int tr_open(const struct transport *tr, struct tr_pair *p, char *err, size_t errlen);
void tr_close(struct tr_pair *p);

/* Set or clear O_NONBLOCK on fd; returns 0 or -1 (errno set). */
int tr_set_nonblock(int fd, int on);

/* Generic fd send/recv for transports whose ends are plain descriptors. */
ssize_t tr_fd_send(struct tr_end *e, const void *buf, size_t len);
ssize_t tr_fd_recv(struct tr_end *e, void *buf, size_t len);
/* Close the descriptors of side s that are still open (a keep()/close() building block). */
void tr_close_side(struct tr_pair *p, int s);
/* keep() and close() for transports whose ends are plain descriptors, each side its own:
 * keep closes the other side's, close closes both sides' (pipe, fifo, unix-*, tcp, udp). */
void tr_fd_keep(struct tr_pair *p, int side);
void tr_fd_close(struct tr_pair *p);

#ifdef __cplusplus
}
#endif

#endif
