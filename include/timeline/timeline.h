#ifndef TIMELINE_TIMELINE_H
#define TIMELINE_TIMELINE_H

/*
 * timeline: measure and draw parallel work. This umbrella header includes every
 * public layer. Each header states its ownership rule at its top.
 */

#include <timeline/error.h>
#include <timeline/io.h>
#include <timeline/recorder.h>
#include <timeline/render.h>
#include <timeline/run.h>
#include <timeline/trace.h>

#define TL_VERSION_MAJOR 0
#define TL_VERSION_MINOR 1
#define TL_VERSION_PATCH 0
#define TL_VERSION "0.1.0"

#endif
