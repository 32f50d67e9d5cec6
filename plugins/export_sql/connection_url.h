// The `connection:` setting of export.sql: which database engine, where, and as whom.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_CONNECTION_URL_H_
#define SLUICE_PLUGINS_EXPORT_SQL_CONNECTION_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace sluice::export_sql {

enum class Dialect { kSqlite, kMysql, kPostgres };

/// "SQLite", "MySQL", "PostgreSQL": for messages.
const char* DialectName(Dialect dialect);

/// Where to connect. Never holds a password: DAG files must not carry secrets.
struct ConnectionTarget {
  Dialect dialect = Dialect::kSqlite;
  std::string path;      ///< SQLite: the database file
  std::string user;      ///< MySQL and PostgreSQL
  std::string host;      ///< MySQL and PostgreSQL; PostgreSQL also takes a socket folder
  int port = 0;          ///< MySQL and PostgreSQL; the engine's default when not written
  std::string database;  ///< MySQL and PostgreSQL

  /// The connection normalised (with the port): what messages and logs show. Safe to show,
  /// since ParseConnectionUrl refuses URLs that carry a password.
  std::string Display() const;
};

/// Parses one of
///   sqlite:///absolute/path.db   sqlite:relative/path.db
///   mysql://user@host[:port]/database                      (port 3306 by default)
///   postgresql://user@host[:port]/database, postgres://... (port 5432 by default)
/// The user, host and database may be %-encoded ("%2Frun%2Fpostgresql" for a socket folder).
/// Returns nullopt and explains in *error, with an example of what to write, when the text
/// is none of these or holds a password ("user:secret@").
std::optional<ConnectionTarget> ParseConnectionUrl(std::string_view text, std::string* error);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_CONNECTION_URL_H_
