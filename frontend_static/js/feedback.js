// The feedback page opened from the SMS link: no sign-in; the token is in the URL
// fragment (never sent to the server in the request line or logs).
const statusEl = document.getElementById("status");
const form = document.getElementById("feedback-form");

const LINK = `query($t: String!) { feedbackLink(token: $t) { __typename
  ... on FeedbackLinkInfo { number subject status alreadyGiven expiresAt }
  ... on OperationError { code message } } }`;
const GIVE = `mutation($t: String!, $r: Boolean!, $rating: Int, $remarks: String!) {
  feedbackGiveByLink(token: $t, resolved: $r, rating: $rating, remarks: $remarks) { __typename
  ... on FeedbackByLinkSuccess { appealOffered }
  ... on OperationError { code message fields { field message } } } }`;

const MESSAGES = {
  EXPIRED: "This link has expired or the grievance has moved on. / यह लिंक समाप्त हो गया है या शिकायत आगे बढ़ चुकी है।",
  NOT_FOUND: "This link is not valid. Check that it was copied whole. / यह लिंक मान्य नहीं है। जाँचें कि पूरा लिंक कॉपी हुआ है।",
  ALREADY_USED: "Thank you — your feedback on this decision was already recorded. / धन्यवाद — इस निर्णय पर आपकी राय पहले ही दर्ज है।",
  FAILED: "Something went wrong. Please try again. / कुछ गलत हो गया। कृपया फिर से प्रयास करें।",
};

function say(text) {
  statusEl.textContent = text;
}

async function call(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
    credentials: "omit",
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  if (body.errors) throw new Error(body.errors[0].message);
  return body.data;
}

function token() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return params.get("t") || "";
}

async function load() {
  const t = token();
  if (!t) {
    say(MESSAGES.NOT_FOUND);
    return;
  }
  let result;
  try {
    result = (await call(LINK, { t })).feedbackLink;
  } catch {
    say(MESSAGES.FAILED);
    return;
  }
  if (result.__typename === "OperationError") {
    say(MESSAGES[result.code] || result.message);
    return;
  }
  document.getElementById("number").textContent = result.number;
  document.getElementById("subject").textContent = result.subject;
  document.getElementById("about").hidden = false;
  if (result.alreadyGiven) {
    say(MESSAGES.ALREADY_USED);
    return;
  }
  say("");
  form.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const resolved = data.get("resolved");
  if (!resolved) {
    say("Please say whether it was resolved. / कृपया बताएँ कि समाधान हुआ या नहीं।");
    form.querySelector('input[name="resolved"]').focus();
    return;
  }
  const rating = data.get("rating");
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const result = (await call(GIVE, {
      t: token(), r: resolved === "yes", rating: rating ? Number(rating) : null, remarks: String(data.get("remarks") || ""),
    })).feedbackGiveByLink;
    if (result.__typename === "OperationError") {
      say(result.fields && result.fields.length ? result.fields.map((f) => f.message).join("; ")
        : MESSAGES[result.code] || result.message);
      if (result.code === "ALREADY_USED" || result.code === "EXPIRED") form.hidden = true;
      return;
    }
    form.hidden = true;
    say("Thank you — your feedback has been recorded. / धन्यवाद — आपकी राय दर्ज कर ली गई है।");
    document.getElementById("appeal").hidden = !result.appealOffered;
  } catch {
    say(MESSAGES.FAILED);
  } finally {
    button.disabled = false;
  }
});

load();
