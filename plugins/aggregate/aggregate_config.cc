#include "aggregate_config.h"

#include <map>
#include <optional>

#include "sluice/plugin.hpp"

namespace sluice::aggregate {
namespace {

bool HoldsTemplate(const std::string& text) { return text.find("{{") != std::string::npos; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Reads "name = function(arg)" left to right; names are plain or "double quoted".
class ExpressionReader {
 public:
  explicit ExpressionReader(std::string_view text) : text_(text) {}

  bool Read(AggregateSpec* spec, std::string* error) {
    std::string function, argument;
    bool star = false;
    if (!ReadName(&spec->output_name, "the output column's name") || !ReadSymbol('=', "'=' after the name") ||
        !ReadName(&function, "a function name (count, count_distinct, sum, avg, min, max)") ||
        !ReadSymbol('(', "'(' after the function name")) {
      return Fail(error);
    }
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == '*') {
      ++pos_;
      star = true;
    } else if (!ReadName(&argument, "a column name or *")) {
      return Fail(error);
    }
    if (!ReadSymbol(')', "')' after the column")) return Fail(error);
    SkipSpaces();
    if (pos_ != text_.size()) {
      Expected("the end");
      return Fail(error);
    }
    static const std::map<std::string, Function> kFunctions = {
        {"count", Function::kCount}, {"count_distinct", Function::kCountDistinct},
        {"sum", Function::kSum},     {"avg", Function::kAvg},
        {"min", Function::kMin},     {"max", Function::kMax}};
    const auto found = kFunctions.find(Lower(function));
    if (found == kFunctions.end()) {
      *error = "unknown function '" + function + "'; use count, count_distinct, sum, avg, min or max";
      return false;
    }
    spec->function = found->second;
    spec->column = argument;
    if (star) {
      if (spec->function != Function::kCount) {
        *error = "only count takes *; write " + std::string(FunctionName(spec->function)) + "(column)";
        return false;
      }
      spec->function = Function::kCountAll;
    }
    return true;
  }

 private:
  bool ReadName(std::string* name, const char* what) {
    SkipSpaces();
    name->clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      for (++pos_; pos_ < text_.size(); ++pos_) {
        if (text_[pos_] != '"') {
          name->push_back(text_[pos_]);
        } else if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          name->push_back('"');
          ++pos_;
        } else {
          ++pos_;
          return !name->empty() || Set(std::string("an empty quoted name where ") + what + " belongs");
        }
      }
      return Set("a quoted name that is never closed; end it with \"");
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    if (pos_ == start) return Expected(what);
    name->assign(text_.substr(start, pos_ - start));
    return true;
  }
  bool ReadSymbol(char symbol, const char* what) {
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == symbol) {
      ++pos_;
      return true;
    }
    return Expected(what);
  }
  bool Expected(const char* what) {
    SkipSpaces();
    if (pos_ == text_.size()) return Set(std::string("expected ") + what + " at the end");
    return Set(std::string("expected ") + what + " at '" + std::string(text_.substr(pos_)) + "'");
  }
  bool Set(std::string message) {
    if (message_.empty()) message_ = std::move(message);
    return false;
  }
  bool Fail(std::string* error) {
    *error = message_ + "; write \"name = function(column)\", e.g. \"vlr_total = sum(vlr_transacao)\"";
    return false;
  }
  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string message_;
};

Bucket ParseBucket(const std::string& text) {
  if (text == "day") return Bucket::kDay;
  if (text == "month") return Bucket::kMonth;
  if (text == "year") return Bucket::kYear;
  return Bucket::kNone;
}

AggregateTaskSpec BuildSpec(const nlohmann::json& config, const ConfigProblem& report) {
  AggregateTaskSpec spec;
  if (!config.is_object()) return spec;
  spec.input = config.value("input", std::string());
  std::map<std::string, std::string> names;  // output name -> where it was defined
  const auto claim = [&](const std::string& name, const std::string& at) {
    auto [it, inserted] = names.emplace(name, at);
    if (!inserted) {
      report(at, "output column '" + name + "' is already defined at " + it->second + "; give each a distinct name");
    }
  };
  if (config.contains("group_by") && config["group_by"].is_array()) {
    const nlohmann::json& group_by = config["group_by"];
    for (size_t i = 0; i < group_by.size(); ++i) {
      const nlohmann::json& item = group_by[i];
      GroupSpec group;
      group.config_path = "/group_by/" + std::to_string(i);
      if (item.is_string()) {
        group.column = item.get<std::string>();
      } else if (item.is_object() && item.contains("column") && item["column"].is_string()) {
        group.column = item["column"].get<std::string>();
        group.bucket = ParseBucket(item.value("bucket", std::string()));
        group.output_name = item.value("as", std::string());
      } else {
        continue;  // the schema reports it
      }
      if (group.output_name.empty()) group.output_name = group.column;
      if (!HoldsTemplate(group.output_name)) claim(group.output_name, group.config_path);
      spec.group_by.push_back(std::move(group));
    }
  }
  if (config.contains("aggregates") && config["aggregates"].is_array()) {
    const nlohmann::json& aggregates = config["aggregates"];
    for (size_t i = 0; i < aggregates.size(); ++i) {
      if (!aggregates[i].is_string()) continue;
      const std::string text = aggregates[i].get<std::string>();
      AggregateSpec aggregate;
      aggregate.config_path = "/aggregates/" + std::to_string(i);
      if (HoldsTemplate(text)) continue;
      std::string error;
      if (!ParseAggregateExpression(text, &aggregate, &error)) {
        report(aggregate.config_path, error);
        continue;
      }
      claim(aggregate.output_name, aggregate.config_path);
      spec.aggregates.push_back(std::move(aggregate));
    }
  }
  return spec;
}

}  // namespace

const char* FunctionName(Function function) {
  switch (function) {
    case Function::kCountAll:
    case Function::kCount: return "count";
    case Function::kCountDistinct: return "count_distinct";
    case Function::kSum: return "sum";
    case Function::kAvg: return "avg";
    case Function::kMin: return "min";
    case Function::kMax: return "max";
  }
  return "count";
}

bool ParseAggregateExpression(std::string_view text, AggregateSpec* spec, std::string* error) {
  return ExpressionReader(text).Read(spec, error);
}

void CheckAggregateConfig(const nlohmann::json& config, const ConfigProblem& report) { BuildSpec(config, report); }

AggregateTaskSpec ParseAggregateConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  AggregateTaskSpec spec = BuildSpec(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (spec.aggregates.empty()) {
    throw sdk::Failure("aggregate needs `aggregates`, e.g. [\"n = count(*)\"]", "/aggregates");
  }
  return spec;
}

}  // namespace sluice::aggregate
