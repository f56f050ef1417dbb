// report.html: built from the run's files, self-contained, loads in headless Chromium with no
// console errors and drawn charts; `tapedeck report` rebuilds it byte for byte; `compare` works;
// a strategy's generic sections and charts are drawn without the page knowing the strategy.
#include "analysis/report.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analysis/chart.h"
#include "analysis/report_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_util.h"

namespace tapedeck::analysis {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

using ::tapedeck::testing::Shell;

// The built-in default run (the 2026-02-05 deleveraging scenario, basis_reentry and dip_buyer),
// made once for the suite.
const std::string& ScenarioRun() {
  static const std::string dir = [] {
    const std::string d = MakeTempDir("report_scenario") + "/out";
    std::string out;
    const int rc = Shell(absl::StrCat(CliPath(), " run --quiet --out ", d, " 2>&1"), &out);
    EXPECT_EQ(rc, 0) << out;
    return d;
  }();
  return dir;
}

std::string ArtifactDir() {
  const std::string d = std::string(TAPEDECK_BINARY_DIR) + "/test-artifacts";
  std::filesystem::create_directories(d);
  return d;
}

std::string Chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::string out;
    if (Shell(absl::StrCat("command -v ", name, " 2>/dev/null"), &out) == 0 && !out.empty()) {
      return std::string(absl::StripTrailingAsciiWhitespace(out));
    }
  }
  return "";
}

std::string ChromiumFlags(const std::string& profile) {
  return absl::StrCat(
      " --headless --no-sandbox --disable-gpu --disable-background-networking"
      " --disable-component-update --disable-sync --no-first-run --user-data-dir=",
      profile, " --enable-logging=stderr --v=0 --virtual-time-budget=2000");
}

// Whether `text` contains `part` (pages are large: failures print only `part`).
bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// How many times `part` occurs in `text`.
size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++n;
  return n;
}

// The `d` attributes of every <path class="CLS"> in `html`.
// A plain scan, not std::regex: libstdc++'s matcher recurses per character and overflows the
// stack on the long `d` attributes of large runs (seen under ASan).
// With `full_view_only`, not the detail drawn only when zoomed in (data-zin).
std::vector<std::string> PathsOf(const std::string& html, const std::string& cls,
                                 bool full_view_only = false) {
  std::vector<std::string> out;
  const std::string open = "<path class=\"" + cls + "\"";
  for (size_t pos = html.find(open); pos != std::string::npos; pos = html.find(open, pos + 1)) {
    const size_t end = html.find('>', pos);
    const size_t d = html.find(" d=\"", pos);
    if (d == std::string::npos || d > end) continue;
    if (full_view_only && html.substr(pos, d - pos).find("data-zin") != std::string::npos) continue;
    const size_t close = html.find('"', d + 4);
    if (close == std::string::npos) break;
    out.push_back(html.substr(d + 4, close - d - 4));
  }
  return out;
}

TEST(ReportTest, RunWritesSelfContainedReportsWithChartsAndTables) {
  const std::string& dir = ScenarioRun();
  for (const char* label : {"basis_reentry", "dip_buyer"}) {
    const std::string html = ReadFile(absl::StrCat(dir, "/", label, "/report.html"));
    ASSERT_FALSE(html.empty()) << label;
    // Nothing fetched from anywhere: the only URL is the SVG namespace.
    const std::string stripped = std::regex_replace(html, std::regex("http://www\\.w3\\.org/2000/svg"), "");
    EXPECT_FALSE(Has(stripped, "http://")) << label;
    EXPECT_FALSE(Has(stripped, "https://")) << label;
    // One inline script (zoom and pan), nothing loaded from a file.
    EXPECT_EQ(Count(html, "<script"), 1u) << label;
    EXPECT_TRUE(Has(html, "<script>\n(function () {")) << label;
    for (const char* id : {"id=\"equity\"", "id=\"drawdown\"", "id=\"position\"", "Round trips", "Config",
                           "&quot;seed&quot;: 20260205"}) {
      EXPECT_TRUE(Has(html, id)) << label << ": " << id;
    }
    EXPECT_GE(PathsOf(html, "line").size(), 4u) << label;  // equity, drawdown, price, position
    EXPECT_FALSE(PathsOf(html, "buy").empty()) << label;
    EXPECT_FALSE(Has(html, "nan")) << label;
    EXPECT_FALSE(Has(html, "inf\"")) << label;
  }
  // The spread strategy's own section and chart, as it reports them (Strategy::Sections).
  const std::string basis = ReadFile(dir + "/basis_reentry/report.html");
  EXPECT_TRUE(Has(basis, "id=\"basis\""));
  EXPECT_TRUE(Has(basis, "<h2>Basis rounds: basis at entry and exit</h2>"));
  // Its spot and future legs carry the round's trade group: one trade, shown so.
  EXPECT_TRUE(Has(basis, "<th>trade</th>"));
  EXPECT_TRUE(Has(basis, "2 round trips make 1 trade."));
  // The index links both reports.
  const std::string index = ReadFile(dir + "/report.html");
  EXPECT_TRUE(Has(index, "href=\"basis_reentry/report.html\""));
  EXPECT_TRUE(Has(index, "href=\"dip_buyer/report.html\""));
}

TEST(ReportTest, ReportCommandRebuildsTheSameBytesFromTheFiles) {
  const std::string& dir = ScenarioRun();
  const std::string copy = MakeTempDir("report_rebuild") + "/out";
  std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
  const std::string before = ReadFile(copy + "/basis_reentry/report.html");
  std::filesystem::remove(copy + "/basis_reentry/report.html");
  std::filesystem::remove(copy + "/report.html");
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " report ", copy, " 2>&1"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("basis_reentry/report.html"));
  EXPECT_EQ(ReadFile(copy + "/basis_reentry/report.html"), before);
  EXPECT_FALSE(ReadFile(copy + "/report.html").empty());
  // Errors name the file; a bad command line exits 2.
  EXPECT_EQ(Shell(absl::StrCat(CliPath(), " report ", copy, "/nope 2>&1"), &out), 1);
  EXPECT_THAT(out, HasSubstr("nope/summary.json"));
  EXPECT_EQ(Shell(absl::StrCat(CliPath(), " report 2>&1"), &out), 2);
  EXPECT_EQ(Shell(absl::StrCat(CliPath(), " report --help"), &out), 0);
  EXPECT_THAT(out, HasSubstr("usage: tapedeck report"));
}

TEST(ReportTest, CompareWritesTheTableAndOverlaidCurves) {
  const std::string& dir = ScenarioRun();
  const std::string html = MakeTempDir("report_compare") + "/cmp.html";
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " compare ", dir, " ", dir, "/dip_buyer --out ", html, " 2>&1"), &out), 0)
      << out;
  for (const char* row : {"return", "max drawdown", "sharpe", "round trips", "win rate", "basis_reentry"}) {
    EXPECT_THAT(out, HasSubstr(row));
  }
  const std::string page = ReadFile(html);
  // Three runs (dip_buyer twice, told apart by directory), three overlaid charts.
  EXPECT_EQ(PathsOf(page, "line").size(), 9u);
  EXPECT_TRUE(Has(page, "dip_buyer (out)"));
  // Each metric's best run in bold, by the metric table's direction: dip_buyer's sharpe (twice,
  // the same run) is higher, its max drawdown lower; events have no direction. A Sharpe from
  // three days of returns is flagged, with the footnote that says why.
  EXPECT_TRUE(Has(page, "<tr><td>sharpe</td><td>1.52*</td><td class=\"best\">43.02*</td>"
                        "<td class=\"best\">43.02*</td></tr>"));
  EXPECT_TRUE(Has(page, "* annualised from 3.0 days of data (under the 30-day minimum)"));
  EXPECT_THAT(out, HasSubstr("* annualised from 3.0 days of data"));
  EXPECT_TRUE(Has(page, "<tr><td>max drawdown</td><td>0.14%</td><td class=\"best\">"));
  // basis_reentry's hedged pair is one trade (its legs share a trade group).
  EXPECT_TRUE(Has(page, "<tr><td>round trips</td><td>1</td><td>1</td><td>1</td></tr>"));
  EXPECT_EQ(Shell(absl::StrCat(CliPath(), " compare --help"), &out), 0);
  EXPECT_THAT(out, HasSubstr("--out FILE"));
}

TEST(ReportTest, LargeRunsAreDownsampledAndMarkersCapped) {
  // 200,000 equity samples and 100,000 fills, written as a run's files.
  const std::string dir = MakeTempDir("report_large");
  std::string equity = "ts,ts_utc,equity,cash,realized_pnl,unrealized_pnl,fees\n";
  std::string prices = "ts,ts_utc,symbol,last_price,mid_price,position\n";
  const int64_t t0 = 1770249600LL * 1'000'000'000;  // 2026-02-05T00:00:00Z
  for (int i = 0; i < 200'000; ++i) {
    const int64_t ts = t0 + int64_t{i} * 1'000'000'000;
    // A spike at i = 123,457 must survive downsampling.
    const int v = i == 123'457 ? 200'000 : 100'000 + (i % 1000);
    absl::StrAppend(&equity, ts, ",x,", v, ".00000000,0,0,0,0\n");
    absl::StrAppend(&prices, ts, ",x,AAA,", 100 + i % 7, ".00,,", i % 3, "\n");
  }
  std::string fills = "local_ts,exchange_ts,ts_utc,order_id,symbol,side,price,qty,liquidity,fee\n";
  for (int i = 0; i < 100'000; ++i) {
    const int64_t ts = t0 + int64_t{i} * 2'000'000'000;
    absl::StrAppend(&fills, ts, ",", ts, ",x,", i + 1, ",AAA,", i % 2 ? "sell" : "buy", ",100.00,1,taker,0.01\n");
  }
  WriteFile(dir + "/equity.csv", equity);
  WriteFile(dir + "/prices.csv", prices);
  WriteFile(dir + "/fills.csv", fills);
  // A real summary (every key the schema requires), relabelled for this run.
  nlohmann::json summary = nlohmann::json::parse(ReadFile(ScenarioRun() + "/dip_buyer/summary.json"));
  summary["label"] = "big";
  summary["strategy"] = "x";
  summary["initial_cash"] = "100000.00000000";
  summary["start"] = "2026-02-05T00:00:00Z";
  summary["end"] = "2026-02-07T07:33:19Z";
  summary["config"] = nlohmann::json::object();
  WriteFile(dir + "/summary.json", summary.dump());
  absl::StatusOr<RunData> run = LoadRun(dir);
  ASSERT_THAT(run, IsOk());
  const std::string html = RenderRunReport(*run);
  EXPECT_LT(html.size(), 2'000'000u);
  // Each side thinned on its own: every 50th of 50,000 buys and of 50,000 sells (they
  // alternate, so thinning both together would keep one side only).
  EXPECT_EQ(PathsOf(html, "buy").size(), kMaxMarkersPerSide);
  EXPECT_EQ(PathsOf(html, "sell").size(), kMaxMarkersPerSide);
  EXPECT_TRUE(Has(html, "every 50th of 50000 buys, every 50th of 50000 sells shown"));
  for (const std::string& d : PathsOf(html, "line", /*full_view_only=*/true)) {
    const size_t points = static_cast<size_t>(std::count(d.begin(), d.end(), 'L') +
                                              std::count(d.begin(), d.end(), 'H') +
                                              std::count(d.begin(), d.end(), 'M'));
    EXPECT_LE(points, kMaxCurvePoints + 2);
  }
  // The spike survives: the equity path reaches the top of the plot (y in 34..50; the rest of
  // the curve sits near the bottom, y ~ 258).
  const std::string eq = PathsOf(html, "line")[0];
  EXPECT_TRUE(std::regex_search(eq, std::regex("[ML][0-9.]+ (3[4-9]|4[0-9])\\.[0-9]")))
      << "the 200,000 spike is missing from the downsampled equity curve";
}

// A copy of the scenario's basis_reentry directory whose summary.json is edited by `edit`.
std::string EditedBasisRun(const std::string& name,
                           const std::function<void(nlohmann::json*)>& edit) {
  const std::string dir = MakeTempDir(name) + "/basis";
  std::filesystem::copy(ScenarioRun() + "/basis_reentry", dir,
                        std::filesystem::copy_options::recursive);
  nlohmann::json summary = nlohmann::json::parse(ReadFile(dir + "/summary.json"));
  edit(&summary);
  WriteFile(dir + "/summary.json", summary.dump(2));
  return dir;
}

// The generic parts, by hand, in place of basis_reentry's own: the page draws them, and nothing
// of the strategy's parameters (no "spot"/"future" in the config).
void AddGenericParts(nlohmann::json* s) {
  (*s)["config"] = {{"strategies", {{{"name", "basis_reentry"}, {"params", {{"x", 1}}}}}}};
  (*s)["strategy_sections"] = nlohmann::json::parse(R"json([
    {"title": "Basis rounds", "note": "annualised basis in bps & <raw>",
     "columns": ["entry", "entry basis (bps)", "exit basis (bps)", "pnl"],
     "rows": [["2026-02-05T16:48:20Z", 750, null, 12.5], ["2026-02-06T01:00:00Z", -3, 450, "n/a"]]}
  ])json");
  (*s)["strategy_charts"] = nlohmann::json::parse(R"json([
    {"kind": "spread_bps", "title": "near basis", "instruments": ["BTC-SPOT", "BTC-FUT-NEAR"]},
    {"kind": "spread_bps", "title": "far basis", "instruments": ["BTC-SPOT", "BTC-FUT-FAR"]},
    {"kind": "spread_bps", "title": "missing", "instruments": ["BTC-SPOT", "ETH-PERP"]}
  ])json");
}

TEST(ReportTest, StrategySectionsAndChartsAreDrawnFromTheSummaryAlone) {
  const std::string dir = EditedBasisRun("report_generic", AddGenericParts);
  absl::StatusOr<RunData> run = LoadRun(dir);
  ASSERT_THAT(run, IsOk());
  const std::string html = RenderRunReport(*run);
  EXPECT_TRUE(Has(html, "<h2>Basis rounds</h2>\n<p class=\"sub\">annualised basis in bps &amp; "
                        "&lt;raw&gt;</p>\n<table><tr><th>entry</th><th>entry basis (bps)</th>"
                        "<th>exit basis (bps)</th><th>pnl</th></tr>\n"));
  EXPECT_TRUE(Has(html, "<tr><td>2026-02-05T16:48:20Z</td><td>750</td><td>-</td><td>12.5</td></tr>"));
  EXPECT_TRUE(Has(html, "<tr><td>2026-02-06T01:00:00Z</td><td>-3</td><td>450</td><td>n/a</td></tr>"));
  // Two spread charts, each with its curve, and a note for the instrument without prices.
  EXPECT_TRUE(Has(html, "<h2>Near basis</h2>\n<svg class=\"chart\" id=\"near-basis\""));
  EXPECT_TRUE(Has(html, "Near basis BTC-FUT-NEAR \u2212 BTC-SPOT (mids, bps of BTC-SPOT, not annualised)"));
  EXPECT_TRUE(Has(html, "id=\"far-basis\""));
  EXPECT_TRUE(Has(html, "<title>far basis</title>"));
  EXPECT_TRUE(Has(html, "<h2>Missing</h2>\n<p class=\"note\">No prices for ETH-PERP in prices.csv: "
                        "no chart.</p>"));
  // The page draws only the summary's parts: not basis_reentry's own chart or section.
  EXPECT_FALSE(Has(html, "id=\"basis\""));
  EXPECT_FALSE(Has(html, "basis at entry and exit"));
  // The equity, price and position charts plus two spread curves.
  EXPECT_GE(PathsOf(html, "line").size(), 6u);
}

TEST(ReportTest, EmptyPartsDrawNothingOfTheStrategy) {
  // A strategy that reports no sections and no charts: none, and no basis guessed either.
  const std::string dir = EditedBasisRun("report_empty_parts", [](nlohmann::json* s) {
    (*s)["strategy_sections"] = nlohmann::json::array();
    (*s)["strategy_charts"] = nlohmann::json::array();
  });
  absl::StatusOr<RunData> run = LoadRun(dir);
  ASSERT_THAT(run, IsOk());
  const std::string html = RenderRunReport(*run);
  EXPECT_FALSE(Has(html, "id=\"basis\""));
  EXPECT_TRUE(Has(html, "id=\"position\""));
  EXPECT_TRUE(Has(html, "<h2>Round trips</h2>"));
}

TEST(ReportTest, BadStrategyPartsNameTheFileAndKey) {
  const std::string dir = EditedBasisRun("report_bad_parts", [](nlohmann::json* s) {
    AddGenericParts(s);
    (*s)["strategy_sections"][0]["rows"][0].erase(0);
  });
  std::string out;
  EXPECT_EQ(Shell(absl::StrCat(CliPath(), " report ", dir, " 2>&1"), &out), 1);
  EXPECT_THAT(out, HasSubstr("basis/summary.json: strategy_sections[0].rows[0]: expected an array "
                             "of 4 cells"));
}

// The SMA example alternates buys and sells: its report shows all 407 of each (thinning both
// sides together once kept only the buys), in the page and in the DOM Chromium builds from it,
// and its position is one step line.
TEST(ReportTest, SmaExampleShowsEveryBuyAndEverySell) {
  const std::string dir = MakeTempDir("report_sma") + "/out";
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " run ", SourceDir(), "/configs/sma_ltcusdt_1m.json --quiet --out ",
                               dir, " 2>&1"),
                  &out),
            0)
      << out;
  const std::string page = dir + "/sma_crossover/report.html";
  const std::string html = ReadFile(page);
  EXPECT_EQ(PathsOf(html, "buy").size(), 407u);
  EXPECT_EQ(PathsOf(html, "sell").size(), 407u);
  EXPECT_TRUE(Has(html, "407 buys, 407 sells"));
  const std::string chromium = Chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh --test)";
  const std::string work = MakeTempDir("report_sma_chromium");
  std::string dom;
  ASSERT_EQ(Shell(absl::StrCat("timeout 120 ", chromium, ChromiumFlags(work + "/profile"), " --dump-dom file://",
                               page, " 2>", work, "/log.txt"),
                  &dom),
            0)
      << ReadFile(work + "/log.txt");
  EXPECT_FALSE(Has(ReadFile(work + "/log.txt"), "CONSOLE"));
  EXPECT_EQ(PathsOf(dom, "buy").size(), 407u);
  EXPECT_EQ(PathsOf(dom, "sell").size(), 407u);
  // The zoom script ran: it put its hint above the first chart.
  EXPECT_TRUE(Has(dom, "drag across a chart to zoom"));
  const std::string png = ArtifactDir() + "/sma_ltcusdt_1m_report.png";
  std::filesystem::remove(png);
  ASSERT_EQ(Shell(absl::StrCat("timeout 120 ", chromium, ChromiumFlags(work + "/profile-shot"),
                               " --hide-scrollbars --window-size=1400,2600 --screenshot=", png, " file://",
                               page, " 2>&1"),
                  &out),
            0)
      << out;
  EXPECT_GT(ReadFile(png).size(), 10'000u);
}

TEST(ReportTest, LoadsInHeadlessChromiumWithoutConsoleErrorsAndDrawsPaths) {
  const std::string chromium = Chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh --test)";
  const std::string& dir = ScenarioRun();
  const std::string work = MakeTempDir("report_chromium");
  for (const std::string& page : {dir + "/basis_reentry/report.html", dir + "/dip_buyer/report.html",
                                 dir + "/report.html"}) {
    const std::string profile = work + "/profile-" + std::to_string(std::hash<std::string>()(page));
    std::string dom;
    const int rc = Shell(absl::StrCat("timeout 120 ", chromium, ChromiumFlags(profile), " --dump-dom file://",
                                      page, " 2>", work, "/log.txt"),
                         &dom);
    const std::string log = ReadFile(work + "/log.txt");
    ASSERT_EQ(rc, 0) << page << "\n" << log;
    // Console messages are logged as "CONSOLE(line)"; a page without errors logs none.
    for (const absl::string_view line : absl::StrSplit(log, '\n')) {
      EXPECT_FALSE(Has(std::string(line), "CONSOLE")) << page << ": " << line;
      EXPECT_FALSE(Has(std::string(line), "Uncaught")) << page << ": " << line;
    }
    // The DOM as Chromium parsed it: charts with drawn, non-empty paths; the basis pair's two
    // round trips shown as one trade.
    EXPECT_TRUE(Has(dom, "<svg"));
    if (Has(page, "basis_reentry")) {
      EXPECT_TRUE(Has(dom, "2 round trips make 1 trade.")) << page;
    }
    const std::vector<std::string> lines = PathsOf(dom, "line");
    EXPECT_GE(lines.size(), 3u) << page;
    for (const std::string& d : lines) {
      EXPECT_FALSE(d.empty());
      EXPECT_EQ(d[0], 'M');
    }
  }
  // The check can fail: a page with a script error is caught.
  WriteFile(work + "/bad.html", "<html><body><script>undefinedFunction();</script></body></html>");
  std::string ignored;
  ASSERT_EQ(Shell(absl::StrCat("timeout 120 ", chromium, ChromiumFlags(work + "/profile-bad"), " --dump-dom file://",
                               work, "/bad.html 2>", work, "/bad-log.txt"),
                  &ignored),
            0);
  EXPECT_TRUE(Has(ReadFile(work + "/bad-log.txt"), "CONSOLE"));
  EXPECT_TRUE(Has(ReadFile(work + "/bad-log.txt"), "Uncaught ReferenceError"));

  // The screenshot of the scenario report, kept as a test artifact.
  const std::string png = ArtifactDir() + "/scenario_basis_reentry_report.png";
  std::filesystem::remove(png);
  std::string out;
  const int rc = Shell(absl::StrCat("timeout 120 ", chromium, ChromiumFlags(work + "/profile-shot"),
                                    " --hide-scrollbars --window-size=1400,2000 --screenshot=", png, " file://",
                                    dir, "/basis_reentry/report.html 2>&1"),
                       &out);
  ASSERT_EQ(rc, 0) << out;
  const std::string bytes = ReadFile(png);
  ASSERT_GT(bytes.size(), 10'000u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  const std::string png2 = ArtifactDir() + "/scenario_index_report.png";
  ASSERT_EQ(Shell(absl::StrCat("timeout 120 ", chromium, ChromiumFlags(work + "/profile-shot2"),
                               " --hide-scrollbars --window-size=1400,2000 --screenshot=", png2, " file://", dir,
                               "/report.html 2>&1"),
                  &out),
            0)
      << out;
}

}  // namespace
}  // namespace tapedeck::analysis
