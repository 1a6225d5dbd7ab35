#pragma once
// Where a continuation's text meets the answer the client already has. A model told to continue
// often starts by repeating the end of what it was given — or all of it; a prefilled one starts
// with the whitespace that was trimmed off its prefill. The seam holds the continuation's first
// bytes back only while they could still be such a repeat, then drops the repeat.
#include <string>
#include <string_view>

#include "katara/routing/handover.h"

namespace katara::routing {

class ContinuationSeam {
 public:
  // `delivered`: the text the client has; `mode`: how the target was asked to continue.
  ContinuationSeam(std::string delivered, ContinuationMode mode);

  // The part of the continuation's next text that may go to the client now (possibly none).
  std::string feed(std::string_view text);
  // Whatever is still held: at the continuation's end, or before an event that is not text.
  std::string flush();
  // Bytes dropped as a repeat, for the attempt's log.
  std::size_t dropped() const { return dropped_; }

  // A repeat shorter than this is taken for chance ("the", ". ") and kept.
  static constexpr std::size_t kMinOverlap = 8;
  // Past this many held bytes the seam decides with what it has.
  static constexpr std::size_t kMaxHeld = 4096;

 private:
  // True while `held_` could still grow into a repeat of the delivered text's end.
  bool couldStillRepeat() const;
  std::string decide();

  std::string delivered_;
  bool check_overlap_;
  bool strip_space_;  // the client's text ends in whitespace: the continuation's own is dropped
  bool deciding_;
  std::string held_;
  std::size_t dropped_ = 0;
};

}  // namespace katara::routing
