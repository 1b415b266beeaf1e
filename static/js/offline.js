// Opspor without coverage, the page half. Needs store.js, sync.js (and tobs.js in the shell).
//
// On every page the server renders for a signed-in person: remember who it is, keep the
// phone's copy fresh (/offline/data), send what waits, show the queue's count, and wipe the copy
// at sign-out (asking first when something is not sent). On the app shell (the page the
// service worker shows for any address it cannot fetch, and /koe): render that address from the
// copy: Mine borgere, a citizen, the observation, TOBS and Kontakt sygeplejerske forms, the
// queue and a queued item's receipt. Every text node is set with textContent (no HTML from data).
"use strict";

(function () {
  const Store = self.OpsporStore;
  const Sync = self.OpsporSync;
  if (!Store || !Sync || !("indexedDB" in self)) return;

  const body = document.body;
  const isShell = body.hasAttribute("data-shell");
  const FRESH_MS = 5 * 60 * 1000;
  const MAX_AGE_MS = 3 * 24 * 60 * 60 * 1000; // an older copy is not shown (and is wiped)
  const SYMBOL = { groen: "●", gul: "▲", roed: "■" };
  const URGENCY = { roed: 0, gul: 1, groen: 2 };
  const KIND_LABEL = { observation: "Observation", tobs: "TOBS", kontakt: "Kontakt sygeplejerske" };
  const HAST = [
    ["haster", "Haster – svar inden for 30 min"],
    ["i_dag", "I dag"],
    ["konference", "Til konference"],
  ];
  const MAX_NOTE = 280;
  const EMERGENCY = "Ved livstruende tilstand: ring 112";

  // --- Small helpers --------------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const clock = (iso) =>
    new Date(iso).toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" }).replace(":", ".");

  function when(iso) {
    const d = new Date(iso);
    const today = new Date().toDateString() === d.toDateString();
    return today ? `kl. ${clock(iso)}` : `${d.getDate()}.${d.getMonth() + 1}. kl. ${clock(iso)}`;
  }

  function newId() {
    if (self.crypto && self.crypto.randomUUID) return self.crypto.randomUUID();
    const b = self.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const x = [...b].map((v) => v.toString(16).padStart(2, "0")).join("");
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }

  function telHref(phone) {
    return `tel:${String(phone).replace(/\s+/g, "")}`;
  }

  function callLink(person) {
    if (!person || !person.phone) return null;
    return h("a", { class: "call", href: telHref(person.phone), "aria-label": `Ring til ${person.name}, ${person.phone}` },
      h("span", { "aria-hidden": "true", text: "✆" }), " Ring");
  }

  function personBlock(title, person, empty) {
    return h("div", { class: "person" },
      h("span", { class: "role", text: title }),
      person ? h("span", { class: "name", text: person.name }) : h("span", { class: "name muted", text: empty || "Ingen" }),
      callLink(person));
  }

  function badge(c) {
    return h("span", { class: `badge badge-${c.colour}` },
      h("span", { "aria-hidden": "true", text: SYMBOL[c.colour] || "" }), ` ${c.colour_label}`);
  }

  function tobsText(t) {
    return `TOBS ${t.total}${t.complete ? "" : " (ufuldstændig)"}`;
  }

  // Whom to call about a citizen now: the window of the copy that covers this moment.
  function whomToCall(citizen) {
    const now = Date.now();
    const windows = citizen.call || [];
    const current = windows.find((w) => Date.parse(w.from) <= now && now < Date.parse(w.until));
    return current || windows[windows.length - 1] || null;
  }

  async function signedInUser() {
    return Store.metaGet("user");
  }

  async function mine() {
    const user = await signedInUser();
    const items = await Store.queueAll();
    return {
      user,
      own: items.filter((i) => user && i.user_id === user.id),
      others: items.filter((i) => !user || i.user_id !== user.id),
    };
  }

  // --- The queue's count, on every page ----------------------------------------------------

  async function updateChip() {
    const chip = document.getElementById("queue-chip");
    if (!chip) return;
    const { own } = await mine();
    const waiting = own.filter((i) => i.state === "waiting").length;
    const refused = own.filter((i) => i.state === "refused").length;
    const parts = [];
    const long = [];
    if (waiting) { parts.push(`${waiting} venter`); long.push(`${waiting} venter på at blive sendt`); }
    if (refused) { parts.push(`${refused} afvist`); long.push(`${refused} afvist af serveren`); }
    chip.hidden = !parts.length;
    chip.textContent = parts.join(" · ");
    chip.setAttribute("aria-label", long.join(", "));
    chip.classList.toggle("queue-chip-refused", refused > 0);
  }

  function listen() {
    if ("BroadcastChannel" in self) {
      new BroadcastChannel(Sync.CHANNEL).addEventListener("message", (event) => {
        if (event.data && event.data.type === "sent") reportSent({ sent: event.data.count });
        updateChip();
        if (isShell && location.pathname.startsWith("/koe")) route();
      });
    }
    self.addEventListener("online", () => {
      showBanner(null);
      Sync.run().then(reportSent);
    });
    self.addEventListener("offline", () => {
      if (!isShell) {
        showBanner("Ingen forbindelse. Det, du gemmer, venter på telefonen og sendes, når der er forbindelse igen.");
      }
    });
  }

  function showBanner(text, ok) {
    const banner = document.getElementById("offline-banner");
    if (!banner) return;
    banner.hidden = !text;
    banner.textContent = text || "";
    banner.classList.toggle("offline-banner-ok", Boolean(ok));
  }

  // After a sync: say what left the phone (the chip's count goes down at the same time).
  function reportSent(outcome) {
    updateChip();
    const n = outcome && outcome.sent;
    if (!n) return;
    showBanner(n === 1 ? "1 ting, der ventede på telefonen, er sendt." : `${n} ting, der ventede på telefonen, er sendt.`, true);
  }

  function requestBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((r) => (r.sync ? r.sync.register("opspor-sync") : null))
      .catch(() => {});
  }

  // --- Sign-out: ask when something waits; the copy of citizen data leaves the phone ---------

  function guardSignOut() {
    document.addEventListener("submit", async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.classList.contains("logout")) return;
      event.preventDefault();
      const { own } = await mine();
      const unsent = own.filter((i) => i.state === "waiting" || i.state === "refused").length;
      if (unsent) {
        const question = unsent === 1
          ? "1 ting er ikke sendt endnu. Den bliver på telefonen og sendes, når du logger ind igen. Log ud alligevel?"
          : `${unsent} ting er ikke sendt endnu. De bliver på telefonen og sendes, når du logger ind igen. Log ud alligevel?`;
        if (!self.confirm(question)) return;
      }
      await Store.wipeCopy();
      if (isShell && !navigator.onLine) {
        renderSignedOutHere();
        return;
      }
      form.submit();
    });
  }

  function renderSignedOutHere() {
    const main = document.getElementById("main");
    main.replaceChildren(
      h("h1", { text: "Du er logget ud på telefonen" }),
      h("p", { text: "Kopien af borgernes oplysninger er slettet fra telefonen. Det, der ikke er sendt, venter og sendes, når du logger ind igen." }),
      h("p", {}, h("a", { class: "button", href: "/login", text: "Log ind" })));
    document.getElementById("shell-nav").hidden = true;
    document.getElementById("shell-logout").hidden = true;
    document.getElementById("shell-who").textContent = "";
  }

  // --- Online pages: remember who, refresh the copy, send what waits -------------------------

  async function refreshCopy(user, force) {
    const copy = await Store.copyGet();
    const fresh = copy && copy.user && copy.user.id === user.id
      && Date.now() - Date.parse(copy.fetched_at) < FRESH_MS;
    if (fresh && !force) return;
    try {
      const response = await fetch("/offline/data", { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const data = await response.json();
      data.fetched_at = new Date().toISOString();
      await Store.copyPut(data);
    } catch (error) {
      // No coverage right now: the copy stays as it was.
    }
  }

  async function onlinePage() {
    if (!body.dataset.user) {
      // Signed out (the sign-in page, or a session that timed out): no citizen data stays.
      await Store.wipeCopy();
      updateChip();
      return;
    }
    const user = { id: Number(body.dataset.user), name: body.dataset.userName || "" };
    const before = await signedInUser();
    if (before && before.id !== user.id) await Store.wipeCopy();
    await Store.metaPut("user", user);
    // A citizen page opened now should be in the copy with its details at once.
    const opened = /^\/borgere\/(\d+)$/.exec(location.pathname);
    const copy = await Store.copyGet();
    const missing = opened && !(copy && (copy.recent || []).includes(Number(opened[1])));
    await refreshCopy(user, Boolean(missing));
    reportSent(await Sync.run());
  }

  // --- The shell: render the address from the copy ------------------------------------------

  function main(...children) {
    const el = document.getElementById("main");
    el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    return el;
  }

  function back(href, text) {
    return h("p", { class: "back" }, h("a", { href }, h("span", { "aria-hidden": "true", text: "‹" }), `\u00a0${text}`));
  }

  async function route() {
    const user = await signedInUser();
    let copy = await Store.copyGet();
    if (copy && Date.now() - Date.parse(copy.fetched_at) > MAX_AGE_MS) {
      await Store.wipeCopy();
      copy = null;
    }
    if (copy && user && copy.user.id !== user.id) copy = null;
    document.getElementById("shell-who").textContent = user ? user.name : "";
    document.getElementById("shell-nav").hidden = !user;
    document.getElementById("shell-logout").hidden = !user;
    const path = location.pathname;
    const banner = document.getElementById("offline-banner");
    if (!(navigator.onLine && path.startsWith("/koe"))) {
      showBanner(copy ? `Offline – sidst opdateret ${when(copy.generated_at)}` : "Offline");
    } else if (!banner.classList.contains("offline-banner-ok")) {
      showBanner(null);
    }
    updateChip();
    let m;
    if (path === "/koe") return renderQueue(copy);
    if ((m = /^\/koe\/([0-9a-fA-F-]{32,36})$/.exec(path))) return renderReceipt(m[1], copy);
    if (!copy) return renderNoCopy(user);
    if (path === "/") return renderList(copy);
    if ((m = /^\/borgere\/(\d+)(?:\/(observation|tobs|kontakt))?$/.exec(path))) {
      const citizen = copy.citizens.find((c) => c.id === Number(m[1]));
      if (!citizen) return renderNotInCopy();
      if (!m[2]) return renderCitizen(citizen);
      if (m[2] === "observation") return renderObservationForm(citizen, copy);
      if (m[2] === "tobs") return renderTobsForm(citizen, copy);
      return renderContactForm(citizen);
    }
    return renderUnavailable();
  }

  function renderNoCopy(user) {
    main(
      h("h1", { text: "Ingen forbindelse" }),
      h("p", { text: user
        ? "Der er ingen kopi af dine borgere på telefonen endnu. Den hentes, næste gang du åbner Opspor med forbindelse."
        : "Du er ikke logget ind på telefonen. Log ind, når du har forbindelse." }),
      h("p", { text: EMERGENCY }),
      h("p", {}, h("a", { class: "button", href: "/", text: "Prøv igen" })));
  }

  function renderUnavailable() {
    main(
      h("h1", { text: "Kan ikke vises uden forbindelse" }),
      h("p", { text: "Denne side kræver forbindelse. Uden forbindelse kan du se dine borgere og skrive observationer, TOBS og henvendelser." }),
      h("p", {}, h("a", { class: "button", href: "/", text: "Mine borgere" })));
  }

  function renderNotInCopy() {
    main(
      back("/", "Mine borgere"),
      h("h1", { text: "Borgeren er ikke på telefonen" }),
      h("p", { text: "Uden forbindelse kan du se borgerne i din kontaktgruppe og dem, du har åbnet de sidste dage." }));
  }

  function sortKey(c) {
    return [c.own ? 0 : 1, URGENCY[c.colour] ?? 3, c.needs_tobs ? 0 : 1, c.name];
  }

  function compare(a, b) {
    const x = sortKey(a);
    const y = sortKey(b);
    for (let i = 0; i < x.length; i += 1) {
      if (x[i] < y[i]) return -1;
      if (x[i] > y[i]) return 1;
    }
    return 0;
  }

  function card(c, waiting) {
    const last = c.tobs && c.tobs[0];
    return h("li", { class: `card card-${c.colour}` },
      h("a", { class: "card-main", href: `/borgere/${c.id}` },
        h("span", { class: "card-head" }, h("span", { class: "card-name", text: c.name }), badge(c)),
        h("span", { class: "card-sub", text: `${c.age} år · ${c.address}` })),
      h("p", { class: "card-status" },
        c.needs_tobs ? h("span", { class: "badge badge-nudge" }, h("span", { "aria-hidden": "true", text: "◆" }), " Mål TOBS") : null,
        h("span", { text: last ? `Sidste ${tobsText(last)}, ${when(last.at)}` : c.tobs_applies ? "Ingen TOBS endnu" : "TOBS bruges ikke" }),
        waiting ? h("span", { class: "badge badge-queue", text: `${waiting} venter på at blive sendt` }) : null),
      c.key_notes.length ? h("ul", { class: "key-notes" }, c.key_notes.map((n) => h("li", { text: n }))) : null,
      actions(c),
      h("div", { class: "card-people" },
        personBlock("Kontaktperson", c.kontaktperson),
        personBlock("Forløbsansvarlig", c.forloebsansvarlig, "Ingen (varigt moderat)")));
  }

  function actions(c) {
    return h("div", { class: "card-actions" },
      h("a", { class: "button", href: `/borgere/${c.id}/observation` },
        h("span", { "aria-hidden": "true", text: "+" }), " Observation", h("span", { class: "visually-hidden", text: ` for ${c.name}` })),
      c.tobs_applies ? h("a", { class: `button${c.needs_tobs ? " primary-action" : ""}`, href: `/borgere/${c.id}/tobs` },
        "Mål TOBS", h("span", { class: "visually-hidden", text: ` for ${c.name}` })) : null,
      h("a", { class: "button", href: `/borgere/${c.id}/kontakt` },
        h("span", { "aria-hidden": "true", text: "✆" }), " Kontakt sygeplejerske", h("span", { class: "visually-hidden", text: ` om ${c.name}` })));
  }

  async function waitingByCitizen() {
    const { own } = await mine();
    const counts = {};
    for (const item of own) counts[item.citizen_id] = (counts[item.citizen_id] || 0) + 1;
    return counts;
  }

  async function renderList(copy) {
    document.title = "Mine borgere · Opspor";
    const counts = await waitingByCitizen();
    const citizens = [...copy.citizens].sort(compare);
    const own = citizens.filter((c) => c.own);
    const recent = citizens.filter((c) => !c.own);
    main(
      h("h1", { text: "Mine borgere" }),
      h("p", { class: "sub", text: "Uden forbindelse: det, du gemmer, venter på telefonen og sendes, når der er forbindelse." }),
      own.length ? h("ul", { class: "cards" }, own.map((c) => card(c, counts[c.id]))) : null,
      recent.length ? h("h2", { text: "Åbnet de sidste dage" }) : null,
      recent.length ? h("ul", { class: "cards" }, recent.map((c) => card(c, counts[c.id]))) : null);
  }

  async function renderCitizen(c) {
    document.title = `${c.name} · Opspor`;
    const { own } = await mine();
    const waiting = own.filter((i) => i.citizen_id === c.id);
    const sections = [];
    if (c.colour_reason) {
      sections.push(h("p", {}, badge(c), ` ${c.colour_reason.reason} (${when(c.colour_reason.since)})`));
    }
    if (c.key_notes.length) {
      sections.push(h("section", { class: "panel" }, h("h2", { text: "Vigtigt" }),
        h("ul", { class: "key-notes" }, c.key_notes.map((n) => h("li", { text: n })))));
    }
    if (waiting.length) {
      sections.push(h("section", { class: "panel" }, h("h2", { text: "Venter på at blive sendt" }),
        h("ul", { class: "plain" }, waiting.map((i) => h("li", {},
          h("a", { href: `/koe/${i.id}`, text: `${KIND_LABEL[i.kind]}, ${when(i.at)}` }))))));
    }
    if (c.habitual && c.habitual.length) {
      sections.push(h("section", { class: "panel" }, h("h2", { text: "Habituel tilstand" }),
        h("dl", { class: "facts" }, c.habitual.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]))));
    }
    if (c.tobs && c.tobs.length) {
      sections.push(h("section", { class: "panel" }, h("h2", { text: c.recent ? "Seneste TOBS" : "Sidste TOBS" }),
        h("ul", { class: "plain" }, c.tobs.map((t) => h("li", { text: `${tobsText(t)}, ${when(t.at)}` })))));
    }
    if (c.observations && c.observations.length) {
      sections.push(h("section", { class: "panel" }, h("h2", { text: "Observationer, 7 dage" }),
        h("ul", { class: "plain" }, c.observations.map((o) => h("li", {
          text: `${when(o.at)}: ${o.no_change ? "Ingen ændringer" : o.items.join(", ")}${o.note ? ` – ${o.note}` : ""}`,
        })))));
    }
    if (c.follow_ups && c.follow_ups.length) {
      sections.push(h("section", { class: "panel" }, h("h2", { text: "Opfølgninger" }),
        h("ul", { class: "plain" }, c.follow_ups.map((f) => h("li", { text: `${f.title}, ${f.due.split("-").reverse().join(".")}` })))));
    }
    if (!c.recent) {
      sections.push(h("p", { class: "hint", text: "Kun det vigtigste er gemt på telefonen. Åbn borgeren med forbindelse for at gemme mere." }));
    }
    main(
      back("/", "Mine borgere"),
      h("h1", { text: c.name }),
      h("p", { class: "sub", text: `${c.age} år · ${c.address}` }),
      actions(c),
      h("div", { class: "card-people" },
        personBlock("Kontaktperson", c.kontaktperson),
        personBlock("Forløbsansvarlig", c.forloebsansvarlig, "Ingen (varigt moderat)")),
      ...sections);
  }

  // --- Forms: validated on the phone as the server would, then queued ------------------------

  async function queue(kind, citizen, fields) {
    const user = await signedInUser();
    const item = {
      id: newId(), kind, citizen_id: citizen.id, at: new Date().toISOString(), fields,
      user_id: user ? user.id : null, user_name: user ? user.name : "", state: "waiting",
      citizen_name: citizen.name,
    };
    await Store.queuePut(item);
    requestBackgroundSync();
    location.assign(`/koe/${item.id}`);
  }

  function formHead(citizen, title) {
    document.title = `${title} · ${citizen.name} · Opspor`;
    return [back("/", "Mine borgere"), h("h1", { text: title }),
      h("p", { class: "sub" }, `${citizen.name} · `, badge(citizen))];
  }

  function errorBox(id) {
    return h("p", { class: "error", role: "alert", id, hidden: true });
  }

  function showError(box, text) {
    box.textContent = text;
    box.hidden = !text;
    if (text) box.scrollIntoView({ block: "center" });
  }

  function renderObservationForm(citizen, copy) {
    const error = errorBox("obs-error");
    const note = h("textarea", { id: "note", name: "note", maxlength: String(MAX_NOTE), rows: "3", "aria-describedby": "note-hint" });
    const form = h("form", { class: "obs-form", method: "post", action: location.pathname },
      h("button", { type: "submit", name: "ingen_aendringer", value: "1", class: "nochange" },
        h("span", { "aria-hidden": "true", text: "✓" }), " Ingen ændringer i dag"),
      h("fieldset", { class: "checklist", "aria-describedby": "obs-error" },
        h("legend", { text: "Hvad har du set i dag? Vælg det, der passer." }),
        copy.observation_items.map((item) => h("label", { class: "check" },
          h("input", { type: "checkbox", name: "punkt", value: String(item.id) }), h("span", { text: item.label })))),
      h("label", { for: "note", text: "Note (valgfri)" }), note,
      h("p", { class: "hint", id: "note-hint", text: `Højst ${MAX_NOTE} tegn.` }),
      h("div", { class: "sticky-save" }, h("button", { type: "submit", class: "primary", text: "Gem observation" })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const noChange = event.submitter && event.submitter.name === "ingen_aendringer";
      const ticked = [...form.querySelectorAll("input[name=punkt]:checked")].map((i) => i.value);
      if (note.value.trim().length > MAX_NOTE) return showError(error, `Noten må højst være ${MAX_NOTE} tegn.`);
      if (!noChange && !ticked.length) return showError(error, "Vælg mindst én ting, eller tryk »Ingen ændringer i dag«.");
      const fields = noChange ? { ingen_aendringer: ["1"], note: [note.value] } : { punkt: ticked, note: [note.value] };
      queue("observation", citizen, fields);
    });
    main(...formHead(citizen, "Observation"), error, form);
  }

  function flat(form) {
    const fields = {};
    for (const [name, value] of new FormData(form).entries()) fields[name] = value;
    return fields;
  }

  function scorePanel(panel, bands, actions, fields) {
    const outcome = self.OpsporTobs.evaluate(bands, actions, fields);
    const children = [];
    const messages = Object.values(outcome.errors);
    if (messages.length) children.push(h("ul", { class: "error-list", role: "alert" }, messages.map((m) => h("li", { text: m }))));
    if (outcome.empty) {
      children.push(h("p", { class: "muted", text: "Skriv målingerne. Scoren vises her, mens du skriver." }));
      panel.replaceChildren(...children);
      return outcome;
    }
    children.push(scoreDetails(bands, outcome, fields));
    panel.replaceChildren(...children);
    return outcome;
  }

  function scoreDetails(bands, outcome, fields) {
    const r = outcome.result;
    const label = (name) => (name === "bevidsthed" ? bands.consciousness.label : bands.parameters[name].label);
    const value = (name) => {
      if (r.points[name] === null) return null;
      if (name === "bevidsthed") return bands.consciousness.levels.find((l) => l.value === fields.bevidsthed).label;
      if (name === "temperatur") return `${String(fields.temperatur).trim()} °C`;
      return `${String(fields[name]).trim()} ${bands.parameters[name].unit}`;
    };
    const rows = ["puls", "respiration", "temperatur", "systolisk", "bevidsthed"].map((name) =>
      h("tr", { class: r.points[name] === 3 ? "three" : null },
        h("th", { scope: "row", text: label(name) }),
        h("td", {}, value(name) || h("span", { class: "muted", text: "Mangler" })),
        h("td", { class: "points", text: r.points[name] === null ? "–" : String(r.points[name]) })));
    const a = outcome.action;
    const missing = r.missing.map((name) => label(name).toLowerCase()).join(", ");
    return h("div", {},
      h("table", { class: "score-table" },
        h("caption", { class: "visually-hidden", text: "Point for hver måling" }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Måling" }), h("th", { scope: "col", text: "Værdi" }), h("th", { scope: "col", text: "Point" }))),
        h("tbody", {}, rows)),
      h("p", { class: `score-total score-${r.complete ? "complete" : "partial"}`, text: self.OpsporTobs.text(r) }),
      r.complete ? null : h("p", { class: "partial-note", text: `Mangler: ${missing}. Scoren er derfor kun et minimum.` }),
      a ? h("div", { class: `guidance guidance-${a.urgency}` },
        h("p", { class: "guidance-head", text: `${r.complete ? "" : "Mindst: "}${a.urgency_label}` }),
        h("p", { text: a.text })) : null);
  }

  function numberField(name, label, unit, mode) {
    return h("div", { class: "field" },
      h("label", { for: `f-${name}` }, `${label} `, h("span", { class: "unit", text: unit })),
      h("input", { id: `f-${name}`, name, type: "text", inputmode: mode, autocomplete: "off", maxlength: "6" }));
  }

  function choices(legend, name, options) {
    return h("fieldset", { class: "choices" }, h("legend", { text: legend }),
      options.map((o) => h("label", { class: "choice" }, h("input", { type: "radio", name, value: o.value }), ` ${o.label}`)));
  }

  function renderTobsForm(citizen, copy) {
    const { bands, actions } = copy.tobs;
    const head = formHead(citizen, "Mål TOBS");
    const emergency = h("p", { class: "emergency", role: "note" }, h("span", { "aria-hidden": "true", text: "☎" }), ` ${EMERGENCY}`);
    if (!citizen.tobs_applies) {
      return main(...head, emergency, h("section", { class: "panel" },
        h("h2", { text: "TOBS bruges ikke til denne borger" }), h("p", { text: "Er du bekymret, så kontakt sygeplejersken." })));
    }
    const p = bands.parameters;
    const error = errorBox("tobs-error");
    const panel = h("section", { id: "score", class: "panel score", "aria-live": "polite", "aria-label": "TOBS-score" });
    const form = h("form", { id: "tobs-form", method: "post", action: location.pathname },
      h("div", { class: "tobs-grid" },
        numberField("puls", p.puls.label, p.puls.unit, "numeric"),
        numberField("respiration", p.respiration.label, p.respiration.unit, "numeric"),
        numberField("temperatur", p.temperatur.label, p.temperatur.unit, "decimal"),
        choices("Målemetode", "maalemetode", bands.temperature_methods),
        numberField("systolisk", p.systolisk.label, p.systolisk.unit, "numeric")),
      choices(bands.consciousness.label, "bevidsthed", bands.consciousness.levels),
      numberField("iltmaetning", `${bands.unscored.iltmaetning.label} (valgfri, giver ikke point)`, bands.unscored.iltmaetning.unit, "numeric"),
      panel,
      h("div", { class: "sticky-save" }, h("button", { type: "submit", class: "primary", text: "Gem TOBS" })));
    const update = () => scorePanel(panel, bands, actions, flat(form));
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const outcome = update();
      if (Object.keys(outcome.errors).length) return showError(error, "Ret det, der er markeret, før du gemmer.");
      if (outcome.empty) return showError(error, "Skriv mindst én måling, før du gemmer.");
      const fields = {};
      for (const [name, value] of Object.entries(flat(form))) if (String(value).trim()) fields[name] = [value];
      queue("tobs", citizen, fields);
    });
    main(...head, emergency, error, form);
    update();
  }

  function callBox(citizen, intro) {
    const who = whomToCall(citizen);
    return h("section", { class: "panel call-instead", "aria-labelledby": "call-h" },
      h("h2", { id: "call-h", text: intro }),
      who && who.name
        ? h("p", { class: "call-who" }, h("span", { text: who.name }), who.rule ? h("span", { class: "hint", text: who.rule }) : null,
          who.phone ? h("a", { class: "button call-now", href: telHref(who.phone) },
            h("span", { "aria-hidden": "true", text: "✆" }), ` Ring ${who.phone}`) : null)
        : h("p", { text: "Ring til teamets vagttelefon." }),
      h("p", { class: "emergency", text: EMERGENCY }));
  }

  function renderContactForm(citizen) {
    const error = errorBox("esc-error");
    const note = h("textarea", { id: "note", name: "note", maxlength: String(MAX_NOTE), rows: "3" });
    const form = h("form", { method: "post", action: location.pathname },
      h("fieldset", { class: "choices" }, h("legend", { text: "Hvor hurtigt skal du have svar?" }),
        HAST.map(([value, label]) => h("label", { class: "choice" },
          h("input", { type: "radio", name: "hast", value, checked: value === "i_dag" }), ` ${label}`))),
      h("label", { for: "note", text: "Kort besked (valgfri)" }), note,
      h("p", { class: "hint", text: `Højst ${MAX_NOTE} tegn. Målinger og observationer sættes på, når den sendes.` }),
      h("div", { class: "sticky-save" }, h("button", { type: "submit", class: "primary", text: "Gem – send når der er forbindelse" })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (note.value.trim().length > MAX_NOTE) return showError(error, `Beskeden må højst være ${MAX_NOTE} tegn.`);
      const hast = (form.querySelector("input[name=hast]:checked") || {}).value || "i_dag";
      queue("kontakt", citizen, { hast: [hast], note: [note.value] });
    });
    main(...formHead(citizen, "Kontakt sygeplejerske"),
      h("p", { class: "flash flash-warning", text: "Du har ikke forbindelse. Henvendelsen bliver ikke sendt nu – først når telefonen får forbindelse igen." }),
      callBox(citizen, "Haster det? Ring i stedet"),
      error, form);
  }

  // --- The queue and a receipt ----------------------------------------------------------------

  function flatFields(item) {
    const fields = {};
    for (const [name, values] of Object.entries(item.fields || {})) fields[name] = values[0];
    return fields;
  }

  function describe(item, copy) {
    const f = item.fields || {};
    if (item.kind === "observation") {
      if (f.ingen_aendringer) return "Ingen ændringer i dag";
      const labels = copy ? Object.fromEntries(copy.observation_items.map((i) => [String(i.id), i.label])) : {};
      return (f.punkt || []).map((id) => labels[id] || "Punkt").join(", ");
    }
    if (item.kind === "tobs" && copy) {
      const outcome = self.OpsporTobs.evaluate(copy.tobs.bands, copy.tobs.actions, flatFields(item));
      return outcome.result ? self.OpsporTobs.text(outcome.result) : "TOBS";
    }
    if (item.kind === "kontakt") {
      const hast = HAST.find(([v]) => v === (f.hast || [])[0]);
      return hast ? hast[1] : "";
    }
    return "";
  }

  // The nudge's simple half on the phone: a ticked item that the checklist marks as a TOBS
  // trigger, or a citizen the server already said needs one. (The server's full rule, with
  // the week's observations, applies when the observation arrives.)
  function needsTobs(item, citizen, copy) {
    if (citizen.needs_tobs) return true;
    const triggers = new Set(copy.observation_items.filter((i) => i.triggers_tobs).map((i) => String(i.id)));
    return (item.fields.punkt || []).some((id) => triggers.has(id));
  }

  async function removeRefused(item) {
    const question = "Slet det fra telefonen? Gør det først, når du har givet det videre eller skrevet det i journalen.";
    if (!self.confirm(question)) return;
    await Store.queueDelete(item.id);
    route();
  }

  function queueRow(item, copy) {
    const note = (item.fields.note || [""])[0];
    return h("li", { class: `queue-item queue-${item.state}` },
      h("a", { href: `/koe/${item.id}` },
        h("span", { class: "queue-what", text: `${KIND_LABEL[item.kind]} · ${item.citizen_name || "Borger"}` }),
        h("span", { class: "queue-when", text: when(item.at) })),
      h("p", { text: describe(item, copy) + (note ? ` – ${note}` : "") }),
      item.state === "refused" ? [
        h("p", { class: "error", text: item.message }),
        h("button", { type: "button", class: "secondary", onclick: () => removeRefused(item), text: "Slet fra telefonen" }),
      ] : h("p", { class: "hint", text: "Venter på at blive sendt." }));
  }

  async function renderQueue(copy) {
    document.title = "Venter på at blive sendt · Opspor";
    const { user, own, others } = await mine();
    const sent = await Store.sentAll();
    const signedOut = await Store.metaGet("signed_out");
    const waiting = own.filter((i) => i.state === "waiting");
    const refused = own.filter((i) => i.state === "refused");
    const sendNow = h("button", { type: "button", class: "primary", text: "Send nu",
      onclick: () => Sync.run().then(route) });
    const owners = [...new Set(others.map((i) => i.user_name || "en anden"))];
    main(
      h("h1", { text: "Venter på at blive sendt" }),
      signedOut && own.length ? h("p", { class: "flash flash-warning" }, "Du er logget ud. ",
        h("a", { href: "/login?next=/koe", text: "Log ind igen" }), ", så sendes det, der venter.") : null,
      refused.length ? h("section", { class: "panel" },
        h("h2", { text: `Afvist af serveren (${refused.length})` }),
        h("p", { text: "Det er ikke sendt. Læs hvorfor, og gør det der står. Det bliver på telefonen, til du sletter det." }),
        h("ul", { class: "plain queue-list" }, refused.map((i) => queueRow(i, copy)))) : null,
      refused.length && !waiting.length ? null : h("section", { class: "panel" },
        h("h2", { text: waiting.length ? `Venter (${waiting.length})` : "Intet venter" }),
        waiting.length ? h("ul", { class: "plain queue-list" }, waiting.map((i) => queueRow(i, copy))) : null,
        waiting.length && navigator.onLine && user ? sendNow : null,
        waiting.length && !navigator.onLine ? h("p", { class: "hint", text: "Det sendes af sig selv, når telefonen får forbindelse." }) : null),
      others.length ? h("p", { class: "hint", text: `${others.length} ting fra ${owners.join(", ")} venter på, at de logger ind igen.` }) : null,
      sent.length ? h("section", { class: "panel" }, h("h2", { text: "Sendt" }),
        h("ul", { class: "plain" }, sent.map((r) => h("li", {},
          `${when(r.at)}: ${r.citizen_name ? `${r.citizen_name} – ` : ""}${r.summary} `,
          navigator.onLine && r.url ? h("a", { href: r.url, text: "Se" }) : null)))) : null,
      user ? h("p", {}, h("a", { href: "/", text: "Mine borgere" })) : h("p", {}, h("a", { href: "/login", text: "Log ind" })));
  }

  async function renderReceipt(id, copy) {
    const item = await Store.queueGet(id.toLowerCase());
    const sent = item ? null : await Store.sentGet(id.toLowerCase());
    if (sent) {
      document.title = "Sendt · Opspor";
      return main(h("h1", { text: "Sendt" }),
        h("p", { class: "flash flash-info", role: "status", text: `${sent.summary} (${when(sent.at)})` }),
        sent.url ? h("p", {}, h("a", { class: "button", href: sent.url, text: "Se det i Opspor" })) : null,
        h("p", {}, h("a", { href: "/", text: "Mine borgere" })));
    }
    if (!item) {
      return main(h("h1", { text: "Findes ikke på telefonen" }),
        h("p", { text: "Det er enten sendt og ryddet op, eller slettet." }), h("p", {}, h("a", { href: "/koe", text: "Se hvad der venter" })));
    }
    const citizen = copy && copy.citizens.find((c) => c.id === item.citizen_id);
    const parts = [back("/", "Mine borgere"), h("h1", { text: KIND_LABEL[item.kind] }),
      h("p", { class: "sub", text: `${item.citizen_name || (citizen && citizen.name) || ""} · ${when(item.at)}` })];
    parts.push(item.state === "refused"
      ? h("p", { class: "error", role: "alert", text: `Afvist: ${item.message}` })
      : h("p", { class: "flash flash-warning", role: "status", text: "Gemt på telefonen – ikke sendt endnu. Det sendes, når der er forbindelse." }));
    if (item.kind === "tobs" && copy) {
      const fields = flatFields(item);
      const outcome = self.OpsporTobs.evaluate(copy.tobs.bands, copy.tobs.actions, fields);
      if (outcome.result) {
        parts.push(h("section", { class: "panel score" }, scoreDetails(copy.tobs.bands, outcome, fields)));
        if (outcome.action && outcome.action.escalate && citizen) parts.push(callBox(citizen, "Kontakt sygeplejersken – ring"));
      }
    } else if (item.kind === "kontakt") {
      parts.push(h("p", { class: "lead", text: "Henvendelsen er IKKE sendt til sygeplejersken endnu." }));
      if (citizen) parts.push(callBox(citizen, "Ring i stedet"));
    } else {
      parts.push(h("p", { text: describe(item, copy) }));
      if (citizen && citizen.tobs_applies && needsTobs(item, citizen, copy)) {
        parts.push(h("section", { class: "panel nudge" },
          h("p", { text: "Mål TOBS nu: det, du har set, kan være tegn på, at borgeren er ved at blive syg." }),
          h("a", { class: "button primary-action", href: `/borgere/${citizen.id}/tobs`, text: "Mål TOBS nu" })));
      }
    }
    if (item.state === "refused") {
      parts.push(h("button", { type: "button", class: "secondary", onclick: () => removeRefused(item), text: "Slet fra telefonen" }));
    }
    parts.push(h("p", {}, h("a", { href: "/koe", text: "Alt der venter" })));
    document.title = `${KIND_LABEL[item.kind]} · Opspor`;
    main(...parts);
  }

  // --- Start --------------------------------------------------------------------------------

  listen();
  guardSignOut();
  if (isShell) {
    route().then(() => (navigator.onLine ? Sync.run() : null));
  } else {
    onlinePage();
    if (!navigator.onLine) showBanner("Ingen forbindelse. Det, du gemmer, venter på telefonen og sendes, når der er forbindelse igen.");
  }
})();
