# Install rules and the CMake package for ContactLedger.
#
# Included from the root CMakeLists.txt when CONTACTLEDGER_INSTALL is ON.
# After `cmake --install <build> --prefix <prefix>` a consumer can write
#
#   find_package(ContactLedger REQUIRED)
#   target_link_libraries(app PRIVATE contactledger::contactledger)
#
# and include "contactledger/ledger.h" and "contactledger/v1/ledger.pb.h".
#
# Layout under <prefix>:
#   include/contactledger/*.h               public headers
#   include/contactledger/v1/*.pb.h         generated protobuf headers
#   include/contactledger/v1/*.proto        the schema (for protoc -I include)
#   lib/libcontactledger.a                  the library
#   lib/cmake/ContactLedger/                package config, version, targets
#   lib/pkgconfig/contactledger.pc          for pkg-config:
#     g++ app.cc $(pkg-config --cflags --libs contactledger)
#   share/doc/ContactLedger/                the tracing rules (rules.md) and
#                                           the field practice they serve

include(CMakePackageConfigHelpers)

set(CONTACTLEDGER_INSTALL_CMAKEDIR
    ${CMAKE_INSTALL_LIBDIR}/cmake/ContactLedger
    CACHE STRING "Where to install the ContactLedger CMake package files")
mark_as_advanced(CONTACTLEDGER_INSTALL_CMAKEDIR)

# Public headers, keeping their layout under include/.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/contactledger
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

# Generated protobuf headers and the .proto files they come from, each at its
# path relative to proto/ (contactledger/v1/...), so that both
# `#include "contactledger/v1/ledger.pb.h"` and
# `import "contactledger/v1/ledger.proto"` (protoc -I <prefix>/include) work.
foreach(proto ${CONTACTLEDGER_PUBLIC_PROTOS})
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/proto ${proto})
  get_filename_component(rel_dir ${rel} DIRECTORY)
  string(REGEX REPLACE "\\.proto$" ".pb.h" hdr ${rel})
  install(FILES ${CONTACTLEDGER_PROTO_OUT}/${hdr} ${proto}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${rel_dir})
endforeach()

install(TARGETS contactledger
  EXPORT ContactLedgerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT ContactLedgerTargets
  FILE ContactLedgerTargets.cmake
  NAMESPACE contactledger::
  DESTINATION ${CONTACTLEDGER_INSTALL_CMAKEDIR})

# The package config and its version file.
set(CONTACTLEDGER_INSTALL_PROTO_DIR ${CMAKE_INSTALL_INCLUDEDIR})
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/ContactLedgerConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ContactLedgerConfig.cmake
  INSTALL_DESTINATION ${CONTACTLEDGER_INSTALL_CMAKEDIR}
  PATH_VARS CONTACTLEDGER_INSTALL_PROTO_DIR)

# Before 1.0 a minor release may break the API; after it, a major release.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(contactledger_compatibility SameMinorVersion)
else()
  set(contactledger_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/ContactLedgerConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY ${contactledger_compatibility})

install(FILES
    ${PROJECT_BINARY_DIR}/ContactLedgerConfig.cmake
    ${PROJECT_BINARY_DIR}/ContactLedgerConfigVersion.cmake
  DESTINATION ${CONTACTLEDGER_INSTALL_CMAKEDIR})

# pkg-config: <libdir>/pkgconfig/contactledger.pc, from cmake/contactledger.pc.in.
# Its prefix is relative to the file's own directory (${pcfiledir}), so it is
# right whatever prefix `cmake --install --prefix` installs to.
set(CONTACTLEDGER_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  CACHE STRING "Where to install contactledger.pc")
mark_as_advanced(CONTACTLEDGER_PKGCONFIG_DIR)
if(IS_ABSOLUTE "${CONTACTLEDGER_PKGCONFIG_DIR}")
  # An absolute directory has no relative way back to the prefix.
  set(CONTACTLEDGER_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH up /prefix/${CONTACTLEDGER_PKGCONFIG_DIR} /prefix)
  string(REGEX REPLACE "/$" "" up "${up}")
  set(CONTACTLEDGER_PC_PREFIX "\${pcfiledir}/${up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(CONTACTLEDGER_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(CONTACTLEDGER_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
# The generated .pb.h files need a protobuf runtime at least as new as the
# protoc that wrote them.
if(Protobuf_VERSION)
  set(CONTACTLEDGER_PC_PROTOBUF "protobuf >= ${Protobuf_VERSION}")
else()
  set(CONTACTLEDGER_PC_PROTOBUF "protobuf")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/contactledger.pc.in
  ${PROJECT_BINARY_DIR}/contactledger.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/contactledger.pc
  DESTINATION ${CONTACTLEDGER_PKGCONFIG_DIR})

# The rules every answer follows, which the headers and `ledgerctl --help`
# cite as docs/rules.md, and the field practice they serve.
install(FILES
    ${PROJECT_SOURCE_DIR}/docs/rules.md
    ${PROJECT_SOURCE_DIR}/docs/field_practice.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
