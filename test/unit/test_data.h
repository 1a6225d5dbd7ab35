#pragma once
// Golden files under test/data/ (KATARA_TEST_DATA is set by test/CMakeLists.txt).
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

}  // namespace katara::test_support
