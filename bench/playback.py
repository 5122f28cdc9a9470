"""Benchmark playback: a frame drawn in the browser from the pack, against a frame
stepped through the server's step callback, per frame time and bytes.

    python bench/playback.py                    # 10k and 100k claims, 8 frames each way
    python bench/playback.py --sizes 10000 --frames 12

Per size: ``dashboard run DATA`` (bench/processes.py), then Debian's headless Chromium
through Playwright opens the page (bench/app_page.py: "on screen" is Plotly's
afterplot, then two animation frames) and plays the default playback (a window of one
year stepped by one year):

- **in the browser** (the page's way): Play. The first press
  fetches the pack (its bytes and server time are reported) and draws frame 1; then,
  the timer held, each frame is a press of "next frame" (the frame's step computed in
  the browser), timed from the press to the network redrawn once the page is quiet,
  with the requests it made (none).
- **through the server**: the page is told to send every frame through the time slider
  (``dash_clientside.playback.forceServer``, as a pack it cannot use would), and each
  frame is a press of "next frame": timed from the press to the last redraw once the
  page is quiet, with the callbacks it fired, their server time and their bytes.

Prints a table of medians (and the slowest frame) and writes bench/out/playback.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.app_page import AppPage  # noqa: E402
from bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from bench.processes import AppServer, load_average, machine  # noqa: E402
from bench.run import OUT, data_folder  # noqa: E402


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def browser_frames(page: AppPage, frames: int) -> dict:
    """Play, then step frame by frame with "next frame" while playing (the timer held,
    ``playback.manual``): each frame computed in the browser from the pack, timed from
    the press to the network redrawn once the page is quiet, as the server's way is."""
    page.page.evaluate("() => { window.dash_clientside.playback.manual = true; }")
    before = page._arm()
    page.page.click("#play")  # fetches the pack, then draws frame 1 from it
    page._settle(before, "draw")
    first = page._result(before)
    pack = [r for r in page.net.since(before[3]) if r.is_callback and "play-pack" in r.output]
    steps = []
    for _ in range(frames):
        before = page._arm()
        page.page.click("#play-next")
        page._settle(before, "draw")
        result = page._result(before)
        result["frame"] = page.page.inner_text("#play-frame")
        steps.append(result)
    page.page.click("#play")  # pause: commits the frame to the slider (not timed here)
    page.page.wait_for_timeout(3000)
    return {
        "frames": [s["frame"] for s in steps],
        "frame_s": [s["s"] for s in steps],
        "callbacks": [s["callbacks"] for s in steps],
        "raw_bytes": [s["callback_raw_bytes"] for s in steps],
        "press_to_first_frame_s": first["s"],
        "pack_raw_bytes": sum(r.raw_bytes for r in pack),
        "pack_wire_bytes": sum(r.wire_bytes for r in pack),
        "pack_server_ms": [round(r.server_ms, 1) for r in pack if r.server_ms is not None],
        "edges_shown": [s["counts"] for s in steps],
    }


def server_frames(page: AppPage, frames: int) -> dict:
    """Each frame through the time slider and the server: press "next frame", wait."""
    page.page.click("#reset")
    page.page.wait_for_timeout(3000)
    page.page.evaluate("() => { window.dash_clientside.playback.forceServer = true; }")
    steps = []
    for _ in range(frames):
        before = page._arm()
        page.page.click("#play-next")
        page._settle(before, "draw")
        result = page._result(before)
        result["frame"] = page.page.inner_text("#play-frame")
        steps.append(result)
    page.page.evaluate("() => { window.dash_clientside.playback.forceServer = false; }")
    return {
        "frames": [s["frame"] for s in steps],
        "frame_s": [s["s"] for s in steps],
        "raw_bytes": [s["callback_raw_bytes"] for s in steps],
        "wire_bytes": [s["callback_wire_bytes"] for s in steps],
        "callbacks": [s["callbacks"] for s in steps],
        "server_ms": [sum(s["callback_server_ms"]) for s in steps],
        "outputs": steps[0]["callback_outputs"] if steps else [],
    }


def measure_size(playwright, size: int, args) -> dict:
    folder = data_folder(size)
    result: dict = {"claims": size, "load_before": load_average()}
    print(f"{size:,} claims: starting `dashboard run` ...", flush=True)
    server = AppServer(folder, timeout=args.timeout * 6)
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result["chromium"] = browser.version
        try:
            page = AppPage(browser, server.url, args.quiet, args.timeout)
            try:
                result["navigation"] = page.navigate()
                print("  frames drawn in the browser ...", flush=True)
                result["browser"] = browser_frames(page, args.frames)
                print("  frames through the server ...", flush=True)
                result["server"] = server_frames(page, args.frames)
                result["page_errors"] = page.errors
            finally:
                page.close()
        finally:
            browser.close()
    finally:
        result["memory"] = server.stop()
        server.remove_cache()
    result["load_after"] = load_average()
    return result


def table(results: list[dict]) -> str:
    def cell(values, scale=1.0, digits=3):
        values = [v for v in values if v is not None]
        if not values:
            return "n/a"
        return f"{statistics.median(values) * scale:.{digits}f} / {max(values) * scale:.{digits}f}"

    rows = [
        ("frame drawn in the browser, s (median / max)", lambda r: cell(r["browser"]["frame_s"])),
        ("  callbacks per frame", lambda r: str(median(r["browser"]["callbacks"]))),
        ("  the pack, once: MB raw / on the wire", lambda r: f"{r['browser']['pack_raw_bytes'] / 1e6:.2f} / {r['browser']['pack_wire_bytes'] / 1e6:.2f}"),
        ("  the pack's server time, ms", lambda r: ", ".join(str(v) for v in r["browser"]["pack_server_ms"]) or "n/a"),
        ("  Play pressed → first frame on screen, s", lambda r: f"{r['browser']['press_to_first_frame_s']:.2f}" if r["browser"]["press_to_first_frame_s"] else "n/a"),
        ("frame through the server, s (median / max)", lambda r: cell(r["server"]["frame_s"])),
        ("  its callbacks per frame", lambda r: str(median(r["server"]["callbacks"]))),
        ("  their server time per frame, ms (median / max)", lambda r: cell(r["server"]["server_ms"], digits=0)),
        ("  MB per frame raw (median / max)", lambda r: cell(r["server"]["raw_bytes"], 1e-6, 3)),
        ("  MB per frame on the wire (median / max)", lambda r: cell(r["server"]["wire_bytes"], 1e-6, 3)),
        ("load average before → after", lambda r: f"{r['load_before'][0]:.2f} → {r['load_after'][0]:.2f}"),
    ]  # fmt: skip
    header = "| measure | " + " | ".join(f"{r['claims']:,} claims" for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(get(r) for r in results) + " |" for name, get in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument(
        "--quiet", type=float, default=1.5, help="seconds without activity that end a step"
    )
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--json", type=Path, default=OUT / "playback.json")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    summary_ = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M"), "results": []}
    with sync_playwright() as playwright:
        for size in args.sizes:
            summary_["results"].append(measure_size(playwright, size, args))
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(summary_, indent=1))
    print()
    print(table(summary_["results"]))
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
