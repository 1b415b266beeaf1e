"""The shared TOBS vectors through static/js/tobs.js in Chromium, from the server's own tables.

The same cases run through the Python implementation in tests/unit/test_tobs_vectors.py, so
the phone's offline score and the server's score agree case by case.
"""

import json
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.conftest import LiveServer
from webapp.domain.tobs import bands_as_data
from webapp.domain.tobs_actions import DEFAULT_ACTION_ROWS, actions_as_data

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "tobs_vectors.json"

RUN_VECTORS = """([bands, actions, cases]) => {
  const tobs = self.OpsporTobs;
  return cases.map((c) => {
    try {
      const out = tobs.evaluate(bands, actions, c.fields);
      const r = out.result;
      return {
        name: c.name,
        actual: {
          errors: out.errors,
          empty: out.empty,
          total: r === null ? null : r.total,
          complete: r === null ? null : r.complete,
          any_three: r === null ? null : r.any_three,
          points: r === null ? null : r.points,
          corrected_temperature: r === null ? null : r.corrected_temperature,
          missing: r === null ? null : r.missing,
          text: r === null ? null : tobs.text(r),
          urgency: out.action === null ? null : out.action.urgency,
          escalate: out.action === null ? null : out.action.escalate,
        },
      };
    } catch (error) {
      return { name: c.name, actual: { exception: String(error) } };
    }
  });
}"""


def test_every_vector_scores_the_same_in_the_browser(page: Page, live_server: LiveServer):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url("/login"))
    # A same-origin script file, which the page's CSP (script-src 'self') allows.
    page.add_script_tag(url=live_server.url("/static/js/tobs.js"))
    assert page.evaluate("() => Object.keys(self.OpsporTobs).sort()") == [
        "choose",
        "evaluate",
        "parse",
        "score",
        "text",
    ]

    cases = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
    bands = bands_as_data()
    actions = actions_as_data(DEFAULT_ACTION_ROWS, "test")
    results = page.evaluate(RUN_VECTORS, [bands, actions, cases])

    assert [r["name"] for r in results] == [c["name"] for c in cases]
    mismatches = [
        f"{case['name']!a}:\n  expected {case['expect']}\n  got      {result['actual']}"
        for case, result in zip(cases, results, strict=True)
        if result["actual"] != case["expect"]
    ]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} vectors differ:\n" + "\n".join(
        mismatches
    )
    assert not errors


def test_the_script_refuses_an_unknown_table_version(page: Page, live_server: LiveServer):
    page.goto(live_server.url("/login"))
    page.add_script_tag(url=live_server.url("/static/js/tobs.js"))
    bands = {**bands_as_data(), "version": 2}
    message = page.evaluate(
        """(bands) => {
          try { self.OpsporTobs.parse(bands, {puls: "70"}); return null; }
          catch (error) { return String(error); }
        }""",
        bands,
    )
    assert message is not None and "version" in message


def test_the_script_loads_in_a_worker_through_import_scripts(page: Page, live_server: LiveServer):
    """As the service worker will: importScripts, then score from the served tables.

    The worker script itself is served through a route on the server's origin (worker-src
    'self'); it imports the real static/js/tobs.js from the live server.
    """
    worker_url = live_server.url("/static/js/tobs-vectors-worker.js")
    source = (
        f"importScripts({json.dumps(live_server.url('/static/js/tobs.js'))});\n"
        "onmessage = (e) => postMessage(self.OpsporTobs.evaluate(...e.data));\n"
    )
    page.route(
        worker_url,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    page.goto(live_server.url("/login"))
    outcome = page.evaluate(
        """([url, bands, actions]) => new Promise((resolve) => {
          const worker = new Worker(url);
          worker.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => resolve({failed: e.message || "worker error"});
          worker.postMessage([bands, actions, {puls: "130", respiration: "16"}]);
        })""",
        [worker_url, bands_as_data(), actions_as_data(DEFAULT_ACTION_ROWS, "test")],
    )
    assert "failed" not in outcome, outcome
    assert outcome["empty"] is False
    assert outcome["result"]["total"] == 3
    assert outcome["result"]["complete"] is False
    assert outcome["action"]["urgency"] == "haster"
