import os

import pytest

from policybrief import workers
from policybrief.analyses.actors.lexicon import load_actors
from policybrief.analyses.actors.resolve import scan_part as actor_part
from policybrief.analyses.compare.terms import scan_part as terms_part
from policybrief.analyses.scan import scan
from policybrief.analyses.themes.lexicon import load_themes
from policybrief.analyses.themes.scan import scan_part as theme_part
from policybrief.corpus.load import load_corpus
from policybrief.corpus.store import Store

ARTICLE = (
    "President Lee Jae-myung met Kim Jong Un's envoy in Seoul on sanctions and denuclearization. "
    "The alliance with Washington held; cost-sharing talks resume in March.\n"
)


def test_rows_come_back_and_a_part_run_again_replaces_its_old_result(tmp_path):
    store = Store(tmp_path)
    store.put_documents([("k1", b'{"text": "a"}'), ("k2", b'{"text": "b"}')])
    store.put_scans(
        [("d1", "themes", "v1", b"old"), ("d1", "terms", "v1", b"terms"), ("d2", "themes", "v1", b"two")]
    )
    store.put_scans([("d1", "themes", "v2", b"new")])
    again = Store(tmp_path)  # another connection reads what the first committed
    assert (again.document("k1"), again.document("k2"), again.document("k3")) == (
        b'{"text": "a"}',
        b'{"text": "b"}',
        None,
    )
    assert again.scans(["d1", "d2", "d3"]) == {
        "d1": {"themes": ("v2", b"new"), "terms": ("v1", b"terms")},
        "d2": {"themes": ("v1", b"two")},
    }


def test_a_damaged_cache_file_is_started_afresh(tmp_path):
    (tmp_path / "per-document.sqlite").write_bytes(b"this is not a database " * 100)
    store = Store(tmp_path)
    assert store.document("k1") is None
    store.put_documents([("k1", b"{}")])
    assert Store(tmp_path).document("k1") == b"{}"


def test_a_failed_write_stores_nothing_of_its_batch_and_warns_once(tmp_path, caplog):
    store = Store(tmp_path)
    store.put_documents(
        [("k1", b"{}"), ("k2", None)]
    )  # the second row breaks a constraint after the first went in
    store.put_documents([("k1", b"{}"), ("k2", None)])
    assert store.document("k1") is None
    warnings = [record.getMessage() for record in caplog.records if record.name == "policybrief"]
    assert warnings == [
        f"warning: cache {tmp_path / 'per-document.sqlite'} not written "
        "(NOT NULL constraint failed: documents.value); the next build redoes this work"
    ]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes run only on more than one core")
def test_worker_processes_clean_and_scan_as_one_process_does_and_share_the_cache(
    corpus_dir, tmp_path, monkeypatch
):
    folder = corpus_dir({f"doc{i}.txt": f"Report {i}\n\n" + ARTICLE * (i + 1) for i in range(6)})
    parts = [theme_part(load_themes()), actor_part(load_actors()), terms_part()]

    def build(cache, parallel_from):
        monkeypatch.setattr(workers, "PARALLEL_FROM", parallel_from)
        corpus = load_corpus(folder, cache_dir=cache)
        return corpus, scan(corpus, parts)

    serial, serial_results = build(tmp_path / "serial", 10**6)
    parallel, parallel_results = build(tmp_path / "parallel", 2)
    assert (parallel.cached, parallel.built) == (0, 6)
    assert parallel.documents == serial.documents
    assert repr(parallel_results) == repr(serial_results)
    again = load_corpus(folder, cache_dir=tmp_path / "parallel")  # workers read what the main process stored
    assert (again.cached, again.built) == (6, 0)
    stored = Store(tmp_path / "parallel").scans([doc.content_key for doc in again.documents])
    assert (
        all(set(entries) == {"themes", "actors", "terms"} for entries in stored.values()) and len(stored) == 6
    )
