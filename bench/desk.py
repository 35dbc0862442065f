"""The moderation desk in real Chromium: three moderators at once on a queue of 10,000 pending
comments, served by `townhall serve` (the production ASGI stack) on a fresh SQLite file.

Each moderator works in a browser of their own, on its own thread: one with the mouse
(oldest first), one with the keyboard (newest first), one with the mouse on the risk sort.
The page itself times each decision, from the click (or the key that sends it) to the moment
the decided card is in place (htmx's `load` of the new card), so Playwright's own round trips
are not counted. Decisions per minute are a scripted moderator's, who needs no time to read:
what the desk allows, not what a person reaches.

`python -m bench.desk` prints a small table; `main()` returns the figures.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from typing import Any

PENDING = int(os.environ.get("BENCH_DESK_PENDING", "10000"))
DECISIONS = int(os.environ.get("BENCH_DESK_DECISIONS", "40"))
MODERATORS = int(os.environ.get("BENCH_DESK_MODERATORS", "3"))
PASSWORD = "bench-password-0123"
CHROMIUM = os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium")
TARGETS = {"p95_ms": 150.0, "keyboard_per_min": 60.0, "mouse_per_min": 30.0}

# Times each decision inside the page: from the input that sends it to the decided card.
TIMER = """
window.__desk = [];
window.__deskStart = 0;
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest('button[name="action"]')) {
    window.__deskStart = performance.now();
  }
}, true);
document.addEventListener("keydown", (event) => {
  if (event.key === "a" || /^[1-9]$/.test(event.key)) { window.__deskStart = performance.now(); }
}, true);
document.addEventListener("htmx:load", (event) => {
  const card = event.detail && event.detail.elt;
  if (card && card.hasAttribute && card.hasAttribute("data-decided") && window.__deskStart) {
    window.__desk.push(performance.now() - window.__deskStart);
    window.__deskStart = 0;
  }
});
"""


def load() -> None:
    """Fill the database (run in the bench's environment): prints the moderators as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")
    import django

    django.setup()
    from townhall.accounts.services import staff_create
    from townhall.stories.services import story_upsert

    from bench import moderation

    data = moderation.load(PENDING)
    # The story `townhall serve`'s start-up probe reads (bench.__main__.THREAD).
    story_upsert(site=data["site"], external_id="breaking", title="Breaking")
    emails = [data["moderator"].email]
    for n, (first, last) in enumerate((("Priya", "Raman"), ("Tomas", "Silva"))):
        account, _ = staff_create(email=f"mod{n + 2}@bench.example", role="moderator",
                                  password=PASSWORD, first_name=first, last_name=last,
                                  sites=[data["site"]])
        emails.append(account.email)
    print(json.dumps({"moderators": emails, "pending": len(data["ids"])}))


def _moderate(base: str, email: str, way: str, sort: str, out: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.set_default_timeout(30_000)
            context.add_init_script(TIMER)
            page = context.new_page()
            page.goto(f"{base}/moderation/sign-in/")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.locator("form button[type=submit]").click()
            page.wait_for_url("**/moderation/queue/pending/**")
            page.goto(f"{base}/moderation/queue/pending/?sort={sort}")
            page.locator(".card.is-current").wait_for()
            conflicts = 0
            started = time.perf_counter()
            for n in range(DECISIONS):
                card = page.locator(".cards .card:not([data-decided])").first
                if way == "keyboard":
                    card = page.locator(".card.is-current")
                ident = card.get_attribute("data-comment")
                if way == "keyboard":
                    if n % 2:
                        page.keyboard.press("a")
                    else:
                        page.keyboard.press("r")
                        page.keyboard.press("1")
                else:
                    card.locator("button[value=approve]" if n % 2
                                 else "button[value=reject]").click()
                decided = page.locator(f"#comment-{ident}[data-decided], "
                                       f"#comment-{ident} [role=alert]")
                decided.first.wait_for()
                if page.locator(f"#comment-{ident} [role=alert]").count():
                    conflicts += 1  # another moderator decided it first: 409, shown
                    page.locator(f"#comment-{ident}").evaluate(
                        "card => card.setAttribute('data-decided', '')")
            elapsed = time.perf_counter() - started
            out.update(way=way, sort=sort, decisions=DECISIONS, seconds=round(elapsed, 2),
                       per_min=round(DECISIONS / elapsed * 60, 1), conflicts=conflicts,
                       click_to_card_ms=page.evaluate("window.__desk"))
        finally:
            browser.close()


def work(base: str, moderators: list[str]) -> dict[str, Any]:
    """Three moderators at once; return the figures."""
    plans = [("mouse", "oldest"), ("keyboard", "newest"), ("mouse", "risk")][:MODERATORS]
    results: list[dict[str, Any]] = [{} for _ in plans]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            _moderate(base, moderators[index], *plans[index], results[index])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    times = sorted(t for r in results for t in r["click_to_card_ms"])
    return {
        "pending": PENDING, "moderators": len(plans),
        "click_to_card_p50_ms": round(statistics.median(times), 1),
        "click_to_card_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "decisions_timed": len(times),
        "keyboard_per_min": min((r["per_min"] for r in results if r["way"] == "keyboard"),
                                default=None),
        "mouse_per_min": min(r["per_min"] for r in results if r["way"] == "mouse"),
        "conflicts": sum(r["conflicts"] for r in results),
        "runs": [{k: v for k, v in r.items() if k != "click_to_card_ms"} for r in results],
    }


def main() -> dict[str, Any]:
    from bench.__main__ import Backend

    backend = Backend("desk", database_url=None, redis_url=None, workers=1)
    try:
        backend.reset()
        seeded = backend.python("-m", "bench.desk", "load")
        backend.start()
        figures = work(backend.url(""), seeded["moderators"])
    finally:
        backend.cleanup()
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}", file=sys.stderr)
    return figures


if __name__ == "__main__":
    if sys.argv[1:] == ["load"]:
        load()
    else:
        print(json.dumps(main()))
