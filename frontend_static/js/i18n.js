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
    // The citizen app.
    navMine: "My grievances",
    navFile: "File a grievance",
    signInHeading: "Sign in with your mobile number",
    mobileLabel: "Mobile number (10 digits)",
    sendCode: "Send code",
    codeLabel: "The 6-digit code sent by SMS to {mobile}",
    verify: "Sign in",
    signOut: "Sign out",
    mineHeading: "My grievances",
    noneYet: "You have not filed a grievance yet.",
    offlineMark: "Offline — last updated {when}",
    queuedMark: "Waiting to be sent (offline)",
    statusLabel: "Status",
    officeLabel: "With",
    dueIn: "Due in {time}",
    overdueBy: "Overdue by {time}",
    pausedClock: "Paused: waiting for your reply",
    fileHeading: "File a grievance",
    searchLabel: "What is your grievance about? Type a few words",
    searchHint: "For example: ration card, land mutation, pension, दाखिल खारिज",
    noMatch: "Nothing matched; try other words.",
    categoryChoice: "Choose the category that fits",
    districtLabel: "District",
    blockLabel: "Block (optional)",
    choose: "Choose…",
    placeLabel: "Where exactly (address or landmark, optional)",
    useGps: "Use my location",
    gpsAdded: "Your location has been added.",
    gpsFailed: "Your location could not be found; describe the place instead.",
    nameLabel: "Your name",
    subjectLabel: "Subject",
    descriptionLabel: "What happened",
    reliefLabel: "What you want done",
    filesLabel: "Photos or PDFs (up to 5, 5 MB each)",
    review: "Review",
    edit: "Change",
    submit: "Submit grievance",
    uploading: "Uploading {name}: {percent}%",
    filedHeading: "Your grievance is registered",
    filedNumber: "Your grievance number",
    copy: "Copy number",
    copied: "Copied",
    queuedHeading: "Saved on this phone",
    queuedText: "You are offline. The grievance will be sent when the connection returns.",
    timelineHeading: "What has happened",
    reportsHeading: "Replies from the office",
    filesHeading: "Files",
    replyHeading: "The office needs more information",
    replyLabel: "Your reply",
    sendReply: "Send reply",
    feedbackHeading: "Was your grievance resolved?",
    yes: "Yes",
    no: "No",
    ratingLabel: "Rating (1 = very poor, 5 = very good)",
    remarksLabel: "Remarks (optional)",
    sendFeedback: "Send feedback",
    feedbackThanks: "Thank you — your feedback has been recorded.",
    appealHeading: "Appeal",
    appealUntil: "You may appeal until {date}.",
    groundsLabel: "Why the decision is wrong",
    sendAppeal: "File appeal",
    linkedTo: "Handled together with grievance {number}",
    pushOn: "Turn on notifications",
    pushOff: "Turn off notifications",
    pushUnsupported: "This browser cannot show notifications.",
    pushDenied: "Notifications are blocked in the browser settings.",
    errorGeneric: "Something went wrong. Please try again.",
    back: "Back",
    status_filed: "Received",
    status_registered: "Registered",
    status_allotted: "Sent to the office",
    status_assigned: "With an officer",
    status_in_progress: "In progress",
    status_awaiting_citizen: "Waiting for your reply",
    status_returned: "Being re-routed",
    status_under_review: "Report under review",
    status_sent_back: "Report sent back for more work",
    status_closed: "Disposed of",
    status_rejected: "Not taken up",
    status_linked: "Linked to another grievance",
    status_disputed: "Under review after your feedback",
    status_appealed: "In appeal",
    // The staff console.
    staffTitle: "Jan Shikayat — Staff console",
    usernameLabel: "Username",
    passwordLabel: "Password",
    inboxHeading: "Inbox",
    filterStatus: "Status",
    anyStatus: "Any pending",
    filterOverdue: "Overdue only",
    filterEscalated: "Escalated to me",
    filterSearch: "Search: number, mobile or words",
    applyFilters: "Show",
    loadMore: "Load more",
    inboxEmpty: "Nothing here.",
    inboxChanged: "The inbox has changed; it is up to date.",
    clockOk: "on time",
    clockSoon: "due soon",
    clockOverdue: "overdue",
    citizenLabel: "Citizen",
    feedbackOnCase: "Feedback on this case",
    noFeedback: "No feedback yet.",
    unitLabel: "Office",
    officerLabel: "Officer",
    noteLabel: "Note",
    reasonLabel: "Reason",
    questionLabel: "Question for the citizen",
    rightAuthorityLabel: "The authority it concerns",
    directionsLabel: "Directions",
    concernsOffice: "Does it concern this office?",
    knownBefore: "Did the office know of it before?",
    resolvable72: "Can it be resolved within 72 hours?",
    reasonsIfNot: "Reasons if not",
    actionTaken: "Action taken",
    replyToCitizen: "Reply for the citizen",
    act_register: "Register",
    act_allot: "Allot",
    act_transfer: "Transfer down",
    act_not_ours: "Not ours",
    act_assign: "Assign officer",
    act_preliminary_report: "Preliminary report",
    act_interim_reply: "Interim reply",
    act_final_report: "Final report (ATR)",
    act_review_approve: "Approve upward",
    act_send_back: "Send back",
    act_close: "Close",
    act_reject: "Reject",
    act_request_info: "Ask the citizen",
    act_comment: "Comment",
    act_remand: "Remand",
    act_uphold: "Uphold closure",
    act_appeal_reopen: "Reopen (appeal)",
    act_appeal_uphold: "Uphold (appeal)",
    act_link_duplicate: "Link duplicate",
    masterLabel: "Master grievance ID",
    done: "Done.",
    callsHeading: "Feedback calls",
    fileForCitizen: "File for a citizen",
    allMyUnits: "All my units",
    appealsView: "Appeals",
    orgHeading: "Organisation",
    expand: "Show the units under",
    orgWhat: "What to do",
    orgMerge: "Merge into another unit (its people and pending grievances move)",
    orgMove: "Move under another parent",
    orgOther: "The other unit",
    orgPreview: "Preview",
    orgConfirm: "Confirm",
    orgPlan: "{units} unit(s), {people} role(s) and {pending} pending grievance(s) move; target {target}.",
    channelLabel: "Received by",
    citizenNameLabel: "Citizen's name",
    addressLabel: "Citizen's address",
    languageForCitizen: "Language for messages to the citizen",
    scansLabel: "Scanned letter or documents (PDF or images)",
    channel_post: "Post",
    channel_email: "E-mail",
    channel_whatsapp: "WhatsApp",
    channel_counter: "Counter",
    channel_in_person: "In person",
    channel_phone: "Phone (call centre)",
    sensitive: "sensitive",
    claimCall: "Call now",
    callingAbout: "Calling about",
    reachedLabel: "Did you reach the citizen?",
    recordingLabel: "Call recording (audio, optional)",
    recordCall: "Record the call",
    atrSide: "What the report (ATR) says",
    feedbackSide: "What the citizen says",
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
    navMine: "मेरी शिकायतें",
    navFile: "शिकायत दर्ज करें",
    signInHeading: "अपने मोबाइल नंबर से साइन इन करें",
    mobileLabel: "मोबाइल नंबर (10 अंक)",
    sendCode: "कोड भेजें",
    codeLabel: "{mobile} पर SMS से भेजा गया 6 अंकों का कोड",
    verify: "साइन इन करें",
    signOut: "साइन आउट",
    mineHeading: "मेरी शिकायतें",
    noneYet: "आपने अभी तक कोई शिकायत दर्ज नहीं की है।",
    offlineMark: "ऑफ़लाइन — अंतिम अद्यतन {when}",
    queuedMark: "भेजे जाने की प्रतीक्षा में (ऑफ़लाइन)",
    statusLabel: "स्थिति",
    officeLabel: "कहाँ",
    dueIn: "{time} में देय",
    overdueBy: "{time} से विलंबित",
    pausedClock: "रुका हुआ: आपके उत्तर की प्रतीक्षा",
    fileHeading: "शिकायत दर्ज करें",
    searchLabel: "आपकी शिकायत किस बारे में है? कुछ शब्द लिखें",
    searchHint: "जैसे: राशन कार्ड, दाखिल खारिज, पेंशन, ration card",
    noMatch: "कुछ नहीं मिला; दूसरे शब्द आज़माएँ।",
    categoryChoice: "उपयुक्त श्रेणी चुनें",
    districtLabel: "ज़िला",
    blockLabel: "प्रखंड (वैकल्पिक)",
    choose: "चुनें…",
    placeLabel: "ठीक कहाँ (पता या पहचान का स्थान, वैकल्पिक)",
    useGps: "मेरा स्थान लें",
    gpsAdded: "आपका स्थान जोड़ दिया गया है।",
    gpsFailed: "आपका स्थान नहीं मिल सका; कृपया स्थान का वर्णन करें।",
    nameLabel: "आपका नाम",
    subjectLabel: "विषय",
    descriptionLabel: "क्या हुआ",
    reliefLabel: "आप क्या चाहते हैं",
    filesLabel: "फ़ोटो या PDF (अधिकतम 5, प्रत्येक 5 MB)",
    review: "जाँचें",
    edit: "बदलें",
    submit: "शिकायत भेजें",
    uploading: "{name} अपलोड हो रहा है: {percent}%",
    filedHeading: "आपकी शिकायत दर्ज हो गई है",
    filedNumber: "आपकी शिकायत संख्या",
    copy: "संख्या कॉपी करें",
    copied: "कॉपी हो गई",
    queuedHeading: "इस फ़ोन पर सहेजी गई",
    queuedText: "आप ऑफ़लाइन हैं। कनेक्शन लौटने पर शिकायत भेज दी जाएगी।",
    timelineHeading: "अब तक क्या हुआ",
    reportsHeading: "कार्यालय के उत्तर",
    filesHeading: "फ़ाइलें",
    replyHeading: "कार्यालय को और जानकारी चाहिए",
    replyLabel: "आपका उत्तर",
    sendReply: "उत्तर भेजें",
    feedbackHeading: "क्या आपकी समस्या का समाधान हुआ?",
    yes: "हाँ",
    no: "नहीं",
    ratingLabel: "रेटिंग (1 = बहुत खराब, 5 = बहुत अच्छा)",
    remarksLabel: "टिप्पणी (वैकल्पिक)",
    sendFeedback: "राय भेजें",
    feedbackThanks: "धन्यवाद — आपकी राय दर्ज कर ली गई है।",
    appealHeading: "अपील",
    appealUntil: "आप {date} तक अपील कर सकते हैं।",
    groundsLabel: "निर्णय गलत क्यों है",
    sendAppeal: "अपील दर्ज करें",
    linkedTo: "शिकायत {number} के साथ निपटाई जा रही है",
    pushOn: "सूचनाएँ चालू करें",
    pushOff: "सूचनाएँ बंद करें",
    pushUnsupported: "यह ब्राउज़र सूचनाएँ नहीं दिखा सकता।",
    pushDenied: "ब्राउज़र की सेटिंग में सूचनाएँ बंद हैं।",
    errorGeneric: "कुछ गलत हो गया। कृपया फिर से प्रयास करें।",
    back: "वापस",
    status_filed: "प्राप्त",
    status_registered: "पंजीकृत",
    status_allotted: "कार्यालय को भेजी गई",
    status_assigned: "अधिकारी के पास",
    status_in_progress: "कार्रवाई जारी",
    status_awaiting_citizen: "आपके उत्तर की प्रतीक्षा",
    status_returned: "पुनः भेजी जा रही है",
    status_under_review: "प्रतिवेदन की समीक्षा",
    status_sent_back: "प्रतिवेदन पुनः कार्य हेतु लौटाया गया",
    status_closed: "निष्पादित",
    status_rejected: "स्वीकार नहीं की गई",
    status_linked: "दूसरी शिकायत से जुड़ी",
    status_disputed: "आपकी राय के बाद पुनर्विचाराधीन",
    status_appealed: "अपील में",
    staffTitle: "जन शिकायत — कर्मचारी कंसोल",
    usernameLabel: "उपयोगकर्ता नाम",
    passwordLabel: "पासवर्ड",
    inboxHeading: "इनबॉक्स",
    filterStatus: "स्थिति",
    anyStatus: "सभी लंबित",
    filterOverdue: "केवल विलंबित",
    filterEscalated: "मुझे अग्रसारित",
    filterSearch: "खोजें: संख्या, मोबाइल या शब्द",
    applyFilters: "दिखाएँ",
    loadMore: "और दिखाएँ",
    inboxEmpty: "यहाँ कुछ नहीं है।",
    inboxChanged: "इनबॉक्स बदला है; यह अद्यतन है।",
    clockOk: "समय पर",
    clockSoon: "शीघ्र देय",
    clockOverdue: "विलंबित",
    citizenLabel: "नागरिक",
    feedbackOnCase: "इस मामले पर राय",
    noFeedback: "अभी कोई राय नहीं।",
    unitLabel: "कार्यालय",
    officerLabel: "अधिकारी",
    noteLabel: "टिप्पणी",
    reasonLabel: "कारण",
    questionLabel: "नागरिक से प्रश्न",
    rightAuthorityLabel: "संबंधित प्राधिकारी",
    directionsLabel: "निर्देश",
    concernsOffice: "क्या यह इस कार्यालय से संबंधित है?",
    knownBefore: "क्या कार्यालय को पहले से जानकारी थी?",
    resolvable72: "क्या 72 घंटे में निराकरण संभव है?",
    reasonsIfNot: "यदि नहीं, तो कारण",
    actionTaken: "की गई कार्रवाई",
    replyToCitizen: "नागरिक के लिए उत्तर",
    act_register: "पंजीकृत करें",
    act_allot: "आवंटित करें",
    act_transfer: "नीचे भेजें",
    act_not_ours: "हमसे संबंधित नहीं",
    act_assign: "अधिकारी नियुक्त करें",
    act_preliminary_report: "प्रारंभिक प्रतिवेदन",
    act_interim_reply: "अंतरिम उत्तर",
    act_final_report: "अंतिम प्रतिवेदन (ATR)",
    act_review_approve: "ऊपर अनुमोदित करें",
    act_send_back: "वापस भेजें",
    act_close: "निष्पादित करें",
    act_reject: "अस्वीकार करें",
    act_request_info: "नागरिक से पूछें",
    act_comment: "टिप्पणी",
    act_remand: "वापस भेजें (रिमांड)",
    act_uphold: "निष्पादन बनाए रखें",
    act_appeal_reopen: "पुनः खोलें (अपील)",
    act_appeal_uphold: "बनाए रखें (अपील)",
    act_link_duplicate: "डुप्लिकेट जोड़ें",
    masterLabel: "मुख्य शिकायत ID",
    done: "हो गया।",
    callsHeading: "राय हेतु कॉल",
    fileForCitizen: "नागरिक की ओर से दर्ज करें",
    allMyUnits: "मेरी सभी इकाइयाँ",
    appealsView: "अपीलें",
    orgHeading: "संगठन",
    expand: "इसके अंतर्गत इकाइयाँ दिखाएँ",
    orgWhat: "क्या करना है",
    orgMerge: "दूसरी इकाई में विलय करें (इसके लोग और लंबित शिकायतें जाएँगी)",
    orgMove: "दूसरे मूल के अंतर्गत ले जाएँ",
    orgOther: "दूसरी इकाई",
    orgPreview: "पूर्वावलोकन",
    orgConfirm: "पुष्टि करें",
    orgPlan: "{units} इकाई, {people} भूमिकाएँ और {pending} लंबित शिकायतें जाएँगी; लक्ष्य {target}।",
    channelLabel: "कैसे प्राप्त हुई",
    citizenNameLabel: "नागरिक का नाम",
    addressLabel: "नागरिक का पता",
    languageForCitizen: "नागरिक को संदेशों की भाषा",
    scansLabel: "स्कैन किया पत्र या दस्तावेज़ (PDF या चित्र)",
    channel_post: "डाक",
    channel_email: "ई-मेल",
    channel_whatsapp: "व्हाट्सऐप",
    channel_counter: "काउंटर",
    channel_in_person: "स्वयं उपस्थित",
    channel_phone: "फ़ोन (कॉल सेंटर)",
    sensitive: "संवेदनशील",
    claimCall: "अभी कॉल करें",
    callingAbout: "कॉल इस बारे में",
    reachedLabel: "क्या नागरिक से बात हुई?",
    recordingLabel: "कॉल रिकॉर्डिंग (ऑडियो, वैकल्पिक)",
    recordCall: "कॉल दर्ज करें",
    atrSide: "प्रतिवेदन (ATR) क्या कहता है",
    feedbackSide: "नागरिक क्या कहते हैं",
    footer: "ओपन-सोर्स लोक शिकायत निवारण प्लेटफ़ॉर्म",
  }),
});

const isSupported = (lang) => LANGUAGES.includes(lang);

// Tables a screen set adds for itself (the staff console's), so the citizen app does not
// download strings it never shows.
const extra = { en: {}, hi: {} };

export function addStrings(tables) {
  for (const lang of LANGUAGES) Object.assign(extra[lang], tables[lang] || {});
}

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
  const code = isSupported(lang) ? lang : DEFAULT_LANGUAGE;
  const template = strings[code][key] ?? extra[code][key] ?? strings[DEFAULT_LANGUAGE][key]
    ?? extra[DEFAULT_LANGUAGE][key] ?? key;
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
