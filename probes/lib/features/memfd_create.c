/* memfd_create(2): anonymous memory with a descriptor. */
#include <sys/mman.h>
int main(void) { return memfd_create("x", MFD_CLOEXEC); }
