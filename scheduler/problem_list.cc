#include "scheduler/problem_list.h"

#include <algorithm>

namespace sluice {

Diagnostics ProblemList::TakeSorted() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.line != b.line) return a.line < b.line;
                     return a.column < b.column;
                   });
  return std::move(diagnostics_);
}

}  // namespace sluice
