#include "table_check.h"

#include <algorithm>
#include <cctype>

namespace sluice::export_sql {
namespace {

// ASCII case folding, as SQLite's and MySQL's name comparison does for the names people use.
std::string Folded(const std::string& name, bool ignore_case) {
  if (!ignore_case) return name;
  std::string out = name;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SortedFolded(const std::vector<std::string>& names, bool ignore_case) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const std::string& name : names) out.push_back(Folded(name, ignore_case));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> MissingColumns(const std::vector<std::string>& table_columns,
                                        const std::vector<std::string>& wanted,
                                        bool ignore_case) {
  const std::vector<std::string> have = SortedFolded(table_columns, ignore_case);
  std::vector<std::string> missing;
  for (const std::string& name : wanted) {
    if (!std::binary_search(have.begin(), have.end(), Folded(name, ignore_case))) {
      missing.push_back(name);
    }
  }
  return missing;
}

bool HasUniqueKeyOn(const TableShape& shape, const std::vector<std::string>& key,
                    bool ignore_case) {
  const std::vector<std::string> wanted = SortedFolded(key, ignore_case);
  return std::any_of(shape.unique_keys.begin(), shape.unique_keys.end(),
                     [&](const std::vector<std::string>& unique) {
                       return SortedFolded(unique, ignore_case) == wanted;
                     });
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace sluice::export_sql
