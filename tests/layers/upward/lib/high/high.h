// The upper layer.
#include "lib/low/low.h"
