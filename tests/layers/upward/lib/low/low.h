// Includes a layer above it: the check must refuse this tree.
#include "lib/high/high.h"
