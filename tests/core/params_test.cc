// Parameters declared once (core/params.h): the declaration reads a config and documents itself.
#include "core/params.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/engine_test_util.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

enum class Mode : uint8_t { kFast, kSlow };

struct Toy {
  InstrumentId instrument;
  std::optional<InstrumentId> hedge;
  Qty qty;
  Qty limit;
  int window = 20;
  int64_t bps = -150;
  bool enabled = true;
  Duration wait = Duration::Minutes(90);
  Money notional = Money(2'500 * Money::kOne);
  Mode mode = Mode::kSlow;
};

absl::Status CheckToy(const Toy& p, const ConfigObject& c, const InstrumentTable&) {
  if (p.window < 1) return c.Error("window", "must be at least 1");
  return absl::OkStatus();
}

const ParamTable<Toy> kToy(
    {Param<Toy>::Symbol("instrument", &Toy::instrument, "traded").Default("AAA"),
     Param<Toy>::OptionalSymbol("hedge", &Toy::hedge, "hedged on, if any"),
     Param<Toy>::Quantity("qty", &Toy::qty, &Toy::instrument, "per order").DefaultLots(3),
     Param<Toy>::Quantity("limit", &Toy::limit, &Toy::instrument, "position cap").Default("0.5"),
     Param<Toy>::Int("window", &Toy::window, "prices averaged"),
     Param<Toy>::Int("bps", &Toy::bps, "offset"),
     Param<Toy>::Bool("enabled", &Toy::enabled, "trades at all"),
     Param<Toy>::DurationOf("wait", &Toy::wait, "between orders"),
     Param<Toy>::MoneyOf("notional", &Toy::notional, "per order"),
     Param<Toy>::Choice("mode", &Toy::mode, {{"fast", Mode::kFast}, {"slow", Mode::kSlow}},
                        "how eager")},
    &CheckToy);

InstrumentTable Table() {
  InstrumentTable t;
  EXPECT_THAT(t.Add(testing::CentsInstrument("AAA")), IsOk());
  EXPECT_THAT(t.Add(testing::CentsInstrument("BBB")), IsOk());
  return t;
}

absl::StatusOr<Toy> Parse(const nlohmann::json& j) {
  const InstrumentTable t = Table();
  ConfigObject c(&j, "strategies[2].params");
  return kToy.Parse(c, t);
}

TEST(ParamTableTest, DocumentsEveryParameterWithTypeAndDefault) {
  const std::vector<ParamDoc> docs = kToy.Docs();
  ASSERT_EQ(docs.size(), 10u);
  auto doc = [&](const std::string& name) {
    for (const ParamDoc& d : docs) {
      if (d.name == name) return d;
    }
    ADD_FAILURE() << name;
    return ParamDoc();
  };
  EXPECT_EQ(docs[0].name, "instrument");  // declaration order
  EXPECT_EQ(doc("instrument").type, "symbol");
  EXPECT_EQ(doc("instrument").default_value, "AAA");
  EXPECT_EQ(doc("hedge").default_value, "");
  EXPECT_EQ(doc("qty").type, "quantity");
  EXPECT_EQ(doc("qty").default_value, "3 lots");
  EXPECT_EQ(doc("limit").default_value, "0.5");
  EXPECT_EQ(doc("window").type, "integer");
  EXPECT_EQ(doc("window").default_value, "20");
  EXPECT_EQ(doc("bps").default_value, "-150");
  EXPECT_EQ(doc("enabled").default_value, "true");
  EXPECT_EQ(doc("wait").type, "duration");
  EXPECT_EQ(doc("wait").default_value, "90m");
  EXPECT_EQ(doc("notional").type, "money");
  EXPECT_EQ(doc("notional").default_value, "2500");
  EXPECT_EQ(doc("mode").type, "one of fast | slow");
  EXPECT_EQ(doc("mode").default_value, "slow");
  EXPECT_EQ(doc("mode").description, "how eager");
  EXPECT_FALSE(doc("window").required);
}

TEST(ParamTableTest, DefaultsWhenNothingIsGiven) {
  absl::StatusOr<Toy> p = Parse(nlohmann::json::object());
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->instrument, InstrumentId(0));
  EXPECT_FALSE(p->hedge.has_value());
  EXPECT_EQ(p->qty, Qty(3 * testing::CentsInstrument("AAA").lot_size.raw));
  const int scale = testing::CentsInstrument("AAA").qty_scale;
  EXPECT_EQ(p->limit, Qty(ParseDecimal("0.5", scale).value()));
  EXPECT_EQ(p->window, 20);
  EXPECT_TRUE(p->enabled);
  EXPECT_EQ(p->wait, Duration::Minutes(90));
  EXPECT_EQ(p->notional, Money(2'500 * Money::kOne));
  EXPECT_EQ(p->mode, Mode::kSlow);
}

TEST(ParamTableTest, ReadsEveryKind) {
  absl::StatusOr<Toy> p = Parse({{"instrument", "BBB"}, {"hedge", "AAA"}, {"qty", "2"},
                                 {"window", 7}, {"bps", 12}, {"enabled", false}, {"wait", "2s"},
                                 {"notional", "10.5"}, {"mode", "fast"}});
  ASSERT_THAT(p, IsOk());
  const int scale = testing::CentsInstrument("BBB").qty_scale;
  EXPECT_EQ(p->instrument, InstrumentId(1));
  EXPECT_EQ(p->hedge, InstrumentId(0));
  EXPECT_EQ(p->qty, Qty(ParseDecimal("2", scale).value()));
  EXPECT_EQ(p->window, 7);
  EXPECT_EQ(p->bps, 12);
  EXPECT_FALSE(p->enabled);
  EXPECT_EQ(p->wait, Duration::Seconds(2));
  EXPECT_EQ(p->notional, Money(10 * Money::kOne + Money::kOne / 2));
  EXPECT_EQ(p->mode, Mode::kFast);
}

TEST(ParamTableTest, ErrorsNameTheKeyPath) {
  EXPECT_THAT(Parse({{"windw", 3}}), StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr("strategies[2].params.windw")));
  EXPECT_THAT(Parse({{"window", "3"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("strategies[2].params.window: expected an integer")));
  EXPECT_THAT(Parse({{"instrument", "ZZZ"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("strategies[2].params.instrument: ")));
  EXPECT_THAT(Parse({{"mode", "medium"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("strategies[2].params.mode")));
  // The check runs after every key was read, and names its key.
  EXPECT_THAT(Parse({{"window", 0}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("strategies[2].params.window: must be at least 1")));
}

TEST(ParamTableTest, ARequiredParameterMustBeGiven) {
  struct One {
    InstrumentId instrument;
  };
  const ParamTable<One> table(
      {Param<One>::Symbol("instrument", &One::instrument, "traded").Required()});
  EXPECT_TRUE(table.Docs()[0].required);
  const InstrumentTable t = Table();
  nlohmann::json empty = nlohmann::json::object();
  ConfigObject c(&empty, "params");
  EXPECT_THAT(table.Parse(c, t),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("params.instrument: required key is missing")));
}

TEST(FormatDurationTextTest, LargestExactUnit) {
  EXPECT_EQ(FormatDurationText(Duration::Hours(48)), "2d");
  EXPECT_EQ(FormatDurationText(Duration::Minutes(90)), "90m");
  EXPECT_EQ(FormatDurationText(Duration::Millis(1500)), "1500ms");
  EXPECT_EQ(FormatDurationText(Duration(7)), "7ns");
  EXPECT_EQ(FormatDurationText(Duration()), "0");
}

}  // namespace
}  // namespace tapedeck
