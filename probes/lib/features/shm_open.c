/* POSIX shared memory objects. */
#include <fcntl.h>
#include <sys/mman.h>
int main(void) { return shm_open("/x", O_RDONLY, 0); }
