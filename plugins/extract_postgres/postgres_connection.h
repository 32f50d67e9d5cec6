// One libpq connection, opened from keywords (never from a string we assemble), in the session
// settings the extractor's text parsing relies on. libpq's header stays in the .cc.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_CONNECTION_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_CONNECTION_H_

#include <optional>
#include <string>

#include "connection_url.h"

struct pg_conn;
struct pg_result;

namespace sluice::postgres {

/// An open connection whose session has DateStyle ISO, TimeZone UTC, shortest exact floats,
/// client_encoding UTF8, and read-only transactions, whatever the server's, role's or
/// environment's defaults. Closed by the destructor.
class Connection {
 public:
  /// Connects to `target`, passing `password` as its own keyword. Throws sdk::Failure with the
  /// server's or libpq's message and the target's Display() (which holds no password).
  Connection(const ConnectionTarget& target, const std::optional<std::string>& password);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  pg_conn* raw() const { return conn_; }
  const ConnectionTarget& target() const { return target_; }
  /// The server's encoding ("UTF8", "SQL_ASCII", ...).
  std::string ServerEncoding() const;

 private:
  ConnectionTarget target_;
  pg_conn* conn_ = nullptr;
};

/// A failed result as one message: the server's text (with LINE and caret for syntax errors),
/// then "(SQLSTATE xxxxx)".
std::string ServerError(const pg_result* result);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_CONNECTION_H_
