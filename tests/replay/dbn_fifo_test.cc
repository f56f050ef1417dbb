// The venue's FIFO queue model on DBN MBO, as on LOBSTER (lobster_fifo_test.cc): an own bid
// joins a level behind two real orders; CME-style trades (T, then F per resting order, then the
// C or M that changes the book) execute the orders ahead of it first, and it fills only when
// an execution reaches an order behind it. Had the reader taken a fill's cancel for a cancel,
// each trade's print would read as a hidden execution and fill the own order at once.
#include <memory>
#include <vector>

#include "core/engine.h"
#include "core/merger.h"
#include "gtest/gtest.h"
#include "replay/dbn_reader.h"
#include "tests/replay/dbn_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::Bytes;
using ::tapedeck::testing::DbnFixtureInstruments;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::WriteEsDbn;

constexpr int64_t kT0 = 1'609'160'400'000'000'000;
constexpr int64_t kMs = 1'000'000;

std::vector<uint8_t> Mbo(int ms, char action, char side, uint64_t id, int64_t raw2, uint32_t size,
                         uint8_t flags = dbn::kFlagLast) {
  DbnMbo m;
  m.instrument_id = 5482;
  m.ts_event = static_cast<uint64_t>(kT0 + ms * kMs);
  m.ts_recv = m.ts_event + 100'000;
  m.order_id = id;
  m.price = raw2 * 10'000'000;
  m.size = size;
  m.flags = flags;
  m.action = action;
  m.side = side;
  m.sequence = static_cast<uint32_t>(100 + ms);
  return Bytes(EncodeMbo(m));
}

// Bids 2 at 3720.00 at the end of the snapshot, post-only.
class Joiner final : public Strategy {
 public:
  void OnBookLevel(Context& ctx, const Event& e) override {
    if (sent_ || e.kind != EventKind::kL3Order || (e.l3.flags & kBookEndOfMessage) == 0) return;
    OrderRequest r;
    r.instrument = e.instrument;
    r.side = Side::kBuy;
    r.type = OrderType::kLimit;
    r.price = Price(372000);
    r.qty = Qty(2);
    r.post_only = true;
    ctx.Submit(r);
    sent_ = true;
  }

 private:
  bool sent_ = false;
};

TEST(DbnFifoTest, AnOwnBidFillsWhenTheExecutionsReachItsPlaceInTheQueue) {
  const uint8_t snap = dbn::kFlagSnapshot;
  const std::string path = WriteEsDbn(
      MakeTempDir("dbn_fifo") + "/day.dbn",
      {
          Mbo(0, 'R', 'N', 0, 0, 0, snap),
          Mbo(0, 'A', 'B', 1, 372000, 5, snap),
          Mbo(0, 'A', 'B', 2, 372000, 3, snap),
          Mbo(0, 'A', 'A', 3, 372025, 4, snap | dbn::kFlagLast),
          // The own bid arrives at 1.1 ms; order 4 queues behind it.
          Mbo(2, 'A', 'B', 4, 372000, 6),
          // A sell of 5 takes order 1 whole.
          Mbo(3, 'T', 'A', 0, 372000, 5, 0),
          Mbo(3, 'F', 'B', 1, 372000, 5, 0),
          Mbo(3, 'C', 'B', 1, 372000, 5),
          // A sell of 4 takes order 2 (3) and 1 of order 4, behind the own bid: it fills 1.
          Mbo(4, 'T', 'A', 0, 372000, 4, 0),
          Mbo(4, 'F', 'B', 2, 372000, 3, 0),
          Mbo(4, 'F', 'B', 4, 372000, 1, 0),
          Mbo(4, 'C', 'B', 2, 372000, 3, 0),
          Mbo(4, 'M', 'B', 4, 372000, 5),
          Mbo(10, 'A', 'A', 5, 372100, 1),
      });
  const InstrumentTable table = DbnFixtureInstruments();
  absl::StatusOr<std::unique_ptr<DbnReader>> reader =
      DbnReader::Open(path, "", table, DbnOptions());
  ASSERT_THAT(reader, IsOk());
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::move(*reader));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  EngineConfig cfg;
  cfg.venue.entry_latency = Duration::Millis(1);
  cfg.venue.response_latency = Duration::Millis(1);
  Engine engine(table, cfg);
  Joiner joiner;
  ASSERT_THAT(engine.Run(merger, joiner), IsOk());

  const auto& fills = engine.records().fill_log();
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].exchange_ts.ns, kT0 + 4 * kMs);
  EXPECT_EQ(fills[0].price.raw, 372000);
  EXPECT_EQ(fills[0].qty.raw, 1);
  EXPECT_EQ(fills[0].liquidity, Liquidity::kMaker);
}

}  // namespace
}  // namespace tapedeck::replay
