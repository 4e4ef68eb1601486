// Copyright 2026 The ContactLedger Authors.
//
// lib/util/text.h: what a string field of a record may hold.
//
// Every string of a LedgerEvent is a protobuf `string`, which must be
// well-formed UTF-8: protobuf refuses to parse one that is not, so a record
// holding one would make the log unreadable. On top of that, one-line fields
// (ids, names, tags, national ids, phones) hold no control characters and no
// invisible characters that change how text is laid out, so that an id
// cannot forge a line of output or hide what it is; free text (an address, a
// note, a reason) may hold tabs and line breaks, and no other control
// character.
//
// Example:
//   absl::Status s = CheckFieldText(value, TextKind::kLine);
//   // InvalidArgument "malformed UTF-8 at byte 3 (0xFF)" or
//   // "control character U+000A at byte 2" or OK.

#ifndef CONTACTLEDGER_LIB_UTIL_TEXT_H_
#define CONTACTLEDGER_LIB_UTIL_TEXT_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace contactledger {
namespace internal {

enum class TextKind {
  kLine,  // ids, names, tags: no control or layout characters
  kText,  // free text: also tab, line feed and carriage return
};

// OK, or InvalidArgument naming the byte offset and the reason.
absl::Status CheckFieldText(absl::string_view text, TextKind kind);

// The length of the well-formed UTF-8 sequence starting at text[i]
// (1 to 4), or 0 when the bytes there are not one.
size_t Utf8SequenceAt(absl::string_view text, size_t i);

// The code point of the well-formed sequence of `length` bytes at text[i].
uint32_t DecodeUtf8(absl::string_view text, size_t i, size_t length);

// The number of code points of `text`, counting a malformed byte as one.
size_t CodePointCount(absl::string_view text);

// OK when `text` (a whole file: a CSV, a policy) is well-formed UTF-8 (no
// overlong forms, no surrogates, nothing above U+10FFFF); otherwise
// InvalidArgument with the line, column and byte offset of the first bad
// byte.
absl::Status ValidateUtf8(absl::string_view text);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_UTIL_TEXT_H_
