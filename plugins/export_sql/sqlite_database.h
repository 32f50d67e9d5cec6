// export.sql's Database for SQLite (libsqlite3).
#ifndef SLUICE_PLUGINS_EXPORT_SQL_SQLITE_DATABASE_H_
#define SLUICE_PLUGINS_EXPORT_SQL_SQLITE_DATABASE_H_

#include <memory>

#include "database.h"

namespace sluice::export_sql {

/// Opens (creating when missing) the file `target.path`, waiting up to 30 s for other
/// writers. Throws sdk::Failure when the file cannot be opened.
std::unique_ptr<Database> OpenSqliteDatabase(const ConnectionTarget& target);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_SQLITE_DATABASE_H_
