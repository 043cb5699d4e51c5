"""Accuracy of stromir's small-RNA mature counts vs an nf-core/smrnaseq-style path, on a seeded
simulated sample. Prints both side by side.

stromir: fastp -> per-sample collapse -> isomiR-tolerant hierarchical annotation (this package).
nf-core-style: fastp (-l 17) -> bowtie1 -k 50 --best --strata -e 99999 of every read against the
species' mature sequences, every alignment counted (a group of identical-sequence miRNAs gets the
count of its best-counted member).

Usage: .venv/bin/python benchmarks/smallrna_accuracy.py [--reads 200000] [--seed 7] [--threads 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "lib"))

from stromir.smallrna import evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        sim = evaluate.simulate_sample(tmp, args.reads, args.seed)
        print(f"simulated {args.reads:,} reads in {time.perf_counter() - t0:.1f} s (seed {args.seed})")
        t0 = time.perf_counter()
        ours = evaluate.run_stromir(sim, tmp, args.threads)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        nfcore = evaluate.run_nfcore_style(sim, tmp, args.threads)
        t_nf = time.perf_counter() - t0
        a = evaluate.accuracy(ours, sim["truth"])
        b = evaluate.accuracy(nfcore, sim["truth"])
        print(f"miRNAs with >= 100 simulated molecules: {a['n']}")
        print(f"{'metric':<38}{'stromir':>12}{'nf-core-style':>16}")
        print(f"{'median relative error':<38}{a['median']:>12.4f}{b['median']:>16.4f}")
        print(f"{'fraction within 5% of truth':<38}{a['within5']:>12.4f}{b['within5']:>16.4f}")
        print(f"{'mean relative error':<38}{a['mean']:>12.4f}{b['mean']:>16.4f}")
        print(f"{'wall time (s, FASTQ.gz -> counts)':<38}{t_ours:>12.2f}{t_nf:>16.2f}")
        ok = a["median"] <= 0.02 and a["within5"] >= 0.8
        print(f"issue thresholds (median <= 0.02, >= 80% within 5%): {'MET' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
