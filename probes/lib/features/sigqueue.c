/* Real-time signals with a value: sigqueue(), sigwaitinfo(), SIGRTMIN. */
#include <signal.h>
#include <unistd.h>
int main(void)
{
	sigset_t s;
	siginfo_t si;
	union sigval v = { .sival_int = 1 };
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sigqueue(getpid(), SIGRTMIN, v);
	return sigwaitinfo(&s, &si) == SIGRTMIN ? 0 : 1;
}
