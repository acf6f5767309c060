// The lane's IndexedDB: the lists it verifies with ("kv") and the shipments recorded while
// offline ("queue", by Idempotency-Key). Nothing else of the registry is kept on the device.
const NAME = "broker-registry-lane";
let opened = null;

function open() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("kv");
      request.result.createObjectStore("queue", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function run(store, mode, act) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const request = act(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

export const kv = {
  get: (key) => run("kv", "readonly", (s) => s.get(key)),
  put: (key, value) => run("kv", "readwrite", (s) => s.put(value, key)),
};

export const queue = {
  all: () => run("queue", "readonly", (s) => s.getAll()),
  put: (item) => run("queue", "readwrite", (s) => s.put(item)),
  remove: (key) => run("queue", "readwrite", (s) => s.delete(key)),
};

/** Whether the lane's database exists, without making it (a page that never used the lane). */
async function exists() {
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((d) => d.name === NAME);
}

/** How many of this account's shipments wait to be sent. */
export async function waiting(account) {
  if (!(await exists())) return 0;
  return (await queue.all()).filter((i) => i.account === account && i.state === "waiting")
    .length;
}

/** Sign-out on a shared PC: the lists kept, and this account's answered shipments, go. */
export async function forget(account) {
  if (!(await exists())) return;
  await run("kv", "readwrite", (s) => s.clear());
  for (const item of await queue.all()) {
    if (item.account === account) await queue.remove(item.key);
  }
}
