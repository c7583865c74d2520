"""The Parquet files between stages: a cleaned document survives the round trip field for field, and a stage
file of another schema version, or a damaged one, is computed again rather than read."""

import pandas as pd
import pyarrow.parquet as pq

import policybrief.analyses.scan as scan_module
from policybrief.analyses.themes.lexicon import load_themes
from policybrief.analyses.themes.measures import find_evidence
from policybrief.corpus.load import load_corpus
from policybrief.corpus.model import Document
from policybrief.corpus.stage_files import SCHEMA_KEY, document_rows, documents_table

ARTICLE = "The alliance faced sanctions. Denuclearization talks resumed in March.\n"


def test_a_cleaned_document_survives_its_table_field_for_field():
    document = Document(
        doc_id="a",
        file="sub/a.txt",
        format="txt",
        sha256="0" * 64,
        title='A "title", with commas',
        source="Yonhap",
        author="",
        date="2025-03",
        date_precision="month",
        date_basis="metadata.csv",
        url="",
        text="Één zin. Another one.",
        words_raw=7,
        words=4,
        sentence_spans=[(0, 8), (9, 21)],
        removals=[{"step": "boilerplate", "reason": "share bar", "text": "Share", "words": 1}],
        replaced_characters={"\u00a0": 2},
        notes=["date 2025-03 is inferred"],
        extra={"region": "Asia"},
    )
    table = documents_table(
        [
            {name: getattr(document, name) for name in document.__dataclass_fields__},
            {"file": "b.bin", "skipped": "binary"},
        ]
    )
    [read, skipped] = document_rows(table)
    assert read == {"file": "sub/a.txt", "document": document}
    assert skipped == {"file": "b.bin", "skipped": "binary"}


def test_a_scan_file_of_another_version_or_damaged_is_scanned_again(corpus_dir, tmp_path, monkeypatch):
    folder = corpus_dir({"a.txt": ARTICLE, "b.txt": ARTICLE + "The alliance held.\n"})
    cache = tmp_path / "cache"
    lexicon = load_themes()
    first = find_evidence(load_corpus(folder, cache_dir=cache), lexicon)
    assert len(first) >= 4
    scanned = []
    original = scan_module.scan_partition

    def counting(job, parts):
        scanned.append(job[1])
        return original(job, parts)

    monkeypatch.setattr(scan_module, "scan_partition", counting)
    pd.testing.assert_frame_equal(find_evidence(load_corpus(folder, cache_dir=cache), lexicon), first)
    assert scanned == []  # from the cache
    [stage_file] = (cache / "scans" / "themes").glob("*.parquet")
    table = pq.read_table(stage_file)
    pq.write_table(table.replace_schema_metadata({SCHEMA_KEY: b"rows/0"}), stage_file)
    pd.testing.assert_frame_equal(find_evidence(load_corpus(folder, cache_dir=cache), lexicon), first)
    assert scanned == [["a", "b"]]
    stage_file.write_bytes(b"PAR1 torn")
    pd.testing.assert_frame_equal(find_evidence(load_corpus(folder, cache_dir=cache), lexicon), first)
    assert scanned == [["a", "b"], ["a", "b"]]
