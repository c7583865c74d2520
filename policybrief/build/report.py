"""``policybrief build``: tables, executed notebooks, one merged HTML, one PDF.

Everything is built in a temporary folder inside the output folder and moved into place only when every
step has succeeded, so a failed build never touches the last good briefing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from policybrief.analyses.evidence import Evidence
from policybrief.build.assemble import export_html, merge, page_text
from policybrief.build.export import PAPER_SIZES, chromium_version, pdf_time, print_pdf
from policybrief.build.notebooks import run_notebooks
from policybrief.build.pipeline import staged
from policybrief.build.provenance import manifest
from policybrief.build.tables import replace_folder
from policybrief.errors import BriefingError
from policybrief.log import logger
from policybrief.options import Options
from policybrief.paths import NOTEBOOKS_DIR
from policybrief.views.appendix import findings_html, method_html, provenance_html, sources_html
from policybrief.views.evidence import concordance_html, evidence_json, evidence_keys
from policybrief.views.summary import summary_html


def build_report(options: Options, build_key: str | None = None, notebooks: Path = NOTEBOOKS_DIR) -> None:
    """Build the briefing; ``build_key`` (the digest of every input, see ``freshness``) goes into the manifest
    so that a rebuild with nothing changed is skipped."""
    paper = PAPER_SIZES.get(options.paper.lower())
    if paper is None:
        raise BriefingError(f"PAPER={options.paper!r} is not supported (use A4 or Letter)")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = options.stamp or now.strftime("%Y-%m-%d %H:%M UTC")
    with staged(options, ".build-") as (corpus, results, work):
        record = manifest(corpus, options, chromium_version())
        if build_key:
            record["build_key"] = build_key
        (work / "manifest.json").write_text(
            json.dumps(record, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
        )
        executed = run_notebooks(options, notebooks, work / "notebooks")
        logger.info("assembling briefing.html")
        front = [summary_html(corpus, results), findings_html(results["findings"])]
        back = [
            method_html(corpus, results["themes"], results["actors"]),
            sources_html(corpus),
            # the concordance (HTML only) closes the last appendix's cell: the back matter stays one cell per
            # appendix
            provenance_html(record) + concordance_html(),
        ]
        merged = merge(executed, corpus, options, stamp, front, back)
        evidence = Evidence(corpus, results["themes"], results["actors"], options.split_date)
        blob = evidence_json(evidence, evidence_keys(page_text(merged)), options.evidence_per_number)
        (work / "briefing.html").write_text(export_html(merged, paper, blob), encoding="utf-8")
        logger.info("printing briefing.pdf")
        print_pdf(work / "briefing.html", work / "briefing.pdf", pdf_time(options.stamp, now), options.title)
        replace_folder(work / "tables", options.out / "tables")
        replace_folder(work / "notebooks", options.out / "notebooks")
        for name in ("manifest.json", "briefing.html", "briefing.pdf"):
            os.replace(work / name, options.out / name)
    logger.info("briefing written: %s and %s", options.out / "briefing.html", options.out / "briefing.pdf")
