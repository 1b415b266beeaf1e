// Opspor's data on the phone (IndexedDB), for pages and the service worker alike.
//   queue: writes made without coverage, until the server has stored them (one record per id)
//   copy:  the offline copy of citizen data (/offline/data), wiped at sign-out
//   sent:  short receipts of what was sent lately ("TOBS 5 er gemt."), wiped at sign-out
//   meta:  who is signed in on this phone
// A classic script: sets self.OpsporStore.
"use strict";

(function (root) {
  const NAME = "opspor";
  const VERSION = 1;
  const STORES = { queue: "id", copy: "key", sent: "id", meta: "key" };
  const KEEP_SENT = 20;
  let opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const request = root.indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        for (const [store, keyPath] of Object.entries(STORES)) {
          if (!request.result.objectStoreNames.contains(store)) {
            request.result.createObjectStore(store, { keyPath });
          }
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
    return opening;
  }

  function run(store, mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const result = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  const get = (store, key) => run(store, "readonly", (s) => s.get(key));
  const all = (store) => run(store, "readonly", (s) => s.getAll());
  const put = (store, value) => run(store, "readwrite", (s) => { s.put(value); });
  const remove = (store, key) => run(store, "readwrite", (s) => { s.delete(key); });
  const clear = (store) => run(store, "readwrite", (s) => { s.clear(); });

  function byTime(a, b) {
    return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
  }

  root.OpsporStore = Object.freeze({
    queueAll: () => all("queue").then((items) => items.sort(byTime)),
    queueGet: (id) => get("queue", id),
    queuePut: (item) => put("queue", item),
    queueDelete: (id) => remove("queue", id),
    copyGet: () => get("copy", "data").then((row) => (row ? row.value : null)),
    copyPut: (value) => put("copy", { key: "data", value }),
    metaGet: (key) => get("meta", key).then((row) => (row ? row.value : null)),
    metaPut: (key, value) => put("meta", { key, value }),
    sentAll: () => all("sent").then((rows) => rows.sort(byTime).reverse()),
    sentGet: (id) => get("sent", id),
    async sentAdd(receipt) {
      await put("sent", receipt);
      const rows = (await all("sent")).sort(byTime).reverse();
      for (const old of rows.slice(KEEP_SENT)) await remove("sent", old.id);
    },
    // Sign-out: the citizen data goes; the queue stays, so a new sign-in sends what waited.
    async wipeCopy() {
      await clear("copy");
      await clear("sent");
      await remove("meta", "user");
    },
  });
})(self);
