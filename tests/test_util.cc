#include "tests/test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
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

int Shell(const std::string& command, std::string* output) {
  output->clear();
  std::FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) output->append(buf, n);
  const int status = ::pclose(p);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

std::string SourceDir() { return TAPEDECK_SOURCE_DIR; }

std::string CliPath() {
  const char* env = std::getenv("TAPEDECK_CLI");
  if (env != nullptr && *env != '\0') return env;
  return std::string(TAPEDECK_BINARY_DIR) + "/apps/tapedeck";
}

std::string VmFlagsOf(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const uintptr_t at = reinterpret_cast<uintptr_t>(p);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= at && at < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool HaveTransparentHugePages() {
  return std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").good();
}

}  // namespace tapedeck::testing
