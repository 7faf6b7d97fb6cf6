#ifndef TIMELINE_RENDER_TERM_H
#define TIMELINE_RENDER_TERM_H

#include <timeline/render.h>

#include "figure.h"

#endif
