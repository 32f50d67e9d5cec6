// The `with:` configuration of aggregate: its JSON Schema, the checks the schema cannot
// express (aggregate expressions, duplicate output names), and its translation into an
// AggregateTaskSpec.
#ifndef SLUICE_PLUGINS_AGGREGATE_AGGREGATE_CONFIG_H_
#define SLUICE_PLUGINS_AGGREGATE_AGGREGATE_CONFIG_H_

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aggregate_spec.h"

namespace sluice::aggregate {

inline constexpr const char* kAggregateConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "aggregate",
  "description": "Groups an upstream dataset's rows and computes count, count_distinct, sum, avg, min and max per group; rows come out sorted by the group key, nulls first.",
  "type": "object",
  "additionalProperties": false,
  "required": ["aggregates"],
  "properties": {
    "input": {
      "type": "string",
      "minLength": 1,
      "description": "The upstream task whose dataset to aggregate. Default: the only upstream task that wrote a dataset."
    },
    "group_by": {
      "type": "array",
      "description": "The group key, in order: column names, or {column, bucket, as} to group a date or timestamp by day, month or year. Without group_by, one row summarises every row.",
      "items": {
        "anyOf": [
          {"type": "string", "minLength": 1, "description": "A column whose values form the groups; nulls form their own group."},
          {
            "type": "object",
            "additionalProperties": false,
            "required": ["column"],
            "description": "A column, optionally bucketed by time, under an optional new name.",
            "properties": {
              "column": {"type": "string", "minLength": 1, "description": "The column to group by."},
              "bucket": {"type": "string", "enum": ["day", "month", "year"], "description": "Groups a date or timestamp column by the day, month or year it falls in (UTC); the output column is a date: the day, the first of the month, or January 1."},
              "as": {"type": "string", "minLength": 1, "description": "The output column's name. Default: the column's name."}
            }
          }
        ]
      }
    },
    "aggregates": {
      "type": "array",
      "minItems": 1,
      "items": {"type": "string", "minLength": 1},
      "description": "Output columns as \"name = function(column)\": count(*), count(col) (non-null values), count_distinct(col), sum(col), avg(col), min(col), max(col). Nulls are ignored except by count(*)."
    }
  }
})json";

/// Receives one problem: a JSON pointer into the configuration and a message.
using ConfigProblem = std::function<void(const std::string& path, const std::string& message)>;

/// Reports what the JSON Schema cannot check: aggregate expressions that do not parse,
/// `*` outside count, output names used twice. Text holding a template is not checked.
void CheckAggregateConfig(const nlohmann::json& config, const ConfigProblem& report);

/// REQUIRES: `config` passed the schema. Throws sdk::Failure for the first problem that
/// CheckAggregateConfig would report.
AggregateTaskSpec ParseAggregateConfig(const nlohmann::json& config);

/// Parses "name = function(column)" into *spec (config_path untouched); on failure returns
/// false and explains in *error.
bool ParseAggregateExpression(std::string_view text, AggregateSpec* spec, std::string* error);

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_AGGREGATE_CONFIG_H_
