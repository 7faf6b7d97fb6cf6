#ifndef TIMELINE_MODEL_HASH_H
#define TIMELINE_MODEL_HASH_H

/* The model's and the readers' own tables take tl_mix64() from here until they use util/hashmap.h.
 */
#include "../util/hash.h"

#endif
