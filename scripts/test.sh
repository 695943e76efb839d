#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, MPI, command line).
source "$(dirname "$0")/common.sh"
hyperplume_setup
cd "$HYPERPLUME_BUILD"
ctest --output-on-failure -j "$(nproc)" "$@"
