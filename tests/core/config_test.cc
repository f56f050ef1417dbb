// core/config: durations need a unit, input paths resolve against the config's folder and are
// recorded, a directory is not a JSON file.
#include "core/config.h"

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseDurationTest, ReadsEveryUnitExactly) {
  EXPECT_EQ(ParseDuration("250ns")->ns, 250);
  EXPECT_EQ(ParseDuration("10us")->ns, 10'000);
  EXPECT_EQ(ParseDuration("1.5ms")->ns, 1'500'000);
  EXPECT_EQ(ParseDuration("2s")->ns, 2'000'000'000);
  EXPECT_EQ(ParseDuration("5m")->ns, 300'000'000'000);
  EXPECT_EQ(ParseDuration("1h")->ns, 3'600'000'000'000);
  EXPECT_EQ(ParseDuration("3d")->ns, 259'200'000'000'000);
  EXPECT_EQ(ParseDuration("0")->ns, 0);
}

TEST(ParseDurationTest, ANumberWithoutAUnitIsAnError) {
  // `paper --duration 5` used to mean 5 ns.
  EXPECT_THAT(ParseDuration("5"), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("duration '5' has no unit")));
  EXPECT_THAT(ParseDuration("-3"), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("has no unit")));
  EXPECT_THAT(ParseDuration("1.5"), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("not a duration: '1.5'")));
  EXPECT_THAT(ParseDuration("5 min"), StatusIs(absl::StatusCode::kInvalidArgument,
                                               HasSubstr("not a duration")));
}

TEST(ConfigObjectTest, ABareNumberAsADurationIsAnErrorNamingTheKey) {
  const nlohmann::json doc = nlohmann::json::parse(R"({"a": 5, "b": 0, "c": "2ms"})");
  ConfigObject o(&doc, "venue");
  Duration d;
  EXPECT_THAT(o.DurationValue("a", &d),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("venue.a: duration '5' has no unit")));
  ASSERT_THAT(o.DurationValue("b", &d), IsOk());
  EXPECT_EQ(d.ns, 0);
  ASSERT_THAT(o.DurationValue("c", &d), IsOk());
  EXPECT_EQ(d.ns, 2'000'000);
}

TEST(ConfigObjectTest, InputPathsResolveAgainstTheConfigFolderAndAreRecorded) {
  const nlohmann::json doc = nlohmann::json::parse(R"({
    "sources": [{"path": "../data/a.csv"}, {"path": "/abs/b.csv"}],
    "venue": {"latency": {"default": {"file": "latency/x.csv"}}}
  })");
  ConfigInputs inputs;
  inputs.base_dir = "repo/configs";
  ConfigObject root(&doc, "");
  root.set_inputs(&inputs);
  absl::StatusOr<std::vector<ConfigObject>> sources = root.ObjectArray("sources");
  ASSERT_THAT(sources, IsOk());
  std::string a, b, file;
  ASSERT_THAT((*sources)[0].InputPath("path", &a), IsOk());
  ASSERT_THAT((*sources)[1].InputPath("path", &b), IsOk());
  absl::StatusOr<ConfigObject> venue = root.Object("venue");
  ASSERT_THAT(venue, IsOk());
  absl::StatusOr<ConfigObject> latency = venue->Object("latency");
  ASSERT_THAT(latency, IsOk());
  absl::StatusOr<ConfigObject> def = latency->Object("default");
  ASSERT_THAT(def, IsOk());
  ASSERT_THAT(def->InputPath("file", &file), IsOk());
  EXPECT_EQ(a, "repo/data/a.csv");
  EXPECT_EQ(b, "/abs/b.csv");
  EXPECT_EQ(file, "repo/configs/latency/x.csv");
  ASSERT_EQ(inputs.read.size(), 3u);
  EXPECT_EQ(inputs.read[0], std::make_pair(std::string("sources[0].path"), std::string("../data/a.csv")));
  EXPECT_EQ(inputs.read[2].first, "venue.latency.default.file");
  // Without ConfigInputs a path stays relative to the working directory.
  ConfigObject plain(&doc["sources"][0], "sources[0]");
  std::string c;
  ASSERT_THAT(plain.InputPath("path", &c), IsOk());
  EXPECT_EQ(c, "../data/a.csv");
}

TEST(ConfigDirTest, IsTheFolderOfTheFile) {
  EXPECT_EQ(ConfigDir("configs/x.json"), "configs");
  EXPECT_EQ(ConfigDir("x.json"), "");
  EXPECT_EQ(ConfigDir("/etc/tapedeck/x.json"), "/etc/tapedeck");
  EXPECT_EQ(ResolveInputPath("", "a/b.csv"), "a/b.csv");
  EXPECT_EQ(ResolveInputPath("configs", "../../shared/x.csv"), "../shared/x.csv");
}

TEST(LoadJsonFileTest, ADirectoryIsNamedAsOne) {
  const std::string dir = MakeTempDir("json_dir");
  nlohmann::json j;
  EXPECT_THAT(LoadJsonFile(dir, &j), StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr(dir + ": is a directory, not a JSON file")));
  EXPECT_THAT(LoadJsonFile(dir + "/missing.json", &j),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.json: cannot open")));
}

TEST(ParseTimestampTest, ReadsIsoAndIntegerTimes) {
  ASSERT_THAT(ParseTimestamp("2026-02-05T00:00:00.5Z"), IsOk());
  EXPECT_EQ(ParseTimestamp("2026-02-05T00:00:00.5Z")->ns, 1770249600500000000);
  EXPECT_EQ(ParseTimestamp("1770249600500000000")->ns, 1770249600500000000);
}

// int64 nanoseconds end at 2262-04-11T23:47:16.854775807Z; later (or before 1677) times used to
// wrap to dates in 1677-1715.
TEST(ParseTimestampTest, TimesBeyondInt64NanosecondsAreErrors) {
  EXPECT_EQ(ParseTimestamp("2262-04-11T23:47:16.854775807Z")->ns, INT64_MAX);
  EXPECT_EQ(ParseTimestamp("1677-09-21T00:12:43.145224192Z")->ns, INT64_MIN);
  for (const char* t : {"2262-04-11T23:47:16.854775808Z", "2262-04-12T00:00:00Z",
                        "9999-12-31T23:59:59Z", "1677-09-21T00:12:43.145224191Z",
                        "0001-01-01T00:00:00Z"}) {
    EXPECT_THAT(ParseTimestamp(t),
                StatusIs(absl::StatusCode::kOutOfRange,
                         HasSubstr(absl::StrCat("time '", t, "' is outside what int64 nanoseconds "
                                                "hold (1677-09-21T00:12:43.145224192Z to "
                                                "2262-04-11T23:47:16.854775807Z)"))))
        << t;
  }
}

TEST(ParseDurationTest, ReadsUnitsExactly) {
  EXPECT_EQ(ParseDuration("1.5ms")->ns, 1'500'000);
  EXPECT_EQ(ParseDuration("250ns")->ns, 250);
  EXPECT_EQ(ParseDuration("3d")->ns, 3 * 86'400'000'000'000);
  EXPECT_EQ(ParseDuration("106751d")->ns, 106751 * 86'400'000'000'000);
}

// "9999999d" wrapped to a negative duration, reported as "must be >= 0".
TEST(ParseDurationTest, DurationsBeyondInt64NanosecondsAreErrors) {
  for (const char* d : {"9999999d", "106752d", "99999999999h", "-9999999d"}) {
    EXPECT_THAT(ParseDuration(d),
                StatusIs(absl::StatusCode::kOutOfRange,
                         HasSubstr(absl::StrCat("duration '", d, "' is beyond what int64 "
                                                "nanoseconds hold"))))
        << d;
  }
  EXPECT_THAT(ParseDuration("1e3ms"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a duration: '1e3ms'")));
}

}  // namespace
}  // namespace tapedeck
