/* F_SETPIPE_SZ / F_GETPIPE_SZ: resize a pipe (Linux 2.6.35). */
#include <fcntl.h>
int main(void) { return fcntl(0, F_GETPIPE_SZ) + F_SETPIPE_SZ; }
