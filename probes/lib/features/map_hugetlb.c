/* MAP_HUGETLB: huge pages for anonymous mappings (Linux). */
#include <sys/mman.h>
int main(void) { return MAP_HUGETLB; }
