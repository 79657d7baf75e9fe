"""The Helm chart (infra/helm/werktop): rendered offline with Helm's own Go SDK (helm_python, no
cluster, no helm binary), every manifest validated against the Kubernetes OpenAPI schemas in
strict mode (kubernetes_validate: unknown fields are errors), then the deployment's promises
checked on the rendered objects: probes on the health contract's paths, a worker per queue the
application routes to, exactly one beat, migrations as a hook before the rollout, the wildcard
Ingress, disruption budgets, resources and non-root for every container, and bad values refused
by values.schema.json before anything reaches a cluster."""

from __future__ import annotations

import base64
import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

CHART = Path(__file__).resolve().parents[2] / "infra" / "helm" / "werktop"
KUBE_VERSION = latest_version()
RELEASE = "werktop"
NAMESPACE = "werktop-prod"
QUEUES = ("urgent", "default", "background")

# Another set: a Secret made outside Helm, municipalities on their own domain, worker autoscaling,
# an existing media claim, a pinned digest.
ALTERNATIVE_VALUES: dict[str, Any] = {
    "platformDomain": "werktop.nl",
    "image": {"repository": "registry.example.nl/werktop/werktop",
              "digest": "sha256:" + "ab" * 32},
    "secrets": {"existingSecret": "werktop-from-vault"},
    "ingress": {
        "className": "traefik",
        "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
        "customHosts": [
            {"host": "werk.zoetermeer.nl", "tlsSecretName": "werk-zoetermeer-nl-tls"},
            {"host": "werkgevers.hilversum.nl", "tlsSecretName": "werkgevers-hilversum-nl-tls"},
            {"host": "werktop.zaanstad.nl", "tlsSecretName": "werktop-zaanstad-nl-tls"},
        ],
    },
    "workers": {queue: {"autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 6}}
                for queue in QUEUES},
    "web": {"autoscaling": {"minReplicas": 3, "maxReplicas": 20},
            "pdb": {"minAvailable": None, "maxUnavailable": "25%"}},
    "media": {"existingClaim": "werktop-media-nfs"},
    "migrations": {"processes": 4},
    "config": {"extra": {"BILLING_GRACE_DAYS": 14, "PORTAL_PAGE_CACHE_SECONDS": "600"}},
}


def render(values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every Kubernetes object the chart renders with these values (NOTES.txt left out)."""
    with helm_python.Chart.load(CHART) as chart:
        manifests = chart.render(values or {}, name=RELEASE, namespace=NAMESPACE,
                                 is_install=True)
    documents = []
    for path, text in sorted(manifests.items()):
        if not path.endswith((".yaml", ".yml")):
            continue
        documents.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return documents


def strictly_valid(document: dict[str, Any]) -> None:
    """Raises kubernetes_validate.ValidationError when the object is not valid Kubernetes."""
    kubernetes_validate.validate(document, KUBE_VERSION, strict=True)


def of_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == kind}


def pod_specs(documents: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in documents:
        if doc["kind"] in ("Deployment", "Job"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def env_of(container_spec: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container_spec.get("env", [])}


def hook_of(doc: dict[str, Any]) -> set[str]:
    hooks = doc["metadata"].get("annotations", {}).get("helm.sh/hook", "")
    return {hook.strip() for hook in hooks.split(",") if hook.strip()}


@pytest.fixture(scope="module")
def default() -> list[dict[str, Any]]:
    return render()


@pytest.fixture(scope="module")
def alternative() -> list[dict[str, Any]]:
    return render(ALTERNATIVE_VALUES)


# --- offline validation -----------------------------------------------------------------------

def test_default_values_render_strictly_valid_kubernetes(default):
    kinds = sorted({doc["kind"] for doc in default})
    assert kinds == ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "Job",
                     "PersistentVolumeClaim", "PodDisruptionBudget", "Secret", "Service",
                     "ServiceAccount"]
    for doc in default:
        strictly_valid(doc)


def test_alternative_values_render_strictly_valid_kubernetes(alternative):
    for doc in alternative:
        strictly_valid(doc)


def test_the_validator_rejects_broken_manifests(default):
    """The validation above can fail: a typo, a wrong type and a missing field are caught."""
    web = of_kind(default, "Deployment")[f"{RELEASE}-web"]
    strictly_valid(web)

    typo = copy.deepcopy(web)
    typo["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {"exec": {}}
    wrong_type = copy.deepcopy(web)
    wrong_type["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "http"
    no_selector = copy.deepcopy(web)
    del no_selector["spec"]["selector"]
    for broken in (typo, wrong_type, no_selector):
        with pytest.raises(kubernetes_validate.ValidationError):
            strictly_valid(broken)


def test_a_broken_template_fails_validation(tmp_path):
    """The whole path (chart → render → validate) catches a mistake in a template."""
    broken = tmp_path / "werktop"
    shutil.copytree(CHART, broken)
    web = broken / "templates" / "web.yaml"
    typo = "maxUnavailable: 0\n      maxSurged: 1"  # a field Kubernetes does not know
    web.write_text(web.read_text().replace("maxUnavailable: 0", typo, 1))
    with helm_python.Chart.load(broken) as chart:
        manifests = chart.render({}, name=RELEASE, namespace=NAMESPACE)
    documents = [doc for doc in yaml.safe_load_all(manifests["werktop/templates/web.yaml"]) if doc]
    with pytest.raises(kubernetes_validate.ValidationError):
        for doc in documents:
            strictly_valid(doc)


@pytest.mark.parametrize("values", [None, ALTERNATIVE_VALUES], ids=["default", "alternative"])
def test_helm_lint_finds_no_errors(values):
    report = helm_python.lint(CHART, values, strict=True, kube_version=f"v{KUBE_VERSION}")
    assert report["errors"] == []
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert problems == []


# --- web ----------------------------------------------------------------------------------------

def test_web_serves_on_8000_with_probes_on_the_health_contract(default):
    web = of_kind(default, "Deployment")[f"{RELEASE}-web"]
    spec = container(web)
    assert spec["args"] == ["web"]
    assert spec["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert env_of(spec)["PORT"] == "8000"
    assert spec["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert spec["startupProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert spec["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    annotations = web["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == "8000"
    service = of_kind(default, "Service")[f"{RELEASE}-web"]
    pod_labels = web["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()


def test_web_scales_with_an_hpa_on_cpu(default):
    web = of_kind(default, "Deployment")[f"{RELEASE}-web"]
    hpa = of_kind(default, "HorizontalPodAutoscaler")[f"{RELEASE}-web"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": f"{RELEASE}-web"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10)
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}
    # The HPA owns the replica count: a rollout must not reset it.
    assert "replicas" not in web["spec"]


def test_web_without_autoscaling_has_a_fixed_replica_count():
    documents = render({"web": {"autoscaling": {"enabled": False}, "replicas": 3}})
    assert of_kind(documents, "Deployment")[f"{RELEASE}-web"]["spec"]["replicas"] == 3
    assert f"{RELEASE}-web" not in of_kind(documents, "HorizontalPodAutoscaler")


# --- workers and beat ---------------------------------------------------------------------------

def test_one_worker_per_queue_the_application_routes_to(default):
    from werktop.celery import app

    assert {queue.name for queue in app.conf.task_queues} == set(QUEUES)
    deployments = of_kind(default, "Deployment")
    for queue in QUEUES:
        worker = deployments[f"{RELEASE}-worker-{queue}"]
        spec = container(worker)
        assert spec["args"] == ["worker"]
        assert env_of(spec)["CELERY_QUEUES"] == queue
        assert int(env_of(spec)["CELERY_CONCURRENCY"]) >= 1
        probe = " ".join(spec["livenessProbe"]["exec"]["command"])
        assert "inspect ping" in probe and "celery@${HOSTNAME}" in probe
        assert worker["spec"]["replicas"] == 1
    workers = [name for name in deployments if "-worker-" in name]
    assert len(workers) == len(QUEUES)
    assert not any("worker" in name for name in of_kind(default, "HorizontalPodAutoscaler"))


def test_worker_autoscaling_when_switched_on(alternative):
    hpas = of_kind(alternative, "HorizontalPodAutoscaler")
    deployments = of_kind(alternative, "Deployment")
    for queue in QUEUES:
        name = f"{RELEASE}-worker-{queue}"
        assert hpas[name]["spec"]["scaleTargetRef"]["name"] == name
        assert (hpas[name]["spec"]["minReplicas"], hpas[name]["spec"]["maxReplicas"]) == (2, 6)
        assert "replicas" not in deployments[name]["spec"]


def test_exactly_one_beat_never_two_at_once(default):
    beat = of_kind(default, "Deployment")[f"{RELEASE}-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert container(beat)["args"] == ["beat"]
    targets = [hpa["spec"]["scaleTargetRef"]["name"]
               for hpa in of_kind(default, "HorizontalPodAutoscaler").values()]
    assert f"{RELEASE}-beat" not in targets
    beat_labels = beat["spec"]["template"]["metadata"]["labels"]
    for pdb in of_kind(default, "PodDisruptionBudget").values():
        assert not pdb["spec"]["selector"]["matchLabels"].items() <= beat_labels.items()


# --- migrations ---------------------------------------------------------------------------------

def test_migrations_run_as_a_hook_before_install_and_upgrade(default):
    (job,) = of_kind(default, "Job").values()
    assert hook_of(job) == {"pre-install", "pre-upgrade"}
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook-delete-policy"].split(",")) == {
        "before-hook-creation", "hook-succeeded"}
    spec = job["spec"]["template"]["spec"]
    assert container(job)["args"] == ["migrate"]
    assert env_of(container(job))["MIGRATE_PROCESSES"] == "2"
    assert spec["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] == 1
    assert job["spec"]["activeDeadlineSeconds"] == 1800
    # Before the first install only hooks exist: the Job's ConfigMap and Secret are hooks too,
    # made earlier (lower weight), and it does not use the chart's ServiceAccount.
    weight = int(annotations["helm.sh/hook-weight"])
    hooks = {(doc["kind"], doc["metadata"]["name"]): doc for doc in default
             if hook_of(doc) and doc is not job}
    for source in container(job)["envFrom"]:
        kind, ref = (("ConfigMap", source["configMapRef"]) if "configMapRef" in source
                     else ("Secret", source["secretRef"]))
        needed = hooks[(kind, ref["name"])]
        assert hook_of(needed) == {"pre-install", "pre-upgrade"}
        assert int(needed["metadata"]["annotations"]["helm.sh/hook-weight"]) < weight
    assert "serviceAccountName" not in spec


def test_the_hook_secret_and_the_release_secret_agree(default):
    secrets = of_kind(default, "Secret")
    release, hook = secrets[f"{RELEASE}-secrets"], secrets[f"{RELEASE}-migrate"]
    assert release["data"] == hook["data"]
    key = base64.b64decode(release["data"]["SECRET_KEY"]).decode()
    assert len(key) >= 40
    configs = of_kind(default, "ConfigMap")
    assert configs[f"{RELEASE}-config"]["data"] == configs[f"{RELEASE}-migrate"]["data"]


def test_an_existing_secret_is_used_as_it_is(alternative):
    assert of_kind(alternative, "Secret") == {}
    for name, spec in pod_specs(alternative):
        secret_refs = {source["secretRef"]["name"] for c in spec["containers"]
                       for source in c["envFrom"] if "secretRef" in source}
        assert secret_refs == {"werktop-from-vault"}, name


# --- configuration ------------------------------------------------------------------------------

def test_settings_come_from_the_configmap_and_the_secret(default):
    config = of_kind(default, "ConfigMap")[f"{RELEASE}-config"]["data"]
    assert config["PLATFORM_DOMAIN"] == "werktop.example"
    assert config["ALLOWED_HOSTS"] == "werktop.example,.werktop.example"
    assert config["LOG_FORMAT"] == "json"
    assert config["DJANGO_SETTINGS_MODULE"] == "werktop.settings.production"
    assert config["MEDIA_ROOT"] == "/data/media"
    secret = of_kind(default, "Secret")[f"{RELEASE}-secrets"]
    assert set(secret["data"]) == {"SECRET_KEY"}  # nothing else is set by default
    assert not set(secret["data"]) & set(config)
    names = {**of_kind(default, "ConfigMap"), **of_kind(default, "Secret")}
    for name, spec in pod_specs(default):
        for c in spec["containers"]:
            for source in c["envFrom"]:
                ref = source.get("configMapRef") or source.get("secretRef")
                assert ref["name"] in names, name


def test_pods_roll_when_the_settings_change():
    def checksums(values: dict[str, Any]) -> dict[str, dict[str, str]]:
        return {name: {k: v for k, v in doc["spec"]["template"]["metadata"]["annotations"].items()
                       if k.startswith("checksum/")}
                for name, doc in of_kind(render(values), "Deployment").items()}

    key = "k" * 50
    before = checksums({"secrets": {"env": {"SECRET_KEY": key}}})
    same = checksums({"secrets": {"env": {"SECRET_KEY": key}}})
    config_changed = checksums({"secrets": {"env": {"SECRET_KEY": key}},
                                "config": {"logLevel": "WARNING"}})
    secret_changed = checksums({"secrets": {"env": {"SECRET_KEY": key,
                                                    "SENTRY_DSN": "https://k@sentry.example/1"}}})
    assert same == before
    assert len(before) == 5  # web, three workers, beat
    for name in before:
        assert config_changed[name]["checksum/config"] != before[name]["checksum/config"]
        assert config_changed[name]["checksum/secret"] == before[name]["checksum/secret"]
        assert secret_changed[name]["checksum/secret"] != before[name]["checksum/secret"]


# --- ingress, budgets, storage -------------------------------------------------------------------

def test_ingress_routes_the_apex_the_wildcard_and_custom_hosts(default, alternative):
    (ingress,) = of_kind(default, "Ingress").values()
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == ["werktop.example", "*.werktop.example"]
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [{"secretName": "werktop-wildcard-tls",
                                       "hosts": ["werktop.example", "*.werktop.example"]}]
    for rule in ingress["spec"]["rules"]:
        (path,) = rule["http"]["paths"]
        assert path["backend"]["service"] == {"name": f"{RELEASE}-web", "port": {"number": 80}}

    (ingress,) = of_kind(alternative, "Ingress").values()
    custom = ["werk.zoetermeer.nl", "werkgevers.hilversum.nl", "werktop.zaanstad.nl"]
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == [
        "werktop.nl", "*.werktop.nl", *custom]
    tls_hosts = {host: tls["secretName"] for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    assert tls_hosts["werk.zoetermeer.nl"] == "werk-zoetermeer-nl-tls"
    assert ingress["spec"]["ingressClassName"] == "traefik"
    config = of_kind(alternative, "ConfigMap")[f"{RELEASE}-config"]["data"]
    assert config["ALLOWED_HOSTS"].split(",") == ["werktop.nl", ".werktop.nl", *custom]


def test_disruption_budgets_for_web_and_every_worker(default):
    pdbs = of_kind(default, "PodDisruptionBudget")
    assert set(pdbs) == {f"{RELEASE}-web", *(f"{RELEASE}-worker-{q}" for q in QUEUES)}
    deployments = of_kind(default, "Deployment")
    for name, pdb in pdbs.items():
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        budget = pdb["spec"].get("minAvailable", pdb["spec"].get("maxUnavailable"))
        assert budget == 1
    # The web budget leaves room to evict one pod even at the autoscaler's minimum (a node drain
    # must not hang), and the Deployment's pods stay ready during a rollout.
    hpa = of_kind(default, "HorizontalPodAutoscaler")[f"{RELEASE}-web"]
    assert pdbs[f"{RELEASE}-web"]["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]


def test_media_is_shared_storage_mounted_in_web_and_workers(default, alternative):
    (claim,) = of_kind(default, "PersistentVolumeClaim").values()
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    assert claim["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    for documents, claim_name in ((default, claim["metadata"]["name"]),
                                  (alternative, "werktop-media-nfs")):
        for name, spec in pod_specs(documents):
            claims = {v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]
                      if "persistentVolumeClaim" in v}
            mounts = {m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
            wants_media = "-web" in name or "-worker-" in name
            assert claims == ({claim_name} if wants_media else set()), name
            assert ("/data/media" in mounts) == wants_media, name
    assert of_kind(alternative, "PersistentVolumeClaim") == {}


def test_other_switches_still_render_valid_kubernetes():
    documents = render({
        "media": {"enabled": False},
        "ingress": {"enabled": False},
        "topologySpread": {"enabled": False},
        "serviceAccount": {"create": False, "name": "werktop-runtime"},
        "migrations": {"processes": 0},
        "workers": {"urgent": {"pdb": {"enabled": False}}},
        "metrics": {"scrapeAnnotations": False},
    })
    for doc in documents:
        strictly_valid(doc)
    assert not of_kind(documents, "PersistentVolumeClaim")
    assert not of_kind(documents, "Ingress")
    assert not of_kind(documents, "ServiceAccount")
    for name, spec in pod_specs(documents):
        # A ServiceAccount made outside the chart exists before the hook, so the Job uses it too.
        assert spec["serviceAccountName"] == "werktop-runtime", name
        assert [v["name"] for v in spec["volumes"]] == ["tmp"], name
    (job,) = of_kind(documents, "Job").values()
    assert "MIGRATE_PROCESSES" not in env_of(container(job))
    assert f"{RELEASE}-worker-urgent" not in of_kind(documents, "PodDisruptionBudget")


# --- every container -----------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["default", "alternative"])
def test_every_container_has_resources_and_runs_locked_down(which, request):
    documents = request.getfixturevalue(which)
    specs = dict(pod_specs(documents))
    assert len(specs) == 6  # web, three workers, beat, migrate
    for name, spec in specs.items():
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        volumes = {v["name"]: v for v in spec["volumes"]}
        assert "emptyDir" in volumes["tmp"], name
        for c in spec["containers"]:
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][part]), (name, part)
            context = c["securityContext"]
            assert context["runAsNonRoot"] is True, name
            assert context["runAsUser"] == 10001, name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"], name  # noqa: S108
    for account in of_kind(documents, "ServiceAccount").values():
        assert account["automountServiceAccountToken"] is False


# --- values refused before anything reaches a cluster ---------------------------------------------

@pytest.mark.parametrize(("values", "where"), [
    ({"beat": {"replicas": 2}}, "/beat/replicas"),
    ({"platformDomain": None}, "missing property 'platformDomain'"),
    ({"platformDomain": ""}, "/platformDomain"),
    ({"platformDomain": "https://werktop.nl"}, "/platformDomain"),
    ({"platformDomain": "*.werktop.nl"}, "/platformDomain"),
    ({"workers": {"reports": {"replicas": 1}}}, "invalid propertyName 'reports'"),
    ({"workers": {"urgent": {"resources": {"limits": None}}}}, "/workers/urgent/resources"),
    ({"web": {"resources": {"requests": {"cpu": "lots"}}}}, "/web/resources/requests/cpu"),
    ({"web": {"autoscaling": {"minReplicas": 0}}}, "/web/autoscaling/minReplicas"),
    ({"securityContext": {"uid": 0}}, "/securityContext/uid"),
    ({"secrets": {"env": {"SECRET_KEY": "too-short"}}}, "/secrets/env/SECRET_KEY"),
    ({"secrets": {"env": {"DATABASE_URL": "mysql://db/werktop"}}}, "/secrets/env/DATABASE_URL"),
    ({"ingress": {"customHosts": [{"host": "werk.zoetermeer.nl"}]}}, "/ingress/customHosts/0"),
    ({"config": {"extra": {"PLATFORM_DOMAIN": "elsewhere.nl"}}}, "'PLATFORM_DOMAIN'"),
    ({"config": {"logFormat": "xml"}}, "/config/logFormat"),
    ({"webb": {"replicas": 2}}, "'webb' not allowed"),
], ids=lambda value: repr(value)[:60])
def test_the_schema_refuses_bad_values(values, where):
    with helm_python.Chart.load(CHART) as chart:
        with pytest.raises(helm_python.HelmValuesError) as refused:
            chart.validate_schema(values)  # the overrides, coalesced with the defaults
        assert where in str(refused.value)
        # helm install/upgrade/template refuse them the same way, before rendering anything.
        with pytest.raises(helm_python.HelmValuesError, match="schema"):
            chart.render(values, name=RELEASE, namespace=NAMESPACE)


def test_the_schema_accepts_the_shipped_and_alternative_values():
    with helm_python.Chart.load(CHART) as chart:
        chart.validate_schema({})
        chart.validate_schema(ALTERNATIVE_VALUES)


@pytest.mark.parametrize(("values", "message"), [
    ({"web": {"autoscaling": {"minReplicas": 5, "maxReplicas": 3}}}, "larger than maxReplicas"),
    ({"ingress": {"customHosts": [{"host": "zoetermeer.werktop.example",
                                   "tlsSecretName": "x"}]}}, "already covered"),
    ({"web": {"autoscaling": {"enabled": False}, "replicas": 1}}, "would block every node drain"),
    ({"workers": {"default": {"pdb": {"minAvailable": 1}}}}, "would block every node drain"),
])
def test_values_that_contradict_each_other_fail_the_render(values, message):
    with helm_python.Chart.load(CHART) as chart:
        with pytest.raises(helm_python.HelmError, match=message):
            chart.render(values, name=RELEASE, namespace=NAMESPACE)
