/* System V message queues. */
#include <sys/ipc.h>
#include <sys/msg.h>
int main(void) { return msgget(IPC_PRIVATE, 0600); }
