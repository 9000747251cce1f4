// Localisation for the Jan Shikayat shell: string tables, the current
// language (remembered in localStorage) and Intl-based formatting helpers.

export const LANGUAGES = Object.freeze(["en", "hi"]);
export const DEFAULT_LANGUAGE = "en";
export const LOCALES = Object.freeze({ en: "en-IN", hi: "hi-IN" });

const STORAGE_KEY = "jan-shikayat.lang";

export const strings = Object.freeze({
  en: Object.freeze({
    appName: "Jan Shikayat — Public Grievance Portal",
    appShortName: "Jan Shikayat",
    skipLink: "Skip to main content",
    languageLabel: "Choose language",
    welcomeHeading: "Welcome to the Jan Shikayat portal",
    intro:
      "File a grievance with a government department and track it until it is resolved.",
    statusChecking: "Checking the connection to the service…",
    statusConnected: "Connected — service version {version}",
    statusUnreachable:
      "The service cannot be reached right now. Please try again later.",
    statusOffline: "You are offline. Please check your internet connection.",
    statusBackOnline: "You are back online. Checking the connection to the service…",
    footer: "Open-source public grievance redressal platform",
  }),
  hi: Object.freeze({
    appName: "जन शिकायत — लोक शिकायत पोर्टल",
    appShortName: "जन शिकायत",
    skipLink: "मुख्य सामग्री पर जाएँ",
    languageLabel: "भाषा चुनें",
    welcomeHeading: "जन शिकायत पोर्टल पर आपका स्वागत है",
    intro:
      "किसी सरकारी विभाग से संबंधित अपनी शिकायत दर्ज करें और उसके निवारण तक उसकी स्थिति देखें।",
    statusChecking: "सेवा से संपर्क की जाँच की जा रही है…",
    statusConnected: "सेवा से जुड़े हुए हैं — संस्करण {version}",
    statusUnreachable:
      "इस समय सेवा से संपर्क नहीं हो पा रहा है। कृपया कुछ समय बाद पुनः प्रयास करें।",
    statusOffline: "आप ऑफ़लाइन हैं। कृपया अपना इंटरनेट कनेक्शन जाँचें।",
    statusBackOnline: "आप फिर से ऑनलाइन हैं। सेवा से संपर्क की जाँच की जा रही है…",
    footer: "ओपन-सोर्स लोक शिकायत निवारण प्लेटफ़ॉर्म",
  }),
});

const isSupported = (lang) => LANGUAGES.includes(lang);

function readStored() {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled (private mode, policy)
  }
}

function detect() {
  const stored = readStored();
  if (isSupported(stored)) return stored;
  const preferred = globalThis.navigator?.languages ?? [];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (isSupported(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

let current = detect();

function applyToDocument(lang) {
  if (typeof document !== "undefined") {
    document.documentElement.lang = lang;
  }
}

/** The active language code ("en" or "hi"). */
export function getLanguage() {
  return current;
}

/**
 * Switch language, remember it and update <html lang>.
 * Dispatches "app:languagechange" (detail: {lang}) on document.
 * Returns the language actually applied.
 */
export function setLanguage(lang) {
  const next = isSupported(lang) ? lang : DEFAULT_LANGUAGE;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    /* not persisted; still applied for this page */
  }
  const changed = next !== current;
  current = next;
  applyToDocument(next);
  if (changed && typeof document !== "undefined") {
    document.dispatchEvent(
      new CustomEvent("app:languagechange", { detail: { lang: next } }),
    );
  }
  return next;
}

/**
 * Localised string for `key`; falls back to English, then to the key.
 * `{name}` placeholders are replaced from `params`.
 */
export function translate(key, lang = current, params = {}) {
  const table = strings[isSupported(lang) ? lang : DEFAULT_LANGUAGE];
  const template = table[key] ?? strings[DEFAULT_LANGUAGE][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

/** BCP 47 locale for Intl ("en-IN" / "hi-IN"). */
export function getLocale(lang = current) {
  return LOCALES[lang] ?? LOCALES[DEFAULT_LANGUAGE];
}

export function formatDate(date, options = { dateStyle: "medium" }, lang = current) {
  return new Intl.DateTimeFormat(getLocale(lang), options).format(date);
}

export function formatNumber(value, options = {}, lang = current) {
  return new Intl.NumberFormat(getLocale(lang), options).format(value);
}

applyToDocument(current);
