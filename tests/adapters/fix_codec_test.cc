#include "adapters/fix_codec.h"

#include "adapters/fix_dictionary.h"
#include "adapters/fix_session_config.h"
#include "core/config.h"
#include "quickfix/DataDictionary.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::IsOk;

TEST(FixCodecTest, DateAndTimeRoundTripToTheNanosecond) {
  const int64_t ns = 1'770'296'400'123'456'789;  // 2026-02-05T13:00:00.123456789Z
  EXPECT_EQ(FormatFixDate(ns), "20260205");
  EXPECT_EQ(FormatFixTime(ns), "13:00:00.123456789");
  EXPECT_EQ(FormatFixTimestamp(ns), "20260205-13:00:00.123");
  int64_t back = 0;
  ASSERT_TRUE(ParseFixDateTime(FormatFixDate(ns), FormatFixTime(ns), &back));
  EXPECT_EQ(back, ns);
  ASSERT_TRUE(ParseFixDateTime("19700101", "00:00:01.5", &back));
  EXPECT_EQ(back, 1'500'000'000);
  EXPECT_FALSE(ParseFixDateTime("2026025", "00:00:00", &back));
  EXPECT_FALSE(ParseFixDateTime("20260205", "25:00:00", &back));
  EXPECT_FALSE(ParseFixDateTime("20260205", "00:00:00.1234567890", &back));
  ASSERT_TRUE(ParseFixTimestamp(FormatFixTimestamp(ns), &back));
  EXPECT_EQ(back, 1'770'296'400'123'000'000);  // TransactTime carries milliseconds
  EXPECT_FALSE(ParseFixTimestamp("20260205 13:00:00", &back));
  EXPECT_FALSE(ParseFixTimestamp("20260205-", &back));
}

TEST(FixCodecTest, TimesBeforeTheEpochFormatOnTheirOwnDay) {
  EXPECT_EQ(FormatFixDate(-1), "19691231");
  EXPECT_EQ(FormatFixTime(-1), "23:59:59.999999999");
  EXPECT_EQ(FormatFixTimestamp(-1), "19691231-23:59:59.999");
  EXPECT_EQ(FormatFixTimestamp(0), "19700101-00:00:00.000");
}

TEST(FixCodecTest, ClOrdIdsAreOursOnlyWithThePrefix) {
  EXPECT_EQ(ClOrdIdOf("p-", OrderId(42)), "p-42");
  EXPECT_EQ(CancelClOrdIdOf("p-", OrderId(42)), "p-42.c");
  EXPECT_EQ(ParseClOrdId("p-", "p-42").value, 42u);
  EXPECT_EQ(ParseClOrdId("p-", "p-42.c").value, 42u);
  EXPECT_FALSE(ParseClOrdId("p-", "q-42").valid());
  EXPECT_FALSE(ParseClOrdId("p-", "p-042").valid());
  EXPECT_FALSE(ParseClOrdId("", "12x").valid());
  EXPECT_FALSE(ParseClOrdId("", "99999999999999999999").valid());
}

TEST(FixCodecTest, RejectReasonsSurviveTheWire) {
  for (RejectReason r : {RejectReason::kUnknownInstrument, RejectReason::kInvalidQty,
                         RejectReason::kInvalidPrice, RejectReason::kNoLiquidity,
                         RejectReason::kUnknownOrder, RejectReason::kWouldCross}) {
    EXPECT_EQ(RejectReasonOf(FixRejectCode(r), RejectReasonName(r)), r) << RejectReasonName(r);
  }
  EXPECT_EQ(RejectReasonOf(99, "exchange closed"), RejectReason::kVenue);
}

TEST(FixCodecTest, EmbeddedDictionaryLoadsAndValidatesANewOrderSingle) {
  absl::StatusOr<std::string> path = EmbeddedFix44DictionaryPath();
  ASSERT_THAT(path, IsOk());
  FIX::DataDictionary dd(*path);
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  const OrderRequest r = OrderRequest::Limit(InstrumentId(0), Side::kSell, Price(6'900'012),
                                             Qty(1'500))
                             .Ioc()
                             .PostOnly()
                             .WithId(OrderId(7));
  FIX::Message msg;
  BuildNewOrderSingle(r, in, "x7", 1'770'296'400'000'000'000, &msg);
  msg.getHeader().setField(8, "FIX.4.4");
  msg.getHeader().setField(49, "A");
  msg.getHeader().setField(56, "B");
  msg.getHeader().setField(34, "1");
  msg.getHeader().setField(52, "20260205-13:00:00.000");
  const std::string wire = msg.toString();
  FIX::Message parsed(wire, dd, true);
  EXPECT_NO_THROW(dd.validate(parsed));
  EXPECT_EQ(parsed.getField(44), "69000.12");
  EXPECT_EQ(parsed.getField(38), "1.500");
  EXPECT_EQ(parsed.getField(59), "3");
  EXPECT_EQ(parsed.getField(18), "6");
}

// FixVenue builds every NewOrderSingle in one reused message (and every cancel and replace in
// one of its type): the wire must not depend on it.
TEST(FixCodecTest, OrdersInAReusedMessageEncodeAsInAFreshOne) {
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  auto wire = [](FIX::Message& m) {
    m.getHeader().setField(8, "FIX.4.4");
    m.getHeader().setField(49, "A");
    m.getHeader().setField(56, "B");
    m.getHeader().setField(34, "1");
    m.getHeader().setField(52, "20260205-13:00:00.000");
    return m.toString();
  };
  const OrderRequest limit =
      OrderRequest::Limit(InstrumentId(0), Side::kSell, Price(6'900'012), Qty(1'500))
          .Ioc()
          .PostOnly()
          .ReduceOnly()
          .WithId(OrderId(7));
  const OrderRequest market =
      OrderRequest::Market(InstrumentId(0), Side::kBuy, Qty(2'000)).WithId(OrderId(8));
  const OrderRequest post_only =
      OrderRequest::Limit(InstrumentId(0), Side::kBuy, Price(6'900'000), Qty(2'000))
          .PostOnly()
          .WithId(OrderId(9));
  FIX::Message reused;
  for (const OrderRequest& r : {limit, market, post_only, limit}) {
    const int64_t at = 1'770'296'400'000'000'000 + static_cast<int64_t>(r.id.value) * 1'000'000;
    BuildNewOrderSingle(r, in, ClOrdIdOf("x", r.id), at, &reused);
    FIX::Message fresh;
    BuildNewOrderSingle(r, in, ClOrdIdOf("x", r.id), at, &fresh);
    EXPECT_EQ(wire(reused), wire(fresh)) << "order " << r.id.value;
  }
  // Cancels and replaces are reused the same way, each type in its own message.
  FIX::Message reused_cancel;
  FIX::Message reused_replace;
  for (const OrderRequest& r : {limit, market, post_only, limit}) {
    const int64_t at = 1'770'296'500'000'000'000 + static_cast<int64_t>(r.id.value) * 1'000'000;
    const std::string orig = ClOrdIdOf("x", r.id);
    BuildCancelRequest(r, in, orig, CancelClOrdIdOf("x", r.id), at, &reused_cancel);
    FIX::Message fresh_cancel;
    BuildCancelRequest(r, in, orig, CancelClOrdIdOf("x", r.id), at, &fresh_cancel);
    EXPECT_EQ(wire(reused_cancel), wire(fresh_cancel)) << "cancel " << r.id.value;
    BuildReplaceRequest(r, in, orig, ModifyClOrdIdOf("x", r.id, 1), at, &reused_replace);
    FIX::Message fresh_replace;
    BuildReplaceRequest(r, in, orig, ModifyClOrdIdOf("x", r.id, 1), at, &fresh_replace);
    EXPECT_EQ(wire(reused_replace), wire(fresh_replace)) << "replace " << r.id.value;
    EXPECT_EQ(fresh_replace.getHeader().getField(35), "G");
    EXPECT_EQ(fresh_replace.getField(41), orig);
  }
}

TEST(FixCodecTest, ExecutionReportDecodesExactlyAndRefusesExtraDecimals) {
  InstrumentTable table;
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  ASSERT_THAT(table.Add(in), IsOk());
  auto lookup = [&](const std::string& s, InstrumentId* id) {
    absl::StatusOr<InstrumentId> f = table.Find(s);
    if (!f.ok()) return false;
    *id = *f;
    return true;
  };
  FIX::Message er;
  er.getHeader().setField(35, "8");
  for (auto [t, v] : std::vector<std::pair<int, std::string>>{
           {37, "9"}, {11, "3"}, {17, "E1"}, {150, "F"}, {39, "1"}, {55, "BTCUSDT"}, {54, "1"},
           {31, "69000.10"}, {32, "0.250"}, {14, "0.250"}, {151, "0.750"}, {6, "69000.1"},
           {12, "0.69000100"}, {13, "3"}, {851, "2"}}) {
    er.setField(t, v);
  }
  ExecReport r;
  std::string error;
  ASSERT_TRUE(DecodeExecutionReport(er, table, "", lookup, &r, &error)) << error;
  EXPECT_EQ(r.order_id.value, 3u);
  EXPECT_EQ(r.last_px.raw, 6'900'010);
  EXPECT_EQ(r.last_qty.raw, 250);
  EXPECT_EQ(r.leaves_qty.raw, 750);
  EXPECT_EQ(r.commission.raw, 69'000'100);
  EXPECT_EQ(r.liquidity, Liquidity::kTaker);
  EXPECT_EQ(r.transact_ns, 0);  // no TransactTime
  // The venue's execution time, when it sends one; a malformed one is ignored, not fatal.
  er.setField(60, "20260205-13:00:00.250");
  ASSERT_TRUE(DecodeExecutionReport(er, table, "", lookup, &r, &error)) << error;
  EXPECT_EQ(r.transact_ns, 1'770'296'400'250'000'000);
  er.setField(60, "2026-02-05T13:00:00Z");
  ASSERT_TRUE(DecodeExecutionReport(er, table, "", lookup, &r, &error)) << error;
  EXPECT_EQ(r.transact_ns, 0);
  er.removeField(60);
  er.setField(31, "69000.105");
  EXPECT_FALSE(DecodeExecutionReport(er, table, "", lookup, &r, &error));
  EXPECT_THAT(error, ::testing::HasSubstr("tag 31"));
}

TEST(FixSessionConfigTest, UnknownKeysAndBadValuesAreErrors) {
  nlohmann::json j = {{"port", 1234}, {"sender_comp_id", "A"}, {"target_comp_id", "B"},
                      {"hartbeat_s", 3}};
  ConfigObject obj(&j, "venue");
  EXPECT_THAT(ParseFixSessionConfig(obj, FixRole::kInitiator),
              ::tapedeck::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                            ::testing::HasSubstr("hartbeat_s")));
  nlohmann::json k = {{"port", 0}, {"sender_comp_id", "A"}, {"target_comp_id", "B"}};
  ConfigObject obj2(&k, "venue");
  EXPECT_FALSE(ParseFixSessionConfig(obj2, FixRole::kInitiator).ok());
}

TEST(FixSessionConfigTest, SettingsAlwaysSetNodelayAndTheDictionary) {
  nlohmann::json j = {{"port", 1234}, {"sender_comp_id", "A"}, {"target_comp_id", "B"},
                      {"store", "memory"}};
  ConfigObject obj(&j, "venue");
  absl::StatusOr<FixSessionConfig> c = ParseFixSessionConfig(obj, FixRole::kInitiator);
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<FIX::SessionSettings> s = ToSessionSettings(*c, FixRole::kInitiator);
  ASSERT_THAT(s, IsOk());
  const FIX::Dictionary& d = s->get(FIX::SessionID("FIX.4.4", "A", "B"));
  EXPECT_EQ(d.getString("SocketNodelay"), "Y");
  EXPECT_EQ(d.getString("SocketConnectPort"), "1234");
  EXPECT_NE(d.getString("DataDictionary").find("tapedeck-FIX44"), std::string::npos);
}

}  // namespace
}  // namespace tapedeck::adapters
