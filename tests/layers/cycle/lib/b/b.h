// Layer b.
#include "lib/a/a.h"
