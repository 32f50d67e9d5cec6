// Converts one SQLite result value into a dataset value, exactly or not at all.
#ifndef SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_VALUE_READER_H_
#define SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_VALUE_READER_H_

#include <string>

#include "sluice/dataset.hpp"

struct sqlite3_stmt;

namespace sluice::sqlite {

/// Appends result column `index` of the current row of `statement` to the same column of
/// `writer`, converted to that column's type whatever SQLite's storage class for the value:
/// NULL is a null; a decimal stored as REAL is read as the 15 significant digits SQLite prints
/// and parsed exactly; text is parsed as the type (dataset::Parse*). Returns false, appending
/// nothing, when the value does not fit (a fraction in an int64, more fraction digits than a
/// decimal's scale, a bad date, invalid UTF-8, a BLOB); *error then names the value and why,
/// but not the row or column, which only the caller knows. `scratch` is reused between calls
/// so a row costs no allocation.
bool AppendSqliteValue(sqlite3_stmt* statement, int index, dataset::Writer& writer,
                       std::string* scratch, std::string* error);

/// "1.5e+20" written without an exponent ("150000000000000000000"), as ParseDecimal reads it.
/// False when `text` is not a number with an exponent.
bool ExpandExponent(std::string_view text, std::string* out);

}  // namespace sluice::sqlite

#endif  // SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_VALUE_READER_H_
