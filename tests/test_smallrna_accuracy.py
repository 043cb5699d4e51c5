"""Accuracy of mature counts on a seeded simulated sample (real fastp; no mocked tools)."""

import pytest

from stromir.smallrna import evaluate


@pytest.mark.slow
def test_mature_counts_meet_issue_thresholds(tmp_path):
    sim = evaluate.simulate_sample(tmp_path, 200_000, seed=7)
    counts = evaluate.run_stromir(sim, tmp_path, threads=2)
    result = evaluate.accuracy(counts, sim["truth"])
    assert result["n"] >= 100  # enough miRNAs with >= 100 simulated molecules to judge
    assert result["median"] <= 0.02, result["errors"].sort_values().tail(10)
    assert result["within5"] >= 0.80, result["errors"].sort_values().tail(10)
