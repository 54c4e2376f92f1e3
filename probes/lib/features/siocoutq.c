/* SIOCINQ/SIOCOUTQ on sockets (Linux). */
#include <linux/sockios.h>
#include <sys/ioctl.h>
int main(void) { int n; return ioctl(0, SIOCOUTQ, &n); }
