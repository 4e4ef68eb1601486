// Copyright 2026 The ContactLedger Authors.
//
// Policies in ledgerctl (commands.h): reading what --policy names (a preset,
// or a file holding a whole policy or changes to a preset, ParsePolicy in
// contactledger/tracing.h), and `ledgerctl policy show`, which prints one in
// protobuf text format, ready to copy into a file and edit.

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "contactledger/env.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/policy.pb.h"
#include "google/protobuf/text_format.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// Whether `value` reads as a file name rather than a preset's: it has a
// directory separator or an extension.
bool LooksLikeFileName(absl::string_view value) {
  return value.find_first_of("/\\.") != absl::string_view::npos;
}

std::string PresetList() { return absl::StrJoin(PolicyPresetNames(), ", "); }

}  // namespace

absl::StatusOr<v1::Policy> LoadPolicyArgument(const std::string& value) {
  absl::StatusOr<v1::Policy> preset = PolicyPreset(value);
  if (preset.ok()) return preset;
  Env* env = Env::Default();
  if (!env->FileExists(value)) {
    if (LooksLikeFileName(value)) {
      return absl::NotFoundError(absl::StrCat(
          "no such file: ", value,
          " (give a policy file or a preset: ", PresetList(), ")"));
    }
    return absl::NotFoundError(
        absl::StrCat("'", value, "' is neither a preset (", PresetList(),
                     ") nor an existing policy file"));
  }
  absl::StatusOr<std::string> text = ReadFileToString(env, value);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the policy file '", value,
                     "': ", text.status().message()));
  }
  absl::StatusOr<v1::Policy> policy = ParsePolicy(*text);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        value, ": ", policy.status().message(),
        " (a contactledger.v1.Policy in protobuf text format or JSON, whole "
        "or as changes to a preset named by 'base': see "
        "proto/contactledger/v1/policy.proto and 'ledgerctl policy show "
        "china-2020'; or use a preset: ",
        PresetList(), ")"));
  }
  return policy;
}

int RunPolicy(const Invocation& inv) {
  const std::string& subcommand = inv.positionals[0];
  if (subcommand != "show") {
    return UsageError(inv, absl::StrCat("unknown subcommand '", subcommand,
                                        "' (expected 'show')"));
  }
  const std::string& name = inv.positionals[1];
  absl::StatusOr<v1::Policy> policy = LoadPolicyArgument(name);
  if (!policy.ok()) {
    if (absl::IsNotFound(policy.status())) {
      return UsageError(inv, policy.status().message());
    }
    return Failed(inv, policy.status());
  }
  // A whole policy: a base is resolved already, and printed fields would
  // not overlay it again exactly (text format leaves out false and zero).
  const std::string base = policy->base();
  policy->clear_base();
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  if (!printer.PrintToString(*policy, &text)) {
    return Failed(inv, "cannot print the policy");
  }
  const bool preset = PolicyPreset(name).ok();
  Print(absl::StrCat(
      "# contactledger.v1.Policy ",
      preset ? absl::StrCat("preset ", name)
             : absl::StrCat(
                   "of ", name,
                   base.empty() ? "" : absl::StrCat(" (base ", base, ")")),
      ": docs/rules.md section 9, fields in\n"
      "# proto/contactledger/v1/policy.proto. Copy it into a file, edit "
      "it, and pass\n"
      "# the file with --policy FILE. To change only a few fields, a file may "
      "instead\n"
      "# name a preset and hold just those fields, e.g.\n"
      "#   base: \"",
      preset         ? name
      : base.empty() ? "china-2020"
                     : base,
      "\"\n"
      "#   min_exposure { seconds: 900 }\n",
      text));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
