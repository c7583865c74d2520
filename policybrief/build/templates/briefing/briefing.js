// The briefing on screen: live charts (Vega-Lite, from the bundle inlined once in this page), numbers that
// open their evidence, and the concordance search. Document text is only ever set with textContent.
(function () {
  "use strict";
  if (/[?&]print(&|$)/.test(window.location.search)) return; // printed to PDF (build/export.py): static
  var blobNode = document.getElementById("evidence-data");
  var data = blobNode ? JSON.parse(blobNode.textContent) : null;
  var SHOWN = 500; // concordance rows drawn at once: a narrower search shows the rest

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fmt(n) {
    return Number(n).toLocaleString("en-US");
  }

  // Charts: each figure's Vega-Lite spec replaces its static SVG on screen; print keeps the SVG.
  function embedCharts() {
    if (typeof window.vegaEmbed !== "function") return;
    var specs = document.querySelectorAll("figure.briefing-figure script.chart-spec");
    Array.prototype.forEach.call(specs, function (node) {
      var figure = node.closest("figure");
      var target = figure.querySelector(".chart-live");
      window.vegaEmbed(target, JSON.parse(node.textContent), { actions: false, renderer: "svg", logLevel: 1 /* vega.Error */ })
        .then(function () { figure.classList.add("live"); })
        .catch(function (error) { console.warn("chart left static:", error); });
    });
  }

  // One match as keyword in context: left, match, right (inside its sentence), and where it is from.
  function kwicRow(id) {
    var m = data.matches[id]; // [doc, sentence, start, end, page, label]
    var doc = data.documents[m[0]]; // [doc_id, title, date, source, url]
    var sentence = data.sentences[m[1]];
    var left = sentence.slice(0, m[2]), right = sentence.slice(m[3]);
    if (left.length > 90) left = "…" + left.slice(left.length - 90);
    if (right.length > 90) right = right.slice(0, 90) + "…";
    var row = el("tr", "kwic-row");
    row.appendChild(el("td", "kwic-left", left));
    var match = el("td", "kwic-match");
    match.appendChild(el("mark", null, sentence.slice(m[2], m[3])));
    row.appendChild(match);
    row.appendChild(el("td", "kwic-right", right));
    row.appendChild(el("td", "kwic-what", data.labels[m[5]]));
    var where = el("td", "kwic-doc");
    where.appendChild(el("span", "kwic-title", doc[1]));
    where.appendChild(el("span", "kwic-date", doc[2] + (m[4] ? ", p. " + m[4] : "")));
    if (/^https?:\/\//i.test(doc[4])) {
      var link = el("a", "kwic-source", doc[3] || "source");
      link.href = doc[4];
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      where.appendChild(link);
    } else if (doc[3]) {
      where.appendChild(el("span", "kwic-source", doc[3]));
    }
    row.appendChild(where);
    return row;
  }

  function matchesQuery(id, query, docFilter) {
    var m = data.matches[id];
    if (docFilter !== "" && String(m[0]) !== docFilter) return false;
    if (!query) return true;
    var doc = data.documents[m[0]];
    var text = (data.sentences[m[1]] + " " + data.labels[m[5]] + " " + doc[1] + " " + doc[3]).toLowerCase();
    return text.indexOf(query) >= 0;
  }

  function fillDocuments(select, ids) {
    while (select.options.length > 1) select.remove(1);
    var seen = {};
    ids.forEach(function (id) {
      var d = data.matches[id][0];
      if (seen[d]) return;
      seen[d] = true;
      var option = el("option", null, data.documents[d][1] + " (" + data.documents[d][2] + ")");
      option.value = String(d);
      select.appendChild(option);
    });
  }

  // A list of matches with a search box and a document filter: the panel, and the concordance.
  function listing(ids, tbody, search, select, count, describe) {
    fillDocuments(select, ids);
    function draw() {
      var query = search.value.trim().toLowerCase(), docFilter = select.value;
      var hits = ids.filter(function (id) { return matchesQuery(id, query, docFilter); });
      if (query) { // matches of the term, actor or theme searched for first, then sentences that hold it
        var own = function (id) {
          var m = data.matches[id];
          return (data.sentences[m[1]].slice(m[2], m[3]) + " " + data.labels[m[5]]).toLowerCase().indexOf(query) >= 0;
        };
        hits = hits.filter(own).concat(hits.filter(function (id) { return !own(id); }));
      }
      tbody.textContent = "";
      hits.slice(0, SHOWN).forEach(function (id) { tbody.appendChild(kwicRow(id)); });
      count.textContent = describe(hits.length, hits.length > SHOWN);
    }
    search.oninput = draw;
    select.onchange = draw;
    search.value = "";
    select.value = "";
    draw();
  }

  function openPanel(key) {
    var number = data.numbers[key];
    var panel = document.getElementById("evidence-panel");
    if (!number || !panel) return;
    document.getElementById("evidence-title").textContent = number.title;
    var left = number.total - number.matches.length;
    document.getElementById("evidence-note").textContent =
      (left > 0 ? "Showing the first " + fmt(number.matches.length) + " of " + fmt(number.total) +
        " (the rest are in tables/concordance.parquet). "
        : fmt(number.total) + " in all. ") + "Unit: " + number.unit + ", oldest document first.";
    listing(number.matches, panel.querySelector("tbody"), document.getElementById("evidence-search"),
      document.getElementById("evidence-document"), document.getElementById("evidence-count"),
      function (n) { return fmt(n) + (n === 1 ? " row" : " rows") + " shown"; });
    if (typeof panel.showModal === "function") panel.showModal();
    else panel.setAttribute("open", "");
  }

  function wireNumbers() {
    function open(event) {
      var link = event.target.closest ? event.target.closest("a.ev") : null;
      if (!link || !data) return;
      event.preventDefault();
      openPanel(link.getAttribute("data-ev"));
    }
    document.addEventListener("click", open);
    document.addEventListener("keydown", function (event) { // the links are buttons: Enter and Space open
      if (event.key === "Enter" || event.key === " ") open(event);
    });
    var close = document.getElementById("evidence-close");
    if (close) close.addEventListener("click", function () { document.getElementById("evidence-panel").close(); });
  }

  function concordance() {
    var table = document.getElementById("concordance-table");
    if (!table || !data) return;
    var c = data.concordance;
    listing(c.matches, table.querySelector("tbody"), document.getElementById("concordance-search"),
      document.getElementById("concordance-document"), document.getElementById("concordance-count"),
      function (n, cut) {
        return fmt(n) + (n === 1 ? " match" : " matches") + (cut ? " (the first " + SHOWN + " shown: narrow the search)" : "") +
          ". This page holds " + fmt(c.matches.length) + " of the " + fmt(c.total) +
          " matches in all (at most " + c.per_item + " per theme term and per name form).";
      });
  }

  document.documentElement.classList.add("js");
  wireNumbers();
  concordance();
  embedCharts();
})();
