// Copyright 2026 The ContactLedger Authors.
//
// The policy parser (ParsePolicy in contactledger/tracing.h) and the tracing
// engine under whatever policy it accepts.
//
// Input: a policy as protobuf text format or JSON.
//
// Checks:
//   - an error is InvalidArgument starting "policy";
//   - an accepted policy passes ValidatePolicy, and written back as text
//     format and as JSON it parses to the same policy;
//   - a Tracer under it, over a small scenario ledger (cases, contacts,
//     stays, checks, passages, a retraction) at several moments, answers
//     every question, in the documented order, consistently (the roster's
//     persons are explained as in the roster and may not pass a checkpoint).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "contactledger/tracing.h"
#include "fuzz/fuzz_util.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactledger;        // NOLINT
  using namespace contactledger::fuzz;  // NOLINT
  static const Ledger* const ledger = ScenarioLedger().release();
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<v1::Policy> policy = ParsePolicy(text);
  if (!policy.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(policy.status()) &&
                   absl::StartsWith(policy.status().message(), "policy"),
               absl::StrCat("ParsePolicy error: ", policy.status().ToString()));
    return 0;
  }
  FUZZ_CHECK(ValidatePolicy(*policy).ok(), "an accepted policy is invalid");
  const std::string wire = policy->SerializeAsString();

  std::string as_text;
  FUZZ_CHECK(google::protobuf::TextFormat::PrintToString(*policy, &as_text),
             "text format printing failed");
  absl::StatusOr<v1::Policy> from_text = ParsePolicy(as_text);
  FUZZ_CHECK(from_text.ok() && from_text->SerializeAsString() == wire,
             absl::StrCat("the policy written as text reads differently: ",
                          from_text.status().ToString(), "\n", as_text));

  std::string as_json;
  const auto printed =
      google::protobuf::util::MessageToJsonString(*policy, &as_json);
  FUZZ_CHECK(printed.ok(),
             absl::StrCat("the policy cannot be written as JSON: ",
                          printed.ToString(), "\n", as_text));
  absl::StatusOr<v1::Policy> from_json = ParsePolicy(as_json);
  FUZZ_CHECK(from_json.ok() && from_json->SerializeAsString() == wire,
             absl::StrCat("the policy written as JSON reads differently: ",
                          from_json.status().ToString(), "\n", as_json));

  for (absl::Time at : ScenarioMoments()) AskTracer(*ledger, at, *policy);
  return 0;
}
