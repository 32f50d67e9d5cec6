#include "mysql_url.h"

#include <charconv>

#include "sluice/percent_decode.hpp"

namespace sluice::mysql {
namespace {

using sdk::PercentDecode;

constexpr std::string_view kScheme = "mysql://";
constexpr const char* kExample = "; write mysql://user@host[:port]/database, e.g. "
                                 "mysql://etl@db.internal:3306/sales";

bool Fail(std::string* error, const std::string& why) {
  *error = why + kExample;
  return false;
}

}  // namespace

std::string MysqlUrl::Display() const {
  return std::string(kScheme) + user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

std::optional<MysqlUrl> ParseMysqlUrl(std::string_view text, std::string* error) {
  if (!text.starts_with(kScheme)) {
    Fail(error, "the connection must start with mysql://");
    return std::nullopt;
  }
  std::string_view rest = text.substr(kScheme.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    Fail(error, "the connection names no database (nothing after host[:port]/)");
    return std::nullopt;
  }
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view database = rest.substr(slash + 1);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos || at == 0) {
    Fail(error, "the connection names no user (user@ before the host)");
    return std::nullopt;
  }
  const std::string_view user = authority.substr(0, at);
  if (user.find(':') != std::string_view::npos) {
    *error = "the connection holds a password (user:password@); never write secrets in a DAG "
             "file: remove it and set password_env or password_file";
    return std::nullopt;
  }
  std::string_view host = authority.substr(at + 1);
  MysqlUrl url;
  if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      Fail(error, "the port '" + std::string(port) + "' is not a number from 1 to 65535");
      return std::nullopt;
    }
    url.port = value;
    host = host.substr(0, colon);
  }
  if (host.empty()) {
    Fail(error, "the connection names no host");
    return std::nullopt;
  }
  if (database.empty() || database.find_first_of("/?#") != std::string_view::npos) {
    Fail(error, "the database must be one name after the host, with no further / ? or #");
    return std::nullopt;
  }
  if (!PercentDecode(user, &url.user) || !PercentDecode(database, &url.database)) {
    Fail(error, "a % in the user or database must be followed by two hex digits (%40 for @)");
    return std::nullopt;
  }
  url.host = std::string(host);
  return url;
}

}  // namespace sluice::mysql
