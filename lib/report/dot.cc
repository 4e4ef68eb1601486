// Graphviz DOT quoting (contactledger/report.h).

#include <string>

#include "absl/strings/string_view.h"
#include "contactledger/report.h"

namespace contactledger {

std::string DotQuote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
      case '\\':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace contactledger
