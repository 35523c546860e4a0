// The list page: filters and search. Served by `vbdt portal serve`, it asks the search endpoint
// (api/tim-kiem); opened from the files, it reads the static index (du-lieu/chi-muc.js) instead.
// Both fold the text the same way: NFD, marks dropped, đ -> d, lower case (simulator/text.py).
(function () {
  "use strict";
  var PAGE = 50;
  var page = 0, total = 0, timer = null, local = null, asked = 0;
  function $(id) { return document.getElementById(id); }
  function fold(s) {
    return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC").toLowerCase();
  }
  function vnDate(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; });
  }
  function controls() {
    return {q: $("tim").value, loai: $("loai").value, "co-quan": $("co-quan").value, nam: $("nam").value,
            "linh-vuc": $("linh-vuc").value, "hieu-luc": $("hieu-luc").value};
  }
  function render(items) {
    var rows = items.map(function (r) {
      return "<tr><td><a href=\"" + esc(r.path) + "\">" + esc(r.number_code) + "</a></td><td>" + vnDate(r.issued) +
        "</td><td>" + esc(r.subject) + "</td><td>" + esc(r.issuer_name) + "</td><td class=\"status-" + esc(r.status) +
        "\">" + esc(r.status_label) + "</td></tr>";
    });
    document.querySelector("#danh-sach tbody").innerHTML = rows.join("");
    var pages = Math.max(1, Math.ceil(total / PAGE));
    $("so-ket-qua").textContent = total ? "Tìm thấy " + total + " văn bản." : "Không tìm thấy văn bản nào phù hợp.";
    $("trang").textContent = "Trang " + (page + 1) + "/" + pages;
    $("truoc").disabled = page === 0;
    $("sau").disabled = page + 1 >= pages;
  }
  function searchLocal(index, c) {
    // the same words as simulator/portal/search.py: punctuation dropped, each word starts a word of the key
    var exact = c.q.normalize("NFC").replace(/[,.;:()\[\]"“”'!?]/g, " ").toLowerCase().split(/\s+/).filter(Boolean);
    var words = exact.map(fold);
    var phrase = exact.join(" "), hits = [];
    index.forEach(function (r, n) {
      var key = " " + r.key, text = " " + r.exact;
      if (!words.every(function (w) { return key.indexOf(" " + w) >= 0; })) { return; }
      if (c.loai && r.type_key !== c.loai) { return; }
      if (c["co-quan"] && r.issuer_code !== c["co-quan"]) { return; }
      if (c.nam && String(r.year) !== c.nam) { return; }
      if (c["linh-vuc"] && r.field !== c["linh-vuc"]) { return; }
      if (c["hieu-luc"] && r.in_force !== (c["hieu-luc"] === "con")) { return; }
      var tier = 0;
      if (words.length) {
        if (fold(r.number_code) === words.join(" ")) { tier = 3; }
        else if (text.indexOf(phrase) >= 0) { tier = 2; }
        else if (exact.every(function (w) { return text.indexOf(" " + w) >= 0; })) { tier = 1; }
      }
      hits.push([-tier, n, r]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return {total: hits.length, items: hits.slice(page * PAGE, page * PAGE + PAGE).map(function (h) { return h[2]; })};
  }
  function loadLocal() {
    return new Promise(function (resolve, reject) {
      if (window.PORTAL_INDEX) { resolve(window.PORTAL_INDEX); return; }
      var s = document.createElement("script");
      s.src = "du-lieu/chi-muc.js";
      s.onload = function () { resolve(window.PORTAL_INDEX); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function ask(c) {
    if (location.protocol.indexOf("http") === 0 && !local) {
      var p = new URLSearchParams(c);
      p.set("gioi-han", PAGE); p.set("bat-dau", page * PAGE);
      return fetch("api/tim-kiem?" + p.toString()).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      }).catch(function () { local = true; return ask(c); });
    }
    return loadLocal().then(function (index) { return searchLocal(index, c); });
  }
  function run() {
    var c = controls();
    var shown = new URLSearchParams();
    Object.keys(c).forEach(function (k) { if (c[k]) { shown.set(k, c[k]); } });
    history.replaceState(null, "", shown.toString() ? "?" + shown.toString() : location.pathname);
    var mine = ++asked;  // answers may come back out of order: only the latest question is shown
    ask(c).then(function (res) { if (mine === asked) { total = res.total; render(res.items); } });
  }
  function fresh() { page = 0; run(); }
  var given = new URLSearchParams(location.search);
  ["tim", "loai", "co-quan", "nam", "linh-vuc", "hieu-luc"].forEach(function (id) {
    var v = given.get(id === "tim" ? "q" : id);
    if (v) { $(id).value = v; }
    $(id).addEventListener(id === "tim" ? "input" : "change", function () {
      clearTimeout(timer); timer = setTimeout(fresh, id === "tim" ? 200 : 0);
    });
  });
  $("truoc").addEventListener("click", function () { if (page > 0) { page -= 1; run(); } });
  $("sau").addEventListener("click", function () { page += 1; run(); });
  fresh();
})();
