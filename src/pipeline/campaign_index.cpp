#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/pipeline/campaign_index.hpp>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <hyperplume/pipeline/journal.hpp>
#include <hyperplume/pipeline/l2_plots.hpp>
#include <hyperplume/pipeline/l3_plots.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/viz/web_map.hpp>
#include <map>
#include <sstream>
#include <vector>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
std::string get(const Record& r, const std::string& k) {
  const auto it = r.find(k);
  return it == r.end() ? std::string{} : it->second;
}

// A link relative to the page's directory, when the file exists.
std::string link(const std::string& path, const fs::path& page_dir, const std::string& text) {
  if (path.empty() || !fs::exists(path)) return "";
  const std::string rel = fs::relative(path, page_dir).generic_string();
  return "<a href=\"" + viz::html_escape(rel) + "\">" + viz::html_escape(text) + "</a>";
}

// "1.23 ± 0.45" in t/h from cells in kg/h ("" when not estimated).
std::string rate(const std::map<std::string, std::string>& row, const std::string& q, const std::string& sigma) {
  const double v = l4_cell_number(row, q), s = l4_cell_number(row, sigma);
  if (!std::isfinite(v)) return "";
  char b[64];
  std::snprintf(b, sizeof b, std::isfinite(s) ? "%.2f &plusmn; %.2f" : "%.2f", v / 1000.0, s / 1000.0);
  return b;
}

struct SceneState {
  std::string status, sensor, start, output, reason;
  std::vector<std::string> tables;
};

// The last event of every scene says its state (the journal is in time order).
std::map<std::string, SceneState> scene_states(const std::vector<Record>& events, const std::string& root) {
  std::map<std::string, SceneState> out;
  for (const Record& e : events) {
    const std::string scene = get(e, "scene"), event = get(e, "event");
    if (scene.empty() || event.empty()) continue;
    SceneState& s = out[scene];
    s.status = event == "started" ? "running or killed" : event;
    if (event == "done") {
      s.sensor = get(e, "sensor");
      s.start = get(e, "start_time");
      s.output = resolve_journal_path(get(e, "output"), root);
      s.tables.clear();
      std::istringstream t(get(e, "l4_tables"));
      for (std::string table; std::getline(t, table, '|');) s.tables.push_back(resolve_journal_path(table, root));
      s.reason.clear();
    } else if (event != "started") {
      s.reason = get(e, "reason");
    }
  }
  return out;
}

std::string plume_rows(const SceneState& s, const fs::path& dir) {
  std::string out;
  for (const auto& csv : s.tables) {
    std::map<std::string, std::string> row;
    try {
      row = read_l4_csv(csv);
    } catch (const Error&) {
      continue;  // a table gone or broken since: the scene row still says where it was
    }
    const std::string l3 = fs::path(csv).replace_extension(".nc").string();
    out += "<tr class=\"plume\"><td></td><td>" + viz::html_escape(get(row, "plume_id")) + "</td><td>" +
           rate(row, "emission", "emission_uncertainty") + "</td><td>" +
           rate(row, "emission_csf", "emission_csf_uncertainty") + "</td><td>" +
           link(plume_figure_path(l3), dir, "figure") + " " + link(plume_map_path(l3), dir, "map") + "</td></tr>\n";
  }
  return out;
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#eee}"
    "tr.plume td{background:#fbf8ef}.failed,.poison{color:#b00}.done{color:#070}";
}  // namespace

std::string write_campaign_index(const std::string& out_dir, const std::string& root) {
  const fs::path dir(out_dir);
  const std::string journal = (dir / "hyperplume_journal.jsonl").string();
  if (!fs::exists(journal)) throw InputError("no campaign journal", ErrorContext{journal, {}, "plot"});
  const auto states = scene_states(read_journal_events(journal), root);
  std::size_t done = 0, plumes = 0;
  std::string rows;
  for (const auto& [scene, s] : states) {
    done += s.status == "done";
    plumes += s.tables.size();
    rows += "<tr><td>" + viz::html_escape(scene) + "</td><td class=\"" + viz::html_escape(s.status) + "\">" + viz::html_escape(s.status) +
            (s.reason.empty() ? "" : ": " + viz::html_escape(s.reason)) + "</td><td>" + viz::html_escape(s.start) + "</td><td>" +
            viz::html_escape(s.sensor) + "</td><td>" + link(l2_map_path(s.output, false), dir, "map") + "</td></tr>\n" +
            plume_rows(s, dir);
  }
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>HyperPlume campaign</title><style>" << kStyle
       << "</style></head><body>\n<h1>HyperPlume campaign</h1>\n<p>" << states.size() << " scene(s), " << done
       << " done, " << plumes << " plume(s). Emission rates in t/h &plusmn; 1&sigma;.</p>\n"
       << "<table><tr><th>scene</th><th>status</th><th>start</th><th>sensor</th><th>map</th></tr>\n"
       << "<tr><th></th><th>plume</th><th>IME</th><th>CSF</th><th>figure, map</th></tr>\n"
       << rows << "</table>\n</body></html>\n";
  const std::string path = (dir / "campaign_index.html").string();
  io::write_text_atomically(path, page.str());
  return path;
}

}  // namespace hyperplume::pipeline
