#include "postgres_import.h"

#include <libpq-fe.h>

#include <memory>
#include <string_view>

#include "postgres_types.h"
#include "sluice/plugin.hpp"

namespace sluice::postgres {
namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string ColumnList(const PGresult* result) {
  std::string out;
  for (int i = 0; i < PQnfields(result); ++i) {
    out += std::string(i ? ", " : "") + PQfname(result, i);
  }
  return out;
}

// The dataset plan of every result column, from the result's description.
std::vector<ColumnPlan> PlanColumns(const PGresult* result,
                                    const std::vector<dataset::Column>& declared,
                                    bool verify_utf8) {
  const int count = PQnfields(result);
  if (count == 0) {
    throw sdk::Failure("the query returns no columns; select at least one", "/query");
  }
  std::vector<ColumnPlan> plans;
  for (int i = 0; i < count; ++i) {
    const std::string name = PQfname(result, i);
    for (const ColumnPlan& earlier : plans) {
      if (earlier.column.name == name) {
        throw sdk::Failure("the result has two columns named '" + name +
                           "'; fix: rename one in the query with AS");
      }
    }
    std::optional<dataset::Column> override_type;
    for (const dataset::Column& column : declared) {
      if (column.name == name) override_type = column;
    }
    std::string error;
    std::optional<ColumnPlan> plan =
        PlanColumn(name, PQftype(result, i), PQfmod(result, i), override_type, &error);
    if (!plan) throw sdk::Failure(error);
    plan->verify_utf8 = verify_utf8;
    plans.push_back(std::move(*plan));
  }
  for (size_t i = 0; i < declared.size(); ++i) {
    bool found = false;
    for (const ColumnPlan& plan : plans) found = found || plan.column.name == declared[i].name;
    if (!found) {
      throw sdk::Failure("`columns` declares '" + declared[i].name +
                             "', which the result does not have (its columns: " +
                             ColumnList(result) + "); fix: use the result's column names",
                         "/columns/" + std::to_string(i) + "/name");
    }
  }
  return plans;
}

dataset::Schema SchemaOf(const std::vector<ColumnPlan>& plans) {
  dataset::Schema schema;
  for (const ColumnPlan& plan : plans) schema.push_back(plan.column);
  return schema;
}

void AppendRow(const PGresult* result, const std::vector<ColumnPlan>& plans, int64_t row_number,
               dataset::Writer& writer, std::string& error) {
  for (size_t i = 0; i < plans.size(); ++i) {
    const int field = static_cast<int>(i);
    if (PQgetisnull(result, 0, field)) {
      writer.AppendNull(i);
      continue;
    }
    const std::string_view text(PQgetvalue(result, 0, field),
                                static_cast<size_t>(PQgetlength(result, 0, field)));
    if (!AppendValue(writer, i, plans[i], text, &error)) {
      throw sdk::Failure("row " + std::to_string(row_number) + ", column '" +
                         plans[i].column.name + "' (" + plans[i].source_type + " read as " +
                         dataset::TypeName(plans[i].column) + "): " + error);
    }
  }
  writer.EndRow();
}

void Send(Connection& connection, const ImportRequest& request) {
  std::vector<const char*> values;
  for (const auto& param : request.params) values.push_back(param ? param->c_str() : nullptr);
  // Parameters travel separately from the SQL (the extended protocol), as text whose type the
  // server infers from the query.
  if (PQsendQueryParams(connection.raw(), request.sql.c_str(), static_cast<int>(values.size()),
                        nullptr, values.data(), nullptr, nullptr, 0) == 0) {
    throw sdk::Failure("cannot send the query to " + connection.target().Display() + ": " +
                       PQerrorMessage(connection.raw()));
  }
  if (PQsetSingleRowMode(connection.raw()) == 0) {
    throw sdk::Failure("libpq refused single-row mode; the result would not stream");
  }
}

}  // namespace

ImportStats ImportQuery(Connection& connection, const ImportRequest& request) {
  Send(connection, request);
  const bool verify_utf8 = connection.ServerEncoding() == "SQL_ASCII";
  std::optional<dataset::Writer> writer;
  std::vector<ColumnPlan> plans;
  ImportStats stats;
  int64_t unreported = 0;
  std::string error;
  while (Result result{PQgetResult(connection.raw())}) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
      if (!writer) {
        plans = PlanColumns(result.get(), request.declared, verify_utf8);
        writer.emplace(request.output_path, SchemaOf(plans));
      }
      if (status == PGRES_TUPLES_OK) continue;  // the end of the rows (or an empty result)
      AppendRow(result.get(), plans, stats.rows + 1, *writer, error);
      ++stats.rows;
      if (++unreported == dataset::kDefaultChunkRows && request.on_rows) {
        request.on_rows(unreported);
        unreported = 0;
      }
    } else if (status == PGRES_FATAL_ERROR) {
      throw sdk::Failure(
          (stats.rows == 0 ? "the query failed on " : "the query failed after " +
                                                          std::to_string(stats.rows) +
                                                          " rows on ") +
          connection.target().Display() + ": " + ServerError(result.get()));
    } else {
      throw sdk::Failure("the query returned no rows to read (" +
                             std::string(PQresStatus(status)) +
                             "); fix: write one SELECT statement (or VALUES, or a call to a "
                             "set-returning function)",
                         "/query");
    }
  }
  if (!writer) throw sdk::Failure("the server sent no result for the query");
  writer->Finish();
  if (unreported > 0 && request.on_rows) request.on_rows(unreported);
  stats.bytes_out = writer->file_size();
  return stats;
}

}  // namespace sluice::postgres
