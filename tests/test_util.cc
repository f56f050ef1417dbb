#include "tests/test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <vector>

namespace tapedeck::testing {

bool HaveSharedData() { return std::filesystem::is_directory(std::string(TAPEDECK_SHARED_DIR) + "/data"); }

std::string SharedData(const std::string& rel) { return std::string(TAPEDECK_SHARED_DIR) + "/data/" + rel; }

namespace {

// Owns the directories MakeTempDir made in this process. When the program ends with every test
// passed they are removed; when one failed they stay, and stderr says where, so a failure can be
// looked at. (A test binary killed or crashed leaves them: nothing runs then.)
class TempDirJanitor : public ::testing::EmptyTestEventListener {
 public:
  void Add(const std::string& dir) {
    std::lock_guard<std::mutex> lock(mu_);
    dirs_.push_back(dir);
  }

  void OnTestProgramEnd(const ::testing::UnitTest& unit) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (dirs_.empty()) return;
    if (unit.Failed()) {
      std::fprintf(stderr, "tapedeck tests: a test failed; its temporary directories are kept:\n");
      for (const std::string& d : dirs_) std::fprintf(stderr, "  %s\n", d.c_str());
      return;
    }
    for (const std::string& d : dirs_) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
      if (ec) {
        std::fprintf(stderr, "tapedeck tests: could not remove %s: %s\n", d.c_str(),
                     ec.message().c_str());
      }
    }
  }

 private:
  std::mutex mu_;
  std::vector<std::string> dirs_;
};

// Registered before main runs, so it hears the end of every test program that links this file.
// The listener list owns it.
TempDirJanitor* const janitor = [] {
  auto* j = new TempDirJanitor;
  ::testing::UnitTest::GetInstance()->listeners().Append(j);
  return j;
}();

}  // namespace

std::string MakeTempDir(const std::string& name) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string base = ::testing::TempDir() + "tapedeck_" + std::to_string(::getpid()) + "_";
  if (info != nullptr) {
    // Parameterised tests name themselves "Prefix/Suite" and "Test/3": one directory, not a tree.
    std::string test = std::string(info->test_suite_name()) + "_" + info->name() + "_";
    std::replace(test.begin(), test.end(), '/', '_');
    base += test;
  }
  const std::string dir = base + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  janitor->Add(dir);
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
