// Helpers shared by the test suites: status matchers (Debian's Abseil has none), paths to the
// shared data, temporary directories.
#ifndef TAPEDECK_TESTS_TEST_UTIL_H_
#define TAPEDECK_TESTS_TEST_UTIL_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testkit/vector_source.h"

namespace tapedeck::testing {

// EXPECT_THAT(status, IsOk()); works for Status and StatusOr.
MATCHER(IsOk, "is OK") {
  if constexpr (std::is_same_v<std::decay_t<arg_type>, absl::Status>) {
    *result_listener << arg;
    return arg.ok();
  } else {
    *result_listener << arg.status();
    return arg.ok();
  }
}

// EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
MATCHER_P2(StatusIs, code, message_matcher, "") {
  absl::Status s;
  if constexpr (std::is_same_v<std::decay_t<arg_type>, absl::Status>) {
    s = arg;
  } else {
    s = arg.status();
  }
  *result_listener << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(s.message()), result_listener);
}

// An EventSource over events made in a test (the test kit's: testkit/vector_source.h).
using ::tapedeck::testkit::VectorSource;

// ../shared/data/<rel>, or "" with a GTEST_SKIP-worthy message when ../shared is absent.
std::string SharedData(const std::string& rel);
bool HaveSharedData();
// A fresh empty directory under the test's temporary directory. It is removed when the test
// program ends with every test passed, and kept (stderr names it) when one failed.
std::string MakeTempDir(const std::string& name);
// Writes `content` to `path` (creating parent directories).
void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);
// Runs `command` through /bin/sh and returns its exit status (128 + signal when killed, -1 when
// it could not start) with everything it wrote to stdout. Append " 2>&1" to capture stderr.
int Shell(const std::string& command, std::string* output);

// The VmFlags line of this process's mapping that holds `p`, from /proc/self/smaps ("" when no
// mapping holds it): " hg" in it is MADV_HUGEPAGE.
std::string VmFlagsOf(const void* p);
// Whether the kernel has transparent huge pages (without them MADV_HUGEPAGE fails and no " hg"
// shows, whatever the THP mode).
bool HaveTransparentHugePages();

// The project root (for configs/).
std::string SourceDir();
// The tapedeck command line binary, for tests that run it as a process.
std::string CliPath();

}  // namespace tapedeck::testing

// Skips the test when ../shared/data is absent (it is present in CI).
#define TAPEDECK_REQUIRE_SHARED_DATA()                                          \
  do {                                                                          \
    if (!::tapedeck::testing::HaveSharedData())                                 \
      GTEST_SKIP() << "../shared/data is absent; this test needs the real data"; \
  } while (false)

#endif  // TAPEDECK_TESTS_TEST_UTIL_H_
