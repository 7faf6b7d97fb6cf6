/*
 * pngdiff A.png B.png MAX_MEAN MAX_FRACTION: compare two PNGs of the same size
 * (any colour type; alpha composited on white). Prints the mean absolute
 * channel difference and the fraction of pixels differing by more than 64 in
 * some channel; exits 0 when both are within the limits, 1 otherwise.
 */

#include <png.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char *load(const char *path, int *w, int *h) {
	png_image img = {.version = PNG_IMAGE_VERSION};
	if (!png_image_begin_read_from_file(&img, path)) {
		fprintf(stderr, "pngdiff: %s: %s\n", path, img.message);
		return NULL;
	}
	img.format = PNG_FORMAT_RGB;
	unsigned char *buf = malloc(PNG_IMAGE_SIZE(img));
	png_color white = {255, 255, 255};
	if (!buf || !png_image_finish_read(&img, &white, buf, 0, NULL)) {
		fprintf(stderr, "pngdiff: %s: %s\n", path, img.message);
		free(buf);
		return NULL;
	}
	*w = (int)img.width;
	*h = (int)img.height;
	return buf;
}

int main(int argc, char **argv) {
	if (argc != 5) {
		fprintf(stderr, "usage: pngdiff A.png B.png MAX_MEAN MAX_FRACTION\n");
		return 2;
	}
	int wa, ha, wb, hb;
	unsigned char *a = load(argv[1], &wa, &ha), *b = load(argv[2], &wb, &hb);
	if (!a || !b) {
		free(a);
		free(b);
		return 2;
	}
	if (wa != wb || ha != hb) {
		printf("size %dx%d vs %dx%d\n", wa, ha, wb, hb);
		free(a);
		free(b);
		return 1;
	}
	double sum = 0;
	long differing = 0;
	long n = (long)wa * ha;
	for (long i = 0; i < n; i++) {
		int worst = 0;
		for (int c = 0; c < 3; c++) {
			int d = abs(a[3 * i + c] - b[3 * i + c]);
			sum += d;
			worst = d > worst ? d : worst;
		}
		differing += worst > 64;
	}
	double mean = sum / (3.0 * (double)n), frac = (double)differing / (double)n;
	printf("mean %.3f differing %.4f\n", mean, frac);
	free(a);
	free(b);
	return mean <= atof(argv[3]) && frac <= atof(argv[4]) ? 0 : 1;
}
