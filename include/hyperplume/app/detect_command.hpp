#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume detect --root DIR ...: automatic plume detection on every orthorectified L2
// under DIR; candidate sources written as marker files the L3 step (and HyperGas's app) reads.
class DetectCommand : public Command {
 public:
  std::string name() const override { return "detect"; }
  std::string summary() const override {
    return "candidate plume sources (<L2 stem>.geojson) for every L2 product under a directory";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app
