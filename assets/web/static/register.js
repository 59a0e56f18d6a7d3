// The trainer's register: marks and scores are kept in IndexedDB on the phone and sent to the
// API when there is a connection. Every mark carries the time it was made (marked_at); it
// leaves the phone's queue only once the server has answered for it, so a phone that dies
// mid-sync sends it again later, and the server (which keeps the newest mark per person and
// day) counts the repeat as unchanged. Marks the server kept because it had a newer one are
// listed. No words live here: they come from the page (data-words).
//
// A phone may be shared: what the register keeps belongs to the trainer signed in. Signing
// out, or the server answering 401 (session ended, account deactivated), removes the kept
// pages, rosters and log; a different trainer opening the register removes the first one's.
// Marks not yet sent are the one thing kept: they stay until they are sent or the trainer
// discards them (the page says so), and only their own trainer ever sees or sends them.
// The same script runs on the list of workshops (no roster there) for the offline copy and
// for signing out.
'use strict';
(function () {
  const main = document.getElementById('main');
  if (!main || !main.dataset.user) return;
  // The page as the server sent it, kept for offline use without fetching it a second time.
  const snapshot = '<!doctype html>\n' + document.documentElement.outerHTML;
  const onRegister = !!main.dataset.roster;
  const pageRoster = onRegister ? JSON.parse(main.dataset.roster) : null;
  const words = JSON.parse(main.dataset.words);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const uid = Number(main.dataset.user);
  const wid = onRegister ? pageRoster.workshop_id : 0;
  const rosterKey = uid + ':' + wid;
  const PAGES = 'cssd-register-pages';
  const statusWord = { present: words.present, late: words.late, absent: words.absent, excused: words.excused };
  const kindWord = { pre_test: words.pre_test, post_test: words.post_test, practical: words.practical };
  const fill = (template, n) => template.replace('{n}', String(n));
  let roster = pageRoster;
  let pending = [];
  let log = [];
  let syncing = false;
  let online = navigator.onLine;
  let signedOut = false;
  const openedAt = new Date().toISOString();
  // Conflicts shown in the status box: those since the page opened, until dismissed.
  let keptSince = openedAt;

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
  const clear = (store) => run(store, 'readwrite', (s) => s.clear());
  function putAll(store, values) {
    return run(store, 'readwrite', (s) => { for (const v of values) s.put(v); });
  }
  function removeKeys(store, keys) {
    return run(store, 'readwrite', (s) => { for (const k of keys) s.delete(k); });
  }

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

  // Everything kept on the phone except the marks not yet sent: the page copies, the rosters
  // (names) and the log. Used on sign-out, on a 401, and when another trainer signs in.
  function forgetKept() {
    return Promise.all([
      'caches' in window ? caches.delete(PAGES) : Promise.resolve(),
      clear('rosters'),
      clear('log'),
    ]);
  }

  // --- State -----------------------------------------------------------------------------
  const mine = (p) => p.uid === uid && (!onRegister || p.wid === wid);
  const mineAnywhere = (p) => p.uid === uid;
  function person(eid) { return roster.people.find((p) => p.enrolment_id === eid); }
  function selectedDay() {
    const checked = document.querySelector('input[name="day"]:checked');
    return checked ? Number(checked.value) : 1;
  }
  function pendingMark(eid, day) {
    return pending.find((p) => p.type === 'attendance' && p.enrolment_id === eid && p.day === day);
  }

  async function load() {
    // Another trainer's register kept on this phone is removed before anything is shown.
    const owner = await getOne('rosters', 'owner');
    if (owner && owner.uid !== uid) await forgetKept();
    await put('rosters', { key: 'owner', uid: uid });
    pending = (await getAll('pending')).filter(mine);
    if (!onRegister) return;
    const stored = await getOne('rosters', rosterKey);
    // The page may be an older copy (served offline); keep whichever roster is newer.
    if (stored && stored.roster.generated_at > pageRoster.generated_at) roster = stored.roster;
    else await put('rosters', { key: rosterKey, roster: pageRoster });
    log = (await getAll('log')).filter(mine);
  }

  // --- Rendering -------------------------------------------------------------------------
  function text(el, value) { if (el) el.textContent = value; }
  function list(id, items) {
    const ul = document.getElementById(id);
    if (!ul) return;
    ul.replaceChildren(...items.map((t) => { const li = document.createElement('li'); li.textContent = t; return li; }));
  }
  function describe(item) {
    const p = roster && person(item.enrolment_id);
    const name = p ? p.name : '#' + item.enrolment_id;
    if (item.type === 'attendance') return name + ' · ' + words.day + ' ' + item.day + ': ' + statusWord[item.status];
    return name + ' · ' + kindWord[item.kind] + ': ' + item.score;
  }
  function renderSignedOut() {
    const note = document.getElementById('session-note');
    if (!note) return;
    note.hidden = !signedOut;
    const waiting = signedOut ? pendingAll.length : 0;
    text(note.querySelector('.text'), fill(words.signed_out_cleared, waiting));
    note.querySelector('button').hidden = waiting === 0;
  }
  function render() {
    renderSignedOut();
    if (!onRegister) return;
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
    list('log-waiting', pending.map(describe));
    const recent = log.slice(-50).reverse();
    list('log-kept', recent.filter((e) => e.kind === 'kept').map((e) => e.text));
    // Marks the server kept since this page opened (or since the box was last dismissed),
    // where the trainer cannot miss them: the latest three, the rest counted.
    const fresh = recent.filter((e) => e.kind === 'kept' && e.at > keptSince);
    list('sync-kept', fresh.slice(0, 3).map((e) => e.text));
    const more = document.getElementById('sync-kept-more');
    text(more, fresh.length > 3 ? fill(words.more_kept, fresh.length - 3) : '');
    document.getElementById('sync-kept-box').hidden = fresh.length === 0;
    list('log-refused', recent.filter((e) => e.kind === 'refused').map((e) => e.text));
    list('log-synced', recent.filter((e) => e.kind === 'synced').map((e) => e.text));
  }

  async function remember(entry) {
    entry.uid = uid; entry.wid = wid; entry.at = new Date().toISOString();
    await put('log', entry);
    log.push(entry);
  }

  // --- Signed out ------------------------------------------------------------------------
  let pendingAll = [];
  let cleared = false;
  async function sessionEnded() {
    signedOut = true;
    if (!cleared) {
      cleared = true;
      await forgetKept().catch(() => {});
    }
    pendingAll = (await getAll('pending')).filter(mineAnywhere);
    render();
  }
  async function discardMine() {
    const keys = (await getAll('pending')).filter(mineAnywhere).map((p) => p.key);
    await removeKeys('pending', keys);
    pending = [];
    pendingAll = [];
  }

  // --- Marking ---------------------------------------------------------------------------
  async function queueAll(items) {
    const made = new Date().toISOString();
    for (const item of items) { item.uid = uid; item.wid = wid; item.made_at = made; }
    await putAll('pending', items);
    const keys = new Set(items.map((i) => i.key));
    pending = pending.filter((p) => !keys.has(p.key)).concat(items);
    render();
    sync();
  }
  function attendanceItem(eid, day, status) {
    return { key: rosterKey + ':a:' + eid + ':' + day, type: 'attendance', enrolment_id: eid, day: day,
      status: status, marked_at: new Date().toISOString() };
  }
  if (onRegister) {
    document.getElementById('register').addEventListener('change', (event) => {
      const input = event.target;
      if (input.name === 'day') { render(); return; }
      if (!input.name.startsWith('m')) return;
      queueAll([attendanceItem(Number(input.name.slice(1)), selectedDay(), input.value)]);
    });
    // Everyone with no mark yet for the chosen day is marked present in one go; the few who
    // were not are then changed one by one.
    const markAll = document.getElementById('mark-all');
    markAll.hidden = false;
    markAll.addEventListener('click', () => {
      const day = selectedDay();
      const items = [];
      for (const li of document.querySelectorAll('.person')) {
        const eid = Number(li.dataset.enrolment);
        const p = person(eid);
        if (pendingMark(eid, day) || (p && p.marks[day - 1])) continue;
        items.push(attendanceItem(eid, day, 'present'));
      }
      if (items.length) queueAll(items);
    });
    document.getElementById('sync-kept-dismiss').addEventListener('click', () => {
      keptSince = new Date().toISOString();
      render();
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
      if (items.length) queueAll(items);
    });
    document.getElementById('send-now').addEventListener('click', () => sync());
  }
  const discard = document.querySelector('#session-note button');
  if (discard) {
    discard.addEventListener('click', async () => {
      await discardMine();
      render();
    });
  }

  // --- Sending ---------------------------------------------------------------------------
  function setOnline(value) { if (online !== value) { online = value; render(); } }
  window.addEventListener('online', () => { setOnline(true); sync(); });
  window.addEventListener('offline', () => setOnline(false));

  function indexOfField(field) {
    const m = /^records\[(\d+)\]/.exec(field || '');
    return m ? Number(m[1]) : -1;
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function send(kind, items) {
    const records = items.map((i) => kind === 'attendance'
      ? { enrolment_id: i.enrolment_id, day: i.day, status: i.status, marked_at: i.marked_at }
      : { enrolment_id: i.enrolment_id, kind: i.kind, score: i.score, max_score: 100 });
    const response = await api('PUT', '/api/v1/workshops/' + wid + '/' + (kind === 'attendance' ? 'attendance' : 'assessments'), { records: records });
    setOnline(true);
    if (response.status === 401) { await sessionEnded(); return false; }
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
    if (syncing || !onRegister || signedOut) return;
    syncing = true;
    try {
      for (let round = 0; round < 3; round++) {
        pending = (await getAll('pending')).filter(mine);
        const marks = pending.filter((p) => p.type === 'attendance').slice(0, 500);
        const scores = pending.filter((p) => p.type === 'score').slice(0, 500);
        if (!marks.length && !scores.length) break;
        let again = false;
        if (marks.length) again = (await send('attendance', marks)) || again;
        if (scores.length && !signedOut) again = (await send('scores', scores)) || again;
        if (!again || signedOut) break;
      }
    } catch (e) {
      setOnline(false);
    } finally {
      pending = (await getAll('pending')).filter(mine);
      syncing = false;
      render();
    }
  }

  // Whether the session still holds (it may have expired, or the account been deactivated,
  // while the page was kept offline): a 401 removes what the phone keeps.
  async function checkSession() {
    if (!navigator.onLine) return;
    try {
      const response = await api('GET', '/api/v1/me');
      if (response.status === 401) await sessionEnded();
    } catch (e) { /* no signal: nothing to learn */ }
  }

  // --- Offline copy of the page -----------------------------------------------------------
  // The worker covers `/register` and everything under it (the list of workshops too). The
  // page itself is stored from what was loaded, not fetched again.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/register/sw.js', { scope: '/register' })
      .then(() => caches.open(PAGES))
      .then((cache) => {
        if (signedOut) return undefined;
        return cache.put(location.pathname, new Response(snapshot, {
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Cssd-Offline': 'keep' },
        }));
      })
      .then(() => { main.dataset.kept = 'true'; })
      .catch(() => {});
  }

  // Signing out forgets the kept pages, rosters and log (a phone may be shared). Marks not
  // sent yet are not lost without asking: the trainer stays to send them, signs out keeping
  // them on the phone (for their next sign-in), or discards them.
  const signOut = document.querySelector('form.signout');
  if (signOut) {
    const finish = () => forgetKept().catch(() => {}).then(() => signOut.submit());
    signOut.addEventListener('submit', async (event) => {
      event.preventDefault();
      const waiting = (await getAll('pending').catch(() => [])).filter(mineAnywhere);
      if (!waiting.length) { finish(); return; }
      let box = document.getElementById('unsent');
      if (!box) {
        box = document.createElement('div');
        box.id = 'unsent';
        box.className = 'unsent';
        box.setAttribute('role', 'alertdialog');
        box.setAttribute('aria-labelledby', 'unsent-text');
        const p = document.createElement('p');
        p.id = 'unsent-text';
        const buttons = document.createElement('p');
        buttons.className = 'actions';
        const make = (id, label, act) => {
          const b = document.createElement('button');
          b.type = 'button'; b.id = id; b.textContent = label;
          b.addEventListener('click', act);
          buttons.append(b);
        };
        make('unsent-stay', words.stay_and_send, () => { box.remove(); sync(); });
        make('unsent-keep', words.sign_out_keep, () => finish());
        make('unsent-discard', words.sign_out_discard, () => discardMine().then(finish));
        box.append(p, buttons);
        main.prepend(box);
      }
      text(document.getElementById('unsent-text'), fill(words.unsent_on_sign_out, waiting.length));
      box.querySelector('button').focus();
    });
  }

  load()
    .then(() => { render(); sync(); })
    .then(checkSession)
    .finally(() => { main.dataset.ready = 'true'; });
  setInterval(() => { if (pending.length && !syncing) sync(); }, 10000);
})();
