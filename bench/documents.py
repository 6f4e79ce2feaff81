"""Bench: producing the reminder dispatch, the “Dân vận khéo” year report and the QCDC cycle report for 74
organisations as .docx and .pdf.

    .venv/bin/python bench/documents.py [--repeat N]

Builds a throw-away SQLite database in a temporary directory (the bloc of dispatch 1720-CV/ĐUK: 74 base
organisations, 30 of which registered 131 models, plus 2 bloc-level ones; a QCDC cycle with 40 plans, 32
committees, 30 self-inspection reports and 3 inspected units), then times, for each document:
reading the live figures and writing the draft text (`content`), and rendering the structure with python-docx
and with WeasyPrint. Each time and each peak memory (tracemalloc) is also given as a ratio against rendering
an empty A4 page with the same library in the same run, so the figures compare across machines. The documents
are drafted "as of 15/05/2024"; a last table times drafting each one for that past date against today's."""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-documents-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")
os.environ["MEDIA_ROOT"] = f"{_tmp.name}/media"

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from dukportal.submissions.models import Deadline  # noqa: E402
from reports import generators, services  # noqa: E402
from reports.models import DocType, Document, DocumentKind  # noqa: E402
from reports.render_docx import render_docx, render_empty_docx  # noqa: E402
from reports.render_pdf import render_empty_pdf, render_pdf  # noqa: E402


def setup():
    call_command("migrate", verbosity=0)
    from tests.factories import BlocFactory, UserFactory
    from tests.reports.factories import IssuingBodyFactory, TermFactory, danvan_scenario

    bloc = BlocFactory()
    staff = UserFactory(username="bench", role="staff")
    body = IssuingBodyFactory(bloc=bloc)
    TermFactory(bloc=bloc)
    campaign, organizations = danvan_scenario(staff=staff)
    return staff, body, campaign, Deadline.objects.get(kind="danvan.registration"), qcdc_scenario(staff, organizations)


def qcdc_scenario(staff, organizations):
    """A QCDC cycle over the same 74 organisations, shaped like dispatch 1720: 40 plans, 32 committees (complete),
    30 self-inspection reports, 3 inspected units (2 reported), 5 bright spots."""
    from democracy_regs.models import InspectionReportKind
    from tests.democracy_regs.factories import (
        BrightSpotFactory,
        CommitteeFactory,
        PlanFactory,
        ReportFactory,
        complete_committee,
        open_cycle,
    )

    cycle = open_cycle(staff, inspected=organizations[:3])
    for organization in organizations[:40]:
        PlanFactory(cycle=cycle, organization=organization)
    for organization in organizations[:32]:
        complete_committee(organization)
        CommitteeFactory(cycle=cycle, organization=organization)
    for organization in organizations[3:33]:
        ReportFactory(cycle=cycle, organization=organization)
    for organization in organizations[:2]:
        ReportFactory(
            cycle=cycle,
            organization=organization,
            kind=InspectionReportKind.INSPECTION_VISIT,
            period_start=cycle.review_start,
            period_end=cycle.review_end,
        )
    for organization in organizations[:5]:
        BrightSpotFactory(cycle=cycle, organization=organization)
    return cycle


def timed(fn, repeat):
    fn()  # warm-up: imports, font loading, template compilation
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak(fn):
    fn()
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    staff, body, campaign, deadline, cycle = setup()
    as_of = date(2024, 5, 15)
    today = timezone.localdate()
    generate = {
        "dispatch": (DocumentKind.REMINDER, lambda on=as_of: generators.reminder_content(deadline, body, on)),
        "year report": (
            DocumentKind.DANVAN_REPORT,
            lambda on=as_of: generators.danvan_report_content(campaign, body, on),
        ),
        "qcdc report": (DocumentKind.QCDC_REPORT, lambda on=as_of: generators.qcdc_report_content(cycle, body, on)),
    }

    def structure(kind):
        document_kind, content_of = generate[kind]
        content = content_of()
        document = Document(
            kind=document_kind,
            doc_type=DocType.CV if kind == "dispatch" else DocType.BC,
            issuing_body=body,
            content=content,
            number=1720,
            issued_on=date(2024, 5, 22),
        )
        return services.structure_of(document)

    rows = []
    baselines = {
        "docx": (timed(render_empty_docx, args.repeat), peak(render_empty_docx)),
        "pdf": (timed(render_empty_pdf, args.repeat), peak(render_empty_pdf)),
    }
    for kind in generate:
        data_time = timed(lambda kind=kind: structure(kind), args.repeat)
        doc = structure(kind)
        for fmt, render in (("docx", render_docx), ("pdf", render_pdf)):
            seconds = timed(lambda render=render, doc=doc: render(doc), args.repeat)
            memory = peak(lambda render=render, doc=doc: render(doc))
            size = len(render(doc))
            base_time, base_memory = baselines[fmt]
            rows.append((kind, fmt, data_time, seconds, seconds / base_time, memory, memory / base_memory, size))

    # The figures and draft text for the past reference date against the same for today, in the same run.
    drafted = []
    for kind, (_document_kind, content_of) in generate.items():
        past_time = timed(lambda content_of=content_of: content_of(as_of), args.repeat)
        today_time = timed(lambda content_of=content_of: content_of(today), args.repeat)
        drafted.append((kind, past_time, today_time))

    print(f"74 organisations, median of {args.repeat} runs after a warm-up; peak memory by tracemalloc")
    print(
        f"empty page: docx {baselines['docx'][0] * 1000:.1f} ms, {baselines['docx'][1] / 1024:.0f} KiB; "
        f"pdf {baselines['pdf'][0] * 1000:.1f} ms, {baselines['pdf'][1] / 1024:.0f} KiB"
    )
    header = f"{'document':<12} {'fmt':<4} {'data ms':>8} {'render ms':>10} {'× empty':>8} {'peak KiB':>9} {'× empty':>8} {'file KiB':>9}"
    print(header)
    for kind, fmt, data_time, seconds, ratio, memory, memory_ratio, size in rows:
        print(
            f"{kind:<12} {fmt:<4} {data_time * 1000:>8.1f} {seconds * 1000:>10.1f} {ratio:>8.1f} "
            f"{memory / 1024:>9.0f} {memory_ratio:>8.1f} {size / 1024:>9.0f}"
        )
    print(f"draft text (figures read for the date): {as_of:%d/%m/%Y} against today ({today:%d/%m/%Y})")
    print(f"{'document':<12} {'past ms':>8} {'today ms':>9} {'× today':>8}")
    for kind, past_time, today_time in drafted:
        print(f"{kind:<12} {past_time * 1000:>8.1f} {today_time * 1000:>9.1f} {past_time / today_time:>8.2f}")


if __name__ == "__main__":
    main()
