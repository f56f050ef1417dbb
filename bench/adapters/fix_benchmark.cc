// The FIX path of paper trading: encoding and decoding, the SPSC bridge against a mutex-guarded
// deque, and tick-to-order in process (a market-data event delivered to the strategy -> the
// NewOrderSingle handed to a logged-on QuickFIX session over loopback), and the loopback round
// trip of an order through fixsim (FixVenue -> NewOrderSingle -> fixsim's SimVenue -> the
// ExecutionReport decoded and popped on the strategy thread), to set beside the plain QuickFIX
// figures of ../shared/QUICKFIX.md.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "adapters/fix_codec.h"
#include "adapters/fix_dictionary.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_session_config.h"
#include "adapters/paper_runner.h"
#include "adapters/spsc_bridge.h"
#include "benchmark/benchmark.h"
#include "quickfix/Application.h"
#include "quickfix/DataDictionary.h"
#include "quickfix/NullStore.h"
#include "quickfix/SocketAcceptor.h"
#include "runner/fixsim_config.h"

namespace tapedeck::adapters {
namespace {

Instrument Btc() {
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  return in;
}

// The header Session::send fills in, then the wire text: what both encode benchmarks time.
std::string ToWire(FIX::Message& msg) {
  msg.getHeader().setField(8, "FIX.4.4");
  msg.getHeader().setField(49, "PAPER");
  msg.getHeader().setField(56, "FIXSIM");
  msg.getHeader().setField(34, "12345");
  msg.getHeader().setField(52, "20260205-13:00:00.000");
  return msg.toString();
}

void BM_Fix_EncodeNewOrderSingle(benchmark::State& state) {
  const Instrument in = Btc();
  OrderRequest r = OrderRequest::Limit(InstrumentId(0), Side::kBuy, Price(6'900'012), Qty(1'500))
                       .WithId(OrderId(1));
  uint64_t id = 1;
  for (auto _ : state) {
    r.id = OrderId(id++);
    FIX::Message msg;
    BuildNewOrderSingle(r, in, ClOrdIdOf("", r.id), 1'770'296'400'000'000'000, &msg);
    std::string wire = ToWire(msg);
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fix_EncodeNewOrderSingle);

// As FixVenue sends: one message reused for every order, whose fields already exist and take the
// new values in place. The price changes with every order, as a quoting strategy's does.
// BM_Fix_EncodeNewOrderSingle, a fresh message each time, is its baseline.
void BM_Fix_EncodeNewOrderSingleReused(benchmark::State& state) {
  const Instrument in = Btc();
  OrderRequest r = OrderRequest::Limit(InstrumentId(0), Side::kBuy, Price(6'900'012), Qty(1'500))
                       .WithId(OrderId(1));
  FIX::Message msg;
  auto encode = [&] {
    BuildNewOrderSingle(r, in, ClOrdIdOf("", r.id), 1'770'296'400'000'000'000, &msg);
    return ToWire(msg);
  };
  // The first order fills the message outside the timed loop, so that even the instruction
  // gate's single iteration measures a reuse.
  benchmark::DoNotOptimize(encode());
  uint64_t id = 1;
  for (auto _ : state) {
    r.id = OrderId(++id);
    r.price = Price(6'900'000 + static_cast<int64_t>(id % 100));
    std::string wire = encode();
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fix_EncodeNewOrderSingleReused);

// An OrderCancelRequest (35=F), fresh each time and reused as FixVenue sends it.
void EncodeCancels(benchmark::State& state, bool reuse) {
  const Instrument in = Btc();
  const OrderRequest r =
      OrderRequest::Limit(InstrumentId(0), Side::kBuy, Price(6'900'012), Qty(1'500))
          .WithId(OrderId(1));
  FIX::Message reused;
  uint64_t id = 1;
  auto encode = [&] {
    FIX::Message fresh;
    FIX::Message& msg = reuse ? reused : fresh;
    ++id;
    BuildCancelRequest(r, in, ClOrdIdOf("", OrderId(id)), CancelClOrdIdOf("", OrderId(id)),
                       1'770'296'400'000'000'000, &msg);
    return ToWire(msg);
  };
  benchmark::DoNotOptimize(encode());  // the reused message is filled outside the timed loop
  for (auto _ : state) {
    std::string wire = encode();
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_Fix_EncodeCancelRequest(benchmark::State& state) { EncodeCancels(state, false); }
void BM_Fix_EncodeCancelRequestReused(benchmark::State& state) { EncodeCancels(state, true); }
BENCHMARK(BM_Fix_EncodeCancelRequest);
BENCHMARK(BM_Fix_EncodeCancelRequestReused);

void BM_Fix_DecodeExecutionReport(benchmark::State& state) {
  absl::StatusOr<std::string> path = EmbeddedFix44DictionaryPath();
  if (!path.ok()) {
    state.SkipWithError("no dictionary");
    return;
  }
  FIX::DataDictionary dd(*path);
  InstrumentTable table;
  (void)table.Add(Btc());
  FIX::Message er;
  er.getHeader().setField(8, "FIX.4.4");
  er.getHeader().setField(35, "8");
  er.getHeader().setField(49, "FIXSIM");
  er.getHeader().setField(56, "PAPER");
  er.getHeader().setField(34, "77");
  er.getHeader().setField(52, "20260205-13:00:00.000");
  for (auto [t, v] : std::vector<std::pair<int, std::string>>{
           {37, "9"}, {11, "3"}, {17, "E1"}, {150, "F"}, {39, "2"}, {55, "BTCUSDT"}, {54, "1"},
           {38, "1.500"}, {31, "69000.10"}, {32, "1.500"}, {14, "1.500"}, {151, "0"},
           {6, "69000.10"}, {12, "0.41400060"}, {13, "3"}, {851, "2"}}) {
    er.setField(t, v);
  }
  const std::string wire = er.toString();
  auto lookup = [&](const std::string& s, InstrumentId* id) {
    if (s != "BTCUSDT") return false;
    *id = InstrumentId(0);
    return true;
  };
  ExecReport r;
  std::string error;
  for (auto _ : state) {
    FIX::Message m(wire, dd, false);
    benchmark::DoNotOptimize(DecodeExecutionReport(m, table, "", lookup, &r, &error));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fix_DecodeExecutionReport);

void BM_SpscBridge_PushPop(benchmark::State& state) {
  SpscBridge bridge(1 << 16);
  const size_t batch = static_cast<size_t>(state.range(0));
  Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(1), Timestamp(2));
  Event out;
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i) bridge.Push(e);
    for (size_t i = 0; i < batch; ++i) benchmark::DoNotOptimize(bridge.Pop(&out));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_SpscBridge_PushPop)->Arg(1)->Arg(64)->Arg(1024);

// Baseline: the same hand-off through a mutex-guarded std::deque.
void BM_MutexDeque_PushPop(benchmark::State& state) {
  std::mutex mu;
  std::deque<Event> q;
  const size_t batch = static_cast<size_t>(state.range(0));
  Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(1), Timestamp(2));
  Event out;
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i) {
      std::lock_guard<std::mutex> lock(mu);
      q.push_back(e);
    }
    for (size_t i = 0; i < batch; ++i) {
      std::lock_guard<std::mutex> lock(mu);
      out = q.front();
      q.pop_front();
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_MutexDeque_PushPop)->Arg(1)->Arg(64)->Arg(1024);

// Cross-thread: a producer thread streams events to the consumer (the strategy thread's view).
void BM_SpscBridge_CrossThread(benchmark::State& state) {
  SpscBridge bridge(1 << 12);
  std::atomic<bool> done{false};
  std::thread producer([&] {
    Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(1), Timestamp(2));
    while (!done.load(std::memory_order_relaxed)) bridge.Push(e, &done);
  });
  Event out;
  for (auto _ : state) {
    while (!bridge.Pop(&out)) {
    }
    benchmark::DoNotOptimize(out);
  }
  done.store(true);
  producer.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SpscBridge_CrossThread);

// An acceptor that takes orders and answers nothing: the timed path ends when QuickFIX has the
// NewOrderSingle on the socket.
class Sink final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&) override {}
};

// A strategy that decides on every trade: a limit order one tick below it.
class EveryTrade final : public Strategy {
 public:
  void OnTrade(Context& ctx, const Event& e) override {
    ctx.BuyLimit(e.instrument, Price(e.trade.price.raw - 1), Qty(1));
  }
};

void BM_Paper_TickToOrder(benchmark::State& state) {
  absl::StatusOr<int> port = PickFreePort();
  absl::StatusOr<std::string> dict = EmbeddedFix44DictionaryPath();
  if (!port.ok() || !dict.ok()) {
    state.SkipWithError("no port or dictionary");
    return;
  }
  FIX::SessionSettings settings;
  FIX::Dictionary d;
  d.setString("ConnectionType", "acceptor");
  d.setString("BeginString", "FIX.4.4");
  d.setString("StartTime", "00:00:00");
  d.setString("EndTime", "00:00:00");
  d.setString("SocketNodelay", "Y");
  d.setInt("SocketAcceptPort", *port);
  d.setString("DataDictionary", *dict);
  d.setInt("HeartBtInt", 30);
  settings.set(d);
  settings.set(FIX::SessionID("FIX.4.4", "SINK", "PAPER"), FIX::Dictionary());
  Sink sink;
  FIX::NullStoreFactory store;
  FIX::SocketAcceptor acceptor(sink, store, settings);
  acceptor.start();

  PaperConfig config;
  Instrument in = Btc();
  (void)config.instruments.Add(in);
  config.venue.session.port = *port;
  config.venue.session.store = "null";
  config.venue.session.sessions.push_back(FixSessionIdentity{"PAPER", "SINK", "", "", {}});
  absl::StatusOr<std::unique_ptr<PaperRunner>> runner =
      PaperRunner::Create(config, std::make_unique<EveryTrade>());
  if (!runner.ok() || !(*runner)->mutable_venue().Start().ok()) {
    state.SkipWithError("paper runner did not start");
    acceptor.stop(true);
    return;
  }
  for (int i = 0; i < 5000 && !(*runner)->venue().logged_on(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!(*runner)->venue().logged_on()) {
    state.SkipWithError("no logon");
    acceptor.stop(true);
    return;
  }
  Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(1), Timestamp(1));
  e.trade.price = Price(6'900'000);
  e.trade.qty = Qty(1);
  Event drained;
  for (auto _ : state) {
    ++e.local_ts;
    (*runner)->Process(e, SteadyNanos());
    state.PauseTiming();
    while ((*runner)->mutable_venue().Poll(&drained)) {
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations());
  const LatencySummary decision = (*runner)->decision_latency();
  const LatencySummary encoded = (*runner)->encoded_latency();
  const LatencySummary send = (*runner)->send_latency();
  state.counters["decision_p50_ns"] = static_cast<double>(decision.p50);
  state.counters["decision_p99_ns"] = static_cast<double>(decision.p99);
  state.counters["encoded_p50_ns"] = static_cast<double>(encoded.p50);
  state.counters["encoded_p99_ns"] = static_cast<double>(encoded.p99);
  state.counters["send_p50_ns"] = static_cast<double>(send.p50);
  state.counters["send_p99_ns"] = static_cast<double>(send.p99);
  (*runner)->mutable_venue().Stop(false);
  acceptor.stop(true);
}
BENCHMARK(BM_Paper_TickToOrder)->Iterations(100000)->UseRealTime();

// One order in flight: SendOrder (a buy limit far under the market, so it rests) until the
// strategy thread pops its acknowledgement. FixVenue and fixsim in one process, MemoryStore on
// both sides, SocketNodelay=Y: the setup of QUICKFIX.md's "in-process" row, plus tapedeck's
// encoding, SPSC hand-off, fixsim's matching and decoding on both ends.
void BM_Fix_LoopbackRoundTrip(benchmark::State& state) {
  absl::StatusOr<int> port = PickFreePort();
  if (!port.ok()) {
    state.SkipWithError("no port");
    return;
  }
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("tapedeck_bench_rt_" + std::to_string(*port))).string();
  std::filesystem::create_directories(dir);
  {
    std::FILE* f = std::fopen((dir + "/trades.csv").c_str(), "w");
    if (f == nullptr) {
      state.SkipWithError("cannot write the trades file");
      return;
    }
    std::fputs("ts,price,qty,side\n1770249600000000000,69000.00,0.010,buy\n", f);
    std::fclose(f);
  }
  const nlohmann::json sim_json = {
      {"instruments", nlohmann::json::array({{{"symbol", "BTCUSDT"}, {"kind", "spot"},
                                              {"base", "BTC"}, {"quote", "USDT"},
                                              {"price_scale", 2}, {"qty_scale", 3},
                                              {"tick_size", "0.01"}, {"lot_size", "0.001"}}})},
      {"sources", nlohmann::json::array({{{"path", dir + "/trades.csv"}, {"format", "trades_csv"},
                                          {"instrument", "BTCUSDT"}}})},
      {"fix", {{"port", *port}, {"store", "memory"},
               {"sessions", nlohmann::json::array({{{"sender_comp_id", "FIXSIM"},
                                                    {"target_comp_id", "PAPER"}}})},
               {"wait_for_sessions", 0},
               {"linger", "1h"}}}};
  absl::StatusOr<runner::FixsimRunConfig> sim_config =
      runner::ParseFixsimConfig(sim_json, "fixsim.json");
  if (!sim_config.ok()) {
    state.SkipWithError(std::string(sim_config.status().message()).c_str());
    return;
  }
  absl::StatusOr<std::unique_ptr<FixSim>> sim = runner::BuildFixSim(*sim_config);
  if (!sim.ok()) {
    state.SkipWithError("fixsim did not start");
    return;
  }
  std::atomic<bool> stop{false};
  std::thread sim_thread([&] { (void)(*sim)->Run(&stop); });

  FixVenueConfig vc;
  vc.session.port = *port;
  vc.session.store = "memory";
  vc.session.sessions.push_back(FixSessionIdentity{"PAPER", "FIXSIM", "", "", {}});
  InstrumentTable instruments;
  Instrument in = Btc();
  (void)instruments.Add(in);
  absl::StatusOr<std::unique_ptr<FixVenue>> venue = FixVenue::Create(vc, instruments);
  if (!venue.ok() || !(*venue)->Start().ok()) {
    state.SkipWithError("FixVenue did not start");
    stop.store(true);
    sim_thread.join();
    return;
  }
  for (int i = 0; i < 5000 && !(*venue)->logged_on(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!(*venue)->logged_on()) {
    state.SkipWithError("no logon");
    (*venue)->Stop(false);
    stop.store(true);
    sim_thread.join();
    return;
  }
  std::vector<int64_t> rt;
  rt.reserve(static_cast<size_t>(state.max_iterations));
  uint64_t id = 0;
  Event e;
  for (auto _ : state) {
    OrderRequest r;
    r.id = OrderId(++id);
    r.instrument = InstrumentId(0);
    r.side = Side::kBuy;
    r.type = OrderType::kLimit;
    r.price = Price(100);  // 1.00: rests
    r.qty = Qty(1);
    const int64_t t0 = SteadyNanos();
    (*venue)->SendOrder(r, Timestamp(1));
    bool acked = false;
    while (!acked) {
      while ((*venue)->Poll(&e)) {
        if (e.order.order_id.value == id && IsOrderResponse(e.kind)) acked = true;
      }
    }
    rt.push_back(SteadyNanos() - t0);
  }
  state.SetItemsProcessed(state.iterations());
  const LatencySummary s = Summarize(rt);
  state.counters["min_ns"] = static_cast<double>(*std::min_element(rt.begin(), rt.end()));
  state.counters["p50_ns"] = static_cast<double>(s.p50);
  state.counters["p99_ns"] = static_cast<double>(s.p99);
  state.counters["p99_9_ns"] = static_cast<double>(s.p999);
  (*venue)->Stop(false);
  stop.store(true);
  sim_thread.join();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
BENCHMARK(BM_Fix_LoopbackRoundTrip)->Iterations(10000)->UseRealTime();

}  // namespace
}  // namespace tapedeck::adapters
