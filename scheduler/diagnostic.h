// One problem found in a DAG file, printed as  FILE:LINE:COL: error: WHAT — HOW TO FIX
#ifndef SLUICE_SCHEDULER_DIAGNOSTIC_H_
#define SLUICE_SCHEDULER_DIAGNOSTIC_H_

#include <string>
#include <vector>

namespace sluice {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based
  std::string what;    // "unknown key 'dependson' in task 'load'"
  std::string how_to_fix;  // "did you mean 'depends_on'?"; may be empty

  /// FILE:LINE:COL: error: WHAT — HOW TO FIX   (the " — HOW TO FIX" part only when set)
  std::string ToString() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
    out += ": error: " + what;
    if (!how_to_fix.empty()) out += " \u2014 " + how_to_fix;
    return out;
  }
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DIAGNOSTIC_H_
