"""File-level steps shared by the rule scripts and the benchmarks: UMI extraction, fastp trimming
streamed into per-unit sequence counts with one-line input checks, and adapter detection on a
read sample."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from . import SmallRnaInputError
from .collapse import count_fastq_stream, count_fastq_stream_umi, write_unit_counts
from .protocols import Protocol
from .reads import detect_adapter, extract_umi, iter_fastq


def _is_gzip(path: str | Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def detect_adapter_file(
    fastq: str | Path, adapters: Mapping[str, str], n_reads: int, min_fraction: float
) -> dict:
    """Detect the 3' adapter on the first ``n_reads`` reads; one-line error when none qualifies."""
    sequences = (seq for _, seq, _ in iter_fastq(fastq, limit=n_reads))
    result = detect_adapter(sequences, adapters)
    if result["reads"] == 0:
        raise SmallRnaInputError(f"{fastq}: no reads; give a non-empty FASTQ file")
    if result["best_fraction"] < min_fraction:
        raise SmallRnaInputError(
            f"{fastq}: no known adapter in >= {min_fraction:.0%} of {result['reads']} reads "
            f"(best {result['best']} {result['best_fraction']:.1%}); give the adapter sequence in "
            f"units.tsv or add it to references: adapters"
        )
    result["sequence"] = adapters[result["best"]]
    return result


def extract_umis_file(
    fastq: str | Path,
    out_fastq: str | Path,
    adapter: str,
    umi_length: int,
    min_fraction: float,
    max_mismatches: int = 2,
) -> dict:
    """QIAseq: insert + UMI from each raw read, BEFORE any trimming (adapter search on raw reads).

    Writes FASTQ records '@<id>_<UMI>' with the insert and its qualities (inserts of length 0 are
    kept as empty reads and counted too short later). Fails when fewer than ``min_fraction`` of
    the reads carry the adapter and a complete UMI.
    """
    stats = {"input_reads": 0, "adapter_found": 0, "no_umi": 0}
    out_fastq = Path(out_fastq)
    tmp = out_fastq.with_name(out_fastq.name + ".tmp")
    with open(tmp, "w") as out:
        for name, seq, qual in iter_fastq(fastq):
            stats["input_reads"] += 1
            got = extract_umi(seq, qual, adapter, umi_length, max_mismatches)
            if got is None:
                stats["no_umi"] += 1
                continue
            insert, iqual, umi = got
            stats["adapter_found"] += 1
            read_id = name.split(None, 1)[0]
            out.write(f"@{read_id}_{umi}\n{insert}\n+\n{iqual}\n")
    if stats["input_reads"] == 0:
        tmp.unlink()
        raise SmallRnaInputError(f"{fastq}: no reads; give a non-empty FASTQ file")
    fraction = stats["adapter_found"] / stats["input_reads"]
    if fraction < min_fraction:
        tmp.unlink()
        raise SmallRnaInputError(
            f"{fastq}: QIAseq adapter {adapter} + {umi_length}-nt UMI found in only {fraction:.1%} "
            f"of reads; check the protocol column in units.tsv"
        )
    os.replace(tmp, out_fastq)
    stats["adapter"] = adapter
    return stats


def fastp_command(
    json_path: str, html_path: str, adapter: str | None, clip_5p: int, min_quality: int,
    threads: int,
) -> list[str]:
    """fastp from stdin to stdout: 5' clip, 3' quality trimming, adapter removal; no read
    filtering (length and quality filters are applied and counted in the collapse step)."""
    cmd = [
        "fastp", "--stdin", "--stdout", "-j", json_path, "-h", html_path,
        "-w", str(max(1, threads)),
        "--cut_tail", "--cut_tail_window_size", "1", "--cut_tail_mean_quality", str(min_quality),
        "--disable_length_filtering", "--disable_quality_filtering", "--dont_eval_duplication",
    ]
    if clip_5p:
        cmd += ["--trim_front1", str(clip_5p)]
    if adapter:
        cmd += ["--adapter_sequence", adapter]
    else:
        cmd += ["--disable_adapter_trimming"]
    return cmd


def trim_and_count(
    fastq: str | Path,
    counts_path: str | Path,
    json_path: str | Path,
    html_path: str | Path,
    protocol: Protocol,
    adapter: str | None,
    min_quality: int,
    threads: int,
    min_adapter_fraction: float,
    umi: bool = False,
    log=None,
) -> dict:
    """Trim one unit with fastp and count its trimmed reads as they stream out of fastp.

    The input is decompressed by pigz/gzip in the pipe, so a truncated gzip fails loudly.
    The sequences (with ``umi``: per UMI of the read id) go to a unit count table
    (collapse.write_unit_counts), written only when every check passed: counting while fastp
    runs replaces writing and re-reading a trimmed FASTQ. ``adapter`` None means the reads
    are already adapter-free (QIAseq after UMI extraction).
    Returns {input_reads, adapter, adapter_found}.
    """
    fastq = Path(fastq)
    if not fastq.is_file():
        raise SmallRnaInputError(f"{fastq}: FASTQ file not found; fix the path in units.tsv")
    if fastq.stat().st_size == 0:
        raise SmallRnaInputError(f"{fastq}: empty file; give a non-empty FASTQ file")
    if _is_gzip(fastq):
        decompressor = [shutil.which("pigz") and "pigz" or "gzip", "-dc", str(fastq)]
    else:
        decompressor = ["cat", str(fastq)]
    cmd = fastp_command(
        str(json_path), str(html_path), adapter, protocol.clip_5p, min_quality, threads
    )
    # stderr to files, not pipes: neither process can then block on a full pipe while the
    # counting below reads fastp's stdout
    with tempfile.TemporaryFile() as src_log, tempfile.TemporaryFile() as fastp_log:
        src = subprocess.Popen(decompressor, stdout=subprocess.PIPE, stderr=src_log)
        proc = subprocess.Popen(cmd, stdin=src.stdout, stdout=subprocess.PIPE, stderr=fastp_log)
        src.stdout.close()
        try:
            counts = count_fastq_stream_umi(proc.stdout, fastq) if umi else count_fastq_stream(proc.stdout)
        finally:
            proc.stdout.close()
            proc.wait()
            src.wait()
        src_log.seek(0)
        src_err = src_log.read().decode(errors="replace")
        fastp_log.seek(0)
        fastp_err = fastp_log.read().decode(errors="replace")
    if log is not None:
        log.write(" ".join(decompressor) + " | " + " ".join(cmd) + "\n" + fastp_err + src_err)
    if src.returncode != 0:
        raise SmallRnaInputError(
            f"{fastq}: cannot decompress ({src_err.strip().splitlines()[-1] if src_err.strip() else 'error'}); "
            f"the gzip file is truncated or corrupt, re-download it"
        )
    errors = [line for line in fastp_err.splitlines() if line.startswith("ERROR")]
    if proc.returncode != 0 or errors:
        message = errors[0] if errors else f"fastp exit code {proc.returncode}"
        raise SmallRnaInputError(
            f"{fastq}: {message.rstrip(':')}; the FASTQ file is malformed, re-export it"
        )
    with open(json_path) as handle:
        report = json.load(handle)
    total = int(report["summary"]["before_filtering"]["total_reads"])
    if total == 0:
        raise SmallRnaInputError(f"{fastq}: no reads; give a non-empty FASTQ file")
    found = int(report.get("adapter_cutting", {}).get("adapter_trimmed_reads", 0)) if adapter else total
    if adapter and found / total < min_adapter_fraction:
        raise SmallRnaInputError(
            f"{fastq}: adapter {adapter} ({protocol.name}) found in only {found / total:.1%} of reads "
            f"(< {min_adapter_fraction:.0%}); set the right protocol or adapter (or 'auto') in units.tsv"
        )
    write_unit_counts(counts, counts_path)
    return {"input_reads": total, "adapter": adapter or "", "adapter_found": found}
