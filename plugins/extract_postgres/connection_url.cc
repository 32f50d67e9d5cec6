#include "connection_url.h"

#include <algorithm>
#include <array>

#include "sluice/percent_decode.hpp"

namespace sluice::postgres {
namespace {

constexpr std::string_view kExample = "postgresql://user@host:5432/database";
// The only query parameters passed on: the rest either belong elsewhere (password, options
// that would undo the session settings the extractor relies on) or are not needed.
constexpr std::array<std::string_view, 3> kAllowedParameters = {"sslmode", "connect_timeout",
                                                                "application_name"};

// Decodes %XX escapes; false on a malformed escape or a decoded NUL byte (libpq keywords
// are C strings).
bool PercentDecode(std::string_view text, std::string* out) {
  return sdk::PercentDecode(text, out) && out->find('\0') == std::string::npos;
}

bool Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
}

// Splits "host[:port]" or "[v6]:port" into its parts, decoded.
bool ParseHostPort(std::string_view text, ConnectionTarget* target, std::string* error) {
  std::string_view host = text, port;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Fail(error, "the IPv6 address in `connection` has no closing ']'; write it as [::1]");
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) return Fail(error, "expected ':port' after the IPv6 address");
      port = rest.substr(1);
    }
  } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) {
    return Fail(error, "`connection` names no host; write " + std::string(kExample) +
                           " (a socket folder is written %2Frun%2Fpostgresql)");
  }
  if (!PercentDecode(host, &target->host)) {
    return Fail(error, "the host in `connection` has a malformed %-escape");
  }
  if (!port.empty() || text.ends_with(':')) {
    if (!IsDigits(port) || port.size() > 5 || std::stoi(std::string(port)) == 0 ||
        std::stoi(std::string(port)) > 65535) {
      return Fail(error, "the port in `connection` must be a number from 1 to 65535, not '" +
                             std::string(port) + "'");
    }
    target->port = std::string(port);
  }
  return true;
}

bool ParseParameters(std::string_view query, ConnectionTarget* target, std::string* error) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::string key, value;
    if (equals == std::string_view::npos || !PercentDecode(pair.substr(0, equals), &key) ||
        !PercentDecode(pair.substr(equals + 1), &value)) {
      return Fail(error, "the parameter '" + std::string(pair) +
                             "' in `connection` is not key=value");
    }
    if (key == "password") {
      return Fail(error, "`connection` must not hold a password; put it in an environment "
                         "variable named by `password_env` or a file named by `password_file`");
    }
    if (std::find(kAllowedParameters.begin(), kAllowedParameters.end(), key) ==
        kAllowedParameters.end()) {
      return Fail(error, "the parameter '" + key +
                             "' in `connection` is not supported; use sslmode, connect_timeout "
                             "or application_name");
    }
    target->parameters.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

}  // namespace

std::string ConnectionTarget::Display() const {
  std::string out = "postgresql://";
  if (!user.empty()) out += user + "@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!port.empty()) out += ":" + port;
  out += "/" + database;
  return out;
}

std::optional<ConnectionTarget> ParseConnectionUrl(std::string_view url, std::string* error) {
  std::string_view rest;
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  }
  if (rest.data() == nullptr) {
    *error = "`connection` must start with postgresql:// or postgres://, e.g. " +
             std::string(kExample);
    return std::nullopt;
  }
  ConnectionTarget target;
  std::string_view query;
  if (const size_t question = rest.find('?'); question != std::string_view::npos) {
    query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size()) {
    *error = "`connection` names no database; end it with /database, e.g. " +
             std::string(kExample);
    return std::nullopt;
  }
  std::string_view authority = rest.substr(0, slash);
  if (!PercentDecode(rest.substr(slash + 1), &target.database) ||
      target.database.find('/') != std::string::npos) {
    *error = "the database in `connection` must be one name after the host, e.g. " +
             std::string(kExample);
    return std::nullopt;
  }
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    if (userinfo.find(':') != std::string_view::npos) {
      *error = "`connection` must not hold a password (user:password@); put it in an "
               "environment variable named by `password_env` or a file named by "
               "`password_file`";
      return std::nullopt;
    }
    if (userinfo.empty() || !PercentDecode(userinfo, &target.user)) {
      *error = "the user in `connection` is empty or has a malformed %-escape";
      return std::nullopt;
    }
    authority = authority.substr(at + 1);
  }
  if (authority.find(',') != std::string_view::npos) {
    *error = "`connection` names several hosts; name one";
    return std::nullopt;
  }
  if (!ParseHostPort(authority, &target, error) || !ParseParameters(query, &target, error)) {
    return std::nullopt;
  }
  return target;
}

}  // namespace sluice::postgres
