// fixsim: a FIX venue simulator (FIX 4.4, or the venue profile's version). A QuickFIX
// SocketAcceptor (or SSLSocketAcceptor) that replays market data from the event sources it is
// handed (files, tapes, the scenario: the runner opens them) to the sessions that subscribed
// with MarketDataRequest (35=V), and matches their orders with the backtester's own
// core::SimVenue, answering with ExecutionReports (35=8) and OrderCancelRejects (35=9). The venue model is the one a backtest runs, from the same "venue"
// section (core/sim_venue_config.h): queue model and latency models included. It runs on venue
// time (core/venue_driver.h): an order reaches the venue after its entry latency and is
// applied when the replay reaches that time; a report leaves when the replay reaches its
// local_ts (venue time + response latency). Wire conventions: adapters/fix_codec.h.
// OrderCancelReplaceRequest
// (35=G) goes through SimVenue::OnModifyArrival (the backtester's modify rules): ExecType=5
// (replaced; the new ClOrdID names the order from then on, the older ones still find it),
// ExecType=4 (new quantity at or below the filled one), or 35=9 with CxlRejResponseTo=2
// (CxlRejReason 0 when the order is already over, else 99 with the reason in Text).
//
// Threads: QuickFIX's one acceptor thread runs the callbacks; the caller's thread replays. Both
// take one mutex around the SimVenue and the session state, build their FIX messages into an
// outbox under it, and send them after releasing it (QuickFIX holds a session's lock while it
// calls fromApp, so sending under our lock would invert the order). Venue time is the
// exchange_ts of the last event published; an order is sent at that time. After the end of the
// data, venue time follows the orders: each is applied at its arrival and answered at once.
//
// Pace: "fast" (as fast as the sessions take it), "realtime", or a speed factor k ("10x").
// Replay starts when `wait_for_sessions` sessions have subscribed; at the end of the data every
// subscribed session gets TradingSessionStatus (35=h, TradSesStatus=3 closed), and the
// simulator keeps serving orders and status requests for `linger`, then stops.
//
// Admission: only configured sessions (SenderCompID/TargetCompID) are accepted, and each
// Logon is checked in the venue profile's way ("fix.venue_profile", adapters/venue_auth.h): the
// generic Username (553) / Password (554), or the venue's signature over its documented fields;
// a bad one is refused with the venue's own Logout text. Refusals are logged (stderr and
// refusals()) with every credential redacted (fix_redact.h), as are the session logs.
// In a venue profile fixsim reads orders in that venue's dialect (venue_dialect.h) and its
// FIX version and dictionaries, and applies cancel-on-disconnect where the Logon asked for it
// in the venue's way: when the session ends (Kraken: only without a Logout), every order it
// left resting is cancelled. fixsim listens on "fix.host" (default 127.0.0.1; "0.0.0.0" for
// every interface) through fix_listen.h, as QuickFIX 1.15.1 has no setting for it; where that
// cannot take effect, Run fails rather than listen on every interface. fixsim logs the address
// of every accepted connection.
// The FileStore keeps sequence numbers across restarts. Order state lives in memory only: after a
// restart, status requests for earlier orders are answered "unknown order".
//
// FixSim is handed its instrument table, the venue model's settings and the opened sources
// (the runner builds them from a fixsim config: runner/fixsim_config.h); its own settings are
// the "fix" section of that config (ParseFixSimSection):
//   {fix_session_config.h acceptor keys, "pace": "fast" | "realtime" | "<k>x",
//    "wait_for_sessions": 1, "linger": "1s"}
#ifndef TAPEDECK_ADAPTERS_FIX_SIM_H_
#define TAPEDECK_ADAPTERS_FIX_SIM_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/fix_session_config.h"
#include "core/config.h"
#include "core/instrument.h"
#include "core/sim_venue_config.h"
#include "core/venue_driver.h"
#include "core/source.h"
#include "quickfix/Acceptor.h"
#include "quickfix/Application.h"
#include "quickfix/Log.h"

namespace tapedeck {
class Merger;
}  // namespace tapedeck

namespace tapedeck::adapters {

struct FixSimConfig {
  InstrumentTable instruments;
  FixSessionConfig fix;
  SimVenueConfig venue;
  int64_t speed_milli = 0;  // 0: as fast as possible; 1000: real time; k x 1000: k times
  int wait_for_sessions = 1;
  Duration linger = Duration::Seconds(1);
};

// Reads the "fix" section of a fixsim config into c->fix, speed_milli, wait_for_sessions and
// linger, and finishes the section (unknown keys are errors naming their path).
absl::Status ParseFixSimSection(ConfigObject& fix, FixSimConfig* c);

struct FixSimStats {
  uint64_t events = 0;            // market-data events replayed
  uint64_t market_messages = 0;   // 35=W/X sent (to all sessions)
  uint64_t orders = 0;            // 35=D accepted for matching
  uint64_t rejects = 0;           // orders rejected (by fixsim's decoding or by SimVenue)
  uint64_t fills = 0;
  uint64_t cancels = 0;
  uint64_t status_requests = 0;
  uint64_t refused_logons = 0;
  uint64_t logons = 0;
  uint64_t cancelled_on_disconnect = 0;  // orders cancelled because their session dropped
};

class FixSim final : private FIX::Application {
 public:
  // Replays `sources` (merged in the total order of core/event_order.h), whose events name
  // instruments of config.instruments.
  static absl::StatusOr<std::unique_ptr<FixSim>> Create(
      const FixSimConfig& config, std::vector<std::unique_ptr<EventSource>> sources);
  ~FixSim() override;

  // Runs the whole session: listen, wait for subscribers, replay, end of data, linger. Returns
  // early (OK) when *interrupt becomes true. `progress` gets a line about every 250 ms. Once
  // only: the sources are used up.
  absl::Status Run(const std::atomic<bool>* interrupt,
                   const std::function<void(const std::string&)>& progress = {});

  FixSimStats stats() const;
  // The port it listens on (a free one was picked when the config said 0).
  int port() const { return config_.fix.port; }
  // Refused logons and unknown sessions, one line each (thread-safe).
  std::vector<std::string> refusals() const;
  // Orders resting at the venue now (acknowledged or pending, not yet filled or cancelled).
  size_t resting_orders();

 private:
  struct SessionState;  // fix_sim_state.h
  struct OrderInfo;     // fix_sim_state.h
  class CaptureLogFactory;
  // Indexes of stat_.
  enum Stat {
    kEvents, kMarketMessages, kOrders, kRejects, kFills, kCancels, kStatusRequests, kRefused,
    kLogons, kCancelledOnDisconnect
  };

  explicit FixSim(const FixSimConfig& config);

  // FIX::Application
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  // A refused Logon's Logout says the venue's words alone (QuickFIX prefixes its own).
  void toAdmin(FIX::Message& msg, const FIX::SessionID&) override;
  // The venue profile's check of a Logon; throws FIX::RejectLogon with the venue's text.
  void CheckLogon(const FIX::Message& msg, size_t session);
  // Cancels the orders session `i` left resting (cancel-on-disconnect); under mu_.
  void CancelOnDisconnect(size_t i);
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override;
  void fromApp(const FIX::Message&, const FIX::SessionID&) override;

  void OnNewOrder(const FIX::Message& msg, size_t session);
  void OnCancel(const FIX::Message& msg, size_t session, bool replace);
  // 35=G for order `o`: applied through SimVenue::OnModifyArrival; `reject` answers 35=9.
  template <typename Reject>
  void OnReplace(const FIX::Message& msg, size_t session, OrderInfo& o, const Reject& reject);
  void OnStatusRequest(const FIX::Message& msg, size_t session);
  void OnMarketDataRequest(const FIX::Message& msg, size_t session);
  void Publish(const Event& e);
  void FlushLevels();
  void SendToSubscribers(FIX::Message& msg, InstrumentId instrument);
  // Applies the orders that reach the venue by venue time `t` and answers the responses due by
  // then; after the data, every order on its way and every response.
  void AdvanceVenue(int64_t t);
  void OnVenueResponse(const Event& r, uint64_t tag);
  void SendExecutionReport(OrderInfo& o, char exec_type, const Event* response, RejectReason reason,
                           const std::string& text);
  void RejectOrder(size_t session, const FIX::Message& msg, int code, const std::string& text);
  // 35=9 for a cancel (response_to '1') or replace ('2') request `clordid` on the order known as
  // `orig_clordid`; `reason` is CxlRejReason(102): "0" too late, "1" unknown order, "99" other.
  void SendCancelReject(size_t session, const std::string& order_id, const std::string& clordid,
                        const std::string& orig_clordid, char ord_status, char response_to,
                        const char* reason, const std::string& text);
  // Run's steps. StartAcceptor listens on "host" only; WaitForSubscribers and Replay return
  // false when *interrupt became true; EndOfData flushes the venue and closes the session.
  absl::Status StartAcceptor();
  void StopAcceptor();
  bool WaitForSubscribers(const std::atomic<bool>* interrupt);
  bool Replay(Merger& merger, const std::atomic<bool>* interrupt,
              const std::function<void(const std::string&)>& progress);
  void EndOfData();
  void Refuse(std::string line);
  size_t SessionIndex(const FIX::SessionID& id) const;
  // Queues `msg` for `session`; FlushOutbox sends the queue after releasing `lock` (on mu_).
  void Send(FIX::Message& msg, size_t session);
  void FlushOutbox(std::unique_lock<std::mutex>& lock);

  struct Outgoing {
    FIX::Session* session;
    FIX::Message message;
  };

  FixSimConfig config_;
  std::vector<std::unique_ptr<EventSource>> sources_;  // until Run merges them
  std::mutex mu_;  // guards everything below that the two threads share
  std::vector<Outgoing> outbox_;
  FIX::SessionSettings settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<CaptureLogFactory> log_factory_;
  std::unique_ptr<FIX::Acceptor> acceptor_;
  std::vector<std::unique_ptr<SessionState>> sessions_;
  std::unique_ptr<VenueDriver> venue_;
  std::vector<OrderInfo> orders_;  // orders_[venue id - 1]
  // Cancels (35=F) and replaces (35=G) on their way to the venue, by the tag of their request:
  // the ClOrdID their answer is for.
  struct Amend {
    uint64_t order = 0;  // venue id
    bool replace = false;
    std::string clordid;
  };
  std::map<uint64_t, Amend> amends_;
  uint64_t next_tag_ = 1;
  bool data_ended_ = false;
  uint64_t next_exec_id_ = 1;
  // Book levels of one venue message (kBookEndOfMessage closes it), sent as one W or X.
  std::vector<Event> pending_levels_;
  mutable std::mutex refusals_mu_;
  std::vector<std::string> refusals_;
  std::atomic<uint64_t> stat_[10] = {};
  std::vector<std::string> secrets_;  // every session's credentials, for redaction
  bool restrict_host_ = false;  // "host" is one address, not "0.0.0.0"
  uint32_t host_addr_ = 0;      // network order
  bool listen_set_ = false;     // SetListenAddress was called for the port
};

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_SIM_H_
