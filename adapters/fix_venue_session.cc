// FixVenue's session side (adapters/fix_venue.h): logon and logout, the trading-session status
// that reaches the strategy as a VenueStatus, the signed logon, refused resends and the
// market-data subscription. QuickFIX's thread calls all of these.
#include <exception>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_venue.h"
#include "adapters/venue_auth.h"
#include "quickfix/Group.h"

namespace tapedeck::adapters {

void FixVenue::onLogon(const FIX::SessionID&) {
  logged_on_.store(true, std::memory_order_release);
  stat_[kLogons].fetch_add(1, std::memory_order_relaxed);
  // Reconcile before the strategy hears of the logon, so its first requests follow the status
  // requests of its open orders.
  need_reconcile_.store(true, std::memory_order_release);
  if (config_.market_data) SendMarketDataRequest();
  PushStatus(VenueStatus::kConnected, WallNanos());
}

void FixVenue::onLogout(const FIX::SessionID&) {
  // QuickFIX calls this after every failed connect too; only a real drop is news.
  if (!logged_on_.exchange(false)) return;
  stat_[kDisconnects].fetch_add(1, std::memory_order_relaxed);
  if (stopping_.load()) return;
  PushStatus(VenueStatus::kDisconnected, WallNanos());
}

void FixVenue::PushStatus(VenueStatus status, int64_t local_ns) {
  Event e = MakeEvent(EventKind::kVenueStatus, InstrumentId(), Timestamp(local_ns),
                      Timestamp(local_ns));
  e.venue.status = status;
  Push(e);
}

void FixVenue::OnTradingSessionStatus(const FIX::Message& msg, int64_t local_ns) {
  if (!msg.isSetField(tag::kTradSesStatus)) return;
  const std::string& status = msg.getField(tag::kTradSesStatus);
  if (status == "1" && !halted_) {
    halted_ = true;
    PushStatus(VenueStatus::kTradingHalted, local_ns);
  } else if (status == "2" && halted_) {
    halted_ = false;
    PushStatus(VenueStatus::kTradingResumed, local_ns);
  } else if (status == "3") {
    // The news first, then the flag: a strategy loop that reads end_of_data() before it polls
    // finds the news in that poll (PaperRunner::Run).
    PushStatus(VenueStatus::kDataEnded, local_ns);
    end_of_data_.store(true, std::memory_order_release);
  }
}

void FixVenue::toAdmin(FIX::Message& msg, const FIX::SessionID&) {
  if (msg.getHeader().getField(tag::kMsgType) != "A") return;
  // QuickFIX has filled the header (MsgSeqNum, SendingTime): the profile signs over it.
  const FixSessionIdentity& id = config_.session.sessions.front();
  if (absl::Status s = SignLogon(profile(), id.credentials, config_.cancel_on_disconnect,
                                 WallNanos(), &msg);
      !s.ok()) {
    Note(absl::StrCat("Logon not signed: ", s.message()));
  }
}

void FixVenue::toApp(FIX::Message& msg, const FIX::SessionID&) {
  // An order resent as a possible duplicate after a reconnect was already reported rejected
  // to the strategy (or reconciled); sending it now would duplicate it.
  if (msg.getHeader().isSetField(tag::kPossDupFlag) &&
      msg.getHeader().getField(tag::kPossDupFlag) == "Y") {
    stat_[kRefusedResends].fetch_add(1, std::memory_order_relaxed);
    throw FIX::DoNotSend();
  }
}

void FixVenue::SendMarketDataRequest() {
  std::vector<std::string> symbols;
  for (const std::string& s : config_.symbols) {
    symbols.push_back(wire_.at(*instruments_->Find(s)).symbol);
  }
  if (symbols.empty()) {
    for (const Instrument& in : wire_.all()) symbols.push_back(in.symbol);
  }
  if (symbols.empty()) return;
  FIX::Message msg;
  msg.getHeader().setField(tag::kMsgType, "V");
  msg.setField(tag::kMDReqID, absl::StrCat("tapedeck-", stat_[kLogons].load()));
  msg.setField(tag::kSubscriptionRequestType, "1");
  msg.setField(tag::kMarketDepth, std::to_string(config_.market_depth));
  msg.setField(tag::kMDUpdateType, "1");
  for (const char* type : {"0", "1", "2", "3", "6", "C"}) {
    FIX::Group g(tag::kNoMDEntryTypes, tag::kMDEntryType);
    g.setField(tag::kMDEntryType, type);
    msg.addGroup(g);
  }
  for (const std::string& s : symbols) {
    FIX::Group g(tag::kNoRelatedSym, tag::kSymbol);
    g.setField(tag::kSymbol, s);
    msg.addGroup(g);
  }
  try {
    session_->send(msg);
  } catch (const std::exception& e) {
    Note(absl::StrCat("MarketDataRequest not sent: ", e.what()));
  }
}

}  // namespace tapedeck::adapters
