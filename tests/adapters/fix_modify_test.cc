// Order modify over FIX, end to end on a real QuickFIX session on 127.0.0.1 (no mocks): the
// strategy's Context::Modify goes out from FixVenue as OrderCancelReplaceRequest (35=G), fixsim
// applies it with SimVenue's own modify rules and answers ExecutionReport ExecType=5 (replaced)
// or OrderCancelReject (35=9, CxlRejResponseTo=2), and both reach the strategy. No assertion
// depends on wall-clock time; waits are bounded only so a broken build cannot hang.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/fix_codec.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_venue.h"
#include "adapters/journal.h"
#include "adapters/paper_runner.h"
#include "tests/adapters/fix_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::FixsimConfigJson;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::PaperConfigJson;
using ::tapedeck::testing::SessionCounters;
using ::tapedeck::testing::SimThread;

const InstrumentId kBtc(0);

// `n` quotes, one per 10 ms from 2026-02-05: bid 69000.00 x 1.000, ask 69001.00 x 1.000.
std::string WriteQuotes(const std::string& dir, int n) {
  std::string csv = "ts,bid,bid_qty,ask,ask_qty\n";
  const int64_t t0 = 1'770'249'600'000'000'000;
  for (int i = 0; i < n; ++i) {
    csv += std::to_string(t0 + int64_t{i} * 10'000'000) + ",69000.00,1.000,69001.00,1.000\n";
  }
  const std::string path = dir + "/quotes.csv";
  ::tapedeck::testing::WriteFile(path, csv);
  return path;
}

// At the first quote (so fixsim's venue has a touch), driven by market data and order updates
// only, so that a replay of the journal makes the same decisions:
// - order 1: sell 0.010 at 80000.00 (rests far above the ask), and at once a modify of it to
//   81000.00 x 0.020 (price change and size increase): replaced. On that replacement, a second
//   modify to 0.005 (a decrease; its OrigClOrdID is the first modify's ClOrdID): replaced.
// - order 2: buy 0.010 at market, and at once (before any answer) a modify of it to 0.020.
//   fixsim handles messages in order: the market order fills in full at the 69001.00 ask on
//   arrival, so the modify finds an order that is over and is rejected (35=9,
//   CxlRejResponseTo=2, CxlRejReason=0 too late). The strategy hears the fill, then the reject.
class ModifyScript final : public Strategy {
 public:
  std::vector<Event> updates;
  std::vector<OrderState> states;  // the order's state after each update
  bool started = false;
  int replaced = 0;
  bool sent[3] = {false, false, false};

  void OnQuote(Context& ctx, const Event&) override {
    if (started) return;
    started = true;
    const OrderId a = ctx.SellLimit(kBtc, Price(8'000'000), Qty(10));
    sent[0] = ctx.Modify(a, Price(8'100'000), Qty(20));
    const OrderId b = ctx.BuyMarket(kBtc, Qty(10));
    sent[1] = ctx.Modify(b, Price(), Qty(20));
  }
  void OnOrderUpdate(Context& ctx, const Event& e) override {
    updates.push_back(e);
    states.push_back(*ctx.order(e.order.order_id));
    if (e.order.order_id.value == 1 && e.kind == EventKind::kOrderReplaced && ++replaced == 1) {
      sent[2] = ctx.Modify(OrderId(1), Price(8'100'000), Qty(5));
    }
  }
};

TEST(FixModifyTest, ModifyIsReplacedOverFixAndAModifyOfAFilledOrderIsRejected) {
  const std::string dir = MakeTempDir("modify");
  const std::string quotes = WriteQuotes(dir, 300);
  absl::StatusOr<int> port = PickFreePort();
  ASSERT_THAT(port, IsOk());
  nlohmann::json sj = FixsimConfigJson(quotes, *port, "memory", "10x");
  sj["sources"][0]["format"] = "quotes_csv";
  absl::StatusOr<std::unique_ptr<FixSim>> fixsim = ::tapedeck::testing::FixSimFromConfig(sj);
  ASSERT_THAT(fixsim, IsOk());
  SimThread sim(std::move(*fixsim));

  auto strategy = std::make_unique<ModifyScript>();
  ModifyScript* s = strategy.get();
  absl::StatusOr<PaperConfig> pc =
      ::tapedeck::testing::ParsePaper(PaperConfigJson(*port, {{"instrument", "BTCUSDT"}}));
  ASSERT_THAT(pc, IsOk());
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner = PaperRunner::Create(*pc, std::move(strategy));
  ASSERT_THAT(runner, IsOk());
  PaperOptions options;
  options.journal_path = dir + "/journal.tdj";
  options.duration = Duration::Seconds(20);  // a bound against hangs only
  ASSERT_THAT((*runner)->Run(options), IsOk());
  ASSERT_TRUE(sim.Join()) << SessionCounters(sim, **runner);
  EXPECT_THAT(sim.status(), IsOk());
  const Context& ctx = (*runner)->context();
  EXPECT_EQ((*runner)->venue().stats().undecodable, 0u);
  EXPECT_TRUE(s->sent[0]);
  EXPECT_TRUE(s->sent[1]);
  EXPECT_TRUE(s->sent[2]);

  std::vector<const Event*> of[3];
  std::vector<const OrderState*> st[3];
  for (size_t i = 0; i < s->updates.size(); ++i) {
    const uint64_t id = s->updates[i].order.order_id.value;
    ASSERT_TRUE(id == 1 || id == 2);
    of[id].push_back(&s->updates[i]);
    st[id].push_back(&s->states[i]);
  }
  // Order 1: ack, replaced (81000.00 x 0.020), replaced (81000.00 x 0.005).
  ASSERT_EQ(of[1].size(), 3u);
  EXPECT_EQ(of[1][0]->kind, EventKind::kOrderAck);
  EXPECT_EQ(of[1][1]->kind, EventKind::kOrderReplaced);
  EXPECT_EQ(of[1][1]->order.price, Price(8'100'000));
  EXPECT_EQ(of[1][1]->order.qty, Qty(20));
  EXPECT_EQ(st[1][1]->request.price, Price(8'100'000));
  EXPECT_EQ(st[1][1]->request.qty, Qty(20));
  EXPECT_EQ(of[1][2]->kind, EventKind::kOrderReplaced);
  EXPECT_EQ(of[1][2]->order.qty, Qty(5));
  const OrderState* o1 = ctx.order(OrderId(1));
  EXPECT_EQ(o1->status, OrderStatus::kOpen);
  EXPECT_EQ(o1->request.price, Price(8'100'000));
  EXPECT_EQ(o1->request.qty, Qty(5));
  EXPECT_EQ(o1->modifies_pending, 0u);
  // Order 2: ack, fill of 0.010 at 69001.00, then the modify's reject; the order stays filled.
  ASSERT_EQ(of[2].size(), 3u);
  EXPECT_EQ(of[2][0]->kind, EventKind::kOrderAck);
  EXPECT_EQ(of[2][1]->kind, EventKind::kOrderFill);
  EXPECT_EQ(of[2][1]->order.qty, Qty(10));
  EXPECT_EQ(of[2][1]->order.price, Price(6'900'100));
  EXPECT_EQ(of[2][2]->kind, EventKind::kOrderReject);
  EXPECT_EQ(of[2][2]->order.reason, RejectReason::kUnknownOrder);
  const OrderState* o2 = ctx.order(OrderId(2));
  EXPECT_EQ(o2->status, OrderStatus::kFilled);
  EXPECT_EQ(o2->request.qty, Qty(10));
  EXPECT_EQ(o2->modifies_pending, 0u);

  // The order log has the three modifies; the journal replays to the same decisions.
  const auto& log = (*runner)->records().order_log();
  int modifies = 0;
  for (const OrderLogEntry& e : log) modifies += e.action == RequestAction::kModify ? 1 : 0;
  EXPECT_EQ(modifies, 3);
  absl::StatusOr<JournalContents> j = ReadJournal(options.journal_path);
  ASSERT_THAT(j, IsOk());
  ModifyScript again;
  JournalReplay replay(ctx.instruments(), Money(100'000 * Money::kOne));
  ASSERT_TRUE(replay.Run(*j, again).ok());
  EXPECT_EQ(OrderLogText(replay.records().order_log()), OrderLogText(log));
  EXPECT_NE(OrderLogText(log).find(",modify,1,"), std::string::npos);
}

TEST(FixModifyTest, ReplaceClOrdIdsParseBackToTheOrderAndTheRequestCarriesTheNewValues) {
  EXPECT_EQ(ModifyClOrdIdOf("td-", OrderId(12), 3), "td-12.m3");
  EXPECT_EQ(ParseClOrdId("td-", "td-12.m3"), OrderId(12));
  EXPECT_EQ(ParseClOrdId("td-", "td-12.c"), OrderId(12));
  EXPECT_EQ(ParseClOrdId("td-", "td-12"), OrderId(12));
  EXPECT_FALSE(ParseClOrdId("td-", "td-12.m0").valid());
  EXPECT_FALSE(ParseClOrdId("td-", "td-12.m").valid());
  EXPECT_FALSE(ParseClOrdId("td-", "td-12.mx").valid());
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  OrderRequest r;
  r.id = OrderId(12);
  r.side = Side::kSell;
  r.type = OrderType::kLimit;
  r.price = Price(8'100'000);
  r.qty = Qty(20);
  r.post_only = true;
  FIX::Message msg;
  BuildReplaceRequest(r, in, "td-12.m2", "td-12.m3", 1'770'249'600'000'000'000, &msg);
  EXPECT_EQ(msg.getHeader().getField(tag::kMsgType), "G");
  EXPECT_EQ(msg.getField(tag::kOrigClOrdID), "td-12.m2");
  EXPECT_EQ(msg.getField(tag::kClOrdID), "td-12.m3");
  EXPECT_EQ(msg.getField(tag::kPrice), "81000.00");
  EXPECT_EQ(msg.getField(tag::kOrderQty), "0.020");
  EXPECT_EQ(msg.getField(tag::kSide), "2");
  EXPECT_EQ(msg.getField(tag::kOrdType), "2");
  EXPECT_EQ(msg.getField(tag::kSymbol), "BTCUSDT");
  EXPECT_EQ(msg.getField(tag::kExecInst), "6");
  EXPECT_TRUE(msg.isSetField(tag::kTransactTime));
  // After that replace, a cancel and a status request name the order by its latest ClOrdID.
  FIX::Message cancel;
  BuildCancelRequest(r, in, "td-12.m3", CancelClOrdIdOf("td-", r.id), 1'770'249'600'000'000'000,
                     &cancel);
  EXPECT_EQ(cancel.getHeader().getField(tag::kMsgType), "F");
  EXPECT_EQ(cancel.getField(tag::kOrigClOrdID), "td-12.m3");
  EXPECT_EQ(cancel.getField(tag::kClOrdID), "td-12.c");
  FIX::Message status;
  BuildStatusRequest(r, in, "td-12.m3", &status);
  EXPECT_EQ(status.getField(tag::kClOrdID), "td-12.m3");
}

}  // namespace
}  // namespace tapedeck::adapters
