// Copyright 2026 The ContactLedger Authors.
//
// Identity validation and redaction (contactledger/privacy.h).

#include "contactledger/privacy.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "lib/index/event_index.h"
#include "lib/state/reader.h"
#include "lib/util/text.h"

namespace contactledger {
namespace {

using internal::CodePointCount;
using internal::Utf8SequenceAt;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The byte length of the code point starting at text[i] (1 for a malformed
// byte).
size_t StepAt(absl::string_view text, size_t i) {
  const size_t n = Utf8SequenceAt(text, i);
  return n == 0 ? 1 : n;
}

// `text` with the code points whose index is in [keep_front, count -
// keep_back) replaced by one '*' each.
std::string MaskMiddle(absl::string_view text, size_t keep_front,
                       size_t keep_back) {
  const size_t count = CodePointCount(text);
  std::string out;
  out.reserve(text.size());
  size_t index = 0;
  for (size_t i = 0; i < text.size(); ++index) {
    const size_t n = StepAt(text, i);
    if (index < keep_front || index + keep_back >= count) {
      out.append(text.data() + i, n);
    } else {
      out.push_back('*');
    }
    i += n;
  }
  return out;
}

bool IsPhoneSeparator(char c) {
  return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '+';
}

}  // namespace

// ---------------------------------------------------------------------------
// Redaction.

std::string RedactNationalId(absl::string_view national_id) {
  const size_t count = CodePointCount(national_id);
  if (count == 18) return MaskMiddle(national_id, 6, 4);
  if (count >= 10) return MaskMiddle(national_id, 0, 4);
  return MaskMiddle(national_id, 0, 0);
}

std::string RedactPhone(absl::string_view phone) {
  std::string out;
  out.reserve(phone.size());
  absl::string_view rest = phone;
  if (absl::ConsumePrefix(&rest, "+86")) out = "+86";
  size_t digits = 0;
  for (char c : rest) digits += IsDigit(c) ? 1 : 0;
  const bool keep_ends = digits >= 10;
  size_t seen = 0;
  for (size_t i = 0; i < rest.size();) {
    const size_t n = StepAt(rest, i);
    const char c = rest[i];
    if (n == 1 && IsDigit(c)) {
      const bool keep = keep_ends && (seen < 3 || seen + 4 >= digits);
      out.push_back(keep ? c : '*');
      ++seen;
    } else if (n == 1 && IsPhoneSeparator(c)) {
      out.push_back(c);
    } else {
      out.push_back('*');
    }
    i += n;
  }
  return out;
}

std::string RedactName(absl::string_view name) {
  if (CodePointCount(name) <= 1) return MaskMiddle(name, 0, 0);
  return MaskMiddle(name, 1, 0);
}

namespace {

bool IsAsciiLetter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// What joins two digit groups of one number in free text.
bool IsNumberSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '/';
}

// A number as free text writes it: digit groups, each two joined by one
// separator (IsNumberSeparator), maybe after "+86" and maybe ending in the
// check character ('X' or 'x') of a resident id.
struct NumberRun {
  struct Group {
    size_t begin;  // bytes of the text: digits only
    size_t end;
  };
  size_t begin = 0;        // the '+' of "+86", or the first digit
  size_t first_digit = 0;  // where the first group begins
  size_t end = 0;          // past the last group, or past the check character
  bool check_x = false;
  std::vector<Group> groups;
};

// Whether "+86" starts at text[i], followed by a digit or by one separator
// and a digit.
bool StartsPlus86Run(absl::string_view text, size_t i) {
  if (text.substr(i, 3) != "+86") return false;
  size_t j = i + 3;
  if (j < text.size() && IsNumberSeparator(text[j])) ++j;
  return j < text.size() && IsDigit(text[j]);
}

// Whether a number starts at text[i]: a digit that does not follow one, or
// the '+' of "+86".
bool StartsNumber(absl::string_view text, size_t i) {
  if (IsDigit(text[i])) return i == 0 || !IsDigit(text[i - 1]);
  return text[i] == '+' && StartsPlus86Run(text, i);
}

// The number starting at text[begin] (StartsNumber), into *run.
void ScanNumber(absl::string_view text, size_t begin, NumberRun* run) {
  run->begin = begin;
  run->groups.clear();
  run->check_x = false;
  size_t i = begin;
  if (text[i] == '+') {
    i += 3;
    if (IsNumberSeparator(text[i])) ++i;
  }
  run->first_digit = i;
  size_t total = 0;
  while (true) {
    const size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    run->groups.push_back({start, i});
    total += i - start;
    if (i + 1 < text.size() && IsNumberSeparator(text[i]) &&
        IsDigit(text[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  const NumberRun::Group& last = run->groups.back();
  if ((total == 17 || last.end - last.begin == 17) && i < text.size() &&
      (text[i] == 'X' || text[i] == 'x')) {
    run->check_x = true;
    ++i;
  }
  run->end = i;
}

int GroupValue(absl::string_view text, const NumberRun::Group& g) {
  int value = 0;
  for (size_t i = g.begin; i < g.end; ++i) value = value * 10 + text[i] - '0';
  return value;
}

// Whether groups k, k+1 and k+2 of `run` are a date written YYYY-MM-DD (or
// with '/' or '.'), the same separator twice and another one (or none) on
// either side.
bool IsDateAt(absl::string_view text, const NumberRun& run, size_t k) {
  if (k + 2 >= run.groups.size()) return false;
  const NumberRun::Group& y = run.groups[k];
  const NumberRun::Group& m = run.groups[k + 1];
  const NumberRun::Group& d = run.groups[k + 2];
  const char separator = text[y.end];
  if (separator == ' ' || text[m.end] != separator) return false;
  if (k > 0 && text[y.begin - 1] == separator) return false;
  if (k + 3 < run.groups.size() && text[d.end] == separator) return false;
  if (y.end - y.begin != 4 || m.end - m.begin > 2 || d.end - d.begin > 2) {
    return false;
  }
  const int year = GroupValue(text, y);
  const int month = GroupValue(text, m);
  const int day = GroupValue(text, d);
  return year >= 1850 && year <= 2099 && month >= 1 && month <= 12 &&
         day >= 1 && day <= 31;
}

// Whether groups 0 and 1 of `run` are the seconds of a time and their
// fraction ("09:00:00.123456789"): the number follows a ':'.
bool IsSecondsAt(absl::string_view text, const NumberRun& run, size_t k) {
  if (k != 0 || run.groups.size() < 2 || run.begin == 0 ||
      text[run.begin - 1] != ':') {
    return false;
  }
  const NumberRun::Group& seconds = run.groups[0];
  const NumberRun::Group& fraction = run.groups[1];
  return seconds.end - seconds.begin == 2 && text[seconds.end] == '.' &&
         fraction.end - fraction.begin <= 9;
}

// Appends text[begin, end), a part of a number, with its digits (and a check
// character) hidden but the first `keep_front` and the last `keep_back`;
// separators are kept.
void AppendMaskedDigits(absl::string_view text, size_t begin, size_t end,
                        size_t keep_front, size_t keep_back, std::string* out) {
  size_t count = 0;
  for (size_t i = begin; i < end; ++i)
    count += IsNumberSeparator(text[i]) ? 0 : 1;
  size_t seen = 0;
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (IsNumberSeparator(c)) {
      out->push_back(c);
      continue;
    }
    out->push_back(seen < keep_front || seen + keep_back >= count ? c : '*');
    ++seen;
  }
}

// The digits (and check character) a number of `count` of them keeps, by
// the shape rules of RedactText.
std::pair<size_t, size_t> KeptDigits(size_t count) {
  if (count >= 10 && count <= 13) return {3, 4};  // a phone
  if (count == 18) return {6, 4};                 // a resident id
  return {0, 4};
}

// Whether the digits text[begin, end) are a zero-padded counter: "00", then
// at most 9 digits after the zeros (a ledger's file names).
bool IsZeroPaddedCounter(absl::string_view text, size_t begin, size_t end) {
  if (end - begin < 2 || text[begin] != '0' || text[begin + 1] != '0') {
    return false;
  }
  size_t i = begin;
  while (i < end && text[i] == '0') ++i;
  return end - i <= 9;
}

// Appends the number `run` with the shape rules of RedactText.
void AppendNumber(absl::string_view text, const NumberRun& run,
                  std::string* out) {
  out->append(text.data() + run.begin, run.first_digit - run.begin);  // "+86 "
  const size_t n = run.groups.size();
  size_t k = 0;
  while (k < n) {
    if (k > 0) out->push_back(text[run.groups[k].begin - 1]);
    if (IsSecondsAt(text, run, k)) {
      out->append(text.data() + run.groups[0].begin,
                  run.groups[1].end - run.groups[0].begin);
      k = 2;
      continue;
    }
    if (IsDateAt(text, run, k)) {
      const size_t date_end = k + 3 == n ? run.end : run.groups[k + 2].end;
      out->append(text.data() + run.groups[k].begin,
                  date_end - run.groups[k].begin);
      k += 3;
      continue;
    }
    // A segment: the groups up to the next date or the end.
    size_t last = k;
    while (last + 1 < n && !IsDateAt(text, run, last + 1)) ++last;
    const size_t begin = run.groups[k].begin;
    const size_t end = last + 1 == n ? run.end : run.groups[last].end;
    size_t count = 0;
    for (size_t g = k; g <= last; ++g) {
      count += run.groups[g].end - run.groups[g].begin;
    }
    if (last + 1 == n && run.check_x) ++count;
    if (count < 10 ||
        (k == last && !run.check_x && IsZeroPaddedCounter(text, begin, end))) {
      out->append(text.data() + begin, end - begin);
    } else {
      const std::pair<size_t, size_t> kept = KeptDigits(count);
      AppendMaskedDigits(text, begin, end, kept.first, kept.second, out);
    }
    k = last + 1;
  }
}

// Appends the number `run` of `text` with every learned national id and
// phone found among its digits (and check character) hidden as
// RedactNationalId and RedactPhone hide them; the rest as it is. `find`
// (digits, d, &phone) is the length of the learned number at digits[d], 0
// for none.
template <typename Find>
void AppendLearnedNumbers(absl::string_view text, const NumberRun& run,
                          const Find& find, std::string* out) {
  // The digits of the number, and where each is in the text.
  absl::InlinedVector<size_t, 32> where;
  std::string digits;
  for (const NumberRun::Group& g : run.groups) {
    for (size_t i = g.begin; i < g.end; ++i) where.push_back(i);
    digits.append(text.data() + g.begin, g.end - g.begin);
  }
  if (run.check_x) {
    where.push_back(run.end - 1);
    digits.push_back('X');
  }
  const size_t start = out->size();
  out->append(text.data() + run.begin, run.end - run.begin);
  for (size_t d = 0; d < digits.size();) {
    bool phone = false;
    const size_t length = find(digits, d, &phone);
    if (length == 0) {
      ++d;
      continue;
    }
    size_t keep_front = 0, keep_back = 0;
    if (length >= 10) {
      keep_front = phone ? 3 : length == 18 ? 6 : 0;
      keep_back = 4;
    }
    for (size_t j = keep_front; j + keep_back < length; ++j) {
      (*out)[start + where[d + j] - run.begin] = '*';
    }
    d += length;
  }
}

}  // namespace

std::string RedactText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  NumberRun run;
  size_t i = 0;
  while (i < text.size()) {
    if (!StartsNumber(text, i)) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    ScanNumber(text, i, &run);
    AppendNumber(text, run, &out);
    i = run.end;
  }
  return out;
}

void RedactPerson(v1::Person* person) { Redactor().Redact(person); }

void RedactEvent(v1::LedgerEvent* event) { Redactor().Redact(event); }

// ---------------------------------------------------------------------------
// Redactor.

void Redactor::Add(absl::string_view value, std::string redacted) {
  if (value.size() < 2 || value == redacted) return;
  std::string key = absl::AsciiStrToLower(value);
  const unsigned char first = static_cast<unsigned char>(key[0]);
  const size_t length = key.size();
  prefixes_[first << 8 | static_cast<unsigned char>(key[1])] = true;
  if (!values_.emplace(std::move(key), std::move(redacted)).second) return;
  std::vector<size_t>& lengths = lengths_[first];
  if (std::find(lengths.begin(), lengths.end(), length) == lengths.end()) {
    lengths.push_back(length);
    std::sort(lengths.begin(), lengths.end(), std::greater<size_t>());
  }
}

void Redactor::AddQuoted(const std::string& value, std::string redacted) {
  // Quoted in CSV or JSON output, a '"' or '\\' is escaped: learn those forms
  // too, so that a whole output text can be redacted after it is written.
  if (value.find_first_of("\"\\") != std::string::npos) {
    Add(absl::StrReplaceAll(value, {{"\"", "\"\""}}),
        absl::StrReplaceAll(redacted, {{"\"", "\"\""}}));
    Add(absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}}),
        absl::StrReplaceAll(redacted, {{"\\", "\\\\"}, {"\"", "\\\""}}));
  }
  Add(value, std::move(redacted));
}

namespace {

// A string of digits and 'X' as one number: bijective base 11, '0'-'9' as
// 1-10 and 'X' as 11, so that every string of up to 18 has its own.
uint64_t DigitKey(uint64_t key, char c) {
  return key * 11 + (c == 'X' ? 11 : c - '0' + 1);
}

}  // namespace

void Redactor::AddDigits(absl::string_view value, DigitKind kind) {
  // Only a number written with digits and separators (and an id's check
  // character) is looked for by its digits.
  absl::string_view rest = value;
  if (kind == DigitKind::kPhone && !absl::ConsumePrefix(&rest, "+86")) {
    absl::ConsumePrefix(&rest, "0086");
  }
  uint64_t key = 0;
  size_t length = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (IsDigit(c) || ((c == 'X' || c == 'x') && i + 1 == rest.size() &&
                       kind == DigitKind::kNationalId)) {
      if (++length > kMaxDigits) return;
      key = DigitKey(key, c == 'x' ? 'X' : c);
    } else if (!IsPhoneSeparator(c) && c != '/') {
      return;
    }
  }
  if (length < kMinDigits) return;
  digits_.emplace(key, kind);
  if (std::find(digit_lengths_.begin(), digit_lengths_.end(), length) ==
      digit_lengths_.end()) {
    digit_lengths_.push_back(length);
    std::sort(digit_lengths_.begin(), digit_lengths_.end(),
              std::greater<size_t>());
  }
}

void Redactor::Learn(const v1::Person& person) {
  if (CodePointCount(person.name()) >= 2) {
    AddQuoted(person.name(), RedactName(person.name()));
  }
  if (CodePointCount(person.national_id()) >= 4) {
    AddQuoted(person.national_id(), RedactNationalId(person.national_id()));
    AddDigits(person.national_id(), DigitKind::kNationalId);
  }
  if (CodePointCount(person.phone()) >= 4) {
    AddQuoted(person.phone(), RedactPhone(person.phone()));
    AddDigits(person.phone(), DigitKind::kPhone);
  }
}

void Redactor::Learn(const v1::Household& household) {
  for (const std::string* value :
       {&household.address(), &household.responsible_worker()}) {
    if (CodePointCount(*value) >= 2) AddQuoted(*value, RedactName(*value));
  }
}

absl::Status Redactor::LearnLedger(const LedgerView& ledger) {
  // Find the persons' and households' sequence numbers in the event index
  // (one byte per event) under the read lock, then read only those events.
  std::vector<uint64_t> records;
  size_t persons = 0;
  {
    internal::LedgerReader reader(ledger);
    const internal::EventIndex& events = reader.events();
    for (uint64_t s = 1; s <= events.last_sequence(); ++s) {
      const internal::EventKind kind = events.KindOf(s);
      if (kind == internal::EventKind::kPerson) ++persons;
      if (kind == internal::EventKind::kPerson ||
          kind == internal::EventKind::kHousehold) {
        records.push_back(s);
      }
    }
  }
  // The digits of up to two values per person: no rehashing while they
  // are added.
  digits_.reserve(digits_.size() + 2 * persons);
  for (uint64_t s : records) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    if (!event.ok()) return event.status();
    if (event->has_person()) Learn(event->person());
    if (event->has_household()) Learn(event->household());
  }
  return absl::OkStatus();
}

size_t Redactor::FindDigits(absl::string_view digits, size_t d,
                            bool* phone) const {
  // The keys of digits[d, d + length) for every length up to the longest.
  std::array<uint64_t, kMaxDigits + 1> keys;
  const size_t longest = std::min(digit_lengths_.front(), digits.size() - d);
  uint64_t key = 0;
  for (size_t length = 1; length <= longest; ++length) {
    key = DigitKey(key, digits[d + length - 1]);
    keys[length] = key;
  }
  for (size_t length : digit_lengths_) {  // longest first
    if (length > longest) continue;
    auto it = digits_.find(keys[length]);
    if (it == digits_.end()) continue;
    *phone = it->second == DigitKind::kPhone;
    return length;
  }
  return 0;
}

std::string Redactor::Text(absl::string_view text) const {
  if (values_.empty() && digits_.empty()) return RedactText(text);
  // First the values as written. Names and addresses are found whatever the
  // case of their ASCII letters: look them up in a lower-case copy (of the
  // same byte offsets).
  std::string out;
  if (values_.empty()) {
    out = std::string(text);
  } else {
    const std::string lower = absl::AsciiStrToLower(text);
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
      const unsigned char first = static_cast<unsigned char>(lower[i]);
      if (i + 1 < text.size() &&
          prefixes_[first << 8 | static_cast<unsigned char>(lower[i + 1])] &&
          !(IsAsciiLetter(text[i]) && i > 0 && IsAsciiLetter(text[i - 1]))) {
        bool found = false;
        for (size_t length : lengths_[first]) {  // longest first
          if (length > text.size() - i) continue;
          // A value that ends in a letter is not found inside a word.
          if (i + length < text.size() && IsAsciiLetter(text[i + length]) &&
              IsAsciiLetter(text[i + length - 1])) {
            continue;
          }
          auto it = values_.find(absl::string_view(lower).substr(i, length));
          if (it != values_.end()) {
            out += it->second;
            i += length;
            found = true;
            break;
          }
        }
        if (found) continue;
      }
      const size_t n = StepAt(text, i);
      out.append(text.data() + i, n);
      i += n;
    }
  }
  // Then the ids and phones by their digits, in every number.
  if (!digits_.empty()) {
    std::string numbers;
    numbers.reserve(out.size());
    NumberRun run;
    size_t i = 0;
    while (i < out.size()) {
      if (!StartsNumber(out, i)) {
        numbers.push_back(out[i]);
        ++i;
        continue;
      }
      ScanNumber(out, i, &run);
      if (run.end - run.begin < kMinDigits) {  // too short to hold one
        numbers.append(out, run.begin, run.end - run.begin);
        i = run.end;
        continue;
      }
      AppendLearnedNumbers(
          out, run,
          [this](absl::string_view digits, size_t d, bool* phone) {
            return FindDigits(digits, d, phone);
          },
          &numbers);
      i = run.end;
    }
    out.swap(numbers);
  }
  return RedactText(out);
}

void Redactor::Redact(v1::Person* person) const {
  person->set_name(RedactName(person->name()));
  person->set_national_id(RedactNationalId(person->national_id()));
  person->set_phone(RedactPhone(person->phone()));
  person->clear_birth_date();
  person->set_id(Text(person->id()));
  person->set_household_id(Text(person->household_id()));
  person->set_area_id(Text(person->area_id()));
  for (std::string& tag : *person->mutable_tags()) tag = Text(tag);
  for (v1::TravelEntry& entry : *person->mutable_travel_history()) {
    entry.set_place(Text(entry.place()));
  }
}

void Redactor::Redact(v1::LedgerEvent* event) const {
  const auto text = [this](std::string* s) { *s = Text(*s); };
  text(event->mutable_actor());
  switch (event->body_case()) {
    case v1::LedgerEvent::kArea: {
      v1::Area* a = event->mutable_area();
      text(a->mutable_id());
      text(a->mutable_parent_id());
      text(a->mutable_name());
      break;
    }
    case v1::LedgerEvent::kHousehold: {
      v1::Household* h = event->mutable_household();
      text(h->mutable_id());
      text(h->mutable_area_id());
      h->set_address(RedactName(h->address()));
      h->set_responsible_worker(RedactName(h->responsible_worker()));
      break;
    }
    case v1::LedgerEvent::kPerson:
      Redact(event->mutable_person());
      break;
    case v1::LedgerEvent::kExposure: {
      v1::Exposure* x = event->mutable_exposure();
      text(x->mutable_id());
      text(x->mutable_person_a());
      text(x->mutable_person_b());
      text(x->mutable_note());
      break;
    }
    case v1::LedgerEvent::kDiagnosis:
      text(event->mutable_diagnosis()->mutable_person_id());
      break;
    case v1::LedgerEvent::kQuarantineAction:
      text(event->mutable_quarantine_action()->mutable_person_id());
      break;
    case v1::LedgerEvent::kHealthCheck: {
      v1::HealthCheck* c = event->mutable_health_check();
      text(c->mutable_person_id());
      text(c->mutable_checked_by());
      for (std::string& symptom : *c->mutable_symptoms()) text(&symptom);
      break;
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      v1::CheckpointPassage* p = event->mutable_checkpoint_passage();
      text(p->mutable_person_id());
      text(p->mutable_checkpoint_id());
      break;
    }
    case v1::LedgerEvent::kRetraction:
      text(event->mutable_retraction()->mutable_reason());
      break;
    case v1::LedgerEvent::BODY_NOT_SET:
      break;
  }
}

}  // namespace contactledger
