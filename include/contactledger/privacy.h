// Copyright 2026 The ContactLedger Authors.
//
// contactledger/privacy.h: the private data of a ledger: checking identity
// numbers and phone numbers, and redacting them for output.
//
// A ledger of who was near whom, with national ids and phone numbers, is
// among the most sensitive data a county holds. This header has two halves:
//
// Validation. `LedgerOptions::identity_rules` says how appends check
// Person.national_id and Person.phone; the functions below are the same
// checks, for a form or an importer that wants to check a value before it
// appends. Under IdentityRules::kChina:
//   - A national id is a resident identity number of GB 11643-1999: 18
//     characters, the first 17 digits and the last a check character, a
//     digit or an upper-case 'X', equal to the ISO 7064 MOD 11-2 check of
//     the first 17. Characters 1-6 are the administrative division code;
//     its first two digits must be a province-level code (11-15, 21-23,
//     31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83); the other four are not
//     checked against the list of divisions, which changes. Characters 7-14
//     are the birth date, YYYYMMDD, a real calendar day from 1850-01-01 to
//     2099-12-31 (and the ledger also checks that it agrees with
//     Person.birth_date when both are given). Old 15-digit numbers
//     (before 1999) are refused: convert them first.
//   - A phone is a Chinese mobile number, 11 digits starting 13-19, or a
//     fixed-line number, '0' + area code + local number, 11 or 12 digits
//     (010-12345678, 0745-4221234). Either may start with "+86" (then a
//     fixed line drops its leading '0': +86 10 1234 5678). Digit groups may
//     be separated by single spaces or single hyphens, but not by both
//     kinds, and nothing else: no letters, parentheses, extensions, short
//     service numbers or 400/800 numbers.
// Under IdentityRules::kNone, for other countries, both are any text without
// control characters within `Limits::max_id_bytes`. Both fields are optional
// under either rule: an empty value is never checked.
//
// Errors are InvalidArgument with the reason only ("check character is
// '7', expected 'X'"); the ledger prefixes the event and the field. They
// never quote the value itself, so that a refused id does not end up in a
// log.
//
// Redaction. Every redacting function replaces each hidden character with
// one '*', so a redacted value has as many characters as the original
// (code points: a hidden Chinese character becomes one '*'):
//   - RedactNationalId: an 18-character id keeps its first 6 characters
//     (the administrative division) and its last 4; the 8 in between, the
//     birth date, are hidden: "43122219900101123X" -> "431222********123X".
//     An id of any other shape keeps only its last 4 characters when it has
//     10 or more, and is hidden entirely when shorter.
//   - RedactPhone: keeps a leading "+86", every separator (space, '-', '(',
//     ')', '.', '+') and the first 3 and last 4 of the remaining digits; any
//     other character is hidden: "13812345678" -> "138****5678",
//     "+86 138 1234 5678" -> "+86 138 **** 5678". A number with fewer than
//     10 such digits has all of them hidden.
//   - RedactName: keeps the first character (code point):
//     "张三丰" -> "张**", "Zhang San" -> "Z********". A one-character name
//     is hidden entirely ("*").
//   - RedactPerson / RedactEvent: the same on the private fields of a record
//     (see each), plus RedactText on the free-text fields that may quote
//     private data.
//   - RedactText: free text, keeping its words, with every number that
//     could hold a phone or an id hidden. A number is digit groups joined
//     by single separators (space, '-', '.', '/'), maybe after "+86" and
//     maybe ending in an id's check character 'X' or 'x'. Dates in it
//     (YYYY-MM-DD, or with '/' or '.', joined to the rest by another
//     separator) and the seconds of a time with their fraction (after a
//     ':', "09:00:11.508313912") are kept and split it into parts. A part of 10
//     or more digits (the "+86" not counted, an 'X' counted) is hidden but for
//     the separators and: its first 3 and last 4 digits when it has 10-13 (a
//     phone: "138 1234 5678" -> "138 **** 5678"), its first 6 and last 4 when
//     it has 18 (an id: "43122219900101123X" -> "431222********123X"), else its
//     last 4 (two phones side by side: "13822223333 13833334444"
//     -> "*********** *******4444"). Dates, times, sequence numbers and
//     other numbers of fewer than 10 digits stay, and so does a
//     zero-padded counter: one group of "00" and at most 9 more digits
//     after its zeros (the ledger's file names, 00000000000000000011.log).
//   - Redactor: RedactText that also finds the values it has learned
//     wherever they are quoted (in an id, a note, an address): the names,
//     national ids and phones of persons, the addresses and responsible
//     workers of households. A name or an address is found whatever the
//     case of its ASCII letters ("WANG XIAOMING" for "Wang Xiaoming"), but
//     one that begins or ends with an ASCII letter not inside a longer
//     word; a national id or a phone written in digits and separators (7 to
//     18 of them) is also found by its digits in any number of the text,
//     however they are grouped and with or without +86 or 0086 ("0086
//     138-1234-5678" for "13812345678"). Each is redacted as above, an address
//     or worker as a name.
// A redacted record is for reading, not for restoring: two ids may redact to
// the same text. Query results (contactledger/tracing.h) quote person,
// household and checkpoint ids in their free text (OpenLoop::detail,
// Explanation::notes, PassDecision::reason): pass every string of them
// through Redactor::Text, as `ledgerctl --redact` does with all it prints.
//
// Example:
//
//   contactledger::Redactor redactor;
//   absl::Status learned = redactor.LearnLedger(*ledger);
//   absl::StatusOr<contactledger::v1::LedgerEvent> event = ledger->GetEvent(7);
//   redactor.Redact(&*event);  // structured fields and free text
//   std::string line = redactor.Text("call 张三丰 on 13812345678");
//   // "call 张** on 138****5678"

#ifndef CONTACTLEDGER_PRIVACY_H_
#define CONTACTLEDGER_PRIVACY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

// --- Validation. ---

// OK when `id` is a resident identity number of GB 11643-1999 as described
// above; otherwise InvalidArgument with the reason, e.g. "check character is
// '7', expected 'X'" or "birth date 19901301 (characters 7-14) is not a real
// day".
absl::Status CheckResidentId(absl::string_view id);
bool IsValidResidentId(absl::string_view id);

// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17
// characters of a resident identity number, which must be digits; '\0' when
// `first17` is not 17 digits.
char ResidentIdCheckCharacter(absl::string_view first17);

// OK when `phone` is a Chinese phone number as described above; otherwise
// InvalidArgument with the reason.
absl::Status CheckChinesePhone(absl::string_view phone);

// The checks the ledger applies to a non-empty Person.national_id and
// Person.phone under `rules` (the length limit is the ledger's).
absl::Status CheckNationalId(absl::string_view national_id,
                             IdentityRules rules);
absl::Status CheckPhone(absl::string_view phone, IdentityRules rules);

// "china" and "none"; ParseIdentityRules is InvalidArgument for another name.
absl::string_view IdentityRulesName(IdentityRules rules);
absl::StatusOr<IdentityRules> ParseIdentityRules(absl::string_view name);

// --- Redaction. ---

std::string RedactNationalId(absl::string_view national_id);
std::string RedactPhone(absl::string_view phone);
std::string RedactName(absl::string_view name);
std::string RedactText(absl::string_view text);

// Person: name, national_id and phone as above; birth_date is cleared (it
// is the part of the national id that is hidden); id, household_id and
// area_id through RedactText. Tags and travel history are kept.
void RedactPerson(v1::Person* person);

// Person bodies with RedactPerson; a household's address and responsible
// worker with RedactName; every other string of the event (ids, names of
// areas, notes, symptoms, the reason of a retraction, the actor) with
// RedactText. Enums, times and numbers are kept.
void RedactEvent(v1::LedgerEvent* event);

// RedactText that also knows the persons and households it has learned.
// Learn before use; the const methods may then be called from several
// threads.
class Redactor {
 public:
  Redactor() = default;

  // Learns the person's name, national id and phone number: Text() will
  // redact them wherever they occur. A name of one character, or a
  // national id or phone of fewer than four, is too short to be looked for
  // in text (it would hide every such character): it is redacted only in
  // the person's own record.
  void Learn(const v1::Person& person);

  // Learns the household's address and responsible worker (each of two
  // characters or more): Text() will redact them as names wherever they
  // occur, the household's own id included when it quotes its address.
  void Learn(const v1::Household& household);

  // Learns every person and household version the ledger holds, older and
  // retracted versions included (so that a name quoted before a correction
  // is found too): O(events) to find them (one byte each), then reads each
  // person and household event. Errors only when one cannot be read.
  absl::Status LearnLedger(const LedgerView& ledger);

  // How many distinct values (as written, in lower case) Text() looks for;
  // the digits of the ids and phones are not counted again.
  size_t learned() const { return values_.size(); }

  // `text` with every learned value redacted, then RedactText. Cost: linear
  // in the text, with a hash lookup where two bytes start a learned value
  // and at each digit of a number of 7 digits or more, per distinct length.
  std::string Text(absl::string_view text) const;

  // RedactEvent, with Text() in place of RedactText.
  void Redact(v1::LedgerEvent* event) const;
  void Redact(v1::Person* person) const;

 private:
  enum class DigitKind : uint8_t { kNationalId, kPhone };
  // The fewest and the most digits a national id or phone must have to be
  // looked for by its digits.
  static constexpr size_t kMinDigits = 7;
  static constexpr size_t kMaxDigits = 18;

  void Add(absl::string_view value, std::string redacted);
  // Add, and the forms CSV and JSON escape `value` to.
  void AddQuoted(const std::string& value, std::string redacted);
  void AddDigits(absl::string_view value, DigitKind kind);
  // The length of the learned number at digits[d] (the longest), 0 for none.
  size_t FindDigits(absl::string_view digits, size_t d, bool* phone) const;

  // A learned value, ASCII letters in lower case -> its redacted form.
  absl::flat_hash_map<std::string, std::string> values_;
  // By first byte: the distinct byte lengths of the values, longest first.
  std::array<std::vector<size_t>, 256> lengths_;
  // By first two bytes: whether some value starts with them.
  std::vector<bool> prefixes_ = std::vector<bool>(1 << 16);
  // The digits of each learned national id (and its check character 'X')
  // and phone (without +86 or 0086) as one number (DigitKey in
  // privacy.cc), and their distinct lengths, longest first.
  absl::flat_hash_map<uint64_t, DigitKind> digits_;
  std::vector<size_t> digit_lengths_;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_PRIVACY_H_
