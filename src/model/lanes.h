#ifndef TIMELINE_MODEL_LANES_H
#define TIMELINE_MODEL_LANES_H

#include <timeline/trace.h>

/*
 * Pack n intervals [start[i], stop[i]) into lanes; lane (may be NULL) gets each
 * interval's lane, *ret_lanes the number of lanes. false when out of memory.
 */
bool tl_pack_intervals(const tl_ns *start, const tl_ns *stop, size_t n, uint32_t *lane,
		       size_t *ret_lanes);

#endif
