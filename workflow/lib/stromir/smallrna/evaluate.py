"""Accuracy evaluation against the simulator's truth, shared by the accuracy test and benchmarks.

Also runs the nf-core/smrnaseq-style reference path (fastp, then bowtie1 ``-k 50 --best --strata
-e 99999`` of every read to the mature sequences, every alignment counted) for comparison.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from .annotate import IsomirParams, MirnaReference, annotate_sequences
from .collapse import collapse_units
from .pipeline import trim_and_count
from .protocols import resolve_protocol

REPO = Path(__file__).resolve().parents[4]
MATURE = REPO / "resources/testdata/references/mirbase/mature.fa.gz"
HAIRPIN = REPO / "resources/testdata/references/mirbase/hairpin.fa.gz"


def load_reference(species: str = "hsa"):
    from stromir import references

    groups, hairpins, positions = references.build_mirna_reference(
        references.read_fasta(MATURE), references.read_fasta(HAIRPIN), species
    )
    return groups, hairpins, positions


def simulate_sample(tmp: Path, n_reads: int, seed: int, **kwargs) -> dict:
    from stromir.simulate.smallrna import simulate_smallrna

    fastq = Path(tmp) / f"sim_{seed}.fastq.gz"
    truth = simulate_smallrna(
        fastq, mature_fa=MATURE, hairpin_fa=HAIRPIN, n_reads=n_reads, seed=seed,
        species="hsa", **kwargs,
    )
    return {"fastq": fastq, "truth": truth}


def run_stromir(sim: dict, tmp: Path, threads: int = 2, reference=None) -> Counter:
    """FASTQ.gz -> mature counts with the same functions the workflow rules call."""
    groups, hairpins, positions = reference or load_reference()
    tmp = Path(tmp)
    protocol = resolve_protocol("illumina")
    unit_counts = tmp / "stromir_unit.counts.tsv"
    trim_and_count(
        sim["fastq"], unit_counts, tmp / "fastp.json", tmp / "fastp.html", protocol,
        protocol.adapter, 20, threads, 0.1,
    )
    table, _, _ = collapse_units([{"counts": unit_counts, "clip_3p": 0, "umi": False}], 16, 40)
    annotation = annotate_sequences(
        table, MirnaReference.build(hairpins, positions), IsomirParams(), threads=threads
    )
    unit_counts.unlink()
    return annotation.mature


def run_nfcore_style(sim: dict, tmp: Path, threads: int = 2, reference=None) -> Counter:
    groups, _, _ = reference or load_reference()
    tmp = Path(tmp)
    member_to_group = {}
    fasta = tmp / "mature_members.fa"
    from stromir import references

    with open(fasta, "w") as out:
        for name, _, seq in references.filter_species(references.read_fasta(MATURE), "hsa"):
            out.write(f">{name}\n{seq}\n")
    for group in groups:
        for member in group.split("/"):
            member_to_group[member] = group
    index = tmp / "nfcore_mature"
    subprocess.run(["bowtie-build", "-q", str(fasta), str(index)], check=True, capture_output=True)
    trimmed = tmp / "nfcore_trimmed.fastq"
    subprocess.run(
        ["fastp", "-i", str(sim["fastq"]), "-o", str(trimmed), "-a", "TGGAATTCTCGGGTGCCAAGG",
         "-l", "17", "-w", str(threads), "-j", str(tmp / "nf.json"), "-h", str(tmp / "nf.html")],
        check=True, capture_output=True,
    )
    proc = subprocess.Popen(
        ["bowtie", "--threads", str(threads), "-q", "-k", "50", "--best", "--strata", "-e", "99999",
         "--chunkmbs", "2048", "--suppress", "2,4,5,6,7,8", str(index), str(trimmed)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    per_member: Counter = Counter()
    for line in proc.stdout:
        per_member[line.rstrip("\n").split("\t")[1]] += 1
    proc.wait()
    counts: Counter = Counter()
    for member, value in per_member.items():
        group = member_to_group.get(member, member)
        counts[group] = max(counts[group], value)
    trimmed.unlink()
    return counts


def accuracy(counts, truth: pd.DataFrame, min_molecules: int = 100) -> dict:
    """Relative errors of mature counts for miRNAs with >= min_molecules simulated molecules."""
    mirna = truth[truth["class"] == "miRNA"].groupby("feature")["molecules"].sum()
    mirna = mirna[mirna >= min_molecules]
    observed = np.array([counts.get(f, 0) for f in mirna.index], dtype=float)
    rel = np.abs(observed - mirna.to_numpy()) / mirna.to_numpy()
    return {
        "n": int(len(rel)),
        "median": float(np.median(rel)) if len(rel) else float("nan"),
        "mean": float(np.mean(rel)) if len(rel) else float("nan"),
        "within5": float(np.mean(rel <= 0.05)) if len(rel) else float("nan"),
        "errors": pd.Series(rel, index=mirna.index),
    }
