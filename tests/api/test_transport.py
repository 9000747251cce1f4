"""The HTTP surface: probes, static PWA shell, GraphQL limits and error masking."""

from __future__ import annotations

import httpx
import pytest

from backend.orgs import selectors
from backend.settings import Settings
from tests.api.conftest import gql


async def test_health_probes(client: httpx.AsyncClient, settings: Settings) -> None:
    assert (await client.get("/healthz")).text == "ok"
    ready = await client.get("/readyz")
    expected = {"database": "ok", "redis": "ok"} if settings.redis_url else {"database": "ok"}
    assert ready.status_code == 200 and ready.json() == {"ready": True, "degraded": [], "checks": expected}
    assert ready.headers["x-request-id"]


async def test_health_query(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ health { status version environment } }")
    assert body["data"]["health"]["status"] == "ok"


@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        ("/", "text/html", "no-cache"),
        ("/sw.js", "text/javascript", "no-cache"),
        ("/manifest.webmanifest", "application/manifest+json", "no-cache"),
        ("/js/app.js", "text/javascript", "no-cache"),
        ("/css/app.css", "text/css", "no-cache"),
        ("/icons/icon-192.png", "image/png", "public, max-age=604800"),
    ],
)
async def test_pwa_shell_is_served_with_types_and_cache_headers(
    client: httpx.AsyncClient, path: str, content_type: str, cache: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["cache-control"] == cache
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "etag" in response.headers
    again = await client.get(path, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304


async def test_index_links_manifest_and_registers_service_worker(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    app_js = (await client.get("/js/app.js")).text
    assert "serviceWorker" in app_js and "/sw.js" in app_js


async def test_query_depth_limit(client: httpx.AsyncClient) -> None:
    deep = "{ myUnits " + "{ parent " * 14 + "{ code }" + " }" * 14 + " }"
    body = await gql(client, deep)
    assert body["data"] is None and "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_the_limits_apply_to_a_subscription_too() -> None:
    from backend.api.schema import schema

    deep = "subscription { inboxChanged { grievance { unit " + "{ parent " * 14 + "{ code }" + " }" * 14 + " } } }"
    stream = await schema.subscribe(deep)
    first = await anext(stream)  # type: ignore[arg-type]
    assert first.errors and "exceeds maximum operation depth" in first.errors[0].message


async def test_alias_limit(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"a{i}: health {{ status }}" for i in range(40)) + " }"
    body = await gql(client, query)
    assert "aliases" in body["errors"][0]["message"]


async def test_token_limit(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join("health { status version environment }" for _ in range(500)) + " }"
    body = await gql(client, query)
    assert "token" in body["errors"][0]["message"].lower()


async def test_unexpected_errors_are_masked_and_logged(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(actor: object) -> list[object]:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(selectors, "my_root_units", broken)
    body = await gql(client, "{ myUnits { code } }")
    assert body["errors"][0]["message"] == "Unexpected error; it has been logged."
    assert "hunter2" not in str(body)
    assert any("hunter2" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


async def test_graphiql_is_off_outside_debug(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code in (404, 405) or "graphiql" not in response.text.lower()


async def test_lone_surrogates_are_a_client_error_not_a_fault(client: httpx.AsyncClient) -> None:
    query = "mutation($u: String!, $p: String!) { authSignInPassword(username: $u, password: $p) { __typename } }"
    raw = '{"query": "' + query + '", "variables": {"u": "a\\ud800", "p": "b\\udfff"}}'
    response = await client.post("/graphql", content=raw, headers={"content-type": "application/json"})
    body = response.json()
    assert body["errors"][0]["message"] == "The request contains text that is not valid Unicode"
    search = '{"query": "{ units(search: \\"\\ud800\\") { code } }"}'
    response = await client.post("/graphql", content=search, headers={"content-type": "application/json"})
    assert "not valid Unicode" in response.json()["errors"][0]["message"]


async def test_readyz_reports_an_unreachable_redis_but_stays_ready(settings: Settings, runtime: object) -> None:
    from dataclasses import replace

    from backend.app import create_app
    from backend.core.broadcast import RedisBroadcast
    from backend.runtime import Runtime

    broken = replace(settings, redis_url="redis://127.0.0.1:1/0")
    rt = Runtime(broken, runtime.queue, RedisBroadcast.from_url("redis://127.0.0.1:1/0"), runtime.sms,  # type: ignore[attr-defined]
                 owns_database=False)
    app = create_app(broken, rt)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        ready = await c.get("/readyz")
    # Requests still succeed without Redis: the process stays in the load balancer.
    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert ready.json()["degraded"] == ["redis"]
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["redis"].startswith("unreachable")
    await rt.broadcast.close()
