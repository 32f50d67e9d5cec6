// export.sql's Database for PostgreSQL (libpq).
#ifndef SLUICE_PLUGINS_EXPORT_SQL_POSTGRES_DATABASE_H_
#define SLUICE_PLUGINS_EXPORT_SQL_POSTGRES_DATABASE_H_

#include <memory>
#include <string>

#include "database.h"

namespace sluice::export_sql {

/// Connects from libpq keywords (never a connection string we assemble), with the session in
/// UTC and UTF-8. An empty `password` lets libpq fall back to ~/.pgpass or trust. Throws
/// sdk::Failure with the server's message when it cannot connect.
std::unique_ptr<Database> OpenPostgresDatabase(const ConnectionTarget& target,
                                               const std::string& password);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_POSTGRES_DATABASE_H_
