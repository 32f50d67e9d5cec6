#include "connection_url.h"

#include <charconv>

#include "sluice/percent_decode.hpp"

namespace sluice::export_sql {
namespace {

using sdk::PercentDecode;

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::string_view kMysqlScheme = "mysql://";
constexpr std::string_view kPostgresSchemes[] = {"postgresql://", "postgres://"};
constexpr const char* kExamples =
    "; write sqlite:///absolute/path.db, sqlite:relative/path.db, "
    "mysql://user@host[:port]/database or postgresql://user@host[:port]/database";

std::optional<ConnectionTarget> Fail(std::string* error, const std::string& why) {
  *error = why + kExamples;
  return std::nullopt;
}

std::optional<ConnectionTarget> ParseSqlite(std::string_view rest, std::string* error) {
  // "sqlite:///abs" leaves "///abs"; "sqlite://host/x" names a host, which SQLite has not.
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    if (!rest.starts_with('/')) {
      return Fail(error, "a SQLite connection names a file, not a host (sqlite:// must be "
                         "followed by a third / and an absolute path)");
    }
  }
  ConnectionTarget target;
  target.dialect = Dialect::kSqlite;
  if (!PercentDecode(rest, &target.path)) {
    return Fail(error, "a % in the path must be followed by two hex digits (%20 for a space)");
  }
  if (target.path.empty() || target.path.ends_with('/')) {
    return Fail(error, "the SQLite connection names no database file");
  }
  if (target.path.find('\0') != std::string::npos) {
    return Fail(error, "the SQLite path holds a NUL character");
  }
  return target;
}

std::optional<ConnectionTarget> ParseServer(Dialect dialect, std::string_view rest,
                                            std::string* error) {
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return Fail(error, "the connection names no database (nothing after host[:port]/)");
  }
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view database = rest.substr(slash + 1);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos || at == 0) {
    return Fail(error, "the connection names no user (user@ before the host)");
  }
  const std::string_view user = authority.substr(0, at);
  if (user.find(':') != std::string_view::npos) {
    *error = "the connection holds a password (user:password@); never write secrets in a DAG "
             "file: remove it and set password_env or password_file";
    return std::nullopt;
  }
  std::string_view host = authority.substr(at + 1);
  ConnectionTarget target;
  target.dialect = dialect;
  target.port = dialect == Dialect::kMysql ? 3306 : 5432;
  // A port follows the last ':' unless that ':' sits inside an IPv6 address's brackets.
  if (const size_t colon = host.rfind(':');
      colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return Fail(error, "the port '" + std::string(port) + "' is not a number from 1 to 65535");
    }
    target.port = value;
    host = host.substr(0, colon);
  }
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty()) return Fail(error, "the connection names no host");
  if (database.empty() || database.find_first_of("/?#") != std::string_view::npos) {
    return Fail(error, "the database must be one name after the host, with no further / ? or #");
  }
  if (!PercentDecode(user, &target.user) || !PercentDecode(host, &target.host) ||
      !PercentDecode(database, &target.database)) {
    return Fail(error, "a % must be followed by two hex digits (%40 for @, %2F for /)");
  }
  return target;
}

}  // namespace

const char* DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite: return "SQLite";
    case Dialect::kMysql: return "MySQL";
    case Dialect::kPostgres: return "PostgreSQL";
  }
  return "?";
}

std::string ConnectionTarget::Display() const {
  switch (dialect) {
    case Dialect::kSqlite: return "sqlite:" + std::string(path.starts_with('/') ? "//" : "") + path;
    case Dialect::kMysql:
      return "mysql://" + user + "@" + host + ":" + std::to_string(port) + "/" + database;
    case Dialect::kPostgres:
      return "postgresql://" + user + "@" + host + ":" + std::to_string(port) + "/" + database;
  }
  return "";
}

std::optional<ConnectionTarget> ParseConnectionUrl(std::string_view text, std::string* error) {
  if (text.starts_with(kMysqlScheme)) {
    return ParseServer(Dialect::kMysql, text.substr(kMysqlScheme.size()), error);
  }
  for (std::string_view scheme : kPostgresSchemes) {
    if (text.starts_with(scheme)) {
      return ParseServer(Dialect::kPostgres, text.substr(scheme.size()), error);
    }
  }
  if (text.starts_with(kSqliteScheme)) return ParseSqlite(text.substr(kSqliteScheme.size()), error);
  return Fail(error, "the connection must start with sqlite:, mysql:// or postgresql://");
}

}  // namespace sluice::export_sql
