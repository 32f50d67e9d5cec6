#include "pipeline.h"

#include <string>
#include <utility>

#include "cast_node.h"
#include "dedupe_set.h"
#include "expr_compiler.h"
#include "expr_error.h"
#include "expr_parser.h"
#include "operator_nodes.h"
#include "sluice/plugin.hpp"

namespace sluice::transform {

namespace {

[[noreturn]] void FailAt(const ConfigText& where, const ExprError& error) {
  throw sdk::Failure(WithCaret(error.what(), where.text, error.begin(), error.end()), where.pointer);
}

std::vector<std::string> Names(const dataset::Schema& schema) {
  std::vector<std::string> names;
  for (const dataset::Column& column : schema) names.push_back(column.name);
  return names;
}

size_t FindColumn(const dataset::Schema& schema, const ConfigText& name) {
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema[i].name == name.text) return i;
  }
  throw sdk::Failure("unknown column '" + name.text + "'" + SuggestNames(name.text, Names(schema)),
                     name.pointer);
}

class FilterStep final : public Step {
 public:
  FilterStep(ConfigText condition, const dataset::Schema& schema) : condition_(std::move(condition)) {
    try {
      expr_ = CompileExpression(ParseExpression(condition_.text), schema, &columns_read_);
    } catch (const ExprError& e) {
      FailAt(condition_, e);
    }
    if (expr_->type().kind == Kind::kNull) expr_ = MakeNullOf(ExprType::Bool(), expr_->begin(), expr_->end());
    if (expr_->type().kind != Kind::kBool) {
      FailAt(condition_, ExprError("a filter needs a condition (true/false), but this is " +
                                       TypeName(expr_->type()) + "; compare it, e.g. x > 0",
                                   0, condition_.text.size()));
    }
  }

  void Apply(Batch& batch) override {
    try {
      const Vector& keep = expr_->Eval(batch, nullptr);
      keep_.resize(static_cast<size_t>(batch.rows));
      for (int64_t i = 0; i < batch.rows; ++i) keep_[i] = keep.valid[i] & static_cast<uint8_t>(keep.ints[i]);
    } catch (const ExprError& e) {
      FailAt(condition_, e);
    }
    batch.Compact(keep_);
  }

  void MarkNeeded(std::vector<uint8_t>* needed) const override {
    for (size_t c : columns_read_) (*needed)[c] = 1;
  }

 private:
  ConfigText condition_;
  ExprPtr expr_;
  std::vector<size_t> columns_read_;
  std::vector<uint8_t> keep_;
};

class DeriveStep final : public Step {
 public:
  DeriveStep(ConfigText text, dataset::Schema* schema) : text_(std::move(text)) {
    try {
      const Assignment assignment = ParseAssignment(text_.text);
      expr_ = CompileExpression(assignment.value, *schema, &columns_read_);
      if (expr_->type().kind == Kind::kNull) {
        throw ExprError("the type of a bare null is unknown; write cast(null as string) or the "
                        "type you want", assignment.value->begin, assignment.value->end);
      }
      target_ = schema->size();
      for (size_t i = 0; i < schema->size(); ++i) {
        if ((*schema)[i].name == assignment.name) target_ = i;
      }
      appends_ = target_ == schema->size();
      if (appends_) schema->push_back({});
      (*schema)[target_] = ToColumn(assignment.name, expr_->type());
    } catch (const ExprError& e) {
      FailAt(text_, e);
    }
  }

  void Apply(Batch& batch) override {
    // A new column is added before evaluating, so the result is never a reference into a
    // vector that is about to reallocate.
    if (target_ == batch.columns.size()) batch.columns.emplace_back();
    try {
      const Vector& result = expr_->Eval(batch, nullptr);
      batch.columns[target_].CopyFrom(result);
    } catch (const ExprError& e) {
      FailAt(text_, e);
    }
  }

  void MarkNeeded(std::vector<uint8_t>* needed) const override {
    if (appends_) {
      needed->pop_back();
    } else {
      (*needed)[target_] = 0;  // overwritten: its old values are not used (unless read below)
    }
    for (size_t c : columns_read_) (*needed)[c] = 1;
  }

 private:
  ConfigText text_;
  ExprPtr expr_;
  std::vector<size_t> columns_read_;
  size_t target_ = 0;
  bool appends_ = false;  // a new column rather than a replaced one
};

// select and drop: the columns to keep, in their new order.
class ReorderStep final : public Step {
 public:
  ReorderStep(std::vector<size_t> keep, size_t input_width) : keep_(std::move(keep)), input_width_(input_width) {}

  void Apply(Batch& batch) override {
    scratch_.resize(keep_.size());
    for (size_t i = 0; i < keep_.size(); ++i) std::swap(scratch_[i], batch.columns[keep_[i]]);
    batch.columns.swap(scratch_);
  }

  void MarkNeeded(std::vector<uint8_t>* needed) const override {
    std::vector<uint8_t> before(input_width_, 0);
    for (size_t i = 0; i < keep_.size(); ++i) before[keep_[i]] = before[keep_[i]] | (*needed)[i];
    needed->swap(before);
  }

 private:
  std::vector<size_t> keep_;
  size_t input_width_;
  std::vector<Vector> scratch_;
};

class CastStep final : public Step {
 public:
  CastStep(const StepSpec& spec, dataset::Schema* schema) {
    for (const auto& [column, type_name] : spec.pairs) {
      const size_t index = FindColumn(*schema, column);
      std::string error;
      const std::optional<ExprType> to = ParseExprType(type_name, &error);
      if (!to) throw sdk::Failure(error, column.pointer);
      const ExprType from = FromColumn((*schema)[index]);
      if (from == *to) continue;
      if (!CanCast(from, *to)) {
        throw sdk::Failure("cannot cast column '" + column.text + "' from " + TypeName(from) +
                               " to " + TypeName(*to) +
                               "; dates and timestamps convert only to each other and to string",
                           column.pointer);
      }
      casts_.push_back({column, index, MakeCast(MakeColumnRef(index, from, 0, 0), *to, 0, 0)});
      (*schema)[index] = ToColumn(column.text, *to);
    }
  }

  void Apply(Batch& batch) override {
    for (ColumnCast& cast : casts_) {
      try {
        const Vector& result = cast.expr->Eval(batch, nullptr);
        batch.columns[cast.index].CopyFrom(result);
      } catch (const ExprError& e) {
        throw sdk::Failure("column '" + cast.column.text + "', " + e.what(), cast.column.pointer);
      }
    }
  }

  void MarkNeeded(std::vector<uint8_t>* needed) const override {
    for (const ColumnCast& cast : casts_) (*needed)[cast.index] = 1;
  }

 private:
  struct ColumnCast {
    ConfigText column;
    size_t index;
    ExprPtr expr;
  };
  std::vector<ColumnCast> casts_;
};

class DedupeStep final : public Step {
 public:
  explicit DedupeStep(std::vector<size_t> keys) : keys_(keys), set_(std::move(keys)) {}

  void Apply(Batch& batch) override {
    set_.Mark(batch, &keep_);
    batch.Compact(keep_);
  }

  void MarkNeeded(std::vector<uint8_t>* needed) const override {
    for (size_t c : keys_) (*needed)[c] = 1;
  }

 private:
  std::vector<size_t> keys_;
  DedupeSet set_;
  std::vector<uint8_t> keep_;
};

}  // namespace

Pipeline::Pipeline(const std::vector<StepSpec>& steps, const dataset::Schema& input)
    : input_width_(input.size()), schema_(input) {
  for (const StepSpec& spec : steps) {
    switch (spec.kind) {
      case StepKind::kFilter:
        steps_.push_back(std::make_unique<FilterStep>(spec.items.at(0), schema_));
        break;
      case StepKind::kDerive:
        for (const ConfigText& item : spec.items) {
          steps_.push_back(std::make_unique<DeriveStep>(item, &schema_));
        }
        break;
      case StepKind::kSelect: {
        std::vector<size_t> keep;
        dataset::Schema next;
        for (const ConfigText& name : spec.items) {
          keep.push_back(FindColumn(schema_, name));
          next.push_back(schema_[keep.back()]);
        }
        steps_.push_back(std::make_unique<ReorderStep>(std::move(keep), schema_.size()));
        schema_ = std::move(next);
        break;
      }
      case StepKind::kDrop: {
        std::vector<uint8_t> dropped(schema_.size(), 0);
        for (const ConfigText& name : spec.items) dropped[FindColumn(schema_, name)] = 1;
        std::vector<size_t> keep;
        dataset::Schema next;
        for (size_t i = 0; i < schema_.size(); ++i) {
          if (dropped[i]) continue;
          keep.push_back(i);
          next.push_back(schema_[i]);
        }
        if (next.empty()) {
          throw sdk::Failure("drop would remove every column; a dataset needs at least one",
                             spec.pointer + "/drop");
        }
        steps_.push_back(std::make_unique<ReorderStep>(std::move(keep), schema_.size()));
        schema_ = std::move(next);
        break;
      }
      case StepKind::kRename: {
        dataset::Schema next = schema_;
        for (const auto& [old_name, new_name] : spec.pairs) {
          next[FindColumn(schema_, old_name)].name = new_name;
        }
        for (size_t i = 0; i < next.size(); ++i) {
          for (size_t j = 0; j < i; ++j) {
            if (next[i].name == next[j].name) {
              throw sdk::Failure("after this rename two columns would be named '" + next[i].name +
                                     "'; drop or rename the other one first",
                                 spec.pointer + "/rename");
            }
          }
        }
        schema_ = std::move(next);  // names only: the batch is unchanged
        break;
      }
      case StepKind::kCast: steps_.push_back(std::make_unique<CastStep>(spec, &schema_)); break;
      case StepKind::kDedupe: {
        std::vector<size_t> keys;
        for (const ConfigText& name : spec.items) keys.push_back(FindColumn(schema_, name));
        if (spec.items.empty()) {
          for (size_t i = 0; i < schema_.size(); ++i) keys.push_back(i);
        }
        steps_.push_back(std::make_unique<DedupeStep>(std::move(keys)));
        break;
      }
    }
  }
}

std::vector<uint8_t> Pipeline::InputColumnsNeeded() const {
  std::vector<uint8_t> needed(schema_.size(), 1);  // the output keeps every column it has
  for (auto step = steps_.rbegin(); step != steps_.rend(); ++step) (*step)->MarkNeeded(&needed);
  return needed;
}

}  // namespace sluice::transform
