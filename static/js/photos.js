// The photo section of a summary. Without this file every form posts and the page reloads. With it: photos are
// sent as soon as they are picked, one request each, with a progress bar and the server's verdict per file (a
// failed one can be sent again); captions, moves and deletions happen in place.
// Plain ES2017 and DOM, for WeChat's browser as much as a desktop.
(function () {
  'use strict';
  const section = document.querySelector('[data-photos]');
  if (!section || !window.fetch || !window.FormData || !window.XMLHttpRequest) return;
  const text = section.dataset;
  const grid = section.querySelector('[data-photo-grid]');
  const statusLine = section.querySelector('[data-photo-status]');
  const uploadForm = section.querySelector('[data-photo-upload]');

  function csrfToken() {
    const input = section.querySelector('input[name=csrf_token]');
    return input ? input.value : '';
  }

  function el(tag, content, cls) {
    const node = document.createElement(tag);
    if (content) node.textContent = content;
    if (cls) node.className = cls;
    return node;
  }

  function parse(body) {
    try { return JSON.parse(body); } catch (e) { return null; }
  }

  function say(message, isError) {
    statusLine.textContent = message || '';
    statusLine.classList.toggle('error', Boolean(isError));
  }

  function refreshCount() {
    const n = grid.children.length;
    const count = section.querySelector('[data-photo-count]');
    if (count) count.textContent = String(n);
    const empty = section.querySelector('[data-photo-empty]');
    if (empty) empty.hidden = n > 0;
    // The move forms of the no-JS page carry positions; keep them true so a later plain post still works.
    // The first card cannot go up nor the last down, wherever the cards have moved.
    Array.prototype.forEach.call(grid.children, function (card, index) {
      card.querySelectorAll('input[name=position]').forEach(function (input) { input.value = String(index); });
      const up = card.querySelector('.move-up button');
      const down = card.querySelector('.move-down button');
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === n - 1;
    });
  }

  // One POST of form data, answered in JSON. XMLHttpRequest rather than fetch: only it reports upload progress.
  function post(url, data, onProgress) {
    return new Promise(function (resolve) {
      const request = new XMLHttpRequest();
      request.open('POST', url);
      request.setRequestHeader('Accept', 'application/json');
      request.setRequestHeader('X-CSRFToken', csrfToken());
      if (onProgress && request.upload) {
        request.upload.addEventListener('progress', function (event) {
          if (event.lengthComputable) onProgress(event.loaded / event.total);
        });
      }
      request.addEventListener('load', function () {
        resolve({ status: request.status, body: parse(request.responseText) });
      });
      request.addEventListener('error', function () { resolve({ status: 0, body: null }); });
      request.addEventListener('timeout', function () { resolve({ status: 0, body: null }); });
      request.send(data);
    });
  }

  // Upload

  if (uploadForm) {
    const input = uploadForm.querySelector('input[type=file]');
    const list = uploadForm.querySelector('[data-upload-results]');
    const button = uploadForm.querySelector('[data-upload-button]');
    const maxBytes = Number(text.maxBytes) || 0;
    let queue = Promise.resolve();

    if (button) button.hidden = true;  // picking the files is enough

    function row(file) {
      const item = el('li', '', 'upload-result waiting');
      item.append(el('span', file.name, 'upload-name'));
      const state = el('span', text.textWaiting, 'upload-state');
      const bar = el('progress');
      bar.max = 100;
      bar.value = 0;
      item.append(state, bar);
      list.append(item);
      return { item: item, state: state, bar: bar };
    }

    function settle(line, kind, message) {
      line.item.className = 'upload-result ' + kind;
      line.state.textContent = message;
      line.bar.hidden = true;
    }

    function send(file, line) {
      line.item.className = 'upload-result uploading';
      line.bar.hidden = false;
      line.state.textContent = text.textUploading;
      const data = new FormData();
      data.append('csrf_token', csrfToken());
      data.append('next', window.location.pathname);
      data.append('photos', file, file.name);
      return post(uploadForm.action, data, function (fraction) {
        line.bar.value = Math.round(fraction * 100);
        if (fraction >= 1) line.state.textContent = text.textProcessing;
      }).then(function (answer) {
        const result = answer.body && answer.body.results && answer.body.results[0];
        if (answer.status === 200 && result) {
          settle(line, result.status, result.status === 'saved' ? text.textSaved : result.message);
          if (result.html) {
            grid.insertAdjacentHTML('beforeend', result.html);
            const area = grid.lastElementChild && grid.lastElementChild.querySelector('[data-photo-caption]');
            if (area) fitCaption(area);
            refreshCount();
          }
          return;
        }
        const message = (answer.body && (answer.body.error || answer.body.message)) || text.textFailed;
        settle(line, 'refused', message);
        if (answer.status === 0 || answer.status >= 500) {
          // The network or the server failed, not the file: offer to send it again.
          const retry = el('button', text.textRetry, 'small');
          retry.type = 'button';
          retry.addEventListener('click', function () {
            retry.remove();
            queue = queue.then(function () { return send(file, line); });
          });
          line.item.append(retry);
        }
      });
    }

    function uploadAll(files) {
      files.forEach(function (file) {
        const line = row(file);
        if (maxBytes && file.size > maxBytes) {
          settle(line, 'refused', text.textTooBig);
          return;
        }
        // One at a time: on a crowded mobile network parallel uploads only slow each other down.
        queue = queue.then(function () { return send(file, line); });
      });
      input.value = '';
    }

    input.addEventListener('change', function () {
      if (input.files && input.files.length) uploadAll(Array.prototype.slice.call(input.files));
    });
    uploadForm.addEventListener('submit', function (event) {
      event.preventDefault();
      if (input.files && input.files.length) uploadAll(Array.prototype.slice.call(input.files));
    });
  }

  // Captions, moves, deletions

  function saveOrder(previous) {
    const order = Array.prototype.map.call(grid.children, function (card) { return Number(card.dataset.photoId); });
    return fetch(section.dataset.orderUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken() },
      body: JSON.stringify({ order: order }),
    }).then(function (response) {
      return response.text().then(function (body) { return { ok: response.ok, body: parse(body) }; });
    }).catch(function () { return { ok: false, body: null }; }).then(function (answer) {
      if (answer.ok) {
        say('');
        return;
      }
      previous.forEach(function (card) { grid.append(card); });
      refreshCount();
      say((answer.body && (answer.body.error || answer.body.message)) || text.textOrderFailed, true);
    });
  }

  function move(card, direction) {
    const previous = Array.prototype.slice.call(grid.children);
    if (direction === 'up' && card.previousElementSibling) {
      grid.insertBefore(card, card.previousElementSibling);
    } else if (direction === 'down' && card.nextElementSibling) {
      grid.insertBefore(card.nextElementSibling, card);
    } else {
      return;
    }
    refreshCount();
    // A card moved to the end has its button disabled, which cannot hold the focus: the other one takes it.
    const same = card.querySelector('.move-' + direction + ' button');
    const other = card.querySelector('.move-' + (direction === 'up' ? 'down' : 'up') + ' button');
    (same.disabled && other ? other : same).focus();
    saveOrder(previous);
  }

  section.addEventListener('submit', function (event) {
    const form = event.target;
    const action = form.dataset.photoAction;
    if (!action) return;
    event.preventDefault();
    const card = form.closest('.photo-card');
    if (action === 'move') {
      move(card, form.querySelector('input[name=direction]').value);
      return;
    }
    if (action === 'delete' && form.dataset.photoConfirm && !window.confirm(form.dataset.photoConfirm)) return;
    const note = form.querySelector('[data-photo-note]');
    post(form.action, new FormData(form)).then(function (answer) {
      const message = answer.body && (answer.body.error || answer.body.message);
      if (action === 'delete' && (answer.status === 200 || answer.status === 404)) {
        card.remove();  // 404: deleted already, from another tab
        refreshCount();
        say(answer.status === 200 ? message : '');
        return;
      }
      if (action === 'caption' && answer.status === 200) {
        if (note) note.textContent = text.textSaved;
        return;
      }
      if (note) { note.textContent = message || text.textFailed; } else { say(message || text.textFailed, true); }
    });
  });

  // The caption was a one-line field where Enter saved; it wraps now, and Enter still saves (the server keeps a
  // caption on one line anyway). Not while an input method is composing: there Enter picks the characters.
  section.addEventListener('keydown', function (event) {
    const target = event.target;
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    if (!target.matches || !target.matches('[data-photo-caption]')) return;
    event.preventDefault();
    const button = target.form && target.form.querySelector('button[type=submit]');
    if (button) button.click();
  });

  // A caption shows whole, however long: the box grows with its text rather than scrolling inside three lines.
  function fitCaption(area) {
    area.style.height = 'auto';
    area.style.height = (area.scrollHeight + area.offsetHeight - area.clientHeight) + 'px';
  }

  function fitCaptions() {
    section.querySelectorAll('[data-photo-caption]').forEach(fitCaption);
  }

  fitCaptions();
  let resizing = 0;
  window.addEventListener('resize', function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(fitCaptions, 150);
  });

  section.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('[data-photo-caption]')) fitCaption(event.target);
    const form = event.target.form;
    const note = form && form.querySelector('[data-photo-note]');
    if (note) note.textContent = '';
  });
})();
