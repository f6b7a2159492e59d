// Error-safe PNG and JPEG codecs over libpng and libjpeg(-turbo), reading from and writing to
// memory. Every library error longjmps back to the public function that set the jump point,
// which frees what it allocated and returns a VLP_* code with a one-line message in `err`.
// Nothing here calls exit() or writes to stderr. Pixel layout decisions (16 → 8 bit, palette
// expansion, CMYK → RGB) are made here so Swift receives plain 8-bit gray, RGB or RGBA rows.
#include "CImageCodecs.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

const char *vlp_codecs_version(void) {
    static char buf[64];
    snprintf(buf, sizeof buf, "png %s, jpeg %d", png_get_header_ver(NULL), JPEG_LIB_VERSION);
    return buf;
}

void vlp_free(void *pointer) { free(pointer); }

static void set_error(char *err, size_t errlen, const char *message) {
    if (err && errlen) snprintf(err, errlen, "%s", message);
}

static int check_dimensions(unsigned long width, unsigned long height, char *err, size_t errlen) {
    if (width == 0 || height == 0) {
        set_error(err, errlen, "image has zero width or height");
        return VLP_CORRUPT;
    }
    if (width > 1000000UL || height > 1000000UL ||
        (unsigned long long)width * height > (unsigned long long)VLP_MAX_PIXELS) {
        if (err && errlen)
            snprintf(err, errlen, "declared size %lux%lu exceeds the limit of %ld pixels",
                     width, height, (long)VLP_MAX_PIXELS);
        return VLP_TOO_LARGE;
    }
    return VLP_OK;
}

// MARK: - PNG

typedef struct { const uint8_t *data; size_t length, offset; } png_reader;
typedef struct { char *err; size_t errlen; } png_errors;
typedef struct { uint8_t *data; size_t length, capacity; } png_writer;

static void png_read_memory(png_structp png, png_bytep out, size_t count) {
    png_reader *reader = (png_reader *)png_get_io_ptr(png);
    if (count > reader->length - reader->offset) png_error(png, "file is truncated");
    memcpy(out, reader->data + reader->offset, count);
    reader->offset += count;
}

static void png_write_memory(png_structp png, png_bytep in, size_t count) {
    png_writer *writer = (png_writer *)png_get_io_ptr(png);
    if (count > writer->capacity - writer->length) {
        size_t capacity = writer->capacity ? writer->capacity * 2 : 65536;
        while (capacity - writer->length < count) capacity *= 2;
        uint8_t *grown = (uint8_t *)realloc(writer->data, capacity);
        if (!grown) png_error(png, "out of memory");
        writer->data = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->data + writer->length, in, count);
    writer->length += count;
}

static void png_flush_memory(png_structp png) { (void)png; }

static void png_error_handler(png_structp png, png_const_charp message) {
    png_errors *errors = (png_errors *)png_get_error_ptr(png);
    set_error(errors->err, errors->errlen, message);
    png_longjmp(png, 1);
}

static void png_warning_handler(png_structp png, png_const_charp message) {
    (void)png; (void)message;   // ancillary-chunk problems: libpng recovers, so do we
}

/// Reads the header, installs the normalising transforms and reports the output layout.
/// Must run under the caller's setjmp.
static int png_prepare(png_structp png, png_infop info, vlp_info *layout, char *err, size_t errlen) {
    png_set_user_limits(png, 0x7fffffffL, 0x7fffffffL);   // our own cap below names the size
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    int rc = check_dimensions(width, height, err, errlen);
    if (rc != VLP_OK) return rc;
    int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (depth == 16) png_set_strip_16(png);                 // keep the high byte, as Pillow does
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (has_trns) png_set_tRNS_to_alpha(png);
    if (type == PNG_COLOR_TYPE_GRAY_ALPHA || (type == PNG_COLOR_TYPE_GRAY && has_trns))
        png_set_gray_to_rgb(png);                           // gray+alpha becomes RGBA
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    if (png_get_bit_depth(png, info) != 8 || (channels != 1 && channels != 3 && channels != 4) ||
        png_get_rowbytes(png, info) != (size_t)width * channels) {
        set_error(err, errlen, "unsupported PNG pixel layout");
        return VLP_UNSUPPORTED;
    }
    layout->width = (int)width;
    layout->height = (int)height;
    layout->channels = channels;
    return VLP_OK;
}

int vlp_png_info(const uint8_t *data, size_t length, vlp_info *layout, char *err, size_t errlen) {
    png_errors errors = { err, errlen };
    png_reader reader = { data, length, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors,
                                             png_error_handler, png_warning_handler);
    if (!png) { set_error(err, errlen, "out of memory"); return VLP_NO_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); set_error(err, errlen, "out of memory"); return VLP_NO_MEMORY; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return VLP_CORRUPT;
    }
    png_set_read_fn(png, &reader, png_read_memory);
    int rc = png_prepare(png, info, layout, err, errlen);
    png_destroy_read_struct(&png, &info, NULL);
    return rc;
}

int vlp_png_decode(const uint8_t *data, size_t length, uint8_t *out, size_t outlen,
                   char *err, size_t errlen) {
    png_errors errors = { err, errlen };
    png_reader reader = { data, length, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors,
                                             png_error_handler, png_warning_handler);
    if (!png) { set_error(err, errlen, "out of memory"); return VLP_NO_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); set_error(err, errlen, "out of memory"); return VLP_NO_MEMORY; }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free((void *)rows);
        png_destroy_read_struct(&png, &info, NULL);
        return VLP_CORRUPT;
    }
    png_set_read_fn(png, &reader, png_read_memory);
    vlp_info layout;
    int rc = png_prepare(png, info, &layout, err, errlen);
    if (rc != VLP_OK) { png_destroy_read_struct(&png, &info, NULL); return rc; }
    size_t stride = (size_t)layout.width * layout.channels;
    if (stride * layout.height != outlen) {
        png_destroy_read_struct(&png, &info, NULL);
        set_error(err, errlen, "output buffer does not match the PNG layout");
        return VLP_UNSUPPORTED;
    }
    rows = (png_bytep *)malloc(sizeof(png_bytep) * layout.height);
    if (!rows) png_error(png, "out of memory");
    for (int y = 0; y < layout.height; y++) rows[y] = out + (size_t)y * stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);      // a file cut anywhere, even inside IEND, is an error
    free((void *)rows);
    png_destroy_read_struct(&png, &info, NULL);
    return VLP_OK;
}

int vlp_png_encode(const uint8_t *pixels, int width, int height, int channels, int level,
                   uint8_t **out, size_t *outlen, char *err, size_t errlen) {
    static const int types[5] = { 0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                  PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
    if (channels < 1 || channels > 4 || width <= 0 || height <= 0) {
        set_error(err, errlen, "cannot encode this pixel layout as PNG");
        return VLP_UNSUPPORTED;
    }
    png_errors errors = { err, errlen };
    png_writer *writer = (png_writer *)calloc(1, sizeof(png_writer));
    if (!writer) { set_error(err, errlen, "out of memory"); return VLP_NO_MEMORY; }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors,
                                              png_error_handler, png_warning_handler);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        free(writer);
        set_error(err, errlen, "out of memory");
        return VLP_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(writer->data);
        free(writer);
        return VLP_CORRUPT;
    }
    png_set_write_fn(png, writer, png_write_memory, png_flush_memory);
    png_set_compression_level(png, level < 0 ? 6 : (level > 9 ? 9 : level));
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    size_t stride = (size_t)width * channels;
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * stride));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = writer->data;
    *outlen = writer->length;
    free(writer);
    return VLP_OK;
}

// MARK: - JPEG

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char *err;
    size_t errlen;
} jpeg_errors;

static void jpeg_fail(j_common_ptr cinfo) {
    jpeg_errors *errors = (jpeg_errors *)cinfo->err;
    char message[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, message);
    set_error(errors->err, errors->errlen, message);
    longjmp(errors->jump, 1);
}

/// libjpeg "warnings" include premature end of data and corrupt entropy codes, after which it
/// fills the rest of the image with gray. We fail on those and ignore only the harmless ones.
static void jpeg_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;   // trace output
    switch (cinfo->err->msg_code) {
    case JWRN_EXTRANEOUS_DATA: case JWRN_ADOBE_XFORM: case JWRN_JFIF_MAJOR:
    case JWRN_BOGUS_ICC: case JWRN_TOO_MUCH_DATA:
        return;
    default:
        jpeg_fail(cinfo);
    }
}

static void jpeg_silence(j_common_ptr cinfo) { (void)cinfo; }

static void jpeg_install_errors(jpeg_errors *errors, char *err, size_t errlen) {
    jpeg_std_error(&errors->manager);
    errors->manager.error_exit = jpeg_fail;
    errors->manager.emit_message = jpeg_message;
    errors->manager.output_message = jpeg_silence;
    errors->err = err;
    errors->errlen = errlen;
}

/// Reads the header and chooses the output colour space. Must run under the caller's setjmp.
static int jpeg_prepare(struct jpeg_decompress_struct *cinfo, const uint8_t *data, size_t length,
                        vlp_info *layout, char *err, size_t errlen) {
    jpeg_mem_src(cinfo, data, (unsigned long)length);
    jpeg_read_header(cinfo, TRUE);
    int rc = check_dimensions(cinfo->image_width, cinfo->image_height, err, errlen);
    if (rc != VLP_OK) return rc;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; layout->channels = 1; break;
    case JCS_CMYK: case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; layout->channels = 3; break;
    default: cinfo->out_color_space = JCS_RGB; layout->channels = 3; break;
    }
    layout->width = (int)cinfo->image_width;
    layout->height = (int)cinfo->image_height;
    return VLP_OK;
}

int vlp_jpeg_info(const uint8_t *data, size_t length, vlp_info *layout, char *err, size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    jpeg_errors errors;
    cinfo.err = (struct jpeg_error_mgr *)&errors;
    jpeg_install_errors(&errors, err, errlen);
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return VLP_CORRUPT;
    }
    jpeg_create_decompress(&cinfo);
    int rc = jpeg_prepare(&cinfo, data, length, layout, err, errlen);
    jpeg_destroy_decompress(&cinfo);
    return rc;
}

/// CMYK → RGB exactly as Pillow's `cmyk2rgb` (R = (255−K) − round(C·(255−K)/255)). Adobe
/// files store the inks inverted (Photoshop convention), so they are flipped back first.
static void cmyk_to_rgb(const uint8_t *in, uint8_t *out, int width, int inverted) {
    for (int x = 0; x < width; x++, in += 4, out += 3) {
        int c = in[0], m = in[1], y = in[2], k = in[3];
        if (inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        int nk = 255 - k, t;
        t = c * nk + 128; out[0] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        t = m * nk + 128; out[1] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        t = y * nk + 128; out[2] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
    }
}

int vlp_jpeg_decode(const uint8_t *data, size_t length, uint8_t *out, size_t outlen,
                    char *err, size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    jpeg_errors errors;
    uint8_t *volatile cmyk_row = NULL;
    cinfo.err = (struct jpeg_error_mgr *)&errors;
    jpeg_install_errors(&errors, err, errlen);
    if (setjmp(errors.jump)) {
        free((void *)cmyk_row);
        jpeg_destroy_decompress(&cinfo);
        return VLP_CORRUPT;
    }
    jpeg_create_decompress(&cinfo);
    vlp_info layout;
    int rc = jpeg_prepare(&cinfo, data, length, &layout, err, errlen);
    if (rc != VLP_OK) { jpeg_destroy_decompress(&cinfo); return rc; }
    size_t stride = (size_t)layout.width * layout.channels;
    if (stride * layout.height != outlen) {
        jpeg_destroy_decompress(&cinfo);
        set_error(err, errlen, "output buffer does not match the JPEG layout");
        return VLP_UNSUPPORTED;
    }
    jpeg_start_decompress(&cinfo);
    if ((int)cinfo.output_width != layout.width || (int)cinfo.output_height != layout.height) {
        jpeg_destroy_decompress(&cinfo);
        set_error(err, errlen, "JPEG output size differs from its header");
        return VLP_UNSUPPORTED;
    }
    if (cinfo.out_color_space == JCS_CMYK) {
        int inverted = cinfo.saw_Adobe_marker;
        cmyk_row = (uint8_t *)malloc((size_t)layout.width * 4);
        if (!cmyk_row) ERREXIT1(&cinfo, JERR_OUT_OF_MEMORY, 0);
        while (cinfo.output_scanline < cinfo.output_height) {
            uint8_t *target = out + (size_t)cinfo.output_scanline * stride;
            JSAMPROW row = cmyk_row;
            jpeg_read_scanlines(&cinfo, &row, 1);
            cmyk_to_rgb(cmyk_row, target, layout.width, inverted);
        }
        free((void *)cmyk_row);
        cmyk_row = NULL;
    } else {
        JSAMPROW rows[16];
        while (cinfo.output_scanline < cinfo.output_height) {
            JDIMENSION first = cinfo.output_scanline, count = cinfo.output_height - first;
            if (count > 16) count = 16;
            for (JDIMENSION i = 0; i < count; i++) rows[i] = out + (size_t)(first + i) * stride;
            jpeg_read_scanlines(&cinfo, rows, count);
        }
    }
    jpeg_finish_decompress(&cinfo);   // reads to EOI, so a missing tail is reported
    jpeg_destroy_decompress(&cinfo);
    return VLP_OK;
}

typedef struct { unsigned char *data; unsigned long length; } jpeg_output;

int vlp_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                    int progressive, uint8_t **out, size_t *outlen, char *err, size_t errlen) {
    if ((channels != 1 && channels != 3) || width <= 0 || height <= 0 || width > 65500 || height > 65500) {
        set_error(err, errlen, "cannot encode this pixel layout as JPEG");
        return VLP_UNSUPPORTED;
    }
    struct jpeg_compress_struct cinfo;
    jpeg_errors errors;
    jpeg_output *output = (jpeg_output *)calloc(1, sizeof(jpeg_output));
    if (!output) { set_error(err, errlen, "out of memory"); return VLP_NO_MEMORY; }
    cinfo.err = (struct jpeg_error_mgr *)&errors;
    jpeg_install_errors(&errors, err, errlen);
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(output->data);
        free(output);
        return VLP_CORRUPT;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &output->data, &output->length);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = output->data;
    *outlen = output->length;
    free(output);
    return VLP_OK;
}
