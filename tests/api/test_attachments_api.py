"""Uploading (GraphQL multipart request spec) and downloading attachments over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from backend.attachments.http import MAX_UPLOAD_BODY
from backend.attachments.models import Attachment
from backend.attachments.sniffing import MAX_BYTES
from backend.runtime import Runtime
from tests.api.conftest import citizen_sign_in, gql
from tests.unit.test_sniffing import HTML, pdf_bytes, png_bytes

UPLOAD = """mutation($file: Upload!) { attachmentUpload(file: $file) { __typename
  ... on AttachmentSuccess { attachment { id filename contentType size url createdAt visibility } }
  ... on OperationError { code message fields { field message } } } }"""

SAFE = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox; default-src 'none'",
    "cache-control": "private, no-store",
}


async def upload(
    client: httpx.AsyncClient, filename: str, data: bytes, *, token: str | None = None,
    declared_type: str = "application/octet-stream", headers: dict[str, str] | None = None,
) -> httpx.Response:
    h = dict(headers or {})
    if token:
        h["authorization"] = f"Bearer {token}"
    operations = {"query": UPLOAD, "variables": {"file": None}}
    return await client.post(
        "/graphql", headers=h,
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, data, declared_type)},
    )


def result_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["attachmentUpload"]
    return result


def assert_safe_headers(response: httpx.Response) -> None:
    for name, value in SAFE.items():
        # Exactly one of each: the app-wide defaults must not add a laxer second CSP.
        assert response.headers.get_list(name) == [value], (name, response.headers.get_list(name))


async def test_uploader_downloads_with_safe_headers_and_nobody_else_can(
    client: httpx.AsyncClient, runtime: Runtime,
) -> None:
    sita = await citizen_sign_in(client, runtime, "9876500001")
    gita = await citizen_sign_in(client, runtime, "9876500002")
    client.cookies.clear()  # signing in set the cookie: these requests use bearer tokens or nothing
    data = png_bytes()
    result = result_of(await upload(client, "राशन कार्ड.html", data, token=sita, declared_type="text/html"))
    assert result["__typename"] == "AttachmentSuccess", result
    attachment = result["attachment"]
    assert attachment["contentType"] == "image/png"  # sniffed, not the declared text/html
    assert attachment["filename"] == "राशन कार्ड.png" and attachment["size"] == len(data)
    assert attachment["visibility"] == "CITIZEN" and attachment["url"] == f"/attachments/{attachment['id']}"

    response = await client.get(attachment["url"], headers={"authorization": f"Bearer {sita}"})
    assert response.status_code == 200 and response.content == data
    assert response.headers["content-type"] == "image/png"
    assert_safe_headers(response)
    assert response.headers["content-disposition"] == (
        "inline; filename=\"attachment.png\"; filename*=UTF-8''%E0%A4%B0%E0%A4%BE%E0%A4%B6%E0%A4%A8%20"
        "%E0%A4%95%E0%A4%BE%E0%A4%B0%E0%A5%8D%E0%A4%A1.png")

    missing = await client.get("/attachments/999999")
    for refused in (
        await client.get(attachment["url"], headers={"authorization": f"Bearer {gita}"}),
        await client.get(attachment["url"]),
        await client.get(attachment["url"], headers={"authorization": "Bearer not-a-session"}),
        await client.get("/attachments/99999999999999999999999", headers={"authorization": f"Bearer {sita}"}),
    ):
        # Not allowed looks exactly like not there: ids cannot be probed.
        assert (refused.status_code, refused.text) == (missing.status_code, missing.text) == (404, "Not found")
        assert_safe_headers(refused)


async def test_pdfs_download_as_attachments_and_cookies_work_same_site(
    client: httpx.AsyncClient, runtime: Runtime,
) -> None:
    sita = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.set("gsession", sita)
    result = result_of(await upload(client, "../../etc/passwd", pdf_bytes(), headers={"origin": "http://testserver"}))
    assert result["__typename"] == "AttachmentSuccess", result
    assert result["attachment"]["filename"] == "passwd.pdf"
    response = await client.get(result["attachment"]["url"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == "attachment; filename=\"passwd.pdf\"; filename*=UTF-8''passwd.pdf"
    assert_safe_headers(response)
    cross_site = await client.get(result["attachment"]["url"], headers={"origin": "https://evil.example"})
    assert cross_site.status_code == 404


async def test_cross_origin_multipart_with_the_session_cookie_is_refused(
    client: httpx.AsyncClient, runtime: Runtime,
) -> None:
    sita = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.set("gsession", sita)
    response = await upload(client, "a.png", png_bytes(), headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert await Attachment.all().count() == 0


async def test_html_and_other_refusals_are_data(client: httpx.AsyncClient, runtime: Runtime) -> None:
    sita = await citizen_sign_in(client, runtime, "9876500001")
    client.cookies.clear()
    html = result_of(await upload(client, "photo.jpg", HTML, token=sita, declared_type="image/jpeg"))
    assert (html["__typename"], html["code"], html["fields"][0]["field"]) == ("OperationError", "VALIDATION", "file")
    anonymous = result_of(await upload(client, "a.png", png_bytes()))
    assert (anonymous["__typename"], anonymous["code"]) == ("OperationError", "UNAUTHENTICATED")
    # Just over 5 MB still fits the transport cap: the resolver's bounded read refuses it.
    too_big = result_of(await upload(client, "big.pdf", pdf_bytes(MAX_BYTES + 1), token=sita))
    assert (too_big["code"], too_big["fields"][0]["field"]) == ("VALIDATION", "file")
    # A JSON request can only put a string where the file goes: still an error as data.
    body = await gql(client, UPLOAD, {"file": "not a file"}, token=sita)
    assert body["data"]["attachmentUpload"]["code"] == "VALIDATION"
    internal = await client.post("/graphql", headers={"authorization": f"Bearer {sita}"}, data={
        "operations": json.dumps({"query": UPLOAD.replace("(file: $file)", "(file: $file, visibility: INTERNAL)"),
                                  "variables": {"file": None}}),
        "map": json.dumps({"0": ["variables.file"]})}, files={"0": ("a.png", png_bytes(), "image/png")})
    assert result_of(internal)["fields"][0]["field"] == "visibility"
    assert await Attachment.all().count() == 0


@pytest.mark.parametrize("chunked", [False, True])
async def test_multipart_bodies_beyond_one_file_are_cut_off(
    client: httpx.AsyncClient, runtime: Runtime, chunked: bool,
) -> None:
    sita = await citizen_sign_in(client, runtime, "9876500001")
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    boundary = "x-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"variables.file\"]}}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"big.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + pdf_bytes(MAX_UPLOAD_BODY) + f"\r\n--{boundary}--\r\n".encode()

    async def stream() -> Any:
        for i in range(0, len(body), 256 * 1024):
            yield body[i:i + 256 * 1024]

    response = await client.post(
        "/graphql", content=stream() if chunked else body,
        headers={"authorization": f"Bearer {sita}", "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert ("content-length" in response.request.headers) is not chunked  # chunked: counted while read
    assert await Attachment.all().count() == 0
    # JSON bodies have their own, larger cap (an org import can be large).
    assert (await gql(client, "{ health { status } }", {"pad": "x" * (MAX_UPLOAD_BODY + 1)}))["data"]
