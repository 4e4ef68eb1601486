// Copyright 2026 The ContactLedger Authors.
//
// What the writers of lib/report share (contactledger/report.h): how an
// instant and a day are written, and a builder for one JSON object whose
// fields keep the order they are added in.

#ifndef CONTACTLEDGER_LIB_REPORT_REPORT_INTERNAL_H_
#define CONTACTLEDGER_LIB_REPORT_REPORT_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/report.h"

namespace contactledger {
namespace internal {

// RFC 3339 to the second with the offset of `zone`; "" for an infinite time.
inline std::string Instant(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return "";
  return absl::FormatTime(absl::RFC3339_sec, t, zone);
}

// YYYY-MM-DD; "" for no day.
inline std::string Day(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? absl::FormatCivilTime(*day) : "";
}

// Sequence numbers joined by `separator`: {3, 7} and ";" give "3;7".
inline std::string Sequences(const std::vector<uint64_t>& sequences,
                             absl::string_view separator) {
  return absl::StrJoin(sequences, separator);
}

// A JSON array on one line, of already-encoded values: "[1, 2]", "[]".
inline std::string JsonInlineArray(const std::vector<std::string>& items) {
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
}

// Builds one JSON object on one line, {"key": value, ...}, the fields in the
// order they are added; "{}" for none. Keys and strings go through
// JsonString.
//
//   JsonObject().String("person_id", "p1").Number("hops", 2).Build()
//   // {"person_id": "p1", "hops": 2}
class JsonObject {
 public:
  JsonObject& String(absl::string_view key, absl::string_view value) {
    return Raw(key, JsonString(value));
  }
  // A string, or null when `value` is empty.
  JsonObject& StringOrNull(absl::string_view key, absl::string_view value) {
    return Raw(key, value.empty() ? "null" : JsonString(value));
  }
  JsonObject& Bool(absl::string_view key, bool value) {
    return Raw(key, value ? "true" : "false");
  }
  JsonObject& Number(absl::string_view key, int value) {
    return Raw(key, absl::StrCat(value));
  }
  JsonObject& Number(absl::string_view key, int64_t value) {
    return Raw(key, absl::StrCat(value));
  }
  JsonObject& Number(absl::string_view key, uint64_t value) {
    return Raw(key, absl::StrCat(value));
  }
  JsonObject& Null(absl::string_view key) { return Raw(key, "null"); }
  // `json` is an already-encoded value.
  JsonObject& Raw(absl::string_view key, absl::string_view json) {
    absl::StrAppend(&text_, text_.empty() ? "{" : ", ", JsonString(key), ": ",
                    json);
    return *this;
  }
  std::string Build() const { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  std::string text_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_REPORT_REPORT_INTERNAL_H_
