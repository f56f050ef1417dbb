#include "core/queue_model_registry.h"

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

// The venue section's own keys (core/sim_venue_config.cc), which no model may take.
constexpr std::string_view kVenueKeys[] = {"entry_latency", "response_latency", "local_shift",
                                           "queue_model", "latency"};

template <typename Model>
QueueModelEntry BuiltIn(std::vector<std::string> keys) {
  QueueModelEntry e;
  e.name = std::string(Model::kName);
  e.keys = std::move(keys);
  e.make_default = [] { return QueueModel(Model{}); };
  e.parse = [](ConfigObject& venue, QueueModel* model) {
    return Model::Parse(venue, std::get_if<Model>(model));
  };
  return e;
}

class Table {
 public:
  Table() {
    entries_.push_back(BuiltIn<RiskAverseQueue>({}));
    entries_.push_back(BuiltIn<PowerQueue>({"queue_power"}));
    entries_.push_back(BuiltIn<LogQueue>({}));
  }

  absl::Status Add(QueueModelEntry e) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const QueueModelEntry& x : entries_) {
      if (x.name == e.name) {
        return absl::AlreadyExistsError(
            absl::StrCat("queue model '", e.name, "' is registered already"));
      }
    }
    entries_.push_back(std::move(e));  // a deque: pointers to the others stay valid
    return absl::OkStatus();
  }

  const QueueModelEntry* Find(std::string_view name) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const QueueModelEntry& e : entries_) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  std::vector<const QueueModelEntry*> All() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<const QueueModelEntry*> out;
    for (const QueueModelEntry& e : entries_) out.push_back(&e);
    return out;
  }

 private:
  std::mutex mu_;
  std::deque<QueueModelEntry> entries_;
};

Table& TheTable() {
  static Table* const table = new Table();  // never destroyed: lookups may come at exit
  return *table;
}

}  // namespace

absl::Status RegisterQueueModel(std::string name, std::vector<std::string> keys,
                                QueueModelParser parse) {
  if (name.empty()) return absl::InvalidArgumentError("a queue model needs a name");
  for (const std::string& k : keys) {
    for (std::string_view own : kVenueKeys) {
      if (k == own) {
        return absl::InvalidArgumentError(absl::StrCat(
            "queue model '", name, "': key '", k, "' belongs to the venue section"));
      }
    }
  }
  QueueModelEntry e;
  e.name = name;
  e.keys = std::move(keys);
  e.make_default = [name] { return QueueModel(CustomQueue{name, nullptr}); };
  e.parse = [name, parse = std::move(parse)](ConfigObject& venue, QueueModel* model) {
    absl::StatusOr<std::shared_ptr<const QueueModelImpl>> impl = parse(venue);
    if (!impl.ok()) return impl.status();
    if (*impl == nullptr) {
      return venue.Error("queue_model", absl::StrCat("queue model '", name, "' gave no model"));
    }
    *model = CustomQueue{name, *std::move(impl)};
    return absl::OkStatus();
  };
  return TheTable().Add(std::move(e));
}

const QueueModelEntry* FindQueueModel(std::string_view name) { return TheTable().Find(name); }

std::vector<std::string> QueueModelNames() {
  std::vector<std::string> names;
  for (const QueueModelEntry* e : TheTable().All()) names.push_back(e->name);
  return names;
}

absl::Status ParseQueueModel(ConfigObject& venue, QueueModel* model) {
  std::string name = std::string(QueueModelName(*model));
  TAPEDECK_RETURN_IF_ERROR(venue.String("queue_model", &name));
  const QueueModelEntry* entry = FindQueueModel(name);
  if (entry == nullptr) {
    return venue.Error("queue_model", absl::StrCat("unknown queue model '", name, "' (",
                                                   absl::StrJoin(QueueModelNames(), ", "), ")"));
  }
  const std::vector<const QueueModelEntry*> all = TheTable().All();
  for (const QueueModelEntry* e : all) {
    for (const std::string& k : e->keys) (void)venue.Raw(k);  // known here; checked below
  }
  if (QueueModelName(*model) != entry->name) *model = entry->make_default();
  TAPEDECK_RETURN_IF_ERROR(entry->parse(venue, model));
  for (const QueueModelEntry* e : all) {
    if (e == entry) continue;
    for (const std::string& k : e->keys) {
      const bool own = std::find(entry->keys.begin(), entry->keys.end(), k) != entry->keys.end();
      if (own || !venue.Has(k)) continue;
      return venue.Error(k, absl::StrCat("only for queue model '", e->name, "' (this one is '",
                                         name, "')"));
    }
  }
  return absl::OkStatus();
}

}  // namespace tapedeck
