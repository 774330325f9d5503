#include <cblas.h>
/* openblas_set_num_threads is declared in OpenBLAS's cblas.h; the engine keeps OpenBLAS single-threaded. */
