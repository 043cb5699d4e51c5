"""Speed and memory of the small-RNA path. Prints figures; not a timed test.

1. A seeded 2,000,000-read simulated sample (FASTQ.gz): stromir raw FASTQ.gz -> mature counts
   (fastp -> collapse -> annotation, the functions the rules call) vs the nf-core/smrnaseq-style
   path (fastp, bowtie1 -k 50 --best --strata -e 99999 on every read), same file, same run.
2. Streaming merge of 1,000 generated collapsed tables (sequence, count) into one matrix, run in
   a child process whose peak RSS is reported.

Usage: .venv/bin/python benchmarks/smallrna_speed.py [--reads 2000000] [--threads 2]
       [--merge-samples 1000] [--merge-uniques 20000]
"""

from __future__ import annotations

import argparse
import gzip
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "lib"))

from stromir.smallrna import evaluate  # noqa: E402

MERGE_CHILD = """
import sys, resource, time
sys.path.insert(0, {lib!r})
from stromir.smallrna.merge import merge_tables
paths = sorted(__import__('glob').glob({pattern!r}))
t0 = time.perf_counter()
rows = merge_tables(paths, [p.rsplit('/', 1)[1].split('.')[0] for p in paths], {out!r}, ['sequence'])
print(rows, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_collapsed_tables(folder: Path, n_samples: int, n_uniques: int, seed: int = 1) -> None:
    """Generated collapsed tables: each sample draws n_uniques sequences from a shared pool
    (heavy-tailed), with counts, sorted by sequence, gzip TSV."""
    rng = np.random.default_rng(seed)
    pool_size = n_uniques * 10
    alphabet = np.array(list("ACGT"))
    pool = ["".join(alphabet[rng.integers(0, 4, rng.integers(16, 41))]) for _ in range(pool_size)]
    weights = 1.0 / np.arange(1, pool_size + 1) ** 0.8
    weights /= weights.sum()
    for i in range(n_samples):
        idx = np.unique(rng.choice(pool_size, size=n_uniques, p=weights))
        seqs = sorted(pool[j] for j in idx)
        counts = rng.geometric(0.05, size=len(seqs))
        with gzip.open(folder / f"s{i:04d}.tsv.gz", "wt", compresslevel=1) as out:
            out.write("sequence\tcount\treads\n")
            out.writelines(f"{s}\t{c}\t{c}\n" for s, c in zip(seqs, counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--merge-samples", type=int, default=1000)
    parser.add_argument("--merge-uniques", type=int, default=20000)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-merge", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.skip_speed:
            t0 = time.perf_counter()
            sim = evaluate.simulate_sample(tmp, args.reads, args.seed)
            print(f"simulated {args.reads:,} reads in {time.perf_counter() - t0:.1f} s")
            reference = evaluate.load_reference()
            t0 = time.perf_counter()
            ours = evaluate.run_stromir(sim, tmp, args.threads, reference)
            t_ours = time.perf_counter() - t0
            t0 = time.perf_counter()
            evaluate.run_nfcore_style(sim, tmp, args.threads, reference)
            t_nf = time.perf_counter() - t0
            acc = evaluate.accuracy(ours, sim["truth"])
            print(f"stromir FASTQ.gz -> mature counts: {t_ours:.2f} s = {args.reads / t_ours:,.0f} reads/s")
            print(f"nf-core-style path:                {t_nf:.2f} s = {args.reads / t_nf:,.0f} reads/s")
            print(f"speed ratio (nf-core-style / stromir): {t_nf / t_ours:.2f}x")
            print(f"stromir median relative error on this sample: {acc['median']:.4f} (n={acc['n']})")
        if not args.skip_merge:
            folder = tmp / "collapsed"
            folder.mkdir()
            t0 = time.perf_counter()
            write_collapsed_tables(folder, args.merge_samples, args.merge_uniques)
            print(f"generated {args.merge_samples} collapsed tables x ~{args.merge_uniques} "
                  f"sequences in {time.perf_counter() - t0:.1f} s")
            code = MERGE_CHILD.format(
                lib=str(ROOT / "workflow" / "lib"), pattern=str(folder / "*.tsv.gz"),
                out=str(tmp / "merged.tsv"),
            )
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            rows, seconds, maxrss_kb = result.stdout.split()
            print(f"merge of {args.merge_samples} samples: {int(rows):,} rows in {float(seconds):.1f} s, "
                  f"peak memory {int(maxrss_kb) / 1024:.0f} MB (limit 4096 MB)")


if __name__ == "__main__":
    main()
