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
#include <timeline/version.h>

#endif
