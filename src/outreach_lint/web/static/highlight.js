// Highlights drawn in the mirror behind the textarea. Offsets are the API's UTF-16 ones
// (`utf16` in each response), which index a JavaScript string directly; the report's own
// spans count code points and would drift after every emoji.

const RANK = { error: 3, warning: 2, info: 1 };

export function worst(findings) {
  return findings.reduce((a, f) => (RANK[f.severity] > RANK[a] ? f.severity : a), "info");
}

// items: [{finding, span: {start, end}, index}] for findings with a non-empty span.
export function renderMirror(mirror, text, items) {
  const cuts = new Set([0, text.length]);
  for (const it of items) {
    cuts.add(it.span.start);
    cuts.add(it.span.end);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(a, b);
    const over = items.filter((it) => it.span.start <= a && b <= it.span.end);
    if (over.length === 0) {
      frag.append(piece);
      continue;
    }
    const mark = document.createElement("mark");
    mark.className = "hl sev-" + worst(over.map((it) => it.finding));
    mark.dataset.start = a;
    mark.dataset.end = b;
    mark.dataset.findings = over.map((it) => it.index).join(" ");
    mark.dataset.rules = [...new Set(over.map((it) => it.finding.rule_id))].join(" ");
    mark.textContent = piece;
    frag.append(mark);
  }
  // A final newline needs something after it, or the mirror is one line shorter.
  frag.append(text.endsWith("\n") || text === "" ? " " : "");
  mirror.replaceChildren(frag);
}

// The mark under a point on screen (the textarea sits on top, so hit-test by geometry).
export function markAt(mirror, x, y) {
  for (const mark of mirror.querySelectorAll("mark.hl")) {
    for (const r of mark.getClientRects()) {
      if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return mark;
    }
  }
  return null;
}

export function markFor(mirror, offset) {
  for (const mark of mirror.querySelectorAll("mark.hl")) {
    if (Number(mark.dataset.start) <= offset && offset <= Number(mark.dataset.end)) return mark;
  }
  return null;
}

// Apply one fix's edits (UTF-16 spans) to a string, last first so earlier offsets still hold.
export function applyEdits(text, edits) {
  const sorted = [...edits].sort((p, q) => q.span.start - p.span.start);
  for (const e of sorted) {
    text = text.slice(0, e.span.start) + e.replacement + text.slice(e.span.end);
  }
  return text;
}
