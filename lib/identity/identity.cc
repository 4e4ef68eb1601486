// The identity checks of contactledger/privacy.h: resident identity numbers
// (GB 11643-1999) and phone numbers, as the validator applies them to
// Person.national_id and Person.phone under LedgerOptions::identity_rules.
// Redaction of output is lib/privacy, above the queries; these checks sit
// below the ledger, which needs them on every append.

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "contactledger/privacy.h"
#include "lib/util/text.h"

namespace contactledger {
namespace {

using internal::CodePointCount;

absl::Status Invalid(std::string reason) {
  return absl::InvalidArgumentError(std::move(reason));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int DigitsValue(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// The province-level division codes (GB/T 2260): the first two digits of a
// division code. 71, 81, 82 and 83 are Taiwan, Hong Kong, Macao and the
// residence permits of Taiwan residents.
bool IsProvinceCode(int code) {
  static constexpr int kCodes[] = {
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
      44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
  return std::find(std::begin(kCodes), std::end(kCodes), code) !=
         std::end(kCodes);
}

}  // namespace

// ---------------------------------------------------------------------------
// Validation.

char ResidentIdCheckCharacter(absl::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                       3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (!IsDigit(first17[i])) return '\0';
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheck[sum % 11];
}

absl::Status CheckResidentId(absl::string_view id) {
  const size_t characters = CodePointCount(id);
  if (characters != 18 || id.size() != 18) {
    return Invalid(
        absl::StrFormat("is %d character%s; a resident identity number has 18 "
                        "(GB 11643-1999)",
                        characters, characters == 1 ? "" : "s"));
  }
  for (int i = 0; i < 17; ++i) {
    if (!IsDigit(id[i])) {
      return Invalid(absl::StrFormat(
          "character %d is not a digit; the first 17 characters of a "
          "resident identity number are digits",
          i + 1));
    }
  }
  const int province = DigitsValue(id.substr(0, 2));
  if (!IsProvinceCode(province)) {
    return Invalid(absl::StrFormat(
        "the administrative division code (characters 1-6) starts with "
        "%02d, which is no province-level division",
        province));
  }
  const int year = DigitsValue(id.substr(6, 4));
  const int month = DigitsValue(id.substr(10, 2));
  const int day = DigitsValue(id.substr(12, 2));
  const absl::CivilDay birth(year, month, day);
  if (year < 1850 || year > 2099 || birth.month() != month ||
      birth.day() != day) {
    return Invalid(
        "the birth date (characters 7-14, YYYYMMDD) is not a real day from "
        "1850-01-01 to 2099-12-31");
  }
  const char expected = ResidentIdCheckCharacter(id.substr(0, 17));
  const char got = id[17];
  if (got == expected) return absl::OkStatus();
  if (got == 'x' && expected == 'X') {
    return Invalid("check character is 'x'; it is written 'X'");
  }
  if (!IsDigit(got) && got != 'X') {
    return Invalid(absl::StrFormat(
        "check character (character 18) is not a digit or 'X'; expected "
        "'%c'",
        expected));
  }
  return Invalid(
      absl::StrFormat("check character is '%c', expected '%c'", got, expected));
}

bool IsValidResidentId(absl::string_view id) {
  return CheckResidentId(id).ok();
}

absl::Status CheckChinesePhone(absl::string_view phone) {
  absl::string_view rest = phone;
  size_t offset = 0;  // of rest in phone
  const bool international = absl::ConsumePrefix(&rest, "+86");
  if (international) {
    offset = 3;
    if (!rest.empty() && (rest[0] == ' ' || rest[0] == '-')) {
      rest.remove_prefix(1);
      ++offset;
    }
  }
  std::string digits;
  char separator = '\0';
  bool after_separator = true;  // nothing or a separator seen last
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    const size_t at = offset + i + 1;  // 1-based, in bytes
    if (IsDigit(c)) {
      digits.push_back(c);
      after_separator = false;
      continue;
    }
    if (c != ' ' && c != '-') {
      return Invalid(absl::StrFormat(
          "character %d is not a digit, a space or a hyphen (a phone number "
          "is digits, optionally +86 first, with single spaces or hyphens "
          "between groups)",
          at));
    }
    if (after_separator) {
      return Invalid(absl::StrFormat(
          "character %d is a separator where a digit must be (single "
          "separators between digit groups only)",
          at));
    }
    if (separator != '\0' && separator != c) {
      return Invalid(absl::StrFormat(
          "character %d mixes spaces and hyphens between digit groups", at));
    }
    separator = c;
    after_separator = true;
  }
  if (digits.empty()) {
    return Invalid(international ? "has no digits after +86" : "has no digits");
  }
  if (after_separator) return Invalid("ends with a separator");
  const bool mobile = digits.size() == 11 && digits[0] == '1' &&
                      digits[1] >= '3' && digits[1] <= '9';
  if (mobile) return absl::OkStatus();
  if (international) {
    const bool fixed = (digits.size() == 10 || digits.size() == 11) &&
                       (digits[0] >= '2' || absl::StartsWith(digits, "10"));
    if (fixed) return absl::OkStatus();
    return Invalid(absl::StrFormat(
        "has %d digits after +86; expected a mobile number (11 digits "
        "starting 13-19) or a fixed line without its leading 0 (area code "
        "and number, 10 or 11 digits)",
        digits.size()));
  }
  const bool fixed = (digits.size() == 11 || digits.size() == 12) &&
                     digits[0] == '0' && digits[1] != '0';
  if (fixed) return absl::OkStatus();
  return Invalid(absl::StrFormat(
      "has %d digits starting %c; expected a mobile number (11 digits "
      "starting 13-19) or a fixed line ('0', area code and number: 11 or 12 "
      "digits)",
      digits.size(), digits[0]));
}

absl::Status CheckNationalId(absl::string_view national_id,
                             IdentityRules rules) {
  if (rules == IdentityRules::kChina) return CheckResidentId(national_id);
  return internal::CheckFieldText(national_id, internal::TextKind::kLine);
}

absl::Status CheckPhone(absl::string_view phone, IdentityRules rules) {
  if (rules == IdentityRules::kChina) return CheckChinesePhone(phone);
  return internal::CheckFieldText(phone, internal::TextKind::kLine);
}

absl::string_view IdentityRulesName(IdentityRules rules) {
  return rules == IdentityRules::kChina ? "china" : "none";
}

absl::StatusOr<IdentityRules> ParseIdentityRules(absl::string_view name) {
  if (name == "china") return IdentityRules::kChina;
  if (name == "none") return IdentityRules::kNone;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown identity rules '", name, "' (expected china|none)"));
}

}  // namespace contactledger
