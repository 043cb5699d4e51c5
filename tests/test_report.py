"""The snakemake report of a real default run: self-contained HTML that opens in headless Chromium
without console errors and shows the expected sections; plus the per-contrast summary page."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_snakemake

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--window-size=1400,1000",
         "--virtual-time-budget=15000"]
SECTIONS = ["Summary", "Signatures", "miRNA-target integration", "Differential expression"]
CONSOLE_ERROR = re.compile(r"CONSOLE.*(Uncaught|Error|error|Failed)")


def chromium(url: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url],
                              capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report_html(default_run) -> Path:
    path = default_run / "results" / "report.html"
    if not path.exists():
        run_snakemake(default_run, "--cores", "1", "--report", "results/report.html")
    return path


def test_report_is_self_contained(report_html):
    text = report_html.read_text(errors="replace")
    assert len(text) > 10_000
    # no external scripts, styles or images: everything is inlined
    assert not re.search(r"<script[^>]+src=[\"']https?://", text)
    assert not re.search(r"<link[^>]+href=[\"']https?://", text)
    for section in SECTIONS:
        assert section in text, f"report lacks section {section!r}"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_report_opens_in_headless_chromium(report_html, tmp_path):
    shot = tmp_path / "report.png"
    result = chromium(report_html.as_uri(), f"--screenshot={shot}")
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", result.stderr[-2000:]
    assert shot.stat().st_size > 10_000, "screenshot looks blank"
    errors = [line for line in result.stderr.splitlines() if CONSOLE_ERROR.search(line)]
    assert not errors, "\n".join(errors[:10])
    dom = chromium(report_html.as_uri(), "--dump-dom").stdout
    for section in SECTIONS:
        assert section in dom, f"rendered report lacks {section!r}"


def test_contrast_summary_pages(default_run):
    table = pd.read_csv(default_run / "results/report/contrast_summary.tsv", sep="\t")
    assert len(table) >= 1
    row = table.set_index(["assay", "contrast"]).loc[("smallrna", "resistant_vs_sensitive")]
    assert row["signatures_significant_matching"] >= 1
    page = (default_run / "results/report/contrasts/smallrna.resistant_vs_sensitive.html").read_text()
    for heading in ("Differential expression", "Signatures", "miRNA-target integration", "Sample QC"):
        assert f"<h2>{heading}</h2>" in page
    assert "exosomal_trastuzumab_resistance" in page
    assert "<script" not in page


def test_planted_truth_exosomal_signature(default_run):
    """The simulated resistant samples carry the planted exosomal miRNA increase."""
    tests = pd.read_csv(default_run / "results/signatures/tests.tsv", sep="\t")
    row = tests.set_index(["signature", "contrast"]).loc[
        ("exosomal_trastuzumab_resistance", "resistant_vs_sensitive")]
    assert row["singscore_mean_test"] > row["singscore_mean_reference"]
    assert row["singscore_welch_p"] < 0.05
    assert row["observed_direction"] == "up"
    assert str(row["direction_matches"]).lower() == "true"
    members = pd.read_csv(default_run / "results/signatures/members.tsv", sep="\t")
    assert set(members["signature"]) >= {"exosomal_trastuzumab_resistance", "taf_fgf5_fgfr2_axis"}


def test_multiqc_report_exists(default_run):
    html = default_run / "results/qc/multiqc_report.html"
    assert html.exists() and html.stat().st_size > 10_000
