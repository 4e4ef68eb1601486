// Copyright 2026 The ContactLedger Authors.
//
// The progress line of import and generate on a terminal (progress.h).

#include "tools/ledgerctl/progress.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// The time left: "42s", "3m07s", "2h05m".
std::string Eta(int64_t seconds) {
  if (seconds < 60) return absl::StrFormat("%ds", seconds);
  if (seconds < 3600) {
    return absl::StrFormat("%dm%02ds", seconds / 60, seconds % 60);
  }
  return absl::StrFormat("%dh%02dm", seconds / 3600, seconds / 60 % 60);
}

}  // namespace

std::string Thousands(uint64_t n) {
  const std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

Progress::Progress(absl::string_view label, absl::string_view unit)
    : enabled_(isatty(STDERR_FILENO) != 0),
      label_(label),
      unit_(unit),
      started_(absl::Now()) {}

void Progress::Update(uint64_t count, uint64_t bytes, uint64_t bytes_total) {
  if (!enabled_) return;
  const absl::Time now = absl::Now();
  if (now - drawn_ < absl::Milliseconds(200)) return;
  drawn_ = now;
  const double seconds = absl::ToDoubleSeconds(now - started_);
  std::string line = absl::StrCat(Thousands(count), " ", unit_);
  if (seconds >= 0.05) {
    absl::StrAppend(&line, ", ",
                    Thousands(static_cast<uint64_t>(count / seconds)), " ",
                    unit_, "/s");
  }
  if (bytes_total > 0) {
    absl::StrAppend(
        &line, absl::StrFormat(", %d%% of %.1f MiB", 100 * bytes / bytes_total,
                               bytes_total / 1048576.0));
    if (bytes > 0 && seconds >= 0.05) {
      const int64_t left = static_cast<int64_t>(
          seconds * static_cast<double>(bytes_total - bytes) / bytes + 0.5);
      absl::StrAppend(&line, ", ETA ", Eta(left));
    }
  }
  Draw(line);
}

void Progress::Say(absl::string_view text) {
  if (!enabled_) return;
  drawn_ = absl::Now();
  Draw(std::string(text));
}

void Progress::Clear() {
  if (width_ == 0) return;
  std::fprintf(stderr, "\r%s\r", std::string(width_, ' ').c_str());
  std::fflush(stderr);
  width_ = 0;
}

void Progress::Draw(const std::string& text) {
  std::string line = label_.empty() ? text : absl::StrCat(label_, ": ", text);
  const size_t width = line.size();
  if (width < width_) line.append(width_ - width, ' ');
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
  width_ = width;
}

}  // namespace ledgerctl
}  // namespace contactledger
