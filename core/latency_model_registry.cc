#include "core/latency_model_registry.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/config.h"
#include "core/status.h"

namespace tapedeck {
namespace {

// Keys every latency object may hold, whatever its model.
constexpr std::string_view kCommonKeys[] = {"model", "base", "feed_scale_pct", "vol_scale",
                                            "vol_reference_bp"};

template <typename Model>
LatencyModelEntry BuiltIn(std::vector<std::string> keys, bool needs_base) {
  LatencyModelEntry e;
  e.name = std::string(Model::kName);
  e.keys = std::move(keys);
  e.needs_base = needs_base;
  e.make_default = [] { return LatencyModelSpec(typename Model::Spec{}); };
  e.parse = [](ConfigObject& o, LatencyModelSpec* spec) {
    return Model::Parse(o, std::get_if<typename Model::Spec>(spec));
  };
  return e;
}

class Table {
 public:
  Table() {
    entries_.push_back(BuiltIn<ConstantLatency>({}, true));
    entries_.push_back(BuiltIn<LognormalLatency>({"sigma", "spike_probability", "spike"}, true));
    entries_.push_back(BuiltIn<RecordedLatency>({"file", "align"}, false));
  }

  absl::Status Add(LatencyModelEntry e) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const LatencyModelEntry& x : entries_) {
      if (x.name == e.name) {
        return absl::AlreadyExistsError(
            absl::StrCat("latency model '", e.name, "' is registered already"));
      }
    }
    entries_.push_back(std::move(e));  // a deque: pointers to the others stay valid
    return absl::OkStatus();
  }

  const LatencyModelEntry* Find(std::string_view name) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const LatencyModelEntry& e : entries_) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  std::vector<const LatencyModelEntry*> All() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<const LatencyModelEntry*> out;
    for (const LatencyModelEntry& e : entries_) out.push_back(&e);
    return out;
  }

 private:
  std::mutex mu_;
  std::deque<LatencyModelEntry> entries_;
};

Table& TheTable() {
  static Table* const table = new Table();  // never destroyed: lookups may come at exit
  return *table;
}

bool Contains(const std::vector<std::string>& v, std::string_view k) {
  return std::find(v.begin(), v.end(), k) != v.end();
}

}  // namespace

absl::Status RegisterLatencyModel(std::string name, std::vector<std::string> keys,
                                  LatencyParamsParser parse, bool needs_base) {
  if (name.empty()) return absl::InvalidArgumentError("a latency model needs a name");
  for (const std::string& k : keys) {
    for (std::string_view common : kCommonKeys) {
      if (k == common) {
        return absl::InvalidArgumentError(absl::StrCat(
            "latency model '", name, "': key '", k, "' is common to every model"));
      }
    }
  }
  LatencyModelEntry e;
  e.name = name;
  e.keys = std::move(keys);
  e.needs_base = needs_base;
  e.make_default = [name] { return LatencyModelSpec(CustomLatency::Spec{name, nullptr}); };
  e.parse = [name, parse = std::move(parse)](ConfigObject& o, LatencyModelSpec* spec) {
    const CustomLatency::Spec* now = std::get_if<CustomLatency::Spec>(spec);
    const LatencyModelParams* inherited =
        now != nullptr && now->name == name ? now->params.get() : nullptr;
    absl::StatusOr<std::shared_ptr<const LatencyModelParams>> params = parse(o, inherited);
    if (!params.ok()) return params.status();
    if (*params == nullptr) {
      return o.Error("model", absl::StrCat("latency model '", name, "' gave no parameters"));
    }
    *spec = CustomLatency::Spec{name, *std::move(params)};
    return absl::OkStatus();
  };
  return TheTable().Add(std::move(e));
}

const LatencyModelEntry* FindLatencyModel(std::string_view name) {
  return TheTable().Find(name);
}

std::vector<std::string> LatencyModelNames() {
  std::vector<std::string> names;
  for (const LatencyModelEntry* e : TheTable().All()) names.push_back(e->name);
  return names;
}

// One latency object: {"model": "constant"|"lognormal"|"recorded"|<registered>, "base": "3ms",
// "feed_scale_pct": 50, "vol_scale": "2", "vol_reference_bp": "1", and the model's own keys}.
absl::Status ParseLatencySpec(ConfigObject& o, LatencySpec* out) {
  std::string model = std::string(out->model_name());
  TAPEDECK_RETURN_IF_ERROR(o.String("model", &model));
  const LatencyModelEntry* entry = FindLatencyModel(model);
  if (entry == nullptr) {
    return o.Error("model", absl::StrCat("unknown latency model '", model, "' (allowed: ",
                                         absl::StrJoin(LatencyModelNames(), ", "), ")"));
  }
  const bool has_base = o.Has("base");
  TAPEDECK_RETURN_IF_ERROR(o.DurationValue("base", &out->base));
  LatencyScaling& sc = out->scaling;
  TAPEDECK_RETURN_IF_ERROR(o.Int("feed_scale_pct", &sc.feed_scale_pct));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("vol_scale", 3, &sc.vol_k_milli));
  TAPEDECK_RETURN_IF_ERROR(o.Decimal("vol_reference_bp", 3, &sc.vol_reference_mbp));
  const std::vector<const LatencyModelEntry*> all = TheTable().All();
  for (const LatencyModelEntry* e : all) {
    for (const std::string& k : e->keys) (void)o.Raw(k);  // known here; checked below
  }
  TAPEDECK_RETURN_IF_ERROR(o.Finish());
  if (has_base && out->base.ns < 0) return o.Error("base", "must be >= 0");
  if (entry->needs_base && out->base.ns < 0) {
    return o.Error("base", absl::StrCat("required for model '", model, "'"));
  }
  if (out->model_name() != entry->name) out->model = entry->make_default();
  TAPEDECK_RETURN_IF_ERROR(entry->parse(o, &out->model));
  if (sc.feed_scale_pct < 0) return o.Error("feed_scale_pct", "must be >= 0");
  // k <= 1000 keeps latency x k x vol inside 128 bits (LatencyModel::ScaleByVolatility).
  if (sc.vol_k_milli < 0 || sc.vol_k_milli > 1'000'000) {
    return o.Error("vol_scale", "must be in [0, 1000]");
  }
  if (sc.vol_reference_mbp <= 0) return o.Error("vol_reference_bp", "must be > 0");
  for (const LatencyModelEntry* e : all) {
    if (e == entry) continue;
    for (const std::string& k : e->keys) {
      if (!o.Has(k) || Contains(entry->keys, k)) continue;
      return o.Error(k, absl::StrCat("only for model '", e->name, "' (this one is '", model,
                                     "')"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tapedeck
