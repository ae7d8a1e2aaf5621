"""Fuzz config files: whatever a user writes in `.outreach-lint.toml`, loading it and linting
with it either works or raises a `ConfigError` / `PackError` naming the problem; never an
internal error (the CLI would say "please report", and `sendmail --fail-open` must not treat
a user's mistake as the linter's).

    python fuzz/fuzz_config.py fuzz/corpus-config fuzz/seeds/config -max_total_time=60

Inputs are raw bytes written as the config file (TOML or not, UTF-8 or not), or a config
built from the fuzzer's choices: known keys with values of every TOML type, `[rules.*]`
tables, and `extends` chains of up to 1,500 files.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["outreach_lint"]):
    import outreach_lint as ol
    from outreach_lint.config import load_config

DRAFT = "Hi Dana,\n\nAre you hiring? Could we talk for 20 minutes?\n\nBest,\nSam"
KEYS = ("extends", "packs", "select", "ignore", "profile", "fail-under", "fail_under",
        "fail-on", "model", "max-chars", "max_chars", "rules", "nonsense", "tool")
VALUES = ('"ALL"', '["ALL"]', "[]", '["job-ask"]', '["framing", "tone"]', "5", "-1", "101",
          "1000", "1000000", "1000001", "3.5", "true", '"strict"', '"default"', '"nope"',
          '"error"', '"warning"', '"base.toml"', '["base.toml"]', '["informational-interview"]',
          "[5]", '[["a"]]', "{}", '{ severity = "info" }', '"\\u0000"', '"./no-pack"',
          '["./no-pack"]', "1979-05-27", '""', '"' + "x" * 300 + '"')
RULE_KEYS = ("severity", "words-warning", "words-error", "unknown-option")

WORK = Path(tempfile.mkdtemp(prefix="fuzz-config-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


def _built(fdp: atheris.FuzzedDataProvider, folder: Path) -> Path:
    lines = []
    for _ in range(fdp.ConsumeIntInRange(0, 8)):
        key = KEYS[fdp.ConsumeIntInRange(0, len(KEYS) - 1)]
        lines.append(f"{key} = {VALUES[fdp.ConsumeIntInRange(0, len(VALUES) - 1)]}")
    for _ in range(fdp.ConsumeIntInRange(0, 3)):
        rule = ("job-ask", "too-long", "no-such-rule")[fdp.ConsumeIntInRange(0, 2)]
        lines.append(f"[rules.{rule}]")
        key = RULE_KEYS[fdp.ConsumeIntInRange(0, len(RULE_KEYS) - 1)]
        lines.append(f"{key} = {VALUES[fdp.ConsumeIntInRange(0, len(VALUES) - 1)]}")
    depth = fdp.ConsumeIntInRange(0, 1500) if fdp.ConsumeBool() else 0
    head = folder / ".outreach-lint.toml"
    if depth:
        loop = fdp.ConsumeBool()
        for i in range(depth):
            target = "c0.toml" if loop and i == depth - 1 else f"c{i + 1}.toml"
            (folder / f"c{i}.toml").write_text(f'extends = ["{target}"]\n')
        (folder / f"c{depth}.toml").write_text("\n".join(lines) + "\n")
        head.write_text('extends = ["c0.toml"]\n')
    else:
        head.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    (folder / "base.toml").write_text('select = ["ALL"]\n')
    return head


def one_input(data: bytes) -> None:
    folder = WORK / "case"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    if data[:1] == b"\x00":
        path = _built(atheris.FuzzedDataProvider(data[1:]), folder)
    else:
        path = folder / ".outreach-lint.toml"
        path.write_bytes(data)
    try:
        cfg = load_config(path)
        ol.lint(DRAFT, config=cfg)
    except (ol.ConfigError, ol.PackError):
        pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
