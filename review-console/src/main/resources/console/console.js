// lepistream review console: keyboard shortcuts, picture toggles, taxonomy search, and submitting a label then
// loading the next sighting without a full page load. Every request carries the page's CSRF token.
(function () {
  'use strict';

  function csrf() {
    var f = document.querySelector('input[name=csrf]');
    return f ? f.value : '';
  }

  function flash(text, isError) {
    var el = document.getElementById('flash');
    if (el) {
      el.textContent = text;
      el.className = isError ? 'error' : '';
    }
  }

  function setUpSighting() {
    var main = document.getElementById('sighting');
    if (!main) { return; }
    var photo = document.getElementById('photo');
    if (photo && photo.dataset.fallback) {
      photo.addEventListener('error', function () { photo.src = photo.dataset.fallback; }, { once: true });
    }
    if (photo) {
      photo.addEventListener('click', toggleZoom);
    }
    var zoom = document.getElementById('zoom');
    if (zoom) {
      zoom.addEventListener('click', toggleZoom);
    }
    [['toggle-heatmap', 'heatmap'], ['toggle-mask', 'mask']].forEach(function (pair) {
      var box = document.getElementById(pair[0]);
      var img = document.getElementById(pair[1]);
      if (box && img) {
        box.addEventListener('change', function () { img.hidden = !box.checked; });
      }
    });
    var form = document.getElementById('label-form');
    if (form) {
      form.addEventListener('submit', onSubmit);
    }
    var search = document.getElementById('taxon-search');
    if (search) {
      var timer = null;
      search.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () { searchTaxa(search.value); }, 120);
      });
      search.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') {
          e.preventDefault();
          var first = document.querySelector('#taxon-results button');
          if (first) { first.click(); }
        }
      });
    }
  }

  function searchTaxa(q) {
    var box = document.getElementById('taxon-results');
    if (!q.trim()) { box.textContent = ''; return; }
    fetch('/api/taxa?q=' + encodeURIComponent(q), { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (hits) {
        box.textContent = '';
        hits.forEach(function (t) {
          var b = document.createElement('button');
          b.type = 'submit';
          b.name = 'choice';
          b.value = 'label|' + t.name + '|' + t.rank;
          b.className = 'taxon-hit';
          b.disabled = document.getElementById('unidentifiable').disabled;
          b.appendChild(document.createTextNode(t.name + ' ' + (t.common ? '(' + t.common + ') ' : '')));
          var s = document.createElement('small');
          s.textContent = t.rank + ' · ' + t.path;
          b.appendChild(s);
          box.appendChild(b);
        });
        if (!hits.length) { box.textContent = 'no taxon matches'; }
      });
  }

  // The photo at full resolution over the page; scaled up to the window only when it is smaller than that.
  function toggleZoom() {
    var zoom = document.getElementById('zoom');
    var photo = document.getElementById('photo');
    if (!zoom || !photo) { return; }
    if (!zoom.hidden) { zoom.hidden = true; return; }
    var img = document.getElementById('zoom-photo');
    img.src = photo.currentSrc || photo.src;
    var small = photo.naturalWidth < window.innerWidth && photo.naturalHeight < window.innerHeight;
    zoom.className = small ? 'fit' : '';
    zoom.hidden = false;
  }

  var busy = false;

  function onSubmit(e) {
    e.preventDefault();
    if (busy) { return; } // a double click sends once (the server would refuse a second label anyway)
    var form = e.target;
    var submitter = e.submitter;
    var data = new FormData(form, submitter);
    var action = (submitter && submitter.getAttribute('formaction')) || form.getAttribute('action');
    busy = true;
    form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    fetch(action, {
      method: 'POST',
      headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
      body: new URLSearchParams(data)
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) {
        busy = false;
        form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
        flash(res.body.message || 'failed', true);
        return;
      }
      loadNext(res.body.next, res.body.message);
    }).catch(function (err) {
      busy = false;
      form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
      flash('Not sent: ' + err + ' — try again', true);
    });
  }

  function loadNext(next, message) {
    var url = next + (next.indexOf('?') < 0 ? '?' : '&') + 'fragment=1';
    fetch(url, { headers: { 'Accept': 'text/html' } }).then(function (r) {
      return r.text().then(function (html) { return { url: r.url, html: html }; });
    }).then(function (res) {
      var holder = document.createElement('div');
      holder.innerHTML = res.html;
      var fresh = holder.querySelector('#sighting');
      document.getElementById('sighting').replaceWith(fresh);
      var shown = res.url.replace(/([?&])fragment=1(&|$)/, '$1').replace(/[?&]$/, '');
      if (fresh.dataset.id) { history.pushState({}, '', shown); }
      busy = false;
      setUpSighting();
      flash(message, false);
    });
  }

  function click(id) {
    var b = document.getElementById(id);
    if (b && !b.disabled) { b.click(); }
  }

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var zoom = document.getElementById('zoom');
    if (zoom && !zoom.hidden && (e.key === 'Escape' || e.key === 'z')) {
      zoom.hidden = true;
      e.preventDefault();
      return;
    }
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
      if (e.key === 'Escape') { t.blur(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || !document.getElementById('sighting')) { return; }
    var k = e.key;
    if (k === 'c') { click('confirm'); }
    else if (k === 'u') { click('unidentifiable'); }
    else if (k === 'n') { click('not-a-butterfly'); }
    else if (k === 's') { click('skip'); }
    else if (k === 'z') { toggleZoom(); }
    else if (k === 'h' || k === 'm') {
      var box = document.getElementById(k === 'h' ? 'toggle-heatmap' : 'toggle-mask');
      if (box && !box.disabled) { box.click(); }
    } else if (k === '/') {
      e.preventDefault();
      var s = document.getElementById('taxon-search');
      if (s) { s.focus(); }
    } else if (/^[1-9]$/.test(k)) {
      var pick = document.querySelector('button.pick[data-key="' + k + '"]');
      if (pick && !pick.disabled) { pick.click(); }
    } else { return; }
    e.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', setUpSighting);
})();
