// The command line as a whole: the README's command table lists exactly the program's commands
// and each of them is run by a test; every option a command accepts is in its --help; --version;
// the bash completion and the man page generated from the command table work; and (at the end)
// `tapedeck strategies` and `tapedeck new strategy`.
#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/strategy_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::SourceDir;
using ::testing::HasSubstr;

struct Output {
  int exit_code = -1;
  std::string out;
};

Output Tapedeck(const std::string& args) {
  Output r;
  r.exit_code = Shell(absl::StrCat(CliPath(), " ", args, " 2>&1"), &r.out);
  return r;
}

// The commands `tapedeck --help` lists, in its order.
std::vector<std::string> ProgramCommands() {
  const Output help = Tapedeck("--help");
  std::vector<std::string> out;
  bool in_list = false;
  for (absl::string_view line : absl::StrSplit(help.out, '\n')) {
    if (line == "commands:") {
      in_list = true;
    } else if (in_list && absl::StartsWith(line, "  ")) {
      out.emplace_back(absl::StripAsciiWhitespace(line.substr(0, line.find(' ', 2))));
    } else if (in_list) {
      break;
    }
  }
  return out;
}

// The command of each row of the README's command table ("| `tapedeck run ...` | ...").
std::vector<std::string> ReadmeCommands() {
  std::vector<std::string> out;
  const std::regex row(R"(^\| `tapedeck ([a-z-]+)[ `])");
  for (absl::string_view line : absl::StrSplit(ReadFile(SourceDir() + "/README.md"), '\n')) {
    std::smatch m;
    const std::string l(line);
    if (std::regex_search(l, m, row)) out.push_back(m[1]);
  }
  return out;
}

// Where each command is run as a process, and what that test file runs it with.
const std::map<std::string, std::pair<std::string, std::string>>& TestOfCommand() {
  static const auto* kTests = new std::map<std::string, std::pair<std::string, std::string>>{
      {"run", {"tests/apps/run_command_test.cc", "\"run configs/sma_ltcusdt_1m.json"}},
      {"convert", {"tests/apps/convert_test.cc", "RunCli(\"convert "}},
      {"inspect", {"tests/apps/convert_test.cc", "RunCli(\"inspect "}},
      {"fixsim", {"tests/adapters/paper_e2e_test.cc", " fixsim --config "}},
      {"gen", {"tests/apps/commands_test.cc", "Tapedeck(\"gen deleveraging"}},
      {"paper", {"tests/adapters/paper_e2e_test.cc", " paper --config "}},
      {"report", {"tests/analysis/report_test.cc", "CliPath(), \" report \", copy"}},
      {"compare", {"tests/analysis/report_test.cc", "CliPath(), \" compare \", dir"}},
      {"sweep", {"tests/analysis/sweep_test.cc", "Cli(\"sweep \""}},
      {"sweep-merge", {"tests/analysis/sweep_test.cc", "Cli(\"sweep-merge "}},
      {"strategies", {"tests/apps/commands_test.cc", "Tapedeck(\"strategies"}},
      {"new", {"tests/apps/commands_test.cc", "Tapedeck(absl::StrCat(\"new strategy "}},
  };
  return *kTests;
}

TEST(CommandsTest, TheReadmeTableListsEveryCommandAndATestRunsEach) {
  const std::vector<std::string> program = ProgramCommands();
  ASSERT_GE(program.size(), 10u);
  std::vector<std::string> readme = ReadmeCommands();
  std::vector<std::string> sorted_program = program;
  std::sort(sorted_program.begin(), sorted_program.end());
  std::sort(readme.begin(), readme.end());
  EXPECT_EQ(readme, sorted_program) << "README.md's command table and `tapedeck --help` differ";
  for (const std::string& c : program) {
    auto it = TestOfCommand().find(c);
    ASSERT_NE(it, TestOfCommand().end()) << "no test runs `tapedeck " << c << "`";
    const std::string text = ReadFile(SourceDir() + "/" + it->second.first);
    EXPECT_THAT(text, HasSubstr(it->second.second)) << c << " in " << it->second.first;
  }
}

// The README stays an introduction (under ~180 lines; the rest is in docs/), and no link of the
// README or docs/, nor any docs/ file a command's help names, points at a missing file.
TEST(CommandsTest, TheReadmeIsShortAndEveryDocumentLinkResolves) {
  const std::string readme = ReadFile(SourceDir() + "/README.md");
  EXPECT_LE(std::count(readme.begin(), readme.end(), '\n'), 180);
  std::vector<std::string> pages = {"README.md"};
  for (const auto& e : std::filesystem::directory_iterator(SourceDir() + "/docs")) {
    if (e.path().extension() == ".md") pages.push_back("docs/" + e.path().filename().string());
  }
  const std::regex link(R"(\]\(([^)#:]+)(#[^)]*)?\))");
  size_t links = 0;
  for (const std::string& page : pages) {
    const std::string text = ReadFile(SourceDir() + "/" + page);
    const std::filesystem::path base = std::filesystem::path(SourceDir() + "/" + page).parent_path();
    for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
      EXPECT_TRUE(std::filesystem::exists(base / (*it)[1].str())) << page << " links " << (*it)[1];
      ++links;
    }
  }
  EXPECT_GE(links, 10u);
  const std::regex doc(R"(docs/[a-z_.]+\.(md|json))");
  for (const std::string& c : ProgramCommands()) {
    const std::string help = Tapedeck(c + " --help").out;
    for (std::sregex_iterator it(help.begin(), help.end(), doc), end; it != end; ++it) {
      EXPECT_TRUE(std::filesystem::exists(SourceDir() + "/" + (*it)[0].str())) << c << " --help names " << (*it)[0];
    }
  }
}

TEST(CommandsTest, EveryOptionACommandAcceptsIsInItsHelp) {
  // The completion script is generated from each command's own parser: its option lists are
  // what the command accepts.
  const Output completion = Tapedeck("--bash-completion");
  ASSERT_EQ(completion.exit_code, 0);
  const std::regex arm(R"re(\n    ([a-z-]+)\)\n      opts="([^"]*)")re");
  size_t commands = 0;
  for (std::sregex_iterator it(completion.out.begin(), completion.out.end(), arm), end; it != end; ++it) {
    const std::string command = (*it)[1];
    const Output help = Tapedeck(command + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_THAT(help.out, ::testing::StartsWith("usage: tapedeck " + command + " ")) << command;
    for (absl::string_view opt : absl::StrSplit((*it)[2].str(), ' ', absl::SkipEmpty())) {
      if (opt == "--help") continue;
      EXPECT_THAT(help.out, HasSubstr(std::string(opt))) << command << " --help omits " << opt;
    }
    ++commands;
  }
  EXPECT_EQ(commands, ProgramCommands().size());
  // sweep-merge has its own page, and sweep's documents the grid and the metrics.
  EXPECT_THAT(Tapedeck("sweep-merge --help").out, ::testing::StartsWith("usage: tapedeck sweep-merge"));
  const std::string sweep = Tapedeck("sweep --help").out;
  for (const char* part : {"\"params\"", "\"range\"", "\"objective\"", "\"constraints\"",
                           "\"mode\"", "max_drawdown", "sharpe", "--resume"}) {
    EXPECT_THAT(sweep, HasSubstr(part));
  }
  // No pointer into the sources (it sent readers to apps/sweep.h for the grid format).
  EXPECT_FALSE(std::regex_search(sweep, std::regex(R"([a-z_]+\.h\b)"))) << sweep;
}

TEST(CommandsTest, VersionNamesReleaseCommitAndPluginAbi) {
  const Output v = Tapedeck("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(std::regex_match(
      v.out, std::regex(R"(tapedeck [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-z-]+, plugin ABI [0-9]+\)\n)")))
      << v.out;
}

TEST(CommandsTest, BashCompletionCompletesCommandsAndOptions) {
  const std::string dir = MakeTempDir("completion");
  std::string out;
  const std::string script = absl::StrCat(
      "source <(", CliPath(), " --bash-completion)\n",
      "COMP_WORDS=(tapedeck sw); COMP_CWORD=1; _tapedeck; echo \"1:${COMPREPLY[*]}\"\n",
      "COMP_WORDS=(tapedeck sweep --re); COMP_CWORD=2; _tapedeck; echo \"2:${COMPREPLY[*]}\"\n",
      "COMP_WORDS=(tapedeck run --seed ''); COMP_CWORD=3; _tapedeck; echo \"3:${COMPREPLY[*]}\"\n",
      "cd ", dir, " && touch a.json && COMP_WORDS=(tapedeck run a); COMP_CWORD=2; _tapedeck; "
      "echo \"4:${COMPREPLY[*]}\"\n",
      "complete -p tapedeck\n");
  ASSERT_EQ(Shell("bash -c '" + std::regex_replace(script, std::regex("'"), "'\\''") + "' 2>&1", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("1:sweep sweep-merge\n"));
  EXPECT_THAT(out, HasSubstr("2:--resume\n"));
  EXPECT_THAT(out, HasSubstr("3:\n"));  // a count: nothing to complete
  EXPECT_THAT(out, HasSubstr("4:a.json\n"));
  EXPECT_THAT(out, HasSubstr("-F _tapedeck tapedeck"));
}

TEST(CommandsTest, TheManPageHasEveryCommandAndFormatsWithoutWarnings) {
  const std::string dir = MakeTempDir("man");
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " --man > ", dir, "/tapedeck.1"), &out), 0);
  const std::string page = ReadFile(dir + "/tapedeck.1");
  EXPECT_THAT(page, ::testing::StartsWith(".\\\" tapedeck(1)"));
  for (const std::string& c : ProgramCommands()) EXPECT_THAT(page, HasSubstr(".SS \"tapedeck " + c + "\""));
  if (Shell("command -v groff >/dev/null", &out) != 0) GTEST_SKIP() << "groff is not installed";
  // -ww: every warning; -z: no output. A clean page prints nothing.
  ASSERT_EQ(Shell(absl::StrCat("groff -man -Tutf8 -ww -z ", dir, "/tapedeck.1 2>&1"), &out), 0);
  EXPECT_EQ(out, "");
  ASSERT_EQ(Shell(absl::StrCat("groff -man -Tutf8 ", dir, "/tapedeck.1 2>/dev/null"), &out), 0);
  // Options keep ASCII hyphens (\- in roff), so they copy and paste as typed.
  EXPECT_THAT(out, HasSubstr("  --resume         go on with"));
}

TEST(CommandsTest, GenWritesTheScenarioTapeThatInspectReads) {
  const std::string dir = MakeTempDir("gen");
  const Output gen = Tapedeck("gen deleveraging --seed 7 --out " + dir);
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  EXPECT_THAT(gen.out, HasSubstr(dir + "/deleveraging.tape: "));
  EXPECT_TRUE(std::filesystem::exists(dir + "/deleveraging.params.json"));
  const Output inspect = Tapedeck("inspect " + dir + "/deleveraging.tape --events 1");
  ASSERT_EQ(inspect.exit_code, 0) << inspect.out;
  EXPECT_THAT(inspect.out, HasSubstr("BTC-SPOT"));
  // Not a terminal: no progress line, no carriage return.
  EXPECT_EQ(gen.out.find('\r'), std::string::npos);
  EXPECT_THAT(Tapedeck("gen deleveraging --out " + dir).out, HasSubstr("--seed N is required"));
}

TEST(CommandsTest, SummariesCarryTheVersion) {
  const std::string dir = MakeTempDir("version") + "/out";
  const Output r = Tapedeck("run --quiet --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string version = Tapedeck("--version").out.substr(9, Tapedeck("--version").out.find(' ', 9) - 9);
  for (const std::string& f : {dir + "/summary.json", dir + "/dip_buyer/summary.json"}) {
    EXPECT_EQ(nlohmann::json::parse(ReadFile(f))["version"], version) << f;
  }
}

// `tapedeck strategies` lists what the registry holds (names, parameters, types, defaults), in
// text and as JSON; `tapedeck new strategy` writes a project or refuses with a clear error.
TEST(StrategiesCommandTest, TextListsEveryRegisteredStrategyAndParameter) {
  const Output r = Tapedeck("strategies");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_GE(Strategies().size(), 4u);
  for (const StrategyInfo& s : Strategies()) {
    EXPECT_THAT(r.out, HasSubstr(absl::StrCat(s.name, ": ", s.description, "\n"))) << s.name;
    EXPECT_THAT(r.out, HasSubstr(absl::StrCat("example: {\"name\": \"", s.name, "\""))) << s.name;
    for (const ParamDoc& p : s.params) {
      EXPECT_THAT(r.out, HasSubstr(p.description)) << s.name << "." << p.name;
    }
  }
  // A row: name, type, default, description, in columns.
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\n    fast +integer +10 +window of the fast average"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\n    instrument +symbol +required +the traded"));
}

TEST(StrategiesCommandTest, JsonIsTheRegistration) {
  const Output r = Tapedeck("strategies --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "tapedeck.strategies/1");
  ASSERT_EQ(j["strategies"].size(), Strategies().size());
  for (size_t i = 0; i < Strategies().size(); ++i) {
    const StrategyInfo& s = Strategies()[i];
    const nlohmann::json& js = j["strategies"][i];
    EXPECT_EQ(js["name"], s.name);
    EXPECT_EQ(js["example_params"], s.example_params);
    ASSERT_EQ(js["params"].size(), s.params.size()) << s.name;
    for (size_t k = 0; k < s.params.size(); ++k) {
      EXPECT_EQ(js["params"][k]["name"], s.params[k].name);
      EXPECT_EQ(js["params"][k]["type"], s.params[k].type);
      EXPECT_EQ(js["params"][k]["default"], s.params[k].default_value);
      EXPECT_EQ(js["params"][k]["required"], s.params[k].required);
    }
  }
  EXPECT_EQ(Tapedeck("strategies --jsn").exit_code, 2);
}

TEST(NewCommandTest, WritesTheProjectAndRefusesToOverwriteIt) {
  const std::string dir = MakeTempDir("new_command");
  const Output r = Tapedeck(absl::StrCat("new strategy funding_carry --dir ", dir, "/projects"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("wrote " + dir + "/projects/funding_carry/"));
  for (const char* f : {"CMakeLists.txt", "src/funding_carry.cc", "configs/funding_carry.json",
                        "tests/funding_carry_test.cc", "README.md"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/projects/funding_carry/" + f)) << f;
  }
  // Nothing else left beside it (the temporary folder was renamed into place).
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir + "/projects")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  const Output again = Tapedeck(absl::StrCat("new strategy funding_carry --dir ", dir, "/projects"));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.out, HasSubstr("funding_carry: exists and is not empty"));
}

TEST(NewCommandTest, ABadNameIsAClearError) {
  const std::string dir = MakeTempDir("new_bad");
  const auto error = [&](const std::string& name) {
    const Output r = Tapedeck(absl::StrCat("new strategy ", name, " --dir ", dir));
    EXPECT_EQ(r.exit_code, 1) << name;
    return r.out;
  };
  EXPECT_THAT(error("sma_crossover"),
              HasSubstr("tapedeck new: strategy name 'sma_crossover': a built-in strategy has "
                        "that name"));
  EXPECT_THAT(error("2fast"), HasSubstr("'2fast': not a C++ identifier (starts with a digit)"));
  EXPECT_THAT(error("my-strat"), HasSubstr("'my-strat': not a C++ identifier ('-'"));
  EXPECT_THAT(error("namespace"), HasSubstr("'namespace': a C++ keyword"));
  EXPECT_THAT(error("_x"), HasSubstr("'_x': reserved in C++"));
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  EXPECT_EQ(Tapedeck("new strategy").exit_code, 2);
  EXPECT_THAT(Tapedeck("new project x").out, HasSubstr("tapedeck new strategy NAME"));
}

}  // namespace
}  // namespace tapedeck
