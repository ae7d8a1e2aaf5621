// The score card, the findings list and the popover's content. Every severity is written out
// in words next to its colour, and every bar carries its numbers as text.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const sevLabel = (severity) => el("span", { class: "sev sev-" + severity }, severity);
const fmt = (n) => (Math.round(n * 10) / 10).toString();

export function renderScore(score, nodes) {
  nodes.total.textContent = String(score.total);
  nodes.grade.textContent = "Grade " + score.grade;
  nodes.verdict.textContent = score.verdict;
  nodes.categories.replaceChildren(
    ...score.categories.map((c) => {
      const fill = el("div", { class: "fill" });
      fill.style.width = (c.max_points ? (100 * c.score) / c.max_points : 100) + "%";
      const lost = c.score < c.max_points;
      return el(
        "li",
        { class: "bar" + (lost ? " lost" : ""), dataset: { category: c.name } },
        el("span", { class: "name" }, c.name),
        el("div", { class: "track", "aria-hidden": "true" }, fill),
        el("span", { class: "pts" }, fmt(c.score) + " / " + fmt(c.max_points)),
      );
    }),
  );
}

const RANK = { error: 0, warning: 1, info: 2 };

// Worst first, then in reading order: the list a nervous writer should work down.
export function renderFindings(list, countNode, findings, onOpen) {
  const order = findings
    .map((f, i) => [f, i])
    .sort((a, b) => RANK[a[0].severity] - RANK[b[0].severity] || a[0].span.start - b[0].span.start);
  countNode.textContent = findings.length ? "(" + findings.length + ")" : "";
  if (!order.length) {
    list.replaceChildren(el("li", { class: "empty" }, "Nothing flagged."));
    return;
  }
  list.replaceChildren(
    ...order.map(([f, i]) => {
      const button = el(
        "button",
        { type: "button", class: "sev-" + f.severity, dataset: { index: String(i), rule: f.rule_id } },
        el("span", {}, sevLabel(f.severity), el("span", { class: "rule" }, f.rule_id)),
        el("span", { class: "msg" }, f.message),
        f.excerpt ? el("span", { class: "excerpt" }, "“" + clip(f.excerpt, 90) + "”") : null,
      );
      button.addEventListener("click", () => onOpen(i, button));
      return el("li", {}, button);
    }),
  );
}

function clip(text, n) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > n ? flat.slice(0, n - 1) + "…" : flat;
}

const NOTES = {
  safe: "A safe fix: it adds or tidies words without changing what you ask.",
  unsafe: "This changes your wording: read it before you send.",
  "display-only": "A template: fill in the [brackets] after adding it.",
};

function actionLabel(fix) {
  const edits = fix.edits;
  if (edits.every((e) => e.span.start === e.span.end)) return "Add this";
  if (edits.every((e) => e.replacement === "")) return "Remove it";
  return "Apply rewrite";
}

// One block per finding: severity in words, message, why, each rewrite and its button.
// Worst first; the why folds away so the rewrite and its button stay in view.
export function popoverContent(findings, rules, canApply, onApply) {
  const sorted = [...findings].sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity]);
  return sorted.map(({ finding, index }) => {
    const rule = rules.get(finding.rule_id);
    const item = el(
      "div",
      { class: "pop-item sev-" + finding.severity, dataset: { rule: finding.rule_id } },
      el("h3", {}, sevLabel(finding.severity), el("span", { class: "rule" }, finding.rule_id)),
      el("p", { class: "msg" }, finding.message),
    );
    finding.fixes.forEach((fix, j) => {
      if (!fix.edits.length) return;
      const text = fix.edits.map((e) => e.replacement.trim()).filter(Boolean).join(" … ");
      const button = el("button", { type: "button", class: "primary" }, actionLabel(fix));
      button.disabled = !canApply;
      button.addEventListener("click", () => onApply(index, j));
      item.append(
        el("p", { class: "note" }, "Suggestion: " + fix.title + ". " + NOTES[fix.applicability]),
        text ? el("p", { class: "rewrite" }, text) : null,
        button,
      );
    });
    if (rule && rule.why) {
      item.append(el("details", { class: "why" }, el("summary", {}, "Why this matters"), el("p", {}, rule.why)));
    }
    return item;
  });
}
