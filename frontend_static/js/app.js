// Jan Shikayat PWA shell: language switch, service worker registration and
// a backend health check shown in the #status live region.
import {
  LANGUAGES,
  formatDate,
  getLanguage,
  setLanguage,
  translate,
} from "/js/i18n.js";
import { gql } from "/js/api.js";
import { detail, file, mine, sendQueued, signIn } from "/js/views.js";

const HEALTH_QUERY = "{ health { status version } }";
const HEALTH_TIMEOUT_MS = 15000; // generous: slow 2G/3G links

const statusEl = document.getElementById("status");

// Status is kept as {key, params, state} so it can be re-rendered when the
// language changes.
let status = null;
let healthCheckSeq = 0;

function setStatus(key, params = {}, state = "info") {
  status = { key, params, state };
  renderStatus();
}

function renderStatus() {
  if (!statusEl || !status) return;
  statusEl.textContent = translate(status.key, getLanguage(), status.params);
  statusEl.dataset.state = status.state;
}

function renderStrings() {
  const lang = getLanguage();
  document.title = translate("appName", lang);
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = translate(el.dataset.i18n, lang);
  }
  for (const el of document.querySelectorAll("[data-i18n-year]")) {
    const now = new Date();
    el.textContent = formatDate(now, { year: "numeric" }, lang);
    el.dateTime = String(now.getFullYear());
  }
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  renderStatus();
}

function initLanguageSwitch() {
  for (const button of document.querySelectorAll("[data-lang]")) {
    if (!LANGUAGES.includes(button.dataset.lang)) continue;
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  document.addEventListener("app:languagechange", renderStrings);
}

async function checkHealth({ announceChecking = true } = {}) {
  const seq = ++healthCheckSeq;
  if (!navigator.onLine) {
    setStatus("statusOffline", {}, "offline");
    return;
  }
  if (announceChecking) setStatus("statusChecking", {}, "pending");

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), HEALTH_TIMEOUT_MS);
  try {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: HEALTH_QUERY }),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const payload = await response.json();
    const health = payload?.data?.health;
    if (seq !== healthCheckSeq) return; // a newer check superseded this one
    if (health?.status === "ok") {
      setStatus("statusConnected", { version: health.version ?? "?" }, "ok");
    } else {
      setStatus("statusUnreachable", {}, "error");
    }
  } catch {
    if (seq !== healthCheckSeq) return;
    if (navigator.onLine) {
      setStatus("statusUnreachable", {}, "error");
    } else {
      setStatus("statusOffline", {}, "offline");
    }
  } finally {
    clearTimeout(timer);
  }
}

function initConnectivity() {
  window.addEventListener("offline", () => {
    healthCheckSeq++; // drop any in-flight result
    setStatus("statusOffline", {}, "offline");
  });
  window.addEventListener("online", () => {
    setStatus("statusBackOnline", {}, "pending");
    checkHealth({ announceChecking: false });
  });
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .catch((error) => console.warn("Service worker registration failed:", error));
  };
  // Register after load so the worker's precache does not compete with the
  // first paint on slow networks.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

// --- the citizen app: a hash router over the views ----------------------------------

let cleanup = () => {};

function route() {
  cleanup();
  const go = (hash) => {
    if (location.hash === hash) route();
    else location.hash = hash;
  };
  const hash = location.hash || "#/";
  const grievance = hash.match(/^#\/grievances\/(\d+)$/);
  if (hash === "#/sign-in") cleanup = signIn(go);
  else if (hash === "#/file") cleanup = file(go);
  else if (grievance) cleanup = detail(go, grievance[1]);
  else cleanup = mine(go);
}

function initNavigation() {
  window.addEventListener("hashchange", route);
  document.addEventListener("app:languagechange", route);
  document.getElementById("sign-out")?.addEventListener("click", async () => {
    await gql("mutation { authSignOut { __typename } }").catch(() => {});
    location.hash = "#/sign-in";
  });
  window.addEventListener("online", () => sendQueued());
}

initLanguageSwitch();
renderStrings();
initConnectivity();
checkHealth({ announceChecking: false });
registerServiceWorker();
initNavigation();
sendQueued().finally(route);
