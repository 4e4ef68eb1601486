// Copyright 2026 The ContactLedger Authors.
//
// SHA-256 as FIPS 180-4 specifies it (lib/util/sha256.h). Section numbers
// below are the standard's.
//
// Two ways to compress blocks: the portable one, written from the standard,
// and on x86-64 processors with the SHA extensions (Intel SHA-NI, AMD since
// Zen) one with their instructions, about five times faster: a follower
// checks the hash chain over every byte its ledger's stream carries. Which
// one runs is chosen once, by CPUID; tests/sha256_test.cc checks the two
// agree.

#include "lib/util/sha256.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define CONTACTLEDGER_SHA256_X86 1
#endif

namespace contactledger {
namespace internal {
namespace {

// 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// 5.3.3: the first 32 bits of the fractional parts of the square roots of
// the first 8 primes.
constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                  0xa54ff53a, 0x510e527f, 0x9b05688c,
                                  0x1f83d9ab, 0x5be0cd19};

// 3.2 and 4.1.2.
inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
inline uint32_t Ch(uint32_t x, uint32_t y, uint32_t z) {
  return (x & y) ^ (~x & z);
}
inline uint32_t Maj(uint32_t x, uint32_t y, uint32_t z) {
  return (x & y) ^ (x & z) ^ (y & z);
}
inline uint32_t BigSigma0(uint32_t x) {
  return Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);
}
inline uint32_t BigSigma1(uint32_t x) {
  return Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);
}
inline uint32_t SmallSigma0(uint32_t x) {
  return Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
}
inline uint32_t SmallSigma1(uint32_t x) {
  return Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10);
}

// Words are big-endian (3.1).
inline uint32_t LoadBigEndian(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// 6.2.2 on `blocks` 64-byte blocks from `data`, step by step.
void CompressPortable(uint32_t* state, const uint8_t* data, size_t blocks) {
  for (; blocks > 0; --blocks, data += 64) {
    // Step 1: the message schedule.
    uint32_t w[64];
    for (int t = 0; t < 16; ++t) w[t] = LoadBigEndian(data + 4 * t);
    for (int t = 16; t < 64; ++t) {
      w[t] =
          SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];
    }
    // Steps 2 and 3.
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; ++t) {
      const uint32_t t1 = h + BigSigma1(e) + Ch(e, f, g) + kK[t] + w[t];
      const uint32_t t2 = BigSigma0(a) + Maj(a, b, c);
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    // Step 4.
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#ifdef CONTACTLEDGER_SHA256_X86

// The same with the SHA extensions. sha256rnds2 does two rounds on a state
// split in two registers, (a, b, e, f) and (c, d, g, h), taking W[t] + K[t]
// for the two rounds in its third operand's low half; sha256msg1 and
// sha256msg2 compute four words of the schedule from the sixteen before:
// msg1 adds sigma0(W[t-15]) to W[t-16], the caller adds W[t-7], msg2 adds
// sigma1(W[t-2]) (using the words it has just made for the last two).
__attribute__((target("sha,sse4.1,ssse3"))) void CompressWithShaExtensions(
    uint32_t* state, const uint8_t* data, size_t blocks) {
  // Big-endian words from bytes.
  const __m128i swap =
      _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  // Lanes are listed lowest first. state[0..7] = a b c d e f g h goes into
  // abef = (f e b a) and cdgh = (h g d c), the order sha256rnds2 takes.
  __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  abcd = _mm_shuffle_epi32(abcd, 0xB1);              // b a d c
  efgh = _mm_shuffle_epi32(efgh, 0x1B);              // h g f e
  __m128i abef = _mm_alignr_epi8(abcd, efgh, 8);     // f e b a
  __m128i cdgh = _mm_blend_epi16(efgh, abcd, 0xF0);  // h g d c
  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    __m128i w[4];  // the schedule's last sixteen words, four per register
    for (int g = 0; g < 16; ++g) {
      __m128i& words = w[g % 4];  // holds group g - 4 until replaced
      if (g < 4) {
        words = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)),
            swap);
      } else {
        __m128i next = _mm_sha256msg1_epu32(words, w[(g - 3) % 4]);
        next = _mm_add_epi32(
            next, _mm_alignr_epi8(w[(g - 1) % 4], w[(g - 2) % 4], 4));
        words = _mm_sha256msg2_epu32(next, w[(g - 1) % 4]);
      }
      __m128i wk = _mm_add_epi32(
          words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kK + 4 * g)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      wk = _mm_shuffle_epi32(wk, 0x0E);  // the two words of the next rounds
      abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  // Back to a b c d and e f g h.
  const __m128i abxx = _mm_shuffle_epi32(abef, 0x1B);  // a b e f
  const __m128i xxcd = _mm_shuffle_epi32(cdgh, 0xB1);  // g h c d
  abcd = _mm_blend_epi16(abxx, xxcd, 0xF0);            // a b c d
  efgh = _mm_alignr_epi8(xxcd, abxx, 8);               // e f g h
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), abcd);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), efgh);
}

bool HasShaExtensions() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return ssse3 && sse41 && sha;
}

#else

bool HasShaExtensions() { return false; }

#endif

std::atomic<bool> g_portable_only{false};

// The compression to use: the SHA extensions where present.
void CompressBlocks(uint32_t* state, const uint8_t* data, size_t blocks) {
#ifdef CONTACTLEDGER_SHA256_X86
  static const bool hardware = HasShaExtensions();
  if (hardware && !g_portable_only.load(std::memory_order_relaxed)) {
    CompressWithShaExtensions(state, data, blocks);
    return;
  }
#endif
  CompressPortable(state, data, blocks);
}

}  // namespace

bool Sha256::HardwareAvailable() { return HasShaExtensions(); }

void Sha256::SetPortableOnlyForTesting(bool portable_only) {
  g_portable_only.store(portable_only);
}

Sha256::Sha256() { std::memcpy(h_.data(), kInitial, sizeof(kInitial)); }

void Sha256::Compress(const uint8_t* data, size_t blocks) {
  CompressBlocks(h_.data(), data, blocks);
}

void Sha256::Update(absl::string_view bytes) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t n = bytes.size();
  length_ += n;
  if (buffered_ > 0) {
    const size_t take = std::min(n, buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, p, take);
    buffered_ += take;
    p += take;
    n -= take;
    if (buffered_ < buffer_.size()) return;
    Compress(buffer_.data(), 1);
    buffered_ = 0;
  }
  if (n >= 64) {
    Compress(p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  }
  if (n > 0) {
    std::memcpy(buffer_.data(), p, n);
    buffered_ = n;
  }
}

std::array<uint8_t, 32> Sha256::Digest() {
  if (!finished_) {
    // 5.1.1: a 1 bit, zeros up to 448 bits modulo 512, then the message's
    // length in bits as a 64-bit big-endian number.
    const uint64_t bits = length_ * 8;
    buffer_[buffered_++] = 0x80;
    if (buffered_ > 56) {
      std::memset(buffer_.data() + buffered_, 0, 64 - buffered_);
      Compress(buffer_.data(), 1);
      buffered_ = 0;
    }
    std::memset(buffer_.data() + buffered_, 0, 56 - buffered_);
    for (int i = 0; i < 8; ++i) {
      buffer_[56 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    }
    Compress(buffer_.data(), 1);
    buffered_ = 0;
    finished_ = true;
  }
  std::array<uint8_t, 32> out;
  for (int i = 0; i < 8; ++i) {
    out[4 * i] = static_cast<uint8_t>(h_[i] >> 24);
    out[4 * i + 1] = static_cast<uint8_t>(h_[i] >> 16);
    out[4 * i + 2] = static_cast<uint8_t>(h_[i] >> 8);
    out[4 * i + 3] = static_cast<uint8_t>(h_[i]);
  }
  return out;
}

std::string Sha256::HexDigest() {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::array<uint8_t, 32> digest = Digest();
  std::string out(64, '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

std::string Sha256Hex(absl::string_view bytes) {
  Sha256 digest;
  digest.Update(bytes);
  return digest.HexDigest();
}

}  // namespace internal
}  // namespace contactledger
