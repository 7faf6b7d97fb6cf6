#ifndef TIMELINE_IO_COMPRESS_H
#define TIMELINE_IO_COMPRESS_H

/*
 * Compressed input and output: gzip (RFC 1952, zlib), zstd (RFC 8878,
 * libzstd) and xz (The .xz File Format,
 * https://tukaani.org/xz/xz-file-format.txt, liblzma), told apart by their
 * magic bytes on input and by the file name's extension (.gz, .zst, .xz) on
 * output.
 */

#include <timeline/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum tl_codec { TL_CODEC_NONE = 0, TL_CODEC_GZIP, TL_CODEC_ZSTD, TL_CODEC_XZ } tl_codec;

/* The codec whose magic bytes data starts with, or TL_CODEC_NONE. */
tl_codec tl_codec_sniff(const void *data, size_t len);

/* The codec a file name asks for by its extension (.gz, .zst, .xz), or TL_CODEC_NONE. */
tl_codec tl_codec_from_path(const char *path);

/*
 * Decompress data (every concatenated member, frame or stream) into a new
 * buffer (free() it). max: refuse with TL_ERR_NOMEM past that many bytes
 * (0: no limit); for xz, also when the decoder itself would need more than
 * max (a large dictionary). Errors name `name`: TL_ERR_INPUT for corrupt or
 * truncated data, TL_ERR_NOMEM when out of memory or past max.
 */
tl_status tl_decompress(tl_codec codec, const void *data, size_t len, const char *name, size_t max,
			char **ret_buf, size_t *ret_len, struct tl_error *err);

/*
 * A stream that compresses what is written to it into f, finished by
 * fclose() (which does not close f; it returns EOF when f could not be
 * written). NULL when out of memory.
 */
FILE *tl_compress_stream(tl_codec codec, FILE *f);

#endif
