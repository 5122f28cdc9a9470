"""Drive the dashboard's page as a user does and time what the user waits for.

Components are found by their stable ids only (``network``, ``evidence``, ``time-range``,
``source-filter``, ``counts``, ``reset``), never by the figure's structure:

- *on screen* is Plotly's ``plotly_afterplot`` event on the graph, then two animation
  frames (the browser has painted);
- a step starts at the user's input event (pointer down or key down, recorded in the
  page) and ends at the last draw before the page goes quiet: no request in flight and
  nothing drawn for ``quiet`` seconds;
- the network is on screen after navigation at the first such draw with any trace in it
  (the empty graph Dash draws first, and the "laying out" placeholder, have none).
"""

from __future__ import annotations

import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.netlog import NetLog, by_kind, summary

# Runs in the page before its own scripts: records input events, draws and evidence.
RECORDER = """
(() => {
  const bench = window.__bench = {armed: false, t0: null, draws: [], evidence: [], clicked: []};
  const input = () => { if (bench.armed && bench.t0 === null) bench.t0 = performance.now(); };
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, input, true);
  const hook = () => {
    const gd = document.querySelector('#network .js-plotly-plot');
    if (gd && typeof gd.on === 'function' && !gd.__benchHooked) {
      gd.__benchHooked = true;
      gd.on('plotly_afterplot', () => {
        const afterplot = performance.now();
        const traces = (gd._fullData || []).length;
        requestAnimationFrame(() => requestAnimationFrame(() =>
          bench.draws.push({afterplot, t: performance.now(), traces})));
      });
      gd.on('plotly_click', (event) => {
        const point = event && event.points && event.points[0];
        bench.clicked.push(point && point.data && point.data.meta ? point.data.meta.role : '');
      });
    }
    const evidence = document.getElementById('evidence');
    if (evidence && !evidence.__benchHooked) {
      evidence.__benchHooked = true;
      let shown = evidence.innerText;
      new MutationObserver(() => {
        const text = evidence.innerText;
        if (text !== shown) bench.evidence.push({t: performance.now(), text: text.slice(0, 300)});
        shown = text;
      }).observe(evidence, {childList: true, subtree: true, characterData: true});
    }
  };
  new MutationObserver(hook).observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['class'],
  });
})();
"""

# Draws, draws with any trace, evidence changes: what _settle watches.
STATE = """() => { const b = window.__bench;
  return [b.draws.length, b.draws.filter(d => d.traces > 0).length, b.evidence.length]; }"""

# An edge's click target on screen: a point of the edge-hit markers, the one farthest
# from any drawn actor (so the click lands on the edge, not on a node), inside the plot.
EDGE_POINT = """
() => {
  const gd = document.querySelector('#network .js-plotly-plot');
  const full = gd._fullLayout, xa = full.xaxis, ya = full.yaxis;
  const box = gd.getBoundingClientRect();
  const screen = (x, y) => [box.left + xa._offset + xa.d2p(x), box.top + ya._offset + ya.d2p(y)];
  const inside = ([sx, sy]) => sx > box.left + xa._offset + 10 && sx < box.left + xa._offset + xa._length - 10
    && sy > box.top + ya._offset + 10 && sy < box.top + ya._offset + ya._length - 10;
  const points = (role) => {
    const out = [];
    gd._fullData.forEach(t => {
      if (!t.meta || t.meta.role !== role || !t.x) return;
      for (let i = 0; i < t.x.length; i++) {
        if (t.x[i] !== null && !Number.isNaN(t.x[i])) out.push(screen(t.x[i], t.y[i]));
      }
    });
    return out;
  };
  const hits = points('edge-hits').filter(inside);
  const actors = points('actors');
  if (!hits.length) return null;
  const step = Math.max(1, Math.floor(hits.length / 400));
  const sample = actors.length > 20000 ? actors.filter((_, i) => i % Math.ceil(actors.length / 20000) === 0) : actors;
  let best = null, bestDistance = -1;
  for (let i = 0; i < hits.length; i += step) {
    const [x, y] = hits[i];
    let nearest = Infinity;
    for (const [ax, ay] of sample) nearest = Math.min(nearest, (ax - x) ** 2 + (ay - y) ** 2);
    if (nearest > bestDistance) { bestDistance = nearest; best = hits[i]; }
  }
  return best;
}
"""


class Timeout(Exception):
    pass


class AppPage:
    """One fresh browser page (its own context: empty cache) on the app."""

    def __init__(self, browser, url: str, quiet: float, timeout: float):
        self.context = browser.new_context(viewport={"width": 1500, "height": 1000})
        self.context.add_init_script(RECORDER)
        self.page = self.context.new_page()
        self.net = NetLog().attach(self.context.new_cdp_session(self.page))
        self.url, self.quiet, self.timeout = url, quiet, timeout
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def close(self) -> None:
        self.context.close()

    def _settle(self, before: tuple[int, ...], wanted: str) -> None:
        """Wait for what the step should bring (``draw``, ``network`` on screen or
        ``evidence``), then until nothing is in flight and nothing changed for ``quiet``
        seconds."""
        column = {"draw": 0, "network": 1, "evidence": 2}[wanted]
        deadline = time.monotonic() + self.timeout
        last, changed = None, time.monotonic()
        while time.monotonic() < deadline:
            state = (*self.page.evaluate(STATE), self.net.mark(), self.net.in_flight())
            now = time.monotonic()
            if state != last:
                last, changed = state, now
            came = state[column] > before[column]
            if came and state[4] == 0 and now - changed >= self.quiet:
                return
            self.page.wait_for_timeout(100)
        raise Timeout(f"the page did not settle in {self.timeout:.0f} s (waiting for {wanted})")

    def _arm(self) -> tuple[int, int, int, int]:
        """Start a step: the next input event is its start. Returns the counts before it."""
        self.page.evaluate("() => { const b = window.__bench; b.armed = true; b.t0 = null; }")
        return (*self.page.evaluate(STATE), self.net.mark())

    def _result(self, before: tuple[int, int, int, int]) -> dict:
        draws_before, _, evidence_before, mark = before
        bench = self.page.evaluate(
            "() => { const b = window.__bench; b.armed = false;"
            " return {t0: b.t0, draws: b.draws, evidence: b.evidence}; }"
        )
        t0 = bench["t0"]
        if t0 is None:
            raise RuntimeError("no input event reached the page")
        draws = [d for d in bench["draws"][draws_before:] if d["t"] >= t0]
        evidence = [e for e in bench["evidence"][evidence_before:] if e["t"] >= t0]
        result = {
            "s": (draws[-1]["t"] - t0) / 1000 if draws else None,
            "draws": len(draws),
            "counts": self.page.inner_text("#counts"),
            **summary(self.net.since(mark)),
        }
        if evidence:
            result["evidence_s"] = (evidence[-1]["t"] - t0) / 1000
            result["evidence_text"] = evidence[-1]["text"]
        return result

    def navigate(self) -> dict:
        """Open the page; time from navigation start until the network is on screen.
        Again in the same page: a second visit, with what the browser cached."""
        mark = self.net.mark()
        self.page.goto(self.url, wait_until="commit")
        self._settle((0, 0, 0), "network")
        draws = self.page.evaluate("() => window.__bench.draws")
        shown = [d for d in draws if d["traces"] > 0]
        requests = self.net.since(mark)
        return {
            "s": shown[-1]["t"] / 1000 if shown else None,
            "first_draw_s": shown[0]["t"] / 1000 if shown else None,
            "draws": len(draws),
            "counts": self.page.inner_text("#counts"),
            **summary(requests),
            "by_kind": by_kind(requests),
        }

    def pick_source(self, source: str) -> dict:
        """Open the source list, type the name, click the option (timed from the click)."""
        option = self.page.locator(".dash-options-list-option", has_text=f"{source} (").first
        for attempt in range(3):  # a click while the page is busy can leave the list shut
            self.page.click("#source-filter")
            self.page.keyboard.type(source)
            try:
                option.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
                self.page.keyboard.press("Escape")
        before = self._arm()
        option.click()
        self._settle(before, "draw")
        result = self._result(before)
        self.page.keyboard.press("Escape")  # a multi-select stays open
        return result

    def time_range_from(self, year: int) -> dict:
        """Move the low thumb to ``year`` with the keyboard: PageUp moves 10 years, as a
        drag does in one commit; arrows for the rest. Each key press commits a value."""
        thumb = self.page.locator("#time-range [role=slider]").first
        current = int(thumb.get_attribute("aria-valuenow"))
        keys = ["PageUp"] * ((year - current) // 10) + ["ArrowRight"] * ((year - current) % 10)
        thumb.focus()
        before = self._arm()
        for key in keys:
            thumb.press(key)
        self._settle(before, "draw")
        reached = int(thumb.get_attribute("aria-valuenow"))
        if reached != year:
            raise RuntimeError(f"the time range's low thumb is at {reached}, not {year}")
        return {**self._result(before), "keys": len(keys)}

    def reset(self) -> dict:
        before = self._arm()
        self.page.click("#reset")
        self._settle(before, "draw")
        return self._result(before)

    def click_edge(self) -> dict:
        """Click an edge where the figure draws it; time until the evidence changes."""
        point = self.page.evaluate(EDGE_POINT)
        if point is None:
            return {"s": None, "note": "no edge-hit markers in the figure"}
        before = self._arm()
        self.page.mouse.click(point[0], point[1])
        self._settle(before, "evidence")
        result = self._result(before)
        clicked = self.page.evaluate("() => window.__bench.clicked")
        result["clicked_role"] = clicked[-1] if clicked else None
        result["redrawn_s"] = result.pop("s")
        result["s"] = result.get("evidence_s")
        return result
