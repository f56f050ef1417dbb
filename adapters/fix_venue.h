// FixVenue: the strategy's venue in paper and live trading. A QuickFIX SocketInitiator (or
// SSLSocketInitiator) speaking FIX 4.4, behind the same ContextDriver interface as the backtest
// engine.
//
// Threads: QuickFIX's one initiator thread runs the Application callbacks, which only decode
// messages into plain Events and push them into an SpscBridge. The strategy thread (PaperRunner)
// pops them, delivers them to its strategy, and sends requests through this class (SendOrder,
// SendCancel), which builds the FIX messages and hands them to the session on that same thread.
//
// Connection and market status reach the strategy as kVenueStatus events
// (Strategy::OnVenueStatus): kConnected after every logon, kDisconnected when a logged-on session
// drops; from TradingSessionStatus (35=h) TradSesStatus(340): 1 kTradingHalted, 2
// kTradingResumed (after a halt), 3 kDataEnded (fixsim's end of data). Orders sent while
// disconnected are rejected at once (RejectReason::kVenue) and never reach the venue later: the
// session keeps no copy to resend (PersistMessages=N), and toApp refuses any possible-duplicate
// resend all the same.
// After every logon the strategy thread asks the venue for the status of each open order
// (OrderStatusRequest 35=H): fills it missed arrive as fills, an order the venue no longer knows
// is reported cancelled, so no order is duplicated or lost. Execution reports are deduplicated by
// ExecID and by cumulative quantity.
#ifndef TAPEDECK_ADAPTERS_FIX_VENUE_H_
#define TAPEDECK_ADAPTERS_FIX_VENUE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "adapters/clordid.h"
#include "adapters/fix_session_config.h"
#include "adapters/spsc_bridge.h"
#include "core/config.h"
#include "core/instrument.h"
#include "core/strategy_host.h"
#include "quickfix/Application.h"
#include "quickfix/Initiator.h"
#include "quickfix/Log.h"
#include "quickfix/Message.h"
#include "quickfix/Session.h"

namespace tapedeck::adapters {

struct ExecReport;  // adapters/fix_codec.h

struct FixVenueConfig {
  FixSessionConfig session;
  std::vector<std::string> symbols;  // market data to request (default: every instrument)
  int market_depth = 0;              // MarketDepth(264): 0 = full book, 1 = top of book
  size_t queue_capacity = 1 << 16;   // events in the SPSC ring
  // Before the session tag and the Context's order ids in ClOrdID (adapters/clordid.h).
  std::string clordid_prefix;
  // Ask the venue to cancel this session's open orders when it drops (where the profile's venue
  // offers it: venue_profile.h).
  bool cancel_on_disconnect = true;
  // Subscribe to market data (35=V) on this session; default: the profile's market_data.
  bool market_data = true;
};

// Reads the "fix" section of a paper config: the session keys of fix_session_config.h plus
// "symbols", "market_depth", "queue_capacity", "clordid_prefix", "cancel_on_disconnect",
// "market_data".
absl::StatusOr<FixVenueConfig> ParseFixVenueConfig(ConfigObject& obj);

struct FixVenueStats {
  uint64_t logons = 0;
  uint64_t disconnects = 0;
  uint64_t market_messages = 0;     // 35=W/X decoded
  uint64_t market_events = 0;       // events pushed from them
  uint64_t exec_reports = 0;
  uint64_t duplicates_dropped = 0;  // reports already seen (ExecID or cumulative quantity)
  uint64_t undecodable = 0;         // messages we could not decode (logged)
  uint64_t refused_resends = 0;     // PossDup app messages refused in toApp
  uint64_t status_requests = 0;     // 35=H sent
  uint64_t local_rejects = 0;       // orders rejected because the session was down
  uint64_t queue_full_waits = 0;
};

class FixVenue final : public ContextDriver, private FIX::Application {
 public:
  static absl::StatusOr<std::unique_ptr<FixVenue>> Create(const FixVenueConfig& config,
                                                          const InstrumentTable& instruments);
  ~FixVenue() override;

  // Starts QuickFIX's initiator thread; it connects and reconnects on its own.
  absl::Status Start();
  // Logs out (when `logout`) and stops the initiator; QuickFIX's stop(force=false) polls in
  // whole seconds, so tests pass logout=false.
  void Stop(bool logout);

  // --- strategy thread ---
  // The next event for the strategy (local rejects first, then the bridge); false when none.
  bool Poll(Event* e);
  // Sends 35=H for the context's open orders after a (re)logon; call from the strategy loop.
  void ReconcileIfNeeded(const Context& ctx);
  bool end_of_data() const { return end_of_data_.load(std::memory_order_acquire); }
  bool logged_on() const { return logged_on_.load(std::memory_order_acquire); }
  // The earliest timer, and popping timers due at `now_ns` as kTimer events.
  bool PopDueTimer(int64_t now_ns, Event* e);
  // Orders sent and the wall time (ns) each was handed to QuickFIX, for latency reporting.
  int64_t sent_at(OrderId id) const;
  // Last send latency: from the strategy's call into SendOrder to QuickFIX's return, ns.
  FixVenueStats stats() const;
  const std::vector<std::string>& log_lines() const { return log_; }
  // The ClOrdIDs this session writes (its prefix carries the session tag).
  const ClOrdIdScheme& clordids() const { return ids_; }
  const VenueProfile& profile() const { return *config_.session.profile; }

  // ContextDriver (strategy thread)
  void SendOrder(const OrderRequest& request, Timestamp now) override;
  void SendCancel(OrderId id, InstrumentId instrument, Timestamp now) override;
  // OrderCancelReplaceRequest (35=G); answered by ExecutionReport ExecType=5 (kOrderReplaced)
  // or OrderCancelReject with CxlRejResponseTo=2 (kOrderReject).
  void SendModify(OrderId id, InstrumentId instrument, Price new_price, Qty new_qty,
                  Timestamp now) override;
  void ScheduleTimer(uint64_t timer_id, Timestamp at, uint64_t tag) override;

  // Latency hooks for PaperRunner: called on the strategy thread around each send.
  struct SendObserver {
    virtual ~SendObserver() = default;
    virtual void OnOrderBuilt(OrderId id) = 0;    // request built (decision done)
    // Inside QuickFIX's send: the NewOrderSingle is serialised (header, toApp, wire text) and
    // stored, and QuickFIX is about to write it to the socket (its Log::onOutgoing hook).
    virtual void OnOrderEncoded(OrderId id) = 0;
    virtual void OnOrderHanded(OrderId id) = 0;   // QuickFIX returned from send
  };
  void set_send_observer(SendObserver* o) { observer_ = o; }

 private:
  FixVenue(const FixVenueConfig& config, const InstrumentTable& instruments);
  // QuickFIX's session log, wrapping the configured file log if any: its onOutgoing tells the
  // SendObserver when a NewOrderSingle leaves QuickFIX's encoding for the socket.
  class StampingLog;
  class StampingLogFactory;

  // FIX::Application (QuickFIX thread)
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override;
  void toApp(FIX::Message&, const FIX::SessionID&) override;
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&) override;

  void OnMarketData(const FIX::Message& msg, bool snapshot, int64_t local_ns);
  void OnExecutionReport(const FIX::Message& msg, int64_t local_ns);
  // Parts of OnMarketData: a two-sided snapshot is one quote; other entries are one event each
  // (false: the entry gave none, and why is noted).
  static bool IsTopOfBook(const FIX::Message& msg);
  void PushQuoteSnapshot(const FIX::Message& msg, InstrumentId inst, int64_t local_ns);
  bool DecodeMarketEntry(const FIX::FieldMap& entry, InstrumentId inst, int64_t local_ns,
                         Event* out);
  // Parts of OnExecutionReport, one per kind of report, on the order's track.
  struct Track;
  struct Report {
    const ExecReport& r;
    Track& t;
    int64_t exchange_ns;  // TransactTime where the report has one, else local_ns
    int64_t local_ns;     // when it arrived here
  };
  Event OrderEvent(const Report& rep, EventKind kind);
  void PushFill(const Report& rep, Qty qty, Price px);
  void FinishOrder(const Report& rep, EventKind kind, RejectReason reason);
  void OnFillReport(const Report& rep);
  void OnReplacedReport(const FIX::Message& msg, const Report& rep);
  void OnStatusReport(const FIX::Message& msg, const Report& rep);
  void OnCancelReject(const FIX::Message& msg, int64_t local_ns);
  void OnTradingSessionStatus(const FIX::Message& msg, int64_t local_ns);
  void PushStatus(VenueStatus status, int64_t local_ns);
  void SendMarketDataRequest();
  void Push(const Event& e);
  bool LookupSymbol(const std::string& symbol, InstrumentId* out) const;
  void Note(std::string line);  // QuickFIX thread: a decoding problem, kept for the log
  void RejectLocally(const OrderRequest& r, int64_t now_ns);
  // Strategy thread: the ClOrdID the venue knows order `id` by now (the original, or its last
  // replace's). Cancels, replaces and status requests name the order by it.
  std::string LiveClOrdId(OrderId id) const;

  FixVenueConfig config_;
  const InstrumentTable* instruments_;
  // The instruments as the venue spells them (venue_profile.h WireInstruments): messages are
  // written and read with these; ids are the same.
  InstrumentTable wire_;
  ClOrdIdScheme ids_;
  bool generic_ = true;  // generic_fix44: the codec's shape, no dialect pass
  FIX::SessionSettings settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::LogFactory> log_factory_;  // a StampingLogFactory
  std::unique_ptr<FIX::Initiator> initiator_;
  FIX::SessionID session_id_;
  FIX::Session* session_ = nullptr;  // set in Create, before the initiator's threads start
  SpscBridge bridge_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> logged_on_{false};
  std::atomic<bool> need_reconcile_{false};
  std::atomic<bool> end_of_data_{false};

  // QuickFIX thread only.
  struct Track {
    Qty cum;
    InstrumentId instrument;
    bool terminal = false;
    bool acked = false;
  };
  absl::flat_hash_map<uint64_t, Track> tracks_;
  absl::flat_hash_set<std::string> exec_ids_;
  bool halted_ = false;                    // a TradingSessionStatus halt is in force
  std::atomic<uint64_t> max_order_id_{0};  // published by the strategy thread
  std::vector<std::string> log_;           // decoding problems, QuickFIX thread (read after Stop)
  enum Stat : uint8_t {
    kLogons, kDisconnects, kMarketMessages, kMarketEvents, kExecReports, kDuplicates,
    kUndecodable, kRefusedResends, kStatusRequests, kLocalRejects, kStatCount
  };
  mutable std::atomic<uint64_t> stat_[kStatCount] = {};

  // Strategy thread only.
  // Every NewOrderSingle is built in this one message: its fields then already exist and take
  // the new values in place, where a fresh message allocated the field vector and each string.
  // Cancels and replaces likewise, each type in its own.
  FIX::Message order_msg_;
  FIX::Message cancel_msg_;
  FIX::Message replace_msg_;
  std::deque<Event> local_;
  std::vector<OrderRequest> requests_;  // requests_[id - 1]
  std::vector<int64_t> sent_at_;        // wall ns when handed to QuickFIX
  absl::flat_hash_map<uint64_t, uint32_t> modifies_sent_;  // order id -> 35=G sent for it
  struct Timer {
    int64_t at;
    uint64_t id;
    uint64_t tag;
    bool operator>(const Timer& o) const { return at != o.at ? at > o.at : id > o.id; }
  };
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  SendObserver* observer_ = nullptr;
  OrderId sending_;  // the NewOrderSingle inside session_->send, for StampingLog
};

// Wall clock, ns since the epoch: the one clock of paper trading (adapters/ may read it).
int64_t WallNanos();

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_VENUE_H_
