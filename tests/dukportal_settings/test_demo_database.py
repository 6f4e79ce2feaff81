"""The demo kept on PostgreSQL for a set of sources (tests/demo_database.py) is named after everything that
decides the seed's rows: an edit to any application file, the test settings or the moment seeded must give
another name, never a stale copy."""

from datetime import datetime
from zoneinfo import ZoneInfo

from tests import demo_database

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_fingerprint_changes_with_any_source_file_and_the_moment(tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "demo.py").write_text("def seed(today): return {}\n")
    (tmp_path / "app" / "templates").mkdir()
    (tmp_path / "app" / "templates" / "notice.txt").write_text("Kính gửi")
    (tmp_path / "settings.py").write_text("DEBUG = False\n")
    monkeypatch.setattr(demo_database, "ROOT", tmp_path)
    monkeypatch.setattr(demo_database, "SOURCES", ["app", "settings.py"])
    monkeypatch.setattr(demo_database.template_database, "migrations_fingerprint", lambda: "m1")
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=HCM)

    def fingerprint(at=moment):
        demo_database._fingerprints.clear()
        return demo_database.sources_fingerprint(at)

    first = fingerprint()
    assert fingerprint() == first
    seen = {first}
    for path, text in [("app/demo.py", "def seed(today): return {'x': 1}\n"), ("app/templates/notice.txt", "Kính")]:
        original = (tmp_path / path).read_text()
        (tmp_path / path).write_text(text)
        seen.add(fingerprint())
        (tmp_path / path).write_text(original)
    (tmp_path / "app" / "new.py").write_text("")
    seen.add(fingerprint())
    (tmp_path / "app" / "new.py").unlink()
    (tmp_path / "settings.py").write_text("DEBUG = True\n")
    seen.add(fingerprint())
    (tmp_path / "settings.py").write_text("DEBUG = False\n")
    seen.add(fingerprint(datetime(2024, 5, 20, 9, 0, tzinfo=HCM)))
    monkeypatch.setattr(demo_database.template_database, "migrations_fingerprint", lambda: "m2")
    seen.add(fingerprint())
    assert len(seen) == 7
    monkeypatch.setattr(demo_database.template_database, "migrations_fingerprint", lambda: "m1")
    assert fingerprint() == first
