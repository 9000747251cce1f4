"""The deployment files fit the project (no Docker engine or cluster here, so they are
checked structurally): every command is a `grievance` subcommand that exists, every
probe and health check is a route the app serves, the proxies upgrade websockets for
/graphql and point at the port the API listens on, the compose stack and the
Kubernetes manifests hold the pieces the README describes, and the settings files name
only variables the settings read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
SUBCOMMANDS = set(re.findall(r'sub\.add_parser\("([a-z-]+)"', (ROOT / "backend" / "cli.py").read_text()))
ROUTES = set(re.findall(r'Route\("(/[a-z]+)"', (ROOT / "backend" / "app.py").read_text()))
API_PORT = 8000


def command_ok(command: list[str] | str) -> None:
    words = command if isinstance(command, list) else command.split()
    program = [w for w in words if w.endswith("grievance")]
    assert program, f"not a grievance command: {words}"
    after = words[words.index(program[0]) + 1]
    assert after in SUBCOMMANDS, f"`grievance {after}` does not exist ({sorted(SUBCOMMANDS)})"
    if after == "serve" and "--port" in words:
        assert int(words[words.index("--port") + 1]) == API_PORT


def manifests() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted((INFRA / "k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def test_the_compose_stack_has_every_piece_and_each_runs_something_real() -> None:
    compose = yaml.safe_load((INFRA / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api", "worker", "proxy"}
    assert services["api"]["deploy"]["replicas"] == 2 and services["worker"]["deploy"]["replicas"] == 2
    for name in ("migrate", "api", "worker"):
        command_ok(services[name]["command"])
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["env_file"] == ".env"  # copied from env.example, as the header says
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    probe = " ".join(services["api"]["healthcheck"]["test"])
    assert any(f"127.0.0.1:{API_PORT}{route}" in probe for route in ROUTES)
    volume = services["proxy"]["volumes"][0].split(":")[0]
    assert (INFRA / volume).is_file()
    assert (INFRA / services["migrate"]["build"]["dockerfile"].removeprefix("infra/")).is_file()


def test_the_proxies_upgrade_websockets_for_graphql_and_reach_the_api_port() -> None:
    for conf in (INFRA / "nginx").glob("*.conf"):
        text = conf.read_text()
        graphql = text[text.index("location /graphql"):]
        graphql = graphql[:graphql.index("}")]
        assert "proxy_set_header Upgrade $http_upgrade" in graphql and 'Connection "upgrade"' in graphql, conf.name
        assert re.search(rf"server [\w.]+:{API_PORT};", text), conf.name


def test_the_kubernetes_manifests_fit_together() -> None:
    docs = manifests()
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["ConfigMap", "Deployment", "Deployment", "HorizontalPodAutoscaler", "Ingress", "Job", "Service"]
    by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    api = by[("Deployment", "grievance-api")]
    worker = by[("Deployment", "grievance-worker")]
    for deployment in (api, worker, by[("Job", "grievance-migrate")]):
        spec = deployment["spec"]["template"]["spec"]
        for container in spec["containers"]:
            command_ok(container["command"])
            refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
            assert "grievance-config" in refs and ("ConfigMap", "grievance-config") in by
    for deployment in (api, worker):
        assert deployment["spec"]["selector"]["matchLabels"].items() <= deployment["spec"]["template"]["metadata"][
            "labels"].items()
    container = api["spec"]["template"]["spec"]["containers"][0]
    assert container["ports"][0]["containerPort"] == API_PORT
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] in ROUTES
    service = by[("Service", "grievance-api")]
    assert service["spec"]["selector"].items() <= api["spec"]["template"]["metadata"]["labels"].items()
    assert service["spec"]["ports"][0]["targetPort"] == container["ports"][0]["name"]
    backend = by[("Ingress", "grievance")]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "grievance-api" and backend["port"]["name"] == service["spec"]["ports"][0]["name"]
    assert int(by[("Ingress", "grievance")]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600
    hpa = by[("HorizontalPodAutoscaler", "grievance-api")]["spec"]
    assert hpa["scaleTargetRef"]["name"] == "grievance-api" and hpa["minReplicas"] >= 2


def test_systemd_units_run_real_commands() -> None:
    for unit in (INFRA / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                command_ok(line.split("=", 1)[1])


def test_the_example_settings_name_only_variables_the_settings_read() -> None:
    read = set(re.findall(r'"((?:GRIEVANCE|DATABASE|REDIS)_[A-Z_]+)"', (ROOT / "backend" / "settings.py").read_text()))
    named = set(re.findall(r"^([A-Z_]+)=", (INFRA / "env.example").read_text(), re.MULTILINE))
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")["data"]
    assert named and named <= read, named - read
    assert set(config) <= read, set(config) - read
