# NATS JetStream (issue 16): the C client libnats for the replication layer
# and nats-server for the tests' 3-node cluster (tests/nats/). Both are
# optional: without them the replication parts and their tests are left out,
# and configure says so. scripts/install-deps.sh installs both (Debian 12:
# libnats-dev 3.4.1, nats-server 2.9.10).
#
# Sets:
#   CONTACTLEDGER_HAVE_NATS    ON when libnats is found: the code that
#                              talks to NATS can be built
#   contactledger_nats         INTERFACE target, only when libnats is found:
#                              libnats's include directories and libraries
#                              (the pkg-config target PkgConfig::libnats)
#   CONTACTLEDGER_NATS_SERVER  the nats-server program (cache; -NOTFOUND
#                              when absent): the cluster tests need it too
#
# libnats is found with pkg-config: the CMake config that Debian's package
# ships (cnats) names a static library the package does not contain, so
# find_package(cnats) fails.

find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(libnats QUIET IMPORTED_TARGET GLOBAL libnats)
endif()
# nats-server lives in /usr/sbin, which is not on every user's PATH.
find_program(CONTACTLEDGER_NATS_SERVER nats-server
  PATHS /usr/sbin /usr/local/sbin /usr/local/bin
  DOC "nats-server for the replication tests (tests/nats/)")

if(libnats_FOUND)
  set(CONTACTLEDGER_HAVE_NATS ON)
  add_library(contactledger_nats INTERFACE)
  target_link_libraries(contactledger_nats INTERFACE PkgConfig::libnats)
  message(STATUS "NATS: libnats ${libnats_VERSION}")
else()
  set(CONTACTLEDGER_HAVE_NATS OFF)
  message(WARNING "NATS: no libnats (pkg-config libnats; Debian: "
    "libnats-dev): replication over NATS JetStream is left out and its "
    "tests are skipped. scripts/install-deps.sh installs it.")
endif()
if(CONTACTLEDGER_NATS_SERVER)
  message(STATUS "NATS: nats-server ${CONTACTLEDGER_NATS_SERVER}")
else()
  message(WARNING "NATS: no nats-server (Debian: nats-server): the tests "
    "that need a NATS JetStream cluster are skipped. "
    "scripts/install-deps.sh installs it.")
endif()
