// Collects the diagnostics of one DAG file (or the scheduler config) while it is checked.
#ifndef SLUICE_SCHEDULER_PROBLEM_LIST_H_
#define SLUICE_SCHEDULER_PROBLEM_LIST_H_

#include <string>
#include <string_view>
#include <utility>

#include "scheduler/diagnostic.h"
#include "scheduler/yaml_json.h"

namespace YAML {
class Exception;
}  // namespace YAML

namespace sluice {

class ProblemList {
 public:
  explicit ProblemList(std::string file) : file_(std::move(file)) {}

  /// A problem at `where` (0/0 means the whole file).
  void Add(YamlPosition where, std::string what, std::string how_to_fix = "") {
    diagnostics_.push_back(
        Diagnostic{file_, where.line, where.column, std::move(what), std::move(how_to_fix)});
  }

  bool empty() const { return diagnostics_.empty(); }

  /// Everything added, ordered by position in the file (whole-file problems first); problems
  /// at the same position keep the order they were found in.
  Diagnostics TakeSorted();

 private:
  std::string file_;
  Diagnostics diagnostics_;
};

/// Reports yaml-cpp's parse failure of `text` at the place it names, with the likely fix
/// (tabs for indentation, an unclosed '[' or '{', an unquoted ':' or '#').
void AddYamlSyntaxError(const YAML::Exception& error, std::string_view text, ProblemList& problems);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_PROBLEM_LIST_H_
