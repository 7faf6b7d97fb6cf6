#ifndef TIMELINE_VERSION_H
#define TIMELINE_VERSION_H

/* The library's version, as semantic versioning (https://semver.org) numbers and text. */
#define TL_VERSION_MAJOR 0
#define TL_VERSION_MINOR 1
#define TL_VERSION_PATCH 0
#define TL_VERSION "0.1.0"

#endif
