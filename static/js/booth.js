// The booth page on a weak network: every entry is kept on the phone first, then sent until the server confirms.
// Plain ES2017 and DOM for WeChat's browser; without this file the forms still post and redirect.
(function () {
  'use strict';
  const root = document.getElementById('booth');
  if (!root || !window.fetch || !window.FormData) return;
  const d = root.dataset;
  // The page as the server sent it, before this script changes it: kept by the service worker for reopening offline.
  const snapshot = document.documentElement.cloneNode(true);
  const KEY = 'booth-queue-' + d.booth;
  const banner = document.getElementById('queue');
  let memory = [];  // when localStorage is refused (private mode, full), the queue lives as long as the page
  let stored = true;
  let sending = false;
  let attempt = 0;
  let timer = 0;
  let blocked = '';  // 'pin', 'gone' or 'closed': sending waits for the person to act
  let closedText = d.tClosed || '';  // the server's words: whom to contact about what stays queued
  let offline = !navigator.onLine;  // the browser says so, or the last send found no network

  function load() {
    if (!stored) return memory;
    try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (e) { stored = false; return memory; }
  }
  function save(queue) {
    memory = queue;
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { stored = false; }
    render();
  }
  function update(id, change) {
    const queue = load();
    const i = queue.findIndex((item) => item.body.uuid === id);
    if (i < 0) return;
    if (change) { Object.assign(queue[i], change); } else { queue.splice(i, 1); }
    save(queue);
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) { crypto.getRandomValues(b); } else {
      for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    }
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function render() {
    const queue = load();
    const n = queue.length;
    banner.hidden = false;
    banner.className = offline ? 'queue off' : n ? 'queue' : 'queue ok';
    banner.children[0].textContent = (offline ? d.tOffline + ' · ' : '') + (n ? d.tPending.replace('{n}', n) : d.tDone);
    banner.children[1].textContent = n ? d.tKeep : '';
    const link = banner.children[3];
    link.hidden = !blocked;
    link.textContent = blocked === 'pin' ? d.tPinNeeded : blocked === 'closed' ? closedText : d.tGone;
    if (blocked === 'pin') link.href = d.pin; else link.removeAttribute('href');
    const list = document.getElementById('pending');
    list.textContent = '';
    document.getElementById('pending-box').hidden = !n;
    queue.forEach((item) => {
      const li = el('li');
      li.appendChild(el('span', new Date(item.at).toTimeString().slice(0, 5), 'tm'));
      li.appendChild(el('span', item.label, 'lb'));
      if (item.errors) {
        const why = el('p', d.tFailed + ' ' + Object.keys(item.errors).map((k) => item.errors[k]).join(' '), 'err');
        li.appendChild(why);
        if (item.type === 'c') li.appendChild(button(d.tRefill, () => refill(item)));
        li.appendChild(button(d.tDrop, () => { if (window.confirm(d.tDropConfirm)) update(item.body.uuid); }));
      } else {
        li.appendChild(el('span', d.tWaiting, 'pend'));
      }
      list.appendChild(li);
    });
  }
  function button(text, action) {
    const b = el('button', text, 'btn');
    b.type = 'button';
    b.addEventListener('click', action);
    return b;
  }

  // A refused entry goes back into the form to be corrected; submitting it again makes a new entry.
  function refill(item) {
    const form = document.getElementById('cform');
    Object.keys(item.body).forEach((name) => {
      const field = form.elements[name];
      if (!field || name === 'uuid') return;
      if (field.type === 'checkbox') field.checked = !!item.body[name];
      else if (!choose(form, name, item.body[name])) field.value = item.body[name];
    });
    update(item.body.uuid);
    form.scrollIntoView();
  }

  // Checks the button of `name` with `value`, if it is a set of buttons. (form.elements[name].value would not do:
  // a campaign with one topic has one button, an element, whose value that would overwrite.)
  function choose(form, name, value) {
    const buttons = form.querySelectorAll('input[type=radio][name="' + name + '"]');
    buttons.forEach((button) => { button.checked = button.value === value; });
    return buttons.length > 0;
  }
  function chosen(form, name) {
    const button = form.querySelector('input[name="' + name + '"]:checked');
    return button ? button.value : '';
  }

  // The bar's word on the last consultation: kept on the phone (amber), or confirmed by the server with its code.
  const noteBox = document.getElementById('note');
  let noted = '';
  function note(id, receipt) {
    if (id !== noted) return;
    noteBox.className = receipt ? 'up' : 'pend';
    noteBox.textContent = receipt ? d.tUploaded.replace('{code}', receipt) : d.tQueued;
  }

  function enqueue(type, body, label) {
    body.uuid = uuid4();
    body.recorded_at = new Date().toISOString();
    const queue = load();
    queue.push({type: type, body: body, label: label, at: body.recorded_at});
    save(queue);  // on the phone before anything goes on the network
    attempt = 0;
    flush();
    return body.uuid;
  }

  async function send(item) {
    const url = item.type === 'c' ? d.apiC : d.apiH;
    const abort = window.AbortController ? new AbortController() : null;
    const limit = abort ? setTimeout(() => abort.abort(), 8000) : 0;
    try {
      const response = await fetch(url, {
        method: 'POST', credentials: 'same-origin', signal: abort ? abort.signal : undefined,
        headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
        body: JSON.stringify(item.body),
      });
      let data = {};
      try { data = await response.json(); } catch (e) { /* not JSON: a proxy's error page */ }
      return {status: response.status, data: data};
    } finally {
      clearTimeout(limit);
    }
  }

  async function flush() {
    if (sending || blocked) return;
    sending = true;
    clearTimeout(timer);
    let sent = 0;
    let failed = false;
    try {
      for (;;) {
        const item = load().find((entry) => !entry.errors);
        if (!item) break;
        let result;
        try { result = await send(item); } catch (e) { failed = offline = true; break; }
        offline = false;
        if (result.status === 200 && result.data.ok) {
          update(item.body.uuid); sent++; attempt = 0;
          note(item.body.uuid, result.data.receipt);
        }
        else if (result.status === 400 && result.data.errors) update(item.body.uuid, {errors: result.data.errors});
        else if (result.status === 401) { blocked = 'pin'; break; }
        else if (result.status === 404 && result.data.error === 'booth_not_found') { blocked = 'gone'; break; }
        else if (result.status === 409 && result.data.error === 'campaign_closed') {
          // Closed to entries: what waits stays on the phone (never dropped), and is not sent again on its own.
          blocked = 'closed';
          closedText = result.data.message || closedText;
          break;
        }
        else { failed = true; break; }  // 5xx, 429, a captive portal: try again later
      }
    } finally {
      sending = false;
    }
    render();
    if (failed) {
      const delay = Math.min(30000, 1000 * Math.pow(2, attempt)) + Math.random() * 1000;
      attempt = Math.min(attempt + 1, 5);
      timer = setTimeout(flush, delay);
    }
    if (sent) refresh();
  }

  async function refresh() {
    try {
      const response = await fetch(d.apiS, {credentials: 'same-origin', headers: {'Accept': 'application/json'}});
      if (!response.ok) return;
      const data = await response.json();
      root.querySelector('[data-count="consultations"]').textContent = data.consultations_today;
      root.querySelectorAll('[data-m]').forEach((node) => {
        const total = data.handouts_today[node.dataset.m];
        if (total !== undefined) node.textContent = total;
      });
      document.getElementById('recent').innerHTML = data.recent_html;
    } catch (e) { /* counts refresh on the next success */ }
  }

  // One entry per tap: 保存 is off from the tap until the entry is on the phone and the form is reset, and a moment
  // more, so the second tap of a double tap lands on a disabled button. The same entry again within a few seconds
  // is asked about rather than kept twice.
  const SAME_WITHIN = 5000;
  const REARM_AFTER = 800;
  let last = null;  // {key, at}: the previous consultation kept
  const cform = document.getElementById('cform');
  if (cform) {
    const save = cform.querySelector('button.main');
    cform.addEventListener('submit', (event) => {
      event.preventDefault();
      if (save.disabled) return;
      save.disabled = true;
      try { keep(); } finally { setTimeout(() => { save.disabled = false; }, REARM_AFTER); }
    });
  }
  function keep() {
    const f = new FormData(cform);
    const body = {};
    ['kind', 'topic', 'question', 'asker_type', 'handling', 'person_name', 'person_phone', 'satisfaction']
      .forEach((name) => { body[name] = (f.get(name) || '').trim(); });
    body.consent = f.get('consent') !== null;
    body.referral_unit_id = body.handling === d.tNone ? '' : (f.get('referral_unit_id') || f.get('referral_unit_other') || '');
    const error = document.getElementById('cform-err');
    if ((body.person_name || body.person_phone) && !body.consent) {
      error.textContent = d.tConsent;
      error.hidden = false;
      return;
    }
    if (body.handling === d.tRefer && !body.referral_unit_id) {
      error.textContent = d.tReferUnit;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    const key = JSON.stringify(body);
    if (last && last.key === key && Date.now() - last.at < SAME_WITHIN && !window.confirm(d.tSame)) return;
    last = {key: key, at: Date.now()};
    const label = [body.kind, body.topic, body.asker_type, body.handling, body.satisfaction || d.tUnrated];
    noted = enqueue('c', body, label.filter(Boolean).join(' · '));
    note(noted, '');
    cform.reset();
    // The next person usually asks about the same thing, and most rate alike: kind, topic and the rating stay (the
    // rating in sight beside 保存). Name and phone close; the form's top comes back into view.
    ['kind', 'topic', 'satisfaction'].forEach((name) => choose(cform, name, body[name]));
    cform.querySelector('details').open = false;
    suggest();
    cform.scrollIntoView();
  }

  // 转办: the topic's suggested units as buttons; the full list filtered as one types.
  const ref = document.getElementById('ref');
  function suggest() {
    if (!ref || !cform) return;
    const box = document.getElementById('ref-suggest');
    const select = document.getElementById('referral_unit_other');
    const ids = JSON.parse(ref.dataset.routes || '{}')[chosen(cform, 'topic')] || [];
    box.textContent = '';
    ids.forEach((id) => {
      const option = select.querySelector('option[value="' + id + '"]');
      if (!option) return;
      const label = el('label');
      const input = el('input');
      input.type = 'radio';
      input.name = 'referral_unit_id';
      input.value = id;
      label.appendChild(input);
      label.appendChild(el('span', option.textContent));
      box.appendChild(label);
    });
  }
  if (ref && cform) {
    const select = document.getElementById('referral_unit_other');
    const search = document.getElementById('ref-q');
    cform.addEventListener('change', (event) => { if (event.target.name === 'topic') suggest(); });
    document.getElementById('ref-suggest').addEventListener('change', () => { select.value = ''; });
    select.addEventListener('change', () => {
      cform.querySelectorAll('input[name="referral_unit_id"]').forEach((input) => { input.checked = false; });
    });
    search.hidden = false;
    search.addEventListener('input', () => {
      const q = search.value.trim();
      let first = null;
      Array.from(select.options).forEach((option) => {
        const match = !option.value || !q || option.textContent.indexOf(q) >= 0;
        option.hidden = !match;
        if (match && option.value && !first) first = option;
      });
      if (q && first) select.value = first.value;
    });
  }

  document.querySelectorAll('form.hf').forEach((form) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const material = form.elements.material.value;
      const quantity = parseInt(form.elements.quantity.value, 10);
      if (!(quantity >= 1)) return;
      enqueue('h', {material: material, quantity: quantity}, material + ' +' + quantity);
      if (form.elements.quantity.type === 'number') form.elements.quantity.value = '';
    });
  });

  window.addEventListener('online', () => { attempt = 0; offline = false; render(); flush(); });
  window.addEventListener('offline', () => { offline = true; render(); });
  window.addEventListener('storage', (event) => { if (event.key === KEY) render(); });
  // Leaving loses nothing where the queue is stored and the service worker reopens the page; elsewhere, ask.
  window.addEventListener('beforeunload', (event) => {
    if (load().length && !(stored && workers && workers.controller)) {
      event.preventDefault(); event.returnValue = d.tLeave; return d.tLeave;
    }
  });

  // Reopening offline: the service worker keeps this page and its files (where the browser has one; WeChat on iOS
  // may not). Else the page says plainly to keep it open.
  const workers = navigator.serviceWorker;
  function unkept() { document.getElementById('no-sw').hidden = false; }
  if (workers && d.sw) {
    const controlled = !!workers.controller;
    workers.register(d.sw, {scope: d.sw.replace(/[^/]*$/, '')}).then(() => workers.ready).then((registration) => {
      // A first visit came before the worker: the page hands over its own copy (no second download).
      if (controlled || !registration.active) return;
      snapshot.querySelectorAll('main > .msg[role=status]').forEach((flash) => flash.remove());
      registration.active.postMessage({page: location.href, html: '<!doctype html>' + snapshot.outerHTML});
    }).catch(unkept);
  } else {
    unkept();
  }
  render();
  flush();
}());
