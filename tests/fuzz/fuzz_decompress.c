/*
 * libFuzzer target for compressed input: gzip, zstd and xz data of any shape is
 * decompressed or refused with one line naming the input, within the memory
 * limit; what decompresses, compressed again and decompressed, comes back
 * the same.
 */

#include "../../src/io/compress.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LIMIT (4u << 20)

static void roundtrip(tl_codec codec, const char *plain, size_t len) {
	char *packed = NULL;
	size_t plen = 0;
	FILE *mem = open_memstream(&packed, &plen);
	FILE *z = mem ? tl_compress_stream(codec, mem) : NULL;
	if (!z || fwrite(plain, 1, len, z) != len || fclose(z) != 0 || fclose(mem) != 0) {
		abort();
	}
	char *back = NULL;
	size_t blen = 0;
	struct tl_error err = {0};
	if (tl_decompress(codec, packed, plen, "again", 0, &back, &blen, &err) != TL_OK ||
	    blen != len || (len && memcmp(back, plain, len) != 0)) {
		fprintf(stderr, "round trip lost data: %s\n", err.msg);
		abort();
	}
	free(back);
	free(packed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	for (int c = TL_CODEC_GZIP; c <= TL_CODEC_XZ; c++) {
		/* The fuzzer's bytes after each codec's magic, and as they are. */
		static const uint8_t magic[3][6] = {
			{0x1f, 0x8b}, {0x28, 0xb5, 0x2f, 0xfd}, {0xfd, '7', 'z', 'X', 'Z', 0x00}};
		static const size_t magic_len[3] = {2, 4, 6};
		size_t m = magic_len[c - 1];
		if (tl_codec_sniff(magic[c - 1], m) != (tl_codec)c) {
			abort();
		}
		uint8_t *in = malloc(size + m);
		if (!in) {
			return 0;
		}
		memcpy(in, magic[c - 1], m);
		memcpy(in + m, data, size);
		for (int v = 0; v < 2; v++) {
			const uint8_t *p = v ? data : in;
			size_t n = v ? size : size + m;
			char *out = NULL;
			size_t len = 0;
			struct tl_error err = {0};
			tl_status st = tl_decompress((tl_codec)c, p, n, "fuzz.in", LIMIT, &out,
						     &len, &err);
			if (st != TL_OK) {
				if (!err.msg[0] || strchr(err.msg, '\n') ||
				    strcmp(err.path, "fuzz.in") != 0) {
					fprintf(stderr, "bad message: '%s'\n", err.msg);
					abort();
				}
				continue;
			}
			if (len > LIMIT) {
				abort();
			}
			roundtrip((tl_codec)c, out, len);
			free(out);
		}
		free(in);
	}
	return 0;
}
