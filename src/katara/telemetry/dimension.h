#pragma once
// A metric's labels as fixed dimensions: every value a label can take is known when the route
// table is built (aliases, targets, outcome classes), so a cell is found by index arithmetic
// on the hot path and the label set stays bounded by the configuration.
#include <array>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace katara::telemetry {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// One axis: the label names it sets and, for each index, their values.
struct Dimension {
  std::vector<std::string> labels;
  std::vector<std::vector<std::string>> values;
  std::size_t size() const { return values.size(); }
};

// The axes of one metric family, and the flat index of a cell (mixed radix, first axis slowest).
class Shape {
 public:
  static constexpr std::size_t kMaxAxes = 4;
  Shape() = default;
  // The dimensions' values are all known by now: their sizes are kept here, so that finding a
  // cell on the hot path reads one small array.
  explicit Shape(std::vector<const Dimension*> dims) : dims_(std::move(dims)) {
    if (dims_.size() > kMaxAxes) throw std::logic_error("a metric family has more axes than Shape::kMaxAxes");
    for (std::size_t i = 0; i < dims_.size(); ++i) sizes_[i] = dims_[i]->size();
  }
  std::size_t cells() const {
    std::size_t n = 1;
    for (std::size_t i = 0; i < dims_.size(); ++i) n *= sizes_[i];
    return n;
  }
  std::size_t at(std::initializer_list<std::size_t> index) const {
    std::size_t flat = 0, axis = 0;
    for (const std::size_t i : index) flat = flat * sizes_[axis++] + i;
    return flat;
  }
  // The labels of cell `flat`; a label whose value is empty is left out (Prometheus treats an
  // empty label as absent, and the exposition reads cleaner without it).
  LabelPairs labels(std::size_t flat) const {
    LabelPairs out;
    std::vector<std::size_t> index(dims_.size());
    for (std::size_t i = dims_.size(); i-- > 0;) {
      index[i] = flat % dims_[i]->size();
      flat /= dims_[i]->size();
    }
    for (std::size_t i = 0; i < dims_.size(); ++i) {
      const auto& names = dims_[i]->labels;
      const auto& values = dims_[i]->values[index[i]];
      for (std::size_t j = 0; j < names.size(); ++j) {
        if (!values[j].empty()) out.emplace_back(names[j], values[j]);
      }
    }
    return out;
  }

 private:
  std::vector<const Dimension*> dims_;
  std::array<std::size_t, kMaxAxes> sizes_{};
};

}  // namespace katara::telemetry
