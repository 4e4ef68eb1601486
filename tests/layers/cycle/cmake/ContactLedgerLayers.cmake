# A layer table for the check's own test: `a` and `b` depend on each other.
set(CONTACTLEDGER_LAYERS a b)
set(CONTACTLEDGER_LAYER_DEPS_a b)
set(CONTACTLEDGER_LAYER_DEPS_b a)
