// The page: lint as you type (debounced), draw highlights, explain and apply fixes.
import * as api from "./api.js";
import { applyEdits, markAt, markFor, renderMirror } from "./highlight.js";
import { popoverContent, renderFindings, renderScore } from "./panels.js";

const $ = (id) => document.getElementById(id);
const ta = $("draft");
const mirror = $("mirror");
const editor = $("editor");
const pop = $("popover");
const statusNode = $("status");
const counter = $("counter");
const noteMode = $("note-mode");
const profileSelect = $("profile");
const scoreNodes = { total: $("score-total"), grade: $("grade"), verdict: $("verdict"), categories: $("categories") };

const DEBOUNCE_MS = 350;
const NOTE_LIMIT = 300; // LinkedIn's limit for a connection note
const MAX_FILE_BYTES = 2_000_000;

const state = {
  rules: new Map(),
  linted: null, // {text, findings, utf16}: the last answer and the exact text it is about
  items: [], // highlight items for the text now in the box (shifted while typing)
  seq: 0,
  controller: null,
  timer: 0,
  pinned: false, // the popover was opened on purpose (click or keyboard), not by hover
};

const fresh = () => state.linted !== null && state.linted.text === ta.value;

function setStatus(text, isError = false) {
  statusNode.textContent = text;
  statusNode.classList.toggle("error", isError);
}

// ---------------------------------------------------------------- linting

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(lintNow, DEBOUNCE_MS);
}

async function lintNow() {
  clearTimeout(state.timer);
  if (state.controller) state.controller.abort();
  const text = ta.value;
  if (!text.trim()) {
    state.linted = null;
    state.items = [];
    draw();
    setStatus("");
    return;
  }
  const seq = ++state.seq;
  state.controller = new AbortController();
  setStatus("Checking…");
  const res = await api.lint({ text, profile: profileSelect.value || null }, state.controller.signal);
  if (res.aborted || seq !== state.seq) return;
  if (res.error) {
    setStatus(res.error.message, true);
    return;
  }
  accept(res.data.report, res.data.utf16);
  setStatus(ta.value === text ? "Checked." : "Checking…");
}

function accept(report, utf16) {
  state.linted = { text: report.text, findings: report.findings, utf16, score: report.score };
  state.items = report.findings
    .map((finding, index) => ({ finding, index, span: { ...utf16[index].span } }))
    .filter((it) => it.span.end > it.span.start);
  draw();
}

function draw() {
  renderMirror(mirror, ta.value, state.items);
  const linted = state.linted;
  if (linted) {
    renderScore(linted.score, scoreNodes);
    renderFindings($("findings"), $("count"), linted.findings, openFromList);
  } else {
    $("findings").replaceChildren();
    $("count").textContent = "";
    scoreNodes.total.textContent = "–";
    scoreNodes.grade.textContent = "";
    scoreNodes.verdict.textContent = "Start typing to see a score.";
    scoreNodes.categories.replaceChildren();
  }
}

// While typing, keep highlights before and after the edit where they were; drop the ones the
// edit touched. The next answer from the server replaces them all.
function shiftItems(before, after) {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p &&
         before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const delta = after.length - before.length;
  const oldEnd = before.length - s;
  state.items = state.items.flatMap((it) => {
    if (it.span.end <= p) return [it];
    if (it.span.start >= oldEnd) {
      return [{ ...it, span: { start: it.span.start + delta, end: it.span.end + delta } }];
    }
    return [];
  });
}

// ---------------------------------------------------------------- the text box

let lastValue = "";

function autosize() {
  ta.style.height = "auto";
  ta.style.height = ta.scrollHeight + 2 + "px";
}

function updateCounter() {
  counter.hidden = !noteMode.checked;
  if (counter.hidden) return;
  const n = ta.value.length; // UTF-16 units, as the browser's own maxlength counts them
  const over = n > NOTE_LIMIT;
  counter.classList.toggle("over", over);
  counter.textContent = `${n} / ${NOTE_LIMIT} characters` +
    (over ? ` — ${n - NOTE_LIMIT} over the limit: LinkedIn will not take it.` : ` — ${NOTE_LIMIT - n} left.`);
}

function onInput() {
  closePopover();
  shiftItems(lastValue, ta.value);
  lastValue = ta.value;
  autosize();
  renderMirror(mirror, ta.value, state.items);
  updateCounter();
  schedule();
}

function replaceText(text, caret) {
  ta.value = text;
  lastValue = text;
  state.items = [];
  autosize();
  renderMirror(mirror, text, []);
  updateCounter();
  if (caret !== undefined) ta.setSelectionRange(caret, caret);
}

// ---------------------------------------------------------------- popover

let returnFocus = null;

function itemsAt(offset) {
  return state.items.filter((it) => it.span.start <= offset && offset <= it.span.end);
}

function openPopover(items, anchor, { pinned, focus, from = null }) {
  if (!items.length) return;
  state.pinned = pinned;
  returnFocus = from;
  const body = $("pop-body");
  body.replaceChildren(...popoverContent(items, state.rules, fresh(), applyFix));
  $("pop-title").textContent = items.length > 1 ? `${items.length} notes on this phrase` : "About this phrase";
  mirror.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
  if (anchor) anchor.classList.add("active");
  pop.hidden = false;
  const r = (anchor || ta).getBoundingClientRect();
  const width = pop.offsetWidth;
  // Keep it over the writing column (the score stays readable), and on the screen.
  const right = Math.min(document.documentElement.clientWidth - 8, editor.getBoundingClientRect().right);
  const left = Math.max(8, Math.min(r.left, right - width));
  pop.style.left = left + window.scrollX + "px";
  pop.style.top = r.bottom + window.scrollY + 6 + "px";
  if (focus) (pop.querySelector("button.primary") || $("pop-close")).focus();
}

function closePopover({ restore = false } = {}) {
  if (pop.hidden) return;
  pop.hidden = true;
  state.pinned = false;
  mirror.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
  if (restore && returnFocus) returnFocus.focus();
  returnFocus = null;
}

function openFromList(index, button) {
  const item = state.items.find((it) => it.index === index);
  const finding = state.linted.findings[index];
  const anchor = item ? markFor(mirror, item.span.start) : null;
  if (anchor) anchor.scrollIntoView({ block: "nearest" });
  openPopover([item || { finding, index }], anchor || button, { pinned: true, focus: true, from: button });
}

function openAtCaret() {
  if (ta.selectionStart !== ta.selectionEnd || !fresh()) return;
  const caret = ta.selectionStart;
  const items = itemsAt(caret);
  if (items.length) openPopover(items, markFor(mirror, caret), { pinned: true, focus: false, from: ta });
  else closePopover();
}

function applyFix(index, j) {
  if (!fresh()) return;
  const finding = state.linted.findings[index];
  const spans = state.linted.utf16[index].fixes[j];
  const edits = finding.fixes[j].edits.map((e, k) => ({ span: spans[k], replacement: e.replacement }));
  const first = edits.reduce((a, e) => (e.span.start < a.span.start ? e : a));
  const text = applyEdits(ta.value, edits);
  closePopover();
  replaceText(text, first.span.start + first.replacement.length);
  ta.focus();
  setStatus("Applied: " + finding.fixes[j].title + ".");
  lintNow();
}

// ---------------------------------------------------------------- buttons, files, setup

async function fixAll() {
  if (!ta.value.trim()) return;
  setStatus("Applying safe fixes…");
  const res = await api.fixAll({ text: ta.value, profile: profileSelect.value || null, unsafe: false });
  if (res.error) {
    setStatus(res.error.message, true);
    return;
  }
  const n = res.data.result.applied.length;
  replaceText(res.data.result.text);
  await lintNow();
  setStatus(n ? `Applied ${n} safe fix${n === 1 ? "" : "es"}.` : "No safe fixes to apply.");
}

async function copyText() {
  try {
    await navigator.clipboard.writeText(ta.value);
  } catch {
    ta.select();
    document.execCommand("copy");
  }
  setStatus("Copied the text to the clipboard.");
}

async function openFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    setStatus("That file is too large to be an email draft.", true);
    return;
  }
  const buffer = await file.arrayBuffer();
  const isMessage = /\.(eml|msg)$/i.test(file.name) || file.type === "message/rfc822";
  if (!isMessage) {
    replaceText(new TextDecoder().decode(buffer));
    lintNow();
    return;
  }
  setStatus("Reading the message…");
  const res = await api.lint({ eml: api.base64(buffer), profile: profileSelect.value || null });
  if (res.error) {
    setStatus(res.error.message, true);
    return;
  }
  replaceText(res.data.report.text);
  accept(res.data.report, res.data.utf16);
  setStatus(`Opened ${file.name}.`);
}

function wire() {
  ta.addEventListener("input", onInput);
  ta.addEventListener("click", openAtCaret);
  ta.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closePopover();
  });
  editor.addEventListener("mousemove", (e) => {
    if (state.pinned || !fresh()) return;
    const mark = markAt(mirror, e.clientX, e.clientY);
    if (!mark || (!pop.hidden && mark.classList.contains("active"))) return; // already shown
    const ids = mark.dataset.findings.split(" ").map(Number);
    openPopover(state.items.filter((it) => ids.includes(it.index)), mark, { pinned: false, focus: false });
  });
  editor.addEventListener("mouseleave", (e) => {
    if (!state.pinned && !pop.contains(e.relatedTarget)) closePopover();
  });
  pop.addEventListener("mouseleave", (e) => {
    if (!state.pinned && !editor.contains(e.relatedTarget)) closePopover();
  });
  pop.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closePopover({ restore: true });
  });
  $("pop-close").addEventListener("click", () => closePopover({ restore: true }));
  document.addEventListener("click", (e) => {
    if (!pop.hidden && !pop.contains(e.target) && e.target !== ta && !e.target.closest(".findings")) closePopover();
  });
  $("fix-all").addEventListener("click", fixAll);
  $("copy").addEventListener("click", copyText);
  noteMode.addEventListener("change", updateCounter);
  profileSelect.addEventListener("change", lintNow);
  $("open-file").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", (e) => e.target.files[0] && openFile(e.target.files[0]));
  editor.addEventListener("dragover", (e) => {
    e.preventDefault();
    editor.classList.add("dragging");
  });
  editor.addEventListener("dragleave", () => editor.classList.remove("dragging"));
  editor.addEventListener("drop", (e) => {
    e.preventDefault();
    editor.classList.remove("dragging");
    if (e.dataTransfer.files[0]) openFile(e.dataTransfer.files[0]);
  });
  window.addEventListener("resize", autosize);
}

async function start() {
  wire();
  autosize();
  const res = await api.rules();
  if (res.error) {
    setStatus(res.error.message, true);
  } else {
    for (const r of res.data.rules) state.rules.set(r.id, r);
    $("version").textContent = res.data.version;
    profileSelect.replaceChildren(
      ...res.data.profiles.map((p) => {
        const o = new Option(p.name, p.name, false, p.name === res.data.profile);
        o.title = p.description;
        return o;
      }),
    );
  }
  document.body.dataset.ready = "true";
  if (ta.value) onInput();
}

start();
