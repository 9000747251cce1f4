// What the citizen has on the phone: grievances filed offline (sent when the
// connection returns, with their idempotency key so a retry never files twice)
// and the grievances seen last (readable offline).

const DB_NAME = "jan-shikayat";
const QUEUE = "queue";
const CACHE = "cache";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(QUEUE, { keyPath: "key" });
      request.result.createObjectStore(CACHE, { keyPath: "name" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(store, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const result = work(tx.objectStore(store));
    // A read hands back its request: resolve with what it found (undefined when nothing).
    tx.oncomplete = () => resolve(result instanceof IDBRequest ? result.result : result);
    tx.onerror = () => reject(tx.error);
  });
}

export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const queueFiling = (input) =>
  run(QUEUE, "readwrite", (s) => s.put({ key: input.idempotencyKey, input, queuedAt: Date.now() }));
export const queuedFilings = () => run(QUEUE, "readonly", (s) => s.getAll());
export const dropQueued = (key) => run(QUEUE, "readwrite", (s) => s.delete(key));

export const remember = (name, value) =>
  run(CACHE, "readwrite", (s) => s.put({ name, value, savedAt: Date.now() }));
export const recall = (name) => run(CACHE, "readonly", (s) => s.get(name));

let inflight = null;

/** Send every queued filing; `send(input)` files one. A call while a flush runs
 * waits for that flush instead of starting another (and never sends one twice). */
export function flushQueue(send) {
  if (!navigator.onLine) return Promise.resolve(0);
  if (!inflight) {
    inflight = (async () => {
      let sent = 0;
      for (const item of await queuedFilings()) {
        try {
          await send(item.input);
        } catch (error) {
          if (!navigator.onLine || error.message === "network" || error instanceof TypeError) break;
          throw error;
        }
        await dropQueued(item.key);
        sent += 1;
      }
      return sent;
    })().finally(() => {
      inflight = null;
    });
  }
  return inflight;
}
