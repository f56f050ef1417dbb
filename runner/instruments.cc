#include "runner/instruments.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/instrument_config.h"
#include "core/status.h"

namespace tapedeck::runner {

absl::Status InstrumentMerger::Add(const std::string& where, std::vector<Instrument> instruments) {
  for (Instrument& in : instruments) {
    absl::StatusOr<InstrumentId> existing = table_.Find(in.symbol);
    if (existing.ok()) {
      const Instrument& e = table_.at(*existing);
      if (e.price_scale != in.price_scale || e.qty_scale != in.qty_scale) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": instrument ", in.symbol, " has price/qty scales ", in.price_scale, "/",
            in.qty_scale, " here but ", e.price_scale, "/", e.qty_scale, " in ",
            origin_[existing->value]));
      }
      continue;
    }
    if (absl::Status s = table_.Add(std::move(in)); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(where, ": ", s.message()));
    }
    origin_.emplace_back(where);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Instrument>> LoadInstrumentsFile(const std::string& path) {
  nlohmann::json doc;
  TAPEDECK_RETURN_IF_ERROR(LoadConfigJson(path, &doc));
  nlohmann::json array = doc;
  std::string where = path;
  if (doc.is_object()) {
    if (!doc.contains("instruments")) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": expected an array of instruments or an object with \"instruments\""));
    }
    array = doc["instruments"];
    where = "instruments";
  }
  if (!array.is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", where, ": expected an array"));
  }
  std::vector<Instrument> out;
  InstrumentTable check;
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string at = absl::StrCat(where == path ? "" : where, "[", i, "]");
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o, ConfigObject::Of(&array[i], at));
    absl::StatusOr<Instrument> in = ParseInstrument(o);
    if (!in.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", in.status().message()));
    if (absl::Status s = check.Add(*in); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", at, ": ", s.message()));
    }
    out.push_back(std::move(*in));
  }
  return out;
}

}  // namespace tapedeck::runner
