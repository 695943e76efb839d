#pragma once
// Two tiers of errors (isce3/eckit style):
//  - InputError: bad file, bad value, missing ancillary. The scene is skipped and
//    recorded; other scenes go on.
//    - UsageError, a kind of InputError: a bad option value, config file or key, found
//      before any work starts. The command exits with 2 instead of 1.
//  - InternalError: a broken invariant. Abort loudly.
// Both carry where they were thrown and the context (file, scene, stage) that the
// layers above add as the exception travels up.
#include <source_location>
#include <stdexcept>
#include <string>

namespace hyperplume {

struct ErrorContext {
  std::string file;
  std::string scene;
  std::string stage;
};

class Error : public std::exception {
 public:
  Error(std::string message, ErrorContext context = {},
        std::source_location where = std::source_location::current());

  const char* what() const noexcept override { return what_.c_str(); }
  const std::string& message() const noexcept { return message_; }
  const ErrorContext& context() const noexcept { return context_; }
  const std::source_location& where() const noexcept { return where_; }

  // Fill in context that is still empty; keeps what the thrower knew.
  Error& add_file(const std::string& file);
  Error& add_scene(const std::string& scene);
  Error& add_stage(const std::string& stage);

 private:
  void render();
  std::string message_;
  ErrorContext context_;
  std::source_location where_;
  std::string what_;
};

class InputError : public Error {
 public:
  using Error::Error;
};

// The message names the option (--seed) or configuration key (species.ch4.window) and the
// problem. An InputError, so code that handles input errors in general still catches it.
class UsageError : public InputError {
 public:
  using InputError::InputError;
};

class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace hyperplume
