/* System V shared memory. */
#include <sys/ipc.h>
#include <sys/shm.h>
int main(void) { return shmget(IPC_PRIVATE, 4096, 0600); }
