#include "timeunit.h"

static const struct {
	const char *symbol, *name;
	int64_t ns;
} units[TL_TU_COUNT] = {
	[TL_TU_NS] = {"ns", "ns", 1},
	[TL_TU_US] = {"\xc2\xb5s", "us", TL_NS_PER_US},
	[TL_TU_MS] = {"ms", "ms", TL_NS_PER_MS},
	[TL_TU_S] = {"s", "s", TL_NS_PER_S},
	[TL_TU_MIN] = {"min", "min", TL_NS_PER_MIN},
	[TL_TU_H] = {"h", "h", TL_NS_PER_H},
	[TL_TU_D] = {"d", "d", TL_NS_PER_D},
};

int64_t tl_time_unit_ns(tl_time_unit u) {
	return u < TL_TU_COUNT ? units[u].ns : 0;
}

int tl_time_unit_scale10(tl_time_unit u) {
	int64_t ns = tl_time_unit_ns(u);
	int e = 0;
	for (; ns >= 10 && ns % 10 == 0; ns /= 10) {
		e++;
	}
	return ns == 1 ? e : -1;
}

const char *tl_time_unit_symbol(tl_time_unit u) {
	return u < TL_TU_COUNT ? units[u].symbol : "?";
}

const char *tl_time_unit_name(tl_time_unit u) {
	return u < TL_TU_COUNT ? units[u].name : "?";
}
