# A layer table for the check's own test: `low` includes `high`.
set(CONTACTLEDGER_LAYERS low high)
set(CONTACTLEDGER_LAYER_DEPS_low)
set(CONTACTLEDGER_LAYER_DEPS_high low)
