/* POSIX message queues (absent on macOS). */
#include <fcntl.h>
#include <mqueue.h>
int main(void) { struct mq_attr a = { 0 }; mqd_t q = mq_open("/x", O_RDONLY, 0600, &a); return q == (mqd_t)-1; }
