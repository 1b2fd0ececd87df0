// The venue screen pages through what does not fit: each panel shows the rows its box has room for, and every few
// seconds the next rows (and the next slogan). Without this file the panels show their first rows.
(function () {
  "use strict";

  const board = document.querySelector(".board.screen");
  if (!board) {
    return;
  }
  const PAGE_SECONDS = 8;
  const shown = new Map(); // table → index of the page on screen

  function pages(table) {
    const wrap = table.parentElement;
    const rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (row) { row.hidden = false; });
    const room = wrap.clientHeight - (table.tHead ? table.tHead.offsetHeight : 0);
    const result = [[]];
    let used = 0;
    rows.forEach(function (row) {
      const height = row.getBoundingClientRect().height;
      if (used + height > room && result[result.length - 1].length) {
        result.push([]);
        used = 0;
      }
      result[result.length - 1].push(row);
      used += height;
    });
    return result;
  }

  function marker(table) {
    const heading = table.closest(".board-section").querySelector("h2");
    let span = heading.querySelector(".page-of");
    if (!span) {
      span = document.createElement("span");
      span.className = "page-of";
      heading.appendChild(span);
    }
    return span;
  }

  function show(table, step) {
    const all = pages(table);
    const index = ((shown.get(table) || 0) + step) % all.length;
    shown.set(table, index);
    all.forEach(function (page, number) {
      page.forEach(function (row) { row.hidden = number !== index; });
    });
    marker(table).textContent = all.length > 1 ? (index + 1) + "/" + all.length : "";
  }

  function showAll(step) {
    board.querySelectorAll("table[data-list]").forEach(function (table) { show(table, step); });
  }

  const slogans = Array.prototype.slice.call(board.querySelectorAll("[data-slogans] p"));
  let slogan = 0;

  function nextSlogan() {
    if (slogans.length < 2) {
      return;
    }
    slogans[slogan].hidden = true;
    slogan = (slogan + 1) % slogans.length;
    slogans[slogan].hidden = false;
  }

  showAll(0);
  board.addEventListener("board:updated", function () { showAll(0); });
  window.addEventListener("resize", function () { showAll(0); });
  window.setInterval(function () {
    // The slogan first: a longer one takes room from the panels, which then page with what is left.
    nextSlogan();
    showAll(1);
  }, PAGE_SECONDS * 1000);
}());
