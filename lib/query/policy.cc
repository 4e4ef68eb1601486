// Policies: the presets of docs/rules.md section 9, validation and parsing
// (with a preset as the base of a policy file: ParsePolicy).

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "contactledger/tracing.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "lib/util/text.h"

namespace contactledger {
namespace {

void SetHours(google::protobuf::Duration* d, int64_t hours) {
  d->set_seconds(hours * 3600);
  d->set_nanos(0);
}

void AddPhase(v1::QuarantinePlace place, int days,
              google::protobuf::RepeatedPtrField<v1::QuarantinePhase>* out) {
  v1::QuarantinePhase* phase = out->Add();
  phase->set_place(place);
  phase->set_days(days);
}

// The fields every preset shares.
v1::Policy Common(absl::string_view name) {
  v1::Policy p;
  p.set_name(std::string(name));
  SetHours(p.mutable_lookback(), 48);
  p.set_household_rule(true);
  p.set_trace_suspected(false);
  SetHours(p.mutable_placement_deadline(), 24);
  return p;
}

absl::Status CheckDuration(absl::string_view field,
                           const google::protobuf::Duration& d, bool positive) {
  if (d.seconds() < 0 || d.nanos() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be negative"));
  }
  if (d.nanos() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be whole seconds"));
  }
  if (positive && d.seconds() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be > 0"));
  }
  // As long as the longest quarantine: a longer one means nothing, and the
  // engine's arithmetic on instants must not overflow.
  constexpr int64_t kMaxSeconds = int64_t{3650} * 86400;
  if (d.seconds() > kMaxSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be at most 3650 days, got ", d.seconds(), " s"));
  }
  return absl::OkStatus();
}

absl::Status CheckPhases(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<v1::QuarantinePhase>& phases) {
  int64_t total = 0;
  for (int i = 0; i < phases.size(); ++i) {
    const v1::QuarantinePhase& phase = phases.Get(i);
    const std::string name = absl::StrCat(field, "[", i, "]");
    if (!v1::QuarantinePlace_IsValid(phase.place()) ||
        phase.place() == v1::QUARANTINE_PLACE_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".place: must be HOSPITAL, CENTRALIZED or HOME"));
    }
    if (phase.days() < 1 || phase.days() > 3650) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ".days: must be 1 to 3650, got ", phase.days()));
    }
    total += phase.days();
  }
  if (total > 3650) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": phases add up to ", total, " days, more than 3650"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> PolicyPresetNames() {
  return {"china-2020", "china-2022", "who-2020", "cdc-2020"};
}

absl::StatusOr<v1::Policy> PolicyPreset(absl::string_view name) {
  v1::Policy p = Common(name);
  if (name == "china-2020" || name == "china-2022") {
    if (name == "china-2020") {
      AddPhase(v1::QUARANTINE_PLACE_CENTRALIZED, 14,
               p.mutable_close_contact_phases());
    } else {
      AddPhase(v1::QUARANTINE_PLACE_CENTRALIZED, 7,
               p.mutable_close_contact_phases());
      AddPhase(v1::QUARANTINE_PLACE_HOME, 3, p.mutable_close_contact_phases());
      AddPhase(v1::QUARANTINE_PLACE_HOME, 7,
               p.mutable_secondary_contact_phases());
    }
    SetHours(p.mutable_check_interval(), 12);
    p.set_fever_threshold_celsius(37.3);
    p.mutable_escalation_deadline()->set_seconds(2 * 3600);
    return p;
  }
  if (name == "who-2020" || name == "cdc-2020") {
    AddPhase(v1::QUARANTINE_PLACE_HOME, 14, p.mutable_close_contact_phases());
    p.mutable_min_exposure()->set_seconds(15 * 60);
    SetHours(p.mutable_check_interval(), 24);
    p.set_fever_threshold_celsius(38.0);
    SetHours(p.mutable_escalation_deadline(), 24);
    return p;
  }
  return absl::NotFoundError(
      absl::StrCat("no policy preset '", name, "'; the presets are ",
                   absl::StrJoin(PolicyPresetNames(), ", ")));
}

absl::Status ValidatePolicy(const v1::Policy& policy) {
  if (auto s = CheckDuration("lookback", policy.lookback(), false); !s.ok()) {
    return s;
  }
  if (policy.close_contact_phases().empty()) {
    return absl::InvalidArgumentError(
        "close_contact_phases: at least one phase is required");
  }
  if (auto s =
          CheckPhases("close_contact_phases", policy.close_contact_phases());
      !s.ok()) {
    return s;
  }
  if (auto s = CheckPhases("secondary_contact_phases",
                           policy.secondary_contact_phases());
      !s.ok()) {
    return s;
  }
  if (auto s = CheckDuration("min_exposure", policy.min_exposure(), false);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckDuration("check_interval", policy.check_interval(), true);
      !s.ok()) {
    return s;
  }
  if (!(policy.fever_threshold_celsius() >= 35.0 &&
        policy.fever_threshold_celsius() <= 42.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fever_threshold_celsius: must be 35.0 to 42.0, got ",
                     policy.fever_threshold_celsius()));
  }
  if (auto s = CheckDuration("placement_deadline", policy.placement_deadline(),
                             false);
      !s.ok()) {
    return s;
  }
  return CheckDuration("escalation_deadline", policy.escalation_deadline(),
                       false);
}

namespace {

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                            message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

using google::protobuf::FieldDescriptor;

// Whether `key`, a member of a policy's JSON object, names `field`: by its
// proto name or its JSON (lowerCamelCase) name, as the JSON parser accepts.
bool JsonNames(const FieldDescriptor* field, const std::string& key) {
  return key == field->name() || key == field->json_name();
}

// Parses `text` (JSON) into *policy and lists in *set the fields it writes.
absl::Status ParseJson(absl::string_view text, v1::Policy* policy,
                       std::vector<const FieldDescriptor*>* set) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      std::string(text), policy, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "policy JSON: ",
        std::string(status.message().data(), status.message().size())));
  }
  // The members of the object, present whatever their values (null too).
  google::protobuf::Struct members;
  if (!google::protobuf::util::JsonStringToMessage(std::string(text), &members)
           .ok()) {
    return absl::InvalidArgumentError("policy JSON: not an object");
  }
  const google::protobuf::Descriptor* descriptor = v1::Policy::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    for (const auto& [key, value] : members.fields()) {
      if (JsonNames(field, key)) {
        set->push_back(field);
        break;
      }
    }
  }
  return absl::OkStatus();
}

// Parses `text` (protobuf text format) into *policy and lists in *set the
// fields it writes (a repeated one also when written as `[]`).
absl::Status ParseText(absl::string_view text, v1::Policy* policy,
                       std::vector<const FieldDescriptor*>* set) {
  google::protobuf::TextFormat::Parser parser;
  CollectErrors errors;
  parser.RecordErrorsTo(&errors);
  google::protobuf::TextFormat::ParseInfoTree locations;
  parser.WriteLocationsTo(&locations);
  if (!parser.ParseFromString(std::string(text), policy)) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy text: ", errors.first()));
  }
  const google::protobuf::Descriptor* descriptor = v1::Policy::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (locations.GetLocation(field, field->is_repeated() ? 0 : -1).line >= 0) {
      set->push_back(field);
    }
  }
  return absl::OkStatus();
}

// The preset `file.base()` with the fields of `file` listed in `set`
// replaced by the file's values.
absl::StatusOr<v1::Policy> Overlay(
    v1::Policy file, const std::vector<const FieldDescriptor*>& set) {
  absl::StatusOr<v1::Policy> preset = PolicyPreset(file.base());
  if (!preset.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("base: no preset '", file.base(), "'; the presets are ",
                     absl::StrJoin(PolicyPresetNames(), ", ")));
  }
  v1::Policy policy = *std::move(preset);
  const std::string base = file.base();
  std::vector<const FieldDescriptor*> replaced;
  std::vector<std::string> names;
  bool named = false;
  for (const FieldDescriptor* field : set) {
    if (field->number() == v1::Policy::kBaseFieldNumber) continue;
    if (field->number() == v1::Policy::kNameFieldNumber) {
      named = true;
    } else {
      names.push_back(field->name());
    }
    replaced.push_back(field);
  }
  // Each field written replaces the preset's, a repeated one as a whole.
  policy.GetReflection()->SwapFields(&policy, &file, replaced);
  if (!named) {
    policy.set_name(names.empty()
                        ? base
                        : absl::StrCat(base, "+", absl::StrJoin(names, "+")));
  }
  policy.set_base(base);
  return policy;
}

}  // namespace

absl::StatusOr<v1::Policy> ParsePolicy(absl::string_view text) {
  // Text format takes any bytes in a string (the name); protobuf strings,
  // and JSON, are UTF-8.
  if (absl::Status utf8 = internal::ValidateUtf8(text); !utf8.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("policy: ", utf8.message()));
  }
  v1::Policy policy;
  std::vector<const FieldDescriptor*> set;
  const absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(text);
  const absl::Status parsed = !trimmed.empty() && trimmed.front() == '{'
                                  ? ParseJson(text, &policy, &set)
                                  : ParseText(text, &policy, &set);
  if (!parsed.ok()) return parsed;
  if (!policy.base().empty()) {
    absl::StatusOr<v1::Policy> overlaid = Overlay(std::move(policy), set);
    if (!overlaid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("policy: ", overlaid.status().message()));
    }
    policy = *std::move(overlaid);
  }
  if (absl::Status s = ValidatePolicy(policy); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("policy: ", s.message()));
  }
  return policy;
}

}  // namespace contactledger
