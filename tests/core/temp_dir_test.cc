// MakeTempDir's directories go when a test program passes and stay when it fails. The test runs
// itself again in a child process (told so by the environment), so that the program end the
// child's directory sees is the child's own.
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

constexpr char kTest[] = "TempDirTest.RemovedWhenTheProgramPassesKeptAndNamedWhenItFails";

// The child's directory after a run of the child, which fails when `fail`.
std::string ChildDirAfterRun(bool fail, std::string* output) {
  const std::string report = MakeTempDir(fail ? "report_fail" : "report_pass") + "/path";
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const int rc = Shell(absl::StrCat("TAPEDECK_TEMP_DIR_CHILD=", fail ? "fail" : "pass",
                                    " TAPEDECK_TEMP_DIR_REPORT=", report, " ", self,
                                    " --gtest_filter=", kTest, " 2>&1"),
                       output);
  EXPECT_EQ(rc, fail ? 1 : 0) << *output;
  return ReadFile(report);
}

TEST(TempDirTest, RemovedWhenTheProgramPassesKeptAndNamedWhenItFails) {
  if (const char* child = std::getenv("TAPEDECK_TEMP_DIR_CHILD"); child != nullptr) {
    // The child: makes a directory, says where, and fails when asked to.
    const std::string dir = MakeTempDir("child");
    WriteFile(dir + "/file", "contents");
    WriteFile(std::getenv("TAPEDECK_TEMP_DIR_REPORT"), dir);
    if (std::string(child) == "fail") ADD_FAILURE() << "failing on purpose";
    return;
  }
  std::string output;
  const std::string passed = ChildDirAfterRun(false, &output);
  ASSERT_FALSE(passed.empty()) << output;
  EXPECT_FALSE(std::filesystem::exists(passed)) << output;

  const std::string failed = ChildDirAfterRun(true, &output);
  ASSERT_FALSE(failed.empty()) << output;
  EXPECT_TRUE(std::filesystem::exists(failed + "/file")) << output;
  EXPECT_NE(output.find("temporary directories are kept"), std::string::npos) << output;
  EXPECT_NE(output.find(failed), std::string::npos) << output;
  std::filesystem::remove_all(failed);
}

}  // namespace
}  // namespace tapedeck
