// fixsim's run: listen on the configured address, wait for subscribers, replay the merged
// sources on venue time at the configured pace, close the trading session at the end of the
// data, linger, stop (fix_sim.h).
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_listen.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_sim_state.h"
#include "adapters/fix_venue.h"
#include "core/merger.h"
#include "core/status.h"

namespace tapedeck::adapters {

absl::Status FixSim::StartAcceptor() {
  // Listen on "host" only (fix_listen.h).
  const uint32_t listen_address = restrict_host_ ? host_addr_ : htonl(INADDR_ANY);
  SetListenAddress(config_.fix.port, listen_address);
  listen_set_ = true;
  char shown[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &listen_address, shown, sizeof(shown));
  const std::string where = absl::StrCat(shown, ":", config_.fix.port);
  if (const ListenRecord probe = ProbeListen(config_.fix.port, listen_address); probe.error != 0) {
    return absl::UnavailableError(absl::StrCat("FIX acceptor on ", where, ": ", probe.step, ": ",
                                               std::strerror(probe.error)));
  }
  try {
    acceptor_->start();  // one QuickFIX thread serves every session
  } catch (const std::exception& e) {
    std::string why = e.what();
    if (std::optional<ListenRecord> l = ListenedOn(config_.fix.port); l && l->error != 0) {
      why = absl::StrCat(l->step, ": ", std::strerror(l->error));
    }
    return absl::UnavailableError(absl::StrCat("FIX acceptor on ", where, ": ", why));
  }
  const std::optional<ListenRecord> listened = ListenedOn(config_.fix.port);
  if (restrict_host_ && (!listened || listened->error != 0 || listened->address != listen_address)) {
    StopAcceptor();
    return absl::FailedPreconditionError(absl::StrCat(
        "FIX acceptor: this QuickFIX library bound port ", config_.fix.port,
        " on every interface itself, so fixsim cannot listen on ", shown,
        " only (see adapters/fix_listen.h); set \"fix.host\": \"0.0.0.0\" to accept that"));
  }
  std::fprintf(stderr, "fixsim: listening on %s (%zu session%s)\n", where.c_str(),
               sessions_.size(), sessions_.size() == 1 ? "" : "s");
  return absl::OkStatus();
}

void FixSim::StopAcceptor() {
  try {
    acceptor_->stop(true);  // closes every connection; a Logout would cost whole seconds
  } catch (const std::exception&) {
  }
}

bool FixSim::WaitForSubscribers(const std::atomic<bool>* interrupt) {
  auto subscribed = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& s : sessions_) n += s->logged_on && s->any_subscription ? 1 : 0;
    return n;
  };
  while (subscribed() < config_.wait_for_sessions) {
    if (interrupt != nullptr && interrupt->load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

bool FixSim::Replay(Merger& merger, const std::atomic<bool>* interrupt,
                    const std::function<void(const std::string&)>& progress) {
  auto interrupted = [&] { return interrupt != nullptr && interrupt->load(); };
  Event e;
  int64_t t0_wall = 0, t0_data = 0;  // wall clock and exchange time of the first event, ns
  uint64_t count = 0;
  int64_t next_progress = WallNanos() + 250'000'000;
  while (merger.Next(&e)) {
    if (interrupted()) return false;
    if (count == 0) {
      t0_wall = WallNanos();
      t0_data = e.exchange_ts;
    }
    if (config_.speed_milli > 0) {
      const Int128 offset = static_cast<Int128>(e.exchange_ts - t0_data) * 1000 / config_.speed_milli;
      const int64_t target = t0_wall + static_cast<int64_t>(offset);
      for (int64_t now = WallNanos(); now < target && !interrupted(); now = WallNanos()) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<int64_t>(target - now, 1'000'000)));
      }
    }
    ++count;
    {
      std::unique_lock<std::mutex> lock(mu_);
      AdvanceVenue(e.exchange_ts - 1);  // orders and reports due before this event
      venue_->OnMarketData(e);
      Publish(e);
      AdvanceVenue(e.exchange_ts);
      FlushOutbox(lock);
    }
    stat_[kEvents].fetch_add(1, std::memory_order_relaxed);
    if (progress && (count & 1023) == 0 && WallNanos() >= next_progress) {
      next_progress = WallNanos() + 250'000'000;
      const FixSimStats st = stats();
      progress(absl::StrFormat("fixsim: %d events, %d orders, %d fills", st.events, st.orders, st.fills));
    }
  }
  return true;
}

void FixSim::EndOfData() {
  std::unique_lock<std::mutex> lock(mu_);
  FlushLevels();
  // Every order on its way reaches the venue and every report goes out; from now on venue time
  // follows the orders. Then TradingSessionStatus "closed" to every logged-on session.
  data_ended_ = true;
  AdvanceVenue(INT64_MAX);
  for (size_t i = 0; i < sessions_.size(); ++i) {
    if (!sessions_[i]->logged_on) continue;
    FIX::Message h;
    h.getHeader().setField(tag::kMsgType, "h");
    h.setField(tag::kTradingSessionID, "tapedeck");
    h.setField(tag::kTradSesStatus, "3");
    h.setField(tag::kText, "end of data");
    Send(h, i);
  }
  FlushOutbox(lock);
}

absl::Status FixSim::Run(const std::atomic<bool>* interrupt,
                         const std::function<void(const std::string&)>& progress) {
  if (sources_.empty()) return absl::FailedPreconditionError("fixsim: Run was called before");
  Merger merger(std::move(sources_));
  sources_.clear();
  TAPEDECK_RETURN_IF_ERROR(merger.Init());
  TAPEDECK_RETURN_IF_ERROR(StartAcceptor());
  // An interrupt ends the run early, and OK.
  if (!WaitForSubscribers(interrupt) || !Replay(merger, interrupt, progress)) {
    StopAcceptor();
    return absl::OkStatus();
  }
  if (!merger.status().ok()) {
    StopAcceptor();
    return merger.status();
  }
  EndOfData();
  const int64_t linger_end = WallNanos() + config_.linger.ns;
  while (WallNanos() < linger_end && !(interrupt != nullptr && interrupt->load())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  StopAcceptor();
  return absl::OkStatus();
}

}  // namespace tapedeck::adapters
