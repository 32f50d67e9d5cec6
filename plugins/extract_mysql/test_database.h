// A second, independent connection for extract.mysql's tests: it creates the tables and
// computes the expected values with the server's own SQL, so no expectation comes from the
// plugin under test. Keeps the connector's headers out of the tests.
#ifndef SLUICE_PLUGINS_EXTRACT_MYSQL_TEST_DATABASE_H_
#define SLUICE_PLUGINS_EXTRACT_MYSQL_TEST_DATABASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/servers/test_servers.h"

namespace sluice::mysql::testing {

using Row = std::vector<std::optional<std::string>>;  // nullopt: SQL NULL

class TestDatabase {
 public:
  /// Connects as the endpoint's user over TCP. Throws std::runtime_error when it cannot.
  explicit TestDatabase(const sluice::testing::ServerEndpoint& endpoint);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// Runs statements separated by ";\n" (one per line end), in order.
  void Execute(const std::string& statements);
  /// Every row of a query, values as the server's text.
  std::vector<Row> Query(const std::string& query);
  /// The first column of the first row; "NULL" for SQL NULL.
  std::string Scalar(const std::string& query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::mysql::testing

#endif  // SLUICE_PLUGINS_EXTRACT_MYSQL_TEST_DATABASE_H_
