"""The shipped workflows: pull-request jobs read-only and without secrets, publishing only
from main, and the comment posted without running anything from the pull request."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
READ_ONLY = {"read", "none"}


def load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.get("on", workflow.pop(True, None))  # YAML 1.1 reads on: as True
    return workflow


def steps_text(job: dict[str, Any]) -> str:
    return yaml.safe_dump(job["steps"])


def test_pull_requests_run_only_read_only_jobs_without_secrets() -> None:
    workflow = load("frameworks.yml")
    assert "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {}
    review = workflow["jobs"]["review"]
    assert review["if"] == "github.event_name == 'pull_request'"
    assert set(review["permissions"].values()) <= READ_ONLY, review["permissions"]
    assert "secrets." not in steps_text(review)
    assert "github.token" not in steps_text(review)
    checkout = next(step for step in review["steps"]
                    if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False


def test_no_value_of_the_pull_request_is_pasted_into_a_script() -> None:
    review = load("frameworks.yml")["jobs"]["review"]
    for step in review["steps"]:
        pasted = re.findall(r"\$\{\{\s*([^}]+?)\s*\}\}", step.get("run", ""))
        assert set(pasted) <= {"github.event.pull_request.number"}, (step["name"], pasted)


def test_only_a_push_to_main_publishes() -> None:
    workflow = load("frameworks.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    writers = {name for name, job in workflow["jobs"].items()
               if set((job.get("permissions") or {}).values()) - READ_ONLY}
    assert writers == {"publish"}
    publish = workflow["jobs"]["publish"]
    assert publish["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert publish["permissions"] == {"contents": "write"}
    assert "careers publish --push" in steps_text(publish)


def test_the_comment_never_checks_out_or_runs_the_pull_request() -> None:
    workflow = load("frameworks-comment.yml")
    assert workflow["on"] == {"workflow_run": {"workflows": ["Career frameworks"],
                                               "types": ["completed"]}}
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    uses = [step.get("uses", "") for step in job["steps"]]
    assert not any(use.startswith("actions/checkout") for use in uses)
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "careers" not in script and "pip " not in script and "--body-file" in script
    assert "headRefOid" in script  # the number from the artifact is checked
