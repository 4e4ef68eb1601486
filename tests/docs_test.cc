// Copyright 2026 The ContactLedger Authors.
//
// Checks that the documentation still tells the truth about the code:
//   - the README's API tour is examples/quickstart/quickstart.cc, line for
//     line (the quickstart itself runs as the CTest test example_quickstart);
//   - every test linked from docs/rules_as_implemented.md starts at the line
//     its link names;
//   - every relative link in README.md, docs/*.md and tests/data/SOURCES.md
//     names a file of the repository (and, for a Markdown file, a heading
//     it has), never one outside it;
//   - every public header opens with an overview and an example;
//   - docs/rules.md keeps the numbered sections the code cites, and every
//     "docs/rules.md section N" names one of them;
//   - no file of the repository sends a reader to the rules, the field
//     practice or the data sets outside it, where they came from.
// The files are read from the source tree this test was compiled from.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace {

namespace fs = std::filesystem;

// The root of the source tree: this file is <root>/tests/docs_test.cc.
fs::path SourceRoot() { return fs::path(__FILE__).parent_path().parent_path(); }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n');
}

// `lines` without the blank lines at either end.
std::vector<std::string> Trimmed(std::vector<std::string> lines) {
  auto blank = [](const std::string& l) {
    return absl::StripAsciiWhitespace(l).empty();
  };
  while (!lines.empty() && blank(lines.back())) lines.pop_back();
  auto first = std::find_if_not(lines.begin(), lines.end(), blank);
  lines.erase(lines.begin(), first);
  return lines;
}

TEST(DocsTest, SourceTreeIsWhereThisTestWasCompiledFrom) {
  ASSERT_TRUE(fs::exists(SourceRoot() / "README.md"))
      << "no README.md in " << SourceRoot()
      << "; this test reads the documentation from the source tree";
}

// The README shows the quickstart between these markers, inside a ```cpp
// fence. Only blank lines at either end may differ.
TEST(DocsTest, ReadmeApiTourIsTheQuickstartLineForLine) {
  const std::string readme = ReadFile(SourceRoot() / "README.md");
  const std::string begin_marker = "<!-- examples/quickstart/quickstart.cc -->";
  const std::string end_marker =
      "<!-- end of examples/quickstart/quickstart.cc -->";
  const size_t begin = readme.find(begin_marker);
  const size_t end = readme.find(end_marker);
  ASSERT_NE(begin, std::string::npos) << "README.md has no " << begin_marker;
  ASSERT_NE(end, std::string::npos) << "README.md has no " << end_marker;
  ASSERT_LT(begin, end);
  std::vector<std::string> block = Trimmed(Lines(readme.substr(
      begin + begin_marker.size(), end - begin - begin_marker.size())));
  ASSERT_GE(block.size(), 2u);
  ASSERT_EQ(block.front(), "```cpp") << "the quickstart must be a cpp block";
  ASSERT_EQ(block.back(), "```");
  block = Trimmed(std::vector<std::string>(block.begin() + 1, block.end() - 1));

  const std::vector<std::string> source = Trimmed(Lines(
      ReadFile(SourceRoot() / "examples" / "quickstart" / "quickstart.cc")));
  const size_t n = std::min(block.size(), source.size());
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(block[i], source[i])
        << "README.md's API tour and examples/quickstart/quickstart.cc part "
           "at line "
        << i + 1
        << " of the code; copy the quickstart into the README (or the "
           "README's code into the quickstart)";
  }
  EXPECT_EQ(block.size(), source.size())
      << "one of README.md's API tour and quickstart.cc goes on after the "
         "other ends";
}

// A test's suite and name from the TEST line at `index` (the name may be on
// the next line when clang-format breaks it); "" when it is no TEST line.
std::string TestAt(const std::vector<std::string>& lines, size_t index) {
  absl::string_view line = lines[index];
  if (!absl::ConsumePrefix(&line, "TEST(") &&
      !absl::ConsumePrefix(&line, "TEST_F(") &&
      !absl::ConsumePrefix(&line, "TEST_P(")) {
    return "";
  }
  std::string text(line);
  if (index + 1 < lines.size()) text += lines[index + 1];
  std::vector<std::string> parts = absl::StrSplit(text, absl::ByAnyChar(",)"));
  if (parts.size() < 2) return "";
  return absl::StrCat(absl::StripAsciiWhitespace(parts[0]), ".",
                      absl::StripAsciiWhitespace(parts[1]));
}

TEST(DocsTest, RulesAsImplementedLinksPointAtTheTestsTheyName) {
  const std::string doc =
      ReadFile(SourceRoot() / "docs" / "rules_as_implemented.md");
  // Every section of docs/rules.md has its own.
  for (int section = 1; section <= 9; ++section) {
    EXPECT_TRUE(absl::StrContains(doc, absl::StrCat("\n## ", section, ". ")))
        << "docs/rules_as_implemented.md has no section " << section;
  }
  // [`Suite.Name`](../tests/file_test.cc#L123)
  int links = 0;
  absl::string_view rest = doc;
  const absl::string_view kOpen = "[`";
  for (size_t at = rest.find(kOpen); at != absl::string_view::npos;
       at = rest.find(kOpen)) {
    rest.remove_prefix(at + kOpen.size());
    const size_t close = rest.find('`');
    if (close == absl::string_view::npos ||
        !absl::StartsWith(rest.substr(close), "`](../tests/")) {
      continue;  // a link to something else
    }
    const std::string name(rest.substr(0, close));
    rest.remove_prefix(close + 3);
    const size_t hash = rest.find("#L");
    const size_t paren = rest.find(')');
    ASSERT_LT(hash, paren) << "the link to " << name << " names no line";
    const std::string file(rest.substr(3, hash - 3));  // after "../"
    const int line = std::stoi(std::string(rest.substr(hash + 2)));
    ++links;
    const fs::path path = SourceRoot() / file;
    ASSERT_TRUE(fs::exists(path)) << name << ": no file " << file;
    const std::vector<std::string> lines = Lines(ReadFile(path));
    std::string now;  // where the test is now, for the message
    for (size_t i = 0; i < lines.size(); ++i) {
      if (TestAt(lines, i) == name) now = absl::StrCat(file, "#L", i + 1);
    }
    EXPECT_TRUE(line >= 1 && static_cast<size_t>(line) <= lines.size() &&
                TestAt(lines, line - 1) == name)
        << "docs/rules_as_implemented.md links " << name << " to " << file
        << "#L" << line << ", but "
        << (now.empty() ? std::string("there is no such test")
                        : absl::StrCat("it is at ", now,
                                       " now: run python3 "
                                       "docs/update_test_links.py"));
  }
  EXPECT_GE(links, 50) << "the links were not found; has their form changed?";
}

// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
// as '-'.
std::string Slug(absl::string_view heading) {
  std::string slug;
  for (char c : heading) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_') {
      slug.push_back(static_cast<char>(std::tolower(u)));
    } else if (c == ' ') {
      slug.push_back('-');
    }
  }
  return slug;
}

std::set<std::string> Anchors(const std::string& markdown) {
  std::set<std::string> anchors;
  bool in_code = false;
  for (absl::string_view line : absl::StrSplit(markdown, '\n')) {
    if (absl::StartsWith(line, "```")) in_code = !in_code;
    if (in_code || !absl::StartsWith(line, "#")) continue;
    line = absl::StripLeadingAsciiWhitespace(line.substr(line.find(' ') + 1));
    anchors.insert(Slug(line));
  }
  return anchors;
}

TEST(DocsTest, RelativeLinksInTheDocsNameFilesAndHeadingsThatExist) {
  std::vector<fs::path> pages = {
      SourceRoot() / "README.md",
      SourceRoot() / "tests" / "data" / "SOURCES.md"};
  for (const fs::directory_entry& entry :
       fs::directory_iterator(SourceRoot() / "docs")) {
    if (entry.path().extension() == ".md") pages.push_back(entry.path());
  }
  const fs::path root = fs::weakly_canonical(SourceRoot());
  int checked = 0;
  for (const fs::path& page : pages) {
    const std::string text = ReadFile(page);
    bool in_code = false;
    int line_number = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      ++line_number;
      if (absl::StartsWith(line, "```")) in_code = !in_code;
      if (in_code) continue;
      for (size_t at = line.find("]("); at != absl::string_view::npos;
           at = line.find("](", at + 2)) {
        const size_t end = line.find(')', at);
        if (end == absl::string_view::npos) break;
        std::string target(line.substr(at + 2, end - at - 2));
        if (absl::StrContains(target, "://") ||
            absl::StartsWith(target, "mailto:")) {
          continue;
        }
        std::string anchor;
        if (size_t hash = target.find('#'); hash != std::string::npos) {
          anchor = target.substr(hash + 1);
          target = target.substr(0, hash);
        }
        const fs::path path =
            target.empty() ? page
                           : fs::weakly_canonical(page.parent_path() / target);
        const std::string where =
            absl::StrCat(page.filename().string(), ":", line_number, ": (",
                         std::string(line.substr(at + 2, end - at - 2)), ")");
        // A link out of the repository leads nowhere in a clone.
        const std::string relative = path.lexically_relative(root).string();
        if (absl::StartsWith(relative, "..")) {
          ADD_FAILURE() << where << ": links out of the repository";
          continue;
        }
        ++checked;
        EXPECT_TRUE(fs::exists(path)) << where << ": no such file";
        if (!anchor.empty() && fs::exists(path) && path.extension() == ".md") {
          EXPECT_TRUE(Anchors(ReadFile(path)).count(anchor) > 0)
              << where << ": no heading for #" << anchor;
        }
        if (!anchor.empty() && absl::StartsWith(anchor, "L") &&
            fs::exists(path) && path.extension() != ".md") {
          const int target_line = std::atoi(anchor.c_str() + 1);
          EXPECT_TRUE(target_line >= 1 && static_cast<size_t>(target_line) <=
                                              Lines(ReadFile(path)).size())
              << where << ": the file has no line " << target_line;
        }
      }
    }
  }
  EXPECT_GE(checked, 20) << "no links found; has the Markdown changed?";
}

// The top-of-file comment: "// contactledger/NAME.h: ..." on its third
// line, an overview of some length, and an example: a line that names an
// "Example" and ends with ':', followed (after an optional blank comment
// line) by indented code.
TEST(DocsTest, EveryPublicHeaderOpensWithAnOverviewAndAnExample) {
  int headers = 0;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(SourceRoot() / "include" / "contactledger")) {
    if (entry.path().extension() != ".h") continue;
    ++headers;
    const std::string name = entry.path().filename().string();
    std::vector<std::string> comment;
    for (const std::string& line : Lines(ReadFile(entry.path()))) {
      if (!absl::StartsWith(line, "//")) break;
      comment.push_back(line);
    }
    ASSERT_GE(comment.size(), 3u) << name << " opens with no comment";
    EXPECT_TRUE(absl::StartsWith(comment[2],
                                 absl::StrCat("// contactledger/", name, ": ")))
        << name << ": the third line should be '// contactledger/" << name
        << ": what it is'";
    EXPECT_GE(comment.size(), 10u) << name << ": the overview is too short";
    bool example = false;
    for (size_t i = 0; i + 1 < comment.size() && !example; ++i) {
      if (!absl::StrContains(comment[i], "Example") ||
          !absl::EndsWith(comment[i], ":")) {
        continue;
      }
      size_t code = i + 1;
      if (comment[code] == "//" && code + 1 < comment.size()) ++code;
      example = absl::StartsWith(comment[code], "//   ");
    }
    EXPECT_TRUE(example) << name
                         << ": the opening comment has no 'Example:' "
                            "followed by indented code";
  }
  EXPECT_GE(headers, 6);
}

// The text files of the repository (sources, build files, scripts,
// documents), outside build trees, hidden folders (but .ci) and the data
// sets' own files under tests/data/<set>/. Binary files are left out.
std::vector<fs::path> RepositoryTextFiles() {
  const fs::path root = SourceRoot();
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root);
       it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    const std::string relative = path.lexically_relative(root).generic_string();
    if (it->is_directory()) {
      if ((absl::StartsWith(name, ".") && name != ".ci") || name == "build" ||
          absl::StartsWith(name, "build-") || name == "out" ||
          absl::StartsWith(name, "cmake-build-") || name == "_install" ||
          name == "drill-output" || absl::StartsWith(relative, "tests/data/")) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file() || it->file_size() > (size_t{4} << 20)) {
      continue;
    }
    const std::string text = ReadFile(path);
    if (text.find('\0') != std::string::npos) continue;  // binary
    files.push_back(path);
  }
  return files;
}

// The line of `text` that holds byte `at`, from 1.
int LineOf(const std::string& text, size_t at) {
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Code, tests and documents cite the rules by section number ("docs/rules.md
// section 5", "docs/rules.md §5"): the sections keep their numbers and
// titles, and every citation names one of them.
TEST(DocsTest, RulesKeepTheSectionsTheCodeCites) {
  const std::string rules = ReadFile(SourceRoot() / "docs" / "rules.md");
  for (const char* section :
       {"1. Time", "2. Records and corrections", "3. Cases", "4. Removal",
        "5. Close contacts", "6. Secondary contacts", "7. The roster",
        "8. Open loops", "9. Policy"}) {
    EXPECT_TRUE(absl::StrContains(rules, absl::StrCat("\n## ", section, "\n")))
        << "docs/rules.md has no heading '## " << section
        << "'; the code cites its sections by these numbers";
  }
  int citations = 0;
  for (const fs::path& file : RepositoryTextFiles()) {
    const std::string text = ReadFile(file);
    for (const std::string marker :
         {"rules.md section ", "rules.md sections ", "rules.md \u00a7"}) {
      for (size_t at = text.find(marker); at != std::string::npos;
           at = text.find(marker, at + 1)) {
        const size_t digit = at + marker.size();
        if (digit >= text.size() ||
            !std::isdigit(static_cast<unsigned char>(text[digit]))) {
          continue;  // "section N" as a pattern, or the number on the next line
        }
        ++citations;
        const int section = std::atoi(text.c_str() + digit);
        EXPECT_TRUE(section >= 1 && section <= 9)
            << file.lexically_relative(SourceRoot()).generic_string() << ":"
            << LineOf(text, at) << ": cites docs/rules.md section " << section
            << ", which does not exist";
      }
    }
  }
  EXPECT_GE(citations, 40) << "no citations found; has their form changed?";
}

// The rules, the field practice and the real data sets are in the
// repository (docs/rules.md, docs/field_practice.md, tests/data/): no file
// may send a reader to the copies outside it they came from.
TEST(DocsTest, NothingCitesTheFilesOutsideTheRepository) {
  // Spelled in two pieces, so that this file does not cite them itself.
  const std::vector<std::string> gone = {
      absl::StrCat("RULES", ".md"),   absl::StrCat("RULES", " \u00a7"),
      absl::StrCat("DOMAIN", ".md"),  absl::StrCat("rules_", "choices"),
      absl::StrCat("..", "/shared"),  absl::StrCat("shared", "/data"),
      absl::StrCat("shared", "/seed")};
  int files = 0;
  for (const fs::path& file : RepositoryTextFiles()) {
    ++files;
    const std::string text = ReadFile(file);
    for (const std::string& old : gone) {
      for (size_t at = text.find(old); at != std::string::npos;
           at = text.find(old, at + 1)) {
        ADD_FAILURE() << file.lexically_relative(SourceRoot()).generic_string()
                      << ":" << LineOf(text, at) << ": cites " << old
                      << "; point it at docs/rules.md (the same section), "
                         "docs/field_practice.md or tests/data/";
      }
    }
  }
  EXPECT_GE(files, 100) << "the repository's files were not found";
}

}  // namespace
