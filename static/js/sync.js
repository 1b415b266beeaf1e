// Sending the queue: one item at a time, oldest first, each with the id the phone gave it, so
// the server stores it once however often it arrives. Used by pages (on reconnect, when the
// app opens) and by the service worker (Background Sync). Needs store.js. Sets self.OpsporSync.
//
// What an answer means for an item:
//   201 stored / 200 duplicate -> it is on the server: leave the queue, keep a short receipt
//   400 csrf                   -> fetch a fresh token once and send it again
//   401 (or a token refused)   -> signed out: everything waits for a new sign-in
//   4xx refused                -> kept, marked refused, with the server's Danish message
//   no answer / 5xx            -> kept waiting; try again later
"use strict";

(function (root) {
  const CHANNEL = "opspor";
  let running = null;

  function tell(message) {
    if ("BroadcastChannel" in root) new BroadcastChannel(CHANNEL).postMessage(message);
  }

  async function token() {
    let response;
    try {
      response = await fetch("/offline/token", { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      return { offline: true };
    }
    if (response.status === 401) return { signedOut: true };
    if (!response.ok) return { offline: true };
    const body = await response.json();
    return { token: body.csrf_token, user: body.user };
  }

  function send(item, csrf) {
    const payload = {
      id: item.id, kind: item.kind, citizen_id: item.citizen_id, at: item.at, fields: item.fields,
    };
    return fetch("/offline/sync", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload),
    });
  }

  async function sendOne(item, session) {
    let response;
    try {
      response = await send(item, session.token);
      if (response.status === 400) {
        const body = await response.clone().json().catch(() => ({}));
        if (body.status === "csrf") {
          const fresh = await token();
          if (!fresh.token) return fresh.signedOut ? "signed_out" : "offline";
          session.token = fresh.token;
          response = await send(item, session.token);
        }
      }
    } catch (error) {
      return "offline";
    }
    if (response.status === 401) return "signed_out";
    if (response.status >= 500) return "offline";
    const body = await response.json().catch(() => ({}));
    if (response.status === 200 || response.status === 201) {
      await root.OpsporStore.queueDelete(item.id);
      await root.OpsporStore.sentAdd({
        id: item.id, at: new Date().toISOString(), kind: item.kind, citizen_id: item.citizen_id,
        citizen_name: item.citizen_name, summary: body.summary || "Sendt.", url: body.url || "",
      });
      return "sent";
    }
    if (body.status === "csrf") return "signed_out";
    item.state = "refused";
    item.message = body.message || "Serveren ville ikke gemme det. Skriv det i journalen.";
    item.refused_at = new Date().toISOString();
    await root.OpsporStore.queuePut(item);
    return "refused";
  }

  async function runOnce() {
    const waiting = (await root.OpsporStore.queueAll()).filter((i) => i.state === "waiting");
    if (!waiting.length) return { sent: 0, left: 0 };
    const session = await token();
    if (session.offline) return { offline: true, left: waiting.length };
    if (session.signedOut) {
      await root.OpsporStore.metaPut("signed_out", true);
      tell({ type: "queue" });
      return { signedOut: true, left: waiting.length };
    }
    await root.OpsporStore.metaPut("signed_out", false);
    let sent = 0;
    // Only the signed-in person's own items: someone else's wait for them to sign in.
    for (const item of waiting.filter((i) => i.user_id === session.user)) {
      const outcome = await sendOne(item, session);
      tell({ type: "queue" });
      if (outcome === "sent") sent += 1;
      if (outcome === "offline") return { offline: true, sent };
      if (outcome === "signed_out") {
        await root.OpsporStore.metaPut("signed_out", true);
        return { signedOut: true, sent };
      }
    }
    return { sent };
  }

  // One run at a time on this phone (pages and the service worker share the lock).
  function run() {
    if (running) return running;
    const work = root.navigator && root.navigator.locks
      ? root.navigator.locks.request("opspor-sync", runOnce)
      : runOnce();
    running = work.then((outcome) => {
      if (outcome && outcome.sent) tell({ type: "sent", count: outcome.sent });
      return outcome;
    }).finally(() => { running = null; tell({ type: "queue" }); });
    return running;
  }

  root.OpsporSync = Object.freeze({ run, CHANNEL });
})(self);
