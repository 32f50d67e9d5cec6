// Turns one CSV record into one dataset row, all or nothing: every field is parsed before
// any is appended, so a bad record can be skipped without leaving half a row behind.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_CSV_ROW_CONVERTER_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_CSV_ROW_CONVERTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "csv_reader.h"
#include "sluice/dataset.hpp"

namespace sluice::csv {

/// Why a record cannot become a row.
struct RecordProblem {
  int64_t line = 0;     ///< physical line of the bad field (of the record, for a field count)
  std::string message;  ///< names the column and the value, says what to do; no file or line
};

/// Converts records for one schema. An empty unquoted field is null; a quoted empty field is
/// an empty string in a string column and null in any other. Not thread-safe; reuses its
/// buffers so a record costs no allocation.
class RowConverter {
 public:
  explicit RowConverter(dataset::Schema schema);

  /// Parses every field of `fields`. Returns false and fills *problem for the first field
  /// that does not fit (or a wrong field count, or invalid UTF-8); the row is then unusable.
  /// `record_line` is where the record starts.
  bool Parse(const std::vector<CsvField>& fields, int64_t record_line, RecordProblem* problem);
  /// Appends the row that the last successful Parse() read, and ends it.
  /// REQUIRES: `writer` has this converter's schema; the fields passed to Parse are alive.
  void Append(dataset::Writer& writer) const;

  const dataset::Schema& schema() const { return schema_; }

 private:
  struct Value {
    bool null = false;
    int64_t integer = 0;  // int64, decimal (unscaled), timestamp, date, bool
    double real = 0;
    std::string_view text;
  };
  bool ParseField(size_t column, const CsvField& field, std::string* error);

  dataset::Schema schema_;
  std::vector<Value> values_;
  std::string error_;
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_CSV_ROW_CONVERTER_H_
