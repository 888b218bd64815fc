// The vcc console's own script: live operation progress from the API's event stream, and resumable OVA uploads (tus).
(function () {
  'use strict';
  const tokenMeta = document.querySelector('meta[name="vcc-api-token"]');
  const token = tokenMeta ? tokenMeta.content : null;

  function bytes(n) {
    if (n == null) return '?';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  // ---- transfers: operation events (EventSource cannot send a token, so the stream is read with fetch) ----
  const ENDED = /^(SUCCEEDED|FAILED|CANCELLED)$/;

  function showOperation(op) {
    const item = document.querySelector('[data-operation="' + op.id + '"]');
    if (!item) return;
    // An operation never leaves its end: a view that says otherwise was read before it (a reply to the page's own
    // read that arrives after the stream's news, say) and must not undo what the row shows.
    if (ENDED.test(item.querySelector('.op-state').textContent.trim()) && !ENDED.test(op.state)) return;
    item.querySelector('.op-state').textContent = op.state;
    item.querySelector('.op-step').textContent = op.currentStep || '';
    const progress = item.querySelector('.op-progress');
    progress.value = op.bytesTotal > 0 ? Math.floor(op.bytesDone * 100 / op.bytesTotal) : (op.state === 'SUCCEEDED' ? 100 : 0);
    item.querySelector('.op-bytes').textContent = bytes(op.bytesDone) + ' of ' + bytes(op.bytesTotal)
      + (op.rateBytesPerSecond ? ' at ' + bytes(op.rateBytesPerSecond) + '/s' : '');
    item.querySelector('.op-eta').textContent = op.etaSeconds != null ? 'ETA ' + op.etaSeconds + ' s' : '';
    item.querySelector('.op-error').textContent = op.error || '';
    if (op.state !== 'RUNNING' && op.state !== 'QUEUED') {
      const cancel = item.querySelector("form.cancel-op");
      if (cancel) cancel.remove();
    }
  }

  // Parts of a page that list operations (the dashboard's) reload on 'vcc-operation' (an htmx trigger): at most
  // twice a second however many events come, and always after the last one, so that the list ends up current.
  let pendingReload = null;
  function operationsChanged() {
    if (pendingReload) return;
    pendingReload = setTimeout(() => {
      pendingReload = null;
      document.body.dispatchEvent(new CustomEvent('vcc-operation'));
    }, 500);
  }

  // What changed between the page's rendering and the stream's start would never be reported: read it once now.
  function caughtUp() {
    operationsChanged();
    document.querySelectorAll('[data-operation]').forEach(async item => {
      const state = item.querySelector('.op-state');
      if (state && !/^(RUNNING|QUEUED)$/.test(state.textContent.trim())) return;
      try {
        const response = await fetch('/api/v1/operations/' + item.dataset.operation,
          { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' } });
        if (response.ok) showOperation(await response.json());
      } catch (e) {
        console.warn('operation', e);
      }
    });
  }

  function live(streaming) {
    const state = document.getElementById('live-state');
    if (state) state.textContent = streaming ? '(live)' : '(refreshed every 2 s)';
  }

  async function followOperations() {
    for (;;) {
      try {
        const response = await fetch('/api/v1/events', { headers: { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' } });
        // Also when the stream is refused (429: the user holds the most streams allowed, some perhaps of pages
        // left moments ago that the server has not noticed yet): the page reads its operations at each retry.
        caughtUp();
        live(response.ok);
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let data = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let newline;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).replace(/\r$/, '');
            buffer = buffer.slice(newline + 1);
            if (line.startsWith('data:')) {
              data.push(line.slice(5).replace(/^ /, ''));
            } else if (line === '' && data.length) {
              try {
                const op = JSON.parse(data.join('\n'));
                showOperation(op);
                operationsChanged();
              } catch (e) { /* not an operation */ }
              data = [];
            }
          }
        }
      } catch (e) {
        console.warn('event stream', e);
      }
      live(false);
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }

  // ---- uploads: tus, resumed from where the API has the bytes, also after a reload ----
  function setupUpload(form) {
    const endpoint = new URL(form.dataset.endpoint, location.href).href;
    const bar = document.getElementById('upload-progress');
    const percent = document.getElementById('upload-percent');
    const status = document.getElementById('upload-status');
    const error = document.getElementById('upload-error');
    const resume = document.getElementById('upload-resume');
    const headers = { Authorization: 'Bearer ' + token };

    function show(done, total) {
      const value = total > 0 ? Math.floor(done * 100 / total) : 0;
      bar.value = value;
      percent.textContent = value + ' %';
      status.textContent = bytes(done) + ' of ' + bytes(total);
    }

    function fail(message) {
      error.hidden = false;
      error.textContent = message;
    }

    // An upload this browser left unfinished: show where it stands; choosing the same file resumes it.
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key.startsWith('tus::') || key.indexOf(endpoint) < 0) continue;
      try {
        const stored = JSON.parse(localStorage.getItem(key));
        fetch(stored.uploadUrl, { method: 'HEAD', headers: Object.assign({ 'Tus-Resumable': '1.0.0' }, headers) }).then(answer => {
          if (!answer.ok) return;
          const offset = Number(answer.headers.get('Upload-Offset'));
          show(offset, stored.size);
          resume.hidden = false;
          resume.textContent = 'An upload of ' + ((stored.metadata && stored.metadata.filename) || 'a file') + ' stopped at '
            + Math.floor(offset * 100 / stored.size) + ' %; choose the same file and Upload to resume it.';
        });
      } catch (e) { /* not ours */ }
    }

    async function awaitImport(url) {
      for (;;) {
        const answer = await fetch(url, { headers });
        const state = answer.ok ? await answer.json() : null;
        if (!state) { fail('The import could not be read (HTTP ' + answer.status + ')'); return; }
        status.textContent = 'Uploaded; ' + state.state.toLowerCase();
        if (state.state === 'SUCCEEDED') {
          status.textContent = 'Imported.';
          document.body.dispatchEvent(new Event('vms-changed'));
          return;
        }
        if (state.state === 'FAILED') {
          fail((state.problem && (state.problem.detail || state.problem.title)) || state.error || 'The import failed');
          return;
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }

    form.addEventListener('submit', async event => {
      event.preventDefault();
      error.hidden = true;
      const file = document.getElementById('upload-file').files[0];
      if (!file) { fail('Choose an OVA file'); return; }
      const metadata = { filename: file.name, kind: document.getElementById('upload-kind').value };
      const name = document.getElementById('upload-name').value.trim();
      if (name) metadata.name = name;
      const upload = new tus.Upload(file, {
        endpoint, headers, metadata, chunkSize: 4 * 1024 * 1024, retryDelays: [0, 1000, 3000],
        removeFingerprintOnSuccess: true,
        onProgress: show,
        onError: e => {
          let message = e.message;
          try { message = JSON.parse(e.originalResponse.getBody()).detail || message; } catch (ignored) { /* not a problem body */ }
          fail(message);
        },
        onSuccess: () => { show(file.size, file.size); resume.hidden = true; awaitImport(upload.url); }
      });
      const previous = await upload.findPreviousUploads();
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (token && (document.querySelector('[data-operation], [data-follow-operations]') !== null || document.getElementById('transfers'))) {
      followOperations();
    }
    const upload = document.getElementById('upload');
    if (upload && token) setupUpload(upload);
  });
})();
