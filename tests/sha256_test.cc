// Copyright 2026 The ContactLedger Authors.
//
// Tests of SHA-256 (lib/util/sha256.h) against the example vectors NIST
// publishes for FIPS 180-4 (csrc.nist.gov, "Cryptographic Standards and
// Guidelines: Examples with Intermediate Values", SHA-256): "abc" (one
// block), the 448-bit message (two blocks: the padding does not fit), and
// one million 'a'; and the empty message. The incremental form is checked to
// give the same digest whatever the sizes of the pieces it is fed, across
// the block and padding boundaries. Where the processor has the SHA
// extensions, the portable code and theirs must agree on every length and
// piece size.

#include "lib/util/sha256.h"

#include <random>
#include <string>

#include "contactledger/import.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace internal {
namespace {

constexpr char kEmpty[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbc[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char k448Bits[] =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char kMillionA[] =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr char k448BitMessage[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(Sha256Hex(""), kEmpty);
  EXPECT_EQ(Sha256Hex("abc"), kAbc);
  EXPECT_EQ(Sha256Hex(k448BitMessage), k448Bits);
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), kMillionA);
}

TEST(Sha256Test, PublicFormForwards) {
  EXPECT_EQ(contactledger::Sha256Hex("abc"), kAbc);
}

TEST(Sha256Test, PiecesOfAnySizeGiveTheSameDigest) {
  const std::string million(1000000, 'a');
  for (size_t piece : {1, 3, 55, 56, 63, 64, 65, 127, 4096, 999999}) {
    Sha256 digest;
    for (size_t at = 0; at < million.size(); at += piece) {
      digest.Update(absl::string_view(million).substr(at, piece));
    }
    EXPECT_EQ(digest.HexDigest(), kMillionA) << "pieces of " << piece;
  }
  Sha256 split;
  split.Update("ab");
  split.Update("");
  split.Update("c");
  EXPECT_EQ(split.HexDigest(), kAbc);
  EXPECT_EQ(split.HexDigest(), kAbc);  // asking twice gives the same
}

TEST(Sha256Test, EveryLengthAroundThePaddingBoundary) {
  // Lengths 0..130 cross the one- and two-block padding cases; a digest fed
  // byte by byte must agree with the one-shot form for each.
  std::string message;
  for (int n = 0; n <= 130; ++n) {
    Sha256 bytewise;
    for (char c : message) bytewise.Update(absl::string_view(&c, 1));
    const std::string hex = Sha256Hex(message);
    EXPECT_EQ(bytewise.HexDigest(), hex) << "length " << n;
    EXPECT_EQ(hex.size(), 64u);
    message.push_back(static_cast<char>('a' + n % 26));
  }
  // Lengths 55 and 56: the length still fits in the last block, or not.
  EXPECT_EQ(Sha256Hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(Sha256Hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
}

// The digests of `message` fed in pieces of `piece` bytes.
std::string PiecewiseHex(const std::string& message, size_t piece) {
  Sha256 digest;
  for (size_t at = 0; at < message.size(); at += piece) {
    digest.Update(absl::string_view(message).substr(at, piece));
  }
  return digest.HexDigest();
}

TEST(Sha256Test, ShaExtensionsAgreeWithThePortableCode) {
  if (!Sha256::HardwareAvailable()) {
    GTEST_SKIP() << "this processor has no SHA extensions: only the portable "
                    "code runs here";
  }
  std::mt19937_64 random(20200122);
  std::string message;
  for (size_t n = 0; n <= 1100; n += (n < 300 ? 1 : 37)) {
    while (message.size() < n) message.push_back(static_cast<char>(random()));
    const size_t piece = 1 + random() % 200;
    Sha256::SetPortableOnlyForTesting(true);
    const std::string portable = Sha256Hex(message);
    const std::string portable_pieces = PiecewiseHex(message, piece);
    Sha256::SetPortableOnlyForTesting(false);
    EXPECT_EQ(Sha256Hex(message), portable) << "length " << n;
    EXPECT_EQ(PiecewiseHex(message, piece), portable_pieces)
        << "length " << n << " in pieces of " << piece;
  }
  Sha256::SetPortableOnlyForTesting(true);
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), kMillionA);
  Sha256::SetPortableOnlyForTesting(false);
}

}  // namespace
}  // namespace internal
}  // namespace contactledger
