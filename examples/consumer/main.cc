// Copyright 2026 The ContactLedger Authors.
//
// Uses an installed ContactLedger, built either through
// find_package(ContactLedger) (CMakeLists.txt here) or with the flags of
// `pkg-config --cflags --libs contactledger`: records one county and reads it
// back. Exits 0 when what comes back is what went in.

#include <cstdlib>
#include <iostream>
#include <memory>

#include "absl/status/statusor.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"

int main() {
  std::unique_ptr<contactledger::Ledger> ledger =
      contactledger::Ledger::New(contactledger::LedgerOptions());

  contactledger::v1::LedgerEvent event;
  event.set_actor("consumer");
  contactledger::v1::Area* area = event.mutable_area();
  area->set_id("yuanling");
  area->set_level(contactledger::v1::AREA_LEVEL_COUNTY);
  area->set_name("Yuanling County");

  absl::StatusOr<uint64_t> seq = ledger->Append(event);
  if (!seq.ok()) {
    std::cerr << "Append failed: " << seq.status() << "\n";
    return EXIT_FAILURE;
  }

  absl::StatusOr<contactledger::v1::Area> county =
      ledger->GetArea("yuanling", contactledger::ReadOptions());
  if (!county.ok()) {
    std::cerr << "GetArea failed: " << county.status() << "\n";
    return EXIT_FAILURE;
  }
  std::cout << "event " << *seq << ": " << county->ShortDebugString() << "\n";

  if (*seq != 1 || county->id() != "yuanling" ||
      county->level() != contactledger::v1::AREA_LEVEL_COUNTY ||
      county->name() != "Yuanling County" || !county->parent_id().empty() ||
      ledger->last_sequence_number() != 1 || ledger->Stats().areas != 1) {
    std::cerr << "mismatch: the ledger did not return what was appended\n";
    return EXIT_FAILURE;
  }
  std::cout << "ok\n";
  return EXIT_SUCCESS;
}
