#include "postgres_database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "sluice/plugin.hpp"

namespace sluice::export_sql {
namespace {

constexpr const char* kConnectTimeoutSeconds = "10";
// Set by statement after connecting, because that beats the role's and database's defaults
// and libpq's PGTZ: timestamps without an offset are then read as UTC in timestamptz columns.
// A multi-row INSERT's plan does not depend on its values, yet by default the server plans
// each of the first executions anew for its values (thousands of parameters each time).
constexpr const char* kSessionSettings =
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET plan_cache_mode = force_generic_plan";
// Bytes per arena block holding one batch's parameter texts.
constexpr size_t kArenaBlockBytes = 1u << 20;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

// "null value in column ... (SQLSTATE 23502, postgresql://etl@db:5432/lake)".
std::string PostgresError(const PGresult* result, PGconn* conn, const ConnectionTarget& target) {
  std::string message =
      Trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn));
  if (message.starts_with("ERROR:  ")) message.erase(0, 8);
  std::string where = " (";
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE); state != nullptr) {
      where += "SQLSTATE " + std::string(state) + ", ";
    }
  }
  return message + where + target.Display() + ")";
}

// Throws unless `result` has `expected` status.
void Require(const Result& result, ExecStatusType expected, PGconn* conn,
             const ConnectionTarget& target) {
  if (result == nullptr || PQresultStatus(result.get()) != expected) {
    throw sdk::Failure(PostgresError(result.get(), conn, target));
  }
}

// Parameter texts for one batch, NUL-terminated as libpq's text format needs, in blocks that
// never move, so the pointers handed to libpq stay valid until the batch is sent.
class TextArena {
 public:
  const char* Add(std::string_view text) {
    if (blocks_.empty() || used_ + text.size() + 1 > block_size_) NewBlock(text.size() + 1);
    char* at = blocks_[current_].get() + used_;
    std::memcpy(at, text.data(), text.size());
    at[text.size()] = '\0';
    used_ += text.size() + 1;
    return at;
  }
  void Clear() {
    current_ = 0;
    used_ = 0;
    block_size_ = sizes_.empty() ? 0 : sizes_[0];
  }

 private:
  void NewBlock(size_t need) {
    // Reuse the next block kept from earlier batches when it is big enough.
    if (!blocks_.empty()) ++current_;
    while (current_ < blocks_.size() && sizes_[current_] < need) ++current_;
    if (current_ >= blocks_.size()) {
      const size_t size = std::max(kArenaBlockBytes, need);
      blocks_.push_back(std::make_unique<char[]>(size));
      sizes_.push_back(size);
      current_ = blocks_.size() - 1;
    }
    block_size_ = sizes_[current_];
    used_ = 0;
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<size_t> sizes_;
  size_t current_ = 0;
  size_t used_ = 0;
  size_t block_size_ = 0;
};

class PostgresInsert final : public InsertStatement {
 public:
  PostgresInsert(PGconn* conn, const ConnectionTarget& target, std::string name,
                 size_t parameter_count)
      : conn_(conn), target_(target), name_(std::move(name)), values_(parameter_count) {}

  void BindNull(size_t index) override { values_[index] = nullptr; }
  void BindInt64(size_t index, int64_t value) override {
    char text[24];
    auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    (void)ec;  // 24 characters hold any int64
    values_[index] = arena_.Add(std::string_view(text, static_cast<size_t>(end - text)));
  }
  void BindFloat64(size_t index, double value) override {
    // PostgreSQL spells the special values its own way.
    if (std::isnan(value)) {
      values_[index] = "NaN";
    } else if (std::isinf(value)) {
      values_[index] = value > 0 ? "Infinity" : "-Infinity";
    } else {
      char text[32];
      auto [end, ec] = std::to_chars(text, text + sizeof text, value);
      (void)ec;  // 32 characters hold any shortest double
      values_[index] = arena_.Add(std::string_view(text, static_cast<size_t>(end - text)));
    }
  }
  void BindBool(size_t index, bool value) override { values_[index] = value ? "t" : "f"; }
  void BindText(size_t index, std::string_view text) override {
    if (std::memchr(text.data(), '\0', text.size()) != nullptr) {
      throw sdk::Failure("a text value holds a NUL character, which PostgreSQL text cannot "
                         "store; fix: remove it upstream (e.g. replace(x, '\\u0000', ''))");
    }
    values_[index] = arena_.Add(text);
  }
  void Execute() override {
    const Result result(PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values_.size()),
                                       values_.data(), nullptr, nullptr, 0));
    arena_.Clear();
    Require(result, PGRES_COMMAND_OK, conn_, target_);
  }

 private:
  PGconn* conn_;
  const ConnectionTarget& target_;
  std::string name_;
  std::vector<const char*> values_;
  TextArena arena_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const ConnectionTarget& target, const std::string& password)
      : target_(target) {
    const std::string port = std::to_string(target.port);
    std::vector<const char*> keywords = {"host",     "port",           "user",
                                         "dbname",   "client_encoding", "application_name",
                                         "connect_timeout"};
    std::vector<const char*> values = {target.host.c_str(),     port.c_str(), target.user.c_str(),
                                       target.database.c_str(), "UTF8",       "sluice export.sql",
                                       kConnectTimeoutSeconds};
    if (!password.empty()) {
      keywords.push_back("password");
      values.push_back(password.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    // expand_dbname = 0: the database name is a name, never parsed as a connection string.
    conn_ = PQconnectdbParams(keywords.data(), values.data(), 0);
    if (conn_ == nullptr) throw sdk::Failure("libpq could not allocate a connection");
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = Trimmed(PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
      throw sdk::Failure("cannot connect to " + target.Display() + ": " + message +
                             "; fix: check `connection`, the password (password_env or "
                             "password_file), and that the server accepts this client",
                         "/connection");
    }
    Execute(kSessionSettings);
  }
  ~PostgresDatabase() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool TransactionalDdl() const override { return true; }
  size_t MaxBatchBytes() const override { return SIZE_MAX; }

  std::optional<TableShape> DescribeTable(const TableName& table) override {
    const std::string quoted = QuoteTable(Dialect::kPostgres, table);
    const Result found = Query("SELECT to_regclass($1)::oid", {quoted.c_str()});
    if (PQntuples(found.get()) != 1 || PQgetisnull(found.get(), 0, 0)) return std::nullopt;
    const std::string oid = PQgetvalue(found.get(), 0, 0);
    TableShape shape;
    const Result columns = Query(
        "SELECT attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        {oid.c_str()});
    for (int r = 0; r < PQntuples(columns.get()); ++r) {
      shape.columns.emplace_back(PQgetvalue(columns.get(), r, 0));
    }
    // Unique indexes without a predicate or expression, key columns only (not INCLUDE).
    const Result keys = Query(
        "SELECT i.indexrelid, a.attname FROM pg_index i "
        "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "WHERE i.indrelid = $1::oid AND i.indisunique AND i.indpred IS NULL "
        "AND i.indexprs IS NULL AND k.n <= i.indnkeyatts ORDER BY i.indexrelid, k.n",
        {oid.c_str()});
    std::map<std::string, std::vector<std::string>> by_index;
    for (int r = 0; r < PQntuples(keys.get()); ++r) {
      by_index[PQgetvalue(keys.get(), r, 0)].emplace_back(PQgetvalue(keys.get(), r, 1));
    }
    for (auto& [index, names] : by_index) shape.unique_keys.push_back(std::move(names));
    return shape;
  }

  void Begin() override { Execute("BEGIN"); }
  void Commit() override {
    // A COMMIT of a transaction that already failed reports success with the tag ROLLBACK.
    const Result result(PQexec(conn_, "COMMIT"));
    Require(result, PGRES_COMMAND_OK, conn_, target_);
    if (std::strcmp(PQcmdStatus(result.get()), "COMMIT") != 0) {
      throw sdk::Failure("the transaction was rolled back by the server (" + target_.Display() +
                         ")");
    }
  }
  void Rollback() noexcept override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  void Execute(const std::string& sql) override {
    const Result result(PQexec(conn_, sql.c_str()));
    Require(result, PGRES_COMMAND_OK, conn_, target_);
  }

  std::unique_ptr<InsertStatement> Prepare(const std::string& sql,
                                           size_t parameter_count) override {
    std::string name = "sluice_insert_" + std::to_string(++statements_);
    const Result result(
        PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(parameter_count), nullptr));
    Require(result, PGRES_COMMAND_OK, conn_, target_);
    return std::make_unique<PostgresInsert>(conn_, target_, std::move(name), parameter_count);
  }

 private:
  Result Query(const char* sql, const std::vector<const char*>& params) {
    Result result(PQexecParams(conn_, sql, static_cast<int>(params.size()), nullptr,
                               params.data(), nullptr, nullptr, 0));
    Require(result, PGRES_TUPLES_OK, conn_, target_);
    return result;
  }

  ConnectionTarget target_;
  PGconn* conn_ = nullptr;
  int statements_ = 0;
};

}  // namespace

std::unique_ptr<Database> OpenPostgresDatabase(const ConnectionTarget& target,
                                               const std::string& password) {
  return std::make_unique<PostgresDatabase>(target, password);
}

}  // namespace sluice::export_sql
