// Whether an existing table can take a dataset: every column present, a unique key for upsert.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_TABLE_CHECK_H_
#define SLUICE_PLUGINS_EXPORT_SQL_TABLE_CHECK_H_

#include <string>
#include <vector>

#include "database.h"

namespace sluice::export_sql {

/// The names in `wanted` that `table_columns` lacks, in `wanted`'s order.
std::vector<std::string> MissingColumns(const std::vector<std::string>& table_columns,
                                        const std::vector<std::string>& wanted, bool ignore_case);

/// Whether one of `shape`'s unique keys has exactly the columns of `key` (in any order): the
/// condition for ON CONFLICT (key) to be accepted, and for ON DUPLICATE KEY to mean `key`.
bool HasUniqueKeyOn(const TableShape& shape, const std::vector<std::string>& key,
                    bool ignore_case);

/// "a, b, c".
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_TABLE_CHECK_H_
