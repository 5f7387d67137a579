#!/usr/bin/env python3
"""cdp_page.py - open a local page in headless Chromium and report what a
person's browser would see, with nothing but the Python standard library.

Chromium is driven over --remote-debugging-pipe (the DevTools protocol as
NUL-separated JSON on file descriptors 3 and 4), so no websocket library,
no npm package and no network port are needed.

  cdp_page.py check PAGE.html [--expect-text TEXT]... [--min-svg N]
      Load the page and print one JSON object: console messages, page
      errors, JavaScript dialogs, network requests other than the page
      itself, the number of <svg> elements (and per section), <script>
      elements, elements with on* attributes, <img> elements, the document
      title, and for each --expect-text whether it appears as text.  Exit 0
      when the page passes: no console error, no exception, no dialog, no
      other request, no script, no handler attribute, at least --min-svg
      charts, every expected text present as text.  Exit 1 otherwise, with
      the reasons on stderr.

  cdp_page.py shot PAGE.html OUT.png [--width W] [--section ID]
      Write a PNG of the whole page (or of the element with id ID) laid out
      at W CSS pixels wide (default 1280).

Chromium: $CHROMIUM or chromium on PATH; run as root with --no-sandbox and
a fresh profile that is removed afterwards.
"""
import argparse
import json
import os
import base64
import select
import shutil
import subprocess
import sys
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
         "--disable-default-apps", "--disable-extensions", "--remote-debugging-pipe"]
TIMEOUT = 60.0


class Browser:
    def __init__(self, chrome):
        self.profile = tempfile.mkdtemp(prefix="goodlens-cdp.")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():  # in the child: the pipe ends Chromium expects at 3 and 4
            # via fresh copies: a pipe end may itself be fd 3 or 4, and
            # dup2 onto itself would keep its close-on-exec flag
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [chrome] + FLAGS + ["--user-data-dir=" + self.profile, "about:blank"],
            preexec_fn=fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.profile, "stderr"), "wb"))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", wait=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.to_chrome, self.from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        m = json.loads(msg)
        if m.get("method") == "Page.javascriptDialogOpening":
            # a dialog blocks the page: record it (the caller sees the event)
            # and dismiss it so loading can finish
            self.next_id += 1
            os.write(self.to_chrome, json.dumps({
                "id": self.next_id, "method": "Page.handleJavaScriptDialog",
                "params": {"accept": True}, "sessionId": m.get("sessionId")}).encode() + b"\0")
        return m

    def send(self, method, params=None, session=None, wait=True):
        self.next_id += 1
        my_id = self.next_id
        msg = {"id": my_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        if not wait:
            return None
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._read(deadline)
            if m.get("id") == my_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, deadline):
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self._read(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)

    def drain(self, seconds):
        """Collect events for a short while (late console messages)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read(deadline))
        except TimeoutError:
            pass


def open_page(b, url, width):
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for m in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
        b.send(m, session=s)
    b.send("Emulation.setDeviceMetricsOverride",
           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
    b.send("Page.navigate", {"url": url}, session=s)
    b.wait_event("Page.loadEventFired", time.monotonic() + TIMEOUT)
    b.drain(0.5)
    return s


def evaluate(b, s, expr):
    r = b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=s)
    if "exceptionDetails" in r:
        raise RuntimeError("evaluate failed: %s" % r["exceptionDetails"])
    return r["result"].get("value")


INSPECT = r"""JSON.stringify((() => {
  const all = [...document.querySelectorAll('*')];
  const sections = {};
  for (const sec of document.querySelectorAll('section[id]'))
    sections[sec.id] = sec.querySelectorAll('svg').length;
  return {
    title: document.title,
    svg: document.querySelectorAll('svg').length,
    svg_text: document.querySelectorAll('svg text').length,
    sections: sections,
    scripts: document.querySelectorAll('script').length,
    imgs: document.querySelectorAll('img').length,
    handlers: all.filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
    text: document.body ? document.body.innerText : '',
    svg_titles: [...document.querySelectorAll('svg title')].map(t => t.textContent).join('\n'),
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  };
})())"""


def check(args, chrome):
    page = os.path.abspath(args.page)
    url = "file://" + page
    b = Browser(chrome)
    problems = []
    try:
        s = open_page(b, url, 1280)
        info = json.loads(evaluate(b, s, INSPECT))
        b.drain(0.3)
    finally:
        b.close()
    console, errors, dialogs, requests = [], [], [], []
    for m in b.events:
        meth, p = m.get("method"), m.get("params", {})
        if meth == "Runtime.consoleAPICalled":
            console.append({"type": p.get("type"),
                            "text": " ".join(str(a.get("value", a.get("description", "")))
                                             for a in p.get("args", []))})
        elif meth == "Runtime.exceptionThrown":
            errors.append(p.get("exceptionDetails", {}).get("text", "exception"))
        elif meth == "Log.entryAdded":
            e = p.get("entry", {})
            if e.get("level") in ("error", "warning"):
                console.append({"type": e.get("level"), "text": e.get("text"),
                                "source": e.get("source")})
        elif meth == "Page.javascriptDialogOpening":
            dialogs.append(p.get("message"))
        elif meth == "Network.requestWillBeSent":
            u = p.get("request", {}).get("url", "")
            if u.split("#")[0] != url:
                requests.append(u)
    found = {t: (t in info["text"]) for t in args.expect_text}
    report = {k: v for k, v in info.items() if k not in ("text", "svg_titles")}
    report.update(console=console, errors=errors, dialogs=dialogs, requests=requests,
                  expected_text=found)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if any(c["type"] in ("error", "assert") for c in console):
        problems.append("console errors: %s" % [c for c in console if c["type"] in ("error", "assert")])
    if errors:
        problems.append("page exceptions: %s" % errors)
    if dialogs:
        problems.append("a script opened dialogs: %s" % dialogs)
    if requests:
        problems.append("network requests besides the page: %s" % requests)
    if info["scripts"]:
        problems.append("%d <script> elements in the page" % info["scripts"])
    if info["handlers"]:
        problems.append("%d elements carry on* handler attributes" % info["handlers"])
    if info["imgs"]:
        problems.append("%d <img> elements (a title became markup?)" % info["imgs"])
    if info["svg"] < args.min_svg:
        problems.append("%d <svg> charts, expected at least %d" % (info["svg"], args.min_svg))
    for t, ok in found.items():
        if not ok:
            problems.append("text not shown as text: %r" % t)
    if args.expect_title is not None and info["title"] != args.expect_title:
        problems.append("document title %r, expected %r" % (info["title"], args.expect_title))
    for p in problems:
        print("cdp_page: " + p, file=sys.stderr)
    return 1 if problems else 0


def shot(args, chrome):
    url = "file://" + os.path.abspath(args.page)
    b = Browser(chrome)
    try:
        s = open_page(b, url, args.width)
        if args.section:
            expr = ("(() => { const e = document.getElementById(%s); if (!e) return null;"
                    " const r = e.getBoundingClientRect();"
                    " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()"
                    % json.dumps(args.section))
            rect = evaluate(b, s, expr)
            if rect is None:
                print("cdp_page: no element with id %r" % args.section, file=sys.stderr)
                return 1
            x, y, w, h = rect
            x, w = 0, args.width
        else:
            w, h = args.width, evaluate(b, s, "document.documentElement.scrollHeight")
            x, y = 0, 0
        clip = {"x": x, "y": max(0, y - 8), "width": w, "height": min(h + 16, 16000), "scale": 1}
        png = b.send("Page.captureScreenshot",
                     {"format": "png", "clip": clip, "captureBeyondViewport": True}, session=s)
        with open(args.out, "wb") as f:
            f.write(base64.b64decode(png["data"]))
    finally:
        b.close()
    print(args.out)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("page")
    c.add_argument("--expect-text", action="append", default=[])
    c.add_argument("--expect-title")
    c.add_argument("--min-svg", type=int, default=1)
    sh = sub.add_parser("shot")
    sh.add_argument("page")
    sh.add_argument("out")
    sh.add_argument("--width", type=int, default=1280)
    sh.add_argument("--section")
    args = ap.parse_args()
    chrome = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome:
        print("cdp_page: chromium not found (install Debian's chromium: make deps)", file=sys.stderr)
        return 2
    return check(args, chrome) if args.cmd == "check" else shot(args, chrome)


if __name__ == "__main__":
    sys.exit(main())
