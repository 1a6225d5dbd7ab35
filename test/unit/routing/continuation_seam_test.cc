#include "katara/routing/continuation_seam.h"

#include <gtest/gtest.h>

namespace katara::routing {
namespace {

// Feeds `parts` through a seam and returns what reached the client.
std::string through(ContinuationSeam& seam, std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += seam.feed(p);
  return out + seam.flush();
}

TEST(ContinuationSeam, InstructedContinuationThatRepeatsTheEndIsTrimmed) {
  ContinuationSeam seam("Katara routes every request", ContinuationMode::Instruction);
  EXPECT_EQ(through(seam, {" every", " request", " to", " a"}), " to a");
  EXPECT_EQ(seam.dropped(), 14u);
}

TEST(ContinuationSeam, AContinuationThatStartsOverIsTrimmedToTheNewPart) {
  ContinuationSeam seam("Katara routes every request", ContinuationMode::Instruction);
  EXPECT_EQ(through(seam, {"Katara", " routes", " every", " request", " to", " a"}), " to a");
}

TEST(ContinuationSeam, NewTextPassesAtOnce) {
  ContinuationSeam seam("Katara routes every request", ContinuationMode::Instruction);
  EXPECT_EQ(seam.feed(" to"), " to") << "' to' does not occur in the delivered text: nothing to hold";
  EXPECT_EQ(seam.feed(" a"), " a");
  EXPECT_EQ(seam.dropped(), 0u);
}

TEST(ContinuationSeam, HoldsOnlyWhileARepeatIsStillPossible) {
  ContinuationSeam seam("The cat sat on the mat", ContinuationMode::Instruction);
  EXPECT_EQ(seam.feed(" the"), "") << "could be the start of ' the mat'";
  EXPECT_EQ(seam.feed(" dog"), " the dog") << "' the dog' is new: released whole";
}

TEST(ContinuationSeam, ShortCoincidencesAreKept) {
  ContinuationSeam seam("I said no", ContinuationMode::Instruction);
  EXPECT_EQ(through(seam, {" no", " more"}), " no more") << "a 3-byte overlap is taken for chance";
}

TEST(ContinuationSeam, PrefillIsNeverTrimmedForOverlap) {
  ContinuationSeam seam("one two three", ContinuationMode::Prefill);
  EXPECT_EQ(through(seam, {" two three", " four"}), " two three four");
}

TEST(ContinuationSeam, WhitespaceTrimmedOffAPrefillIsNotDoubled) {
  ContinuationSeam seam("Hello, ", ContinuationMode::Prefill);
  EXPECT_EQ(seam.feed(" "), "") << "whitespace alone decides nothing";
  EXPECT_EQ(seam.feed(" world"), "world");
  ContinuationSeam lines("# Title\n\n", ContinuationMode::Prefill);
  EXPECT_EQ(through(lines, {"\n\nBody"}), "Body");
}

TEST(ContinuationSeam, ARestartPassesEverything) {
  ContinuationSeam seam("", ContinuationMode::Restart);
  EXPECT_EQ(seam.feed("Hello"), "Hello");
}

TEST(ContinuationSeam, FlushReleasesWhatWasHeldWhenTheContinuationEnds) {
  ContinuationSeam seam("alpha beta gamma delta", ContinuationMode::Instruction);
  EXPECT_EQ(seam.feed(" beta"), "");
  EXPECT_EQ(seam.flush(), " beta") << "a 5-byte overlap would be chance; and it is not at the end";
}

}  // namespace
}  // namespace katara::routing
