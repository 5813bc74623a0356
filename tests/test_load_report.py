"""tests/load/report.py: `make load` passes when every suite page measured after the
logins has p95 <= the limit and nothing failed, logins included."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("load_report", REPO / "tests" / "load" / "report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)

STATS = """\
Type,Name,Request Count,Failure Count,50%,95%,Requests/s
POST,login,0,0,N/A,N/A,0.0
GET,suite: /my/registrations,120,0,40,250,0.5
GET,stock: /my/orders,90,0,60,900,0.4
POST,suite: pipeline (crm.lead kanban groups),80,0,30,310,0.3
,Aggregated,290,0,40,500,1.2
"""


def _write(tmp_path, stats=STATS, logins=None):
    prefix = tmp_path / "load"
    (tmp_path / "load_stats.csv").write_text(stats, encoding="utf-8")
    if logins is not None:
        (tmp_path / "load_logins.csv").write_text(logins, encoding="utf-8")
    return str(prefix)


def test_suite_pages_over_the_limit_fail_stock_pages_are_the_baseline(tmp_path):
    prefix = _write(tmp_path, logins="login,ms,error\ndist_gd,800,\nsales,1200,\n")
    text, failed = report.summarise(report.read_rows(prefix), 300)
    assert failed == ["suite: pipeline (crm.lead kanban groups)"]
    assert "baseline" in text and "Aggregated" not in text
    # the logins, reset with the statistics once everyone is in, are not a page
    assert "login" not in text


def test_logins_are_reported_apart_and_fail_the_run_only_when_one_failed(tmp_path):
    prefix = _write(tmp_path, logins="login,ms,error\ndist_gd,800,\nsales,1200,\n")
    line, failed = report.summarise_logins(report.read_logins(prefix))
    assert not failed
    assert "2, 0 failed" in line and "p95 1200 ms" in line
    prefix = _write(tmp_path, logins="login,ms,error\ndist_gd,800,login dist_gd failed: 0\n")
    assert report.summarise_logins(report.read_logins(prefix))[1]


def test_a_run_without_the_login_record_fails(tmp_path):
    stats = "Type,Name,Request Count,Failure Count,50%,95%,Requests/s\nGET,suite: a,1,0,1,1,1\n"
    prefix = _write(tmp_path, stats=stats)
    assert report.main(["report.py", prefix]) == 1
    (tmp_path / "load_logins.csv").write_text("login,ms,error\nsales,500,\n", encoding="utf-8")
    assert report.main(["report.py", prefix]) == 0
