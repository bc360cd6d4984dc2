"""Faults: a build killed at any moment, a read-only folder, a full disk, two builds at once.

A build runs in a subprocess under an audit hook (sys.addaudithook) that counts the
operations that change the disk (opening a file for writing, mkdir, rename, remove,
chmod, calls through ctypes such as renameat2) and, at the N-th one, either kills the
process with SIGKILL or makes the operation fail with an errno (EROFS, ENOSPC). So every
step of the write can be hit on purpose, not by luck. After each kill the output folder
must hold exactly the old site or exactly the new one (compared as sets of file hashes),
and the next build must give the new site.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from revue.lock import BuildLocked, build_lock, lock_path

REPO = Path(__file__).resolve().parents[1]

DRIVER = textwrap.dedent(
    """
    import errno, os, runpy, signal, sys
    mode, target, code = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    WRITES = {"os.rename", "os.mkdir", "os.rmdir", "os.remove", "os.unlink", "shutil.rmtree",
              "os.chmod", "os.truncate", "ctypes.call_function", "os.link", "os.symlink"}
    count = 0
    seen = []

    def writes(event, args):
        if event in WRITES:
            return True
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            if os.fsdecode(args[0]) == os.devnull:  # a child process's unused stream
                return False
            mode, flags = args[1], args[2] or 0
            return bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)) or any(
                c in str(mode or "") for c in "wax+")
        return False

    def hook(event, args):
        global count
        if not writes(event, args):
            return
        count += 1
        seen.append(event)
        if mode == "kill" and count == target:
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "fail" and count >= target:
            number = getattr(errno, code)
            raise OSError(number, os.strerror(number))

    sys.addaudithook(hook)
    sys.argv = ["build.py", *sys.argv[4:]]
    try:
        runpy.run_path("build.py", run_name="__main__")
    finally:
        print("steps: " + " ".join(seen), file=sys.stderr)
        print(f"write operations: {count}", file=sys.stderr)
    """
)


def _article(title: str, body: str = "Un texte sur Sora et les studios d’Hollywood.") -> str:
    return f"---\ntitle: {title}\ndate: 2024-03-25\nsource: Le Monde\n---\n\n{body}\n"


@pytest.fixture
def site(project):
    """A project with two articles built once; `new()` edits it and returns the new site's
    hashes (built elsewhere), `hashes()` reads the output folder."""
    for name in ("a", "b"):
        project.write(f"content/articles/2024-03-25-{name}.md", _article(f"Ancien {name}"))
    (project.root / "build.py").write_text("from revue.cli import main\nraise SystemExit(main())\n")
    (project.root / "driver.py").write_text(DRIVER)
    project.output = project.root / "_site"
    assert _run(project.root, "build").returncode == 0
    project.old = _hashes(project.output)
    project.saved = project.root.parent / "saved"
    shutil.copytree(project.output, project.saved)

    def new() -> dict[str, str]:
        project.write("content/articles/2024-03-25-a.md", _article("Nouveau a", "Autre texte."))
        project.write("content/articles/2024-03-25-c.md", _article("Nouveau c"))
        (project.root / "content" / "articles" / "2024-03-25-b.md").unlink()
        other = project.root.parent / "elsewhere"
        assert _run(project.root, "build", "--output", str(other)).returncode == 0
        return _hashes(other)

    project.new = new
    project.hashes = lambda: _hashes(project.output)
    return project


def _run(root: Path, *args: str, driver: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    command = (
        [sys.executable, "driver.py", *driver, *args]
        if driver
        else [sys.executable, "build.py", *args]
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120, env=env)


def _hashes(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _restore(site) -> None:
    """Put the old site back and remove what a killed build left beside it."""
    for path in site.root.iterdir():
        if path.name.startswith("._site.") or path.name == "_site":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.copytree(site.saved, site.output)


def _steps(site) -> list[str]:
    """The write operations of a whole build, in order (audit event names)."""
    done = _run(site.root, "build", driver=("count", "0", "-"))
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-2].removeprefix("steps: ").split()


def _operations(site) -> int:
    """How many write operations a whole build makes."""
    return len(_steps(site))


def _kill_points(steps: list[str]) -> list[int]:
    """The first and last steps, every rename, chmod, truncate or ctypes call (renameat2)
    and every removal up to the last swap, and four steps spread evenly; every step with
    FAULTS_EVERY_STEP=1."""
    if os.environ.get("FAULTS_EVERY_STEP") == "1":
        return list(range(1, len(steps) + 1))
    swaps = [
        n for n, event in enumerate(steps, 1) if event in ("os.rename", "ctypes.call_function")
    ]
    last_swap = max(swaps, default=len(steps))
    critical = {
        n
        for n, event in enumerate(steps, 1)
        if event in ("os.rename", "ctypes.call_function", "os.chmod", "os.truncate")
        or (event in ("os.rmdir", "os.remove", "shutil.rmtree") and n <= last_swap + 1)
    }
    spread = set(range(1, len(steps) + 1, max(1, len(steps) // 4)))
    return sorted({1, len(steps), *critical, *spread})


def test_a_build_killed_at_every_write_step_leaves_a_whole_site(site) -> None:
    new = site.new()
    assert new != site.old
    steps = _steps(site)
    total = len(steps)
    assert total > 10
    _restore(site)
    states = []
    points = _kill_points(steps)
    for step in points:
        done = _run(site.root, "build", driver=("kill", str(step), "-"))
        assert done.returncode == -signal.SIGKILL, (step, done.stderr)
        found = site.hashes()
        states.append("old" if found == site.old else "new" if found == new else "broken")
        _restore(site)
    broken = [step for step, state in zip(points, states, strict=True) if state == "broken"]
    assert broken == [], f"steps {broken} of {total} left a partial or missing site"
    assert states[0] == "old" and "new" in states


def test_the_build_after_a_killed_one_is_correct(site) -> None:
    new = site.new()
    total = _operations(site)
    _restore(site)
    for step in sorted(random.Random(8).sample(range(1, total + 1), 3)):
        killed = _run(site.root, "build", driver=("kill", str(step), "-"))
        assert killed.returncode == -signal.SIGKILL
        done = _run(site.root, "build")
        assert done.returncode == 0, (step, done.stderr)
        assert site.hashes() == new, step
        _restore(site)


def test_a_build_killed_at_random_moments_from_outside(site) -> None:
    new = site.new()
    started = time.monotonic()
    assert _run(site.root, "build").returncode == 0
    duration = time.monotonic() - started
    _restore(site)
    rng = random.Random(3)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
    for _ in range(4):
        process = subprocess.Popen(
            [sys.executable, "build.py"],
            cwd=site.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert site.hashes() in (site.old, new)
        assert _run(site.root, "build").returncode == 0
        assert site.hashes() == new
        _restore(site)


@pytest.mark.parametrize(
    ("code", "reason"), [("EROFS", "Read-only file system"), ("ENOSPC", "No space left on device")]
)
@pytest.mark.parametrize("where", ["first", "middle"])
def test_a_write_failure_gives_one_clear_line_and_keeps_the_old_site(site, code, reason, where):
    site.new()
    total = _operations(site)
    _restore(site)
    step = {"first": 1, "middle": total // 2}[where]
    done = _run(site.root, "build", driver=("fail", str(step), code))
    assert done.returncode == 1
    message = done.stderr.splitlines()[:-2]  # the driver's own lines come last
    assert message == [
        f"_site/: cannot write the site ({reason}); the previous site is left as it was."
    ], (step, done.stderr)
    assert site.hashes() == site.old
    assert _run(site.root, "build").returncode == 0


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str):
    """A real tmpfs of `size` at `folder`, or skip when this machine may not mount one."""
    folder.mkdir()
    if sys.platform != "linux" or shutil.which("mount") is None:
        pytest.skip("no mount command")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs is not allowed here (the simulated faults still ran)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_real_full_disk_and_a_real_read_only_folder(site, tmp_path) -> None:
    with _tmpfs(tmp_path / "disk", "400k") as disk:
        output = disk / "_site"
        assert _run(site.root, "build", "--output", str(output)).returncode == 0
        old = _hashes(output)
        (site.root / "static" / "big.bin").write_bytes(os.urandom(500_000))
        full = _run(site.root, "build", "--output", str(output))
        assert (full.returncode, full.stderr) == (
            1,
            f"{output}/: cannot write the site (No space left on device); "
            "the previous site is left as it was.\n",
        )
        assert _hashes(output) == old
        assert [p.name for p in disk.iterdir()] in (
            ["_site", "._site.lock"],
            ["._site.lock", "_site"],
        )
        (site.root / "static" / "big.bin").unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        site.write("content/articles/2024-03-25-a.md", _article("Encore a"))
        frozen = _run(site.root, "build", "--output", str(output))
        assert (frozen.returncode, frozen.stderr) == (
            1,
            f"{output}/: cannot write the site (Read-only file system); "
            "the previous site is left as it was.\n",
        )
        assert _hashes(output) == old


def test_a_second_build_waits_for_the_first_then_writes(site) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    new = site.new()
    with build_lock(site.output):
        assert lock_path(site.output) == site.root / "._site.lock"
        process = subprocess.Popen(
            [sys.executable, "build.py"],
            cwd=site.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert process.poll() is None  # waiting, not writing
        assert site.hashes() == site.old
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert err == f"Waiting for another build (process {os.getpid()}) to finish writing _site/…\n"
    assert site.hashes() == new
    assert not any(p.name == "._site.lock" for p in site.output.iterdir())


def test_a_second_build_that_waited_too_long_fails_clearly(site, run_cli, monkeypatch) -> None:
    monkeypatch.setattr("revue.cli.build_lock", functools.partial(build_lock, wait=0.3))
    with build_lock(site.output):
        code, out, err = run_cli(site, "build")
    assert (code, out) == (1, "")
    assert err == (
        f"Waiting for another build (process {os.getpid()}) to finish writing _site/…\n"
        f"_site/ is being written by another build (process {os.getpid()}); "
        "wait for it to finish, then build again\n"
    )
    assert site.hashes() == site.old


def test_the_lock_is_released_when_its_holder_is_killed(site) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from revue.lock import build_lock\n"
            "from pathlib import Path\nwith build_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(600)",
            str(site.output),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    with pytest.raises(BuildLocked), build_lock(site.output, wait=0.2):
        pass
    holder.kill()
    holder.wait()
    with build_lock(site.output, wait=5):
        pass


def test_two_builds_at_once_never_mix_their_sites(site) -> None:
    new = site.new()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(2):
        _restore(site)
        builds = [
            subprocess.Popen(
                [sys.executable, "build.py"],
                cwd=site.root,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for build in builds:
            build.wait(timeout=120)
            assert build.returncode == 0, build.stderr.read()
        assert site.hashes() == new


# --------------------------------------------------------------------------- editors' files


def test_new_never_overwrites_without_force_and_replaces_atomically(site, run_cli) -> None:
    path = site.root / "content" / "articles" / "2024-03-25-mon-titre.md"
    path.write_text("le travail de l’éditeur\n", encoding="utf-8")
    code, out, err = run_cli(site, "new", "Mon titre", "--date", "2024-03-25")
    assert (code, out, err) == (
        1,
        "",
        "content/articles/2024-03-25-mon-titre.md: already exists; pass --force to overwrite it\n",
    )
    assert path.read_text(encoding="utf-8") == "le travail de l’éditeur\n"
    steps = _run(
        site.root, "new", "Mon titre", "--date", "2024-03-25", "--force", driver=("count", "0", "-")
    )
    assert steps.returncode == 0
    path.write_text("le travail de l’éditeur\n", encoding="utf-8")
    events = steps.stderr.strip().splitlines()[-2].removeprefix("steps: ").split()
    for step in range(1, len(events) + 1):  # killed at any step: the old file or the new one
        killed = _run(
            site.root,
            "new",
            "Mon titre",
            "--date",
            "2024-03-25",
            "--force",
            driver=("kill", str(step), "-"),
        )
        assert killed.returncode == -signal.SIGKILL
        text = path.read_text(encoding="utf-8")
        assert text == "le travail de l’éditeur\n" or text.startswith("---\ntitle: Mon titre\n")
        path.write_text("le travail de l’éditeur\n", encoding="utf-8")
    code, out, _ = run_cli(site, "new", "Mon titre", "--date", "2024-03-25", "--force")
    assert code == 0 and path.read_text(encoding="utf-8").startswith("---\ntitle: Mon titre\n")
    visible = [p.name for p in path.parent.iterdir() if not p.name.startswith(".")]
    assert sorted(n for n in visible if "mon-titre" in n) == [path.name]  # temp files hidden


def test_import_never_overwrites_without_force(site, run_cli) -> None:
    pasted = REPO / "tests" / "fixtures" / "import" / "published.txt"
    target = site.root / "content" / "articles" / "mine.md"
    target.write_text("le travail de l’éditeur\n", encoding="utf-8")
    code, out, err = run_cli(site, "import", str(pasted), "--output", str(target))
    assert code == 1
    assert f"{target}: already exists; pass --force to overwrite it" in out + err
    assert target.read_text(encoding="utf-8") == "le travail de l’éditeur\n"
    code, _, _ = run_cli(site, "import", str(pasted), "--output", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("---\n")


def test_an_unreadable_article_is_a_path_error_of_the_build(
    site, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # chmod does not stop root: refuse the read
        if self.name == "2024-03-25-b.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    project = site
    project.write("content/articles/2024-03-25-b.md", _article("Nouveau b"))  # not cached
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = run_cli(project, "build")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == (
        "content/articles/2024-03-25-b.md: cannot be read (Permission denied): check it"
    )
    assert _hashes(project.output) == project.old
    monkeypatch.setattr(Path, "read_bytes", real)
    code, out, err = run_cli(project, "build")
    assert code == 0, err
    assert "Nouveau b" in (project.output / "articles/b/index.html").read_text()


def test_a_link_out_of_static_is_not_published(site, run_cli) -> None:
    project = site
    secret = project.root.parent / "secret.txt"
    secret.write_text("mot de passe")
    (project.root / "static" / "leak.txt").symlink_to(secret)
    (project.root / "static" / "inside.css").symlink_to(project.root / "static" / "style.css")
    code, _out, err = run_cli(project, "build")
    assert code == 0, err
    published = [p.name for p in (project.output / "static").iterdir()]
    assert not [name for name in published if name.startswith("leak")]
    assert [name for name in published if name.startswith("inside.")]
