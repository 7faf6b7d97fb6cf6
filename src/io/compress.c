/*
 * gzip through zlib (inflateInit2 with 15 + 32: gzip or zlib headers, every
 * member in turn, as gzip -d does) and zstd through libzstd's streaming API
 * (every frame in turn). Output streams are fopencookie() streams that feed
 * a compressor and write its output to the target FILE, so the writers need
 * not know.
 */

#include "compress.h"

#include "../model/bytes.h"

#include <errno.h>
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
	if (st != TL_OK) {
		free(buf);
		return st;
	}
	*ret_buf = buf;
	*ret_len = out;
	return TL_OK;
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
	if (st != TL_OK) {
		free(buf);
		return st;
	}
	*ret_buf = buf;
	*ret_len = out.pos;
	return TL_OK;
}

tl_status tl_decompress(tl_codec codec, const void *data, size_t len, const char *name, size_t max,
			char **ret_buf, size_t *ret_len, struct tl_error *err) {
	return codec == TL_CODEC_ZSTD ? unzstd(data, len, name, max, ret_buf, ret_len, err)
				      : gunzip(data, len, name, max, ret_buf, ret_len, err);
}

/* ---- output ---- */

struct zout {
	tl_codec codec;
	FILE *f;
	z_stream z;
	ZSTD_CStream *zs;
	bool failed;
	unsigned char buf[1 << 16];
};

/* Feed n bytes (or finish, when end) through the compressor into f. */
static bool pump(struct zout *c, const char *data, size_t n, bool end) {
	if (c->codec == TL_CODEC_GZIP) {
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
	if (c->codec == TL_CODEC_GZIP) {
		deflateEnd(&c->z);
	} else {
		ZSTD_freeCStream(c->zs);
	}
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
	bool ok;
	if (codec == TL_CODEC_GZIP) {
		/* Level 1: timestamps compress about 10× already; higher levels cost
		 * several times the time for a few percent. 15 + 16: a gzip header. */
		ok = deflateInit2(&c->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
	} else {
		c->zs = ZSTD_createCStream();
		ok = c->zs &&
		     !ZSTD_isError(ZSTD_CCtx_setParameter(c->zs, ZSTD_c_compressionLevel, 1));
		if (!ok) {
			ZSTD_freeCStream(c->zs);
		}
	}
	FILE *s =
		ok ? fopencookie(c, "w",
				 (cookie_io_functions_t){.write = zout_write, .close = zout_close})
		   : NULL;
	if (!s) {
		if (ok && codec == TL_CODEC_GZIP) {
			deflateEnd(&c->z);
		} else if (ok) {
			ZSTD_freeCStream(c->zs);
		}
		free(c);
	}
	return s;
}
