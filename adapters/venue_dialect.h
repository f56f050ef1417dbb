// Orders in a venue's dialect. fix_codec.h writes and reads the generic FIX 4.4 shape; these
// functions turn an order message into the profile's (post-only spelling, TransactTime where the
// venue has none, the fields every order carries) and back. generic_fix44 is the codec's shape
// itself: callers skip these for it, so its hot path stays as it was.
#ifndef TAPEDECK_ADAPTERS_VENUE_DIALECT_H_
#define TAPEDECK_ADAPTERS_VENUE_DIALECT_H_

#include <string>

#include "absl/status/status.h"
#include "adapters/venue_profile.h"
#include "core/order.h"
#include "quickfix/Message.h"

namespace tapedeck::adapters {

// Why the profile cannot carry `r` (empty when it can): reduce-only on a spot venue, fill or
// kill where the venue has none. FixVenue rejects such a request before it leaves.
std::string UnsupportedByVenue(const VenueProfile& profile, const OrderRequest& r);

// Initiator: rewrites a NewOrderSingle or OrderCancelReplaceRequest built by fix_codec.h for
// `r` into the profile's dialect; and an OrderCancelRequest.
void ApplyOrderDialect(const VenueProfile& profile, const OrderRequest& r, FIX::Message* msg);
void ApplyCancelDialect(const VenueProfile& profile, FIX::Message* msg);

// Acceptor: checks the dialect's own fields of an incoming NewOrderSingle and reads its
// post-only spelling into `r` (already decoded the generic way). An error's message is the
// venue's reject text.
absl::Status ReadOrderDialect(const VenueProfile& profile, const FIX::Message& msg,
                              OrderRequest* r);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_VENUE_DIALECT_H_
