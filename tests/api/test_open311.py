"""Open311 GeoReport v2: discovery, services from the category tree, a request filed
through the same intake as every channel, read back by its client only, JSON and XML,
and errors as the specification lists them."""

from __future__ import annotations

from xml.etree import ElementTree

import httpx

from backend.core.clock import utcnow
from backend.grievances.channels import Channel
from backend.grievances.models import Grievance
from backend.open311.services import issue_key
from backend.settings import Settings
from tests.factories import lifecycle_world

V2 = "/open311/v2"
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


async def test_the_georeport_v2_endpoints(client: httpx.AsyncClient, settings: Settings) -> None:
    w = await lifecycle_world(settings)
    _, key = await issue_key(settings, "District app", "BR", utcnow())
    _, other_key = await issue_key(settings, "Another app", "BR", utcnow())

    discovery = (await client.get(f"{V2}/discovery.json")).json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(discovery["endpoints"][0]["formats"]) == {"text/xml", "application/json"}

    listed = (await client.get(f"{V2}/services.json", params={"jurisdiction_id": "BR"})).json()
    codes = {s["service_code"] for s in listed}
    assert codes == {"REV-LAND-MUTATION", "REV-LAND-SURVEY"}  # leaves only, not REV-LAND
    assert set(listed[0]) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert listed[0]["metadata"] is False and listed[0]["type"] == "realtime"
    xml = ElementTree.fromstring((await client.get(f"{V2}/services.xml")).content)
    assert xml.tag == "services" and {s.findtext("service_code") for s in xml.findall("service")} == codes
    definition = (await client.get(f"{V2}/services/REV-LAND-MUTATION.json")).json()
    assert definition == {"service_code": "REV-LAND-MUTATION", "attributes": []}
    assert (await client.get(f"{V2}/services/REV-LAND.json")).status_code == 404
    assert (await client.get(f"{V2}/services.json", params={"jurisdiction_id": "NOWHERE"})).status_code == 404

    form = {"api_key": key, "service_code": "REV-LAND-MUTATION", "description": "Mutation pending since March.",
            "phone": "+919812300077", "first_name": "Sita", "last_name": "Devi", "lat": "25.6", "long": "85.1",
            "address_string": "Ward 4, Bihta"}
    missing = await client.post(f"{V2}/requests.json", data={**form, "phone": ""})
    assert missing.status_code == 400 and missing.json()[0]["code"] == 400 and "phone" in missing.json()[0]["description"]
    assert (await client.post(f"{V2}/requests.json", data={**form, "api_key": "wrong"})).status_code == 403
    assert await Grievance.all().count() == 0  # nothing filed by a refused request
    made = await client.post(f"{V2}/requests.json", data=form)
    assert made.status_code == 200, made.text
    rid = made.json()[0]["service_request_id"]
    g = await Grievance.get(id=int(rid))
    assert (g.channel, g.citizen_mobile, g.citizen_name, g.area_code) == (Channel.OPEN311, "9812300077", "Sita Devi", "BR")

    mine = (await client.get(f"{V2}/requests.json", params={"api_key": key})).json()
    assert [r["service_request_id"] for r in mine] == [rid] and set(mine[0]) == REQUEST_FIELDS
    assert mine[0]["status"] == "open" and g.number in mine[0]["service_notice"]
    one = ElementTree.fromstring((await client.get(f"{V2}/requests/{rid}.xml", params={"api_key": key})).content)
    assert one.tag == "service_requests" and one.find("request/status").text == "open"  # type: ignore[union-attr]
    assert (await client.get(f"{V2}/requests.json", params={"api_key": key, "status": "closed"})).json() == []
    # Another client, or nobody, reads nothing of it.
    assert (await client.get(f"{V2}/requests/{rid}.json", params={"api_key": other_key})).status_code == 404
    assert (await client.get(f"{V2}/requests.json", params={"api_key": other_key})).json() == []
    assert (await client.get(f"{V2}/requests.json")).status_code == 403
    tokens = (await client.get(f"{V2}/tokens/{rid}.json", params={"api_key": key})).json()
    assert tokens == [{"service_request_id": rid, "token": rid}]
    assert (await client.get(f"{V2}/requests.yaml", params={"api_key": key})).status_code == 404
    assert w.leaf.code == "REV-LAND-MUTATION"
