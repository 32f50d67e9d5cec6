#include "input_table.h"

#include "sluice/plugin.hpp"

namespace sluice::join {

InputTable::InputTable(std::string describe, const std::string& path)
    : describe_(std::move(describe)), reader_(path) {
  if (reader_.chunk_count() >= RowRef::kNullChunk) {
    throw sdk::Failure(describe_ + " has " + std::to_string(reader_.chunk_count()) +
                       " chunks, more than a join can address; write it with larger chunks");
  }
  chunks_.reserve(reader_.chunk_count());
  for (size_t c = 0; c < reader_.chunk_count(); ++c) chunks_.push_back(reader_.chunk(c));
}

size_t InputTable::ColumnIndex(const std::string& column, const std::string& config_path) const {
  const dataset::Schema& columns = schema();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return i;
  }
  std::string names;
  for (const dataset::Column& c : columns) names += (names.empty() ? "" : ", ") + c.name;
  throw sdk::Failure("column '" + column + "' is not in " + describe_ + "; its columns are: " + names,
                     config_path);
}

}  // namespace sluice::join
