// Copyright 2026 The ContactLedger Authors.
//
// Identity validation and redaction (contactledger/privacy.h).

#include "contactledger/privacy.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>

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

// A run of digits RedactText looks at: [begin, end) of the text.
struct DigitRun {
  size_t end = 0;
  size_t digits = 0;
  bool contiguous = true;  // digits only (no +86, no separators)
  bool check_x = false;    // 17 digits then 'X' or 'x'
};

// Whether "+86" starts at text[i], followed by a digit or by one space or
// hyphen and a digit.
bool StartsPlus86Run(absl::string_view text, size_t i) {
  if (text.substr(i, 3) != "+86") return false;
  size_t j = i + 3;
  if (j < text.size() && (text[j] == ' ' || text[j] == '-')) ++j;
  return j < text.size() && IsDigit(text[j]);
}

// The run starting at text[begin], which is a digit or the '+' of "+86".
DigitRun ScanRun(absl::string_view text, size_t begin) {
  DigitRun run;
  size_t i = begin;
  if (text[i] == '+') {  // "+86", then one separator of either kind
    run.contiguous = false;
    run.digits = 2;
    i += 3;
    if (i + 1 < text.size() && (text[i] == ' ' || text[i] == '-') &&
        IsDigit(text[i + 1])) {
      ++i;
    }
  }
  char separator = '\0';
  while (i < text.size()) {
    if (IsDigit(text[i])) {
      ++run.digits;
      ++i;
      continue;
    }
    const char c = text[i];
    const bool joins = (c == ' ' || c == '-') &&
                       (separator == '\0' || separator == c) &&
                       i + 1 < text.size() && IsDigit(text[i + 1]);
    if (!joins) break;
    separator = c;
    run.contiguous = false;
    ++i;
  }
  if (run.contiguous && run.digits == 17 && i < text.size() &&
      (text[i] == 'X' || text[i] == 'x')) {
    run.check_x = true;
    ++i;
  }
  run.end = i;
  return run;
}

}  // namespace

std::string RedactText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool starts = !(i > 0 && IsDigit(text[i - 1])) &&
                        (IsDigit(c) || StartsPlus86Run(text, i));
    if (!starts) {
      out.push_back(c);
      ++i;
      continue;
    }
    const DigitRun run = ScanRun(text, i);
    const absl::string_view value = text.substr(i, run.end - i);
    if (run.check_x ||
        (run.contiguous && (run.digits == 18 || run.digits == 15))) {
      out += RedactNationalId(value);
    } else if (run.digits >= 10 && run.digits <= 13) {
      out += RedactPhone(value);
    } else {
      out.append(value.data(), value.size());
    }
    i = run.end;
  }
  return out;
}

void RedactPerson(v1::Person* person) { Redactor().Redact(person); }

void RedactEvent(v1::LedgerEvent* event) { Redactor().Redact(event); }

// ---------------------------------------------------------------------------
// Redactor.

void Redactor::Add(std::string value, std::string redacted) {
  if (value.size() < 2 || value == redacted) return;
  const unsigned char first = static_cast<unsigned char>(value[0]);
  const size_t length = value.size();
  prefixes_[first << 8 | static_cast<unsigned char>(value[1])] = true;
  if (!values_.emplace(std::move(value), std::move(redacted)).second) return;
  std::vector<size_t>& lengths = lengths_[first];
  if (std::find(lengths.begin(), lengths.end(), length) == lengths.end()) {
    lengths.push_back(length);
    std::sort(lengths.begin(), lengths.end(), std::greater<size_t>());
  }
}

void Redactor::Learn(const v1::Person& person) {
  // Quoted in CSV or JSON output, a '"' or '\\' is escaped: learn those forms
  // too, so that a whole output text can be redacted after it is written.
  const auto add = [this](const std::string& value, std::string redacted) {
    if (value.find_first_of("\"\\") != std::string::npos) {
      Add(absl::StrReplaceAll(value, {{"\"", "\"\""}}),
          absl::StrReplaceAll(redacted, {{"\"", "\"\""}}));
      Add(absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}}),
          absl::StrReplaceAll(redacted, {{"\\", "\\\\"}, {"\"", "\\\""}}));
    }
    Add(value, std::move(redacted));
  };
  if (CodePointCount(person.name()) >= 2) {
    add(person.name(), RedactName(person.name()));
  }
  if (CodePointCount(person.national_id()) >= 4) {
    add(person.national_id(), RedactNationalId(person.national_id()));
  }
  if (CodePointCount(person.phone()) >= 4) {
    add(person.phone(), RedactPhone(person.phone()));
  }
}

absl::Status Redactor::LearnLedger(const LedgerView& ledger) {
  // Find the persons' sequence numbers in the event index (one byte per
  // event) under the read lock, then read only those events.
  std::vector<uint64_t> persons;
  {
    internal::LedgerReader reader(ledger);
    const internal::EventIndex& events = reader.events();
    for (uint64_t s = 1; s <= events.last_sequence(); ++s) {
      if (events.KindOf(s) == internal::EventKind::kPerson) {
        persons.push_back(s);
      }
    }
  }
  for (uint64_t s : persons) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    if (!event.ok()) return event.status();
    if (event->has_person()) Learn(event->person());
  }
  return absl::OkStatus();
}

std::string Redactor::Text(absl::string_view text) const {
  if (values_.empty()) return RedactText(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char first = static_cast<unsigned char>(text[i]);
    if (i + 1 < text.size() &&
        prefixes_[first << 8 | static_cast<unsigned char>(text[i + 1])]) {
      bool found = false;
      for (size_t length : lengths_[first]) {  // longest first
        if (length > text.size() - i) continue;
        auto it = values_.find(text.substr(i, length));
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
