"""The documentation builds with warnings as errors, running every example in its fast mode
(doctests run with the test suite), and its gallery pages show their outputs and figures in
a real browser."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory):
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("pydata_sphinx_theme")
    out = tmp_path_factory.mktemp("docs")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(out / "doctrees"), str(ROOT / "docs"), str(out / "html")],
        capture_output=True, text=True,
    )  # fmt: skip
    return result, out / "html"


@pytest.mark.full_suite
@pytest.mark.slow
def test_docs_build_without_warnings(built_docs):
    result, html = built_docs
    assert result.returncode == 0, result.stderr[-3000:]
    assert (html / "generated" / "textflow.Tokenizer.html").is_file()
    gallery = (html / "gallery.html").read_text()
    assert len(re.findall(r'class="example-output[ "]', gallery)) == len(_examples())
    assert len(re.findall(r"<img [^>]*src=\"_images/", gallery)) >= 8


def _examples():
    modes = json.loads((ROOT / "examples" / "fast_modes.json").read_text())
    return [name for name in modes if name.endswith(".py")]


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


BROWSER_CHECK = """<!DOCTYPE html><html><body><pre id="result">pending</pre>
<iframe id="page" src="{url}" width="1280" height="900"></iframe>
<script>
document.getElementById("page").onload = function () {{
  var page = this.contentDocument;
  var images = Array.from(page.images);
  var broken = images.filter(function (i) {{ return !(i.complete && i.naturalWidth > 0); }})
                     .map(function (i) {{ return i.getAttribute("src"); }});
  var outputs = Array.from(page.querySelectorAll(".example-output pre"))
                     .map(function (p) {{ return p.textContent.trim().length; }});
  document.getElementById("result").textContent =
      JSON.stringify({{images: images.length, broken: broken, outputs: outputs}});
}};
</script></body></html>"""


@pytest.mark.full_suite
@pytest.mark.slow
def test_the_gallery_shows_every_output_and_figure_in_a_browser(built_docs, tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no Chromium here (python3 tasks.py test installs Debian's chromium)")
    result, html = built_docs
    assert result.returncode == 0, result.stderr[-3000:]
    check = tmp_path / "check.html"
    check.write_text(BROWSER_CHECK.format(url=(html / "gallery.html").as_uri()))
    page = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=20000", "--dump-dom", check.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    found = re.search(r'<pre id="result">(.*?)</pre>', page.stdout, flags=re.S)
    assert found, page.stderr[-2000:]
    report = json.loads(found.group(1).replace("&quot;", '"'))
    assert report["broken"] == [] and report["images"] >= 8, report
    assert len(report["outputs"]) == len(_examples()) and min(report["outputs"]) > 0, report
