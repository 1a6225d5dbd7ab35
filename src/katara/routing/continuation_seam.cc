#include "katara/routing/continuation_seam.h"

#include <algorithm>

namespace katara::routing {

namespace {
bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
}  // namespace

ContinuationSeam::ContinuationSeam(std::string delivered, ContinuationMode mode)
    : delivered_(std::move(delivered)),
      check_overlap_(mode == ContinuationMode::Instruction),
      strip_space_(!delivered_.empty() && isSpace(delivered_.back())),
      deciding_(mode != ContinuationMode::Restart || strip_space_) {}

bool ContinuationSeam::couldStillRepeat() const {
  if (!check_overlap_ || held_.size() >= kMaxHeld) return false;
  // A repeat of length k > held_.size() means held_ occurs in the delivered text at
  // p = size - k, not reaching its end yet; the first occurrence gives the longest k.
  const auto p = delivered_.find(held_);
  return p != std::string::npos && p + held_.size() < delivered_.size() && delivered_.size() - p >= kMinOverlap;
}

std::string ContinuationSeam::decide() {
  deciding_ = false;
  std::string out = std::move(held_);
  held_.clear();
  if (check_overlap_) {
    // The longest start of the continuation that is an end of the delivered text.
    for (std::size_t k = std::min(out.size(), delivered_.size()); k >= kMinOverlap; --k) {
      if (out.compare(0, k, delivered_, delivered_.size() - k, k) == 0) {
        out.erase(0, k);
        dropped_ += k;
        break;
      }
    }
  }
  if (strip_space_) {
    std::size_t n = 0;
    while (n < out.size() && isSpace(out[n])) ++n;
    out.erase(0, n);
    dropped_ += n;
  }
  return out;
}

std::string ContinuationSeam::feed(std::string_view text) {
  if (!deciding_) return std::string(text);
  held_.append(text);
  // Whitespace alone says nothing yet: the text after it decides.
  if (strip_space_ && std::all_of(held_.begin(), held_.end(), isSpace)) return {};
  if (couldStillRepeat()) return {};
  return decide();
}

std::string ContinuationSeam::flush() { return deciding_ ? decide() : std::string(); }

}  // namespace katara::routing
