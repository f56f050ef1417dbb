// Keeping credentials out of every log: the values of Password(554), RawDataLength(95),
// RawData(96) and Deribit's DeribitAppSig(9005) become "***" in FIX text (SOH- or
// '|'-delimited), and any configured secret appearing anywhere is replaced too. Both ends
// write their QuickFIX logs through RedactingLogFactory, and fixsim's refusal lines go through
// RedactFixText.
#ifndef TAPEDECK_ADAPTERS_FIX_REDACT_H_
#define TAPEDECK_ADAPTERS_FIX_REDACT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quickfix/Log.h"

namespace tapedeck::adapters {

inline constexpr std::string_view kRedacted = "***";

// `text` with the values of the secret-bearing tags and every occurrence of `secrets` replaced
// by kRedacted. Text without any of them comes back unchanged.
std::string RedactFixText(std::string_view text, const std::vector<std::string>& secrets);

// Wraps a LogFactory (may be null: then logs go nowhere) so that every line it writes is
// redacted first.
class RedactingLogFactory final : public FIX::LogFactory {
 public:
  RedactingLogFactory(std::unique_ptr<FIX::LogFactory> inner, std::vector<std::string> secrets)
      : inner_(std::move(inner)), secrets_(std::move(secrets)) {}
  FIX::Log* create() override;
  FIX::Log* create(const FIX::SessionID& id) override;
  void destroy(FIX::Log* log) override;

 private:
  class Log;
  std::unique_ptr<FIX::LogFactory> inner_;
  std::vector<std::string> secrets_;
};

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_REDACT_H_
