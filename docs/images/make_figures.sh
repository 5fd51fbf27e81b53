#!/bin/sh
# Regenerate the figures embedded in docs/how-to/compare-assumptions.md
# (needs the plot extra: pip install -e '.[plot]'). Run from the repository root.
set -e
cd "$(dirname "$0")"
negotiation compare us-china-export-controls-2025 --no-tipping --plot compare-export-controls.png > /dev/null
negotiation sweep us-china-export-controls-2025 --grid theta_cn=0.1:0.6:51 --grid h_cn=0:3:61 \
    --plot-metric verdict --plot sweep-verdict.png > /dev/null
negotiation sweep us-china-export-controls-2025 --grid theta_cn=0.1:0.6:51 --grid h_cn=0:3:61 \
    --strategy "k_period_punishment(k=2)" --plot sweep-critical.png > /dev/null
negotiation simulate us-china-export-controls-2025 --pair "k_period_punishment(k=2),k_period_punishment(k=2)" \
    --rounds 80 --runs 2000 --seed 1 --plot simulate.png > /dev/null
