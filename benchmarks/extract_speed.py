"""Time `newsdesk extract DIR` against calling trafilatura alone on the same HTML pages.

Both run as fresh processes (interpreter start and imports included), best of
N runs each, on the dev extraction pages (Scrapinghub and modern) when ../shared is
present, else on the demo corpus's pages copied many times. Prints the times and the ratio.

    python benchmarks/extract_speed.py [--pages DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_SETS = ROOT.parent / "shared" / "data" / "dev" / "extraction"
TARGET_RATIO = 1.3


def trafilatura_alone(directory: Path) -> int:
    """The baseline: read each page, call trafilatura.extract, write the text."""
    import trafilatura

    count = 0
    with open("/dev/null", "w", encoding="utf-8") as sink:
        for path in sorted(directory.glob("*.html")):
            text = trafilatura.extract(path.read_text(encoding="utf-8", errors="replace"), include_comments=False)
            sink.write(json.dumps({"id": path.stem, "text": text}) + "\n")
            count += 1
    return count


def _prepare(pages: Path | None, workdir: Path) -> Path:
    out = workdir / "pages"
    out.mkdir()
    sources = [pages] if pages is not None else sorted(DEV_SETS.glob("*/html")) if DEV_SETS.is_dir() else []
    for source in sources:
        for src in sorted(source.iterdir()):
            name = f"{source.parent.name}-{src.name}"
            if src.name.endswith(".html.gz"):
                (out / name[:-3]).write_bytes(gzip.decompress(src.read_bytes()))
            elif src.suffix in (".html", ".htm"):
                shutil.copy(src, out / name)
    if not sources:  # no dev set: the demo pages, 20 copies each under different names
        for src in sorted((ROOT / "demo" / "corpus").glob("*.html")):
            for i in range(20):
                (out / f"{src.stem}-{i}.html").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def _best(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, help="directory of .html or .html.gz pages")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_only:
        trafilatura_alone(args.baseline_only)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        pages = _prepare(args.pages, Path(tmp))
        count = len(list(pages.glob("*.html")))
        newsdesk = [str(Path(sys.executable).with_name("newsdesk")), "extract", str(pages), "--out", "/dev/null"]
        single = [*newsdesk, "--jobs", "1"]
        baseline = [sys.executable, __file__, "--baseline-only", str(pages)]
        t_base = _best(baseline, args.runs)
        t_news = _best(newsdesk, args.runs)
        t_single = _best(single, args.runs)
    result = {
        "pages": count,
        "trafilatura_alone_s": round(t_base, 2),
        "newsdesk_extract_s": round(t_news, 2),
        "newsdesk_extract_one_process_s": round(t_single, 2),
        "ratio": round(t_news / t_base, 2),
        "ratio_one_process": round(t_single / t_base, 2),
        "target": TARGET_RATIO,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
