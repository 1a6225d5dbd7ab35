#pragma once
// Golden files under test/data/ (KATARA_TEST_DATA is set by test/CMakeLists.txt).
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace katara::test_support {

inline std::string readData(const std::string& name) {
  std::ifstream in(std::string(KATARA_TEST_DATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The golden file's text; with KATARA_UPDATE_GOLDEN=1 in the environment, `actual` is written
// to it first (review the diff before committing).
inline std::string golden(const std::string& name, const std::string& actual) {
  if (const char* update = std::getenv("KATARA_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(std::string(KATARA_TEST_DATA) + "/" + name, std::ios::binary) << actual;
  }
  return readData(name);
}

}  // namespace katara::test_support
