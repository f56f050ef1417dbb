// The outputs read back by a reader that is not ours: Python's csv module parses every CSV of a
// run, and every summary.json validates against docs/summary.schema.json (a small validator in
// the script, which runs with any python3; schemas_test.cc checks every schema with Debian's
// python3-jsonschema).
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

using ::tapedeck::testing::Shell;

// check_outputs.py DIR SCHEMA: parses every *.csv under DIR with csv and validates every
// summary.json against SCHEMA (type, required, properties, items, const, pattern, minimum,
// maximum, $ref, oneOf, allOf: what the schema uses). Prints "OK <csv> <json>" or the errors.
constexpr char kScript[] = R"py(
import csv, json, os, re, sys

root, schema_path = sys.argv[1], sys.argv[2]
schema = json.load(open(schema_path))
errors = []

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}

def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])

def resolve(ref):
    node = schema
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node

def validate(v, s, path):
    errs = []
    if "$ref" in s:
        errs += validate(v, resolve(s["$ref"]), path)
    if "allOf" in s:
        for sub in s["allOf"]:
            errs += validate(v, sub, path)
    if "oneOf" in s:
        ok = [sub for sub in s["oneOf"] if not validate(v, sub, path)]
        if len(ok) != 1:
            errs.append("%s: matches %d of the oneOf alternatives" % (path, len(ok)))
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in types):
            return errs + ["%s: %r is not of type %s" % (path, v, types)]
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (path, v, s["const"]))
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < s["minimum"]:
            errs.append("%s: %r < minimum %r" % (path, v, s["minimum"]))
        if "maximum" in s and v > s["maximum"]:
            errs.append("%s: %r > maximum %r" % (path, v, s["maximum"]))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: required key '%s' is missing" % (path, k))
        for k, sub in s.get("properties", {}).items():
            if k in v:
                errs += validate(v[k], sub, path + "." + k)
    if isinstance(v, list) and "items" in s:
        for i, item in enumerate(v):
            errs += validate(item, s["items"], "%s[%d]" % (path, i))
    return errs

INT_COLUMNS = {"ts", "local_ts", "exchange_ts", "open_ts", "close_ts", "order_id", "fills"}
n_csv = n_json = 0
for dirpath, dirnames, filenames in sorted(os.walk(root)):
    dirnames.sort()
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        if name.endswith(".csv"):
            n_csv += 1
            with open(path, newline="") as f:
                rows = list(csv.reader(f, strict=True))
            if not rows:
                errors.append(path + ": no header")
                continue
            header = rows[0]
            if len(set(header)) != len(header):
                errors.append(path + ": duplicate column names")
            for i, row in enumerate(rows[1:], start=2):
                if len(row) != len(header):
                    errors.append("%s:%d: %d fields, header has %d" % (path, i, len(row), len(header)))
                    continue
                for col, val in zip(header, row):
                    if col in INT_COLUMNS and val != "":
                        try:
                            int(val)
                        except ValueError:
                            errors.append("%s:%d: %s: %r is not an integer" % (path, i, col, val))
                    elif col in ("equity", "cash", "price", "qty", "fee", "fees", "pnl", "last_price",
                                 "mid_price", "position", "entry_price", "exit_price",
                                 "amount") and val != "":
                        try:
                            float(val)
                        except ValueError:
                            errors.append("%s:%d: %s: %r is not a number" % (path, i, col, val))
        elif name == "summary.json":
            n_json += 1
            doc = json.load(open(path))
            errors += [path + ": " + e for e in validate(doc, schema, "$")]

for e in errors[:50]:
    print(e)
if errors:
    sys.exit(1)
print("OK %d %d" % (n_csv, n_json))
)py";

class OutputsPythonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("outputs_python") + "/out");
    std::string out;
    ASSERT_EQ(Shell(absl::StrCat(CliPath(), " run --quiet --out ", *dir_, " 2>&1"), &out), 0) << out;
    script_ = new std::string(MakeTempDir("outputs_python_script") + "/check_outputs.py");
    WriteFile(*script_, kScript);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete script_;
  }
  static std::string Check(const std::string& dir, int* rc) {
    std::string out;
    *rc = Shell(absl::StrCat("python3 ", *script_, " ", dir, " ", SourceDir(), "/docs/summary.schema.json 2>&1"),
                &out);
    return out;
  }
  static std::string* dir_;
  static std::string* script_;
};
std::string* OutputsPythonTest::dir_ = nullptr;
std::string* OutputsPythonTest::script_ = nullptr;

TEST_F(OutputsPythonTest, EveryCsvParsesAndEverySummaryValidates) {
  int rc = 0;
  const std::string out = Check(*dir_, &rc);
  EXPECT_EQ(rc, 0) << out;
  // 2 strategies x 6 CSV files (orders, fills, equity, prices, round_trips, account); 3
  // summaries.
  EXPECT_THAT(out, HasSubstr("OK 12 3"));
}

TEST_F(OutputsPythonTest, TheCheckRejectsASummaryThatBreaksTheSchema) {
  const std::string bad = MakeTempDir("outputs_python_bad");
  nlohmann::json s = nlohmann::json::parse(ReadFile(*dir_ + "/dip_buyer/summary.json"));
  s["metrics"].erase("sharpe");
  s["metrics"]["max_drawdown"]["fraction"] = "0.1";
  s["pnl"] = 12.5;
  WriteFile(bad + "/summary.json", s.dump(2));
  WriteFile(bad + "/fills.csv", "a,b\n1,2,3\n");
  int rc = 0;
  const std::string out = Check(bad, &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_THAT(out, HasSubstr("fills.csv:2: 3 fields, header has 2"));
  EXPECT_THAT(out, HasSubstr("oneOf"));
  // The alternatives' errors are not printed one by one; check the strategy schema directly.
  WriteFile(bad + "/fills.csv", "a,b\n1,2\n");
  const std::string one = MakeTempDir("outputs_python_schema") + "/schema.json";
  nlohmann::json schema = nlohmann::json::parse(ReadFile(SourceDir() + "/docs/summary.schema.json"));
  schema["oneOf"] = nlohmann::json::array({{{"$ref", "#/$defs/strategy_summary"}}});
  schema.erase("oneOf");
  schema["$ref"] = "#/$defs/strategy_summary";
  WriteFile(one, schema.dump());
  std::string detail;
  rc = Shell(absl::StrCat("python3 ", *script_, " ", bad, " ", one, " 2>&1"), &detail);
  EXPECT_EQ(rc, 1) << detail;
  EXPECT_THAT(detail, HasSubstr("$.metrics: required key 'sharpe' is missing"));
  EXPECT_THAT(detail, HasSubstr("$.metrics.max_drawdown.fraction: '0.1' is not of type"));
  EXPECT_THAT(detail, HasSubstr("$.pnl: 12.5 is not of type"));
}

}  // namespace
}  // namespace tapedeck::runner
