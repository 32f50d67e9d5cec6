#include "mysql_database.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <map>
#include <utility>
#include <vector>

#include "sluice/plugin.hpp"

namespace sluice::export_sql {
namespace {

constexpr int kConnectTimeoutSeconds = 10;
// A batch's bound values must fit one packet; leave half of it for the protocol's per-value
// length bytes and the statement's own overhead.
constexpr size_t kPacketShare = 2;

// "Duplicate entry ... (MySQL error 1062, SQLSTATE 23000, mysql://etl@db:3306/lake)".
std::string MysqlError(const sql::SQLException& e, const ConnectionTarget& target) {
  std::string text = std::string(e.what()) + " (MySQL error " + std::to_string(e.getErrorCode());
  if (!e.getSQLState().empty()) text += ", SQLSTATE " + std::string(e.getSQLState());
  return text + ", " + target.Display() + ")";
}

class MysqlInsert final : public InsertStatement {
 public:
  MysqlInsert(std::unique_ptr<sql::PreparedStatement> statement, const ConnectionTarget& target)
      : statement_(std::move(statement)), target_(target) {}

  // Connector/C++ numbers parameters from 1.
  void BindNull(size_t index) override {
    Guard([&] { statement_->setNull(Slot(index), sql::DataType::VARCHAR); });
  }
  void BindInt64(size_t index, int64_t value) override {
    Guard([&] { statement_->setInt64(Slot(index), value); });
  }
  void BindFloat64(size_t index, double value) override {
    Guard([&] { statement_->setDouble(Slot(index), value); });
  }
  void BindBool(size_t index, bool value) override {
    Guard([&] { statement_->setBoolean(Slot(index), value); });
  }
  void BindText(size_t index, std::string_view text) override {
    Guard([&] { statement_->setString(Slot(index), sql::SQLString(text.data(), text.size())); });
  }
  void Execute() override {
    Guard([&] { statement_->executeUpdate(); });
  }

 private:
  static unsigned Slot(size_t index) { return static_cast<unsigned>(index + 1); }
  template <typename F>
  void Guard(F&& f) {
    try {
      f();
    } catch (const sql::SQLException& e) {
      throw sdk::Failure(MysqlError(e, target_));
    }
  }

  std::unique_ptr<sql::PreparedStatement> statement_;
  const ConnectionTarget& target_;
};

class MysqlDatabase final : public Database {
 public:
  MysqlDatabase(const ConnectionTarget& target, const std::string& password) : target_(target) {
    sql::ConnectOptionsMap connect;
    connect["hostName"] =
        sql::SQLString("tcp://" + target.host + ":" + std::to_string(target.port));
    connect["userName"] = sql::SQLString(target.user);
    connect["password"] = sql::SQLString(password);
    connect["schema"] = sql::SQLString(target.database);
    connect["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    connect["OPT_CONNECT_TIMEOUT"] = kConnectTimeoutSeconds;
    connect["OPT_RECONNECT"] = false;  // a silent reconnect would lose the open transaction
    try {
      connection_.reset(get_driver_instance()->connect(connect));
      std::unique_ptr<sql::Statement> session(connection_->createStatement());
      // TIMESTAMP columns convert from the session zone; datasets hold UTC.
      session->execute("SET time_zone = '+00:00'");
      session->execute(
          "SET SESSION sql_mode = IF(@@SESSION.sql_mode = '', 'STRICT_ALL_TABLES', "
          "CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))");
      std::unique_ptr<sql::ResultSet> packet(
          session->executeQuery("SELECT @@max_allowed_packet"));
      if (packet->next()) max_packet_ = static_cast<size_t>(packet->getUInt64(1));
    } catch (const sql::SQLException& e) {
      throw sdk::Failure("cannot connect: " + MysqlError(e, target) +
                             "; fix: check the host and port, the user, the database name and "
                             "the password (password_env or password_file)",
                         "/connection");
    }
  }

  Dialect dialect() const override { return Dialect::kMysql; }
  bool TransactionalDdl() const override { return false; }
  size_t MaxBatchBytes() const override { return max_packet_ / kPacketShare; }

  std::optional<TableShape> DescribeTable(const TableName& table) override {
    TableShape shape;
    Guard([&] {
      auto columns = Query(
          "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
          "COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
          table);
      while (columns->next()) shape.columns.push_back(columns->getString(1));
      auto keys = Query(
          "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE "
          "TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND NON_UNIQUE = 0 "
          "ORDER BY INDEX_NAME, SEQ_IN_INDEX",
          table);
      std::map<std::string, std::vector<std::string>> by_index;
      while (keys->next()) by_index[keys->getString(1)].push_back(keys->getString(2));
      for (auto& [index, names] : by_index) shape.unique_keys.push_back(std::move(names));
    });
    if (shape.columns.empty()) return std::nullopt;
    return shape;
  }

  void Begin() override {
    Guard([&] { connection_->setAutoCommit(false); });
  }
  void Commit() override {
    Guard([&] { connection_->commit(); });
  }
  void Rollback() noexcept override {
    try {
      connection_->rollback();
    } catch (...) {  // best effort: the server rolls back anyway when the connection closes
    }
  }

  void Execute(const std::string& statement_text) override {
    Guard([&] {
      std::unique_ptr<sql::Statement> statement(connection_->createStatement());
      statement->execute(statement_text);
    });
  }

  std::unique_ptr<InsertStatement> Prepare(const std::string& statement_text, size_t) override {
    std::unique_ptr<sql::PreparedStatement> statement;
    Guard([&] { statement.reset(connection_->prepareStatement(statement_text)); });
    return std::make_unique<MysqlInsert>(std::move(statement), target_);
  }

 private:
  template <typename F>
  void Guard(F&& f) {
    try {
      f();
    } catch (const sql::SQLException& e) {
      throw sdk::Failure(MysqlError(e, target_));
    }
  }

  // A metadata query with the schema (NULL: the connection's database) and table bound.
  std::unique_ptr<sql::ResultSet> Query(const std::string& text, const TableName& table) {
    std::unique_ptr<sql::PreparedStatement> statement(connection_->prepareStatement(text));
    if (table.schema.empty()) {
      statement->setNull(1, sql::DataType::VARCHAR);
    } else {
      statement->setString(1, table.schema);
    }
    statement->setString(2, table.table);
    return std::unique_ptr<sql::ResultSet>(statement->executeQuery());
  }

  ConnectionTarget target_;
  std::unique_ptr<sql::Connection> connection_;
  size_t max_packet_ = 16u << 20;  // the server default, until the server tells
};

}  // namespace

std::unique_ptr<Database> OpenMysqlDatabase(const ConnectionTarget& target,
                                            const std::string& password) {
  return std::make_unique<MysqlDatabase>(target, password);
}

}  // namespace sluice::export_sql
