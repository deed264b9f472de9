#!/usr/bin/python3
"""Fails (exit 1) when merged line or branch coverage of src/ is below the gate.

Reads ReportGenerator's JsonSummary; the thresholds come from the command line so the
test script is the one place that states them.
"""
import json
import sys

summary_path, min_line, min_branch = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
with open(summary_path, encoding="utf-8") as f:
    summary = json.load(f)["summary"]

line = float(summary.get("linecoverage") or 0.0)
branch = float(summary.get("branchcoverage") or 0.0)
print(f"coverage of src/: line {line:.1f} % (gate {min_line:.0f} %), branch {branch:.1f} % (gate {min_branch:.0f} %)")
failed = []
if line < min_line:
    failed.append(f"line coverage {line:.1f} % is below {min_line:.0f} %")
if branch < min_branch:
    failed.append(f"branch coverage {branch:.1f} % is below {min_branch:.0f} %")
for reason in failed:
    print(f"error: coverage gate: {reason}", file=sys.stderr)
sys.exit(1 if failed else 0)
