// Copyright 2026 The ContactLedger Authors.
//
// Small helpers shared by the county drill's files: stopping on an error,
// formatting numbers, writing a file, measuring CPU time, and the stable
// hash and random numbers behind the story's deterministic choices.

#ifndef EXAMPLES_COUNTY_DRILL_SUPPORT_H_
#define EXAMPLES_COUNTY_DRILL_SUPPORT_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace county_drill {

// A drill has nothing to recover from: on an error it prints
// "county_drill: <what>: <status>" and exits with EXIT_FAILURE.
void Check(const absl::Status& status, absl::string_view what);

// The value of `value`, or Check's exit.
template <typename T>
T Unwrap(absl::StatusOr<T> value, absl::string_view what) {
  Check(value.status(), what);
  return *std::move(value);
}

// Writes `text` to `path`, replacing it; exits when it cannot.
void WriteFile(const std::filesystem::path& path, const std::string& text);

// 1234567 -> "1,234,567".
std::string Num(int64_t n);

// CPU seconds used by the process so far (all threads).
double CpuSeconds();

// A hash of `text` that is the same in every run (absl::Hash is salted per
// process), for the drill's deterministic choices: FNV-1a, then mixed.
uint64_t StableHash(absl::string_view text, uint64_t salt);

// SplitMix64, for the checkpoint traffic.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  // A number in [0, n).
  uint64_t Below(uint64_t n);

 private:
  uint64_t state_;
};

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_SUPPORT_H_
