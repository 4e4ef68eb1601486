// Copyright 2026 The ContactLedger Authors.
//
// lib/util/sha256.h: SHA-256 (FIPS 180-4, section 6.2), for naming the
// content of an imported file (contactledger/import.h: an import is stamped
// with its file's digest, so that importing the same bytes again is found).
//
// Written here from the standard because none of the libraries the project
// builds on provides it: Abseil has no digest, zlib only CRC-32 and Adler-32,
// and protobuf none in its public API. It is not used for anything secret
// (no keys, no comparison in constant time is needed). tests/sha256_test.cc
// checks it against the NIST example vectors and against itself fed in
// pieces of every size.
//
// Example:
//   std::string hex = Sha256Hex("abc");  // "ba7816bf...f20015ad"
//
//   Sha256 digest;                       // or piece by piece
//   digest.Update(first_block);
//   digest.Update(rest);
//   std::string hex = digest.HexDigest();

#ifndef CONTACTLEDGER_LIB_UTIL_SHA256_H_
#define CONTACTLEDGER_LIB_UTIL_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace contactledger {
namespace internal {

// An incremental SHA-256: Update with the message in any number of pieces,
// then Digest or HexDigest once.
class Sha256 {
 public:
  Sha256();

  // Appends `bytes` to the message.
  void Update(absl::string_view bytes);

  // The digest of the message so far: 32 bytes. Pads and finishes the
  // computation; call Update no more after it.
  std::array<uint8_t, 32> Digest();

  // The digest as 64 lower-case hex digits.
  std::string HexDigest();

  // Whether this processor has the SHA extensions, which every Sha256 then
  // uses (about five times the portable code's speed).
  static bool HardwareAvailable();
  // For tests: every Sha256 computes with the portable code while true.
  static void SetPortableOnlyForTesting(bool portable_only);

 private:
  // Processes `blocks` 64-byte blocks (FIPS 180-4, 6.2.2).
  void Compress(const uint8_t* data, size_t blocks);

  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;  // bytes in buffer_
  uint64_t length_ = 0;  // of the message, in bytes
  bool finished_ = false;
};

// SHA-256 of `bytes` as 64 lower-case hex digits.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_UTIL_SHA256_H_
