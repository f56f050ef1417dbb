// The report pages' one script: zoom and pan of the time axis, all charts of a page together.
// Inline (the page fetches nothing), plain ES5, no library. Without it the charts are whole SVG.
#include "analysis/html.h"

namespace tapedeck::analysis {

const char* ZoomScript() {
  return R"js(
(function () {
  'use strict';
  var charts = Array.prototype.slice.call(document.querySelectorAll('svg.chart[data-x0]'));
  if (!charts.length) return;
  var X0 = Infinity, X1 = -Infinity;
  charts.forEach(function (c) {
    X0 = Math.min(X0, +c.dataset.x0);
    X1 = Math.max(X1, +c.dataset.x1);
    c.origTicks = c.querySelector('g.xt').innerHTML;
  });
  var view = [X0, X1];
  var NS = 'http://www.w3.org/2000/svg';
  // Tick steps in seconds and the labels, as analysis/chart.cc draws them.
  var STEPS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800,
               604800, 2592000, 7776000, 31536000];
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function label(ns, span) {
    var d = new Date(ns / 1e6), md = two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate());
    var hm = two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
    if (span > 4 * 86400e9) return md;
    if (span < 600e9) return hm + ':' + two(d.getUTCSeconds());
    return (d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds()) ? hm : md;
  }
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }
  function ticks(c, full) {
    var g = c.querySelector('g.xt');
    if (full) { g.innerHTML = c.origTicks; return; }
    while (g.firstChild) g.removeChild(g.firstChild);
    var span = view[1] - view[0], step = STEPS[STEPS.length - 1] * 1e9;
    for (var i = 0; i < STEPS.length; i++) {
      if (span / (STEPS[i] * 1e9) <= 9) { step = STEPS[i] * 1e9; break; }
    }
    var pl = +c.dataset.pl, pw = +c.dataset.pw, pt = +c.dataset.pt, ph = +c.dataset.ph;
    var h = c.viewBox.baseVal.height;
    for (var v = Math.ceil(view[0] / step) * step; v <= view[1]; v += step) {
      var x = (pl + (v - view[0]) / span * pw).toFixed(1);
      g.appendChild(el('line', {x1: x, x2: x, y1: pt, y2: pt + ph}));
      g.appendChild(el('text', {x: x, y: h - 10, 'text-anchor': 'middle'}, label(v, span)));
    }
  }
  function apply() {
    var full = view[0] <= X0 && view[1] >= X1;
    charts.forEach(function (c) {
      var x0 = +c.dataset.x0, x1 = +c.dataset.x1, pl = +c.dataset.pl, pw = +c.dataset.pw;
      var k = (x1 - x0) / (view[1] - view[0]);
      var b = pl * (1 - k) - (view[0] - x0) / (view[1] - view[0]) * pw;
      var plot = c.querySelector('g.plot');
      if (full) plot.removeAttribute('transform');
      else plot.setAttribute('transform', 'translate(' + b + ',0) scale(' + k + ',1)');
      Array.prototype.forEach.call(c.querySelectorAll('g.markers path'), function (m) {
        var bx = parseFloat(m.getAttribute('d').slice(1));
        m.setAttribute('transform', full ? '' : 'translate(' + ((k - 1) * bx + b) + ',0)');
      });
      Array.prototype.forEach.call(c.querySelectorAll('[data-zin],[data-zout]'), function (e) {
        var zin = +(e.dataset.zin || 0), zout = +(e.dataset.zout || 0);
        e.style.display = (k >= zin && !(zout && k >= zout)) ? '' : 'none';
      });
      ticks(c, full);
    });
  }
  // A pointer's x in the chart's view box, and the time there.
  function boxX(c, clientX) {
    var r = c.getBoundingClientRect();
    return (clientX - r.left) / r.width * c.viewBox.baseVal.width;
  }
  function timeAt(c, clientX) {
    var t = (boxX(c, clientX) - c.dataset.pl) / c.dataset.pw;
    return view[0] + Math.min(1, Math.max(0, t)) * (view[1] - view[0]);
  }
  function setView(a, b) {
    var min = (X1 - X0) / 1e5;
    if (b - a < min) { var m = (a + b) / 2; a = m - min / 2; b = m + min / 2; }
    if (a < X0) { b += X0 - a; a = X0; }
    if (b > X1) { a -= b - X1; b = X1; }
    view = [Math.max(a, X0), Math.min(b, X1)];
    apply();
  }
  charts.forEach(function (c) {
    var drag = null, brush = null;
    c.addEventListener('mousedown', function (e) {
      e.preventDefault();
      drag = {x: e.clientX, t: timeAt(c, e.clientX), view: view.slice(), pan: e.shiftKey};
      if (!drag.pan) {
        brush = el('rect', {'class': 'brush', x: boxX(c, e.clientX), y: c.dataset.pt, width: 0,
                            height: c.dataset.ph});
        c.appendChild(brush);
      }
    });
    window.addEventListener('mousemove', function (e) {
      if (!drag) return;
      if (drag.pan) {
        var dt = (e.clientX - drag.x) / c.getBoundingClientRect().width *
                 c.viewBox.baseVal.width / c.dataset.pw * (drag.view[1] - drag.view[0]);
        setView(drag.view[0] - dt, drag.view[1] - dt);
      } else {
        var a = boxX(c, drag.x), b = boxX(c, e.clientX);
        brush.setAttribute('x', Math.min(a, b));
        brush.setAttribute('width', Math.abs(b - a));
      }
    });
    window.addEventListener('mouseup', function (e) {
      if (!drag) return;
      if (brush) { brush.parentNode.removeChild(brush); brush = null; }
      if (!drag.pan && Math.abs(e.clientX - drag.x) > 4) {
        var t = timeAt(c, e.clientX);
        setView(Math.min(t, drag.t), Math.max(t, drag.t));
      }
      drag = null;
    });
    c.addEventListener('wheel', function (e) {
      if (!e.ctrlKey) return;
      e.preventDefault();
      var t = timeAt(c, e.clientX), f = e.deltaY < 0 ? 0.8 : 1.25;
      setView(t - (t - view[0]) * f, t + (view[1] - t) * f);
    }, {passive: false});
    c.addEventListener('dblclick', function () { setView(X0, X1); });
  });
  var hint = document.createElement('p');
  hint.className = 'note';
  hint.textContent = 'Charts: drag across a chart to zoom its time range (all charts follow), ' +
                     'shift-drag to pan, ctrl-scroll to zoom, double-click to see everything.';
  charts[0].parentNode.insertBefore(hint, charts[0]);
})();
)js";
}

}  // namespace tapedeck::analysis
