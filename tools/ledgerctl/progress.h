// Copyright 2026 The ContactLedger Authors.
//
// The progress of a long ledgerctl command (import, generate) on standard
// error: one line redrawn in place ("\r") while the command runs, e.g.
//
//   persons.csv: 1,200,000 rows, 410,000 rows/s, 41% of 96.0 MiB, ETA 4s
//
// and erased at the end, so that only the command's own output stays on the
// screen. Only when standard error is a terminal: in a script, a pipe or a
// log file, ledgerctl writes nothing to standard error unless something is
// wrong.

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_PROGRESS_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_PROGRESS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace contactledger {
namespace ledgerctl {

// 1234567 -> "1,234,567".
std::string Thousands(uint64_t n);

class Progress {
 public:
  // `label` starts the line (e.g. the file name); `unit` is what is counted.
  Progress(absl::string_view label, absl::string_view unit);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { Clear(); }

  // `count` done so far and, when `bytes_total` > 0, `bytes` of the input
  // consumed (for the share done and the time left). Drawn the first time,
  // then at most five times a second.
  void Update(uint64_t count, uint64_t bytes = 0, uint64_t bytes_total = 0);

  // A phase that is not counted, e.g. "recording 1,000,000 events".
  void Say(absl::string_view text);

  // Erases the line.
  void Clear();

 private:
  void Draw(const std::string& text);

  const bool enabled_;
  const std::string label_;
  const std::string unit_;
  const absl::Time started_;
  absl::Time drawn_ = absl::InfinitePast();
  size_t width_ = 0;  // of the line drawn last
};

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_PROGRESS_H_
