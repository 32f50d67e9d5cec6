// Binds dataset values to an InsertStatement's parameters, in the form each engine stores
// exactly: numbers as numbers, strings straight from the mapped dataset, decimals, dates and
// timestamps as text.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_VALUE_BINDER_H_
#define SLUICE_PLUGINS_EXPORT_SQL_VALUE_BINDER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "database.h"
#include "sluice/dataset.hpp"

namespace sluice::export_sql {

/// Not thread-safe. Texts it formats stay valid until Reset(), as InsertStatement requires
/// until Execute returns; memory is reused from batch to batch (no allocation per value).
class ValueBinder {
 public:
  /// Binds row `row` of `column` to parameter `index`:
  ///   int64, bool, float64  -> BindInt64 / BindBool / BindFloat64
  ///   decimal(P,0)          -> BindInt64 of the unscaled value
  ///   decimal(P,S>0)        -> BindText "-12.30" (exact; never a double)
  ///   string                -> BindText pointing into the dataset
  ///   date, timestamp       -> BindText "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC)
  ///   null                  -> BindNull
  void Bind(InsertStatement& statement, size_t index, const dataset::ColumnView& column,
            int64_t row);
  /// Forgets the texts formatted since the last Reset (call after Execute).
  void Reset();
  /// Bytes of values bound so far (texts' lengths, 8 per number): the load's "bytes out".
  uint64_t bytes_bound() const { return bytes_bound_; }

 private:
  // Formats into stable storage and returns the text.
  template <typename Format>
  std::string_view Formatted(Format&& format);

  std::string scratch_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_ = 0;  // the block being filled
  size_t used_ = 0;   // bytes used in it
  uint64_t bytes_bound_ = 0;
};

/// At least the bytes a row's values take when bound (formatted texts count their longest
/// form): what a batch is measured against MySQL's packet limit with.
uint64_t RowBytes(const dataset::ChunkView& chunk, int64_t row);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_VALUE_BINDER_H_
