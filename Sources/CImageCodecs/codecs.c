#include "CImageCodecs.h"
#include <png.h>
#include <stdio.h>
#include <jpeglib.h>

const char *vlp_codecs_version(void) {
    static char buf[64];
    snprintf(buf, sizeof buf, "png %s, jpeg %d", png_get_header_ver(NULL), JPEG_LIB_VERSION);
    return buf;
}
