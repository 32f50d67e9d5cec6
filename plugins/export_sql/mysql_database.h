// export.sql's Database for MySQL and MariaDB (MySQL Connector/C++ 1.1).
#ifndef SLUICE_PLUGINS_EXPORT_SQL_MYSQL_DATABASE_H_
#define SLUICE_PLUGINS_EXPORT_SQL_MYSQL_DATABASE_H_

#include <memory>
#include <string>

#include "database.h"

namespace sluice::export_sql {

/// Connects over TCP in utf8mb4, with the session in UTC and strict SQL mode (a value that
/// does not fit its column is an error, never silently cut). Throws sdk::Failure with the
/// server's error code when it cannot connect.
std::unique_ptr<Database> OpenMysqlDatabase(const ConnectionTarget& target,
                                            const std::string& password);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_MYSQL_DATABASE_H_
