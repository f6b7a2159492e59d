#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
#include <stddef.h>
#include <stdint.h>

/// Version strings of the linked libpng and libjpeg, e.g. "png 1.6.39, jpeg 62".
const char *vlp_codecs_version(void);

#endif
