// GraphQL over HTTP (the session cookie rides along, same origin) and the
// graphql-transport-ws subscription, reconnecting with back-off.

export class OperationFailed extends Error {
  constructor(code, message, fields = []) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

export async function gql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    // The server words its refusals in the citizen's language.
    headers: { "content-type": "application/json", "accept-language": document.documentElement.lang || "en" },
    credentials: "same-origin",
    body: JSON.stringify({ query, variables }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data;
}

/** A union result: the success object, or OperationFailed thrown. */
export function unwrap(result) {
  if (result?.__typename === "OperationError") {
    throw new OperationFailed(result.code, result.message, result.fields || []);
  }
  return result;
}

/** Multipart upload (GraphQL multipart request spec) with progress. */
export function upload(file, onProgress) {
  const form = new FormData();
  form.append("operations", JSON.stringify({
    query: `mutation($file: Upload!) { attachmentUpload(file: $file) { __typename
      ... on AttachmentSuccess { attachment { id filename contentType } }
      ... on OperationError { code message fields { field message } } } }`,
    variables: { file: null },
  }));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/graphql");
    xhr.setRequestHeader("accept-language", document.documentElement.lang || "en");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((100 * event.loaded) / event.total));
    };
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText);
        if (body.errors?.length) reject(new Error(body.errors[0].message));
        else resolve(unwrap(body.data.attachmentUpload).attachment);
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(form);
  });
}

/** Subscribe; returns a function that stops it. onData gets each result's data. */
export function live(query, variables, onData) {
  let socket = null;
  let stopped = false;
  let delay = 1000;
  const open = () => {
    if (stopped) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/graphql`, "graphql-transport-ws");
    socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "connection_ack") {
        delay = 1000;
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
      } else if (message.type === "next" && message.payload?.data) {
        onData(message.payload.data);
      } else if (message.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      }
    };
    socket.onclose = () => {
      if (stopped) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    };
  };
  open();
  return () => {
    stopped = true;
    socket?.close();
  };
}
