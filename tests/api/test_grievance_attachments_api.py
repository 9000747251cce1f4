"""Photos and PDFs travel with a filing and with reports, each seen only by whom it is for."""

from __future__ import annotations

from typing import Any

import httpx

from backend.runtime import Runtime
from backend.settings import Settings
from tests.api.conftest import citizen_sign_in, gql, sign_in
from tests.api.grievance_ops import FINAL, act, file, filing, ok, report
from tests.api.test_attachments_api import result_of, upload
from tests.factories import PASSWORD, lifecycle_world
from tests.unit.test_sniffing import pdf_bytes, png_bytes

FILES = """query($id: ID!) { grievance(id: $id) { attachments { id filename contentType visibility url }
  reports { kind attachments { filename visibility } } } }"""


async def _upload(client: httpx.AsyncClient, token: str, name: str, data: bytes) -> str:
    result: dict[str, Any] = result_of(await upload(client, name, data, token=token))
    assert result["__typename"] == "AttachmentSuccess", result
    attachment_id: str = result["attachment"]["id"]
    return attachment_id


async def test_citizen_photo_and_officer_evidence(client: httpx.AsyncClient, settings: Settings,
                                                  runtime: Runtime) -> None:
    w = await lifecycle_world(settings)
    citizen = await citizen_sign_in(client, runtime, "9812345678")
    photo = await _upload(client, citizen, "खेत की फ़ोटो.png", png_bytes())
    stranger = await citizen_sign_in(client, runtime, "9812345679")
    # Someone else's upload cannot be attached to my grievance.
    stolen = await file(client, stranger, filing(w.leaf.id, channel="WEB", attachmentIds=[photo]))
    assert stolen["code"] == "VALIDATION" and stolen["fields"][0]["field"] == "attachmentIds[0]"
    filed = ok(await file(client, citizen, filing(w.leaf.id, channel="WEB", attachmentIds=[photo])))
    gid = filed["id"]

    cell = await sign_in(client, "cell_op", PASSWORD)
    ok(await act(client, cell, "grievanceAllot", {"id": gid, "unitId": str(w.tree.block_a.id)}))
    officer = await sign_in(client, "officer_a", PASSWORD)
    evidence = await _upload(client, officer, "spot-inspection.pdf", pdf_bytes())
    ok(await report(client, officer, gid, "FINAL", {**FINAL, "attachmentIds": [evidence]}))

    seen = (await gql(client, FILES, {"id": gid}, token=citizen))["data"]["grievance"]
    assert [a["filename"] for a in seen["attachments"]] == ["खेत की फ़ोटो.png", "spot-inspection.pdf"]
    assert seen["reports"][0]["attachments"] == [{"filename": "spot-inspection.pdf", "visibility": "CITIZEN"}]
    download = await client.get(seen["attachments"][0]["url"], headers={"authorization": f"Bearer {citizen}"})
    assert download.status_code == 200 and download.headers["content-type"] == "image/png"
    assert (await client.get(seen["attachments"][0]["url"],
                             headers={"authorization": f"Bearer {stranger}"})).status_code == 404
