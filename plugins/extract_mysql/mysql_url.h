// The `connection:` setting of extract.mysql: mysql://user@host[:port]/database.
#ifndef SLUICE_PLUGINS_EXTRACT_MYSQL_MYSQL_URL_H_
#define SLUICE_PLUGINS_EXTRACT_MYSQL_MYSQL_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace sluice::mysql {

inline constexpr int kDefaultMysqlPort = 3306;

/// Where and as whom to connect. Never holds a password: DAG files must not carry secrets.
struct MysqlUrl {
  std::string user;
  std::string host;
  int port = kDefaultMysqlPort;
  std::string database;

  /// The URL as the user wrote it, normalised (always with the port); safe to show in
  /// messages and logs.
  std::string Display() const;
};

/// Parses "mysql://user@host[:port]/database". The user and database may be %-encoded.
/// Returns nullopt and explains in *error (with an example) when the text is not such a URL,
/// including when it holds a password ("user:secret@").
std::optional<MysqlUrl> ParseMysqlUrl(std::string_view text, std::string* error);

}  // namespace sluice::mysql

#endif  // SLUICE_PLUGINS_EXTRACT_MYSQL_MYSQL_URL_H_
