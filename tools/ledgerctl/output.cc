// Copyright 2026 The ContactLedger Authors.
//
// Standard output and standard error through the --redact redactor
// (output.h).

#include "tools/ledgerctl/output.h"

#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "contactledger/privacy.h"

namespace contactledger {
namespace ledgerctl {
namespace {

const Redactor* g_redactor = nullptr;

}  // namespace

void Print(absl::string_view text) {
  std::string redacted;
  if (g_redactor != nullptr) text = redacted = g_redactor->Text(text);
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void PrintError(absl::string_view text) {
  std::string redacted;
  if (g_redactor != nullptr) text = redacted = g_redactor->Text(text);
  std::fflush(stdout);
  std::fwrite(text.data(), 1, text.size(), stderr);
  if (!absl::EndsWith(text, "\n")) std::fputc('\n', stderr);
}

void SetOutputRedactor(const Redactor* redactor) { g_redactor = redactor; }

const Redactor* OutputRedactor() { return g_redactor; }

}  // namespace ledgerctl
}  // namespace contactledger
