#!/usr/bin/env python3
"""Drives the page of `circuit render --html` in headless chromium over the DevTools
protocol (standard library only: a minimal WebSocket client) and checks that it works:

  - the page loads with the diagram drawn and no console errors or uncaught exceptions;
  - hovering a wire and a box (real mouse moves) marks them, shows their axis/size/type and
    highlights their source lines; so does hovering a wire's stub where a wrapped figure
    cuts it between rows;
  - clicking a source line highlights what it draws;
  - clicking a collapsed block expands that block alone, in place (the others stay
    collapsed); double-clicking its fence collapses it; the collapse button steps a level;
  - the mouse wheel zooms and dragging pans;
  - a screenshot has the page's structure (the diagram pane's pixels are not blank).

Usage: viewer_browser_check.py PAGE.html [CHROMIUM]. Prints one line per check; exit 0 when
all pass, 1 otherwise, 2 when the browser cannot be driven.
"""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request


class WebSocket:
    """A client for one WebSocket (text frames, as DevTools uses)."""

    def __init__(self, url):
        m = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        host, port, path = m.group(1), int(m.group(2)), m.group(3)
        self.sock = socket.create_connection((host, port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("WebSocket handshake: connection closed")
            response += chunk
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise ConnectionError("WebSocket handshake refused: " + response.split(b"\r\n", 1)[0].decode())
        self.buffer = response.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("WebSocket closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise ConnectionError("WebSocket closed by the browser")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return message.decode()


class Page:
    """One browser tab driven over DevTools; collects console errors as events arrive."""

    def __init__(self, ws):
        self.ws, self.next_id, self.errors, self.events = ws, 0, [], []

    def _event(self, m):
        method, params = m.get("method"), m.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            self.errors.append("exception: " + d.get("exception", {}).get("description", d.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.errors.append("log: " + params["entry"].get("text", ""))
        self.events.append(method)

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.receive())
            if m.get("id") == ident:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self._event(m)

    def wait_for(self, method, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if method in self.events:
                return True
            self._event(json.loads(self.ws.receive()))
        return False

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluating " + expression[:60] + ": " + str(r["exceptionDetails"].get("text")))
        return r.get("result", {}).get("value")

    def mouse(self, kind, x, y, **extra):
        self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, **extra)


def centre_of(page, selector):
    """The viewport centre of the first element matching `selector` that is visible and
    topmost at its centre (so that a real mouse there hovers it), or None."""
    return page.js(f"""(() => {{
      for (const e of document.querySelectorAll({json.dumps(selector)})) {{
        for (const part of e.querySelectorAll('path, rect, polygon, line, circle')) {{
          const r = part.getBoundingClientRect();
          if (r.width + r.height < 2) continue;
          const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
          const hit = document.elementFromPoint(x, y);
          if (hit && hit.closest({json.dumps(selector)}) === e) return [x, y];
        }}
      }}
      return null;
    }})()""")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    page_path = os.path.abspath(sys.argv[1])
    chromium = sys.argv[2] if len(sys.argv) > 2 else (shutil.which("chromium") or shutil.which("chromium-browser"))
    if not chromium:
        print("SKIP: chromium is not installed (apt-get install -y chromium)")
        return 2
    profile = tempfile.mkdtemp(prefix="circuit-viewer-")
    browser = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "--window-size=1400,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    try:
        port = None
        end = time.time() + 30
        while time.time() < end and port is None:
            line = browser.stderr.readline()
            if not line and browser.poll() is not None:
                break
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
        if port is None:
            print("SKIP: chromium did not start its DevTools endpoint")
            return 2
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        target = next(t for t in targets if t.get("type") == "page")
        page = Page(WebSocket(target["webSocketDebuggerUrl"]))
        for domain in ("Page", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", url="file://" + page_path)
        check(page.wait_for("Page.loadEventFired"), "the page loads")
        time.sleep(0.3)

        check(page.js("document.querySelectorAll('#stage > svg').length") == 1, "one diagram is drawn")
        deepest = page.js("Number(document.body.dataset.deepest)")
        check(page.js("document.querySelectorAll('template[data-depth]').length") == deepest + 1,
              "one drawing per depth is embedded")
        check(page.js("document.querySelectorAll('script[src], link[href], img[src^=\"http\"]').length") == 0,
              "nothing is loaded from elsewhere")

        # Hover a wire, then a box, with real mouse moves (and, in a figure wrapped into
        # rows, a wire cut between rows: its stubs are the wire's).
        hovers = [("#stage g.wire", "a wire", r"\S+=\d+\S* of "), ("#stage g.node", "a box", r" : ")]
        if page.js("document.querySelectorAll('#stage g.wire.continued').length") > 0:
            hovers.append(("#stage g.wire.continued", "a wire continued on the next row", r"\S+=\d+\S* of "))
        for selector, what, pattern in hovers:
            point = centre_of(page, selector)
            check(point is not None, f"{what} can be hovered")
            if point is None:
                continue
            page.mouse("mouseMoved", point[0], point[1])
            time.sleep(0.1)
            hovered = page.js("document.querySelectorAll('#stage .hover').length")
            lines = page.js("document.querySelectorAll('#source .line.hl').length")
            info = page.js("document.getElementById('info').textContent")
            check(hovered == 1, f"hovering {what} marks it")
            check(lines >= 1, f"hovering {what} highlights its source lines ({lines})")
            check(re.search(pattern, info or "") is not None, f"hovering {what} shows its axis, size and type: {info!r}")
        page.mouse("mouseMoved", 2, 2)
        check(page.js("document.querySelectorAll('#stage .hover, #source .hl').length") == 0,
              "moving off the diagram clears the highlights")

        # Click the source line a box is drawn from: it highlights what that line draws.
        line = page.js("""(() => {
          const m = /^(.*):(\\d+):\\d+$/.exec(document.querySelector('#stage g.node').getAttribute('data-src'));
          const l = m && Array.from(document.querySelectorAll('#source .line')).find(l =>
            l.dataset.file === m[1] && l.dataset.line === m[2]);
          if (!l) return null;
          l.scrollIntoView({block: 'center'});
          const r = l.getBoundingClientRect();
          return [Math.round(r.left + 60), Math.round(r.top + r.height / 2)]; })()""")
        check(line is not None, "a box's source line is listed")
        if line:
            page.mouse("mousePressed", line[0], line[1], button="left", clickCount=1)
            page.mouse("mouseReleased", line[0], line[1], button="left", clickCount=1)
            time.sleep(0.1)
            selected = page.js("document.querySelectorAll('#stage .sel').length")
            check(selected >= 1, f"clicking a source line highlights what it draws ({selected})")
            check(page.js("document.querySelectorAll('#source .picked').length") == 1, "the clicked line is marked")

        # Collapse to depth 0, then expand one block by clicking it: that block alone opens,
        # in place (the others stay collapsed); double-clicking its fence closes it again.
        shown = page.js("window.circuitViewer.depth()")
        page.js("document.getElementById('collapse').click(); true")
        check(page.js("window.circuitViewer.depth()") == max(shown - 1, 0), "the collapse button collapses one level")
        page.js("window.circuitViewer.show(0); window.circuitViewer.fit(); true")
        level0 = page.js("window.circuitViewer.state()")
        before = page.js("Array.from(document.querySelectorAll('#stage g[data-block]')).map(e => e.dataset.block)")
        block = centre_of(page, "#stage g[data-block]")
        if deepest > 0:
            check(block is not None, "a collapsed block is drawn at depth 0")
        if block:
            region = page.js(f"document.elementFromPoint({block[0]}, {block[1]}).closest('g[data-block]').dataset.block")
            page.mouse("mousePressed", block[0], block[1], button="left", clickCount=1)
            page.mouse("mouseReleased", block[0], block[1], button="left", clickCount=1)
            time.sleep(0.1)
            state = page.js("window.circuitViewer.state()") or ""
            check(region in state.split(","), f"clicking block {region} expands it ({level0!r} -> {state!r})")
            check(page.js("window.circuitViewer.depth()") == 0, "the other levels stay as they were")
            after = page.js("Array.from(document.querySelectorAll('#stage g[data-block]')).map(e => e.dataset.block)")
            others = [b for b in before if b != region]
            check(all(b in after for b in others) and region not in after,
                  f"the other blocks stay collapsed ({others} in {after})")
            check(page.js("document.querySelectorAll('#stage > svg').length") == 1, "the expanded drawing replaces the other")
            check(page.js(f"document.querySelectorAll('#stage g.fence[data-region=\"{region}\"]').length") >= 1,
                  "the expanded block is drawn as its fence (a piece per row it spans)")
            fence = page.js(f"""(() => {{
              const f = document.querySelector('#stage g.fence[data-region="{region}"]');
              const r = f && f.querySelector('rect').getBoundingClientRect();
              if (!r) return null;
              const x = Math.round(r.left + 4), y = Math.round(r.top + 4);  // its corner, by its title
              const hit = document.elementFromPoint(x, y);
              return hit && hit.closest('g.fence') === f ? [x, y] : null; }})()""")
            if fence:
                page.mouse("mousePressed", fence[0], fence[1], button="left", clickCount=1)
                page.mouse("mouseReleased", fence[0], fence[1], button="left", clickCount=1)
                page.mouse("mousePressed", fence[0], fence[1], button="left", clickCount=2)
                page.mouse("mouseReleased", fence[0], fence[1], button="left", clickCount=2)
                time.sleep(0.1)
                check(page.js("window.circuitViewer.state()") == level0, "double-clicking its fence collapses it again")
            else:
                check(False, "the expanded block's fence can be clicked")

        # Zoom with the wheel, pan by dragging.
        before = page.js("document.getElementById('stage').style.transform")
        page.mouse("mouseWheel", 300, 300, deltaX=0, deltaY=-240)
        time.sleep(0.1)
        zoomed = page.js("document.getElementById('stage').style.transform")
        check(zoomed != before and "scale" in zoomed, f"the wheel zooms ({before} -> {zoomed})")
        page.mouse("mousePressed", 300, 300, button="left", clickCount=1)
        page.mouse("mouseMoved", 360, 340, button="left")
        page.mouse("mouseReleased", 360, 340, button="left", clickCount=1)
        time.sleep(0.1)
        panned = page.js("document.getElementById('stage').style.transform")
        check(panned != zoomed, f"dragging pans ({zoomed} -> {panned})")

        # The screenshot's structure: the page fills the window and the diagram pane is not blank.
        shot = base64.b64decode(page.call("Page.captureScreenshot", format="png")["data"])
        width, height = struct.unpack(">II", shot[16:24])
        check(shot[:8] == b"\x89PNG\r\n\x1a\n" and width >= 800 and height >= 500, f"a screenshot is taken ({width}x{height})")
        pane = page.js("""(() => { const v = document.getElementById('view').getBoundingClientRect();
          const s = document.querySelector('#stage > svg').getBoundingClientRect();
          const src = document.getElementById('source').getBoundingClientRect();
          return [v.width > 300 && v.height > 300, s.width > 50 && s.height > 5, src.left >= v.right - 1]; })()""")
        check(pane == [True, True, True], f"the diagram pane sits left of the source pane and shows the diagram ({pane})")

        check(not page.errors, "no console errors" + ("" if not page.errors else ": " + "; ".join(page.errors)))
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
