// The strategy table (core/strategy_registry.h) as the built-in strategies fill it: every strategy
// source under strategies/ registers (the library is linked whole, so the linker keeps
// registrations nothing references), each with documented parameters and example parameters
// that build on the scenario's instruments.
#include "core/strategy_registry.h"

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/scenario.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

// The names registered by the sources under strategies/: the first string after each
// RegisterStrategy<...>(.
std::vector<std::string> NamesInSources() {
  std::vector<std::string> names;
  const std::regex registration(R"re(RegisterStrategy<\w+>\(\s*"([a-z0-9_]+)")re");
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/strategies")) {
    if (entry.path().extension() != ".cc") continue;
    const std::string text = ReadFile(entry.path().string());
    for (std::sregex_iterator it(text.begin(), text.end(), registration), end; it != end; ++it) {
      names.push_back((*it)[1].str());
    }
  }
  return names;
}

InstrumentTable ScenarioTable() {
  InstrumentTable t;
  for (Instrument& in : replay::ScenarioInstruments(replay::ScenarioParams())) {
    EXPECT_THAT(t.Add(in), IsOk());
  }
  return t;
}

TEST(StrategyRegistryTest, EveryStrategySourceRegisters) {
  const std::vector<std::string> names = NamesInSources();
  // One registration per strategy source: each header under strategies/ declaring a Strategy
  // has a source with one.
  size_t strategy_headers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/strategies")) {
    if (entry.path().extension() != ".h") continue;
    if (ReadFile(entry.path().string()).find("public Strategy {") != std::string::npos) {
      ++strategy_headers;
    }
  }
  EXPECT_EQ(names.size(), strategy_headers);
  for (const std::string& name : names) {
    EXPECT_NE(FindStrategy(name), nullptr) << name << " is in the sources but not in the table";
  }
  EXPECT_EQ(Strategies().size(), names.size());
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
}

TEST(StrategyRegistryTest, TheTableIsInNameOrder) {
  const std::vector<StrategyInfo>& all = Strategies();
  ASSERT_FALSE(all.empty());
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].name, all[i].name);
}

TEST(StrategyRegistryTest, EveryParameterIsDocumented) {
  for (const StrategyInfo& s : Strategies()) {
    EXPECT_FALSE(s.description.empty()) << s.name;
    ASSERT_FALSE(s.params.empty()) << s.name;
    std::set<std::string> seen;
    for (const ParamDoc& p : s.params) {
      EXPECT_TRUE(seen.insert(p.name).second) << s.name << "." << p.name << " twice";
      EXPECT_FALSE(p.type.empty()) << s.name << "." << p.name;
      EXPECT_FALSE(p.description.empty()) << s.name << "." << p.name;
      // A default unless required (an optional symbol's default is none).
      EXPECT_TRUE(p.required || !p.default_value.empty() || p.type == "symbol")
          << s.name << "." << p.name;
    }
  }
}

TEST(StrategyRegistryTest, ExampleParametersBuildOnTheScenario) {
  const InstrumentTable t = ScenarioTable();
  for (const StrategyInfo& s : Strategies()) {
    ConfigObject params(&s.example_params, "strategies[0].params");
    EXPECT_THAT(CreateStrategy(s.name, params, t), IsOk()) << s.name;
  }
}

TEST(StrategyRegistryTest, UnknownParametersAreErrorsNamingTheirPath) {
  const InstrumentTable t = ScenarioTable();
  for (const StrategyInfo& s : Strategies()) {
    nlohmann::json bad = s.example_params;
    bad["no_such_param"] = 1;
    ConfigObject params(&bad, "strategies[1].params");
    EXPECT_THAT(CreateStrategy(s.name, params, t),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("strategies[1].params.no_such_param")))
        << s.name;
  }
}

TEST(StrategyRegistryTest, AnUnknownNameListsTheKnownOnes) {
  const InstrumentTable t = ScenarioTable();
  nlohmann::json none = nlohmann::json::object();
  ConfigObject params(&none, "params");
  EXPECT_THAT(CreateStrategy("no_such_strategy", params, t),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown strategy 'no_such_strategy' (known: basis_reentry, ")));
}

TEST(StrategyRegistryTest, ASecondStrategyOfTheSameNameIsRefused) {
  StrategyInfo again;
  again.name = "sma_crossover";
  again.description = "an impostor";
  EXPECT_THAT(AddStrategy(again),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("sma_crossover")));
  EXPECT_NE(FindStrategy("sma_crossover")->description, "an impostor");
}

}  // namespace
}  // namespace tapedeck
