// A plain text table with left-aligned columns, for the CLI's listings.
#ifndef SLUICE_SCHEDULER_CLI_TABLE_H_
#define SLUICE_SCHEDULER_CLI_TABLE_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace sluice::cli {

/// "1.25s": how every CLI view shows a duration.
inline std::string FormatSeconds(std::chrono::duration<double> d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", d.count());
  return buf;
}

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  void Print(std::ostream& out) const {
    std::vector<size_t> width(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
      for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
        width[i] = std::max(width[i], row[i].size());
      }
    };
    measure(header_);
    for (const auto& row : rows_) measure(row);
    auto print = [&](const std::vector<std::string>& row) {
      std::string line;
      for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
        line += row[i];
        if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
      }
      out << line << "\n";
    };
    print(header_);
    for (const auto& row : rows_) print(row);
  }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_TABLE_H_
