"""Dependencies run one way: core ← organizations ← submissions ← notifications ← feature apps ← reports /
dashboard, the two feature apps independent of each other, the dashboard naming no feature app. The contracts
are in pyproject.toml ([tool.importlinter]); this runs them, so a wrong-way import fails the suite (and CI)."""

from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter import api
from importlinter.application import use_cases
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

PYPROJECT = str(Path(__file__).resolve().parent.parent / "pyproject.toml")
CONTRACT_TYPES = {"layers": LayersContract, "forbidden": ForbiddenContract}


@pytest.fixture(scope="module")
def configuration():
    return api.read_configuration(PYPROJECT)


@pytest.fixture(scope="module")
def graph(configuration):
    return grimp.build_graph(*configuration["session_options"]["root_packages"], cache_dir=None)


def broken_contracts(configuration, graph) -> list[str]:
    broken = []
    for options in configuration["contracts_options"]:
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"], session_options=configuration["session_options"], contract_options=options
        )
        if not contract.check(deepcopy(graph), verbose=False).kept:
            broken.append(options["id"])
    return broken


def test_no_package_imports_one_above_it(capsys):
    """The project as it stands keeps every contract (the report of a broken one is in the failure message)."""
    # The use case, not importlinter.cli.lint_imports: the CLI calls logging.config.dictConfig without
    # disable_existing_loggers=False, which silenced every logger of this test process (django.request, the
    # outbox) for the tests that ran after it on the same worker.
    passed = use_cases.lint_imports(config_filename=PYPROJECT, cache_dir=None, no_logo=True)
    assert passed, capsys.readouterr().out


def test_function_level_imports_are_seen(graph):
    """A lazy import (inside AppConfig.ready()) is in the graph, so it cannot hide a wrong-way import."""
    assert graph.direct_import_exists(importer="models_danvan.apps", imported="models_danvan.obligations")
    assert graph.direct_import_exists(
        importer="dukportal.notifications.apps", imported="dukportal.submissions.listeners"
    )


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("dukportal.core.audit", "organizations.models", "layers"),
        ("organizations.spreadsheets.reading", "dukportal.submissions.models", "layers"),
        ("dukportal.submissions.services", "dukportal.notifications.services", "layers"),
        ("dukportal.notifications.selectors", "models_danvan.selectors", "layers"),
        ("models_danvan.services", "democracy_regs.models", "layers"),
        ("democracy_regs.selectors", "reports.models", "layers"),
        ("indicators.services", "models_danvan.models", "layers"),
        ("dukportal.notifications.selectors", "indicators.selectors", "layers"),
        ("dukportal.dashboard.selectors", "models_danvan.selectors", "dashboard-names-no-feature-app"),
    ],
)
def test_a_wrong_way_import_breaks_a_contract(configuration, graph, importer, imported, contract):
    assert broken_contracts(configuration, graph) == []
    wrong = deepcopy(graph)
    wrong.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert contract in broken_contracts(configuration, wrong)
