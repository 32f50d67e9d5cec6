// Streams one MariaDB/MySQL result (a whole table, or a query with bound parameters) into a
// dataset. The connector (MySQL Connector/C++ 1.1) stays inside mysql_extract.cc.
#ifndef SLUICE_PLUGINS_EXTRACT_MYSQL_MYSQL_EXTRACT_H_
#define SLUICE_PLUGINS_EXTRACT_MYSQL_MYSQL_EXTRACT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mysql_url.h"
#include "sluice/dataset.hpp"

namespace sluice::mysql {

struct MysqlExtractOptions {
  MysqlUrl url;
  /// The SQL to run: the user's query, or SELECT * FROM the quoted table.
  std::string query;
  /// For messages and logs: "table `movimento`" or "the query".
  std::string source;
  /// Values for the query's ?s (string, number, boolean or null), bound by the server.
  /// Absent: the query text is sent as it is.
  std::optional<std::vector<nlohmann::json>> params;
  /// Types declared in `columns`, by result column name, overriding the inferred ones.
  std::vector<dataset::Column> declared;
  /// Where the password comes from (at most one is set; neither means no password).
  std::string password_env;
  std::string password_file;
};

struct MysqlExtractStats {
  int64_t rows = 0;        ///< rows read from the server, each written as one dataset row
  uint64_t bytes_out = 0;  ///< size of the finished dataset
  double seconds = 0;      ///< from connecting to the finished dataset
};

/// Connects, runs the query, and writes every row to a dataset at `output_path`, streaming:
/// memory holds one row from the server and one dataset chunk. Throws sdk::Failure with the
/// server's message and error code and the connection (never the password) on any problem;
/// nothing appears at `output_path` then.
MysqlExtractStats ExtractMysql(const MysqlExtractOptions& options, const std::string& password,
                               const std::string& output_path);

}  // namespace sluice::mysql

#endif  // SLUICE_PLUGINS_EXTRACT_MYSQL_MYSQL_EXTRACT_H_
