// The trainer's register: marks and scores are kept in IndexedDB on the phone and sent to the
// API when there is a connection. Every mark carries the time it was made (marked_at); it
// leaves the phone's queue only once the server has answered for it, so a phone that dies
// mid-sync sends it again later, and the server (which keeps the newest mark per person and
// day) counts the repeat as unchanged. Marks the server kept because it had a newer one are
// listed. No words live here: they come from the page (data-words).
'use strict';
(function () {
  const main = document.getElementById('main');
  if (!main || !main.dataset.roster) return;
  const pageRoster = JSON.parse(main.dataset.roster);
  const words = JSON.parse(main.dataset.words);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const wid = pageRoster.workshop_id;
  const uid = pageRoster.user_id;
  const rosterKey = uid + ':' + wid;
  const statusWord = { present: words.present, late: words.late, absent: words.absent, excused: words.excused };
  const kindWord = { pre_test: words.pre_test, post_test: words.post_test, practical: words.practical };
  let roster = pageRoster;
  let pending = [];
  let log = [];
  let syncing = false;
  let online = navigator.onLine;
  let signedOut = false;
  const openedAt = new Date().toISOString();

  // --- IndexedDB -------------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open('cssd-register', 1);
        open.onupgradeneeded = () => {
          const d = open.result;
          d.createObjectStore('rosters', { keyPath: 'key' });
          d.createObjectStore('pending', { keyPath: 'key' });
          d.createObjectStore('log', { keyPath: 'id', autoIncrement: true });
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }
  function run(store, mode, work) {
    return db().then((d) => new Promise((resolve, reject) => {
      const t = d.transaction(store, mode);
      const result = work(t.objectStore(store));
      t.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    }));
  }
  const getAll = (store) => run(store, 'readonly', (s) => s.getAll());
  const put = (store, value) => run(store, 'readwrite', (s) => s.put(value));
  const getOne = (store, key) => run(store, 'readonly', (s) => s.get(key));

  // Removes a queued item only if it is still the one that was sent (not re-marked since).
  function removeIfSent(item) {
    return run('pending', 'readwrite', (s) => {
      const req = s.get(item.key);
      req.onsuccess = () => {
        const now = req.result;
        if (now && now.made_at === item.made_at) s.delete(item.key);
      };
    });
  }

  // --- State -----------------------------------------------------------------------------
  const mine = (p) => p.uid === uid && p.wid === wid;
  function person(eid) { return roster.people.find((p) => p.enrolment_id === eid); }
  function selectedDay() {
    const checked = document.querySelector('input[name="day"]:checked');
    return checked ? Number(checked.value) : 1;
  }
  function pendingMark(eid, day) {
    return pending.find((p) => p.type === 'attendance' && p.enrolment_id === eid && p.day === day);
  }

  async function load() {
    const stored = await getOne('rosters', rosterKey);
    // The page may be an older copy (served offline); keep whichever roster is newer.
    if (stored && stored.roster.generated_at > pageRoster.generated_at) roster = stored.roster;
    else await put('rosters', { key: rosterKey, roster: pageRoster });
    pending = (await getAll('pending')).filter(mine);
    log = (await getAll('log')).filter(mine);
  }

  // --- Rendering -------------------------------------------------------------------------
  function text(el, value) { el.textContent = value; }
  function list(id, items) {
    const ul = document.getElementById(id);
    ul.replaceChildren(...items.map((t) => { const li = document.createElement('li'); li.textContent = t; return li; }));
  }
  function describe(item) {
    const p = person(item.enrolment_id);
    const name = p ? p.name : '#' + item.enrolment_id;
    if (item.type === 'attendance') return name + ' · ' + words.day + ' ' + item.day + ': ' + statusWord[item.status];
    return name + ' · ' + kindWord[item.kind] + ': ' + item.score;
  }
  function render() {
    const day = selectedDay();
    for (const li of document.querySelectorAll('.person')) {
      const eid = Number(li.dataset.enrolment);
      const p = person(eid);
      const queued = pendingMark(eid, day);
      const stored = p && p.marks[day - 1];
      const status = queued ? queued.status : stored ? stored.status : '';
      for (const input of li.querySelectorAll('input[type=radio]')) input.checked = input.value === status;
      const state = li.querySelector('.state');
      const kept = log.slice().reverse().find((e) => e.kind === 'kept' && e.enrolment_id === eid && e.day === day);
      state.classList.toggle('kept', !queued && !!kept);
      text(state, queued ? words.waiting : kept ? words.kept_by_server + ': ' + statusWord[kept.kept_status] : '');
    }
    text(document.getElementById('waiting-count'), String(pending.length));
    const net = document.getElementById('net');
    net.classList.toggle('offline', !online);
    text(net, online ? words.online : words.offline);
    document.getElementById('session-note').hidden = !signedOut;
    list('log-waiting', pending.map(describe));
    const recent = log.slice(-50).reverse();
    list('log-kept', recent.filter((e) => e.kind === 'kept').map((e) => e.text));
    // Marks the server kept since this page opened, where the trainer cannot miss them.
    list('sync-kept', recent.filter((e) => e.kind === 'kept' && e.at >= openedAt).map((e) => e.text));
    list('log-refused', recent.filter((e) => e.kind === 'refused').map((e) => e.text));
    list('log-synced', recent.filter((e) => e.kind === 'synced').map((e) => e.text));
  }

  async function remember(entry) {
    entry.uid = uid; entry.wid = wid; entry.at = new Date().toISOString();
    await put('log', entry);
    log.push(entry);
  }

  // --- Marking ---------------------------------------------------------------------------
  async function queue(item) {
    item.uid = uid; item.wid = wid; item.made_at = new Date().toISOString();
    await put('pending', item);
    pending = pending.filter((p) => p.key !== item.key).concat([item]);
    render();
    sync();
  }
  document.getElementById('register').addEventListener('change', (event) => {
    const input = event.target;
    if (input.name === 'day') { render(); return; }
    if (!input.name.startsWith('m')) return;
    const eid = Number(input.name.slice(1));
    const day = selectedDay();
    queue({ key: rosterKey + ':a:' + eid + ':' + day, type: 'attendance', enrolment_id: eid, day: day,
      status: input.value, marked_at: new Date().toISOString() });
  });
  document.getElementById('scores').addEventListener('submit', (event) => {
    event.preventDefault();
    const items = [];
    for (const row of document.querySelectorAll('#scores tr[data-enrolment]')) {
      const eid = Number(row.dataset.enrolment);
      const p = person(eid);
      for (const input of row.querySelectorAll('input[type=number]')) {
        if (input.value === '' || !input.checkValidity()) continue;
        const score = Number(input.value);
        const before = p && p.scores[input.name];
        if (before === score) continue;
        items.push({ key: rosterKey + ':s:' + eid + ':' + input.name, type: 'score', enrolment_id: eid, kind: input.name, score: score });
      }
    }
    (async () => { for (const item of items) await queue(item); })();
  });
  document.getElementById('send-now').addEventListener('click', () => sync());

  // --- Sending ---------------------------------------------------------------------------
  function setOnline(value) { if (online !== value) { online = value; render(); } }
  window.addEventListener('online', () => { setOnline(true); sync(); });
  window.addEventListener('offline', () => setOnline(false));

  function indexOfField(field) {
    const m = /^records\[(\d+)\]/.exec(field || '');
    return m ? Number(m[1]) : -1;
  }

  async function send(kind, items) {
    const records = items.map((i) => kind === 'attendance'
      ? { enrolment_id: i.enrolment_id, day: i.day, status: i.status, marked_at: i.marked_at }
      : { enrolment_id: i.enrolment_id, kind: i.kind, score: i.score, max_score: 100 });
    const response = await fetch('/api/v1/workshops/' + wid + '/' + (kind === 'attendance' ? 'attendance' : 'assessments'), {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ records: records }),
    });
    setOnline(true);
    if (response.status === 401) { signedOut = true; return false; }
    signedOut = false;
    if (response.ok) {
      const body = await response.json();
      const stale = new Map((body.stale || []).map((s) => [s.enrolment_id + ':' + s.day, s]));
      for (const item of items) {
        await removeIfSent(item);
        const p = person(item.enrolment_id);
        const kept = kind === 'attendance' && stale.get(item.enrolment_id + ':' + item.day);
        if (kept) {
          if (p) p.marks[item.day - 1] = { status: kept.kept_status, marked_at: kept.kept_marked_at };
          await remember({ kind: 'kept', enrolment_id: item.enrolment_id, day: item.day, kept_status: kept.kept_status,
            text: describe(item) + ' → ' + words.kept_by_server + ': ' + statusWord[kept.kept_status] });
        } else {
          if (p && kind === 'attendance') p.marks[item.day - 1] = { status: item.status, marked_at: item.marked_at };
          if (p && kind !== 'attendance') p.scores[item.kind] = item.score;
          await remember({ kind: 'synced', enrolment_id: item.enrolment_id, day: item.day, text: describe(item) });
        }
      }
      roster.generated_at = new Date().toISOString();
      await put('rosters', { key: rosterKey, roster: roster });
      return true;
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      // Refused for good: name the reason, and take the refused marks off the queue.
      let problem = {};
      try { problem = await response.json(); } catch (e) { problem = {}; }
      const blamed = new Map();
      for (const e of problem.errors || []) { const i = indexOfField(e.field); if (i >= 0) blamed.set(i, e.message); }
      const refuse = blamed.size ? [...blamed.keys()].map((i) => items[i]).filter(Boolean) : items;
      for (const item of refuse) {
        await removeIfSent(item);
        const why = blamed.get(items.indexOf(item)) || problem.detail || String(response.status);
        await remember({ kind: 'refused', enrolment_id: item.enrolment_id, day: item.day, text: describe(item) + ' — ' + why });
      }
      return blamed.size > 0;
    }
    return false;
  }

  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      for (let round = 0; round < 3; round++) {
        pending = (await getAll('pending')).filter(mine);
        const marks = pending.filter((p) => p.type === 'attendance').slice(0, 500);
        const scores = pending.filter((p) => p.type === 'score').slice(0, 500);
        if (!marks.length && !scores.length) break;
        let again = false;
        if (marks.length) again = (await send('attendance', marks)) || again;
        if (scores.length) again = (await send('scores', scores)) || again;
        if (!again) break;
      }
    } catch (e) {
      setOnline(false);
    } finally {
      pending = (await getAll('pending')).filter(mine);
      syncing = false;
      render();
    }
  }

  // --- Offline copy of the page -----------------------------------------------------------
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/register/sw.js', { scope: '/register/' })
      .then(() => navigator.serviceWorker.ready)
      .then(() => caches.open('cssd-register-pages'))
      .then((cache) => cache.add(location.pathname))
      .catch(() => {});
  }

  // Signing out forgets the kept pages and rosters (a phone may be shared); marks still
  // waiting stay, and go when their trainer signs in again.
  const signOut = document.querySelector('form.signout');
  if (signOut) {
    signOut.addEventListener('submit', (event) => {
      event.preventDefault();
      Promise.all([
        caches.delete('cssd-register-pages'),
        run('rosters', 'readwrite', (s) => s.clear()),
      ]).catch(() => {}).then(() => signOut.submit());
    });
  }

  load().then(() => { render(); sync(); main.dataset.ready = 'true'; });
  setInterval(() => { if (pending.length && !syncing) sync(); }, 10000);
})();
