#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume simulate-scheduler: how the campaign scheduler scales, without the science.
class SimulateCommand : public Command {
 public:
  std::string name() const override { return "simulate-scheduler"; }
  std::string summary() const override {
    return "model the campaign scheduler's efficiency for many scenes and ranks";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app
