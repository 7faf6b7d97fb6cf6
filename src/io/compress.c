/*
 * gzip through zlib (inflateInit2 with 15 + 32: gzip or zlib headers, every
 * member in turn, as gzip -d does), zstd through libzstd's streaming API
 * (every frame in turn) and xz through liblzma's .xz stream decoder
 * (LZMA_CONCATENATED: every stream in turn and the zero padding between
 * them, as xz -d does; its memory usage capped by the same limit as the
 * output, so that a header asking for a huge dictionary is refused before
 * it is allocated). Output streams are fopencookie() streams that feed
 * a compressor and write its output to the target FILE, so the writers need
 * not know.
 */

#include "compress.h"

#include "../model/bytes.h"

#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

tl_codec tl_codec_sniff(const void *data, size_t len) {
	const unsigned char *p = data;
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		return TL_CODEC_GZIP;
	}
	if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) {
		return TL_CODEC_ZSTD;
	}
	static const unsigned char xz[6] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
	if (len >= sizeof(xz) && memcmp(p, xz, sizeof(xz)) == 0) {
		return TL_CODEC_XZ;
	}
	return TL_CODEC_NONE;
}

tl_codec tl_codec_from_path(const char *path) {
	const char *dot = strrchr(path, '.');
	if (dot && strcasecmp(dot, ".gz") == 0) {
		return TL_CODEC_GZIP;
	}
	if (dot && strcasecmp(dot, ".zst") == 0) {
		return TL_CODEC_ZSTD;
	}
	if (dot && strcasecmp(dot, ".xz") == 0) {
		return TL_CODEC_XZ;
	}
	return TL_CODEC_NONE;
}

/* Grow *buf so that at least `want` more bytes fit after len. */
static bool grow(char **buf, size_t *cap, size_t len, size_t want, size_t max) {
	if (*cap - len >= want) {
		return true;
	}
	size_t n = *cap ? *cap : 1 << 16;
	while (n - len < want) {
		if (n > SIZE_MAX / 2) {
			return false;
		}
		n *= 2;
	}
	if (max && n > max) {
		n = max > len + want ? max : len + want;
		if (n > max) {
			return false;
		}
	}
	char *nb = realloc(*buf, n);
	if (!nb) {
		return false;
	}
	*buf = nb;
	*cap = n;
	return true;
}

static tl_status too_big(const char *name, size_t max, struct tl_error *err) {
	if (max) {
		char b[32];
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0,
				    "memory limit reached: the input decompresses to over %s "
				    "(--max-memory)",
				    tl_bytes_str(max, b));
	}
	return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory decompressing");
}

/* The end of a decompressor with status st: the len bytes of buf are the caller's, or freed. */
static tl_status hand_over(tl_status st, char *buf, size_t len, char **ret_buf, size_t *ret_len) {
	if (st != TL_OK) {
		free(buf);
		return st;
	}
	*ret_buf = buf;
	*ret_len = len;
	return TL_OK;
}

static tl_status gunzip(const void *data, size_t len, const char *name, size_t max, char **ret_buf,
			size_t *ret_len, struct tl_error *err) {
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK) {
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	char *buf = NULL;
	size_t cap = 0, out = 0;
	const unsigned char *in = data;
	size_t left = len;
	tl_status st = TL_OK;
	int ret = Z_OK;
	while (st == TL_OK) {
		if (!grow(&buf, &cap, out, 1 << 16, max)) {
			st = too_big(name, max, err);
			break;
		}
		uInt chunk_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
		size_t room = cap - out;
		z.next_in = (Bytef *)in;
		z.avail_in = chunk_in;
		z.next_out = (Bytef *)buf + out;
		z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
		uInt before_out = z.avail_out;
		ret = inflate(&z, Z_NO_FLUSH);
		size_t used = chunk_in - z.avail_in;
		in += used;
		left -= used;
		out += before_out - z.avail_out;
		if (ret == Z_STREAM_END) {
			/* Another member may follow, as gzip -d reads them. */
			while (left && *in == 0) { /* trailing zeros some tools pad with */
				in++;
				left--;
			}
			if (left == 0) {
				break;
			}
			inflateReset(&z);
			continue;
		}
		if (ret == Z_BUF_ERROR && left == 0) {
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "gzip data ends early: the file is truncated");
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0, "corrupt gzip data: %s",
					  z.msg ? z.msg : "inflate failed");
		}
	}
	inflateEnd(&z);
	return hand_over(st, buf, out, ret_buf, ret_len);
}

static tl_status unzstd(const void *data, size_t len, const char *name, size_t max, char **ret_buf,
			size_t *ret_len, struct tl_error *err) {
	ZSTD_DStream *d = ZSTD_createDStream();
	if (!d) {
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	char *buf = NULL;
	size_t cap = 0;
	ZSTD_inBuffer in = {data, len, 0};
	ZSTD_outBuffer out = {NULL, 0, 0};
	tl_status st = TL_OK;
	size_t ret = 1;
	while (st == TL_OK && (in.pos < in.size || ret != 0)) {
		if (!grow(&buf, &cap, out.pos, 1 << 16, max)) {
			st = too_big(name, max, err);
			break;
		}
		out.dst = buf;
		out.size = cap;
		size_t before_in = in.pos, before_out = out.pos;
		ret = ZSTD_decompressStream(d, &out, &in);
		if (ZSTD_isError(ret)) {
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0, "corrupt zstd data: %s",
					  ZSTD_getErrorName(ret));
		} else if (ret != 0 && in.pos == in.size && in.pos == before_in &&
			   out.pos == before_out) {
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "zstd data ends early: the file is truncated");
		}
	}
	ZSTD_freeDStream(d);
	return hand_over(st, buf, out.pos, ret_buf, ret_len);
}

static tl_status unxz(const void *data, size_t len, const char *name, size_t max, char **ret_buf,
		      size_t *ret_len, struct tl_error *err) {
	lzma_stream s = LZMA_STREAM_INIT;
	if (lzma_stream_decoder(&s, max ? max : UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	char *buf = NULL;
	size_t cap = 0;
	s.next_in = data;
	s.avail_in = len;
	tl_status st = TL_OK;
	for (;;) {
		if (!grow(&buf, &cap, (size_t)s.total_out, 1 << 16, max)) {
			st = too_big(name, max, err);
			break;
		}
		s.next_out = (uint8_t *)buf + s.total_out;
		s.avail_out = cap - (size_t)s.total_out;
		/* All the input is there: LZMA_FINISH says no more will come. */
		lzma_ret ret = lzma_code(&s, LZMA_FINISH);
		if (ret == LZMA_STREAM_END) {
			break;
		}
		if (ret == LZMA_OK) {
			continue;
		}
		char need[32], lim[32];
		switch (ret) {
		case LZMA_BUF_ERROR: /* out of input with room left for output */
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "xz data ends early: the file is truncated");
			break;
		case LZMA_MEMLIMIT_ERROR:
			st = tl_error_set(err, TL_ERR_NOMEM, name, 0, 0,
					  "memory limit reached: decompressing the xz data "
					  "needs %s, over %s (--max-memory)",
					  tl_bytes_str((size_t)lzma_memusage(&s), need),
					  tl_bytes_str(max, lim));
			break;
		case LZMA_MEM_ERROR:
			st = tl_error_set(err, TL_ERR_NOMEM, name, 0, 0,
					  "out of memory decompressing");
			break;
		case LZMA_FORMAT_ERROR:
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "corrupt xz data: not in the .xz format");
			break;
		case LZMA_OPTIONS_ERROR:
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "corrupt xz data: unsupported options");
			break;
		default: /* LZMA_DATA_ERROR, and any other */
			st = tl_error_set(err, TL_ERR_INPUT, name, 0, 0,
					  "corrupt xz data: compressed data is corrupt");
			break;
		}
		break;
	}
	size_t out = (size_t)s.total_out;
	lzma_end(&s);
	return hand_over(st, buf, out, ret_buf, ret_len);
}

tl_status tl_decompress(tl_codec codec, const void *data, size_t len, const char *name, size_t max,
			char **ret_buf, size_t *ret_len, struct tl_error *err) {
	switch (codec) {
	case TL_CODEC_ZSTD:
		return unzstd(data, len, name, max, ret_buf, ret_len, err);
	case TL_CODEC_XZ:
		return unxz(data, len, name, max, ret_buf, ret_len, err);
	default:
		return gunzip(data, len, name, max, ret_buf, ret_len, err);
	}
}

/* ---- output ---- */

struct zout {
	tl_codec codec;
	FILE *f;
	z_stream z;
	ZSTD_CStream *zs;
	lzma_stream xz;
	bool failed;
	unsigned char buf[1 << 16];
};

static bool pump_gzip(struct zout *c, const char *data, size_t n, bool end) {
	c->z.next_in = (Bytef *)data;
	c->z.avail_in = (uInt)n;
	int ret;
	do {
		c->z.next_out = c->buf;
		c->z.avail_out = sizeof(c->buf);
		ret = deflate(&c->z, end ? Z_FINISH : Z_NO_FLUSH);
		size_t have = sizeof(c->buf) - c->z.avail_out;
		if (ret == Z_STREAM_ERROR || fwrite(c->buf, 1, have, c->f) != have) {
			return false;
		}
	} while (c->z.avail_out == 0 || (end && ret != Z_STREAM_END));
	return true;
}

static bool pump_zstd(struct zout *c, const char *data, size_t n, bool end) {
	ZSTD_inBuffer in = {data, n, 0};
	for (;;) {
		ZSTD_outBuffer out = {c->buf, sizeof(c->buf), 0};
		size_t ret =
			ZSTD_compressStream2(c->zs, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
		if (ZSTD_isError(ret) || fwrite(c->buf, 1, out.pos, c->f) != out.pos) {
			return false;
		}
		if (end ? ret == 0 : in.pos == in.size) {
			return true;
		}
	}
}

static bool pump_xz(struct zout *c, const char *data, size_t n, bool end) {
	c->xz.next_in = (const uint8_t *)data;
	c->xz.avail_in = n;
	for (;;) {
		c->xz.next_out = c->buf;
		c->xz.avail_out = sizeof(c->buf);
		lzma_ret ret = lzma_code(&c->xz, end ? LZMA_FINISH : LZMA_RUN);
		size_t have = sizeof(c->buf) - c->xz.avail_out;
		if ((ret != LZMA_OK && ret != LZMA_STREAM_END) ||
		    fwrite(c->buf, 1, have, c->f) != have) {
			return false;
		}
		if (end ? ret == LZMA_STREAM_END : c->xz.avail_in == 0) {
			return true;
		}
	}
}

/* Feed n bytes (or finish, when end) through the compressor into f. */
static bool pump(struct zout *c, const char *data, size_t n, bool end) {
	switch (c->codec) {
	case TL_CODEC_ZSTD:
		return pump_zstd(c, data, n, end);
	case TL_CODEC_XZ:
		return pump_xz(c, data, n, end);
	default:
		return pump_gzip(c, data, n, end);
	}
}

/*
 * Level 1 (xz: preset 1) for each: timestamps compress about 10× already;
 * higher levels cost several times the time for a few percent. gzip's 15 +
 * 16: a gzip header. xz: CRC64, as xz(1) writes by default.
 */
static bool start(struct zout *c) {
	switch (c->codec) {
	case TL_CODEC_ZSTD:
		c->zs = ZSTD_createCStream();
		return c->zs &&
		       !ZSTD_isError(ZSTD_CCtx_setParameter(c->zs, ZSTD_c_compressionLevel, 1));
	case TL_CODEC_XZ:
		return lzma_easy_encoder(&c->xz, 1, LZMA_CHECK_CRC64) == LZMA_OK;
	default:
		return deflateInit2(&c->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
	}
}

/* Free the compressor's state; safe after start() failed, or never ran. */
static void stop(struct zout *c) {
	switch (c->codec) {
	case TL_CODEC_ZSTD:
		ZSTD_freeCStream(c->zs);
		break;
	case TL_CODEC_XZ:
		lzma_end(&c->xz);
		break;
	default:
		deflateEnd(&c->z);
		break;
	}
}

static ssize_t zout_write(void *cookie, const char *data, size_t n) {
	struct zout *c = cookie;
	size_t chunk = n > UINT32_MAX ? UINT32_MAX : n;
	if (c->failed || !pump(c, data, chunk, false)) {
		c->failed = true;
		errno = EIO;
		return -1;
	}
	return (ssize_t)chunk;
}

static int zout_close(void *cookie) {
	struct zout *c = cookie;
	bool ok = !c->failed && pump(c, NULL, 0, true) && fflush(c->f) == 0;
	stop(c);
	free(c);
	return ok ? 0 : EOF;
}

FILE *tl_compress_stream(tl_codec codec, FILE *f) {
	struct zout *c = calloc(1, sizeof(*c));
	if (!c) {
		return NULL;
	}
	c->codec = codec;
	c->f = f;
	c->xz = (lzma_stream)LZMA_STREAM_INIT;
	FILE *s = start(c) ? fopencookie(c, "w",
					 (cookie_io_functions_t){.write = zout_write,
								 .close = zout_close})
			   : NULL;
	if (!s) {
		stop(c);
		free(c);
	}
	return s;
}
