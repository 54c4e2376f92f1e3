/* guest_facts.c - run by the lab's guest init before the config: what this kernel itself says
 * about a fresh pipe, printed on the console as "lab: fact: KEY=VALUE" lines.  make test-lab
 * compares them with the records the run brought back: a witness that is not the probe.
 * Linux only (the lab boots Linux kernels); each fact is guarded by the constant it needs. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
	struct utsname u;
	int fd[2];
	if (uname(&u) == 0)
		printf("lab: fact: uname_release=%s\n", u.release);
	if (pipe(fd) != 0) {
		perror("lab: fact: pipe");
		return 1;
	}
#ifdef F_GETPIPE_SZ
	printf("lab: fact: pipe_F_GETPIPE_SZ=%d\n", fcntl(fd[0], F_GETPIPE_SZ));
#endif
	printf("lab: fact: pipe_PIPE_BUF=%ld\n", fpathconf(fd[0], _PC_PIPE_BUF));
	close(fd[0]);
	close(fd[1]);
	return 0;
}
