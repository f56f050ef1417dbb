// The plugin loader (core/plugin_loader.h) on real plugins built by tests/plugin/CMakeLists.txt:
// each refusal with its exact message, and the SMA strategy's own source built as a plugin
// giving the built-in's digest. Every test runs in its own process (gtest_discover_tests), so
// what one loads does not leak into another.
#include "core/plugin_loader.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/latency_model_registry.h"
#include "core/plugin.h"
#include "core/strategy_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runner/backtest.h"
#include "runner/run_config.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;

std::string Plugin(const std::string& name) {
  return std::filesystem::canonical(std::string(TAPEDECK_PLUGIN_DIR)).string() + "/lib" + name +
         ".so";
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(PluginLoaderTest, LoadsAStrategyOnceAndRemembersWhereItCameFrom) {
  ASSERT_EQ(FindStrategy("sma_crossover_plugin"), nullptr);
  ASSERT_THAT(LoadPlugin(Plugin("sma_plugin")), IsOk());
  ASSERT_THAT(LoadPlugin(Plugin("sma_plugin")), IsOk());  // loaded already: nothing happens
  const StrategyInfo* s = FindStrategy("sma_crossover_plugin");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->params.size(), FindStrategy("sma_crossover")->params.size());
  EXPECT_EQ(StrategyPlugin("sma_crossover_plugin"), Plugin("sma_plugin"));
  EXPECT_EQ(StrategyPlugin("sma_crossover"), "");
  ASSERT_EQ(LoadedPlugins().size(), 1u);
  EXPECT_EQ(LoadedPlugins()[0].strategies, std::vector<std::string>{"sma_crossover_plugin"});
}

TEST(PluginLoaderTest, MissingFile) {
  EXPECT_EQ(Message(LoadPlugin("/nonexistent/libx.so")), "plugin /nonexistent/libx.so: no such file");
}

TEST(PluginLoaderTest, NotASharedLibrary) {
  const std::string dir = testing::MakeTempDir("plugin_not_elf");
  testing::WriteFile(dir + "/libtext.so", std::string(256, 'x'));  // longer than an ELF header
  const std::string path = std::filesystem::canonical(dir + "/libtext.so").string();
  EXPECT_EQ(Message(LoadPlugin(path)),
            absl::StrCat("plugin ", path, ": cannot be loaded: ", path,
                         ": invalid ELF header"));
}

TEST(PluginLoaderTest, NoEntryPoint) {
  EXPECT_EQ(Message(LoadPlugin(Plugin("not_a_plugin"))),
            absl::StrCat("plugin ", Plugin("not_a_plugin"),
                         ": not a tapedeck plugin (it exports no tapedeck_plugin_v1; build it "
                         "with tapedeck_add_plugin)"));
}

TEST(PluginLoaderTest, OtherAbiVersion) {
  EXPECT_EQ(Message(LoadPlugin(Plugin("other_abi"))),
            absl::StrCat("plugin ", Plugin("other_abi"),
                         ": built for plugin ABI 999, this tapedeck loads plugin ABI ",
                         kPluginAbiVersion, "; rebuild the plugin against this tapedeck's SDK"));
}

TEST(PluginLoaderTest, OtherBuildFingerprint) {
  EXPECT_EQ(Message(LoadPlugin(Plugin("other_build"))),
            absl::StrCat("plugin ", Plugin("other_build"),
                         ": built with 'gcc 4.8, libstdc++ 4 cxx11-abi 0, C++ 201103L, Abseil 0 "
                         "options 0000', this tapedeck with '",
                         TAPEDECK_BUILD_FINGERPRINT,
                         "'; rebuild the plugin with the same compiler, standard library and "
                         "Abseil"));
}

TEST(PluginLoaderTest, NameOfABuiltInIsRefusedWhole) {
  const size_t before = Strategies().size();
  EXPECT_EQ(Message(LoadPlugin(Plugin("clash_builtin"))),
            absl::StrCat("plugin ", Plugin("clash_builtin"),
                         ": strategy 'sma_crossover' clashes with a built-in strategy; nothing "
                         "of this plugin was registered"));
  EXPECT_EQ(Strategies().size(), before);
  EXPECT_TRUE(LoadedPlugins().empty());
}

TEST(PluginLoaderTest, NameOfAnotherPluginIsRefused) {
  ASSERT_THAT(LoadPlugin(Plugin("twin_a")), IsOk());
  EXPECT_EQ(Message(LoadPlugin(Plugin("twin_b"))),
            absl::StrCat("plugin ", Plugin("twin_b"), ": strategy 'twin' clashes with plugin ",
                         Plugin("twin_a"), "; nothing of this plugin was registered"));
  EXPECT_EQ(StrategyPlugin("twin"), Plugin("twin_a"));
}

TEST(PluginLoaderTest, FactoryThatThrowsIsAnErrorNamingPluginAndStrategy) {
  ASSERT_THAT(LoadPlugin(Plugin("throwing")), IsOk());
  const nlohmann::json params = nlohmann::json::object();
  absl::StatusOr<ConfigObject> o = ConfigObject::Of(&params, "strategies[0].params");
  ASSERT_THAT(o.status(), IsOk());
  InstrumentTable instruments;
  EXPECT_EQ(Message(CreateStrategy("throwing", *o, instruments).status()),
            absl::StrCat("plugin ", Plugin("throwing"),
                         ": strategy 'throwing' threw while being built: no market today"));
}

TEST(PluginLoaderTest, LatencyModelFromAPlugin) {
  ASSERT_EQ(FindLatencyModel("jittered"), nullptr);
  ASSERT_THAT(LoadPlugin(Plugin("latency_example")), IsOk());
  ASSERT_NE(FindLatencyModel("jittered"), nullptr);
  ASSERT_EQ(LoadedPlugins().size(), 1u);
  EXPECT_EQ(LoadedPlugins()[0].latency_models, std::vector<std::string>{"jittered"});
}

TEST(PluginLoaderTest, SearchPathListsLibSoFilesInOrder) {
  const std::string a = testing::MakeTempDir("plugin_path_a");
  const std::string b = testing::MakeTempDir("plugin_path_b");
  for (const std::string& f : {a + "/libz.so", a + "/liba.so", a + "/notlib.so", a + "/libx.txt",
                               b + "/libm.so"}) {
    testing::WriteFile(f, "");
  }
  absl::StatusOr<std::vector<std::string>> found =
      PluginSearchPath(absl::StrCat(b, "::", a), "TAPEDECK_PLUGIN_PATH");
  ASSERT_THAT(found.status(), IsOk());
  EXPECT_EQ(*found, (std::vector<std::string>{b + "/libm.so", a + "/liba.so", a + "/libz.so"}));
  EXPECT_EQ(Message(PluginSearchPath("/nonexistent", "TAPEDECK_PLUGIN_PATH").status()),
            "TAPEDECK_PLUGIN_PATH: /nonexistent: no such directory");
}

TEST(PluginLoaderTest, EnvironmentSearchPathLoads) {
  ASSERT_EQ(setenv("TAPEDECK_PLUGIN_PATH", TAPEDECK_PLUGIN_DIR, 1), 0);
  // Every lib*.so of the folder, in name order: clash_builtin is first, and refused.
  EXPECT_EQ(Message(LoadPluginsFromEnvironment()),
            absl::StrCat("plugin ", Plugin("clash_builtin"),
                         ": strategy 'sma_crossover' clashes with a built-in strategy; nothing "
                         "of this plugin was registered"));
}

// The config's "plugins", relative to the config's folder; an error names the key.
TEST(PluginLoaderTest, ConfigPluginsAreRelativeToTheConfig) {
  const std::string dir = testing::MakeTempDir("plugin_config");
  std::filesystem::copy_file(Plugin("latency_example"), dir + "/libjitter.so");
  const nlohmann::json doc = nlohmann::json::parse(R"({
    "plugins": ["libjitter.so"], "seed": 1,
    "sources": [{"format": "scenario"}],
    "venue": {"latency": {"default": {"model": "jittered", "base": "5ms", "jitter": "1ms"}}},
    "strategies": [{"name": "dip_buyer", "params": {"instrument": "BTC-PERP"}}]})");
  absl::StatusOr<runner::RunConfig> rc = runner::ParseRunConfig(doc, dir + "/run.json", {});
  ASSERT_THAT(rc.status(), IsOk());
  const nlohmann::json bad = nlohmann::json::parse(R"({"plugins": ["nothere.so"]})");
  EXPECT_EQ(Message(runner::ParseRunConfig(bad, dir + "/run.json", {}).status()),
            absl::StrCat("plugins[0]: plugin ", dir, "/nothere.so: no such file"));
}

// Every command that builds strategies or venues loads --plugin and TAPEDECK_PLUGIN_PATH before
// its config, and stops with the loader's error and exit status 1.
TEST(PluginLoaderTest, CommandsLoadPluginsFirstAndFailClearly) {
  const std::string cli = testing::CliPath();
  std::string out;
  for (const std::string cmd : {"run", "sweep x.json --grid g.json", "paper --config x.json",
                                "fixsim --config x.json"}) {
    EXPECT_EQ(testing::Shell(absl::StrCat(cli, " ", cmd, " --plugin ", Plugin("other_abi"),
                                          " 2>&1"),
                             &out),
              1)
        << cmd;
    const std::string name = cmd.substr(0, cmd.find(' '));
    EXPECT_EQ(out, absl::StrCat("tapedeck ", name, ": plugin ", Plugin("other_abi"),
                                ": built for plugin ABI 999, this tapedeck loads plugin ABI ",
                                kPluginAbiVersion,
                                "; rebuild the plugin against this tapedeck's SDK\n"));
  }
  EXPECT_EQ(testing::Shell(absl::StrCat("TAPEDECK_PLUGIN_PATH=/nonexistent ", cli, " run 2>&1"),
                           &out),
            1);
  EXPECT_EQ(out, "tapedeck run: TAPEDECK_PLUGIN_PATH: /nonexistent: no such directory\n");
}

// `tapedeck strategies --plugin` lists a plugin's strategies beside the built-in ones, from the
// same registration.
TEST(PluginLoaderTest, StrategiesCommandListsAPluginsStrategies) {
  const std::string cli = testing::CliPath();
  std::string out;
  ASSERT_EQ(testing::Shell(absl::StrCat(cli, " strategies --json --plugin ", Plugin("sma_plugin")),
                           &out),
            0);
  const nlohmann::json list = nlohmann::json::parse(out);
  std::vector<std::string> names;
  for (const nlohmann::json& s : list["strategies"]) names.push_back(s["name"]);
  EXPECT_THAT(names, ::testing::Contains("sma_crossover_plugin"));
  EXPECT_THAT(names, ::testing::Contains("sma_crossover"));
  ASSERT_EQ(testing::Shell(absl::StrCat(cli, " strategies"), &out), 0);
  EXPECT_EQ(out.find("sma_crossover_plugin"), std::string::npos);
}

// The SMA strategy's own source as a plugin: the built-in's digest, byte for byte.
TEST(PluginLoaderTest, SmaAsPluginGivesTheBuiltInDigest) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ASSERT_THAT(LoadPlugin(Plugin("sma_plugin")), IsOk());
  const std::string path = testing::SourceDir() + "/configs/sma_ltcusdt_1m.json";
  nlohmann::json doc;
  ASSERT_THAT(LoadConfigJson(path, &doc), IsOk());
  std::string digests[2];
  for (int i = 0; i < 2; ++i) {
    if (i == 1) {
      doc["strategies"][0]["name"] = "sma_crossover_plugin";
      doc["strategies"][0]["label"] = "sma_crossover";
    }
    absl::StatusOr<runner::RunConfig> rc = runner::ParseRunConfig(doc, path, {});
    ASSERT_THAT(rc.status(), IsOk());
    absl::StatusOr<runner::RunResult> r =
        runner::RunBacktest(*rc, rc->strategies[0], runner::RunOptions{});
    ASSERT_THAT(r.status(), IsOk());
    digests[i] = r->digests.RunHex();
  }
  EXPECT_EQ(digests[0], digests[1]);
}

}  // namespace
}  // namespace tapedeck
