#include "adapters/venue_dialect.h"

#include "absl/strings/str_cat.h"
#include "adapters/fix_codec.h"

namespace tapedeck::adapters {

std::string UnsupportedByVenue(const VenueProfile& profile, const OrderRequest& r) {
  if (r.reduce_only && !profile.reduce_only) {
    return absl::StrCat(std::string(profile.display), " takes no reduce-only orders");
  }
  if (r.tif == TimeInForce::kFok && !profile.fill_or_kill) {
    return absl::StrCat(std::string(profile.display), " takes no fill-or-kill orders");
  }
  if (r.post_only && r.type == OrderType::kMarket) return "a market order cannot be post-only";
  return "";
}

void ApplyOrderDialect(const VenueProfile& profile, const OrderRequest& r, FIX::Message* msg) {
  if (!profile.transact_time) msg->removeField(tag::kTransactTime);
  for (const FixTagValue& f : profile.order_fields) msg->setField(f.tag, std::string(f.value));
  if (!r.post_only) return;
  switch (profile.post_only) {
    case PostOnlyStyle::kExecInst6:
      break;  // the codec's spelling
    case PostOnlyStyle::kExecInstA:
      msg->setField(tag::kExecInst, r.reduce_only ? "A E" : "A");
      break;
    case PostOnlyStyle::kTimeInForceP:
      if (r.reduce_only) {
        msg->setField(tag::kExecInst, "E");
      } else {
        msg->removeField(tag::kExecInst);
      }
      msg->setField(tag::kTimeInForce, "P");
      break;
  }
}

void ApplyCancelDialect(const VenueProfile& profile, FIX::Message* msg) {
  if (!profile.transact_time) msg->removeField(tag::kTransactTime);
}

absl::Status ReadOrderDialect(const VenueProfile& profile, const FIX::Message& msg,
                              OrderRequest* r) {
  for (const FixTagValue& f : profile.order_fields) {
    if (!msg.isSetField(f.tag) || msg.getField(f.tag) != f.value) {
      return absl::InvalidArgumentError(
          absl::StrCat("field ", f.tag, " must be ", std::string(f.value)));
    }
  }
  const std::string tif = msg.isSetField(tag::kTimeInForce) ? msg.getField(tag::kTimeInForce) : "";
  const std::string ei = msg.isSetField(tag::kExecInst) ? msg.getField(tag::kExecInst) : "";
  switch (profile.post_only) {
    case PostOnlyStyle::kExecInst6:
      break;  // read by the generic decoding
    case PostOnlyStyle::kExecInstA:
      if (ei.find('6') != std::string::npos) {
        return absl::InvalidArgumentError("ExecInst 6 is not this venue's post-only; use A");
      }
      r->post_only = ei.find('A') != std::string::npos;
      break;
    case PostOnlyStyle::kTimeInForceP:
      if (ei.find('6') != std::string::npos) {
        return absl::InvalidArgumentError("post-only is TimeInForce P here, not ExecInst 6");
      }
      if (tif == "P") {
        r->post_only = true;
        r->tif = TimeInForce::kGtc;
      }
      break;
  }
  if (tif == "4" && !profile.fill_or_kill) {
    return absl::InvalidArgumentError("fill-or-kill is not supported");
  }
  if (r->reduce_only && !profile.reduce_only) {
    return absl::InvalidArgumentError("reduce-only is not supported");
  }
  if (!profile.transact_time && msg.isSetField(tag::kTransactTime)) {
    return absl::InvalidArgumentError("TransactTime(60) is not a field of this venue's orders");
  }
  return absl::OkStatus();
}

}  // namespace tapedeck::adapters
