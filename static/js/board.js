// The live board refreshes itself: every few seconds it fetches data.json and rewrites the figures and the
// breakdown tables in place. Without this file the page has a refresh link (and the venue screen a meta refresh).
(function () {
  "use strict";

  const board = document.querySelector("[data-board]");
  if (!board || !window.fetch) {
    return;
  }
  const source = board.getAttribute("data-source");
  const seconds = Math.max(parseInt(board.getAttribute("data-refresh"), 10) || 10, 5);
  const status = board.querySelector("[data-status]");
  let failures = 0;

  function setStatus(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function updateFigures(data) {
    board.querySelectorAll("[data-figure]").forEach(function (node) {
      const key = node.getAttribute("data-figure");
      const value = key === "generated_time" ? data.generated_at.slice(11, 19) : data.totals[key];
      if (value !== undefined && node.textContent !== String(value)) {
        node.textContent = value;
      }
      const box = node.closest(".stat");
      if (key === "follow_ups_overdue" && box) {
        box.classList.toggle("stat-bad", value > 0);
      }
    });
  }

  function buildRow(row, keys, numeric, links, meterKey) {
    const tr = document.createElement("tr");
    keys.forEach(function (key, index) {
      const td = document.createElement("td");
      const text = row[key] === undefined ? "" : row[key];
      const href = links[index] && row[links[index]];
      if (href) {
        const a = document.createElement("a");
        a.href = href;
        a.textContent = text;
        td.appendChild(a);
      } else {
        td.textContent = text;
      }
      if (numeric[index]) {
        td.className = "num";
      }
      tr.appendChild(td);
    });
    if (meterKey) {
      const td = document.createElement("td");
      td.className = "bar";
      const meter = document.createElement("meter");
      meter.min = 0;
      meter.max = row.max || 1;
      meter.value = row[meterKey] || 0;
      meter.textContent = row[meterKey] || 0;
      td.appendChild(meter);
      tr.appendChild(td);
    }
    return tr;
  }

  function updateTables(data) {
    board.querySelectorAll("table[data-list]").forEach(function (table) {
      const name = table.getAttribute("data-list");
      const rows = data[name];
      if (!Array.isArray(rows)) {
        return;
      }
      const heads = Array.prototype.slice.call(table.querySelectorAll("thead th[data-key]"));
      const keys = heads.map(function (th) { return th.getAttribute("data-key"); });
      const numeric = heads.map(function (th) { return th.classList.contains("num"); });
      const links = heads.map(function (th) { return th.getAttribute("data-link"); });
      const meterHead = table.querySelector("thead th[data-meter]");
      const meterKey = meterHead ? meterHead.getAttribute("data-meter") : null;
      const body = document.createElement("tbody");
      rows.forEach(function (row) {
        body.appendChild(buildRow(row, keys, numeric, links, meterKey));
      });
      table.replaceChild(body, table.tBodies[0]);
      const empty = board.querySelector('[data-empty="' + name + '"]');
      if (empty) {
        empty.hidden = rows.length > 0;
      }
    });
  }

  function refresh() {
    fetch(source, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        updateFigures(data);
        updateTables(data);
        setStatus("");
        // The venue screen (screen.js) pages the new rows.
        board.dispatchEvent(new CustomEvent("board:updated"));
      })
      .catch(function () {
        failures += 1;
        setStatus(board.getAttribute("data-offline-text") || "");
      })
      .then(function () {
        // Back off while the network is down, so a venue screen does not hammer a struggling server.
        window.setTimeout(refresh, seconds * 1000 * Math.min(1 + failures, 6));
      });
  }

  window.setTimeout(refresh, seconds * 1000);
}());
