# The library's layers: one folder of lib/ each, listed bottom up, each with
# the folders it may use directly. A folder sees the headers of the folders
# below it (transitively) and nothing else: each layer is compiled with an
# include root of its own, build/layers/<folder>/lib/, that holds links to
# just those folders, so an include of a higher (or unrelated) layer fails to
# compile. tests/check_layers.cmake checks the same table against the
# sources (a CTest test); docs/architecture.md draws it.
#
# Read by the root CMakeLists.txt and by tests/check_layers.cmake: keep it a
# plain table of set() calls.

set(CONTACTLEDGER_LAYERS
  util       # UTF-8 and text checks, enum names, time conversions
  env        # the file system: POSIX and in memory
  log        # framed, checksummed records in files
  columns    # in-memory columns: arrays, arenas, key maps, snapshot sections
  index      # the event index and the tables of areas, households, ...
  identity   # national id and phone checks (applied on append)
  state      # LedgerState: the tables, record decoding, apply, read handle
  core       # Ledger: writer queue, validation, log, snapshots, manifest
  query      # the tracing engine and Tracer, policies, contacts
  privacy    # redaction of output
  scope      # scoped views, audit trail
  report     # answers as CSV, JSON and DOT
  dashboard  # the county dashboard: one self-contained HTML page
  import     # CSV and JSON Lines to events
  synthetic  # the synthetic county
  replication  # shipping and following a ledger on NATS JetStream (libnats)
)

set(CONTACTLEDGER_LAYER_DEPS_util)
set(CONTACTLEDGER_LAYER_DEPS_env util)
set(CONTACTLEDGER_LAYER_DEPS_log env util)
set(CONTACTLEDGER_LAYER_DEPS_columns log util)
set(CONTACTLEDGER_LAYER_DEPS_index columns util)
set(CONTACTLEDGER_LAYER_DEPS_identity util)
set(CONTACTLEDGER_LAYER_DEPS_state index columns util)
set(CONTACTLEDGER_LAYER_DEPS_core state identity index columns log env util)
set(CONTACTLEDGER_LAYER_DEPS_query state index columns util)
set(CONTACTLEDGER_LAYER_DEPS_privacy state identity index util)
set(CONTACTLEDGER_LAYER_DEPS_scope query core state index columns util)
set(CONTACTLEDGER_LAYER_DEPS_report query util)
# The dashboard asks Tracers (query), writes with report's building blocks
# and redacts with privacy's Redactor, each through its public header.
set(CONTACTLEDGER_LAYER_DEPS_dashboard report privacy query util)
set(CONTACTLEDGER_LAYER_DEPS_import core util)
set(CONTACTLEDGER_LAYER_DEPS_synthetic util)
set(CONTACTLEDGER_LAYER_DEPS_replication core util)
