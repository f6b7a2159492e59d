#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
#include <stddef.h>
#include <stdint.h>

/// Version strings of the linked libpng and libjpeg, e.g. "png 1.6.39, jpeg 62".
const char *vlp_codecs_version(void);

/// Largest image (width × height) the decoders accept; checked before any pixel allocation.
#define VLP_MAX_PIXELS (1L << 28)

/// Result codes of every decode/encode call. On failure `err` holds a one-line reason.
enum {
    VLP_OK = 0,
    VLP_CORRUPT = 1,      ///< the data is not a valid image of the format (truncated, bad CRC, …)
    VLP_TOO_LARGE = 2,    ///< declared dimensions exceed VLP_MAX_PIXELS or 65535 per side
    VLP_UNSUPPORTED = 3,  ///< a valid file whose layout we do not decode
    VLP_NO_MEMORY = 4,
};

/// What a decode will produce: 8-bit interleaved pixels with 1 (gray), 3 (RGB) or 4 (RGBA) channels.
typedef struct {
    int width;
    int height;
    int channels;
} vlp_info;

/// Reads the PNG header and reports the normalised output layout (16-bit → 8, palette → RGB(A),
/// gray+alpha → RGBA, tRNS → alpha). Never allocates pixel memory.
int vlp_png_info(const uint8_t *data, size_t length, vlp_info *info, char *err, size_t errlen);
/// Decodes a PNG into `out` (exactly width·height·channels bytes as reported by vlp_png_info).
int vlp_png_decode(const uint8_t *data, size_t length, uint8_t *out, size_t outlen,
                   char *err, size_t errlen);

/// Reads the JPEG header: gray → 1 channel, everything else (YCbCr, RGB, CMYK, YCCK) → 3.
int vlp_jpeg_info(const uint8_t *data, size_t length, vlp_info *info, char *err, size_t errlen);
/// Decodes a JPEG into `out`; CMYK/YCCK are converted to RGB (Adobe-inverted when marked).
/// Any libjpeg warning except extraneous bytes (premature end, corrupt entropy data) fails.
int vlp_jpeg_decode(const uint8_t *data, size_t length, uint8_t *out, size_t outlen,
                    char *err, size_t errlen);

/// Encodes 8-bit interleaved pixels (channels 1, 2, 3 or 4) as PNG with zlib `level` (0–9).
/// On success `*out` is malloc'd; release it with vlp_free.
int vlp_png_encode(const uint8_t *pixels, int width, int height, int channels, int level,
                   uint8_t **out, size_t *outlen, char *err, size_t errlen);
/// Encodes gray (1) or RGB (3) pixels as baseline JPEG, 4:2:0 for RGB, `quality` 1–100.
int vlp_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                    int progressive, uint8_t **out, size_t *outlen, char *err, size_t errlen);

void vlp_free(void *pointer);

#endif
