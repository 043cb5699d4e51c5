"""Unit tests of the small-RNA package (pure functions; fastp only where named)."""

import gzip
import json
from collections import Counter

import pandas as pd
import pytest

from stromir.smallrna import SmallRnaInputError
from stromir.smallrna.annotate import (
    IsomirParams,
    MirnaReference,
    SeedIndex,
    allocate,
    annotate_sequences,
    isomir_variant,
    snv_label,
)
from stromir.smallrna.classes import parse_bowtie_names
from stromir.smallrna.collapse import (
    collapse_units,
    count_fastq_stream,
    count_fastq_stream_umi,
    dedup_umis,
    read_collapsed,
    write_collapsed,
    write_unit_counts,
)
from stromir.smallrna.merge import merge_tables, write_sorted_counts
from stromir.smallrna.mirgff import cigar, write_mirgff3
from stromir.smallrna.protocols import resolve_protocol
from stromir.smallrna.qc import length_fraction, summarize_sample
from stromir.smallrna.reads import detect_adapter, extract_umi, find_adapter, iter_fastq

#                 0         1         2         3         4         5         6
#                 0123456789012345678901234567890123456789012345678901234567890123
HAIRPIN_A = "GGCCTTGAGGTAGTAGGTTGTATAGTTAAGGGCCCTTTACTATACAACCTACTACCTCATCCGG"
# mature 5p arm: 6..28 = TGAGGTAGTAGGTTGTATAGTT (22 nt)
HAIRPIN_B = "AATTCCGGTAGCTTATCAGACTGATGTTGACTCCCAAGGGTCAACATCAGTCTGATAAGCTACCAA"
# mature: 8..30 = TAGCTTATCAGACTGATGTTGA


def reference():
    hairpins = {"mir-a": HAIRPIN_A, "mir-b": HAIRPIN_B}
    positions = pd.DataFrame(
        [
            ("miR-a-5p", "miR-a-5p", "mir-a", 6, 28, HAIRPIN_A[6:28]),
            ("miR-b-5p", "miR-b-5p", "mir-b", 8, 30, HAIRPIN_B[8:30]),
        ],
        columns=["mature", "mature_names", "hairpin", "start", "end", "sequence"],
    )
    return MirnaReference.build(hairpins, positions)


def test_protocol_defaults_and_overrides():
    assert resolve_protocol("nextflex_v3").clip_5p == 4
    assert resolve_protocol("nextflex_v3").clip_3p == 4
    assert resolve_protocol("nextflex_v4").clip_3p == 0
    assert resolve_protocol("qiaseq").umi
    custom = resolve_protocol("custom", "tggaattcucgg", "2", "")
    assert (custom.adapter, custom.clip_5p, custom.clip_3p) == ("TGGAATTCTCGG", 2, 0)
    assert resolve_protocol("illumina", "AUTO").adapter == "auto"
    with pytest.raises(SmallRnaInputError, match="unknown protocol 'smart'"):
        resolve_protocol("smart")
    with pytest.raises(SmallRnaInputError, match="custom needs an adapter"):
        resolve_protocol("custom")
    with pytest.raises(SmallRnaInputError, match="not a DNA sequence"):
        resolve_protocol("illumina", "TGG-AAT")


def test_detect_adapter_tells_nested_adapters_apart():
    adapters = {
        "truseq": "TGGAATTCTCGGGTGCCAAGG",
        "lexogen": "TGGAATTCTCGGGTGCCAAGGAACTCCAGTCAC",
        "v1": "TCGTATGCCGTCTTCTGCTTGT",
        "v15": "ATCTCGTATGCCGTCTTCTGCTTG",
    }
    insert = "TAGCTTATCAGACTGATGTTGA"
    reads = [insert + "ATCTCGTATGCCGTCTTCTGCTTG"] * 6 + [insert + "TCGTATGCCGTCTTCTGCTTGT"] * 2
    reads += ["ACGT" * 10] * 2
    result = detect_adapter(reads, adapters)
    assert result["best"] == "v15"
    assert result["fractions"]["v15"] == pytest.approx(0.6)
    assert result["fractions"]["v1"] == pytest.approx(0.2)
    truseq = detect_adapter([insert + adapters["lexogen"]] * 3, adapters)
    assert truseq["best"] == "truseq" and truseq["best_fraction"] == 1.0


def test_extract_umi_before_trimming_with_mismatches():
    adapter = "AACTGTAGGCACCATCAAT"
    insert, umi = "TAGCTTATCAGACTGATGTTGA", "ACGTACGTACGT"
    seq = insert + adapter + umi + "AGATCGGAAGAGC"
    got = extract_umi(seq, "I" * len(seq), adapter)
    assert got == (insert, "I" * len(insert), umi)
    mutated = insert + "AACTGAAGGCACCTTCAAT" + umi + "AGATC"  # 2 mismatches
    assert extract_umi(mutated, "I" * len(mutated), adapter)[2] == umi
    assert find_adapter(insert + "TTCTGAAGGCACCTTCAAT", adapter) == -1  # 3 mismatches
    assert extract_umi(insert + adapter + "ACGT", "I" * 45, adapter) is None  # UMI cut off


def test_dedup_umis_directional():
    assert dedup_umis(Counter({"AAAA": 10, "AAAT": 1, "CCCC": 3})) == 2
    assert dedup_umis(Counter({"AAAA": 2, "AAAT": 2})) == 2  # 2 < 2*2-1: separate molecules
    assert dedup_umis(Counter()) == 0


def write_fastq(path, records):
    with open(path, "w") as out:
        for name, seq in records:
            out.write(f"@{name}\n{seq}\n+\n{'I' * len(seq)}\n")


def test_collapse_clip_length_window_and_umis(tmp_path):
    """Trimmed reads counted as the trim step does (FASTQ stream -> unit count table), then
    collapsed: a plain unit with a 4-nt 3' clip (one kept sequence, one too short, one too long)
    and a UMI unit (two UMIs, one duplicated)."""
    plain = tmp_path / "a.fastq"
    write_fastq(plain, [("r1", "ACGTACGTACGTACGTACGTAAAA"), ("r2", "ACGTACGTACGTACGTACGTAAAA"),
                        ("r3", "ACGTAAAA"), ("r4", "A" * 50)])
    umi = tmp_path / "b.fastq"
    write_fastq(umi, [("q1_AAAA", "ACGTACGTACGTACGTACGT"), ("q2_AAAA", "ACGTACGTACGTACGTACGT"),
                      ("q3_CCCC", "ACGTACGTACGTACGTACGT")])
    with open(plain, "rb") as handle:
        write_unit_counts(count_fastq_stream(handle), tmp_path / "a.counts.tsv")
    with open(umi, "rb") as handle:
        write_unit_counts(count_fastq_stream_umi(handle, umi), tmp_path / "b.counts.tsv")
    table, lengths, stats = collapse_units(
        [{"counts": tmp_path / "a.counts.tsv", "clip_3p": 4, "umi": False},
         {"counts": tmp_path / "b.counts.tsv", "clip_3p": 0, "umi": True}], 16, 40
    )
    assert table == {"ACGTACGTACGTACGTACGT": (2 + 2, 2 + 3)}
    assert stats["too_short"] == 1 and stats["too_long"] == 1
    assert stats["umi_duplicates"] == 1 and stats["trimmed_reads"] == 7
    assert lengths[20] == 5 and lengths[4] == 1
    write_collapsed(table, tmp_path / "c.tsv.gz")
    assert read_collapsed(tmp_path / "c.tsv.gz") == table


def test_umi_reads_without_umi_fail_with_file_name(tmp_path):
    path = tmp_path / "x.fastq"
    write_fastq(path, [("noumi", "ACGTACGTACGTACGTACGT")])
    with open(path, "rb") as handle, pytest.raises(
        SmallRnaInputError, match="x.fastq: read noumi carries no UMI"
    ):
        count_fastq_stream_umi(handle, path)


def test_seed_index_aligns_with_mismatch_and_tail():
    index = SeedIndex({"mir-a": HAIRPIN_A})
    mature = HAIRPIN_A[6:28]
    assert ("mir-a", 6, 22, ()) in index.align(mature, 1, 3)
    mutated = mature[:10] + ("A" if mature[10] != "A" else "C") + mature[11:]
    assert ("mir-a", 6, 22, (10,)) in index.align(mutated, 1, 3)
    tailed = mature + "AA"
    # hairpin continues with 'A' after the arm: the first A is templated, the second is added
    options = index.align(tailed, 1, 3)
    assert ("mir-a", 6, 23, ()) in options
    two = mature[:3] + "C" + mature[4:10] + "C" + mature[11:]
    assert index.align(two, 1, 0) == []


def test_templated_part_never_runs_past_the_hairpin_end():
    """A read overhanging the 3' end of the hairpin: the overhang is a non-templated tail or
    the read does not align (it used to count as a templated mismatch off the reference)."""
    index = SeedIndex({"mir-a": HAIRPIN_A})
    end = HAIRPIN_A[-20:]
    for option in index.align(end + "A", 1, 3):
        assert option[1] + option[2] <= len(HAIRPIN_A)
    assert ("mir-a", len(HAIRPIN_A) - 20, 20, ()) in index.align(end + "A", 1, 3)
    assert index.align(end + "G", 1, 0) == []


def test_mature_isomirs_tolerance_and_hierarchy():
    ref = reference()
    params = IsomirParams()
    canonical = HAIRPIN_A[6:28]
    table = {
        canonical: (100, 100),
        HAIRPIN_A[5:28]: (10, 10),  # 5' extension by 1
        HAIRPIN_A[6:25]: (7, 7),  # 3' trimmed by 3
        canonical + "TT": (5, 5),  # non-templated TT (hairpin has A A next)
        HAIRPIN_A[3:28]: (4, 4),  # 5' shift 3 > 2: hairpin only
        HAIRPIN_A[30:50]: (6, 6),  # loop / other arm: hairpin
        "GATTACAGATTACAGATTACA": (9, 9),  # nothing
    }
    ann = annotate_sequences(table, ref, params)
    assert ann.mature == Counter({"miR-a-5p": 122})
    assert ann.hairpin == Counter({"mir-a": 10})
    assert ann.class_counts == Counter({"miRNA": 122, "hairpin": 10})
    variants = {seq: v for seq, _, v, _, _ in ann.isomirs}
    assert variants[canonical] == "NA"
    assert variants[HAIRPIN_A[5:28]] == "iso_5p:-1"
    assert variants[HAIRPIN_A[6:25]] == "iso_3p:-3"
    assert variants[canonical + "TT"] == "iso_add3p:2"
    strict = annotate_sequences(table, ref, IsomirParams(max_5p_shift=0, max_nontemplated=0))
    assert strict.mature["miR-a-5p"] == 107


def test_spikeins_first():
    ref = reference()
    spike = MirnaReference.from_sequences({"cel-miR-39-3p": "TCACCGGGTGTAAATCAGCTTG"})
    ann = annotate_sequences({"TCACCGGGTGTAAATCAGCTTG": 8, HAIRPIN_A[6:28]: 3}, ref, IsomirParams(), spike)
    assert ann.spikein == Counter({"cel-miR-39-3p": 8})
    assert ann.mature == Counter({"miR-a-5p": 3})


def test_allocate_is_proportional_and_preserves_totals():
    result = allocate({"a": 30, "b": 10, "c": 0}, {frozenset({"a", "b"}): 9, frozenset({"c", "d"}): 3})
    assert result["a"] == 30 + 7 and result["b"] == 10 + 2  # 6.75 -> 7, 2.25 -> 2
    assert result["c"] + result["d"] == 3
    assert sum(result.values()) == 30 + 10 + 9 + 3


def test_tie_goes_to_fewest_mismatches_then_split():
    # two hairpins whose arms differ in one base: an exact read goes to its own arm only
    h1 = "CCCCCC" + "TGAGGTAGTAGGTTGTATAGTT" + "GGGGGGGGGGGG"
    h2 = "CCCCCC" + "TGAGGTAGTAGGTTGTGTAGTT" + "GGGGGGGGGGGG"
    positions = pd.DataFrame(
        [("m1", "m1", "h1", 6, 28, h1[6:28]), ("m2", "m2", "h2", 6, 28, h2[6:28])],
        columns=["mature", "mature_names", "hairpin", "start", "end", "sequence"],
    )
    ref = MirnaReference.build({"h1": h1, "h2": h2}, positions)
    between = "TGAGGTAGTAGGTTGTCTAGTT"  # one mismatch to both
    ann = annotate_sequences({h1[6:28]: 30, h2[6:28]: 10, between: 4}, ref, IsomirParams())
    assert ann.mature == Counter({"m1": 33, "m2": 11})


def test_snv_labels_and_variant_string():
    assert [snv_label(p) for p in (1, 2, 8, 10, 15, 20)] == [
        "iso_snv", "iso_snv_seed", "iso_snv_central_offset", "iso_snv_central",
        "iso_snv_central_supp", "iso_snv",
    ]


def test_merge_tables_streaming(tmp_path):
    write_sorted_counts({"b": 2, "a": 1}, tmp_path / "s1.tsv", ["feature"])
    write_sorted_counts({"c": 5, "a": 3}, tmp_path / "s2.tsv.gz", ["feature"])
    rows = merge_tables([tmp_path / "s1.tsv", tmp_path / "s2.tsv.gz"], ["s1", "s2"],
                        tmp_path / "m.tsv", ["feature"], all_keys=[("z",)])
    merged = pd.read_csv(tmp_path / "m.tsv", sep="\t")
    assert rows == 4
    assert merged.to_dict("list") == {"feature": ["a", "b", "c", "z"], "s1": [1, 2, 0, 0], "s2": [3, 0, 5, 0]}
    (tmp_path / "bad.tsv").write_text("feature\tcount\nb\t1\na\t2\n")
    with pytest.raises(SmallRnaInputError, match="bad.tsv: rows are not sorted"):
        merge_tables([tmp_path / "bad.tsv"], ["x"], tmp_path / "m2.tsv", ["feature"])
    assert not (tmp_path / "m2.tsv").exists()


def test_iter_fastq_errors_name_the_file(tmp_path):
    bad = tmp_path / "badlen.fastq"
    bad.write_text("@r1\nACGT\n+\nIII\n")
    with pytest.raises(SmallRnaInputError, match="badlen.fastq: record 1 .* sequence length 4 but quality length 3"):
        list(iter_fastq(bad))
    trunc = tmp_path / "trunc.fastq.gz"
    data = gzip.compress(b"@r1\nACGTACGT\n+\nIIIIIIII\n" * 2000)
    trunc.write_bytes(data[: len(data) // 2])
    with pytest.raises(SmallRnaInputError, match="trunc.fastq.gz: cannot read gzip stream"):
        list(iter_fastq(trunc))


def test_qc_summary_verdict_and_flags():
    thresholds = {"min_annotated_reads": 100, "min_transcriptome_genome_ratio": 0.5,
                  "min_fraction_20_25nt": 0.25, "min_mirna_fraction": 0.1, "min_complexity": 0.1}
    row = summarize_sample(
        "s", {"input_reads": 1000, "adapter": "TGG", "adapter_found": 900},
        {"trimmed_reads": 1000, "too_short": 100, "too_long": 50, "kept_reads": 850,
         "kept_molecules": 850, "umi_duplicates": 0},
        {"miRNA": 500, "hairpin": 20, "tRNA": 30, "genome": 100},
        ["tRNA"], {18: 100, 22: 700, 30: 50}, 5, 100, thresholds, True,
    )
    assert row["unassigned"] == 850 - 650
    assert row["annotated"] == 550 and row["exrna_qc"] == "PASS"
    assert row["transcriptome_genome_ratio"] == pytest.approx(550 / 650, abs=1e-4)
    assert row["mirtrace_flags"] == "low_complexity"
    assert length_fraction({18: 100, 22: 700, 30: 50}) == pytest.approx(700 / 850)
    low = summarize_sample("s", {"input_reads": 10, "adapter_found": 10}, {"kept_molecules": 10},
                           {"miRNA": 1, "genome": 9}, [], {22: 10}, 1, 10, thresholds, True)
    assert low["exrna_qc"] == "FAIL" and "annotated<=100" in low["exrna_qc_reasons"]


def test_mirgff3_records(tmp_path):
    ref = reference()
    canonical = HAIRPIN_A[6:28]
    ann = annotate_sequences({canonical: 5, HAIRPIN_A[6:25]: 2}, ref, IsomirParams())
    path = tmp_path / "s.gff3"
    with open(path, "w") as handle:
        n = write_mirgff3(handle, "s", ann.isomirs, {"mir-a": HAIRPIN_A, "mir-b": HAIRPIN_B})
    lines = path.read_text().splitlines()
    assert n == 2 and lines[0].startswith("## mirGFF3. VERSION")
    rec = [line.split("\t") for line in lines if not line.startswith("#")]
    rec.sort(key=lambda r: r[4], reverse=True)
    assert rec[0][:5] == ["mir-a", "miRBasev22", "ref_miRNA", "7", "28"]
    assert "Variant=NA" in rec[0][8] and "Expression=5" in rec[0][8]
    hit = [h for s, _, _, _, h in ann.isomirs if s == canonical][0]
    assert cigar(canonical[:-1] + "C", hit, HAIRPIN_A) in {"21MC", "22M"}


def test_parse_bowtie_names():
    assert parse_bowtie_names(["s1\t+\tchr\t5\tACGT\tIIII\t0\n", "s9\t-\tchr\t1\tAC\tII\t0", ""]) == {"s1", "s9"}


def test_no_read_in_length_window_is_an_error():
    from stromir.smallrna import SmallRnaInputError
    from stromir.smallrna.collapse import check_reads_kept

    check_reads_kept({"kept_reads": 1}, ["a.fq.gz"], 16, 40)
    with pytest.raises(SmallRnaInputError, match=r"a.fq.gz, b.fq.gz: no read is 16-40 nt .*7 too short"):
        check_reads_kept({"kept_reads": 0, "too_short": 7, "trimmed_reads": 7}, ["a.fq.gz", "b.fq.gz"], 16, 40)


def _every_placement_hits(ref, seq, params):
    """Oracle: the best mature hits over every (hairpin, position), no seeds, no prefix index."""
    from stromir.smallrna.annotate import best_hits, mature_hits

    everywhere = [(name, pos) for name, hp in ref.index.refs.items() for pos in range(len(hp))]
    aligned = ref.index.align(seq, params.max_mismatches, params.max_nontemplated, everywhere)
    return best_hits(mature_hits(aligned, len(seq), ref.loci, params))


def _bundled_subset(n_hairpins=20):
    from stromir.smallrna import evaluate

    _, hairpins, positions = evaluate.load_reference()
    keep = sorted(positions["hairpin"].unique())[:n_hairpins]
    positions = positions[positions["hairpin"].isin(keep)]
    return MirnaReference.build({h: hairpins[h] for h in keep}, positions), positions


def _variants(positions, seed=3):
    """Reads around each mature arm: shifts, 3' trims/extensions, A/T tails, 1-2 substitutions,
    short reads, and random sequences."""
    import random

    rng = random.Random(seed)
    from stromir.smallrna import evaluate

    reads = set()
    _, hairpins, _ = evaluate.load_reference()
    for row in positions.itertuples(index=False):
        hp = hairpins[row.hairpin]
        for _ in range(15):
            start = max(0, int(row.start) + rng.randint(-3, 3))
            end = min(len(hp), int(row.end) + rng.randint(-6, 4))
            read = list(hp[start:end])
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                i = rng.randrange(len(read))
                read[i] = rng.choice([b for b in "ACGT" if b != read[i]])
            read = "".join(read) + "".join(rng.choice("AT") for _ in range(rng.choice([0, 0, 1, 2, 3, 4])))
            if len(read) >= 14:
                reads.add(read)
    for _ in range(200):
        reads.add("".join(rng.choice("ACGT") for _ in range(rng.randint(16, 30))))
    return sorted(reads)


@pytest.mark.parametrize(
    "params",
    [IsomirParams(), IsomirParams(max_mismatches=0), IsomirParams(max_mismatches=2, max_5p_shift=1)],
)
def test_mature_candidate_lookup_finds_what_checking_every_placement_finds(params):
    """The prefix lookup (and the arm-first seed path) returns exactly the best mature hits of
    an exhaustive check of every hairpin position, on reads with shifts, tails, substitutions."""
    ref, positions = _bundled_subset()
    arms = ref.arm_placements(params.max_5p_shift)
    reads = _variants(positions)
    found = 0
    for seq in reads:
        hits, _ = ref.mature_or_alignments(seq, params, arms)
        expected = _every_placement_hits(ref, seq, params)
        assert sorted(hits) == sorted(expected), seq
        found += bool(hits)
    assert 0.1 * len(reads) < found < len(reads)  # both hits and misses were exercised


def test_parallel_annotation_equals_serial():
    ref, positions = _bundled_subset()
    reads = _variants(positions, seed=5)
    table = {seq: (i % 7 + 1, i % 7 + 1) for i, seq in enumerate(reads)}
    serial = annotate_sequences(table, ref, IsomirParams())
    parallel = annotate_sequences(table, ref, IsomirParams(), threads=2, min_parallel=100)
    assert parallel.classes == serial.classes
    assert parallel.mature == serial.mature and parallel.hairpin == serial.hairpin
    assert parallel.isomirs == serial.isomirs
    assert sum(serial.mature.values()) > 0


def test_fastq_stream_counting_across_block_boundaries(tmp_path):
    records = [(f"r{i} extra", "ACGT"[i % 4] * (10 + i % 13)) for i in range(500)]
    path = tmp_path / "x.fastq"
    write_fastq(path, records)
    expected = Counter(seq for _, seq in records)
    for chunk in (1, 5, 7, 64, 1 << 20):
        with open(path, "rb") as handle:
            assert count_fastq_stream(handle, chunk_bytes=chunk) == expected
    path.write_text(path.read_text().rstrip("\n"))  # no final newline
    with open(path, "rb") as handle:
        assert count_fastq_stream(handle) == expected


MATURES = ["TGAGGTAGTAGGTTGTATAGTT", "TAGCTTATCAGACTGATGTTGA", "TCCCTGAGACCCTTTAACCTGTGA",
           "AACCCGTAGATCCGAACTTGTG", "CAAAGTGCTTACAGTGCAGGTAG", "TGTGCAAATCTATGCAAAACTGA"]


def _protocol_read(protocol: str, insert: str, i: int) -> str:
    """A raw read of ``insert`` laid out as the kit does (random bases drawn from i)."""
    rand = "".join("ACGT"[(i * 7 + k * 3) % 4] for k in range(4))
    if protocol == "illumina" or protocol == "nextflex_v4":
        body = insert + "TGGAATTCTCGGGTGCCAAGGAACTCCAGTCAC"
    elif protocol == "nextflex_v3":  # 4 random nt on each side of the insert
        body = rand + insert + rand[::-1] + "TGGAATTCTCGGGTGCCAAGGAACTC"
    elif protocol == "cats":  # 3 nt of template switching, then the insert and its poly(A)
        body = rand[:3] + insert + "A" * 12 + "GATCGGAAGAGCACACGTCTGAA"
    return (body + "ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT")[:51]


@pytest.mark.parametrize("protocol", ["illumina", "nextflex_v3", "nextflex_v4", "cats"])
def test_protocol_layouts_trim_to_the_insert_through_fastp(tmp_path, protocol):
    """Real fastp with each kit's adapter and clips, then the collapse step's 3' clip and
    poly(A) strip: every read comes back as exactly its insert (for CATS, without the A's it
    ends in: those cannot be told from the poly(A) tail)."""
    from stromir.smallrna.pipeline import trim_and_count

    p = resolve_protocol(protocol)
    reads = [(f"r{i}", _protocol_read(protocol, MATURES[i % len(MATURES)], i)) for i in range(60)]
    raw = tmp_path / "raw.fastq.gz"
    with gzip.open(raw, "wt") as out:
        for name, seq in reads:
            out.write(f"@{name}\n{seq}\n+\n{'I' * len(seq)}\n")
    stats = trim_and_count(raw, tmp_path / "u.counts.tsv", tmp_path / "f.json", tmp_path / "f.html",
                           p, p.adapter, 20, 1, 0.5)
    assert stats["input_reads"] == 60 and stats["adapter_found"] == 60
    table, _, collapse = collapse_units(
        [{"counts": tmp_path / "u.counts.tsv", "clip_3p": p.clip_3p, "umi": False, "poly_a": p.poly_a}],
        16,
        40,
    )
    assert table == {(m.rstrip("A") if p.poly_a else m): (10, 10) for m in MATURES}
    assert collapse["kept_reads"] == 60


def test_other_class_hits_keep_every_best_hit(tmp_path):
    """Real bowtie: a fragment of two identical tRNA copies has two best hits (n_hits 2), an
    antisense fragment is reported on '-', a sequence of no class is absent; class membership
    is that of the first-hit search."""
    import subprocess

    from stromir.smallrna.classes import align_to_targets, write_class_hits

    trna = "GCATTGGTGGTTCAGTGGTAGAATTCTCGCCTGCCACGCGGGAGGCGGGGGTTCGATTCCCCGCCAATGCACCA"
    other = "GGGGCTCTGTGGTCTAGTGGTTAGGATTCGGCGCTCTCACCGCCGCGGCCCGGGTTCGATTCCCGGTCAGGGAA"
    fasta = tmp_path / "trna.fa"
    fasta.write_text(f">copy1\n{trna}\n>copy2\n{trna}\n>other\n{other}\n")
    subprocess.run(["bowtie-build", "-q", str(fasta), str(tmp_path / "trna")], check=True)
    shared = trna[10:32]
    antisense = other[5:27][::-1].translate(str.maketrans("ACGT", "TGCA"))
    table = {shared: (4, 9), antisense: (1, 1), "ACGTTTGCAAGCTAGCTTAAGC": (2, 2)}
    hits = {}
    assigned = align_to_targets({s: v[0] for s, v in table.items()}, [("tRNA", str(tmp_path / "trna"))],
                                tmp_path, 1, feature_hits=hits, per_feature=["tRNA"])
    plain = align_to_targets({s: v[0] for s, v in table.items()}, [("tRNA", str(tmp_path / "trna"))],
                             tmp_path, 1)
    assert assigned == plain == {shared: "tRNA", antisense: "tRNA"}
    out = tmp_path / "s.other_classes.tsv.gz"
    assert write_class_hits(hits, table, out, umis=True) == 3
    rows = pd.read_csv(out, sep="\t")
    assert list(rows.columns) == ["sequence", "class", "feature", "start", "strand", "n_hits", "reads", "umis"]
    mine = rows[rows["sequence"] == shared]
    assert sorted(mine["feature"]) == ["copy1", "copy2"] and set(mine["start"]) == {10}
    assert set(mine["n_hits"]) == {2} and set(mine["reads"]) == {9} and set(mine["umis"]) == {4}
    anti = rows[rows["sequence"] == antisense].iloc[0]
    assert (anti["feature"], anti["start"], anti["strand"]) == ("other", 5, "-")
