// The `connection:` setting of extract.postgres: a postgresql:// URL without a password,
// taken apart into the libpq keywords it names.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_CONNECTION_URL_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_CONNECTION_URL_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::postgres {

/// Where to connect. Each field becomes one libpq keyword, so no value is ever spliced into
/// a connection string.
struct ConnectionTarget {
  std::string user;      ///< empty: libpq's default (the operating-system user)
  std::string host;      ///< a name, an address, or a Unix-socket folder (starts with '/')
  std::string port;      ///< empty: 5432
  std::string database;
  /// The URL's query parameters that are allowed through (sslmode, connect_timeout,
  /// application_name), in the order written.
  std::vector<std::pair<std::string, std::string>> parameters;

  /// "postgresql://user@host:port/db": what messages show. It never holds a password, since
  /// ParseConnectionUrl refuses URLs that carry one.
  std::string Display() const;
};

/// Parses "postgresql://[user@]host[:port]/database[?key=value&...]" (also "postgres://").
/// Percent-escapes are decoded in every part, so a socket folder is written
/// "postgresql://user@%2Frun%2Fpostgresql/db" and an IPv6 address "[::1]". Returns nullopt and
/// explains in *error (a message that says what to write instead) when the URL is not one of
/// these, holds a password, or names a parameter other than sslmode, connect_timeout or
/// application_name.
std::optional<ConnectionTarget> ParseConnectionUrl(std::string_view url, std::string* error);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_CONNECTION_URL_H_
