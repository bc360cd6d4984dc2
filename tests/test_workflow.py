"""The GitHub Pages workflow: valid against the workflow schema, clean for zizmor,
and wired the way the site needs (base URL from Pages, `_site` uploaded)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKFLOWS = ROOT / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(PAGES.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step_using(workflow: dict, job: str, action: str) -> dict:
    found = [s for s in steps(workflow, job) if s.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"job {job} should use {action} exactly once"
    return found[0]


def test_workflow_matches_the_schema() -> None:
    result = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(PAGES),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    # The default ("regular") persona, offline: no finding of any severity is allowed.
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(result.stdout or "[]")
    summary = [
        f"{f.get('ident')} ({f.get('determinations', {}).get('severity')}): {f.get('desc')}"
        for f in findings
    ]
    assert not findings, "zizmor findings:\n" + "\n".join(summary)
    assert result.returncode == 0, result.stderr


def test_triggers_and_concurrency(workflow: dict) -> None:
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_permissions_are_minimal(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_actions_are_pinned_to_commits(workflow: dict) -> None:
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{name}: {step['uses']} is not pinned"


def test_checkout_does_not_keep_credentials(workflow: dict) -> None:
    checkout = step_using(workflow, "build", "actions/checkout")
    assert checkout["with"]["persist-credentials"] is False


def test_build_passes_the_pages_base_url(workflow: dict) -> None:
    configure = step_using(workflow, "build", "actions/configure-pages")
    assert configure["id"] == "pages"
    builds = [s for s in steps(workflow, "build") if "build.py build" in s.get("run", "")]
    assert len(builds) == 1, "the build job should run `build.py build` once"
    step = builds[0]
    match = re.search(r'--base-url "\$\{?(\w+)\}?/"', step["run"])
    assert match, f"build.py gets no --base-url from a variable: {step['run']!r}"
    variable = match.group(1)
    assert step["env"][variable].replace(" ", "") == "${{steps.pages.outputs.base_url}}"
    # Expressions go through the environment, never straight into a script.
    for each in steps(workflow, "build"):
        assert "${{" not in each.get("run", ""), f"expression inside run: {each['run']!r}"
    names = [s.get("id") or s.get("uses") or s.get("run") for s in steps(workflow, "build")]
    assert names.index("pages") < names.index(step.get("id") or step["run"])


def test_uploads_the_built_site(workflow: dict) -> None:
    upload = step_using(workflow, "build", "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_site"


def test_deploy_job(workflow: dict) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    step = step_using(workflow, "deploy", "actions/deploy-pages")
    assert deploy["environment"]["url"].replace(" ", "") == (
        "${{steps." + step["id"] + ".outputs.page_url}}"
    )
