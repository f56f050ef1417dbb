#include "tests/test_util.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tapedeck::testing {

bool HaveSharedData() { return std::filesystem::is_directory(std::string(TAPEDECK_SHARED_DIR) + "/data"); }

std::string SharedData(const std::string& rel) { return std::string(TAPEDECK_SHARED_DIR) + "/data/" + rel; }

std::string MakeTempDir(const std::string& name) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string base = ::testing::TempDir() + "tapedeck_" + std::to_string(::getpid()) + "_";
  if (info != nullptr) base += std::string(info->test_suite_name()) + "_" + info->name() + "_";
  const std::string dir = base + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string SourceDir() { return TAPEDECK_SOURCE_DIR; }

std::string CliPath() {
  const char* env = std::getenv("TAPEDECK_CLI");
  if (env != nullptr && *env != '\0') return env;
  return std::string(TAPEDECK_BINARY_DIR) + "/apps/tapedeck";
}

}  // namespace tapedeck::testing
