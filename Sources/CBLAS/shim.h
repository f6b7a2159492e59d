// OpenBLAS's CBLAS interface plus its thread-control entry points.
#include <cblas.h>
