#include "mysql_extract.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <chrono>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>

#include "column_mapping.h"
#include "sluice/plugin.hpp"
#include "sluice/utf8.hpp"

namespace sluice::mysql {
namespace {

namespace ds = sluice::dataset;

// A dropped connection should fail fast, but a slow query may take its time before the first
// row: only connecting has a deadline.
constexpr int kConnectTimeoutSeconds = 10;
// While we stream, the server blocks whenever we stop reading (writing a dataset chunk). Its
// default net_write_timeout (60 s) would cut a slow reader off; Connector/J raises it to 600 s
// for streaming results (netTimeoutForStreamingResults) for the same reason.
constexpr int kStreamingWriteTimeoutSeconds = 600;
// The name of the server-side prepared statement and the user variables it is fed from.
constexpr const char* kStatementName = "sluice_extract";
constexpr const char* kQueryVariable = "@sluice_q";

std::string ParamVariable(size_t index) { return "@sluice_p" + std::to_string(index + 1); }

// Everything that goes into a message passes through here, so the password never leaves the
// plugin even if a server or driver message were to quote it.
class MessageScrubber {
 public:
  explicit MessageScrubber(const std::string& password) : password_(password) {}

  std::string operator()(std::string text) const {
    if (password_.empty()) return text;
    for (size_t at = text.find(password_); at != std::string::npos;
         at = text.find(password_, at)) {
      text.replace(at, password_.size(), "***");
    }
    return text;
  }

 private:
  const std::string& password_;
};

// "MySQL error 1045 (SQLSTATE 28000): Access denied ..." for a connector exception.
std::string ServerError(const sql::SQLException& e) {
  std::string text = "MySQL error " + std::to_string(e.getErrorCode());
  if (!e.getSQLState().empty()) text += " (SQLSTATE " + e.getSQLState() + ")";
  return text + ": " + e.what();
}

class Extraction {
 public:
  Extraction(const MysqlExtractOptions& options, const std::string& password)
      : options_(options), password_(password), scrub_(password) {}

  MysqlExtractStats Run(const std::string& output_path) {
    const auto started = std::chrono::steady_clock::now();
    Connect();
    std::unique_ptr<sql::ResultSet> result = Execute();
    ds::Writer writer(output_path, PlanColumns(*result->getMetaData()));
    MysqlExtractStats stats;
    stats.rows = CopyRows(*result, writer);
    writer.Finish();
    stats.bytes_out = writer.file_size();
    stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return stats;
  }

 private:
  [[noreturn]] void Fail(const std::string& what, const sql::SQLException& e,
                         const std::string& fix) const {
    throw sdk::Failure(scrub_(what + " (" + options_.url.Display() + "): " + ServerError(e) +
                              "; fix: " + fix));
  }

  void Connect() {
    sql::ConnectOptionsMap connect;
    connect["hostName"] = sql::SQLString("tcp://" + options_.url.host + ":" +
                                         std::to_string(options_.url.port));
    connect["userName"] = sql::SQLString(options_.url.user);
    connect["password"] = sql::SQLString(password_);
    connect["schema"] = sql::SQLString(options_.url.database);
    connect["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    connect["OPT_CONNECT_TIMEOUT"] = kConnectTimeoutSeconds;
    connect["OPT_RECONNECT"] = false;  // a silent reconnect would lose the rows in flight
    try {
      connection_.reset(get_driver_instance()->connect(connect));
      std::unique_ptr<sql::Statement> session(connection_->createStatement());
      // TIMESTAMP values come out in the session's zone; datasets hold UTC.
      session->execute("SET time_zone = '+00:00', net_write_timeout = " +
                       std::to_string(kStreamingWriteTimeoutSeconds));
    } catch (const sql::SQLException& e) {
      Fail("cannot connect to MySQL", e,
           "check the host and port, the user, the database name and the password" +
               PasswordOrigin());
    }
  }

  std::string PasswordOrigin() const {
    if (!options_.password_env.empty()) return " in $" + options_.password_env;
    if (!options_.password_file.empty()) return " in " + options_.password_file;
    return " (none is set: add password_env or password_file)";
  }

  // Runs the query on a forward-only statement, the one kind Connector/C++ 1.1 streams
  // (mysql_use_result); its PreparedStatement always buffers the whole result. Parameters
  // are still bound, not pasted: a small prepared statement stores the query text and each
  // value in user variables, and the server prepares and executes the query from them.
  std::unique_ptr<sql::ResultSet> Execute() {
    try {
      streaming_.reset(connection_->createStatement());
      streaming_->setResultSetType(sql::ResultSet::TYPE_FORWARD_ONLY);
      if (!options_.params) {
        return std::unique_ptr<sql::ResultSet>(streaming_->executeQuery(options_.query));
      }
      BindIntoVariables(*options_.params);
      streaming_->execute(std::string("PREPARE ") + kStatementName + " FROM " + kQueryVariable);
      std::string execute = std::string("EXECUTE ") + kStatementName;
      for (size_t i = 0; i < options_.params->size(); ++i) {
        execute += (i == 0 ? " USING " : ", ") + ParamVariable(i);
      }
      return std::unique_ptr<sql::ResultSet>(streaming_->executeQuery(execute));
    } catch (const sql::SQLException& e) {
      Fail("reading " + options_.source + " failed", e,
           options_.source == "the query"
               ? "correct the SQL (try it in the mariadb client) and check `params`"
               : "check that the table exists and that " + options_.url.user +
                     " may SELECT from it");
    }
  }

  void BindIntoVariables(const std::vector<nlohmann::json>& params) {
    std::string set = std::string("SET ") + kQueryVariable + " = ?";
    for (size_t i = 0; i < params.size(); ++i) set += ", " + ParamVariable(i) + " = ?";
    std::unique_ptr<sql::PreparedStatement> bind(connection_->prepareStatement(set));
    bind->setString(1, options_.query);
    for (size_t i = 0; i < params.size(); ++i) {
      const nlohmann::json& value = params[i];
      const unsigned slot = static_cast<unsigned>(i + 2);
      if (value.is_string()) {
        bind->setString(slot, value.get<std::string>());
      } else if (value.is_boolean()) {
        bind->setBoolean(slot, value.get<bool>());
      } else if (value.is_number_unsigned()) {
        bind->setUInt64(slot, value.get<uint64_t>());
      } else if (value.is_number_integer()) {
        bind->setInt64(slot, value.get<int64_t>());
      } else if (value.is_number_float()) {
        bind->setDouble(slot, value.get<double>());
      } else {
        bind->setNull(slot, sql::DataType::VARCHAR);
      }
    }
    bind->execute();
  }

  static SourceColumn Describe(sql::ResultSetMetaData& metadata, unsigned index) {
    SourceColumn column;
    column.name = metadata.getColumnLabel(index);
    column.type_name = metadata.getColumnTypeName(index);
    column.display_size = metadata.getColumnDisplaySize(index);
    column.scale = metadata.getScale(index);
    column.is_signed = metadata.isSigned(index);
    switch (metadata.getColumnType(index)) {
      case sql::DataType::TINYINT:
      case sql::DataType::SMALLINT:
      case sql::DataType::MEDIUMINT:
      case sql::DataType::INTEGER:
      case sql::DataType::BIGINT: column.kind = SourceKind::kInteger; break;
      case sql::DataType::DECIMAL:
      case sql::DataType::NUMERIC: column.kind = SourceKind::kDecimal; break;
      case sql::DataType::REAL:
      case sql::DataType::DOUBLE: column.kind = SourceKind::kFloat; break;
      case sql::DataType::DATE: column.kind = SourceKind::kDate; break;
      case sql::DataType::TIMESTAMP: column.kind = SourceKind::kDateTime; break;
      case sql::DataType::CHAR:
      case sql::DataType::VARCHAR:
      case sql::DataType::LONGVARCHAR:
      case sql::DataType::ENUM:
      case sql::DataType::SET:
      case sql::DataType::JSON: column.kind = SourceKind::kText; break;
      case sql::DataType::BIT: column.kind = SourceKind::kBit; break;
      case sql::DataType::YEAR: column.kind = SourceKind::kYear; break;
      case sql::DataType::SQLNULL: column.kind = SourceKind::kNull; break;
      default: column.kind = SourceKind::kOther; break;
    }
    return column;
  }

  ds::Schema PlanColumns(sql::ResultSetMetaData& metadata) {
    const unsigned count = metadata.getColumnCount();
    if (count == 0) {
      throw sdk::Failure(options_.source + " returned no columns; fix: extract.mysql reads the "
                         "result of one SELECT");
    }
    std::vector<bool> declaration_used(options_.declared.size(), false);
    ds::Schema schema;
    for (unsigned i = 1; i <= count; ++i) {
      const SourceColumn source = Describe(metadata, i);
      std::optional<ds::Column> declared;
      for (size_t d = 0; d < options_.declared.size(); ++d) {
        if (options_.declared[d].name == source.name) {
          declared = options_.declared[d];
          declaration_used[d] = true;
        }
      }
      std::string error;
      std::optional<ColumnPlan> plan = PlanColumn(source, declared, &error);
      if (!plan) throw sdk::Failure(error);
      schema.push_back(plan->column);
      plans_.push_back(plan->read);
    }
    for (size_t d = 0; d < declaration_used.size(); ++d) {
      if (!declaration_used[d]) {
        std::string names;
        for (const ds::Column& column : schema) names += (names.empty() ? "" : ", ") + column.name;
        throw sdk::Failure("`columns` declares '" + options_.declared[d].name + "', but " +
                               options_.source + " returns no such column (it returns: " +
                               names + "); fix: use the result's column names or aliases",
                           "/columns/" + std::to_string(d) + "/name");
      }
    }
    return schema;
  }

  int64_t CopyRows(sql::ResultSet& result, ds::Writer& writer) {
    int64_t row = 0;
    std::string error;
    try {
      while (result.next()) {
        ++row;
        for (size_t c = 0; c < plans_.size(); ++c) CopyValue(result, writer, row, c, error);
        writer.EndRow();
      }
    } catch (const sql::SQLException& e) {
      Fail("reading row " + std::to_string(row + 1) + " of " + options_.source + " failed", e,
           "the server or the network dropped the connection or ended the query; nothing was "
           "written, so the attempt can simply be retried");
    }
    return row;
  }

  [[noreturn]] void BadValue(const ds::Writer& writer, int64_t row, size_t c,
                             const std::string& why, const std::string& fix) const {
    const ds::Column& column = writer.schema()[c];
    throw sdk::Failure(scrub_("row " + std::to_string(row) + " of " + options_.source +
                              ", column '" + column.name + "' (" + ds::TypeName(column) +
                              "): " + why + "; fix: " + fix));
  }

  // REQUIRES: the result is on a row. The hot loop: no allocation except the connector's own
  // for strings longer than std::string's inline buffer.
  void CopyValue(sql::ResultSet& result, ds::Writer& writer, int64_t row, size_t c,
                 std::string& error) const {
    const uint32_t index = static_cast<uint32_t>(c + 1);
    if (plans_[c] == ReadAs::kAlwaysNull || result.isNull(index)) {
      writer.AppendNull(c);
      return;
    }
    switch (plans_[c]) {
      case ReadAs::kInt64: writer.AppendInt64(c, result.getInt64(index)); return;
      case ReadAs::kUInt64:
      case ReadAs::kBool: {
        const uint64_t value = result.getUInt64(index);
        if (plans_[c] == ReadAs::kBool) {
          writer.AppendBool(c, value != 0);
        } else if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          BadValue(writer, row, c, std::to_string(value) + " is beyond the int64 range",
                   "declare the column as string in `columns`, or CAST it in the query");
        } else {
          writer.AppendInt64(c, static_cast<int64_t>(value));
        }
        return;
      }
      case ReadAs::kFloat64:
        writer.AppendFloat64(c, static_cast<double>(result.getDouble(index)));
        return;
      default: break;
    }
    const sql::SQLString value = result.getString(index);
    const std::string_view text = static_cast<const std::string&>(value);
    switch (plans_[c]) {
      case ReadAs::kString: writer.AppendString(c, text); return;
      case ReadAs::kDate:
      case ReadAs::kTimestamp:
        if (IsZeroDate(text)) {
          writer.AppendNull(c);
          return;
        }
        break;
      case ReadAs::kParse:
        if (writer.schema()[c].type == ds::Type::kString && !sdk::IsValidUtf8(text)) {
          BadValue(writer, row, c, "the value is not valid UTF-8 text",
                   "convert it in the query, e.g. HEX(column)");
        }
        if ((writer.schema()[c].type == ds::Type::kDate ||
             writer.schema()[c].type == ds::Type::kTimestamp) &&
            IsZeroDate(text)) {
          writer.AppendNull(c);
          return;
        }
        break;
      default: break;
    }
    if (!writer.AppendParsed(c, text, &error)) {
      BadValue(writer, row, c, error,
               "CAST the column in the query or declare another type in `columns`");
    }
  }


  const MysqlExtractOptions& options_;
  const std::string& password_;
  MessageScrubber scrub_;
  std::unique_ptr<sql::Connection> connection_;
  std::unique_ptr<sql::Statement> streaming_;
  std::vector<ReadAs> plans_;
};

}  // namespace

MysqlExtractStats ExtractMysql(const MysqlExtractOptions& options, const std::string& password,
                               const std::string& output_path) {
  return Extraction(options, password).Run(output_path);
}

}  // namespace sluice::mysql
