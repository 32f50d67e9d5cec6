#include "scheduler/problem_list.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace sluice {
namespace {

bool LineHasTab(std::string_view text, int line) {
  size_t start = 0;
  for (int i = 1; i < line && start != std::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return false;
  const size_t end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? end : end - start).find('\t') !=
         std::string_view::npos;
}

}  // namespace

void AddYamlSyntaxError(const YAML::Exception& error, std::string_view text, ProblemList& problems) {
  const YamlPosition where =
      error.mark.line >= 0 ? YamlPosition{error.mark.line + 1, error.mark.column + 1} : YamlPosition{};
  std::string fix =
      "check the indentation (spaces only) and quote values that contain ':', '#', '{' or '['";
  if (where.line > 0 && LineHasTab(text, where.line)) {
    fix = "YAML does not allow tabs for indentation; indent with spaces";
  } else if (error.msg.find("end of sequence flow") != std::string::npos) {
    fix = "close the '[' opened on this line or above with ']'";
  } else if (error.msg.find("end of map flow") != std::string::npos) {
    fix = "close the '{' opened on this line or above with '}'";
  }
  problems.Add(where, "YAML syntax error: " + error.msg, fix);
}

Diagnostics ProblemList::TakeSorted() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.line != b.line) return a.line < b.line;
                     return a.column < b.column;
                   });
  return std::move(diagnostics_);
}

}  // namespace sluice
