"""`kruise-render diff` on real git repositories (git is run, never mocked)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SIDECARSET = """\
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: log-agent
spec:
  selector:
    matchLabels:
      logs: "on"
  containers:
    - name: log-agent
      image: registry.example.com/infra/log-agent:{tag}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}{logs}}}
    spec:
      containers:
        - name: main
          image: registry.example.com/{name}:1.0
"""

SUMMARY = "SidecarSet log-agent: image 2.1 → 2.2 rolls 14 workloads (41 pods) in 3 namespaces"


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(repo), "PATH": "/usr/bin:/bin",
           "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def fleet(repo: Path, tag: str) -> None:
    """A SidecarSet and 14 labelled workloads with 41 replicas in 3 namespaces, plus one without."""
    apps = repo / "apps"
    apps.mkdir(exist_ok=True)
    (apps / "sidecarset.yaml").write_text(SIDECARSET.format(tag=tag))
    docs = [DEPLOYMENT.format(name=f"app-{i:02d}", namespace=("shop", "payments", "search")[i % 3],
                              replicas=2 if i == 13 else 3, logs=", logs: \"on\"") for i in range(14)]
    docs.append(DEPLOYMENT.format(name="quiet", namespace="shop", replicas=5, logs=""))
    (apps / "workloads.yaml").write_text("---\n".join(docs))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits on main: log-agent 2.1, then 2.2."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    fleet(root, "2.1")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "log-agent 2.1")
    fleet(root, "2.2")
    git(root, "commit", "-qam", "log-agent 2.2")
    return root


def test_base_head_1_prints_the_summary_line_with_the_right_counts(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD~1", "--no-color", "apps", cwd=repo)
    assert result.code == 1, result.err
    assert SUMMARY in result.out.splitlines()
    assert "0 added, 0 removed, 14 changed, 1 unchanged; 14 rollouts (41 pods)" in result.out
    assert result.out.splitlines()[0].startswith("kruise-render diff: HEAD~1 (")


def test_markdown_parses_as_a_table(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD~1", "--format", "markdown", "apps", cwd=repo)
    assert result.code == 1, result.err
    tokens = MarkdownIt("commonmark").enable("table").parse(result.out)
    types = [t.type for t in tokens]
    assert types.count("table_open") == 1
    table = tokens[types.index("table_open"):types.index("table_close")]
    cells = [t.content for t in table if t.type == "inline"]
    assert cells[:4] == ["Change", "Object", "Effect", "Why"]
    rows = [cells[i:i + 4] for i in range(4, len(cells), 4)]
    assert len(rows) == 14
    assert all(row[3] == "SidecarSet log-agent" and row[2].startswith("rollout of ") for row in rows)
    assert {row[1] for row in rows} == {f"Deployment {ns}/app-{i:02d}" for i in range(14)
                                         for ns in [("shop", "payments", "search")[i % 3]]}
    bullets = [t.content for t in tokens if t.type == "inline" and t.content.startswith("SidecarSet log-agent:")]
    assert bullets == [SUMMARY]


def test_default_base_is_the_merge_base_with_main(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    fleet(repo, "2.3")
    git(repo, "commit", "-qam", "log-agent 2.3 on a branch")
    result = run_cli("diff", "--no-color", "apps", cwd=repo)
    assert result.code == 1, result.err
    assert "merge base with main" in result.out.splitlines()[0]
    assert "SidecarSet log-agent: image 2.1 → 2.3 rolls 14 workloads (41 pods) in 3 namespaces" in result.out


def test_working_tree_against_head_touches_neither_work_tree_nor_index(repo: Path) -> None:
    fleet(repo, "2.4")
    status, index = git(repo, "status", "--porcelain"), (repo / ".git" / "index").read_bytes()
    result = run_cli("diff", "--base", "HEAD", "--no-color", "apps", cwd=repo)
    assert result.code == 1, result.err
    assert "image 2.2 → 2.4" in result.out
    assert git(repo, "status", "--porcelain") == status and (repo / ".git" / "index").read_bytes() == index
    assert "2.4" in (repo / "apps" / "sidecarset.yaml").read_text()


def test_two_revisions_and_no_differences(repo: Path) -> None:
    both = run_cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--no-color", "apps", cwd=repo)
    assert both.code == 1 and SUMMARY in both.out
    same = run_cli("diff", "--base", "HEAD", "--no-color", "apps", cwd=repo)
    assert same.code == 0, same.err
    assert "no differences (15 objects unchanged)" in same.out


def test_from_a_subdirectory_paths_are_relative_to_it(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD~1", "--no-color", ".", cwd=repo / "apps")
    assert result.code == 1, result.err
    assert SUMMARY in result.out


def test_json_follows_the_documented_schema(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD~1", "--format", "json", "apps", cwd=repo)
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert (data["apiVersion"], data["kind"]) == ("kruise-render.io/v1alpha1", "KruiseRenderDiff")
    assert data["summary"] == {"added": 0, "removed": 0, "changed": 14, "unchanged": 1, "rollouts": 14, "pods": 41,
                               "everyNode": 0, "needsReplace": 0}
    [cause] = data["causes"]
    assert cause["line"] == SUMMARY and cause["kind"] == "SidecarSet" and len(cause["objects"]) == 14
    assert cause["fields"] == [{"path": "spec.containers[name=log-agent].image", "change": "changed",
                                "base": "registry.example.com/infra/log-agent:2.1",
                                "head": "registry.example.com/infra/log-agent:2.2"}]
    first = data["objects"][0]
    assert set(first) == {"apiVersion", "kind", "namespace", "name", "target", "change", "effect", "rollout", "replicas",
                          "metadataOnly", "needsReplace", "ownChange", "causes", "fields"}
    assert first["rollout"]["rolls"] is True and first["causes"] == [
        {"group": "apps.kruise.io", "kind": "SidecarSet", "namespace": None, "name": "log-agent"}]


def test_a_render_error_names_its_side(repo: Path) -> None:
    (repo / "apps" / "sidecarset.yaml").write_text(SIDECARSET.format(tag="2.5").replace("containers:", "containers: 3\n  x:"))
    result = run_cli("diff", "--base", "HEAD~1", "--no-color", "apps", cwd=repo)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("head (working tree): apps/sidecarset.yaml:")
    assert "cannot compare: the head side does not render" in result.err


def test_path_added_on_the_head_side_is_all_added(repo: Path) -> None:
    (repo / "more").mkdir()
    (repo / "more" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n")
    result = run_cli("diff", "--base", "HEAD", "--no-color", "more", cwd=repo)
    assert result.code == 1, result.err
    assert "+ ConfigMap shop/c" in result.out
    missing = run_cli("diff", "--base", "HEAD", "--no-color", "nowhere", cwd=repo)
    assert missing.code == 2 and "nowhere: no such file or directory on either side" in missing.err


def test_file_options_are_read_from_the_side(tmp_path: Path) -> None:
    """--nodes names a file of the repository: the base side reads it at the base revision."""
    repo = tmp_path / "repo"
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "broadcastjob" / "nodes"
    shutil.copytree(fixture, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two nodes")
    with (repo / "nodes.yaml").open("a") as nodes:
        nodes.write("---\napiVersion: v1\nkind: Node\nmetadata: {name: worker-9, labels: {disk: ssd}}\n")
    result = run_cli("diff", "--base", "HEAD", "--no-color", "--nodes", "nodes.yaml", "input.yaml", cwd=repo)
    assert result.code == 1, result.err
    assert "+ Job ops/warm-cache-worker-9" in result.out


def test_context_is_read_from_each_side(tmp_path: Path) -> None:
    """--context names a directory of the repository: a platform SidecarSet changed in the pull
    request shows as a change of the workloads it is injected into, not of the SidecarSet."""
    repo = tmp_path / "repo"
    shutil.copytree(Path(__file__).resolve().parents[2] / "fixtures" / "context" / "platform", repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "platform")
    sidecarsets = repo / "context" / "sidecarsets.yaml"
    sidecarsets.write_text(sidecarsets.read_text().replace("fluent-bit:3.1.4", "fluent-bit:3.2.0"))
    result = run_cli("diff", "--base", "HEAD", "--no-color", "--format", "json", "--context", "context", "-n", "shop",
                     "input", cwd=repo)
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert report["summary"]["changed"] == 2 and report["summary"]["added"] == report["summary"]["removed"] == 0
    assert {(o["kind"], o["name"]) for o in report["objects"]} == {("Deployment", "web"), ("Deployment", "cart")}
    assert [c["name"] for c in report["causes"]] == ["log-agent"]


@pytest.mark.parametrize(("args", "message"), [
    (["--base", "--upload-pack=touch"], "not a git revision"),
    (["--base", "no-such-rev"], "unknown git revision 'no-such-rev'"),
    (["--base", "HEAD", "../outside"], "outside the git repository"),
    (["--base", "HEAD", "--base-dir", "apps"], "--base and --base-dir exclude each other"),
])
def test_bad_arguments_exit_2(repo: Path, args: list[str], message: str) -> None:
    (repo.parent / "outside").mkdir(exist_ok=True)
    result = run_cli("diff", *args, cwd=repo)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_outside_a_repository_without_base_dir_says_what_to_do(tmp_path: Path) -> None:
    result = run_cli("diff", ".", cwd=tmp_path, env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.code == 2
    assert "not in a git repository" in result.err and "--base-dir" in result.err


def test_without_paths_every_target_is_compared(repo: Path) -> None:
    (repo / ".kruise-render.yaml").write_text(
        "targets:\n"
        "  - {source: apps, output: rendered/prod.yaml}\n"
        "  - {source: apps, output: rendered/old.yaml, args: [--exclude-namespaces=shop]}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "targets")
    result = run_cli("diff", "--base", "HEAD~2", "--no-color", cwd=repo)
    assert result.code == 1, result.err
    assert "~ [rendered/prod.yaml] Deployment shop/app-00" in result.out
    assert "[rendered/old.yaml] Deployment shop/app-00" not in result.out  # shop excluded: no sidecar there
    assert "~ [rendered/old.yaml] Deployment payments/app-01" in result.out
    options = run_cli("diff", "--base", "HEAD~2", "--allow-lossy", cwd=repo)
    assert options.code == 2 and "render options come from each target's args" in options.err


def test_the_documented_pre_push_hook_reports_and_lets_the_push_through(repo: Path, tmp_path: Path) -> None:
    """The snippet of docs/integrations.md, run by real pre-commit on a feature branch."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extra)")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "integrations.md").read_text()
    section = docs[docs.index("### pre-commit\n\n`diff` compares"):]
    snippet = section[section.index("# .pre-commit-config.yaml"):section.index("```", section.index("# .pre-commit"))]
    (repo / ".pre-commit-config.yaml").write_text(snippet)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    git(repo, "checkout", "-q", "-b", "feature")
    fleet(repo, "2.3")
    git(repo, "commit", "-qam", "log-agent 2.3")
    bin_dir = str(Path(sys.executable).parent)  # the kruise-render of this environment, as `language: system` finds it
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    hook = [sys.executable, "-m", "pre_commit", "run", "kruise-render-diff", "--hook-stage", "pre-push", "--all-files"]
    proc = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SidecarSet log-agent: image 2.2 → 2.3 rolls 14 workloads (41 pods) in 3 namespaces" in proc.stdout
