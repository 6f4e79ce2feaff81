"""Bench: producing the reminder dispatch, the “Dân vận khéo” year report and the QCDC cycle report for 74
organisations as .docx and .pdf.

    .venv/bin/python bench/documents.py [--repeat N] [--sizes 74,1000]

Builds a throw-away SQLite database in a temporary directory (the bloc of dispatch 1720-CV/ĐUK: 74 base
organisations, 30 of which registered 131 models, plus 2 bloc-level ones; a QCDC cycle with 40 plans, 32
committees, 30 self-inspection reports and 3 inspected units), then times, for each document:
reading the live figures and writing the draft text (`content`), and rendering the structure with python-docx
and with WeasyPrint. Each time and each peak memory (tracemalloc) is also given as a ratio against rendering
an empty A4 page with the same library in the same run, so the figures compare across machines. The documents
are drafted "as of 15/05/2024"; a last table times drafting each one for that past date against today's.

Then, for the reminder dispatch at each of `--sizes` organisations (the 1720-CV/ĐUK proportions: 30 of 74 have
registered, so 44 of 74 and 595 of 1,000 are listed as missing), the portal's overhead over the renderer
(issue 13: ≤ 1.5×): **renderer** = WeasyPrint on the saved print HTML with the process's stylesheet and fonts
(`render_pdf.html_to_pdf`), python-docx on the composed structure; **portal** = what a download does: read the
draft, compose its structure (header of the day), write the HTML, render; **job** = what a long draft's
download does instead: the job row with the structure's snapshot, the task (eager here) reading it back,
rendering with progress and storing the file. PDF milliseconds per page are given against the 100 ms goal.

Last, the four-topic dispatch (1720-CV/ĐUK as the committee writes it: registrations, QCDC plans, the
self-inspection with its inspected units, a free section) drafted for 15/05/2024 at each size and rendered as
.docx and .pdf, against an empty page of each library in the same run."""

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

from datetime import date, datetime  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from dukportal.submissions.models import Deadline  # noqa: E402
from reports import generators, services  # noqa: E402
from reports.models import DocType, Document, DocumentKind  # noqa: E402
from reports.render_docx import render_docx, render_empty_docx  # noqa: E402
from reports.render_pdf import html_to_pdf, render_empty_pdf, render_html, render_pdf  # noqa: E402


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


def timed_cpu(fn, repeat):
    """Median wall and CPU (this process) seconds: on a shared machine the CPU time moves far less with the
    load than the wall time does."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def peak(fn):
    fn()
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def overhead(sizes, repeat):
    """The dispatch at each size: renderer alone against the portal's full path (inline and as a job)."""
    rows = []
    for size in sizes:
        rows += _measure_size(size, repeat)
    return rows


def _measure_size(size, repeat):
    import io

    from django.conf import settings
    from pypdf import PdfReader

    from reports.models import ExportJob, ExportStatus
    from tests.factories import BlocFactory, UserFactory
    from tests.reports.factories import IssuingBodyFactory, TermFactory, danvan_scenario

    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    bloc = BlocFactory()
    staff = UserFactory(username="bench", role="staff")
    body = IssuingBodyFactory(bloc=bloc)
    TermFactory(bloc=bloc)
    registered = round(30 * size / 74)
    danvan_scenario(
        staff=staff,
        organizations=size,
        registered=registered,
        base_level=round(131 * size / 74),
        continued=round(73 * size / 74),
    )
    deadline = Deadline.objects.get(kind="danvan.registration")
    document = Document.objects.create(
        kind=DocumentKind.REMINDER,
        doc_type=DocType.CV,
        issuing_body=body,
        content=generators.reminder_content(deadline, body, date(2024, 5, 15)),
        figures_as_of=date(2024, 5, 15),
        created_by=staff,
    )
    built = time.perf_counter() - started
    structure = services.structure_of(document)
    html = render_html(structure)  # the saved HTML the renderer alone is timed on
    pages = len(PdfReader(io.BytesIO(html_to_pdf(html))).pages)

    def portal(fmt, pk=document.pk):
        fresh = Document.objects.select_related("issuing_body__bloc").get(pk=pk)
        composed = services.structure_of(fresh)
        return render_pdf(composed) if fmt == "pdf" else render_docx(composed)

    def job(fmt, pk=document.pk):
        fresh = Document.objects.select_related("issuing_body__bloc").get(pk=pk)
        created = services.document_render_job_create(actor=staff, document=fresh, fmt=fmt)
        assert ExportJob.objects.get(pk=created.pk).status == ExportStatus.DONE  # eager: run on commit

    rows = []
    for fmt, alone in (("pdf", lambda: html_to_pdf(html)), ("docx", lambda: render_docx(structure))):
        renderer = timed_cpu(alone, repeat)
        inline = timed_cpu(lambda fmt=fmt: portal(fmt), repeat)
        as_job = timed_cpu(lambda fmt=fmt: job(fmt), repeat)
        limit = settings.DOCUMENT_INLINE_RENDER_MAX_SIZE[fmt]
        rows.append((size, built, structure.size_estimate, limit, fmt, pages, renderer, inline, as_job))
    return rows


def print_overhead(rows, repeat):
    print(f"the dispatch at each size, median of {repeat} runs after a warm-up; wall ms, then CPU ms of the process")
    print(
        f"{'orgs':>5} {'units':>6} {'inline≤':>8} {'fmt':<4} {'pages':>5} {'renderer':>9} {'portal':>8} "
        f"{'×':>5} {'job':>8} {'×':>5} {'/page':>6} | {'renderer':>9} {'portal':>8} {'×':>5} {'job':>8} "
        f"{'×':>5} {'/page':>6}"
    )
    for size, _built, units, limit, fmt, pages, renderer, inline, as_job in rows:
        line = f"{size:>5} {units:>6} {limit:>8} {fmt:<4} {pages:>5}"
        for kind in (0, 1):  # wall, CPU
            per_page = f"{inline[kind] * 1000 / pages:>6.1f}" if fmt == "pdf" else f"{'':>6}"
            line += (
                f" {renderer[kind] * 1000:>9.1f} {inline[kind] * 1000:>8.1f} {inline[kind] / renderer[kind]:>5.2f}"
                f" {as_job[kind] * 1000:>8.1f} {as_job[kind] / renderer[kind]:>5.2f} {per_page}"
            )
            line += " |" if kind == 0 else ""
        print(line)
    print("data built in " + ", ".join(f"{size}: {built:.1f} s" for size, built, *_ in rows[::2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="74,1000", help="organisations for the renderer/portal comparison")
    args = parser.parse_args()
    staff, body, campaign, deadline, cycle = setup()
    as_of = date(2024, 5, 15)
    today = timezone.localdate()
    generate = {
        "dispatch": (DocumentKind.REMINDER, lambda on=as_of: generators.reminder_content(deadline, body, on)),
        "year report": (
            DocumentKind.DANVAN_REPORT,
            lambda on=as_of: generators.report_content(campaign, body, on),
        ),
        "qcdc report": (DocumentKind.QCDC_REPORT, lambda on=as_of: generators.report_content(cycle, body, on)),
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

    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if sizes:
        print_overhead(overhead(sizes, args.repeat), args.repeat)
        four_topics(sizes, args.repeat)


# --- the four-topic dispatch (issue 10): drafted from data and rendered, against an empty page ---------------


def four_topics(sizes, repeat):
    """Dispatch 1720-CV/ĐUK as the committee writes it (four numbered topics: the “Dân vận khéo” registrations,
    the QCDC plans, the self-inspection with its three inspected units, a free section) drafted for 15/05/2024
    at each size (the 1720 proportions: 30 of 74 registered, 40 of 74 plans), then rendered as .docx and .pdf;
    each render against an empty page of the same library in the same run."""
    import io

    import time_machine
    from pypdf import PdfReader

    from reports.models import TopicKind
    from reports.topics import TopicSpec
    from tests.factories import BlocFactory, UserFactory
    from tests.reports.factories import HCM, IssuingBodyFactory, TermFactory, dispatch_1720_scenario

    empty = {"docx": timed_cpu(render_empty_docx, repeat), "pdf": timed_cpu(render_empty_pdf, repeat)}
    rows = []
    for size in sizes:
        call_command("flush", interactive=False, verbosity=0)
        with time_machine.travel(datetime(2024, 5, 10, 9, tzinfo=HCM), tick=False):
            bloc = BlocFactory()
            staff = UserFactory(username="bench", role="staff")
            body = IssuingBodyFactory(bloc=bloc)
            TermFactory(bloc=bloc)
            dispatch_1720_scenario(staff=staff, organizations=size)
        specs = [
            TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind="danvan.registration")),
            TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind="qcdc.plan")),
            TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind="qcdc.self_inspection")),
            TopicSpec(
                TopicKind.FREE,
                title="Về việc đẩy mạnh thực hiện Kết luận số 114-KL/TW của Ban Bí thư",
                text="Tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan hành chính nhà nước.",
            ),
        ]
        with time_machine.travel(datetime(2024, 5, 22, 9, tzinfo=HCM), tick=False):

            def draft(staff=staff, body=body, specs=specs):
                return services.document_create(
                    actor=staff,
                    kind=DocumentKind.DISPATCH,
                    issuing_body=body,
                    as_of=date(2024, 5, 15),
                    topic_specs=specs,
                )

            drafting = timed_cpu(draft, repeat)
            structure = services.structure_of(draft())
        pdf = render_pdf(structure)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        for fmt, render in (("docx", render_docx), ("pdf", render_pdf)):
            seconds = timed_cpu(lambda render=render, structure=structure: render(structure), repeat)
            rows.append((size, fmt, structure.size_estimate, pages, drafting, seconds, empty[fmt]))
    print(f"\nthe four-topic dispatch, drafted for 15/05/2024; median of {repeat} runs; wall ms, then CPU ms")
    print(
        f"{'orgs':>5} {'fmt':<4} {'units':>6} {'pages':>5} {'draft':>8} {'render':>8} {'empty':>7} {'× empty':>8} |"
        f" {'draft':>7} {'render':>7} {'empty':>6} {'× empty':>8}"
    )
    for size, fmt, units, pages, drafting, (wall, cpu), (empty_wall, empty_cpu) in rows:
        print(
            f"{size:>5} {fmt:<4} {units:>6} {pages:>5} {drafting[0] * 1000:>8.1f} {wall * 1000:>8.1f} "
            f"{empty_wall * 1000:>7.1f} {wall / empty_wall:>8.1f} | {drafting[1] * 1000:>7.1f} {cpu * 1000:>7.1f} "
            f"{empty_cpu * 1000:>6.1f} {cpu / empty_cpu:>8.1f}"
        )


if __name__ == "__main__":
    main()
