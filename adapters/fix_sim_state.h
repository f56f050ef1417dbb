// fixsim's private state, shared by the files that implement FixSim (fix_sim*.cc): one
// configured session's state and one order's, both guarded by FixSim::mu_.
#ifndef TAPEDECK_ADAPTERS_FIX_SIM_STATE_H_
#define TAPEDECK_ADAPTERS_FIX_SIM_STATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "adapters/fix_session_config.h"
#include "adapters/fix_sim.h"
#include "adapters/venue_auth.h"
#include "core/decimal.h"
#include "core/order.h"
#include "core/types.h"
#include "quickfix/Session.h"

namespace tapedeck::adapters {

struct FixSim::SessionState {
  FIX::SessionID id;
  FixSessionIdentity identity;
  FIX::Session* session = nullptr;
  bool logged_on = false;
  LogonState auth;                    // nonces seen (venue_auth.h)
  bool cancel_on_disconnect = false;  // asked for in the last Logon
  bool logout_received = false;       // the client said Logout before the session ended
  std::vector<bool> subscribed;  // by instrument
  bool any_subscription = false;
  std::string md_req_id;
  std::map<std::string, uint64_t> clordids;  // ClOrdID -> venue order id
};

struct FixSim::OrderInfo {
  size_t session = 0;
  std::string clordid;
  std::string cancel_clordid;  // the pending cancel's ClOrdID, if any
  std::string replace_clordid;  // the 35=G being applied (answered before the next message)
  std::string previous_clordid;  // the ClOrdID before the last replacement
  OrderRequest request;        // request.id is the venue's id
  Qty cum;
  Int128 notional = 0;         // sum of price raw x qty raw, for AvgPx
  Price last_px;
  char status = 'A';           // FIX OrdStatus: A pending new, 0, 1, 2, 4, 8
  // OrdStatus as reports carry it: an order the venue has not acknowledged yet reads as New.
  char wire_status() const { return status == 'A' ? '0' : status; }
};

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_SIM_STATE_H_
