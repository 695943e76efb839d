#pragma once
#include <hyperplume/app/command.hpp>
#include <hyperplume/pipeline/l2_plots.hpp>

namespace hyperplume::app {

// hyperplume plot --root DIR ...: HyperGas's l2b_plot.py. PNG quicklooks and a map page per
// L2 product under DIR, a map page per directory (chunks of --chunk products), and the
// campaign index when DIR holds a campaign journal.
class PlotCommand : public Command {
 public:
  std::string name() const override { return "plot"; }
  bool uses_mpi() const override { return false; }
  std::string summary() const override {
    return "PNG quicklooks and offline HTML maps (with marker drawing) of every L2 product under a directory";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

// hyperplume plot-l3 --root DIR ...: HyperGas's l3b_plot.py. The summary figure and the
// plume page of every L3 plume product under DIR.
class PlotL3Command : public Command {
 public:
  std::string name() const override { return "plot-l3"; }
  bool uses_mpi() const override { return false; }
  std::string summary() const override { return "summary figure (PNG) and map of every L3 plume under a directory"; }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

// The options `plot` and `run --plots` share, and what they choose.
void declare_plot_options(po::options_description& options);
pipeline::PlotOptions plot_choice(const po::variables_map& vm);

}  // namespace hyperplume::app
