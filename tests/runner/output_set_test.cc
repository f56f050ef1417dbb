// The output folder as a set: replaced whole, never mixed, never a user's folder; what kill -9
// at each step of the replacement leaves; what SIGINT and SIGTERM leave in run and convert.
#include "runner/output_set.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

extern char** environ;

namespace tapedeck::runner {
namespace {

namespace fs = std::filesystem;
using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// Names in `dir` (not recursive), sorted.
std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Every file under `dir` with its contents, for comparing two folders whole.
std::string Snapshot(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(files.begin(), files.end());
  std::string out;
  for (const std::string& f : files) absl::StrAppend(&out, "== ", f, "\n", ReadFile(dir + "/" + f));
  return out;
}

TEST(OutputSetTest, ReplacesTheFolderWholeWithTheMarkerLast) {
  const std::string dir = MakeTempDir("set");
  absl::StatusOr<std::unique_ptr<OutputSet>> set = OutputSet::Begin(dir + "/a/out");
  ASSERT_THAT(set, IsOk());
  // The staging folder has the output folder's name, inside a hidden folder beside it.
  EXPECT_EQ(fs::path((*set)->staging()).filename(), "out");
  WriteFile((*set)->staging() + "/x.csv", "one\n");
  EXPECT_FALSE(fs::exists(dir + "/a/out"));
  ASSERT_THAT((*set)->Commit(), IsOk());
  EXPECT_EQ(Names(dir + "/a/out"), (std::vector<std::string>{".tapedeck-complete", "x.csv"}));
  EXPECT_EQ(Names(dir + "/a"), std::vector<std::string>{"out"});

  set = OutputSet::Begin(dir + "/a/out");
  ASSERT_THAT(set, IsOk());
  WriteFile((*set)->staging() + "/y.csv", "two\n");
  ASSERT_THAT((*set)->Commit(), IsOk());
  // Nothing of the earlier run remains.
  EXPECT_EQ(Names(dir + "/a/out"), (std::vector<std::string>{".tapedeck-complete", "y.csv"}));
  EXPECT_EQ(Names(dir + "/a"), std::vector<std::string>{"out"});
}

TEST(OutputSetTest, DroppedSetLeavesNothingAndRemovesTheParentsItMade) {
  const std::string dir = MakeTempDir("drop");
  {
    absl::StatusOr<std::unique_ptr<OutputSet>> set = OutputSet::Begin(dir + "/a/b/out");
    ASSERT_THAT(set, IsOk());
    WriteFile((*set)->staging() + "/x.csv", "one\n");
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(OutputSetTest, RefusesUserFoldersAndFiles) {
  const std::string dir = MakeTempDir("refuse");
  WriteFile(dir + "/mine/a.txt", "x");
  EXPECT_THAT(OutputSet::Begin(dir + "/mine"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(dir + "/mine: exists, is not empty and is not a tapedeck output")));
  WriteFile(dir + "/file", "x");
  EXPECT_THAT(OutputSet::Begin(dir + "/file"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("exists and is not a directory")));
  EXPECT_THAT(OutputSet::Begin("/"), StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr("cannot replace the root")));
  // `.` is refused the same way when it is a user's folder.
  const fs::path cwd = fs::current_path();
  fs::current_path(dir + "/mine");
  EXPECT_THAT(OutputSet::Begin("."), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr(".: exists, is not empty")));
  fs::current_path(cwd);
  EXPECT_EQ(ReadFile(dir + "/mine/a.txt"), "x");
}

TEST(OutputSetTest, LeftoversOfDeadProcessesAreRemovedOthersKept) {
  const std::string dir = MakeTempDir("leftovers");
  // A pid that is not running: a child that has exited and been reaped.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const std::string dead = absl::StrCat(dir, "/.tapedeck-staging-", child, "-0");
  const std::string live = absl::StrCat(dir, "/.tapedeck-staging-", ::getppid(), "-3");
  WriteFile(dead + "/out/x.csv", "x");
  WriteFile(live + "/out/x.csv", "x");
  ASSERT_THAT(OutputSet::Begin(dir + "/out"), IsOk());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));
}

// --- the command line, killed ---------------------------------------------------------------

// `n` trades one second apart on a saw-tooth path, and a run config over them whose strategy
// trades with period `fast` (two configs with distinct outputs).
std::string WriteRunConfig(const std::string& dir, const std::string& name, int fast) {
  std::string csv = "ts,price,qty,side\n";
  for (int i = 0; i < 600; ++i) {
    const int phase = i % 40;
    absl::StrAppend(&csv, 1'770'249'600 + i, "000000000,", 69000 + (phase < 20 ? phase : 40 - phase) * 10,
                    ".00,0.010,", i % 2 == 0 ? "buy" : "sell", "\n");
  }
  WriteFile(dir + "/trades.csv", csv);
  const std::string config = absl::StrCat(R"({"seed": 1,
    "instruments": [{"symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3}],
    "sources": [{"path": ")", dir, R"(/trades.csv", "format": "trades_csv", "instrument": "BTCUSDT"}],
    "strategies": [{"name": "sma_crossover", "label": "a", "params": {"instrument": "BTCUSDT", "fast": )",
                                          fast, R"(, "slow": 12, "qty": "1"}},
                   {"name": "sma_crossover", "label": "b", "params": {"instrument": "BTCUSDT", "fast": 3, "slow": 9, "qty": "1"}}],
    "output": {"equity_interval": "10s"}})");
  WriteFile(dir + "/" + name, config);
  return dir + "/" + name;
}

// Runs the CLI with `args` and TAPEDECK_TEST_KILL_AT=`kill_at` (unless empty); its wait status.
int RunCli(const std::vector<std::string>& args, const std::string& kill_at, pid_t* pid_out = nullptr,
           bool wait = true) {
  std::vector<std::string> env_store;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("TAPEDECK_TEST_KILL_AT=")) continue;
    env_store.emplace_back(*e);
  }
  if (!kill_at.empty()) env_store.push_back("TAPEDECK_TEST_KILL_AT=" + kill_at);
  std::vector<char*> envp, argv;
  for (std::string& s : env_store) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> all = {CliPath()};
  all.insert(all.end(), args.begin(), args.end());
  for (std::string& s : all) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  if (pid_out != nullptr) *pid_out = pid;
  if (!wait) return 0;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// kill -9 at every step of the replacement: the folder holds the earlier run whole or the new
// run whole, never a mix, and the next run leaves no temporary behind.
TEST(OutputSetKillTest, KillAtEveryStepLeavesOneRunWhole) {
  const std::string dir = MakeTempDir("kill");
  const std::string a = WriteRunConfig(dir, "a.json", 2);
  const std::string b = WriteRunConfig(dir, "b.json", 5);
  const std::string out = dir + "/out";
  // Both runs whole, each into the same folder (the reports name it).
  ASSERT_EQ(RunCli({"run", a, "--out", out, "--quiet"}, ""), 0);
  const std::string old_run = Snapshot(out);
  ASSERT_EQ(RunCli({"run", b, "--out", out, "--quiet"}, ""), 0);
  const std::string new_run = Snapshot(out);
  ASSERT_NE(old_run, new_run);
  EXPECT_EQ(new_run.find(".tapedeck-staging"), std::string::npos);
  const struct {
    const char* step;
    bool new_in_place;
  } steps[] = {{"before-marker", false},
               {"before-swap", false},
               {"after-swap", true},
               {"during-remove", true}};
  for (const auto& s : steps) {
    ASSERT_EQ(RunCli({"run", a, "--out", out, "--quiet"}, ""), 0);
    ASSERT_EQ(Snapshot(out), old_run);
    const int status = RunCli({"run", b, "--out", out, "--quiet"}, s.step);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << s.step << " " << status;
    EXPECT_EQ(Snapshot(out), s.new_in_place ? new_run : old_run) << s.step;
    // The next run removes what the killed one left.
    ASSERT_EQ(RunCli({"run", b, "--out", out, "--quiet"}, ""), 0);
    EXPECT_EQ(Snapshot(out), new_run) << s.step;
    EXPECT_EQ(Names(dir), (std::vector<std::string>{"a.json", "b.json", "out", "trades.csv"}))
        << s.step;
  }
}

// Waits (up to a minute) until `found` returns true; false on timeout.
template <typename F>
bool WaitFor(F found) {
  for (int i = 0; i < 6000; ++i) {
    if (found()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

bool HasEntryContaining(const std::string& dir, const std::string& part) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find(part) != std::string::npos) return true;
  }
  return false;
}

// SIGINT and SIGTERM in the middle of a run: exit status 130 and 143, the earlier run intact and
// no temporary left.
TEST(OutputSetKillTest, InterruptedRunRemovesItsStagingAndExits128PlusTheSignal) {
  const std::string dir = MakeTempDir("interrupt");
  // The built-in scenario runs long enough to be caught in the middle.
  ASSERT_EQ(RunCli({"run", "--out", dir + "/out", "--quiet"}, ""), 0);
  const std::string before = Snapshot(dir + "/out");
  for (const int sig : {SIGINT, SIGTERM}) {
    pid_t pid = -1;
    ASSERT_EQ(RunCli({"run", "--out", dir + "/out", "--quiet"}, "", &pid, /*wait=*/false), 0);
    // The staging folder exists from the start of the run to its end.
    ASSERT_TRUE(WaitFor([&] { return HasEntryContaining(dir, ".tapedeck-staging-"); }));
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;  // it finished first
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
    EXPECT_EQ(Names(dir), std::vector<std::string>{"out"});
    EXPECT_EQ(Snapshot(dir + "/out"), before);
  }
}

// convert interrupted leaves no file: neither the tape nor its temporary.
TEST(OutputSetKillTest, InterruptedConvertLeavesNoFile) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string input =
      ::tapedeck::testing::SharedData("binance_capture_20240808/usdm/btcusdt_20240808.gz");
  for (const int sig : {SIGINT, SIGTERM}) {
    const std::string dir = MakeTempDir(absl::StrCat("convert_", sig));
    pid_t pid = -1;
    ASSERT_EQ(RunCli({"convert", input, "--out", dir + "/x.tape", "--quiet"}, "", &pid, false), 0);
    ASSERT_TRUE(WaitFor([&] { return HasEntryContaining(dir, ".tmp-"); }));
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;  // it finished first
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
    EXPECT_TRUE(fs::is_empty(dir)) << Names(dir).size();
  }
}

}  // namespace
}  // namespace tapedeck::runner
