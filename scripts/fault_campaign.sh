#!/usr/bin/env bash
# The full fault campaign: 100 synthetic scenes, a tenth corrupt in four ways, the job killed
# (SIGKILL) and stopped (SIGTERM) at random moments, a second job on the same root, a full disk
# for part of a run, then resumed; every good scene must equal a clean run's, every bad one be
# quarantined with its reason, no partial file ever visible, no run hang.
#   scripts/fault_campaign.sh [scenes, default 100] [seed, default 1]
source "$(dirname "$0")/common.sh"
hyperplume_setup
work="${HYPERPLUME_BUILD}/fault_campaign_full"
/usr/bin/time -v /usr/bin/python3 "$HYPERPLUME_ROOT/tests/cli/fault_campaign.py" "$HYPERPLUME_BUILD/src/hyperplume" \
  "$(command -v mpiexec)" "$work" "${1:-100}" "${2:-1}" 2> >(grep -E "Elapsed|Maximum resident|^ok|Error|assert" >&2)
