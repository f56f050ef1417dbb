// fixsim's session side: admission of a Logon in the venue profile's way, the session's end
// and cancel-on-disconnect (fix_sim.h).
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"
#include "adapters/fix_sim.h"
#include "adapters/fix_sim_state.h"
#include "adapters/fix_venue.h"
#include "adapters/venue_auth.h"
#include "quickfix/Session.h"

namespace tapedeck::adapters {

void FixSim::onLogon(const FIX::SessionID& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) return;
  sessions_[i]->logged_on = true;
  sessions_[i]->session = FIX::Session::lookupSession(id);
  stat_[kLogons].fetch_add(1);
}

void FixSim::onLogout(const FIX::SessionID& id) {
  std::unique_lock<std::mutex> lock(mu_);
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) return;
  SessionState& s = *sessions_[i];
  if (s.logged_on && s.cancel_on_disconnect &&
      (config_.fix.profile->cancel_on_disconnect.on_logout || !s.logout_received)) {
    CancelOnDisconnect(i);
  }
  s.cancel_on_disconnect = false;
  s.logout_received = false;
  s.logged_on = false;
  // A new logon asks for market data again.
  s.any_subscription = false;
  s.subscribed.assign(s.subscribed.size(), false);
  FlushOutbox(lock);  // the cancels' reports: stored by QuickFIX, the session being gone
}

void FixSim::CancelOnDisconnect(size_t i) {
  for (OrderInfo& o : orders_) {
    if (o.session != i || (o.status != '0' && o.status != '1' && o.status != 'A')) continue;
    stat_[kCancelledOnDisconnect].fetch_add(1);
    // The venue's own cancel travels the request channel like any request, so an order the
    // session sent before it dropped reaches the venue first and is cancelled too.
    OrderRequest cancel;
    cancel.id = o.request.id;
    cancel.instrument = o.request.instrument;
    venue_->Send(VenueMessage::kCancel, cancel, next_tag_++);
  }
  AdvanceVenue(venue_->now());
}

void FixSim::toAdmin(FIX::Message& msg, const FIX::SessionID&) {
  static const std::string kQuickFixPrefix = "Rejected Logon Attempt: ";
  if (msg.getHeader().getField(tag::kMsgType) != "5" || !msg.isSetField(tag::kText)) return;
  const std::string text = msg.getField(tag::kText);
  if (absl::StartsWith(text, kQuickFixPrefix)) {
    msg.setField(tag::kText, text.substr(kQuickFixPrefix.size()));
  }
}

void FixSim::fromAdmin(const FIX::Message& msg, const FIX::SessionID& id) {
  const std::string& type = msg.getHeader().getField(tag::kMsgType);
  if (type != "A" && type != "5") return;
  const size_t i = SessionIndex(id);
  if (i == sessions_.size()) {
    if (type == "5") return;
    Refuse(absl::StrCat("logon from unconfigured session ", id.toString()));
    throw FIX::RejectLogon("unknown session");
  }
  if (type == "5") {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[i]->logout_received = true;
    return;
  }
  CheckLogon(msg, i);
}

void FixSim::CheckLogon(const FIX::Message& msg, size_t i) {
  const VenueProfile& profile = *config_.fix.profile;
  SessionState& s = *sessions_[i];
  absl::Status checked;
  {
    std::lock_guard<std::mutex> lock(mu_);
    checked = VerifyLogon(profile, s.identity.credentials, msg, WallNanos(), &s.auth);
    if (checked.ok()) {
      s.cancel_on_disconnect = LogonRequestsCancelOnDisconnect(profile, msg);
      s.logout_received = false;
    }
  }
  if (!checked.ok()) {
    // The reason names fields, never their values (venue_auth.h); Refuse redacts all the same.
    Refuse(absl::StrCat("logon of ", s.id.toString(), ": ", checked.message()));
    throw FIX::RejectLogon(std::string(profile.logon_refused_text));
  }
}

}  // namespace tapedeck::adapters
