// `tapedeck strategies` lists what the registry holds (names, parameters, types, defaults), in
// text and as JSON; `tapedeck new strategy` writes a project or refuses with a clear error.
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/strategy_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::Shell;
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
