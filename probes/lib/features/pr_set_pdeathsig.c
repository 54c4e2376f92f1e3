/* prctl(PR_SET_PDEATHSIG): a child learns of its parent's death (Linux). */
#include <signal.h>
#include <sys/prctl.h>
int main(void) { return prctl(PR_SET_PDEATHSIG, SIGKILL); }
