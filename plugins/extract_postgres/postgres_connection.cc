#include "postgres_connection.h"

#include <libpq-fe.h>

#include <memory>
#include <vector>

#include "sluice/plugin.hpp"

namespace sluice::postgres {
namespace {

// The settings the text parsing relies on: ISO dates, timestamptz rendered in UTC ("+00"),
// floats in their shortest exact form. Set by statement after connecting, because that beats
// every other source: the role's and database's defaults, the `options` keyword, and libpq's
// PGTZ / PGDATESTYLE environment variables (which the server applies after `options`).
// Read-only, because extracting never needs to write.
constexpr const char* kSessionSettings =
    "SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'; "
    "SET extra_float_digits = 3; SET default_transaction_read_only = on";

std::string TrimmedMessage(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

std::string ParameterOr(const ConnectionTarget& target, const std::string& key,
                        const std::string& fallback) {
  for (const auto& [name, value] : target.parameters) {
    if (name == key) return value;
  }
  return fallback;
}

}  // namespace

Connection::Connection(const ConnectionTarget& target, const std::optional<std::string>& password)
    : target_(target) {
  std::vector<std::pair<std::string, std::string>> settings = {
      {"dbname", target.database},
      {"client_encoding", "UTF8"},
      {"application_name", ParameterOr(target, "application_name", "sluice")},
      {"connect_timeout", ParameterOr(target, "connect_timeout", "30")},
  };
  if (!target.host.empty()) settings.emplace_back("host", target.host);
  if (!target.port.empty()) settings.emplace_back("port", target.port);
  if (!target.user.empty()) settings.emplace_back("user", target.user);
  if (password) settings.emplace_back("password", *password);
  if (const std::string ssl = ParameterOr(target, "sslmode", ""); !ssl.empty()) {
    settings.emplace_back("sslmode", ssl);
  }
  std::vector<const char*> keywords, values;
  for (const auto& [key, value] : settings) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  // expand_dbname = 0: the database name is a name, never parsed as a connection string.
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 0);
  if (conn_ == nullptr) throw sdk::Failure("libpq could not allocate a connection (out of memory)");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = TrimmedMessage(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw sdk::Failure("cannot connect to " + target.Display() + ": " + message +
                           "; fix: check `connection`, the password (password_env or "
                           "password_file), and that the server accepts this client",
                       "/connection");
  }
  struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  const std::unique_ptr<PGresult, ResultDeleter> result(PQexec(conn_, kSessionSettings));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    const std::string message = ServerError(result.get());
    PQfinish(conn_);
    conn_ = nullptr;
    throw sdk::Failure("cannot prepare the session on " + target.Display() + ": " + message);
  }
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string Connection::ServerEncoding() const {
  const char* encoding = PQparameterStatus(conn_, "server_encoding");
  return encoding != nullptr ? encoding : "";
}

std::string ServerError(const pg_result* result) {
  std::string message = TrimmedMessage(PQresultErrorMessage(result));
  if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE); state != nullptr) {
    message += " (SQLSTATE " + std::string(state) + ")";
  }
  return message;
}

}  // namespace sluice::postgres
