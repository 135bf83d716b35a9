"""Every workbook the product makes opens in LibreOffice Calc (as a coordinator's or a
funder's office would open it): each is converted to PDF by Debian's headless soffice.

openpyxl can write files that it reads back but that Calc refuses or shows empty (a bad
chart reference, a wrong data validation); only opening them in another program catches
that. All files go through one soffice call: starting LibreOffice costs far more than
converting a workbook.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess

import pytest

from exports import entry_template
from partenariat.database import db
from partenariat.services import exports
from questionnaires import load_instrument
from tests.factories import shared_campaign

SOFFICE = shutil.which("soffice")
TIMEOUT = 240  # seconds; a first start with a fresh profile takes ~10 s on this machine


def workbooks(app) -> dict[str, tuple[bytes, str]]:
    """File name → (XLSX bytes, a text its PDF must show), for every kind of workbook."""
    # Table A reaches k (5 responses, k = 3) in 2026 and has a 2025 campaign for the funder's
    # evolution sheet; Table B has 2 responses, below k.
    shared_campaign(app, "Table A", 2025, ["B"] * 5)
    above = shared_campaign(app, "Table A", 2026, ["A", "B", "C", "A", "NSP"])
    below = shared_campaign(app, "Table B", 2026, ["A", "B"])
    files = {}
    with app.app_context():
        session = db()
        # A retreat with an action, so that the coordinator's Action plan sheet and the
        # export-plan workbook have rows.
        from partenariat.plan.model import ActionFields, TargetKind, TargetRef
        from partenariat.services import plan

        plan.open_retreat(session, above, None)
        plan.add_action(session, above, ActionFields("Inviter les résidents", expected_rt="RT07",
                                                     targets=(TargetRef(TargetKind.ITEM, "C01"),)))
        for lang in ("fr", "en"):
            files[f"plan-{lang}.xlsx"] = (exports.plan_file(session, above, "xlsx", lang), "Table A")
        for label, campaign_id, partnership in (("above-k", above, "Table A"), ("below-k", below, "Table B")):
            for lang in ("fr", "en"):
                files[f"coordinator-{label}-{lang}.xlsx"] = (
                    exports.coordinator_workbook(session, campaign_id, lang), partnership)
        for lang in ("fr", "en"):
            files[f"funder-{lang}.xlsx"] = (exports.funder_workbook(session, None, app.config["K_FUNDER"], lang), "Table A")
            # The template has no partnership in it: its header names the first items.
            files[f"entry-template-{lang}.xlsx"] = (entry_template.build(load_instrument(), lang), "C01")
    return files


def convert(paths, outdir, profile) -> subprocess.CompletedProcess:
    """One soffice run for all files, with its own profile so that parallel runs do not clash."""
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)]
    # soffice starts soffice.bin as a child: on a timeout, end the whole process group.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"soffice did not finish converting within {TIMEOUT} s")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def pages(pdf) -> int:
    """The PDF's page count (pdfinfo, from poppler-utils); without it, 1 for a plausible PDF."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60)
        assert info.returncode == 0, f"{pdf.name}: pdfinfo cannot read it: {info.stderr}"
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    data = pdf.read_bytes()
    return int(data.startswith(b"%PDF") and len(data) > 1000)


def text_of(pdf) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout


def test_every_workbook_converts_to_a_pdf_in_libreoffice(app, tmp_path):
    if SOFFICE is None:
        pytest.fail("soffice is missing: scripts/test.sh installs Debian's libreoffice-calc package")
    files = workbooks(app)
    sources = tmp_path / "xlsx"
    sources.mkdir()
    for name, (data, _text) in files.items():
        (sources / name).write_bytes(data)
    outdir = tmp_path / "pdf"
    run = convert(sorted(sources.iterdir()), outdir, tmp_path / "lo-profile")
    assert run.returncode == 0, f"soffice failed ({run.returncode}): {run.stdout}\n{run.stderr}"

    # soffice exits 0 even when it cannot load a file ("source file could not be loaded"):
    # each PDF is checked on its own.
    problems = []
    for name, (_data, expected) in files.items():
        pdf = outdir / name.replace(".xlsx", ".pdf")
        if not pdf.exists():
            problems.append(f"{name}: no PDF")
            continue
        if pages(pdf) < 1:
            problems.append(f"{name}: the PDF has no page")
            continue
        text = text_of(pdf)
        if text is not None and expected not in text:
            problems.append(f"{name}: the PDF does not show {expected!r}")
    assert not problems, "\n".join(problems) + f"\nsoffice said: {run.stdout}\n{run.stderr}"
