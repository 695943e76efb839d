#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume reprocess-l2 --root DIR ...: every L2 with L3 plume files made again with the
// plume pixels out of the background statistics (HyperGas l2b_reprocess.py).
class ReprocessL2Command : public Command {
 public:
  std::string name() const override { return "reprocess-l2"; }
  std::string summary() const override {
    return "L2 again without its L3 plume pixels in the background statistics";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

// hyperplume reprocess-l3 --root DIR ...: every plume's L4 CSV estimated again with the
// settings it records (HyperGas l3b_reprocess.py), and the merged L4 table rebuilt.
class ReprocessL3Command : public Command {
 public:
  std::string name() const override { return "reprocess-l3"; }
  std::string summary() const override {
    return "L3/L4 again from every plume's CSV settings (after reprocess-l2)";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app
