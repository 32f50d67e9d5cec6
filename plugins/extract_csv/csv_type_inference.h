// Guesses a column's type from sample values, for files that arrive without a schema.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_CSV_TYPE_INFERENCE_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_CSV_TYPE_INFERENCE_H_

#include <string>
#include <string_view>

#include "sluice/dataset.hpp"

namespace sluice::csv {

/// Narrows one column's type as its non-empty values are seen. The result is the first of
/// int64, decimal(18,S), float64, date, timestamp, bool, string that parses every observed
/// value (as dataset::Parse* reads them), where S is the most digits seen after a point.
///
/// Decimals get the full precision 18: the precision does not change how a value is stored,
/// and a tight one would fail the first later value with one more digit. A number written
/// with a leading zero ("007", "01.5") keeps the column a string: such values are codes (zip
/// codes, account numbers) whose zeros matter. Words such as "nan" or "inf" do not make a
/// column float64. A column with no non-empty value is a string.
class ColumnTypeGuess {
 public:
  /// REQUIRES: `text` is not empty (empty fields are nulls and say nothing about the type).
  void Observe(std::string_view text);
  /// The column named `name` with the narrowest type that fits everything observed.
  dataset::Column Result(std::string name) const;

 private:
  bool seen_ = false;
  bool int64_ = true;
  bool decimal_ = true;
  bool float64_ = true;
  bool date_ = true;
  bool timestamp_ = true;
  bool bool_ = true;
  int integer_digits_ = 0;   // most significant digits before the point
  int fraction_digits_ = 0;  // most digits after the point
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_CSV_TYPE_INFERENCE_H_
