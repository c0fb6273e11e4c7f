#!/bin/bash
# The interrupt test with more runs than CI's 320: SIGINT, SIGTERM and
# SIGKILL at random moments of `new` and `config import`, every file old or
# new afterwards, no temporary left (tests/integration/test_interrupts.sh).
#   bash bench/interrupts.sh [RUNS_PER_COMMAND] [KFLAVOUR]   (default 1000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${1:-1000}
kf=$(bench_kflavour "${2:-}")
t0=$SECONDS
KFLAVOUR=$kf KF_TEST_DATA=$bench_root/tests/data KF_INTERRUPT_RUNS=$runs \
    bash "$bench_root/tests/integration/test_interrupts.sh"
echo "interrupts: $((2 * runs)) runs in $((SECONDS - t0)) s"
