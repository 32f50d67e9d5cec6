#include "test_database.h"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <stdexcept>

namespace sluice::mysql::testing {

struct TestDatabase::Impl {
  std::unique_ptr<sql::Connection> connection;
};

TestDatabase::TestDatabase(const sluice::testing::ServerEndpoint& endpoint)
    : impl_(std::make_unique<Impl>()) {
  sql::ConnectOptionsMap options;
  options["hostName"] =
      sql::SQLString("tcp://" + endpoint.host + ":" + std::to_string(endpoint.port));
  options["userName"] = sql::SQLString(endpoint.user);
  options["password"] = sql::SQLString(endpoint.password);
  options["schema"] = sql::SQLString(endpoint.database);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    impl_->connection.reset(get_driver_instance()->connect(options));
  } catch (const sql::SQLException& e) {
    throw std::runtime_error(std::string("test database: cannot connect: ") + e.what());
  }
}

TestDatabase::~TestDatabase() = default;

void TestDatabase::Execute(const std::string& statements) {
  std::unique_ptr<sql::Statement> statement(impl_->connection->createStatement());
  size_t start = 0;
  while (start < statements.size()) {
    size_t end = statements.find(";\n", start);
    if (end == std::string::npos) end = statements.size();
    const std::string one = statements.substr(start, end - start);
    start = end + 2;
    if (one.find_first_not_of(" \n\t;") == std::string::npos) continue;
    try {
      statement->execute(one);
    } catch (const sql::SQLException& e) {
      throw std::runtime_error("test database: " + one + ": " + e.what());
    }
  }
}

std::vector<Row> TestDatabase::Query(const std::string& query) {
  std::unique_ptr<sql::Statement> statement(impl_->connection->createStatement());
  std::vector<Row> rows;
  try {
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery(query));
    const unsigned columns = result->getMetaData()->getColumnCount();
    while (result->next()) {
      Row row;
      for (unsigned c = 1; c <= columns; ++c) {
        if (result->isNull(c)) {
          row.push_back(std::nullopt);
        } else {
          row.push_back(std::string(result->getString(c)));
        }
      }
      rows.push_back(std::move(row));
    }
  } catch (const sql::SQLException& e) {
    throw std::runtime_error("test database: " + query + ": " + e.what());
  }
  return rows;
}

std::string TestDatabase::Scalar(const std::string& query) {
  const std::vector<Row> rows = Query(query);
  if (rows.empty() || rows[0].empty()) throw std::runtime_error("no rows from " + query);
  return rows[0][0].value_or("NULL");
}

}  // namespace sluice::mysql::testing
