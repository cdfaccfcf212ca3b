/// The style sheet and script of the interactive viewer page (`DiagramViewer`), plain text
/// embedded in the page so that it needs nothing from the network.
enum ViewerAssets {

  /// The page's CSS: the diagram pane left, the source pane right, highlight colours.
  static let style = """
    html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
    body { display: flex; flex-direction: column; }
    header { padding: 6px 10px; border-bottom: 1px solid #ccc; display: flex; gap: 16px; align-items: center; height: 3em; flex: none; }
    header button { font: inherit; padding: 1px 8px; }
    #info { color: #333; font-size: 12px; white-space: pre-wrap; flex: 1; height: 3em; overflow: hidden; }
    .controls { white-space: nowrap; }
    main { flex: 1; display: flex; min-height: 0; }
    #view { flex: 3; overflow: hidden; position: relative; cursor: grab; background: #fafafa; }
    #view.dragging { cursor: grabbing; }
    #stage { transform-origin: 0 0; position: absolute; left: 0; top: 0; }
    #source { flex: 2; overflow: auto; border-left: 1px solid #ccc; font-size: 12px; }
    #source h2 { font-size: 13px; margin: 8px; }
    #source pre { margin: 0; }
    .line { display: block; padding: 0 8px; cursor: pointer; }
    .line:hover { background: #eef; }
    .line .number { display: inline-block; width: 3.5em; color: #999; user-select: none; }
    .line.hl { background: #ffe58a; }
    .line.picked { background: #9fd3ff; }
    #stage g.hover > :not(.hit), #stage g.sel > :not(.hit) { stroke: #e0007a; }
    #stage g.hover text, #stage g.sel text { fill: #e0007a; stroke: none; }
    #stage g.sel path { stroke-width: 2.6; }
    #stage g[data-block] { cursor: zoom-in; }
    #stage g.fence[data-region] { cursor: zoom-out; }
    """

  /// The page's script: blocks expanding and collapsing one by one (each state a
  /// `template[data-key]`: its expanded calls, its drawing the `data-lines` runs of the
  /// `#lines` table), depth switching, hover and click
  /// highlighting, zoom and pan.
  static let script = """
    (function () {
      "use strict";
      var view = document.getElementById("view");
      var stage = document.getElementById("stage");
      var info = document.getElementById("info");
      var depthOut = document.getElementById("depth");
      var templates = Array.prototype.slice.call(document.querySelectorAll("template[data-depth]"));
      var keyed = {};
      Array.prototype.forEach.call(document.querySelectorAll("template[data-key]"), function (t) { keyed[t.getAttribute("data-key")] = t; });
      var calls = JSON.parse(document.getElementById("calls").textContent);
      var state = "";
      var lines = Array.prototype.slice.call(document.querySelectorAll("#source .line"));
      var depth = Number(document.body.getAttribute("data-depth"));
      var scale = 1, tx = 0, ty = 0;
      var drawn = "g.node, g.wire, g.fence, g.copy, g.loop, g.labels";

      function apply() { stage.style.transform = "translate(" + tx + "px," + ty + "px) scale(" + scale + ")"; }

      function clear(cls) {
        Array.prototype.forEach.call(document.querySelectorAll("." + cls), function (e) { e.classList.remove(cls); });
      }

      var table = document.getElementById("lines").textContent.split("\\n");
      // The drawing of the embedded state `t`: its runs of the shared line table
      // ("a" or "a-b", base 36), parsed into the template the first time.
      function content(t) {
        if (!t.content.firstChild && t.hasAttribute("data-lines")) {
          var out = [];
          t.getAttribute("data-lines").split(" ").forEach(function (run) {
            var ends = run.split("-"), a = parseInt(ends[0], 36), b = parseInt(ends[ends.length - 1], 36);
            for (var i = a; i <= b; i++) { out.push(table[i]); }
          });
          t.innerHTML = out.join("\\n");
        }
        return t.content;
      }

      // Draws the embedded state `t` (a level's or one block toggled).
      function draw(t) {
        state = t.getAttribute("data-key");
        document.body.setAttribute("data-key", state);
        stage.replaceChildren(content(t).cloneNode(true));
        // Thin wires get a wide transparent twin underneath, so that they are easy to hover.
        Array.prototype.forEach.call(stage.querySelectorAll("g.wire > path"), function (p) {
          var hit = p.cloneNode(false);
          hit.setAttribute("class", "hit");
          hit.setAttribute("stroke", "transparent");
          hit.setAttribute("stroke-width", "8");
          p.parentNode.insertBefore(hit, p);
        });
        var level = t.hasAttribute("data-depth");
        depthOut.textContent = String(depth) + (level ? "" : "*");
        document.body.setAttribute("data-shown", level ? String(depth) : "");
        clear("picked");
      }

      function show(d) {
        depth = Math.max(0, Math.min(templates.length - 1, d));
        draw(templates[depth]);
      }

      function parse(key) { return key ? key.split(",").map(Number) : []; }
      function keyOf(list) { return list.sort(function (a, b) { return a - b; }).join(","); }
      // Whether call `r` is `ancestor` or inside it.
      function within(r, ancestor) {
        for (var x = r; x !== undefined && x >= 0; x = calls[String(x)]) { if (x === ancestor) { return true; } }
        return false;
      }
      // Expands the block of call `r` alone, where that state is drawn; else one more level.
      function expand(r) {
        var next = keyed[keyOf(parse(state).concat([r]))];
        if (next) { draw(next); } else { show(depth + 1); info.textContent = "expanded a whole level (this combination is not embedded)"; }
      }
      // Collapses the call `r` (with the calls inside it) alone, else one level.
      function collapse(r) {
        var next = keyed[keyOf(parse(state).filter(function (x) { return !within(x, r); }))];
        if (next) { draw(next); } else { show(depth - 1); info.textContent = "collapsed a whole level (this combination is not embedded)"; }
      }

      function fit() {
        var svg = stage.querySelector("svg");
        if (!svg) { return; }
        var w = Number(svg.getAttribute("width")), h = Number(svg.getAttribute("height"));
        scale = Math.min(view.clientWidth / w, view.clientHeight / h, 4);
        tx = (view.clientWidth - w * scale) / 2;
        ty = (view.clientHeight - h * scale) / 2;
        apply();
      }

      // The source range of a drawn element: data-src="file:line:col", data-end="line".
      function range(e) {
        var m = /^(.*):(\\d+):(\\d+)$/.exec(e.getAttribute("data-src") || "");
        if (!m) { return null; }
        var start = Number(m[2]);
        return { file: m[1], start: start, end: Math.max(start, Number(e.getAttribute("data-end") || start)) };
      }

      function describe(e) {
        var t = e.querySelector(":scope > title");
        var r = range(e);
        return (t ? t.textContent : "") + (r ? "\\n" + r.file + ":" + r.start + (r.end > r.start ? "–" + r.end : "") : "");
      }

      stage.addEventListener("mouseover", function (event) {
        var e = event.target.closest(drawn);
        clear("hover");
        clear("hl");
        if (!e) { return; }
        e.classList.add("hover");
        info.textContent = describe(e);
        var r = range(e);
        if (!r) { return; }
        var first = null;
        lines.forEach(function (l) {
          var n = Number(l.getAttribute("data-line"));
          if (l.getAttribute("data-file") === r.file && n >= r.start && n <= r.end) {
            l.classList.add("hl");
            if (!first) { first = l; }
          }
        });
        if (first && first.scrollIntoView) { first.scrollIntoView({ block: "nearest" }); }
      });
      stage.addEventListener("mouseout", function (event) {
        if (!event.relatedTarget || !stage.contains(event.relatedTarget)) { clear("hover"); clear("hl"); }
      });

      lines.forEach(function (l) {
        l.addEventListener("click", function () {
          clear("sel");
          clear("picked");
          l.classList.add("picked");
          var file = l.getAttribute("data-file"), n = Number(l.getAttribute("data-line"));
          var count = 0;
          Array.prototype.forEach.call(stage.querySelectorAll(drawn), function (e) {
            var r = range(e);
            if (r && r.file === file && n >= r.start && n <= r.end) { e.classList.add("sel"); count += 1; }
          });
          info.textContent = file + ":" + n + " draws " + count + " element" + (count === 1 ? "" : "s") + " at depth " + depth;
        });
      });

      var drag = null, moved = false;
      view.addEventListener("mousedown", function (event) {
        if (event.button !== 0) { return; }
        drag = { x: event.clientX, y: event.clientY };
        moved = false;
      });
      window.addEventListener("mousemove", function (event) {
        if (!drag) { return; }
        var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) { moved = true; view.classList.add("dragging"); }
        if (moved) { tx += dx; ty += dy; drag = { x: event.clientX, y: event.clientY }; apply(); }
      });
      window.addEventListener("mouseup", function () { drag = null; view.classList.remove("dragging"); });

      function zoom(k, px, py) {
        tx = px - (px - tx) * k;
        ty = py - (py - ty) * k;
        scale *= k;
        apply();
      }
      view.addEventListener("wheel", function (event) {
        event.preventDefault();
        var box = view.getBoundingClientRect();
        zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
      }, { passive: false });

      // A click on a collapsed block expands it in place; a double click on a call's fence
      // collapses that call back into its block (on another fence: one level).
      stage.addEventListener("click", function (event) {
        if (moved) { return; }
        var block = event.target.closest("g[data-block]");
        if (block) { expand(Number(block.getAttribute("data-block"))); fit(); }
      });
      stage.addEventListener("dblclick", function (event) {
        var fence = event.target.closest("g.fence");
        if (!fence) { return; }
        if (fence.hasAttribute("data-region")) { collapse(Number(fence.getAttribute("data-region"))); } else { show(depth - 1); }
        fit();
      });
      document.getElementById("expand").addEventListener("click", function () { show(depth + 1); fit(); });
      document.getElementById("collapse").addEventListener("click", function () { show(depth - 1); fit(); });
      document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.25, view.clientWidth / 2, view.clientHeight / 2); });
      document.getElementById("zoom-out").addEventListener("click", function () { zoom(1 / 1.25, view.clientWidth / 2, view.clientHeight / 2); });
      document.getElementById("fit").addEventListener("click", fit);

      show(depth);
      fit();
      window.circuitViewer = {
        show: show, depth: function () { return depth; }, fit: fit, expand: expand, collapse: collapse,
        state: function () { return state; }
      };
    })();
    """
}
