// MakeTempDir's directories go when a test program passes and stay when it fails. The helper
// test below runs in a child process of this binary, so the program end it sees is its own.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::WriteFile;

// Run only by the test below: makes a directory, writes its path where the parent asks, and
// fails when asked to.
TEST(TempDirTest, DISABLED_Helper) {
  const char* report = std::getenv("TAPEDECK_TEMP_DIR_REPORT");
  ASSERT_NE(report, nullptr);
  const std::string dir = MakeTempDir("helper");
  WriteFile(dir + "/file", "contents");
  WriteFile(report, dir);
  if (std::getenv("TAPEDECK_TEMP_DIR_FAIL") != nullptr) ADD_FAILURE() << "failing on purpose";
}

// The helper's directory after a run of the helper, which fails when `fail`.
std::string HelperDirAfterRun(bool fail, std::string* output) {
  const std::string report = MakeTempDir("report") + "/path";
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const int rc = Shell(absl::StrCat("TAPEDECK_TEMP_DIR_REPORT=", report,
                                    fail ? " TAPEDECK_TEMP_DIR_FAIL=1 " : " ", self,
                                    " --gtest_also_run_disabled_tests"
                                    " --gtest_filter=TempDirTest.DISABLED_Helper 2>&1"),
                       output);
  EXPECT_EQ(rc, fail ? 1 : 0) << *output;
  return ReadFile(report);
}

TEST(TempDirTest, RemovedWhenTheProgramPassesKeptAndNamedWhenItFails) {
  std::string output;
  const std::string passed = HelperDirAfterRun(false, &output);
  ASSERT_FALSE(passed.empty()) << output;
  EXPECT_FALSE(std::filesystem::exists(passed)) << output;

  const std::string failed = HelperDirAfterRun(true, &output);
  ASSERT_FALSE(failed.empty()) << output;
  EXPECT_TRUE(std::filesystem::exists(failed + "/file")) << output;
  EXPECT_NE(output.find("temporary directories are kept"), std::string::npos) << output;
  EXPECT_NE(output.find(failed), std::string::npos) << output;
  std::filesystem::remove_all(failed);
}

}  // namespace
}  // namespace tapedeck
