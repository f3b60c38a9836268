"""Save screenshots of the atlas into docs/ (headless Debian Chromium, the app on a free port).

    python scripts/screenshots.py

Each shot is a URL of the app (the view state lives in the URL) plus optional steps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

# (file name, query, viewport, action)
SHOTS: list[tuple[str, str, tuple[int, int], str | None]] = [
    ("cis-1995.png", "?layer=cis&year=1995", (1400, 900), None),
    ("refugees-hosted-1995.png", "?layer=refugees_hosted&year=1995", (1400, 900), None),
    ("regimes-of-the-world-2024.png", "?layer=vdem_row&year=2024", (1400, 900), None),
    ("country-panel-georgia-2009.png", "?layer=cis&year=2009&country=GEO", (1400, 900), None),
    ("presentation-story.png", "?present=1&story=post_soviet_space&step=13", (1920, 1080), None),
    ("presentation-1280x720.png", "?present=1&layer=fh_status&year=1997", (1280, 720), None),
    ("story-step-2009.png", "?story=post_soviet_space&step=9", (1400, 900), None),
    ("small-screen-390.png", "?layer=vdem_row&year=2024", (390, 844), None),
    # issue 12: chart, ranking, compare; share and cite; embed
    ("chart-fh-total-caucasus.png", "?view=chart&layer=fh_total&countries=ARM,AZE,GEO&year=2020",
     (1400, 900), None),
    ("chart-fh-status-grid.png", "?view=chart&layer=fh_status&year=2005", (1400, 900), None),
    ("chart-vdem-bands.png", "?view=chart&layer=vdem_polyarchy&countries=ARM,GEO,RUS&year=2008", (1400, 900), None),
    ("ranking-refugees-per-1000-2023.png", "?view=rank&layer=refugees_hosted_per_1000&year=2023",
     (1400, 900), None),
    ("compare-cis-1995-2025.png", "?view=compare&layer=cis&year=1995&year2=2025", (1400, 900), None),
    ("compare-presentation.png", "?view=compare&layer=cis&layer2=csto&year=2000&present=1", (1920, 1080), None),
    ("share-cite.png", "?view=rank&layer=refugees_hosted_per_1000&year=2023", (1400, 900),
     "() => { document.getElementById('share-box').open = true; }"),
    ("embed-ranking.png", "?view=rank&layer=fh_total&year=2020&embed=1", (900, 640), None),
    # regions (issue "Every state visible and reachable")
    ("region-west-1280.png", "?layer=eu&year=2004&region=west", (1280, 720), None),
    ("region-caucasus-1280.png", "?layer=refugees_hosted_per_1000&year=1995&region=caucasus&country=ARM",
     (1280, 720), None),
    ("region-central-asia-1280.png", "?layer=fh_status&year=2024&region=central_asia", (1280, 720), None),
    ("region-all-1280.png", "?layer=csto&year=2024", (1280, 720), None),
    ("presentation-1920-caucasus.png", "?story=post_soviet_space&step=9&present=1", (1920, 1080), None),
    ("phone-390-caucasus.png", "?layer=cis&year=2009&region=caucasus", (390, 844), None),
    # issue 13: the overlap view (who belongs to what, 2009) and bilateral displacement (flows)
    ("overlap.png", "?view=overlap&year=2009", (1280, 720), None),
    ("flows.png", "?view=flows&country=UKR&year=2022", (1280, 720), None),
]

# what shows that a view is drawn (the map unless the view replaces it)
READY = {"chart": "#chart .scatterlayer .trace", "rank": "#ranking .rank-row",
         "compare": "#compare-right .choroplethlayer path", "overlap": "#overlap-counts .ov-mark",
         "flows": "#flows-map .choroplethlayer path"}


def ready_selector(query: str) -> str:
    for view, sel in READY.items():
        if f"view={view}" in query:
            return sel
    return "#map .choroplethlayer path"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(only: list[str]) -> int:
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        DOCS.mkdir(exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, query, (w, h), action in SHOTS:
                if only and name not in only:
                    continue
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(base + "/" + query)
                # the first move loads plotly.js (until then the map is the server's picture)
                page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()")
                page.mouse.move(w - 5, h - 5)
                page.wait_for_selector(ready_selector(query), state="attached", timeout=30_000)
                page.wait_for_load_state("networkidle")
                if action:
                    page.evaluate(action)
                    page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)
                page.screenshot(path=str(DOCS / name))
                print(f"saved docs/{name}")
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
