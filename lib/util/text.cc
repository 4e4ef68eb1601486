// Copyright 2026 The ContactLedger Authors.

#include "lib/util/text.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace contactledger {
namespace internal {
namespace {

// Invisible characters that change how text is laid out or read: the
// zero-width space, the directional marks, the line and paragraph
// separators, the bidirectional embeddings, overrides and isolates, the
// invisible operators and the byte order mark.
bool IsLayoutCharacter(uint32_t c) {
  return c == 0x200B || c == 0x200E || c == 0x200F ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

}  // namespace

size_t Utf8SequenceAt(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return n;
}

uint32_t DecodeUtf8(absl::string_view text, size_t i, size_t length) {
  const auto byte = [&](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(text[i + k]));
  };
  switch (length) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
      return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) |
             (byte(2) & 0x3F);
    default:
      return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) |
             ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
  }
}

size_t CodePointCount(absl::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const size_t n = Utf8SequenceAt(text, i);
    i += n == 0 ? 1 : n;
  }
  return count;
}

absl::Status CheckFieldText(absl::string_view text, TextKind kind) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII: the common case
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceAt(text, i);
    if (n == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "malformed UTF-8 at byte %d (0x%02X)", i, static_cast<int>(c)));
    }
    const uint32_t code = DecodeUtf8(text, i, n);
    const bool line_break_or_tab = code == '\t' || code == '\n' || code == '\r';
    if (code < 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F)) {
      if (!(kind == TextKind::kText && line_break_or_tab)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "control character U+%04X at byte %d%s", code, i,
            kind == TextKind::kLine ? " (this field is one line of text)"
                                    : ""));
      }
    } else if (kind == TextKind::kLine && IsLayoutCharacter(code)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "invisible layout character U+%04X at byte %d", code, i));
    }
    i += n;
  }
  return absl::OkStatus();
}

absl::Status ValidateUtf8(absl::string_view text) {
  int64_t line = 1;
  int64_t column = 1;  // in characters
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceAt(text, i);
    if (n == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "line %d, column %d: malformed UTF-8 at byte offset %d (byte 0x%02X)",
          line, column, i, c));
    }
    ++column;
    i += n;
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace contactledger
